"""Reminder e-mails: principal reporters whose principal is due to report on
the staircase, and process leaders while self-assessments wait for review.

Idempotent per day: each e-mail is sent inside the transaction that records
it as a `Reminder`, unique per programme, kind, user and day. A second run the
same day (or a concurrent one) stops at the unique row and sends nothing; an
e-mail that fails to send rolls its row back, so a retry sends it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from implementation.models import Reminder, ReminderKind
from implementation.selectors.reminders import leaders_to_notify, reporters_due
from portal import audit
from portal.models import Principal, Tenant, User


@dataclass
class ReminderResult:
    reporters: int = 0
    leaders: int = 0


def _url(name: str, *args: object) -> str:
    base = str(getattr(settings, "PORTAL_BASE_URL", "")).rstrip("/")
    return base + reverse(name, args=list(args))


def _send_once(
    *,
    tenant: Tenant,
    kind: str,
    user: User,
    today: datetime.date,
    principal: Principal | None,
    template: str,
    context: dict[str, object],
) -> bool:
    """Record and send one reminder; False when it was already sent today."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                tenant=tenant, kind=kind, user=user, principal=principal, sent_on=today
            )
            context = {**context, "tenant": tenant, "user": user}
            send_mail(
                subject=render_to_string(f"{template}_subject.txt", context).strip(),
                message=render_to_string(f"{template}.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
    except IntegrityError:
        return False
    return True


def send_reminders(*, tenant: Tenant, today: datetime.date) -> ReminderResult:
    """E-mail the reporters due to report and the process leaders with
    assessments to review, in `tenant`; one audit event says whom."""
    result = ReminderResult()
    reported: list[int] = []
    for due in reporters_due(tenant=tenant, today=today):
        sent = _send_once(
            tenant=tenant,
            kind=ReminderKind.REPORT,
            user=due.membership.user,
            today=today,
            principal=due.principal,
            template="implementation/email/report_reminder",
            context={
                "principal": due.principal,
                "last_approved": due.last_approved,
                "interval": tenant.reporting_interval_months,
                "url": _url("implementation:assessment_principal", tenant.slug, due.principal.pk),
            },
        )
        if sent:
            result.reporters += 1
            reported.append(due.membership.user_id)
    leaders, waiting = leaders_to_notify(tenant=tenant, today=today)
    notified: list[int] = []
    for membership in leaders:
        sent = _send_once(
            tenant=tenant,
            kind=ReminderKind.REVIEW,
            user=membership.user,
            today=today,
            principal=None,
            template="implementation/email/review_reminder",
            context={
                "waiting": waiting,
                "url": _url("implementation:assessment_review_queue", tenant.slug),
            },
        )
        if sent:
            result.leaders += 1
            notified.append(membership.user_id)
    if reported or notified:
        audit.log(
            actor=None,
            tenant=tenant,
            action="tenant.reminders.send",
            obj=tenant,
            after={
                "day": today.isoformat(),
                "reporters": reported,
                "leaders": notified,
                "waiting": [a.pk for a in waiting] if notified else [],
            },
        )
    return result
