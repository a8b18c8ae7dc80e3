"""The notice (kallelse) of a meeting and the members' replies.

The process leader sends the notice to every member of the body and of its
joint bodies on the meeting's day who has an e-mail address: one e-mail each,
sent by a Celery task after the commit (`governance.tasks.send_meeting_notice`),
with the time, place and link, the agenda with its presenters, the shared
documents, the .ics and the recipient's own reply links. What is under
secrecy is "Sekretessbelagd handling" in it (`governance.selectors.secrecy`). Sending shares the
meeting's documents (`documents_share`). A meeting changed after its notice
offers an "Ändrad kallelse" (`changes_since_notice`); cancelling a meeting
whose notice went out sends a cancellation to everyone who had it.

Each member answers "Jag kommer" or "Förhinder", optionally naming a
substitute (ersättare), through a signed link that needs no login
(`reply_token`) or on the meeting page. The answer pre-fills the attendance
of draft minutes (`apply_reply`): förhinder → absent, a substitute → the
substitute replacing the member, kommer → present. A line the process leader
set by hand is never changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BodyMember,
    Meeting,
    MeetingNotice,
    MeetingNoticeRecipient,
    MeetingReply,
    MeetingStatus,
    MinutesStatus,
    NoticeKind,
    ReplyAnswer,
)
from governance.services.meeting_documents import documents_share
from governance.services.meetings import meeting_day
from portal import audit
from portal.models import Person, User
from portal.services import DomainError, ensure_same_tenant, person_create

# Who may receive and answer ------------------------------------------------------


def invitees(meeting: Meeting) -> list[Person]:
    """The members of the meeting's body and joint bodies on its day, once
    each, by name: whom the notice is for (those with an e-mail address get it)."""
    day = meeting_day(meeting)
    # `.all()`: the joint bodies the meeting page has prefetched, if it has.
    bodies = [meeting.body_id, *(b.pk for b in meeting.joint_bodies.all())]
    seats = (
        BodyMember.objects.filter(body_id__in=bodies, start_date__lte=day)
        .exclude(end_date__lt=day)
        .filter(person__archived_at__isnull=True)
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    seen: dict[int, Person] = {}
    for seat in seats:
        seen.setdefault(seat.person_id, seat.person)
    return list(seen.values())


def may_reply(meeting: Meeting, person: Person, called: list[Person] | None = None) -> bool:
    """A member of the meeting's bodies on its day (`called`, when the caller
    has them: `invitees`), or anyone a notice of it was sent to (a member who
    has left since keeps their link)."""
    called = invitees(meeting) if called is None else called
    if any(p.pk == person.pk for p in called):
        return True
    return MeetingNoticeRecipient.objects.filter(notice__meeting=meeting, person=person).exists()


# What a notice states ---------------------------------------------------------


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True)
        .prefetch_related("presenters")
        .order_by("position", "id")
    )


def _agenda_fact(item: AgendaItem) -> list[Any]:
    """An agenda item as a notice states it: a secret one (sekretess) as
    "Sekretessbelagd handling" with its provision, without title or presenters
    (in the installation's language, so the facts compare across notices)."""
    if item.secret:
        from django.conf import settings
        from django.utils import translation

        from governance.selectors.secrecy import placeholder

        with translation.override(settings.LANGUAGE_CODE):
            return [placeholder(item.secrecy_reference), []]
    return [item.title, sorted(p.name for p in item.presenters.all())]


def notice_facts(meeting: Meeting) -> dict[str, Any]:
    """What a notice tells of the meeting, to compare with it later."""
    return {
        "starts_at": meeting.starts_at.astimezone(datetime.UTC).isoformat(),
        "ends_at": meeting.ends_at.astimezone(datetime.UTC).isoformat(),
        "all_day": meeting.all_day,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "agenda": [_agenda_fact(item) for item in _agenda(meeting)],
    }


def _fact_labels() -> dict[str, str]:
    return {
        "time": _("time"),
        "place": _("place"),
        "online_link": _("online link"),
        "agenda": _("agenda"),
    }


def facts_changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two notices' facts, as words for the page and the mail."""
    labels = _fact_labels()
    changed = []
    if any(before.get(k) != after.get(k) for k in ("starts_at", "ends_at", "all_day")):
        changed.append(labels["time"])
    for key in ("place", "online_link", "agenda"):
        if before.get(key) != after.get(key):
            changed.append(labels[key])
    return changed


def last_notice(meeting: Meeting) -> MeetingNotice | None:
    """The latest notice or changed notice sent (a cancellation is not one)."""
    return (
        MeetingNotice.objects.filter(meeting=meeting)
        .exclude(kind=NoticeKind.CANCELLATION)
        .order_by("-sent_at", "-id")
        .first()
    )


def changes_since_notice(meeting: Meeting, notice: MeetingNotice | None = None) -> list[str]:
    """What changed in the meeting since its latest notice: the time, place,
    link or agenda. Empty when no notice was sent or nothing changed."""
    notice = notice or last_notice(meeting)
    if notice is None:
        return []
    return facts_changed(notice.facts, notice_facts(meeting))


# Sending -----------------------------------------------------------------------


def _queue_mail(notice: MeetingNotice, base_url: str) -> None:
    from governance.tasks import send_meeting_notice

    notice_id = notice.pk
    transaction.on_commit(lambda: send_meeting_notice.delay(notice_id, base_url), robust=True)


def _record(
    *,
    actor: User | None,
    meeting: Meeting,
    kind: str,
    message: str,
    recipients: Iterable[tuple[Person, str]],
    changes: list[str],
) -> MeetingNotice:
    notice = MeetingNotice.objects.create(
        tenant=meeting.tenant,
        meeting=meeting,
        kind=kind,
        message=message.strip(),
        facts=notice_facts(meeting),
        sent_at=timezone.now(),
        sent_by=actor if actor is not None and actor.pk else None,
    )
    rows = [
        MeetingNoticeRecipient(tenant=meeting.tenant, notice=notice, person=person, email=email)
        for person, email in recipients
    ]
    MeetingNoticeRecipient.objects.bulk_create(rows)
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="meeting_notice.send",
        obj=notice,
        before=None,
        after={
            **(audit.snapshot(notice) or {}),
            "recipients": sorted(row.person_id for row in rows),
            "changes": changes,
        },
    )
    return notice


