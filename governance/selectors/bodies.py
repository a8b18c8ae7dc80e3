"""Reads for bodies: the list with head counts and next meetings, and one body
with its members over time and its meetings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from governance.models import (
    Body,
    BodyMember,
    BodyRole,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
)
from portal.models import Person, Tenant


def _meetings_of(body_ref: object) -> Q:
    """Meetings a body convenes or joins (a joint meeting counts for every body)."""
    return Q(body=body_ref) | Q(joint_bodies=body_ref)


def body_list(
    *,
    tenant: Tenant,
    include_archived: bool = False,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Body]:
    """The programme's bodies, each annotated with `current_member_count` (people
    seated today) and `next_meeting_pk` / `next_meeting_at` (the first planned
    meeting not yet over, its own or a joint one). One query for any number."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    seated_today = Q(members__start_date__lte=today) & (
        Q(members__end_date__isnull=True) | Q(members__end_date__gte=today)
    )
    upcoming = (
        Meeting.objects.filter(_meetings_of(OuterRef("pk")))
        .filter(
            tenant=tenant,
            status=MeetingStatus.PLANNED,
            archived_at__isnull=True,
            ends_at__gte=now,
        )
        .order_by("starts_at", "pk")
    )
    qs = Body.objects.filter(tenant=tenant).annotate(
        current_member_count=Count("members__person", filter=seated_today, distinct=True),
        next_meeting_pk=Subquery(upcoming.values("pk")[:1]),
        next_meeting_at=Subquery(upcoming.values("starts_at")[:1]),
    )
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("name")


def body_row(*, tenant: Tenant, pk: int) -> Body:
    """A body as the list shows it (head count, next meeting), archived or not:
    the row a change answers with."""
    return body_list(tenant=tenant, include_archived=True).get(pk=pk)


@dataclass
class RoleGroup:
    role: str
    label: str
    seats: list[BodyMember]


@dataclass
class Seats:
    """A body's members over time, split for the body page."""

    current: list[RoleGroup] = field(default_factory=list)
    upcoming: list[BodyMember] = field(default_factory=list)
    past: list[BodyMember] = field(default_factory=list)
    chairs: list[BodyMember] = field(default_factory=list)

    @property
    def current_count(self) -> int:
        return len({seat.person_id for group in self.current for seat in group.seats})


CHAIR_ROLES = (BodyRole.CHAIR, BodyRole.VICE_CHAIR)


def body_seats(*, body: Body, today: datetime.date | None = None) -> Seats:
    """Every seat of the body, in one query, as current members grouped by role
    (in the order of `BodyRole`), periods that start later, periods that have
    ended, and the chair and vice-chair periods in order — the chair history."""
    today = today or timezone.localdate()
    seats = list(
        BodyMember.objects.filter(tenant_id=body.tenant_id, body=body)
        .select_related("person__principal", "represents_principal", "represents_body")
        .order_by("start_date", "person__name", "pk")
    )
    result = Seats()
    by_role: dict[str, list[BodyMember]] = {}
    for seat in seats:
        if seat.start_date > today:
            result.upcoming.append(seat)
        elif seat.end_date is not None and seat.end_date < today:
            result.past.append(seat)
        else:
            by_role.setdefault(seat.role, []).append(seat)
        if seat.role in CHAIR_ROLES:
            result.chairs.append(seat)
    for role in BodyRole:
        if role.value in by_role:
            group = sorted(by_role[role.value], key=lambda s: (s.person.name, s.pk))
            result.current.append(RoleGroup(role=role.value, label=str(role.label), seats=group))
    result.past.sort(key=lambda s: (s.end_date or today, s.start_date, s.pk), reverse=True)
    result.chairs.sort(key=lambda s: (CHAIR_ROLES.index(BodyRole(s.role)), s.start_date, s.pk))
    return result


def body_meetings(
    *, body: Body, approved_only: bool = False, include_archived: bool = False
) -> list[Meeting]:
    """The body's own and joint meetings, newest first. `approved_only` keeps
    those whose minutes are approved, or were approved before a revision (what
    principal reporters may read)."""
    qs = (
        Meeting.objects.filter(tenant_id=body.tenant_id)
        .filter(pk__in=Meeting.objects.filter(_meetings_of(body)).values("pk"))
        .select_related("body")
        .order_by("-starts_at", "-pk")
    )
    if approved_only:
        approved_before = Exists(MinutesVersion.objects.filter(meeting=OuterRef("pk")))
        qs = qs.filter(Q(minutes_status=MinutesStatus.APPROVED) | Q(approved_before))
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return list(qs)


def member_rows(*, body: Body) -> QuerySet[BodyMember]:
    """The body's member periods, with what a member row on its page shows."""
    return BodyMember.objects.filter(tenant_id=body.tenant_id, body=body).select_related(
        "person__principal", "represents_principal", "represents_body"
    )


def member_row(*, body: Body, pk: int) -> BodyMember:
    return member_rows(body=body).get(pk=pk)


def person_choices(tenant: Tenant) -> QuerySet[Person]:
    """People who can be seated: the programme's non-archived people."""
    return (
        Person.objects.filter(tenant=tenant, archived_at__isnull=True)
        .select_related("principal")
        .order_by("name")
    )


def body_choices(tenant: Tenant, *, exclude: Body | None = None) -> QuerySet[Body]:
    qs = Body.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("name")
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs
