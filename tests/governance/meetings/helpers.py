"""What the tests of meetings/ share (from test_meeting_views.py)."""

from __future__ import annotations

import datetime
import zoneinfo
from functools import partial
from typing import Any

from django_scopes import scope, scopes_disabled

from governance.models import (
    ActionItem,
    ActionStatusChange,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MinutesStatus,
    MinutesVersion,
)
from governance.services import actions, decisions, meetings, minutes, report_back
from portal.models import Person
from tests.factories import PersonFactory
from tests.governance.factories import RiskFactory, StatusReportFactory
from tests.helpers import reload, url_in
from tests.helpers import snapshot as snapshot_of

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

READERS = ["steering", "researcher", "admin"]  # read finished minutes, never drafts

NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]


def at(year: int, month: int, day: int, hour: int = 13, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


url = url_in("governance")

GOVERNANCE_MODELS = (Meeting, AgendaItem, Attendance, Decision, ActionItem, MinutesVersion)

# Every row a meeting page may write, and the audit count: equal when a request changes nothing.
snapshot = partial(snapshot_of, *GOVERNANCE_MODELS, Person, ActionStatusChange)


def plan(world, gov, *, day=(2025, 3, 25), **kwargs) -> Meeting:
    with scope(tenant=world.tenant):
        starts = at(*day)
        return meetings.meeting_create(
            actor=world.users["leader"],
            body=kwargs.pop("body", gov.body),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            **kwargs,
        )


def items(meeting: Meeting) -> list[AgendaItem]:
    with scopes_disabled():
        return list(
            AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True).order_by(
                "position"
            )
        )


def finish(world, meeting: Meeting) -> Meeting:
    with scope(tenant=world.tenant):
        return minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)


def approve(world, meeting: Meeting) -> MinutesVersion:
    """Finish (if still a draft) as the process leader; approve as the chair
    (no justerare appointed)."""
    if reload(meeting).minutes_status == MinutesStatus.DRAFT:
        finish(world, meeting)
    with scope(tenant=world.tenant):
        return minutes.minutes_approve(
            actor=world.users["steering"],
            membership=world.memberships["steering"],
            meeting=reload(meeting),
        )


def write_minutes(world, item: AgendaItem, text_: str) -> AgendaItem:
    """Write an item's minutes as the meeting page does: while approved minutes
    are revised, into the revision's draft of the item."""
    with scope(tenant=world.tenant):
        item = AgendaItem.all_rows.select_related("meeting").get(pk=item.pk)
        if item.meeting.revising and not item.revision_draft:
            item = AgendaItem.all_rows.get(draft_of=item)
        return meetings.agenda_item_update(
            actor=world.users["leader"], item=item, expected_version=item.version, minutes=text_
        )


# Session, user, tenant, membership; the bodies to filter by; the meetings, their joint
# bodies; the programme's upcoming events.
MEETING_LIST_QUERIES = 8


# Planning a meeting -------------------------------------------------------------


def _create_data(gov, **overrides) -> dict[str, Any]:
    data = {
        "body": gov.body.pk,
        "kind": "ordinarie",
        "title": "",
        "starts_at": "2025-03-25T13:00",
        "ends_at": "2025-03-25T15:00",
        "place": "Nygatan 20, Växjö",
        "online_link": "",
        "record_type": "minnesanteckningar",
        "note_taker": gov.leader.pk,
        "agenda": "1. Ordförande hälsar välkommen\n2. Statusrapport\n\n§3 Risker\n",
    }
    data.update(overrides)
    return data


def _rich_meeting(world, gov, size: int) -> Meeting:
    """A meeting with `size` agenda items, each with minutes, a decision and an
    assignment, `size` extra attendees and `size` open assignments carried:
    every other one given to all organisations, the rest to a person, a
    principal and a body at once, each with a principal's answer."""
    with scope(tenant=world.tenant):
        for n in range(size):
            owners: dict[str, Any] = (
                {"owner_all": True}
                if n % 2 == 1
                else {
                    "owner_people": [gov.member],
                    "owner_principal": world.principal,
                    "owner_body": gov.body,
                }
            )
            carried = actions.action_create(
                actor=None, body=gov.body, description=f"Öppet uppdrag {n}", **owners
            )
            report_back.action_answer_save(
                actor=None, action=carried, principal=world.principal, text=f"Svar {n}"
            )
    # Still to come, so that the assignments open today are carried to it.
    meeting = plan(
        world, gov, day=(2030, 3, 25), agenda=[(f"Punkt {n}", "information") for n in range(size)]
    )
    with scope(tenant=world.tenant):
        for n, item_ in enumerate(items(meeting)):
            if item_.kind == "uppfoljning":
                continue
            decision = decisions.decision_create(
                actor=None, meeting=meeting, agenda_item=item_, text=f"Beslut {n}"
            )
            actions.action_create(
                actor=None,
                body=gov.body,
                description=f"Uppdrag {n}",
                owner_people=[gov.member],
                owner_principal=world.principal,
                agenda_item=item_,
                decision=decision,
            )
            RiskFactory(tenant=world.tenant, title=f"Risk {n}", raised_at=item_)
            StatusReportFactory(
                tenant=world.tenant,
                period=datetime.date(2025, 1 + n % 12, 1),
                status="fardigstalld",
                presented_at=item_,
            )
            person = PersonFactory(tenant=world.tenant, principal=world.principal)
            meetings.attendance_set(
                actor=None, meeting=meeting, person=person, status="ersatter", replaces=[gov.member]
            )
    return meeting


# Session, user, tenant, membership; the meeting with its joint bodies and
# justerare; attendance, whom substitutes replace, the programme's principals
# (read once: who was represented, and who has not answered a follow-up), the
# chair on the day (the roster's order); the agenda, presenters, decisions,
# assignments and their owners, follow-ups and their owners and the
# principals' answers to them (and the programme's staff, as a follow-up is
# given to people), risks raised,
# status reports presented (in full: authors, activities, risk reviews); the
# versions; the meeting's documents; whether the user may approve (not
# finished: no query); the newest PDF of the minutes; the notice: who is
# called, the notices sent and the replies; the follow-ups' answers and
# the principals asked; the signatories' open comments.
MEETING_PAGE_QUERIES = 32


# Editing the meeting ------------------------------------------------------------


def _edit_data(meeting: Meeting, **overrides) -> dict[str, Any]:
    data = {
        "kind": meeting.kind,
        "title": "",
        "starts_at": "2025-03-25T13:00",
        "ends_at": "2025-03-25T16:00",
        "place": "Kommunhuset, Eskilstuna",
        "online_link": "https://teams.example.se/möte",
        "record_type": "protokoll",
        "note_taker": "",
        "version": meeting.version,
    }
    data.update(overrides)
    return data


AGENDA_WRITES = [
    (
        "agenda_item_edit",
        {"title": "Kapad", "kind": "information", "minutes": "Kapad", "version": 1},
    ),
    ("agenda_item_move", {"direction": "down"}),
    ("agenda_item_archive", {}),
    ("decision_add", {"text": "Kapat beslut"}),
    ("action_add", {"description": "Kapat uppdrag", "owner_all": "on"}),
]


# Attendance ---------------------------------------------------------------------


def _row(meeting: Meeting, person: Person) -> Attendance:
    with scopes_disabled():
        return Attendance.objects.get(meeting=meeting, person=person)