@transaction.atomic
def notice_send(
    *,
    actor: User | None,
    meeting: Meeting,
    message: str = "",
    base_url: str = "",
    deliver: bool = True,
) -> MeetingNotice:
    """Send the notice of a planned meeting — or, once one was sent and the
    meeting has changed, the changed notice ("Ändrad kallelse"). Shares the
    meeting's documents; the e-mails go after the commit.

    `base_url` is the scheme and host for the mails' links when
    `PORTAL_BASE_URL` is not set (services see no request). Without `deliver`
    (the demo) the notice is recorded and nobody is mailed."""
    meeting = (
        Meeting.objects.select_for_update().select_related("tenant", "body").get(pk=meeting.pk)
    )
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("The meeting is cancelled: no notice can be sent."))
    if meeting.status != MeetingStatus.PLANNED or meeting.ends_at <= timezone.now():
        raise DomainError(_("The meeting has taken place: no notice can be sent."))
    previous = last_notice(meeting)
    changes = changes_since_notice(meeting, previous)
    if previous is not None and not changes:
        raise DomainError(
            _(
                "The notice has been sent and the meeting has not changed since "
                "(time, place, link or agenda): there is nothing to send."
            )
        )
    recipients = [(p, p.email) for p in invitees(meeting) if p.email]
    if not recipients:
        raise DomainError(
            _("No member of the body has an e-mail address: add them in the directory.")
        )
    documents_share(actor=actor, meeting=meeting)
    notice = _record(
        actor=actor,
        meeting=meeting,
        kind=NoticeKind.NOTICE if previous is None else NoticeKind.CHANGED,
        message=message,
        recipients=recipients,
        changes=changes,
    )
    if deliver:
        _queue_mail(notice, base_url)
    return notice


