"""Meetings, their agenda and attendance."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from governance.models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Body,
    BodyMember,
    Meeting,
    MeetingStatus,
)
from governance.services import ConflictError, LockedError
from portal import audit
from portal.models import Person, Principal, User
from portal.services import DomainError, create_audited, update_audited


def ensure_editable(meeting: Meeting) -> None:
    """Approved minutes are locked: changes go through a revision."""
    if meeting.is_locked:
        raise LockedError(
            _(
                "The minutes are approved and locked. Start a revision, with a reason, "
                "to change them."
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
) -> Meeting:
    """Plan a meeting. Its attendance is pre-filled from the body's members on
    the day, and the body's open assignments are carried into a follow-up item.
    """
    meeting = create_audited(
        Meeting(
            tenant=body.tenant,
            body=body,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            online_link=online_link,
            record_type=record_type,
            note_taker=note_taker,
        ),
        actor=actor,
        tenant=body.tenant,
    )
    joint = [b for b in joint_bodies if b.pk != body.pk]
    for other in joint:
        if other.tenant_id != body.tenant_id:
            raise DomainError(_("Everything must belong to the same programme."))
    meeting.joint_bodies.set(joint)
    _prefill_attendance(meeting, [body, *joint])
    for title_, kind_ in agenda:
        agenda_item_add(actor=actor, meeting=meeting, title=title_, kind=kind_)
    _carry_open_actions(actor=actor, meeting=meeting)
    return meeting


def _prefill_attendance(meeting: Meeting, bodies: list[Body]) -> None:
    day = meeting.starts_at.date()
    seats = (
        BodyMember.objects.filter(body__in=bodies, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("person")
        .order_by("person__name")
    )
    seen: set[int] = set()
    rows = []
    for seat in seats:
        if seat.person_id in seen:
            continue
        seen.add(seat.person_id)
        rows.append(
            Attendance(
                tenant=meeting.tenant,
                meeting=meeting,
                person=seat.person,
                status=AttendanceStatus.PRESENT,
                represents_principal_id=seat.represents_principal_id or seat.person.principal_id,
                role_note=seat.get_role_display() if seat.role != "ledamot" else "",
            )
        )
    Attendance.objects.bulk_create(rows)


def _carry_open_actions(*, actor: User | None, meeting: Meeting) -> AgendaItem | None:
    """Put the body's open assignments on the agenda as a follow-up item."""
    open_actions = list(
        ActionItem.objects.filter(
            tenant=meeting.tenant,
            body=meeting.body,
            status__in=OPEN_ACTION_STATUSES,
            archived_at__isnull=True,
            created_at__lt=meeting.created_at,
        ).order_by("created_at")
    )
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


