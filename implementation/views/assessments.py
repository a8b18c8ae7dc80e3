"""Self-assessments on the staircase: the overview per principal, a
principal's history, one assessment, the reporter's form (one criterion per
row, saved as a draft), submitting, and the process leaders' review.

Who: principal reporters start, edit and submit assessments of their own
principal and its operations (`implementation.report` with the principal);
process leaders do so for any principal and review (`implementation.review`).
Everyone in the programme reads approved assessments. Drafts, submitted and
returned assessments are invisible (404) to everyone else
(`implementation.view_unapproved`). An approved assessment is an immutable
snapshot: its forms send you back to it, and a write to it is refused.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from implementation.access import get_attachment_for, get_criterion_for, get_self_assessment_for
from implementation.forms.assessments import (
    AssessmentCreateForm,
    AssessmentForm,
    AttachmentForm,
    RatingForm,
    ReturnForm,
    default_period,
)
from implementation.models import AssessmentStatus, SelfAssessment
from implementation.selectors import assessments as selectors
from implementation.selectors.plan import sub_project_choices
from implementation.services import ConflictError, LockedError
from implementation.services import assessments as services
from implementation.views import confirms
from implementation.views.common import ensure_staircase
from portal.access import get_principal_for
from portal.confirm import render_confirm
from portal.forms import ConfirmForm
from portal.htmx import (
    form_data,
    render_page,
    require_GET_or_POST,
    show_refusal,
    to_page,
    with_version,
)
from portal.models import Principal
from portal.permissions import can
from portal.services import DomainError
from portal.tenancy import TenantRequest, require


def _detail_url(request: TenantRequest, assessment: SelfAssessment) -> str:
    return reverse("implementation:assessment_detail", args=[request.tenant.slug, assessment.pk])


def _edit_url(request: TenantRequest, assessment: SelfAssessment) -> str:
    return reverse("implementation:assessment_edit", args=[request.tenant.slug, assessment.pk])


def _flags(request: TenantRequest, assessment: SelfAssessment) -> dict[str, bool]:
    """The assessment's buttons: the same rules its views and services follow."""
    return {
        "may_edit": can(request.membership, "implementation.edit_assessment", assessment),
        "may_review": can(request.membership, "implementation.review_assessment", assessment),
    }


def _not_editable(request: TenantRequest, assessment: SelfAssessment) -> HttpResponse:
    """The answer to opening a form of an assessment that cannot be changed now."""
    if assessment.status == AssessmentStatus.APPROVED:
        message = _("The self-assessment is approved and can no longer be changed.")
    else:
        message = _("The self-assessment is submitted and waits for review.")
    return to_page(request, _detail_url(request, assessment), message, level=messages.INFO)


# Overview, history, detail --------------------------------------------------------


