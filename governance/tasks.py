"""Celery tasks of governance: the e-mails asking signatories to sign minutes.

`send_signing_reminders` is the beat task: one reminder per pending
signatory per round of signing (`governance.services.signing.send_reminders`
records each before it is sent, so a rerun sends none twice).
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from governance.models import Meeting, SigningNoticeKind
from portal.models import Person, Tenant

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, smtplib.SMTPException, OperationalError, InterfaceError)


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
