"""SAML 2.0 logins against a real pysaml2 IdP on loopback (tests/idp/saml/):
signed assertions; a forged, expired, misaddressed or replayed one is refused."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from portal.models import AuditEvent
from sso import services
from sso.sessions import SESSION_KEY
from tests.idp.fixtures import SAML_SLUG, make_saml_provider
from tests.sso.flows import english, saml_login, saml_response, tamper

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def provider(saml_idp):
    return make_saml_provider(saml_idp)


@pytest.fixture
def anna(world):
    user = world.users["steering"]
    user.email = "anna.lind@example.org"
    user.save(update_fields=["email"])
    return user


def refusals() -> list[dict]:
    with scopes_disabled():
        return [e.after for e in AuditEvent.objects.filter(action="identity_provider.login.refuse")]


def assert_refused(response, client: Client, reason: str, why: str = "") -> str:
    assert response.status_code == 403, response.content[:300]
    assert "_auth_user_id" not in client.session
    assert [r["reason"] for r in refusals()] == [reason]
    assert refusals()[0]["identity"].startswith(why)
    return response.content.decode()


def test_login_through_the_idp_as_the_invited_user(provider, saml_idp, anna):
    client = english()
    response = saml_login(client, SAML_SLUG, saml_idp, next_url="/sormland/")
    assert response.status_code == 302
    assert response["Location"] == "/sormland/"
    assert client.session["_auth_user_id"] == str(anna.pk)
    assert client.session[SESSION_KEY] == {"provider": SAML_SLUG, "kind": "saml"}
    assert client.get("/sormland/").status_code == 200
    with scopes_disabled():
        event = AuditEvent.objects.get(action="identity_provider.login")
    assert event.actor == anna
    assert event.object_id == str(provider.pk)


def test_the_metadata_of_the_portal_names_its_acs(provider):
    response = Client().get(reverse("sso:saml_metadata", args=[SAML_SLUG]))
    assert response.status_code == 200
    assert b"/accounts/sso/test-saml/saml/acs/" in response.content


def test_unknown_user_sees_the_not_invited_page(provider, saml_idp, anna):
    client = english()
    response = saml_login(client, SAML_SLUG, saml_idp, username="okand")
    page = assert_refused(response, client, "not_invited")
    assert "You are not invited" in page
    assert "Ask the process leader of your programme to invite you" in page
    assert refusals()[0]["identity"] == "okand.person@example.org"


def test_forged_assertion_is_refused(provider, saml_idp, anna, world):
    """The IdP signed the assertion for Okänd; changing its e-mail to Anna's
    breaks the signature."""
    client = english()
    acs, saml, relay = saml_response(client, SAML_SLUG, saml_idp, username="okand")
    forged = tamper(saml, "okand.person@example.org", "anna.lind@example.org")
    response = client.post(acs, {"SAMLResponse": forged, "RelayState": relay})
    assert_refused(response, client, "invalid", "SignatureError")


def test_expired_assertion_is_refused(provider, saml_idp, anna):
    client = english()
    response = saml_login(client, SAML_SLUG, saml_idp, lifetime_minutes="-10")
    # pysaml2: the assertion's NotOnOrAfter condition has passed.
    assert_refused(response, client, "invalid", "VerificationError: Condition not OK")


def test_assertion_for_another_audience_is_refused(provider, saml_idp, anna):
    client = english()
    response = saml_login(
        client, SAML_SLUG, saml_idp, audience="https://annan-tjanst.example.se/sp"
    )
    assert_refused(response, client, "invalid", "Exception: AudienceRestrictions")


def test_replayed_assertion_is_refused(provider, saml_idp, anna):
    client = english()
    acs, saml, relay = saml_response(client, SAML_SLUG, saml_idp)
    assert client.post(acs, {"SAMLResponse": saml, "RelayState": relay}).status_code == 302
    assert client.session["_auth_user_id"] == str(anna.pk)
    # Someone who got hold of the response posts it again, from another browser.
    thief = english()
    thief.get(reverse("sso:saml_login", args=[SAML_SLUG]))
    response = thief.post(acs, {"SAMLResponse": saml, "RelayState": relay})
    assert_refused(response, thief, "invalid", "UnsolicitedResponse")


def test_an_assertion_used_once_is_refused_again(provider):
    """Beside InResponseTo (one answer per request), the portal keeps the ids of
    the assertions it took until they expire: an IdP-initiated or raced second
    use of one is a replay."""
    when = timezone.now() + datetime.timedelta(minutes=5)
    services.assertion_use(provider=provider, assertion_id="id-1", not_on_or_after=when)
    with pytest.raises(services.SsoRefusal) as refusal:
        services.assertion_use(provider=provider, assertion_id="id-1", not_on_or_after=when)
    assert refusal.value.reason == "replay"
    services.assertion_use(provider=provider, assertion_id="id-2", not_on_or_after=when)
