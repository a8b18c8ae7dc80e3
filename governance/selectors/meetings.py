"""Reads for the meetings pages: the list, the one meeting page and its parts.

Every function loads its relations up front, so a page costs the same number
of queries for a meeting with three agenda items as for one with thirty.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from governance.models import (
    ActionAnswer,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyMember,
    BodyRole,
    Decision,
    Meeting,
    MinutesStatus,
    MinutesVersion,
    Risk,
    StatusReport,
    minutes_rows,
)
from governance.selectors.report_back import active_principals, attach_answers
from governance.selectors.reports import presented_report_prefetch
from portal.models import Membership, Person, Principal, Tenant
from portal.permissions import can


def _has_version() -> Exists:
    return Exists(MinutesVersion.objects.filter(meeting=OuterRef("pk")))


def meeting_queryset(*, tenant: Tenant) -> QuerySet[Meeting]:
    """The programme's meetings as the meeting page shows them.

    `has_version` says whether the minutes were ever approved: a meeting whose
    approved minutes are being revised still has its approved version.
    """
    return (
        Meeting.objects.filter(tenant=tenant, archived_at__isnull=True)
        .select_related("body", "note_taker", "finished_by", "approved_by", "approved_by_person")
        .prefetch_related(
            Prefetch("joint_bodies", queryset=Body.objects.order_by("name")),
            Prefetch("adjusters", queryset=Person.objects.order_by("name")),
        )
        .annotate(has_version=_has_version())
    )


def meeting_for_page(*, tenant: Tenant, pk: int) -> Meeting:
    """The meeting afresh, as the meeting page shows it (after a change)."""
    return meeting_queryset(tenant=tenant).get(pk=pk)


def approved_for_readers(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The meetings whose minutes have been approved at least once (what
    principal reporters may read). Needs the `has_version` annotation."""
    return meetings.filter(Q(minutes_status=MinutesStatus.APPROVED) | Q(has_version=True))


def may_see_meeting(membership: Membership | None, meeting: Meeting) -> bool:
    """Who may open a meeting (its page, its .ics file, its minutes' PDF):
    readers of finished records every meeting, principal reporters those
    whose minutes were ever approved. `meeting` carries `has_version`
    (`meeting_queryset`)."""
    if can(membership, "governance.view_finished"):
        return True
    return can(membership, "governance.view_approved_minutes") and (
        meeting.minutes_status == MinutesStatus.APPROVED
        or bool(getattr(meeting, "has_version", False))
    )


@dataclass(frozen=True)
class MeetingListing:
    upcoming: list[Meeting]
    past: list[Meeting]


def meeting_list(
    *,
    tenant: Tenant,
    body: Body | None = None,
    approved_only: bool = False,
    now: datetime.datetime | None = None,
) -> MeetingListing:
    """Upcoming meetings (soonest first; a meeting in progress counts) and past
    ones (latest first). `body` matches the convening body or a joint body."""
    qs: QuerySet[Meeting] = (
        Meeting.objects.filter(tenant=tenant, archived_at__isnull=True)
        .select_related("body")
        .prefetch_related(Prefetch("joint_bodies", queryset=Body.objects.order_by("name")))
        .annotate(has_version=_has_version())
    )
    if body is not None:
        joint = Meeting.joint_bodies.through.objects.filter(body=body).values("meeting_id")
        qs = qs.filter(Q(body=body) | Q(pk__in=joint))
    if approved_only:
        qs = approved_for_readers(qs)
    now = now or timezone.now()
    meetings = list(qs.order_by("starts_at", "id"))
    return MeetingListing(
        upcoming=[m for m in meetings if m.ends_at >= now],
        past=[m for m in reversed(meetings) if m.ends_at < now],
    )


def body_choices(*, tenant: Tenant) -> QuerySet[Body]:
    return Body.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("name")


# The meeting page ---------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceGroup:
    status: str
    label: str | Promise
    rows: list[Attendance]


@dataclass(frozen=True)
class RepresentedThrough:
    """A principal that no one of its own attended for, but a body that it
    sits in did: "rep. Skolchefsnätverket" speaks for the network's members."""

    principal: Principal
    bodies: list[Body]


@dataclass(frozen=True)
class AttendanceOverview:
    groups: list[AttendanceGroup]
    represented: list[Principal]
    not_represented: list[Principal]
    # Represented only through a body's representative (see `attendance_overview`).
    represented_through: list[RepresentedThrough] = field(default_factory=list)
    # Pre-filled rows not yet set one by one: what "mark the others" changes.
    others: int = 0

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


