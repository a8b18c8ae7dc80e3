"""The archive package as a document job: built by the same Celery task, job
record (`GeneratedFile`), status polling, retry and permission-checked
download as the portal's PDFs and the research exports."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archives import package
from archives.models import ArchiveExport
from portal.documents import registry as documents
from portal.models import Tenant

PACKAGE_KIND = "archive_package"


def _load(tenant: Tenant, pk: int) -> ArchiveExport | None:
    return (
        ArchiveExport.objects.filter(tenant=tenant, pk=pk)
        .select_related("tenant", "requested_by")
        .first()
    )


def _url(export: ArchiveExport) -> str:
    return reverse("archives:overview", args=[export.tenant.slug])


ARCHIVE_PACKAGE = documents.ExportDocument(
    key=PACKAGE_KIND,
    label=_("Archive package"),
    model=ArchiveExport,
    rule="archives.manage",
    load=_load,
    title=lambda export: export.package_id,
    url=_url,
    build=package.build,
    media_type="application/zip",
    status_template="archives/package_status.html",
    # Rendering every approved minutes as PDF/A takes a while.
    long_running=True,
)


def register() -> None:
    documents.register(ARCHIVE_PACKAGE)
