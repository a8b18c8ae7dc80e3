"""Celery tasks of governance: the daily report-back reminders.

The beat task only fans out, one task per active programme (ids only); each
reloads its programme and sends its reminders inside the programme's scope.
Sending is idempotent per principal, assignment and meeting (see
`governance.services.report_back`), so a retry after a failed e-mail sends
only what was not sent.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_scopes import scope

from governance.services.report_back import send_report_back_reminders
from portal.models import Tenant

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, smtplib.SMTPException, OperationalError, InterfaceError)


@shared_task(ignore_result=True)
def send_report_back_reminders_all() -> int:
    """Queue today's report-back reminders of every active programme. Returns how many."""
    tenant_ids = list(Tenant.objects.filter(is_active=True).values_list("pk", flat=True))
    for tenant_id in tenant_ids:
        send_programme_report_back_reminders.delay(tenant_id)
    return len(tenant_ids)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
    ignore_result=True,
)
def send_programme_report_back_reminders(self: object, tenant_id: int) -> str:
    """One programme's report-back reminders for today."""
    tenant = Tenant.objects.filter(pk=tenant_id, is_active=True).first()
    if tenant is None:
        return "skipped"
    with scope(tenant=tenant):
        result = send_report_back_reminders(tenant=tenant, today=timezone.localdate())
    logger.info(
        "Report-back reminders for %s: %d principals, %d e-mails",
        tenant.slug,
        result.principals,
        result.emails,
    )
    return f"{result.principals}+{result.emails}"
