"""Reads for the staircase: a version with its steps and criteria, and the versions."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from implementation.models import Criterion, Staircase, Step
from portal.models import Tenant


def _with_steps(qs: QuerySet[Staircase]) -> QuerySet[Staircase]:
    criteria = Criterion.objects.order_by("position")
    steps = Step.objects.order_by("number").prefetch_related(Prefetch("criteria", criteria))
    return qs.prefetch_related(Prefetch("steps", steps))


def staircase_versions(*, tenant: Tenant) -> QuerySet[Staircase]:
    """Every version of the programme's staircase, newest first, with the
    number of assessments made against each."""
    return (
        Staircase.objects.filter(tenant=tenant)
        .select_related("created_by")
        .annotate(assessment_count=Count("assessments"))
        .order_by("-version")
    )


def staircase_page(*, tenant: Tenant, version: int | None = None) -> Staircase | None:
    """One version (default: the current one) with its steps and criteria
    loaded, and how many assessments use it."""
    qs = _with_steps(staircase_versions(tenant=tenant))
    if version is None:
        return qs.filter(is_current=True).first()
    return qs.filter(version=version).first()


def step_queryset(*, tenant: Tenant) -> QuerySet[Step]:
    return Step.objects.filter(tenant=tenant).select_related("staircase")


def criterion_queryset(*, tenant: Tenant) -> QuerySet[Criterion]:
    return Criterion.objects.filter(tenant=tenant).select_related("step__staircase")
