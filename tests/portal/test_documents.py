"""Documents: the job lifecycle (queue, render, fail, retry, sweep), the
URL fetcher that only reaches the portal's static files, the request / status
/ retry / download views with their permissions and tenant isolation, the
principal snapshot, and one run through a real Celery worker on real Redis."""

from __future__ import annotations

import datetime
import socket
import time
from pathlib import Path

import kombu.exceptions
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import OperationalError, connections
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from weasyprint import HTML

from portal.documents import jobs as document_jobs
from portal.documents import pdf, tasks
from portal.documents import registry as documents
from portal.documents import requests as document_requests
from portal.models import AuditEvent, GeneratedFile, GeneratedFileStatus, Principal
from tests.document_helpers import (
    eager_documents,
    file_bytes,
    pdf_text,
)
from tests.factories import OperationFactory, PersonFactory
from tests.helpers import HTMX, audit_count, is_fragment, reload, rows, text, url_in


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Tasks run inline; generated files go to a temporary MEDIA_ROOT."""
    return eager_documents(settings, tmp_path)


SNAPSHOT_READERS = ["leader", "steering", "researcher", "admin"]

# A small document kind for the machinery's tests: one page, fast to render.
NOTE = documents.PdfDocument(
    key="test_note",
    label="Test note",
    model=Principal,
    rule="portal.view",
    load=lambda tenant, pk: Principal.objects.filter(tenant=tenant, pk=pk).first(),
    template="portal/pdf/base.html",
    context=lambda principal: {"draft": False},
    filename=lambda principal: "anteckning.pdf",
    title=lambda principal: f"Anteckning om {principal.name}",
)


@pytest.fixture
def note_kind(monkeypatch):
    monkeypatch.setitem(documents._KINDS, NOTE.key, NOTE)
    return NOTE


url = url_in("portal")


def queue(world, obj, *, kind=NOTE, user="leader", capture=None) -> GeneratedFile:
    """Ask for a document; with `capture` the task runs (eagerly) on commit."""
    with scope(tenant=world.tenant):
        if capture is None:
            job = document_requests.request_document(
                actor=world.users[user],
                membership=world.memberships[user],
                tenant=world.tenant,
                kind=kind,
                obj=obj,
            )
        else:
            with capture(execute=True):
                job = document_requests.request_document(
                    actor=world.users[user],
                    membership=world.memberships[user],
                    tenant=world.tenant,
                    kind=kind,
                    obj=obj,
                )
        job.refresh_from_db()
    return job


def run(job: GeneratedFile) -> str:
    return tasks.render_document.apply(args=(job.pk, job.tenant_id)).result


def done_job(world, obj, *, kind="test_note", audience="portal.view") -> GeneratedFile:
    with scopes_disabled():
        job = GeneratedFile.objects.create(
            tenant=world.tenant,
            kind=kind,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            audience=audience,
            status=GeneratedFileStatus.DONE,
            filename="lägesbild.pdf",
            checksum="c0ffee" + "0" * 58,
            size=11,
            finished_at=timezone.now(),
        )
        job.file.save("x.pdf", ContentFile(b"%PDF-1.7 x\n"), save=True)
    return job


def media_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.fixture
def no_queue(monkeypatch):
    """Jobs stay queued: nothing is handed to Celery."""
    monkeypatch.setattr(document_requests, "enqueue", lambda **kwargs: None)


# Rendering through the task -------------------------------------------------------


def test_task_renders_a_queued_job_into_a_pdf_under_media_root(world, note_kind, media):
    job = queue(world, world.principal)
    assert job.status == GeneratedFileStatus.QUEUED

    assert run(job) == "klar"

    job = reload(job)
    assert job.status == GeneratedFileStatus.DONE
    assert job.attempts == 1 and job.started_at and job.finished_at
    assert job.file.name.startswith(f"generated/{world.tenant.pk}/test_note/{job.pk}-1/")
    path = Path(job.file.path)
    assert path.is_relative_to(media)
    data = path.read_bytes()
    import hashlib

    assert job.checksum == hashlib.sha256(data).hexdigest() and job.size == len(data)
    assert job.filename == "anteckning.pdf"
    body = pdf_text(data)
    assert f"Anteckning om {world.principal.name}" in body
    assert "Tillsammans för barnens bästa" in body and "Sida 1 av 1" in body


def test_a_finished_job_is_never_rendered_again(world, note_kind, media):
    job = queue(world, world.principal)
    run(job)
    before = reload(job)
    assert run(job) == "skipped"
    after = reload(job)
    assert (after.file.name, after.checksum, after.attempts) == (
        before.file.name,
        before.checksum,
        before.attempts,
    )
    assert len(media_files(media)) == 1


def test_a_job_delivered_twice_produces_one_file(world, note_kind, media):
    job = queue(world, world.principal)
    results = [run(job), run(job)]
    assert results == ["klar", "skipped"]
    assert len(media_files(media)) == 1


def test_asking_twice_while_queued_joins_the_same_job(world, note_kind, no_queue):
    first = queue(world, world.principal)
    second = queue(world, world.principal, user="steering")
    assert first.pk == second.pk
    with scopes_disabled():
        assert GeneratedFile.objects.count() == 1


def test_one_active_job_per_document_is_enforced_by_the_database(world, note_kind, no_queue):
    from django.db import IntegrityError, transaction

    job = queue(world, world.principal)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        GeneratedFile.objects.create(
            tenant=world.tenant,
            kind=job.kind,
            content_type=job.content_type,
            object_id=job.object_id,
            audience=job.audience,
        )


def test_a_late_attempt_does_not_overwrite_a_given_up_job(world, note_kind, media):
    job = queue(world, world.principal)
    with scope(tenant=world.tenant):
        claimed = document_jobs.claim(job_id=job.pk, tenant=world.tenant)
        assert claimed is not None
        document_jobs.fail(claimed, document_jobs.MESSAGE_STUCK)  # the sweeper gave up
        result = document_jobs.complete(
            claimed, data=b"%PDF-1.7 late", filename="sen.pdf", audience="portal.view"
        )
    assert result.status == GeneratedFileStatus.FAILED
    assert media_files(media) == []  # the late file was removed


# Failure, retry, transient errors -------------------------------------------------


def test_a_failed_render_is_recorded_with_a_safe_message_and_a_retry_succeeds(
    world, note_kind, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(html):
        raise ValueError("secret internal detail")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    job = queue(world, world.principal, capture=django_capture_on_commit_callbacks)

    assert job.status == GeneratedFileStatus.FAILED
    assert job.error_message == document_jobs.MESSAGE_FAILED
    assert "secret" not in job.error_message
    assert "secret internal detail" in caplog.text  # the traceback is logged
    assert not job.file

    monkeypatch.undo()
    monkeypatch.setitem(documents._KINDS, NOTE.key, NOTE)
    with scope(tenant=world.tenant), django_capture_on_commit_callbacks(execute=True):
        document_requests.retry_document(
            actor=world.users["leader"], membership=world.memberships["leader"], job=job
        )
    job = reload(job)
    assert job.status == GeneratedFileStatus.DONE
    assert job.error_message == "" and job.attempts == 2
    assert file_bytes(job).startswith(b"%PDF-")


def test_transient_errors_are_retried(world, note_kind, monkeypatch):
    real = pdf.html_to_pdf
    calls = []

    def flaky(html):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("the database went away")
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", flaky)
    monkeypatch.setattr(tasks, "get_exponential_backoff_interval", lambda **kw: 0)
    job = queue(world, world.principal)
    run(job)
    job = reload(job)
    assert job.status == GeneratedFileStatus.DONE
    assert job.attempts == 3


def test_a_transient_error_that_persists_fails_the_job_after_three_retries(
    world, note_kind, monkeypatch
):
    def down(html):
        raise OSError("disk unavailable")

    monkeypatch.setattr(pdf, "html_to_pdf", down)
    job = queue(world, world.principal)
    run(job)
    job = reload(job)
    assert job.status == GeneratedFileStatus.FAILED
    assert job.attempts == 1 + tasks.MAX_RETRIES
    assert job.error_message == document_jobs.MESSAGE_UNAVAILABLE


def test_a_job_whose_object_is_gone_fails_clearly(world, note_kind):
    job = queue(world, world.principal, kind=NOTE)
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=job.pk).update(object_id=10**9)
    run(job)
    job = reload(job)
    assert job.status == GeneratedFileStatus.FAILED
    assert job.error_message == document_jobs.MESSAGE_GONE


def test_a_failed_job_is_not_retried_by_a_late_delivery(world, note_kind, no_queue):
    job = queue(world, world.principal)
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=job.pk).update(status=GeneratedFileStatus.FAILED)
    assert run(job) == "skipped"


@pytest.mark.django_db(transaction=True)
def test_broker_down_when_queuing_fails_the_job_with_try_again(
    world, note_kind, client_for, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to redis:6379")

    monkeypatch.setattr(tasks.render_document, "apply_async", unreachable)
    client = client_for(world.users["leader"])
    response = client.post(
        url("document_request", world.tenant, "test_note", world.principal.pk), **HTMX
    )
    assert response.status_code == 200
    with scopes_disabled():
        job = GeneratedFile.objects.get()
    assert job.status == GeneratedFileStatus.FAILED
    assert job.error_message == document_jobs.MESSAGE_UNAVAILABLE
    body = text(response)
    assert "Dokumenttjänsten är tillfälligt otillgänglig" in body
    assert url("document_retry", world.tenant, job.pk) in body
    assert "hx-trigger" not in body


# The sweeper ----------------------------------------------------------------------


def test_sweeper_fails_jobs_stuck_past_their_limit_in_every_programme(
    world, other_world, note_kind, no_queue
):
    now = timezone.now()
    stuck_running = queue(world, world.principal)
    fresh_running = queue(world, world.other_principal)
    stuck_queued = queue(other_world, other_world.principal)
    fresh_queued = queue(other_world, other_world.other_principal)
    finished = done_job(world, world.principal)
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=stuck_running.pk).update(
            status=GeneratedFileStatus.RUNNING,
            started_at=now - document_jobs.RUNNING_TIMEOUT - datetime.timedelta(seconds=1),
        )
        GeneratedFile.objects.filter(pk=fresh_running.pk).update(
            status=GeneratedFileStatus.RUNNING, started_at=now - datetime.timedelta(seconds=30)
        )
        GeneratedFile.objects.filter(pk=stuck_queued.pk).update(
            queued_at=now - document_jobs.QUEUED_TIMEOUT - datetime.timedelta(seconds=1)
        )

    assert tasks.sweep_stuck_documents.apply().result == 2

    assert reload(stuck_running).status == GeneratedFileStatus.FAILED
    assert reload(stuck_running).error_message == document_jobs.MESSAGE_STUCK
    assert reload(stuck_queued).status == GeneratedFileStatus.FAILED
    assert reload(fresh_running).status == GeneratedFileStatus.RUNNING
    assert reload(fresh_queued).status == GeneratedFileStatus.QUEUED
    assert reload(finished).status == GeneratedFileStatus.DONE


def test_sweeper_runs_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-stuck-documents"]
    assert entry["task"] == "portal.tasks.sweep_stuck_documents"
    assert entry["schedule"] == 300
    assert tasks.sweep_stuck_documents.name == entry["task"]


def test_the_sweeper_waits_longer_than_the_tasks_hard_time_limit():
    assert document_jobs.RUNNING_TIMEOUT.total_seconds() > tasks.render_document.time_limit
    assert tasks.render_document.soft_time_limit < tasks.render_document.time_limit
    assert tasks.render_document.acks_late


# The URL fetcher ------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the PDF renderer tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize(
    "address",
    [
        "http://example.com/style.css",
        "https://example.com/font.ttf",
        "http://127.0.0.1:6379/",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file:///static/../../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        f"file://{settings.BASE_DIR}/portal/settings.py",
        "file:///static/css/does-not-exist.css",
        "file://evil.example/static/css/portal.css",
    ],
)
def test_fetcher_refuses_everything_but_static_files(address, no_network):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticFilesFetcher().fetch(address)


def test_fetcher_serves_static_files_under_static_url(no_network):
    response = pdf.StaticFilesFetcher().fetch("file:///static/css/portal.css")
    assert response.content_type == "text/css"
    assert b".risk-matrix" in response.read()


def test_fetcher_serves_a_file_inside_the_static_folder_by_path(no_network):
    css = Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"
    response = pdf.StaticFilesFetcher().fetch(css.as_uri())
    assert b"@page" in response.read()


def test_fetcher_reads_a_static_url_on_another_host_from_disk(no_network, settings):
    settings.STATIC_URL = "https://static.example.se/static/"
    fetcher = pdf.StaticFilesFetcher()
    assert b"@page" in fetcher.fetch("https://static.example.se/static/css/pdf.css").read()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch("https://static.example.se/other/secret.txt")
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch("https://evil.example/static/css/pdf.css")


def test_fetcher_allows_small_data_urls_only(no_network):
    small = pdf.StaticFilesFetcher().fetch("data:text/plain,hej")
    assert small.read() == b"hej"
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticFilesFetcher().fetch("data:text/plain," + "x" * (pdf.MAX_DATA_URL_BYTES + 1))


def test_rendering_never_reaches_the_network(no_network):
    html = (
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<img src="https://example.com/tracker.png" alt="">'
        '<link rel="stylesheet" href="/static/css/pdf.css"><p>Hej</p>'
    )
    data = pdf.html_to_pdf(html)
    assert "Hej" in pdf_text(data)


def test_the_pdf_stylesheets_load_through_the_fetcher(no_network):
    document = HTML(
        string='<link rel="stylesheet" href="/static/css/pdf.css"><p>x</p>',
        base_url=pdf.BASE_URL,
        url_fetcher=pdf.StaticFilesFetcher(),
    ).render()
    assert document.pages[0].width == pytest.approx(210 / 25.4 * 96, rel=0.01)  # A4


# The registry ---------------------------------------------------------------------


def test_registry_refuses_a_second_kind_under_the_same_key(note_kind):
    other = documents.PdfDocument(**{**NOTE.__dict__, "label": "Another"})
    with pytest.raises(ImproperlyConfigured):
        documents.register(other)


def test_registry_refuses_an_unknown_rule():
    with pytest.raises(ImproperlyConfigured):
        documents.register(documents.PdfDocument(**{**NOTE.__dict__, "rule": "portal.nope"}))


def test_the_apps_register_their_documents_and_snapshot_sections():
    keys = {kind.key for kind in documents.kinds()}
    assert {"minutes", "status_report", "principal_snapshot"} <= keys
    sections = [s.key for s in documents.sections_for("principal_snapshot")]
    assert sections.index("governance.actions") < sections.index("governance.attendance")


def test_sections_are_ordered_and_replaced_by_key(monkeypatch):
    monkeypatch.setitem(documents._SECTIONS, "test_kind", [])
    make = lambda key, order: documents.Section(  # noqa: E731
        key=key, title=key, template="x.html", context=lambda obj: {}, order=order
    )
    documents.register_section("test_kind", make("b", 20))
    documents.register_section("test_kind", make("a", 10))
    documents.register_section("test_kind", make("b", 5))
    assert [(s.key, s.order) for s in documents.sections_for("test_kind")] == [("b", 5), ("a", 10)]


# The principal snapshot -----------------------------------------------------------


def test_principal_snapshot_holds_the_principal_and_the_governance_sections(
    world, django_capture_on_commit_callbacks
):
    from governance.models import AttendanceStatus
    from governance.services import actions, meetings, minutes
    from tests.governance.factories import BodyFactory

    OperationFactory(principal=world.principal, name="Vasaskolan")
    body = BodyFactory(tenant=world.tenant, name="Styrgruppen", code="SG")
    rep = PersonFactory(tenant=world.tenant, name="Karin Representant", principal=world.principal)
    leader = world.users["leader"]
    with scope(tenant=world.tenant):
        start = timezone.now() - datetime.timedelta(days=20)
        meeting = meetings.meeting_create(
            actor=leader,
            body=body,
            title="Styrgruppsmöte i höstas",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
        meetings.attendance_set(
            actor=leader, meeting=meeting, person=rep, status=AttendanceStatus.PRESENT
        )
        minutes.minutes_finish(actor=leader, meeting=meeting)
        actions.action_create(
            actor=leader,
            body=body,
            description="Utse en Barnets bästa-ansvarig",
            owner_principal=world.principal,
            due_date=datetime.date(2025, 6, 30),
        )
        actions.action_create(
            actor=leader,
            body=body,
            description="Någon annans uppdrag",
            owner_principal=world.other_principal,
        )
    job = queue(
        world,
        world.principal,
        kind=documents.get_kind("principal_snapshot"),
        capture=django_capture_on_commit_callbacks,
    )
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    body_text = pdf_text(file_bytes(job))
    assert world.principal.name in body_text
    assert "Kommun" in body_text  # its kind
    assert "Vasaskolan" in body_text
    assert "Utse en Barnets bästa-ansvarig" in body_text and "2025-06-30" in body_text
    assert "Någon annans uppdrag" not in body_text
    assert "Styrgruppsmöte i höstas" in body_text and "Karin Representant" in body_text
    assert job.filename == f"lagesbild-{world.principal.name}.pdf"


def test_principal_page_offers_the_snapshot_to_its_readers(world, client_for):
    for role in SNAPSHOT_READERS:
        page = text(
            client_for(world.users[role]).get(
                url("principal_detail", world.tenant, world.principal.pk)
            )
        )
        assert (
            url("document_request", world.tenant, "principal_snapshot", world.principal.pk) in page
        )
    page = text(
        client_for(world.users["reporter"]).get(
            url("principal_detail", world.tenant, world.principal.pk)
        )
    )
    assert "/documents/" not in page


# The views ------------------------------------------------------------------------


def test_request_answers_at_once_with_a_polling_partial(world, note_kind, client_for, no_queue):
    before = audit_count()
    response = client_for(world.users["leader"]).post(
        url("document_request", world.tenant, "test_note", world.principal.pk), **HTMX
    )
    assert response.status_code == 200 and is_fragment(response)
    with scopes_disabled():
        job = GeneratedFile.objects.get()
    body = text(response)
    assert f'hx-get="{url("document_status", world.tenant, job.pk)}?seen=i_ko"' in body
    assert 'hx-trigger="every 2s"' in body
    assert "I kö" in body
    assert "data-autofocus" in body  # the pressed button is gone: focus the news
    assert audit_count() == before + 1
    with scopes_disabled():
        event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id, event.actor) == (
        "generated_file.request",
        str(job.pk),
        world.users["leader"],
    )


def test_request_without_javascript_goes_to_the_jobs_page(world, note_kind, client_for, no_queue):
    client = client_for(world.users["leader"])
    response = client.post(url("document_request", world.tenant, "test_note", world.principal.pk))
    with scopes_disabled():
        job = GeneratedFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("document_status", world.tenant, job.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200 and not is_fragment(page)
    assert "Kontrollera igen" in text(page)


@pytest.mark.django_db(transaction=True)
def test_request_in_the_embedded_run_renders_before_answering(world, note_kind, client_for):
    # Transactional: the job is queued when the request's transaction commits.
    response = client_for(world.users["leader"]).post(
        url("document_request", world.tenant, "test_note", world.principal.pk), **HTMX
    )
    with scopes_disabled():
        job = GeneratedFile.objects.get()
    assert job.status == GeneratedFileStatus.DONE
    body = text(response)
    assert url("document_download", world.tenant, job.pk) in body
    assert "hx-trigger" not in body


def test_status_polls_only_while_the_job_is_active(world, note_kind, client_for, no_queue):
    client = client_for(world.users["leader"])
    job = queue(world, world.principal)
    status = url("document_status", world.tenant, job.pk)
    queued = text(client.get(status, **HTMX))
    assert 'hx-trigger="every 2s"' in queued
    assert "data-autofocus" not in queued  # a poll never moves the focus
    # Unchanged since the last poll: nothing to swap, nothing to announce again.
    assert client.get(status + "?seen=i_ko", **HTMX).status_code == 204
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=job.pk).update(status=GeneratedFileStatus.RUNNING)
    running = client.get(status + "?seen=i_ko", **HTMX)
    assert running.status_code == 200
    assert 'hx-trigger="every 2s"' in text(running) and "?seen=pagar" in text(running)
    assert client.get(status + "?seen=pagar", **HTMX).status_code == 204
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=job.pk).update(
            status=GeneratedFileStatus.FAILED, error_message=document_jobs.MESSAGE_STUCK
        )
    failed = text(client.get(status + "?seen=pagar", **HTMX))
    assert "hx-trigger" not in failed
    assert "avbröts innan det var klart" in failed
    assert f'hx-post="{url("document_retry", world.tenant, job.pk)}"' in failed


def test_status_of_a_finished_job_links_the_download(world, note_kind, client_for):
    job = done_job(world, world.principal)
    response = client_for(world.users["steering"]).get(
        url("document_status", world.tenant, job.pk), **HTMX
    )
    body = text(response)
    assert is_fragment(response)
    assert f'href="{url("document_download", world.tenant, job.pk)}"' in body
    assert "hx-trigger" not in body


def test_retry_queues_a_failed_job_again(world, note_kind, client_for, no_queue):
    job = queue(world, world.principal)
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=job.pk).update(
            status=GeneratedFileStatus.FAILED, error_message=document_jobs.MESSAGE_FAILED
        )
    response = client_for(world.users["steering"]).post(
        url("document_retry", world.tenant, job.pk), **HTMX
    )
    assert response.status_code == 200
    job = reload(job)
    assert job.status == GeneratedFileStatus.QUEUED and job.error_message == ""
    assert job.requested_by == world.users["steering"]
    assert 'hx-trigger="every 2s"' in text(response)


def test_retry_of_a_job_that_did_not_fail_is_refused(world, note_kind, client_for):
    job = done_job(world, world.principal)
    before = rows(GeneratedFile)
    response = client_for(world.users["leader"]).post(
        url("document_retry", world.tenant, job.pk), **HTMX
    )
    assert response.status_code == 200
    assert "Bara en PDF som inte kunde skapas kan försökas igen." in text(response)
    assert rows(GeneratedFile) == before


def test_download_streams_the_file_as_an_attachment_with_its_checksum(world, note_kind, client_for):
    job = done_job(world, world.principal)
    response = client_for(world.users["researcher"]).get(
        url("document_download", world.tenant, job.pk)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 x\n"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "l%C3%A4gesbild.pdf" in response["Content-Disposition"]
    assert response["ETag"] == f'"{job.checksum}"'
    assert "private" in response["Cache-Control"]


def test_download_answers_not_modified_for_the_same_checksum(world, note_kind, client_for):
    job = done_job(world, world.principal)
    response = client_for(world.users["leader"]).get(
        url("document_download", world.tenant, job.pk), HTTP_IF_NONE_MATCH=f'"{job.checksum}"'
    )
    assert response.status_code == 304


def test_download_of_an_unfinished_job_is_404(world, note_kind, client_for, no_queue):
    job = queue(world, world.principal)
    response = client_for(world.users["leader"]).get(url("document_download", world.tenant, job.pk))
    assert response.status_code == 404


def test_the_file_is_not_reachable_through_a_media_url(world, note_kind, client_for):
    job = done_job(world, world.principal)
    response = client_for(world.users["leader"]).get(settings.MEDIA_URL + job.file.name)
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher", "admin"])
def test_another_programmes_job_is_404(world, other_world, note_kind, client_for, role):
    theirs = done_job(other_world, other_world.principal)
    client = client_for(world.users[role])
    # world's member, other programme's job id, world's address: 404
    assert client.get(url("document_status", world.tenant, theirs.pk)).status_code == 404
    assert client.get(url("document_download", world.tenant, theirs.pk)).status_code == 404
    assert client.post(url("document_retry", world.tenant, theirs.pk)).status_code == 404
    # …and the other programme's address is 404 for a non-member
    assert client.get(url("document_download", other_world.tenant, theirs.pk)).status_code == 404


def test_another_programmes_object_is_404(world, other_world, client_for):
    client = client_for(world.users["leader"])
    response = client.post(
        url("document_request", world.tenant, "principal_snapshot", other_world.principal.pk)
    )
    assert response.status_code == 404
    assert rows(GeneratedFile) == []


def test_unknown_document_kind_is_404(world, client_for):
    response = client_for(world.users["leader"]).post(
        url("document_request", world.tenant, "no_such_kind", world.principal.pk)
    )
    assert response.status_code == 404


def test_reporter_may_not_ask_for_or_download_a_snapshot(world, client_for):
    client = client_for(world.users["reporter"])
    before = audit_count()
    response = client.post(
        url("document_request", world.tenant, "principal_snapshot", world.principal.pk)
    )
    assert response.status_code == 403
    assert rows(GeneratedFile) == [] and audit_count() == before
    job = done_job(
        world, world.principal, kind="principal_snapshot", audience="portal.view_principal_snapshot"
    )
    assert client.get(url("document_download", world.tenant, job.pk)).status_code == 403
    assert client.get(url("document_status", world.tenant, job.pk)).status_code == 403


def test_reporter_may_not_retry_a_snapshot(world, client_for, no_queue):
    job = done_job(
        world,
        world.principal,
        kind="principal_snapshot",
        audience="portal.view_principal_snapshot",
    )
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=job.pk).update(status=GeneratedFileStatus.FAILED)
    before, audits = rows(GeneratedFile), audit_count()
    response = client_for(world.users["reporter"]).post(
        url("document_retry", world.tenant, job.pk), **HTMX
    )
    assert response.status_code == 403
    assert rows(GeneratedFile) == before and audit_count() == audits


def test_request_and_retry_are_post_only(world, note_kind, client_for):
    job = done_job(world, world.principal)
    client = client_for(world.users["leader"])
    assert (
        client.get(
            url("document_request", world.tenant, "test_note", world.principal.pk)
        ).status_code
        == 405
    )
    assert client.get(url("document_retry", world.tenant, job.pk)).status_code == 405


# A real worker on real Redis ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_requested_pdf(world, client_for, settings, tmp_path):
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from portal.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.fail("needs REDIS_URL (a real broker): run the suite with make test")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.MEDIA_ROOT = tmp_path / "media"

    def close_worker_connections(**kwargs):
        connections.close_all()  # the worker thread's own database connection

    task_postrun.connect(close_worker_connections, weak=False)
    app.control.purge()  # leftovers of earlier runs in the test broker
    client = client_for(world.users["leader"])
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            response = client.post(
                url("document_request", world.tenant, "principal_snapshot", world.principal.pk),
                **HTMX,
            )
            assert response.status_code == 200
            with scopes_disabled():
                job = GeneratedFile.objects.get()
            assert 'hx-trigger="every 2s"' in text(response)  # answered before rendering
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                job = reload(job)
                if not job.is_active:
                    break
                time.sleep(0.1)
    finally:
        task_postrun.disconnect(close_worker_connections)
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    status = client.get(url("document_status", world.tenant, job.pk), **HTMX)
    assert url("document_download", world.tenant, job.pk) in text(status)
    download = client.get(url("document_download", world.tenant, job.pk))
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF-")
    assert world.principal.name in pdf_text(data)


def test_a_long_running_kind_is_swept_after_its_own_longer_limit(world):
    """Reading scanned minutes by OCR may take minutes: its job is not given up
    at the PDFs' limit, only after the long task's."""
    from governance.models import ImportedFile, MinutesImport

    now = timezone.now()
    with scopes_disabled():
        upload = MinutesImport.objects.create(tenant=world.tenant, name="arkiv.zip")
        imported = ImportedFile.objects.create(
            tenant=world.tenant, upload=upload, original_name="a.pdf", size=1, original="x"
        )

        past_short = GeneratedFile.objects.create(
            tenant=world.tenant,
            kind="minutes_reading",
            content_type=ContentType.objects.get_for_model(ImportedFile),
            object_id=imported.pk,
            audience="governance.edit",
            status=GeneratedFileStatus.RUNNING,
            started_at=now - document_jobs.RUNNING_TIMEOUT - datetime.timedelta(seconds=1),
        )
    assert document_jobs.LONG_RUNNING_TIMEOUT > document_jobs.RUNNING_TIMEOUT
    assert tasks.sweep_stuck_documents.apply().result == 0
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=past_short.pk).update(
            started_at=now - document_jobs.LONG_RUNNING_TIMEOUT - datetime.timedelta(seconds=1)
        )
    assert tasks.sweep_stuck_documents.apply().result == 1
    assert reload(past_short).status == GeneratedFileStatus.FAILED


def test_a_long_running_kind_is_queued_as_the_long_task(world, monkeypatch):
    from portal.documents import requests as document_requests

    sent: list[str] = []

    class Task:
        def __init__(self, name: str) -> None:
            self.name = name

        def apply_async(self, **kwargs: object) -> None:
            sent.append(self.name)

    monkeypatch.setattr(document_requests, "render_document", Task("render"))
    monkeypatch.setattr(document_requests, "render_long_document", Task("long"))
    document_requests.enqueue(job_id=1, tenant_id=world.tenant.pk, kind_key="minutes_reading")
    document_requests.enqueue(job_id=2, tenant_id=world.tenant.pk, kind_key="minutes")
    assert sent == ["long", "render"]
