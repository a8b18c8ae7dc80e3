"""An invited login is the person it is linked to (issue 12, item 1). Not a
seeded login: a member added on the member page by e-mail. Whoever the
directory names — the appointed justerare, or the body's chair when none is
appointed — is who approves, once the login is linked to that person; before
the link the same login cannot. And an invited member can be named wherever
the programme names people, and is suggested as the author of their report."""

from __future__ import annotations

import datetime
import re

import pytest
from django_scopes import scope, scopes_disabled

from governance.models import Meeting, MinutesStatus
from governance.selectors.signing import minutes_approval
from governance.services import meetings, minutes
from portal.models import Membership, Person, Role, User
from tests.factories import PersonFactory
from tests.governance import service_helpers
from tests.governance.factories import BodyFactory, BodyMemberFactory
from tests.governance.signing_helpers import sign
from tests.helpers import reload, text, url_in

url = url_in("governance")
portal_url = url_in("portal")


def invite(client, world, email: str) -> tuple[User, Membership]:
    """The programme administrator adds a member by e-mail on the member page."""
    response = client.post(
        portal_url("member_add", world.tenant),
        {"email": email, "first_name": "Ingrid", "last_name": "L", "role": Role.STEERING_MEMBER},
    )
    assert response.status_code == 302
    user = User.objects.get(email=email)
    with scopes_disabled():
        return user, Membership.objects.select_related("person").get(user=user)


def plan(world, gov, **kwargs) -> Meeting:
    with scope(tenant=world.tenant):
        return service_helpers.plan(world, gov, **kwargs)


def finish(world, meeting: Meeting) -> None:
    with scope(tenant=world.tenant):
        minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)


def approve_button(client, world, meeting: Meeting) -> bool:
    page = text(client.get(url("meeting_detail", world.tenant, meeting.pk)))
    return url("minutes_approve", world.tenant, meeting.pk) in page


@pytest.fixture
def admin(world, client_for):
    return client_for(world.users["admin"])


@pytest.fixture
def chaired(world, gov) -> tuple[Person, Meeting]:
    """A body chaired by someone in the directory without a login, and its
    finished minutes with no justerare appointed: the chair approves."""
    chair = PersonFactory(tenant=world.tenant, name="Ingrid Lövgren", email="ingrid@vaxjo.se")
    body = BodyFactory(tenant=world.tenant, name="Länsstyrgruppen", code="LSG")
    BodyMemberFactory(
        body=body, person=chair, role="ordforande", start_date=datetime.date(2024, 1, 1)
    )
    meeting = plan(world, gov, body=body)
    finish(world, meeting)
    return chair, meeting


def test_an_invited_login_approves_once_linked_to_the_chair(world, admin, client_for, chaired):
    chair, meeting = chaired
    # Invited with a private address: a new person, not the chair.
    user, membership = invite(admin, world, "ingrid.privat@example.se")
    assert membership.person != chair
    invited = client_for(user)

    assert not approve_button(invited, world, meeting)
    assert invited.get(url("minutes_approve", world.tenant, meeting.pk)).status_code == 403
    assert invited.post(url("minutes_approve", world.tenant, meeting.pk)).status_code == 403
    assert reload(meeting).minutes_status == MinutesStatus.FINISHED

    # The administrator links the login to the chair on the member page.
    response = admin.post(
        portal_url("member_person", world.tenant, membership.pk),
        {"person": chair.pk, "version": reload(membership).version},
    )
    assert response.status_code == 302

    assert approve_button(invited, world, meeting)
    response = sign(invited, meeting)  # through the confirmation page
    assert response.status_code == 302
    meeting = reload(meeting)
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert (meeting.approved_by, meeting.approved_by_person) == (user, chair)


def test_an_invited_justerare_approves_through_the_email_in_the_directory(
    world, gov, admin, client_for
):
    justerare = PersonFactory(tenant=world.tenant, name="Per Holm", email="Per.Holm@Alvesta.se")
    meeting = plan(world, gov)
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
    chair = client_for(world.users["steering"])  # the chair signs as well as the justerare
    assert approve_button(chair, world, meeting)

    user, membership = invite(admin, world, "per.holm@alvesta.se")

    assert membership.person == justerare
    invited = client_for(user)
    page = text(invited.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert url("minutes_approve", world.tenant, meeting.pk) in page
    assert "Per Holm" in page.split('class="user-nav__name">', 1)[1].split("</span>", 1)[0]
    assert sign(invited, meeting).status_code == 302
    assert reload(meeting).minutes_status == MinutesStatus.FINISHED  # the chair has not signed
    assert not approve_button(invited, world, meeting)  # signed: no button again
    assert sign(chair, meeting).status_code == 302
    meeting = reload(meeting)
    assert meeting.minutes_status == MinutesStatus.APPROVED
    with scopes_disabled():
        signed = {(s["name"], s["role"]) for s in meeting.versions.get().content["signatures"]}
    assert signed == {("Per Holm", "adjuster"), (gov.chair.name, "chair")}


def test_a_login_of_another_programme_linked_there_does_not_approve_here(
    world, other_world, client_for, chaired
):
    chair, meeting = chaired
    # The other programme's steering member, linked to a person of their own
    # programme with the chair's name and e-mail, is not the chair here.
    steering = other_world.users["steering"]
    PersonFactory(tenant=other_world.tenant, name=chair.name, email=chair.email, user=steering)
    assert (
        client_for(steering).post(url("minutes_approve", world.tenant, meeting.pk)).status_code
        == 404
    )
    with scopes_disabled():
        membership = Membership.objects.select_related("person").get(
            tenant=other_world.tenant, user=steering
        )
    assert not minutes_approval(reload(meeting), membership).is_signatory


def test_an_invited_member_can_be_named_wherever_people_are_named(world, admin, client_for):
    _user, membership = invite(admin, world, "ny.ledamot@flen.se")
    person = membership.person
    leader = client_for(world.users["leader"])

    response = leader.get(url("meeting_create", world.tenant))

    form = response.context["form"]
    for field in ("note_taker", "adjusters"):
        assert person in form.fields[field].queryset, field
    assert f'value="{person.pk}"' in text(response)


def test_an_invited_process_leader_is_suggested_as_the_author_of_a_report(world, admin, client_for):
    response = admin.post(
        portal_url("member_add", world.tenant),
        {
            "email": "ny.ledare@flen.se",
            "first_name": "Nya",
            "last_name": "Ledaren",
            "role": Role.PROCESS_LEADER,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ny.ledare@flen.se")
    with scopes_disabled():
        person = Membership.objects.get(user=user).person

    page = text(client_for(user).get(url("report_create", world.tenant)))

    assert re.search(rf'value="{person.pk}"[^>]*checked', page)
