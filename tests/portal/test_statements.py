"""The programme's statements (issue 16, items 4 and 5): the accessibility
statement with DIGG's mandatory content and its feedback form, the privacy
notice naming the controller, and the export of one person's data."""

from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from governance.models import Body, BodyMember
from portal import statements
from portal.models import (
    DIGG_REPORT_URL,
    AccessibilityFeedback,
    AccessibilityStatement,
    AuditEvent,
    PrivacyStatement,
)
from public.models import ContactConsent
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def edit_url(tenant, name="statement_accessibility") -> str:
    return reverse(f"portal:{name}", args=[tenant.slug])


def public_url(tenant, name="programme_accessibility") -> str:
    return reverse(f"portal:{name}", args=[tenant.slug])


def statement_post(**overrides) -> dict[str, str]:
    data = {
        "organisation": "Region Sörmland",
        "contact_email": "tillganglighet@regionsormland.example.se",
        "contact_phone": "0155-24 50 00",
        "compliance": "delvis",
        "assessment_method": "extern",
        "assessed_on": "2027-03-15",
        "assessment_description": "Granskad av Funka.",
        "shortcomings-TOTAL_FORMS": "2",
        "shortcomings-INITIAL_FORMS": "0",
        "shortcomings-MIN_NUM_FORMS": "0",
        "shortcomings-MAX_NUM_FORMS": "30",
        "shortcomings-0-description": "Gamla protokoll som PDF är inte tillgängliga.",
        "shortcomings-0-reason": "oskaligt_betungande",
        "shortcomings-0-explanation": "Att göra om 400 skannade protokoll vore oskäligt.",
        "shortcomings-0-planned_fix": "",
        "shortcomings-1-description": "",
        "shortcomings-1-reason": "bristande_forenlighet",
        "shortcomings-1-explanation": "",
        "shortcomings-1-planned_fix": "",
    }
    data.update(overrides)
    return data


def saved_statement(tenant) -> AccessibilityStatement | None:
    with scopes_disabled():
        return AccessibilityStatement.objects.filter(tenant=tenant).first()


# The accessibility statement ----------------------------------------------------------


class TestPublicStatement:
    def test_before_any_edit_it_shows_the_portals_statement_with_every_digg_field(self, world):
        html = english(Client()).get(public_url(world.tenant)).content.decode()
        assert "Accessibility statement for Tillsammans för barnens bästa" in html
        assert "Region Sörmland is responsible" in html  # the organisation
        assert "partially compliant" in html  # the status, in DIGG's words
        assert "Non-compliance with the requirements" in html  # shortcomings by reason
        assert "Wide tables, such as the risk matrix" in html  # the portal's own text
        assert "self-assessment (internal testing)" in html  # how it was assessed
        assert "1 December 2026" in html  # when assessed and last updated
        assert "last updated on" in html
        assert DIGG_REPORT_URL in html
        assert 'id="synpunkter"' in html and "csrfmiddlewaretoken" in html

    def test_it_needs_no_login_and_no_public_site(self, world):
        response = Client().get(public_url(world.tenant))
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]

    def test_a_member_of_another_programme_reads_it_too(self, world, other_world, client_for):
        client = client_for(other_world.users["reporter"])
        assert client.get(public_url(world.tenant)).status_code == 200

    def test_an_unknown_or_inactive_programme_is_404(self, world):
        assert (
            Client().get(reverse("portal:programme_accessibility", args=["nope"])).status_code
            == 404
        )
        world.tenant.is_active = False
        world.tenant.save()
        assert Client().get(public_url(world.tenant)).status_code == 404

    def test_it_shows_what_the_admins_saved(self, world, client_for):
        client_for(world.users["admin"]).post(edit_url(world.tenant), statement_post())
        html = english(Client()).get(public_url(world.tenant)).content.decode()
        assert "tillganglighet@regionsormland.example.se" in html
        assert "0155-24 50 00" in html
        assert "Disproportionate burden" in html
        assert "Att göra om 400 skannade protokoll" in html
        assert "assessed by a third party" in html
        assert "15 March 2027" in html
        assert "Wide tables" not in html

    def test_the_site_wide_statement_links_to_each_programme(self, world, other_world):
        html = Client().get(reverse("portal:accessibility")).content.decode()
        assert public_url(world.tenant) in html
        assert public_url(other_world.tenant) in html
        assert DIGG_REPORT_URL in html


