"""Justering as real bodies do it: every signatory signs the finished minutes.

The signatories are the chair of the convening body as of the meeting's day
(the body's chair seats, or an attendance line recorded as chair) and the
appointed justerare (`Meeting.adjusters`); each must be recorded present.
Each signs separately (`MinutesSignature`): who, as whom, when, how (the
password again, a TOTP code, or a login moments before — the view decides and
says which), and the exact text signed: the hash of `minutes_content` and the
meeting's version. The minutes are approved (justerade) when the last one
signs (`governance.services.minutes.minutes_approve_now`).

A signature counts only while the minutes are the text that was signed: the
content hash is the one place every change shows, whatever page or service
made it, so no edit path can be missed. Stale signatures are voided in the
database (`voided_at`, with the reason) at the next write of this module, and
never count meanwhile. Finishing again (a new round) and returning the
minutes with comments void them too.

A signatory may instead return the minutes with comments, on agenda items
or in general (`MinutesComment`): the minutes go back to draft, the
process leaders see the comments next to the items, resolve them, and finish
the minutes again. Pending signatories are e-mailed when the minutes are
finished and reminded once per round after `MINUTES_SIGNING_REMINDER_DAYS`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    AgendaItem,
    AttendanceStatus,
    Meeting,
    MinutesComment,
    MinutesSignature,
    MinutesSigningNotice,
    MinutesStatus,
    SignatoryRole,
    SignatureMethod,
    SigningNoticeKind,
    minutes_rows,
)
from governance.selectors.signing import (
    Signatory,
    SigningState,
    minutes_approval,
    signatory_people,
    signing_attendance,
    signing_state,
)
from portal import audit
from portal.models import Membership, Person, User
from portal.services import DomainError


def reauth_seconds() -> int:
    return int(getattr(settings, "MINUTES_SIGNING_REAUTH_SECONDS", 5 * 60))


def reminder_days() -> int:
    return int(getattr(settings, "MINUTES_SIGNING_REMINDER_DAYS", 3))


def ensure_adjusters_present(meeting: Meeting, adjusters: Iterable[Person] | None = None) -> None:
    """Refuse a justerare recorded absent — or, once the minutes are being
    finished, one not recorded present at all."""
    people = list(meeting.adjusters.all() if adjusters is None else adjusters)
    if not people:
        return
    status = {r.person_id: r.status for r in signing_attendance(meeting)}
    absent = [p.name for p in people if status.get(p.pk) == AttendanceStatus.ABSENT]
    if absent:
        raise DomainError(
            _("A justerare must be among those present: %(names)s recorded absent.")
            % {"names": ", ".join(absent)}
        )


def ensure_signatories_ready(meeting: Meeting) -> None:
    """Before the minutes go out for signing: every justerare is recorded present."""
    people = signatory_people(meeting)
    missing = [
        p.name for p, role, present in people if role == SignatoryRole.ADJUSTER and not present
    ]
    if missing:
        raise DomainError(
            _(
                "A justerare must be among those recorded present: %(names)s is not. "
                "Record their attendance or appoint someone else."
            )
            % {"names": ", ".join(missing)}
        )


# Writes -----------------------------------------------------------------------


def void_signatures(
    meeting: Meeting, *, actor: User | None, reason: str, keep_hash: str | None = None
) -> int:
    """Void the meeting's signatures still standing (those of another text
    than `keep_hash`, when given). Audited when any was voided."""
    rows = MinutesSignature.objects.filter(meeting=meeting, voided_at__isnull=True)
    if keep_hash is not None and meeting.finished_at is not None:
        rows = rows.exclude(content_hash=keep_hash, round_started_at=meeting.finished_at)
    voided = list(rows.select_related("person"))
    if not voided:
        return 0
    MinutesSignature.objects.filter(pk__in=[s.pk for s in voided]).update(
        voided_at=timezone.now(), void_reason=reason[:200]
    )
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="meeting.minutes.signatures.void",
        obj=meeting,
        before={"signed_by": [s.person.name for s in voided]},
        after={"reason": reason},
    )
    return len(voided)


def _signatory(
    meeting: Meeting, membership: Membership, actor: User
) -> tuple[Person, SigningState]:
    """The actor's person and the signing state, when they may sign now
    (`minutes_approval`, the rule the pages ask too); refused otherwise."""
    if membership.user_id != actor.pk or membership.tenant_id != meeting.tenant_id:
        raise PermissionDenied  # the actor's own membership in this programme decides
    approval = minutes_approval(meeting, membership)
    if not approval.role:
        raise PermissionDenied
    if (refusal := approval.refusal()) is not None:
        raise DomainError(refusal)
    assert approval.person is not None
    return approval.person, signing_state(meeting)


@transaction.atomic
def minutes_sign(
    *,
    actor: User,
    membership: Membership,
    meeting: Meeting,
    method: str,
    expected_hash: str | None = None,
) -> MinutesSignature:
    """Sign (justera) the finished minutes as one signatory. `expected_hash`
    is the text the signatory was shown: a change since is refused. When the
    last signatory signs, the minutes are approved (`minutes_approve_now`)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if method not in SignatureMethod.values or method == SignatureMethod.PAPER:
        raise DomainError(_("Unknown way of signing."))
    person, state = _signatory(meeting, membership, actor)
    if expected_hash is not None and expected_hash != state.content_hash:
        raise DomainError(
            _("The minutes were changed while you were reading them. Read them again and sign.")
        )
    me = state.for_person(person)
    assert me is not None
    return _add_signature(meeting, actor=actor, signatory=me, method=method, state=state)


