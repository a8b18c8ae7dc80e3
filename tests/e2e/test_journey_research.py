"""Journey (d): a researcher following the programme asks for a data package
of the meetings and their attendance; the Celery worker builds it while the
page polls, and the researcher downloads the zip: a Frictionless data package
(datapackage.json and the CSV files) in which people appear as pseudonyms.
Every page and swap passes axe (WCAG 2.1 A and AA)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from governance.services import meetings, minutes
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
    """The steering group and a meeting last month with its attendance, its
    minutes finished (researchers read minutes as the steering group does)."""
    gov = _gov(world)
    starts = timezone.now() - datetime.timedelta(days=30)
    with scope(tenant=world.tenant):
        meeting = meetings.meeting_create(
            actor=world.users["leader"],
            body=gov.body,
            title="Styrgruppsmöte",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            agenda=[("Statusrapport", "information")],
        )
        minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)
    return gov


def test_researcher_downloads_a_data_package(
    page, live_server, axe, world, gov, celery_worker, console
):
    ui = Mouse(page, axe)
    export_page = live_server.url + reverse("research:export", args=[world.tenant.slug])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Användarnamn").fill(world.users["researcher"].username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("portal:home", args=[world.tenant.slug]))
    ui.check_page()

    page.locator("nav.main-nav").get_by_role("link", name="Forskning").click()
    page.wait_for_url(export_page)
    ui.check_page()
    form = page.locator("#export-form")
    form.locator("input[name=datasets][value=meetings]").check()
    form.locator("input[name=datasets][value=attendance]").check()
    expect(form.locator("input[name=format][value=datapackage]")).to_be_checked()
    form.locator("button[type=submit]").click()
    page.wait_for_url(export_page)
    ui.check_page()

    # The worker builds it while the row polls; then the download replaces the poller.
    link = page.locator("#exports-title ~ .table-wrap a.button[href*='/download/']")
    link.wait_for(timeout=60_000)
    ui.check_page()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".zip")
    with open(download.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert "datapackage.json" in names
    package = json.loads(archive.read("datapackage.json"))
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert {"meetings", "attendance"} <= set(resources)
    for resource in resources.values():
        assert resource["path"] in names
    rows = list(
        csv.DictReader(io.StringIO(archive.read(resources["attendance"]["path"]).decode("utf-8")))
    )
    assert len(rows) == 3  # the steering group's three members
    people = {row["person"] for row in rows}
    assert len(people) == 3
    text = b"".join(archive.read(name) for name in names).decode("utf-8", errors="replace")
    for name in (gov.chair.name, gov.leader.name, gov.member.name):
        assert name not in text  # pseudonymised
    assert not [m for m in console if "Content Security Policy" in m], console