class TestEditStatement:
    def test_the_form_starts_from_the_default_text(self, world, client_for):
        response = english(client_for(world.users["admin"])).get(edit_url(world.tenant))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'value="Region Sörmland"' in html
        assert "Wide tables, such as the risk matrix" in html
        assert 'id="default-statement"' in html

    def test_an_admin_saves_it_audited(self, world, client_for):
        response = client_for(world.users["admin"]).post(edit_url(world.tenant), statement_post())
        assert response.status_code == 302
        statement = saved_statement(world.tenant)
        assert statement is not None
        assert statement.compliance == "delvis"
        assert statement.shortcomings == [
            {
                "description": "Gamla protokoll som PDF är inte tillgängliga.",
                "reason": "oskaligt_betungande",
                "explanation": "Att göra om 400 skannade protokoll vore oskäligt.",
                "planned_fix": "",
            }
        ]
        assert statement.updated_on == datetime.date.today()
        with scopes_disabled():
            event = AuditEvent.objects.get(action="accessibility_statement.create")
        assert event.actor == world.users["admin"]
        assert event.tenant == world.tenant

    def test_a_second_save_updates_it_with_its_version(self, world, client_for):
        client = client_for(world.users["admin"])
        client.post(edit_url(world.tenant), statement_post())
        client.post(edit_url(world.tenant), statement_post(version="1", compliance="helt"))
        statement = saved_statement(world.tenant)
        assert statement.compliance == "helt"
        assert statement.version == 2
        with scopes_disabled():
            assert AuditEvent.objects.filter(action="accessibility_statement.update").count() == 1

    def test_a_stale_form_is_refused_and_changes_nothing(self, world, client_for):
        client = client_for(world.users["admin"])
        client.post(edit_url(world.tenant), statement_post())
        client.post(edit_url(world.tenant), statement_post(version="1", compliance="helt"))
        response = client.post(
            edit_url(world.tenant), statement_post(version="1", compliance="inte")
        )
        assert response.status_code == 400
        assert "Someone else saved" in response.content.decode() or "sparat" in (
            response.content.decode()
        )
        assert saved_statement(world.tenant).compliance == "helt"

    def test_a_form_opened_on_the_default_is_stale_once_someone_saved(self, world, client_for):
        client = client_for(world.users["admin"])
        client.post(edit_url(world.tenant), statement_post())
        response = client.post(edit_url(world.tenant), statement_post(compliance="inte"))
        assert response.status_code == 400
        assert saved_statement(world.tenant).compliance == "delvis"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"contact_email": "", "contact_phone": ""}, "contact_email"),
            ({"compliance": "nastan"}, "compliance"),
            ({"assessed_on": "1899-01-01"}, "assessed_on"),
            ({"shortcomings-0-reason": "vet_inte"}, "shortcomings-0-reason"),
            (
                {"shortcomings-0-description": "", "shortcomings-0-explanation": "Varför"},
                "shortcomings-0-description",
            ),
        ],
    )
    def test_bad_input_gets_a_clear_error_and_writes_nothing(
        self, world, client_for, overrides, field
    ):
        response = english(client_for(world.users["admin"])).post(
            edit_url(world.tenant), statement_post(**overrides)
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Please correct the errors below." in html or "errorlist" in html
        assert field in html
        assert saved_statement(world.tenant) is None
        with scopes_disabled():
            assert not AuditEvent.objects.filter(object_type__startswith="portal.access").exists()

    @pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher"])
    def test_other_roles_get_403(self, world, client_for, role):
        client = client_for(world.users[role])
        for name in ("statement_accessibility", "statement_privacy", "statement_person_pick"):
            assert client.get(edit_url(world.tenant, name)).status_code == 403
        assert client.post(edit_url(world.tenant), statement_post()).status_code == 403
        assert saved_statement(world.tenant) is None

    def test_another_programme_is_404(self, world, other_world, client_for):
        client = client_for(other_world.users["admin"])
        assert client.get(edit_url(world.tenant)).status_code == 404
        assert client.post(edit_url(world.tenant), statement_post()).status_code == 404
        assert saved_statement(world.tenant) is None


class TestFeedback:
    def feedback(self, tenant, **overrides) -> dict[str, str]:
        return {
            "message": "Knappen Skicka går inte att nå med tangentbordet.",
            "page": "/p/sormland/nyhetsbrev/",
            "name": "Eva Exempel",
            "email": "eva@example.se",
            **overrides,
        }

    def test_it_is_kept_and_mailed_to_the_admins(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(public_url(world.tenant), self.feedback(world.tenant))
        assert response.status_code == 302
        assert response["Location"].endswith("?skickat=1#synpunkter")
        with scopes_disabled():
            kept = AccessibilityFeedback.objects.get(tenant=world.tenant)
        assert kept.message.startswith("Knappen Skicka")
        assert kept.notified_at is not None
        assert len(mailoutbox) == 1
        mail = mailoutbox[0]
        assert mail.to == [world.users["admin"].email]
        assert "Knappen Skicka går inte att nå" in mail.body
        assert "eva@example.se" in mail.body
        assert world.tenant.name in mail.subject

    def test_the_admins_see_it_on_their_page(self, world, client_for):
        Client().post(public_url(world.tenant), self.feedback(world.tenant))
        html = client_for(world.users["admin"]).get(edit_url(world.tenant)).content.decode()
        assert "Knappen Skicka" in html

    @pytest.mark.parametrize(
        "overrides", [{"message": ""}, {"email": "inte-en-adress"}, {"message": "x" * 5001}]
    )
    def test_bad_feedback_gets_an_error_and_is_not_kept(self, world, mailoutbox, overrides):
        response = Client().post(public_url(world.tenant), self.feedback(world.tenant, **overrides))
        assert response.status_code == 400
        assert "errorlist" in response.content.decode()
        with scopes_disabled():
            assert not AccessibilityFeedback.objects.exists()
        assert not mailoutbox

    def test_it_needs_a_csrf_token(self, world):
        client = Client(enforce_csrf_checks=True)
        response = client.post(public_url(world.tenant), self.feedback(world.tenant))
        assert response.status_code == 403

    def test_one_address_may_send_only_so_many(self, world, settings):
        settings.ACCESSIBILITY_FEEDBACK_RATE = "2/h"
        client = Client(REMOTE_ADDR="192.0.2.77")
        codes = [
            client.post(public_url(world.tenant), self.feedback(world.tenant)).status_code
            for _ in range(3)
        ]
        assert codes == [302, 302, 429]
        with scopes_disabled():
            assert AccessibilityFeedback.objects.filter(tenant=world.tenant).count() == 2


# Privacy -----------------------------------------------------------------------------


def privacy_post(**overrides) -> dict[str, str]:
    return {
        "controller_name": "Region Sörmland",
        "controller_org_number": "232100-0032",
        "controller_email": "region@regionsormland.example.se",
        "controller_phone": "",
        "controller_address": "Region Sörmland, 611 88 Nyköping",
        "dpo_name": "Dataskyddsombudet",
        "dpo_email": "dataskyddsombud@regionsormland.example.se",
        "dpo_phone": "",
        **overrides,
    }


class TestPrivacy:
    def test_the_notice_names_the_controller_and_the_dpo(self, world, client_for):
        response = client_for(world.users["admin"]).post(
            edit_url(world.tenant, "statement_privacy"), privacy_post()
        )
        assert response.status_code == 302
        html = Client().get(public_url(world.tenant, "programme_privacy")).content.decode()
        assert "Region Sörmland" in html
        assert "232100-0032" in html
        assert "dataskyddsombud@regionsormland.example.se" in html
        site_wide = Client().get(reverse("portal:privacy")).content.decode()
        assert "Region Sörmland" in site_wide
        assert "dataskyddsombud@regionsormland.example.se" in site_wide
        assert public_url(world.tenant, "programme_privacy") in site_wide
        with scopes_disabled():
            assert AuditEvent.objects.filter(action="privacy_statement.create").count() == 1

    def test_before_any_edit_the_notice_says_none_is_named(self, world):
        response = english(Client()).get(public_url(world.tenant, "programme_privacy"))
        assert response.status_code == 200
        assert "has not yet named its controller" in response.content.decode()

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"controller_org_number": "12345"}, "controller_org_number"),
            ({"dpo_email": "", "dpo_phone": ""}, "dpo_email"),
            ({"controller_name": ""}, "controller_name"),
        ],
    )
    def test_bad_input_gets_a_clear_error(self, world, client_for, overrides, field):
        response = client_for(world.users["admin"]).post(
            edit_url(world.tenant, "statement_privacy"), privacy_post(**overrides)
        )
        assert response.status_code == 400
        assert field in response.content.decode()
        with scopes_disabled():
            assert not PrivacyStatement.objects.exists()

    def test_a_stale_form_is_refused(self, world, client_for):
        client = client_for(world.users["admin"])
        url = edit_url(world.tenant, "statement_privacy")
        client.post(url, privacy_post())
        client.post(url, privacy_post(version="1", dpo_name="Anna Dataskydd"))
        response = client.post(url, privacy_post(version="1", dpo_name="Bertil"))
        assert response.status_code == 400
        with scopes_disabled():
            assert PrivacyStatement.objects.get().dpo_name == "Anna Dataskydd"


