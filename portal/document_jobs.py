"""Document jobs: asking for a PDF, rendering it in a worker, and recording how
it went on its `GeneratedFile`.

The web side (`request_document`, `retry_document`) writes the job and queues
the Celery task once the transaction commits; if the broker cannot be reached
the job is marked failed at once, with a message the user can act on (try
again). The worker side (`claim`, `run`, `fail`, `sweep_stuck`) is what
`portal.tasks` calls: a job is claimed under a row lock, so a message delivered
twice renders once, and a finished job is never rendered again. A kind that
seals its PDFs (the approved minutes) has them sealed right after rendering,
in `run`, and the seal is recorded on the file (portal/seals.py).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_scopes import scopes_disabled

from portal import audit
from portal.documents import DocumentKind, Obj, Seal, get_kind
from portal.models import (
    ACTIVE_FILE_STATUSES,
    GeneratedFile,
    GeneratedFileStatus,
    Membership,
    Tenant,
    User,
)
from portal.services import DomainError

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

# How many recent jobs of one document the page looks through for the newest
# one the reader may see (a draft's PDF is not for everyone).
RECENT_JOBS = 10

DOCUMENT_LANGUAGE = "sv"


class SourceGone(Exception):
    """The object a job renders was archived or removed since it was queued."""


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


# Reads -------------------------------------------------------------------------


def latest_visible_job(
    *, tenant: Tenant, kind: DocumentKind, obj: Obj, membership: Membership | None
) -> GeneratedFile | None:
    """The newest job of this document whose content the member may read (one query)."""
    jobs = GeneratedFile.objects.filter(tenant=tenant, kind=kind.key, object_id=obj.pk).order_by(
        "-created_at", "-id"
    )[:RECENT_JOBS]
    return next((job for job in jobs if kind.may_download(membership, obj, job.audience)), None)


def active_job(*, tenant: Tenant, kind: DocumentKind, obj: Obj) -> GeneratedFile | None:
    return (
        GeneratedFile.objects.filter(
            tenant=tenant, kind=kind.key, object_id=obj.pk, status__in=ACTIVE_FILE_STATUSES
        )
        .order_by("-created_at")
        .first()
    )


@dataclass(frozen=True)
class DocumentPanel:
    """What the "Skapa PDF" panel of a page (and the job status page) shows:
    one job of a document, or none, and whether the reader may ask for one."""

    kind: DocumentKind
    obj: Obj
    job: GeneratedFile | None
    may_request: bool

    @property
    def dom_id(self) -> str:
        return f"document-{self.kind.key.replace('_', '-')}-{self.obj.pk}"

    @property
    def title(self) -> str:
        return self.kind.title(self.obj)

    @property
    def may_retry(self) -> bool:
        return (
            self.may_request
            and self.job is not None
            and self.job.status == GeneratedFileStatus.FAILED
        )

    @property
    def back_url(self) -> str:
        return self.kind.url(self.obj) if self.kind.url is not None else ""


def document_panel(
    *, tenant: Tenant, membership: Membership | None, kind: DocumentKind, obj: Obj
) -> DocumentPanel | None:
    """The panel for a page: the newest job the reader may see. None when the
    reader may neither see a PDF of the object nor ask for one."""
    if not kind.may_read(membership, obj):
        return None
    job = latest_visible_job(tenant=tenant, kind=kind, obj=obj, membership=membership)
    may_request = kind.may_request(membership, obj)
    if job is None and not may_request:
        return None
    return DocumentPanel(kind=kind, obj=obj, job=job, may_request=may_request)


# The web side ------------------------------------------------------------------


@transaction.atomic
def request_document(
    *, actor: User, membership: Membership, tenant: Tenant, kind: DocumentKind, obj: Obj
) -> GeneratedFile:
    """Queue a PDF of `obj`. A job already queued or running for the same
    document is returned instead of a second one."""
    if not kind.may_request(membership, obj):
        raise PermissionDenied
    audience = kind.audience_for(obj)
    existing = active_job(tenant=tenant, kind=kind, obj=obj)
    if existing is not None:
        if existing.status == GeneratedFileStatus.QUEUED and existing.audience != audience:
            # The object changed since it was queued (draft minutes approved):
            # the job will render it as it is now, so it is for today's readers.
            existing.audience = audience
            existing.save(update_fields=["audience"])
        return existing
    job = GeneratedFile(
        tenant=tenant,
        kind=kind.key,
        content_type=ContentType.objects.get_for_model(kind.model),
        object_id=obj.pk,
        audience=audience,
        requested_by=actor,
    )
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # Someone asked for the same document a moment earlier.
        raced = active_job(tenant=tenant, kind=kind, obj=obj)
        if raced is None:
            raise
        return raced
    audit.log(
        actor=actor,
        tenant=tenant,
        action="generated_file.request",
        obj=job,
        after=audit.snapshot(job),
    )
    _queue_on_commit(job)
    return job


@transaction.atomic
def retry_document(*, actor: User, membership: Membership, job: GeneratedFile) -> GeneratedFile:
    """Queue a failed job again. It renders the document as it is now."""
    kind = get_kind(job.kind)
    job = GeneratedFile.objects.select_for_update().get(pk=job.pk)
    if job.status != GeneratedFileStatus.FAILED:
        raise DomainError(_("Only a PDF that could not be created can be tried again."))
    before = audit.snapshot(job)
    job.status = GeneratedFileStatus.QUEUED
    job.error_message = ""
    job.queued_at = timezone.now()
    job.started_at = None
    job.finished_at = None
    job.requested_by = actor
    try:
        with transaction.atomic():
            job.save(
                update_fields=[
                    "status",
                    "error_message",
                    "queued_at",
                    "started_at",
                    "finished_at",
                    "requested_by",
                ]
            )
    except IntegrityError:
        raise DomainError(
            _("A PDF of %(document)s is already being created.") % {"document": kind.label}
        ) from None
    audit.log(
        actor=actor,
        tenant=job.tenant,
        action="generated_file.retry",
        obj=job,
        before=before,
        after=audit.snapshot(job),
    )
    _queue_on_commit(job)
    return job


def _queue_on_commit(job: GeneratedFile) -> None:
    job_id, tenant_id = job.pk, job.tenant_id
    transaction.on_commit(lambda: enqueue(job_id=job_id, tenant_id=tenant_id))


def enqueue(*, job_id: int, tenant_id: int) -> None:
    """Hand the job to Celery. With no broker configured the task runs right
    here (CELERY_TASK_ALWAYS_EAGER). A broker that cannot be reached fails the
    job with a message to try again, instead of leaving it queued forever."""
    from portal.tasks import render_document

    try:
        render_document.apply_async(
            args=(job_id, tenant_id),
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
        )
    except Exception:
        logger.exception("Could not queue document job %s", job_id)
        _mark_failed(job_id, tenant_id, MESSAGE_UNAVAILABLE)


def _mark_failed(job_id: int, tenant_id: int, message: str) -> None:
    # Also called outside a request's scope (after the commit); the programme
    # is named explicitly instead.
    with scopes_disabled():
        GeneratedFile.objects.filter(
            pk=job_id, tenant_id=tenant_id, status__in=ACTIVE_FILE_STATUSES
        ).update(
            status=GeneratedFileStatus.FAILED, error_message=message, finished_at=timezone.now()
        )


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


def render(*, kind: DocumentKind, obj: Obj, tenant: Tenant) -> Rendered:
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


def render_html(*, kind: DocumentKind, obj: Obj, tenant: Tenant) -> tuple[str, str]:
    """The document's HTML, in Swedish, and the audience its content needs."""
    rendered = render(kind=kind, obj=obj, tenant=tenant)
    return rendered.html, rendered.audience


