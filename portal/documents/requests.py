"""Document jobs, the web side: asking for a document, trying a failed job
again, and what a page shows of a document's jobs.

`request_document` and `retry_document` write the job and queue the Celery
task (`portal.documents.tasks`) once the transaction commits; if the broker
cannot be reached the job is marked failed at once, with a message the user
can act on (try again). The rendering itself is `portal.documents.jobs`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from portal import audit
from portal.documents.jobs import MESSAGE_UNAVAILABLE
from portal.documents.registry import DocumentKind, Obj, get_kind
from portal.documents.tasks import render_document, render_long_document
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

# How many recent jobs of one document the page looks through for the newest
# one the reader may see (a draft's PDF is not for everyone).
RECENT_JOBS = 10


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


# Asking for documents ----------------------------------------------------------


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
    job_id, tenant_id, kind_key = job.pk, job.tenant_id, job.kind
    transaction.on_commit(lambda: enqueue(job_id=job_id, tenant_id=tenant_id, kind_key=kind_key))


def enqueue(*, job_id: int, tenant_id: int, kind_key: str = "") -> None:
    """Hand the job to Celery. With no broker configured the task runs right
    here (CELERY_TASK_ALWAYS_EAGER). A broker that cannot be reached fails the
    job with a message to try again, instead of leaving it queued forever."""
    try:
        long_running = bool(kind_key) and get_kind(kind_key).long_running
        task = render_long_document if long_running else render_document
        task.apply_async(
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
