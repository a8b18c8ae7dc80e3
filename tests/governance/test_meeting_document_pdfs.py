"""Meeting documents in the PDFs, rendered by the real task: the minutes list
them as attachments (bilagor) and show an image marked for the minutes under
its item; and the meeting pack ("Möteshandlingar (PDF)") merges the agenda
and every shared PDF document into one file with bookmarks."""

from __future__ import annotations

import base64
import io
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope
from pypdf import PdfReader

from governance.services import meeting_documents as services
from governance.services import meetings
from portal.documents import jobs as document_jobs
from portal.documents import requests as document_requests
from portal.documents.pdf import MAX_DATA_URL_BYTES
from portal.documents.registry import get_kind
from portal.models import GeneratedFile, GeneratedFileStatus
from portal.uploads import image_data_uri
from tests.document_helpers import eager_documents, file_bytes, pdf_pages, pdf_text
from tests.governance.meeting_document_helpers import (
    noisy_png_bytes,
    pdf_upload,
    png_bytes,
    png_upload,
    small_pdf,
    upload,
)
from tests.governance.service_helpers import approve, plan
from tests.helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    return eager_documents(settings, tmp_path)


def sv(message: str) -> str:
    with translation.override("sv"):
        return translation.gettext(message)


def render(world, user_key, kind_key, obj, capture) -> GeneratedFile:
    with scope(tenant=world.tenant):
        kind = get_kind(kind_key)
        with capture(execute=True):
            job = document_requests.request_document(
                actor=world.users[user_key],
                membership=world.memberships[user_key],
                tenant=world.tenant,
                kind=kind,
                obj=kind.load(world.tenant, obj.pk),
            )
        job.refresh_from_db()
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    return job


def image_count(data: bytes) -> int:
    done = subprocess.run(["pdfimages", "-list", "-"], input=data, capture_output=True)
    if done.returncode != 0:  # older poppler reads no stdin: go through a file
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(data)
            handle.flush()
            done = subprocess.run(["pdfimages", "-list", handle.name], capture_output=True)
    return len(done.stdout.decode().splitlines()[2:])


@pytest.fixture
def scene(world, gov):
    """A meeting with two items: a PDF to the whole meeting, an image shown
    under the first item, and a PDF under the second."""
    leader = world.users["leader"]
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title="Styrgruppsmöte")
        first = meetings.agenda_item_add(actor=leader, meeting=meeting, title="Mål och resultat")
        second = meetings.agenda_item_add(actor=leader, meeting=meeting, title="Ekonomi")
        services.document_add(
            actor=leader,
            meeting=meeting,
            upload=pdf_upload("Processplan 2026.pdf", "Processplanens första sida", "Andra sidan"),
        )
        services.document_add(
            actor=leader,
            meeting=meeting,
            upload=png_upload("hjulet.png"),
            title="Välbefinnandehjulet",
            agenda_item=first,
            show_in_minutes=True,
        )
        services.document_add(
            actor=leader,
            meeting=meeting,
            upload=pdf_upload("Budget.pdf", "Budgetunderlagets enda sida"),
            title="Budgetunderlag",
            agenda_item=second,
        )
    return meeting, first, second


# The minutes -------------------------------------------------------------------------


def test_the_minutes_pdf_lists_the_attachments_and_shows_the_image(
    world, scene, django_capture_on_commit_callbacks
):
    meeting, _first, _second = scene
    job = render(world, "leader", "minutes", meeting, django_capture_on_commit_callbacks)

    data = file_bytes(job)
    body = pdf_text(data)
    attachments = body[body.index(sv("Attachments")) :]
    assert "Processplan 2026 (Processplan 2026.pdf)" in attachments
    assert "Budgetunderlag (Budget.pdf;" in attachments
    assert "Välbefinnandehjulet (hjulet.png;" in attachments
    assert image_count(data) == 1
    # The image is under its item, before the next one.
    assert (
        body.index("Mål och resultat")
        < body.index("Välbefinnandehjulet")
        < body.index("2. Ekonomi")
    )


def test_the_minutes_html_embeds_the_image_and_no_url_of_it(world, scene):
    meeting, _first, _second = scene
    with scope(tenant=world.tenant):
        kind = get_kind("minutes")
        html, _audience = document_jobs.render_html(
            kind=kind, obj=kind.load(world.tenant, meeting.pk), tenant=world.tenant
        )
    (src,) = re.findall(r'<img src="([^"]+)" alt="Välbefinnandehjulet">', html)
    assert src == "data:image/png;base64," + base64.b64encode(png_bytes()).decode()


def test_approved_minutes_keep_their_image_and_attachments(
    world, scene, django_capture_on_commit_callbacks
):
    meeting, _first, _second = scene
    with scope(tenant=world.tenant):
        approve(world, meeting)
    job = render(world, "reporter", "minutes", meeting, django_capture_on_commit_callbacks)

    data = file_bytes(job)
    assert "Budgetunderlag" in pdf_text(data)[pdf_text(data).index(sv("Attachments")) :]
    assert image_count(data) == 1