@transaction.atomic
def meeting_update(
    *, actor: User, meeting: Meeting, expected_version: int, **fields: object
) -> Meeting:
    ensure_editable(meeting)
    _claim_version(Meeting, meeting, expected_version, current=lambda m: m.display_title)
    joint = fields.pop("joint_bodies", None)
    updated = update_audited(meeting, actor=actor, tenant=meeting.tenant, fields=dict(fields))
    if joint is not None:
        meeting.joint_bodies.set([b for b in joint if b.pk != meeting.body_id])  # type: ignore[attr-defined]
    return updated


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    if not reason.strip():
        raise DomainError(_("Say why the meeting is cancelled."))
    if meeting.status == MeetingStatus.HELD:
        raise DomainError(_("A meeting that has been held cannot be cancelled."))
    return update_audited(
        meeting,
        actor=actor,
        tenant=meeting.tenant,
        fields={"status": MeetingStatus.CANCELLED, "cancelled_reason": reason.strip()},
    )


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
    last = AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True).aggregate(
        m=Max("position")
    )["m"]
    item = create_audited(
        AgendaItem(
            tenant=meeting.tenant,
            meeting=meeting,
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
) -> AgendaItem:
    """Save an agenda item and its minutes text.

    Optimistic lock: `expected_version` is the version the user started from.
    If someone saved in between, nothing is written and `ConflictError` carries
    their text, so the user can merge instead of overwriting it.
    """
    ensure_editable(item.meeting)
    _claim_version(AgendaItem, item, expected_version, current=lambda i: i.minutes)
    fields: dict[str, object] = {}
    if title is not None:
        fields["title"] = title
    if kind is not None:
        fields["kind"] = kind
    if minutes is not None:
        fields["minutes"] = minutes
    updated = update_audited(item, actor=actor, tenant=item.tenant, fields=fields)
    if presenters is not None:
        item.presenters.set(presenters)
    Meeting.objects.filter(pk=item.meeting_id).update(version=F("version") + 1)
    return updated


def _claim_version[V: (Meeting, AgendaItem)](
    model: type[V], obj: V, expected: int, *, current: Callable[[V], str]
) -> None:
    """Bump the row's version if it is still `expected`, else refuse."""
    rows = model._default_manager.filter(pk=obj.pk, version=expected)
    claimed = rows.update(version=F("version") + 1)
    if not claimed:
        fresh = model._default_manager.get(pk=obj.pk)
        raise ConflictError(
            _(
                "Someone else saved this while you were editing. Your text was not saved; "
                "their version is shown below — copy what you need into it and save again."
            ),
            current=current(fresh),
            version=fresh.version,
        )
    obj.version = expected + 1


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, position: int) -> AgendaItem:
    """Move an item to `position` (1-based) and renumber the others."""
    ensure_editable(item.meeting)
    items = list(
        AgendaItem.objects.filter(meeting=item.meeting_id, archived_at__isnull=True)
        .select_for_update()
        .order_by("position", "id")
    )
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
        action="reorder",
        obj=item.meeting,
        before={"positions": before},
        after={"positions": {i.pk: i.position for i in ordered}},
    )
    item.position = position
    return item


@transaction.atomic
def agenda_item_archive(*, actor: User, item: AgendaItem) -> AgendaItem:
    """Take an item off the agenda. It is kept (archived), never deleted."""
    ensure_editable(item.meeting)
    if item.decisions.exists():
        raise DomainError(_("The item has decisions and cannot be removed."))
    from django.utils import timezone

    before = audit.snapshot(item)
    item.archived_at = timezone.now()
    item.save(update_fields=["archived_at"])
    rest = AgendaItem.objects.filter(meeting=item.meeting_id, archived_at__isnull=True).order_by(
        "position", "id"
    )
    for number, each in enumerate(rest, start=1):
        if each.position != number:
            AgendaItem.objects.filter(pk=each.pk).update(position=number)
    audit.log(
        actor=actor,
        tenant=item.tenant,
        action="archive",
        obj=item,
        before=before,
        after=audit.snapshot(item),
    )
    return item


# Attendance ---------------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *,
    actor: User | None,
    meeting: Meeting,
    person: Person,
    status: str,
    replaces: Iterable[Person] = (),
    represents_principal: Principal | None = None,
    role_note: str = "",
) -> Attendance:
    """Record how a person attended: present, absent, substitute (for whom) or guest."""
    ensure_editable(meeting)
    if person.tenant_id != meeting.tenant_id:
        raise DomainError(_("Everything must belong to the same programme."))
    replaces = list(replaces)
    if status == AttendanceStatus.SUBSTITUTE and not replaces:
        raise DomainError(_("Say whom the substitute replaces."))
    if status != AttendanceStatus.SUBSTITUTE and replaces:
        raise DomainError(_("Only a substitute replaces someone."))
    if any(r.pk == person.pk for r in replaces):
        raise DomainError(_("A person cannot replace themselves."))
    row = Attendance.objects.filter(meeting=meeting, person=person).first()
    principal = represents_principal or person.principal
    if row is None:
        row = create_audited(
            Attendance(
                tenant=meeting.tenant,
                meeting=meeting,
                person=person,
                status=status,
                represents_principal=principal,
                role_note=role_note,
            ),
            actor=actor,
            tenant=meeting.tenant,
        )
    else:
        update_audited(
            row,
            actor=actor,
            tenant=meeting.tenant,
            fields={"status": status, "represents_principal": principal, "role_note": role_note},
        )
    row.replaces.set(replaces)
    return row
