"""The public site's pages (issue 15, item 1): anonymous, 404 on every
public URL while the site is off (or was never switched on), each
programme's slug showing its own content only, and nothing but what is
published, approved and consented."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import EventStatus, MinutesStatus, MinutesVersion, ProgrammeEvent
from implementation.models import (
    Activity,
    AssessmentStatus,
    GoodExample,
    SelfAssessment,
    Staircase,
    Step,
    WellbeingArea,
)
from portal.dashboards import cache as panel_cache
from portal.models import Principal, Sector, Tenant
from public.models import ContactConsent, PublicSite
from public.services import site as services
from public.site import DATA_APPS
from tests.factories import OperationFactory, PersonFactory
from tests.governance.factories import BodyFactory, DecisionFactory, MeetingFactory
from tests.urlwalk import routes

pytestmark = pytest.mark.django_db


def public_site(tenant: Tenant, *, enabled=True, show_decisions=True) -> PublicSite:
    with scopes_disabled():
        return PublicSite.objects.create(
            tenant=tenant, enabled=enabled, show_decisions=show_decisions
        )


def consent(person: Any, *, email=True, phone=False, title=True, withdrawn=False, by=None):
    with scopes_disabled():
        return ContactConsent.objects.create(
            tenant=person.tenant,
            person=person,
            show_title=title,
            show_email=email,
            show_phone=phone,
            given_on=datetime.date(2026, 1, 10),
            how="Per e-post",
            recorded_by=by,
            withdrawn_at=timezone.now() if withdrawn else None,
        )


def example(tenant, principal, title, *, published=True, contact=None, **fields) -> GoodExample:
    now = timezone.now()
    with scopes_disabled():
        return GoodExample.objects.create(
            tenant=tenant,
            principal=principal,
            title=title,
            description=f"Beskrivning av {title}.",
            contact_person=contact,
            published_at=now - datetime.timedelta(days=1) if published else None,
            **fields,
        )


def approved_minutes(body, *, text: str, decision: str, status=MinutesStatus.APPROVED):
    """A meeting with one decision and, when approved, a frozen version."""
    tenant = body.tenant
    meeting: Any = MeetingFactory(body=body, minutes_status=status)
    row: Any = DecisionFactory(meeting=meeting, text=decision)
    if status == MinutesStatus.APPROVED:
        with scopes_disabled():
            MinutesVersion.objects.create(
                tenant=tenant,
                meeting=meeting,
                number=1,
                approved_at=timezone.now(),
                content={
                    "meeting": {
                        "title": "Styrgruppens möte",
                        "body": meeting.body.name,
                        "starts_at": meeting.starts_at.isoformat(),
                        "ends_at": meeting.ends_at.isoformat(),
                        "all_day": False,
                        "place": "Regionhuset",
                        "note_taker": "Hemlig Antecknare",
                    },
                    "attendance": [{"name": "Närvarande Utan Samtycke", "status": "narvarande"}],
                    "agenda": [
                        {
                            "id": 1,
                            "position": 1,
                            "title": "Processplanen",
                            "kind": "beslut",
                            "minutes": text,
                        }
                    ],
                    "decisions": [
                        {"agenda_item_id": 1, "reference": row.reference, "text": decision}
                    ],
                },
            )
    return meeting


@dataclass
class Scene:
    tenant: Tenant
    principal: Principal
    other_principal: Principal
    published: GoodExample
    unpublished: GoodExample
    contact: Any  # consented: title and e-mail, not phone
    silent: Any  # no consent
    withdrawn: Any  # consent withdrawn
    event: ProgrammeEvent
    minutes: Any
    step: Step


def build_scene(world) -> Scene:
    tenant, principal = world.tenant, world.principal
    school: Any = OperationFactory(
        principal=principal, tenant=tenant, sector=Sector.COMPULSORY_SCHOOL, name="Norrskolan"
    )
    contact = PersonFactory(
        tenant=tenant,
        principal=principal,
        name="Kerstin Kontakt",
        title="Rektor",
        phone="070-111 22 33",
    )
    silent = PersonFactory(tenant=tenant, principal=principal, name="Sigge Samtyckeslös")
    withdrawn = PersonFactory(tenant=tenant, principal=principal, name="Valter Återkallad")
    consent(contact, by=world.users["leader"])
    consent(withdrawn, withdrawn=True, by=world.users["leader"])
    with scopes_disabled():
        staircase = Staircase.objects.create(tenant=tenant, version=1)
        step = Step.objects.create(
            tenant=tenant,
            staircase=staircase,
            number=3,
            name="Förbereda",
            description="Organisationen är på plats.",
        )
        area = WellbeingArea.objects.create(tenant=tenant, name="Trygg", position=1)
        for operation, status in (
            (None, AssessmentStatus.APPROVED),
            (school, AssessmentStatus.APPROVED),
        ):
            SelfAssessment.objects.create(
                tenant=tenant,
                staircase=staircase,
                principal=principal,
                operation=operation,
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 6, 30),
                status=status,
                computed_step=step,
                step_number=3,
                approved_at=timezone.now(),
            )
        SelfAssessment.objects.create(
            tenant=tenant,
            staircase=staircase,
            principal=principal,
            period_start=datetime.date(2026, 7, 1),
            period_end=datetime.date(2026, 12, 31),
            status=AssessmentStatus.SUBMITTED,
            evidence="Pågående självskattning HEMLIG",
        )
        ongoing = Activity.objects.create(
            tenant=tenant, title="Pågående aktivitet", status="pagaende"
        )
        ongoing.principals.add(principal)
        planned = Activity.objects.create(
            tenant=tenant, title="Planerad aktivitet", status="planerad"
        )
        planned.principals.add(principal)
    published = example(tenant, principal, "Frånvarotrappan", contact=silent)
    with scopes_disabled():
        published.operations.add(school)
        published.steps.add(step)
        published.wellbeing_areas.add(area)
    unpublished = example(tenant, principal, "Hemligt utkast", published=False)
    example(world.tenant, world.other_principal, "Familjecentralen", contact=contact)
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    with scopes_disabled():
        event = ProgrammeEvent.objects.create(
            tenant=tenant,
            title="Öppet webbinarium",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            public=True,
            online_link="https://mote.example.se/w",
        )
        ProgrammeEvent.objects.create(
            tenant=tenant,
            title="Internt arbetsmöte",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            public=False,
        )
        ProgrammeEvent.objects.create(
            tenant=tenant,
            title="Inställt webbinarium",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            public=True,
            status=EventStatus.CANCELLED,
            cancelled_reason="Sjukdom",
        )
    body = BodyFactory(tenant=tenant, code="SG")
    minutes = approved_minutes(
        body,
        text="Justerad text om processplanen.",
        decision="Styrgruppen beslutar att anta processplanen.",
    )
    approved_minutes(
        body, text="Utkast HEMLIG", decision="Utkastbeslut HEMLIGT", status=MinutesStatus.DRAFT
    )
    return Scene(
        tenant,
        principal,
        world.other_principal,
        published,
        unpublished,
        contact,
        silent,
        withdrawn,
        event,
        minutes,
        step,
    )


@pytest.fixture
def scene(world) -> Scene:
    public_site(world.tenant)
    return build_scene(world)


def url(name: str, tenant: Tenant, *args) -> str:
    return reverse(f"public:{name}", args=[tenant.slug, *args])


def page(client: Client, name: str, tenant: Tenant, *args, query: str = "") -> str:
    response = client.get(url(name, tenant, *args) + query)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def my_urls(s: Scene) -> dict[str, str]:
    """Every page of this part of the site, filled with the scene's objects."""
    t = s.tenant
    return {
        "programme": url("programme", t),
        "principals": url("principals", t),
        "principal": url("principal", t, s.principal.pk),
        "examples": url("examples", t),
        "example": url("example", t, s.published.pk),
        "events": url("events", t),
        "event_ics": url("event_ics", t, s.event.pk),
        "decisions": url("decisions", t),
        "minutes": url("minutes", t, s.minutes.pk),
    }


