"""The bench programme's implementation data: self-assessments against the
default staircase with every criterion rated, goals, indicators and their
monthly values, appointments and good examples."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from implementation.models import (
    Appointment,
    AppointmentFunction,
    AssessmentStatus,
    AssessmentStatusChange,
    Criterion,
    CriterionRating,
    FocusArea,
    Goal,
    GoodExample,
    Indicator,
    IndicatorLevel,
    IndicatorValue,
    Rating,
    SelfAssessment,
    Step,
    ValueSource,
)
from implementation.services import catalogue
from implementation.services.staircase import staircase_ensure_default
from portal.models import Operation, Principal

from . import texts
from .base import BATCH, PRINCIPAL_INDICATORS, PROGRAMME_INDICATOR_MONTHS, Seeder, first_of_month


class ImplementationSeed(Seeder):
    # Implementation -------------------------------------------------------------------

    def implementation(self) -> None:
        self.staircase = staircase_ensure_default(self.tenant)
        catalogue.ensure_defaults(self.tenant)
        self.steps = list(
            Step.objects.filter(staircase=self.staircase)
            .prefetch_related("criteria")
            .order_by("number")
        )
        self.assessments()
        self.indicators()
        self.appointments_and_examples()

    def assessments(self) -> None:
        """Every principal as a whole and each of its operations report about
        quarterly, each approval superseding the last; the newest of most
        subjects is still open (a draft, submitted or returned)."""
        subjects: list[tuple[Principal, Operation | None]] = []
        for principal in self.principals:
            subjects.append((principal, None))
            subjects += [(principal, op) for op in self.operations_of[principal.pk]]
        total = self.sizes.assessments
        counts = [
            total // len(subjects) + (s < total % len(subjects)) for s in range(len(subjects))
        ]
        span = (self.today - datetime.timedelta(days=1) - self.start).days
        plans = []
        for s, ((principal, operation), count) in enumerate(zip(subjects, counts, strict=True)):
            final = 1 + (s * 7) % len(self.steps)
            setback = count // 2 if s % 11 == 5 else -1
            open_status = (
                AssessmentStatus.DRAFT,
                AssessmentStatus.SUBMITTED,
                AssessmentStatus.RETURNED,
                None,
            )[s % 4]
            for j in range(count):
                start = self.start + datetime.timedelta(days=span * j // max(1, count))
                end = self.start + datetime.timedelta(days=span * (j + 1) // max(1, count) - 1)
                step = min(final, round(final * (j + 1) / count))
                if j == setback:
                    step = max(0, step - 1)
                last = j == count - 1
                status = open_status if last and open_status else AssessmentStatus.APPROVED
                plans.append((s, j, principal, operation, start, max(start, end), step, status))
        previous: dict[int, SelfAssessment] = {}
        for j in range(max(counts)):
            made = self.assessment_round([p for p in plans if p[1] == j], previous)
            for plan, assessment in made:
                if assessment.status == AssessmentStatus.APPROVED:
                    previous[plan[0]] = assessment

    def assessment_round(
        self, plans: list[Any], previous: dict[int, SelfAssessment]
    ) -> list[tuple[Any, SelfAssessment]]:
        rng = self.rng
        rows, superseded = [], []
        by_number = {step.number: step for step in self.steps}
        for s, _j, principal, operation, start, end, step_number, status in plans:
            reporter = self.reporter if principal.pk == self.reporter_principal else self.pl
            created = min(self.moment(end - datetime.timedelta(days=10), 9), self.now)
            submitted = min(self.moment(end + datetime.timedelta(days=5), 14), self.now)
            approved = min(self.moment(end + datetime.timedelta(days=12), 11), self.now)
            before = previous.get(s)
            approved_status = status == AssessmentStatus.APPROVED
            override = (
                by_number.get(step_number + 1)
                if approved_status and s % 37 == 3 and step_number < len(self.steps)
                else None
            )
            assessment = SelfAssessment(
                tenant=self.tenant,
                staircase=self.staircase,
                principal=principal,
                operation=operation,
                period_start=start,
                period_end=end,
                status=status,
                computed_step=by_number.get(step_number),
                override_step=override,
                override_justification="Processledarna bedömer att steget är nått i praktiken."
                if override
                else "",
                step_number=override.number if override else step_number,
                previous_step_number=before.step_number if before and approved_status else None,
                supersedes=before if approved_status else None,
                evidence="Protokoll från ledningsgruppen och verksamhetsplanen."
                if step_number
                else "",
                comment=rng.choice(("", "", "Arbetet går enligt plan.")),
                return_comment="Komplettera med underlag för steg 2."
                if status == AssessmentStatus.RETURNED
                else "",
                created_by=reporter,
                created_at=created,
                updated_at=approved if approved_status else created,
                submitted_by=reporter if status != AssessmentStatus.DRAFT else None,
                submitted_at=submitted if status != AssessmentStatus.DRAFT else None,
                approved_by=self.pl if approved_status else None,
                approved_at=approved if approved_status else None,
                version={AssessmentStatus.DRAFT: 2, AssessmentStatus.SUBMITTED: 3}.get(status, 4),
            )
            if before is not None and approved_status:
                before.superseded_at = approved
                superseded.append(before)
            rows.append(assessment)
        # One current approved assessment per subject: the one it replaces goes first.
        SelfAssessment.objects.bulk_update(superseded, ["superseded_at"], batch_size=BATCH)
        made = self.bulk(SelfAssessment, rows)
        ratings, changes = [], []
        for assessment in made:
            computed = assessment.computed_step.number if assessment.computed_step else 0
            for step in self.steps:
                for criterion in step.criteria.all():
                    ratings.append(
                        CriterionRating(
                            tenant=self.tenant,
                            assessment=assessment,
                            criterion=criterion,
                            rating=self.rating(step.number, computed, criterion),
                        )
                    )
            changes += self.assessment_changes(assessment)
        self.bulk(CriterionRating, ratings)
        self.bulk(AssessmentStatusChange, changes)
        return list(zip(plans, made, strict=True))

    def rating(self, number: int, computed: int, criterion: Criterion) -> str:
        """Established up to the computed step; the next step under way, but
        not all there (or it would be reached); nothing yet above it."""
        if number <= computed:
            return Rating.ESTABLISHED
        if number == computed + 1:
            return Rating.IN_PROGRESS if criterion.position == 1 else Rating.ESTABLISHED
        return self.rng.choice((Rating.NOT_STARTED, ""))

    def assessment_changes(self, assessment: SelfAssessment) -> list[AssessmentStatusChange]:
        def change(
            from_status: str, to_status: str, at: datetime.datetime | None, **kw: Any
        ) -> Any:
            return AssessmentStatusChange(
                tenant=self.tenant,
                assessment=assessment,
                from_status=from_status,
                to_status=to_status,
                at=at or assessment.created_at,
                **kw,
            )

        status = assessment.status
        rows = [
            change("", AssessmentStatus.DRAFT, assessment.created_at, actor=assessment.created_by)
        ]
        if status != AssessmentStatus.DRAFT:
            rows.append(
                change(
                    AssessmentStatus.DRAFT,
                    AssessmentStatus.SUBMITTED,
                    assessment.submitted_at,
                    actor=assessment.submitted_by,
                )
            )
        if status == AssessmentStatus.RETURNED:
            rows.append(
                change(
                    AssessmentStatus.SUBMITTED,
                    AssessmentStatus.RETURNED,
                    min(assessment.submitted_at + datetime.timedelta(days=2), self.now)
                    if assessment.submitted_at
                    else None,
                    actor=self.pl,
                    comment=assessment.return_comment,
                )
            )
        if status == AssessmentStatus.APPROVED:
            rows.append(
                change(
                    AssessmentStatus.SUBMITTED,
                    AssessmentStatus.APPROVED,
                    assessment.approved_at,
                    actor=self.pl,
                )
            )
        return rows

    @property
    def reporter_principal(self) -> int:
        return self.principals[1 % len(self.principals)].pk

    def indicators(self) -> None:
        """Monthly values: per principal for the first indicators, then
        programme-wide ones, until the programme has its number of values."""
        total, rng = self.sizes.indicator_values, self.rng
        months = [first_of_month(self.today, back) for back in range(60, 0, -1)]
        goals = self.goals()
        indicators: list[Indicator] = []
        values: list[IndicatorValue] = []
        k = 0
        while len(values) < total:
            per_principal = k < PRINCIPAL_INDICATORS
            name, kind, unit = texts.INDICATORS[k % len(texts.INDICATORS)]
            if k >= len(texts.INDICATORS):
                name = f"{name} ({'huvudman' if per_principal else 'programmet'} {k + 1})"
            target = {"andel": Decimal(80), "antal": Decimal(40), "skala": Decimal(4)}.get(kind)
            indicator = Indicator(
                tenant=self.tenant,
                name=name,
                unit=unit,
                kind=kind,
                level=IndicatorLevel.PRINCIPAL if per_principal else IndicatorLevel.PROGRAMME,
                target=Decimal(1) if kind == "ja_nej" else target,
                goal=goals[k % len(goals)],
            )
            indicators.append(indicator)
            whose: Sequence[Principal | None] = self.principals if per_principal else [None]
            periods = months if per_principal else months[-PROGRAMME_INDICATOR_MONTHS:]
            for t, period in enumerate(periods):
                for principal in whose:
                    if len(values) == total:
                        break
                    values.append(
                        IndicatorValue(
                            tenant=self.tenant,
                            indicator=indicator,
                            principal=principal,
                            period=period,
                            value=self.value(kind, t / len(periods), rng),
                            source=ValueSource.REGISTER if k % 3 else ValueSource.SURVEY,
                            reported_by=self.pl,
                            reported_at=self.moment(period + datetime.timedelta(days=40), 9),
                        )
                    )
            k += 1
        self.bulk(Indicator, indicators)
        self.bulk(IndicatorValue, values)

    @staticmethod
    def value(kind: str, progress: float, rng: random.Random) -> Decimal:
        """A value that improves over the five years, with noise."""
        if kind == "andel":
            return Decimal(min(100, max(0, round(30 + 55 * progress + rng.uniform(-8, 8)))))
        if kind == "antal":
            return Decimal(max(0, round(10 + 35 * progress + rng.uniform(-5, 5))))
        if kind == "skala":
            return Decimal(min(5, max(1, round(2 + 2.5 * progress + rng.uniform(-1, 1)))))
        return Decimal(1 if rng.random() < 0.2 + 0.7 * progress else 0)

    def goals(self) -> list[Goal]:
        goals = []
        for area in FocusArea.objects.filter(tenant=self.tenant).order_by("position"):
            for n in (1, 2):
                goals.append(
                    Goal(
                        tenant=self.tenant,
                        focus_area=area,
                        title=f"{area.name}: mål {n}",
                        target_date=datetime.date(self.today.year + 1, 6 * n, 30),
                    )
                )
        return self.bulk(Goal, goals)

    def appointments_and_examples(self) -> None:
        functions = list(
            AppointmentFunction.objects.filter(tenant=self.tenant).order_by("position")
        )
        appointments, examples, example_operations, example_steps = [], [], [], []
        for index, principal in enumerate(self.principals):
            staff = self.by_principal[principal.pk]
            if not staff:
                continue
            for f, function in enumerate(functions[:2]):
                if f == 0 and index % 4 == 3:
                    continue  # some still have no Barnets bästa-ansvarig
                appointments.append(
                    Appointment(
                        tenant=self.tenant,
                        function=function,
                        principal=principal,
                        person=staff[f % len(staff)],
                        start_date=self.start + datetime.timedelta(days=90 * (f + 1)),
                    )
                )
            published = self.moment(self.today - datetime.timedelta(days=30 + 20 * index))
            examples.append(
                GoodExample(
                    tenant=self.tenant,
                    title=f"Gott exempel från {principal.name}",
                    principal=principal,
                    description="Ett arbetssätt som andra huvudmän har tagit efter.",
                    contact_person=staff[0],
                    published_at=published,
                    created_at=published,
                    updated_at=published,
                )
            )
        self.bulk(Appointment, appointments)
        for example in self.bulk(GoodExample, examples):
            for operation in self.operations_of[example.principal_id][:2]:
                example_operations.append(
                    {"goodexample_id": example.pk, "operation_id": operation.pk}
                )
            example_steps.append({"goodexample_id": example.pk, "step_id": self.steps[2].pk})
        self.through(GoodExample.operations, example_operations)
        self.through(GoodExample.steps, example_steps)
