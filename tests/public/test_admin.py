"""The members' pages of the public site (issue 15, items 1 and 2): its
settings (programme administrators), the consents to public contact details
(process leaders and administrators) and the preview of a good example
(those who publish examples). Each: the right role works, another
programme's object is 404, too little role is 403 and writes nothing, bad
input is a clear error and changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from portal.models import AuditEvent
from public.models import ContactConsent, PublicSite
from tests.factories import PersonFactory
from tests.helpers import row_counts
from tests.public.test_pages import consent, example

pytestmark = pytest.mark.django_db


def admin_url(name: str, tenant, *args) -> str:
    return reverse(f"public_admin:{name}", args=[tenant.slug, *args])


SETTINGS = {
    "enabled": "on",
    "show_decisions": "on",
    "introduction": "Välkommen till programmet.",
    "contact_email": "barnensbasta@example.se",
}


class TestSiteSettings:
    def test_an_administrator_switches_the_site_on(self, world, client_for):
        client = client_for(world.users["admin"])
        assert client.get(admin_url("settings", world.tenant)).status_code == 200
        response = client.post(admin_url("settings", world.tenant), SETTINGS)
        assert response.status_code == 302
        with scopes_disabled():
            site = PublicSite.objects.get(tenant=world.tenant)
            assert AuditEvent.objects.filter(action="public_site.create").count() == 1
        assert site.enabled and site.show_decisions
        assert client.get(reverse("public:programme", args=[world.tenant.slug])).status_code == 200

    def test_a_later_save_is_audited_and_can_switch_it_off(self, world, client_for):
        client = client_for(world.users["admin"])
        client.post(admin_url("settings", world.tenant), SETTINGS)
        with scopes_disabled():
            version = PublicSite.objects.get(tenant=world.tenant).version
        response = client.post(
            admin_url("settings", world.tenant), {"version": version, "introduction": "Av."}
        )
        assert response.status_code == 302
        with scopes_disabled():
            assert not PublicSite.objects.get(tenant=world.tenant).enabled
            assert AuditEvent.objects.filter(action="public_site.update").count() == 1
        assert client.get(reverse("public:programme", args=[world.tenant.slug])).status_code == 404

    def test_a_stale_form_is_refused(self, world, client_for):
        client = client_for(world.users["admin"])
        client.post(admin_url("settings", world.tenant), SETTINGS)
        with scopes_disabled():
            version = PublicSite.objects.get(tenant=world.tenant).version
        client.post(admin_url("settings", world.tenant), {**SETTINGS, "version": version})
        before = row_counts()
        response = client.post(
            admin_url("settings", world.tenant), {"version": version, "introduction": "Gammal"}
        )
        assert response.status_code == 200 and "errorlist" in response.content.decode()
        assert row_counts() == before
        with scopes_disabled():
            assert PublicSite.objects.get(tenant=world.tenant).enabled

    @pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher"])
    def test_too_little_role_is_403_and_writes_nothing(self, world, client_for, role):
        client = client_for(world.users[role])
        assert client.get(admin_url("settings", world.tenant)).status_code == 403
        before = row_counts()
        assert client.post(admin_url("settings", world.tenant), SETTINGS).status_code == 403
        assert row_counts() == before

    def test_another_programmes_settings_are_404(self, world, other_world, client_for):
        client = client_for(world.users["admin"])
        assert client.get(admin_url("settings", other_world.tenant)).status_code == 404
        assert client.post(admin_url("settings", other_world.tenant), SETTINGS).status_code == 404
        with scopes_disabled():
            assert not PublicSite.objects.exists()

    def test_a_bad_address_is_a_clear_error_and_changes_nothing(self, world, client_for):
        client = client_for(world.users["admin"])
        before = row_counts()
        response = client.post(
            admin_url("settings", world.tenant), {**SETTINGS, "contact_email": "inte en adress"}
        )
        assert response.status_code == 200
        assert (
            'aria-invalid="true"' in response.content.decode()
            or "errorlist" in response.content.decode()
        )
        assert row_counts() == before


CONSENT = {
    "show_title": "on",
    "show_email": "on",
    "given_on": "2026-01-15",
    "how": "Per e-post till processledarna.",
}


@pytest.fixture
def person(world):
    return PersonFactory(tenant=world.tenant, principal=world.principal, name="Kim Kontakt")


class TestConsents:
    @pytest.mark.parametrize("role", ["leader", "admin"])
    def test_process_leaders_and_admins_record_a_consent(self, world, client_for, person, role):
        client = client_for(world.users[role])
        listing = client.get(admin_url("consents", world.tenant))
        assert listing.status_code == 200 and "Kim Kontakt" in listing.content.decode()
        assert client.get(admin_url("consent_add", world.tenant, person.pk)).status_code == 200
        response = client.post(admin_url("consent_add", world.tenant, person.pk), CONSENT)
        assert response.status_code == 302
        with scopes_disabled():
            recorded = ContactConsent.objects.get(person=person)
            assert AuditEvent.objects.filter(action="contact_consent.create").count() == 1
        assert recorded.show_title and recorded.show_email and not recorded.show_phone
        assert recorded.recorded_by == world.users[role]
        assert recorded.given_on == datetime.date(2026, 1, 15)

    @pytest.mark.parametrize("role", ["steering", "reporter", "researcher"])
    def test_too_little_role_is_403_and_writes_nothing(self, world, client_for, person, role):
        active = consent(PersonFactory(tenant=world.tenant, name="Aktiv"), by=world.users["leader"])
        client = client_for(world.users[role])
        assert client.get(admin_url("consents", world.tenant)).status_code == 403
        before = row_counts()
        assert (
            client.post(admin_url("consent_add", world.tenant, person.pk), CONSENT).status_code
            == 403
        )
        assert (
            client.post(admin_url("consent_withdraw", world.tenant, active.pk)).status_code == 403
        )
        assert row_counts() == before

    def test_another_programmes_person_or_consent_is_404(self, world, other_world, client_for):
        stranger: Any = PersonFactory(tenant=other_world.tenant, name="Främling")
        theirs = consent(stranger, by=other_world.users["leader"])
        client = client_for(world.users["leader"])
        before = row_counts()
        assert (
            client.post(admin_url("consent_add", world.tenant, stranger.pk), CONSENT).status_code
            == 404
        )
        assert (
            client.post(admin_url("consent_withdraw", world.tenant, theirs.pk)).status_code == 404
        )
        assert row_counts() == before

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"show_title": "", "show_email": ""}, "Välj minst en uppgift"),
            ({"given_on": "2099-01-01"}, ""),
            ({"given_on": "inte ett datum"}, ""),
            ({"how": ""}, ""),
        ],
    )
    def test_bad_input_is_a_clear_error_and_changes_nothing(
        self, world, client_for, person, change, message
    ):
        client = client_for(world.users["leader"])
        before = row_counts()
        data = {k: v for k, v in {**CONSENT, **change}.items() if v}
        response = client.post(admin_url("consent_add", world.tenant, person.pk), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "errorlist" in html
        if message:
            assert message in html or "Choose at least one detail" in html
        assert row_counts() == before

    def test_a_second_consent_is_refused_while_one_is_active(self, world, client_for, person):
        consent(person, by=world.users["leader"])
        client = client_for(world.users["leader"])
        before = row_counts()
        response = client.post(admin_url("consent_add", world.tenant, person.pk), CONSENT)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
        assert row_counts() == before

    def test_withdrawing_asks_first_then_keeps_the_consent_for_the_record(
        self, world, client_for, person
    ):
        active = consent(person, by=world.users["leader"])
        client = client_for(world.users["leader"])
        question = client.get(admin_url("consent_withdraw", world.tenant, active.pk))
        assert question.status_code == 200 and "Kim Kontakt" in question.content.decode()
        with scopes_disabled():
            assert ContactConsent.objects.get(pk=active.pk).withdrawn_at is None
        response = client.post(admin_url("consent_withdraw", world.tenant, active.pk))
        assert response.status_code == 302
        with scopes_disabled():
            withdrawn = ContactConsent.objects.get(pk=active.pk)
            assert AuditEvent.objects.filter(action="contact_consent.update").count() == 1
        assert withdrawn.withdrawn_at is not None
        assert withdrawn.withdrawn_by == world.users["leader"]
        # Withdrawn once: there is nothing left to withdraw.
        assert (
            client.post(admin_url("consent_withdraw", world.tenant, active.pk)).status_code == 404
        )

    def test_the_people_page_links_to_the_consents(self, world, client_for):
        html = (
            client_for(world.users["leader"])
            .get(reverse("portal:people", args=[world.tenant.slug]))
            .content.decode()
        )
        assert admin_url("consents", world.tenant) in html


class TestPreview:
    def test_a_process_leader_previews_an_unpublished_example_as_the_public_page(
        self, world, client_for
    ):
        silent = PersonFactory(tenant=world.tenant, name="Utan Samtycke")
        draft = example(
            world.tenant, world.principal, "Ännu opublicerat", published=False, contact=silent
        )
        client = client_for(world.users["leader"])
        detail = client.get(
            reverse("implementation:example_detail", args=[world.tenant.slug, draft.pk])
        )
        assert admin_url("example_preview", world.tenant, draft.pk) in detail.content.decode()
        response = client.get(admin_url("example_preview", world.tenant, draft.pk))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ännu opublicerat" in html and "public-example" in html
        assert "Utan Samtycke" not in html  # the public page would not show them either
        assert "public/_example.html" in [t.name for t in response.templates]

    @pytest.mark.parametrize("role", ["steering", "reporter", "researcher", "admin"])
    def test_too_little_role_is_403(self, world, client_for, role):
        draft = example(world.tenant, world.principal, "Utkast", published=False)
        client = client_for(world.users[role])
        assert client.get(admin_url("example_preview", world.tenant, draft.pk)).status_code == 403

    def test_another_programmes_example_is_404(self, world, other_world, client_for):
        theirs = example(other_world.tenant, other_world.principal, "Deras")
        client = client_for(world.users["leader"])
        assert client.get(admin_url("example_preview", world.tenant, theirs.pk)).status_code == 404

    def test_an_archived_example_is_404(self, world, client_for):
        gone = example(world.tenant, world.principal, "Arkiverat", archived_at=timezone.now())
        client = client_for(world.users["leader"])
        assert client.get(admin_url("example_preview", world.tenant, gone.pk)).status_code == 404
