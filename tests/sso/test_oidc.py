"""OpenID Connect logins against a real provider on loopback (django-oauth-
toolkit, tests/idp/oidc/): RS256-signed ID tokens, PKCE, verified e-mail."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from portal.models import AuditEvent
from sso import oidc
from sso.sessions import SESSION_KEY
from tests.idp.fixtures import OIDC_SLUG, make_oidc_provider
from tests.sso.flows import english, oidc_authorize, oidc_login

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def provider(oidc_idp):
    return make_oidc_provider(oidc_idp)


@pytest.fixture
def anna(world):
    user = world.users["leader"]
    user.email = "Anna.Lind@example.org"
    user.save(update_fields=["email"])
    return user


def refusals() -> list[dict]:
    with scopes_disabled():
        return [e.after for e in AuditEvent.objects.filter(action="identity_provider.login.refuse")]


def assert_refused(response, client: Client, reason: str) -> str:
    assert response.status_code == 403, response.content[:300]
    assert "_auth_user_id" not in client.session
    assert [r["reason"] for r in refusals()] == [reason]
    return response.content.decode()


def test_login_through_the_provider_as_the_invited_user(provider, oidc_idp, anna):
    client = english()
    response = oidc_login(client, OIDC_SLUG, oidc_idp, next_url="/sormland/")
    assert response.status_code == 302
    assert response["Location"] == "/sormland/"
    assert client.session["_auth_user_id"] == str(anna.pk)
    login = client.session[SESSION_KEY]
    assert (login["provider"], login["kind"]) == (OIDC_SLUG, "oidc")
    assert login["id_token"].count(".") == 2
    assert client.get("/sormland/").status_code == 200
    with scopes_disabled():
        event = AuditEvent.objects.get(action="identity_provider.login")
    assert (event.actor, event.tenant) == (anna, None)


def test_unknown_user_sees_the_not_invited_page(provider, oidc_idp, anna):
    client = english()
    response = oidc_login(client, OIDC_SLUG, oidc_idp, username="okand")
    page = assert_refused(response, client, "not_invited")
    assert "You are not invited" in page
    assert refusals()[0]["identity"] == "okand.person@example.org"


def test_unverified_email_is_refused(provider, oidc_idp, world):
    """Bo's e-mail is a portal user's, but the provider does not vouch for it."""
    user = world.users["steering"]
    user.email = "bo.berg@example.org"
    user.save(update_fields=["email"])
    client = english()
    response = oidc_login(client, OIDC_SLUG, oidc_idp, username="unverified-bo")
    assert "has not verified your e-mail" in assert_refused(response, client, "unverified")


def test_an_inactive_membership_is_not_an_invitation(provider, oidc_idp, anna, world):
    membership = world.memberships["leader"]
    membership.is_active = False
    with scopes_disabled():
        membership.save(update_fields=["is_active"])
    client = english()
    response = oidc_login(client, OIDC_SLUG, oidc_idp)
    assert_refused(response, client, "not_invited")


def test_a_code_is_used_once(provider, oidc_idp, anna):
    """The callback replayed (the same code and state) logs nobody in again."""
    client = english()
    callback = oidc_authorize(client, OIDC_SLUG, oidc_idp)
    path = callback.removeprefix("http://testserver")
    assert client.get(path).status_code == 302
    other = english()
    response = other.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in other.session


def test_an_id_token_for_another_client_is_refused(provider, oidc_idp, anna):
    """A real ID token the provider signed for the client "portal" is refused
    by a portal that is another client: its audience is not ours."""
    client = english()
    assert oidc_login(client, OIDC_SLUG, oidc_idp).status_code == 302
    token = client.session[SESSION_KEY]["id_token"]
    nonce = jwt.decode(token, options={"verify_signature": False})["nonce"]
    assert oidc.ProviderBackend(provider).verify_token(token, nonce=nonce)["email"]
    provider.oidc_client_id = "another-portal"
    with pytest.raises(SuspiciousOperation, match="Audience doesn't match"):
        oidc.ProviderBackend(provider).verify_token(token, nonce=nonce)


def test_a_token_signed_by_someone_else_is_refused(provider, oidc_idp, anna):
    """The same claims signed with another key than the provider's JWKS."""
    client = english()
    assert oidc_login(client, OIDC_SLUG, oidc_idp).status_code == 302
    token = client.session[SESSION_KEY]["id_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    header = jwt.get_unverified_header(token)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": header["kid"]})
    with pytest.raises(SuspiciousOperation, match="Signature verification failed"):
        oidc.ProviderBackend(provider).verify_token(forged, nonce=claims["nonce"])


def test_a_portal_with_the_wrong_client_is_refused_at_the_provider(provider, oidc_idp, anna):
    client = english()
    callback = oidc_authorize(client, OIDC_SLUG, oidc_idp)
    provider.oidc_client_id = "another-client"
    provider.save(update_fields=["oidc_client_id"])
    response = client.get(callback.removeprefix("http://testserver"))
    assert_refused(response, client, "invalid")
    assert refusals()[0]["identity"].startswith("HTTPError")


def test_a_disabled_provider_has_no_button_and_no_login(provider, oidc_idp):
    client = english()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("login")).content.decode()
    assert "Log in with your organisation's account (Region Testland (Entra ID))" in page
    provider.enabled = False
    provider.save(update_fields=["enabled"])
    page = client.get(reverse("login")).content.decode()
    assert "Region Testland" not in page
    assert client.get(reverse("sso:oidc_login", args=[OIDC_SLUG])).status_code == 404
