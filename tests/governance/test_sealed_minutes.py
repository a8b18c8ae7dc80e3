"""Sealed minutes (issue 12, item 3): the PDF of approved minutes carries the
installation's seal, which pyHanko's validator finds intact, trusted and
covering the whole file; drafts say “UTKAST” and finished minutes
“Färdigställd – ej justerad”, unsealed. "Kontrollera ett dokument" tells a
member of the programme whether an uploaded PDF is an unaltered copy, of which
meeting and version, or that it was changed, or is not one of ours — without
revealing another programme's documents, and without writing anything."""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from governance.models import Meeting
from governance.services import meetings, minutes
from portal.documents import requests as document_requests
from portal.documents import seals
from portal.documents.registry import get_kind
from portal.models import GeneratedFile, GeneratedFileStatus
from tests.document_helpers import eager_documents, file_bytes, pdf_text
from tests.governance.service_helpers import approve, plan
from tests.helpers import ROLES, row_counts, text
from tests.seal_helpers import (
    encrypted,
    in_the_text,
    issued_certificate,
    signed_by,
    signed_range,
    validate,
    with_byte_changed,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # pyHanko imports DSA support, which cryptography deprecates
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.status import SignatureCoverageLevel


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Tasks run inline; generated files go to a temporary MEDIA_ROOT."""
    return eager_documents(settings, tmp_path)


def minutes_pdf(world, meeting: Meeting, user_key: str, django_capture_on_commit_callbacks):
    """The minutes' PDF as `user_key` asks for it (rendered inline on commit)."""
    with scope(tenant=world.tenant):
        kind = get_kind("minutes")
        obj = kind.load(world.tenant, meeting.pk)
        with django_capture_on_commit_callbacks(execute=True):
            job = document_requests.request_document(
                actor=world.users[user_key],
                membership=world.memberships[user_key],
                tenant=world.tenant,
                kind=kind,
                obj=obj,
            )
        job.refresh_from_db()
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    return job


def held_meeting(world, gov, title: str = "Styrgruppsmöte") -> Meeting:
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title=title)
        meetings.agenda_item_add(
            actor=world.users["leader"],
            meeting=meeting,
            title="Mål och resultat",
            minutes="Dialog kring lokal implementering.",
        )
    return meeting


def approved_meeting(world, gov, title: str = "Styrgruppsmöte") -> Meeting:
    meeting = held_meeting(world, gov, title)
    with scope(tenant=world.tenant):
        approve(world, meeting)
        return Meeting.objects.get(pk=meeting.pk)


@pytest.fixture
def sealed(world, gov, django_capture_on_commit_callbacks) -> tuple[Meeting, GeneratedFile, bytes]:
    """Approved minutes and their sealed PDF, as a principal reporter got it."""
    meeting = approved_meeting(world, gov)
    job = minutes_pdf(world, meeting, "reporter", django_capture_on_commit_callbacks)
    return meeting, job, file_bytes(job)


def our_certificate():
    key = seals.installation_key(create=False)
    assert key is not None
    return key.certificate


# The seal on the PDF -------------------------------------------------------------


def test_approved_minutes_pdf_is_sealed_and_the_seal_names_the_version(sealed):
    _meeting, job, data = sealed

    status = validate(data, our_certificate())
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert embedded.sig_object["/Reason"] == "Minnesanteckningar, justerad version 1"
    assert job.seal_reference == "1"
    assert job.seal_certificate == seals.fingerprint(our_certificate())
    assert job.checksum == hashlib.sha256(data).hexdigest()
    body = pdf_text(data)
    assert "Förseglad elektroniskt av Samverkansportalen" in body
    assert "UTKAST" not in body and "Färdigställd – ej justerad" not in body


def test_a_one_byte_change_to_sealed_minutes_is_detected_by_the_validator(sealed):
    _meeting, _job, data = sealed
    changed = with_byte_changed(data, in_the_text(data, b"/Producer") + 12)

    status = validate(changed, our_certificate())

    assert not status.intact and not status.bottom_line


def test_draft_minutes_pdf_says_utkast_and_is_not_sealed(
    world, gov, django_capture_on_commit_callbacks
):
    meeting = held_meeting(world, gov)
    job = minutes_pdf(world, meeting, "leader", django_capture_on_commit_callbacks)

    data = file_bytes(job)
    body = pdf_text(data)
    assert "UTKAST" in body and "Färdigställd – ej justerad" not in body
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []
    assert job.seal_signature == ""


