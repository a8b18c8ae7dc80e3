"""The documents section of `make bench`.

* "Skapa PDF": the request POST's answer time (p50 over 20): the job written,
  audited and queued to the broker of REDIS_URL (on a queue of its own, purged
  afterwards), and the status partial rendered. No worker runs meanwhile.
* A ~10-page status report rendered through the whole task (claim, load,
  template, WeasyPrint, checksum, file, done), against the floor: WeasyPrint
  alone on the same pre-rendered HTML, with the same options and URL fetcher.
  Target: the task at most 1.3 × the floor.

* The meeting documents pack (issue 17, item 5): the merged PDF of a
  meeting's agenda and its documents (governance/meeting_pack.py) against
  the floor of pypdf merging the same document files alone. No target: the
  pack also draws its agenda pages with WeasyPrint, which the floor does not.

* The archive package (issue 17, item 5): an E-ARK package of the demo
  programme (archives/package.py), in its two steps — collecting the records
  (the approved minutes drawn as PDF/A, the registers, the uploaded files)
  and assembling them (METS, PREMIS, Dublin Core, checksums, the zip) —
  against the floor of zipping the package's own files alone, with the same
  compression. No target: collecting draws every approved minutes with
  WeasyPrint, which the floor does not; the assembly is the package's own
  cost over a plain zip.

The report and its risks, the pack's documents and the package's export
record live in transactions
that are rolled back, and the files go to a temporary MEDIA_ROOT: the demo
data is left as it was.
"""

from __future__ import annotations

import datetime
import gc
import logging
import statistics
import tempfile
import time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django_scopes import scope, scopes_disabled
from kombu import Queue
from weasyprint import HTML

from governance.models import (
    ActionItem,
    Body,
    ReportActivity,
    ReportStatus,
    Risk,
    RiskReview,
    StatusReport,
)
from portal.celery import app
from portal.documents import jobs as document_jobs
from portal.documents import pdf
from portal.documents.registry import PdfDocument, get_kind
from portal.documents.tasks import render_document
from portal.models import AuditEvent, GeneratedFile, Principal, Tenant, User

TENANT = "sormland"
BENCH_QUEUE = "bench-documents"
POSTS = 20
TARGET_RATIO = 1.3

SENTENCES = [
    "Processledarna har träffat förvaltningsledningen och gått igenom implementeringsplanen.",
    "Kärnan är att arbeta annorlunda utifrån målbild och behov, inte att införa nya verktyg.",
    "Arbetsgrupperna kan användas som nyckelpersoner, men riktade uppdrag behövs.",
    "Modellen och SOL går fint ihop när arbetet sker med fokus på barnet.",
    "Inget isolerat arbete: förändringen måste ske i helhet i verksamheten.",
    "Elevhälsan och socialtjänsten har planerat gemensamma workshoppar under våren.",
    "Rollbeskrivningen för Barnets bästa-ansvarig behöver formas i lokala sammanhang.",
    "Uppföljningen visar att fler verksamheter nått steg två i implementeringstrappan.",
]


def _text(sentences: int, offset: int = 0) -> str:
    words = [SENTENCES[(offset + i) % len(SENTENCES)] for i in range(sentences)]
    return "\n\n".join(" ".join(words[i : i + 4]) for i in range(0, len(words), 4))


def _p50(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def build_report(tenant: Tenant, author: User) -> StatusReport:
    """A finished status report of about ten A4 pages: long results, an
    activity text per principal, twenty reviewed risks, and open assignments."""
    principals = list(Principal.objects.filter(tenant=tenant).order_by("name"))
    report = StatusReport.objects.create(
        tenant=tenant,
        period=datetime.date(2099, 1, 1),
        results=_text(48),
        gut_feeling="positiv",
        gut_feeling_text=_text(8, 3),
        next_steps=_text(24, 5),
    )
    for n, principal in enumerate(principals):
        ReportActivity.objects.create(
            tenant=tenant,
            report=report,
            principal=principal,
            description="\n".join(f"- {SENTENCES[(n + i) % len(SENTENCES)]}" for i in range(6)),
        )
    reviews = []
    for n in range(20):
        risk = Risk.objects.create(
            tenant=tenant,
            title=f"Bänkrisk {n + 1}: {SENTENCES[n % len(SENTENCES)][:60]}",
            category="forankring",
            likelihood=1 + n % 4,
            consequence=1 + (n // 4) % 4,
            mitigation=SENTENCES[(n + 2) % len(SENTENCES)],
        )
        reviews.append(
            RiskReview.objects.create(
                tenant=tenant,
                risk=risk,
                reviewed_on=datetime.date(2099, 1, 15),
                likelihood=risk.likelihood,
                consequence=risk.consequence,
                status="hanteras",
                note=_text(3, n),
                reviewed_by=author,
            )
        )
    report.risk_reviews.set(reviews)
    body = Body.objects.filter(tenant=tenant).order_by("pk").first()
    assert body is not None, "the demo programme has a steering group"
    for n in range(40):
        action = ActionItem.objects.create(
            tenant=tenant,
            body=body,
            description=f"Bänkuppdrag {n + 1}: {SENTENCES[n % len(SENTENCES)]}",
            owner_principal=principals[n % len(principals)] if principals else None,
            due_date=datetime.date(2099, 2, 1 + n % 28),
        )
        action.owner_people.set([])
    StatusReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.FINISHED,
        finished_at=datetime.datetime(2099, 1, 31, tzinfo=datetime.UTC),
    )
    report.refresh_from_db()
    return report


def _queued_job(tenant: Tenant, report: StatusReport, user: User) -> GeneratedFile:
    return GeneratedFile.objects.create(
        tenant=tenant,
        kind="status_report",
        content_type=ContentType.objects.get_for_model(StatusReport),
        object_id=report.pk,
        audience="governance.view_finished",
        requested_by=user,
    )


def bench_render(tenant: Tenant, user: User, repeat: int) -> dict[str, Any]:
    """The whole task against WeasyPrint alone, interleaved so drift hits both."""
    kind = get_kind("status_report")
    assert isinstance(kind, PdfDocument)
    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
        scope(tenant=tenant),
    ):
        report = build_report(tenant, user)
        html, _audience = document_jobs.render_html(
            kind=kind, obj=kind.load(tenant, report.pk), tenant=tenant
        )
        pages = len(
            HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticFilesFetcher())
            .render()
            .pages
        )
        pdf.html_to_pdf(html)  # warm up: fonts, stylesheets
        task_ms: list[float] = []
        floor_ms: list[float] = []
        size = 0
        for round_ in range(repeat + 1):
            job = _queued_job(tenant, report, user)
            # Alternate which goes first, so neither always follows the other.
            for which in ("task", "floor") if round_ % 2 else ("floor", "task"):
                gc.collect()  # neither pays for the other's garbage
                start = time.perf_counter()
                if which == "task":
                    render_document.apply(args=(job.pk, tenant.pk), throw=True)
                    task_ms.append((time.perf_counter() - start) * 1000)
                else:
                    pdf.html_to_pdf(html)
                    floor_ms.append((time.perf_counter() - start) * 1000)
            job.refresh_from_db()
            assert job.status == "klar", job.error_message
            size = job.size or 0
        transaction.set_rollback(True)
    # The first round warms the task's own path (templates, selectors).
    task_ms, floor_ms = task_ms[1:], floor_ms[1:]
    task, floor = _p50(task_ms), _p50(floor_ms)
    return {
        "pages": pages,
        "pdf_bytes": size,
        "html_chars": len(html),
        "renders": repeat,
        "task_p50_ms": task,
        "floor_p50_ms": floor,
        "ratio_to_floor": round(task / floor, 3),
        "target_ratio": TARGET_RATIO,
    }


