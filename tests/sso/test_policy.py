"""A programme's SSO requirement: set by its administrators (versioned,
audited), enforced on every page of the programme for password sessions."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from portal.models import AuditEvent
from portal.services import DomainError
from sso import services
from sso.models import IdentityProvider, ProgrammeSsoPolicy
from sso.sessions import SESSION_KEY
from tests.idp.fixtures import SAML_SLUG, make_saml_provider
from tests.sso.flows import saml_login

pytestmark = pytest.mark.django_db


def url(tenant) -> str:
    return reverse("sso_admin:policy", args=[tenant.slug])


def client_for(user, *, sso: bool = False) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if sso:
        session = client.session
        session[SESSION_KEY] = {"provider": "region", "kind": "oidc"}
        session.save()
    return client


def require(tenant, on: bool = True) -> ProgrammeSsoPolicy:
    with scope(tenant=tenant):
        return ProgrammeSsoPolicy.objects.create(tenant=tenant, require_sso=on)


def events(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action))


# The page ------------------------------------------------------------------------


def test_admin_sees_the_page(world):
    IdentityProvider.objects.create(
        kind="oidc", name="Region Sörmland (Entra ID)", slug="region",
        oidc_discovery_url="https://login.example.se/x/v2.0", oidc_client_id="portal",
    )  # fmt: skip
    response = client_for(world.users["admin"]).get(url(world.tenant))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Region Sörmland (Entra ID)" in page
    assert "log in with your organisation's account first" in page


def test_admin_logged_in_with_sso_turns_the_requirement_on(world):
    client = client_for(world.users["admin"], sso=True)
    response = client.post(url(world.tenant), {"require_sso": "on"})
    assert response.status_code == 302
    with scope(tenant=world.tenant):
        policy = ProgrammeSsoPolicy.objects.get(tenant=world.tenant)
    assert policy.require_sso
    [event] = events("programme_sso_policy.create")
    assert (event.actor, event.tenant, event.after["require_sso"]) == (
        world.users["admin"], world.tenant, True,
    )  # fmt: skip
    # And off again, from the form as it is now (its version).
    response = client.post(url(world.tenant), {"require_sso": "", "version": policy.version})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert not policy.require_sso
    [update] = events("programme_sso_policy.update")
    assert update.before["require_sso"] is True and update.after["require_sso"] is False


def test_password_session_cannot_turn_it_on_and_changes_nothing(world):
    client = client_for(world.users["admin"])
    response = client.post(url(world.tenant), {"require_sso": "on"})
    assert response.status_code == 400
    assert "would otherwise lock you out" in response.content.decode()
    with scope(tenant=world.tenant):
        assert not ProgrammeSsoPolicy.objects.exists()
    assert events("programme_sso_policy.create") == []


def test_stale_form_is_refused(world):
    policy = require(world.tenant, on=False)
    client = client_for(world.users["admin"], sso=True)
    with scope(tenant=world.tenant):
        services.policy_save(
            actor=world.users["admin"], tenant=world.tenant, require_sso=True,
            actor_used_sso=True, expected_version=policy.version,
        )  # fmt: skip
    response = client.post(url(world.tenant), {"require_sso": "", "version": policy.version})
    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
    policy.refresh_from_db()
    assert policy.require_sso


def test_a_first_save_over_someone_elses_is_refused(world):
    require(world.tenant, on=True)
    with scope(tenant=world.tenant), pytest.raises(DomainError):
        services.policy_save(
            actor=world.users["admin"], tenant=world.tenant, require_sso=False,
            actor_used_sso=True,
        )  # fmt: skip


@pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher"])
def test_other_roles_get_403(world, role):
    client = client_for(world.users[role], sso=True)
    assert client.get(url(world.tenant)).status_code == 403
    assert client.post(url(world.tenant), {"require_sso": "on"}).status_code == 403
    with scope(tenant=world.tenant):
        assert not ProgrammeSsoPolicy.objects.exists()


def test_another_programmes_admin_gets_404(world, other_world):
    client = client_for(other_world.users["admin"], sso=True)
    assert client.get(url(world.tenant)).status_code == 404
    assert client.post(url(world.tenant), {"require_sso": "on"}).status_code == 404


# Enforcement ---------------------------------------------------------------------


def test_password_session_is_sent_to_the_sso_choice(world):
    require(world.tenant)
    client = client_for(world.users["steering"])
    response = client.get(reverse("portal:home", args=[world.tenant.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("sso:choose") + "?next=%2Fsormland%2F"
    page = client.get(response["Location"]).content.decode()
    assert "requires you to log in with your organisation" in page


def test_htmx_request_is_redirected_by_htmx(world):
    require(world.tenant)
    client = client_for(world.users["steering"])
    response = client.get(
        reverse("portal:home", args=[world.tenant.slug]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("sso:choose"))


def test_sso_session_opens_the_programme(world):
    require(world.tenant)
    client = client_for(world.users["steering"], sso=True)
    assert client.get(reverse("portal:home", args=[world.tenant.slug])).status_code == 200


def test_the_requirement_costs_no_query_and_a_change_is_seen_at_once(
    world, django_assert_num_queries
):
    home = reverse("portal:home", args=[world.tenant.slug])
    client = client_for(world.users["steering"])
    assert client.get(home).status_code == 200
    with scopes_disabled():
        tenant = type(world.tenant).objects.get(pk=world.tenant.pk)
    with django_assert_num_queries(0):
        assert services.requires_sso(tenant) is False

    policy = require(world.tenant)  # any write to the policy reaches the programme
    assert client.get(home).status_code == 302
    with scope(tenant=world.tenant):
        policy.require_sso = False
        policy.save()
    assert client.get(home).status_code == 200
    with scope(tenant=world.tenant):
        policy.require_sso = True
        policy.save()
        policy.delete()
    assert client.get(home).status_code == 200


def test_a_programme_without_the_requirement_takes_passwords(world, other_world):
    require(world.tenant)
    client = client_for(other_world.users["steering"])
    assert client.get(reverse("portal:home", args=[other_world.tenant.slug])).status_code == 200


@pytest.mark.slow
def test_logging_in_again_through_the_idp_opens_the_programme(world, saml_idp):
    """A password session sent away by the requirement logs in through the
    IdP and comes back to the page it asked for."""
    make_saml_provider(saml_idp)
    user = world.users["steering"]
    user.email = "anna.lind@example.org"
    user.save(update_fields=["email"])
    require(world.tenant)
    client = client_for(user)
    home = reverse("portal:home", args=[world.tenant.slug])
    assert client.get(home).status_code == 302
    response = saml_login(client, SAML_SLUG, saml_idp, next_url=home)
    assert response["Location"] == home
    assert client.get(home).status_code == 200
    # A password login afterwards is a password session again.
    client.logout()
    client.post(reverse("login"), {"username": user.username, "password": "secret-password-123"})
    assert SESSION_KEY not in client.session
    assert client.get(home).status_code == 302


def test_the_demo_saves_sormlands_requirement_off_once(world):
    from demo.management.commands._demo.sso import seed_sso

    seed_sso()
    seed_sso()
    with scope(tenant=world.tenant):
        policy = ProgrammeSsoPolicy.objects.get(tenant=world.tenant)
    assert not policy.require_sso
    assert len(events("programme_sso_policy.create")) == 1
    response = client_for(world.users["admin"]).get(url(world.tenant))
    assert f'name="version" value="{policy.version}"' in response.content.decode()
