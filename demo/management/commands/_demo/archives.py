"""The demo programme's archive (issue 16, item 2): Sörmland's retention
rules, a hold, an archive package, and a disposal awaiting approval.

- Rules: status reports are disposed three years after the month they report
  on (the region's document plan: lägesrapporter gallras efter tre år, since
  the steering group's minutes keep what was decided); meeting documents are
  kept, with their basis written down; every other kind keeps the default
  ("bevaras").
- Two status reports from the start-up year 2022 (September and October), so
  that something is due: October's is under a hold (a request for the
  records), September's is on the disposal proposed by the programme's
  administrator, which waits for a second administrator's approval.
- An archive package of the first half of 2025, built by a worker once the
  seed commits (inline in the embedded run).

Through the services, like the rest of seed_demo. Idempotent: a programme
that has its rules, reports, hold, run and package keeps them as they are.
"""

from __future__ import annotations

import datetime

from django_scopes import scope

from archives import selectors
from archives import services as archives
from archives.models import (
    ArchiveExport,
    DisposalRun,
    RecordKind,
    RetentionAction,
    RetentionHold,
    RetentionRule,
)
from governance.models import StatusReport
from governance.services import reports
from portal.models import Membership, Person, Principal, Tenant

SLUG = "sormland"
ADMIN = "admin"
LEADER = "processledare"

OLD_REPORTS = (
    (
        datetime.date(2022, 9, 1),
        "Förstudien är klar. Fem kommuner har tackat ja till att delta i programmet.",
    ),
    (
        datetime.date(2022, 10, 1),
        "Styrgruppen är tillsatt och har haft sitt första möte. Processplanen är på remiss.",
    ),
)
HOLD_REASON = "Begäran om utlämnande av allmän handling (dnr RS 2026/412)"


def seed_archives() -> None:
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        return
    with scope(tenant=tenant):
        admin = (
            Membership.objects.filter(tenant=tenant, user__username=ADMIN, is_active=True)
            .select_related("user")
            .first()
        )
        if admin is None:
            return
        _rules(tenant, admin)
        old = _old_reports(tenant)
        if old and not RetentionHold.objects.filter(tenant=tenant).exists():
            archives.hold_add(
                actor=admin.user,
                tenant=tenant,
                kind=RecordKind.STATUS_REPORT,
                object_id=old[-1].pk,
                reason=HOLD_REASON,
            )
        due = selectors.due_for_disposal(tenant).due
        if due and not DisposalRun.objects.filter(tenant=tenant).exists():
            archives.disposal_propose(actor=admin.user, tenant=tenant)
        if not ArchiveExport.objects.filter(tenant=tenant).exists():
            archives.archive_export_request(
                actor=admin.user,
                membership=admin,
                tenant=tenant,
                period_start=datetime.date(2025, 1, 1),
                period_end=datetime.date(2025, 6, 30),
            )


def _rules(tenant: Tenant, admin: Membership) -> None:
    if RetentionRule.objects.filter(tenant=tenant).exists():
        return
    archives.rule_save(
        actor=admin.user,
        tenant=tenant,
        kind=RecordKind.STATUS_REPORT,
        action=RetentionAction.DISPOSE,
        period=3,
        unit="years",
        basis="Region Sörmlands dokumenthanteringsplan, 4.2: lägesrapporter gallras efter 3 år",
    )
    archives.rule_save(
        actor=admin.user,
        tenant=tenant,
        kind=RecordKind.MEETING_DOCUMENT,
        action=RetentionAction.KEEP,
        basis="Handlingar till styrgruppens möten bevaras (RA-FS 1991:6)",
    )


def _old_reports(tenant: Tenant) -> list[StatusReport]:
    leader = Person.objects.filter(tenant=tenant, membership__user__username=LEADER).first()
    if leader is None:
        return []
    principal = (
        Principal.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("name").first()
    )
    made = []
    for period, results in OLD_REPORTS:
        report = StatusReport.objects.filter(tenant=tenant, period=period).first()
        if report is None:
            report = reports.report_create(
                actor=None,
                tenant=tenant,
                period=period,
                authors=[leader],
                results=results,
                next_steps="Fortsätt förankringen i kommunernas ledningsgrupper.",
            )
            if principal is not None:
                reports.report_set_activities(
                    actor=None,
                    report=report,
                    activities={principal: "Dialog med förvaltningsledningen om deltagandet."},
                )
            report = reports.report_finish(actor=None, report=report)
        made.append(report)
    return made
