"""What the tests of reports/ share (from test_report_views.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import StatusReport
from governance.services import reports as report_services
from tests.factories import PrincipalFactory
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.governance.risk_helpers import make_risk, review
from tests.helpers import url_in

READERS = ["leader", "steering", "researcher", "admin"]

NOT_LEADERS = ["steering", "researcher", "admin"]

NOT_WRITERS = ["steering", "reporter", "researcher", "admin"]

MARCH = datetime.date(2025, 3, 1)

url = url_in("governance")


def at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def make_report(world, gov, *, period=MARCH, finished=False, **fields) -> StatusReport:
    with scope(tenant=world.tenant):
        report = report_services.report_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            period=period,
            authors=fields.pop("authors", [gov.leader]),
            **{"results": "Workshops i tre kommuner.", **fields},
        )
        if finished:
            report = report_services.report_finish(actor=world.users["leader"], report=report)
    return report


def backdate(obj, **fields) -> None:
    with scopes_disabled():
        type(obj).objects.filter(pk=obj.pk).update(**fields)


# Session, user, tenant, membership; the reports, their authors.
REPORT_LIST_QUERIES = 6


def _detailed_report(world, gov, count):
    principals = [PrincipalFactory(tenant=world.tenant) for _ in range(count)]
    risks = [make_risk(world, title=f"Risk {i}", likelihood=2, consequence=2) for i in range(count)]
    reviews = [review(world, r, datetime.date(2025, 3, 10), 3, 3) for r in risks]
    item = AgendaItemFactory(meeting=MeetingFactory(body=gov.body))
    report = make_report(world, gov, authors=[gov.leader, gov.chair], presented_at=item)
    with scope(tenant=world.tenant):
        report_services.report_set_activities(
            actor=world.users["leader"],
            report=report,
            activities={p: f"Workshop {p.name}" for p in principals},
        )
        report_services.report_link_reviews(
            actor=world.users["leader"], report=report, reviews=reviews
        )
        report_services.report_finish(actor=world.users["leader"], report=report)
    return report


# Session, user, tenant, membership; the report, its authors, activities and
# reviews; its newest PDF (the "Skapa PDF" panel). The matrix of a finished
# report is stored with it: no query.
REPORT_DETAIL_QUERIES = 9


# Create -------------------------------------------------------------------


def valid_report(gov, **overrides):
    return {
        "period": "2025-03",
        "authors": [str(gov.leader.pk), str(gov.chair.pk)],
        "results": "Nyckelpersoner utsedda i två kommuner.",
        "gut_feeling": "neutral",
        "gut_feeling_text": "",
        "next_steps": "Gemensamt möte 9/5.",
        "presented_at": "",
        **overrides,
    }


def grouped(field) -> list[tuple[str, list[int]]]:
    """A grouped choice field's choices: (group label, item ids), in order."""
    return [
        (str(label), [int(str(value)) for value, _ in options])
        for label, options in field.choices
        if isinstance(options, list | tuple)
    ]
