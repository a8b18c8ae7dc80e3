"""Who is due for a reminder: principal reporters whose principal's latest
approved self-assessment is older than the programme's reporting interval (or
who have none), and process leaders while self-assessments wait for review.
Someone reminded less than `REPEAT_DAYS` ago is not reminded again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from implementation.models import AssessmentStatus, Reminder, ReminderKind, SelfAssessment
from portal.models import Membership, Principal, Role, Tenant


def repeat_days() -> int:
    return int(getattr(settings, "IMPLEMENTATION_REMINDER_REPEAT_DAYS", 14))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day when shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class ReporterDue:
    membership: Membership
    principal: Principal
    last_approved: datetime.date | None


def _recently_reminded(tenant: Tenant, kind: str, today: datetime.date) -> set[int]:
    since = today - datetime.timedelta(days=repeat_days() - 1)
    return set(
        Reminder.objects.filter(tenant=tenant, kind=kind, sent_on__gte=since).values_list(
            "user_id", flat=True
        )
    )


def reporters_due(*, tenant: Tenant, today: datetime.date) -> list[ReporterDue]:
    """Active principal reporters (with an e-mail address) of active principals
    that have not had a self-assessment approved within the programme's
    reporting interval, unless one is submitted and waits for review, or the
    reporter was reminded recently. Three queries."""
    cutoff = months_before(today, tenant.reporting_interval_months)
    principals = (
        Principal.objects.filter(tenant=tenant, archived_at__isnull=True)
        .annotate(
            last_approved=Max(
                "self_assessments__approved_at",
                filter=Q(self_assessments__status=AssessmentStatus.APPROVED),
            )
        )
        .exclude(
            pk__in=SelfAssessment.objects.filter(
                tenant=tenant, status=AssessmentStatus.SUBMITTED
            ).values("principal_id")
        )
    )
    due: dict[int, tuple[Principal, datetime.date | None]] = {}
    for principal in principals:
        moment = principal.last_approved
        last = timezone.localdate(moment) if moment is not None else None
        if last is None or last < cutoff:
            due[principal.pk] = (principal, last)
    reminded = _recently_reminded(tenant, ReminderKind.REPORT, today)
    memberships = (
        Membership.objects.filter(
            tenant=tenant,
            role=Role.PRINCIPAL_REPORTER,
            is_active=True,
            user__is_active=True,
            principal_id__in=list(due),
        )
        .exclude(user__email="")
        .exclude(user_id__in=reminded)
        .select_related("user")
        .order_by("principal__name", "user__email")
    )
    return [
        ReporterDue(
            membership=m,
            principal=due[m.principal_id][0],  # type: ignore[index]
            last_approved=due[m.principal_id][1],  # type: ignore[index]
        )
        for m in memberships
    ]


def leaders_to_notify(
    *, tenant: Tenant, today: datetime.date
) -> tuple[list[Membership], list[SelfAssessment]]:
    """The active process leaders to tell about the submitted self-assessments
    waiting for review (oldest first) — none when nothing waits."""
    waiting = list(
        SelfAssessment.objects.filter(tenant=tenant, status=AssessmentStatus.SUBMITTED)
        .select_related("principal", "operation", "sub_project")
        .order_by("submitted_at", "id")
    )
    if not waiting:
        return [], []
    reminded = _recently_reminded(tenant, ReminderKind.REVIEW, today)
    leaders = list(
        Membership.objects.filter(
            tenant=tenant, role=Role.PROCESS_LEADER, is_active=True, user__is_active=True
        )
        .exclude(user__email="")
        .exclude(user_id__in=reminded)
        .select_related("user")
        .order_by("user__email")
    )
    return leaders, waiting
