"""Login is required everywhere except login, health and the public statements."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.urlwalk import routes, sample_kwargs

PUBLIC = {
    "login",
    # The code step of a two-factor login: without a password step just passed
    # it sends the visitor back to the login page (see test_two_factor.py).
    "login_code",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "logout",  # POST-only; logging out needs no login
    "healthz",
    "set_language",
    "portal:accessibility",
    "portal:privacy",
    # Each programme's accessibility statement (with its feedback form) and
    # privacy notice are for anyone, as the law asks (tests/portal/test_statements.py).
    "portal:programme_accessibility",
    "portal:programme_privacy",
    # Calendar clients cannot log in: the feed's secret token is its credential
    # (unknown, revoked or another programme's token → 404; see test_calendar.py).
    "governance:calendar_feed",
    # A member answers the notice by the signed link in the e-mail, without a
    # login (forged, expired, another programme's → refused, changing nothing;
    # see tests/trust/test_token_policy.py).
    "governance:reply_link",
    # The research API authenticates by personal token, not login: without a
    # token it answers 401 (see tests/research/test_api.py); its schema is public.
    "research_api:api-root",
    "research_api:openapi-json",
    "research_api:list_datasets",
    "research_api:get_dataset",
    "research_api:dataset_rows",
    # Single sign-on (sso/): the logout (POST-only, as Django's), the choice of
    # provider, and each provider's login, callback, ACS, metadata and logout
    # service come before any login (tests/sso/).
    "sso:logout",
    "sso:choose",
    "sso:oidc_login",
    "sso:oidc_callback",
    "sso:saml_login",
    "sso:saml_acs",
    "sso:saml_metadata",
    "sso:saml_sls",
}
# The programmes' public sites (/p/<slug>/, issue 15) need no login by design:
# 404 while a site is off, and only published content (tests/public/).
PUBLIC |= {r.name for r in routes() if r.name.startswith("public:")}
PRIVATE_ROUTES = [r for r in routes() if r.name not in PUBLIC]


@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=lambda r: r.name)
def test_anonymous_is_redirected_to_login(route, db):
    url = reverse(route.name, kwargs=sample_kwargs(route, tenant_slug="sormland"))
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    "name", ["login", "password_reset", "healthz", "portal:accessibility", "portal:privacy"]
)
def test_public_pages_need_no_login(name, db):
    assert Client().get(reverse(name)).status_code == 200


def test_statements_are_linked_from_every_page_footer(db):
    page = Client().get(reverse("login")).content.decode()
    assert reverse("portal:accessibility") in page
    assert reverse("portal:privacy") in page


def test_login_with_username_and_password(world):
    user = world.users["steering"]
    response = Client().post(
        reverse("login"), {"username": user.username, "password": "secret-password-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:picker")


def test_wrong_password_shows_an_error_and_does_not_log_in(world):
    client = Client()
    response = client.post(
        reverse("login"), {"username": world.users["steering"].username, "password": "fel"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'class="error-summary"' in response.content.decode()


def test_logout_is_a_post(world, client_for):
    client = client_for(world.users["leader"])
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_requires_the_old_password(world, client_for):
    user = world.users["leader"]
    client = client_for(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "Ny-lösen-2026!",
            "new_password2": "Ny-lösen-2026!",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("secret-password-123")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-password-123",
            "new_password1": "Ny-lösen-2026!",
            "new_password2": "Ny-lösen-2026!",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Ny-lösen-2026!")


def test_password_reset_sends_mail_to_known_address(world, mailoutbox):
    user = world.users["leader"]
    response = Client().post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_password_reset_says_nothing_about_unknown_addresses(db, mailoutbox):
    response = Client().post(reverse("password_reset"), {"email": "okand@example.se"})
    assert response.status_code == 302
    assert mailoutbox == []


class TestLanguage:
    def test_swedish_by_default(self, db):
        page = Client().get(reverse("login")).content.decode()
        assert '<html lang="sv">' in page
        assert "Logga in på Samverkansportalen" in page

    def test_english_on_request(self, db):
        client = Client()
        response = client.post(
            reverse("set_language"), {"language": "en", "next": "/accounts/login/"}
        )
        assert response.status_code == 302
        page = client.get(reverse("login")).content.decode()
        assert '<html lang="en">' in page
        assert "Log in to Samverkansportalen" in page

    def test_browser_language_does_not_override_swedish(self, db):
        page = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert '<html lang="sv">' in page.content.decode()

    def test_unknown_language_cookie_falls_back_to_swedish(self, db):
        client = Client()
        client.cookies["django_language"] = "xx"
        assert '<html lang="sv">' in client.get(reverse("login")).content.decode()

    def test_switcher_is_on_every_page_and_labelled(self, world, client_for):
        page = client_for(world.users["leader"]).get(reverse("portal:home", args=["sormland"]))
        html = page.content.decode()
        assert 'action="/i18n/setlang/"' in html
        assert '<label for="language-select">' in html


def test_the_blank_choice_of_a_select_is_in_swedish(world, client_for):
    """Django 6.1's "- Select an option -" is not in Django's Swedish catalogue."""
    page = client_for(world.users["leader"]).get(
        reverse("governance:risk_create", args=[world.tenant.slug])
    )
    assert page.status_code == 200
    assert "- Select an option -" not in page.content.decode()
