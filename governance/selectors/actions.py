"""Reads for action items (uppdrag): the programme-wide list and one item with
its status history."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
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
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

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
                # The flag before the subquery: SQL evaluates it first, and
                # most items are not due "by the next meeting".
                & (
                    Q(due_date__lt=today)
                    | (Q(due_next_meeting=True) & Q(Exists(later_meeting_held)))
                ),
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


def _filtered(
    *,
    tenant: Tenant,
    minutes_statuses: Collection[str] | None,
    owner: Person | None = None,
    principal: Principal | None = None,
    body: Body | None = None,
    include_archived: bool = False,
    include_drafts: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[ActionItem]:
    """The filters of `action_items`, annotated with `is_overdue`, and nothing
    loaded: what both its model rows and the dashboards' lean rows read."""
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
    return _with_overdue(qs, today=today)


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
    qs = _filtered(
        tenant=tenant,
        minutes_statuses=minutes_statuses,
        owner=owner,
        principal=principal,
        body=body,
        include_archived=include_archived,
        include_drafts=include_drafts,
        today=today,
    )
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


# The dashboards' lean rows ---------------------------------------------------------


@dataclass(frozen=True)
class OpenActionRow:
    """An action item as a dashboard's table shows it: read with `values()`,
    its owners' names gathered in the same query (no model instances, no
    prefetch)."""

    pk: int
    description: str
    owners: str  # as the `action_owners` filter writes them
    due_date: datetime.date | None
    due_next_meeting: bool
    is_overdue: bool
    status: str

    def get_status_display(self) -> str:
        return str(ActionStatus(self.status).label)


_ROW_FIELDS = (
    "pk",
    "description",
    "due_date",
    "due_next_meeting",
    "is_overdue",
    "status",
    "owner_all",
    "owner_principal_name",
    "owner_body_name",
    "owner_people_names",
)


def _with_owner_names(qs: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    """Annotate the owners' names as subqueries rather than joins: two more
    joins on top of the overdue rule's four cost the planner more than the
    whole query takes to run. The people's names as an array on PostgreSQL;
    elsewhere (the embedded SQLite) `_rows` reads them in a query of their own."""
    names: dict[str, Any] = {
        "owner_principal_name": Subquery(
            Principal.objects.filter(pk=OuterRef("owner_principal_id")).values("name")
        ),
        "owner_body_name": Subquery(
            Body.objects.filter(pk=OuterRef("owner_body_id")).values("name")
        ),
    }
    if connection.vendor == "postgresql":
        names["owner_people_names"] = ArraySubquery(
            Person.objects.filter(action_items=OuterRef("pk")).order_by("name").values("name")
        )
    return qs.annotate(**names)


def _row_fields() -> tuple[str, ...]:
    if connection.vendor == "postgresql":
        return _ROW_FIELDS
    return tuple(name for name in _ROW_FIELDS if name != "owner_people_names")


def _rows(found: list[dict[str, Any]]) -> list[OpenActionRow]:
    """`_row` of each; the people's names read in one query where the
    database gave no array of them."""
    if found and "owner_people_names" not in found[0]:
        people: dict[int, list[str]] = {values["pk"]: [] for values in found}
        through = ActionItem.owner_people.through.objects.filter(actionitem_id__in=people)
        for action_id, name in through.order_by("person__name").values_list(
            "actionitem_id", "person__name"
        ):
            people[action_id].append(name)
        for values in found:
            values["owner_people_names"] = people[values["pk"]]
    return [_row(values) for values in found]


def _row(values: dict[str, Any]) -> OpenActionRow:
    names = list(values["owner_people_names"])
    if values["owner_principal_name"]:
        names.append(values["owner_principal_name"])
    if values["owner_body_name"]:
        names.append(values["owner_body_name"])
    if values["owner_all"]:
        names.append(gettext("All organisations"))
    return OpenActionRow(
        pk=values["pk"],
        description=values["description"],
        owners=", ".join(names),
        due_date=values["due_date"],
        due_next_meeting=values["due_next_meeting"],
        is_overdue=values["is_overdue"],
        status=values["status"],
    )


_DUE_ORDER = (F("due_date").asc(nulls_last=True), "due_next_meeting", "pk")


def open_action_rows(
    *,
    tenant: Tenant,
    minutes_statuses: Collection[str] | None,
    principal: Principal | None = None,
    body: Body | None = None,
    today: datetime.date | None = None,
) -> list[OpenActionRow]:
    """The open action items of `action_items` (same filters), soonest due
    first, as lean rows. One query."""
    qs = _filtered(
        tenant=tenant,
        minutes_statuses=minutes_statuses,
        principal=principal,
        body=body,
        today=today,
    ).filter(status__in=OPEN_ACTION_STATUSES)
    return _rows(list(_with_owner_names(qs).order_by(*_DUE_ORDER).values(*_row_fields())))


@dataclass(frozen=True)
class OpenActions:
    counts: ActionCounts
    overdue: list[OpenActionRow]  # those due longest ago, at most `limit`


def open_action_summary(
    *,
    tenant: Tenant,
    minutes_statuses: Collection[str] | None,
    body: Body | None = None,
    today: datetime.date | None = None,
    limit: int,
) -> OpenActions:
    """How many open action items there are per status and overdue (as
    `action_counts` of the open `action_items`), and the `limit` overdue ones
    due longest ago, in one query: the counts are window aggregates over
    every open item, taken before the LIMIT (so `limit` is at least one: they
    ride on the first row); the overdue items sort first."""
    qs = _filtered(tenant=tenant, minutes_statuses=minutes_statuses, body=body, today=today).filter(
        status__in=OPEN_ACTION_STATUSES
    )
    counts = {
        f"n_{status.value}": Window(Count("pk", filter=Q(status=status.value)))
        for status in ActionStatus
    }
    rows = list(
        _with_owner_names(qs)
        .annotate(
            **counts,
            n_overdue=Window(Count("pk", filter=Q(is_overdue=True))),
            n_total=Window(Count("pk")),
        )
        .order_by(F("is_overdue").desc(), *_DUE_ORDER)
        .values(*_row_fields(), *counts, "n_overdue", "n_total")[:limit]
    )
    first = rows[0] if rows else {}
    return OpenActions(
        counts=ActionCounts(
            by_status=[
                StatusCount(
                    status=status.value,
                    label=str(status.label),
                    count=first.get(f"n_{status.value}", 0),
                )
                for status in ActionStatus
            ],
            overdue=first.get("n_overdue", 0),
            total=first.get("n_total", 0),
        ),
        overdue=_rows([v for v in rows if v["is_overdue"]]),
    )
