"""The demo's research: a register of sub-reports in both programmes and a
past, audited export by the `forskare` login; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent, GeneratedFile
from research.models import DataExport, ResearchReport
from tests.portal.test_seed_demo import seed_demo, seeded  # noqa: F401 (the class fixture)


@pytest.mark.usefixtures("db")
class TestDemoResearch:
    def test_reports_in_both_programmes(self, seeded, no_scopes):  # noqa: F811
        assert ResearchReport.objects.filter(tenant__slug="sormland").count() == 2
        assert ResearchReport.objects.filter(tenant__slug="kronoberg").count() == 1

    def test_a_past_audited_export_by_the_researcher(self, seeded, no_scopes):  # noqa: F811
        for slug in ("sormland", "kronoberg"):
            (export,) = DataExport.objects.filter(tenant__slug=slug)
            assert export.requested_by.username == "forskare"
            assert "attendance" in export.datasets and not export.include_free_text
            assert AuditEvent.objects.filter(
                action="data_export.request", object_id=str(export.pk)
            ).exists()
            assert GeneratedFile.objects.filter(
                kind="research_export", object_id=export.pk
            ).exists()

    def test_the_researchers_page_opens(self, seeded):  # noqa: F811
        client = Client()
        client.post(reverse("login"), {"username": "forskare", "password": "demo"})
        response = client.get(reverse("research:export", args=["sormland"]))
        assert response.status_code == 200
        assert response.content.decode().count('<tr id="export-') == 1

    @pytest.mark.parametrize("slug", ["sormland", "kronoberg"])
    def test_the_whole_demo_exports_as_a_valid_data_package(
        self,
        seeded,  # noqa: F811
        slug,
        tmp_path,
    ):
        """Every dataset of a year of demo governance and two years of
        self-assessments, with the references between tables: frictionless
        finds nothing wrong."""
        import io
        import zipfile

        from django_scopes import scope
        from frictionless import validate

        from portal.models import Tenant, User
        from research import datasets, exports

        tenant = Tenant.objects.get(slug=slug)
        with scope(tenant=tenant):
            export = DataExport.objects.create(
                tenant=tenant,
                requested_by=User.objects.get(username="forskare"),
                format="datapackage",
                datasets=list(datasets.DATASETS),
                include_free_text=True,
            )
            data, _name = exports.build(export)
        zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path)
        report = validate(str(tmp_path / "datapackage.json"))
        assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type"])
        rows = {d["name"]: d["rows"] for d in export.manifest["datasets"]}
        assert rows["meetings"] > 5 and rows["attendance"] > 20 and rows["self_assessments"] > 5

    def test_a_second_run_adds_nothing(self, seeded, no_scopes):  # noqa: F811
        before = (
            ResearchReport.objects.count(),
            DataExport.objects.count(),
            GeneratedFile.objects.count(),
            AuditEvent.objects.count(),
        )
        seed_demo()
        after = (
            ResearchReport.objects.count(),
            DataExport.objects.count(),
            GeneratedFile.objects.count(),
            AuditEvent.objects.count(),
        )
        assert after == before
