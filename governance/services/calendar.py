"""Personal calendar feeds: a secret URL per member that calendar clients poll.

Calendar clients cannot log in, so the URL itself is the credential. Only the
SHA-256 of the token is stored (in `CalendarFeed.token`): a database or audit
log leak does not reveal a usable feed URL. The raw token is returned once, by
`feed_create`, for the page to show; it is never written anywhere.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import CalendarFeed
from portal import audit
from portal.models import Membership, Tenant, User
from portal.services import DomainError

# Enough for a few devices; a runaway loop of "create" is refused.
MAX_ACTIVE_FEEDS_PER_MEMBER = 10

# Never audited: even the hash stays out of the log, it is the feed's key.
_NOT_AUDITED = ("token",)


def hash_token(raw_token: str) -> str:
    """The stored form of a feed token (hex SHA-256, 64 characters)."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
def feed_create(*, actor: User, tenant: Tenant) -> tuple[CalendarFeed, str]:
    """Create a personal feed for `actor` in `tenant` and return it with its raw token.

    The feed shows what the creator's role may see, for as long as their
    membership stays active."""
    if not Membership.objects.filter(tenant=tenant, user=actor, is_active=True).exists():
        raise DomainError(_("Only members of the programme can create a calendar feed."))
    active = CalendarFeed.objects.filter(tenant=tenant, created_by=actor, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_FEEDS_PER_MEMBER:
        raise DomainError(
            _("You already have %(count)d active calendar feeds. Revoke one you no longer use.")
            % {"count": MAX_ACTIVE_FEEDS_PER_MEMBER}
        )
    raw_token = secrets.token_urlsafe(32)
    feed = CalendarFeed(tenant=tenant, token=hash_token(raw_token), created_by=actor)
    feed.full_clean()
    feed.save()
    audit.log(
        actor=actor,
        tenant=tenant,
        action="calendar_feed.create",
        obj=feed,
        after=audit.snapshot(feed, exclude=_NOT_AUDITED),
    )
    return feed, raw_token


@transaction.atomic
def feed_revoke(*, actor: User, feed: CalendarFeed) -> CalendarFeed:
    """Stop a feed for good: its URL answers 404 from now on."""
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    if feed.created_by_id != actor.pk:
        raise DomainError(_("Only the person who created a calendar feed can revoke it."))
    if feed.revoked_at is not None:
        raise DomainError(_("The calendar feed is already revoked."))
    before = audit.snapshot(feed, exclude=_NOT_AUDITED)
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit.log(
        actor=actor,
        tenant=feed.tenant,
        action="calendar_feed.revoke",
        obj=feed,
        before=before,
        after=audit.snapshot(feed, exclude=_NOT_AUDITED),
    )
    return feed
