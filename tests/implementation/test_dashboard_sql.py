"""The implementation panels (and the programme's figures) compute in the
database what they once computed by looping over model instances: here each
is checked against the straightforward computation over every row of a
realistic, seeded scene, and each costs the same few queries with three times
the data."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from statistics import median_low
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from implementation.models import (
    AssessmentStatus,
    Direction,
    Indicator,
    IndicatorLevel,
    IndicatorValue,
    SelfAssessment,
)
from implementation.selectors import dashboard
from portal.dashboards.registry import Filters, PanelRequest, add_months, programme_figures
from portal.models import Membership, Operation, Person, Principal, Sector
from tests.dashboard_scene import Scene, approved_assessment
from tests.factories import OperationFactory, PersonFactory, PrincipalFactory

TODAY = datetime.date(2026, 6, 15)
SECTORS = (Sector.COMPULSORY_SCHOOL, Sector.SOCIAL_SERVICES, Sector.POLICE, Sector.PRESCHOOL)


def seeded_scene(world, staircase, *, principals: int, seed: int = 7) -> Scene:
    """`principals` principals (one archived), each with operations in a few
    sectors (one archived), a history of approved self-assessments of the
    principal as a whole and of its operations over five years (the last
    current, the others superseded), and monthly indicator values of
    per-principal and programme indicators — some outside every period, some
    of an archived indicator or without a target."""
    from governance.models import Body

    rng = random.Random(seed)
    with scopes_disabled():
        body = Body.objects.create(
            tenant=world.tenant, name="Styrgruppen", code="SG", kind="styrgrupp"
        )
    scene = Scene(tenant=world.tenant, staircase=staircase, body=body)
    archived = timezone.now()
    start = datetime.date(2021, 9, 30)
    with scopes_disabled():
        indicators = [
            Indicator.objects.create(
                tenant=world.tenant,
                name=name,
                kind="antal",
                level=level,
                target=target,
                direction=direction,
                archived_at=archived if name == "Arkiverad" else None,
            )
            for name, level, target, direction in (
                ("Andel med plan", IndicatorLevel.PRINCIPAL, Decimal(80), Direction.HIGHER),
                ("Väntetid", IndicatorLevel.PRINCIPAL, Decimal(12), Direction.LOWER),
                ("Utan mål", IndicatorLevel.PRINCIPAL, None, Direction.HIGHER),
                ("Arkiverad", IndicatorLevel.PRINCIPAL, Decimal(5), Direction.HIGHER),
                ("Nätverksträffar", IndicatorLevel.PROGRAMME, Decimal(10), Direction.HIGHER),
                ("Avhopp", IndicatorLevel.PROGRAMME, Decimal(3), Direction.LOWER),
            )
        ]
    for n in range(principals):
        principal = PrincipalFactory(tenant=world.tenant, name=f"Kommun {n:02d}")
        scene.principals.append(principal)
        operations = [
            OperationFactory(
                tenant=world.tenant,
                principal=principal,
                sector=rng.choice(SECTORS),
                name=f"Verksamhet {n}-{k}",
            )
            for k in range(rng.randint(1, 4))
        ]
        scene.operations += operations
        for operation in [None, *operations]:
            if rng.random() < 0.2:
                continue  # never assessed
            day = start + datetime.timedelta(days=rng.randint(0, 200))
            ends = []
            while day < TODAY + datetime.timedelta(days=60):
                ends.append(day)
                day += datetime.timedelta(days=rng.choice((45, 90, 182, 250)))
            for index, end in enumerate(ends):
                approved_assessment(
                    scene,
                    principal,
                    rng.randint(0, 6),
                    operation=operation,
                    period_end=end,
                    superseded=index < len(ends) - 1,
                )
        PersonFactory(tenant=world.tenant, principal=principal)
        with scopes_disabled():
            for indicator in indicators:
                if indicator.level != IndicatorLevel.PRINCIPAL:
                    continue
                for month in range(-2, 66):
                    if rng.random() < 0.6:
                        continue
                    IndicatorValue.objects.create(
                        tenant=world.tenant,
                        indicator=indicator,
                        principal=principal,
                        period=add_months(TODAY, -month),
                        value=Decimal(rng.randint(0, 12000)) / 100,
                        source="enkat",
                    )
    with scopes_disabled():
        for indicator in indicators:
            if indicator.level == IndicatorLevel.PROGRAMME:
                for month in range(-1, 66, 5):
                    IndicatorValue.objects.create(
                        tenant=world.tenant,
                        indicator=indicator,
                        principal=None,
                        period=add_months(TODAY, -month),
                        value=Decimal(rng.randint(0, 2000)) / 100,
                        source="manuell",
                    )
        Principal.objects.filter(pk=scene.principals[-1].pk).update(archived_at=archived)
        Operation.objects.filter(pk=scene.operations[0].pk).update(archived_at=archived)
    return scene


def ask(world, panel, *, principal=None, **filters):
    request = PanelRequest(
        tenant=world.tenant,
        membership=world.memberships["leader"],
        filters=Filters(today=TODAY, **filters),
        principal=principal,
    )
    with scope(tenant=world.tenant):
        return panel(request)


def approved(world) -> list[SelfAssessment]:
    with scopes_disabled():
        return list(
            SelfAssessment.objects.filter(
                tenant=world.tenant,
                status=AssessmentStatus.APPROVED,
                sub_project__isnull=True,
            )
            .select_related("operation")
            .order_by("period_end", "approved_at", "id")
        )


FILTERS: list[dict[str, Any]] = [
    {},
    {"months": 6},
    {"months": 60},
    {"sector": "grundskola"},
    {"sector": "polis"},
]


@pytest.fixture
def scene(world, staircase) -> Scene:
    return seeded_scene(world, staircase, principals=8)


class TestAgainstTheStraightforwardComputation:
    def test_staircase_matrix(self, world, scene):
        assessments = approved(world)
        current = [a for a in assessments if a.superseded_at is None]
        for filters in FILTERS:
            sector = filters.get("sector", "")
            matrix = ask(world, dashboard.staircase_matrix, **filters)["matrix"]
            with scopes_disabled():
                operations = [
                    o
                    for o in Operation.objects.filter(tenant=world.tenant).select_related(
                        "principal"
                    )
                    if o.archived_at is None
                    and o.principal.archived_at is None
                    and (not sector or o.sector == sector)
                ]
                active = [
                    p.pk
                    for p in Principal.objects.filter(tenant=world.tenant).order_by("name")
                    if p.archived_at is None
                ]
            assert [row.principal.pk for row in matrix.rows] == active
            assert {value for value, _label in matrix.sectors} == {o.sector for o in operations}
            for row in matrix.rows:
                whole = [
                    a.step_number
                    for a in current
                    if a.principal_id == row.principal.pk and a.operation_id is None
                ]
                assert row.whole.steps == tuple(whole)
                for value, cell in row.cells:
                    mine = [
                        o
                        for o in operations
                        if o.principal_id == row.principal.pk and o.sector == value
                    ]
                    if not mine:
                        assert cell is None
                        continue
                    steps = sorted(
                        a.step_number for a in current if a.operation_id in {o.pk for o in mine}
                    )
                    assert (cell.steps, cell.total) == (tuple(steps), len(mine))

    def test_progress_over_time(self, world, scene):
        assessments = approved(world)
        for filters in FILTERS:
            sector = filters.get("sector", "")
            data = ask(world, dashboard.progress_over_time, **filters)
            until = TODAY
            for row in data["rows"]:
                expected = []
                for label in data["labels"]:
                    year, quarter = int(label[:4]), int(label[-1])
                    end = dashboard.quarter_end(year, quarter)
                    seen = [
                        a
                        for a in assessments
                        if a.principal_id == row.principal.pk
                        and a.period_end <= min(end, until)
                        and (not sector or (a.operation and a.operation.sector == sector))
                    ]
                    whole = [a for a in seen if a.operation_id is None]
                    step = None if sector or not whole else whole[-1].step_number
                    if step is None:
                        latest: dict[int, int] = {}
                        for a in seen:
                            if a.operation_id is not None:
                                latest[a.operation_id] = a.step_number
                        step = median_low(latest.values()) if latest else None
                    expected.append(step)
                assert row.steps == tuple(expected), (filters, row.principal.name)

    def test_timeline(self, world, scene):
        assessments = approved(world)
        principal = scene.principals[1]
        for filters in FILTERS:
            sector = filters.get("sector", "")
            since = Filters(today=TODAY, **filters).since
            chart = ask(world, dashboard.staircase_timeline, principal=principal, **filters)[
                "chart"
            ]
            mine = [
                a
                for a in assessments
                if a.principal_id == principal.pk
                and (not sector or (a.operation and a.operation.sector == sector))
            ]
            names = {a.operation_id: a.operation.name for a in mine if a.operation}
            subjects = sorted(
                {a.operation_id for a in mine}, key=lambda pk: (pk is not None, names.get(pk, ""))
            )
            expected = []
            for pk in subjects:
                items = [a for a in mine if a.operation_id == pk]
                before = [a for a in items if a.period_end < since]
                shown = before[-1:] + [a for a in items if a.period_end >= since]
                expected.append([(a.period_end, a.step_number) for a in shown])
            assert [
                [(p.day, p.value) for p in placed.series.points] for placed in chart.series
            ] == expected

    def test_indicators_against_targets(self, world, scene):
        with scopes_disabled():
            values = list(IndicatorValue.objects.filter(tenant=world.tenant))
            indicators = list(
                Indicator.objects.filter(
                    tenant=world.tenant, archived_at__isnull=True, target__isnull=False
                ).order_by("name")
            )
        for months in (6, 12, 24, 60):
            filters = Filters(today=TODAY, months=months)
            rows = ask(world, dashboard.indicators_against_targets, months=months)["rows"]
            assert [row.indicator for row in rows] == indicators
            for row in rows:
                indicator = row.indicator
                latest: dict[int | None, IndicatorValue] = {}
                for v in sorted(values, key=lambda v: v.period):
                    if v.indicator_id == indicator.pk and filters.since <= v.period <= TODAY:
                        latest[v.principal_id] = v
                if indicator.level == IndicatorLevel.PROGRAMME:
                    own = latest.get(None)
                    assert row.value == (own.value if own else None)
                    assert row.period == (own.period if own else None)
                    assert row.reported == 0
                else:
                    found = [v for pk, v in latest.items() if pk is not None]
                    assert row.reported == len(found)
                    assert row.value == (
                        sum(v.value for v in found) / len(found) if found else None
                    )
                    assert row.period == max((v.period for v in found), default=None)
                    assert row.meeting_target == sum(
                        1 for v in found if dashboard.meets(indicator, v.value)
                    )

    def test_principal_indicators(self, world, scene):
        principal = scene.principals[2]
        with scopes_disabled():
            values = list(IndicatorValue.objects.filter(principal=principal))
        for months in (6, 24, 60):
            since = Filters(today=TODAY, months=months).since
            rows = ask(world, dashboard.principal_indicators, principal=principal, months=months)[
                "rows"
            ]
            assert [row.indicator.name for row in rows] == [
                "Andel med plan",
                "Utan mål",
                "Väntetid",
            ]
            for row in rows:
                mine = sorted(
                    (
                        v
                        for v in values
                        if v.indicator_id == row.indicator.pk and since <= v.period <= TODAY
                    ),
                    key=lambda v: v.period,
                )
                assert (row.value, row.period) == (
                    (mine[-1].value, mine[-1].period) if mine else (None, None)
                )

    def test_programme_figures(self, world, other_world, scene):
        elsewhere = PrincipalFactory(tenant=other_world.tenant)
        OperationFactory(tenant=other_world.tenant, principal=elsewhere)
        PersonFactory(tenant=other_world.tenant)
        overview = ask(world, programme_figures)["overview"]
        with scopes_disabled():
            principals = [
                p for p in Principal.objects.filter(tenant=world.tenant) if p.archived_at is None
            ]
            operations = [
                o
                for o in Operation.objects.filter(principal__in=principals)
                if o.archived_at is None
            ]
            people = [p for p in Person.objects.filter(tenant=world.tenant) if not p.archived_at]
            members = [m for m in Membership.objects.filter(tenant=world.tenant) if m.is_active]
        assert (overview.principals, overview.operations, overview.people, overview.members) == (
            len(principals),
            len(operations),
            len(people),
            len(members),
        )


# The same queries with three times the data -------------------------------------------

PROGRAMME_PANELS = {
    dashboard.staircase_matrix: 3,
    dashboard.reporting_completeness: 1,
    dashboard.progress_over_time: 3,
    dashboard.indicators_against_targets: 2,
    programme_figures: 1,
}
PRINCIPAL_PANELS = {
    dashboard.staircase_timeline: 2,
    dashboard.principal_operations: 2,
    dashboard.principal_indicators: 1,
    dashboard.principal_appointments: 1,
    dashboard.principal_examples: 1,
}


@pytest.mark.parametrize("size", [3, 9])
@pytest.mark.parametrize("filters", [{}, {"sector": "grundskola", "months": 60}])
def test_each_panel_costs_the_same_few_queries_at_any_size(
    world, staircase, django_assert_num_queries, size, filters
):
    scene = seeded_scene(world, staircase, principals=size)
    for panel, queries in PROGRAMME_PANELS.items():
        with django_assert_num_queries(queries):
            ask(world, panel, **filters)
    for panel, queries in PRINCIPAL_PANELS.items():
        with django_assert_num_queries(queries):
            ask(world, panel, principal=scene.principals[0], **filters)


def test_a_rows_sector_cells_are_its_step_cells_escaped():
    from implementation.templatetags.implementation_tags import sector_cells, step_cell

    cells = (
        ("grundskola", dashboard.MatrixCell(steps=(2, 4), assessed=2, total=3)),
        ("polis", None),
        ("forskola", dashboard.MatrixCell(steps=(), assessed=0, total=1)),
        ("socialtjanst", dashboard.MatrixCell(steps=(5,), assessed=1, total=1)),
    )
    whole = dashboard.MatrixCell(steps=(), assessed=0, total=1)
    for to_history in (True, False):
        row = dashboard.MatrixRow(
            principal=Principal(name="A"),
            whole=whole,
            cells=cells,
            url='/p/1/?a=1&b="x"',
            to_history=to_history,
        )
        html = sector_cells(row)
        assert html == "".join(
            step_cell(cell, row.url, sector, to_history) for sector, cell in cells
        )
        assert "&amp;b=&quot;x&quot;" in html and '"x"' not in html
    assert html.count("<td") == 4
    assert "step-cell--2" in html and "2–4" in html and "step-cell__note" in html
    assert "step-cell--none" in html and "step-cell--unassessed" in html