def notice_cancellation(
    *, actor: User | None, meeting: Meeting, base_url: str = ""
) -> MeetingNotice | None:
    """After a meeting is cancelled: tell everyone who had its notice. None
    when no notice was sent, or the cancellation already was. Called by
    `meeting_cancel`, in its transaction."""
    if meeting.status != MeetingStatus.CANCELLED:
        return None
    sent = MeetingNotice.objects.filter(meeting=meeting)
    if sent.filter(kind=NoticeKind.CANCELLATION).exists() or not sent.exists():
        return None
    told: dict[int, tuple[Person, str]] = {}
    for row in (
        MeetingNoticeRecipient.objects.filter(notice__meeting=meeting)
        .select_related("person")
        .order_by("notice__sent_at", "id")
    ):
        told[row.person_id] = (row.person, row.email)  # the latest address used
    notice = _record(
        actor=actor,
        meeting=meeting,
        kind=NoticeKind.CANCELLATION,
        message=meeting.cancelled_reason,
        recipients=told.values(),
        changes=[],
    )
    _queue_mail(notice, base_url)
    return notice


# The signed reply link -------------------------------------------------------------

# Its own salt: a token signed for anything else (a password reset, another
# feature's link) is not a reply token, and this one is nothing else.
REPLY_SALT = "governance.notice.reply"


def reply_token(meeting: Meeting, person: Person) -> str:
    """The recipient's own reply link's token: which programme, meeting and
    person, signed with the installation's key. It holds no expiry: it stops
    with the meeting (`reply_target`), so a meeting moved later keeps it valid."""
    payload = {"t": meeting.tenant_id, "m": meeting.pk, "p": person.pk}
    return signing.dumps(payload, salt=REPLY_SALT, compress=True)


@dataclass(frozen=True)
class ReplyTarget:
    meeting: Meeting
    person: Person


