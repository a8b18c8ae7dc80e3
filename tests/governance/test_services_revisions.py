"""Revising approved minutes (issue 18, item 1): the revision is made in draft
copies of the minutes' rows, readers keep the approved minutes until the
revision is approved, and approving it writes the drafts back."""

from __future__ import annotations

import datetime

import pytest

from governance.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MinutesStatus,
    MinutesVersion,
)
from governance.selectors.actions import action_items
from governance.selectors.decisions import decision_register
from governance.services import LockedError, meetings, minutes
from governance.services.actions import action_set_archived, action_set_status, action_update
from governance.services.decisions import decision_create, decision_update_text
from governance.services.risks import risk_create
from tests.governance.service_helpers import approve, at, plan

pytestmark = pytest.mark.usefixtures("in_scope")

READER = (MinutesStatus.FINISHED, MinutesStatus.APPROVED)


@pytest.fixture
def approved(world, gov) -> Meeting:
    """Approved minutes with an item, a decision, an assignment and attendance."""
    leader = world.users["leader"]
    meeting = plan(world, gov)
    item = meetings.agenda_item_add(
        actor=leader, meeting=meeting, title="Processplan", minutes="Planen presenterades."
    )
    decision = decision_create(actor=leader, meeting=meeting, agenda_item=item, text="Beslut A")
    meetings.agenda_action_create(
        actor=leader,
        item=item,
        decision=decision,
        description="Återkoppla till nästa möte",
        owner_principal=world.principal,
    )
    approve(world, meeting)
    return Meeting.objects.get(pk=meeting.pk)


def revise(world, meeting: Meeting) -> Meeting:
    minutes.minutes_revise(actor=world.users["leader"], meeting=meeting, reason="Rättelse")
    return Meeting.objects.get(pk=meeting.pk)


def draft_of(model, original):
    return model.all_rows.get(draft_of=original)


def test_revising_copies_every_row_into_a_draft_and_hides_the_drafts(world, approved):
    counts = {
        m: m.objects.filter(
            **({"agenda_item__meeting": approved} if m is ActionItem else {"meeting": approved})
        ).count()
        for m in (AgendaItem, Decision, ActionItem, Attendance)
    }
    meeting = revise(world, approved)

    assert meeting.revising
    for model, count in counts.items():
        drafts = model.all_rows.filter(revision_draft=True)
        assert drafts.count() == count > 0
        assert all(d.draft_of_id for d in drafts)
        # The default manager, which every reader uses, leaves them out.
        assert not model.objects.filter(revision_draft=True).exists()


def test_edits_in_a_revision_are_not_read_until_it_is_approved(world, approved):
    leader = world.users["leader"]
    meeting = revise(world, approved)
    item = AgendaItem.objects.get(meeting=meeting)
    decision = Decision.objects.get(meeting=meeting)
    draft_item = draft_of(AgendaItem, item)
    meetings.agenda_item_update(
        actor=leader,
        item=draft_item,
        expected_version=draft_item.version,
        title="Processplan (rättad)",
        minutes="Den rättade planen presenterades.",
    )
    decision_update_text(actor=leader, decision=draft_of(Decision, decision), text="Beslut A2")
    new = decision_create(actor=leader, meeting=meeting, agenda_item=draft_item, text="Beslut B")
    assert new.number == decision.number + 1

    item.refresh_from_db()
    decision.refresh_from_db()
    assert (item.title, item.minutes) == ("Processplan", "Planen presenterades.")
    assert decision.text == "Beslut A"
    register = decision_register(tenant=world.tenant, minutes_statuses=READER)
    assert [d.text for d in register] == ["Beslut A"]

    approve(world, meeting)

    item.refresh_from_db()
    decision.refresh_from_db()
    assert (item.title, item.minutes) == (
        "Processplan (rättad)",
        "Den rättade planen presenterades.",
    )
    assert decision.text == "Beslut A2"
    register = decision_register(tenant=world.tenant, minutes_statuses=READER)
    assert sorted(d.text for d in register) == ["Beslut A2", "Beslut B"]
    # The new decision hangs under the approved item, which keeps its id.
    assert Decision.objects.get(text="Beslut B").agenda_item_id == item.pk
    assert not any(
        m.all_rows.filter(revision_draft=True).exists()
        for m in (AgendaItem, Decision, ActionItem, Attendance)
    )
    versions = MinutesVersion.objects.filter(meeting=meeting).order_by("number")
    assert [v.content["agenda"][0]["title"] for v in versions] == [
        "Processplan",
        "Processplan (rättad)",
    ]


