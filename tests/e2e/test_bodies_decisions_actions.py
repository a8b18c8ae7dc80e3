"""Bodies, the decision register and action items in a real browser: the pages
pass axe; the register's filters refresh the results in place, push the URL
and the back button restores the previous results; an action item's status
changes inline and is announced; a new chair is seated inline and the previous
chair moves to the earlier periods. No CSP errors along the way."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from governance.models import ActionItem, ActionStatus, BodyMember, MinutesStatus
from governance.services import actions as action_services
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PersonFactory
from tests.governance.conftest import _gov
from tests.governance.factories import AgendaItemFactory, DecisionFactory, MeetingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


def _url(live_server, name: str, world, *args) -> str:
    return live_server.url + reverse(f"governance:{name}", args=[world.tenant.slug, *args])


@pytest.fixture
def scene(world):
    gov = _gov(world)
    meeting = MeetingFactory(body=gov.body, minutes_status=MinutesStatus.APPROVED)
    item = AgendaItemFactory(meeting=meeting, title="Beslut tidsplan")
    DecisionFactory(
        meeting=meeting,
        body=gov.body,
        year=2024,
        number=7,
        decided_on=datetime.date(2024, 11, 5),
        text="Godkänna processplanen.",
    )
    DecisionFactory(
        meeting=meeting,
        body=gov.body,
        year=2025,
        number=12,
        decided_on=datetime.date(2025, 3, 25),
        text="Anta tidsplanen.",
    )
    with scope(tenant=world.tenant):
        action = action_services.action_create(
            actor=world.users["leader"],
            body=gov.body,
            description="Återkoppla hur ni vill arbeta med barnmedverkan.",
            owner_all=True,
            due_next_meeting=True,
            agenda_item=item,
        )
    return gov, action


def test_the_pages_are_accessible(page, live_server, axe, world, scene, console):
    gov, action = scene
    login(page, live_server, world.users["leader"].username, PASSWORD)
    for name, args in [
        ("body_list", []),
        ("body_detail", [gov.body.pk]),
        ("body_member_add", [gov.body.pk]),
        ("decision_list", []),
        ("action_list", []),
        ("action_detail", [action.pk]),
        ("action_edit", [action.pk]),
    ]:
        page.goto(_url(live_server, name, world, *args))
        assert_accessible(axe, page)
    assert not [m for m in console if "Content Security Policy" in m]


def test_register_filters_refresh_in_place_and_the_back_button_restores(
    page, live_server, world, scene, console
):
    login(page, live_server, world.users["steering"].username, PASSWORD)
    page.goto(
        _url(
            live_server,
            "decision_list",
            world,
        )
    )
    rows = page.locator("#decision-rows tr[id^=decision-]")
    expect(rows).to_have_count(2)

    page.locator("select[name=year]").select_option("2024")
    page.wait_for_url("**/decisions/?*year=2024*")
    expect(rows).to_have_count(1)
    assert "SG 2024 §7" in page.locator("#decision-rows").inner_text()
    expect(page.locator("#decision-count")).to_have_text(re.compile(r"^1\b"))

    page.go_back()
    page.wait_for_url(_url(live_server, "decision_list", world))
    expect(rows).to_have_count(2)
    assert not [m for m in console if "Content Security Policy" in m]


def test_status_changes_inline_and_is_announced(page, live_server, world, scene, console):
    _, action = scene
    login(page, live_server, world.users["leader"].username, PASSWORD)
    page.goto(_url(live_server, "action_list", world))
    row = page.locator(f"#action-{action.pk}")
    row.locator("select[name=status]").select_option(ActionStatus.DONE)
    row.locator("button[type=submit]").click()
    expect(page.locator("#action-announcer")).not_to_be_empty()
    assert page.locator(f"#action-{action.pk} select[name=status]").input_value() == "klar"
    with scopes_disabled():
        assert ActionItem.objects.get(pk=action.pk).status == ActionStatus.DONE
    assert page.url == _url(live_server, "action_list", world)  # no page load
    assert not [m for m in console if "Content Security Policy" in m]


def test_a_new_chair_is_seated_inline(page, live_server, world, scene, console):
    gov, _ = scene
    successor = PersonFactory(tenant=world.tenant, name="Ny Ordförande")
    login(page, live_server, world.users["leader"].username, PASSWORD)
    page.goto(_url(live_server, "body_detail", world, gov.body.pk))
    page.locator("#member-create a.button").click()
    form = page.locator("#member-create form")
    form.locator(f"input[name=person][value='{successor.pk}']").check()
    form.locator("select[name=role]").select_option("ordforande")
    form.locator("input[name=start_date]").fill("2025-09-01")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#body-members .message--success")
    with scopes_disabled():
        old_chair = BodyMember.objects.get(body=gov.body, person=gov.chair)
    assert old_chair.end_date == datetime.date(2025, 8, 31)
    assert page.locator(f"#period-{old_chair.pk}").count() == 1
    assert page.locator(f"#chair-period-{old_chair.pk}").count() == 1
    assert page.url == _url(live_server, "body_detail", world, gov.body.pk)
    assert not [m for m in console if "Content Security Policy" in m]
