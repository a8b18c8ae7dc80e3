"""Reads for the meetings pages: the list, the one meeting page and its parts.

Every function loads its relations up front, so a page costs the same number
of queries for a meeting with three agenda items as for one with thirty.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    Decision,
    Meeting,
    MinutesStatus,
    MinutesVersion,
    Risk,
    StatusReport,
)
from portal.models import Person, Principal, Tenant


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


def approved_for_readers(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The meetings whose minutes have been approved at least once (what
    principal reporters may read). Needs the `has_version` annotation."""
    return meetings.filter(Q(minutes_status=MinutesStatus.APPROVED) | Q(has_version=True))


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
class AttendanceOverview:
    groups: list[AttendanceGroup]
    represented: list[Principal]
    not_represented: list[Principal]

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


def attendance_overview(*, meeting: Meeting) -> AttendanceOverview:
    """Attendance grouped as närvarande / frånvarande / ersättare / övriga, and
    which of the programme's active principals were represented (by someone
    present or a substitute) and which were not."""
    rows = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("person", "person__principal", "represents_principal")
        .prefetch_related(Prefetch("replaces", queryset=Person.objects.order_by("name")))
        .order_by("person__name", "id")
    )
    groups = [
        AttendanceGroup(status=status, label=label, rows=[r for r in rows if r.status == status])
        for status, label in _GROUPS
    ]
    represented: dict[int, Principal] = {}
    for row in rows:
        if row.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE):
            principal = _represented(row)
            if principal is not None:
                represented[principal.pk] = principal
    active = Principal.objects.filter(tenant_id=meeting.tenant_id, archived_at__isnull=True)
    return AttendanceOverview(
        groups=groups,
        represented=sorted(represented.values(), key=lambda p: p.name),
        not_represented=[p for p in active.order_by("name") if p.pk not in represented],
    )


def _actions() -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(archived_at__isnull=True)
        .select_related("owner_principal", "owner_body", "decision__body")
        .prefetch_related(Prefetch("owner_people", queryset=Person.objects.order_by("name")))
        .order_by("created_at", "id")
    )


def agenda_items(*, meeting: Meeting, with_minutes: bool = True) -> QuerySet[AgendaItem]:
    """The meeting's agenda in order; with the minutes, each item carries its
    presenters, decisions, assignments, the assignments it follows up, the
    risks raised under it and the status reports presented there."""
    qs = AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True).order_by(
        "position", "id"
    )
    if not with_minutes:
        return qs
    return qs.prefetch_related(
        Prefetch("presenters", queryset=Person.objects.order_by("name")),
        Prefetch("decisions", queryset=Decision.objects.select_related("body").order_by("number")),
        Prefetch("action_items", queryset=_actions()),
        Prefetch("follow_up_actions", queryset=_actions()),
        Prefetch(
            "risks",
            queryset=Risk.objects.filter(archived_at__isnull=True).order_by("created_at", "id"),
        ),
        Prefetch(
            "status_reports",
            queryset=StatusReport.objects.filter(archived_at__isnull=True).order_by("period"),
        ),
    )


def minutes_versions(*, meeting: Meeting) -> list[MinutesVersion]:
    """Every approved version, newest first."""
    return list(
        MinutesVersion.objects.filter(meeting=meeting)
        .select_related("approved_by", "approved_by_person")
        .order_by("-number")
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
    return MeetingPage(
        meeting=meeting,
        minutes=minutes,
        agenda=list(agenda_items(meeting=meeting, with_minutes=live)),
        attendance=attendance_overview(meeting=meeting) if live else None,
        versions=minutes_versions(meeting=meeting),
    )