def test_a_new_assignment_in_a_revision_is_not_on_the_principals_list_until_approved(
    world, approved
):
    meeting = revise(world, approved)
    draft_item = draft_of(AgendaItem, AgendaItem.objects.get(meeting=meeting))
    meetings.agenda_action_create(
        actor=world.users["leader"],
        item=draft_item,
        description="Nytt uppdrag",
        owner_principal=world.principal,
    )

    def owned() -> list[str]:
        qs = action_items(tenant=world.tenant, minutes_statuses=READER, principal=world.principal)
        return sorted(a.description for a in qs)

    assert owned() == ["Återkoppla till nästa möte"]
    approve(world, meeting)
    assert owned() == ["Nytt uppdrag", "Återkoppla till nästa möte"]


def test_the_approved_rows_are_locked_while_the_minutes_are_revised(world, approved):
    leader = world.users["leader"]
    meeting = revise(world, approved)
    item = AgendaItem.objects.get(meeting=meeting)
    decision = Decision.objects.get(meeting=meeting)
    action = ActionItem.objects.get(agenda_item=item)

    with pytest.raises(LockedError):
        meetings.agenda_item_update(
            actor=leader, item=item, expected_version=item.version, title="X"
        )
    with pytest.raises(LockedError):
        decision_update_text(actor=leader, decision=decision, text="X")
    with pytest.raises(LockedError):
        action_update(actor=leader, action=action, description="X", owner_all=True)
    with pytest.raises(LockedError):
        decision_create(actor=leader, meeting=meeting, agenda_item=item, text="X")
    item.refresh_from_db()
    assert item.title == "Processplan"


def test_an_assignments_status_is_not_part_of_the_revision(world, approved):
    """Status is the register's: changed on a draft, it changes the approved
    assignment at once, and approving the revision does not undo it."""
    meeting = revise(world, approved)
    action = ActionItem.objects.get(agenda_item__meeting=meeting)
    draft = draft_of(ActionItem, action)

    action_set_status(actor=world.users["leader"], action=draft, status=ActionStatus.DONE)
    action.refresh_from_db()
    draft.refresh_from_db()
    assert action.status == draft.status == ActionStatus.DONE

    action_set_status(actor=world.users["leader"], action=action, status=ActionStatus.REPORTED)
    approve(world, meeting)
    action.refresh_from_db()
    assert action.status == ActionStatus.REPORTED
    assert action.status_changes.count() == 3  # given, done, reported: none lost


def test_the_meetings_facts_change_with_the_revisions_approval(world, approved):
    meeting = revise(world, approved)
    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=meeting.version,
        title="Styrgruppsmöte (rättat)",
        place="Nyköping",
        starts_at=at(2025, 3, 26, 9),
        ends_at=at(2025, 3, 26, 11),
    )
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.title, stored.place) == ("", "")
    assert stored.starts_at == at(2025, 3, 25)
    revised = stored.with_revision_facts()
    assert (revised.title, revised.place) == ("Styrgruppsmöte (rättat)", "Nyköping")

    approve(world, stored)

    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.title, stored.place) == ("Styrgruppsmöte (rättat)", "Nyköping")
    assert stored.starts_at == at(2025, 3, 26, 9)
    assert stored.revision_facts == {}


def test_attendance_changed_in_a_revision_waits_for_approval(world, gov, approved):
    meeting = revise(world, approved)
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.member,
        status=AttendanceStatus.ABSENT,
    )
    assert Attendance.objects.get(meeting=meeting, person=gov.member).status == (
        AttendanceStatus.PRESENT
    )
    approve(world, meeting)
    assert Attendance.objects.get(meeting=meeting, person=gov.member).status == (
        AttendanceStatus.ABSENT
    )
    assert Attendance.all_rows.filter(meeting=meeting).count() == 3


def test_a_risk_raised_under_a_draft_item_belongs_to_the_approved_item(world, approved):
    meeting = revise(world, approved)
    item = AgendaItem.objects.get(meeting=meeting)
    new = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Ny punkt")
    risk = risk_create(
        actor=world.users["leader"],
        tenant=world.tenant,
        title="Risk",
        category="resurser",
        likelihood=2,
        consequence=2,
        raised_at=new,
    )
    approve(world, meeting)
    risk.refresh_from_db()
    # The new item became an ordinary row of the minutes, with its id.
    assert risk.raised_at_id == new.pk
    assert AgendaItem.objects.filter(pk=new.pk).exists()
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2
    assert item.pk != new.pk


def test_an_archived_draft_archives_the_approved_row(world, approved):
    meeting = revise(world, approved)
    action = ActionItem.objects.get(agenda_item__meeting=meeting)
    action_set_archived(
        actor=world.users["leader"], action=draft_of(ActionItem, action), archived=True
    )
    action.refresh_from_db()
    assert action.archived_at is None
    approve(world, meeting)
    action.refresh_from_db()
    assert action.archived_at is not None
    assert datetime.date.today() >= action.archived_at.date()