def test_finished_minutes_pdf_says_finished_not_approved_instead_of_utkast(
    world, gov, django_capture_on_commit_callbacks
):
    meeting = held_meeting(world, gov)
    with scope(tenant=world.tenant):
        minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)
    job = minutes_pdf(world, meeting, "steering", django_capture_on_commit_callbacks)

    data = file_bytes(job)
    body = pdf_text(data)
    assert "Färdigställd – ej justerad" in body  # the header
    assert "FÄRDIGSTÄLLD – EJ JUSTERAD" in body  # the watermark
    assert "UTKAST" not in body
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []


# "Kontrollera ett dokument" ------------------------------------------------------


def check_url(world) -> str:
    return reverse("portal:document_check", args=[world.tenant.slug])


def upload(client, world, data: bytes, name: str = "protokoll.pdf"):
    return client.post(check_url(world), {"file": SimpleUploadedFile(name, data)})


def version_url(world, meeting: Meeting, number: int) -> str:
    return reverse("governance:meeting_version", args=[world.tenant.slug, meeting.pk, number])


@pytest.mark.parametrize("role", ROLES)
def test_every_member_may_open_the_check_page(role, world, client_for):
    response = client_for(world.users[role]).get(check_url(world))

    assert response.status_code == 200
    body = text(response)
    assert "<h1>Kontrollera ett dokument</h1>" in body
    assert 'type="file"' in body and 'accept=".pdf,application/pdf"' in body
    assert '<label for="check-file">PDF-fil' in body


def test_the_footer_links_the_check_page_in_a_programme(world, client_for):
    body = text(client_for(world.users["reporter"]).get(f"/{world.tenant.slug}/"))
    assert f'href="{check_url(world)}"' in body


def test_another_programmes_member_gets_404_and_an_outsider_the_login(
    world, other_world, client_for, client, sealed
):
    _meeting, _job, data = sealed
    stranger = client_for(other_world.users["leader"])
    assert stranger.get(check_url(world)).status_code == 404
    assert upload(stranger, world, data).status_code == 404

    response = client.get(check_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["reporter", "steering", "researcher"])
def test_an_unaltered_copy_is_named_with_its_meeting_and_version(role, world, client_for, sealed):
    meeting, _job, data = sealed

    response = upload(client_for(world.users[role]), world, data)

    assert response.status_code == 200
    body = text(response)
    assert '<h2 id="check-result">En oförändrad kopia</h2>' in body
    assert "Filen är exakt den PDF som portalen förseglade" in body
    assert meeting.title in body
    assert reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk]) in body
    assert f'href="{version_url(world, meeting, 1)}">Version 1, justerad' in body
    assert hashlib.sha256(data).hexdigest() in body
    assert response.context["result"].outcome == "unaltered"


