"""The check page ("Kontrollera ett dokument") in a real browser: a principal reporter uploads
the sealed PDF of approved minutes and learns that it is an unaltered copy,
of which meeting and version; a copy changed by one byte is reported as
changed. The page and both answers pass axe, and the answer takes the focus."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope

from portal.documents import requests as document_requests
from portal.documents.registry import get_kind
from portal.models import GeneratedFileStatus
from tests.document_helpers import file_bytes
from tests.e2e.conftest import assert_accessible, login
from tests.governance.conftest import _gov
from tests.governance.service_helpers import approve, plan
from tests.seal_helpers import in_the_text, with_byte_changed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


@pytest.fixture
def sealed_pdf(world, settings, tmp_path) -> bytes:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    gov = _gov(world)
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title="Styrgruppsmöte i mars")
        approve(world, meeting)
        kind = get_kind("minutes")
        job = document_requests.request_document(
            actor=world.users["reporter"],
            membership=world.memberships["reporter"],
            tenant=world.tenant,
            kind=kind,
            obj=kind.load(world.tenant, meeting.pk),
        )
        # Autocommit (a transactional test): the task has run inline already.
        job.refresh_from_db()
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    return file_bytes(job)


def test_a_member_checks_a_sealed_copy_and_a_changed_one(
    page, live_server, axe, world, sealed_pdf, tmp_path
):
    login(page, live_server, world.users["reporter"].username, PASSWORD)
    page.goto(live_server.url + reverse("portal:document_check", args=[world.tenant.slug]))
    assert_accessible(axe, page)

    original = tmp_path / "protokoll.pdf"
    original.write_bytes(sealed_pdf)
    page.get_by_label("PDF-fil").set_input_files(str(original))
    page.get_by_role("button", name="Kontrollera filen").click()
    page.wait_for_load_state()

    result = page.get_by_role("region", name="En oförändrad kopia")
    assert result.is_visible()
    assert "Styrgruppsmöte i mars" in result.inner_text()
    assert "Version 1, justerad" in result.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('document-check')")
    assert_accessible(axe, page)

    changed = tmp_path / "protokoll-andrad.pdf"
    changed.write_bytes(with_byte_changed(sealed_pdf, in_the_text(sealed_pdf, b"/Producer") + 12))
    page.get_by_label("PDF-fil").set_input_files(str(changed))
    page.get_by_role("button", name="Kontrollera filen").click()
    page.wait_for_load_state()

    assert page.get_by_role("region", name="Filen har ändrats").is_visible()
    assert_accessible(axe, page)
