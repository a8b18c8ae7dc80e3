""" "Skapa PDF" in a real browser: the button answers at once with the job's
status, htmx polls it while the worker renders, then the download link
replaces the poller and the PDF downloads; the page passes axe, no CSP errors."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from portal.documents import requests as document_requests
from portal.documents.tasks import render_document
from portal.models import GeneratedFile, GeneratedFileStatus
from tests.e2e.conftest import assert_accessible, login
from tests.governance.conftest import _gov
from tests.governance.factories import AgendaItemFactory, MeetingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


@pytest.fixture
def meeting(world, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    gov = _gov(world)
    meeting = MeetingFactory(body=gov.body, title="Styrgruppsmöte")
    AgendaItemFactory(meeting=meeting, title="Mål och resultat", minutes="Dialog.")
    return meeting


def test_create_pdf_polls_until_the_download_link_appears(
    page, live_server, axe, world, meeting, monkeypatch
):
    # The job waits in the queue until this test plays the worker.
    monkeypatch.setattr(document_requests, "enqueue", lambda **kwargs: None)
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    login(page, live_server, world.users["leader"].username, PASSWORD)
    page.goto(
        live_server.url + reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk])
    )
    panel = page.locator(f"#document-minutes-{meeting.pk}")
    assert panel.get_attribute("aria-live") == "polite"
    assert_accessible(axe, page)

    panel.get_by_role("button", name=re.compile("Create PDF|Skapa PDF")).click()
    poller = panel.locator("[hx-trigger='every 2s']")
    poller.wait_for()
    assert page.url.endswith(f"/meetings/{meeting.pk}/")  # answered in place
    with scopes_disabled():
        job = GeneratedFile.objects.get()
    assert job.status == GeneratedFileStatus.QUEUED

    assert render_document.apply(args=(job.pk, job.tenant_id)).result == "klar"

    link = panel.get_by_role("link", name=re.compile("Download PDF|Ladda ner PDF"))
    link.wait_for(timeout=10_000)
    assert panel.locator("[hx-trigger]").count() == 0  # polling stopped
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith("-utkast.pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert_accessible(axe, page)
    assert not [m for m in console if "Content Security Policy" in m], console
