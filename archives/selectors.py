"""Reads of the archive page: the rules per kind of record, the holds, what is
due for disposal, the disposal runs and the archive packages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from archives import kinds, package
from archives.documents import ARCHIVE_PACKAGE
from archives.models import (
    ArchiveExport,
    DisposalItem,
    DisposalRun,
    RecordKind,
    RetentionAction,
    RetentionHold,
    RetentionRule,
    anchor_label,
)
from portal.documents.requests import DocumentPanel
from portal.models import GeneratedFile, Membership, Tenant

RECENT = 10


@dataclass(frozen=True)
class RuleRow:
    kind: str
    label: str
    anchor: str
    disposable: bool
    rule: RetentionRule | None

    @property
    def describe(self) -> str:
        return self.rule.describe() if self.rule is not None else str(RetentionAction.KEEP.label)

    @property
    def disposes(self) -> bool:
        return self.rule is not None and self.rule.action == RetentionAction.DISPOSE


def rule_rows(tenant: Tenant) -> list[RuleRow]:
    """Every kind of record with its rule (None: the default, keep). One query."""
    saved = {rule.kind: rule for rule in RetentionRule.objects.filter(tenant=tenant)}
    return [
        RuleRow(
            kind=kind.value,
            label=str(kind.label),
            anchor=anchor_label(kind),
            disposable=kinds.get(kind).disposable,
            rule=saved.get(kind.value),
        )
        for kind in RecordKind
    ]


def rule_for(tenant: Tenant, kind: str) -> RetentionRule:
    """The saved rule of a kind, or the default (unsaved, pk None: keep)."""
    saved = RetentionRule.objects.filter(tenant=tenant, kind=kind).first()
    return saved if saved is not None else RetentionRule(tenant=tenant, kind=kind)


def active_holds(tenant: Tenant) -> QuerySet[RetentionHold]:
    return RetentionHold.objects.filter(tenant=tenant, released_at__isnull=True).select_related(
        "created_by"
    )


@dataclass(frozen=True)
class Due:
    kind: str
    object_id: int
    title: str
    record_date: datetime.date
    due_on: datetime.date
    rule: str

    @property
    def kind_label(self) -> str:
        return str(RecordKind(self.kind).label)


@dataclass(frozen=True)
class DueList:
    due: list[Due]
    held: int  # records due but under a hold

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for item in self.due:
            counted[item.kind] = counted.get(item.kind, 0) + 1
        return counted


def _held(tenant: Tenant) -> tuple[set[str], set[tuple[str, int]]]:
    whole: set[str] = set()
    single: set[tuple[str, int]] = set()
    for kind, object_id in active_holds(tenant).values_list("kind", "object_id"):
        if object_id is None:
            whole.add(kind)
        else:
            single.add((kind, object_id))
    return whole, single


def due_for_disposal(tenant: Tenant, *, on: datetime.date | None = None) -> DueList:
    """The records the rules dispose of on `on` (today) or earlier, leaving
    out every kind that is kept (no rule, or "keep"), every kind that may
    not be disposed (minutes, decisions) and everything under a hold."""
    on = on or timezone.localdate()
    whole, single = _held(tenant)
    due: list[Due] = []
    held = 0
    for rule in RetentionRule.objects.filter(tenant=tenant, action=RetentionAction.DISPOSE):
        kind = kinds.get(rule.kind)
        if not kind.disposable or kind.candidates is None or not rule.period:
            continue
        for candidate in kind.candidates(tenant):
            due_on = kinds.add_period(candidate.anchor, period=rule.period, unit=rule.unit)
            if due_on > on:
                continue
            if rule.kind in whole or (rule.kind, candidate.object_id) in single:
                held += 1
                continue
            due.append(
                Due(
                    kind=rule.kind,
                    object_id=candidate.object_id,
                    title=candidate.title,
                    record_date=candidate.anchor,
                    due_on=due_on,
                    rule=rule.describe(),
                )
            )
    due.sort(key=lambda d: (d.kind, d.record_date, d.object_id))
    return DueList(due=due, held=held)


def record_exists(tenant: Tenant, kind: str, object_id: int) -> bool:
    """Whether a record of `kind` with that id is in the programme (a hold's target)."""
    if kind == RecordKind.MINUTES:
        return package.approved_meetings(tenant, None, None).filter(pk=object_id).exists()
    if kind == RecordKind.DECISION:
        return package.decisions(tenant, None, None).filter(pk=object_id).exists()
    found = kinds.get(kind).candidates
    return found is not None and any(c.object_id == object_id for c in found(tenant))


def runs(tenant: Tenant) -> QuerySet[DisposalRun]:
    return DisposalRun.objects.filter(tenant=tenant).select_related(
        "proposed_by", "approved_by", "cancelled_by"
    )


def proposed_run(tenant: Tenant) -> DisposalRun | None:
    return runs(tenant).filter(status="proposed").first()


def run_items(run: DisposalRun) -> QuerySet[DisposalItem]:
    return DisposalItem.objects.filter(tenant=run.tenant, run=run).order_by(
        "kind", "record_date", "object_id"
    )


@dataclass(frozen=True)
class PackageRow:
    export: ArchiveExport
    panel: DocumentPanel


def recent_packages(*, tenant: Tenant, membership: Membership | None) -> list[PackageRow]:
    """The latest archive packages, each with the newest job of its file (two queries)."""
    exports = list(
        ArchiveExport.objects.filter(tenant=tenant)
        .select_related("tenant", "requested_by")
        .order_by("-created_at", "-id")[:RECENT]
    )
    jobs: dict[int, GeneratedFile] = {}
    if exports:
        for job in GeneratedFile.objects.filter(
            tenant=tenant, kind=ARCHIVE_PACKAGE.key, object_id__in=[e.pk for e in exports]
        ).order_by("created_at", "id"):
            jobs[job.object_id] = job  # the newest wins
    may_request = bool(exports) and ARCHIVE_PACKAGE.may_request(membership, exports[0])
    return [
        PackageRow(
            export=export,
            panel=DocumentPanel(
                kind=ARCHIVE_PACKAGE, obj=export, job=jobs.get(export.pk), may_request=may_request
            ),
        )
        for export in exports
    ]


def protocol_csv(run: DisposalRun) -> bytes:
    """The disposal record (gallringsprotokoll) of a run as CSV: who proposed
    and approved it and when, then one row per listed record."""
    import csv
    import io

    def when(moment: datetime.datetime | None) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    def who(user: object) -> str:
        if user is None:
            return ""
        name = user.get_full_name() if hasattr(user, "get_full_name") else ""
        return name or str(user)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Gallringsprotokoll", run.tenant.name])
    writer.writerow(["Status", run.get_status_display()])
    writer.writerow(["Föreslagen av", who(run.proposed_by), when(run.proposed_at)])
    writer.writerow(["Godkänd av", who(run.approved_by), when(run.executed_at)])
    writer.writerow(["Förfallna senast", run.reference_date.isoformat()])
    writer.writerow([])
    writer.writerow(
        ["slag", "id", "titel", "datum", "gallras från", "regel", "gallrad", "anmärkning"]
    )
    for item in run_items(run):
        writer.writerow(
            [
                item.get_kind_display(),
                item.object_id,
                item.title,
                item.record_date.isoformat(),
                item.due_on.isoformat(),
                item.rule,
                "ja" if item.disposed else "nej",
                item.skipped_reason,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
