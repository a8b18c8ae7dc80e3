"""Governance's PDFs: minutes (with “UTKAST” until approved) and status
reports, rendered by the real task through WeasyPrint, read back with
pdftotext; who may have them; and the "Skapa PDF" panels on their pages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from governance.models import AttendanceStatus, MinutesStatus, RiskReview
from governance.services import actions, decisions, meetings, reports, risks
from portal.documents import jobs as document_jobs
from portal.documents import requests as document_requests
from portal.documents.registry import get_kind
from portal.models import GeneratedFile, GeneratedFileStatus
from tests.document_helpers import (
    eager_documents,
    file_bytes,
    pdf_fonts,
    pdf_info,
    pdf_pages,
    pdf_text,
)
from tests.factories import PersonFactory
from tests.governance.service_helpers import approve, plan
from tests.helpers import HTMX, text


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Tasks run inline; generated files go to a temporary MEDIA_ROOT."""
    return eager_documents(settings, tmp_path)


READERS_OF_FINISHED = ["leader", "steering", "researcher", "admin"]


def minutes_meeting(world, gov):
    """Minutes with every part the PDF shows: programme, body, place, the four
    attendance groups (a substitute for the absent member), an item with its
    minutes, a numbered decision and an assignment with owner and due date."""
    with scope(tenant=world.tenant):
        meeting = plan(
            world,
            gov,
            title="Styrgruppsmöte",
            place="Nygatan 20, Växjö",
            adjusters=[gov.chair],
        )
        leader = world.users["leader"]
        meetings.attendance_set(
            actor=leader, meeting=meeting, person=gov.member, status=AttendanceStatus.ABSENT
        )
        deputy = PersonFactory(
            tenant=world.tenant, name="Eva Ersättare", title="Rektor", principal=world.principal
        )
        meetings.attendance_set(
            actor=leader,
            meeting=meeting,
            person=deputy,
            status=AttendanceStatus.SUBSTITUTE,
            replaces=[gov.member],
        )
        guest = PersonFactory(tenant=world.tenant, name="Gustav Gäst", organisation="FoU Sörmland")
        meetings.attendance_set(
            actor=leader, meeting=meeting, person=guest, status=AttendanceStatus.GUEST
        )
        item = meetings.agenda_item_add(
            actor=leader,
            meeting=meeting,
            title="Mål och resultat",
            minutes="Dialog kring lokal implementering.\n\n- Kärnan är viktigast",
        )
        decision = decisions.decision_create(
            actor=leader,
            meeting=meeting,
            agenda_item=item,
            text="Styrgruppen beslutar att godkänna processplanen.",
        )
        actions.action_create(
            actor=leader,
            body=gov.body,
            description="Skicka nytt mail till utbildningschefen",
            owner_people=[gov.leader],
            due_date=datetime.date(2025, 4, 30),
            agenda_item=item,
            decision=decision,
        )
    return meeting


def render(world, user_key, kind, obj, django_capture_on_commit_callbacks) -> GeneratedFile:
    """Ask for the PDF as `user_key`; eager Celery renders it on commit."""
    with scope(tenant=world.tenant):
        kind = get_kind(kind)
        obj = kind.load(world.tenant, obj.pk)
        with django_capture_on_commit_callbacks(execute=True):
            job = document_requests.request_document(
                actor=world.users[user_key],
                membership=world.memberships[user_key],
                tenant=world.tenant,
                kind=kind,
                obj=obj,
            )
        job.refresh_from_db()
    return job


def page_numbers(text_: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r"Sida (\d+) av (\d+)", text_)]


# Minutes ------------------------------------------------------------------------


def test_draft_minutes_pdf_holds_the_swedish_minutes_with_a_draft_watermark(
    world, gov, django_capture_on_commit_callbacks
):
    meeting = minutes_meeting(world, gov)
    job = render(world, "leader", "minutes", meeting, django_capture_on_commit_callbacks)

    assert job.status == GeneratedFileStatus.DONE, job.error_message
    data = file_bytes(job)
    assert data.startswith(b"%PDF-")
    body = pdf_text(data)
    assert "Tillsammans för barnens bästa" in body  # the programme
    assert "Minnesanteckningar" in body
    assert "Styrgruppsmöte" in body and "Styrgruppen" in body
    assert "25 mars 2025" in body
    assert "Nygatan 20, Växjö" in body
    for group in ("Närvarande", "Frånvarande", "Ersättare", "Övriga / gäst"):
        assert group in body
    assert "Ordförande Test" in body and "Ledamot Test" in body
    assert "Eva Ersättare" in body and "Rektor" in body
    assert "Ersätter Ledamot Test" in body
    assert "1. Mål och resultat" in body
    assert "Dialog kring lokal implementering." in body and "Kärnan är viktigast" in body
    assert "SG 2025 §1" in body
    assert "Styrgruppen beslutar att godkänna processplanen." in body
    assert "Skicka nytt mail till utbildningschefen (SG 2025 §1)" in body
    assert "Ansvarig: Processledare Test" in body and "Klart senast: 2025-04-30" in body
    assert "UTKAST" in body
    assert "Justerare" in body and "Minnesanteckningarna har inte justerats än." in body
    pages = pdf_pages(data)
    assert page_numbers(body) == [(n, pages) for n in range(1, pages + 1)]
    assert job.audience == "governance.view_drafts"
    assert job.filename == "minnesanteckningar-sg-2025-03-25-utkast.pdf"


