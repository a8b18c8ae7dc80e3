"""One lookup per noun of the implementation app: which object a request may
open, and whether it may change it (STYLE.md point 5; Zulip's
`access_stream_by_id`, healthchecks' `_get_rw_check_for_user`).

Each `get_<noun>_for(request, pk, *, write=False)` answers

- 403 (PermissionDenied) when the member's role may not read (or, with
  `write=True`, change) such objects at all — asked first, so that a role
  that may never write learns nothing of which ids exist;
- 404 for another programme's id, an id that does not exist, and an object
  the member may not know of (a draft assessment, an unpublished example, an
  archived row for writing);
- 403 when the rule depends on the object (a reporter and another
  principal's assessment).

Views, buttons and services ask the rules in `portal.permissions`; this
module only orders them around the lookup. It may import selectors and
services, never the other way round.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from implementation.models import (
    Activity,
    Appointment,
    AssessmentAttachment,
    Criterion,
    Goal,
    GoodExample,
    Indicator,
    NamedEntry,
    SelfAssessment,
    Step,
    SubProject,
)
from implementation.selectors import assessments as assessment_selectors
from implementation.selectors import examples as example_selectors
from implementation.selectors import goals as goal_selectors
from implementation.selectors import plan as plan_selectors
from implementation.selectors import staircase as staircase_selectors
from portal.tenancy import TenantRequest, get_for_tenant, require

READ = "implementation.view"
WRITE = "implementation.edit"


# Self-assessments -------------------------------------------------------------


def get_self_assessment_for(
    request: TenantRequest, pk: int, *, write: bool = False, review: bool = False
) -> SelfAssessment:
    """An assessment with its page's data loaded. 404 for another programme's
    and for drafts the member may not see (`implementation.view_unapproved`).
    `write`: 403 unless the member reports for its principal
    (`implementation.report`). `review`: 403 first unless a process leader
    (`implementation.review`)."""
    if review:
        require(request, "implementation.review")
    else:
        require(request, READ)
    qs = assessment_selectors.assessment_detail(
        tenant=request.tenant, membership=request.membership
    )
    assessment: SelfAssessment = get_for_tenant(request, qs, pk=pk)
    if write:
        require(request, "implementation.report", assessment.principal)
    return assessment


def get_attachment_for(
    request: TenantRequest, pk: int, attachment_pk: int, *, write: bool = False
) -> tuple[SelfAssessment, AssessmentAttachment]:
    """An assessment (as `get_self_assessment_for`) and one of its attachments
    that is not archived (404 otherwise)."""
    assessment = get_self_assessment_for(request, pk, write=write)
    for attachment in assessment.attachments.all():  # prefetched: not archived
        if attachment.pk == attachment_pk:
            return assessment, attachment
    raise Http404


# The staircase ----------------------------------------------------------------


def get_step_for(request: TenantRequest, pk: int, *, write: bool = False) -> Step:
    """A step. For writing, a step of the current version: an earlier
    version's step is the same step (`key`) of the current version, so a form
    opened before someone's change started a new version still finds its step,
    and its save is refused as stale rather than lost."""
    require(request, WRITE if write else READ)
    steps = staircase_selectors.step_queryset(tenant=request.tenant)
    step: Step = get_for_tenant(request, steps, pk=pk)
    if not write or step.staircase.is_current:
        return step
    current: Step = get_for_tenant(request, steps.filter(staircase__is_current=True), key=step.key)
    return current


def get_criterion_for(
    request: TenantRequest,
    pk: int,
    *,
    write: bool = False,
    assessment: SelfAssessment | None = None,
) -> Criterion:
    """A criterion. For writing, one of the current version (an earlier
    version's is the same criterion, `key`, of the current version, as for
    `get_step_for`). Given `assessment`, one of the staircase it was made
    against (404 otherwise)."""
    require(request, WRITE if write else READ)
    criteria = staircase_selectors.criterion_queryset(tenant=request.tenant)
    if assessment is not None:
        criteria = criteria.filter(step__staircase_id=assessment.staircase_id)
    criterion: Criterion = get_for_tenant(request, criteria, pk=pk)
    if not write or criterion.step.staircase.is_current:
        return criterion
    current: Criterion = get_for_tenant(
        request, criteria.filter(step__staircase__is_current=True), key=criterion.key
    )
    return current


# The short lists (focus areas, wellbeing areas, appointed functions) ----------------


def get_entry_for[E: NamedEntry](
    request: TenantRequest, pk: int, *, model: type[E], write: bool = False
) -> E:
    """An entry of one of the programme's short lists, archived or not."""
    require(request, WRITE if write else READ)
    entry: E = get_for_tenant(request, model, pk=pk)
    return entry


