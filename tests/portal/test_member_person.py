"""Logins are people (issue 12, item 1). Every membership is linked to one
person of its programme's directory: inviting a member by e-mail links the
person with that address (in any case) who has no login yet, or creates one;
a programme administrator sees the link on the member page and changes it
there. The person must be of the same programme, not archived, and nobody
else's login. The header names the user as the person they are here."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from portal import services
from portal.models import Membership, Person, Role, User
from portal.selectors import person_for
from portal.services import DomainError
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.helpers import (
    HTMX,
    audit_count,
    audit_events,
    form_errors,
    hx_trigger,
    in_swedish,
    is_fragment,
    reload,
    rows,
    starts_with_row,
    text,
    url_in,
)

url = url_in("portal")

NOT_ADMINS = ["leader", "steering", "reporter", "researcher"]


def unchanged():
    """People, memberships, logins and the audit log as they are now."""
    return rows(Person), rows(Membership), rows(User), audit_count()


def invite(world, email: str, role: str = Role.STEERING_MEMBER, **kwargs) -> Membership:
    with scope(tenant=world.tenant):
        return services.member_add(
            actor=world.users["admin"],
            tenant=world.tenant,
            email=email,
            role=role,
            send_invitation=False,
            **kwargs,
        )


@pytest.fixture
def admin(world, client_for):
    return client_for(world.users["admin"])


@pytest.fixture
def linked(world):
    """The researcher's membership, linked to their person in the directory."""
    person = PersonFactory(tenant=world.tenant, name="Forskaren", user=world.users["researcher"])
    return reload(world.memberships["researcher"]), person


# Inviting -------------------------------------------------------------------


def test_inviting_links_the_person_with_that_email_in_any_case(world):
    person = PersonFactory(tenant=world.tenant, name="Karin Berg", email="Karin.Berg@Flen.se")
    people = Person.objects.with_scopes_disabled().count()

    membership = invite(world, "KARIN.BERG@flen.se", first_name="K", last_name="B")

    assert membership.person == person
    assert Person.objects.with_scopes_disabled().count() == people
    [event] = audit_events(action="membership.add")
    assert event.after["person_id"] == person.pk


def test_inviting_someone_new_adds_them_to_the_directory(world):
    membership = invite(
        world,
        "rapport@flen.se",
        role=Role.PRINCIPAL_REPORTER,
        principal=world.principal,
        first_name="Ola",
        last_name="Rapp",
    )

    person = membership.person
    assert (person.tenant, person.name, person.email, person.principal) == (
        world.tenant,
        "Ola Rapp",
        "rapport@flen.se",
        world.principal,
    )
    [created] = audit_events(action="person.create", object_type="portal.person")
    assert created.object_id == str(person.pk)
    assert created.actor == world.users["admin"]


def test_inviting_someone_with_a_login_elsewhere_gives_them_a_person_here(world, other_world):
    researcher = other_world.users["researcher"]
    PersonFactory(tenant=other_world.tenant, email=researcher.email, user=researcher)

    membership = invite(world, researcher.email)

    assert membership.person.tenant == world.tenant
    assert membership.person.name == researcher.get_full_name()


def test_inviting_never_takes_a_person_who_is_someone_elses_login(world):
    taken = PersonFactory(tenant=world.tenant, email="delad@flen.se", user=world.users["leader"])

    membership = invite(world, "delad@flen.se")

    assert membership.person != taken
    assert reload(world.memberships["leader"]).person == taken


def test_inviting_never_links_a_person_of_another_programme(world, other_world):
    foreign = PersonFactory(tenant=other_world.tenant, email="ny@flen.se")

    membership = invite(world, "ny@flen.se")

    assert membership.person.tenant == world.tenant
    assert membership.person != foreign
    with scopes_disabled():
        assert not Membership.objects.filter(person=foreign).exists()


def test_inviting_an_archived_person_brings_them_back(world):
    person = PersonFactory(tenant=world.tenant, email="tillbaka@flen.se")
    person.archived_at = timezone.now()
    person.save()

    membership = invite(world, "tillbaka@flen.se")

    assert membership.person == person
    assert not reload(person).is_archived
    [event] = audit_events(action="person.restore", object_type="portal.person")
    assert event.object_id == str(person.pk)


