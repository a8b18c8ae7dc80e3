"""Reads for action items (uppdrag): the programme-wide list and one item with
its status history."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from governance.models import (
    OPEN_ACTION_STATUSES,
    ActionAnswer,
    ActionItem,
    ActionStatus,
    ActionStatusChange,
    AgendaItem,
    Body,
    Meeting,
    MeetingStatus,
    MinutesVersion,
)
from portal.models import Person, Principal, Tenant


def _with_overdue(qs: QuerySet[ActionItem], *, today: datetime.date) -> QuerySet[ActionItem]:
    """Annotate `is_overdue`: still open and either past its due date, or due
    “by the next meeting” when a later meeting of its body has been held.

    “Later” counts from the meeting the item came from (its agenda item's or
    its decision's meeting), or from when it was entered if it came from none.
    """
    later_meeting_held = Meeting.objects.filter(
        Q(body=OuterRef("body")) | Q(joint_bodies=OuterRef("body")),
        tenant=OuterRef("tenant"),
        status=MeetingStatus.HELD,
        archived_at__isnull=True,
        starts_at__gt=OuterRef("origin_at"),
    )
    return qs.annotate(
        origin_at=Coalesce(
            F("agenda_item__meeting__starts_at"),
            F("decision__meeting__starts_at"),
            F("created_at"),
        )
    ).annotate(
        is_overdue=Case(
            When(
                Q(status__in=OPEN_ACTION_STATUSES)
                & (Q(due_date__lt=today) | Q(Exists(later_meeting_held), due_next_meeting=True)),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def readable_actions(
    qs: QuerySet[ActionItem], minutes_statuses: Collection[str] | None
) -> QuerySet[ActionItem]:
    """Hide items recorded in minutes the reader may not read (yet): an item
    from a meeting is part of its minutes, as in `decision_register`. Items
    that came from no meeting are always shown."""
    if minutes_statuses is None:
        return qs
    qs = qs.annotate(
        origin_meeting=Coalesce(F("agenda_item__meeting"), F("decision__meeting")),
        origin_minutes_status=Coalesce(
            F("agenda_item__meeting__minutes_status"), F("decision__meeting__minutes_status")
        ),
    )
    approved_before = Exists(MinutesVersion.objects.filter(meeting=OuterRef("origin_meeting")))
    return qs.filter(
        Q(origin_meeting__isnull=True)
        | Q(origin_minutes_status__in=minutes_statuses)
        | Q(approved_before)
    )


def _owners() -> Prefetch:
    return Prefetch("owner_people", queryset=Person.objects.order_by("name"))


def action_items(
    *,
    tenant: Tenant,
    minutes_statuses: Collection[str] | None,
    owner: Person | None = None,
    principal: Principal | None = None,
    body: Body | None = None,
    overdue: bool = False,
    include_archived: bool = False,
    include_drafts: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[ActionItem]:
    """The programme's action items the reader may see, soonest due first,
    annotated with `is_overdue` and with everything a row shows loaded.

    `principal` matches items the principal owns or that one of its people
    owns; `body` matches items followed up by the body or owned by it. The
    status filter is separate (`with_status`) so that the counts per status can
    be taken over the other filters. `include_drafts` adds the assignments of
    revisions in progress: for their editors, never for readers.
    """
    today = today or timezone.localdate()
    rows = ActionItem.all_rows if include_drafts else ActionItem.objects
    qs: QuerySet[ActionItem] = readable_actions(rows.filter(tenant=tenant), minutes_statuses)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if owner is not None:
        qs = qs.filter(owner_people=owner)
    if principal is not None:
        owned_by_its_people = ActionItem.owner_people.through.objects.filter(
            actionitem_id=OuterRef("pk"), person__principal=principal
        )
        qs = qs.filter(Q(owner_principal=principal) | Q(Exists(owned_by_its_people)))
    if body is not None:
        qs = qs.filter(Q(body=body) | Q(owner_body=body))
    qs = _with_overdue(qs, today=today)
    if overdue:
        qs = qs.filter(is_overdue=True)  # type: ignore[misc]  # an annotation
    return (
        qs.select_related(
            "body",
            "owner_principal",
            "owner_body",
            "agenda_item__meeting__body",
            "decision__body",
        )
        .prefetch_related(_owners())
        .order_by(F("due_date").asc(nulls_last=True), "due_next_meeting", "pk")
    )


def action_row(*, tenant: Tenant, pk: int) -> ActionItem:
    """An action item as a process leader's list row shows it (archived, or a
    revision's draft, too): the row a change answers with."""
    return action_items(
        tenant=tenant, minutes_statuses=None, include_archived=True, include_drafts=True
    ).get(pk=pk)


def with_status(qs: QuerySet[ActionItem], status: str) -> QuerySet[ActionItem]:
    return qs.filter(status=status) if status else qs


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class ActionCounts:
    by_status: list[StatusCount]
    overdue: int
    total: int


def action_counts(qs: QuerySet[ActionItem]) -> ActionCounts:
    """How many of `qs` are in each status, and overdue, in one query."""
    aggregates = {
        status.value: Count("pk", filter=Q(status=status.value)) for status in ActionStatus
    }
    row = qs.order_by().aggregate(
        **aggregates,
        overdue_count=Count("pk", filter=Q(is_overdue=True)),
        total_count=Count("pk"),
    )
    return ActionCounts(
        by_status=[
            StatusCount(status=status.value, label=str(status.label), count=row[status.value])
            for status in ActionStatus
        ],
        overdue=row["overdue_count"],
        total=row["total_count"],
    )


def action_detail(
    *, tenant: Tenant, minutes_statuses: Collection[str] | None
) -> QuerySet[ActionItem]:
    """Action items as the detail page shows one (a queryset, for
    `get_for_tenant`): with its status history, and the agenda items of the
    meetings where it was followed up that the reader may see."""
    follow_ups = AgendaItem.objects.select_related("meeting__body").order_by(
        "meeting__starts_at", "pk"
    )
    if minutes_statuses is not None:
        follow_ups = follow_ups.filter(meeting__minutes_status__in=minutes_statuses)
    return action_items(
        tenant=tenant, minutes_statuses=minutes_statuses, include_archived=True
    ).prefetch_related(
        Prefetch(
            "status_changes",
            queryset=ActionStatusChange.objects.select_related(
                "changed_by", "meeting__body"
            ).order_by("changed_at", "pk"),
        ),
        Prefetch("followed_up_at", queryset=follow_ups),
        Prefetch(
            "answers",
            queryset=ActionAnswer.objects.select_related("principal", "answered_by").order_by(
                "principal__name", "pk"
            ),
        ),
    )
