"""Reads for programme events: the list, the upcoming ones (dashboard, meeting
list) and those a calendar feed carries. Events have no relations to load, so
each read is one query whatever their number."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from governance.models import EventStatus, ProgrammeEvent
from portal import dates
from portal.models import Tenant


def events(*, tenant: Tenant, include_archived: bool = False) -> QuerySet[ProgrammeEvent]:
    qs = ProgrammeEvent.objects.filter(tenant=tenant)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("starts_at", "id")


@dataclass(frozen=True)
class EventListing:
    upcoming: list[ProgrammeEvent]
    past: list[ProgrammeEvent]


def event_list(
    *, tenant: Tenant, include_archived: bool = False, now: datetime.datetime | None = None
) -> EventListing:
    """Upcoming events (soonest first; one under way counts) and past ones
    (latest first). An event without times lasts until the end of its day."""
    now = now or timezone.now()
    rows = list(events(tenant=tenant, include_archived=include_archived))
    upcoming = [e for e in rows if _ends(e) >= now]
    past = [e for e in reversed(rows) if _ends(e) < now]
    return EventListing(upcoming=upcoming, past=past)


def _ends(event: ProgrammeEvent) -> datetime.datetime:
    if event.all_day:
        return dates.shifted(event.starts_at, datetime.timedelta(days=1))
    return event.ends_at


def upcoming_events(
    *, tenant: Tenant, limit: int, now: datetime.datetime | None = None
) -> list[ProgrammeEvent]:
    """The next planned events, soonest first (for the dashboard and the
    meeting list). An event without times stays upcoming through its day. One
    query."""
    now = now or timezone.now()
    return list(
        events(tenant=tenant)
        .filter(status=EventStatus.PLANNED, ends_at__gte=now - datetime.timedelta(days=1))
        .exclude(all_day=False, ends_at__lt=now)[:limit]
    )


def feed_events(*, tenant: Tenant, since: datetime.datetime) -> QuerySet[ProgrammeEvent]:
    """A calendar feed's events: the live ones from `since` on, cancelled ones
    included (a client learns of the cancellation)."""
    return events(tenant=tenant).filter(starts_at__gte=since)
