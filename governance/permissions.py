"""Governance's own rule, added to the portal's role matrix
(`portal.permissions`) in `GovernanceConfig.ready()`: who reads what is under
secrecy (sekretess).

`governance.read_secret` takes a meeting document, an agenda item or a
meeting: anything not secret passes; a secret one is for the process leaders
and for the members of the meeting's body (and of its joint bodies) today — a
seat (`BodyMember`) of the person the login is (`Membership.person`). Every
other reader sees "Sekretessbelagd handling", and its file is refused (403).
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from portal import permissions
from portal.models import Membership
from portal.permissions import is_process_leader

# Cached on the membership (one request's): the bodies the member sits on today.
_SEATS = "_governance_seats_today"


@rules.predicate
def is_open(membership: Membership | None, obj: Any) -> bool:
    """The object is not secret (a meeting itself is asked about its secrets)."""
    return obj is not None and getattr(obj, "is_secret", None) is False


def seats_today(membership: Membership) -> frozenset[int]:
    """The bodies the member's person sits on today (one query per membership)."""
    cached = getattr(membership, _SEATS, None)
    if cached is not None:
        return frozenset(cached)
    if membership.person_id is None:
        return frozenset()
    from governance.models import BodyMember

    today = timezone.localdate()
    seats = frozenset(
        BodyMember.objects.filter(
            tenant_id=membership.tenant_id,
            person_id=membership.person_id,
            start_date__lte=today,
        )
        .exclude(end_date__lt=today)
        .values_list("body_id", flat=True)
    )
    setattr(membership, _SEATS, seats)
    return seats


@rules.predicate
def sits_on_meeting_body(membership: Membership | None, obj: Any) -> bool:
    """The member's person sits today on the body of the object's meeting, or
    on one of its joint bodies."""
    if membership is None or not membership.is_active or membership.person_id is None:
        return False
    if obj is None:
        return False
    from governance.models import Meeting

    meeting = obj if isinstance(obj, Meeting) else getattr(obj, "meeting", None)
    if meeting is None or meeting.tenant_id != membership.tenant_id:
        return False
    seats = seats_today(membership)
    if not seats:
        return False
    if meeting.body_id in seats:
        return True
    # `.all()`: the joint bodies a page has prefetched, if it has.
    return any(body.pk in seats for body in meeting.joint_bodies.all())


RULES: dict[str, rules.Predicate] = {
    "governance.read_secret": is_open | is_process_leader | sits_on_meeting_body,
}


def register() -> None:
    for name, predicate in RULES.items():
        permissions.register(name, predicate)
