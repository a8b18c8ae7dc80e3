"""The portal's logout ends an SSO session at its provider too, where the
provider supports it: OIDC RP-initiated logout, SAML single logout."""

from __future__ import annotations

import re

import pytest
import requests
from django.test import Client
from django.urls import reverse

from tests.idp.fixtures import OIDC_SLUG, SAML_SLUG, make_oidc_provider, make_saml_provider
from tests.sso.flows import oidc_login, saml_login

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def anna(world):
    user = world.users["steering"]
    user.email = "anna.lind@example.org"
    user.save(update_fields=["email"])
    return user


def test_oidc_logout_ends_the_session_at_the_provider(oidc_idp, anna):
    make_oidc_provider(oidc_idp)
    client = Client()
    assert oidc_login(client, OIDC_SLUG, oidc_idp).status_code == 302
    id_token = client.session["sso_login"]["id_token"]
    browser: requests.Session = client.idp_browser  # type: ignore[attr-defined]

    response = client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    end_session = response.context["continue_url"]
    assert f'content="0;url={end_session.replace("&", "&amp;")}"' in response.content.decode()
    assert end_session.startswith(f"{oidc_idp.base}/o/logout/?")
    assert f"id_token_hint={id_token}" in end_session
    back = browser.get(end_session, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    assert back.headers["Location"] == "http://testserver/accounts/login/"
    # Logged out at the provider too: a new login asks for the password again.
    start = client.get(reverse("sso:oidc_login", args=[OIDC_SLUG]))
    page = browser.get(start["Location"], timeout=10)
    assert "/login/" in page.url


def test_saml_logout_is_single_logout_at_the_idp(saml_idp, anna):
    make_saml_provider(saml_idp)
    client = Client()
    assert saml_login(client, SAML_SLUG, saml_idp).status_code == 302

    response = client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    slo = response.context["continue_url"]
    assert slo.startswith(f"{saml_idp.base}/slo?SAMLRequest=")
    answer = requests.get(slo, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    sls = answer.headers["Location"]
    assert sls.startswith("http://testserver/accounts/sso/test-saml/saml/sls/?SAMLResponse=")
    done = client.get(sls.removeprefix("http://testserver"))
    assert done.status_code == 302
    assert done["Location"] == reverse("login")
    assert saml_idp.events()[-1]["event"] == "logout"
    assert saml_idp.events()[-1]["user"] == "anna"


def test_saml_idp_without_single_logout_logs_out_here_only(saml_idp, anna):
    metadata = requests.get(f"{saml_idp.base}/metadata", timeout=10).text
    without_slo = re.sub(r"<ns0:SingleLogoutService[^>]*/>", "", metadata)
    assert without_slo != metadata
    make_saml_provider(saml_idp, saml_metadata_url="", saml_metadata_xml=without_slo)
    client = Client()
    assert saml_login(client, SAML_SLUG, saml_idp).status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_password_session_logs_out_as_before(world):
    client = Client()
    client.force_login(world.users["steering"])
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(world):
    client = Client()
    client.force_login(world.users["steering"])
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