def seal_document(data: bytes, *, seal: Seal, tenant: Tenant) -> tuple[bytes, SealRecord]:
    """The PDF with the installation's seal (portal/seals.py), and what to
    keep with it. `CannotSeal` when the certificate cannot be used."""
    from portal import seals  # pyHanko: workers and the check page only

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
    if kind.build is not None:
        with translation.override(DOCUMENT_LANGUAGE):
            data, filename = kind.build(obj)
        return complete(job, data=data, filename=filename, audience=kind.audience_for(obj))
    rendered = render(kind=kind, obj=obj, tenant=job.tenant)
    from portal.pdf import html_to_pdf  # WeasyPrint is slow to import: workers only

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
    running = GeneratedFile.objects.filter(
        status=GeneratedFileStatus.RUNNING, started_at__lt=now - RUNNING_TIMEOUT
    )
    queued = GeneratedFile.objects.filter(
        status=GeneratedFileStatus.QUEUED, queued_at__lt=now - QUEUED_TIMEOUT
    )
    count = 0
    for stuck in (running, queued):
        count += stuck.update(
            status=GeneratedFileStatus.FAILED, error_message=MESSAGE_STUCK, finished_at=now
        )
    if count:
        logger.warning("Gave up %s stuck document job(s)", count)
    return count
