"""Self-assessments: utkast → inskickad → godkänd, or återsänd → edited → inskickad.

Drafts and returned assessments are edited (ratings one by one or all
together, the override, evidence, links, attachments, comment). Submitting
needs every criterion rated. A process leader approves, which makes the
assessment an immutable snapshot that supersedes the previous approved one for
the same principal (or operation), or returns it with a comment.

The resulting step is computed on every change: the highest step whose
criteria — and all lower steps' criteria — are all established. An override
sets another step and needs a justification. Going backwards (a lower step
than the superseded one) is allowed and recorded (`previous_step_number`).

Who may do what is checked by the views (`implementation.report` with the
principal, `implementation.review`); these services enforce the workflow.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from implementation.models import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    AssessmentAttachment,
    AssessmentStatus,
    AssessmentStatusChange,
    Criterion,
    CriterionRating,
    Rating,
    SelfAssessment,
    Step,
    SubProject,
)
from implementation.services import ConflictError, LockedError
from implementation.services.staircase import staircase_ensure_default
from portal import audit
from portal.models import Operation, Principal, Tenant, User
from portal.services import DomainError, ensure_same_tenant
from portal.uploads import validate_upload


class OpenAssessmentExists(DomainError):
    """There is already an open assessment for the same principal or operation."""

    def __init__(self, message: str, *, assessment: SelfAssessment) -> None:
        super().__init__(message)
        self.assessment = assessment


# The resulting step -------------------------------------------------------------


def compute_step(steps: Iterable[Step], ratings: Mapping[int, str]) -> Step | None:
    """The highest step whose criteria, and every lower step's criteria, are all
    established (`ratings`: criterion id → rating). A step without criteria
    is reached when the steps below it are. None: not even step 1."""
    reached = None
    for step in sorted(steps, key=lambda s: s.number):
        if all(ratings.get(c.pk) == Rating.ESTABLISHED for c in step.criteria.all()):
            reached = step
        else:
            break
    return reached


def _steps(assessment: SelfAssessment) -> list[Step]:
    return list(
        Step.objects.filter(staircase_id=assessment.staircase_id)
        .prefetch_related("criteria")
        .order_by("number")
    )


def _ratings(assessment: SelfAssessment) -> dict[int, str]:
    return dict(
        CriterionRating.objects.filter(assessment=assessment).values_list("criterion_id", "rating")
    )


def _recompute(
    assessment: SelfAssessment, steps: Sequence[Step], ratings: Mapping[int, str]
) -> None:
    computed = compute_step(steps, ratings)
    assessment.computed_step = computed
    result = assessment.override_step if assessment.override_step_id else computed
    assessment.step_number = result.number if result is not None else 0


def _snapshot(assessment: SelfAssessment) -> dict[str, Any]:
    return {
        **(audit.snapshot(assessment) or {}),
        "ratings": {str(k): v for k, v in sorted(_ratings(assessment).items())},
    }


def _log_status(
    assessment: SelfAssessment, *, actor: User | None, from_status: str, comment: str = ""
) -> None:
    AssessmentStatusChange.objects.create(
        tenant_id=assessment.tenant_id,
        assessment=assessment,
        from_status=from_status,
        to_status=assessment.status,
        actor=actor if actor is not None and actor.pk else None,
        comment=comment,
        at=timezone.now(),
    )


def _lock(assessment: SelfAssessment) -> SelfAssessment:
    return (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related(
            "principal", "operation", "sub_project", "override_step", "computed_step", "tenant"
        )
        .get(pk=assessment.pk)
    )


def _lock_editable(assessment: SelfAssessment) -> SelfAssessment:
    """The assessment, re-read under a row lock, if it may still be edited: a
    submission or approval by someone else since it was loaded is seen here."""
    locked = _lock(assessment)
    if locked.status == AssessmentStatus.SUBMITTED:
        raise LockedError(
            _("The self-assessment is submitted and waits for review: it cannot be changed now.")
        )
    if locked.status == AssessmentStatus.APPROVED:
        raise LockedError(_("The self-assessment is approved and can no longer be changed."))
    assert locked.status in EDITABLE_STATUSES
    return locked


# Create -------------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    actor: User | None,
    tenant: Tenant,
    principal: Principal,
    operation: Operation | None = None,
    sub_project: SubProject | None = None,
    period_start: datetime.date,
    period_end: datetime.date,
) -> SelfAssessment:
    """Start a draft against the programme's current staircase, with every
    criterion not yet rated. One open assessment at a time per subject (the
    principal as a whole, an operation, a sub-project): a second one is
    refused with the open one."""
    ensure_same_tenant(tenant.pk, [principal, operation, sub_project])
    if principal.is_archived:
        raise DomainError(_("The principal is archived."))
    if operation is not None and operation.is_archived:
        raise ValidationError({"operation": _("The operation is archived.")})
    if sub_project is not None and sub_project.is_archived:
        raise ValidationError({"sub_project": _("The sub-project is archived.")})
    # Serialise starts for the same principal, so two clicks make one draft.
    Principal.objects.select_for_update().filter(pk=principal.pk).first()
    open_one = (
        SelfAssessment.objects.filter(
            tenant=tenant,
            principal=principal,
            operation=operation,
            sub_project=sub_project,
            status__in=OPEN_STATUSES,
        )
        .order_by("-id")
        .first()
    )
    if open_one is not None:
        raise OpenAssessmentExists(
            _("There is already an open self-assessment for %(subject)s: continue that one.")
            % {"subject": f"{principal.name}: {open_one.subject}"},
            assessment=open_one,
        )
    staircase = staircase_ensure_default(tenant, actor=actor)
    assessment = SelfAssessment(
        tenant=tenant,
        staircase=staircase,
        principal=principal,
        operation=operation,
        sub_project=sub_project,
        period_start=period_start,
        period_end=period_end,
        created_by=actor if actor is not None and actor.pk else None,
    )
    assessment.full_clean()
    steps = _steps(assessment)
    _recompute(assessment, steps, {})
    assessment.save()
    CriterionRating.objects.bulk_create(
        CriterionRating(tenant=tenant, assessment=assessment, criterion=criterion, rating="")
        for step in steps
        for criterion in step.criteria.all()
    )
    _log_status(assessment, actor=actor, from_status="")
    audit.log(
        actor=actor,
        tenant=tenant,
        action="self_assessment.create",
        obj=assessment,
        after=_snapshot(assessment),
    )
    return assessment


# Edit ---------------------------------------------------------------------------


def _valid_links(links: str) -> str:
    """One http(s) address per line; blank lines dropped."""
    lines = [line.strip() for line in links.splitlines() if line.strip()]
    validate = URLValidator(schemes=["http", "https"])
    for line in lines:
        try:
            validate(line)
        except ValidationError:
            raise ValidationError(
                {"links": _("“%(line)s” is not a web address (https://…).") % {"line": line}}
            ) from None
    return "\n".join(lines)


def _summary(assessment: SelfAssessment) -> str:
    """What is saved now, as text: shown to someone whose save was refused."""
    rows = (
        CriterionRating.objects.filter(assessment=assessment)
        .select_related("criterion__step")
        .order_by("criterion__step__number", "criterion__position")
    )
    labels = dict(Rating.choices)
    lines = [
        f"{r.criterion.step.number}.{r.criterion.position} {r.criterion.text}: "
        f"{labels.get(r.rating, '—') if r.rating else '—'}"
        for r in rows
    ]
    for label, value in (
        (_("Evidence"), assessment.evidence),
        (_("Links"), assessment.links),
        (_("Comment"), assessment.comment),
    ):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def _set_ratings(
    assessment: SelfAssessment, steps: Sequence[Step], ratings: Mapping[int, str]
) -> dict[int, str]:
    """Save the ratings that changed; return all of them after the change."""
    known = {c.pk for step in steps for c in step.criteria.all()}
    unknown = set(ratings) - known
    if unknown:
        raise DomainError(_("A criterion is not part of this assessment's staircase."))
    allowed = {"", *Rating.values}
    if any(value not in allowed for value in ratings.values()):
        raise DomainError(_("Choose not started, in progress or established."))
    current = _ratings(assessment)
    for criterion_id, value in ratings.items():
        if current.get(criterion_id) != value:
            CriterionRating.objects.update_or_create(
                assessment=assessment,
                criterion_id=criterion_id,
                defaults={"rating": value, "tenant_id": assessment.tenant_id},
            )
            current[criterion_id] = value
    return current


@transaction.atomic
def assessment_update(
    *,
    actor: User | None,
    assessment: SelfAssessment,
    expected_version: int | None = None,
    period_start: datetime.date,
    period_end: datetime.date,
    ratings: Mapping[int, str],
    override_step: Step | None = None,
    override_justification: str = "",
    evidence: str = "",
    links: str = "",
    comment: str = "",
) -> SelfAssessment:
    """Save the whole form of a draft (or returned) assessment. With
    `expected_version`, a save based on an older version is refused with
    what is saved now."""
    locked = _lock_editable(assessment)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _(
                "Someone else saved this self-assessment while you were editing it. "
                "Their version is shown below; your changes are still in the form."
            ),
            current=_summary(locked),
            version=locked.version,
        )
    if override_step is not None and override_step.staircase_id != locked.staircase_id:
        raise ValidationError({"override_step": _("Choose a step of this assessment's staircase.")})
    before = _snapshot(locked)
    steps = _steps(locked)
    all_ratings = _set_ratings(locked, steps, ratings)
    locked.period_start = period_start
    locked.period_end = period_end
    locked.override_step = override_step
    locked.override_justification = override_justification.strip() if override_step else ""
    locked.evidence = evidence.strip()
    locked.links = _valid_links(links)
    locked.comment = comment.strip()
    locked.full_clean()
    _recompute(locked, steps, all_ratings)
    locked.version += 1
    locked.save()
    audit.log(
        actor=actor,
        tenant=locked.tenant,
        action="self_assessment.update",
        obj=locked,
        before=before,
        after=_snapshot(locked),
    )
    return locked


@transaction.atomic
def assessment_rate(
    *, actor: User | None, assessment: SelfAssessment, criterion: Criterion, rating: str
) -> SelfAssessment:
    """Save one criterion's rating (the form's autosave of a row)."""
    locked = _lock_editable(assessment)
    steps = _steps(locked)
    before = _ratings(locked).get(criterion.pk)
    all_ratings = _set_ratings(locked, steps, {criterion.pk: rating})
    if before == rating:
        return locked
    _recompute(locked, steps, all_ratings)
    locked.version += 1
    locked.save(update_fields=["computed_step", "step_number", "version", "updated_at"])
    audit.log(
        actor=actor,
        tenant=locked.tenant,
        action="self_assessment.rate",
        obj=locked,
        before={"criterion": criterion.pk, "rating": before or ""},
        after={"criterion": criterion.pk, "rating": rating, "step_number": locked.step_number},
    )
    return locked


# Workflow -----------------------------------------------------------------------


@transaction.atomic
def assessment_submit(*, actor: User | None, assessment: SelfAssessment) -> SelfAssessment:
    """Send the assessment for review. Every criterion must be rated."""
    locked = _lock_editable(assessment)
    unrated = CriterionRating.objects.filter(assessment=locked, rating="").count()
    if unrated:
        raise DomainError(
            ngettext(
                "Rate every criterion before submitting: %(count)d is not rated yet.",
                "Rate every criterion before submitting: %(count)d are not rated yet.",
                unrated,
            )
            % {"count": unrated}
        )
    locked.full_clean()
    before = _snapshot(locked)
    previous = locked.status
    locked.status = AssessmentStatus.SUBMITTED
    locked.submitted_by = actor if actor is not None and actor.pk else None
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "submitted_by", "submitted_at", "version", "updated_at"])
    _log_status(locked, actor=actor, from_status=previous)
    audit.log(
        actor=actor,
        tenant=locked.tenant,
        action="self_assessment.submit",
        obj=locked,
        before=before,
        after=_snapshot(locked),
    )
    return locked


def _lock_submitted(assessment: SelfAssessment) -> SelfAssessment:
    locked = _lock(assessment)
    if not locked.awaits_review:
        raise DomainError(_("Only a submitted self-assessment can be reviewed."))
    return locked


@transaction.atomic
def assessment_approve(*, actor: User | None, assessment: SelfAssessment) -> SelfAssessment:
    """Approve a submitted assessment: it becomes an immutable, dated snapshot
    and supersedes the previous approved one for the same principal (or the
    same operation), whose step it remembers to show a move up or back."""
    locked = _lock_submitted(assessment)
    now = timezone.now()
    previous = (
        SelfAssessment.objects.select_for_update()
        .filter(
            tenant_id=locked.tenant_id,
            principal_id=locked.principal_id,
            operation=locked.operation,
            sub_project=locked.sub_project,
            status=AssessmentStatus.APPROVED,
            superseded_at__isnull=True,
        )
        .first()
    )
    before = _snapshot(locked)
    if previous is not None:
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at"])
        locked.supersedes = previous
        locked.previous_step_number = previous.step_number
    locked.status = AssessmentStatus.APPROVED
    locked.approved_by = actor if actor is not None and actor.pk else None
    locked.approved_at = now
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "approved_by",
            "approved_at",
            "supersedes",
            "previous_step_number",
            "version",
            "updated_at",
        ]
    )
    _log_status(locked, actor=actor, from_status=AssessmentStatus.SUBMITTED)
    audit.log(
        actor=actor,
        tenant=locked.tenant,
        action="self_assessment.approve",
        obj=locked,
        before=before,
        after={**_snapshot(locked), "superseded": previous.pk if previous else None},
    )
    return locked


@transaction.atomic
def assessment_return(
    *, actor: User | None, assessment: SelfAssessment, comment: str
) -> SelfAssessment:
    """Send a submitted assessment back to the principal, saying what to change."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should be changed.")})
    locked = _lock_submitted(assessment)
    before = _snapshot(locked)
    locked.status = AssessmentStatus.RETURNED
    locked.return_comment = comment
    locked.version += 1
    locked.save(update_fields=["status", "return_comment", "version", "updated_at"])
    _log_status(locked, actor=actor, from_status=AssessmentStatus.SUBMITTED, comment=comment)
    audit.log(
        actor=actor,
        tenant=locked.tenant,
        action="self_assessment.return",
        obj=locked,
        before=before,
        after=_snapshot(locked),
    )
    return locked


