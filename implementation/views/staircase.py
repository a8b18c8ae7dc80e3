"""The staircase: steps and criteria, read by everyone in the programme,
edited by process leaders.

Editing a version that assessments already use creates the next version (the
service does it), so after any change the whole staircase section is sent
back to htmx (every step may be a new row). Without JavaScript, each form is a
page of its own and a change redirects to the staircase.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from implementation.access import get_criterion_for, get_step_for
from implementation.forms.staircase import CriterionForm, StepForm
from implementation.models import Staircase
from implementation.selectors import staircase as selectors
from implementation.services import staircase as services
from implementation.views import confirms
from implementation.views.common import ensure_staircase
from portal.confirm import render_confirm
from portal.forms import ConfirmForm
from portal.htmx import (
    asked_row,
    form_data,
    render_changed,
    render_page,
    require_GET_or_POST,
    show_refusal,
    swap_to,
    to_page,
)
from portal.permissions import can
from portal.services import DomainError
from portal.tenancy import TenantRequest, require

PAGE = "implementation/staircase_detail.html"


def _context(request: TenantRequest, staircase: Staircase, **extra: Any) -> dict[str, Any]:
    return {
        "staircase": staircase,
        "versions": selectors.staircase_versions(tenant=request.tenant),
        "editable": staircase.is_current and can(request.membership, "implementation.edit"),
        **extra,
    }


@require_GET
def staircase_detail(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "implementation.view")
    ensure_staircase(request)
    if (row := asked_row(request)) is not None:
        return _asked_part(request, row)
    staircase = selectors.staircase_page(tenant=request.tenant)
    assert staircase is not None
    context = _context(request, staircase)
    return render_page(request, PAGE, context, partial="staircase", parts=["step_add_link"])


def _asked_part(request: TenantRequest, pk: int) -> HttpResponse:
    """A step's head, a criterion or a step's "Add criterion" link, as a
    "Cancel" asks it back (`?part=criterion_row&row=<pk>`)."""
    part = request.GET.get("part", "")
    if part == "criterion_row":
        criterion = get_criterion_for(request, pk)
        context = _context(request, criterion.step.staircase, criterion=criterion)
    elif part in ("step_head", "criterion_add_link"):
        step = get_step_for(request, pk)
        context = _context(request, step.staircase, step=step)
    else:
        raise Http404
    return render(request, f"{PAGE}#{part}", context)


@require_GET
def staircase_version(request: TenantRequest, tenant_slug: str, version: int) -> HttpResponse:
    """An earlier version, as the assessments made against it saw it."""
    require(request, "implementation.view")
    staircase = selectors.staircase_page(tenant=request.tenant, version=version)
    if staircase is None:
        raise Http404
    return render_page(request, PAGE, _context(request, staircase), partial="staircase")


def _changed(
    request: TenantRequest, before: Staircase, obj: object, *, action: str, message: str
) -> HttpResponse:
    """The whole staircase again (htmx), or back to its page."""
    current = selectors.staircase_page(tenant=request.tenant)
    assert current is not None
    if current.version != before.version:
        message = " ".join(
            [
                message,
                _(
                    "The staircase is now version %(new)s; assessments already made keep "
                    "version %(old)s."
                )
                % {"new": current.version, "old": before.version},
            ]
        )
    if request.htmx:
        response = render_changed(
            request,
            f"{PAGE}#staircase",
            _context(request, current, changed_message=message),
            event="staircaseChanged",
            obj=obj,
            action=action,
        )
        return swap_to(response, "#staircase")
    return to_page(
        request, reverse("implementation:staircase_detail", args=[request.tenant.slug]), message
    )


@require_GET_or_POST
def step_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "implementation.edit")
    staircase = ensure_staircase(request)
    form = StepForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            step = services.step_add(actor=request.user, staircase=staircase, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Added step %(number)s, %(name)s.") % {
                "number": step.number,
                "name": step.name,
            }
            return _changed(request, staircase, step, action="step_add", message=message)
    return render_page(request, "implementation/step_add.html", {"form": form}, partial="form")


@require_GET_or_POST
def step_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    step = get_step_for(request, pk, write=True)
    form = StepForm(form_data(request), step=step)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.step_update(actor=request.user, step=step, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Saved step %(number)s, %(name)s.") % {
                "number": changed.number,
                "name": changed.name,
            }
            return _changed(request, step.staircase, changed, action="step_update", message=message)
    context = {"form": form, "step": step}
    return render_page(request, "implementation/step_edit.html", context, partial="head_form")


@require_GET_or_POST
def step_remove(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    step = get_step_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.step_remove(actor=request.user, step=step)
        except DomainError as error:
            show_refusal(form, error)
        else:
            message = _("Took step %(number)s, %(name)s, out of the staircase.") % {
                "number": step.number,
                "name": step.name,
            }
            return _changed(request, step.staircase, step, action="step_remove", message=message)
    return render_confirm(request, confirms.step_remove(request, step), form)


@require_GET_or_POST
def criterion_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    step = get_step_for(request, pk, write=True)
    form = CriterionForm(form_data(request), step=step)
    if request.method == "POST" and form.is_valid():
        try:
            criterion = services.criterion_add(
                actor=request.user, step=step, text=form.cleaned_data["text"]
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Added a criterion to step %(number)s.") % {"number": step.number}
            return _changed(
                request, step.staircase, criterion, action="criterion_add", message=message
            )
    context = {"form": form, "step": step}
    return render_page(request, "implementation/criterion_add.html", context, partial="form")


@require_GET_or_POST
def criterion_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    criterion = get_criterion_for(request, pk, write=True)
    form = CriterionForm(form_data(request), criterion=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.criterion_update(
                actor=request.user,
                criterion=criterion,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Saved the criterion.")
            return _changed(
                request,
                criterion.step.staircase,
                changed,
                action="criterion_update",
                message=message,
            )
    context = {"form": form, "criterion": criterion}
    return render_page(request, "implementation/criterion_edit.html", context, partial="row_form")


@require_GET_or_POST
def criterion_remove(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    criterion = get_criterion_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_remove(actor=request.user, criterion=criterion)
        except DomainError as error:
            show_refusal(form, error)
        else:
            message = _("Took the criterion out of step %(number)s.") % {
                "number": criterion.step.number
            }
            return _changed(
                request,
                criterion.step.staircase,
                criterion,
                action="criterion_remove",
                message=message,
            )
    return render_confirm(request, confirms.criterion_remove(request, criterion), form)


urlpatterns = [
    path("staircase/", staircase_detail, name="staircase_detail"),
    path("staircase/versions/<int:version>/", staircase_version, name="staircase_version"),
    path("staircase/steps/new/", step_add, name="step_add"),
    path("staircase/steps/<int:pk>/edit/", step_edit, name="step_edit"),
    path("staircase/steps/<int:pk>/remove/", step_remove, name="step_remove"),
    path("staircase/steps/<int:pk>/criteria/new/", criterion_add, name="criterion_add"),
    path("staircase/criteria/<int:pk>/edit/", criterion_edit, name="criterion_edit"),
    path("staircase/criteria/<int:pk>/remove/", criterion_remove, name="criterion_remove"),
]
