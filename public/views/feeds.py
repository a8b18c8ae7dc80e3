"""The public site's feeds (issue 15, item 3): an Atom feed of what is new,
for feed readers, and a JSON document for the region's own website to
include server-side (documented in the README, "The public site's JSON").

Both are anonymous and 404 when the site is off (`public_view`), show what
the public pages show and nothing else (public/feeds_data.py), and are cached
under the programme's data version like the pages, with a short public
`Cache-Control` for the caches in between.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from feedgen.feed import FeedGenerator

from governance.models import Decision, ProgrammeEvent
from implementation.models import GoodExample
from public import feeds_data
from public.site import PublicRequest, public_view

# Seconds a browser or a proxy may keep the feed or the JSON.
MAX_AGE = 300
# The version of the JSON's shape: raised when a field changes or goes, not
# when one is added.
JSON_VERSION = 1
SUMMARY_CHARS = 280


def _absolute(request: PublicRequest, name: str, *args: Any) -> str:
    return feeds_data.absolute_url(reverse(name, args=[request.tenant.slug, *args]), request)


def _summary(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(SUMMARY_CHARS)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# The Atom feed ------------------------------------------------------------------


def _example_entry(request: PublicRequest, example: GoodExample) -> dict[str, Any]:
    assert example.published_at is not None
    url = _absolute(request, "public:example", example.pk)
    return {
        "id": url,
        "title": example.title,
        "url": url,
        "updated": example.published_at,
        "summary": _summary(example.description),
        "category": _("Good example"),
        "author": example.principal.name,
    }


def _event_entry(request: PublicRequest, event: ProgrammeEvent) -> dict[str, Any]:
    url = _absolute(request, "public:events")
    when = timezone.localtime(event.starts_at)
    heading = f"{when:%Y-%m-%d}" if event.all_day else f"{when:%Y-%m-%d %H:%M}"
    details = [heading, event.place, _summary(event.description)]
    return {
        "id": f"{url}#event-{event.pk}",
        "title": event.title,
        "url": url,
        "updated": event.created_at,
        "summary": " · ".join(d for d in details if d),
        "category": _("Event"),
        "author": "",
    }


def _decision_entry(request: PublicRequest, decision: Decision) -> dict[str, Any]:
    url = _absolute(request, "public:decisions")
    return {
        "id": f"{url}#decision-{decision.pk}",
        "title": f"{decision.reference}: {Truncator(decision.text).chars(80)}",
        "url": url,
        "updated": _day_start(decision.decided_on),
        "summary": decision.text,
        "category": _("Decision"),
        "author": decision.body.name,
    }


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
@public_view
def atom_feed(request: PublicRequest) -> HttpResponse:
    """What is new on the public site, newest first: published good
    examples, upcoming public events and (where the programme publishes
    them) decisions, each linking to its public page."""
    site, tenant = request.site, request.tenant
    limit = feeds_data.FEED_LIMIT
    entries = [
        *(_example_entry(request, e) for e in feeds_data.published_examples(tenant)[:limit]),
        *(_event_entry(request, e) for e in feeds_data.upcoming_events(tenant)[:limit]),
        *(_decision_entry(request, d) for d in feeds_data.public_decisions(site)[:limit]),
    ]
    entries.sort(key=lambda entry: (entry["updated"], entry["id"]), reverse=True)

    feed = FeedGenerator()
    home = _absolute(request, "public:programme")
    feed.id(home)
    feed.title(tenant.name)
    feed.subtitle(
        _("New good examples, events and decisions of %(programme)s") % {"programme": tenant.name}
    )
    feed.author(name=tenant.name)
    feed.link(href=home, rel="alternate", type="text/html")
    feed.link(href=_absolute(request, "public:feed"), rel="self", type="application/atom+xml")
    feed.language("sv")
    feed.generator("Samverkansportalen")
    feed.updated(entries[0]["updated"] if entries else tenant.created_at or timezone.now())
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(item["id"])
        entry.title(item["title"])
        entry.link(href=item["url"], rel="alternate", type="text/html")
        entry.updated(item["updated"])
        entry.published(item["updated"])
        entry.summary(item["summary"] or item["title"])
        entry.category(term=str(item["category"]))
        if item["author"]:
            entry.author(name=item["author"])
    return HttpResponse(
        feed.atom_str(pretty=True), content_type="application/atom+xml; charset=utf-8"
    )


# The JSON endpoint -----------------------------------------------------------------


def _iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None


def site_json(request: PublicRequest) -> dict[str, Any]:
    """The document `api.json` answers with: its shape is documented in the
    README ("The public site's JSON"); keep the two in step."""
    site, tenant = request.site, request.tenant
    limit = feeds_data.FEED_LIMIT
    return {
        "version": JSON_VERSION,
        "programme": {
            "name": tenant.name,
            "region": tenant.region,
            "introduction": site.introduction or tenant.description,
            "contact_email": site.contact_email or None,
            "url": _absolute(request, "public:programme"),
            "feed_url": _absolute(request, "public:feed"),
        },
        "principals": [
            {
                "id": principal.id,
                "name": principal.name,
                "url": _absolute(request, "public:principal", principal.id),
                "published_examples": principal.published_examples,
            }
            for principal in feeds_data.public_principals(tenant)
        ],
        "examples": [
            {
                "id": example.pk,
                "title": example.title,
                "principal": {"id": example.principal_id, "name": example.principal.name},
                "summary": _summary(example.description),
                "url": _absolute(request, "public:example", example.pk),
                "published_at": _iso(example.published_at),
            }
            for example in feeds_data.published_examples(tenant)[:limit]
        ],
        "events": [
            {
                "id": event.pk,
                "title": event.title,
                "kind": event.kind,
                "starts_at": _iso(event.starts_at),
                "ends_at": _iso(event.ends_at),
                "all_day": event.all_day,
                "place": event.place or None,
                "online_link": event.online_link or None,
                "url": _absolute(request, "public:events"),
            }
            for event in feeds_data.upcoming_events(tenant)[:limit]
        ],
    }


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
@public_view
def api_json(request: PublicRequest) -> HttpResponse:
    """The programme's public content as JSON, for the region's own website
    to include server-side (no CORS: it is not for browsers' scripts)."""
    return JsonResponse(site_json(request), json_dumps_params={"ensure_ascii": False})


urlpatterns: list[URLPattern] = [
    path("flode.atom", atom_feed, name="feed"),
    path("api.json", api_json, name="api"),
]
