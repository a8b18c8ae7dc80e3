"""The register of research sub-reports: everyone in the programme reads it;
researchers and process leaders add and archive; another programme 404."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from portal.models import AuditEvent
from research.models import ResearchReport
from tests.helpers import rows, text, url_in

pytestmark = pytest.mark.django_db

REPORT = {
    "title": "Delrapport 1: samverkan i styrgruppen",
    "published_on": "2025-06-15",
    "summary": "Hur styrgruppen har arbetat det första året.",
    "url": "https://example.se/delrapport-1.pdf",
}


url = url_in("research")


@pytest.mark.parametrize("role", ["leader", "researcher"])
def test_researchers_and_leaders_add_reports(world, client_for, role):
    client = client_for(world.users[role])
    response = client.post(url("report_add", world.tenant), REPORT)
    assert response.status_code == 302
    with scopes_disabled():
        report = ResearchReport.objects.get()
        assert (
            AuditEvent.objects.filter(
                action="research_report.create", object_id=str(report.pk)
            ).count()
            == 1
        )
    assert report.title == REPORT["title"] and report.tenant == world.tenant


@pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher", "admin"])
def test_everyone_reads_the_register(world, client_for, role):
    with scopes_disabled():
        ResearchReport.objects.create(
            tenant=world.tenant, title="Delrapport", published_on="2025-01-01"
        )
    response = client_for(world.users[role]).get(url("report_list", world.tenant))
    assert response.status_code == 200 and "Delrapport" in text(response)


@pytest.mark.parametrize("role", ["steering", "reporter", "admin"])
def test_other_roles_may_not_add(world, client_for, role):
    response = client_for(world.users[role]).post(url("report_add", world.tenant), REPORT)
    assert response.status_code == 403 and rows(ResearchReport) == []


def test_bad_input_is_refused(world, client_for):
    response = client_for(world.users["researcher"]).post(
        url("report_add", world.tenant), {**REPORT, "title": "", "url": "not a url"}
    )
    assert response.status_code == 400 and rows(ResearchReport) == []


def test_archiving_keeps_the_report(world, client_for):
    with scopes_disabled():
        report = ResearchReport.objects.create(
            tenant=world.tenant, title="Gammal delrapport", published_on="2024-01-01"
        )
    client = client_for(world.users["researcher"])
    assert client.post(url("report_archive", world.tenant, report.pk)).status_code == 302
    assert "Gammal delrapport" not in text(client.get(url("report_list", world.tenant)))
    assert "Gammal delrapport" in text(client.get(url("report_list", world.tenant) + "?archived=1"))
    with scopes_disabled():
        report.refresh_from_db()
    assert report.archived_at is not None
