"""Approving the minutes (governance/views/signing.py): who may approve, and
what approval locks."""

from __future__ import annotations

import pytest
from django_scopes import scope, scopes_disabled

from governance.models import MinutesStatus, MinutesVersion
from governance.services import meetings
from portal.models import Role
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.governance.meetings.helpers import finish, snapshot, url, write_minutes
from tests.governance.signing_helpers import sign
from tests.helpers import in_swedish, reload, text


def test_the_approve_button_is_shown_only_to_whoever_may_approve(world, gov, meeting, client_for):
    finish(world, meeting)
    button = url("minutes_approve", world.tenant, meeting.pk)
    page = url("meeting_detail", world.tenant, meeting.pk)
    assert button in text(client_for(world.users["steering"]).get(page))  # the chair
    for role in ["leader", "researcher", "admin"]:
        assert button not in text(client_for(world.users[role]).get(page))


def test_the_chair_approves_and_the_minutes_are_locked(
    world, gov, meeting, item, client_for, leader
):
    write_minutes(world, item, "Justerad text")
    finish(world, meeting)
    response = sign(client_for(world.users["steering"]), meeting)  # the confirmation page
    assert response.status_code == 302
    fresh = reload(meeting)
    assert fresh.minutes_status == MinutesStatus.APPROVED
    with scopes_disabled():
        [version] = MinutesVersion.objects.filter(meeting=meeting)
    assert version.number == 1

    body = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    for name, pk in [
        ("agenda_item_edit", item.pk),
        ("decision_add", item.pk),
        ("action_add", item.pk),
        ("agenda_item_add", meeting.pk),
        ("attendance_add", meeting.pk),
        ("meeting_edit", meeting.pk),
        ("minutes_finish", meeting.pk),
    ]:
        assert url(name, world.tenant, pk) not in body, name
    assert url("minutes_revise", world.tenant, meeting.pk) in body
    assert url("meeting_version", world.tenant, meeting.pk, 1) in body
    assert in_swedish("Approved") in body


def test_an_appointed_justerare_signs_as_well_as_the_chair(world, gov, meeting, client_for):
    justerare_user = UserFactory(username="sormland-justerare")
    MembershipFactory(tenant=world.tenant, user=justerare_user, role=Role.STEERING_MEMBER)
    justerare = PersonFactory(tenant=world.tenant, name="Justerare", user=justerare_user)
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=meeting, person=justerare, status="narvarande"
        )
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=reload(meeting),
            expected_version=reload(meeting).version,
            adjusters=[justerare],
        )
    finish(world, meeting)
    chair = client_for(world.users["steering"])
    assert url("minutes_approve", world.tenant, meeting.pk) in text(
        chair.get(url("meeting_detail", world.tenant, meeting.pk))
    )
    assert sign(chair, meeting).status_code == 302
    assert reload(meeting).minutes_status == MinutesStatus.FINISHED  # the justerare has not signed
    assert url("minutes_approve", world.tenant, meeting.pk) not in text(
        chair.get(url("meeting_detail", world.tenant, meeting.pk))
    )
    response = sign(client_for(justerare_user), meeting)
    assert response["Location"] == url("meeting_detail", world.tenant, meeting.pk)
    assert reload(meeting).minutes_status == MinutesStatus.APPROVED
    assert reload(meeting).approved_by_person == justerare  # the last to sign


@pytest.mark.parametrize("role", ["reporter", "researcher", "admin"])
def test_approving_needs_the_role(world, meeting, client_for, role):
    finish(world, meeting)
    before = snapshot()
    assert (
        client_for(world.users[role])
        .post(url("minutes_approve", world.tenant, meeting.pk))
        .status_code
        == 403
    )
    assert snapshot() == before


def test_approving_draft_minutes_is_refused(world, meeting, client_for):
    before = snapshot()
    response = client_for(world.users["steering"]).post(
        url("minutes_approve", world.tenant, meeting.pk)
    )
    assert response.status_code == 302
    assert reload(meeting).minutes_status == MinutesStatus.DRAFT
    assert snapshot() == before


def test_approving_another_programmes_minutes_is_404(world, other_world, foreign, client_for):
    finish(other_world, foreign)
    response = client_for(world.users["steering"]).post(
        url("minutes_approve", world.tenant, foreign.pk)
    )
    assert response.status_code == 404
    assert reload(foreign).minutes_status == MinutesStatus.FINISHED
