"""Meetings, their agenda and attendance."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    ActionStatusChange,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    RevisionDraftable,
    minutes_rows,
)
from governance.services import LockedError
from governance.services.actions import action_create, action_set_status, status_as_of
from portal import audit
from portal.models import Person, Principal, User
from portal.services import (
    DomainError,
    claim_version,
    create_audited,
    ensure_same_tenant,
    person_create,
    update_audited,
)


def ensure_editable(meeting: Meeting) -> None:
    """Approved minutes are locked: changes go through a revision.

    The status is re-read from the database — under a row lock when called in
    a transaction, as the editing services are — so a page loaded before the
    approval cannot write into the approved minutes, and an approval cannot
    slip in while a change is being saved."""
    fresh = Meeting.objects.filter(pk=meeting.pk)
    if transaction.get_connection().in_atomic_block:
        fresh = fresh.select_for_update()
    current = fresh.values_list("minutes_status", "revising").first()
    if current is not None:
        meeting.minutes_status, meeting.revising = current
    if meeting.is_locked:
        raise LockedError(
            _(
                "The minutes are approved and locked. Start a revision, with a reason, "
                "to change them."
            )
        )


def ensure_row_editable(row: RevisionDraftable, meeting: Meeting) -> None:
    """`ensure_editable`, and: while approved minutes are revised, only the
    revision's drafts change; the approved rows stay as they were approved
    until the revision is (see `governance.services.revisions`)."""
    ensure_editable(meeting)
    if row.revision_draft != meeting.revising:
        raise LockedError(
            _(
                "The minutes are being revised. Make the change in the revision, "
                "on the meeting's page."
            )
        )


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    body: Body,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    kind: str = "ordinarie",
    title: str = "",
    place: str = "",
    online_link: str = "",
    record_type: str = "minnesanteckningar",
    joint_bodies: Iterable[Body] = (),
    note_taker: Person | None = None,
    agenda: Iterable[tuple[str, str]] = (),
    adjusters: Iterable[Person] = (),
    all_day: bool = False,
    from_record: bool = False,
) -> Meeting:
    """Plan a meeting — or enter one held earlier. Its attendance is pre-filled
    from the body's members on the day, and the body's assignments that were
    open at the meeting are carried into a follow-up item — except for a
    meeting entered `from_record` (imported old minutes), which has what its
    record says and nothing more.

    A meeting `all_day` has a date and no times: it runs from the local
    midnight of `starts_at`'s day to the end of that day.
    """
    joint = [b for b in joint_bodies if b.pk != body.pk]
    adjusters = list(adjusters)
    ensure_same_tenant(body.tenant_id, [*joint, *adjusters, note_taker])
    if all_day:
        starts_at, ends_at = day_bounds(timezone.localdate(starts_at))
    meeting = create_audited(
        Meeting(
            tenant=body.tenant,
            body=body,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            all_day=all_day,
            place=place,
            online_link=online_link,
            record_type=record_type,
            note_taker=note_taker,
        ),
        actor=actor,
        tenant=body.tenant,
    )
    meeting.joint_bodies.set(joint)
    if adjusters:
        meeting.adjusters.set(adjusters)
    if not from_record:
        _prefill_attendance(meeting, [body, *joint])
    for title_, kind_ in agenda:
        agenda_item_add(actor=actor, meeting=meeting, title=title_, kind=kind_)
    if not from_record:
        _carry_open_actions(actor=actor, meeting=meeting)
    return meeting


def meeting_day(meeting: Meeting) -> datetime.date:
    """The meeting's date in the programme's (Swedish) time, whatever the
    timezone of `starts_at` (from the database it is UTC)."""
    return timezone.localdate(meeting.starts_at)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """A meeting without times on `day`: from the local midnight to the last
    minute of the day."""
    zone = timezone.get_current_timezone()
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), zone)
    ends = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)), zone)
    return starts, ends


def _prefill_attendance(meeting: Meeting, bodies: list[Body]) -> None:
    day = meeting_day(meeting)
    seats = (
        BodyMember.objects.filter(body__in=bodies, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("person")
        .order_by("person__name")
    )
    # A line already there (added by a reply to the notice, or by hand) stays.
    existing = set(Attendance.all_rows.filter(meeting=meeting).values_list("person_id", flat=True))
    seen: dict[int, Attendance] = {}
    rows = []
    for seat in seats:
        if seat.person_id in existing:
            continue
        if seat.person_id in seen:
            # Seated in two of the bodies: a seat that represents a network
            # says more about the line than one that does not.
            row = seen[seat.person_id]
            if row.represents_body_id is None and seat.represents_body_id:
                row.represents_body_id = seat.represents_body_id
            continue
        rows.append(
            Attendance(
                tenant=meeting.tenant,
                meeting=meeting,
                person=seat.person,
                status=AttendanceStatus.PRESENT,
                represents_principal_id=seat.represents_principal_id or seat.person.principal_id,
                # The seat's "rep. Skolchefsnätverket" carries over to the line.
                represents_body_id=seat.represents_body_id,
                role_note=seat.get_role_display() if seat.role != "ledamot" else "",
                prefilled=True,
            )
        )
        seen[seat.person_id] = rows[-1]
    Attendance.objects.bulk_create(rows)
    if rows:
        from governance.services.notices import apply_replies

        apply_replies(actor=None, meeting=meeting)


def _carry_open_actions(*, actor: User | None, meeting: Meeting) -> AgendaItem | None:
    """Put the body's assignments that were open at the meeting on the agenda
    as a follow-up item: those given before it that were still open then (by
    their status history), so a meeting entered afterwards gets what was open
    at the time, and none of the assignments given since."""
    cutoff = min(meeting.starts_at, meeting.created_at)
    candidates = (
        ActionItem.objects.filter(
            tenant=meeting.tenant,
            body=meeting.body,
            archived_at__isnull=True,
            given_at__lt=cutoff,
        )
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=ActionStatusChange.objects.order_by("changed_at", "id"),
            )
        )
        .order_by("given_at", "created_at", "id")
    )
    open_actions = [a for a in candidates if status_as_of(a, cutoff) in OPEN_ACTION_STATUSES]
    if not open_actions:
        return None
    item = agenda_item_add(
        actor=actor,
        meeting=meeting,
        title=_("Follow-up of assignments"),
        kind=AgendaItemKind.FOLLOW_UP,
    )
    item.follow_up_actions.set(open_actions)
    return item


# The meeting's facts that its minutes state (and a version freezes): while
# approved minutes are revised, changes to them wait for the revision's approval.
MINUTES_FACTS = frozenset(
    {
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "all_day",
        "place",
        "online_link",
        "record_type",
        "note_taker",
    }
)

MEETING_EDITABLE_FIELDS = frozenset(
    {
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "all_day",
        "place",
        "online_link",
        "record_type",
        "note_taker",
        "joint_bodies",
        "adjusters",
        # The registry's number: not a fact of the minutes, changed at once
        # even while they are revised.
        "diary_number",
    }
)


@transaction.atomic
def meeting_update(
    *, actor: User, meeting: Meeting, expected_version: int, **fields: object
) -> Meeting:
    """Save the meeting's facts, its joint bodies and its appointed justerare.

    Optimistic lock on the meeting's `version`, like the minutes. One audit
    event covers the fields and the many-to-many changes together.
    """
    unknown = set(fields) - MEETING_EDITABLE_FIELDS
    if unknown:
        # Status, minutes lifecycle and version have their own services.
        raise TypeError(f"meeting_update cannot change {', '.join(sorted(unknown))}")
    ensure_editable(meeting)
    if fields.get("all_day", meeting.with_revision_facts().all_day):
        # Without times: the day of the (new) start, from midnight to midnight.
        start = cast(datetime.datetime, fields.get("starts_at", meeting.starts_at))
        fields["starts_at"], fields["ends_at"] = day_bounds(timezone.localdate(start))
    joint = cast("Iterable[Body] | None", fields.pop("joint_bodies", None))
    adjusters = cast("Iterable[Person] | None", fields.pop("adjusters", None))
    ensure_same_tenant(
        meeting.tenant_id, [*(joint or ()), *(adjusters or ()), fields.get("note_taker")]
    )
    if adjusters is not None:
        adjusters = list(adjusters)
        from governance.services.signing import ensure_adjusters_present

        ensure_adjusters_present(meeting, adjusters)  # a justerare recorded absent is refused
    before = _meeting_snapshot(meeting)
    claim_version(
        meeting, expected_version, current=lambda m: m.display_title, message=_text_conflict()
    )
    if meeting.revising:
        _stage_revision_facts(meeting, fields, expected_version=expected_version)
    changed = [name for name, value in fields.items() if getattr(meeting, name) != value]
    original = {name: getattr(meeting, name) for name in changed}
    for name in changed:
        setattr(meeting, name, fields[name])
    try:
        meeting.full_clean()
    except ValidationError:
        for name, value in original.items():
            setattr(meeting, name, value)
        meeting.version = expected_version  # the claim is rolled back with the transaction
        raise
    meeting.save(update_fields=[*changed, "version", "revision_facts"])
    if joint is not None:
        meeting.joint_bodies.set([b for b in joint if b.pk != meeting.body_id])
    if adjusters is not None:
        meeting.adjusters.set(adjusters)
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="meeting.update",
        obj=meeting,
        before=before,
        after=_meeting_snapshot(meeting),
    )
    return meeting


def _stage_revision_facts(
    meeting: Meeting, fields: dict[str, object], *, expected_version: int
) -> None:
    """Move the minutes' facts out of `fields` into the revision: they are
    checked now and written when the revision is approved
    (`governance.services.revisions.revision_merge`)."""
    staged = {name: fields.pop(name) for name in list(fields) if name in MINUTES_FACTS}
    if not staged:
        return
    revised = meeting.with_revision_facts()
    if revised is meeting:
        revised = Meeting.objects.get(pk=meeting.pk)
    for name, value in staged.items():
        setattr(revised, name, value)
    try:
        revised.full_clean()
    except ValidationError:
        meeting.version = expected_version  # the claim is rolled back with the transaction
        raise
    facts = dict(meeting.revision_facts)
    for name in staged:
        field = cast("models.Field[Any, Any]", Meeting._meta.get_field(name))
        value = getattr(revised, field.attname)
        facts[name] = None if value is None else field.value_to_string(revised)
    meeting.revision_facts = facts


def _meeting_snapshot(meeting: Meeting) -> dict[str, object]:
    return {
        **(audit.snapshot(meeting) or {}),
        "joint_bodies": sorted(meeting.joint_bodies.values_list("pk", flat=True)),
        "adjusters": sorted(meeting.adjusters.values_list("pk", flat=True)),
    }


@transaction.atomic
def meeting_cancel(
    *, actor: User | None, meeting: Meeting, reason: str, base_url: str = ""
) -> Meeting:
    if not reason.strip():
        raise DomainError(_("Say why the meeting is cancelled."))
    if meeting.status == MeetingStatus.HELD:
        raise DomainError(_("A meeting that has been held cannot be cancelled."))
    # A new version tells calendars (ICS SEQUENCE) that the event changed.
    meeting = update_audited(
        meeting,
        actor=actor,
        tenant=meeting.tenant,
        fields={
            "status": MeetingStatus.CANCELLED,
            "cancelled_reason": reason.strip(),
            "version": meeting.version + 1,
        },
    )
    from governance.services.notices import notice_cancellation

    # Everyone who had the notice is told (after the commit).
    notice_cancellation(actor=actor, meeting=meeting, base_url=base_url)
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: User, meeting: Meeting) -> Meeting:
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("The meeting is cancelled."))
    return update_audited(
        meeting, actor=actor, tenant=meeting.tenant, fields={"status": MeetingStatus.HELD}
    )


@transaction.atomic
def meeting_plan_next(
    *,
    actor: User,
    previous: Meeting,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
) -> Meeting:
    """The next meeting of the same body: same kind, place, link, joint bodies
    and record type; members pre-filled; open assignments carried."""
    if ends_at is None:
        ends_at = starts_at + (previous.ends_at - previous.starts_at)
    return meeting_create(
        actor=actor,
        body=previous.body,
        starts_at=starts_at,
        ends_at=ends_at,
        kind="ordinarie" if previous.kind in ("planeringsdag", "extra") else previous.kind,
        place=previous.place,
        online_link=previous.online_link,
        record_type=previous.record_type,
        joint_bodies=list(previous.joint_bodies.all()),
    )


# Agenda -------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *,
    actor: User | None,
    meeting: Meeting,
    title: str,
    kind: str = AgendaItemKind.INFORMATION,
    minutes: str = "",
    presenters: Iterable[Person] = (),
) -> AgendaItem:
    ensure_editable(meeting)
    presenters = list(presenters)
    ensure_same_tenant(meeting.tenant_id, presenters)
    last = (
        minutes_rows(AgendaItem, meeting)
        .filter(meeting=meeting, archived_at__isnull=True)
        .aggregate(m=Max("position"))["m"]
    )
    item = create_audited(
        AgendaItem(
            tenant=meeting.tenant,
            meeting=meeting,
            revision_draft=meeting.revising,
            position=(last or 0) + 1,
            title=title,
            kind=kind,
            minutes=minutes,
        ),
        actor=actor,
        tenant=meeting.tenant,
    )
    if presenters:
        item.presenters.set(presenters)
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor: User,
    item: AgendaItem,
    expected_version: int,
    title: str | None = None,
    kind: str | None = None,
    minutes: str | None = None,
    presenters: Iterable[Person] | None = None,
    secret: bool | None = None,
    secrecy_reference: str | None = None,
) -> AgendaItem:
    """Save an agenda item and its minutes text, and whether it is secret
    (sekretess, with the provision of the secrecy act: the model refuses a
    secret item without one). Marking and unmarking are audited with the rest
    (`agenda_item.update`).

    Optimistic lock: `expected_version` is the version the user started from.
    If someone saved in between, nothing is written and `ConflictError` carries
    their text, so the user can merge instead of overwriting it.
    """
    ensure_row_editable(item, item.meeting)
    if presenters is not None:
        presenters = list(presenters)
        ensure_same_tenant(item.tenant_id, presenters)
    claim_version(item, expected_version, current=lambda i: i.minutes, message=_text_conflict())
    fields: dict[str, object] = {}
    if title is not None:
        fields["title"] = title
    if kind is not None:
        fields["kind"] = kind
    if minutes is not None:
        fields["minutes"] = minutes
    if secret is not None:
        fields["secret"] = secret
        fields["secrecy_reference"] = (secrecy_reference or "").strip() if secret else ""
    try:
        updated = update_audited(item, actor=actor, tenant=item.tenant, fields=fields)
    except ValidationError:
        item.version = expected_version  # the claim is rolled back with the transaction
        raise
    if presenters is not None:
        item.presenters.set(presenters)
    Meeting.objects.filter(pk=item.meeting_id).update(version=F("version") + 1)
    return updated


def _text_conflict() -> str:
    """The minutes' own refusal of a stale save: the other text is shown whole."""
    return _(
        "Someone else saved this while you were editing. Your text was not saved; "
        "their version is shown below — copy what you need into it and save again."
    )


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, position: int) -> AgendaItem:
    """Move an item to `position` (1-based) and renumber the others."""
    ensure_row_editable(item, item.meeting)
    items = list(
        minutes_rows(AgendaItem, item.meeting)
        .filter(meeting=item.meeting_id, archived_at__isnull=True)
        .select_for_update()
        .order_by("position", "id")
    )
    if not any(i.pk == item.pk for i in items):
        raise DomainError(_("The item has been taken off the agenda."))
    ordered = [i for i in items if i.pk != item.pk]
    position = max(1, min(position, len(items)))
    ordered.insert(position - 1, next(i for i in items if i.pk == item.pk))
    before = {i.pk: i.position for i in items}
    for number, each in enumerate(ordered, start=1):
        each.position = number
    AgendaItem.objects.bulk_update(ordered, ["position"])
    audit.log(
        actor=actor,
        tenant=item.tenant,
        action="meeting.agenda.reorder",
        obj=item.meeting,
        before={"positions": before},
        after={"positions": {i.pk: i.position for i in ordered}},
    )
    item.position = position
    return item


