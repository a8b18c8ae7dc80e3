"""Posters (public/posters.py): an A4 PDF of a principal or a published good
example with a QR code to its public page, made by the document jobs, for
process leaders, and only while the programme's public site is on."""

from __future__ import annotations

import datetime

import pytest
import segno
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_scopes import scope, scopes_disabled

from implementation.models import GoodExample
from portal.documents import jobs as document_jobs
from portal.documents import registry as documents
from portal.models import GeneratedFile, GeneratedFileStatus
from public import posters
from public.models import PublicSite
from tests.document_helpers import eager_documents, file_bytes, pdf_pages, pdf_text
from tests.helpers import HTMX, text, url

BASE = "https://portal.example.se"
NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.PORTAL_BASE_URL = BASE
    return eager_documents(settings, tmp_path)


def public_site(tenant, *, enabled=True) -> PublicSite:
    with scopes_disabled():
        return PublicSite.objects.create(tenant=tenant, enabled=enabled)


def example(world, *, published=True) -> GoodExample:
    with scopes_disabled():
        return GoodExample.objects.create(
            tenant=world.tenant,
            principal=world.principal,
            title="Läxhjälp på biblioteket",
            description="Fritidsgården och biblioteket erbjuder läxhjälp varje tisdag.",
            published_at=timezone.now() - datetime.timedelta(days=1) if published else None,
        )


def request_url(world, kind: str, obj) -> str:
    return url("portal:document_request", world.tenant, kind, obj.pk)


def only_job() -> GeneratedFile:
    with scopes_disabled():
        return GeneratedFile.objects.get()


# Rendering -------------------------------------------------------------------------


