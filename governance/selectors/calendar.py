"""Reads for the calendar: which meetings a member may see, and the feeds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from governance.models import AgendaItem, CalendarFeed, Meeting, ProgrammeEvent
from governance.selectors.events import feed_events
from governance.selectors.meetings import approved_for_readers, meeting_queryset
from governance.services.calendar import hash_token
from portal.models import Membership, Tenant, User
from portal.permissions import can
from portal.tenancy import token_membership

# A feed reaches this far back; older meetings are history, not calendar.
FEED_HISTORY = datetime.timedelta(days=365)


def calendar_meetings(*, tenant: Tenant) -> QuerySet[Meeting]:
    """The programme's live (non-archived) meetings with what an event shows:
    the body and the agenda in order (`calendar_agenda`)."""
    agenda = AgendaItem.objects.filter(archived_at__isnull=True).order_by("position", "id")
    return (
        meeting_queryset(tenant=tenant)
        .prefetch_related(None)
        .prefetch_related(Prefetch("agenda_items", queryset=agenda, to_attr="calendar_agenda"))
    )


def visible_meetings(*, tenant: Tenant, membership: Membership) -> QuerySet[Meeting]:
    """`calendar_meetings` that `membership` may see (see `may_see_meeting`)."""
    meetings = calendar_meetings(tenant=tenant)
    if can(membership, "governance.view_finished"):
        return meetings
    if can(membership, "governance.view_approved_minutes"):
        return approved_for_readers(meetings)
    return meetings.none()


def feed_meetings(
    *, tenant: Tenant, membership: Membership, now: datetime.datetime | None = None
) -> QuerySet[Meeting]:
    """A feed's events: non-archived meetings of the last 12 months and the future."""
    since = (now or timezone.now()) - FEED_HISTORY
    meetings = visible_meetings(tenant=tenant, membership=membership)
    return meetings.filter(starts_at__gte=since).order_by("starts_at", "id")


def feed_programme_events(
    *, tenant: Tenant, membership: Membership, now: datetime.datetime | None = None
) -> QuerySet[ProgrammeEvent]:
    """A feed's programme events, for every member: the live ones of the last
    12 months and the future."""
    if not can(membership, "governance.view_approved_minutes"):
        return ProgrammeEvent.objects.none()
    return feed_events(tenant=tenant, since=(now or timezone.now()) - FEED_HISTORY)


@dataclass(frozen=True)
class ActiveFeed:
    feed: CalendarFeed
    membership: Membership


def active_feed(*, tenant_slug: str, raw_token: str) -> ActiveFeed | None:
    """The live feed behind a token in the URL, with its owner's membership.

    Runs outside any tenant scope, since the request carries no login: the
    token names the programme, and must match the programme in the URL. None
    for an unknown or revoked token, another programme's token, or an owner
    whom the programme would not let in now (`portal.tenancy.token_membership`:
    membership or login no longer active, two-factor login required and not
    set up, ...).
    """
    with scopes_disabled():
        feed = (
            CalendarFeed.objects.select_related("tenant", "created_by")
            .filter(
                token=hash_token(raw_token),
                revoked_at__isnull=True,
                tenant__slug=tenant_slug,
                tenant__is_active=True,
            )
            .first()
        )
    if feed is None:
        return None
    membership = token_membership(tenant=feed.tenant, user=feed.created_by)
    if membership is None:
        return None
    return ActiveFeed(feed=feed, membership=membership)


def own_feeds(*, tenant: Tenant, user: User) -> QuerySet[CalendarFeed]:
    """A member's own feeds, newest first (revoked ones too, for the record)."""
    return CalendarFeed.objects.filter(tenant=tenant, created_by=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-id"
    )
