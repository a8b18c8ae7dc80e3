"""The foundation's pages in a real browser: they render, pass axe, work with the keyboard."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_public_pages_are_accessible(page, live_server, axe):
    for path in (
        "/accounts/login/",
        "/accounts/password_reset/",
        "/om/tillganglighet/",
        "/om/integritet/",
    ):
        page.goto(live_server.url + path)
        assert_accessible(axe, page)


def test_programme_pages_are_accessible(page, live_server, axe, world):
    login(page, live_server, world.users["admin"].username, "secret-password-123")
    assert page.url.endswith("/sormland/")
    for name in ("portal:home", "portal:principals", "portal:people", "portal:members"):
        page.goto(live_server.url + reverse(name, args=["sormland"]))
        assert_accessible(axe, page)


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server, world):
    login(page, live_server, world.users["leader"].username, "secret-password-123")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Hoppa till innehållet" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_in_the_browser(page, live_server, world):
    login(page, live_server, world.users["leader"].username, "secret-password-123")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Overview").is_visible()


def test_no_csp_violations_in_the_console(page, live_server, world):
    messages = []
    page.on("console", lambda msg: messages.append(msg.text))
    login(page, live_server, world.users["leader"].username, "secret-password-123")
    page.goto(live_server.url + "/sormland/")
    assert not [m for m in messages if "Content Security Policy" in m], messages