def test_example_poster_is_a_one_page_pdf_with_title_text_programme_and_address(
    world, client_for, django_capture_on_commit_callbacks
):
    public_site(world.tenant)
    shown = example(world)
    address = BASE + reverse("public:example", args=[world.tenant.slug, shown.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["leader"]).post(
            request_url(world, "example_poster", shown), **HTMX
        )

    assert response.status_code == 200
    job = only_job()
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    assert job.filename == "affisch-laxhjalp-pa-biblioteket.pdf"
    data = file_bytes(job)
    assert pdf_pages(data) == 1
    body = pdf_text(data)
    assert "Läxhjälp på biblioteket" in body
    assert "Fritidsgården och biblioteket erbjuder läxhjälp" in body
    assert world.tenant.name in body
    assert address in body
    with translation.override("sv"):  # the poster's language
        kicker = gettext("Good example from %(principal)s") % {"principal": world.principal}
    assert kicker.upper() in body  # "Gott exempel från …", in capitals


def test_principal_poster_renders_its_name_and_address(
    world, client_for, django_capture_on_commit_callbacks
):
    public_site(world.tenant)
    example(world)
    address = BASE + reverse("public:principal", args=[world.tenant.slug, world.principal.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.users["leader"]).post(
            request_url(world, "principal_poster", world.principal), **HTMX
        )

    job = only_job()
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    body = pdf_text(file_bytes(job))
    assert world.principal.name in body and address in body
    with translation.override("sv"):  # "1 publicerat gott exempel"
        count = ngettext(
            "%(counter)s published good example", "%(counter)s published good examples", 1
        ) % {"counter": 1}
    assert count in body


def test_the_qr_code_in_the_poster_is_segnos_code_of_the_public_address(world):
    """No QR decoder is installed: the poster's image is asserted to be the
    code segno makes of the public page's absolute address."""
    public_site(world.tenant)
    shown = example(world)
    address = BASE + reverse("public:example", args=[world.tenant.slug, shown.pk])
    kind = documents.get_kind("example_poster")
    assert isinstance(kind, documents.PdfDocument)

    with scope(tenant=world.tenant):
        context = kind.context(shown)
        html, _audience = document_jobs.render_html(kind=kind, obj=shown, tenant=world.tenant)

    expected = segno.make(address, error="m", micro=False)
    assert context["public_url"] == address
    assert context["qr_code"] == expected.svg_data_uri(scale=10, border=4)
    assert context["qr_code"].startswith("data:image/svg+xml")
    assert f'src="{context["qr_code"]}"' in html.replace("&amp;", "&")
    assert expected.designator.endswith("-M")


def test_without_portal_base_url_the_address_is_the_embedded_runs(world, settings):
    settings.PORTAL_BASE_URL = ""
    public_site(world.tenant)
    with scope(tenant=world.tenant):
        address = posters.principal_public_url(world.principal)
    assert address == "http://localhost:8000" + reverse(
        "public:principal", args=[world.tenant.slug, world.principal.pk]
    )


# Who may ask for one ---------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_may_ask_for_an_example_poster(world, client_for, role):
    public_site(world.tenant)
    shown = example(world)

    response = client_for(world.users[role]).post(request_url(world, "example_poster", shown))

    assert response.status_code == 403
    with scopes_disabled():
        assert not GeneratedFile.objects.exists()


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_may_ask_for_a_principal_poster(world, client_for, role):
    public_site(world.tenant)

    response = client_for(world.users[role]).post(
        request_url(world, "principal_poster", world.principal)
    )

    assert response.status_code == 403


def test_another_programmes_example_is_404(world, other_world, client_for):
    public_site(world.tenant)
    public_site(other_world.tenant)
    theirs = example(other_world)

    response = client_for(world.users["leader"]).post(
        url("portal:document_request", world.tenant, "example_poster", theirs.pk)
    )

    assert response.status_code == 404


def test_another_programmes_principal_is_404(world, other_world, client_for):
    public_site(world.tenant)
    public_site(other_world.tenant)

    response = client_for(world.users["leader"]).post(
        url("portal:document_request", world.tenant, "principal_poster", other_world.principal.pk)
    )

    assert response.status_code == 404


@pytest.mark.parametrize("enabled", [False, None])
def test_no_poster_while_the_public_site_is_off(world, client_for, enabled):
    """Its QR code would lead to a 404."""
    if enabled is not None:
        public_site(world.tenant, enabled=enabled)
    shown = example(world)
    leader = client_for(world.users["leader"])

    assert leader.post(request_url(world, "example_poster", shown)).status_code == 403
    assert leader.post(request_url(world, "principal_poster", world.principal)).status_code == 403
    with scopes_disabled():
        assert not GeneratedFile.objects.exists()


def test_no_poster_of_an_unpublished_example(world, client_for):
    public_site(world.tenant)
    draft = example(world, published=False)

    response = client_for(world.users["leader"]).post(request_url(world, "example_poster", draft))

    assert response.status_code == 403


def test_no_poster_of_an_archived_principal(world, client_for):
    public_site(world.tenant)
    with scopes_disabled():
        world.principal.archived_at = timezone.now()
        world.principal.save(update_fields=["archived_at"])

    response = client_for(world.users["leader"]).post(
        request_url(world, "principal_poster", world.principal)
    )

    assert response.status_code == 403


# The pages that offer them ---------------------------------------------------------


def test_example_page_offers_the_poster_to_process_leaders_while_the_site_is_on(world, client_for):
    site = public_site(world.tenant)
    shown = example(world)
    page = url("implementation:example_detail", shown)
    button = request_url(world, "example_poster", shown)

    assert button in text(client_for(world.users["leader"]).get(page))
    assert button not in text(client_for(world.users["steering"]).get(page))

    with scopes_disabled():
        PublicSite.objects.filter(pk=site.pk).update(enabled=False)
    assert button not in text(client_for(world.users["leader"]).get(page))


def test_principal_page_offers_the_poster_to_process_leaders(world, client_for):
    public_site(world.tenant)
    page = url("portal:principal_detail", world.principal)
    button = request_url(world, "principal_poster", world.principal)

    assert button in text(client_for(world.users["leader"]).get(page))
    assert button not in text(client_for(world.users["admin"]).get(page))
