"""What the implementation app's dashboard panels compute: the staircase
matrix, reporting completeness, progress per quarter, indicators against
targets, and a principal's timeline, operations and indicators."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django_scopes import scope, scopes_disabled

from implementation.models import Indicator, IndicatorValue
from implementation.selectors import dashboard
from portal.dashboards.registry import Filters, PanelRequest, add_months
from portal.documents import registry as documents
from portal.models import Sector
from tests.dashboard_scene import Scene, approved_assessment
from tests.factories import OperationFactory, PrincipalFactory

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def scene(world, staircase) -> Scene:
    from governance.models import Body

    with scopes_disabled():
        body = Body.objects.create(
            tenant=world.tenant, name="Styrgruppen", code="SG", kind="styrgrupp"
        )
    return Scene(tenant=world.tenant, staircase=staircase, body=body)


def ask(world, panel, *, principal=None, role="leader", **filters):
    request = PanelRequest(
        tenant=world.tenant,
        membership=world.memberships[role],
        filters=Filters(today=TODAY, **filters),
        principal=principal,
    )
    with scope(tenant=world.tenant):
        return panel(request)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


class TestStaircaseMatrix:
    def test_cells_hold_the_current_approved_steps(self, world, scene):
        principal = world.principal
        school_a = OperationFactory(
            tenant=world.tenant, principal=principal, sector=Sector.COMPULSORY_SCHOOL
        )
        school_b = OperationFactory(
            tenant=world.tenant, principal=principal, sector=Sector.COMPULSORY_SCHOOL
        )
        OperationFactory(tenant=world.tenant, principal=principal, sector=Sector.COMPULSORY_SCHOOL)
        OperationFactory(tenant=world.tenant, principal=world.other_principal, sector=Sector.POLICE)
        approved_assessment(scene, principal, 3, period_end=days_ago(30))
        approved_assessment(scene, principal, 5, period_end=days_ago(400), superseded=True)
        approved_assessment(scene, principal, 2, operation=school_a, period_end=days_ago(30))
        approved_assessment(scene, principal, 4, operation=school_b, period_end=days_ago(30))

        matrix = ask(world, dashboard.staircase_matrix)["matrix"]

        assert [value for value, _label in matrix.sectors] == ["grundskola", "polis"]
        row = next(r for r in matrix.rows if r.principal == principal)
        assert row.whole.text == "3"  # not the superseded 5
        school = dict(row.cells)["grundskola"]
        assert school.text == "2–4" and school.lowest == 2
        assert (school.assessed, school.total) == (2, 3)
        assert dict(row.cells)["polis"] is None  # no operation there
        other = next(r for r in matrix.rows if r.principal == world.other_principal)
        assert other.whole.steps == ()

    def test_unapproved_assessments_do_not_count(self, world, scene):
        from tests.implementation.helpers import rate, start, submit

        assessment = start(world)
        rate(world, assessment, 4)
        submit(world, assessment)
        matrix = ask(world, dashboard.staircase_matrix)["matrix"]
        row = next(r for r in matrix.rows if r.principal == world.principal)
        assert row.whole.steps == ()

    def test_sector_filter_keeps_one_column(self, world, scene):
        OperationFactory(tenant=world.tenant, principal=world.principal, sector=Sector.POLICE)
        OperationFactory(tenant=world.tenant, principal=world.principal, sector=Sector.PRESCHOOL)
        matrix = ask(world, dashboard.staircase_matrix, sector="polis")["matrix"]
        assert [value for value, _label in matrix.sectors] == ["polis"]

    def test_another_programme_stays_out(self, world, other_world, scene, other_staircase):
        PrincipalFactory(tenant=other_world.tenant, name="Växjö kommun")
        matrix = ask(world, dashboard.staircase_matrix)["matrix"]
        assert "Växjö kommun" not in [r.principal.name for r in matrix.rows]


class TestCompleteness:
    def test_share_of_principals_approved_within_the_interval(self, world, scene):
        world.tenant.reporting_interval_months = 6
        world.tenant.save()
        approved_assessment(
            scene, world.principal, 2, period_end=days_ago(40)
        )  # approved 30 days ago
        approved_assessment(scene, world.other_principal, 2, period_end=days_ago(250))  # too old
        data = ask(world, dashboard.reporting_completeness)
        assert (data["complete"], data["total"], data["percent"]) == (1, 2, 50)
        assert [row.principal for row in data["missing"]] == [world.other_principal]
        assert data["cutoff"] == datetime.date(2025, 12, 15)

    def test_with_a_sector_only_its_principals_and_operations_count(self, world, scene):
        school = OperationFactory(
            tenant=world.tenant, principal=world.principal, sector=Sector.COMPULSORY_SCHOOL
        )
        approved_assessment(scene, world.principal, 2, period_end=days_ago(40))  # as a whole
        data = ask(world, dashboard.reporting_completeness, sector="grundskola")
        assert (data["complete"], data["total"]) == (
            0,
            1,
        )  # the whole does not count for the sector
        approved_assessment(scene, world.principal, 2, operation=school, period_end=days_ago(40))
        data = ask(world, dashboard.reporting_completeness, sector="grundskola")
        assert (data["complete"], data["total"]) == (1, 1)

    def test_no_principals_is_zero_not_an_error(self, world, scene):
        with scopes_disabled():
            from django.utils import timezone

            type(world.principal).objects.filter(tenant=world.tenant).update(
                archived_at=timezone.now()
            )
        data = ask(world, dashboard.reporting_completeness)
        assert (data["complete"], data["total"], data["percent"]) == (0, 0, 0)


class TestProgress:
    def test_quarters_of_a_period(self):
        assert dashboard.quarters(datetime.date(2025, 7, 1), TODAY) == [
            (2025, 3),
            (2025, 4),
            (2026, 1),
            (2026, 2),
        ]
        assert dashboard.quarter_end(2026, 1) == datetime.date(2026, 3, 31)
        assert dashboard.quarter_end(2025, 4) == datetime.date(2025, 12, 31)
        assert add_months(datetime.date(2026, 1, 31), -1) == datetime.date(2025, 12, 1)

    def test_each_quarter_holds_the_latest_step_by_its_end(self, world, scene):
        principal = world.principal
        approved_assessment(
            scene, principal, 1, period_end=datetime.date(2025, 8, 31), superseded=True
        )
        approved_assessment(scene, principal, 3, period_end=datetime.date(2026, 2, 28))
        data = ask(world, dashboard.progress_over_time, months=12)
        assert data["labels"] == ["2025 K3", "2025 K4", "2026 K1", "2026 K2"]
        row = next(r for r in data["rows"] if r.principal == principal)
        assert row.steps == (1, 1, 3, 3)
        other = next(r for r in data["rows"] if r.principal == world.other_principal)
        assert other.steps == (None, None, None, None)
        # the chart counts principals per step in each quarter
        columns = data["chart"].columns
        assert [c.total for c in columns] == [1, 1, 1, 1]
        step_three = [key for key, _label, _colour in data["chart"].keys].index(3)
        assert columns[2].counts[step_three] == 1

    def test_without_a_whole_assessment_the_median_of_the_operations(self, world, scene):
        ops = [
            OperationFactory(
                tenant=world.tenant, principal=world.principal, sector=Sector.COMPULSORY_SCHOOL
            )
            for _ in range(3)
        ]
        for operation, step in zip(ops, (1, 4, 2), strict=True):
            approved_assessment(
                scene, world.principal, step, operation=operation, period_end=days_ago(60)
            )
        data = ask(world, dashboard.progress_over_time, months=6)
        row = next(r for r in data["rows"] if r.principal == world.principal)
        assert row.steps[-1] == 2

    def test_sector_filter_reads_only_the_sectors_operations(self, world, scene):
        school = OperationFactory(
            tenant=world.tenant, principal=world.principal, sector=Sector.COMPULSORY_SCHOOL
        )
        police = OperationFactory(
            tenant=world.tenant, principal=world.principal, sector=Sector.POLICE
        )
        approved_assessment(scene, world.principal, 5, period_end=days_ago(60))
        approved_assessment(scene, world.principal, 2, operation=school, period_end=days_ago(60))
        approved_assessment(scene, world.principal, 6, operation=police, period_end=days_ago(60))
        data = ask(world, dashboard.progress_over_time, months=6, sector="grundskola")
        row = next(r for r in data["rows"] if r.principal == world.principal)
        assert row.steps[-1] == 2


class TestIndicators:
    def make(self, world, **fields) -> Indicator:
        defaults = {"kind": "andel", "level": "huvudman", "target": Decimal(80)}
        with scopes_disabled():
            return Indicator.objects.create(tenant=world.tenant, **{**defaults, **fields})

    def value(self, world, indicator, principal, month: datetime.date, value) -> None:
        with scopes_disabled():
            IndicatorValue.objects.create(
                tenant=world.tenant,
                indicator=indicator,
                principal=principal,
                period=month,
                value=Decimal(value),
                source="enkat",
            )

    def test_per_principal_indicator_is_the_mean_of_the_latest_values(self, world, scene):
        indicator = self.make(world, name="Andel med plan")
        self.value(world, indicator, world.principal, datetime.date(2026, 4, 1), 60)
        self.value(world, indicator, world.principal, datetime.date(2026, 5, 1), 90)  # latest
        self.value(world, indicator, world.other_principal, datetime.date(2026, 3, 1), 70)
        self.value(
            world, indicator, world.other_principal, datetime.date(2023, 3, 1), 10
        )  # outside
        row = ask(world, dashboard.indicators_against_targets, months=12)["rows"][0]
        assert row.value == Decimal(80)  # (90 + 70) / 2
        assert (row.reported, row.meeting_target) == (2, 1)
        assert row.achievement == pytest.approx(100.0)
        assert row.period == datetime.date(2026, 5, 1)

    def test_lower_is_better_and_programme_level(self, world, scene):
        lower = self.make(
            world, name="Väntetid", kind="antal", target=Decimal(10), direction="lagre"
        )
        programme = self.make(
            world, name="Träffar", kind="antal", level="program", target=Decimal(12)
        )
        self.value(world, lower, world.principal, datetime.date(2026, 5, 1), 20)
        self.value(world, programme, None, datetime.date(2026, 5, 1), 12)
        rows = {
            r.indicator.name: r for r in ask(world, dashboard.indicators_against_targets)["rows"]
        }
        assert rows["Väntetid"].achievement == pytest.approx(50.0)
        assert rows["Väntetid"].meeting_target == 0
        assert rows["Träffar"].meeting_target == 1 and rows["Träffar"].value == Decimal(12)

    def test_indicators_without_a_target_are_left_out(self, world, scene):
        self.make(world, name="Utan mål", target=None)
        assert ask(world, dashboard.indicators_against_targets)["rows"] == []

    def test_principal_indicators_read_only_that_principal(self, world, scene):
        indicator = self.make(world, name="Andel med plan")
        self.value(world, indicator, world.principal, datetime.date(2026, 5, 1), 85)
        self.value(world, indicator, world.other_principal, datetime.date(2026, 5, 1), 10)
        data = ask(world, dashboard.principal_indicators, principal=world.principal)
        (row,) = data["rows"]
        assert row.value == Decimal(85) and row.meeting_target == 1
        assert [bar.bar.text for bar in data["chart"].bars] == ["106 %"]


class TestPrincipalPanels:
    def test_timeline_has_a_line_per_subject_from_the_period_start(self, world, scene):
        school = OperationFactory(
            tenant=world.tenant,
            principal=world.principal,
            name="Skolan",
            sector=Sector.COMPULSORY_SCHOOL,
        )
        approved_assessment(
            scene, world.principal, 1, period_end=datetime.date(2024, 6, 30), superseded=True
        )
        approved_assessment(
            scene, world.principal, 2, period_end=datetime.date(2025, 12, 31), superseded=True
        )
        approved_assessment(scene, world.principal, 4, period_end=datetime.date(2026, 3, 31))
        approved_assessment(
            scene, world.principal, 3, operation=school, period_end=datetime.date(2026, 3, 31)
        )
        data = ask(world, dashboard.staircase_timeline, principal=world.principal, months=12)
        labels = [s.series.label for s in data["chart"].series]
        assert labels[1] == "Skolan" and len(labels) == 2
        whole = data["chart"].series[0].series
        # the step before the period starts the line, then the steps in it
        assert [(p.day.year, p.value) for p in whole.points] == [(2024, 1), (2025, 2), (2026, 4)]

    def test_operations_with_their_current_step(self, world, scene):
        school = OperationFactory(
            tenant=world.tenant, principal=world.principal, sector=Sector.COMPULSORY_SCHOOL
        )
        OperationFactory(tenant=world.tenant, principal=world.principal, sector=Sector.POLICE)
        approved_assessment(scene, world.principal, 3, operation=school, period_end=days_ago(30))
        rows = ask(world, dashboard.principal_operations, principal=world.principal)["rows"]
        assert [
            (r.operation.sector, r.current.step_number if r.current else None) for r in rows
        ] == [
            ("grundskola", 3),
            ("polis", None),
        ]

    def test_the_snapshot_pdf_draws_the_dashboards_charts(self, world, scene):
        approved_assessment(scene, world.principal, 2, period_end=days_ago(30))
        with scopes_disabled():
            indicator = Indicator.objects.create(
                tenant=world.tenant,
                name="Andel med plan",
                kind="andel",
                level="huvudman",
                target=80,
            )
            IndicatorValue.objects.create(
                tenant=world.tenant,
                indicator=indicator,
                principal=world.principal,
                period=days_ago(40).replace(day=1),
                value=Decimal(60),
                source="enkat",
            )
        with scope(tenant=world.tenant):
            sections = {
                s.key: s for s in documents.render_sections("principal_snapshot", world.principal)
            }
            html = {
                key: render_to_string(
                    sections[key].template, {"data": sections[key].data, "object": world.principal}
                )
                for key in ("implementation.staircase", "implementation.indicators")
            }
        assert '<svg class="chart__svg" role="img"' in html["implementation.staircase"]
        assert "pdf-chart-timeline" in html["implementation.staircase"]
        assert "pdf-chart-indicators" in html["implementation.indicators"]
        assert "75 %" in html["implementation.indicators"]  # 60 of the target 80
