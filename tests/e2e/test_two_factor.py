"""Two-factor login and the lockout in a real browser: an administrator of a
programme that requires it sets it up from the QR page and logs in with codes;
every page on the way passes axe and breaks no CSP rule."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


def code(secret: str, *, offset: int = 0) -> str:
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def test_an_administrator_sets_up_two_factor_and_logs_in_with_codes(page, live_server, axe, world):
    world.tenant.require_admin_two_factor = True
    world.tenant.save(update_fields=["require_admin_two_factor"])
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )

    login(page, live_server, world.users["admin"].username, PASSWORD)
    assert "/accounts/two-factor/" in page.url
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    assert_accessible(axe, page)
    secret = page.locator("code.secret").inner_text()
    page.locator("input[name=code]").fill(code(secret))
    page.locator("form[action$='/enable/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/sormland/"

    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_load_state()
    login(page, live_server, world.users["admin"].username, PASSWORD)
    assert page.url.endswith("/accounts/login/code/")
    assert_accessible(axe, page)
    page.locator("input[name=code]").fill(code(secret, offset=30))
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/sormland/"
    assert not violations


def test_the_lockout_page_is_accessible(page, live_server, axe, world):
    for _ in range(5):
        login(page, live_server, world.users["leader"].username, "fel")

    assert page.locator("input[name=password]").count() == 0  # the lockout, not the form
    assert page.get_by_role("alert").is_visible()
    assert_accessible(axe, page)
    login(page, live_server, world.users["leader"].username, PASSWORD)
    assert page.locator("input[name=password]").count() == 0
