"""Journey (b): a steering-group member, appointed to approve (justera) the
minutes, finds them waiting on the programme dashboard, reads and approves
them, and reads the dashboard: its panels load lazily (htmx), a filter
refreshes them in place. Every page and swap passes axe (WCAG 2.1 A and AA)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from governance.models import Meeting, MinutesStatus
from governance.services import decisions, meetings, minutes
from tests.e2e.journeys import Mouse
from tests.governance.conftest import Gov, _gov

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


@pytest.fixture
def gov(world) -> Gov:
    return _gov(world)


@pytest.fixture
def finished(world, gov) -> Meeting:
    """Last week's meeting, its minutes finished; the chair approves them."""
    leader = world.users["leader"]
    starts = timezone.now() - datetime.timedelta(days=7)
    with scope(tenant=world.tenant):
        meeting = meetings.meeting_create(
            actor=leader,
            body=gov.body,
            title="Styrgruppsmöte i november",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            agenda=[("Processplanen", "beslut")],
            adjusters=[gov.chair],
        )
        item = meeting.agenda_items.get()
        meetings.agenda_item_update(
            actor=leader,
            item=item,
            expected_version=item.version,
            minutes="Styrgruppen går igenom processplanen.",
        )
        decisions.decision_create(
            actor=leader,
            meeting=meeting,
            agenda_item=item,
            text="Styrgruppen beslutar att anta processplanen.",
        )
        return minutes.minutes_finish(actor=leader, meeting=meeting)


def wait_for_panels(page: Page) -> None:
    """The dashboard's panels load one by one after the page (hx-trigger=load)."""
    page.locator("#dashboard-panels").wait_for()
    expect(page.locator("#dashboard-panels [aria-busy=true]")).to_have_count(0, timeout=20_000)


def test_steering_member_approves_the_minutes_and_reads_the_dashboard(
    page, live_server, axe, world, gov, finished, console
):
    ui = Mouse(page, axe)
    home = live_server.url + reverse("portal:home", args=[world.tenant.slug])
    detail = live_server.url + reverse(
        "governance:meeting_detail", args=[world.tenant.slug, finished.pk]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    ui.check_page()
    page.get_by_label("Användarnamn").fill(world.users["steering"].username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    ui.check_page()  # the programme picker
    page.locator(f'main a[href="{reverse("portal:home", args=[world.tenant.slug])}"]').click()
    page.wait_for_url(home)
    wait_for_panels(page)
    ui.check_page()

    # The minutes wait for this member's approval.
    waiting = page.locator("#panel-governance-meetings li", has_text="Styrgruppsmöte i november")
    expect(waiting.locator(".badge--mine")).to_be_visible()
    waiting.get_by_role("link", name="Styrgruppsmöte i november").click()
    page.wait_for_url(detail)
    ui.check_page()
    expect(page.locator("#agenda")).to_contain_text("Styrgruppen går igenom processplanen.")
    expect(page.locator("#agenda")).to_contain_text("Styrgruppen beslutar att anta processplanen.")

    # Justera: a confirmation page shows the minutes being signed; a login
    # moments ago needs no password again.
    page.get_by_role("link", name="Justera minnesanteckningarna").click()
    sign_url = reverse("governance:minutes_approve", args=[world.tenant.slug, finished.pk])
    page.wait_for_url(f"**{sign_url}")
    expect(page.locator("#signing-version")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Styrgruppen går igenom processplanen.")
    expect(page.locator('#sign-form input[name="password"]')).to_have_count(0)
    ui.check_page()
    page.get_by_test_id("sign-minutes").click()
    page.wait_for_url(detail)
    expect(page.locator(".minutes-status .badge--approved")).to_be_visible()
    expect(page.get_by_role("link", name="Justera minnesanteckningarna")).to_have_count(0)
    expect(page.get_by_test_id("signature-block")).to_be_visible()
    ui.check_page()
    with scopes_disabled():
        finished.refresh_from_db()
        assert finished.minutes_status == MinutesStatus.APPROVED
        assert finished.approved_by_id == world.users["steering"].pk
        assert finished.versions.count() == 1

    # Back on the dashboard nothing waits any more.
    page.locator("nav.main-nav").get_by_role("link", name="Översikt").click()
    page.wait_for_url(home)
    wait_for_panels(page)
    ui.check_page()
    meetings_panel = page.locator("#panel-governance-meetings")
    expect(meetings_panel.locator(".badge--mine")).to_have_count(0)
    path = reverse("governance:meeting_detail", args=[world.tenant.slug, finished.pk])
    expect(meetings_panel.locator(f'a[href="{path}"]')).to_have_count(0)
    # The staircase matrix lists the programme's principals.
    staircase = page.locator("#panel-implementation-staircase")
    expect(staircase.locator("table.staircase-matrix")).to_contain_text(world.principal.name)

    # A filter refreshes the panels in place and keeps the URL shareable.
    page.evaluate("window.__notReloaded = true")
    page.locator("#dashboard-filters select[name=body]").select_option(str(gov.body.pk))
    page.wait_for_url(re.compile(rf"\?(.*&)?body={gov.body.pk}"))
    wait_for_panels(page)
    expect(page.locator("#dashboard-status")).not_to_be_empty()
    assert page.evaluate("window.__notReloaded === true")
    ui.check_page()
    assert not [m for m in console if "Content Security Policy" in m], console
