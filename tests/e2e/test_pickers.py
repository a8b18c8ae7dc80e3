"""The searchable people picker in the browser: a process leader finds two
presenters among 40+ people by typing, picks them with the keyboard only,
and the agenda item is saved with them. The page passes axe with the search
in use, and the Content-Security-Policy reports nothing."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from governance.models import AgendaItem
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_meetings import PASSWORD, _no_csp_errors, _url
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import BodyFactory, MeetingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(world):
    return MeetingFactory(body=BodyFactory(tenant=world.tenant))


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


def test_leader_picks_two_presenters_by_keyboard(page, live_server, world, meeting, axe, console):
    vaxjo = PrincipalFactory(tenant=world.tenant, name="Växjö kommun")
    ljungby = PrincipalFactory(tenant=world.tenant, name="Ljungby kommun")
    for n in range(40):
        PersonFactory(tenant=world.tenant, name=f"Kollega {n:02} Test", principal=vaxjo)
    asa = PersonFactory(tenant=world.tenant, name="Åsa Lindqvist", title="Rektor", principal=vaxjo)
    bo = PersonFactory(tenant=world.tenant, name="Bo Ek", title="Skolchef", principal=ljungby)

    login(page, live_server, world.users["leader"].username, PASSWORD)
    page.goto(live_server.url + _url("agenda_item_add", world, meeting.pk))
    form = page.locator("form:has(input[name=presenters])")
    form.locator("input[name=title]").fill("Lägesrapport från kommunerna")
    search = form.locator("[data-picker] .picker__input")
    search.wait_for(state="visible")
    search.focus()

    # Accents and case do not matter; the count is announced.
    page.keyboard.type("asa lind")
    count = form.locator(".picker__count")
    assert count.get_attribute("aria-live") == "polite"
    assert count.text_content().startswith("1")
    visible = form.locator(".picker__options li:visible")
    assert visible.count() == 1
    assert_accessible(axe, page)
    page.keyboard.press("Enter")  # picks the match instead of sending the form
    assert form.locator(f"input[name=presenters][value='{asa.pk}']").is_checked()
    assert search.input_value() == ""

    # The second one by the arrow keys and Space.
    page.keyboard.type("ljungby")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.value")
    assert focused == str(bo.pk)
    page.keyboard.press("Space")
    assert form.locator(f"input[name=presenters][value='{bo.pk}']").is_checked()
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    assert_accessible(axe, page)

    form.locator("button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with scopes_disabled():
        item = AgendaItem.objects.get(meeting=meeting, title="Lägesrapport från kommunerna")
        assert set(item.presenters.all()) == {asa, bo}
    _no_csp_errors(console)


def test_without_javascript_the_picker_is_a_list_of_checkboxes(
    browser, live_server, world, meeting
):
    people = [PersonFactory(tenant=world.tenant, name=f"Utan Skript {n}") for n in range(3)]
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server, world.users["leader"].username, PASSWORD)
        page.goto(live_server.url + _url("agenda_item_add", world, meeting.pk))
        form = page.locator("form:has(input[name=presenters])")
        assert not form.locator(".picker__input").is_visible()  # no search box without its script
        form.locator("input[name=title]").fill("Utan skript")
        form.locator(f"input[name=presenters][value='{people[0].pk}']").check()
        form.locator(f"input[name=presenters][value='{people[2].pk}']").check()
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
    finally:
        context.close()
    with scopes_disabled():
        item = AgendaItem.objects.get(meeting=meeting, title="Utan skript")
        assert set(item.presenters.all()) == {people[0], people[2]}
