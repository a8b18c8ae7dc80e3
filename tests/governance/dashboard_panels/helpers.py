"""What the tests of dashboard_panels/ share (from test_dashboard_panels.py)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    Risk,
)
from governance.selectors import dashboard
from governance.services import actions, meetings, minutes, risks
from portal.dashboards.registry import PRINCIPAL, PROGRAMME, Filters, PanelRequest
from portal.models import Principal
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import (
    AgendaItemFactory,
    BodyFactory,
    BodyMemberFactory,
    MeetingFactory,
)
from tests.helpers import HTMX as HX


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> tuple[int, int, int]:
    """The date `n` days from today, as `plan(day=...)` takes it."""
    day = today() + datetime.timedelta(days=n)
    return day.year, day.month, day.day


def ask(
    world,
    role: str = "leader",
    *,
    principal: Principal | None = None,
    body: Body | None = None,
    months: int = 24,
    on: datetime.date | None = None,
) -> PanelRequest:
    """What a panel is asked by `role` with the dashboard's filters set so."""
    return PanelRequest(
        tenant=world.tenant,
        membership=world.memberships[role],
        filters=Filters(
            months=months, choices={"body": body.pk if body else None}, today=on or today()
        ),
        principal=principal,
    )


def panel_html(client, world, key: str, query: str = "", principal=None) -> str:
    """The panel as htmx fetches it from the dashboard, in English."""
    if principal is None:
        path = reverse("portal:dashboard_panel", args=[world.tenant.slug, key])
    else:
        path = reverse(
            "portal:principal_dashboard_panel", args=[world.tenant.slug, principal.pk, key]
        )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(path + query, **HX)
    assert response.status_code == 200
    return response.content.decode()


def held(world, meeting: Meeting) -> Meeting:
    return meetings.meeting_mark_held(actor=world.users["leader"], meeting=meeting)


def finished(world, meeting: Meeting) -> Meeting:
    return minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)


def titles(matrix) -> set[str]:
    return {risk.title for row in matrix.rows for cell in row.cells for risk in cell.risks}


# Open risks --------------------------------------------------------------------


def raise_risk(world, title: str, *, at_item=None, **kwargs) -> Risk:
    kwargs.setdefault("likelihood", 2)
    kwargs.setdefault("consequence", 3)
    return risks.risk_create(
        actor=world.users["leader"],
        tenant=world.tenant,
        title=title,
        category="forankring",
        raised_at=at_item,
        **kwargs,
    )


# Open and overdue action items --------------------------------------------------


def assign(world, gov, *, body=None, status=ActionStatus.NOT_STARTED, **kwargs) -> ActionItem:
    kwargs.setdefault("owner_all", True)
    kwargs.setdefault("description", "Ta fram en kommunikationsplan.")
    action = actions.action_create(actor=world.users["leader"], body=body or gov.body, **kwargs)
    if status != ActionStatus.NOT_STARTED:
        action = actions.action_set_status(
            actor=world.users["leader"], action=action, status=status
        )
    return action


# Representation ------------------------------------------------------------------


def represented(world, role="leader", **kwargs) -> dict[str, tuple[bool, ...]]:
    data = dashboard.representation(ask(world, role, **kwargs))
    return {row.principal.name: row.attended for row in data["rows"]}


# Constant query counts ------------------------------------------------------------


def grow(world, gov, start: int, size: int) -> None:
    """`size` more of everything the governance panels read: held meetings
    (some joint) with attendance for a new principal each, agenda items,
    risks raised there, open and overdue action items owned by the principal
    and its people, finished minutes with justerare, and planned meetings."""
    council = Body.objects.filter(tenant=world.tenant, code="BG").first() or BodyFactory(
        tenant=world.tenant, name="Beredningsgruppen", code="BG"
    )
    now = timezone.now()
    for n in range(start, start + size):
        principal = PrincipalFactory(tenant=world.tenant, name=f"Kommun {n:02d}")
        person = PersonFactory(tenant=world.tenant, principal=principal)
        own = PersonFactory(tenant=world.tenant, principal=world.principal)
        BodyMemberFactory(body=gov.body, person=person, represents_principal=principal)
        meeting = MeetingFactory(
            body=gov.body,
            starts_at=now - datetime.timedelta(days=3 + n),
            status=MeetingStatus.HELD,
            minutes_status=(MinutesStatus.FINISHED, MinutesStatus.APPROVED, MinutesStatus.DRAFT)[
                n % 3
            ],
        )
        meeting.joint_bodies.set([council])
        meeting.adjusters.set([gov.chair, person])
        Attendance.objects.create(
            tenant=world.tenant,
            meeting=meeting,
            person=person,
            status=AttendanceStatus.SUBSTITUTE if n % 2 else AttendanceStatus.PRESENT,
            represents_principal=principal,
        )
        Attendance.objects.create(
            tenant=world.tenant, meeting=meeting, person=own, status=AttendanceStatus.PRESENT
        )
        future = MeetingFactory(body=council, starts_at=now + datetime.timedelta(days=3 + n))
        future.joint_bodies.set([gov.body])
        future.adjusters.set([person])
        item = AgendaItemFactory(meeting=meeting)
        Risk.objects.create(
            tenant=world.tenant,
            title=f"Risk {n}",
            category="forankring",
            likelihood=1 + n % 4,
            consequence=1 + (n + 1) % 4,
            raised_at=item,
        )
        late = ActionItem.objects.create(
            tenant=world.tenant,
            body=gov.body,
            description=f"Uppdrag {n}",
            owner_principal=world.principal,
            due_date=today() - datetime.timedelta(days=n + 1),
            agenda_item=item,
        )
        late.owner_people.set([own, person])
        next_time = ActionItem.objects.create(
            tenant=world.tenant,
            body=council,
            owner_body=gov.body,
            description=f"Till nästa möte {n}",
            due_next_meeting=True,
            agenda_item=item,
        )
        next_time.owner_people.set([own])


PANELS = [
    ("governance.risks", PROGRAMME, 1),
    ("governance.actions", PROGRAMME, 1),
    # The signatories are read only for a reader whose role signs minutes and
    # who is a person of the directory: not for the principal reporter.
    ("governance.meetings", PROGRAMME, {"leader": 6, "steering": 6, "reporter": 2}),
    ("governance.representation", PROGRAMME, 3),
    ("governance.events", PROGRAMME, 1),
    ("governance.principal_report_back", PRINCIPAL, 4),
    ("governance.principal_actions", PRINCIPAL, 1),
    ("governance.principal_attendance", PRINCIPAL, 2),
]


def count_queries(world, panel, request) -> int:
    """The queries of the panel's selector and of rendering its partial with
    the result, as the dashboard does (so lazy loading in a template counts)."""
    with CaptureQueriesContext(connection) as queries:
        data = panel.context(request)
        render_to_string(
            panel.template,
            {
                "data": data,
                "panel": panel,
                "tenant": world.tenant,
                "membership": request.membership,
                "filters": request.filters,
                "principal": request.principal,
            },
        )
    return len(queries)