# The person export -------------------------------------------------------------------


@pytest.fixture
def person_scene(world, other_world):
    """A person of Sörmland with a login, a seat, a consent and events; a
    colleague of theirs and a namesake in Kronoberg who must not leak."""
    user = world.users["steering"]
    person = PersonFactory(
        tenant=world.tenant, name="Stina Styrgrupp", email="stina@example.se", user=user
    )
    colleague = PersonFactory(tenant=world.tenant, name="Kalle Kollega", email="kalle@example.se")
    stranger = PersonFactory(
        tenant=other_world.tenant, name="Stina i Kronoberg", email="stina-k@example.se"
    )
    with scopes_disabled():
        body = Body.objects.create(
            tenant=world.tenant, name="Styrgruppen", code="SG", kind="styrgrupp"
        )
        for who in (person, colleague):
            BodyMember.objects.create(
                tenant=world.tenant,
                body=body,
                person=who,
                role="ledamot",
                start_date=datetime.date(2026, 1, 1),
            )
        ContactConsent.objects.create(
            tenant=world.tenant,
            person=person,
            given_on=datetime.date(2026, 2, 1),
            how="Muntligt på styrgruppsmötet",
        )
        ContactConsent.objects.create(
            tenant=world.tenant,
            person=colleague,
            given_on=datetime.date(2026, 2, 1),
            how="Kollegans eget samtycke",
        )
    with scope(tenant=world.tenant):
        from portal import services

        services.person_update(actor=world.users["admin"], person=person, title="Skolchef")
        services.person_update(actor=user, person=colleague, title="Rektor")
    return person, colleague, stranger


