"""The dashboards in a real browser: lazy panels replace their placeholders,
filters refresh the panels in place with a shareable, back-button-able URL,
the page works without JavaScript (`?panels=all`), the principal dashboard
draws its staircase timeline with a table, a click on the staircase matrix
opens a principal's history, and every state passes axe."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope
from playwright.sync_api import Page, expect

from governance.models import AttendanceStatus
from governance.services import meetings, risks
from implementation.services import catalogue, goals
from implementation.services.staircase import staircase_ensure_default
from portal.models import Sector
from tests.e2e.conftest import assert_accessible, login
from tests.factories import OperationFactory, PersonFactory
from tests.governance.conftest import _gov
from tests.governance.service_helpers import approve, at
from tests.implementation.helpers import approved

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"
H1 = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
H2 = (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
LAZY = "#dashboard-panels .panel--lazy"


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


def home(live_server, world, query: str = "") -> str:
    return live_server.url + reverse("portal:home", args=[world.tenant.slug]) + query


def principal_page(live_server, world, principal, query: str = "") -> str:
    path = reverse("portal:principal_dashboard", args=[world.tenant.slug, principal.pk])
    return live_server.url + path + query


@pytest.fixture
def scene(world):
    """Two principals with a school and a social services office each, approved
    self-assessments over a year, an indicator with a target and values, and a
    steering group with held meetings, risks and overdue action items."""
    today = datetime.date.today()
    with scope(tenant=world.tenant):
        staircase_ensure_default(world.tenant)
        catalogue.ensure_defaults(world.tenant)
    school = OperationFactory(
        tenant=world.tenant,
        principal=world.principal,
        name="Grundskolan",
        sector=Sector.COMPULSORY_SCHOOL,
    )
    OperationFactory(
        tenant=world.tenant,
        principal=world.principal,
        name="Socialtjänsten",
        sector=Sector.SOCIAL_SERVICES,
    )
    OperationFactory(
        tenant=world.tenant,
        principal=world.other_principal,
        name="Individ- och familjeomsorgen",
        sector=Sector.SOCIAL_SERVICES,
    )
    approved(world, 1, period=H1, approved_on=datetime.date(2025, 7, 20))
    approved(world, 3, period=H2, approved_on=today - datetime.timedelta(days=20))
    approved(world, 2, operation=school, period=H2, approved_on=today - datetime.timedelta(days=20))
    approved(world, 2, principal=world.other_principal, period=H2)
    gov = _gov(world)
    with scope(tenant=world.tenant):
        indicator = goals.indicator_create(
            actor=None,
            tenant=world.tenant,
            name="Andel elever med plan",
            kind="andel",
            level="huvudman",
            unit="%",
            target=Decimal(80),
        )
        for principal, value in ((world.principal, 85), (world.other_principal, 60)):
            goals.indicator_value_set(
                actor=None,
                indicator=indicator,
                principal=principal,
                period=today.replace(day=1),
                value=Decimal(value),
                source="enkat",
            )
        leader = world.users["leader"]
        for days_ago in (60, 30):
            day = today - datetime.timedelta(days=days_ago)
            meeting = meetings.meeting_create(
                actor=leader,
                body=gov.body,
                starts_at=at(day.year, day.month, day.day),
                ends_at=at(day.year, day.month, day.day, 15),
            )
            if days_ago == 30:
                meetings.attendance_set(
                    actor=leader, meeting=meeting, person=gov.member, status=AttendanceStatus.ABSENT
                )
            item = meetings.agenda_item_add(actor=leader, meeting=meeting, title="Lägesbild")
            risks.risk_create(
                actor=leader,
                tenant=world.tenant,
                title=f"Svagt ägarskap {days_ago}",
                category="forankring",
                likelihood=3,
                consequence=4,
                raised_at=item,
            )
            meetings.agenda_action_create(
                actor=leader,
                item=item,
                owner_principal=world.principal,
                description=f"Återrapportera läget ({days_ago})",
                due_date=day + datetime.timedelta(days=14),
            )
            approve(world, meeting)
        upcoming = today + datetime.timedelta(days=14)
        meetings.meeting_create(
            actor=leader,
            body=gov.body,
            title="Nästa styrgruppsmöte",
            starts_at=at(upcoming.year, upcoming.month, upcoming.day),
            ends_at=at(upcoming.year, upcoming.month, upcoming.day, 15),
        )
    PersonFactory(tenant=world.tenant, principal=world.principal, name="Eva Strateg")
    return {"gov": gov, "school": school}


def open_every_table(page: Page) -> None:
    """Unfold every chart's table, so that axe checks them too (it passes
    over what is hidden)."""
    page.locator("#dashboard-panels details").evaluate_all(
        "elements => elements.forEach(element => { element.open = true; })"
    )


def wait_for_lazy_panels(page: Page) -> None:
    """Every placeholder has been swapped for its panel."""
    page.wait_for_selector("#dashboard-panels")
    # Generous: the panels are drawn while other suites share the machine.
    expect(page.locator(LAZY)).to_have_count(0, timeout=20_000)


def test_the_programme_dashboard_loads_its_lazy_panels_and_passes_axe(
    page, live_server, world, scene, axe, console
):
    login(page, live_server, "sormland-leader", PASSWORD)
    page.goto(home(live_server, world))

    wait_for_lazy_panels(page)

    # The lazy ones came with their content: the charts and their tables.
    expect(page.locator("#panel-implementation-progress svg[role=img]")).to_have_count(1)
    expect(page.locator("#panel-implementation-indicators svg[role=img]")).to_have_count(1)
    expect(page.locator("#panel-implementation-indicators table").last).to_contain_text(
        "Andel elever med plan"
    )
    representation = page.locator("#panel-governance-representation")
    expect(representation.locator("svg[role=img]")).to_have_count(1)
    expect(representation.locator("table").first).to_contain_text(world.principal.name)
    expect(page.locator("#panel-governance-risks .risk-matrix")).to_contain_text("Svagt ägarskap")
    expect(page.locator("#panel-governance-meetings")).to_contain_text("Nästa styrgruppsmöte")
    expect(page.locator("#dashboard-panels [aria-busy=true]")).to_have_count(0)
    assert_accessible(axe, page)
    open_every_table(page)
    assert_accessible(axe, page)

    # Every panel at once (the page without JavaScript) is accessible too.
    page.goto(home(live_server, world, "?panels=all"))
    expect(page.locator(LAZY)).to_have_count(0)
    assert_accessible(axe, page)
    assert not [m for m in console if "Content Security Policy" in m]


def test_the_dashboards_pass_axe_on_a_narrow_screen(page, live_server, world, scene, axe):
    """At 320 CSS pixels (WCAG 1.4.10 reflow) wide tables scroll in their
    box, and a box that scrolls must be reachable with the keyboard."""
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, live_server, "sormland-leader", PASSWORD)
    for address in (
        home(live_server, world),
        principal_page(live_server, world, world.principal),
    ):
        page.goto(address)
        wait_for_lazy_panels(page)
        open_every_table(page)
        assert_accessible(axe, page)
        # Nothing but the table boxes scrolls sideways: the page itself reflows.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_filter_refreshes_the_panels_in_place_and_the_back_button_restores_them(
    page, live_server, world, scene, axe, console
):
    login(page, live_server, "sormland-leader", PASSWORD)
    page.goto(home(live_server, world))
    wait_for_lazy_panels(page)
    matrix = page.locator("#panel-implementation-staircase table.staircase-matrix")
    expect(matrix.locator("thead")).to_contain_text("Socialtjänst")
    expect(matrix.locator("thead")).to_contain_text("Grundskola")
    page.evaluate("window.dashboardMarker = 'still here'")

    page.select_option("#dashboard-sector", Sector.SOCIAL_SERVICES.value)

    page.wait_for_url(f"**sector={Sector.SOCIAL_SERVICES.value}**")
    assert "panels=all" not in page.url  # with JavaScript the panels still load lazily
    expect(matrix.locator("thead")).not_to_contain_text("Grundskola")
    expect(matrix.locator("thead")).to_contain_text("Socialtjänst")
    wait_for_lazy_panels(page)
    # The panels say which filter they answer to.
    expect(page.locator("#panel-implementation-staircase .panel__filters")).to_contain_text(
        "Socialtjänst"
    )
    # No full page load: the window (and its marker) survived.
    assert page.evaluate("window.dashboardMarker") == "still here"
    expect(page.locator("#dashboard-status")).not_to_be_empty()
    assert_accessible(axe, page)

    page.select_option("#dashboard-period", "6")
    page.wait_for_url("**period=6**")
    assert "sector=socialtjanst" in page.url
    wait_for_lazy_panels(page)

    page.go_back()
    page.wait_for_url(f"**sector={Sector.SOCIAL_SERVICES.value}**")
    assert "period=6" not in page.url
    # The selects say what the restored panels show.
    expect(page.locator("#dashboard-period")).to_have_value("24")
    expect(page.locator("#dashboard-sector")).to_have_value(Sector.SOCIAL_SERVICES.value)
    page.go_back()
    page.wait_for_url(lambda url: "sector=" not in url)
    expect(page.locator("#dashboard-sector")).to_have_value("")

    expect(matrix.locator("thead")).to_contain_text("Grundskola")
    expect(matrix.locator("thead")).to_contain_text("Socialtjänst")
    assert page.evaluate("window.dashboardMarker") == "still here"
    assert not [m for m in console if "Content Security Policy" in m]


def test_back_without_htmxs_history_cache_asks_the_server_for_the_whole_page(
    page, live_server, world, scene
):
    login(page, live_server, "sormland-leader", PASSWORD)
    page.goto(home(live_server, world))
    wait_for_lazy_panels(page)
    page.select_option("#dashboard-sector", Sector.SOCIAL_SERVICES.value)
    page.wait_for_url(f"**sector={Sector.SOCIAL_SERVICES.value}**")
    wait_for_lazy_panels(page)
    # A history cache miss (a full or cleared sessionStorage): htmx fetches
    # the address with HX-History-Restore-Request, which must get the page.
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    restores: list[str] = []
    page.on(
        "request",
        lambda request: (
            restores.append(request.url)
            if request.headers.get("hx-history-restore-request")
            else None
        ),
    )

    page.go_back()
    page.wait_for_url(lambda url: "sector=" not in url)

    wait_for_lazy_panels(page)
    thead = page.locator("#panel-implementation-staircase table.staircase-matrix thead")
    expect(thead).to_contain_text("Grundskola")
    expect(page.locator("#dashboard-sector")).to_have_value("")
    expect(page.locator("header")).to_have_count(1)  # one page, not a page inside a page
    expect(page.locator("#dashboard-panels")).to_have_count(1)
    assert restores == [home(live_server, world)]


def test_a_shared_filtered_address_shows_the_filtered_dashboard(page, live_server, world, scene):
    login(page, live_server, "sormland-leader", PASSWORD)
    page.goto(home(live_server, world, f"?sector={Sector.SOCIAL_SERVICES.value}"))
    wait_for_lazy_panels(page)

    expect(page.locator("#dashboard-sector")).to_have_value(Sector.SOCIAL_SERVICES.value)
    thead = page.locator("#panel-implementation-staircase table.staircase-matrix thead")
    expect(thead).not_to_contain_text("Grundskola")


def test_without_javascript_the_dashboard_offers_every_panel_at_once(
    browser, live_server, world, scene
):
    # No page.evaluate here (nor axe, which runs through it): with JavaScript
    # disabled it would wait forever. Locators work, from Playwright's own world.
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, live_server, "sormland-leader", PASSWORD)
        page.goto(home(live_server, world))

        # The lazy panels stay placeholders, each with a link to its content …
        assert page.locator(LAZY).count() >= 3
        every_panel = page.locator("a[href$='panels=all']")
        expect(every_panel).to_be_visible()

        # … and the noscript link shows every panel in the page.
        every_panel.click()
        page.wait_for_load_state()

        assert "panels=all" in page.url
        expect(page.locator(LAZY)).to_have_count(0)
        expect(page.locator("#panel-implementation-progress svg[role=img]")).to_have_count(1)
        expect(page.locator("#panel-implementation-indicators table").last).to_contain_text(
            "Andel elever med plan"
        )
        expect(page.locator("#panel-governance-representation table").first).to_contain_text(
            world.principal.name
        )
        for section in page.locator("#dashboard-panels > section.panel").all():
            # every panel has its heading and something under it
            assert section.locator(":scope > h2").count() == 1
            assert section.locator(":scope > :not(h2)").count() >= 1
        # The filter form works as a plain GET form.
        page.select_option("#dashboard-sector", Sector.SOCIAL_SERVICES.value)
        page.locator("#dashboard-filters button[type=submit]").click()
        page.wait_for_load_state()
        assert f"sector={Sector.SOCIAL_SERVICES.value}" in page.url
        thead = page.locator("#panel-implementation-staircase table.staircase-matrix thead")
        expect(thead).not_to_contain_text("Grundskola")
    finally:
        context.close()


def test_the_principal_dashboard_draws_the_staircase_timeline_with_its_table(
    page, live_server, world, scene, axe, console
):
    login(page, live_server, "sormland-leader", PASSWORD)
    page.goto(principal_page(live_server, world, world.principal))
    wait_for_lazy_panels(page)

    history = page.locator("#panel-implementation-history")
    svg = history.locator("svg[role=img]")
    expect(svg).to_have_count(1)
    assert svg.locator("path").count() == 2  # the principal as a whole, and the school
    expect(svg.locator("title")).to_contain_text(world.principal.name)
    # The same numbers as a table, shown on request.
    history.locator("details.chart__table summary").click()
    table = history.locator("details.chart__table table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table).to_contain_text("Grundskolan")
    expect(page.locator("#panel-implementation-operations")).to_contain_text("Grundskolan")
    expect(page.locator("#panel-governance-principal-attendance")).to_contain_text(
        scene["gov"].member.name
    )
    assert_accessible(axe, page)
    open_every_table(page)
    assert_accessible(axe, page)
    assert not [m for m in console if "Content Security Policy" in m]


def test_a_click_in_the_staircase_matrix_opens_the_principals_history(
    page, live_server, world, scene
):
    login(page, live_server, "sormland-leader", PASSWORD)
    page.goto(home(live_server, world))
    row = page.locator("#panel-implementation-staircase tbody tr").filter(
        has_text=world.principal.name
    )

    row.locator("td.step-cell a").first.click()

    page.wait_for_url(f"**/dashboard/principals/{world.principal.pk}/**")
    assert page.url.endswith("#panel-implementation-history")
    history = page.locator("#panel-implementation-history")
    expect(history.locator("svg[role=img]")).to_have_count(1)
    expect(history).to_be_in_viewport()


def test_a_reporter_sees_the_programme_and_its_own_principals_dashboard(
    page, live_server, world, scene, axe
):
    login(page, live_server, "sormland-reporter", PASSWORD)
    page.goto(home(live_server, world))
    wait_for_lazy_panels(page)
    assert_accessible(axe, page)

    page.goto(principal_page(live_server, world, world.principal))
    wait_for_lazy_panels(page)
    expect(page.locator("#panel-implementation-history svg[role=img]")).to_have_count(1)
    assert_accessible(axe, page)
