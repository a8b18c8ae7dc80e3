"""The governance panels of the dashboards (governance/dashboard.py): open
risks in the matrix, open and overdue action items, upcoming meetings and
minutes awaiting approval, representation per principal, and a principal's
action items and attendance record.

Each panel reads what the member may read on the governance pages, answers to
the dashboard's filters, and runs a fixed number of queries whatever the
size of the programme (pinned at two sizes at the end)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

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
    RiskStatus,
)
from governance.selectors import dashboard
from governance.services import actions, meetings, minutes, risks
from portal.dashboards.cache import invalidate as dashboards_invalidate
from portal.dashboards.registry import PRINCIPAL, PROGRAMME, Filters, PanelRequest, get_panel
from portal.models import Person, Principal
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import (
    AgendaItemFactory,
    BodyFactory,
    BodyMemberFactory,
    MeetingFactory,
)
from tests.governance.service_helpers import approve, plan
from tests.helpers import HTMX as HX

pytestmark = pytest.mark.usefixtures("in_scope")


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


def test_the_risk_matrix_places_the_open_risks_by_likelihood_and_consequence(world, gov):
    raise_risk(world, "Svagt ägarskap", likelihood=3, consequence=4)
    raise_risk(world, "Hanteras redan", likelihood=1, consequence=1, status=RiskStatus.MANAGED)
    raise_risk(world, "Har inträffat", likelihood=4, consequence=4, status=RiskStatus.OCCURRED)
    raise_risk(world, "Stängd", likelihood=3, consequence=4, status=RiskStatus.CLOSED)
    archived = raise_risk(world, "Arkiverad", likelihood=3, consequence=4)
    risks.risk_set_archived(actor=world.users["leader"], risk=archived, archived=True)

    matrix = dashboard.open_risks(ask(world))["matrix"]

    assert matrix.total == 3
    cells = {(c.likelihood, c.consequence): c for row in matrix.rows for c in row.cells}
    assert [r.title for r in cells[(3, 4)].risks] == ["Svagt ägarskap"]
    assert [r.title for r in cells[(1, 1)].risks] == ["Hanteras redan"]
    assert [r.title for r in cells[(4, 4)].risks] == ["Har inträffat"]
    assert sum(c.count for c in cells.values()) == 3


def test_the_risk_matrix_never_shows_another_programmes_risks(world, gov, other_world):
    raise_risk(world, "Vår risk")
    with scope(tenant=other_world.tenant):
        raise_risk(other_world, "Deras risk")

    assert titles(dashboard.open_risks(ask(world))["matrix"]) == {"Vår risk"}


def test_the_body_filter_keeps_risks_raised_at_the_bodys_meetings_joint_ones_too(world, gov):
    council = BodyFactory(tenant=world.tenant, name="Beredningsgruppen", code="BG")
    network = BodyFactory(tenant=world.tenant, name="Nätverket", code="NV")
    own = AgendaItemFactory(meeting=MeetingFactory(body=gov.body))
    theirs = AgendaItemFactory(meeting=MeetingFactory(body=council))
    joint_meeting = MeetingFactory(body=council)
    joint_meeting.joint_bodies.set([gov.body, network])
    joint = AgendaItemFactory(meeting=joint_meeting)
    # Convened by the steering group together with two others: one row, not three.
    convened = MeetingFactory(body=gov.body)
    convened.joint_bodies.set([council, network])
    together = AgendaItemFactory(meeting=convened)
    raise_risk(world, "Vid styrgruppen", at_item=own)
    raise_risk(world, "Vid beredningen", at_item=theirs)
    raise_risk(world, "Vid gemensamt möte", at_item=joint)
    raise_risk(world, "Styrgruppen sammankallade", at_item=together)
    raise_risk(world, "Inte vid något möte")

    steering = dashboard.open_risks(ask(world, body=gov.body))["matrix"]
    preparing = dashboard.open_risks(ask(world, body=council))["matrix"]
    everything = dashboard.open_risks(ask(world))["matrix"]

    assert titles(steering) == {
        "Vid styrgruppen",
        "Vid gemensamt möte",
        "Styrgruppen sammankallade",
    }
    assert steering.total == 3
    assert titles(preparing) == {
        "Vid beredningen",
        "Vid gemensamt möte",
        "Styrgruppen sammankallade",
    }
    assert everything.total == 5


def test_the_risk_panel_renders_the_matrix_with_the_body_filter(world, gov, client_for):
    raise_risk(
        world, "Vid styrgruppen", at_item=AgendaItemFactory(meeting=MeetingFactory(body=gov.body))
    )
    raise_risk(world, "Utan möte")
    client = client_for(world.users["steering"])

    everything = panel_html(client, world, "governance.risks")
    steering = panel_html(client, world, "governance.risks", f"?body={gov.body.pk}")

    assert "Vid styrgruppen" in everything and "Utan möte" in everything
    assert "Vid styrgruppen" in steering and "Utan möte" not in steering


def test_another_programmes_body_is_no_filter_and_shows_nothing_of_theirs(
    world, gov, other_world, other_gov, client_for
):
    raise_risk(world, "Vår risk")
    with scope(tenant=other_world.tenant):
        theirs = AgendaItemFactory(meeting=MeetingFactory(body=other_gov.body))
        raise_risk(other_world, "Deras risk", at_item=theirs)
    client = client_for(world.users["leader"])

    html = panel_html(client, world, "governance.risks", f"?body={other_gov.body.pk}")

    assert "Vår risk" in html  # the unknown body is dropped: every body's risks
    assert "Deras risk" not in html


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


def test_open_items_are_counted_per_status_and_done_ones_not_at_all(world, gov):
    assign(world, gov)
    assign(world, gov)
    assign(world, gov, status=ActionStatus.IN_PROGRESS)
    assign(world, gov, status=ActionStatus.DONE)
    assign(world, gov, status=ActionStatus.REPORTED)
    archived = assign(world, gov)
    actions.action_set_archived(actor=world.users["leader"], action=archived, archived=True)

    data = dashboard.open_actions(ask(world))

    assert data["open"] == 3
    by_status = {c.status: c.count for c in data["counts"].by_status}
    assert by_status == {
        ActionStatus.NOT_STARTED: 2,
        ActionStatus.IN_PROGRESS: 1,
        ActionStatus.DONE: 0,
        ActionStatus.REPORTED: 0,
    }
    assert data["counts"].overdue == 0
    assert data["overdue"] == []


def test_items_past_their_due_date_are_overdue_unless_done(world, gov):
    yesterday = today() - datetime.timedelta(days=1)
    late = assign(world, gov, due_date=yesterday)
    late_in_progress = assign(world, gov, due_date=yesterday, status=ActionStatus.IN_PROGRESS)
    assign(world, gov, due_date=today())
    assign(world, gov, due_date=today() + datetime.timedelta(days=1))
    assign(world, gov, due_date=yesterday, status=ActionStatus.DONE)
    assign(world, gov, due_date=yesterday, status=ActionStatus.REPORTED)

    data = dashboard.open_actions(ask(world))

    assert data["open"] == 4
    assert data["counts"].overdue == 2
    assert {a.pk for a in data["overdue"]} == {late.pk, late_in_progress.pk}


def test_overdue_is_judged_on_the_dashboards_day(world, gov):
    due = assign(world, gov, due_date=today() + datetime.timedelta(days=3))

    assert dashboard.open_actions(ask(world))["overdue"] == []
    later = ask(world, on=today() + datetime.timedelta(days=4))
    assert [a.pk for a in dashboard.open_actions(later)["overdue"]] == [due.pk]


def test_by_the_next_meeting_is_overdue_once_a_later_meeting_was_held(world, gov):
    first = held(world, plan(world, gov, day=days(-60)))
    item = meetings.agenda_item_add(actor=world.users["leader"], meeting=first, title="Lägesbild")
    by_next = meetings.agenda_action_create(
        actor=world.users["leader"],
        item=item,
        owner_all=True,
        description="Till nästa möte",
        due_next_meeting=True,
    )
    plan(world, gov, day=days(10))  # the next meeting is only planned
    assert dashboard.open_actions(ask(world))["counts"].overdue == 0

    held(world, plan(world, gov, day=days(-30)))

    data = dashboard.open_actions(ask(world))
    assert data["counts"].overdue == 1
    assert [a.pk for a in data["overdue"]] == [by_next.pk]


def test_the_overdue_list_shows_those_due_longest_ago_first_and_is_capped(world, gov):
    shown = dashboard.OVERDUE_SHOWN
    made = [
        assign(world, gov, due_date=today() - datetime.timedelta(days=n + 1))
        for n in range(shown + 2)
    ]

    data = dashboard.open_actions(ask(world))

    assert data["counts"].overdue == shown + 2
    assert len(data["overdue"]) == shown
    oldest_first = sorted(made, key=lambda a: a.due_date)[:shown]
    assert [a.pk for a in data["overdue"]] == [a.pk for a in oldest_first]


def test_items_from_draft_minutes_count_for_process_leaders_only(world, gov):
    meeting = held(world, plan(world, gov, day=days(-7)))
    item = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Beslut")
    meetings.agenda_action_create(
        actor=world.users["leader"],
        item=item,
        owner_all=True,
        description="Ur utkastet",
        due_date=today() - datetime.timedelta(days=1),
    )
    assign(world, gov, description="Utan möte")

    leader = dashboard.open_actions(ask(world, "leader"))
    steering = dashboard.open_actions(ask(world, "steering"))
    assert (leader["open"], leader["counts"].overdue) == (2, 1)
    assert (steering["open"], steering["counts"].overdue) == (1, 0)

    finished(world, meeting)

    steering = dashboard.open_actions(ask(world, "steering"))
    assert (steering["open"], steering["counts"].overdue) == (2, 1)
    assert [a.description for a in steering["overdue"]] == ["Ur utkastet"]


def test_the_actions_panel_hides_draft_items_from_steering_members(world, gov, client_for):
    meeting = held(world, plan(world, gov, day=days(-7)))
    item = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Beslut")
    meetings.agenda_action_create(
        actor=world.users["leader"],
        item=item,
        owner_all=True,
        description="Hemligt ur utkastet",
        due_date=today() - datetime.timedelta(days=1),
    )

    leader = panel_html(client_for(world.users["leader"]), world, "governance.actions")
    steering = panel_html(client_for(world.users["steering"]), world, "governance.actions")

    assert "Hemligt ur utkastet" in leader
    assert "Hemligt ur utkastet" not in steering


def test_the_body_filter_keeps_items_followed_up_or_owned_by_the_body(world, gov):
    council = BodyFactory(tenant=world.tenant, name="Beredningsgruppen", code="BG")
    late = today() - datetime.timedelta(days=1)
    followed = assign(world, gov, due_date=late, description="Styrgruppen följer upp")
    owned = assign(world, gov, body=council, owner_all=False, owner_body=gov.body, due_date=late)
    theirs = assign(world, gov, body=council, due_date=late, description="Beredningens")

    def overdue(body):
        return {a.pk for a in dashboard.open_actions(ask(world, body=body))["overdue"]}

    assert overdue(gov.body) == {followed.pk, owned.pk}
    assert overdue(council) == {owned.pk, theirs.pk}
    assert overdue(None) == {followed.pk, owned.pk, theirs.pk}
    assert dashboard.open_actions(ask(world, body=gov.body))["open"] == 2


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


# Representation ------------------------------------------------------------------


def represented(world, role="leader", **kwargs) -> dict[str, tuple[bool, ...]]:
    data = dashboard.representation(ask(world, role, **kwargs))
    return {row.principal.name: row.attended for row in data["rows"]}


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


# The panel cache -----------------------------------------------------------------


@pytest.fixture
def caching(settings, world):
    """Panels cached at once after a write (no settling time), as in a
    quiet programme some seconds after the last change — also for the
    versions the scene's own writes set before this fixture ran."""
    settings.DASHBOARD_CACHE_SECONDS = 300
    settings.DASHBOARD_CACHE_SETTLE_SECONDS = 0
    for app_label in ("portal", "governance", "implementation"):
        dashboards_invalidate(world.tenant.pk, app_label)


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
    ("governance.actions", PROGRAMME, 3),
    ("governance.meetings", PROGRAMME, 7),
    ("governance.representation", PROGRAMME, 3),
    ("governance.events", PROGRAMME, 1),
    ("governance.principal_report_back", PRINCIPAL, 4),
    ("governance.principal_actions", PRINCIPAL, 2),
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
