"""Celery tasks of governance: mailing a meeting's notice (kallelse), and
the daily report-back reminders.

A task takes ids only and reloads its object inside its programme's scope.
Delivery is idempotent: a notice mails only the recipients not mailed yet
(`notice_deliver`), and reminders are sent once per principal, assignment
and meeting (`governance.services.report_back`), so a retry after a failed
e-mail sends no copies. A notice's failure is recorded on the recipient,
where the process leader sees it.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import MeetingNotice
from governance.services.notices import notice_deliver
from governance.services.report_back import send_report_back_reminders
from portal.models import Tenant

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, smtplib.SMTPException, OperationalError, InterfaceError)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
    ignore_result=True,
)
def send_meeting_notice(self: object, notice_id: int, base_url: str = "") -> int:
    """Mail one notice to its recipients. Returns how many were mailed now."""
    with scopes_disabled():
        notice = (
            MeetingNotice.objects.select_related("tenant", "meeting", "meeting__tenant")
            .filter(pk=notice_id)
            .first()
        )
    if notice is None or not notice.tenant.is_active:
        return 0
    with scope(tenant=notice.tenant):
        sent = notice_deliver(notice=notice, base_url=base_url)
    logger.info("Notice %s of meeting %s: %d mailed", notice.pk, notice.meeting_id, sent)
    return sent


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
