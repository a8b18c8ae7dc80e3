"""Sealed PDFs, the machinery (portal/documents/seals.py and `PdfDocument.seal` in
portal/documents/jobs.py): a kind that seals has its PDF sealed right after
rendering, with the installation's certificate, and the seal recorded on the
file; pyHanko's validator, run as an outsider would, finds the seal intact,
trusted and covering the whole file, and a one-byte change breaks it. The
certificate is the configured one, or a self-signed one generated once and
kept private; one that cannot seal fails the job with a message."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import subprocess
import sys
import warnings

import pytest
from django.conf import settings as django_settings
from django_scopes import scope

from portal.documents import jobs as document_jobs
from portal.documents import registry as documents
from portal.documents import requests as document_requests
from portal.documents import seals
from portal.models import GeneratedFileStatus, Principal
from tests.document_helpers import eager_documents, file_bytes, pdf_info, pdf_text
from tests.seal_helpers import (
    in_the_text,
    issued_certificate,
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
    return eager_documents(settings, tmp_path)


def _sealed_note(principal: Principal, context) -> documents.Seal:
    return documents.Seal(reason="Justerad anteckning", reference="7")


# A small kind that seals its PDFs, and the same kind without a seal.
SEALED_NOTE = documents.PdfDocument(
    key="test_sealed_note",
    label="Test note",
    model=Principal,
    rule="portal.view",
    load=lambda tenant, pk: Principal.objects.filter(tenant=tenant, pk=pk).first(),
    template="portal/pdf/base.html",
    context=lambda principal: {"draft": False},
    filename=lambda principal: "anteckning.pdf",
    title=lambda principal: f"Anteckning om {principal.name}",
    seal=_sealed_note,
)
PLAIN_NOTE = documents.PdfDocument(
    key="test_plain_note",
    label="Test note",
    model=Principal,
    rule="portal.view",
    load=SEALED_NOTE.load,
    template="portal/pdf/base.html",
    context=lambda principal: {"draft": False},
    filename=lambda principal: "anteckning.pdf",
    title=lambda principal: f"Anteckning om {principal.name}",
)


@pytest.fixture
def kinds(monkeypatch):
    for kind in (SEALED_NOTE, PLAIN_NOTE):
        monkeypatch.setitem(documents._KINDS, kind.key, kind)


def render(world, kind: documents.PdfDocument, django_capture_on_commit_callbacks):
    with scope(tenant=world.tenant):
        with django_capture_on_commit_callbacks(execute=True):
            job = document_requests.request_document(
                actor=world.users["leader"],
                membership=world.memberships["leader"],
                tenant=world.tenant,
                kind=kind,
                obj=world.principal,
            )
        job.refresh_from_db()
    return job


def our_certificate():
    key = seals.installation_key()
    assert key is not None
    return key.certificate


def test_a_sealing_kind_has_its_pdf_sealed_and_the_seal_recorded(
    world, kinds, django_capture_on_commit_callbacks
):
    job = render(world, SEALED_NOTE, django_capture_on_commit_callbacks)

    assert job.status == GeneratedFileStatus.DONE, job.error_message
    data = file_bytes(job)
    status = validate(data, our_certificate())
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert embedded.sig_object["/Reason"] == "Justerad anteckning"
    assert embedded.sig_object["/Location"] == world.tenant.name
    signature = hashlib.sha256(bytes(embedded.signer_info["signature"].native)).hexdigest()
    assert job.seal_reference == "7"
    assert job.seal_signature == signature
    assert job.seal_certificate == seals.fingerprint(our_certificate())
    assert job.checksum == hashlib.sha256(data).hexdigest()  # of the sealed file
    assert "Förseglad elektroniskt av Samverkansportalen" in pdf_text(data)


def test_a_sealed_pdf_is_still_pdf_a_2b(world, kinds, django_capture_on_commit_callbacks):
    data = file_bytes(render(world, SEALED_NOTE, django_capture_on_commit_callbacks))
    xmp = pdf_info(data, "-meta")
    assert re.search(r"<pdfaid:part>2</pdfaid:part>|pdfaid:part=\"2\"", xmp)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>|pdfaid:conformance=\"B\"", xmp)
    # An RSA seal keeps PDF 1.7 (PDF/A-2 is based on it); ECDSA would make it 2.0.
    assert re.search(r"^PDF version:\s+1.7", pdf_info(data), re.MULTILINE)


def test_a_kind_without_a_seal_is_not_sealed(world, kinds, django_capture_on_commit_callbacks):
    job = render(world, PLAIN_NOTE, django_capture_on_commit_callbacks)

    data = file_bytes(job)
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []
    assert (job.seal_reference, job.seal_signature, job.seal_certificate) == ("", "", "")
    assert "Förseglad" not in pdf_text(data)


def test_a_one_byte_change_breaks_the_seal(world, kinds, django_capture_on_commit_callbacks):
    data = file_bytes(render(world, SEALED_NOTE, django_capture_on_commit_callbacks))
    start1, length1, start2, length2 = signed_range(data)
    # In the document, before the seal; and in the seal's own reason, after its signature.
    changes = [in_the_text(data, b"/Producer") + 12, in_the_text(data, b"/Reason (Justerad") + 10]
    for at in changes:
        assert start1 <= at < start1 + length1 or start2 <= at < start2 + length2
        status = validate(with_byte_changed(data, at), our_certificate())
        assert not status.intact, at
        assert not status.bottom_line, at


def test_the_self_signed_certificate_is_generated_once_and_kept_private(settings, tmp_path):
    settings.SEAL_DIR = tmp_path / "private" / "seal"
    assert seals.installation_key(create=False) is None
    assert not settings.SEAL_DIR.exists()

    first = seals.installation_key()

    assert first is not None
    path = settings.SEAL_DIR / seals.GENERATED_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.SEAL_DIR.stat().st_mode) == 0o700
    assert os.listdir(settings.SEAL_DIR) == [seals.GENERATED_FILE]  # no temporary file left
    assert first.certificate.subject.native["common_name"] == seals.GENERATED_NAME
    # Kept: a new process (no cache) loads the same certificate.
    seals._generated.cache_clear()
    again = seals.installation_key(create=False)
    assert again is not None and again.fingerprint == first.fingerprint
    assert not path.is_relative_to(django_settings.MEDIA_ROOT)


def test_two_processes_generating_at_once_keep_one_certificate(settings, tmp_path):
    settings.SEAL_DIR = tmp_path / "seal"
    seals._generate(settings.SEAL_DIR)
    kept = (settings.SEAL_DIR / seals.GENERATED_FILE).read_bytes()

    seals._generate(settings.SEAL_DIR)  # the slower one: its link fails, its file is dropped

    assert (settings.SEAL_DIR / seals.GENERATED_FILE).read_bytes() == kept
    assert os.listdir(settings.SEAL_DIR) == [seals.GENERATED_FILE]


def test_a_configured_certificate_seals_with_its_chain(settings, tmp_path):
    issued = issued_certificate(passphrase=b"hemlig fras")
    cert_path, key_path = issued.write(tmp_path / "secrets")
    settings.SEAL_CERTIFICATE = str(cert_path)
    settings.SEAL_KEY = str(key_path)
    settings.SEAL_KEY_PASSPHRASE = "hemlig fras"
    settings.SEAL_DIR = tmp_path / "not-used"
    from portal.documents.pdf import html_to_pdf

    sealed = seals.seal_pdf(
        html_to_pdf("<p>Protokoll</p>"), reason="Justerat protokoll", location="Region Testlän"
    )

    # A reader who trusts the CA (as Adobe trusts the EU trusted lists) trusts the seal.
    status = validate(sealed.data, issued.ca)
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert seals.fingerprint(status.signing_cert) == seals.fingerprint(issued.certificate)
    assert sealed.certificate == seals.fingerprint(issued.certificate)
    assert not settings.SEAL_DIR.exists()


@pytest.mark.parametrize("problem", ["key of another certificate", "missing file"])
def test_a_certificate_that_cannot_seal_fails_the_job_with_a_message(
    problem, world, kinds, settings, tmp_path, django_capture_on_commit_callbacks
):
    issued = issued_certificate()
    cert_path, key_path = issued.write(tmp_path / "secrets")
    if problem == "missing file":
        key_path = tmp_path / "secrets" / "finns-inte.pem"
    else:
        key_path.write_bytes(issued_certificate("Någon annan").plain_key_pem)
    settings.SEAL_CERTIFICATE, settings.SEAL_KEY = str(cert_path), str(key_path)

    job = render(world, SEALED_NOTE, django_capture_on_commit_callbacks)

    assert job.status == GeneratedFileStatus.FAILED
    assert job.error_message == document_jobs.MESSAGE_SEAL
    assert job.attempts == 1  # not retried as if the file system had hiccuped
    assert not job.file


def test_half_a_seal_configuration_is_refused_at_start():
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": "x" * 50,
        "SEAL_CERTIFICATE": "/run/secrets/sigill.pem",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "Set both SEAL_CERTIFICATE and SEAL_KEY, or neither." in done.stderr
