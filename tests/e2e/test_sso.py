"""Single sign-on in a real browser, through real identity providers on
loopback (tests/idp/): the login page's button for each, the provider's own
login form, and back in the portal as the invited user; the logout ends the
session at the provider too. Signed assertions and tokens, no mocks."""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled

from portal.models import AuditEvent
from tests.e2e.conftest import assert_accessible
from tests.idp.fixtures import (
    PASSWORD,
    make_oidc_provider,
    make_saml_provider,
    oidc_idp,  # noqa: F401
    saml_idp,  # noqa: F401
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anna(world):
    user = world.users["steering"]
    user.email = "anna.lind@example.org"
    user.first_name, user.last_name = "Anna", "Lind"
    user.save(update_fields=["email", "first_name", "last_name"])
    return user


def button(page, provider: str):
    """The login page's button for the provider (Swedish, or English until
    the translations are compiled)."""
    name = re.compile(
        rf"^(Logga in med organisationens konto|Log in with your organisation's account) "
        rf"\({re.escape(provider)}\)$"
    )
    return page.get_by_role("link", name=name)


def csp_watch(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    return violations


def test_login_through_the_oidc_provider(page, live_server, axe, anna, oidc_idp):  # noqa: F811
    make_oidc_provider(oidc_idp, name="Region Sörmland (Entra ID)")
    violations = csp_watch(page)
    page.goto(f"{live_server.url}/accounts/login/?next=/sormland/")
    assert_accessible(axe, page)
    button(page, "Region Sörmland (Entra ID)").click()
    page.wait_for_url(f"{oidc_idp.base}/login/**")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/sormland/")
    assert "Anna" in page.locator("header").inner_text()
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="identity_provider.login", actor=anna).exists()

    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert not violations


def test_login_through_the_saml_idp(page, live_server, axe, anna, saml_idp):  # noqa: F811
    make_saml_provider(saml_idp, name="Skolfederation")
    violations = csp_watch(page)
    page.goto(f"{live_server.url}/accounts/login/?next=/sormland/")
    button(page, "Skolfederation").click()
    page.wait_for_url(f"{saml_idp.base}/sso?**")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/sormland/")
    assert "Anna" in page.locator("header").inner_text()

    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert saml_idp.events()[-1] == {
        "event": "logout",
        "user": "anna",
        "sp": f"{live_server.url}/accounts/sso/test-saml/saml/metadata/",
    }
    assert not violations


def test_an_unknown_identity_sees_the_not_invited_page(page, live_server, axe, anna, saml_idp):  # noqa: F811
    make_saml_provider(saml_idp, name="Skolfederation")
    page.goto(f"{live_server.url}/accounts/login/")
    button(page, "Skolfederation").click()
    page.get_by_label("Username").fill("okand")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/accounts/sso/test-saml/saml/acs/")
    assert_accessible(axe, page)
    assert page.locator("h1").inner_text() in ("Du är inte inbjuden", "You are not invited")
