"""Celery tasks of governance: mailing a meeting's notice (kallelse).

A task takes ids only and reloads the notice inside its programme's scope.
Delivery is idempotent per recipient (`notice_deliver` mails only those not
mailed yet), so a retry after a failed e-mail sends no copies; a failure is
recorded on the recipient, where the process leader sees it.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django_scopes import scope, scopes_disabled

from governance.models import MeetingNotice
from governance.services.notices import notice_deliver

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