def export_url(tenant, pk) -> str:
    return reverse("portal:statement_person_export", args=[tenant.slug, pk])


class TestPersonExport:
    def test_it_holds_the_persons_rows_across_apps(self, world, client_for, person_scene):
        person = person_scene[0]
        response = client_for(world.users["admin"]).get(export_url(world.tenant, person.pk))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        assert data["person"]["name"] == "Stina Styrgrupp"
        assert data["membership"]["role"] == "steering_member"
        assert data["user"]["username"] == world.users["steering"].username
        assert "password" not in data["user"]
        assert [c["how"] for c in data["related"]["public.contactconsent"]] == [
            "Muntligt på styrgruppsmötet"
        ]
        assert [s["person_id"] for s in data["related"]["governance.bodymember"]] == [person.pk]
        actions = {(e["action"], e["by_them"]) for e in data["audit_events"]}
        assert ("person.update", False) in actions  # the admin changed their title
        assert ("person.update", True) in actions  # they changed the colleague's
        about_them = [e for e in data["audit_events"] if e["object_id"] == str(person.pk)]
        assert about_them and all("after" in e for e in about_them)

    def test_nothing_of_another_person_or_programme(self, world, client_for, person_scene):
        person = person_scene[0]
        response = client_for(world.users["admin"]).get(export_url(world.tenant, person.pk))
        text = response.content.decode()
        for other in ("Kalle Kollega", "kalle@example.se", "Kollegans eget samtycke", "Rektor"):
            assert other not in text
        for other in ("Stina i Kronoberg", "stina-k@example.se", other_world_slug()):
            assert other not in text

    def test_the_export_is_audited(self, world, client_for, person_scene):
        person = person_scene[0]
        client_for(world.users["admin"]).get(export_url(world.tenant, person.pk))
        with scopes_disabled():
            event = AuditEvent.objects.get(action="person.export")
        assert event.actor == world.users["admin"]
        assert event.object_id == str(person.pk)
        assert event.tenant == world.tenant

    def test_another_programmes_person_is_404(self, world, client_for, person_scene):
        stranger = person_scene[2]
        response = client_for(world.users["admin"]).get(export_url(world.tenant, stranger.pk))
        assert response.status_code == 404

    @pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher"])
    def test_too_little_role_is_403(self, world, client_for, person_scene, role):
        person = person_scene[0]
        response = client_for(world.users[role]).get(export_url(world.tenant, person.pk))
        assert response.status_code == 403
        with scopes_disabled():
            assert not AuditEvent.objects.filter(action="person.export").exists()

    def test_the_picker_leads_to_the_file(self, world, client_for, person_scene):
        person = person_scene[0]
        client = client_for(world.users["admin"])
        url = reverse("portal:statement_person_pick", args=[world.tenant.slug])
        assert client.get(url).status_code == 200
        response = client.get(url, {"person": person.pk})
        assert response.status_code == 302
        assert response["Location"] == export_url(world.tenant, person.pk)
        assert client.get(url, {"person": person_scene[2].pk}).status_code == 400


def other_world_slug() -> str:
    return '"slug": "kronoberg"'


def test_the_default_statement_reads_in_the_current_language(world):
    from django.utils import translation

    with translation.override("en"):
        english_text = statements.default_accessibility_statement(world.tenant)
    assert english_text.pk is None
    assert english_text.organisation == world.tenant.region
    assert len(english_text.shortcomings) == 4