def bench_request(client: Client, tenant: Tenant) -> dict[str, Any]:
    """The "Skapa PDF" POST, as htmx sends it, until the answer is back."""
    with scope(tenant=tenant):
        principal = Principal.objects.filter(tenant=tenant).order_by("name").first()
    assert principal is not None
    url = f"/{tenant.slug}/documents/new/principal_snapshot/{principal.pk}/"
    eager = bool(app.conf.task_always_eager)
    # The bench's jobs go to a queue of their own, purged afterwards: no
    # worker of the programme's own queue ever sees them.
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = BENCH_QUEUE
    timings = []
    started = datetime.datetime.now(datetime.UTC)
    try:
        for n in range(POSTS + 3):
            start = time.perf_counter()
            response = client.post(url, HTTP_HX_REQUEST="true")
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if n >= 3:  # the first ones warm up
                timings.append(elapsed)
            with scopes_disabled():  # the next POST creates a job again
                jobs = GeneratedFile.objects.filter(
                    tenant=tenant, object_id=principal.pk, created_at__gte=started
                )
                AuditEvent.objects.filter(
                    object_type=GeneratedFile._meta.label_lower,
                    object_id__in=[str(pk) for pk in jobs.values_list("pk", flat=True)],
                ).delete()
                jobs.delete()
    finally:
        app.conf.task_default_queue = default_queue
        if not eager:
            with app.connection_for_write() as connection:
                Queue(BENCH_QUEUE, channel=connection.default_channel).purge()
    timings.sort()
    return {
        "broker": "eager (no broker: renders inline)" if eager else "redis",
        "posts": POSTS,
        "p50_ms": _p50(timings),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
    }


PACK_DOCUMENTS = 6
PACK_DOCUMENT_SENTENCES = 60


def _document_pdf(n: int) -> bytes:
    paragraphs = "".join(
        f"<p>{_text(PACK_DOCUMENT_SENTENCES // 6, n * 6 + k)}</p>" for k in range(6)
    )
    return pdf.html_to_pdf(f"<h1>Underlag {n}</h1>{paragraphs * 3}")


def bench_pack(tenant: Tenant, user: User, repeat: int) -> dict[str, Any]:
    """The pack of a meeting with six PDF documents against pypdf merging the
    six files alone, interleaved, p50 over `repeat`."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfReader, PdfWriter

    from governance import meeting_pack
    from governance.models import Meeting, MinutesStatus
    from governance.services.meeting_documents import document_add

    files = [_document_pdf(n) for n in range(PACK_DOCUMENTS)]
    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
        scope(tenant=tenant),
    ):
        meeting = (
            Meeting.objects.filter(tenant=tenant, minutes_status=MinutesStatus.DRAFT)
            .order_by("starts_at")
            .first()
        )
        assert meeting is not None, "the demo programme has no meeting with draft minutes"
        for n, content in enumerate(files):
            upload = SimpleUploadedFile(f"Underlag {n}.pdf", content, "application/pdf")
            document_add(actor=user, meeting=meeting, upload=upload)

        def floor() -> bytes:
            writer = PdfWriter()
            for content in files:
                writer.append(PdfReader(io.BytesIO(content)))
            out = io.BytesIO()
            writer.write(out)
            return out.getvalue()

        packed, _name = meeting_pack.build(meeting)  # warm up: fonts, templates
        pages = len(PdfReader(io.BytesIO(packed)).pages)
        pack_ms: list[float] = []
        floor_ms: list[float] = []
        for round_ in range(repeat):
            for which in ("pack", "floor") if round_ % 2 else ("floor", "pack"):
                gc.collect()
                start = time.perf_counter()
                if which == "pack":
                    meeting_pack.build(meeting)
                    pack_ms.append((time.perf_counter() - start) * 1000)
                else:
                    floor()
                    floor_ms.append((time.perf_counter() - start) * 1000)
        transaction.set_rollback(True)
    pack, bare = _p50(pack_ms), _p50(floor_ms)
    return {
        "documents": PACK_DOCUMENTS,
        "document_pages": sum(len(PdfReader(io.BytesIO(f)).pages) for f in files),
        "pack_pages": pages,
        "renders": repeat,
        "pack_p50_ms": pack,
        "floor_p50_ms": bare,
        "ratio_to_floor": round(pack / bare, 2),
    }


def bench_archive(tenant: Tenant, user: User, repeat: int) -> dict[str, Any]:
    """The archive package of the demo programme, collected and assembled,
    against zipping the package's files alone; interleaved, p50 over `repeat`."""
    import io
    import zipfile

    from archives import package
    from archives.models import ArchiveExport

    with transaction.atomic(), scope(tenant=tenant):
        export = ArchiveExport.objects.create(
            tenant=tenant, package_id=package.new_package_id(tenant), requested_by=user
        )
        contents = package.collect(export)  # warm up: fonts, templates
        data = package.assemble(export, contents)
        with zipfile.ZipFile(io.BytesIO(data)) as built:
            members = [(info.filename, built.read(info)) for info in built.infolist()]

        def floor() -> bytes:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name, content in members:
                    archive.writestr(name, content)
            return out.getvalue()

        collect_ms: list[float] = []
        assemble_ms: list[float] = []
        floor_ms: list[float] = []
        for round_ in range(repeat):
            steps = ("package", "floor") if round_ % 2 else ("floor", "package")
            for which in steps:
                gc.collect()
                start = time.perf_counter()
                if which == "floor":
                    floor()
                    floor_ms.append((time.perf_counter() - start) * 1000)
                    continue
                contents = package.collect(export)
                collected = time.perf_counter()
                package.assemble(export, contents)
                collect_ms.append((collected - start) * 1000)
                assemble_ms.append((time.perf_counter() - collected) * 1000)
        transaction.set_rollback(True)
    collect, assemble, bare = _p50(collect_ms), _p50(assemble_ms), _p50(floor_ms)
    return {
        "files": len(members),
        "package_bytes": len(data),
        "content_bytes": sum(len(content) for _name, content in members),
        "counts": contents.counts,
        "builds": repeat,
        "collect_p50_ms": collect,
        "assemble_p50_ms": assemble,
        "floor_p50_ms": bare,
        "assemble_ratio_to_floor": round(assemble / bare, 2),
        "package_ratio_to_floor": round((collect + assemble) / bare, 2),
    }