def _add_signature(
    meeting: Meeting, *, actor: User, signatory: Signatory, method: str, state: SigningState
) -> MinutesSignature:
    """Record one signature of the current text (the meeting's row locked);
    the last one approves the minutes."""
    from governance.services.minutes import minutes_approve_now

    person = signatory.person
    if signatory.signed:
        raise DomainError(_("You have already signed these minutes."))
    if not signatory.present:
        raise DomainError(
            _("%(name)s is recorded absent from the meeting and cannot sign its minutes.")
            % {"name": person.name}
        )
    void_signatures(
        meeting,
        actor=actor,
        reason=_("The minutes were changed after signing."),
        keep_hash=state.content_hash,
    )
    assert meeting.finished_at is not None
    try:
        with transaction.atomic():
            signature = MinutesSignature.objects.create(
                tenant=meeting.tenant,
                meeting=meeting,
                person=person,
                user=actor,
                role=signatory.role,
                signed_at=timezone.now(),
                method=method,
                round_started_at=meeting.finished_at,
                meeting_version=meeting.version,
                content_hash=state.content_hash,
            )
    except IntegrityError as error:
        raise DomainError(_("You have already signed these minutes.")) from error
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="meeting.minutes.sign",
        obj=meeting,
        before=None,
        after={
            "person": person.name,
            "role": signatory.role,
            "method": method,
            "version": meeting.version,
            "content_hash": state.content_hash,
        },
    )
    if all(s.signed or s.person.pk == person.pk for s in state.signatories):
        minutes_approve_now(actor=actor, person=person, meeting=meeting)
    return signature


@transaction.atomic
def signature_record_paper(*, actor: User, meeting: Meeting, person: Person) -> MinutesSignature:
    """A process leader records that a signatory signed the minutes on paper
    (minutes entered afterwards, or a signatory without a login). The
    signature names the signatory and, as `user`, who recorded it."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.FINISHED:
        raise DomainError(_("Only finished minutes can be approved."))
    state = signing_state(meeting)
    signatory = state.for_person(person)
    if signatory is None:
        raise DomainError(
            _("Only the chair on the meeting's day and the appointed justerare sign the minutes.")
        )
    if signatory.signed:
        raise DomainError(_("%(name)s has already signed these minutes.") % {"name": person.name})
    return _add_signature(
        meeting, actor=actor, signatory=signatory, method=SignatureMethod.PAPER, state=state
    )


@transaction.atomic
def minutes_return(
    *,
    actor: User,
    membership: Membership,
    meeting: Meeting,
    general: str = "",
    item_comments: Mapping[int, str] | None = None,
) -> list[MinutesComment]:
    """Return the finished minutes to the note-taker with comments instead of
    signing: they go back to draft, and every signature given is void."""
    from governance.services.minutes import _transition

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    person, _state = _signatory(meeting, membership, actor)
    items = {
        i.pk: i for i in minutes_rows(AgendaItem, meeting).filter(meeting=meeting, archived_at=None)
    }
    texts: list[tuple[AgendaItem | None, str]] = []
    for item_id, text in (item_comments or {}).items():
        if item_id not in items:
            raise DomainError(_("Comment on an item of these minutes."))
        if text.strip():
            texts.append((items[item_id], text.strip()))
    if general.strip():
        texts.append((None, general.strip()))
    if not texts:
        raise DomainError(_("Write at least one comment to return the minutes."))
    now = timezone.now()
    comments = MinutesComment.objects.bulk_create(
        [
            MinutesComment(
                tenant=meeting.tenant,
                meeting=meeting,
                agenda_item=item,
                author=person,
                user=actor,
                text=text,
                created_at=now,
            )
            for item, text in texts
        ]
    )
    void_signatures(meeting, actor=actor, reason=_("The minutes were returned with comments."))
    _transition(
        meeting,
        actor=actor,
        action="meeting.minutes.return",
        minutes_status=MinutesStatus.DRAFT,
        finished_at=None,
        finished_by=None,
    )
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="meeting.minutes.comment",
        obj=meeting,
        before=None,
        after={
            "by": person.name,
            "comments": [{"item": item.title if item else "", "text": t} for item, t in texts],
        },
    )
    return comments


@transaction.atomic
def comment_resolve(*, actor: User, comment: MinutesComment) -> MinutesComment:
    """A process leader marks a signatory's comment dealt with."""
    comment = MinutesComment.objects.select_for_update().get(pk=comment.pk)
    if comment.resolved_at is not None:
        raise DomainError(_("The comment is already resolved."))
    comment.resolved_at = timezone.now()
    comment.resolved_by = actor
    comment.save(update_fields=["resolved_at", "resolved_by"])
    audit.log(
        actor=actor,
        tenant=comment.tenant,
        action="minutes_comment.resolve",
        obj=comment,
        before=None,
        after={"text": comment.text},
    )
    return comment