def test_the_approved_version_page_shows_the_image_from_the_portal(world, scene, client_for):
    meeting, _first, _second = scene
    with scope(tenant=world.tenant):
        approve(world, meeting)
        image = meeting.documents.get(title="Välbefinnandehjulet")
    client = client_for(world.users["reporter"])

    page = text(
        client.get(reverse("governance:meeting_version", args=[world.tenant.slug, meeting.pk, 1]))
    )
    src = reverse("governance:document_version", args=[world.tenant.slug, image.pk, 1])

    assert f'<img src="{src}" alt="Välbefinnandehjulet">' in page
    assert client.get(src).status_code == 200


def test_a_large_image_is_scaled_to_fit_a_data_url():
    data = noisy_png_bytes((900, 900))
    assert len(base64.b64encode(data)) > MAX_DATA_URL_BYTES

    uri = image_data_uri(data, "image/png", max_bytes=MAX_DATA_URL_BYTES)

    assert uri is not None and len(uri) <= MAX_DATA_URL_BYTES
    from PIL import Image

    decoded = base64.b64decode(uri.split(",", 1)[1])
    with Image.open(io.BytesIO(decoded)) as image:
        assert max(image.size) < 900


def test_what_is_not_an_image_gives_no_data_url():
    assert image_data_uri(b"%PDF-1.4 not an image", "image/png", max_bytes=10_000) is None


# The meeting pack ---------------------------------------------------------------------


def outline(reader: PdfReader, entries=None, depth=0) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []
    for entry in reader.outline if entries is None else entries:
        if isinstance(entry, list):
            found += outline(reader, entry, depth + 1)
        else:
            found.append((depth, entry.title, reader.get_destination_page_number(entry)))
    return found


def test_the_pack_merges_the_agenda_and_the_shared_pdfs_with_bookmarks(
    world, scene, django_capture_on_commit_callbacks
):
    meeting, first, _second = scene
    leader = world.users["leader"]
    with scope(tenant=world.tenant):
        services.documents_share(actor=leader, meeting=meeting)
        # Not in the file: a Word file and a damaged PDF (named on the agenda),
        # and a document not shared (not named at all).
        services.document_add(
            actor=leader,
            meeting=meeting,
            upload=upload("Presentation.docx", b"PK\x03\x04word"),
            agenda_item=first,
        )
        services.document_add(actor=leader, meeting=meeting, upload=small_pdf("Trasig.pdf"))
        services.document_add(
            actor=leader,
            meeting=meeting,
            upload=pdf_upload("Ny.pdf", "Sent delad"),
        )
        services.documents_share(actor=leader, meeting=meeting)
        draft = services.document_add(
            actor=leader, meeting=meeting, upload=pdf_upload("Utkast2.pdf", "Ännu ett utkast")
        )
        assert not draft.is_shared

    job = render(world, "steering", "meeting_pack", meeting, django_capture_on_commit_callbacks)

    data = file_bytes(job)
    reader = PdfReader(io.BytesIO(data))
    body = pdf_text(data)
    cover = len(reader.pages) - 4  # the agenda's pages, then 2 + 1 + 1 pages of documents
    assert cover >= 1
    assert pdf_pages(data) == cover + 4
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages]
    assert "Processplanens första sida" in pages[cover]
    assert "Andra sidan" in pages[cover + 1]
    assert "Sent delad" in pages[cover + 2]
    assert "Budgetunderlagets enda sida" in pages[cover + 3]
    assert "Ännu ett utkast" not in body and "Utkast2" not in body
    # The agenda page names every shared document; those not in the file say so.
    assert "Mål och resultat" in body and "Ekonomi" in body
    assert f"Presentation.docx; {sv('in the portal')}" in body
    assert f"Trasig.pdf; {sv('in the portal')}" in body
    assert outline(reader) == [
        (0, sv("Agenda"), 0),
        (0, sv("For the whole meeting"), cover),
        (1, "Processplan 2026", cover),
        (1, "Ny", cover + 2),
        (0, "2. Ekonomi", cover + 3),
        (1, "Budgetunderlag", cover + 3),
    ]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    assert job.filename == "moteshandlingar-sg-2025-03-25.pdf"
    assert job.audience == "governance.view_approved_minutes"


def test_the_pack_is_for_who_may_read_the_meeting(world, scene):
    meeting, _first, _second = scene
    kind = get_kind("meeting_pack")
    with scope(tenant=world.tenant):
        meeting = kind.load(world.tenant, meeting.pk)
        readers = {role: kind.may_request(m, meeting) for role, m in world.memberships.items()}
        assert readers == {
            "leader": True,
            "steering": True,
            "reporter": False,  # the minutes are not approved
            "researcher": True,
            "admin": True,
        }
        approve(world, meeting)
        meeting = kind.load(world.tenant, meeting.pk)
        assert kind.may_request(world.memberships["reporter"], meeting)


def test_the_meeting_page_offers_the_pack(world, scene, client_for):
    meeting, _first, _second = scene

    page = text(
        client_for(world.users["leader"]).get(
            reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk])
        )
    )

    request_url = reverse(
        "portal:document_request", args=[world.tenant.slug, "meeting_pack", meeting.pk]
    )
    assert request_url in page
