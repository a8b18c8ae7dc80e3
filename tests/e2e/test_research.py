"""The researcher's export page in a real browser: it passes axe before and
after an export and a new token, the export is built (inline here) and its
download link appears, the token is shown once, and no CSP errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_accessible, login
from tests.research.conftest import make_scene

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


def test_researcher_exports_and_makes_a_token(page, live_server, axe, world, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    make_scene(world)
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    login(page, live_server, world.users["researcher"].username, PASSWORD)
    page.goto(live_server.url + reverse("research:export", args=[world.tenant.slug]))
    assert_accessible(axe, page)

    page.locator("#export-form").get_by_label("Möten (meetings)").check()
    page.locator("#export-form").get_by_label("Närvaro (attendance)").check()
    page.get_by_role("button", name="Create the export").or_(
        page.get_by_role("button", name="Skapa exporten")
    ).click()
    page.wait_for_load_state()
    download = page.locator("a[href*='/download/']").first
    download.wait_for()
    assert_accessible(axe, page)

    page.locator("#token-form input[name=name]").fill("R-skript")
    page.locator("#token-form button[type=submit]").click()
    page.wait_for_load_state()
    token = page.locator("#new-token-value").input_value()
    assert token.startswith("svp_")
    assert_accessible(axe, page)
    page.goto(live_server.url + reverse("research:export", args=[world.tenant.slug]))
    assert page.locator("#new-token-value").count() == 0
    assert page.locator("#token-form").is_visible() and "R-skript" in page.content()
    assert not [m for m in console if "Content Security Policy" in m], console


def test_the_research_reports_pages_are_accessible(page, live_server, axe, world):
    login(page, live_server, world.users["researcher"].username, PASSWORD)
    page.goto(live_server.url + reverse("research:report_add", args=[world.tenant.slug]))
    assert_accessible(axe, page)
    page.locator("#report-title").fill("Delrapport 1")
    page.locator("#report-published_on").fill("2025-06-15")
    page.locator("#report-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Delrapport 1" in page.content()
    assert_accessible(axe, page)