_GROUPS: list[tuple[str, str | Promise]] = [
    (AttendanceStatus.PRESENT, _("Present")),
    (AttendanceStatus.ABSENT, _("Absent")),
    (AttendanceStatus.SUBSTITUTE, _("Substitutes")),
    (AttendanceStatus.GUEST, _("Others and guests")),
]


def _represented(row: Attendance) -> Principal | None:
    return row.represents_principal or row.person.principal


def chairs_on_the_day(meeting: Meeting) -> set[int]:
    """The people chairing the convening body on the meeting's day (one query)."""
    day = timezone.localdate(meeting.starts_at)
    return set(
        BodyMember.objects.filter(body_id=meeting.body_id, role=BodyRole.CHAIR, start_date__lte=day)
        .exclude(end_date__lt=day)
        .values_list("person_id", flat=True)
    )


def roster_key(
    chairs: set[int], note_taker_id: int | None
) -> Callable[[Attendance], tuple[int, str, int]]:
    """The roster's order: the chair first, then the note-taker, then by name."""

    def key(row: Attendance) -> tuple[int, str, int]:
        rank = 0 if row.person_id in chairs else 1 if row.person_id == note_taker_id else 2
        return (rank, row.person.name.casefold(), row.pk)

    return key


def principals_of_bodies(body_ids: set[int], day: datetime.date) -> dict[int, set[int]]:
    """Principal id → the ids of those of `body_ids` in which it held a seat
    on `day`: through a member who represents it there, or else the member's
    own principal. One query (none without bodies)."""
    if not body_ids:
        return {}
    seats = (
        BodyMember.objects.filter(body_id__in=body_ids, start_date__lte=day)
        .exclude(end_date__lt=day)
        .values_list("body_id", "represents_principal_id", "person__principal_id")
    )
    found: dict[int, set[int]] = {}
    for body_id, represents, own in seats:
        principal_id = represents or own
        if principal_id:
            found.setdefault(principal_id, set()).add(body_id)
    return found


def attendance_overview(
    *, meeting: Meeting, active: Sequence[Principal] | None = None
) -> AttendanceOverview:
    """Attendance grouped as närvarande / frånvarande / ersättare / övriga, and
    which of the programme's active principals were represented (by someone
    present or a substitute) and which were not. In each group the chair
    comes first, then the note-taker. While approved minutes are revised, the
    revision's (for its editors: see `MeetingPage`).

    Representation through a body ("rep. Skolchefsnätverket"): someone
    present (or a substitute) who represents a body speaks for that body's
    members, so a principal with a seat in that body on the meeting's day —
    a member who represents it there, or else whose own principal it is —
    counts as represented even when none of its own people came. Such
    principals are listed apart (`represented_through`, with the bodies),
    so the minutes still show that they were represented only through a
    network; they are not among `not_represented`."""
    rows = sorted(
        minutes_rows(Attendance, meeting)
        .filter(meeting=meeting)
        .select_related("person", "person__principal", "represents_principal", "represents_body")
        .prefetch_related(Prefetch("replaces", queryset=Person.objects.order_by("name"))),
        key=roster_key(chairs_on_the_day(meeting), meeting.note_taker_id),
    )
    groups = [
        AttendanceGroup(status=status, label=label, rows=[r for r in rows if r.status == status])
        for status, label in _GROUPS
    ]
    represented: dict[int, Principal] = {}
    bodies: dict[int, Body] = {}
    for row in rows:
        if row.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE):
            principal = _represented(row)
            if principal is not None:
                represented[principal.pk] = principal
            if row.represents_body is not None:
                bodies[row.represents_body.pk] = row.represents_body
    through_bodies = principals_of_bodies(set(bodies), timezone.localdate(meeting.starts_at))
    if active is None:
        active = active_principals(meeting.tenant_id)
    through = [
        RepresentedThrough(
            principal=p,
            bodies=sorted((bodies[b] for b in through_bodies[p.pk]), key=lambda b: b.name),
        )
        for p in active
        if p.pk not in represented and p.pk in through_bodies
    ]
    covered = set(represented) | {entry.principal.pk for entry in through}
    return AttendanceOverview(
        groups=groups,
        represented=sorted(represented.values(), key=lambda p: p.name),
        not_represented=[p for p in active if p.pk not in covered],
        represented_through=through,
        others=sum(1 for row in rows if row.prefilled),
    )


# What the follow-up table shows of an assignment and its answers (and what
# `expected_principals` reads): a follow-up item carries every open
# assignment of the body, often dozens, so its rows load only these columns.
_FOLLOW_UP_COLUMNS = (
    "description",
    "status",
    "due_date",
    "due_next_meeting",
    "owner_all",
    "owner_principal__name",
    "owner_body__name",
    "created_at",
)
_ANSWER_COLUMNS = (
    "action_item",
    "principal__name",
    "text",
    "done",
    "answered_at",
)