def test_approved_minutes_pdf_has_the_approval_block_and_no_watermark(
    world, gov, django_capture_on_commit_callbacks
):
    meeting = minutes_meeting(world, gov)
    with scope(tenant=world.tenant):
        approve(world, meeting)
    job = render(world, "reporter", "minutes", meeting, django_capture_on_commit_callbacks)

    assert job.status == GeneratedFileStatus.DONE, job.error_message
    body = pdf_text(file_bytes(job))
    assert "UTKAST" not in body
    assert "Justerare Ordförande Test" in body
    # The signature block: each signatory's name, role and time.
    assert re.search(
        r"Ordförande Test.{0,80}?(Ordförande|Chair).{0,40}?\d+ \w+ \d{4}, \d\d:\d\d", body, re.S
    )
    assert "Version 1" in body
    assert "SG 2025 §1" in body and "Närvarande" in body
    assert job.audience == "governance.view_approved_minutes"
    assert job.filename == "minnesanteckningar-sg-2025-03-25.pdf"


def test_pdf_archive_format_is_pdf_a_2b_tagged_with_embedded_fonts(
    world, gov, django_capture_on_commit_callbacks
):
    meeting = minutes_meeting(world, gov)
    job = render(world, "leader", "minutes", meeting, django_capture_on_commit_callbacks)
    data = file_bytes(job)
    xmp = pdf_info(data, "-meta")
    assert re.search(r"<pdfaid:part>2</pdfaid:part>|pdfaid:part=\"2\"", xmp)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>|pdfaid:conformance=\"B\"", xmp)
    info = pdf_info(data)
    assert re.search(r"^Tagged:\s+yes", info, re.MULTILINE)
    assert re.search(r"^PDF version:\s+1.7", info, re.MULTILINE)
    fonts = pdf_fonts(data)
    assert fonts and all(row[-5] == "yes" for row in fonts)  # every font embedded
    assert any("DejaVu-Sans" in row[0] for row in fonts)


def test_user_text_is_escaped_in_the_pdf_html(world, gov):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title="<script>alert(1)</script>")
        meetings.agenda_item_add(
            actor=world.users["leader"],
            meeting=meeting,
            title='<img src="http://evil.example/x.png">',
            minutes="<b>fet</b> & **fet**",
        )
        kind = get_kind("minutes")
        html, _audience = document_jobs.render_html(
            kind=kind, obj=kind.load(world.tenant, meeting.pk), tenant=world.tenant
        )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<img src="http://evil.example' not in html
    assert "&lt;b&gt;fet&lt;/b&gt; &amp; <strong>fet</strong>" in html


# Status reports -----------------------------------------------------------------


def finished_report(world, gov):
    with scope(tenant=world.tenant):
        leader = world.users["leader"]
        risk = risks.risk_create(
            actor=leader,
            tenant=world.tenant,
            title="Saknat bifall från förvaltningen",
            category="forankring",
            likelihood=3,
            consequence=3,
        )
        review = risks.risk_review_add(
            actor=leader,
            risk=risk,
            reviewed_on=datetime.date(2025, 3, 20),
            likelihood=3,
            consequence=4,
            status="hanteras",
            note="Nytt mail skickas till utbildningschefen.",
        )
        report = reports.report_create(
            actor=leader,
            tenant=world.tenant,
            period=datetime.date(2025, 3, 1),
            authors=[gov.leader],
            results="Två kommuner har utsett Barnets bästa-ansvariga.",
            gut_feeling="positiv",
            gut_feeling_text="Arbetet tar fart.",
            next_steps="Planeringsdag i juni.",
        )
        reports.report_set_activities(
            actor=leader,
            report=report,
            activities={world.principal: "Workshop med elevhälsan."},
        )
        reports.report_link_reviews(
            actor=leader, report=report, reviews=RiskReview.objects.filter(pk=review.pk)
        )
        actions.action_create(
            actor=leader,
            body=gov.body,
            description="Ta fram rollbeskrivning för Barnets bästa-ansvarig",
            owner_principal=world.principal,
            due_next_meeting=True,
        )
        reports.report_finish(actor=leader, report=report)
    return report


