"""Research exports as document jobs: a zipped export is rendered by the same
Celery task, job record (`GeneratedFile`), status polling and permission-checked
download as the portal's PDFs, with its own builder and wording."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.documents import registry as documents
from portal.models import Membership, Tenant
from portal.permissions import can
from research import exports
from research.models import DataExport

EXPORT_KIND = "research_export"


def _load(tenant: Tenant, pk: int) -> DataExport | None:
    return (
        DataExport.objects.filter(tenant=tenant, pk=pk)
        .exclude(format="csv_stream")
        .select_related("tenant")
        .first()
    )


def _not_theirs(membership: Membership | None, export: DataExport) -> bool:
    """An export is for the researcher who asked for it (and was audited for
    it): to other researchers it does not exist. Other roles may not export at
    all, and are refused (403) by the kind's rule."""
    return (
        membership is not None
        and can(membership, "research.export")
        and export.requested_by_id != membership.user_id
    )


def _url(export: DataExport) -> str:
    return reverse("research:export", args=[export.tenant.slug])


RESEARCH_EXPORT = documents.ExportDocument(
    key=EXPORT_KIND,
    label=_("Research export"),
    model=DataExport,
    rule="research.export",
    load=_load,
    title=lambda export: str(export.pk),
    url=_url,
    hidden=_not_theirs,
    build=exports.build,
    media_type="application/zip",
    status_template="research/export_status.html",
)


def register() -> None:
    documents.register(RESEARCH_EXPORT)
