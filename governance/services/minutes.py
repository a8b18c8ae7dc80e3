"""The minutes lifecycle: draft → finished → approved (locked), and revisions.

Drafts are for process leaders only. Finishing timestamps the minutes (they
may become a public document) and sends them for signing: every signatory —
the chair on the day and the appointed justerare — signs separately
(`governance.services.signing`), and the last signature approves them.
Approval freezes a `MinutesVersion` with the signatures; a later change
starts a revision with a reason, which is finished and signed again as the
next version.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    MinutesSignature,
    MinutesStatus,
    MinutesVersion,
    ReportStatus,
    SignatureMethod,
    StatusReport,
    minutes_rows,
)
from governance.selectors.meeting_documents import agenda_choices, documents_content
from governance.selectors.meetings import chairs_on_the_day, roster_key
from governance.selectors.report_back import answer_prefetch, attach_answers
from governance.selectors.reports import presented_report_prefetch, report_content
from governance.selectors.signing import open_comments
from governance.services import signing
from governance.services.meeting_documents import documents_share
from governance.services.revisions import revision_merge, revision_open
from portal import audit
from portal.models import Membership, Person, User
from portal.services import DomainError


def _transition(meeting: Meeting, *, actor: User | None, action: str, **fields: Any) -> Meeting:
    before = audit.snapshot(meeting)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.version += 1
    meeting.save(update_fields=[*fields, "version"])
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action=action,
        obj=meeting,
        before=before,
        after=audit.snapshot(meeting),
    )
    return meeting


@transaction.atomic
def minutes_finish(*, actor: User | None, meeting: Meeting, notify_base_url: str = "") -> Meeting:
    """Mark the minutes finished: readable by the steering group, and sent for approval."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise DomainError(_("Only draft minutes can be finished."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("A cancelled meeting has no minutes to finish."))
    if open_comments(meeting):
        raise DomainError(
            _("Resolve the signatories' comments before sending the minutes for signing again.")
        )
    signing.ensure_signatories_ready(meeting)
    fields: dict[str, Any] = {
        "minutes_status": MinutesStatus.FINISHED,
        "finished_at": timezone.now(),
        "finished_by": actor,
    }
    if meeting.status == MeetingStatus.PLANNED:
        fields["status"] = MeetingStatus.HELD
    _transition(meeting, actor=actor, action="meeting.minutes.finish", **fields)
    # The minutes list the meeting's documents: their readers may have them.
    documents_share(actor=actor, meeting=meeting)
    # A new round: the signatures of an earlier one (before a return) are void.
    signing.void_signatures(
        meeting, actor=actor, reason=_("The minutes were sent for signing again.")
    )
    # Robust (on commit): the minutes are finished once committed; a mail
    # server that is down must not turn the committed finish into an error.
    signing.request_signatures(meeting, base_url=notify_base_url)
    return meeting


def minutes_approve(
    *,
    actor: User,
    membership: Membership,
    meeting: Meeting,
    method: str = SignatureMethod.RECENT_LOGIN,
) -> MinutesVersion | None:
    """Sign (justera) finished minutes as one signatory (`signing.minutes_sign`;
    asking for the password again is the view's job, which says how in
    `method`). The new version when this was the last signature, else None."""
    signing.minutes_sign(actor=actor, membership=membership, meeting=meeting, method=method)
    if Meeting.objects.filter(pk=meeting.pk, minutes_status=MinutesStatus.APPROVED).exists():
        return meeting.versions.order_by("-number").first()
    return None


