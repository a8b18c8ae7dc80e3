"""The governance panels of meetings and minutes, and of representation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import Attendance, AttendanceStatus
from governance.selectors import dashboard
from governance.selectors.signing import minutes_approval
from governance.services import meetings, minutes
from tests.factories import PersonFactory
from tests.governance.dashboard_panels.helpers import (
    ask,
    days,
    finished,
    held,
    panel_html,
    represented,
)
from tests.governance.factories import BodyFactory
from tests.governance.service_helpers import approve, plan
from tests.helpers import HTMX as HX

pytestmark = pytest.mark.usefixtures("in_scope")


# Meetings and minutes -------------------------------------------------------------


def test_upcoming_are_the_planned_future_meetings_soonest_first_and_capped(world, gov):
    shown = dashboard.UPCOMING_SHOWN
    future = [plan(world, gov, day=days(n)) for n in (30, 3, 12, 60, 7, 90, 45)]
    cancelled = plan(world, gov, day=days(1))
    meetings.meeting_cancel(actor=world.users["leader"], meeting=cancelled, reason="Sjukdom")
    plan(world, gov, day=days(-3))  # planned, but in the past: not upcoming
    held(world, plan(world, gov, day=days(-10)))

    upcoming = dashboard.meetings_and_minutes(ask(world))["upcoming"]

    soonest = sorted(future, key=lambda m: m.starts_at)[:shown]
    assert [m.pk for m in upcoming] == [m.pk for m in soonest]


def test_upcoming_meetings_follow_the_body_filter_joint_meetings_included(world, gov):
    council = BodyFactory(tenant=world.tenant, name="Beredningsgruppen", code="BG")
    own = plan(world, gov, day=days(5))
    joint = plan(world, gov, day=days(6), body=council, joint_bodies=[gov.body])
    theirs = plan(world, gov, day=days(7), body=council)

    def upcoming(body):
        return [m.pk for m in dashboard.meetings_and_minutes(ask(world, body=body))["upcoming"]]

    assert upcoming(gov.body) == [own.pk, joint.pk]
    assert upcoming(council) == [joint.pk, theirs.pk]
    assert upcoming(None) == [own.pk, joint.pk, theirs.pk]


def test_minutes_awaiting_approval_are_the_finished_ones_not_yet_approved(world, gov):
    draft = held(world, plan(world, gov, day=days(-30)))
    waiting_long = finished(world, plan(world, gov, day=days(-20)))
    waiting = finished(world, plan(world, gov, day=days(-10)))
    approve(world, plan(world, gov, day=days(-5)))

    awaiting = dashboard.meetings_and_minutes(ask(world))["awaiting"]

    assert [row.meeting.pk for row in awaiting] == [waiting_long.pk, waiting.pk]
    assert draft.pk not in {row.meeting.pk for row in awaiting}


def test_minutes_a_justerare_is_to_approve_are_marked_as_theirs(world, gov):
    mine = finished(world, plan(world, gov, day=days(-20), adjusters=[gov.chair]))
    others = finished(world, plan(world, gov, day=days(-10), adjusters=[gov.member]))
    nobody = finished(world, plan(world, gov, day=days(-5)))

    def marked(role):
        rows = dashboard.meetings_and_minutes(ask(world, role))["awaiting"]
        return {row.meeting.pk: row.mine for row in rows}

    # The chair's person is linked to the steering member's login; the chair
    # on the day signs every set of minutes, besides the appointed justerare.
    assert marked("steering") == {mine.pk: True, others.pk: True, nobody.pk: True}
    assert marked("leader") == {mine.pk: False, others.pk: False, nobody.pk: False}


def test_the_panel_marks_what_the_signing_rule_asks_the_reader_to_sign(world, gov):
    """The panel asks governance.selectors.signing (the one rule), not a copy
    of it: a chair recorded absent does not sign (someone else chaired), and
    an appointed justerare whose role does not sign is not asked to."""
    absent_chair = plan(world, gov, day=days(-20))
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=absent_chair,
        person=gov.chair,
        status=AttendanceStatus.ABSENT,
    )
    absent_chair = finished(world, absent_chair)
    present_chair = finished(world, plan(world, gov, day=days(-10)))
    reporter_person = PersonFactory(tenant=world.tenant, user=world.users["reporter"])
    world.memberships["reporter"].person = reporter_person
    reporters_turn = plan(world, gov, day=days(-5), adjusters=[reporter_person])
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=reporters_turn,
        person=reporter_person,
        status=AttendanceStatus.GUEST,
    )
    reporters_turn = finished(world, reporters_turn)

    def marked(role):
        rows = dashboard.meetings_and_minutes(ask(world, role))["awaiting"]
        return {row.meeting.pk: row.mine for row in rows}

    assert marked("steering") == {
        absent_chair.pk: False,
        present_chair.pk: True,
        reporters_turn.pk: True,
    }
    for meeting in (absent_chair, present_chair, reporters_turn):
        approval = minutes_approval(meeting, world.memberships["steering"])
        assert marked("steering")[meeting.pk] == approval.asked_to_sign
        assert not minutes_approval(meeting, world.memberships["reporter"]).asked_to_sign


def test_the_meetings_panel_shows_both_lists_and_the_justerare_badge(world, gov, client_for):
    upcoming = plan(world, gov, day=days(8), title="Nästa styrgruppsmöte")
    waiting = finished(
        world, plan(world, gov, day=days(-8), title="Förra mötet", adjusters=[gov.chair])
    )

    steering = panel_html(client_for(world.users["steering"]), world, "governance.meetings")
    leader = panel_html(client_for(world.users["leader"]), world, "governance.meetings")

    assert upcoming.title in steering and waiting.title in steering
    assert reverse("governance:meeting_detail", args=[world.tenant.slug, waiting.pk]) in steering
    assert "badge--mine" in steering
    assert "badge--mine" not in leader


def test_the_meetings_panel_is_not_for_principal_reporters(world, gov, client_for):
    path = reverse("portal:dashboard_panel", args=[world.tenant.slug, "governance.meetings"])
    assert client_for(world.users["reporter"]).get(path, **HX).status_code == 403


def test_a_principal_is_represented_when_its_member_attended(world, gov):
    # Planning pre-fills the body's members as present; the member sits for world.principal.
    held(world, plan(world, gov, day=days(-10)))

    assert represented(world) == {
        world.principal.name: (True,),
        world.other_principal.name: (False,),
    }


def test_a_substitute_represents_the_principal_and_an_absent_member_does_not(world, gov):
    meeting = plan(world, gov, day=days(-10))
    leader = world.users["leader"]
    meetings.attendance_set(
        actor=leader, meeting=meeting, person=gov.member, status=AttendanceStatus.ABSENT
    )
    stand_in = PersonFactory(tenant=world.tenant, name="Ersättare", principal=world.other_principal)
    meetings.attendance_set(
        actor=leader,
        meeting=meeting,
        person=stand_in,
        status=AttendanceStatus.SUBSTITUTE,
        replaces=[gov.member],
        represents_principal=world.principal,
    )
    held(world, meeting)

    # The substitute sat for world.principal, whatever principal employs them.
    assert represented(world) == {
        world.principal.name: (True,),
        world.other_principal.name: (False,),
    }


def test_a_guest_does_not_represent_a_principal(world, gov):
    meeting = plan(world, gov, day=days(-10))
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.member,
        status=AttendanceStatus.ABSENT,
    )
    guest = PersonFactory(tenant=world.tenant, name="Gäst", principal=world.other_principal)
    meetings.attendance_set(
        actor=world.users["leader"], meeting=meeting, person=guest, status=AttendanceStatus.GUEST
    )
    held(world, meeting)

    assert represented(world) == {
        world.principal.name: (False,),
        world.other_principal.name: (False,),
    }


def test_without_a_represented_principal_the_persons_own_principal_counts(world, gov):
    meeting = held(world, plan(world, gov, day=days(-10)))
    person = PersonFactory(
        tenant=world.tenant, name="Egen huvudman", principal=world.other_principal
    )
    Attendance.objects.create(
        tenant=world.tenant,
        meeting=meeting,
        person=person,
        status=AttendanceStatus.PRESENT,
        represents_principal=None,
    )

    assert represented(world)[world.other_principal.name] == (True,)


def test_representation_counts_held_meetings_of_the_period_newest_first(world, gov):
    newest = held(world, plan(world, gov, day=days(-5)))
    older = plan(world, gov, day=days(-40))
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=older,
        person=gov.member,
        status=AttendanceStatus.ABSENT,
    )
    held(world, older)
    plan(world, gov, day=days(-20))  # not marked held
    meetings.meeting_cancel(
        actor=world.users["leader"], meeting=plan(world, gov, day=days(-15)), reason="Inställt"
    )
    plan(world, gov, day=days(10))  # in the future
    held(world, plan(world, gov, day=days(-300)))  # before a 6-month period

    data = dashboard.representation(ask(world, months=6))

    assert [m.pk for m in data["meetings"]] == [newest.pk, older.pk]
    row = next(r for r in data["rows"] if r.principal == world.principal)
    assert row.attended == (True, False)
    assert row.count == 1
    # With the longest period the old meeting counts too.
    assert len(dashboard.representation(ask(world, months=24))["meetings"]) == 3


def test_representation_looks_at_the_last_meetings_only(world, gov):
    count = dashboard.REPRESENTATION_MEETINGS
    made = [held(world, plan(world, gov, day=days(-n - 1))) for n in range(count + 2)]

    shown = dashboard.representation(ask(world))["meetings"]

    assert [m.pk for m in shown] == [m.pk for m in made[:count]]


def test_reporters_count_only_meetings_with_approved_minutes(world, gov):
    draft = held(world, plan(world, gov, day=days(-30)))
    done = finished(world, plan(world, gov, day=days(-20)))
    approved = plan(world, gov, day=days(-10))
    approve(world, approved)
    # Approved once and being revised: what was approved stays readable.
    revised = plan(world, gov, day=days(-5))
    approve(world, revised)
    minutes.minutes_revise(actor=world.users["leader"], meeting=revised, reason="Rättelse")

    def seen(role):
        return {m.pk for m in dashboard.representation(ask(world, role))["meetings"]}

    assert seen("reporter") == {approved.pk, revised.pk}
    assert seen("steering") == {done.pk, approved.pk, revised.pk}
    assert seen("leader") == {draft.pk, done.pk, approved.pk, revised.pk}


def test_representation_follows_the_body_filter(world, gov):
    council = BodyFactory(tenant=world.tenant, name="Beredningsgruppen", code="BG")
    own = held(world, plan(world, gov, day=days(-10)))
    joint = held(world, plan(world, gov, day=days(-20), body=council, joint_bodies=[gov.body]))
    theirs = held(world, plan(world, gov, day=days(-30), body=council))

    def shown(body):
        return [m.pk for m in dashboard.representation(ask(world, body=body))["meetings"]]

    assert shown(gov.body) == [own.pk, joint.pk]
    assert shown(council) == [joint.pk, theirs.pk]


def test_the_representation_chart_says_how_many_of_the_meetings_each_attended(world, gov):
    held(world, plan(world, gov, day=days(-10)))
    meeting = plan(world, gov, day=days(-20))
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.member,
        status=AttendanceStatus.ABSENT,
    )
    held(world, meeting)

    chart = dashboard.representation(ask(world))["chart"]

    bars = {placed.bar.label: placed.bar for placed in chart.bars}
    assert bars[world.principal.name].text == "1/2"
    assert bars[world.principal.name].value == 50.0
    assert bars[world.other_principal.name].text == "0/2"


def test_the_representation_panel_without_held_meetings_says_so(world, gov, client_for):
    html = panel_html(client_for(world.users["reporter"]), world, "governance.representation")
    assert "<svg" not in html
    assert dashboard.representation(ask(world, "reporter"))["meetings"] == []


def test_the_representation_panel_has_a_table_per_principal_and_meeting(world, gov, client_for):
    approve(world, plan(world, gov, day=days(-10)))

    html = panel_html(client_for(world.users["reporter"]), world, "governance.representation")

    assert 'role="img"' in html
    assert world.principal.name in html and world.other_principal.name in html
    assert html.count("1/1") >= 2  # the chart's text and the table's total
    assert "0/1" in html
