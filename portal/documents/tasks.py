"""Celery tasks of the documents: rendering one, and the sweeper that gives
up jobs stuck in a dead worker.

Their names are still "portal.tasks.…", as when this was the portal app's
tasks module: messages already queued, and CELERY_BEAT_SCHEDULE, name them so.
The Celery app finds this module by autodiscovery (portal/celery.py).

Tasks take ids only and reload everything inside the programme's scope. The
work itself is in `portal.documents.jobs`; a task decides what a failure means:
a transient one (the database or the file system hiccuped) is retried with
exponential backoff, up to three times; anything else fails the job with a
message the user can act on, and the traceback goes to the log.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django_scopes import scope

from portal.documents import jobs
from portal.models import Tenant

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
MAX_RETRIES = 3


@shared_task(
    name="portal.tasks.render_document",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=jobs.SOFT_TIME_LIMIT,
    time_limit=jobs.TIME_LIMIT,
    ignore_result=True,
)
def render_document(self, job_id: int, tenant_id: int) -> object:
    """Render one `GeneratedFile`. Returns its status, "skipped", or a retry."""
    return _run(self, job_id, tenant_id)


@shared_task(
    name="portal.tasks.render_long_document",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=jobs.LONG_SOFT_TIME_LIMIT,
    time_limit=jobs.LONG_TIME_LIMIT,
    ignore_result=True,
)
def render_long_document(self, job_id: int, tenant_id: int) -> object:
    """The same for a `long_running` kind (reading scanned minutes), with
    longer time limits."""
    return _run(self, job_id, tenant_id)


def _run(task: Any, job_id: int, tenant_id: int) -> object:
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        return "skipped"
    with scope(tenant=tenant):
        # A message redelivered by the broker: the worker that had it died mid-job.
        redelivered = bool((task.request.delivery_info or {}).get("redelivered"))
        job = jobs.claim(job_id=job_id, tenant=tenant, redelivered=redelivered)
        if job is None:
            return "skipped"  # done, failed, gone, or another worker has it
        try:
            return str(jobs.run(job).status)
        except SoftTimeLimitExceeded:
            logger.warning("Document job %s hit its time limit", job_id)
            jobs.fail(job, jobs.MESSAGE_TOO_LONG)
        except jobs.SourceGone:
            jobs.fail(job, jobs.MESSAGE_GONE)
        except jobs.Refused as refusal:
            jobs.fail(job, str(refusal)[:300])
        except jobs.CannotSeal:
            logger.exception("Document job %s could not be sealed", job_id)
            jobs.fail(job, jobs.MESSAGE_SEAL)
        except TRANSIENT_ERRORS as error:
            if task.request.retries < MAX_RETRIES:
                logger.warning(
                    "Document job %s: %s; retrying", job_id, type(error).__name__, exc_info=True
                )
                if not connection.in_atomic_block:
                    close_old_connections()  # a broken connection is not reused
                jobs.requeue(job)
                countdown = get_exponential_backoff_interval(
                    factor=5, retries=task.request.retries, maximum=120, full_jitter=True
                )
                # Not raised: in a worker the retry is queued with its countdown
                # and this delivery ends; run inline (no broker), Celery runs
                # the returned retry at once.
                return task.retry(exc=error, countdown=countdown, throw=False)
            logger.exception("Document job %s failed after %s retries", job_id, MAX_RETRIES)
            jobs.fail(job, jobs.MESSAGE_UNAVAILABLE)
        except Exception:
            logger.exception("Document job %s failed", job_id)
            jobs.fail(job, jobs.MESSAGE_FAILED)
    return "misslyckad"


@shared_task(name="portal.tasks.sweep_stuck_documents", ignore_result=True)
def sweep_stuck_documents() -> int:
    """Every five minutes (CELERY_BEAT_SCHEDULE): give up stuck jobs."""
    return jobs.sweep_stuck()
