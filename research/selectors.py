"""Reads of the research pages, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from portal.documents.requests import DocumentPanel
from portal.models import GeneratedFile, Membership, Tenant, User
from research import datasets as ds
from research.documents import RESEARCH_EXPORT
from research.models import ApiToken, DataExport, ExportFormat, ResearchReport

RECENT_EXPORTS = 20


@dataclass(frozen=True)
class ExportRow:
    export: DataExport
    panel: DocumentPanel | None  # None: a streamed CSV, no file kept

    @property
    def datasets(self) -> list[ds.Dataset]:
        return ds.ordered(self.export.datasets)


def recent_exports(*, tenant: Tenant, user: User, membership: Membership) -> list[ExportRow]:
    """The researcher's own recent exports, each with the newest job of its
    file (two queries for any number of exports)."""
    exports = list(
        DataExport.objects.filter(tenant=tenant, requested_by=user)
        .select_related("tenant")
        .order_by("-created_at", "-id")[:RECENT_EXPORTS]
    )
    zipped = [e.pk for e in exports if e.format != ExportFormat.CSV_STREAM]
    jobs: dict[int, GeneratedFile] = {}
    if zipped:
        for job in GeneratedFile.objects.filter(
            tenant=tenant, kind=RESEARCH_EXPORT.key, object_id__in=zipped
        ).order_by("created_at", "id"):
            jobs[job.object_id] = job  # the newest wins
    may_request = bool(exports) and RESEARCH_EXPORT.may_request(membership, exports[0])
    return [
        ExportRow(
            export=export,
            panel=None
            if export.format == ExportFormat.CSV_STREAM
            else DocumentPanel(
                kind=RESEARCH_EXPORT,
                obj=export,
                job=jobs.get(export.pk),
                may_request=may_request,
            ),
        )
        for export in exports
    ]


def active_tokens(*, tenant: Tenant, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(tenant=tenant, user=user, revoked_at__isnull=True).order_by(
        "-created_at", "-id"
    )


@dataclass(frozen=True)
class DatasetRow:
    dataset: ds.Dataset
    rows: int


def dataset_overview(*, tenant: Tenant) -> list[DatasetRow]:
    """Every dataset with its number of rows now (one count per dataset)."""
    return [DatasetRow(d, d.count(tenant)) for d in ds.DATASETS.values()]


def report_list(*, tenant: Tenant, include_archived: bool = False) -> QuerySet[ResearchReport]:
    reports = ResearchReport.objects.filter(tenant=tenant)
    if not include_archived:
        reports = reports.filter(archived_at__isnull=True)
    return reports.order_by("-published_on", "-id")
