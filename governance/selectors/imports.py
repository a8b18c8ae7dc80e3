"""What the import pages show: the programme's uploads of old minutes, each
with how far its files have come, and one upload's files with the newest
reading job of each (issue 14). A constant number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from governance.imports import READING_KIND
from governance.models import ImportedFile, ImportState, MinutesImport
from portal.documents.registry import get_kind
from portal.documents.requests import DocumentPanel
from portal.models import GeneratedFile, Tenant

# The uploads listed on the import page, newest first.
RECENT_IMPORTS = 50


def imports(*, tenant: Tenant) -> QuerySet[MinutesImport]:
    return (
        MinutesImport.objects.filter(tenant=tenant)
        .select_related("body", "uploaded_by")
        .annotate(
            file_count=Count("files"),
            confirmed_count=Count("files", filter=Q(files__state=ImportState.CONFIRMED)),
            review_count=Count("files", filter=Q(files__state=ImportState.REVIEW)),
        )
        .order_by("-created_at", "-id")
    )


def imported_files(*, tenant: Tenant) -> QuerySet[ImportedFile]:
    return ImportedFile.objects.filter(tenant=tenant).select_related(
        "upload", "upload__body", "meeting", "meeting__body", "confirmed_by"
    )


@dataclass(frozen=True)
class FileRow:
    """A file of an upload and its newest reading job (None: never queued),
    as the job's status panel shows it."""

    file: ImportedFile
    job: GeneratedFile | None

    @property
    def panel(self) -> DocumentPanel:
        return DocumentPanel(
            kind=get_kind(READING_KIND), obj=self.file, job=self.job, may_request=False
        )


def upload_files(minutes_import: MinutesImport) -> list[FileRow]:
    files = list(imported_files(tenant=minutes_import.tenant).filter(upload=minutes_import))
    jobs: dict[int, GeneratedFile] = {}
    for job in GeneratedFile.objects.filter(
        tenant_id=minutes_import.tenant_id,
        kind=READING_KIND,
        object_id__in=[f.pk for f in files],
    ).order_by("created_at", "id"):
        jobs[job.object_id] = job  # the newest wins
    return [FileRow(file=f, job=jobs.get(f.pk)) for f in files]


def latest_job(imported: ImportedFile) -> GeneratedFile | None:
    return (
        GeneratedFile.objects.filter(
            tenant_id=imported.tenant_id, kind=READING_KIND, object_id=imported.pk
        )
        .order_by("-created_at", "-id")
        .first()
    )
