"""Celery tasks of governance: mailing a meeting's notice (kallelse), the
e-mails asking signatories to sign minutes, and the daily reminders (report
back, signing).

A task takes ids only and reloads its object inside its programme's scope.
Delivery is idempotent: a notice mails only the recipients not mailed yet
(`notice_deliver`), report-back reminders are sent once per principal,
assignment and meeting (`governance.services.report_back`), and a signing
reminder once per pending signatory and round of signing
(`governance.services.signing.send_reminders` records each before it is
sent). A retry after a failed e-mail sends no copies. A notice's failure is
recorded on the recipient, where the process leader sees it.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from governance.models import Meeting, MeetingNotice, SigningNoticeKind
from governance.services.notices import notice_deliver
from governance.services.report_back import send_report_back_reminders
from portal.models import Person, Tenant

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, smtplib.SMTPException, OperationalError, InterfaceError)
# A task that mails: acknowledged when done, and a mail server or database
# hiccup retried with backoff, up to five times over about an hour (the
# newsletter's delivery, public/tasks.py, mails the same way).
MAIL_TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 5,
    "ignore_result": True,
}


@shared_task(**MAIL_TASK_OPTIONS)
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


@shared_task(**MAIL_TASK_OPTIONS)
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


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=60,
    max_retries=5,
    ignore_result=True,
)
def mail_signatories(
    self: object, meeting_id: int, person_ids: list[int], kind: str, base_url: str = ""
) -> int:
    """E-mail each person (a signatory of the meeting's minutes) a link to the
    page where they sign: one e-mail each, so no one sees the others' addresses."""
    with scopes_disabled():
        meeting = Meeting.objects.select_related("tenant", "body").filter(pk=meeting_id).first()
        if meeting is None:
            return 0
        people = list(Person.objects.filter(pk__in=person_ids, tenant=meeting.tenant))
    base = base_url or settings.PORTAL_BASE_URL
    url = base + reverse("governance:minutes_approve", args=[meeting.tenant.slug, meeting.pk])
    reminder = kind == SigningNoticeKind.REMINDER
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for person in people:
            if not person.email:
                continue
            context = {"meeting": meeting, "url": url, "person": person, "reminder": reminder}
            subject = render_to_string("governance/email/minutes_finished_subject.txt", context)
            send_mail(
                subject=subject.strip(),
                message=render_to_string("governance/email/minutes_finished.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[person.email],
            )
            sent += 1
    return sent


@shared_task(ignore_result=True)
def send_signing_reminders() -> int:
    """Remind the pending signatories of every active programme (idempotent)."""
    from governance.services.signing import send_reminders

    total = 0
    for tenant in Tenant.objects.filter(is_active=True):
        with scope(tenant=tenant):
            total += send_reminders()
    logger.info("Signing reminders: %d", total)
    return total
