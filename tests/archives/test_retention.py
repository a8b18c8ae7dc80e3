"""Retention rules, holds and disposal (issue 16, item 2), through the services."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TestCase
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from archives import kinds, selectors, services
from archives.models import (
    DisposalItem,
    DisposalRun,
    DisposalStatus,
    RecordKind,
    RetentionAction,
    RetentionRule,
)
from governance.models import (
    ActionItem,
    ActionStatusChange,
    Decision,
    Meeting,
    MeetingDocument,
    MeetingDocumentFile,
    Risk,
    StatusReport,
)
from implementation.models import AssessmentAttachment
from portal.models import AuditEvent
from portal.services import ConflictError, DomainError
from tests.governance.factories import StatusReportFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


def _rule(world, kind, period=1, unit="years", **kwargs):
    with scope(tenant=world.tenant):
        return services.rule_save(
            actor=world.users["admin"],
            tenant=world.tenant,
            kind=kind,
            action=RetentionAction.DISPOSE,
            period=period,
            unit=unit,
            **kwargs,
        )


def _due(world, on=TODAY):
    with scope(tenant=world.tenant):
        return selectors.due_for_disposal(world.tenant, on=on)


def _keys(due):
    return {(item.kind, item.object_id) for item in due.due}


def _dispose_everything(world):
    for kind in (
        RecordKind.ACTION_ITEM,
        RecordKind.RISK,
        RecordKind.STATUS_REPORT,
        RecordKind.MEETING_DOCUMENT,
        RecordKind.EVIDENCE,
    ):
        _rule(world, kind, period=1, unit="months")


def _propose(world, on=TODAY):
    with scope(tenant=world.tenant):
        return services.disposal_propose(actor=world.users["admin"], tenant=world.tenant, on=on)


def _approve(world, run, user):
    with scope(tenant=world.tenant), TestCase.captureOnCommitCallbacks(execute=True):
        return services.disposal_approve(actor=user, run=run)


class TestRules:
    def test_every_kind_is_kept_by_default_and_nothing_is_due(self, world, scene):
        with scope(tenant=world.tenant):
            rows = selectors.rule_rows(world.tenant)
        assert [row.kind for row in rows] == list(RecordKind.values)
        keep = str(RetentionAction.KEEP.label)
        assert all(row.rule is None and row.describe == keep for row in rows)
        assert _due(world, on=datetime.date(2090, 1, 1)).due == []

    def test_a_rule_disposes_its_kind_only_once_its_period_has_passed(self, world, scene):
        _rule(world, RecordKind.STATUS_REPORT, period=3)
        # The report of January 2022 is due on 1 January 2025.
        assert _keys(_due(world, on=datetime.date(2024, 12, 31))) == set()
        due = _due(world, on=datetime.date(2025, 1, 1))
        assert _keys(due) == {(RecordKind.STATUS_REPORT, scene.report.pk)}
        (item,) = due.due
        assert item.record_date == datetime.date(2022, 1, 1)
        assert item.due_on == datetime.date(2025, 1, 1)
        assert item.rule == _("Dispose %(period)s %(unit)s after %(anchor)s") % {
            "period": 3,
            "unit": _("years"),
            "anchor": _("the month reported on"),
        }

    def test_periods_in_months(self, world, scene):
        _rule(world, RecordKind.RISK, period=18, unit="months")
        assert _keys(_due(world, on=datetime.date(2026, 9, 24))) == set()
        assert _keys(_due(world, on=datetime.date(2026, 9, 25))) == {
            (RecordKind.RISK, scene.risk.pk)
        }

    def test_add_period_keeps_to_the_end_of_a_shorter_month(self):
        assert kinds.add_period(datetime.date(2024, 1, 31), period=1, unit="months") == (
            datetime.date(2024, 2, 29)
        )
        assert kinds.add_period(datetime.date(2024, 2, 29), period=1, unit="years") == (
            datetime.date(2025, 2, 28)
        )
        # A date stored at the calendar's end is never due.
        assert kinds.add_period(datetime.date(9999, 12, 31), period=1, unit="months") == (
            datetime.date.max
        )

    def test_minutes_and_decisions_cannot_be_disposed(self, world, scene):
        for kind in (RecordKind.MINUTES, RecordKind.DECISION):
            with pytest.raises(DomainError, match=r"kan inte gallras|cannot be disposed"):
                _rule(world, kind)
        with scopes_disabled():
            assert not RetentionRule.objects.exists()
            assert not AuditEvent.objects.filter(action__startswith="retention_rule.").exists()

    @pytest.mark.parametrize("period", [None, 0, -3, 1000])
    def test_a_disposal_needs_a_sensible_period(self, world, period):
        with pytest.raises(DomainError):
            _rule(world, RecordKind.STATUS_REPORT, period=period)
        with scopes_disabled():
            assert not RetentionRule.objects.exists()

    def test_unknown_kinds_actions_and_units_are_refused(self, world):
        with scope(tenant=world.tenant):
            for kwargs in (
                {"kind": "tweets", "action": "keep"},
                {"kind": "risk", "action": "shred"},
                {"kind": "risk", "action": "dispose", "period": 2, "unit": "weeks"},
            ):
                with pytest.raises(DomainError):
                    services.rule_save(actor=world.users["admin"], tenant=world.tenant, **kwargs)

    def test_edits_are_audited_and_a_stale_edit_is_refused(self, world):
        rule = _rule(world, RecordKind.STATUS_REPORT, period=3, basis="RA-MS 2009:1")
        opened_at = rule.version
        with scope(tenant=world.tenant):
            services.rule_save(
                actor=world.users["admin"],
                tenant=world.tenant,
                kind=RecordKind.STATUS_REPORT,
                action=RetentionAction.KEEP,
                expected_version=opened_at,
            )
            with pytest.raises(ConflictError):
                services.rule_save(
                    actor=world.users["admin"],
                    tenant=world.tenant,
                    kind=RecordKind.STATUS_REPORT,
                    action=RetentionAction.DISPOSE,
                    period=1,
                    expected_version=opened_at,
                )
            rule.refresh_from_db()
            assert rule.action == RetentionAction.KEEP and rule.period is None
            actions = list(
                AuditEvent.objects.filter(
                    object_id=str(rule.pk), object_type="archives.retentionrule"
                )
                .order_by("id")
                .values_list("action", flat=True)
            )
        assert actions == ["retention_rule.create", "retention_rule.update"]


class TestHolds:
    def test_a_hold_on_one_record_keeps_it_off_the_list(self, world, scene):
        _rule(world, RecordKind.STATUS_REPORT, period=1)
        other = StatusReportFactory(tenant=world.tenant, period=datetime.date(2021, 6, 1))
        with scope(tenant=world.tenant):
            services.hold_add(
                actor=world.users["admin"],
                tenant=world.tenant,
                kind=RecordKind.STATUS_REPORT,
                object_id=scene.report.pk,
                reason="Begäran om allmän handling",
            )
        due = _due(world)
        assert _keys(due) == {(RecordKind.STATUS_REPORT, other.pk)}
        assert due.held == 1

    def test_a_hold_on_a_kind_keeps_all_of_it_until_released(self, world, scene):
        _rule(world, RecordKind.STATUS_REPORT, period=1)
        with scope(tenant=world.tenant):
            hold = services.hold_add(
                actor=world.users["admin"],
                tenant=world.tenant,
                kind=RecordKind.STATUS_REPORT,
                object_id=None,
                reason="Granskning",
            )
        assert _due(world).due == []
        with scope(tenant=world.tenant):
            services.hold_release(actor=world.users["admin"], hold=hold)
            with pytest.raises(DomainError):
                services.hold_release(actor=world.users["admin"], hold=hold)
            actions = set(
                AuditEvent.objects.filter(object_type="archives.retentionhold").values_list(
                    "action", flat=True
                )
            )
        assert _keys(_due(world)) == {(RecordKind.STATUS_REPORT, scene.report.pk)}
        assert actions == {"retention_hold.create", "retention_hold.release"}

    def test_a_hold_needs_a_reason_and_a_record_of_this_programme(self, world, other_world, scene):
        foreign = StatusReportFactory(tenant=other_world.tenant)
        with scope(tenant=world.tenant):
            with pytest.raises(DomainError):
                services.hold_add(
                    actor=world.users["admin"],
                    tenant=world.tenant,
                    kind=RecordKind.STATUS_REPORT,
                    object_id=None,
                    reason="  ",
                )
            with pytest.raises(DomainError):
                services.hold_add(
                    actor=world.users["admin"],
                    tenant=world.tenant,
                    kind=RecordKind.STATUS_REPORT,
                    object_id=foreign.pk,
                    reason="Fel program",
                )
            # Minutes and decisions can be held too (before an export, say).
            services.hold_add(
                actor=world.users["admin"],
                tenant=world.tenant,
                kind=RecordKind.MINUTES,
                object_id=scene.meeting.pk,
                reason="Utlämnande",
            )


class TestDisposal:
    def test_a_run_lists_what_is_due_and_removes_nothing_until_approved(self, world, scene):
        _dispose_everything(world)
        run = _propose(world)
        with scopes_disabled():
            listed = set(DisposalItem.objects.filter(run=run).values_list("kind", "object_id"))
            assert StatusReport.objects.filter(pk=scene.report.pk).exists()
            assert run.status == DisposalStatus.PROPOSED
            assert AuditEvent.objects.get(action="disposal_run.create").after["items"] == 4
        assert listed == {
            (RecordKind.ACTION_ITEM, scene.action.pk),
            (RecordKind.RISK, scene.risk.pk),
            (RecordKind.STATUS_REPORT, scene.report.pk),
            (RecordKind.MEETING_DOCUMENT, scene.document.pk),
        }  # the evidence was uploaded today: not due yet

    def test_the_proposer_cannot_approve(self, world, scene):
        _dispose_everything(world)
        run = _propose(world)
        with pytest.raises(DomainError, match=r"administratör|administrator"):
            _approve(world, run, world.users["admin"])
        with scopes_disabled():
            run.refresh_from_db()
            assert run.status == DisposalStatus.PROPOSED
            assert StatusReport.objects.filter(pk=scene.report.pk).exists()

    def test_approval_removes_the_listed_records_and_keeps_the_rest(
        self, world, scene, second_admin
    ):
        _dispose_everything(world)
        with scopes_disabled():
            stored = (
                Path(settings.MEDIA_ROOT)
                / MeetingDocumentFile.objects.get(document=scene.document).file.name
            )
        assert stored.exists()
        run = _propose(world)
        _approve(world, run, second_admin[0])
        with scopes_disabled():
            run.refresh_from_db()
            assert run.status == DisposalStatus.EXECUTED
            assert run.approved_by == second_admin[0]
            assert run.executed_at is not None
            assert not ActionItem.all_rows.filter(pk=scene.action.pk).exists()
            assert not ActionStatusChange.objects.filter(action_item_id=scene.action.pk).exists()
            assert not Risk.objects.filter(pk=scene.risk.pk).exists()
            assert not StatusReport.objects.filter(pk=scene.report.pk).exists()
            assert not MeetingDocument.objects.filter(pk=scene.document.pk).exists()
            # Kept: the minutes, the decision (no rule can dispose them), the evidence (not due).
            assert Meeting.objects.filter(pk=scene.meeting.pk).exists()
            assert Decision.objects.filter(pk=scene.decision.pk).exists()
            assert AssessmentAttachment.objects.filter(pk=scene.evidence.pk).exists()
            assert all(DisposalItem.objects.filter(run=run).values_list("disposed", flat=True))
            actions = list(
                AuditEvent.objects.filter(object_type="archives.disposalrun")
                .order_by("id")
                .values_list("action", flat=True)
            )
        assert actions == ["disposal_run.create", "disposal_run.approve", "disposal_run.execute"]
        assert not stored.exists()

    def test_never_touches_what_a_rule_keeps_or_a_hold_holds(self, world, scene, second_admin):
        _rule(world, RecordKind.STATUS_REPORT, period=1)
        _rule(world, RecordKind.RISK, period=1)
        with scope(tenant=world.tenant):
            services.hold_add(
                actor=world.users["admin"],
                tenant=world.tenant,
                kind=RecordKind.RISK,
                object_id=scene.risk.pk,
                reason="Revision",
            )
        run = _propose(world)
        _approve(world, run, second_admin[0])
        with scopes_disabled():
            assert not StatusReport.objects.filter(pk=scene.report.pk).exists()
            assert Risk.objects.filter(pk=scene.risk.pk).exists()  # held
            assert ActionItem.objects.filter(pk=scene.action.pk).exists()  # kept: no rule
            assert MeetingDocument.objects.filter(pk=scene.document.pk).exists()
            assert AssessmentAttachment.objects.filter(pk=scene.evidence.pk).exists()

    def test_a_hold_or_rule_change_after_the_proposal_wins(self, world, scene, second_admin):
        _rule(world, RecordKind.STATUS_REPORT, period=1)
        _rule(world, RecordKind.RISK, period=1)
        run = _propose(world)
        with scope(tenant=world.tenant):
            services.hold_add(
                actor=world.users["admin"],
                tenant=world.tenant,
                kind=RecordKind.STATUS_REPORT,
                object_id=None,
                reason="Legal hold",
            )
            services.rule_save(
                actor=world.users["admin"],
                tenant=world.tenant,
                kind=RecordKind.RISK,
                action=RetentionAction.KEEP,
            )
        _approve(world, run, second_admin[0])
        with scopes_disabled():
            assert StatusReport.objects.filter(pk=scene.report.pk).exists()
            assert Risk.objects.filter(pk=scene.risk.pk).exists()
            items = list(DisposalItem.objects.filter(run=run))
        assert items and not any(item.disposed for item in items)
        assert all(item.skipped_reason for item in items)

    def test_one_run_at_a_time_and_only_when_something_is_due(self, world, scene, second_admin):
        with pytest.raises(DomainError):
            _propose(world)  # nothing is due: every kind is kept
        _rule(world, RecordKind.STATUS_REPORT, period=1)
        run = _propose(world)
        with pytest.raises(DomainError):
            _propose(world)
        with scope(tenant=world.tenant):
            services.disposal_cancel(actor=second_admin[0], run=run)
            with pytest.raises(DomainError):
                services.disposal_approve(actor=second_admin[0], run=run)
        with scopes_disabled():
            assert StatusReport.objects.filter(pk=scene.report.pk).exists()
            assert DisposalRun.objects.get(pk=run.pk).status == DisposalStatus.CANCELLED
        _propose(world)  # a new one, now the first is cancelled

    def test_the_disposal_record_lists_what_went_and_who_decided(self, world, scene, second_admin):
        _rule(world, RecordKind.STATUS_REPORT, period=3, basis="Dokumenthanteringsplan 2024")
        run = _propose(world)
        _approve(world, run, second_admin[0])
        with scopes_disabled():
            run.refresh_from_db()
            text = selectors.protocol_csv(run).decode("utf-8-sig")
        assert "Gallringsprotokoll" in text
        assert "Andra Admin" in text  # the approver
        assert "sormland-admin" in text or world.users["admin"].get_full_name() in text
        assert "Statusrapport 2022-01" in text
        assert "2022-01-01" in text
        assert ",ja," in text

    def test_each_kind_is_removed_with_what_exists_only_for_it(self, world, scene, second_admin):
        with scopes_disabled():
            evidence_file = Path(settings.MEDIA_ROOT) / scene.evidence.file.name
        _dispose_everything(world)
        later = datetime.date(2030, 1, 1)
        run = _propose(world, on=later)
        _approve(world, run, second_admin[0])
        with scopes_disabled():
            assert not AssessmentAttachment.objects.filter(pk=scene.evidence.pk).exists()
            assert not MeetingDocumentFile.objects.filter(document_id=scene.document.pk).exists()
        assert not evidence_file.exists()

    def test_audit_events_can_be_disposed_too(self, world, scene, second_admin):
        _rule(world, RecordKind.AUDIT_EVENT, period=1)
        with scopes_disabled():
            before = AuditEvent.objects.filter(tenant=world.tenant).count()
        run = _propose(world, on=datetime.date(2040, 1, 1))
        _approve(world, run, second_admin[0])
        with scopes_disabled():
            left = list(
                AuditEvent.objects.filter(tenant=world.tenant).values_list("action", flat=True)
            )
        # Only the disposal's own events are left: written after its list was drawn up.
        assert before > 5
        assert sorted(left) == [
            "disposal_run.approve",
            "disposal_run.create",
            "disposal_run.execute",
        ]
