"""The pages of a revision of approved minutes (issue 18, item 1): its editors
work on the revision's drafts, its signatories read it once it is finished,
and everyone else reads the approved minutes until the revision is approved."""

from __future__ import annotations

import html

import pytest
from django_scopes import scope, scopes_disabled

from governance.models import ActionItem, AgendaItem, Decision, Meeting
from governance.services import meetings, minutes
from governance.services.decisions import decision_create
from tests.governance.service_helpers import approve, person_with_login, plan
from tests.helpers import in_swedish, url_in

APPROVED_TEXT = "Planen presenterades."
REVISED_TEXT = "Den rättade planen presenterades."


url = url_in("governance")


@pytest.fixture
def revised(world, gov) -> Meeting:
    """Approved minutes, reopened, with the item's minutes and a new decision
    changed in the revision."""
    leader = world.users["leader"]
    with scope(tenant=world.tenant):
        meeting = plan(world, gov)
        item = meetings.agenda_item_add(
            actor=leader, meeting=meeting, title="Processplan", minutes=APPROVED_TEXT
        )
        decision = decision_create(actor=leader, meeting=meeting, agenda_item=item, text="Beslut A")
        meetings.agenda_action_create(
            actor=leader, item=item, decision=decision, description="Uppdrag A", owner_all=True
        )
        approve(world, meeting)
        minutes.minutes_revise(actor=leader, meeting=meeting, reason="Rättelse")
        draft = AgendaItem.all_rows.get(draft_of=item)
        meetings.agenda_item_update(
            actor=leader, item=draft, expected_version=draft.version, minutes=REVISED_TEXT
        )
        decision_create(actor=leader, meeting=meeting, agenda_item=draft, text="Beslut B")
        return Meeting.objects.get(pk=meeting.pk)


def page(client, world, meeting: Meeting) -> str:
    response = client.get(url("meeting_detail", world.tenant, meeting.pk))
    assert response.status_code == 200
    return response.content.decode()


def test_the_process_leader_works_on_the_revision(world, revised, client_for):
    body = page(client_for(world.users["leader"]), world, revised)
    assert REVISED_TEXT in body and "Beslut B" in body


@pytest.mark.parametrize("role", ["steering", "reporter", "researcher", "admin"])
def test_everyone_else_reads_the_approved_minutes(world, revised, client_for, role):
    body = page(client_for(world.users[role]), world, revised)
    assert APPROVED_TEXT in body
    assert REVISED_TEXT not in body and "Beslut B" not in body


def test_a_signatory_reads_the_revision_once_it_is_finished(world, gov, revised, client_for):
    with scope(tenant=world.tenant):
        justerare, membership = person_with_login(world, "Justerare Test")
        _member, other_membership = person_with_login(world, "Ledamot Test Två")
        meetings.attendance_set(
            actor=world.users["leader"], meeting=revised, person=justerare, status="narvarande"
        )
        revised.adjusters.set([justerare])
    other = client_for(other_membership.user)  # a steering member who does not sign
    signer = client_for(membership.user)
    assert REVISED_TEXT not in page(signer, world, revised)  # a draft is not theirs yet

    with scope(tenant=world.tenant):
        minutes.minutes_finish(actor=world.users["leader"], meeting=revised)

    assert REVISED_TEXT not in page(other, world, revised)
    body = page(signer, world, revised)
    assert REVISED_TEXT in body


def test_the_registers_list_the_approved_decisions_only(world, revised, client_for):
    for role in ["leader", "steering"]:
        body = client_for(world.users[role]).get(url("decision_list", world.tenant)).content
        assert b"Beslut A" in body and b"Beslut B" not in body, role


def test_a_draft_is_not_found_by_its_id(world, revised, client_for):
    with scopes_disabled():
        action = ActionItem.all_rows.get(revision_draft=True, description="Uppdrag A")
    response = client_for(world.users["steering"]).get(
        url("action_detail", world.tenant, action.pk)
    )
    assert response.status_code == 404


def test_editing_the_approved_row_during_a_revision_is_refused(world, revised, client_for):
    leader = client_for(world.users["leader"])
    with scopes_disabled():
        item = AgendaItem.objects.get(meeting=revised)
        decision = Decision.objects.get(meeting=revised, text="Beslut A")
    response = leader.post(
        url("agenda_item_edit", world.tenant, item.pk),
        {"title": "Ändrad", "kind": "information", "minutes": "X", "version": item.version},
    )
    assert response.status_code == 200
    locked = (
        "The minutes are being revised. Make the change in the revision, on the meeting's page."
    )
    assert in_swedish(locked) in html.unescape(response.content.decode())
    response = leader.post(url("decision_edit", world.tenant, decision.pk), {"text": "X"})
    assert response.status_code == 200
    with scopes_disabled():
        item.refresh_from_db()
        decision.refresh_from_db()
    assert item.minutes == APPROVED_TEXT and decision.text == "Beslut A"


def test_the_revision_is_edited_through_the_page_and_approved(world, revised, client_for):
    leader = client_for(world.users["leader"])
    with scopes_disabled():
        draft = AgendaItem.all_rows.get(
            meeting=revised, revision_draft=True, draft_of__isnull=False
        )
    response = leader.post(
        url("agenda_item_edit", world.tenant, draft.pk),
        {
            "title": "Processplan",
            "kind": "information",
            "minutes": "Tredje lydelsen",
            "version": draft.version,
        },
    )
    assert response.status_code == 302
    with scope(tenant=world.tenant):
        approve(world, Meeting.objects.get(pk=revised.pk))
    body = page(client_for(world.users["reporter"]), world, revised)
    assert "Tredje lydelsen" in body and "Beslut B" in body
