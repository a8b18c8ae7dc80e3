"""The archive on the demo programme (issue 16, item 2, "done when"): an
archive package of a demo programme validated with eark-validator, and a
disposal run carried out on demo data."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.test import TestCase
from django_scopes import scope, scopes_disabled
from lxml import etree

from archives import package, selectors, services
from archives.models import (
    ArchiveExport,
    DisposalItem,
    DisposalRun,
    DisposalStatus,
    RecordKind,
    RetentionAction,
    RetentionHold,
    RetentionRule,
)
from governance.models import Decision, Meeting, MinutesStatus, StatusReport
from portal.models import AuditEvent, Role, Tenant, User
from tests.archives import eark
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(scope="class")
def demo(shared_demo) -> Iterator[None]:
    """The demo, seeded once per run (tests/shared_demo.py), for the class."""
    with shared_demo.use("demo"):
        yield


@pytest.mark.usefixtures("db", "demo")
class TestDemoArchive:
    def test_the_demo_has_rules_a_hold_a_proposed_disposal_and_a_package(self, no_scopes):
        tenant = Tenant.objects.get(slug="sormland")
        rule = RetentionRule.objects.get(tenant=tenant, kind=RecordKind.STATUS_REPORT)
        assert (rule.action, rule.period, rule.unit) == (RetentionAction.DISPOSE, 3, "years")
        assert RetentionRule.objects.get(
            tenant=tenant, kind=RecordKind.MEETING_DOCUMENT
        ).action == (RetentionAction.KEEP)
        hold = RetentionHold.objects.get(tenant=tenant)
        assert hold.is_active and hold.kind == RecordKind.STATUS_REPORT
        run = DisposalRun.objects.get(tenant=tenant)
        assert run.status == DisposalStatus.PROPOSED
        assert run.proposed_by.username == "admin"
        (item,) = DisposalItem.objects.filter(run=run)
        assert (item.kind, item.record_date) == (
            RecordKind.STATUS_REPORT,
            datetime.date(2022, 9, 1),
        )
        assert ArchiveExport.objects.filter(tenant=tenant).exists()
        # Kronoberg keeps everything.
        assert not RetentionRule.objects.filter(tenant__slug="kronoberg").exists()

    def test_a_disposal_runs_on_demo_data(self, tmp_path):
        tenant = Tenant.objects.get(slug="sormland")
        approver = UserFactory(username="arkivarie", first_name="Anna", last_name="Arkivarie")
        MembershipFactory(tenant=tenant, user=approver, role=Role.TENANT_ADMIN)
        with scope(tenant=tenant):
            run = DisposalRun.objects.get(tenant=tenant)
            reports = set(StatusReport.objects.filter(tenant=tenant).values_list("pk", flat=True))
            held = RetentionHold.objects.get(tenant=tenant).object_id
            (due,) = DisposalItem.objects.filter(run=run)
            meetings, decisions = Meeting.objects.count(), Decision.objects.count()

            with TestCase.captureOnCommitCallbacks(execute=True):
                services.disposal_approve(actor=approver, run=run)

            left = set(StatusReport.objects.filter(tenant=tenant).values_list("pk", flat=True))
            assert left == reports - {due.object_id}
            assert held in left  # under a hold
            # The recent reports are within their three years; nothing else was touched.
            assert len(left) == len(reports) - 1 >= 7
            assert (Meeting.objects.count(), Decision.objects.count()) == (meetings, decisions)
            run.refresh_from_db()
            assert run.status == DisposalStatus.EXECUTED
            assert run.approved_by == approver
            protocol = selectors.protocol_csv(run).decode("utf-8-sig")
            assert "Statusrapport 2022-09" in protocol
            assert "Emelie Norén" in protocol and "Anna Arkivarie" in protocol
            assert AuditEvent.objects.filter(
                action="disposal_run.execute", object_id=str(run.pk)
            ).exists()
            # Nothing more is due: the held report waits for its hold.
            assert selectors.due_for_disposal(tenant).due == []

    def test_an_archive_package_of_the_demo_programme_is_valid(self, tmp_path):
        tenant = Tenant.objects.get(slug="sormland")
        admin = User.objects.get(username="admin")
        with scope(tenant=tenant):
            export, _ = services.archive_export_request(
                actor=admin,
                membership=None,
                tenant=tenant,
                period_start=datetime.date(2025, 1, 1),
            )
            data, filename = package.build(export)
            approved = Meeting.objects.filter(
                tenant=tenant,
                minutes_status=MinutesStatus.APPROVED,
                starts_at__date__gte=datetime.date(2025, 1, 1),
            ).count()
            export.refresh_from_db()
        assert filename == f"{export.package_id}.zip"
        result = eark.validate(data, tmp_path)
        assert result.problems == []
        checked, failures = eark.csip_requirements(result.root / "METS.xml")
        assert failures == [] and len(checked) > 60
        minutes = list((result.root / "representations/rep1/data/minutes").iterdir())
        assert approved >= 3
        assert len(minutes) == approved == export.manifest["counts"]["minutes"]
        assert export.manifest["counts"]["decisions"] > 0
        assert export.manifest["counts"]["meeting_documents"] > 0
        assert export.manifest["missing"] == []
        schema = package.registers_schema()
        registers = result.root / "representations/rep1/data/registers"
        for name in ("decisions", "action-items", "risks"):
            register = etree.parse(str(registers / f"{name}.xml"))
            assert schema.validate(register), schema.error_log
        with scopes_disabled():
            assert ArchiveExport.objects.filter(pk=export.pk).exists()
