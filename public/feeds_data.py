"""The reads of the public site's feeds and posters: the Atom feed, the JSON
endpoint (public/views/feeds.py) and the posters (public/posters.py).

They apply the public site's rules (public/selectors.py), and no others:

- good examples with `published_at` set, not archived, of a principal that is
  not archived;
- principals that are not archived;
- events marked `public`, not archived or cancelled, and not yet over;
- decisions only where the site shows them (`show_decisions`), of meetings
  that are not archived and whose minutes are approved (justerade), by the
  decision register's own rule (`governance.selectors.decisions`), and never
  a revision's draft row.

Each function is one query, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from governance.models import Decision, EventStatus, MinutesStatus, ProgrammeEvent
from governance.selectors.decisions import readable_minutes
from implementation.models import GoodExample
from portal.models import Principal, Tenant
from public.models import PublicSite

# How many of each the feed and the JSON endpoint carry.
FEED_LIMIT = 30
# The address posters point to when PORTAL_BASE_URL is not set (the
# embedded run); set PORTAL_BASE_URL in production.
FALLBACK_BASE_URL = "http://localhost:8000"


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` on the portal's public address: PORTAL_BASE_URL when set, else
    the address the request came to, else the embedded run's. Posters are
    rendered by a task, with no request: their QR codes need the setting."""
    base = str(getattr(settings, "PORTAL_BASE_URL", "") or "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return FALLBACK_BASE_URL + path


def published_examples(tenant: Tenant) -> QuerySet[GoodExample]:
    """The programme's published good examples, newest first."""
    return (
        GoodExample.objects.filter(
            tenant=tenant,
            published_at__isnull=False,
            archived_at__isnull=True,
            principal__archived_at__isnull=True,
        )
        .select_related("principal")
        .order_by("-published_at", "-pk")
    )


def is_public_example(example: GoodExample) -> bool:
    """Whether the example shows on the public site (its principal loaded)."""
    return (
        example.published_at is not None
        and example.archived_at is None
        and example.principal.archived_at is None
    )


@dataclass(frozen=True)
class PublicPrincipal:
    """A principal as the JSON endpoint lists it."""

    id: int
    name: str
    published_examples: int


def public_principals(tenant: Tenant) -> list[PublicPrincipal]:
    """The programme's principals that are not archived, by name, each with
    how many of its good examples are public."""
    published = Q(
        good_examples__published_at__isnull=False,
        good_examples__archived_at__isnull=True,
    )
    rows = (
        Principal.objects.filter(tenant=tenant, archived_at__isnull=True)
        .annotate(published_examples=Count("good_examples", filter=published))
        .order_by("name", "pk")
        .values_list("pk", "name", "published_examples")
    )
    return [PublicPrincipal(pk, name, count) for pk, name, count in rows]


def upcoming_events(tenant: Tenant) -> QuerySet[ProgrammeEvent]:
    """The programme's public events that are not over, soonest first."""
    return (
        ProgrammeEvent.objects.filter(
            tenant=tenant, public=True, archived_at__isnull=True, ends_at__gte=timezone.now()
        )
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )


def public_decisions(site: PublicSite) -> QuerySet[Decision]:
    """The decisions the public site shows, newest first: none unless the
    programme publishes its register (`show_decisions`)."""
    if not site.show_decisions:
        return Decision.objects.none()
    return (
        Decision.objects.filter(tenant=site.tenant)
        .filter(readable_minutes("meeting", (MinutesStatus.APPROVED,)))
        .select_related("body")
        .order_by("-decided_on", "body__code", "-number", "-pk")
    )


def site_is_on(tenant: Tenant) -> bool:
    """Whether the programme's public site is switched on (one query)."""
    return PublicSite.objects.filter(tenant=tenant, enabled=True).exists()
