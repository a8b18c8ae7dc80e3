"""Issue 14's journey: a process leader uploads seed 004 as a scanned PDF,
follows it being read by OCR in a real Celery worker (the page polls with
htmx), reviews the proposal, confirms it, and finds the meeting with its
attendance (the substitutes and whom they replace), decisions and
assignments. Every page on the way passes axe."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from governance.models import ActionItem, Attendance, Decision, Meeting
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PersonFactory
from tests.governance.conftest import _gov
from tests.governance.imports.test_ocr_scans import scanned
from tests.governance.imports.test_read_minutes import as_pdf, seed

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


def test_a_scanned_archive_minutes_becomes_a_meeting(
    page, live_server, axe, world, celery_worker, tmp_path
):
    gov = _gov(world)
    with scope(tenant=world.tenant):
        chair = PersonFactory(tenant=world.tenant, name="Camilla Holmqvist")
    scan = tmp_path / "Styrgruppen 2019-02-15 (skannad).pdf"
    scan.write_bytes(scanned(as_pdf(seed("004")), tmp_path))

    login(page, live_server, world.users["leader"].username, PASSWORD)
    page.goto(live_server.url + reverse("governance:meeting_list", args=[world.tenant.slug]))
    page.get_by_role("link", name=re.compile("Import old minutes|Importera gamla")).click()
    assert_accessible(axe, page)
    page.locator("input[type=file]").set_input_files(str(scan))
    page.get_by_label(re.compile("^(Body|Organ)")).select_option(label=gov.body.name)
    page.get_by_role("button", name=re.compile("Upload and read|Ladda upp och läs")).click()

    # The upload's page: the file is being read (polled), then ready to review.
    assert re.search(r"/imports/\d+/$", page.url)
    review = page.get_by_role("link", name=re.compile("Review the proposal|Granska förslaget"))
    review.wait_for(timeout=180_000)
    assert_accessible(axe, page)
    review.click()

    # The review: people linked to the directory, beside the lines read.
    form = page.locator("#import-review-form")
    form.wait_for()
    assert_accessible(axe, page)
    names = form.locator("input[name$='-name']")
    assert "Carina Mosel" in [names.nth(i).input_value() for i in range(names.count())]
    page.get_by_role("button", name=re.compile("Confirm and import|Bekräfta och importera")).click()

    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    assert_accessible(axe, page)
    body = page.locator("main").inner_text()
    assert "Carina Mosel" in body and "Per Sandberg" in body
    with scopes_disabled():
        meeting = Meeting.objects.get(tenant=world.tenant, imported=True)
        assert meeting.approved_in_original
        assert str(meeting.starts_at.date()) == "2019-02-15"
        rows = {a.person.name: a for a in Attendance.objects.filter(meeting=meeting)}
        assert rows["Camilla Holmqvist"].person == chair
        assert rows["Carina Mosel"].status == "ersatter"
        assert {p.name for p in rows["Carina Mosel"].replaces.all()} >= {"Per Sandberg"}
        assert Decision.objects.filter(meeting=meeting).count() >= 3
        assert ActionItem.objects.filter(agenda_item__meeting=meeting).count() >= 2
    assert "Styrgruppen beslutar att följeforskarna" in body or "följeforskarna" in body
