"""The "Arkiv och gallring" pages: programme administrators only (403 for
other roles, 404 for another programme), bad input refused with a clear error
and no change."""

from __future__ import annotations

import pytest
from django_scopes import scope, scopes_disabled

from archives import services
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
from governance.models import StatusReport
from portal.models import AuditEvent, GeneratedFile, GeneratedFileStatus
from tests.helpers import rows, text, url_in

pytestmark = pytest.mark.django_db

url = url_in("archives")
ROUTES_GET = ["overview", "disposal_preview"]
OTHER_ROLES = ["leader", "steering", "reporter", "researcher"]


def _dispose_reports(world, period=1):
    with scope(tenant=world.tenant):
        return services.rule_save(
            actor=world.users["admin"],
            tenant=world.tenant,
            kind=RecordKind.STATUS_REPORT,
            action=RetentionAction.DISPOSE,
            period=period,
        )


def _proposed(world):
    _dispose_reports(world)
    with scope(tenant=world.tenant):
        return services.disposal_propose(actor=world.users["admin"], tenant=world.tenant)


class TestAccess:
    @pytest.mark.parametrize("name", ROUTES_GET)
    def test_administrators_see_the_pages(self, world, scene, client_for, name):
        response = client_for(world.users["admin"]).get(url(name, world.tenant))
        assert response.status_code == 200

    @pytest.mark.parametrize("role", OTHER_ROLES)
    @pytest.mark.parametrize("name", ROUTES_GET)
    def test_other_roles_are_refused(self, world, client_for, role, name):
        assert client_for(world.users[role]).get(url(name, world.tenant)).status_code == 403

    def test_process_leaders_cannot_write(self, world, scene, client_for):
        run = _proposed(world)
        client = client_for(world.users["leader"])
        before = rows(RetentionRule), rows(DisposalRun), rows(StatusReport)
        for response in (
            client.post(url("package_create", world.tenant), {}),
            client.post(
                url("rule_edit", world.tenant, "risk"), {"action": "keep", "unit": "years"}
            ),
            client.post(url("hold_add", world.tenant), {"kind": "risk", "reason": "x"}),
            client.post(url("disposal_create", world.tenant)),
            client.post(url("run_approve", run)),
            client.post(url("run_cancel", run)),
            client.get(url("run_detail", run)),
            client.get(url("run_protocol", run)),
            client.get(url("rule_edit", world.tenant, "risk")),
        ):
            assert response.status_code == 403
        assert (rows(RetentionRule), rows(DisposalRun), rows(StatusReport)) == before

    def test_another_programme_is_404(self, world, other_world, scene, client_for):
        run = _proposed(world)
        with scope(tenant=world.tenant):
            hold = services.hold_add(
                actor=world.users["admin"],
                tenant=world.tenant,
                kind=RecordKind.RISK,
                object_id=None,
                reason="Revision",
            )
        outsider_admin = client_for(other_world.users["admin"])
        assert outsider_admin.get(url("overview", world.tenant)).status_code == 404
        other_slug = other_world.tenant
        # The other programme's admin, in their own programme, with this one's ids.
        for response in (
            outsider_admin.get(url("run_detail", other_slug, run.pk)),
            outsider_admin.get(url("run_protocol", other_slug, run.pk)),
            outsider_admin.post(url("run_approve", other_slug, run.pk)),
            outsider_admin.post(url("run_cancel", other_slug, run.pk)),
            outsider_admin.post(url("hold_release", other_slug, hold.pk)),
        ):
            assert response.status_code == 404
        with scopes_disabled():
            assert DisposalRun.objects.get(pk=run.pk).status == DisposalStatus.PROPOSED
            assert RetentionHold.objects.get(pk=hold.pk).released_at is None

    def test_an_unknown_kind_is_404(self, world, client_for):
        response = client_for(world.users["admin"]).get(url("rule_edit", world.tenant, "tweets"))
        assert response.status_code == 404


