"""The meeting page in a real browser: a process leader logs attendance,
minutes, decisions, assignments and follow-up inline, without the page ever
reloading; every page passes axe and raises no CSP errors. The same pages
without JavaScript are covered in tests/governance/meetings/."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from governance.models import ActionItem, ActionStatusChange, AgendaItem, Meeting
from governance.services import actions, meetings
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PersonFactory
from tests.governance.conftest import Gov, _gov

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


@pytest.fixture
def gov(world) -> Gov:
    return _gov(world)


@pytest.fixture
def meeting(world, gov) -> Meeting:
    """The steering group's meeting, with an open assignment carried to it."""
    with scope(tenant=world.tenant):
        given = actions.action_create(
            actor=None,
            body=gov.body,
            description="Skicka nytt mejl till Eskilstuna",
            owner_all=True,
        )
        # Given at the meeting before, so it is open at this one (a meeting
        # only carries what was open on its day).
        earlier = datetime.datetime(2025, 2, 25, 13, tzinfo=STOCKHOLM)
        ActionItem.objects.filter(pk=given.pk).update(created_at=earlier, given_at=earlier)
        given.status_changes.update(changed_at=earlier)
        starts = datetime.datetime(2025, 3, 25, 13, tzinfo=STOCKHOLM)
        return meetings.meeting_create(
            actor=world.users["leader"],
            body=gov.body,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="Nygatan 20, Växjö",
            agenda=[("Statusrapport", "information"), ("Risker", "dialog")],
        )


def _url(name: str, world, *args) -> str:
    return reverse(f"governance:{name}", args=[world.tenant.slug, *args])


def _no_csp_errors(console: list[str]) -> None:
    assert not [m for m in console if "Content Security Policy" in m], console


def _still_the_same_page(page) -> bool:
    return page.evaluate("window.__notReloaded === true")


def test_meeting_pages_are_accessible(page, live_server, axe, world, meeting, console):
    with scopes_disabled():
        item = AgendaItem.objects.filter(meeting=meeting).order_by("position").first()
    login(page, live_server, world.users["leader"].username, PASSWORD)
    for name, args in [
        ("meeting_list", []),
        ("meeting_create", []),
        ("meeting_detail", [meeting.pk]),
        ("meeting_edit", [meeting.pk]),
        ("meeting_cancel", [meeting.pk]),
        ("meeting_plan_next", [meeting.pk]),
        ("agenda_item_add", [meeting.pk]),
        ("agenda_item_edit", [item.pk]),
        ("attendance_add", [meeting.pk]),
        ("decision_add", [item.pk]),
        ("action_add", [item.pk]),
    ]:
        page.goto(live_server.url + _url(name, world, *args))
        assert_accessible(axe, page)
    _no_csp_errors(console)


def test_leader_logs_the_meeting_inline_without_reloading(
    page, live_server, axe, world, gov, meeting, console
):
    with scopes_disabled():
        first, second, follow_up = AgendaItem.objects.filter(meeting=meeting).order_by("position")
        carried = ActionItem.objects.get(description__startswith="Skicka nytt mejl")
    guest = PersonFactory(
        tenant=world.tenant, name="Angelika Thelin", organisation="Linnéuniversitetet"
    )
    login(page, live_server, world.users["leader"].username, PASSWORD)
    page.goto(live_server.url + _url("meeting_detail", world, meeting.pk))
    page.evaluate("window.__notReloaded = true")

    # An attendee from the directory.
    page.locator("#attendance-create a").click()
    form = page.locator("#attendance-create form")
    form.locator(f"input[name=person][value='{guest.pk}']").check()
    form.locator("button[type=submit]").click()
    page.locator("#attendance tbody th", has_text="Angelika Thelin").wait_for()

    # The minutes of the first item.
    item = page.locator(f"#agenda-item-{first.pk}")
    item.locator(f'a[href="{_url("agenda_item_edit", world, first.pk)}"]').click()
    item.locator("textarea[name=minutes]").fill("Nettan och Malin går igenom **statusrapporten**.")
    item.locator("button[type=submit]").click()
    page.locator(f"#agenda-item-{first.pk} .minutes-text strong").wait_for()

    # A decision, and an assignment from it.
    page.locator(f"#decision-create-{first.pk} a").click()
    page.locator(f"#decision-create-{first.pk} textarea[name=text]").fill(
        "Styrgruppen beslutar att tidsplanen kallas processplan."
    )
    page.locator(f"#decision-create-{first.pk} button[type=submit]").click()
    page.locator(f"#agenda-item-{first.pk} .decision__reference", has_text="SG 2025 §1").wait_for()
    # Focus lands on the item that changed, for keyboard and screen-reader users.
    assert page.evaluate("document.activeElement.id") == f"agenda-item-{first.pk}-title"

    page.locator(f"#action-create-{first.pk} a").click()
    action_form = page.locator(f"#action-create-{first.pk} form")
    action_form.locator("textarea[name=description]").fill("Återkoppla om barnmedverkan")
    action_form.locator("input[name=owner_all]").check()
    action_form.locator("input[name=due_next_meeting]").check()
    action_form.locator("button[type=submit]").click()
    page.locator(f"#agenda-item-{first.pk} .assignments th", has_text="Återkoppla om").wait_for()

    # Moving the second item up re-renders the agenda.
    page.locator(f"#agenda-item-{second.pk} form:has(input[value=up]) button").click()
    page.locator(f"#agenda-item-{second.pk} h3", has_text="1. Risker").wait_for()

    # The carried assignment is marked done at this meeting.
    row = page.locator(f"#followup-{follow_up.pk}-{carried.pk}")
    row.locator("button[value=klar]").click()
    row.locator("[role=status]").wait_for()

    assert _still_the_same_page(page)
    assert page.url.endswith(_url("meeting_detail", world, meeting.pk))
    assert_accessible(axe, page)
    _no_csp_errors(console)
    with scopes_disabled():
        change = ActionStatusChange.objects.filter(action_item=carried).latest("id")
        assert (change.to_status, change.meeting_id) == ("klar", meeting.pk)
        assert AgendaItem.objects.get(pk=first.pk).minutes.startswith("Nettan och Malin")


def test_a_refused_inline_save_keeps_the_form(page, live_server, world, meeting, console):
    with scopes_disabled():
        first = AgendaItem.objects.filter(meeting=meeting).order_by("position").first()
    login(page, live_server, world.users["leader"].username, PASSWORD)
    page.goto(live_server.url + _url("meeting_detail", world, meeting.pk))
    page.locator(f"#action-create-{first.pk} a").click()
    form = page.locator(f"#action-create-{first.pk} form")
    form.locator("textarea[name=description]").fill("Utan ägare")
    form.locator("button[type=submit]").click()
    page.locator(f"#action-create-{first.pk} [aria-invalid=true]").first.wait_for()
    focused = page.evaluate("document.activeElement.getAttribute('aria-invalid')")
    assert focused == "true"
    _no_csp_errors(console)
