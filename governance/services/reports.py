"""Monthly status reports: results, gut feeling, activities per principal, risks reviewed."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import cast

from django.core.exceptions import ValidationError
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
from governance.selectors.risks import matrix_to_json, risk_matrix_of_month
from portal import audit
from portal.models import Person, Principal, Tenant, User
from portal.services import (
    DomainError,
    changed_besides_version,
    claim_version,
    create_audited,
    ensure_same_tenant,
    update_audited,
)


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
    ensure_same_tenant(tenant.pk, [*authors, presented_at])
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
    """Refuse changes to a finished report. The status is re-read under a row
    lock (callers are atomic), so a report finished by someone else since it
    was loaded is refused too, and cannot be finished while a change is saved."""
    status = (
        StatusReport.objects.select_for_update()
        .filter(pk=report.pk)
        .values_list("status", flat=True)
        .first()
    )
    if report.status != ReportStatus.DRAFT or status != ReportStatus.DRAFT:
        raise DomainError(_("The report is finished and can no longer be changed."))


@transaction.atomic
def report_update(
    *, actor: User, report: StatusReport, expected_version: int | None = None, **fields: object
) -> StatusReport:
    """Edit a draft report. One audit event covers the fields, the authors and
    the linked reviews; finishing goes through `report_finish`. Every edit of
    the report (its facts, activities, reviews) claims its version
    (`claim_version`), so a save from an older form is refused."""
    if {"status", "finished_at", "tenant"} & set(fields):
        raise TypeError("report_update cannot change the status; use report_finish")
    _ensure_draft(report)
    authors = fields.pop("authors", None)
    reviews = fields.pop("risk_reviews", None)
    author_list = None if authors is None else list(cast(Iterable[Person], authors))
    review_list = None if reviews is None else list(cast(Iterable[RiskReview], reviews))
    if author_list is not None and not author_list:
        raise DomainError(_("A status report needs at least one author."))
    ensure_same_tenant(
        report.tenant_id, [*(author_list or ()), *(review_list or ()), fields.get("presented_at")]
    )
    if "period" in fields and isinstance(fields["period"], datetime.date):
        fields["period"] = fields["period"].replace(day=1)
    before = _snapshot(report)
    loaded_version = report.version
    claim_version(report, expected_version)
    changed = [name for name, value in fields.items() if getattr(report, name) != value]
    original = {name: getattr(report, name) for name in changed}
    for name in changed:
        setattr(report, name, fields[name])
    try:
        report.full_clean()
    except ValidationError:
        for name, value in original.items():
            setattr(report, name, value)
        report.version = loaded_version  # the claim is rolled back with the transaction
        raise
    if changed:
        report.save(update_fields=changed)
    if author_list is not None:
        report.authors.set(author_list)
    if review_list is not None:
        report.risk_reviews.set(review_list)
    after = _snapshot(report)
    if changed_besides_version(before, after):
        audit.log(
            actor=actor,
            tenant=report.tenant,
            action="status_report.update",
            obj=report,
            before=before,
            after=after,
        )
    return report


def _snapshot(report: StatusReport) -> dict[str, object]:
    return {
        **(audit.snapshot(report) or {}),
        "authors": sorted(report.authors.values_list("pk", flat=True)),
        "risk_reviews": sorted(report.risk_reviews.values_list("pk", flat=True)),
    }


@transaction.atomic
def report_set_activities(
    *,
    actor: User | None,
    report: StatusReport,
    activities: Mapping[Principal, str],
    expected_version: int | None = None,
) -> StatusReport:
    """Replace the per-principal activities with `activities` (empty text drops one)."""
    _ensure_draft(report)
    ensure_same_tenant(report.tenant_id, activities)
    claim_version(report, expected_version)
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
        action="status_report.activities.set",
        obj=report,
        before={"activities": before},
        after={"activities": keep},
    )
    return report


@transaction.atomic
def report_link_reviews(
    *,
    actor: User | None,
    report: StatusReport,
    reviews: Iterable[RiskReview],
    expected_version: int | None = None,
) -> StatusReport:
    _ensure_draft(report)
    reviews = list(reviews)
    ensure_same_tenant(report.tenant_id, reviews)
    claim_version(report, expected_version)
    before = sorted(report.risk_reviews.values_list("pk", flat=True))
    report.risk_reviews.set(reviews)
    audit.log(
        actor=actor,
        tenant=report.tenant,
        action="status_report.reviews.link",
        obj=report,
        before={"risk_reviews": before},
        after={"risk_reviews": sorted(r.pk for r in reviews)},
    )
    return report


@transaction.atomic
def report_finish(*, actor: User | None, report: StatusReport) -> StatusReport:
    """Finish the report: readable by the steering group, no longer changed,
    and its risk matrix — as the reviews stood at the end of its month — is
    stored with it, so the report shows the same matrix for ever."""
    _ensure_draft(report)
    matrix = risk_matrix_of_month(tenant=report.tenant, period=report.period)
    return update_audited(
        report,
        actor=actor,
        tenant=report.tenant,
        fields={
            "status": ReportStatus.FINISHED,
            "finished_at": timezone.now(),
            "risk_matrix": matrix_to_json(matrix),
        },
    )


@transaction.atomic
def report_present(
    *,
    actor: User,
    report: StatusReport,
    agenda_item: AgendaItem,
    expected_version: int | None = None,
) -> StatusReport:
    """Record that a report was presented under an agenda item, so that the
    minutes show it in full there and nobody types it again.

    Where it was presented is a fact of the meeting, not of the report's
    text: a finished report can be presented (the usual order: the month's
    report is finished, then presented at the next meeting). The item's
    minutes must be open for changes; a report is presented once."""
    from governance.services.meetings import ensure_row_editable

    ensure_same_tenant(report.tenant_id, [agenda_item])
    if report.archived_at is not None:
        raise DomainError(_("The report is archived."))
    meeting = agenda_item.meeting
    ensure_row_editable(agenda_item, meeting)
    # A revision's draft item presents under its approved row, as the minutes read it.
    target_id = agenda_item.draft_of_id or agenda_item.pk
    if report.presented_at_id == target_id:
        return report
    if report.presented_at_id is not None:
        earlier = AgendaItem.all_rows.select_related("meeting__body").get(pk=report.presented_at_id)
        raise DomainError(
            _("The report was already presented at %(meeting)s, item %(position)s.")
            % {"meeting": earlier.meeting.display_title, "position": earlier.position}
        )
    before = _snapshot(report)
    claim_version(report, expected_version)
    report.presented_at_id = target_id
    report.save(update_fields=["presented_at"])
    audit.log(
        actor=actor,
        tenant=report.tenant,
        action="status_report.present",
        obj=report,
        before=before,
        after=_snapshot(report),
    )
    return report
