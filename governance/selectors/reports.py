"""Reads for the monthly status reports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from governance.models import (
    Meeting,
    ReportActivity,
    ReportStatus,
    RiskReview,
    StatusReport,
)
from governance.selectors.risks import (
    RiskMatrix,
    matrix_from_json,
    risk_matrix_of_month,
    with_score,
)
from portal import dates
from portal.models import Person, Principal, Tenant


def presented_report_prefetch() -> tuple[Prefetch, ...]:
    """What a report presented under an agenda item shows of itself
    (`report_content`), to prefetch with it."""
    return (
        Prefetch("authors", queryset=Person.objects.order_by("name")),
        Prefetch(
            "activities",
            queryset=ReportActivity.objects.select_related("principal").order_by("principal__name"),
        ),
        Prefetch(
            "risk_reviews",
            queryset=RiskReview.objects.select_related("risk").order_by(
                "risk__title", "-reviewed_on", "-id"
            ),
        ),
    )


def report_list(*, tenant: Tenant, include_drafts: bool) -> QuerySet[StatusReport]:
    """The programme's status reports, newest month first. Drafts only when
    the reader may see them (process leaders)."""
    qs = (
        StatusReport.objects.filter(tenant=tenant, archived_at__isnull=True)
        .select_related("presented_at__meeting__body")
        .prefetch_related(Prefetch("authors", queryset=Person.objects.order_by("name")))
    )
    if not include_drafts:
        qs = qs.filter(status=ReportStatus.FINISHED)
    return qs.order_by("-period", "-created_at", "-id")


def reports_presented_at_meeting(
    *, tenant: Tenant, meeting: Meeting, include_drafts: bool
) -> QuerySet[StatusReport]:
    """The status reports presented at a meeting's agenda items, for the
    meeting page (one query; drafts only for process leaders)."""
    return (
        StatusReport.objects.filter(
            tenant=tenant, presented_at__meeting=meeting, archived_at__isnull=True
        )
        .filter(Q() if include_drafts else Q(status=ReportStatus.FINISHED))
        .select_related("presented_at")
        .order_by("-period", "-id")
    )


def report_detail(*, tenant: Tenant, include_drafts: bool) -> QuerySet[StatusReport]:
    """Reports with everything the report page shows loaded: authors, where
    presented, activities per principal and the risk reviews it covers."""
    reviews = with_score(
        RiskReview.objects.select_related("risk", "reviewed_by").order_by(
            "risk__title", "-reviewed_on", "-id"
        )
    )
    activities = ReportActivity.objects.select_related("principal").order_by("principal__name")
    return report_list(tenant=tenant, include_drafts=include_drafts).prefetch_related(
        Prefetch("activities", queryset=activities),
        Prefetch("risk_reviews", queryset=reviews),
    )


def report_matrix(*, tenant: Tenant, report: StatusReport) -> RiskMatrix:
    """The risk matrix of the report's month: the risks' reviews as they stood
    at the end of the month (or now, in the month itself). Finishing the
    report stores it (`report.risk_matrix`), and from then on that is shown,
    whatever is reviewed, renamed or archived later."""
    if report.status == ReportStatus.FINISHED and report.risk_matrix:
        return matrix_from_json(tenant, report.risk_matrix)
    return risk_matrix_of_month(tenant=tenant, period=report.period)


def activity_principals(*, report: StatusReport) -> QuerySet[Principal]:
    """The principals a report's activities can be written for: the active
    ones, plus any archived one that already has activities in the report (so
    saving never drops them)."""
    return (
        Principal.objects.filter(tenant_id=report.tenant_id)
        .filter(Q(archived_at__isnull=True) | Q(pk__in=report.activities.values("principal")))
        .order_by("name")
    )


# Reviews dated from this long before the report's month to this long after it
# can be linked: a report is often prepared in the following month.
REVIEW_WINDOW_BEFORE = datetime.timedelta(days=92)
REVIEW_WINDOW_AFTER = datetime.timedelta(days=62)


def review_choices(*, report: StatusReport) -> QuerySet[RiskReview]:
    """The programme's risk reviews around the report's month (and those it
    already covers), newest first, with their risk loaded for the label."""
    start = dates.shifted(report.period, -REVIEW_WINDOW_BEFORE)
    next_month = dates.shifted(report.period.replace(day=28), datetime.timedelta(days=4))
    end = dates.shifted(next_month.replace(day=1), REVIEW_WINDOW_AFTER)
    window = Q(reviewed_on__gte=start, reviewed_on__lt=end, risk__archived_at__isnull=True)
    linked = Q(pk__in=report.risk_reviews.values("pk"))
    return (
        RiskReview.objects.filter(tenant_id=report.tenant_id)
        .filter(window | linked)
        .select_related("risk")
        .order_by("-reviewed_on", "risk__title", "-id")
    )


def report_content(report: StatusReport) -> dict[str, Any]:
    """The report as data, in full, for the minutes of the meeting it was
    presented at: the page shows it under its agenda item, and a minutes
    version freezes it (so its PDF has it too). Reads the relations of
    `presented_report_prefetch` (no query when they are prefetched). A
    finished report carries the risk matrix it was finished with."""
    return {
        "id": report.pk,
        "period": report.period.isoformat(),
        "status": report.status,
        "authors": [a.name for a in report.authors.all()],
        "results": report.results,
        "gut_feeling": report.gut_feeling,
        "gut_feeling_text": report.gut_feeling_text,
        "activities": [
            {"principal": a.principal.name, "description": a.description}
            for a in report.activities.all()
        ],
        "reviews": [
            {
                "risk": r.risk.title,
                "reviewed_on": r.reviewed_on.isoformat(),
                "likelihood": r.likelihood,
                "consequence": r.consequence,
                "status": r.status,
                "note": r.note,
            }
            for r in report.risk_reviews.all()
        ],
        "next_steps": report.next_steps,
        "matrix": report.risk_matrix if report.status == ReportStatus.FINISHED else None,
    }


def reports_to_present(tenant: Tenant) -> QuerySet[StatusReport]:
    """The programme's reports not yet presented at a meeting, newest month
    first: what a process leader picks from under an agenda item."""
    return StatusReport.objects.filter(
        tenant=tenant, presented_at__isnull=True, archived_at__isnull=True
    ).order_by("-period", "-id")