def test_status_report_pdf_holds_results_activities_risks_and_open_actions(
    world, gov, django_capture_on_commit_callbacks
):
    report = finished_report(world, gov)
    job = render(world, "steering", "status_report", report, django_capture_on_commit_callbacks)

    assert job.status == GeneratedFileStatus.DONE, job.error_message
    data = file_bytes(job)
    body = pdf_text(data)
    assert "Statusrapport mars 2025" in body
    assert "Resultat" in body and "Två kommuner har utsett Barnets bästa-ansvariga." in body
    assert "Magkänsla" in body and "Positiv" in body and "Arbetet tar fart." in body
    assert "Aktiviteter per huvudman" in body
    assert world.principal.name in body and "Workshop med elevhälsan." in body
    assert "Uppföljda risker" in body and "Nytt mail skickas till utbildningschefen." in body
    assert "Riskmatris" in body and "Saknat bifall från förvaltningen" in body
    assert "Nästa steg" in body and "Planeringsdag i juni." in body
    assert "Ta fram rollbeskrivning för Barnets bästa-ansvarig" in body
    assert "Till nästa möte" in body
    assert "UTKAST" not in body
    pages = pdf_pages(data)
    assert page_numbers(body) == [(n, pages) for n in range(1, pages + 1)]
    assert job.audience == "governance.view_finished"
    assert job.filename == "statusrapport-2025-03.pdf"


def test_risk_matrix_in_the_pdf_links_nowhere(world, gov):
    report = finished_report(world, gov)
    with scope(tenant=world.tenant):
        kind = get_kind("status_report")
        html, _audience = document_jobs.render_html(
            kind=kind, obj=kind.load(world.tenant, report.pk), tenant=world.tenant
        )
    assert "/risks/" not in html
    assert "Saknat bifall från förvaltningen" in html


# Who may have the minutes' PDF --------------------------------------------------


