"""The public site's Atom feed (/p/<slug>/flode.atom) and JSON endpoint
(/p/<slug>/api.json): anonymous, 404 when the site is off, only what the
public pages show (published examples, public upcoming events, decisions of
approved minutes where the programme publishes them), and the JSON's shape
exactly as the README documents it."""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from governance.models import EventStatus, MinutesStatus, ProgrammeEvent
from implementation.models import GoodExample
from public.models import PublicSite
from tests.governance.factories import DecisionFactory, MeetingFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_url(tenant) -> str:
    return reverse("public:feed", args=[tenant.slug])


def api_url(tenant) -> str:
    return reverse("public:api", args=[tenant.slug])


def public_site(tenant, *, enabled=True, show_decisions=False) -> PublicSite:
    with scopes_disabled():
        return PublicSite.objects.create(
            tenant=tenant, enabled=enabled, show_decisions=show_decisions
        )


def example(world, title, *, published=True, principal=None, archived=False) -> GoodExample:
    now = timezone.now()
    with scopes_disabled():
        return GoodExample.objects.create(
            tenant=world.tenant,
            principal=principal or world.principal,
            title=title,
            description=f"Så arbetar vi: {title}.",
            published_at=now - datetime.timedelta(days=1) if published else None,
            archived_at=now if archived else None,
        )


def event(world, title, *, public=True, days=7, **fields) -> ProgrammeEvent:
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    with scopes_disabled():
        return ProgrammeEvent.objects.create(
            tenant=world.tenant,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="Regionhuset, Nyköping",
            public=public,
            **fields,
        )


def decision(world, text, *, minutes_status=MinutesStatus.APPROVED, archived=False):
    meeting = MeetingFactory(
        body__tenant=world.tenant,
        minutes_status=minutes_status,
        archived_at=timezone.now() if archived else None,
    )
    return DecisionFactory(meeting=meeting, text=text)


def entries(response) -> dict[str, ET.Element]:
    """The feed's entries by title (the feed parsed as XML: it is well-formed)."""
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    return {e.findtext(f"{ATOM}title", ""): e for e in root.iter(f"{ATOM}entry")}


