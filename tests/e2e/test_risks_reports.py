"""Risks and status reports in a real browser: the pages pass axe, a review
added with htmx appears in the history and updates the current assessment in
place, the activities per principal are edited inline, and no CSP errors."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from governance.models import Risk
from governance.services import reports as report_services
from governance.services import risks as risk_services
from tests.e2e.conftest import assert_accessible, login
from tests.governance.conftest import _gov
from tests.governance.factories import AgendaItemFactory, MeetingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


def _url(name: str, world, *args) -> str:
    return reverse(f"governance:{name}", args=[world.tenant.slug, *args])


@pytest.fixture
def scene(world):
    gov = _gov(world)
    item = AgendaItemFactory(meeting=MeetingFactory(body=gov.body), title="Risker")
    with scope(tenant=world.tenant):
        risk = risk_services.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="Saknat bifall från förvaltningen",
            category="forankring",
            likelihood=3,
            consequence=4,
            owner=gov.leader,
            mitigation="Nytt mejl till utbildningschefen.",
            raised_at=item,
        )
        checked = risk_services.risk_review_add(
            actor=world.users["leader"],
            risk=risk,
            reviewed_on=datetime.date.today() - datetime.timedelta(days=3),
            likelihood=3,
            consequence=4,
            status="hanteras",
            note="Inget svar ännu.",
        )
        report = report_services.report_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            period=datetime.date.today().replace(day=1),
            authors=[gov.leader],
            results="Workshops i tre kommuner.",
            presented_at=item,
        )
        report_services.report_link_reviews(
            actor=world.users["leader"], report=report, reviews=[checked]
        )
    return risk, report


def test_risk_and_report_pages_are_accessible(page, live_server, axe, world, scene):
    risk, report = scene
    login(page, live_server, world.users["leader"].username, PASSWORD)
    for name, args in [
        ("risk_list", []),
        ("risk_detail", [risk.pk]),
        ("risk_create", []),
        ("risk_edit", [risk.pk]),
        ("risk_archive", [risk.pk]),
        ("risk_review_add", [risk.pk]),
        ("report_list", []),
        ("report_detail", [report.pk]),
        ("report_create", []),
        ("report_edit", [report.pk]),
        ("report_activities", [report.pk]),
        ("report_reviews", [report.pk]),
        ("report_finish", [report.pk]),
    ]:
        page.goto(live_server.url + _url(name, world, *args))
        assert_accessible(axe, page)


def test_review_added_in_place_updates_history_and_assessment(
    page, live_server, axe, world, scene, console
):
    risk, _ = scene
    login(page, live_server, world.users["leader"].username, PASSWORD)
    detail = _url("risk_detail", world, risk.pk)
    page.goto(live_server.url + detail)
    assert page.locator("#risk-review-list > li:not(.empty-row)").count() == 1

    form = page.locator("#risk-review-add form")
    form.locator("select[name=likelihood]").select_option("2")
    form.locator("select[name=consequence]").select_option("2")
    form.locator("textarea[name=note]").fill("Svar har kommit.")
    form.locator("button[type=submit]").click()

    page.locator("#risk-review-add [role=status]").wait_for()
    assert page.url.endswith(detail)  # swapped in place
    assert page.locator("#risk-review-list > li:not(.empty-row)").count() == 2
    assert "Svar har kommit." in page.locator("#risk-review-list > li").first.inner_text()
    assert "risk-level--medium" in page.locator("#risk-assessment").inner_html()
    focused = page.evaluate("document.activeElement.getAttribute('role')")
    assert focused == "status"
    with scopes_disabled():
        assert Risk.objects.get(pk=risk.pk).likelihood == 2
    assert_accessible(axe, page)
    assert not [m for m in console if "Content Security Policy" in m], console


def test_activities_are_edited_inline_on_the_report(page, live_server, axe, world, scene, console):
    _, report = scene
    login(page, live_server, world.users["leader"].username, PASSWORD)
    detail = _url("report_detail", world, report.pk)
    page.goto(live_server.url + detail)
    section = page.locator("#report-activities")
    section.locator(f'a[href="{_url("report_activities", world, report.pk)}"]').click()
    field = section.locator(f"textarea[name=principal_{world.principal.pk}]")
    field.wait_for()
    assert_accessible(axe, page)
    field.fill("Workshop med elevhälsan.")
    section.locator("button[type=submit]").click()
    page.locator("#report-activities [role=status]").wait_for()
    assert page.url.endswith(detail)
    assert "Workshop med elevhälsan." in page.locator("#report-activities table").inner_text()
    assert_accessible(axe, page)
    assert not [m for m in console if "Content Security Policy" in m], console