def test_a_refused_invitation_leaves_no_person_behind(world):
    before = unchanged()
    with pytest.raises(DomainError):
        invite(world, world.users["leader"].email)
    assert unchanged() == before


# Changing the link (service) -------------------------------------------------


def test_relinking_moves_the_login_to_another_person_and_is_audited(world, linked):
    membership, person = linked
    other = PersonFactory(tenant=world.tenant, name="Den rätta")

    with scope(tenant=world.tenant):
        services.membership_set_person(
            actor=world.users["admin"], membership=membership, person=other
        )

    assert reload(membership).person == other
    assert person_for(reload(membership)) == other
    [event] = audit_events(action="membership.update", object_type="portal.membership")
    assert (event.before["person_id"], event.after["person_id"]) == (person.pk, other.pk)
    assert event.actor == world.users["admin"]


def test_a_person_of_another_programme_is_refused(world, other_world, linked):
    membership, person = linked
    foreign = PersonFactory(tenant=other_world.tenant)
    before = unchanged()

    with scope(tenant=world.tenant), pytest.raises(DomainError):
        services.membership_set_person(
            actor=world.users["admin"], membership=membership, person=foreign
        )

    assert unchanged() == before
    assert reload(membership).person == person


def test_the_model_refuses_a_person_of_another_programme(world, other_world):
    membership = reload(world.memberships["steering"])
    membership.person = PersonFactory(tenant=other_world.tenant)
    with scope(tenant=world.tenant), pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert list(refused.value.message_dict) == ["person"]


def test_someone_elses_person_is_refused(world, linked):
    _membership, person = linked
    mine = reload(world.memberships["steering"])
    before = unchanged()

    with (
        scope(tenant=world.tenant),
        translation.override("en"),
        pytest.raises(DomainError, match="already"),
    ):
        services.membership_set_person(actor=world.users["admin"], membership=mine, person=person)

    assert unchanged() == before


def test_an_archived_person_is_refused(world, linked):
    membership, _person = linked
    gone = PersonFactory(tenant=world.tenant, archived_at=timezone.now())
    before = unchanged()

    with (
        scope(tenant=world.tenant),
        translation.override("en"),
        pytest.raises(DomainError, match="archived"),
    ):
        services.membership_set_person(
            actor=world.users["admin"], membership=membership, person=gone
        )

    assert unchanged() == before


# The member page -----------------------------------------------------------


def test_admin_sees_who_each_member_is_in_the_directory(world, admin, linked):
    membership, person = linked
    body = text(admin.get(url("members", world.tenant)))
    assert person.name in body
    assert url("member_person", world.tenant, membership.pk) in body
    # Members not linked to anyone say so.
    assert in_swedish("Not linked") in body


def test_the_choices_are_the_people_without_a_login_here_and_the_current_one(
    world, other_world, admin, linked
):
    membership, person = linked
    free = PersonFactory(tenant=world.tenant, name="Ledig Person")
    taken = PersonFactory(tenant=world.tenant, name="Upptagen", user=world.users["leader"])
    gone = PersonFactory(tenant=world.tenant, name="Arkiverad", archived_at=timezone.now())
    foreign = PersonFactory(tenant=other_world.tenant, name="Främling")

    response = admin.get(url("member_person", world.tenant, membership.pk))

    assert response.status_code == 200
    choices = {p.pk for p in response.context["form"].fields["person"].queryset}
    assert {person.pk, free.pk} <= choices
    assert not {taken.pk, gone.pk, foreign.pk} & choices


def test_admin_changes_the_link_without_javascript(world, admin, linked):
    membership, _person = linked
    other = PersonFactory(tenant=world.tenant, name="Den rätta")

    response = admin.post(
        url("member_person", world.tenant, membership.pk),
        {"person": other.pk, "version": membership.version},
    )

    assert response.status_code == 302
    assert response["Location"] == url("members", world.tenant)
    assert reload(membership).person == other
    [event] = audit_events(action="membership.update", object_type="portal.membership")
    assert event.after["person_id"] == other.pk


