"""Document jobs, the worker side: rendering a queued `GeneratedFile` and
recording how it went on it.

`portal.documents.tasks` calls this: a job is claimed under a row lock
(`claim`), so a message delivered twice renders once, and a finished job is
never rendered again; `run` renders and stores it, `fail`, `requeue` and
`sweep_stuck` record what went wrong. A kind that seals its PDFs (the approved
minutes) has them sealed right after rendering, in `run`, and the seal is
recorded on the file (portal/documents/seals.py). The web side, asking for a
document and queueing it, is `portal.documents.requests`; this module imports
neither it nor the tasks.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from django_scopes import scopes_disabled

from portal.documents.registry import ExportDocument, Obj, PdfDocument, Seal, get_kind, kinds
from portal.models import ACTIVE_FILE_STATUSES, GeneratedFile, GeneratedFileStatus, Tenant

logger = logging.getLogger(__name__)

# Stored on the job as English message ids and translated when shown, so each
# reader sees them in their own language.
MESSAGE_UNAVAILABLE = gettext_noop(
    "The document service is temporarily unavailable. Try again in a moment."
)
MESSAGE_FAILED = gettext_noop(
    "The PDF could not be created. Try again; if it fails again, tell the process leaders."
)
MESSAGE_TOO_LONG = gettext_noop("Creating the PDF took too long. Try again in a moment.")
MESSAGE_STUCK = gettext_noop("Creating the PDF stopped without finishing. Try again.")
MESSAGE_GONE = gettext_noop("What the document was made from is no longer in the portal.")
MESSAGE_SEAL = gettext_noop(
    "The PDF could not be sealed: the portal's seal certificate cannot be used. "
    "Tell the administrators."
)

# Time limits of the rendering task; the sweeper gives a job up a minute after
# the hard limit (the worker has been killed by then) or, if later, after the
# broker has had its chance to hand a dead worker's job to another worker
# (BROKER_VISIBILITY_TIMEOUT), and a job nobody picked up after QUEUED_TIMEOUT
# (no worker running).
SOFT_TIME_LIMIT = 120
TIME_LIMIT = 180
RUNNING_TIMEOUT = datetime.timedelta(
    seconds=max(TIME_LIMIT, getattr(settings, "BROKER_VISIBILITY_TIMEOUT", 0)) + 60
)
QUEUED_TIMEOUT = datetime.timedelta(minutes=30)
# The same for a long-running kind (reading scanned minutes by OCR: up to 50
# pages at several seconds each).
LONG_SOFT_TIME_LIMIT = 600
LONG_TIME_LIMIT = 660
LONG_RUNNING_TIMEOUT = datetime.timedelta(
    seconds=max(LONG_TIME_LIMIT, getattr(settings, "BROKER_VISIBILITY_TIMEOUT", 0)) + 60
)

DOCUMENT_LANGUAGE = "sv"


class SourceGone(Exception):
    """The object a job renders was archived or removed since it was queued."""


class Refused(Exception):
    """What the job was asked to make cannot be made from its source, for a
    reason its user can act on (a file of old minutes that cannot be read):
    the job fails with this message, in the portal's language, and is not
    retried."""


class CannotSeal(Exception):
    """The PDF is to be sealed, and the installation's certificate cannot be used."""


@dataclass(frozen=True)
class Rendered:
    """A document's HTML, the audience its content needs, and how to seal its
    PDF (None: not sealed)."""

    html: str
    audience: str
    seal: Seal | None


@dataclass(frozen=True)
class SealRecord:
    """What is kept with a sealed file (GeneratedFile.seal_*)."""

    reference: str
    signature: str
    certificate: str


# The worker side ---------------------------------------------------------------


def claim(*, job_id: int, tenant: Tenant, redelivered: bool = False) -> GeneratedFile | None:
    """Take a queued job for rendering; None when there is nothing to do.

    Nothing to do: the job is gone, done, failed (the user retries it as a new
    delivery), or being rendered by another worker right now. The row lock
    (skipping a locked row) makes two deliveries of one job render it once.

    A "running" job is taken again only from a `redelivered` message: the
    broker hands out an unacknowledged task again only after its visibility
    timeout, longer than the task's hard time limit, so the attempt that
    claimed it has died with its worker. Its late result, if any, is dropped
    by `complete` (the attempt number moved on).
    """
    with transaction.atomic():
        job = (
            GeneratedFile.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, tenant=tenant)
            .first()
        )
        if job is None:
            return None
        abandoned = redelivered and job.status == GeneratedFileStatus.RUNNING
        if job.status != GeneratedFileStatus.QUEUED and not abandoned:
            return None
        job.status = GeneratedFileStatus.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "attempts"])
    return job


def render(*, kind: PdfDocument, obj: Obj, tenant: Tenant) -> Rendered:
    """The document's HTML, in Swedish, the audience its content needs, and
    whether its PDF is sealed (decided from the same context, so the seal's
    reason names what was rendered; the template gets `sealed`)."""
    with translation.override(DOCUMENT_LANGUAGE):
        audience = kind.audience_for(obj)
        content = kind.context(obj)
        seal = kind.seal(obj, content) if kind.seal is not None else None
        context: dict[str, Any] = {
            "tenant": tenant,
            "document_kind": kind,
            "document_title": kind.title(obj),
            "generated_at": timezone.localtime(),
            "sealed": seal is not None,
            **content,
        }
        return Rendered(html=render_to_string(kind.template, context), audience=audience, seal=seal)


