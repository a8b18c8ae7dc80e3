"""Action items (uppdrag): an owner and a description are required, everything
belongs to one programme, and every status change is kept with who, when and
at which meeting."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from governance.models import ActionItem, ActionStatus, ActionStatusChange
from governance.services import DomainError, actions, meetings
from governance.services.decisions import decision_create
from portal.models import AuditEvent
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import BodyFactory
from tests.governance.service_helpers import audits, plan

pytestmark = pytest.mark.usefixtures("in_scope")


def create(world, gov, **kwargs) -> ActionItem:
    kwargs.setdefault("description", "Ta fram en kommunikationsplan.")
    return actions.action_create(actor=world.users["leader"], body=gov.body, **kwargs)


def nothing_written() -> bool:
    return (
        not ActionItem.objects.exists()
        and not ActionStatusChange.objects.exists()
        and not AuditEvent.objects.filter(object_type="governance.actionitem").exists()
    )


# Creating ----------------------------------------------------------------------


def test_an_assignment_must_have_an_owner(world, gov):
    with pytest.raises(DomainError):
        create(world, gov)

    assert nothing_written()


@pytest.mark.parametrize(
    "owner",
    ["person", "principal", "body", "all"],
)
def test_any_kind_of_owner_will_do(world, gov, owner):
    kwargs = {
        "person": {"owner_people": [gov.member]},
        "principal": {"owner_principal": world.principal},
        "body": {"owner_body": BodyFactory(tenant=world.tenant)},
        "all": {"owner_all": True},
    }[owner]

    action = create(world, gov, **kwargs)

    assert action.pk is not None
    assert action.status == ActionStatus.NOT_STARTED


@pytest.mark.parametrize("description", ["", "   "])
def test_an_assignment_needs_a_description(world, gov, description):
    with pytest.raises(DomainError):
        create(world, gov, description=description, owner_all=True)

    assert nothing_written()


def test_owners_of_another_programme_are_refused(world, gov, other_world, other_gov):
    for owner in (
        {"owner_people": [gov.member, PersonFactory(tenant=other_world.tenant)]},
        {"owner_principal": PrincipalFactory(tenant=other_world.tenant)},
        {"owner_body": other_gov.body},
    ):
        with pytest.raises(DomainError):
            create(world, gov, **owner)

    assert nothing_written()


def test_an_agenda_item_or_decision_of_another_programme_is_refused(
    world, gov, other_world, other_gov
):
    other_leader = other_world.users["leader"]
    with scope(tenant=other_world.tenant):
        meeting = plan(other_world, other_gov)
        item = meetings.agenda_item_add(actor=other_leader, meeting=meeting, title="Budget")
        decision = decision_create(actor=other_leader, meeting=meeting, text="Beslut.")

    for link in ({"agenda_item": item}, {"decision": decision}):
        with pytest.raises(DomainError):
            create(world, gov, owner_all=True, **link)

    assert nothing_written()


def test_due_date_and_by_the_next_meeting_together_are_refused(world, gov):
    with pytest.raises(ValidationError) as refused:
        create(
            world,
            gov,
            owner_all=True,
            due_date=datetime.date(2025, 4, 30),
            due_next_meeting=True,
        )

    assert "due_date" in refused.value.message_dict
    assert nothing_written()


def test_creating_records_the_first_status_and_the_meeting(world, gov):
    meeting = plan(world, gov)
    item = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Plan")
    decision = decision_create(
        actor=world.users["leader"], meeting=meeting, agenda_item=item, text="Beslut."
    )

    action = create(
        world,
        gov,
        description="  Återkom med förslag.  ",
        owner_people=[gov.member, gov.leader],
        owner_principal=world.principal,
        due_next_meeting=True,
        agenda_item=item,
        decision=decision,
    )

    action.refresh_from_db()
    assert action.description == "Återkom med förslag."
    assert set(action.owner_people.all()) == {gov.member, gov.leader}
    assert (action.agenda_item, action.decision) == (item, decision)
    [change] = action.status_changes.all()
    assert (change.from_status, change.to_status) == ("", ActionStatus.NOT_STARTED)
    assert change.changed_by == world.users["leader"]
    assert change.meeting == meeting
    [event] = audits(action)
    assert event.action == "action_item.create"
    assert event.after["due_next_meeting"] is True


# Status --------------------------------------------------------------------------


def test_a_status_change_is_recorded_with_who_and_at_which_meeting(world, gov):
    action = create(world, gov, owner_all=True)
    # Today's meeting: a change recorded at a past meeting is dated there (see
    # test_past_meetings), which is not what this test is about.
    today = timezone.localdate()
    meeting = plan(world, gov, day=(today.year, today.month, today.day))

    actions.action_set_status(
        actor=world.users["leader"], action=action, status=ActionStatus.IN_PROGRESS
    )
    actions.action_set_status(
        actor=world.users["leader"], action=action, status=ActionStatus.DONE, meeting=meeting
    )

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.status_changed_at is not None
    changes = list(action.status_changes.order_by("id"))
    assert [(c.from_status, c.to_status, c.meeting) for c in changes] == [
        ("", "ej_paborjad", None),
        ("ej_paborjad", "pagar", None),
        ("pagar", "klar", meeting),
    ]
    assert {c.changed_by for c in changes} == {world.users["leader"]}
    events = audits(action, "action_item.status.change")
    assert [(e.before["status"], e.after["status"]) for e in events] == [
        ("ej_paborjad", "pagar"),
        ("pagar", "klar"),
    ]


def test_setting_the_same_status_changes_nothing(world, gov):
    action = create(world, gov, owner_all=True)

    actions.action_set_status(
        actor=world.users["leader"], action=action, status=ActionStatus.NOT_STARTED
    )

    assert action.status_changes.count() == 1
    assert audits(action, "action_item.status.change") == []
    action.refresh_from_db()
    assert action.status_changed_at is None


def test_an_unknown_status_is_refused(world, gov):
    action = create(world, gov, owner_all=True)

    with pytest.raises(DomainError):
        actions.action_set_status(actor=world.users["leader"], action=action, status="glömd")

    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED
    assert action.status_changes.count() == 1


def test_a_stale_copy_records_the_real_previous_status(world, gov):
    """Two people change the status from the same page: the history says what
    each change really was."""
    action = create(world, gov, owner_all=True)
    stale = ActionItem.objects.get(pk=action.pk)
    actions.action_set_status(actor=world.users["leader"], action=action, status="pagar")

    actions.action_set_status(actor=world.users["leader"], action=stale, status="klar")

    last = action.status_changes.order_by("-id").first()
    assert (last.from_status, last.to_status) == ("pagar", "klar")


def test_a_stale_copy_setting_the_status_it_already_has_is_a_no_op(world, gov):
    action = create(world, gov, owner_all=True)
    stale = ActionItem.objects.get(pk=action.pk)
    actions.action_set_status(actor=world.users["leader"], action=action, status="pagar")

    actions.action_set_status(actor=world.users["leader"], action=stale, status="pagar")

    assert action.status_changes.count() == 2
    assert len(audits(action, "action_item.status.change")) == 1


def test_a_status_change_at_a_meeting_of_another_programme_is_refused(
    world, gov, other_world, other_gov
):
    action = create(world, gov, owner_all=True)
    with scope(tenant=other_world.tenant):
        foreign_meeting = plan(other_world, other_gov)

    with pytest.raises(DomainError):
        actions.action_set_status(
            actor=world.users["leader"], action=action, status="klar", meeting=foreign_meeting
        )

    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_open_means_not_started_or_in_progress(world, gov):
    action = create(world, gov, owner_all=True)
    assert action.is_open
    actions.action_set_status(actor=world.users["leader"], action=action, status="pagar")
    assert action.is_open
    actions.action_set_status(actor=world.users["leader"], action=action, status="aterrapporterad")
    assert not action.is_open
