"""Reads for focus areas, goals, indicators and their values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from implementation.models import (
    FocusArea,
    Goal,
    Indicator,
    IndicatorLevel,
    IndicatorValue,
    NamedEntry,
    WellbeingArea,
)
from portal.models import Principal, Tenant


def entries[E: NamedEntry](
    *, tenant: Tenant, model: type[E], include_archived: bool = False
) -> QuerySet[E]:
    qs = model.objects.filter(tenant=tenant)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("position", "name")


def _indicators() -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(archived_at__isnull=True)
        .prefetch_related(Prefetch("wellbeing_areas", WellbeingArea.objects.order_by("position")))
        .order_by("name")
    )


def goal_tree(*, tenant: Tenant, include_archived: bool = False) -> QuerySet[FocusArea]:
    """Focus areas with their goals, each goal with its sub-goals, and the
    indicators of both. A fixed number of queries."""
    live = Q() if include_archived else Q(archived_at__isnull=True)
    sub_goals = Goal.objects.filter(live).order_by("target_date", "title")
    goals = (
        Goal.objects.filter(live, parent__isnull=True)
        .order_by("target_date", "title")
        .prefetch_related(
            Prefetch(
                "sub_goals", sub_goals.prefetch_related(Prefetch("indicators", _indicators()))
            ),
            Prefetch("indicators", _indicators()),
        )
    )
    return (
        FocusArea.objects.filter(tenant=tenant)
        .filter(live)
        .order_by("position", "name")
        .prefetch_related(Prefetch("goals", goals))
    )


def goal_choices(*, tenant: Tenant, current: Goal | None = None) -> QuerySet[Goal]:
    """Goals that can take a sub-goal: active top-level goals (and the current one)."""
    condition = Q(archived_at__isnull=True, parent__isnull=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    return (
        Goal.objects.filter(tenant=tenant)
        .filter(condition)
        .select_related("focus_area")
        .order_by("focus_area__position", "title")
    )


def indicator_goal_choices(*, tenant: Tenant, current: Goal | None = None) -> QuerySet[Goal]:
    condition = Q(archived_at__isnull=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    return (
        Goal.objects.filter(tenant=tenant)
        .filter(condition)
        .select_related("focus_area", "parent")
        .order_by("focus_area__position", "title")
    )


def indicator_list(
    *, tenant: Tenant, include_archived: bool = False, principal: Principal | None = None
) -> QuerySet[Indicator]:
    """Indicators with their goal and wellbeing areas, the latest month with a
    value, how many principals reported that month, the programme's latest
    value — and, given a principal, that principal's latest value."""
    values = IndicatorValue.objects.filter(indicator=OuterRef("pk"))
    qs = (
        Indicator.objects.filter(tenant=tenant)
        .select_related("goal__focus_area")
        .prefetch_related(Prefetch("wellbeing_areas", WellbeingArea.objects.order_by("position")))
        .annotate(
            latest_period=Subquery(values.order_by("-period").values("period")[:1]),
            programme_value=Subquery(
                values.filter(principal__isnull=True).order_by("-period").values("value")[:1]
            ),
            reported_count=Subquery(
                values.filter(period=OuterRef("latest_period"), principal__isnull=False)
                .values("indicator")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .order_by("name")
    )
    if principal is not None:
        qs = qs.annotate(
            own_value=Subquery(
                values.filter(principal=principal).order_by("-period").values("value")[:1]
            ),
            own_period=Subquery(
                values.filter(principal=principal).order_by("-period").values("period")[:1]
            ),
        )
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


@dataclass
class ValueRow:
    """One principal (or the programme) and its values, month by month."""

    principal: Principal | None
    cells: list[IndicatorValue | None] = field(default_factory=list)

    @property
    def latest(self) -> IndicatorValue | None:
        return next((c for c in self.cells if c is not None), None)


@dataclass
class ValueTable:
    periods: list[datetime.date]
    rows: list[ValueRow]


def value_table(*, indicator: Indicator, months: int = 6) -> ValueTable:
    """The indicator's values in its latest `months` months with values, newest
    first: one row per active principal (or one for the programme). Three queries."""
    periods = list(
        IndicatorValue.objects.filter(indicator=indicator)
        .values_list("period", flat=True)
        .distinct()
        .order_by("-period")[:months]
    )
    values = IndicatorValue.objects.filter(indicator=indicator, period__in=periods).select_related(
        "reported_by"
    )
    by_key = {(v.principal_id, v.period): v for v in values}
    if indicator.level == IndicatorLevel.PROGRAMME:
        subjects: list[Principal | None] = [None]
    else:
        reported = {principal_id for principal_id, _ in by_key}
        subjects = list(
            Principal.objects.filter(tenant_id=indicator.tenant_id)
            .filter(Q(archived_at__isnull=True) | Q(pk__in=reported))
            .order_by("name")
        )
    rows = [
        ValueRow(
            principal=subject,
            cells=[by_key.get((subject.pk if subject else None, p)) for p in periods],
        )
        for subject in subjects
    ]
    return ValueTable(periods=periods, rows=rows)


def reportable_indicators(*, tenant: Tenant) -> QuerySet[Indicator]:
    """The active per-principal indicators, for a principal's report."""
    return Indicator.objects.filter(
        tenant=tenant, archived_at__isnull=True, level=IndicatorLevel.PRINCIPAL
    ).order_by("name")


def principal_values(*, principal: Principal, period: datetime.date) -> dict[int, IndicatorValue]:
    """The principal's values for a month, by indicator id."""
    return {
        v.indicator_id: v for v in IndicatorValue.objects.filter(principal=principal, period=period)
    }


def as_number(value: Decimal | None) -> str:
    """A value without needless decimals: 12.00 → 12, 12.50 → 12.5."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def entry_choices[E: NamedEntry](*, tenant: Tenant, model: type[E], keep: list[int]) -> QuerySet[E]:
    """The entries a form offers: those not archived, plus those in `keep`
    (already chosen, so editing a row whose entry was archived stays valid)."""
    ids = [*entries(tenant=tenant, model=model).values_list("pk", flat=True), *keep]
    return model.objects.filter(tenant=tenant).filter(pk__in=ids).order_by("position", "name")


def indicator_row(*, tenant: Tenant, pk: int, principal: Principal | None) -> Indicator:
    """One indicator as a row of the list shows it (archived or not), with
    `principal`'s latest value."""
    return indicator_list(tenant=tenant, include_archived=True, principal=principal).get(pk=pk)
