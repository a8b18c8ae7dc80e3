"""Reads for the implementation plan: sub-projects and activities."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from implementation.models import Activity, SubProject, WellbeingArea
from portal.models import Principal, Tenant


def _activities(include_archived: bool) -> QuerySet[Activity]:
    qs = Activity.objects.select_related("owner", "goal").prefetch_related(
        Prefetch("principals", Principal.objects.order_by("name")),
        Prefetch("wellbeing_areas", WellbeingArea.objects.order_by("position")),
    )
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("due_date", "title")


def sub_projects(*, tenant: Tenant, include_archived: bool = False) -> QuerySet[SubProject]:
    """Sub-projects with their activities, owners, principals and areas loaded."""
    qs = (
        SubProject.objects.filter(tenant=tenant)
        .select_related("owner")
        .prefetch_related(
            Prefetch("activities", _activities(include_archived)),
            Prefetch("principals", Principal.objects.order_by("name")),
            Prefetch("wellbeing_areas", WellbeingArea.objects.order_by("position")),
        )
        .order_by("title")
    )
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def loose_activities(*, tenant: Tenant, include_archived: bool = False) -> QuerySet[Activity]:
    """The plan's activities that are not part of a sub-project."""
    return _activities(include_archived).filter(tenant=tenant, sub_project__isnull=True)


def activity_queryset(*, tenant: Tenant) -> QuerySet[Activity]:
    return _activities(include_archived=True).filter(tenant=tenant).select_related("sub_project")


def work_for_principal(
    *, tenant: Tenant, principal: Principal
) -> tuple[list[SubProject], list[Activity]]:
    """The open sub-projects and activities a principal takes part in."""
    involved = Q(principals=principal) & Q(status__in=["planerad", "pagaende", "pausad"])
    projects = list(
        SubProject.objects.filter(involved, tenant=tenant, archived_at__isnull=True)
        .select_related("owner")
        .distinct()
        .order_by("title")
    )
    activities = list(
        Activity.objects.filter(involved, tenant=tenant, archived_at__isnull=True)
        .select_related("owner", "sub_project")
        .distinct()
        .order_by("due_date", "title")
    )
    return projects, activities


def sub_project_choices(*, tenant: Tenant) -> QuerySet[SubProject]:
    """The sub-projects a new record can belong to: those not archived."""
    return SubProject.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("title")