@transaction.atomic
def agenda_item_archive(*, actor: User, item: AgendaItem) -> AgendaItem:
    """Take an item off the agenda. It is kept (archived), never deleted."""
    ensure_row_editable(item, item.meeting)
    if item.archived_at is not None:
        return item
    if Decision.all_rows.filter(agenda_item=item).exists():
        raise DomainError(_("The item has decisions and cannot be removed."))
    before = audit.snapshot(item)
    item.archived_at = timezone.now()
    item.save(update_fields=["archived_at"])
    rest = (
        minutes_rows(AgendaItem, item.meeting)
        .filter(meeting=item.meeting_id, archived_at__isnull=True)
        .order_by("position", "id")
    )
    for number, each in enumerate(rest, start=1):
        if each.position != number:
            AgendaItem.all_rows.filter(pk=each.pk).update(position=number)
    audit.log(
        actor=actor,
        tenant=item.tenant,
        action="agenda_item.archive",
        obj=item,
        before=before,
        after=audit.snapshot(item),
    )
    return item


# Attendance ---------------------------------------------------------------------


class Keep:
    """ "Leave as it is": the default of an argument for which None means "clear"."""


KEEP = Keep()


@transaction.atomic
def attendance_set(
    *,
    actor: User | None,
    meeting: Meeting,
    person: Person,
    status: str,
    replaces: Iterable[Person] = (),
    represents_principal: Principal | None = None,
    represents_body: Body | Keep | None = KEEP,
    role_note: str | None = None,
    expected_version: int | None = None,
) -> Attendance:
    """Record how a person attended: present, absent, substitute (for whom) or guest.

    `represents_principal` and `role_note` left out (None) keep what the row
    already says — marking a pre-filled member absent keeps the principal of
    their seat and their role ("Chair"). A new row represents the person's
    own principal. `represents_body` is the network or group the person
    speaks for ("rep. Skolchefsnätverket"): left out it is kept, None clears
    it. One audit event, with whom a substitute replaces. A change of a row
    from a form opened at an older version than `expected_version` is
    refused (`claim_version`)."""
    ensure_editable(meeting)
    replaces = list(replaces)
    body = None if isinstance(represents_body, Keep) else represents_body
    ensure_same_tenant(meeting.tenant_id, [person, *replaces, represents_principal, body])
    if status == AttendanceStatus.SUBSTITUTE and not replaces:
        raise DomainError(_("Say whom the substitute replaces."))
    if status != AttendanceStatus.SUBSTITUTE and replaces:
        raise DomainError(_("Only a substitute replaces someone."))
    if any(r.pk == person.pk for r in replaces):
        raise DomainError(_("A person cannot replace themselves."))
    row = (
        minutes_rows(Attendance, meeting)
        .filter(meeting=meeting, person=person)
        .select_for_update()
        .first()
    )
    created = row is None
    if row is None:
        row = Attendance(
            tenant=meeting.tenant,
            meeting=meeting,
            revision_draft=meeting.revising,
            person=person,
            represents_principal=represents_principal or person.principal,
            represents_body=body,
            role_note=role_note or "",
        )
        before = None
        replaced_before: list[int] = []
    else:
        before = audit.snapshot(row)
        replaced_before = sorted(row.replaces.values_list("pk", flat=True))
        if represents_principal is not None:
            row.represents_principal = represents_principal
        if role_note is not None:
            row.role_note = role_note
        if not isinstance(represents_body, Keep):
            row.represents_body = body
    row.status = status
    row.prefilled = False  # set one by one: "mark the others" leaves it be
    row.from_reply = False  # set by hand: a later reply to the notice leaves it be
    row.full_clean()
    replaced_after = sorted(r.pk for r in replaces)
    after = audit.snapshot(row)
    if not created and before == after and replaced_before == replaced_after:
        return row
    if not created:
        claim_version(row, expected_version)
    row.save()
    row.replaces.set(replaces)
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="attendance.create" if created else "attendance.update",
        obj=row,
        before=None if before is None else {**before, "replaces": replaced_before},
        after={**(audit.snapshot(row) or {}), "replaces": replaced_after},
    )
    return row