def test_admin_changes_the_link_inline_with_htmx(world, admin, linked):
    membership, _person = linked
    other = PersonFactory(tenant=world.tenant, name="Den rätta")
    form = admin.get(url("member_person", world.tenant, membership.pk), **HTMX)
    assert starts_with_row(form, f"member-{membership.pk}")

    response = admin.post(
        url("member_person", world.tenant, membership.pk),
        {"person": other.pk, "version": membership.version},
        **HTMX,
    )

    assert starts_with_row(response, f"member-{membership.pk}")
    assert "Den rätta" in text(response)
    assert hx_trigger(response) == {"memberChanged": {"id": membership.pk, "action": "update"}}
    assert reload(membership).person == other


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_choosing_nobody_is_refused_on_the_person_field(world, admin, linked, headers):
    membership, person = linked
    before = unchanged()
    response = admin.post(
        url("member_person", world.tenant, membership.pk),
        {"person": "", "version": membership.version},
        **headers,
    )
    assert response.status_code == 200
    assert list(form_errors(response)) == ["person"]
    assert 'aria-invalid="true"' in text(response)
    assert is_fragment(response) == bool(headers)
    assert unchanged() == before
    assert reload(membership).person == person


@pytest.mark.parametrize("whose", ["another programme's", "someone else's", "unknown"])
def test_a_person_not_to_be_chosen_is_refused(world, other_world, admin, linked, whose):
    membership, _person = linked
    chosen = {
        "another programme's": lambda: PersonFactory(tenant=other_world.tenant).pk,
        "someone else's": lambda: PersonFactory(tenant=world.tenant, user=world.users["leader"]).pk,
        "unknown": lambda: 999999,
    }[whose]()
    before = unchanged()
    response = admin.post(
        url("member_person", world.tenant, membership.pk),
        {"person": chosen, "version": membership.version},
    )
    assert response.status_code == 200
    assert "person" in form_errors(response)
    assert unchanged() == before


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_change_the_link(world, client_for, linked, role):
    membership, _person = linked
    other = PersonFactory(tenant=world.tenant)
    client = client_for(world.users[role])
    before = unchanged()
    assert client.get(url("member_person", world.tenant, membership.pk)).status_code == 403
    response = client.post(
        url("member_person", world.tenant, membership.pk),
        {"person": other.pk, "version": membership.version},
    )
    assert response.status_code == 403
    assert unchanged() == before


def test_the_link_of_another_programme_is_404(world, other_world, admin, client_for, linked):
    membership, _person = linked
    foreign = other_world.memberships["leader"]
    other_admin = client_for(other_world.users["admin"])
    other = PersonFactory(tenant=world.tenant)
    before = unchanged()
    assert admin.get(url("member_person", world.tenant, foreign.pk)).status_code == 404
    assert (
        other_admin.post(
            url("member_person", world.tenant, membership.pk),
            {"person": other.pk, "version": membership.version},
        ).status_code
        == 404
    )
    assert unchanged() == before


# The header ------------------------------------------------------------------


def test_the_header_names_the_user_as_their_person_here(world, client_for):
    user = UserFactory(username="inbjuden", first_name="Login", last_name="Namn")
    person = PersonFactory(tenant=world.tenant, name="Ingrid Lövgren")
    MembershipFactory(tenant=world.tenant, user=user, role=Role.STEERING_MEMBER, person=person)

    body = text(client_for(user).get(url("people", world.tenant)))

    header = body.split('class="user-nav__name">', 1)[1].split("</span>", 1)[0]
    assert header.startswith("Ingrid Lövgren")
    assert "Login Namn" not in header


def test_linking_the_person_it_already_is_writes_nothing(world, linked):
    membership, person = linked
    before = unchanged()
    with scope(tenant=world.tenant):
        services.membership_set_person(
            actor=world.users["admin"], membership=membership, person=person
        )
    assert unchanged() == before