def bench_documents(client: Client, *, pdf_repeat: int) -> dict[str, Any]:
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # a line per task
    tenant = Tenant.objects.get(slug=TENANT)
    user = User.objects.get(username="admin")
    request = bench_request(client, tenant)
    render = bench_render(tenant, user, pdf_repeat)
    print()
    print(f"{'documents':<34}{'p50 ms':>9}")
    print(f"{'Skapa PDF (POST, answer)':<34}{request['p50_ms']:>9}   broker: {request['broker']}")
    print(
        f"{'status report, whole task':<34}{render['task_p50_ms']:>9}"
        f"   {render['pages']} pages, {render['pdf_bytes'] // 1024} KiB"
    )
    print(f"{'status report, WeasyPrint floor':<34}{render['floor_p50_ms']:>9}")
    verdict = "ok" if render["ratio_to_floor"] <= TARGET_RATIO else "OVER TARGET"
    print(f"{'task / floor':<34}{render['ratio_to_floor']:>9}   target ≤ {TARGET_RATIO}: {verdict}")
    pack = bench_pack(tenant, user, pdf_repeat)
    print(
        f"{'meeting documents pack':<34}{pack['pack_p50_ms']:>9}"
        f"   {pack['documents']} PDFs, {pack['pack_pages']} pages"
    )
    print(f"{'  pypdf merging the same files':<34}{pack['floor_p50_ms']:>9}")
    print(
        f"{'  pack / floor':<34}{pack['ratio_to_floor']:>9}   (no target: see bench/documents.py)"
    )
    archive = bench_archive(tenant, user, max(3, pdf_repeat // 2))
    print(
        f"{'archive package, collect':<34}{archive['collect_p50_ms']:>9}"
        f"   {archive['files']} files, {archive['package_bytes'] // 1024} KiB"
    )
    print(f"{'archive package, assemble':<34}{archive['assemble_p50_ms']:>9}")
    print(f"{'  zipping the same files':<34}{archive['floor_p50_ms']:>9}")
    print(
        f"{'  assemble / floor':<34}{archive['assemble_ratio_to_floor']:>9}"
        f"   whole package / floor {archive['package_ratio_to_floor']} (no target)"
    )
    return {
        "method": (
            "in-process; the POST as htmx sends it, p50/p95 over "
            f"{POSTS} (job created each time, queued to the broker, no worker); "
            "a ~10-page status report rendered by the whole task (eager apply) against "
            "WeasyPrint alone on the same pre-rendered HTML, same options and fetcher, "
            f"p50 over {pdf_repeat} interleaved renders (alternating which goes first)"
        ),
        "weasyprint_options": pdf.PDF_OPTIONS,
        "request": request,
        "status_report": render,
        "meeting_pack": pack,
        "archive_package": archive,
    }
