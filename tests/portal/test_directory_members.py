"""Tenant administration of members in the browser: add by e-mail, change
role, deactivate and reactivate. Only programme administrators manage members;
nobody can change their own role or lock themselves out."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Membership, Role, User
from tests.factories import MembershipFactory, PrincipalFactory, UserFactory
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


@pytest.fixture
def admin(world, client_for):
    return client_for(world.users["admin"])


@pytest.fixture
def other_admin(other_world, client_for):
    return client_for(other_world.users["admin"])


def unchanged():
    """Users, memberships and the audit log as they are now."""
    return rows(User), rows(Membership), audit_count()


# List -----------------------------------------------------------------------


def test_admin_sees_every_member_with_controls(world, admin):
    response = admin.get(url("members", world.tenant))
    assert response.status_code == 200
    body = text(response)
    for key, membership in world.memberships.items():
        assert world.users[key].email in body
        assert url("member_edit", world.tenant, membership.pk) in body
    assert url("member_add", world.tenant) in body


def test_admin_cannot_deactivate_themselves_from_the_list(world, admin):
    body = text(admin.get(url("members", world.tenant)))
    assert url("member_deactivate", world.tenant, world.memberships["admin"].pk) not in body
    assert url("member_deactivate", world.tenant, world.memberships["leader"].pk) in body


def test_member_list_never_shows_another_programme(world, other_world, admin):
    body = text(admin.get(url("members", world.tenant)))
    assert other_world.users["leader"].email not in body


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_see_the_member_list(world, client_for, role):
    assert client_for(world.users[role]).get(url("members", world.tenant)).status_code == 403


def test_member_list_for_htmx_is_the_listing_fragment(world, admin):
    response = admin.get(url("members", world.tenant), **HTMX)
    assert is_fragment(response)
    assert f'id="member-{world.memberships["leader"].pk}"' in text(response)


# Session, user, tenant, membership, then the page's one query.
MEMBER_LIST_QUERIES = 5


@pytest.mark.parametrize("extra", [1, 15])
def test_member_list_costs_the_same_for_few_and_many(
    world, admin, django_assert_num_queries, extra
):
    for _ in range(extra):
        MembershipFactory(
            tenant=world.tenant, role=Role.PRINCIPAL_REPORTER, principal=world.principal
        )
    with django_assert_num_queries(MEMBER_LIST_QUERIES):
        response = admin.get(url("members", world.tenant))
    assert text(response).count('<tr id="member-') == 5 + extra


# Add ------------------------------------------------------------------------


def test_admin_adds_a_new_person_who_gets_an_invitation(
    world, admin, django_capture_on_commit_callbacks, mailoutbox
):
    assert admin.get(url("member_add", world.tenant)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            url("member_add", world.tenant),
            {
                "email": "Karin.Berg@Flen.se",
                "first_name": "Karin",
                "last_name": "Berg",
                "role": Role.STEERING_MEMBER,
            },
        )

    assert response.status_code == 302
    assert response["Location"] == url("members", world.tenant)
    user = User.objects.get(email="karin.berg@flen.se")
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Karin", "Berg")
    membership = Membership.objects.with_scopes_disabled().get(user=user)
    assert (membership.tenant, membership.role, membership.principal) == (
        world.tenant,
        Role.STEERING_MEMBER,
        None,
    )
    [event] = audit_events(action="membership.add")
    assert event.actor == world.users["admin"]
    assert event.after["new_user"] is True
    [mail] = mailoutbox
    assert mail.to == ["karin.berg@flen.se"]
    assert "http://testserver/accounts/reset/" in mail.body


def test_adding_someone_with_a_login_reuses_it_and_sends_nothing(
    world, other_world, admin, django_capture_on_commit_callbacks, mailoutbox
):
    researcher = other_world.users["researcher"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            url("member_add", world.tenant),
            {"email": researcher.email.upper(), "role": Role.RESEARCHER},
        )
    assert response.status_code == 302
    assert Membership.objects.with_scopes_disabled().filter(user=researcher).count() == 2
    assert User.objects.filter(email__iexact=researcher.email).count() == 1
    assert mailoutbox == []


def test_admin_adds_a_principal_reporter_for_a_principal(world, admin):
    response = admin.post(
        url("member_add", world.tenant),
        {
            "email": "rapport@flen.se",
            "role": Role.PRINCIPAL_REPORTER,
            "principal": world.other_principal.pk,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.with_scopes_disabled().get(user__email="rapport@flen.se")
    assert membership.principal == world.other_principal


def test_principal_is_dropped_for_roles_other_than_reporter(world, admin):
    admin.post(
        url("member_add", world.tenant),
        {"email": "ledare@flen.se", "role": Role.PROCESS_LEADER, "principal": world.principal.pk},
    )
    membership = Membership.objects.with_scopes_disabled().get(user__email="ledare@flen.se")
    assert membership.principal is None


def test_member_added_inline_with_htmx(world, admin):
    form = admin.get(url("member_add", world.tenant), **HTMX)
    assert is_fragment(form)
    assert 'hx-target="#member-create"' in text(form)

    response = admin.post(
        url("member_add", world.tenant), {"email": "ny@flen.se", "role": Role.RESEARCHER}, **HTMX
    )

    membership = Membership.objects.with_scopes_disabled().get(user__email="ny@flen.se")
    assert response.status_code == 200
    assert is_fragment(response)
    assert 'hx-swap-oob="beforeend:#member-rows"' in text(response)
    assert f'<tr id="member-{membership.pk}"' in text(response)
    assert hx_trigger(response) == {"memberChanged": {"id": membership.pk, "action": "add"}}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_principal_reporter_without_principal_is_refused_on_the_principal_field(
    world, admin, headers
):
    before = unchanged()
    response = admin.post(
        url("member_add", world.tenant),
        {"email": "rapport@flen.se", "role": Role.PRINCIPAL_REPORTER, "principal": ""},
        **headers,
    )
    assert response.status_code == 200
    assert list(form_errors(response)) == ["principal"]
    assert 'aria-invalid="true"' in text(response)
    assert is_fragment(response) == bool(headers)
    assert unchanged() == before  # not even the new login is kept


def test_adding_an_existing_member_is_refused_on_the_email_field(world, admin):
    before = unchanged()
    response = admin.post(
        url("member_add", world.tenant),
        {"email": world.users["leader"].email, "role": Role.RESEARCHER},
    )
    assert response.status_code == 200
    assert list(form_errors(response)) == ["email"]
    assert unchanged() == before
    assert reload(world.memberships["leader"]).role == Role.PROCESS_LEADER


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "inte-en-adress", "role": Role.RESEARCHER}, "email"),
        ({"email": "", "role": Role.RESEARCHER}, "email"),
        ({"email": "ny@flen.se", "role": "kung"}, "role"),
    ],
)
def test_bad_member_input_is_refused_and_nothing_written(world, admin, data, field):
    before = unchanged()
    response = admin.post(url("member_add", world.tenant), data)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert unchanged() == before


def test_reporter_for_another_programmes_principal_is_refused(world, other_world, admin):
    before = unchanged()
    response = admin.post(
        url("member_add", world.tenant),
        {
            "email": "rapport@flen.se",
            "role": Role.PRINCIPAL_REPORTER,
            "principal": other_world.principal.pk,
        },
    )
    assert "principal" in form_errors(response)
    assert unchanged() == before


def test_reporter_for_an_archived_principal_is_refused(world, admin):
    gone = PrincipalFactory(tenant=world.tenant, archived_at=timezone.now())
    before = unchanged()
    response = admin.post(
        url("member_add", world.tenant),
        {"email": "rapport@flen.se", "role": Role.PRINCIPAL_REPORTER, "principal": gone.pk},
    )
    assert "principal" in form_errors(response)
    assert unchanged() == before


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_add_members(world, client_for, role):
    client = client_for(world.users[role])
    before = unchanged()
    assert client.get(url("member_add", world.tenant)).status_code == 403
    response = client.post(
        url("member_add", world.tenant), {"email": "ny@flen.se", "role": Role.TENANT_ADMIN}
    )
    assert response.status_code == 403
    assert unchanged() == before


def test_member_add_in_another_programme_is_404(world, other_admin):
    before = unchanged()
    response = other_admin.post(
        url("member_add", world.tenant), {"email": "ny@flen.se", "role": Role.TENANT_ADMIN}
    )
    assert response.status_code == 404
    assert unchanged() == before


# Change role ----------------------------------------------------------------


def test_admin_changes_a_role_without_javascript(world, admin):
    leader = world.memberships["leader"]
    page = admin.get(url("member_edit", world.tenant, leader.pk))
    assert page.status_code == 200

    response = admin.post(
        url("member_edit", world.tenant, leader.pk),
        {"role": Role.STEERING_MEMBER, "version": leader.version},
    )

    assert response.status_code == 302
    assert reload(leader).role == Role.STEERING_MEMBER
    [event] = audit_events(action="membership.update", object_type="portal.membership")
    assert event.before["role"] == Role.PROCESS_LEADER
    assert event.after["role"] == Role.STEERING_MEMBER


def test_admin_changes_a_role_inline_with_htmx(world, admin):
    steering = world.memberships["steering"]
    form = admin.get(url("member_edit", world.tenant, steering.pk), **HTMX)
    assert starts_with_row(form, f"member-{steering.pk}")

    response = admin.post(
        url("member_edit", world.tenant, steering.pk),
        {
            "role": Role.PRINCIPAL_REPORTER,
            "principal": world.other_principal.pk,
            "version": steering.version,
        },
        **HTMX,
    )

    assert starts_with_row(response, f"member-{steering.pk}")
    assert world.other_principal.name in text(response)
    assert hx_trigger(response) == {"memberChanged": {"id": steering.pk, "action": "update"}}
    steering = reload(steering)
    assert (steering.role, steering.principal_id) == (
        Role.PRINCIPAL_REPORTER,
        world.other_principal.pk,
    )


def test_leaving_the_reporter_role_drops_the_principal(world, admin):
    reporter = world.memberships["reporter"]
    admin.post(
        url("member_edit", world.tenant, reporter.pk),
        {"role": Role.RESEARCHER, "principal": world.principal.pk, "version": reporter.version},
    )
    reporter = reload(reporter)
    assert (reporter.role, reporter.principal_id) == (Role.RESEARCHER, None)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_becoming_a_reporter_needs_a_principal(world, admin, headers):
    steering = world.memberships["steering"]
    before = unchanged()
    response = admin.post(
        url("member_edit", world.tenant, steering.pk),
        {"role": Role.PRINCIPAL_REPORTER, "principal": "", "version": steering.version},
        **headers,
    )
    assert response.status_code == 200
    assert list(form_errors(response)) == ["principal"]
    assert is_fragment(response) == bool(headers)
    assert unchanged() == before


def test_admin_cannot_change_their_own_role(world, admin):
    me = world.memberships["admin"]
    before = unchanged()
    response = admin.post(
        url("member_edit", world.tenant, me.pk),
        {"role": Role.STEERING_MEMBER, "version": me.version},
        **HTMX,
    )
    assert response.status_code == 200
    assert "role" in form_errors(response)
    assert in_swedish("You cannot change your own role.") in text(response)
    assert starts_with_row(response, f"member-{me.pk}")
    assert reload(me).role == Role.TENANT_ADMIN
    assert unchanged() == before


def test_bad_role_is_refused(world, admin):
    before = unchanged()
    response = admin.post(
        url("member_edit", world.tenant, world.memberships["leader"].pk), {"role": "kung"}
    )
    assert "role" in form_errors(response)
    assert unchanged() == before


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_change_roles(world, client_for, role):
    client = client_for(world.users[role])
    target = world.memberships["researcher"]
    before = unchanged()
    assert client.get(url("member_edit", world.tenant, target.pk)).status_code == 403
    response = client.post(url("member_edit", world.tenant, target.pk), {"role": Role.TENANT_ADMIN})
    assert response.status_code == 403
    assert unchanged() == before


def test_member_ids_of_another_programme_are_404(world, other_world, admin, other_admin):
    foreign = other_world.memberships["leader"]
    mine = world.memberships["leader"]
    before = unchanged()
    for name in ("member_edit", "member_deactivate", "member_reactivate"):
        assert (
            admin.post(url(name, world.tenant, foreign.pk), {"role": Role.RESEARCHER}).status_code
            == 404
        )
        assert (
            other_admin.post(
                url(name, world.tenant, mine.pk), {"role": Role.RESEARCHER}
            ).status_code
            == 404
        )
    assert admin.get(url("member_edit", world.tenant, foreign.pk)).status_code == 404
    assert admin.get(url("member_deactivate", world.tenant, foreign.pk)).status_code == 404
    assert unchanged() == before


# Deactivate and reactivate --------------------------------------------------


def test_deactivating_asks_first_without_javascript(world, admin):
    leader = world.memberships["leader"]
    page = admin.get(url("member_deactivate", world.tenant, leader.pk))
    assert page.status_code == 200
    assert "<html" in text(page)
    assert f'action="{url("member_deactivate", world.tenant, leader.pk)}"' in text(page)
    assert reload(leader).is_active


def test_admin_deactivates_a_member_who_then_loses_access(world, admin, client_for):
    leader = world.memberships["leader"]
    response = admin.post(url("member_deactivate", world.tenant, leader.pk))

    assert response.status_code == 302
    assert reload(leader).is_active is False
    assert User.objects.filter(pk=world.users["leader"].pk).exists()  # the login stays
    [event] = audit_events(action="membership.update", object_type="portal.membership")
    assert event.before["is_active"] is True
    assert event.after["is_active"] is False
    home = reverse("portal:home", args=[world.tenant.slug])
    assert client_for(world.users["leader"]).get(home).status_code == 404


def test_deactivating_with_htmx_swaps_the_row(world, admin):
    leader = world.memberships["leader"]
    confirm = admin.get(url("member_deactivate", world.tenant, leader.pk), **HTMX)
    assert starts_with_row(confirm, f"member-{leader.pk}")

    response = admin.post(url("member_deactivate", world.tenant, leader.pk), **HTMX)

    assert starts_with_row(response, f"member-{leader.pk}")
    assert url("member_reactivate", world.tenant, leader.pk) in text(response)
    assert hx_trigger(response) == {"memberChanged": {"id": leader.pk, "action": "deactivate"}}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_admin_cannot_deactivate_themselves(world, admin, headers):
    me = world.memberships["admin"]
    before = unchanged()
    response = admin.post(url("member_deactivate", world.tenant, me.pk), **headers)
    assert response.status_code == 200
    assert in_swedish("You cannot deactivate yourself.") in text(response)
    assert is_fragment(response) == bool(headers)
    assert reload(me).is_active
    assert unchanged() == before


def test_admin_reactivates_a_member(world, admin, client_for):
    leader = world.memberships["leader"]
    admin.post(url("member_deactivate", world.tenant, leader.pk))

    response = admin.post(url("member_reactivate", world.tenant, leader.pk), **HTMX)

    assert starts_with_row(response, f"member-{leader.pk}")
    assert hx_trigger(response) == {"memberChanged": {"id": leader.pk, "action": "reactivate"}}
    assert reload(leader).is_active
    deactivate, reactivate = audit_events(object_type="portal.membership")
    assert (deactivate.after["is_active"], reactivate.after["is_active"]) == (False, True)
    home = reverse("portal:home", args=[world.tenant.slug])
    assert client_for(world.users["leader"]).get(home).status_code == 200


def test_reactivate_is_post_only(world, admin):
    leader = world.memberships["leader"]
    admin.post(url("member_deactivate", world.tenant, leader.pk))
    assert admin.get(url("member_reactivate", world.tenant, leader.pk)).status_code == 405
    assert not reload(leader).is_active


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_deactivate_and_reactivate(world, client_for, role):
    client = client_for(world.users[role])
    target = world.memberships["researcher"]
    before = unchanged()
    assert client.get(url("member_deactivate", world.tenant, target.pk)).status_code == 403
    assert client.post(url("member_deactivate", world.tenant, target.pk)).status_code == 403
    assert client.post(url("member_reactivate", world.tenant, target.pk)).status_code == 403
    assert unchanged() == before


def test_a_member_of_two_programmes_keeps_the_other_when_deactivated(world, other_world, admin):
    shared = UserFactory(username="delad")
    here = MembershipFactory(tenant=world.tenant, user=shared, role=Role.RESEARCHER)
    there = MembershipFactory(tenant=other_world.tenant, user=shared, role=Role.RESEARCHER)
    admin.post(url("member_deactivate", world.tenant, here.pk))
    assert not reload(here).is_active
    assert reload(there).is_active
