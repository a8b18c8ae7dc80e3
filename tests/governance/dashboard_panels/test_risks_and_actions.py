"""The governance panels of open risks and of open and overdue action items."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scope

from governance.models import ActionStatus, RiskStatus
from governance.selectors import dashboard
from governance.services import actions, meetings, risks
from tests.governance.dashboard_panels.helpers import (
    ask,
    assign,
    days,
    finished,
    held,
    panel_html,
    raise_risk,
    titles,
    today,
)
from tests.governance.factories import AgendaItemFactory, BodyFactory, MeetingFactory
from tests.governance.service_helpers import plan

pytestmark = pytest.mark.usefixtures("in_scope")


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
