"""Decisions: numbered per body and year (“SG 2025 §12”), under an agenda item
of the same meeting, repealed or replaced only by a later decision."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import Decision, DecisionStatus
from governance.services import DomainError, decisions, meetings
from portal.models import AuditEvent
from tests.governance.factories import BodyFactory, DecisionFactory, MeetingFactory
from tests.governance.service_helpers import at, audits, plan

pytestmark = pytest.mark.usefixtures("in_scope")


def decide(world, meeting, text="Styrgruppen beslutar att godkänna planen.", **kwargs):
    return decisions.decision_create(
        actor=world.users["leader"], meeting=meeting, text=text, **kwargs
    )


def test_decisions_are_numbered_per_body_and_year(world, gov):
    march = plan(world, gov, day=(2025, 3, 25))
    may = plan(world, gov, day=(2025, 5, 20))
    next_year = plan(world, gov, day=(2026, 1, 27))
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    network_meeting = plan(world, gov, body=network, day=(2025, 3, 26))

    first = decide(world, march)
    second = decide(world, march)
    third = decide(world, may)
    new_year = decide(world, next_year)
    own_series = decide(world, network_meeting)

    assert [first.reference, second.reference, third.reference] == [
        "SG 2025 §1",
        "SG 2025 §2",
        "SG 2025 §3",
    ]
    assert new_year.reference == "SG 2026 §1"
    assert own_series.reference == "SCN 2025 §1"
    assert (first.year, first.decided_on) == (2025, datetime.date(2025, 3, 25))


def test_a_joint_meeting_decision_by_the_second_body_is_numbered_in_its_series(world, gov):
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    decide(world, plan(world, gov, body=network, day=(2025, 2, 10)))
    joint = plan(world, gov, kind="gemensamt", joint_bodies=[network], day=(2025, 3, 25))

    by_steering = decide(world, joint)
    by_network = decide(world, joint, body=network)

    assert by_steering.reference == "SG 2025 §1"
    assert by_network.reference == "SCN 2025 §2"
    assert by_network.meeting == joint


def test_a_body_that_was_not_at_the_meeting_cannot_decide_there(world, gov):
    meeting = plan(world, gov)
    absent_body = BodyFactory(tenant=world.tenant)

    with pytest.raises(DomainError):
        decide(world, meeting, body=absent_body)

    assert not Decision.objects.exists()


def test_a_decision_under_an_agenda_item_of_another_meeting_is_refused(world, gov):
    meeting = plan(world, gov)
    other = plan(world, gov, day=(2025, 4, 22))
    foreign_item = meetings.agenda_item_add(
        actor=world.users["leader"], meeting=other, title="Budget"
    )

    with pytest.raises(DomainError):
        decide(world, meeting, agenda_item=foreign_item)

    assert not Decision.objects.exists()
    assert AuditEvent.objects.filter(object_type="governance.decision").count() == 0


@pytest.mark.parametrize("text", ["", "   \n"])
def test_a_decision_needs_text(world, gov, text):
    meeting = plan(world, gov)

    with pytest.raises(DomainError):
        decide(world, meeting, text=text)

    assert not Decision.objects.exists()


def test_a_decision_is_stripped_audited_and_under_its_item(world, gov):
    meeting = plan(world, gov)
    item = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Plan")

    decision = decide(world, meeting, text="  Planen godkänns.  ", agenda_item=item)

    decision.refresh_from_db()
    assert decision.text == "Planen godkänns."
    assert decision.agenda_item == item
    assert decision.status == DecisionStatus.IN_FORCE
    [event] = audits(decision)
    assert event.action == "decision.create" and event.after["number"] == 1


def test_a_decision_keeps_the_meeting_day_in_swedish_time(world, gov):
    """A meeting at 00:30 on 1 January is still 31 December in UTC."""
    starts = at(2026, 1, 1, 0, 30).astimezone(datetime.UTC)
    meeting = meetings.meeting_create(
        actor=world.users["leader"],
        body=gov.body,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )

    decision = decide(world, meeting)

    assert decision.reference == "SG 2026 §1"
    assert decision.decided_on == datetime.date(2026, 1, 1)


def test_decision_update_text_is_audited_and_needs_text(world, gov):
    meeting = plan(world, gov)
    decision = decide(world, meeting, text="Första lydelsen.")

    with pytest.raises(DomainError):
        decisions.decision_update_text(actor=world.users["leader"], decision=decision, text=" ")
    decisions.decision_update_text(
        actor=world.users["leader"], decision=decision, text="Andra lydelsen."
    )

    decision.refresh_from_db()
    assert decision.text == "Andra lydelsen."
    [event] = audits(decision, "decision.update")
    assert (event.before["text"], event.after["text"]) == ("Första lydelsen.", "Andra lydelsen.")


# Repeal and replace ------------------------------------------------------------


def test_a_later_decision_replaces_an_earlier_one(world, gov):
    old = decide(world, plan(world, gov, day=(2025, 3, 25)), text="Möten hålls i Nyköping.")
    new = decide(world, plan(world, gov, day=(2025, 9, 23)), text="Möten hålls digitalt.")

    decisions.decision_repeal(actor=world.users["leader"], decision=old, replaced_by=new)

    old.refresh_from_db()
    assert old.status == DecisionStatus.REPEALED
    assert old.replaced_by == new
    assert list(new.replaces.all()) == [old]
    [event] = audits(old, "decision.repeal")
    assert (event.before["status"], event.after["status"]) == ("gallande", "upphavd")
    assert event.after["replaced_by_id"] == new.pk


def test_a_decision_can_be_repealed_without_replacement(world, gov):
    decision = decide(world, plan(world, gov))

    decisions.decision_repeal(actor=world.users["leader"], decision=decision)

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.REPEALED
    assert decision.replaced_by is None


def test_an_earlier_decision_cannot_replace_a_later_one(world, gov):
    old = decide(world, plan(world, gov, day=(2025, 3, 25)))
    new = decide(world, plan(world, gov, day=(2025, 9, 23)))

    with pytest.raises(DomainError):
        decisions.decision_repeal(actor=world.users["leader"], decision=new, replaced_by=old)
    with pytest.raises(DomainError):
        decisions.decision_repeal(actor=world.users["leader"], decision=new, replaced_by=new)

    new.refresh_from_db()
    assert new.status == DecisionStatus.IN_FORCE and new.replaced_by is None


def test_a_decision_of_another_programme_cannot_replace(world, gov, other_gov, other_world):
    decision = decide(world, plan(world, gov, day=(2025, 3, 25)))
    foreign = DecisionFactory(
        meeting=MeetingFactory(body=other_gov.body, starts_at=at(2025, 10, 1)),
        decided_on=datetime.date(2025, 10, 1),
    )

    with pytest.raises(DomainError):
        decisions.decision_repeal(
            actor=world.users["leader"], decision=decision, replaced_by=foreign
        )

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_FORCE


def test_an_already_repealed_decision_is_refused(world, gov):
    decision = decide(world, plan(world, gov))
    decisions.decision_repeal(actor=world.users["leader"], decision=decision)

    with pytest.raises(DomainError):
        decisions.decision_repeal(actor=world.users["leader"], decision=decision)

    assert len(audits(decision, "decision.repeal")) == 1


def test_the_unique_number_is_enforced_by_the_database_too(world, gov):
    meeting = plan(world, gov)
    decide(world, meeting)

    with pytest.raises(ValidationError):
        Decision(
            tenant=world.tenant,
            body=gov.body,
            meeting=meeting,
            year=2025,
            number=1,
            text="Dubblett",
            decided_on=datetime.date(2025, 3, 25),
        ).full_clean()


def test_a_repealed_decision_cannot_replace_another(world, gov, in_scope):
    from django.utils import timezone

    from governance.services import DomainError
    from governance.services.decisions import decision_create, decision_repeal
    from governance.services.meetings import meeting_create

    leader = world.users["leader"]
    start = timezone.now()
    meeting = meeting_create(
        actor=leader, body=gov.body, starts_at=start, ends_at=start + timezone.timedelta(hours=1)
    )
    first = decision_create(actor=leader, meeting=meeting, text="Första beslutet.")
    second = decision_create(actor=leader, meeting=meeting, text="Andra beslutet.")
    third = decision_create(actor=leader, meeting=meeting, text="Tredje beslutet.")
    decision_repeal(actor=leader, decision=second, replaced_by=third)
    with pytest.raises(DomainError):
        decision_repeal(actor=leader, decision=first, replaced_by=second)
    first.refresh_from_db()
    assert first.status == "gallande"