class ReplyRefused(Exception):
    """Why a reply link does not work: `reason` is "invalid" (forged, of
    another programme, not for this meeting) or "closed" (the meeting has
    ended or is cancelled)."""

    def __init__(self, reason: str, meeting: Meeting | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.meeting = meeting


def reply_target(
    *, token: str, tenant_id: int, now: datetime.datetime | None = None
) -> ReplyTarget:
    """The meeting and person a reply link is for, in the programme `tenant_id`
    (of the URL). Raises `ReplyRefused`. Call inside that programme's scope."""
    try:
        payload = signing.loads(token, salt=REPLY_SALT)
    except signing.BadSignature:
        raise ReplyRefused("invalid") from None
    if not isinstance(payload, dict) or payload.get("t") != tenant_id:
        raise ReplyRefused("invalid")
    meeting_id, person_id = payload.get("m"), payload.get("p")
    if not isinstance(meeting_id, int) or not isinstance(person_id, int):
        raise ReplyRefused("invalid")
    meeting = (
        Meeting.objects.filter(tenant_id=tenant_id, pk=meeting_id, archived_at__isnull=True)
        .select_related("tenant", "body")
        .first()
    )
    person = Person.objects.filter(tenant_id=tenant_id, pk=person_id).first()
    if meeting is None or person is None or not may_reply(meeting, person):
        raise ReplyRefused("invalid")
    if meeting.status != MeetingStatus.PLANNED or meeting.ends_at <= (now or timezone.now()):
        raise ReplyRefused("closed", meeting)
    return ReplyTarget(meeting=meeting, person=person)


# Replies -----------------------------------------------------------------------


def _reply_snapshot(reply: MeetingReply | None) -> dict[str, Any] | None:
    return audit.snapshot(reply) if reply is not None else None


def _substitute_from(
    *, actor: User | None, meeting: Meeting, person: Person, name: str, email: str
) -> Person | None:
    """The substitute named by name and e-mail: the programme's person with
    that address, or a new person in its directory. None when neither is given."""
    name, email = name.strip(), email.strip()
    if not name and not email:
        return None
    if email:
        found = (
            Person.objects.filter(
                tenant=meeting.tenant, email__iexact=email, archived_at__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    if not name:
        raise DomainError(_("Give the substitute's name."))
    if not email:
        raise DomainError(_("Give the substitute's e-mail address, so the notice can reach them."))
    return person_create(
        actor=actor,
        tenant=meeting.tenant,
        name=name,
        email=email,
        principal=person.principal,
        organisation="" if person.principal_id else person.organisation,
    )


@transaction.atomic
def reply_set(
    *,
    actor: User | None,
    meeting: Meeting,
    person: Person,
    answer: str,
    substitute: Person | None = None,
    substitute_name: str = "",
    substitute_email: str = "",
    comment: str = "",
    via_link: bool = False,
    now: datetime.datetime | None = None,
) -> MeetingReply:
    """Record `person`'s answer to the notice; a later answer replaces the
    earlier one (each is audited). A substitute is only for "förhinder": a
    person of the directory (`substitute`), or named by name and e-mail, which
    links the programme's person with that address or adds one. The answer
    pre-fills the attendance (`apply_reply`)."""
    meeting = Meeting.objects.select_for_update().select_related("tenant").get(pk=meeting.pk)
    if answer not in ReplyAnswer.values:
        raise DomainError(_("Answer that you are coming or unable to attend."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("The meeting is cancelled."))
    if meeting.status != MeetingStatus.PLANNED or meeting.ends_at <= (now or timezone.now()):
        raise DomainError(_("The meeting has ended: it can no longer be answered."))
    ensure_same_tenant(meeting.tenant_id, [person, substitute])
    if not may_reply(meeting, person):
        raise DomainError(_("Only the members called to the meeting answer its notice."))
    if substitute is None:
        substitute = _substitute_from(
            actor=actor,
            meeting=meeting,
            person=person,
            name=substitute_name,
            email=substitute_email,
        )
    if substitute is not None and answer != ReplyAnswer.REGRETS:
        raise DomainError(_("Name a substitute only when you are unable to attend."))
    if substitute is not None and substitute.pk == person.pk:
        raise DomainError(_("You cannot be your own substitute."))
    reply = MeetingReply.objects.select_for_update().filter(meeting=meeting, person=person).first()
    before = _reply_snapshot(reply)
    previous_substitute = reply.substitute_id if reply is not None else None
    if reply is None:
        reply = MeetingReply(tenant=meeting.tenant, meeting=meeting, person=person)
    reply.answer = answer
    reply.substitute = substitute
    reply.comment = comment.strip()[:300]
    reply.answered_at = now or timezone.now()
    reply.answered_by = actor if actor is not None and actor.pk else None
    reply.via_link = via_link
    reply.full_clean()
    reply.save()
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="meeting_reply.create" if before is None else "meeting_reply.update",
        obj=reply,
        before=before,
        after=_reply_snapshot(reply),
    )
    apply_reply(actor=actor, meeting=meeting, reply=reply, previous_substitute=previous_substitute)
    return reply


# Attendance from the replies ------------------------------------------------------


def _set_by_hand(row: Attendance) -> bool:
    return not row.prefilled and not row.from_reply


def _seat_principals(meeting: Meeting, people: Iterable[int]) -> dict[int, int | None]:
    day = meeting_day(meeting)
    bodies = [meeting.body_id, *meeting.joint_bodies.values_list("pk", flat=True)]
    seats = (
        BodyMember.objects.filter(
            body_id__in=bodies, person_id__in=list(people), start_date__lte=day
        )
        .exclude(end_date__lt=day)
        .select_related("person")
    )
    return {s.person_id: s.represents_principal_id or s.person.principal_id for s in seats}


def apply_reply(
    *,
    actor: User | None,
    meeting: Meeting,
    reply: MeetingReply,
    previous_substitute: int | None = None,
) -> int:
    """Pre-fill the attendance of draft minutes from `reply`: "kommer" →
    present, "förhinder" → absent, and a named substitute → the substitute,
    recorded as replacing the member. A substitute named earlier and no
    longer is taken back (to their own answer, their seat, or off the list).

    Only lines that were pre-filled or set from replies change: what the
    process leader set by hand stays. A line missing (a roster not yet
    pre-filled) is added. Nothing changes once the minutes are finished.
    One audit event; returns how many lines changed."""
    if meeting.minutes_status != MinutesStatus.DRAFT or meeting.revising:
        return 0
    people: set[int] = {
        pk for pk in (reply.person_id, reply.substitute_id, previous_substitute) if pk is not None
    }
    rows = {
        row.person_id: row
        for row in Attendance.objects.select_for_update().filter(
            meeting=meeting, person_id__in=people
        )
    }
    seats = _seat_principals(meeting, people)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}

    def put(
        person_id: int, status: str, *, replaces: Person | None = None, principal: int | None = None
    ) -> None:
        row = rows.get(person_id)
        if row is not None and _set_by_hand(row):
            return
        if row is None:
            row = Attendance(
                tenant=meeting.tenant,
                meeting=meeting,
                person_id=person_id,
                represents_principal_id=principal or seats.get(person_id),
            )
            before[str(person_id)] = None
        else:
            before[str(person_id)] = row.status
            row.version += 1  # an open form of the line is now stale
        if principal is not None:
            row.represents_principal_id = principal
        row.status = status
        row.prefilled = False
        row.from_reply = True
        row.save()
        row.replaces.set([replaces] if replaces is not None else [])
        rows[person_id] = row
        after[str(person_id)] = status

    if previous_substitute and previous_substitute != reply.substitute_id:
        row = rows.get(previous_substitute)
        if row is not None and row.from_reply and row.status == AttendanceStatus.SUBSTITUTE:
            own = MeetingReply.objects.filter(
                meeting=meeting, person_id=previous_substitute
            ).first()
            before[str(previous_substitute)] = row.status
            if own is not None:
                put(previous_substitute, _status_of(own.answer))
            elif previous_substitute in seats:
                row.status = AttendanceStatus.PRESENT
                row.prefilled, row.from_reply = True, False
                row.version += 1
                row.save()
                row.replaces.clear()
                after[str(previous_substitute)] = row.status
            else:
                row.replaces.clear()
                row.delete()
                rows.pop(previous_substitute)
                after[str(previous_substitute)] = None

    own_row = rows.get(reply.person_id)
    named_substitute = (
        own_row is not None
        and own_row.from_reply
        and own_row.status == AttendanceStatus.SUBSTITUTE
        and reply.answer == ReplyAnswer.COMING
    )
    if not named_substitute:  # someone's substitute keeps that line over their own "kommer"
        put(reply.person_id, _status_of(reply.answer))
    if reply.substitute_id is not None:
        member = rows.get(reply.person_id)
        principal = member.represents_principal_id if member is not None else None
        put(
            reply.substitute_id,
            AttendanceStatus.SUBSTITUTE,
            replaces=reply.person,
            principal=principal or seats.get(reply.person_id),
        )
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit.log(
            actor=actor,
            tenant=meeting.tenant,
            action="meeting.attendance.update_from_reply",
            obj=meeting,
            before={"attendance": {k: before.get(k) for k in changed}},
            after={"attendance": changed},
        )
    return len(changed)


def _status_of(answer: str) -> str:
    return AttendanceStatus.PRESENT if answer == ReplyAnswer.COMING else AttendanceStatus.ABSENT


def apply_replies(*, actor: User | None, meeting: Meeting) -> int:
    """Apply every reply to the attendance (after the roster was pre-filled)."""
    total = 0
    for reply in MeetingReply.objects.filter(meeting=meeting).select_related("person"):
        total += apply_reply(actor=actor, meeting=meeting, reply=reply)
    return total


# The e-mails ------------------------------------------------------------------------


def _mail_context(notice: MeetingNotice, base_url: str) -> dict[str, Any]:
    """What every recipient's e-mail of `notice` shares: the meeting, its
    agenda with presenters and its shared documents, as absolute links."""
    from django.urls import reverse

    from governance.models import MeetingDocument

    meeting = notice.meeting
    slug = meeting.tenant.slug
    documents = (
        MeetingDocument.objects.filter(
            meeting=meeting, archived_at__isnull=True, shared_at__isnull=False
        )
        .select_related("agenda_item")
        .order_by("agenda_item__position", "created_at", "id")
    )
    from governance.selectors.secrecy import placeholder

    def item_title(d: MeetingDocument) -> str:
        item = d.agenda_item if d.agenda_item_id else None
        if item is None:
            return ""
        return placeholder(item.secrecy_reference) if item.secret else item.title

    return {
        "notice": notice,
        "meeting": meeting,
        "agenda": _agenda(meeting),
        # A secret document (sekretess) is "Sekretessbelagd handling", with no
        # title or link: the e-mail leaves the portal.
        "documents": [
            {
                "title": placeholder(d.secrecy_provision) if d.is_secret else d.title,
                "item": item_title(d),
                "url": ""
                if d.is_secret
                else base_url + reverse("governance:document_download", args=[slug, d.pk]),
            }
            for d in documents
        ],
        "meeting_url": base_url + reverse("governance:meeting_detail", args=[slug, meeting.pk]),
        "changes": facts_changed(_previous_facts(notice), notice.facts)
        if notice.kind == NoticeKind.CHANGED
        else [],
    }


def _previous_facts(notice: MeetingNotice) -> dict[str, Any]:
    earlier = (
        MeetingNotice.objects.filter(meeting_id=notice.meeting_id, sent_at__lte=notice.sent_at)
        .exclude(pk=notice.pk)
        .exclude(kind=NoticeKind.CANCELLATION)
        .order_by("-sent_at", "-id")
        .first()
    )
    return earlier.facts if earlier is not None else {}


def notice_email(
    notice: MeetingNotice,
    recipient: MeetingNoticeRecipient,
    *,
    base_url: str,
    shared: dict[str, Any],
) -> Any:
    """One recipient's e-mail: the shared context, their own reply links, and
    the meeting as an .ics attachment."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.urls import reverse

    from governance import ics

    meeting = notice.meeting
    context = dict(shared)
    if notice.kind != NoticeKind.CANCELLATION:
        reply_url = base_url + reverse(
            "governance:reply_link",
            args=[meeting.tenant.slug, reply_token(meeting, recipient.person)],
        )
        context["reply_urls"] = {
            "coming": f"{reply_url}?svar={ReplyAnswer.COMING}",
            "regrets": f"{reply_url}?svar={ReplyAnswer.REGRETS}",
        }
    context["person"] = recipient.person
    subject = render_to_string("governance/email/notice_subject.txt", context).strip()
    body = render_to_string("governance/email/notice.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    calendar = ics.meeting_calendar(meeting, url_for=lambda m: shared["meeting_url"])
    message.attach("kallelse.ics", calendar, "text/calendar")
    return message


def notice_deliver(*, notice: MeetingNotice, base_url: str) -> int:
    """Mail the notice to each of its recipients not mailed yet (so a retry
    sends no copies), recording each delivery, or the error where the process
    leader sees it. Returns how many were mailed. In the programme's scope."""
    from django.conf import settings
    from django.utils import translation

    base_url = (settings.PORTAL_BASE_URL or base_url).rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        shared = _mail_context(notice, base_url)
        sent = 0
        for recipient in (
            MeetingNoticeRecipient.objects.filter(notice=notice, mailed_at__isnull=True)
            .select_related("person")
            .order_by("pk")
        ):
            message = notice_email(notice, recipient, base_url=base_url, shared=shared)
            try:
                message.send()
            except Exception as error:  # recorded, and raised for the task to retry
                MeetingNoticeRecipient.objects.filter(pk=recipient.pk).update(
                    error=f"{type(error).__name__}: {error}"[:300]
                )
                raise
            MeetingNoticeRecipient.objects.filter(pk=recipient.pk).update(
                mailed_at=timezone.now(), error=""
            )
            sent += 1
    return sent
