"""Drive self-assessments through the services, as the views would."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from implementation.models import CriterionRating, Rating, SelfAssessment, Step
from implementation.services import assessments as services

H1 = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
H2 = (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))


def start(
    world, *, principal=None, operation=None, sub_project=None, actor="leader", period=H1
) -> SelfAssessment:
    with scope(tenant=world.tenant):
        return services.assessment_create(
            actor=world.users[actor],
            tenant=world.tenant,
            principal=principal or world.principal,
            operation=operation,
            sub_project=sub_project,
            period_start=period[0],
            period_end=period[1],
        )


def ratings_for(assessment: SelfAssessment, step: int) -> dict[int, str]:
    """Every criterion of steps 1..`step` established, the rest in progress."""
    with scopes_disabled():
        steps = Step.objects.filter(staircase_id=assessment.staircase_id).prefetch_related(
            "criteria"
        )
        return {
            criterion.pk: Rating.ESTABLISHED if s.number <= step else Rating.IN_PROGRESS
            for s in steps
            for criterion in s.criteria.all()
        }


def rate(
    world, assessment: SelfAssessment, step: int, *, actor="leader", **fields
) -> SelfAssessment:
    with scope(tenant=world.tenant):
        return services.assessment_update(
            actor=world.users[actor],
            assessment=assessment,
            period_start=assessment.period_start,
            period_end=assessment.period_end,
            ratings=ratings_for(assessment, step),
            **fields,
        )


def submit(world, assessment: SelfAssessment, *, actor="leader") -> SelfAssessment:
    with scope(tenant=world.tenant):
        return services.assessment_submit(actor=world.users[actor], assessment=assessment)


def approve(world, assessment: SelfAssessment) -> SelfAssessment:
    with scope(tenant=world.tenant):
        return services.assessment_approve(actor=world.users["leader"], assessment=assessment)


def send_back(world, assessment: SelfAssessment, comment="Beskriv underlaget.") -> SelfAssessment:
    with scope(tenant=world.tenant):
        return services.assessment_return(
            actor=world.users["leader"], assessment=assessment, comment=comment
        )


def approved(
    world,
    step: int,
    *,
    principal=None,
    operation=None,
    sub_project=None,
    period=H1,
    approved_on=None,
) -> SelfAssessment:
    """An approved assessment on `step` (approved at `approved_on`, default now)."""
    assessment = start(
        world, principal=principal, operation=operation, sub_project=sub_project, period=period
    )
    rate(world, assessment, step)
    submit(world, assessment)
    assessment = approve(world, assessment)
    if approved_on is not None:
        moment = timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time(12)))
        with scopes_disabled():
            SelfAssessment.objects.filter(pk=assessment.pk).update(approved_at=moment)
            assessment.refresh_from_db()
    return assessment


def ratings_of(assessment: SelfAssessment) -> dict[int, str]:
    with scopes_disabled():
        return dict(
            CriterionRating.objects.filter(assessment=assessment).values_list(
                "criterion_id", "rating"
            )
        )
