"""Reads for self-assessments. What a reader sees is decided here, once:
approved assessments are for everyone in the programme; drafts, submitted and
returned ones only for process leaders and the assessed principal's reporters
(`implementation.view_unapproved`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from implementation.models import (
    OPEN_STATUSES,
    AssessmentAttachment,
    AssessmentStatus,
    AssessmentStatusChange,
    Criterion,
    CriterionRating,
    SelfAssessment,
    Step,
    SubProject,
)
from portal.models import Membership, Operation, Principal, Tenant
from portal.permissions import can


def visible_assessments(*, tenant: Tenant, membership: Membership) -> QuerySet[SelfAssessment]:
    """The assessments `membership` may read."""
    qs = SelfAssessment.objects.filter(tenant=tenant)
    if can(membership, "implementation.view_unapproved"):
        return qs
    own = membership.principal if membership.principal_id else None
    if own is not None and can(membership, "implementation.view_unapproved", own):
        return qs.filter(Q(status=AssessmentStatus.APPROVED) | Q(principal_id=own.pk))
    return qs.filter(status=AssessmentStatus.APPROVED)


_ROW_RELATED = (
    "principal",
    "operation",
    "sub_project",
    "computed_step",
    "override_step",
    "staircase",
    "submitted_by",
    "approved_by",
)


def assessment_detail(*, tenant: Tenant, membership: Membership) -> QuerySet[SelfAssessment]:
    """Assessments with everything their page shows loaded."""
    changes = AssessmentStatusChange.objects.select_related("actor").order_by("at", "id")
    attachments = AssessmentAttachment.objects.filter(archived_at__isnull=True).select_related(
        "uploaded_by"
    )
    return (
        visible_assessments(tenant=tenant, membership=membership)
        .select_related(*_ROW_RELATED, "created_by", "superseded_by", "supersedes")
        .prefetch_related(
            Prefetch("status_changes", queryset=changes),
            Prefetch("attachments", queryset=attachments),
        )
    )


@dataclass
class CriterionRow:
    criterion: Criterion
    rating: str


@dataclass
class StepRows:
    step: Step
    rows: list[CriterionRow]

    @property
    def reached(self) -> bool:
        return all(row.rating == "etablerad" for row in self.rows)


def rating_rows(*, assessment: SelfAssessment) -> list[StepRows]:
    """The assessment's staircase version, step by step, with each criterion's
    rating in this assessment ("" when not rated yet). Three queries."""
    ratings = dict(
        CriterionRating.objects.filter(assessment=assessment).values_list("criterion_id", "rating")
    )
    steps = (
        Step.objects.filter(staircase_id=assessment.staircase_id)
        .order_by("number")
        .prefetch_related(Prefetch("criteria", Criterion.objects.order_by("position")))
    )
    return [
        StepRows(
            step=step,
            rows=[CriterionRow(c, ratings.get(c.pk, "")) for c in step.criteria.all()],
        )
        for step in steps
    ]


# Overview and history ----------------------------------------------------------------


@dataclass
class PrincipalOverview:
    principal: Principal
    current: SelfAssessment | None = None  # the principal as a whole
    # current per operation and sub-project
    operations: list[SelfAssessment] = field(default_factory=list)
    open_count: int = 0  # open ones the reader may see

    @property
    def latest(self) -> SelfAssessment | None:
        """The most recently approved of the principal's current assessments."""
        current = [a for a in [self.current, *self.operations] if a is not None]
        return (
            max(
                current,
                key=lambda a: a.approved_at or datetime.datetime.min.replace(tzinfo=datetime.UTC),
            )
            if current
            else None
        )