@require_GET
def assessment_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Every principal with its current step, and its open assessments for
    those who may see them."""
    require(request, "implementation.view")
    ensure_staircase(request)
    context = {
        "rows": selectors.assessment_overview(tenant=request.tenant, membership=request.membership),
        "review_count": (
            selectors.review_queue(tenant=request.tenant).count()
            if can(request.membership, "implementation.review")
            else None
        ),
        "own_principal": request.membership.principal,
    }
    return render_page(request, "implementation/assessment_list.html", context, partial="listing")


@require_GET
def assessment_principal(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """A principal's assessments over time: for the principal as a whole and
    per operation, each approved one with its step and date; moves back marked."""
    require(request, "implementation.view")
    principal = get_principal_for(request, pk)
    context = {
        "principal": principal,
        "timelines": selectors.principal_history(
            tenant=request.tenant, membership=request.membership, principal=principal
        ),
        "may_report": can(request.membership, "implementation.report", principal)
        and not principal.is_archived,
    }
    return render_page(
        request, "implementation/assessment_principal.html", context, partial="history"
    )


@require_GET
def assessment_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    assessment = get_self_assessment_for(request, pk)
    context = {
        "assessment": assessment,
        "steps": selectors.rating_rows(assessment=assessment),
        **_flags(request, assessment),
    }
    return render_page(
        request, "implementation/assessment_detail.html", context, partial="assessment"
    )


# Start ----------------------------------------------------------------------------


def _reportable_principals(request: TenantRequest) -> QuerySet[Principal]:
    """The principals the user may report for: all (process leaders) or their own."""
    principals = selectors.reportable_principals(
        tenant=request.tenant, membership=request.membership
    )
    if principals is None:
        raise PermissionDenied
    return principals


def _asked_principal(request: TenantRequest, value: str) -> Principal | None:
    """A principal named in the query or the form: another programme's is 404,
    one the user may not report for is 403 (not just an invalid choice)."""
    if not value.isdigit():
        return None
    return get_principal_for(request, int(value), rule="implementation.report")


@require_GET_or_POST
def assessment_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Start a draft. `?principal=<id>&operation=<id>` preselect (the
    principal's history page links here)."""
    require(request, "implementation.view")
    principals = _reportable_principals(request)
    asked = _asked_principal(
        request,
        request.POST.get("principal", "")
        if request.method == "POST"
        else request.GET.get("principal", ""),
    )
    start, end = default_period(request.tenant.reporting_interval_months, timezone.localdate())
    initial: dict[str, Any] = {"period_start": start, "period_end": end}
    if asked is not None:
        initial["principal"] = asked.pk
    elif principals.count() == 1:
        initial["principal"] = principals.first()
    if (operation_id := request.GET.get("operation", "")).isdigit():
        initial["operation"] = int(operation_id)
    if (sub_project_id := request.GET.get("sub_project", "")).isdigit():
        initial["sub_project"] = int(sub_project_id)
    form = AssessmentCreateForm(
        form_data(request),
        principals=principals,
        operations=selectors.operation_choices(tenant=request.tenant, principals=principals),
        sub_projects=sub_project_choices(tenant=request.tenant),
        initial=initial,
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except services.OpenAssessmentExists as error:
            existing = error.assessment
            show_refusal(form, error)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Started a self-assessment. Rate each criterion; it is saved as a draft.")
            return to_page(request, _edit_url(request, assessment), message)
    context = {"form": form, "existing": existing}
    return render_page(request, "implementation/assessment_create.html", context, partial="form")


# The form -------------------------------------------------------------------------


def _form_context(
    request: TenantRequest, assessment: SelfAssessment, form: AssessmentForm, **extra: Any
) -> dict[str, Any]:
    return {
        "assessment": assessment,
        "form": form,
        "attachments": [a for a in assessment.attachments.all() if not a.is_archived],
        "current_staircase": ensure_staircase(request),
        **extra,
    }


@require_GET_or_POST
def assessment_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The reporter's form. "Save draft" saves everything and comes back here;
    "Save and submit" saves and goes on to submitting. Each row is also saved
    on its own when a rating is chosen (htmx, `assessment_rate`)."""
    assessment = get_self_assessment_for(request, pk, write=True)
    if request.method == "GET" and not assessment.is_editable:
        return _not_editable(request, assessment)
    steps = selectors.rating_rows(assessment=assessment)
    form = AssessmentForm(form_data(request), assessment=assessment, steps=steps)
    conflict: ConflictError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.assessment_update(
                actor=request.user,
                assessment=assessment,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ConflictError as error:
            conflict = error
            data = with_version(request.POST, error.version)
            form = AssessmentForm(data, assessment=assessment, steps=steps)
            form.is_valid()
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.POST.get("then") == "submit":
                url = reverse(
                    "implementation:assessment_submit", args=[request.tenant.slug, saved.pk]
                )
                return to_page(request, url)
            return to_page(request, _edit_url(request, saved), _("Saved the draft."))
    context = _form_context(request, assessment, form, conflict=conflict)
    return render_page(request, "implementation/assessment_edit.html", context, partial="form")


@require_POST
def assessment_rate(
    request: TenantRequest, tenant_slug: str, pk: int, criterion_pk: int
) -> HttpResponse:
    """Save one row of the form (htmx autosave); without JavaScript the whole
    form is saved with "Save draft" instead, but this works too."""
    assessment = get_self_assessment_for(request, pk, write=True)
    criterion = get_criterion_for(request, criterion_pk, assessment=assessment)
    form = RatingForm(
        request.POST, assessment=assessment, criterion_id=criterion.pk, label=criterion.text
    )
    saved: SelfAssessment | None = None
    if form.is_valid():
        try:
            saved = services.assessment_rate(
                actor=request.user, assessment=assessment, criterion=criterion, rating=form.rating
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field=form.name)
    if not request.htmx:
        if saved is None:
            return to_page(
                request,
                _detail_url(request, assessment),
                "; ".join(str(e) for errors in form.errors.values() for e in errors),
                level=messages.ERROR,
            )
        return to_page(
            request, _edit_url(request, saved) + f"#criterion-{criterion.pk}", _("Saved.")
        )
    # Only the row's status (and, out of band, the form's version and the
    # computed step) is swapped: the radio group keeps the keyboard focus.
    context = {
        "assessment": saved or assessment,
        "criterion": criterion,
        "saved": saved is not None,
        "error": "; ".join(str(e) for errors in form.errors.values() for e in errors),
    }
    return render(request, "implementation/assessment_edit.html#row_status", context)


# Workflow -------------------------------------------------------------------------


@require_GET_or_POST
def assessment_submit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET shows what will be submitted (and what is missing); POST submits."""
    assessment = get_self_assessment_for(request, pk, write=True)
    if request.method == "GET" and not assessment.is_editable:
        return _not_editable(request, assessment)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_submit(actor=request.user, assessment=assessment)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Submitted the self-assessment. The process leaders will review it.")
            return to_page(request, _detail_url(request, assessment), message)
    steps = selectors.rating_rows(assessment=assessment)
    unrated = sum(1 for step in steps for row in step.rows if not row.rating)
    context = {"form": form, "assessment": assessment, "steps": steps, "unrated": unrated}
    return render_page(request, "implementation/assessment_submit.html", context, partial="confirm")


@require_GET_or_POST
def assessment_approve(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    assessment = get_self_assessment_for(request, pk, review=True)
    if request.method == "GET" and not assessment.awaits_review:
        return to_page(
            request,
            _detail_url(request, assessment),
            _("Only a submitted self-assessment can be reviewed."),
            level=messages.INFO,
        )
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            approved = services.assessment_approve(actor=request.user, assessment=assessment)
        except DomainError as error:
            show_refusal(form, error)
        else:
            if approved.moved_back:
                message = _(
                    "Approved. %(principal)s is now on step %(step)s, down from step %(previous)s."
                )
            else:
                message = _("Approved. %(principal)s is now on step %(step)s.")
            message = message % {
                "principal": approved.principal.name,
                "step": approved.step_number,
                "previous": approved.previous_step_number,
            }
            return to_page(request, _detail_url(request, approved), message)
    context = {"form": form, "assessment": assessment}
    return render_page(
        request, "implementation/assessment_approve.html", context, partial="confirm"
    )


@require_GET_or_POST
def assessment_return(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    assessment = get_self_assessment_for(request, pk, review=True)
    if request.method == "GET" and not assessment.awaits_review:
        return to_page(
            request,
            _detail_url(request, assessment),
            _("Only a submitted self-assessment can be reviewed."),
            level=messages.INFO,
        )
    form = ReturnForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_return(
                actor=request.user, assessment=assessment, comment=form.cleaned_data["comment"]
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="comment")
        else:
            message = _("Returned the self-assessment to %(principal)s with your comment.") % {
                "principal": assessment.principal.name
            }
            return to_page(
                request,
                reverse("implementation:assessment_review_queue", args=[request.tenant.slug]),
                message,
            )
    context = {"form": form, "assessment": assessment}
    return render_page(request, "implementation/assessment_return.html", context, partial="form")


@require_GET
def assessment_review_queue(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Submitted assessments waiting for a process leader, the longest-waiting first."""
    require(request, "implementation.review")
    context = {"assessments": selectors.review_queue(tenant=request.tenant)}
    return render_page(
        request, "implementation/assessment_review_queue.html", context, partial="queue"
    )


# Attachments ----------------------------------------------------------------------


@require_GET_or_POST
def attachment_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    assessment = get_self_assessment_for(request, pk, write=True)
    if request.method == "GET" and not assessment.is_editable:
        return _not_editable(request, assessment)
    form = AttachmentForm(form_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_add(
                actor=request.user, assessment=assessment, upload=form.cleaned_data["file"]
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="file")
        else:
            message = _("Attached %(name)s.") % {"name": attachment.original_name}
            return to_page(request, _edit_url(request, assessment) + "#attachments", message)
    context = {"form": form, "assessment": assessment}
    return render_page(request, "implementation/attachment_add.html", context, partial="form")


@require_GET
def attachment_download(
    request: TenantRequest, tenant_slug: str, pk: int, attachment_pk: int
) -> FileResponse:
    """The file, to whoever may read the assessment; never a public media URL."""
    _assessment, attachment = get_attachment_for(request, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_GET_or_POST
def attachment_remove(
    request: TenantRequest, tenant_slug: str, pk: int, attachment_pk: int
) -> HttpResponse:
    assessment, attachment = get_attachment_for(request, pk, attachment_pk, write=True)
    if request.method == "GET" and not assessment.is_editable:
        return _not_editable(request, assessment)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_remove(actor=request.user, attachment=attachment)
        except (DomainError, LockedError) as error:
            show_refusal(form, error)
        else:
            message = _("Removed %(name)s from the self-assessment.") % {
                "name": attachment.original_name
            }
            return to_page(request, _edit_url(request, assessment) + "#attachments", message)
    return render_confirm(
        request, confirms.attachment_remove(request, assessment, attachment), form
    )


urlpatterns = [
    path("assessments/", assessment_list, name="assessment_list"),
    path("assessments/review/", assessment_review_queue, name="assessment_review_queue"),
    path("assessments/new/", assessment_create, name="assessment_create"),
    path("assessments/principals/<int:pk>/", assessment_principal, name="assessment_principal"),
    path("assessments/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", assessment_edit, name="assessment_edit"),
    path(
        "assessments/<int:pk>/criteria/<int:criterion_pk>/",
        assessment_rate,
        name="assessment_rate",
    ),
    path("assessments/<int:pk>/submit/", assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/approve/", assessment_approve, name="assessment_approve"),
    path("assessments/<int:pk>/return/", assessment_return, name="assessment_return"),
    path("assessments/<int:pk>/attachments/new/", attachment_add, name="attachment_add"),
    path(
        "assessments/<int:pk>/attachments/<int:attachment_pk>/",
        attachment_download,
        name="attachment_download",
    ),
    path(
        "assessments/<int:pk>/attachments/<int:attachment_pk>/remove/",
        attachment_remove,
        name="attachment_remove",
    ),
]
