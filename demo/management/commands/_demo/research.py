"""Demo research: the register of the accompanying research's sub-reports
(fictional), and a past, audited data-package export by the `forskare` login,
so the researcher's page is alive. Idempotent like the rest of the seed:
reports are looked up by title, and the export is made only while the
researcher has none in the programme."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django_scopes import scope

from portal.models import Membership, Role, Tenant
from research import services
from research.models import DataExport, ExportFormat, ResearchReport

RESEARCHER = "forskare"


@dataclass(frozen=True)
class ReportSpec:
    title: str
    published_on: datetime.date
    summary: str


REPORTS: dict[str, tuple[ReportSpec, ...]] = {
    "sormland": (
        ReportSpec(
            "Delrapport 1: Att bygga en gemensam styrning",
            datetime.date(2025, 6, 16),
            "Hur styrgruppen, skolchefsnätverket och arbetsgrupperna har etablerat en "
            "gemensam struktur för samverkan under programmets första år, och vad "
            "huvudmännen själva säger om förankringen i de egna förvaltningarna.",
        ),
        ReportSpec(
            "Delrapport 2: Implementeringstrappan i praktiken",
            datetime.date(2025, 12, 8),
            "En analys av kommunernas självskattningar över tre halvår: vilka steg som "
            "nås först, var arbetet stannar av och hur utsedda Barnets bästa-ansvariga "
            "påverkar takten.",
        ),
    ),
    "kronoberg": (
        ReportSpec(
            "Delrapport 1: Samverkan över huvudmannagränser",
            datetime.date(2025, 9, 29),
            "Följeforskningens första iakttagelser av länsstyrgruppens arbete: "
            "närvaro, beslut och uppdrag över tid, och hur regionen och kommunerna "
            "fördelar ansvaret för gemensamma insatser.",
        ),
    ),
}

# The past export: a data package of the governance and implementation registers.
EXPORT_DATASETS = (
    "principals",
    "self_assessments",
    "criterion_ratings",
    "indicator_values",
    "meetings",
    "attendance",
    "decisions",
    "status_reports",
)


def seed_research() -> None:
    for slug, reports in REPORTS.items():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            continue
        with scope(tenant=tenant):
            membership = (
                Membership.objects.filter(
                    tenant=tenant, user__username=RESEARCHER, role=Role.RESEARCHER, is_active=True
                )
                .select_related("user")
                .first()
            )
            if membership is None:
                continue  # the demo login was skipped: nobody to write the register as
            _ensure_reports(tenant, membership, reports)
            _ensure_export(tenant, membership)


def _ensure_reports(
    tenant: Tenant, membership: Membership, reports: tuple[ReportSpec, ...]
) -> None:
    existing = set(ResearchReport.objects.filter(tenant=tenant).values_list("title", flat=True))
    for spec in reports:
        if spec.title not in existing:
            services.report_create(
                actor=membership.user,
                membership=membership,
                tenant=tenant,
                title=spec.title,
                published_on=spec.published_on,
                summary=spec.summary,
            )


def _ensure_export(tenant: Tenant, membership: Membership) -> None:
    if DataExport.objects.filter(tenant=tenant, requested_by=membership.user).exists():
        return
    # Built by a worker once the seed commits (inline in the embedded run).
    services.export_request(
        actor=membership.user,
        membership=membership,
        tenant=tenant,
        format=ExportFormat.DATA_PACKAGE,
        dataset_keys=EXPORT_DATASETS,
        period_start=datetime.date(2024, 1, 1),
    )