def render_html(*, kind: PdfDocument, obj: Obj, tenant: Tenant) -> tuple[str, str]:
    """The document's HTML, in Swedish, and the audience its content needs."""
    rendered = render(kind=kind, obj=obj, tenant=tenant)
    return rendered.html, rendered.audience


def seal_document(data: bytes, *, seal: Seal, tenant: Tenant) -> tuple[bytes, SealRecord]:
    """The PDF with the installation's seal (portal/documents/seals.py), and
    what to keep with it. `CannotSeal` when the certificate cannot be used."""
    from portal.documents import seals  # pyHanko: workers and the check page only

    try:
        sealed = seals.seal_pdf(data, reason=seal.reason, location=tenant.name)
    except seals.SealUnavailable as error:
        raise CannotSeal(str(error)) from error
    record = SealRecord(
        reference=seal.reference, signature=sealed.signature, certificate=sealed.certificate
    )
    return sealed.data, record


def run(job: GeneratedFile) -> GeneratedFile:
    """Render a claimed job and store the file. Raises on failure; the task
    decides whether to retry or give up."""
    kind = get_kind(job.kind)
    obj = kind.load(job.tenant, job.object_id)
    if obj is None:
        raise SourceGone
    if isinstance(kind, ExportDocument | PdfDocument) and kind.build is not None:
        with translation.override(DOCUMENT_LANGUAGE):
            data, filename = kind.build(obj)
        return complete(job, data=data, filename=filename, audience=kind.audience_for(obj))
    assert isinstance(kind, PdfDocument)  # the registry holds PDFs and exports only
    rendered = render(kind=kind, obj=obj, tenant=job.tenant)
    from portal.documents.pdf import html_to_pdf  # WeasyPrint is slow to import: workers only

    data = html_to_pdf(rendered.html)
    record = None
    if rendered.seal is not None:
        data, record = seal_document(data, seal=rendered.seal, tenant=job.tenant)
    with translation.override(DOCUMENT_LANGUAGE):
        filename = kind.filename(obj)
    return complete(job, data=data, filename=filename, audience=rendered.audience, sealed=record)


def complete(
    job: GeneratedFile,
    *,
    data: bytes,
    filename: str,
    audience: str,
    sealed: SealRecord | None = None,
) -> GeneratedFile:
    """Store the rendered file (and what its seal is, if sealed) and mark the
    job done, unless the job was given up or taken over meanwhile (then this
    attempt's file is removed)."""
    attempt = job.attempts
    job.file.save(filename, ContentFile(data), save=False)
    stored = str(job.file.name)
    try:
        with transaction.atomic():
            current = GeneratedFile.objects.select_for_update().get(pk=job.pk)
            if current.status != GeneratedFileStatus.RUNNING or current.attempts != attempt:
                job.file.storage.delete(stored)
                return current
            current.file.name = stored
            current.filename = filename
            current.audience = audience
            current.checksum = hashlib.sha256(data).hexdigest()
            current.size = len(data)
            current.seal_reference = sealed.reference if sealed else ""
            current.seal_signature = sealed.signature if sealed else ""
            current.seal_certificate = sealed.certificate if sealed else ""
            current.status = GeneratedFileStatus.DONE
            current.error_message = ""
            current.finished_at = timezone.now()
            current.save(
                update_fields=[
                    "file",
                    "filename",
                    "audience",
                    "checksum",
                    "size",
                    "seal_reference",
                    "seal_signature",
                    "seal_certificate",
                    "status",
                    "error_message",
                    "finished_at",
                ]
            )
    except Exception:
        job.file.storage.delete(stored)
        raise
    return current


def requeue(job: GeneratedFile) -> None:
    """Back in the queue for a retry of a transient failure."""
    GeneratedFile.objects.filter(pk=job.pk, status=GeneratedFileStatus.RUNNING).update(
        status=GeneratedFileStatus.QUEUED, queued_at=timezone.now(), started_at=None
    )


def fail(job: GeneratedFile, message: str) -> None:
    """Record a failure the user can see, and retry."""
    GeneratedFile.objects.filter(pk=job.pk, status__in=ACTIVE_FILE_STATUSES).update(
        status=GeneratedFileStatus.FAILED, error_message=message, finished_at=timezone.now()
    )


def sweep_stuck(*, now: datetime.datetime | None = None) -> int:
    """Fail the jobs stuck in "pågår" past the task's hard time limit (the
    worker died) or in "i kö" for too long (no worker), in every programme, so
    their users can try again. Returns how many were failed."""
    now = now or timezone.now()
    with scopes_disabled():
        return _sweep(now)


def _sweep(now: datetime.datetime) -> int:
    long_kinds = [kind.key for kind in kinds() if kind.long_running]
    running = GeneratedFile.objects.filter(
        status=GeneratedFileStatus.RUNNING, started_at__lt=now - RUNNING_TIMEOUT
    ).exclude(kind__in=long_kinds)
    long_running = GeneratedFile.objects.filter(
        status=GeneratedFileStatus.RUNNING,
        started_at__lt=now - LONG_RUNNING_TIMEOUT,
        kind__in=long_kinds,
    )
    queued = GeneratedFile.objects.filter(
        status=GeneratedFileStatus.QUEUED, queued_at__lt=now - QUEUED_TIMEOUT
    )
    count = 0
    for stuck in (running, long_running, queued):
        count += stuck.update(
            status=GeneratedFileStatus.FAILED, error_message=MESSAGE_STUCK, finished_at=now
        )
    if count:
        logger.warning("Gave up %s stuck document job(s)", count)
    return count
