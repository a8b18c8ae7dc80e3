"""A principal's governance panels."""

from __future__ import annotations

import pytest

from governance.models import ActionStatus, AttendanceStatus
from governance.selectors import dashboard
from governance.services import meetings
from tests.factories import PersonFactory
from tests.governance.dashboard_panels.helpers import ask, assign, days, held, panel_html
from tests.governance.factories import BodyFactory
from tests.governance.service_helpers import approve, plan

pytestmark = pytest.mark.usefixtures("in_scope")


# A principal's panels ----------------------------------------------------------


def test_a_principals_open_items_are_those_it_or_its_people_own(world, gov):
    colleague = PersonFactory(tenant=world.tenant, name="Kollega", principal=world.principal)
    outsider = PersonFactory(tenant=world.tenant, name="Annan", principal=world.other_principal)
    by_principal = assign(world, gov, owner_all=False, owner_principal=world.principal)
    by_person = assign(world, gov, owner_all=False, owner_people=[colleague, outsider])
    assign(world, gov, owner_all=False, owner_principal=world.other_principal)
    assign(world, gov, owner_all=False, owner_people=[outsider])
    assign(world, gov, owner_all=False, owner_principal=world.principal, status=ActionStatus.DONE)

    data = dashboard.principal_open_actions(ask(world, principal=world.principal))

    assert {a.pk for a in data["actions"]} == {by_principal.pk, by_person.pk}


def test_a_principals_items_follow_minutes_readability_and_the_body_filter(world, gov):
    council = BodyFactory(tenant=world.tenant, name="Beredningsgruppen", code="BG")
    meeting = held(world, plan(world, gov, day=days(-7)))
    item = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Beslut")
    drafted = meetings.agenda_action_create(
        actor=world.users["leader"],
        item=item,
        owner_principal=world.principal,
        description="Utkast",
    )
    elsewhere = assign(world, gov, body=council, owner_all=False, owner_principal=world.principal)

    def listed(role, body=None):
        data = dashboard.principal_open_actions(
            ask(world, role, principal=world.principal, body=body)
        )
        return {a.pk for a in data["actions"]}

    assert listed("leader") == {drafted.pk, elsewhere.pk}
    assert listed("steering") == {elsewhere.pk}
    assert listed("leader", body=council) == {elsewhere.pk}


def test_the_attendance_record_follows_the_period_filter(world, gov, client_for):
    recent = held(world, plan(world, gov, day=days(-30)))
    old = held(world, plan(world, gov, day=days(-300)))

    short = dashboard.principal_attendance_record(ask(world, principal=world.principal, months=6))
    long = dashboard.principal_attendance_record(ask(world, principal=world.principal, months=24))

    assert short["months"] == 6 and long["months"] == 24
    assert [row.meeting.pk for row in short["meetings"]] == [recent.pk]
    assert [row.meeting.pk for row in long["meetings"]] == [recent.pk, old.pk]
    assert short["represented_count"] == 1 and long["represented_count"] == 2
    assert [a.person for a in short["meetings"][0].present] == [gov.member]

    html = panel_html(
        client_for(world.users["leader"]),
        world,
        "governance.principal_attendance",
        "?period=6",
        principal=world.principal,
    )
    assert "in the last 6 months" in html
    assert recent.display_title in html and old.display_title not in html


def test_the_attendance_record_for_a_reporter_has_approved_minutes_only(world, gov):
    approve(world, plan(world, gov, day=days(-30)))
    held(world, plan(world, gov, day=days(-20)))

    record = dashboard.principal_attendance_record(
        ask(world, "reporter", principal=world.principal)
    )

    assert len(record["meetings"]) == 1


def test_the_attendance_record_counts_absence_and_other_principals_apart(world, gov):
    meeting = plan(world, gov, day=days(-10))
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.member,
        status=AttendanceStatus.ABSENT,
    )
    held(world, meeting)

    record = dashboard.principal_attendance_record(ask(world, principal=world.principal))
    other = dashboard.principal_attendance_record(ask(world, principal=world.other_principal))

    assert record["represented_count"] == 0
    assert [a.person for a in record["meetings"][0].absent] == [gov.member]
    assert other["meetings"][0].present == [] and other["meetings"][0].absent == []
