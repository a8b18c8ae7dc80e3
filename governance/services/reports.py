"""Monthly status reports: results, gut feeling, activities per principal, risks reviewed."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    AgendaItem,
    ReportActivity,
    ReportStatus,
    RiskReview,
    StatusReport,
)
from portal import audit
from portal.models import Person, Principal, Tenant, User
from portal.services import DomainError, create_audited, update_audited


@transaction.atomic
def report_create(
    *,
    actor: User | None,
    tenant: Tenant,
    period: datetime.date,
    authors: Iterable[Person],
    results: str = "",
    gut_feeling: str = "neutral",
    gut_feeling_text: str = "",
    next_steps: str = "",
    presented_at: AgendaItem | None = None,
) -> StatusReport:
    authors = list(authors)
    if not authors:
        raise DomainError(_("A status report needs at least one author."))
    report = create_audited(
        StatusReport(
            tenant=tenant,
            period=period.replace(day=1),
            results=results,
            gut_feeling=gut_feeling,
            gut_feeling_text=gut_feeling_text,
            next_steps=next_steps,
            presented_at=presented_at,
        ),
        actor=actor,
        tenant=tenant,
    )
    report.authors.set(authors)
    return report


def _ensure_draft(report: StatusReport) -> None:
    if report.status != ReportStatus.DRAFT:
        raise DomainError(_("The report is finished and can no longer be changed."))


@transaction.atomic
def report_update(*, actor: User, report: StatusReport, **fields: object) -> StatusReport:
    _ensure_draft(report)
    authors = fields.pop("authors", None)
    reviews = fields.pop("risk_reviews", None)
    if "period" in fields and isinstance(fields["period"], datetime.date):
        fields["period"] = fields["period"].replace(day=1)
    update_audited(report, actor=actor, tenant=report.tenant, fields=dict(fields))
    if authors is not None:
        report.authors.set(authors)  # type: ignore[arg-type]
    if reviews is not None:
        report.risk_reviews.set(reviews)  # type: ignore[arg-type]
    return report


@transaction.atomic
def report_set_activities(
    *, actor: User | None, report: StatusReport, activities: Mapping[Principal, str]
) -> StatusReport:
    """Replace the per-principal activities with `activities` (empty text drops one)."""
    _ensure_draft(report)
    before = {a.principal_id: a.description for a in report.activities.all()}
    keep = {p.pk: text.strip() for p, text in activities.items() if text.strip()}
    ReportActivity.objects.filter(report=report).exclude(principal_id__in=keep).delete()
    for principal_id, text in keep.items():
        ReportActivity.objects.update_or_create(
            report=report,
            principal_id=principal_id,
            defaults={"description": text, "tenant": report.tenant},
        )
    audit.log(
        actor=actor,
        tenant=report.tenant,
        action="activities",
        obj=report,
        before={"activities": before},
        after={"activities": keep},
    )
    return report


@transaction.atomic
def report_link_reviews(
    *, actor: User | None, report: StatusReport, reviews: Iterable[RiskReview]
) -> StatusReport:
    _ensure_draft(report)
    report.risk_reviews.set(list(reviews))
    audit.log(
        actor=actor,
        tenant=report.tenant,
        action="link_reviews",
        obj=report,
        after={"risk_reviews": [r.pk for r in report.risk_reviews.all()]},
    )
    return report


@transaction.atomic
def report_finish(*, actor: User | None, report: StatusReport) -> StatusReport:
    _ensure_draft(report)
    return update_audited(
        report,
        actor=actor,
        tenant=report.tenant,
        fields={"status": ReportStatus.FINISHED, "finished_at": timezone.now()},
    )