def assessment_overview(*, tenant: Tenant, membership: Membership) -> list[PrincipalOverview]:
    """Every active principal with its current approved assessment (as a whole
    and per operation) and how many open ones the reader may see. Three queries."""
    rows = {
        p.pk: PrincipalOverview(principal=p)
        for p in Principal.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("name")
    }
    current = (
        SelfAssessment.objects.filter(
            tenant=tenant,
            status=AssessmentStatus.APPROVED,
            superseded_at__isnull=True,
            principal_id__in=list(rows),
        )
        .select_related(*_ROW_RELATED)
        .order_by("operation__name", "sub_project__title", "id")
    )
    for assessment in current:
        row = rows[assessment.principal_id]
        if assessment.operation_id is None and assessment.sub_project_id is None:
            row.current = assessment
        else:
            row.operations.append(assessment)
    open_ones = (
        visible_assessments(tenant=tenant, membership=membership)
        .filter(status__in=OPEN_STATUSES, principal_id__in=list(rows))
        .values_list("principal_id", flat=True)
    )
    for principal_id in open_ones:
        rows[principal_id].open_count += 1
    return list(rows.values())


@dataclass
class Timeline:
    """The assessments of one subject (the principal as a whole, an operation,
    a sub-project): open ones first, then the approved ones, newest first."""

    operation: Operation | None
    sub_project: SubProject | None
    open: list[SelfAssessment] = field(default_factory=list)
    approved: list[SelfAssessment] = field(default_factory=list)

    @property
    def key(self) -> str:
        """A stable id for the page."""
        if self.operation is None and self.sub_project is None:
            return "principal"
        return f"o{getattr(self.operation, 'pk', 0)}-s{getattr(self.sub_project, 'pk', 0)}"

    @property
    def label(self) -> str:
        parts = [
            o
            for o in (getattr(self.operation, "name", ""), getattr(self.sub_project, "title", ""))
            if o
        ]
        return " – ".join(parts)


def principal_history(
    *, tenant: Tenant, membership: Membership, principal: Principal
) -> list[Timeline]:
    """The principal's assessments the reader may see, one timeline per subject
    (the principal as a whole first, then its operations and sub-projects by
    name). One query."""
    assessments = (
        visible_assessments(tenant=tenant, membership=membership)
        .filter(principal=principal)
        .select_related(*_ROW_RELATED)
        .order_by("-approved_at", "-period_end", "-id")
    )
    timelines: dict[tuple[int | None, int | None], Timeline] = {}
    for assessment in assessments:
        timeline = timelines.setdefault(
            (assessment.operation_id, assessment.sub_project_id),
            Timeline(operation=assessment.operation, sub_project=assessment.sub_project),
        )
        if assessment.status == AssessmentStatus.APPROVED:
            timeline.approved.append(assessment)
        else:
            timeline.open.append(assessment)
    for timeline in timelines.values():
        # Approved ones by approval, newest first; open ones by last change.
        timeline.open.sort(key=lambda a: a.updated_at, reverse=True)
    return sorted(timelines.values(), key=lambda t: (t.key != "principal", t.label))


def review_queue(*, tenant: Tenant) -> QuerySet[SelfAssessment]:
    """Submitted assessments waiting for review, the longest-waiting first."""
    return (
        SelfAssessment.objects.filter(tenant=tenant, status=AssessmentStatus.SUBMITTED)
        .select_related(*_ROW_RELATED)
        .order_by("submitted_at", "id")
    )


def operation_choices(*, tenant: Tenant, principals: QuerySet[Principal]) -> QuerySet[Operation]:
    return (
        Operation.objects.filter(tenant=tenant, archived_at__isnull=True, principal__in=principals)
        .select_related("principal")
        .order_by("principal__name", "name")
    )


def reportable_principals(*, tenant: Tenant, membership: Membership) -> QuerySet[Principal] | None:
    """The principals `membership` may report for (self-assessments and
    indicator values): every principal that is not archived for process
    leaders, a reporter's own principal, or None for no principal at all.
    The one answer the forms' choices, the buttons and the views share
    (`implementation.report`)."""
    if can(membership, "implementation.report"):
        return Principal.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("name")
    own = membership.principal if membership.principal_id else None
    if own is not None and can(membership, "implementation.report", own):
        return Principal.objects.filter(tenant=tenant, pk=own.pk, archived_at__isnull=True)
    return None
