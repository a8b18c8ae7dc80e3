"""What the implementation app's dashboard panels read (the panels themselves
are declared in implementation/dashboard.py): the staircase matrix, reporting
completeness, progress over time and indicators against targets for the
programme; the staircase timeline, operations, indicators, appointments and
good examples for each principal.

Each panel's function is a selector with a fixed number of queries (pinned
in tests/implementation/test_dashboard_sql.py, which also checks each against
the straightforward computation over every row). They aggregate in the
database and read only the columns they show, so a panel drawn afresh (the
panel cache is an optimisation, not a crutch) costs little more than a cached
one. Approved self-assessments are for everyone in the programme, so the
staircase panels read only those.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from statistics import median_low
from typing import Any

from django.db.models import F, FilteredRelation, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from implementation.models import (
    AssessmentStatus,
    Direction,
    Indicator,
    IndicatorLevel,
    IndicatorValue,
    SelfAssessment,
    Step,
)
from implementation.selectors.appointments import appointment_list
from implementation.selectors.examples import visible_examples
from implementation.selectors.goals import as_number
from implementation.selectors.reminders import months_before
from portal.dashboards import charts
from portal.dashboards.registry import PanelRequest, add_months, first_of_month
from portal.models import Operation, Principal, Sector
from portal.permissions import can

# The staircase ------------------------------------------------------------------


def _step_names(tenant_id: int) -> dict[int, str]:
    """Step number → name in the current staircase version (one query)."""
    return dict(
        Step.objects.filter(tenant_id=tenant_id, staircase__is_current=True)
        .order_by()
        .values_list("number", "name")
    )


@dataclass(frozen=True)
class MatrixCell:
    steps: tuple[int, ...]  # the current approved steps of its assessed subjects
    assessed: int
    total: int  # operations in the cell (1 for the principal as a whole)

    @property
    def lowest(self) -> int | None:
        return min(self.steps) if self.steps else None

    @property
    def highest(self) -> int | None:
        return max(self.steps) if self.steps else None

    @property
    def text(self) -> str:
        if not self.steps:
            return ""
        low, high = self.lowest, self.highest
        return str(low) if low == high else f"{low}–{high}"


@dataclass(frozen=True)
class MatrixRow:
    principal: Principal
    whole: MatrixCell
    cells: tuple[tuple[str, MatrixCell | None], ...]  # (sector, cell or None: no operation)
    # Where a click goes: the principal's dashboard, at its staircase history
    # (`to_history`), or — for a reporter, who sees only its own principal's
    # dashboard — the principal's approved self-assessments.
    url: str = ""
    to_history: bool = False


@dataclass(frozen=True)
class StaircaseMatrix:
    sectors: tuple[tuple[str, str], ...]  # (value, label)
    rows: tuple[MatrixRow, ...]
    steps: tuple[tuple[int, str], ...]  # the legend


def _current_assessment(**condition: Any) -> FilteredRelation:
    """The `self_assessments` of a principal or an operation that are current
    and approved, without a sub-project: at most one per subject (the
    `assessment_one_current_*` constraints), so a join adds no rows."""
    return FilteredRelation(
        "self_assessments",
        condition=Q(
            self_assessments__status=AssessmentStatus.APPROVED,
            self_assessments__superseded_at__isnull=True,
            self_assessments__sub_project__isnull=True,
            **condition,
        ),
    )


def staircase_matrix(request: PanelRequest) -> dict[str, Any]:
    """Principals × sectors → the current approved step of each principal's
    operations in the sector (a range when it has several), and of the
    principal as a whole. Three queries: the principals and the operations,
    each joined to its current approved self-assessment, and the step names."""
    tenant = request.tenant
    principals = list(
        Principal.objects.filter(tenant=tenant, archived_at__isnull=True)
        .annotate(current=_current_assessment(self_assessments__operation__isnull=True))
        .annotate(whole_step=F("current__step_number"))
        .order_by("name")
    )
    operations = Operation.objects.filter(
        tenant=tenant, archived_at__isnull=True, principal__archived_at__isnull=True
    ).order_by()
    if request.filters.sector:
        operations = operations.filter(sector=request.filters.sector)
    by_cell: dict[tuple[int, str], set[int]] = defaultdict(set)
    sector_of: dict[int, str] = {}
    steps_of: dict[int, int] = {}
    for pk, principal_id, sector, step in operations.annotate(
        current=_current_assessment()
    ).values_list("pk", "principal_id", "sector", "current__step_number"):
        by_cell[(principal_id, sector)].add(pk)
        sector_of[pk] = sector
        if step is not None:
            steps_of[pk] = step
    present = set(sector_of.values())
    sectors = tuple((value, str(label)) for value, label in Sector.choices if value in present)
    rows = []
    for principal in principals:
        cells: list[tuple[str, MatrixCell | None]] = []
        for sector, _label in sectors:
            ops = by_cell.get((principal.pk, sector))
            if not ops:
                cells.append((sector, None))
                continue
            found = tuple(sorted(steps_of[o] for o in ops if o in steps_of))
            cells.append((sector, MatrixCell(steps=found, assessed=len(found), total=len(ops))))
        own = principal.whole_step
        to_history = can(request.membership, "portal.view_principal_dashboard", principal)
        url = reverse(
            "portal:principal_dashboard" if to_history else "implementation:assessment_principal",
            args=[tenant.slug, principal.pk],
        )
        rows.append(
            MatrixRow(
                url=url,
                to_history=to_history,
                principal=principal,
                whole=MatrixCell(
                    steps=(own,) if own is not None else (),
                    assessed=int(own is not None),
                    total=1,
                ),
                cells=tuple(cells),
            )
        )
    names = _step_names(tenant.pk)
    return {
        "matrix": StaircaseMatrix(
            sectors=sectors,
            rows=tuple(rows),
            steps=tuple(sorted(names.items())),
        )
    }


@dataclass(frozen=True)
class CompletenessRow:
    principal: Principal
    last_approved: datetime.date | None
    complete: bool


def reporting_completeness(request: PanelRequest) -> dict[str, Any]:
    """The share of active principals with a self-assessment approved within
    the programme's reporting interval — with a sector filter, of those with
    operations in the sector, counting assessments of those operations.
    One query."""
    tenant, filters = request.tenant, request.filters
    cutoff = months_before(filters.today, tenant.reporting_interval_months)
    approved = Q(self_assessments__status=AssessmentStatus.APPROVED)
    principals = Principal.objects.filter(tenant=tenant, archived_at__isnull=True)
    if filters.sector:
        approved &= Q(self_assessments__operation__sector=filters.sector)
        principals = principals.filter(
            pk__in=Operation.objects.filter(
                tenant=tenant, archived_at__isnull=True, sector=filters.sector
            ).values("principal_id")
        )
    rows = []
    for principal in principals.annotate(
        last_approved=Max("self_assessments__approved_at", filter=approved)
    ).order_by("name"):
        moment = principal.last_approved
        last = timezone.localdate(moment) if moment is not None else None
        rows.append(CompletenessRow(principal, last, last is not None and last >= cutoff))
    complete = sum(1 for row in rows if row.complete)
    total = len(rows)
    percent = charts.share(complete, total)
    chart = charts.bar_chart(
        title=gettext("Reporting completeness"),
        description=gettext("%(complete)s of %(total)s principals (%(percent)s %%)")
        % {"complete": complete, "total": total, "percent": round(percent)},
        bars=[
            charts.Bar(
                label=gettext("Principals with an approved self-assessment"),
                value=percent,
                text=f"{round(percent)} %",
            )
        ],
        value_heading=gettext("Share"),
    )
    return {
        "complete": complete,
        "total": total,
        "percent": round(percent),
        "cutoff": cutoff,
        "months": tenant.reporting_interval_months,
        "missing": [row for row in rows if not row.complete],
        "chart": chart,
    }


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> datetime.date:
    return add_months(datetime.date(year, quarter * 3, 1), 1) - datetime.timedelta(days=1)


def quarters(since: datetime.date, until: datetime.date) -> list[tuple[int, int]]:
    """The quarters from `since`'s to `until`'s, oldest first."""
    found = []
    day = first_of_month(since).replace(month=(since.month - 1) // 3 * 3 + 1)
    while day <= until:
        found.append(quarter_of(day))
        day = add_months(day, 3)
    return found


def _step_at(points: list[tuple[datetime.date, int]], moment: datetime.date) -> int | None:
    """The step of the latest point on or before `moment` (points oldest first)."""
    index = bisect_right(points, moment, key=itemgetter(0))
    return points[index - 1][1] if index else None


@dataclass(frozen=True)
class ProgressRow:
    principal: Principal
    steps: tuple[int | None, ...]  # per quarter

    @property
    def texts(self) -> tuple[str, ...]:
        """The steps as the table prints them ("–": no step yet)."""
        return tuple("–" if step is None else str(step) for step in self.steps)


def progress_over_time(request: PanelRequest) -> dict[str, Any]:
    """Each principal's step at the end of each quarter of the period: its
    latest approved self-assessment of the principal as a whole by then; where
    it has none (or with a sector filter), the median of its operations'
    latest steps in the sector. Three queries."""
    tenant, filters = request.tenant, request.filters
    periods = quarters(filters.since, filters.until)
    principals = list(
        Principal.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("name")
    )
    approved = SelfAssessment.objects.filter(
        tenant=tenant,
        status=AssessmentStatus.APPROVED,
        sub_project__isnull=True,
        period_end__lte=filters.until,
    )
    if filters.sector:
        approved = approved.filter(operation__sector=filters.sector)
    whole: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    per_operation: dict[int, dict[int, list[tuple[datetime.date, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for principal_id, operation_id, period_end, number in approved.order_by(
        "period_end", "approved_at", "id"
    ).values_list("principal_id", "operation_id", "period_end", "step_number"):
        if operation_id is None:
            whole[principal_id].append((period_end, number))
        else:
            per_operation[principal_id][operation_id].append((period_end, number))
    rows = []
    for principal in principals:
        steps: list[int | None] = []
        for year, quarter in periods:
            end = quarter_end(year, quarter)
            step: int | None = (
                None if filters.sector else _step_at(whole.get(principal.pk, []), end)
            )
            if step is None:
                found = [
                    s
                    for points in per_operation.get(principal.pk, {}).values()
                    if (s := _step_at(points, end)) is not None
                ]
                step = median_low(found) if found else None
            steps.append(step)
        rows.append(ProgressRow(principal=principal, steps=tuple(steps)))
    names = _step_names(tenant.pk)
    keys = [(0, gettext("No step reached"))] + [
        (number, gettext("Step %(number)s") % {"number": number})
        for number in sorted(names)
        if number
    ]
    labels = [f"{year} K{quarter}" for year, quarter in periods]
    columns = []
    for index, label in enumerate(labels):
        counts = [0] * len(keys)
        for row in rows:
            at = row.steps[index]
            if at is None:
                continue
            position = next((i for i, (key, _l) in enumerate(keys) if key == at), 0)
            counts[position] += 1
        columns.append((label, counts))
    chart = charts.stacked_chart(
        title=gettext("Principals per step, quarter by quarter"),
        description=gettext(
            "How many principals stood on each step of the staircase at the end of each quarter."
        ),
        columns=columns,
        keys=keys,
    )
    return {"labels": labels, "rows": rows, "chart": chart}


# Indicators ---------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    value: Decimal | None  # the programme's value, or the mean of the principals'
    period: datetime.date | None
    reported: int  # principals with a value (per-principal indicators)
    meeting_target: int
    achievement: float | None  # per cent of the target reached

    @property
    def value_text(self) -> str:
        return as_number(self.value.quantize(Decimal("0.1")) if self.value is not None else None)


def meets(indicator: Indicator, value: Decimal) -> bool:
    if indicator.target is None:
        return False
    if indicator.direction == Direction.LOWER:
        return value <= indicator.target
    return value >= indicator.target


def achievement(indicator: Indicator, value: Decimal | None) -> float | None:
    """How far `value` has come towards the target, in per cent (100 = met)."""
    if value is None or indicator.target is None:
        return None
    target, actual = float(indicator.target), float(value)
    if indicator.direction == Direction.LOWER:
        if actual <= 0:
            return 100.0 if target >= 0 else 0.0
        return target / actual * 100 if target > 0 else 0.0
    if target <= 0:
        return 100.0 if actual >= target else 0.0
    return actual / target * 100


def _newest_in(
    *, tenant_id: int, since: datetime.date, until: datetime.date, principal: Any
) -> tuple[Subquery, Subquery]:
    """The value and the month of an indicator's (`OuterRef("pk")`) latest
    value in [since, until] for `principal` (a principal, an `OuterRef` to
    one, or None: the programme's own), as two subqueries: each one probe of
    the `indicatorvalue_one_per_*` unique indexes."""
    values = IndicatorValue.objects.filter(
        tenant_id=tenant_id,
        indicator=OuterRef("pk"),
        period__gte=first_of_month(since),
        period__lte=until,
    ).order_by("-period")  # one value per month (the unique indexes): no tie to break
    values = (
        values.filter(principal__isnull=True)
        if principal is None
        else values.filter(principal=principal)
    )
    return Subquery(values.values("value")[:1]), Subquery(values.values("period")[:1])


def _indicator_chart(rows: list[IndicatorRow], *, title: str) -> charts.BarChart:
    return charts.bar_chart(
        title=title,
        description=gettext(
            "Each indicator's latest value as a share of its target; the line marks the target."
        ),
        bars=[
            charts.Bar(
                label=row.indicator.name,
                value=min(row.achievement, 150.0),
                text=f"{round(row.achievement)} %",
                target=100.0,
                target_text=as_number(row.indicator.target),
                met=row.achievement >= 100,
            )
            for row in rows
            if row.achievement is not None
        ],
        scale_max=150.0,
        ticks=(0, 50, 100, 150),
        value_heading=gettext("Share of the target"),
        target_heading=gettext("Target"),
    )


def indicators_against_targets(request: PanelRequest) -> dict[str, Any]:
    """Every active indicator with a target: its latest value in the period
    (for per-principal indicators the mean of the principals' latest values)
    against the target, and how many principals meet it. Two queries: the
    indicators with the programme's own latest value, and each principal's
    latest value of each per-principal indicator (a row per indicator and
    principal, looked up by index rather than by sorting every value)."""
    tenant, filters = request.tenant, request.filters
    since, until = filters.since, filters.until
    own_value, own_period = _newest_in(
        tenant_id=tenant.pk, since=since, until=until, principal=None
    )
    indicators = list(
        Indicator.objects.filter(tenant=tenant, archived_at__isnull=True, target__isnull=False)
        .annotate(own_value=own_value, own_period=own_period)
        .order_by("name")
    )
    # Indicator × principal (every principal of the programme, archived too,
    # as their values count), joined through the programme.
    latest_value, latest_period = _newest_in(
        tenant_id=tenant.pk, since=since, until=until, principal=OuterRef("tenant__principal")
    )
    by_indicator: dict[int, list[tuple[Decimal, datetime.date]]] = defaultdict(list)
    for indicator_id, latest, month in (
        Indicator.objects.filter(
            tenant=tenant,
            archived_at__isnull=True,
            target__isnull=False,
            level=IndicatorLevel.PRINCIPAL,
        )
        .annotate(latest_value=latest_value, latest_period=latest_period)
        .order_by()
        .values_list("pk", "latest_value", "latest_period")
    ):
        if latest is not None:
            by_indicator[indicator_id].append((latest, month))
    rows = []
    for indicator in indicators:
        value: Decimal | None
        period: datetime.date | None
        if indicator.level == IndicatorLevel.PROGRAMME:
            value, period = indicator.own_value, indicator.own_period
            reported = 0
            meeting = int(value is not None and meets(indicator, value))
        else:
            own = by_indicator.get(indicator.pk, [])
            value = (sum((v for v, _p in own), Decimal(0)) / len(own)) if own else None
            period = max((p for _v, p in own), default=None)
            reported = len(own)
            meeting = sum(1 for v, _p in own if meets(indicator, v))
        rows.append(
            IndicatorRow(
                indicator=indicator,
                value=value,
                period=period,
                reported=reported,
                meeting_target=meeting,
                achievement=achievement(indicator, value),
            )
        )
    return {
        "rows": rows,
        "chart": _indicator_chart(rows, title=gettext("Indicators against their targets")),
    }


# A principal's panels ------------------------------------------------------------


def timeline(
    *, principal: Principal, since: datetime.date, until: datetime.date, sector: str = ""
) -> dict[str, Any]:
    """The principal's approved self-assessments from `since` to `until` as
    step lines, one per assessed subject (the principal as a whole first),
    each starting from the step it stood on at `since`. The dashboard and the
    principal snapshot PDF draw the same chart. Two queries."""
    assessments = SelfAssessment.objects.filter(
        tenant_id=principal.tenant_id,
        principal=principal,
        status=AssessmentStatus.APPROVED,
        sub_project__isnull=True,
    ).order_by("period_end", "approved_at", "id")
    if sector:
        assessments = assessments.filter(operation__sector=sector)
    names = _step_names(principal.tenant_id)
    # subject (an operation, or None: the principal as a whole) → its name
    # and its (period end, step) points, oldest first
    subjects: dict[int | None, tuple[str, list[tuple[datetime.date, int]]]] = {}
    for operation_id, name, period_end, step in assessments.values_list(
        "operation_id", "operation__name", "period_end", "step_number"
    ):
        if operation_id not in subjects:
            subjects[operation_id] = (name or "", [])
        subjects[operation_id][1].append((period_end, step))
    order = sorted(subjects, key=lambda pk: (pk is not None, subjects[pk][0]))
    series = []
    for pk in order:
        name, items = subjects[pk]
        label = name if pk is not None else gettext("The principal as a whole")
        start = bisect_left(items, since, key=itemgetter(0))  # the first in the period
        points = [
            charts.Point(day=day, value=step, text=names.get(step, ""))
            for day, step in items[max(start - 1, 0) :]
        ]
        series.append(charts.Series(label=label, points=tuple(points)))
    chart = charts.step_line_chart(
        title=gettext("Staircase history of %(principal)s") % {"principal": principal.name},
        description=gettext(
            "The step of each approved self-assessment, by the end of the period it covers."
        ),
        series=series,
        y_max=max(names, default=6),
        start=min([since, *(p.day for s in series for p in s.points)]),
        end=until,
    )
    return {"chart": chart}


def staircase_timeline(request: PanelRequest) -> dict[str, Any]:
    """The principal's staircase history over the dashboard's period."""
    assert request.principal is not None
    filters = request.filters
    return timeline(
        principal=request.principal,
        since=filters.since,
        until=filters.until,
        sector=filters.sector,
    )


@dataclass(frozen=True)
class OperationRow:
    operation: Operation
    current: SelfAssessment | None


def principal_operations(request: PanelRequest) -> dict[str, Any]:
    """The principal's active operations with their current approved step.
    Two queries."""
    principal = request.principal
    assert principal is not None
    operations = Operation.objects.filter(
        tenant=request.tenant, principal=principal, archived_at__isnull=True
    ).order_by("sector", "name")
    if request.filters.sector:
        operations = operations.filter(sector=request.filters.sector)
    current = {
        a.operation_id: a
        for a in SelfAssessment.objects.filter(
            tenant=request.tenant,
            principal=principal,
            status=AssessmentStatus.APPROVED,
            superseded_at__isnull=True,
            sub_project__isnull=True,
            operation__isnull=False,
        )
        .select_related("computed_step", "override_step")
        .only(
            "operation",
            "step_number",
            "approved_at",
            "computed_step__name",
            "override_step__name",
        )
        .order_by()
    }
    return {"rows": [OperationRow(o, current.get(o.pk)) for o in operations]}


def indicator_summary(
    *, principal: Principal, since: datetime.date, until: datetime.date
) -> dict[str, Any]:
    """The principal's latest value of each active per-principal indicator
    from `since` to `until`, against the target, as rows and a chart (the
    dashboard's and the principal snapshot's). One query."""
    latest_value, latest_period = _newest_in(
        tenant_id=principal.tenant_id, since=since, until=until, principal=principal
    )
    rows = []
    for indicator in (
        Indicator.objects.filter(
            tenant_id=principal.tenant_id,
            archived_at__isnull=True,
            level=IndicatorLevel.PRINCIPAL,
        )
        .annotate(latest_value=latest_value, latest_period=latest_period)
        .order_by("name")
    ):
        value = indicator.latest_value
        rows.append(
            IndicatorRow(
                indicator=indicator,
                value=value,
                period=indicator.latest_period,
                reported=int(value is not None),
                meeting_target=int(value is not None and meets(indicator, value)),
                achievement=achievement(indicator, value),
            )
        )
    return {
        "rows": rows,
        "chart": _indicator_chart(
            rows,
            title=gettext("Indicators of %(principal)s against their targets")
            % {"principal": principal.name},
        ),
    }


def principal_indicators(request: PanelRequest) -> dict[str, Any]:
    """The principal's indicators over the dashboard's period."""
    assert request.principal is not None
    return indicator_summary(
        principal=request.principal, since=request.filters.since, until=request.filters.until
    )


def principal_appointments(request: PanelRequest) -> dict[str, Any]:
    """The principal's current appointments: only the columns the panel
    shows. One query."""
    return {
        "appointments": list(
            appointment_list(
                tenant=request.tenant, on=request.filters.today, principal=request.principal
            ).only(
                "function__name",
                "person__name",
                "person__title",
                "operation__name",
                "principal__name",
            )
        )
    }


def principal_examples(request: PanelRequest) -> dict[str, Any]:
    """The principal's good examples the reader may see, in the examples
    list's order: their titles and whether they are published (all the panel
    shows). One query."""
    return {
        "examples": list(
            visible_examples(tenant=request.tenant, membership=request.membership)
            .filter(principal=request.principal)
            .only("title", "published_at")
            .order_by("-published_at", "title")
        )
    }
