"""A self-assessment's attachments (implementation/views/assessments.py)."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scope, scopes_disabled

from implementation.models import AssessmentAttachment
from implementation.services import assessments as services
from portal.models import Membership
from tests.helpers import form_errors, rows
from tests.implementation.assessments.helpers import NOT_DRAFT_READERS, PDF, all_rows, upload, url
from tests.implementation.helpers import approve, rate, start, submit


def test_reporter_attaches_a_file_and_readers_download_it(
    world, reporter, client_for, draft, media
):
    response = upload(reporter, world, draft)
    assert response.status_code == 302
    with scopes_disabled():
        attachment = AssessmentAttachment.objects.get()
    download = url("attachment_download", world.tenant, draft.pk, attachment.pk)

    got = reporter.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    assert got["Content-Disposition"].startswith("attachment;")
    assert got["Content-Type"] == "application/pdf"
    # A draft's file is as invisible as the draft.
    assert client_for(world.users["steering"]).get(download).status_code == 404

    rate(world, draft, 1)
    approve(world, submit(world, draft))
    assert client_for(world.users["steering"]).get(download).status_code == 200


def test_a_reporter_of_another_principal_cannot_download_a_drafts_file(
    world, reporter, other_reporter, draft, media
):
    upload(reporter, world, draft)
    with scopes_disabled():
        attachment = AssessmentAttachment.objects.get()
    assert (
        other_reporter.get(
            url("attachment_download", world.tenant, draft.pk, attachment.pk)
        ).status_code
        == 404
    )


def test_an_attachment_id_of_another_assessment_is_404(world, reporter, draft, operation, media):
    other = start(world, operation=operation)
    upload(reporter, world, other)
    with scopes_disabled():
        attachment = AssessmentAttachment.objects.get()
    assert (
        reporter.get(url("attachment_download", world.tenant, draft.pk, attachment.pk)).status_code
        == 404
    )


def test_a_disallowed_file_is_a_field_error(world, reporter, draft, media):
    before = all_rows()
    response = upload(reporter, world, draft, "virus.exe", b"MZ\x90")
    assert response.status_code == 200
    assert "file" in form_errors(response)
    assert rows(AssessmentAttachment) == [] and all_rows() == before


def test_reporter_removes_an_attachment(world, reporter, draft, media):
    upload(reporter, world, draft)
    with scopes_disabled():
        attachment = AssessmentAttachment.objects.get()
    remove = url("attachment_remove", world.tenant, draft.pk, attachment.pk)
    assert reporter.get(remove).status_code == 200
    assert reporter.post(remove).status_code == 302
    with scopes_disabled():
        attachment.refresh_from_db()
    assert attachment.is_archived
    download = url("attachment_download", world.tenant, draft.pk, attachment.pk)
    assert reporter.get(download).status_code == 404


@pytest.mark.parametrize("role", NOT_DRAFT_READERS)
def test_others_cannot_attach(world, client_for, current, media, role):
    response = upload(client_for(world.users[role]), world, current)
    assert response.status_code == 403
    assert rows(AssessmentAttachment) == []


def test_an_inactive_reporter_is_404_everywhere(world, reporter, draft):
    with scopes_disabled():
        Membership.objects.filter(user=world.users["reporter"]).update(is_active=False)
    assert reporter.get(url("assessment_detail", world.tenant, draft.pk)).status_code == 404


def test_services_refuse_a_principal_of_another_programme(world, other_world, staircase):
    with scope(tenant=world.tenant), pytest.raises(services.DomainError):
        services.assessment_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            principal=other_world.principal,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 6, 30),
        )