class TestOverview:
    def test_shows_the_rules_and_what_is_due(self, world, scene, client_for):
        rule = _dispose_reports(world, period=3)
        response = client_for(world.users["admin"]).get(url("overview", world.tenant))
        rules = {row.kind: row for row in response.context["rules"]}
        assert rules["status_report"].rule == rule
        assert rules["minutes"].rule is None and not rules["minutes"].disposable
        assert response.context["due_count"] == 1
        assert rule.describe() in text(response)

    def test_the_nav_links_the_page_for_administrators_only(self, world, client_for):
        home = f"/{world.tenant.slug}/"
        link = url("overview", world.tenant)
        assert link in client_for(world.users["admin"]).get(home).content.decode()
        assert link not in client_for(world.users["leader"]).get(home).content.decode()


class TestPackageButton:
    def test_creates_a_package_job_the_page_follows(
        self, world, scene, client_for, django_capture_on_commit_callbacks
    ):
        client = client_for(world.users["admin"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url("package_create", world.tenant),
                {"period_start": "2025-01-01", "period_end": "2025-12-31"},
            )
        assert response.status_code == 302
        with scopes_disabled():
            export = ArchiveExport.objects.get()
            job = GeneratedFile.objects.get(kind="archive_package", object_id=export.pk)
        assert job.status == GeneratedFileStatus.DONE
        page = client.get(url("overview", world.tenant)).content.decode()
        assert f"/documents/{job.pk}/download/" in page
        download = client.get(f"/{world.tenant.slug}/documents/{job.pk}/download/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content)[:2] == b"PK"
        # The job's own status page.
        assert client.get(f"/{world.tenant.slug}/documents/{job.pk}/").status_code == 200
        # Only administrators may have it.
        leader = client_for(world.users["leader"])
        assert leader.get(f"/{world.tenant.slug}/documents/{job.pk}/download/").status_code == 403

    @pytest.mark.parametrize(
        "data",
        [
            {"period_start": "2025-02-01", "period_end": "2025-01-01"},
            {"period_start": "not a date"},
            {"period_start": "1850-01-01"},
        ],
    )
    def test_bad_dates_are_refused_and_nothing_is_made(self, world, client_for, data):
        response = client_for(world.users["admin"]).post(url("package_create", world.tenant), data)
        assert response.status_code == 400
        assert response.context["package_form"].errors
        with scopes_disabled():
            assert not ArchiveExport.objects.exists()
            assert not GeneratedFile.objects.exists()


class TestRuleEdit:
    def test_sets_a_disposal_rule(self, world, client_for):
        client = client_for(world.users["admin"])
        assert client.get(url("rule_edit", world.tenant, "status_report")).status_code == 200
        response = client.post(
            url("rule_edit", world.tenant, "status_report"),
            {
                "action": "dispose",
                "period": "3",
                "unit": "years",
                "basis": "Gallringsbeslut 2026:1",
            },
        )
        assert response.status_code == 302
        with scopes_disabled():
            rule = RetentionRule.objects.get()
            assert AuditEvent.objects.filter(action="retention_rule.create").count() == 1
        assert (rule.kind, rule.action, rule.period, rule.unit) == (
            "status_report",
            "dispose",
            3,
            "years",
        )

    @pytest.mark.parametrize(
        "data",
        [
            {"action": "dispose", "period": "-2", "unit": "years"},
            {"action": "dispose", "period": "0", "unit": "years"},
            {"action": "dispose", "period": "", "unit": "years"},
            {"action": "dispose", "period": "tre", "unit": "years"},
            {"action": "dispose", "period": "2", "unit": "weeks"},
            {"action": "shred", "period": "2", "unit": "years"},
        ],
    )
    def test_bad_input_is_refused_and_nothing_changes(self, world, client_for, data):
        response = client_for(world.users["admin"]).post(
            url("rule_edit", world.tenant, "status_report"), data
        )
        assert response.status_code == 400
        assert response.context["form"].errors
        with scopes_disabled():
            assert not RetentionRule.objects.exists()

    def test_minutes_cannot_be_given_a_disposal_rule(self, world, client_for):
        response = client_for(world.users["admin"]).post(
            url("rule_edit", world.tenant, "minutes"),
            {"action": "dispose", "period": "5", "unit": "years"},
        )
        assert response.status_code == 400
        assert response.context["form"].non_field_errors()
        with scopes_disabled():
            assert not RetentionRule.objects.exists()

    def test_a_stale_form_is_refused(self, world, client_for):
        rule = _dispose_reports(world, period=3)
        client = client_for(world.users["admin"])
        stale = {"action": "dispose", "period": "5", "unit": "years", "version": rule.version}
        with scope(tenant=world.tenant):
            services.rule_save(
                actor=world.users["admin"],
                tenant=world.tenant,
                kind=RecordKind.STATUS_REPORT,
                action=RetentionAction.DISPOSE,
                period=4,
                expected_version=rule.version,
            )
        response = client.post(url("rule_edit", world.tenant, "status_report"), stale)
        assert response.status_code == 400
        with scopes_disabled():
            assert RetentionRule.objects.get().period == 4


class TestHolds:
    def test_adds_and_releases_a_hold(self, world, scene, client_for):
        client = client_for(world.users["admin"])
        response = client.post(
            url("hold_add", world.tenant),
            {"kind": "status_report", "object_id": scene.report.pk, "reason": "Begäran"},
        )
        assert response.status_code == 302
        with scopes_disabled():
            hold = RetentionHold.objects.get()
        assert client.post(url("hold_release", hold)).status_code == 302
        with scopes_disabled():
            assert RetentionHold.objects.get().released_at is not None

    @pytest.mark.parametrize(
        "data",
        [
            {"kind": "status_report", "reason": ""},
            {"kind": "tweets", "reason": "x"},
            {"kind": "status_report", "object_id": "-1", "reason": "x"},
            {"kind": "status_report", "object_id": "999999", "reason": "x"},
        ],
    )
    def test_bad_input_is_refused(self, world, scene, client_for, data):
        response = client_for(world.users["admin"]).post(url("hold_add", world.tenant), data)
        assert response.status_code == 400
        assert response.context["hold_form"].errors
        with scopes_disabled():
            assert not RetentionHold.objects.exists()


class TestDisposalPages:
    def test_preview_lists_what_is_due(self, world, scene, client_for):
        _dispose_reports(world)
        response = client_for(world.users["admin"]).get(url("disposal_preview", world.tenant))
        assert "Statusrapport 2022-01" in text(response)

    def test_propose_then_another_admin_approves(self, world, scene, second_admin, client_for):
        _dispose_reports(world)
        proposer = client_for(world.users["admin"])
        response = proposer.post(url("disposal_create", world.tenant))
        assert response.status_code == 302
        with scopes_disabled():
            run = DisposalRun.objects.get()
        # The proposer sees no approve button, and a POST is refused.
        detail = proposer.get(url("run_detail", run))
        assert url("run_approve", run) not in detail.content.decode()
        refused = proposer.post(url("run_approve", run))
        assert refused.status_code == 400
        with scopes_disabled():
            assert StatusReport.objects.filter(pk=scene.report.pk).exists()
        approver = client_for(second_admin[0])
        assert url("run_approve", run) in approver.get(url("run_detail", run)).content.decode()
        assert approver.post(url("run_approve", run)).status_code == 302
        with scopes_disabled():
            assert not StatusReport.objects.filter(pk=scene.report.pk).exists()
            assert DisposalItem.objects.get().disposed
        protocol = approver.get(url("run_protocol", run))
        assert protocol.status_code == 200
        assert protocol["Content-Type"].startswith("text/csv")
        assert "Statusrapport 2022-01" in protocol.content.decode("utf-8-sig")

    def test_nothing_due_is_a_clear_refusal(self, world, scene, client_for):
        response = client_for(world.users["admin"]).post(url("disposal_create", world.tenant))
        assert response.status_code == 400
        assert response.context["refusal"]
        with scopes_disabled():
            assert not DisposalRun.objects.exists()

    def test_cancel(self, world, scene, client_for):
        run = _proposed(world)
        response = client_for(world.users["admin"]).post(url("run_cancel", run))
        assert response.status_code == 302
        with scopes_disabled():
            assert DisposalRun.objects.get().status == DisposalStatus.CANCELLED
            assert StatusReport.objects.filter(pk=scene.report.pk).exists()
        again = client_for(world.users["admin"]).post(url("run_cancel", run))
        assert again.status_code == 400

    def test_get_on_a_write_is_refused(self, world, scene, client_for):
        run = _proposed(world)
        client = client_for(world.users["admin"])
        assert client.get(url("run_approve", run)).status_code == 405
        assert client.get(url("disposal_create", world.tenant)).status_code == 405
        with scopes_disabled():
            assert DisposalRun.objects.get().status == DisposalStatus.PROPOSED
