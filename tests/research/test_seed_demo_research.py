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
                action="research_export", object_id=str(export.pk)
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
