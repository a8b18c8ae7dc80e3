"""The kinds of record the retention rules speak of, and for each kind that
may be disposed: which records are candidates, the date a rule counts from
(its anchor), a title for the disposal record, and how the records go.

Minutes and decisions are public records that the programme keeps (an
archive authority's rules for a board's protocols and decisions say
"bevaras"): they have a rule row like the others, but it can only say keep.

Removing a record removes what exists only for it (an action item's status
changes and answers, a risk's reviews, a status report's activities, a
document's files and stored bytes, the generated PDFs of a status report),
never anything another record needs. Stored files are deleted after the
transaction commits, so a rolled-back disposal leaves every file in place.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from archives.models import RecordKind
from governance.models import (
    ActionAnswer,
    ActionItem,
    ActionReminder,
    ActionStatus,
    ActionStatusChange,
    MeetingDocument,
    MeetingDocumentFile,
    ReportActivity,
    Risk,
    RiskReview,
    RiskStatus,
    StatusReport,
)
from implementation.models import AssessmentAttachment
from portal.models import AuditEvent, GeneratedFile, Tenant


@dataclass(frozen=True)
class Candidate:
    """A record a rule may reach: its id, a title and the date its rule counts from."""

    object_id: int
    title: str
    anchor: datetime.date


@dataclass(frozen=True)
class Kind:
    key: str
    disposable: bool
    candidates: Callable[[Tenant], Iterable[Candidate]] | None = None
    remove: Callable[[Tenant, Sequence[int]], int] | None = None


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _delete_stored_after_commit(names: list[tuple[Storage, str]]) -> None:
    def delete() -> None:
        for storage, name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def _remove_generated(tenant: Tenant, model: type[models.Model], ids: Sequence[int]) -> None:
    """The PDFs the portal made of the records go with them."""
    files = GeneratedFile.objects.filter(
        tenant=tenant, content_type=ContentType.objects.get_for_model(model), object_id__in=ids
    )
    _delete_stored_after_commit([(f.file.storage, f.file.name or "") for f in files])
    files.delete()


# Action items ---------------------------------------------------------------------


def _action_candidates(tenant: Tenant) -> Iterable[Candidate]:
    # An item whose minutes are being revised has a draft copy: left alone.
    revised = set(
        ActionItem.all_rows.filter(tenant=tenant, revision_draft=True).values_list(
            "draft_of_id", flat=True
        )
    )
    items = ActionItem.objects.filter(
        tenant=tenant, status__in=[ActionStatus.DONE, ActionStatus.REPORTED]
    ).order_by("id")
    for item in items:
        if item.pk in revised:
            continue
        anchor = _day(item.status_changed_at) or _day(item.given_at)
        assert anchor is not None
        yield Candidate(item.pk, item.description[:200], anchor)


def _action_remove(tenant: Tenant, ids: Sequence[int]) -> int:
    ActionStatusChange.objects.filter(tenant=tenant, action_item_id__in=ids).delete()
    ActionAnswer.objects.filter(tenant=tenant, action_item_id__in=ids).delete()
    ActionReminder.objects.filter(tenant=tenant, action_item_id__in=ids).delete()
    deleted, _ = ActionItem.all_rows.filter(
        tenant=tenant, pk__in=ids, revision_draft=False
    ).delete()
    return deleted


# Risks ----------------------------------------------------------------------------


def _risk_candidates(tenant: Tenant) -> Iterable[Candidate]:
    risks = (
        Risk.objects.filter(tenant=tenant, status=RiskStatus.CLOSED)
        .annotate(last_review=Max("reviews__reviewed_on"))
        .order_by("id")
    )
    for risk in risks:
        yield Candidate(risk.pk, risk.title[:200], risk.last_review or risk.raised_on)


def _risk_remove(tenant: Tenant, ids: Sequence[int]) -> int:
    RiskReview.objects.filter(tenant=tenant, risk_id__in=ids).delete()
    deleted, _ = Risk.objects.filter(tenant=tenant, pk__in=ids).delete()
    return deleted


# Status reports -------------------------------------------------------------------


def _report_candidates(tenant: Tenant) -> Iterable[Candidate]:
    for report in StatusReport.objects.filter(tenant=tenant).order_by("period", "id"):
        yield Candidate(report.pk, f"Statusrapport {report.period:%Y-%m}", report.period)


def _report_remove(tenant: Tenant, ids: Sequence[int]) -> int:
    _remove_generated(tenant, StatusReport, ids)
    ReportActivity.objects.filter(tenant=tenant, report_id__in=ids).delete()
    deleted, _ = StatusReport.objects.filter(tenant=tenant, pk__in=ids).delete()
    return deleted


# Meeting documents ----------------------------------------------------------------


def _document_candidates(tenant: Tenant) -> Iterable[Candidate]:
    documents = (
        MeetingDocument.objects.filter(tenant=tenant)
        .select_related("meeting")
        .order_by("meeting__starts_at", "id")
    )
    for document in documents:
        anchor = _day(document.meeting.starts_at)
        assert anchor is not None
        yield Candidate(document.pk, document.title[:200], anchor)


def _document_remove(tenant: Tenant, ids: Sequence[int]) -> int:
    files = MeetingDocumentFile.objects.filter(tenant=tenant, document_id__in=ids)
    _delete_stored_after_commit([(f.file.storage, f.file.name or "") for f in files])
    files.delete()
    deleted, _ = MeetingDocument.objects.filter(tenant=tenant, pk__in=ids).delete()
    return deleted


# Evidence -------------------------------------------------------------------------


def _evidence_candidates(tenant: Tenant) -> Iterable[Candidate]:
    for attachment in AssessmentAttachment.objects.filter(tenant=tenant).order_by("id"):
        anchor = _day(attachment.uploaded_at)
        assert anchor is not None
        yield Candidate(attachment.pk, attachment.original_name[:200], anchor)


def _evidence_remove(tenant: Tenant, ids: Sequence[int]) -> int:
    attachments = AssessmentAttachment.objects.filter(tenant=tenant, pk__in=ids)
    _delete_stored_after_commit([(a.file.storage, a.file.name or "") for a in attachments])
    deleted, _ = attachments.delete()
    return deleted


# Audit log events -----------------------------------------------------------------


def _audit_candidates(tenant: Tenant) -> Iterable[Candidate]:
    events = AuditEvent.objects.filter(tenant=tenant).order_by("id")
    for event in events.only("id", "action", "object_type", "object_id", "created_at"):
        anchor = _day(event.created_at)
        assert anchor is not None
        yield Candidate(event.pk, f"{event.action} {event.object_type} {event.object_id}", anchor)


def _audit_remove(tenant: Tenant, ids: Sequence[int]) -> int:
    deleted, _ = AuditEvent.objects.filter(tenant=tenant, pk__in=ids).delete()
    return deleted


KINDS: dict[str, Kind] = {
    RecordKind.MINUTES: Kind(RecordKind.MINUTES, disposable=False),
    RecordKind.DECISION: Kind(RecordKind.DECISION, disposable=False),
    RecordKind.ACTION_ITEM: Kind(RecordKind.ACTION_ITEM, True, _action_candidates, _action_remove),
    RecordKind.RISK: Kind(RecordKind.RISK, True, _risk_candidates, _risk_remove),
    RecordKind.STATUS_REPORT: Kind(
        RecordKind.STATUS_REPORT, True, _report_candidates, _report_remove
    ),
    RecordKind.MEETING_DOCUMENT: Kind(
        RecordKind.MEETING_DOCUMENT, True, _document_candidates, _document_remove
    ),
    RecordKind.EVIDENCE: Kind(RecordKind.EVIDENCE, True, _evidence_candidates, _evidence_remove),
    RecordKind.AUDIT_EVENT: Kind(RecordKind.AUDIT_EVENT, True, _audit_candidates, _audit_remove),
}


def get(key: str) -> Kind:
    return KINDS[key]


def add_period(day: datetime.date, *, period: int, unit: str) -> datetime.date:
    """`day` plus `period` years or months; the 31st of a shorter month is its
    last day. Past the calendar's end (a date stored far in the future): never."""
    months = period * 12 if unit == "years" else period
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    if year > datetime.MAXYEAR:
        return datetime.date.max
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th
