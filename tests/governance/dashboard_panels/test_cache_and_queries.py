"""The governance panels' cache and their constant query counts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from governance.models import AttendanceStatus, Meeting
from governance.selectors import dashboard
from governance.services import meetings, minutes
from portal.dashboards.registry import PRINCIPAL, get_panel
from portal.models import Person
from tests.governance.dashboard_panels.helpers import (
    PANELS,
    ask,
    count_queries,
    days,
    finished,
    grow,
    panel_html,
)
from tests.governance.factories import MeetingFactory
from tests.governance.service_helpers import approve, plan

pytestmark = pytest.mark.usefixtures("in_scope")


def test_appointing_a_justerare_shows_at_once_in_the_cached_meetings_panel(
    world, gov, client_for, caching
):
    # Another justerare: the process leader does not sign these (the chair does).
    meeting = finished(world, plan(world, gov, day=days(-8), title="Före", adjusters=[gov.member]))
    client = client_for(world.users["leader"])
    assert "badge--mine" not in panel_html(client, world, "governance.meetings")
    # The panel is cached: a write behind Django's back is not seen …
    Meeting.objects.filter(pk=meeting.pk).update(title="Efter")
    assert "Före" in panel_html(client, world, "governance.meetings")

    # … but a justerare appointed (a many-to-many change of the meeting only) is.
    meeting.adjusters.add(gov.leader)

    html = panel_html(client, world, "governance.meetings")
    assert "badge--mine" in html and "Efter" in html


def test_a_changed_attendance_shows_at_once_in_the_cached_panels(world, gov, client_for, caching):
    meeting = plan(world, gov, day=days(-8))
    approve(world, meeting)
    client = client_for(world.users["leader"])
    before = panel_html(client, world, "governance.representation")
    record = panel_html(client, world, "governance.principal_attendance", principal=world.principal)
    assert "1/1" in before and gov.member.name in record

    minutes.minutes_revise(actor=world.users["leader"], meeting=meeting, reason="Fel närvaro")
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.member,
        status=AttendanceStatus.ABSENT,
    )
    # A revision is not read until it is approved (issue 18)…
    assert "1/1" in panel_html(client, world, "governance.representation")
    approve(world, meeting)

    # … and then at once, through the cache.
    after = panel_html(client, world, "governance.representation")
    assert f"{world.principal.name}</th><td>" in after
    assert "1/1" not in after
    record = panel_html(client, world, "governance.principal_attendance", principal=world.principal)
    assert "Represented at 0 meetings" in record


@pytest.mark.parametrize("role", ["leader", "steering", "reporter"])
@pytest.mark.parametrize("filtered", [False, True], ids=["all-bodies", "one-body"])
@pytest.mark.parametrize(("key", "scope_", "expected"), PANELS, ids=[p[0] for p in PANELS])
def test_each_panel_runs_a_fixed_number_of_queries(
    world, gov, role, filtered, key, scope_, expected
):
    panel = get_panel(scope_, key)
    principal = world.principal if scope_ == PRINCIPAL else None
    request = ask(world, role, principal=principal, body=gov.body if filtered else None)

    grow(world, gov, 0, 2)
    small = count_queries(world, panel, request)
    grow(world, gov, 2, 6)
    large = count_queries(world, panel, request)

    if isinstance(expected, dict):
        expected = expected[role]
    assert (small, large) == (expected, expected)


def test_the_grown_scene_is_seen_by_the_panels(world, gov):
    """The query-count scene really has what the panels show, at both sizes."""
    grow(world, gov, 0, 2)
    small = dashboard.representation(ask(world))
    grow(world, gov, 2, 6)
    large = dashboard.representation(ask(world))

    assert (len(small["meetings"]), len(large["meetings"])) == (2, 8)
    assert dashboard.open_risks(ask(world))["matrix"].total == 8
    # Eight past their due date; seven "by the next meeting" whose body met
    # again later (the newest meeting's item has not been followed up yet).
    assert dashboard.open_actions(ask(world))["counts"].overdue == 15
    assert len(dashboard.meetings_and_minutes(ask(world))["upcoming"]) == dashboard.UPCOMING_SHOWN
    assert (
        len(dashboard.principal_open_actions(ask(world, principal=world.principal))["actions"])
        == 16
    )
    assert Person.objects.filter(tenant=world.tenant).count() > 16


def test_a_meeting_under_way_is_still_upcoming(world, gov):
    now = timezone.now()
    under_way = MeetingFactory(
        tenant=world.tenant,
        body=gov.body,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
    )
    over = MeetingFactory(
        tenant=world.tenant,
        body=gov.body,
        starts_at=now - datetime.timedelta(hours=3),
        ends_at=now - datetime.timedelta(hours=1),
    )
    upcoming = [m.pk for m in dashboard.meetings_and_minutes(ask(world))["upcoming"]]
    assert under_way.pk in upcoming and over.pk not in upcoming