def done_job(world, kind: str, obj, audience: str) -> GeneratedFile:
    """A finished job with a small stand-in file, for the permission tests."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    with scopes_disabled():
        job = GeneratedFile.objects.create(
            tenant=world.tenant,
            kind=kind,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            audience=audience,
            status=GeneratedFileStatus.DONE,
            filename=f"{kind}.pdf",
            checksum="ab" * 32,
            size=12,
        )
        job.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.7 x\n"), save=True)
    return job


def download(client, world, job):
    return client.get(reverse("portal:document_download", args=[world.tenant.slug, job.pk]))


def test_draft_minutes_pdf_is_for_process_leaders_only(world, gov, client_for):
    meeting = minutes_meeting(world, gov)
    job = done_job(world, "minutes", meeting, "governance.view_drafts")
    assert download(client_for(world.users["leader"]), world, job).status_code == 200
    for role in ["steering", "researcher", "admin", "reporter"]:
        assert download(client_for(world.users[role]), world, job).status_code == 403, role


def test_a_drafts_pdf_stays_for_process_leaders_after_approval(world, gov, client_for):
    meeting = minutes_meeting(world, gov)
    draft_pdf = done_job(world, "minutes", meeting, "governance.view_drafts")
    with scope(tenant=world.tenant):
        approve(world, meeting)
    approved_pdf = done_job(world, "minutes", meeting, "governance.view_approved_minutes")
    reporter = client_for(world.users["reporter"])
    assert download(reporter, world, draft_pdf).status_code == 403
    assert download(reporter, world, approved_pdf).status_code == 200


def test_reporter_may_not_have_minutes_that_were_never_approved(world, gov, client_for):
    meeting = minutes_meeting(world, gov)
    with scope(tenant=world.tenant):
        approve(world, meeting)
    job = done_job(world, "minutes", meeting, "governance.view_approved_minutes")
    with scopes_disabled():
        type(meeting).objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.FINISHED)
        meeting.versions.all().delete()
    response = download(client_for(world.users["reporter"]), world, job)
    assert response.status_code == 403


def test_only_process_leaders_may_ask_for_a_pdf_of_draft_minutes(world, gov, client_for):
    meeting = minutes_meeting(world, gov)
    url = reverse("portal:document_request", args=[world.tenant.slug, "minutes", meeting.pk])
    for role in ["steering", "researcher", "admin", "reporter"]:
        assert client_for(world.users[role]).post(url).status_code == 403, role
    with scopes_disabled():
        assert not GeneratedFile.objects.exists()


@pytest.mark.parametrize("role", READERS_OF_FINISHED)
def test_readers_of_finished_minutes_may_ask_for_their_pdf(
    world, gov, client_for, role, django_capture_on_commit_callbacks, monkeypatch
):
    meeting = minutes_meeting(world, gov)
    with scope(tenant=world.tenant):
        from governance.services import minutes

        minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)
    monkeypatch.setattr(document_requests, "enqueue", lambda **kwargs: None)
    url = reverse("portal:document_request", args=[world.tenant.slug, "minutes", meeting.pk])
    response = client_for(world.users[role]).post(url, **HTMX)
    assert response.status_code == 200
    with scopes_disabled():
        job = GeneratedFile.objects.get()
    assert job.audience == "governance.view_finished"
    assert job.requested_by == world.users[role]


def test_a_queued_job_joined_after_approval_is_for_the_new_readers(
    world, gov, client_for, monkeypatch
):
    monkeypatch.setattr(document_requests, "enqueue", lambda **kwargs: None)
    meeting = minutes_meeting(world, gov)
    request_url = reverse(
        "portal:document_request", args=[world.tenant.slug, "minutes", meeting.pk]
    )
    client_for(world.users["leader"]).post(request_url, **HTMX)  # queued as a draft
    with scope(tenant=world.tenant):
        approve(world, meeting)
    response = client_for(world.users["reporter"]).post(request_url, **HTMX)
    assert response.status_code == 200
    with scopes_disabled():
        job = GeneratedFile.objects.get()  # joined, not a second job
    assert job.audience == "governance.view_approved_minutes"
    status = reverse("portal:document_status", args=[world.tenant.slug, job.pk])
    assert client_for(world.users["reporter"]).get(status, **HTMX).status_code == 200


def test_draft_status_report_pdf_does_not_exist_for_others(world, gov, client_for):
    report = finished_report(world, gov)
    with scopes_disabled():
        type(report).objects.filter(pk=report.pk).update(status="utkast", finished_at=None)
    job = done_job(world, "status_report", report, "governance.view_drafts")
    assert download(client_for(world.users["leader"]), world, job).status_code == 200
    for role in ["steering", "researcher", "admin"]:
        assert download(client_for(world.users[role]), world, job).status_code == 404, role
    url = reverse("portal:document_request", args=[world.tenant.slug, "status_report", report.pk])
    assert client_for(world.users["steering"]).post(url).status_code == 404


def test_reporters_get_no_status_report_pdf(world, gov, client_for):
    report = finished_report(world, gov)
    job = done_job(world, "status_report", report, "governance.view_finished")
    reporter = client_for(world.users["reporter"])
    assert download(reporter, world, job).status_code == 403
    url = reverse("portal:document_request", args=[world.tenant.slug, "status_report", report.pk])
    assert reporter.post(url).status_code == 403


def test_another_programmes_meeting_is_404(world, gov, other_world, other_gov, client_for):
    with scope(tenant=other_world.tenant):
        theirs = plan(other_world, other_gov)
    url = reverse("portal:document_request", args=[world.tenant.slug, "minutes", theirs.pk])
    assert client_for(world.users["leader"]).post(url).status_code == 404


# The panels on the pages --------------------------------------------------------


def test_meeting_page_offers_the_pdf_to_process_leaders(world, gov, client_for):
    meeting = minutes_meeting(world, gov)
    page = text(
        client_for(world.users["leader"]).get(
            reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk])
        )
    )
    request_url = reverse(
        "portal:document_request", args=[world.tenant.slug, "minutes", meeting.pk]
    )
    assert f'action="{request_url}"' in page and f'hx-post="{request_url}"' in page
    assert f'id="document-minutes-{meeting.pk}"' in page
    assert 'aria-live="polite"' in page


def test_meeting_page_shows_steering_members_no_draft_pdf(world, gov, client_for):
    meeting = minutes_meeting(world, gov)
    done_job(world, "minutes", meeting, "governance.view_drafts")
    page = text(
        client_for(world.users["steering"]).get(
            reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk])
        )
    )
    assert "document-minutes" not in page
    assert "/documents/" not in page


def test_meeting_page_links_a_finished_pdf(world, gov, client_for):
    meeting = minutes_meeting(world, gov)
    job = done_job(world, "minutes", meeting, "governance.view_drafts")
    page = text(
        client_for(world.users["leader"]).get(
            reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk])
        )
    )
    assert reverse("portal:document_download", args=[world.tenant.slug, job.pk]) in page
    assert "hx-trigger" not in page.split(f'id="document-minutes-{meeting.pk}"')[1][:2000]


def test_report_page_offers_the_pdf(world, gov, client_for):
    report = finished_report(world, gov)
    page = text(
        client_for(world.users["steering"]).get(
            reverse("governance:report_detail", args=[world.tenant.slug, report.pk])
        )
    )
    url = reverse("portal:document_request", args=[world.tenant.slug, "status_report", report.pk])
    assert f'hx-post="{url}"' in page
