"""The researcher's export page: only researchers (others 403, another
programme 404); a zipped export is audited, built by the document job and
downloaded through the permission-checked view; one dataset streams as CSV;
bad input is refused and writes nothing; exports are rate-limited."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from portal.models import AuditEvent, GeneratedFile, GeneratedFileStatus, Role
from research.models import DataExport
from tests.helpers import rows, text
from tests.research.conftest import NAME

pytestmark = pytest.mark.django_db

OTHERS = ["leader", "steering", "reporter", "admin"]


def page(tenant) -> str:
    return reverse("research:export", args=[tenant.slug])


def create_url(tenant) -> str:
    return reverse("research:export_create", args=[tenant.slug])


def stream_url(tenant) -> str:
    return reverse("research:export_stream", args=[tenant.slug])


def export_post(**extra):
    return {"datasets": ["meetings", "attendance"], "format": "datapackage", **extra}


def exported_events():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action__startswith="data_export.").order_by("id"))


# Who may -----------------------------------------------------------------------------


def test_researcher_sees_the_export_page(world, client_for, scene):
    response = client_for(world.users["researcher"]).get(page(world.tenant))
    assert response.status_code == 200
    body = text(response)
    assert 'id="dataset-indicator_values"' in body
    assert 'aria-current="page"' in body and page(world.tenant) in body


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_may_not_export(world, client_for, role, jobs):
    client = client_for(world.users[role])
    assert client.get(page(world.tenant)).status_code == 403
    assert client.post(create_url(world.tenant), export_post()).status_code == 403
    assert client.get(stream_url(world.tenant), {"dataset": "meetings"}).status_code == 403
    assert not exported_events()


@pytest.mark.parametrize("role", OTHERS)
def test_only_researchers_get_the_nav_link(world, client_for, role):
    body = text(client_for(world.users[role]).get(reverse("portal:home", args=[world.tenant.slug])))
    assert page(world.tenant) not in body


def test_another_programme_is_not_found(world, other_world, client_for, outsider, jobs):
    researcher = client_for(other_world.users["researcher"])
    assert researcher.get(page(world.tenant)).status_code == 404
    assert researcher.post(create_url(world.tenant), export_post()).status_code == 404
    assert researcher.get(stream_url(world.tenant), {"dataset": "meetings"}).status_code == 404
    assert client_for(outsider).get(page(world.tenant)).status_code == 404
    assert not exported_events()


def test_a_researcher_who_lost_the_role_may_not_export(world, client_for):
    with scopes_disabled():
        world.memberships["researcher"].role = Role.STEERING_MEMBER
        world.memberships["researcher"].save()
    assert client_for(world.users["researcher"]).get(page(world.tenant)).status_code == 403


# A zipped export ---------------------------------------------------------------------


def test_an_export_is_audited_built_and_downloaded(world, client_for, scene, jobs, run_jobs):
    client = client_for(world.users["researcher"])
    with run_jobs():
        response = client.post(create_url(world.tenant), export_post(period_start="2025-01-01"))
    assert response.status_code == 302
    with scopes_disabled():
        export = DataExport.objects.get()
        job = GeneratedFile.objects.get(kind="research_export", object_id=export.pk)
    assert job.status == GeneratedFileStatus.DONE
    (event,) = exported_events()
    assert event.actor == world.users["researcher"]
    assert event.tenant == world.tenant
    assert event.after == {
        "export_id": export.pk,
        "format": "datapackage",
        "datasets": ["meetings", "attendance"],
        "period_start": "2025-01-01",
        "period_end": None,
        "include_free_text": False,
    }
    body = text(client.get(page(world.tenant)))
    download = reverse("portal:document_download", args=[world.tenant.slug, job.pk])
    assert download in body
    status = reverse("portal:document_status", args=[world.tenant.slug, job.pk])
    assert job.checksum in text(client.get(status))  # on the job's own page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "datapackage.json" in archive.namelist() and "manifest.json" in archive.namelist()


def test_free_text_choice_is_recorded(world, client_for, scene, jobs, run_jobs):
    with run_jobs():
        client_for(world.users["researcher"]).post(
            create_url(world.tenant), export_post(include_free_text="on")
        )
    (event,) = exported_events()
    assert event.after["include_free_text"] is True
    with scopes_disabled():
        assert DataExport.objects.get().manifest["include_free_text"] is True


def test_the_job_status_polls_like_the_pdfs(world, client_for, scene, jobs, run_jobs):
    client = client_for(world.users["researcher"])
    with run_jobs():
        client.post(create_url(world.tenant), export_post())
    with scopes_disabled():
        job = GeneratedFile.objects.get(kind="research_export")
    status = reverse("portal:document_status", args=[world.tenant.slug, job.pk])
    response = client.get(status, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Ladda ner exporten" in text(response) or "Download the export" in text(response)
    assert "<html" not in text(response)


def test_another_researchers_export_is_not_found(world, client_for, scene, jobs, run_jobs):
    from tests.factories import MembershipFactory, UserFactory

    with run_jobs():
        client_for(world.users["researcher"]).post(create_url(world.tenant), export_post())
    with scopes_disabled():
        job = GeneratedFile.objects.get(kind="research_export")
    colleague = UserFactory(username="colleague")
    MembershipFactory(tenant=world.tenant, user=colleague, role=Role.RESEARCHER)
    download = reverse("portal:document_download", args=[world.tenant.slug, job.pk])
    assert client_for(colleague).get(download).status_code == 404
    assert client_for(world.users["leader"]).get(download).status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {"format": "csv"},  # no dataset
        {"datasets": ["nonsense"], "format": "csv"},
        {"datasets": ["meetings"], "format": "pdf"},
        {
            "datasets": ["meetings"],
            "format": "csv",
            "period_start": "2025-05-01",
            "period_end": "2025-01-01",
        },
        {"datasets": ["meetings"], "format": "csv", "period_start": "not a date"},
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, client_for, data, jobs):
    before_exports, before_files = rows(DataExport), rows(GeneratedFile)
    response = client_for(world.users["researcher"]).post(create_url(world.tenant), data)
    assert response.status_code == 400
    assert 'class="errorlist' in text(response)
    assert rows(DataExport) == before_exports and rows(GeneratedFile) == before_files
    assert not exported_events()


# Streaming ---------------------------------------------------------------------------


def test_one_dataset_streams_as_csv_audited_with_its_manifest(world, client_for, scene):
    client = client_for(world.users["researcher"])
    response = client.get(stream_url(world.tenant), {"dataset": "indicator_values"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    table = list(csv.DictReader(io.StringIO(data.decode())))
    assert len(table) == 3 and "comment" not in table[0]
    assert NAME not in data.decode()
    (event,) = exported_events()
    assert event.action == "data_export.stream"
    assert event.after["datasets"] == ["indicator_values"]
    with scopes_disabled():
        export = DataExport.objects.get()
    import hashlib

    assert export.manifest["datasets"][0]["rows"] == 3
    assert export.manifest["files"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert response["X-Export-Id"] == str(export.pk)


def test_streaming_with_free_text_includes_it(world, client_for, scene):
    response = client_for(world.users["researcher"]).get(
        stream_url(world.tenant), {"dataset": "indicator_values", "include_free_text": "on"}
    )
    assert NAME in b"".join(response.streaming_content).decode()
    assert exported_events()[0].after["include_free_text"] is True


@pytest.mark.parametrize(
    "query", [{}, {"dataset": "nonsense"}, {"dataset": "meetings", "period_end": "x"}]
)
def test_a_bad_stream_request_is_refused(world, client_for, query):
    response = client_for(world.users["researcher"]).get(stream_url(world.tenant), query)
    assert response.status_code == 400
    assert not exported_events() and rows(DataExport) == []


# Rate limits -------------------------------------------------------------------------


def test_exports_are_rate_limited(world, client_for, settings, scene, jobs):
    settings.RESEARCH_EXPORT_RATE = "2/m"
    client = client_for(world.users["researcher"])
    assert client.post(create_url(world.tenant), export_post()).status_code == 302
    assert client.get(stream_url(world.tenant), {"dataset": "meetings"}).status_code == 200
    response = client.post(create_url(world.tenant), export_post())
    assert response.status_code == 429 and response["Retry-After"]
    assert client.get(stream_url(world.tenant), {"dataset": "meetings"}).status_code == 429
    assert len(exported_events()) == 2
    # Counted per researcher: a colleague is not held back.
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="colleague2")
    MembershipFactory(tenant=world.tenant, user=colleague, role=Role.RESEARCHER)
    assert client_for(colleague).post(create_url(world.tenant), export_post()).status_code == 302


# Query counts ------------------------------------------------------------------------

PAGE_QUERIES = 26  # session, user, tenant, membership, one count per dataset, exports, jobs, tokens


@pytest.mark.parametrize("count", [1, 6])
def test_the_page_costs_the_same_for_few_or_many_exports(
    world, client_for, jobs, django_assert_num_queries, count
):
    client = client_for(world.users["researcher"])
    for _ in range(count):
        client.post(create_url(world.tenant), export_post())
    client.post(
        reverse("research:token_create", args=[world.tenant.slug]), {"name": "R"}, follow=True
    )
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(page(world.tenant))
    assert text(response).count('<tr id="export-') == count


@pytest.mark.parametrize(
    ("format", "expected"),
    [("csv", "attendance.csv"), ("xlsx", ".xlsx"), ("datapackage", "data/attendance.csv")],
)
def test_every_format_is_built_by_the_job(
    world, client_for, scene, jobs, run_jobs, format, expected
):
    client = client_for(world.users["researcher"])
    with run_jobs():
        client.post(create_url(world.tenant), export_post(format=format))
    with scopes_disabled():
        job = GeneratedFile.objects.get(kind="research_export")
    assert job.status == GeneratedFileStatus.DONE
    response = client.get(reverse("portal:document_download", args=[world.tenant.slug, job.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert any(name.endswith(expected) for name in names), names
    assert "manifest.json" in names and "codebook.csv" in names and "README.md" in names


def test_a_table_with_pseudonyms_streams_too(world, client_for, scene):
    response = client_for(world.users["researcher"]).get(
        stream_url(world.tenant), {"dataset": "attendance"}
    )
    data = b"".join(response.streaming_content).decode()
    table = list(csv.DictReader(io.StringIO(data)))
    assert len(table) == 2 and all(row["person"].startswith("P-") for row in table)
    assert NAME not in data
