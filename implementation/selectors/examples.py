"""Reads for good examples, and the principal page that gathers a principal's
examples, appointed people, current step and ongoing work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from implementation.models import (
    Activity,
    Appointment,
    AssessmentStatus,
    GoodExample,
    SelfAssessment,
    Step,
    SubProject,
    WellbeingArea,
)
from implementation.selectors.appointments import appointment_list
from implementation.selectors.plan import work_for_principal
from portal.models import Membership, Operation, Principal, Tenant
from portal.permissions import can


def visible_examples(*, tenant: Tenant, membership: Membership) -> QuerySet[GoodExample]:
    """Published examples for everyone; unpublished ones for process leaders
    and the principal's own reporters (`implementation.view_unapproved`)."""
    qs = GoodExample.objects.filter(tenant=tenant, archived_at__isnull=True)
    if can(membership, "implementation.view_unapproved"):
        return qs
    own = membership.principal if membership.principal_id else None
    if own is not None and can(membership, "implementation.view_unapproved", own):
        return qs.filter(Q(published_at__isnull=False) | Q(principal_id=own.pk))
    return qs.filter(published_at__isnull=False)


def example_list(*, tenant: Tenant, membership: Membership) -> QuerySet[GoodExample]:
    """The examples the reader may see, with what their cards show loaded."""
    return (
        visible_examples(tenant=tenant, membership=membership)
        .select_related("principal", "contact_person")
        .prefetch_related(
            Prefetch("operations", Operation.objects.order_by("name")),
            Prefetch("wellbeing_areas", WellbeingArea.objects.order_by("position")),
            Prefetch("steps", Step.objects.order_by("number")),
        )
        .order_by("principal__name", "-published_at", "title")
    )


@dataclass
class PrincipalPage:
    principal: Principal
    previous: Principal | None
    next: Principal | None
    principals: list[Principal]
    current: list[SelfAssessment]
    examples: list[GoodExample]
    appointments: list[Appointment]
    sub_projects: list[SubProject]
    activities: list[Activity]


def principal_page(
    *, tenant: Tenant, membership: Membership, principal: Principal, on: datetime.date
) -> PrincipalPage:
    """Everything the programme may see of a principal's implementation work:
    its current steps, good examples, appointed people and the ongoing
    sub-projects and activities it takes part in; and the principals before
    and after it, to click through."""
    principals = list(
        Principal.objects.filter(tenant=tenant)
        .filter(Q(archived_at__isnull=True) | Q(pk=principal.pk))
        .order_by("name")
    )
    position = next(i for i, p in enumerate(principals) if p.pk == principal.pk)
    current = list(
        SelfAssessment.objects.filter(
            tenant=tenant,
            principal=principal,
            status=AssessmentStatus.APPROVED,
            superseded_at__isnull=True,
        )
        .select_related("operation", "sub_project", "computed_step", "override_step")
        .order_by("operation__name", "sub_project__title")
    )
    projects, activities = work_for_principal(tenant=tenant, principal=principal)
    return PrincipalPage(
        principal=principal,
        previous=principals[position - 1] if position > 0 else None,
        next=principals[position + 1] if position + 1 < len(principals) else None,
        principals=principals,
        current=current,
        examples=list(
            example_list(tenant=tenant, membership=membership).filter(principal=principal)
        ),
        appointments=list(appointment_list(tenant=tenant, on=on, principal=principal)),
        sub_projects=projects,
        activities=activities,
    )


def filtered_examples(
    *, tenant: Tenant, membership: Membership, area: WellbeingArea | None = None, status: str = ""
) -> QuerySet[GoodExample]:
    """The list page's examples: `example_list`, of one wellbeing area and
    one status (pagaende, avslutat) when given."""
    examples = example_list(tenant=tenant, membership=membership)
    if area is not None:
        examples = examples.filter(wellbeing_areas=area)
    if status:
        examples = examples.filter(status=status)
    return examples