# Attachments ----------------------------------------------------------------------

# The accepted types, the size limit and the checks are the portal's, shared
# with every other upload (`portal.uploads.validate_upload`).
MAX_ATTACHMENTS = 20


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


@transaction.atomic
def attachment_add(
    *, actor: User | None, assessment: SelfAssessment, upload: UploadedFile
) -> AssessmentAttachment:
    locked = _lock_editable(assessment)
    name, content_type = validate_upload(upload)
    if locked.attachments.filter(archived_at__isnull=True).count() >= MAX_ATTACHMENTS:
        raise _file_error(
            _("An assessment can have at most %(count)d attachments.") % {"count": MAX_ATTACHMENTS}
        )
    attachment = AssessmentAttachment(
        tenant_id=locked.tenant_id,
        assessment=locked,
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.log(
        actor=actor,
        tenant=locked.tenant,
        action="assessment_attachment.add",
        obj=attachment,
        after=audit.snapshot(attachment),
    )
    return attachment


@transaction.atomic
def attachment_remove(
    *, actor: User | None, attachment: AssessmentAttachment
) -> AssessmentAttachment:
    """Take an attachment off a draft. It is archived, not deleted."""
    _lock_editable(attachment.assessment)
    if attachment.is_archived:
        return attachment
    before = audit.snapshot(attachment)
    attachment.archived_at = timezone.now()
    attachment.save(update_fields=["archived_at"])
    audit.log(
        actor=actor,
        tenant=attachment.assessment.tenant,
        action="assessment_attachment.remove",
        obj=attachment,
        before=before,
        after=audit.snapshot(attachment),
    )
    return attachment