def alternate(entry: ET.Element) -> str:
    # rel="alternate" is Atom's default, which feedgen leaves unsaid.
    links = [
        link for link in entry.iter(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"
    ]
    return links[0].get("href", "")


@pytest.fixture
def anonymous() -> Client:
    return Client()


# The Atom feed ------------------------------------------------------------------


def test_feed_is_atom_with_published_examples_linking_to_their_public_page(world, anonymous):
    public_site(world.tenant)
    shown = example(world, "Läxhjälp på biblioteket")
    example(world, "Utkast om rastaktiviteter", published=False)
    example(world, "Arkiverat exempel", archived=True)

    response = anonymous.get(feed_url(world.tenant))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    found = entries(response)
    assert set(found) == {"Läxhjälp på biblioteket"}
    link = alternate(found["Läxhjälp på biblioteket"])
    assert link.startswith("http") and link.endswith(
        reverse("public:example", args=[world.tenant.slug, shown.pk])
    )


def test_feed_leaves_out_examples_of_an_archived_principal(world, anonymous):
    public_site(world.tenant)
    example(world, "Från en arkiverad huvudman", principal=world.other_principal)
    with scopes_disabled():
        world.other_principal.archived_at = timezone.now()
        world.other_principal.save(update_fields=["archived_at"])

    assert entries(anonymous.get(feed_url(world.tenant))) == {}


def test_feed_has_upcoming_public_events_only(world, anonymous):
    public_site(world.tenant)
    event(world, "Webbinarium om barnkonventionen")
    event(world, "Internt planeringsmöte", public=False)
    event(world, "Inställd workshop", status=EventStatus.CANCELLED, cancelled_reason="Sjukdom")
    event(world, "Förra månadens workshop", days=-30)

    found = entries(anonymous.get(feed_url(world.tenant)))

    assert set(found) == {"Webbinarium om barnkonventionen"}
    link = alternate(found["Webbinarium om barnkonventionen"])
    assert link.endswith(reverse("public:events", args=[world.tenant.slug]))


def test_feed_has_no_decisions_when_the_site_does_not_show_them(world, anonymous):
    public_site(world.tenant, show_decisions=False)
    decision(world, "Styrgruppen beslutar att anta handlingsplanen.")

    assert entries(anonymous.get(feed_url(world.tenant))) == {}


def test_feed_has_decisions_of_approved_minutes_when_the_site_shows_them(world, anonymous):
    public_site(world.tenant, show_decisions=True)
    shown = decision(world, "Styrgruppen beslutar att anta handlingsplanen.")
    decision(world, "Beslut i ett utkast.", minutes_status=MinutesStatus.DRAFT)
    decision(world, "Beslut i färdiga, ej justerade.", minutes_status=MinutesStatus.FINISHED)
    decision(world, "Beslut vid ett arkiverat möte.", archived=True)

    found = entries(anonymous.get(feed_url(world.tenant)))

    assert list(found) == [f"{shown.reference}: Styrgruppen beslutar att anta handlingsplanen."]
    assert alternate(next(iter(found.values()))).endswith(
        reverse("public:decisions", args=[world.tenant.slug])
    )


def test_feed_is_newest_first(world, anonymous):
    public_site(world.tenant)
    older = example(world, "Äldre exempel")
    newer = example(world, "Nyare exempel")
    with scopes_disabled():
        GoodExample.objects.filter(pk=older.pk).update(
            published_at=timezone.now() - datetime.timedelta(days=20)
        )
        GoodExample.objects.filter(pk=newer.pk).update(
            published_at=timezone.now() - datetime.timedelta(days=2)
        )

    assert list(entries(anonymous.get(feed_url(world.tenant)))) == [
        "Nyare exempel",
        "Äldre exempel",
    ]


def test_feed_shows_only_its_own_programmes_content(world, other_world, anonymous):
    public_site(world.tenant)
    public_site(other_world.tenant)
    example(world, "Sörmlands exempel")
    example(other_world, "Kronobergs exempel")

    assert set(entries(anonymous.get(feed_url(world.tenant)))) == {"Sörmlands exempel"}
    assert set(entries(anonymous.get(feed_url(other_world.tenant)))) == {"Kronobergs exempel"}


@pytest.mark.parametrize("name", ["public:feed", "public:api"])
def test_feed_and_json_are_404_when_the_site_is_off(world, anonymous, name):
    public_site(world.tenant, enabled=False)
    example(world, "Läxhjälp på biblioteket")

    assert anonymous.get(reverse(name, args=[world.tenant.slug])).status_code == 404


@pytest.mark.parametrize("name", ["public:feed", "public:api"])
def test_feed_and_json_are_404_for_a_programme_without_a_site(world, anonymous, name):
    assert anonymous.get(reverse(name, args=[world.tenant.slug])).status_code == 404


def test_feed_answers_a_post_with_405(world, anonymous):
    public_site(world.tenant)
    assert anonymous.post(feed_url(world.tenant)).status_code == 405


def test_a_published_example_shows_in_the_feed_at_once(world, anonymous):
    """The feed is cached under the programme's data version: publishing is a
    write, so the next request sees the example."""
    public_site(world.tenant)
    draft = example(world, "Snart publicerat", published=False)
    assert entries(anonymous.get(feed_url(world.tenant))) == {}

    with scopes_disabled():
        draft.published_at = timezone.now()
        draft.save(update_fields=["published_at"])

    assert set(entries(anonymous.get(feed_url(world.tenant)))) == {"Snart publicerat"}


# The JSON endpoint ----------------------------------------------------------------


def test_json_has_the_documented_shape(world, anonymous, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.se"
    public_site(world.tenant)
    shown = example(world, "Läxhjälp på biblioteket")
    example(world, "Utkast om rastaktiviteter", published=False)
    webinar = event(world, "Webbinarium om barnkonventionen", online_link="https://example.se/w")
    event(world, "Internt planeringsmöte", public=False)
    slug = world.tenant.slug
    base = "https://portal.example.se"

    response = anonymous.get(api_url(world.tenant))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Access-Control-Allow-Origin" not in response
    data = json.loads(response.content)
    assert data == {
        "version": 1,
        "programme": {
            "name": world.tenant.name,
            "region": world.tenant.region,
            "introduction": world.tenant.description,
            "contact_email": None,
            "url": base + reverse("public:programme", args=[slug]),
            "feed_url": base + reverse("public:feed", args=[slug]),
        },
        "principals": [
            {
                "id": principal.pk,
                "name": principal.name,
                "url": base + reverse("public:principal", args=[slug, principal.pk]),
                "published_examples": count,
            }
            for principal, count in [(world.principal, 1), (world.other_principal, 0)]
        ],
        "examples": [
            {
                "id": shown.pk,
                "title": "Läxhjälp på biblioteket",
                "principal": {"id": world.principal.pk, "name": world.principal.name},
                "summary": "Så arbetar vi: Läxhjälp på biblioteket.",
                "url": base + reverse("public:example", args=[slug, shown.pk]),
                "published_at": timezone.localtime(shown.published_at).isoformat(),
            }
        ],
        "events": [
            {
                "id": webinar.pk,
                "title": "Webbinarium om barnkonventionen",
                "kind": "workshop",
                "starts_at": timezone.localtime(webinar.starts_at).isoformat(),
                "ends_at": timezone.localtime(webinar.ends_at).isoformat(),
                "all_day": False,
                "place": "Regionhuset, Nyköping",
                "online_link": "https://example.se/w",
                "url": base + reverse("public:events", args=[slug]),
            }
        ],
    }


def test_json_leaves_out_another_programmes_content(world, other_world, anonymous):
    public_site(world.tenant)
    public_site(other_world.tenant)
    example(other_world, "Kronobergs exempel")
    event(other_world, "Kronobergs webbinarium")

    data = json.loads(anonymous.get(api_url(world.tenant)).content)

    assert data["examples"] == [] and data["events"] == []
    assert {p["name"] for p in data["principals"]} == {
        world.principal.name,
        world.other_principal.name,
    }


def test_json_costs_the_same_queries_for_few_rows_and_many(world, anonymous):
    public_site(world.tenant)
    example(world, "Exempel 0")
    event(world, "Workshop 0")
    few = _queries(anonymous, api_url(world.tenant) + "?few")
    for i in range(1, 8):
        example(world, f"Exempel {i}", principal=world.other_principal)
        event(world, f"Workshop {i}", days=i + 1)

    assert _queries(anonymous, api_url(world.tenant) + "?many") == few


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)