def test_a_one_byte_change_is_reported_as_changed(world, client_for, sealed):
    meeting, _job, data = sealed
    start1, length1, _start2, _length2 = signed_range(data)
    changed = with_byte_changed(data, start1 + length1 // 2)  # in the minutes' own bytes

    body = text(upload(client_for(world.users["steering"]), world, changed))

    assert '<h2 id="check-result">Filen har ändrats</h2>' in body
    assert "En oförändrad kopia" not in body
    assert meeting.title in body  # the original, to open in the portal


def test_a_change_inside_the_seals_padding_is_a_change_too(world, client_for, sealed):
    """The seal's /Contents is padded with zeros that no signature covers:
    pyHanko cannot see a change there, the file's SHA-256 does."""
    _meeting, _job, data = sealed
    _start1, _length1, start2, _length2 = signed_range(data)
    padding = start2 - 2  # the last hex digit before the closing '>'
    assert data[padding : padding + 1] == b"0"
    changed = with_byte_changed(data, padding)
    assert validate(changed, our_certificate()).bottom_line  # the validator alone is fooled

    body = text(upload(client_for(world.users["steering"]), world, changed))

    assert "Filen har ändrats" in body and "En oförändrad kopia" not in body


@pytest.mark.parametrize("addition", ["bytes appended", "another signature"])
def test_anything_added_after_sealing_is_a_change(addition, world, client_for, sealed):
    _meeting, _job, data = sealed
    if addition == "bytes appended":
        changed = data + b"\n% tillagt i efterhand\n"
    else:
        changed = signed_by(data, issued_certificate("Någon annan"))

    body = text(upload(client_for(world.users["leader"]), world, changed))

    assert "Filen har ändrats" in body and "En oförändrad kopia" not in body


def test_the_check_names_the_version_a_copy_holds_after_a_revision(world, gov, client_for, sealed):
    meeting, _job, data = sealed
    with scope(tenant=world.tenant):
        minutes.minutes_revise(actor=world.users["leader"], meeting=meeting, reason="Rättelse")
        approve(world, Meeting.objects.get(pk=meeting.pk))

    body = text(upload(client_for(world.users["reporter"]), world, data))

    assert "En oförändrad kopia" in body
    assert f'href="{version_url(world, meeting, 1)}">Version 1, justerad' in body
    assert "Version 2" not in body


def test_another_programmes_sealed_minutes_reveal_nothing(
    world, other_world, other_gov, client_for, django_capture_on_commit_callbacks
):
    theirs = approved_meeting(other_world, other_gov, title="Kronobergs hemliga möte")
    data = file_bytes(
        minutes_pdf(other_world, theirs, "leader", django_capture_on_commit_callbacks)
    )

    response = upload(client_for(world.users["leader"]), world, data)

    assert response.status_code == 200
    body = text(response)
    assert '<h2 id="check-result">Inte ett dokument i det här programmet</h2>' in body
    assert "Kronobergs hemliga möte" not in body
    assert other_world.tenant.name not in body
    assert f"/{other_world.tenant.slug}/" not in body
    assert "Version 1" not in body and "En oförändrad kopia" not in body
    assert response.context["result"].document is None


def test_a_copy_sealed_before_the_certificate_changed_is_still_recognised(
    world, client_for, sealed, settings, tmp_path
):
    _meeting, _job, data = sealed
    settings.SEAL_DIR = tmp_path / "new-seal"  # the installation's certificate is replaced
    assert seals.installation_key().fingerprint != seals.fingerprint(our_certificate_of(data))

    body = text(upload(client_for(world.users["reporter"]), world, data))

    assert "En oförändrad kopia" in body


def our_certificate_of(data: bytes):
    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return embedded.signer_cert


def test_an_unsealed_pdf_says_it_carries_no_seal(
    world, gov, client_for, django_capture_on_commit_callbacks
):
    draft = file_bytes(
        minutes_pdf(world, held_meeting(world, gov), "leader", django_capture_on_commit_callbacks)
    )

    body = text(upload(client_for(world.users["leader"]), world, draft))

    assert '<h2 id="check-result">Inget sigill</h2>' in body


def test_a_pdf_signed_by_someone_else_is_not_the_portals(world, client_for):
    from portal.documents.pdf import html_to_pdf

    theirs = signed_by(html_to_pdf("<p>Avtal</p>"), issued_certificate("Någon annan"))

    body = text(upload(client_for(world.users["leader"]), world, theirs))

    assert '<h2 id="check-result">Inte förseglad av portalen</h2>' in body


def test_the_meeting_pages_pdf_panel_says_sealed_and_links_the_check(world, client_for, sealed):
    meeting, _job, _data = sealed
    url = reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk])

    body = text(client_for(world.users["reporter"]).get(url))

    assert "Förseglad elektroniskt av portalen." in body
    assert f'<a href="{check_url(world)}">Kontrollera en kopia</a>' in body


# Bad uploads: a clear error, nothing written, never a 500 --------------------------


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _garbage() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not a PDF", "Filen är inte en PDF."),
        ("a picture named .pdf", "Filen är inte en PDF."),
        ("garbage after a PDF header", "Filen gick inte att läsa som PDF. Den kan vara skadad."),
        ("encrypted", "Filen är krypterad (lösenordsskyddad)."),
        ("empty", "Den skickade filen är tom."),
        ("too large", "Filen är för stor: högst 2,0\xa0kB."),
        ("no file", "Välj PDF-filen som ska kontrolleras."),
    ],
)
def test_a_bad_upload_is_refused_clearly_and_writes_nothing(
    case, message, world, client_for, sealed, settings, media
):
    _meeting, _job, data = sealed
    uploads = {
        "not a PDF": b"Protokoll fort styrgruppen\n",
        "a picture named .pdf": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        "garbage after a PDF header": _garbage(),
        "encrypted": encrypted(data),
        "empty": b"",
        "too large": b"%PDF-1.7\n" + b"0" * 4096,
    }
    if case == "too large":
        settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES = 2048
    client = client_for(world.users["steering"])
    before, files_before = row_counts(), files_under(media)

    if case == "no file":
        response = client.post(check_url(world), {})
    else:
        response = upload(client, world, uploads[case])

    assert response.status_code == 200
    body = text(response)
    assert message in body
    assert 'aria-invalid="true"' in body
    assert response.context["result"] is None
    assert row_counts() == before
    assert files_under(media) == files_before