class TestAnonymousPages:
    def test_every_page_works_without_a_login_with_a_title_and_description(self, scene):
        client = Client()
        for name, address in my_urls(scene).items():
            response = client.get(address)
            assert response.status_code == 200, name
            if name != "event_ics":
                html = response.content.decode()
                assert "<title>" in html and 'name="description" content="' in html, name
                assert 'name="description" content=""' not in html, name
                assert "csrfmiddlewaretoken" not in html, name

    def test_the_principal_page_shows_its_step_examples_work_and_consented_contacts(self, scene):
        html = page(Client(), "principal", scene.tenant, scene.principal.pk)
        assert "Förbereda" in html and "Organisationen är på plats." in html
        assert "Grundskola" in html and "Norrskolan" in html  # per sector
        assert "Frånvarotrappan" in html
        assert "Pågående aktivitet" in html and "Planerad aktivitet" not in html
        assert "Kerstin Kontakt" in html and "Rektor" in html and scene.contact.email in html
        assert "070-111 22 33" not in html  # the consent does not cover the phone
        for absent in ("Sigge Samtyckeslös", "Valter Återkallad", "Hemligt utkast", "HEMLIG"):
            assert absent not in html, absent

    def test_a_principal_page_links_to_the_other_principals(self, scene):
        html = page(Client(), "principal", scene.tenant, scene.principal.pk)
        assert url("principal", scene.tenant, scene.other_principal.pk) in html

    def test_an_example_shows_its_contact_person_only_with_consent(self, scene):
        html = page(Client(), "example", scene.tenant, scene.published.pk)
        assert "Frånvarotrappan" in html and "Sigge Samtyckeslös" not in html
        with scopes_disabled():
            other = GoodExample.objects.get(title="Familjecentralen")
        assert "Kerstin Kontakt" in page(Client(), "example", scene.tenant, other.pk)

    def test_an_unpublished_or_archived_example_is_404(self, scene):
        client = Client()
        assert client.get(url("example", scene.tenant, scene.unpublished.pk)).status_code == 404
        with scopes_disabled():
            GoodExample.objects.filter(pk=scene.published.pk).update(archived_at=timezone.now())
        assert client.get(url("example", scene.tenant, scene.published.pk)).status_code == 404

    @pytest.mark.parametrize(
        ("query", "found"),
        [
            ("?q=fr%C3%A5nvaro", True),
            ("?q=ingenting-alls", False),
            ("?sector=grundskola", True),
            ("?sector=polis", False),
            ("?step=3", True),
            ("?step=5", False),
            ("?sector=nonsense&step=x&principal=", True),  # bad values are ignored
        ],
    )
    def test_the_examples_can_be_searched_and_filtered(self, scene, query, found):
        html = page(Client(), "examples", scene.tenant, query=query)
        assert ("Frånvarotrappan" in html) is found
        assert "Hemligt utkast" not in html

    def test_the_examples_filter_by_principal_and_area(self, scene):
        with scopes_disabled():
            area = WellbeingArea.objects.get(tenant=scene.tenant, name="Trygg")
        by_principal = page(
            Client(), "examples", scene.tenant, query=f"?principal={scene.other_principal.pk}"
        )
        assert "Familjecentralen" in by_principal and "Frånvarotrappan" not in by_principal
        by_area = page(Client(), "examples", scene.tenant, query=f"?area={area.pk}")
        assert "Frånvarotrappan" in by_area and "Familjecentralen" not in by_area

    def test_only_upcoming_public_events_are_listed_with_their_ics(self, scene):
        html = page(Client(), "events", scene.tenant)
        assert "Öppet webbinarium" in html and "https://mote.example.se/w" in html
        assert "Internt arbetsmöte" not in html and "Inställt webbinarium" not in html
        response = Client().get(url("event_ics", scene.tenant, scene.event.pk))
        assert response["Content-Type"].startswith("text/calendar")
        assert b"\xc3\x96ppet webbinarium" in response.content
        with scopes_disabled():
            private = ProgrammeEvent.objects.get(title="Internt arbetsmöte")
        assert Client().get(url("event_ics", scene.tenant, private.pk)).status_code == 404

    def test_decisions_and_minutes_only_of_approved_minutes(self, scene):
        html = page(Client(), "decisions", scene.tenant)
        assert "Styrgruppen beslutar att anta processplanen." in html
        assert "HEMLIG" not in html
        minutes = page(Client(), "minutes", scene.tenant, scene.minutes.pk)
        assert "Justerad text om processplanen." in minutes
        # The attendance and the note-taker are not published.
        assert "Närvarande Utan Samtycke" not in minutes and "Hemlig Antecknare" not in minutes
        with scopes_disabled():
            draft = MinutesVersion.objects.none()
            draft_meeting = scene.minutes.__class__.objects.get(minutes_status=MinutesStatus.DRAFT)
        assert not draft
        assert Client().get(url("minutes", scene.tenant, draft_meeting.pk)).status_code == 404

    def test_decisions_and_minutes_are_404_unless_the_programme_publishes_them(self, scene):
        with scopes_disabled():
            PublicSite.objects.filter(tenant=scene.tenant).update(show_decisions=False)
        client = Client()
        assert client.get(url("decisions", scene.tenant)).status_code == 404
        assert client.get(url("minutes", scene.tenant, scene.minutes.pk)).status_code == 404
        assert url("decisions", scene.tenant) not in page(client, "programme", scene.tenant)

    def test_an_archived_principal_has_no_page(self, scene):
        with scopes_disabled():
            Principal.objects.filter(pk=scene.principal.pk).update(archived_at=timezone.now())
        assert Client().get(url("principal", scene.tenant, scene.principal.pk)).status_code == 404