def minutes_approve_now(*, actor: User, person: Person, meeting: Meeting) -> MinutesVersion:
    """Every signatory has signed: the minutes are frozen as the next version,
    with the signatures, and locked. Called by `signing.minutes_sign` inside
    its transaction, with the meeting's row locked."""
    assert meeting.finished_at is not None
    signatures = list(
        MinutesSignature.objects.filter(
            meeting=meeting, voided_at__isnull=True, round_started_at=meeting.finished_at
        )
        .select_related("person")
        .order_by("signed_at", "id")
    )
    now = timezone.now()
    if meeting.revising:
        merged = revision_merge(meeting)
        audit.log(
            actor=actor,
            tenant=meeting.tenant,
            action="meeting.minutes.revision.merge",
            obj=meeting,
            before=None,
            after=merged,
        )
    _transition(
        meeting,
        actor=actor,
        action="meeting.minutes.approve",
        minutes_status=MinutesStatus.APPROVED,
        approved_at=now,
        approved_by=actor,
        approved_by_person=person,
        revising=False,
    )
    number = (
        meeting.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    content = minutes_content(meeting)
    content["signatures"] = signing.signature_content(signatures)
    return MinutesVersion.objects.create(
        tenant=meeting.tenant,
        meeting=meeting,
        number=number,
        reason=meeting.revision_reason,
        content=content,
        approved_by=actor,
        approved_by_person=person,
        approved_at=now,
    )


def minutes_record_approved_in_original(
    *, actor: User | None, meeting: Meeting, reason: str
) -> MinutesVersion:
    """Minutes entered from a record approved (justerad) on paper, as old
    minutes imported from a file are: approved and locked at once as
    version 1, with no signatures in the portal, and marked "justerade i
    original". `reason` says where they came from. Call inside the
    transaction that entered them."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.DRAFT or meeting.versions.exists():
        raise DomainError(_("Only minutes never approved can be recorded as approved."))
    now = timezone.now()
    _transition(
        meeting,
        actor=actor,
        action="meeting.minutes.approve_in_original",
        status=MeetingStatus.HELD,
        minutes_status=MinutesStatus.APPROVED,
        approved_in_original=True,
        finished_at=now,
        finished_by=actor,
        approved_at=now,
        approved_by=actor,
    )
    documents_share(actor=actor, meeting=meeting)
    return MinutesVersion.objects.create(
        tenant=meeting.tenant,
        meeting=meeting,
        number=1,
        reason=reason,
        content=minutes_content(meeting),
        approved_by=actor,
        approved_at=now,
    )


@transaction.atomic
def minutes_revise(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Reopen approved minutes for a change. The change is made in draft copies
    of the minutes' rows (`governance.services.revisions`): until it is
    approved, everyone but the editors keeps reading the approved minutes."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.APPROVED:
        raise DomainError(_("Only approved minutes are revised; edit drafts directly."))
    if not reason.strip():
        raise DomainError(_("Give the reason for changing approved minutes."))
    revision_open(meeting)
    return _transition(
        meeting,
        actor=actor,
        action="meeting.minutes.revise",
        minutes_status=MinutesStatus.DRAFT,
        revising=True,
        revision_reason=reason.strip(),
        finished_at=None,
        finished_by=None,
        approved_at=None,
        approved_by=None,
        approved_by_person=None,
    )


def minutes_content(meeting: Meeting) -> dict[str, Any]:
    """The minutes as data: what a version freezes and the PDF renders. While
    approved minutes are revised, the revision's drafts."""
    meeting = meeting.with_revision_facts()
    actions = (
        minutes_rows(ActionItem, meeting)
        .filter(archived_at__isnull=True)
        .select_related("owner_principal", "owner_body", "decision__body")
    )
    follow_ups = ActionItem.objects.filter(archived_at__isnull=True).prefetch_related(
        "owner_people", answer_prefetch()
    )
    items = list(
        minutes_rows(AgendaItem, meeting)
        .filter(meeting=meeting, archived_at__isnull=True)
        .prefetch_related(
            "presenters",
            Prefetch("action_items", queryset=actions.prefetch_related("owner_people")),
            Prefetch("follow_up_actions", queryset=follow_ups.order_by("created_at", "id")),
        )
        .order_by("position", "id")
    )
    # Each assignment followed up with the principals' answers, and those not given.
    attach_answers(
        [a for i in items for a in i.follow_up_actions.all()], tenant_id=meeting.tenant_id
    )
    # Grouped by status; in each group the chair first, then the note-taker.
    order = roster_key(chairs_on_the_day(meeting), meeting.note_taker_id)
    attendance = sorted(
        minutes_rows(Attendance, meeting)
        .filter(meeting=meeting)
        .select_related("person", "person__principal", "represents_principal", "represents_body")
        .prefetch_related("replaces"),
        key=lambda row: (row.status, *order(row)),
    )
    # Status reports presented under the items, in full (finished ones: a
    # draft is not the steering group's to read). Those of a revision's draft
    # item are presented under its approved row.
    presented: dict[int, list[dict[str, Any]]] = {}
    reports = StatusReport.objects.filter(
        presented_at__meeting=meeting.pk,
        status=ReportStatus.FINISHED,
        archived_at__isnull=True,
    ).prefetch_related(*presented_report_prefetch())
    for report in reports.order_by("period", "id"):
        assert report.presented_at_id is not None
        presented.setdefault(report.presented_at_id, []).append(report_content(report))
    decisions = (
        minutes_rows(Decision, meeting)
        .filter(meeting=meeting)
        .select_related("body")
        .order_by("body__code", "year", "number")
    )
    return {
        "meeting": {
            "title": meeting.display_title,
            "body": meeting.body.name,
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "all_day": meeting.all_day,
            "place": meeting.place,
            "record_type": meeting.record_type,
            "note_taker": meeting.note_taker.name if meeting.note_taker else "",
        },
        "attendance": [
            {
                "name": a.person.name,
                "title": a.person.title,
                "status": a.status,
                "represents": a.represents_principal.name
                if a.represents_principal
                else a.person.affiliation,
                "replaces": [r.name for r in a.replaces.all()],
                "note": a.role_note,
                # The network or group the person spoke for ("rep. …").
                "represents_body": a.represents_body.name if a.represents_body else "",
            }
            for a in attendance
        ],
        "agenda": [
            {
                "id": i.pk,
                "position": i.position,
                "title": i.title,
                "kind": i.kind,
                "presenters": [p.name for p in i.presenters.all()],
                "minutes": i.minutes,
                "actions": [_action_content(a) for a in i.action_items.all()],
                "follow_up": [_follow_up_content(a) for a in i.follow_up_actions.all()],
                "reports": presented.get(i.draft_of_id or i.pk, []),
            }
            for i in items
        ],
        "decisions": [
            {"reference": d.reference, "text": d.text, "agenda_item_id": d.agenda_item_id}
            for d in decisions
        ],
        # The attachments (bilagor), and the images shown under their items.
        "documents": documents_content(meeting, agenda_choices(meeting=meeting)),
    }


def _follow_up_content(action: ActionItem) -> dict[str, Any]:
    """An assignment followed up: its status, and the principals' answers
    (and who has not answered) as they stand when the minutes are taken."""
    overview = action.report_back  # type: ignore[attr-defined]  # attach_answers
    return {
        "description": action.description,
        "status": action.status,
        "answers": [
            {
                "principal": answer.principal.name,
                "text": answer.text,
                "done": answer.done,
                "answered_at": answer.answered_at.isoformat(),
            }
            for answer in overview.answers
        ],
        "not_answered": [p.name for p in overview.not_answered],
    }


def _action_content(action: ActionItem) -> dict[str, Any]:
    owners = [p.name for p in action.owner_people.all()]
    if action.owner_principal:
        owners.append(action.owner_principal.name)
    if action.owner_body:
        owners.append(action.owner_body.name)
    return {
        "description": action.description,
        "owners": owners,
        "owner_all": action.owner_all,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "due_next_meeting": action.due_next_meeting,
        "status": action.status,
        "decision": action.decision.reference if action.decision else None,
    }