def _owner_people() -> QuerySet[Person]:
    return Person.objects.only("name", "principal").order_by("name")


def _actions(rows: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    """An item's own assignments, as its table shows them."""
    return (
        rows.filter(archived_at__isnull=True)
        .select_related("owner_principal", "owner_body", "decision__body")
        .only(
            *_FOLLOW_UP_COLUMNS,
            "agenda_item",
            "decision__year",
            "decision__number",
            "decision__body__code",
        )
        .prefetch_related(Prefetch("owner_people", queryset=_owner_people()))
        .order_by("created_at", "id")
    )


def _follow_ups() -> QuerySet[ActionItem]:
    """The assignments of a follow-up item, with their owners and answers,
    each row holding only what the follow-up table shows (`_FOLLOW_UP_COLUMNS`)."""
    answers = (
        ActionAnswer.objects.select_related("principal")
        .only(*_ANSWER_COLUMNS)
        .order_by("principal__name", "pk")
    )
    return (
        ActionItem.objects.filter(archived_at__isnull=True)
        .select_related("owner_principal", "owner_body")
        .only(*_FOLLOW_UP_COLUMNS)
        .prefetch_related(
            Prefetch("owner_people", queryset=_owner_people()),
            Prefetch("answers", queryset=answers),
        )
        .order_by("created_at", "id")
    )


# A follow-up item shows the assignments it carries in the meeting page up to
# this many. A longer list (a body with years of open assignments) is summed
# up by status there, and its table, with the answers, is loaded on demand
# (`follow_up_table`): dozens of rows would bury the rest of the agenda, and
# they were most of what the page cost to draw.
FOLLOW_UPS_INLINE = 20


def agenda_items(*, meeting: Meeting, with_minutes: bool = True) -> QuerySet[AgendaItem]:
    """The meeting's agenda in order; with the minutes, each item carries its
    presenters, decisions, assignments, the number of assignments it follows
    up (`follow_up_count`; `agenda_list` adds them), the risks raised under
    it and the status reports presented there.

    While approved minutes are revised, these are the revision's drafts: only
    for its editors (the page shows everyone else the approved version)."""
    qs = (
        minutes_rows(AgendaItem, meeting)
        .filter(meeting=meeting, archived_at__isnull=True)
        .order_by("position", "id")
    )
    if not with_minutes:
        return qs
    decisions = minutes_rows(Decision, meeting).select_related("body").order_by("number")
    carried = Count(
        "follow_up_actions", filter=Q(follow_up_actions__archived_at__isnull=True), distinct=True
    )
    return qs.annotate(follow_up_count=carried).prefetch_related(
        Prefetch("presenters", queryset=Person.objects.order_by("name")),
        Prefetch("decisions", queryset=decisions),
        Prefetch("action_items", queryset=_actions(minutes_rows(ActionItem, meeting))),
        Prefetch(
            "risks",
            queryset=Risk.objects.filter(archived_at__isnull=True).order_by("created_at", "id"),
        ),
        Prefetch(
            "status_reports",
            queryset=StatusReport.objects.filter(archived_at__isnull=True)
            .prefetch_related(*presented_report_prefetch())
            .order_by("period"),
        ),
    )


def agenda_list(*, meeting: Meeting, active: Sequence[Principal] | None = None) -> list[AgendaItem]:
    """`agenda_items` with the minutes, as the meeting page lists them. An
    item that follows up at most `FOLLOW_UPS_INLINE` assignments carries them,
    each with its answers per principal (`report_back`); one that follows up
    more carries their number per status (`follow_up_summary`) instead.
    `active`: the programme's active principals, if already read."""
    items = _with_registers_of_approved_items(list(agenda_items(meeting=meeting)))
    _with_follow_ups(items, meeting, active)
    return items


def agenda_item_with_minutes(*, meeting: Meeting, pk: int) -> AgendaItem:
    """One item of `agenda_list` (after a change to it)."""
    items = _with_registers_of_approved_items([agenda_items(meeting=meeting).get(pk=pk)])
    _with_follow_ups(items, meeting)
    return items[0]


def follow_up_table(*, meeting: Meeting, pk: int) -> AgendaItem:
    """One item of the meeting's agenda (as `agenda_items` reads it: a
    revision's drafts for its editors) with every assignment it follows up
    and their answers, however many. Raises AgendaItem.DoesNotExist."""
    item = agenda_items(meeting=meeting, with_minutes=False).get(pk=pk)
    _with_follow_ups([item], meeting, every=True)
    return item


@dataclass(frozen=True)
class FollowUpCount:
    status: str
    label: str
    count: int


def _with_follow_ups(
    items: list[AgendaItem],
    meeting: Meeting,
    active: Sequence[Principal] | None = None,
    *,
    every: bool = False,
) -> None:
    """The assignments each item follows up, with their answers; or, past
    `FOLLOW_UPS_INLINE` (and unless `every`), their number per status. Two
    queries and the answers' (`attach_answers`), one more for the numbers."""
    listed = [
        i
        for i in items
        if every or i.follow_up_count <= FOLLOW_UPS_INLINE  # type: ignore[attr-defined]
    ]
    summed = {i.pk: i for i in items if i not in listed}
    if listed:
        prefetch_related_objects(listed, Prefetch("follow_up_actions", queryset=_follow_ups()))
        attach_answers(
            [action for item in listed for action in item.follow_up_actions.all()],
            tenant_id=meeting.tenant_id,
            active=active,
        )
    if not summed:
        return
    counts: dict[tuple[int, str], int] = {
        (row["followed_up_at"], row["status"]): row["n"]
        for row in ActionItem.objects.filter(followed_up_at__in=summed, archived_at__isnull=True)
        .values("followed_up_at", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    for pk, item in summed.items():
        item.follow_up_summary = [  # type: ignore[attr-defined]
            FollowUpCount(status=status, label=str(label), count=counts[pk, status])
            for status, label in ActionStatus.choices
            if counts.get((pk, status))
        ]


def _with_registers_of_approved_items(items: list[AgendaItem]) -> list[AgendaItem]:
    """A revision's draft items show the risks raised and the status reports
    presented under their approved item: those registers point at the
    approved rows, which the revision does not change. Two queries."""
    originals = {item.draft_of_id: item for item in items if item.draft_of_id}
    if not originals:
        return items
    related: list[tuple[str, QuerySet[Any]]] = [
        ("risks", Risk.objects.filter(raised_at__in=originals).order_by("created_at", "id")),
        (
            "status_reports",
            StatusReport.objects.filter(presented_at__in=originals)
            .prefetch_related(*presented_report_prefetch())
            .order_by("period"),
        ),
    ]
    for name, rows in related:
        found: dict[int, list[Any]] = {pk: [] for pk in originals}
        key = "raised_at_id" if name == "risks" else "presented_at_id"
        for row in rows.filter(archived_at__isnull=True):
            found[getattr(row, key)].append(row)
        for original, item in originals.items():
            cached = rows.none()
            cached._result_cache = found[original]
            cached._prefetch_done = True  # type: ignore[attr-defined]
            item._prefetched_objects_cache[name] = cached  # type: ignore[attr-defined]
    return items


def minutes_versions(*, meeting: Meeting) -> list[MinutesVersion]:
    """Every approved version, newest first."""
    return list(
        MinutesVersion.objects.filter(meeting=meeting)
        .select_related("approved_by", "approved_by_person")
        .order_by("-number")
    )


def minutes_version(*, meeting: Meeting, number: int) -> MinutesVersion | None:
    """One approved version of the minutes, with who approved it."""
    return (
        MinutesVersion.objects.filter(meeting=meeting, number=number)
        .select_related("approved_by", "approved_by_person")
        .first()
    )


@dataclass(frozen=True)
class MeetingPage:
    """Everything the meeting page shows. `minutes` says what the reader may see
    of the minutes: "live" (the current text), "version" (the latest approved
    version, while a revision is in progress) or "hidden" (not finished yet)."""

    meeting: Meeting
    minutes: str
    agenda: list[AgendaItem]
    attendance: AttendanceOverview | None
    versions: list[MinutesVersion]

    @property
    def latest_version(self) -> MinutesVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def version_content(self) -> dict[str, Any]:
        latest = self.latest_version
        return latest.content if latest is not None else {}


def meeting_page(*, meeting: Meeting, minutes: str) -> MeetingPage:
    live = minutes == "live"
    # The programme's principals, read once for the answers and the attendance.
    active = active_principals(meeting.tenant_id) if live else None
    # Readers of the approved version list the approved agenda, not a revision's.
    agenda = (
        agenda_list(meeting=meeting, active=active)
        if live
        else AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True).order_by(
            "position", "id"
        )
    )
    return MeetingPage(
        meeting=meeting,
        minutes=minutes,
        agenda=list(agenda),
        attendance=attendance_overview(meeting=meeting, active=active) if live else None,
        versions=minutes_versions(meeting=meeting),
    )
