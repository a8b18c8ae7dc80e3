"""A meeting document whose text holds a personal identity number is refused
on the form, with the reason, and nothing is written (issue 16, item 5)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django_scopes import scope, scopes_disabled

from governance.models import MeetingDocument, MeetingDocumentFile
from portal import personal_numbers
from portal.models import AuditEvent
from tests.governance.service_helpers import plan
from tests.helpers import form_errors, url_in
from tests.portal.personal_number_files import CLEAN, NUMBER, docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

url = url_in("governance")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def state() -> tuple[int, int, int]:
    with scopes_disabled():
        return (
            MeetingDocument.objects.count(),
            MeetingDocumentFile.objects.count(),
            AuditEvent.objects.count(),
        )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("Elevärende.pdf", pdf_bytes(f"Eleven {NUMBER} har behov av stöd.")),
        ("Elevärende.docx", docx_bytes(f"Eleven {NUMBER} har behov av stöd.")),
    ],
)
def test_a_document_with_a_number_is_refused_and_nothing_is_written(
    world, gov, client_for, name, data
):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title="Styrgruppsmöte")
    before = state()
    client = client_for(world.users["leader"])
    with translation.override("sv"):
        expected = str(personal_numbers.FILE_MESSAGE)
    response = client.post(
        url("document_add", world.tenant, meeting.pk), {"file": upload(name, data), "title": "X"}
    )
    assert response.status_code == 200
    assert form_errors(response)["file"] == [expected]
    assert state() == before


def test_an_ordinary_document_is_added(world, gov, client_for):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title="Styrgruppsmöte")
    client = client_for(world.users["leader"])
    response = client.post(
        url("document_add", world.tenant, meeting.pk),
        {"file": upload("Processplan.pdf", pdf_bytes(CLEAN)), "title": "Processplan"},
    )
    assert response.status_code in (200, 302)
    with scopes_disabled():
        assert MeetingDocument.objects.filter(meeting=meeting).count() == 1
