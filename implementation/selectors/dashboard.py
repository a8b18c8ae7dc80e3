"""What the implementation app's dashboard panels read (the panels themselves
are declared in implementation/dashboard.py): the staircase matrix, reporting
completeness, progress over time and indicators against targets for the
programme; the staircase timeline, operations, indicators, appointments and
good examples for each principal.

Each panel's function is a selector with a fixed number of queries (pinned
in tests/implementation/test_dashboard_panels.py). Approved self-assessments
are for everyone in the programme, so the staircase panels read only those.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from statistics import median_low
from typing import Any

from django.db.models import F, Max, Q, Window
from django.db.models.functions import RowNumber
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
from implementation.selectors.examples import example_list
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
        Step.objects.filter(tenant_id=tenant_id, staircase__is_current=True).values_list(
            "number", "name"
        )
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


def staircase_matrix(request: PanelRequest) -> dict[str, Any]:
    """Principals × sectors → the current approved step of each principal's
    operations in the sector (a range when it has several), and of the
    principal as a whole. Four queries."""
    tenant = request.tenant
    principals = list(
        Principal.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("name")
    )
    operations = Operation.objects.filter(
        tenant=tenant, archived_at__isnull=True, principal__archived_at__isnull=True
    )
    if request.filters.sector:
        operations = operations.filter(sector=request.filters.sector)
    by_cell: dict[tuple[int, str], set[int]] = defaultdict(set)
    sector_of: dict[int, str] = {}
    for pk, principal_id, sector in operations.values_list("pk", "principal_id", "sector"):
        by_cell[(principal_id, sector)].add(pk)
        sector_of[pk] = sector
    current = SelfAssessment.objects.filter(
        tenant=tenant,
        status=AssessmentStatus.APPROVED,
        superseded_at__isnull=True,
        sub_project__isnull=True,
    ).values_list("principal_id", "operation_id", "step_number")
    whole: dict[int, int] = {}
    steps_of: dict[int, int] = {}
    for principal_id, operation_id, step in current:
        if operation_id is None:
            whole[principal_id] = step
        elif operation_id in sector_of:
            steps_of[operation_id] = step
    sectors = tuple(
        (value, str(label))
        for value, label in Sector.choices
        if any(s == value for s in sector_of.values())
    )
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
        own = whole.get(principal.pk)
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
    Two queries."""
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
    step = None
    for day, value in points:
        if day > moment:
            break
        step = value
    return step


@dataclass(frozen=True)
class ProgressRow:
    principal: Principal
    steps: tuple[int | None, ...]  # per quarter


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


def latest_values(
    *, tenant_id: int, since: datetime.date, until: datetime.date, principal: Principal | None
) -> list[IndicatorValue]:
    """Each (indicator, principal)'s latest value in [since, until] — of one
    principal, or of every principal and the programme. One query."""
    values = IndicatorValue.objects.filter(
        tenant_id=tenant_id,
        period__gte=first_of_month(since),
        period__lte=until,
        indicator__archived_at__isnull=True,
    )
    if principal is not None:
        values = values.filter(principal=principal)
    return list(
        values.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("indicator_id"), F("principal_id")],
                order_by=[F("period").desc(), F("id").desc()],
            )
        ).filter(rank=1)
    )


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
    against the target, and how many principals meet it. Two queries."""
    tenant, filters = request.tenant, request.filters
    indicators = list(
        Indicator.objects.filter(
            tenant=tenant, archived_at__isnull=True, target__isnull=False
        ).order_by("name")
    )
    by_indicator: dict[int, list[IndicatorValue]] = defaultdict(list)
    for latest in latest_values(
        tenant_id=tenant.pk, since=filters.since, until=filters.until, principal=None
    ):
        by_indicator[latest.indicator_id].append(latest)
    rows = []
    for indicator in indicators:
        values = by_indicator.get(indicator.pk, [])
        value: Decimal | None
        period: datetime.date | None
        if indicator.level == IndicatorLevel.PROGRAMME:
            own = [v for v in values if v.principal_id is None]
            value = own[0].value if own else None
            period = own[0].period if own else None
            reported = 0
            meeting = int(value is not None and meets(indicator, value))
        else:
            own = [v for v in values if v.principal_id is not None]
            value = (sum((v.value for v in own), Decimal(0)) / len(own)) if own else None
            period = max((v.period for v in own), default=None)
            reported = len(own)
            meeting = sum(1 for v in own if meets(indicator, v.value))
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
    assessments = (
        SelfAssessment.objects.filter(
            tenant_id=principal.tenant_id,
            principal=principal,
            status=AssessmentStatus.APPROVED,
            sub_project__isnull=True,
        )
        .select_related("operation")
        .order_by("period_end", "approved_at", "id")
    )
    if sector:
        assessments = assessments.filter(operation__sector=sector)
    names = _step_names(principal.tenant_id)
    subjects: dict[int | None, list[SelfAssessment]] = defaultdict(list)
    for assessment in assessments:
        subjects[assessment.operation_id].append(assessment)

    def name_of(pk: int | None) -> str:
        operation = subjects[pk][0].operation
        return operation.name if operation is not None else ""

    order = sorted(subjects, key=lambda pk: (pk is not None, name_of(pk)))
    series = []
    for pk in order:
        items = subjects[pk]
        label = name_of(pk) if pk is not None else gettext("The principal as a whole")
        in_period = [a for a in items if a.period_end >= since]
        before = [a for a in items if a.period_end < since]
        points = [
            charts.Point(day=a.period_end, value=a.step_number, text=names.get(a.step_number, ""))
            for a in ([before[-1]] if before else []) + in_period
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
    return {"chart": chart, "assessments": [a for pk in order for a in subjects[pk]]}


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
        ).select_related("computed_step", "override_step")
    }
    return {"rows": [OperationRow(o, current.get(o.pk)) for o in operations]}


def indicator_summary(
    *, principal: Principal, since: datetime.date, until: datetime.date
) -> dict[str, Any]:
    """The principal's latest value of each active per-principal indicator
    from `since` to `until`, against the target, as rows and a chart (the
    dashboard's and the principal snapshot's). Two queries."""
    latest = {
        v.indicator_id: v
        for v in latest_values(
            tenant_id=principal.tenant_id, since=since, until=until, principal=principal
        )
    }
    rows = []
    for indicator in Indicator.objects.filter(
        tenant_id=principal.tenant_id, archived_at__isnull=True, level=IndicatorLevel.PRINCIPAL
    ).order_by("name"):
        value = latest.get(indicator.pk)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                value=value.value if value else None,
                period=value.period if value else None,
                reported=int(value is not None),
                meeting_target=int(value is not None and meets(indicator, value.value)),
                achievement=achievement(indicator, value.value if value else None),
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
    """The principal's current appointments. One query."""
    return {
        "appointments": list(
            appointment_list(
                tenant=request.tenant, on=request.filters.today, principal=request.principal
            )
        )
    }


def principal_examples(request: PanelRequest) -> dict[str, Any]:
    """The principal's good examples the reader may see. Four queries."""
    return {
        "examples": list(
            example_list(tenant=request.tenant, membership=request.membership).filter(
                principal=request.principal
            )
        )
    }