# E-mail -------------------------------------------------------------------------


def record_notices(
    meeting: Meeting, people: Iterable[Person], kind: str, *, now: datetime.datetime | None = None
) -> list[Person]:
    """Record that `people` are asked (once per round and kind); the people
    newly recorded, whom the caller then e-mails."""
    assert meeting.finished_at is not None
    recorded = []
    for person in people:
        try:
            with transaction.atomic():
                MinutesSigningNotice.objects.create(
                    tenant=meeting.tenant,
                    meeting=meeting,
                    person=person,
                    round_started_at=meeting.finished_at,
                    kind=kind,
                    sent_at=now or timezone.now(),
                )
        except IntegrityError:
            continue
        recorded.append(person)
    return recorded


def request_signatures(meeting: Meeting, *, base_url: str) -> None:
    """On finishing: record and (after the commit, by Celery) e-mail a request
    to every signatory."""
    people = [p for p, _role, _present in signatory_people(meeting)]
    asked = record_notices(meeting, people, SigningNoticeKind.REQUEST)
    ids = [p.pk for p in asked if p.email]
    if ids:
        from governance.tasks import mail_signatories

        transaction.on_commit(
            lambda: mail_signatories.delay(meeting.pk, ids, SigningNoticeKind.REQUEST, base_url),
            robust=True,
        )


def send_reminders(*, now: datetime.datetime | None = None, base_url: str = "") -> int:
    """Remind, once per round, the signatories who have not signed minutes
    finished `MINUTES_SIGNING_REMINDER_DAYS` ago or more. Idempotent. Runs in
    a programme's scope; returns how many were reminded."""
    from governance.tasks import mail_signatories

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=reminder_days())
    reminded = 0
    meetings = Meeting.objects.filter(
        minutes_status=MinutesStatus.FINISHED, finished_at__lte=cutoff, archived_at__isnull=True
    ).select_related("tenant", "body")
    for meeting in meetings:
        with transaction.atomic():
            pending = [s.person for s in signing_state(meeting).pending]
            asked = record_notices(meeting, pending, SigningNoticeKind.REMINDER, now=now)
            ids = [p.pk for p in asked if p.email]
            if ids:
                meeting_id = meeting.pk
                transaction.on_commit(
                    lambda m=meeting_id, i=ids: mail_signatories.delay(  # type: ignore[misc]
                        m, i, SigningNoticeKind.REMINDER, base_url
                    ),
                    robust=True,
                )
            reminded += len(asked)
    return reminded


def signature_content(signatures: Iterable[MinutesSignature]) -> list[dict[str, Any]]:
    """The signature block a version freezes and the PDF prints."""
    return [
        {
            "name": s.person.name,
            "title": s.person.title,
            "role": s.role,
            "signed_at": s.signed_at.isoformat(),
            "method": s.method,
        }
        for s in signatures
    ]