PRESENT_OR_ABSENT = (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT)


@transaction.atomic
def attendance_mark_others(*, actor: User, meeting: Meeting, status: str) -> int:
    """Mark everyone on the pre-filled roster not yet set one by one as
    present or absent (“Markera övriga som frånvarande”). Those set one by one
    keep what was set; the marked rows stay “the others”, so the opposite
    button turns them back. One audit event; returns how many changed."""
    if status not in PRESENT_OR_ABSENT:
        raise DomainError(_("Mark the others as present or absent."))
    ensure_editable(meeting)
    rows = list(
        minutes_rows(Attendance, meeting)
        .filter(meeting=meeting, prefilled=True)
        .exclude(status=status)
        .select_for_update()
        .order_by("pk")
    )
    if not rows:
        return 0
    before = {str(row.pk): row.status for row in rows}
    for row in rows:
        row.status = status
        row.version += 1  # an open form of the row is now stale
    Attendance.all_rows.bulk_update(rows, ["status", "version"])
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="meeting.attendance.mark_others",
        obj=meeting,
        before={"attendance": before},
        after={"attendance": dict.fromkeys(before, status)},
    )
    return len(rows)


@transaction.atomic
def attendance_remove(*, actor: User, row: Attendance) -> None:
    """Take someone off the attendance of draft minutes: a line pre-filled
    for a person who was never there (a member who left, a seat recorded
    twice). The row is deleted — it is the draft's working list, not a
    record yet — and the audit log keeps what it said. Refused once the
    minutes are finished (mark the person absent instead) or being revised."""
    meeting = row.meeting
    ensure_row_editable(row, meeting)
    if meeting.revising:
        raise DomainError(
            _(
                "The approved minutes are being changed: their attendance cannot be "
                "shortened. Mark the person absent instead."
            )
        )
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise DomainError(
            _(
                "The minutes are finished: the attendance can no longer be shortened. "
                "Mark the person absent instead."
            )
        )
    before = {
        **(audit.snapshot(row) or {}),
        "replaces": sorted(row.replaces.values_list("pk", flat=True)),
    }
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="attendance.delete",
        obj=row,
        before=before,
        after=None,
    )
    row.replaces.clear()
    row.delete()