# Goals and indicators ---------------------------------------------------------


def get_goal_for(request: TenantRequest, pk: int, *, write: bool = False) -> Goal:
    """A goal, archived or not (it is restored through its own form)."""
    require(request, WRITE if write else READ)
    goal: Goal = get_for_tenant(request, Goal.objects.select_related("focus_area", "parent"), pk=pk)
    return goal


def get_indicator_for(request: TenantRequest, pk: int, *, write: bool = False) -> Indicator:
    """An indicator, archived or not: for reading with what its page shows
    (latest values), for writing with its goal and areas."""
    require(request, WRITE if write else READ)
    qs: QuerySet[Indicator]
    if write:
        qs = Indicator.objects.select_related("goal").prefetch_related("wellbeing_areas")
    else:
        qs = goal_selectors.indicator_list(tenant=request.tenant, include_archived=True)
    indicator: Indicator = get_for_tenant(request, qs, pk=pk)
    return indicator


# Good examples ----------------------------------------------------------------


def get_example_for(request: TenantRequest, pk: int, *, write: bool = False) -> GoodExample:
    """A good example. For reading, one the member may see (an unpublished one
    is 404 to all but process leaders and its principal's reporters); for
    writing, any that is not archived."""
    require(request, WRITE if write else READ)
    qs: QuerySet[GoodExample]
    if write:
        qs = GoodExample.objects.filter(archived_at__isnull=True).prefetch_related(
            "operations", "steps", "wellbeing_areas"
        )
    else:
        qs = example_selectors.example_list(tenant=request.tenant, membership=request.membership)
    example: GoodExample = get_for_tenant(request, qs, pk=pk)
    return example


# The plan ---------------------------------------------------------------------


def get_sub_project_for(request: TenantRequest, pk: int, *, write: bool = False) -> SubProject:
    """A sub-project: for reading, archived or not, with its activities; for
    writing, one that is not archived."""
    require(request, WRITE if write else READ)
    qs: QuerySet[SubProject]
    if write:
        qs = SubProject.objects.filter(archived_at__isnull=True).prefetch_related(
            "principals", "wellbeing_areas"
        )
    else:
        qs = plan_selectors.sub_projects(tenant=request.tenant, include_archived=True)
    sub_project: SubProject = get_for_tenant(request, qs, pk=pk)
    return sub_project


def get_activity_for(request: TenantRequest, pk: int, *, write: bool = False) -> Activity:
    """An activity: for reading, archived or not; for writing, one that is not archived."""
    require(request, WRITE if write else READ)
    qs: QuerySet[Activity]
    if write:
        qs = (
            Activity.objects.filter(archived_at__isnull=True)
            .select_related("sub_project", "goal")
            .prefetch_related("principals", "wellbeing_areas")
        )
    else:
        qs = plan_selectors.activity_queryset(tenant=request.tenant)
    activity: Activity = get_for_tenant(request, qs, pk=pk)
    return activity


# Appointments -----------------------------------------------------------------


def get_appointment_for(request: TenantRequest, pk: int, *, write: bool = False) -> Appointment:
    """An appointment with its function, principal, operation and person: for
    reading, archived or not; for writing, one that is not archived."""
    require(request, WRITE if write else READ)
    qs = Appointment.objects.select_related("function", "principal", "operation", "person")
    if write:
        qs = qs.filter(archived_at__isnull=True)
    appointment: Appointment = get_for_tenant(request, qs, pk=pk)
    return appointment