def public_routes():
    return [r for r in routes() if r.name.startswith("public:")]


def filled(route, slug: str, pk: int) -> str:
    kwargs: dict[str, object] = {}
    for key, conv in route.converters:
        if key == "site_slug":
            kwargs[key] = slug
        elif conv == "IntConverter":
            kwargs[key] = pk
        else:
            kwargs[key] = "x"
    return reverse(route.name, kwargs=kwargs)


class TestSwitchedOff:
    """Every public URL (the URLconf's, not a list by hand) is 404 while the
    site is off, never switched on, or its programme inactive."""

    def test_there_are_public_routes(self):
        names = {r.name for r in public_routes()}
        assert {"public:programme", "public:principal", "public:minutes"} <= names

    @pytest.mark.parametrize("state", ["off", "never", "inactive"])
    def test_every_public_url_is_404(self, world, state):
        scene = build_scene(world)
        if state != "never":
            public_site(world.tenant, enabled=state != "off")
        if state == "inactive":
            Tenant.objects.filter(pk=world.tenant.pk).update(is_active=False)
        client = Client()
        for route in public_routes():
            for pk in (scene.published.pk, scene.principal.pk, scene.event.pk, scene.minutes.pk):
                address = filled(route, world.tenant.slug, pk)
                assert client.get(address).status_code == 404, (route.name, address)

    def test_switching_it_on_opens_the_same_urls(self, world):
        scene = build_scene(world)
        site = public_site(world.tenant, enabled=False)
        assert Client().get(url("principal", world.tenant, scene.principal.pk)).status_code == 404
        with scopes_disabled():
            site.enabled = True
            site.save()
        for name, address in my_urls(scene).items():
            assert Client().get(address).status_code == 200, name