@transaction.atomic
def attendance_add_new_person(
    *,
    actor: User,
    meeting: Meeting,
    name: str,
    status: str,
    title: str = "",
    organisation: str = "",
    replaces: Iterable[Person] = (),
    represents_principal: Principal | None = None,
    represents_body: Body | None = None,
    role_note: str = "",
) -> Attendance:
    """Register someone new in the directory (a guest, a new substitute) and
    put them on the meeting's attendance list, both or neither."""
    ensure_editable(meeting)
    if not name.strip():
        raise ValidationError({"name": _("Give the person's name.")})
    person = person_create(
        actor=actor,
        tenant=meeting.tenant,
        name=name.strip(),
        title=title.strip(),
        organisation=organisation.strip(),
        principal=represents_principal,
    )
    return attendance_set(
        actor=actor,
        meeting=meeting,
        person=person,
        status=status,
        replaces=replaces,
        represents_principal=represents_principal,
        represents_body=represents_body,
        role_note=role_note,
    )


# Follow-up ----------------------------------------------------------------------


@transaction.atomic
def followup_set_status(
    *, actor: User, item: AgendaItem, action: ActionItem, status: str
) -> ActionItem:
    """Mark an assignment carried into a follow-up item (done, reported back …).
    The status change is recorded as made at this meeting, and dated so
    (`Meeting.recorded_at`) when the meeting was held on an earlier day."""
    ensure_row_editable(item, item.meeting)
    if not item.follow_up_actions.filter(pk=action.pk).exists():
        raise DomainError(_("The assignment is not followed up at this item."))
    return action_set_status(actor=actor, action=action, status=status, meeting=item.meeting)


@transaction.atomic
def agenda_action_create(
    *, actor: User, item: AgendaItem, decision: Decision | None = None, **fields: Any
) -> ActionItem:
    """Record an assignment in the minutes, under an agenda item or one of its
    decisions. It belongs to the convening body, whose meetings follow it up,
    and is given at the meeting (`Meeting.recorded_at`: its time, when the
    minutes of an earlier day are entered). Like everything in the minutes it
    is refused once they are approved."""
    ensure_row_editable(item, item.meeting)
    if decision is not None and decision.agenda_item_id != item.pk:
        raise DomainError(_("The decision belongs to another agenda item."))
    return action_create(
        actor=actor,
        body=item.meeting.body,
        agenda_item=item,
        decision=decision,
        **fields,
    )
