"""Reads of the notice (kallelse) and its replies, for the meeting page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q

from governance.models import (
    Meeting,
    MeetingNotice,
    MeetingNoticeRecipient,
    MeetingReply,
    MeetingStatus,
    NoticeKind,
    ReplyAnswer,
)
from governance.services.notices import facts_changed, invitees, notice_facts
from portal.models import Person, Tenant


@dataclass
class NoticeOverview:
    """The notices sent, the replies, and who has not answered yet.

    `invitees` are the members on the meeting's day; `without_email` of them
    get no notice. `changes` says what changed since the latest notice (then
    a changed notice is offered)."""

    notices: Sequence[MeetingNotice]
    replies: list[MeetingReply]
    not_answered: list[Person]
    without_email: list[Person]
    changes: list[str]
    coming: int = 0
    regrets: int = 0
    failed: list[MeetingNoticeRecipient] = field(default_factory=list)

    @property
    def sent(self) -> bool:
        return any(n.kind != NoticeKind.CANCELLATION for n in self.notices)

    @property
    def can_send(self) -> bool:
        return not self.sent or bool(self.changes)


def notice_overview(*, meeting: Meeting, called: list[Person] | None = None) -> NoticeOverview:
    """A constant number of queries, however many members and replies.
    `called`: the meeting's `invitees`, when the caller has them."""
    notices = list(
        MeetingNotice.objects.filter(meeting=meeting)
        .select_related("sent_by")
        .annotate(
            recipient_count=Count("recipients"),
            mailed_count=Count("recipients", filter=Q(recipients__mailed_at__isnull=False)),
        )
        .order_by("sent_at", "id")
    )
    replies = list(
        MeetingReply.objects.filter(meeting=meeting)
        .select_related("person", "substitute")
        .order_by("person__name", "pk")
    )
    people = invitees(meeting) if called is None else called
    answered = {r.person_id for r in replies}
    latest = next((n for n in reversed(notices) if n.kind != NoticeKind.CANCELLATION), None)
    changes = (
        facts_changed(latest.facts, notice_facts(meeting))
        if latest is not None and meeting.status == MeetingStatus.PLANNED
        else []
    )
    undelivered = any(n.mailed_count < n.recipient_count for n in notices)
    failed = (
        list(
            MeetingNoticeRecipient.objects.filter(notice__meeting=meeting, mailed_at__isnull=True)
            .exclude(error="")
            .select_related("person")
            .order_by("person__name")
        )
        if undelivered
        else []
    )
    return NoticeOverview(
        notices=notices,
        replies=replies,
        not_answered=[p for p in people if p.pk not in answered],
        without_email=[p for p in people if not p.email],
        changes=changes,
        coming=sum(1 for r in replies if r.answer == ReplyAnswer.COMING),
        regrets=sum(1 for r in replies if r.answer == ReplyAnswer.REGRETS),
        failed=failed,
    )


def own_reply(*, meeting: Meeting, person: Person | None) -> MeetingReply | None:
    if person is None:
        return None
    return (
        MeetingReply.objects.filter(meeting=meeting, person=person)
        .select_related("substitute")
        .first()
    )


def link_programme(slug: str) -> Tenant | None:
    """The active programme a notice's reply link names (the link works
    without a login, so before any tenant scope is open)."""
    return Tenant.objects.filter(slug=slug, is_active=True).first()