class TestOtherProgramme:
    def test_each_slug_shows_only_its_own_programme(self, world, other_world):
        scene = build_scene(world)
        public_site(world.tenant)
        public_site(other_world.tenant)
        other = other_world.tenant
        client = Client()
        for name, pk in (
            ("principal", scene.principal.pk),
            ("example", scene.published.pk),
            ("event_ics", scene.event.pk),
            ("minutes", scene.minutes.pk),
        ):
            assert client.get(url(name, other, pk)).status_code == 404, name
        for name in ("programme", "principals", "examples", "events", "decisions"):
            html = page(client, name, other)
            for own in (
                "Frånvarotrappan",
                scene.principal.name,
                "Öppet webbinarium",
                "Kerstin Kontakt",
                "anta processplanen",
            ):
                assert own not in html, (name, own)


def draw_every_time(settings, tenant: Tenant) -> None:
    """Nothing cached from now on: every GET draws the page. (The scene's own
    versions, written before, may be settled already: new ones are not.)"""
    settings.DASHBOARD_CACHE_SETTLE_SECONDS = 3600
    for app in DATA_APPS:
        panel_cache.invalidate(tenant.pk, app)


class TestQueries:
    def test_the_principal_page_costs_the_same_for_more_rows(self, scene, settings):
        draw_every_time(settings, scene.tenant)
        client = Client()
        address = url("principal", scene.tenant, scene.principal.pk)
        client.get(address)
        with CaptureQueriesContext(connection) as before:
            client.get(address)
        for n in range(3):
            contact = PersonFactory(
                tenant=scene.tenant, principal=scene.principal, name=f"Kontakt {n}"
            )
            consent(contact, phone=True)
            example(scene.tenant, scene.principal, f"Exempel {n}", contact=contact)
        with CaptureQueriesContext(connection) as after:
            client.get(address)
        assert len(after) == len(before)

    def test_the_examples_page_costs_the_same_for_more_rows(self, scene, settings):
        draw_every_time(settings, scene.tenant)
        client = Client()
        address = url("examples", scene.tenant)
        client.get(address)
        with CaptureQueriesContext(connection) as before:
            client.get(address)
        for n in range(3):
            example(scene.tenant, scene.other_principal, f"Exempel {n}", contact=scene.contact)
        with CaptureQueriesContext(connection) as after:
            client.get(address)
        assert len(after) == len(before)


class TestCache:
    @pytest.fixture(autouse=True)
    def _settled_at_once(self, settings):
        """Pages are not cached in the first seconds after a write; here the
        scene is written a moment before (set before the scene is built)."""
        settings.DASHBOARD_CACHE_SETTLE_SECONDS = 0

    def test_withdrawing_a_consent_removes_the_person_at_once_from_a_cached_page(
        self, scene, leader_user
    ):
        client = Client()
        address = url("principal", scene.tenant, scene.principal.pk)
        client.get(address)
        cached = client.get(address)
        assert cached["X-Public-Cache"] == "hit"
        assert "Kerstin Kontakt" in cached.content.decode()
        with scope(tenant=scene.tenant):
            active = ContactConsent.objects.get(person=scene.contact, withdrawn_at__isnull=True)
            services.consent_withdraw(actor=leader_user, consent=active)
        after = client.get(address)
        assert "Kerstin Kontakt" not in after.content.decode()
        assert after.get("X-Public-Cache") != "hit"


@pytest.fixture
def leader_user(world):
    return world.users["leader"]
