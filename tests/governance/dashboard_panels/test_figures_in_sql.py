"""The panels that count and flag in SQL (window aggregates over the open
action items, owners' names gathered by subqueries, the signatories read
only for a reader who may sign) show what the straightforward reading of
the same rows shows: the model instances of `action_items`, `action_counts`
over them, the signing rule asked per meeting, a loop over attendance rows."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from governance.models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from governance.selectors import dashboard
from governance.selectors.actions import action_counts, action_items
from governance.selectors.decisions import readable_minutes_statuses
from governance.selectors.signing import minutes_approval
from governance.templatetags.meeting_tags import action_owners
from portal.models import Principal
from tests.factories import PersonFactory
from tests.governance.dashboard_panels.helpers import (
    ask,
    assign,
    days,
    finished,
    grow,
    today,
)
from tests.governance.service_helpers import plan

pytestmark = pytest.mark.usefixtures("in_scope")

ROLES = ("leader", "steering", "reporter")


@pytest.fixture
def scene(world, gov):
    """The grown scene (meetings with draft, finished and approved minutes,
    overdue and "by the next meeting" items from them) and items of every
    status and kind of owner besides."""
    grow(world, gov, 0, 6)
    colleague = PersonFactory(tenant=world.tenant, name="Anna Kollega", principal=world.principal)
    yesterday = today() - datetime.timedelta(days=1)
    assign(world, gov, description="Alla, i tid")
    assign(world, gov, description="Alla, sent", due_date=yesterday)
    assign(
        world,
        gov,
        description="Påbörjat & sent",
        owner_all=False,
        owner_people=[colleague, gov.member],
        owner_principal=world.principal,
        due_date=yesterday,
        status=ActionStatus.IN_PROGRESS,
    )
    assign(world, gov, description="Klart", due_date=yesterday, status=ActionStatus.DONE)
    assign(world, gov, description="Återrapporterat", status=ActionStatus.REPORTED)
    assign(world, gov, description="Till nästa möte", due_next_meeting=True)
    return Body.objects.get(tenant=world.tenant, code="BG")


def _row(action) -> tuple:
    return (
        action.pk,
        action.description,
        action_owners(action),
        action.due_date,
        action.due_next_meeting,
        action.is_overdue,
        action.get_status_display(),
    )


def _lean(row) -> tuple:
    return (
        row.pk,
        row.description,
        row.owners,
        row.due_date,
        row.due_next_meeting,
        row.is_overdue,
        row.get_status_display(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["all", "steering group", "council"])
def test_the_actions_panel_counts_what_the_action_list_counts(world, gov, scene, role, which):
    body = {"all": None, "steering group": gov.body, "council": scene}[which]
    request = ask(world, role, body=body)
    items = action_items(
        tenant=world.tenant,
        minutes_statuses=readable_minutes_statuses(request.membership),
        body=body,
        today=request.filters.today,
    ).filter(status__in=OPEN_ACTION_STATUSES)
    expected_counts = action_counts(items)
    expected_overdue = [_row(a) for a in items if a.is_overdue][: dashboard.OVERDUE_SHOWN]

    data = dashboard.open_actions(request)

    assert data["counts"] == expected_counts
    assert data["open"] == expected_counts.total == len(items)
    assert [_lean(row) for row in data["overdue"]] == expected_overdue
    if which == "all" and role == "leader":
        # The scene is not trivial: the list is capped, and owners of every kind show.
        assert expected_counts.overdue > dashboard.OVERDUE_SHOWN
        assert {c.status for c in expected_counts.by_status if c.count} == set(OPEN_ACTION_STATUSES)


def test_an_empty_programme_counts_zero_open_items(world, gov):
    data = dashboard.open_actions(ask(world))

    assert data["open"] == 0
    assert data["counts"] == action_counts(action_items(tenant=world.tenant, minutes_statuses=None))
    assert data["overdue"] == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("filtered", [False, True], ids=["all-bodies", "one-body"])
def test_a_principals_open_items_are_those_of_the_action_list(world, gov, scene, role, filtered):
    request = ask(world, role, principal=world.principal, body=gov.body if filtered else None)
    items = action_items(
        tenant=world.tenant,
        minutes_statuses=readable_minutes_statuses(request.membership),
        principal=world.principal,
        body=gov.body if filtered else None,
        today=request.filters.today,
    ).filter(status__in=OPEN_ACTION_STATUSES)

    rows = dashboard.principal_open_actions(request)["actions"]

    assert [_lean(row) for row in rows] == [_row(a) for a in items]
    assert any(", " in row.owners for row in rows)  # people and the principal, in order


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("filtered", [False, True], ids=["all-bodies", "one-body"])
def test_representation_is_what_the_attendance_rows_say(world, gov, scene, role, filtered):
    request = ask(world, role, body=gov.body if filtered else None)
    data = dashboard.representation(request)
    meetings = data["meetings"]
    present = set()
    for row in Attendance.objects.filter(
        meeting__in=meetings, status__in=(AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)
    ).select_related("person"):
        principal_id = row.represents_principal_id or row.person.principal_id
        if principal_id:
            present.add((row.meeting_id, principal_id))

    assert {row.principal.pk: row.attended for row in data["rows"]} == {
        principal.pk: tuple((m.pk, principal.pk) in present for m in meetings)
        for principal in Principal.objects.filter(tenant=world.tenant, archived_at__isnull=True)
    }
    if role == "leader":
        assert any(any(row.attended) for row in data["rows"])


@pytest.mark.parametrize("role", ROLES)
def test_the_minutes_marked_as_the_readers_are_those_the_signing_rule_names(
    world, gov, scene, role
):
    finished(world, plan(world, gov, day=days(-2), adjusters=[gov.leader]))

    data = dashboard.meetings_and_minutes(ask(world, role))

    membership = world.memberships[role]
    expected = {
        m.pk: minutes_approval(m, membership).asked_to_sign
        for m in Meeting.objects.filter(
            tenant=world.tenant, archived_at__isnull=True, minutes_status=MinutesStatus.FINISHED
        )
    }
    assert {row.meeting.pk: row.mine for row in data["awaiting"]} == expected
    assert any(expected.values()) == (role != "reporter")
    planned = Meeting.objects.filter(
        tenant=world.tenant, status=MeetingStatus.PLANNED, ends_at__gte=timezone.now()
    ).order_by("starts_at", "pk")[: dashboard.UPCOMING_SHOWN]
    assert [m.pk for m in data["upcoming"]] == [m.pk for m in planned]
