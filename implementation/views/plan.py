"""The implementation plan: sub-projects (e.g. the NPF sub-project) with their
activities (e.g. its proposals: förstärkt EHT, digital plattform), and the
plan's other activities — owner, status, due date, the decisions behind them
and the working groups doing them.

Everyone in the programme reads the plan; process leaders write it
(`implementation.edit`). Decisions are referred to as text with an optional
link, because implementation does not depend on governance.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from implementation.access import get_activity_for, get_sub_project_for
from implementation.forms.plan import ActivityForm, SubProjectForm
from implementation.models import Activity, SubProject
from implementation.selectors import plan as selectors
from implementation.services import catalogue
from implementation.services import plan as services
from implementation.views import confirms
from portal.confirm import render_confirm
from portal.forms import ConfirmForm
from portal.htmx import (
    form_data,
    render_page,
    require_GET_or_POST,
    show_refusal,
    to_page,
    wants_archived,
)
from portal.services import DomainError
from portal.tenancy import TenantRequest, require


def _plan_url(request: TenantRequest) -> str:
    return reverse("implementation:plan_list", args=[request.tenant.slug])


def _sub_project_url(request: TenantRequest, sub_project: SubProject) -> str:
    return reverse("implementation:sub_project_detail", args=[request.tenant.slug, sub_project.pk])


@require_GET
def plan_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "implementation.view")
    show_archived = wants_archived(request)
    context = {
        "sub_projects": selectors.sub_projects(
            tenant=request.tenant, include_archived=show_archived
        ),
        "activities": selectors.loose_activities(
            tenant=request.tenant, include_archived=show_archived
        ),
        "show_archived": show_archived,
        "today": timezone.localdate(),
    }
    return render_page(request, "implementation/plan_list.html", context, partial="plan")


@require_GET
def sub_project_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    sub_project = get_sub_project_for(request, pk)
    context = {"sub_project": sub_project, "today": timezone.localdate()}
    return render_page(
        request, "implementation/sub_project_detail.html", context, partial="sub_project"
    )


@require_GET_or_POST
def sub_project_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "implementation.edit")
    catalogue.ensure_defaults(request.tenant)
    form = SubProjectForm(form_data(request), tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            sub_project = services.sub_project_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Added the sub-project %(title)s.") % {"title": sub_project.title}
            return to_page(request, _sub_project_url(request, sub_project), message)
    return render_page(
        request, "implementation/sub_project_add.html", {"form": form}, partial="form"
    )


@require_GET_or_POST
def sub_project_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    sub_project = get_sub_project_for(request, pk, write=True)
    form = SubProjectForm(form_data(request), tenant=request.tenant, sub_project=sub_project)
    if request.method == "POST" and form.is_valid():
        try:
            services.sub_project_update(
                actor=request.user, sub_project=sub_project, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return to_page(
                request, _sub_project_url(request, sub_project), _("Saved the sub-project.")
            )
    context = {"form": form, "sub_project": sub_project}
    return render_page(request, "implementation/sub_project_edit.html", context, partial="form")


@require_GET_or_POST
def sub_project_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    sub_project = get_sub_project_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.sub_project_set_archived(
            actor=request.user, sub_project=sub_project, archived=True
        )
        message = _("Archived the sub-project %(title)s.") % {"title": sub_project.title}
        return to_page(request, _plan_url(request), message)
    return render_confirm(request, confirms.plan_item_archive(request, sub_project), form)


def _after_activity(request: TenantRequest, activity: Activity, message: str) -> HttpResponse:
    if activity.sub_project_id:
        url = _sub_project_url(request, activity.sub_project)  # type: ignore[arg-type]
    else:
        url = _plan_url(request)
    return to_page(request, f"{url}#activity-{activity.pk}", message)


@require_GET_or_POST
def activity_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """`?sub_project=<id>` preselects the sub-project (its page links here)."""
    require(request, "implementation.edit")
    catalogue.ensure_defaults(request.tenant)
    initial: dict[str, Any] = {}
    if (sub_project_id := request.GET.get("sub_project", "")).isdigit():
        initial["sub_project"] = get_sub_project_for(request, int(sub_project_id)).pk
    form = ActivityForm(form_data(request), tenant=request.tenant, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Added the activity %(title)s.") % {"title": activity.title}
            return _after_activity(request, activity, message)
    return render_page(request, "implementation/activity_add.html", {"form": form}, partial="form")


@require_GET_or_POST
def activity_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk, write=True)
    form = ActivityForm(form_data(request), tenant=request.tenant, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return _after_activity(request, activity, _("Saved the activity."))
    context = {"form": form, "activity": activity}
    return render_page(request, "implementation/activity_edit.html", context, partial="form")


@require_GET_or_POST
def activity_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.activity_set_archived(actor=request.user, activity=activity, archived=True)
        message = _("Archived the activity %(title)s.") % {"title": activity.title}
        return _after_activity(request, activity, message)
    return render_confirm(request, confirms.plan_item_archive(request, activity), form)


urlpatterns = [
    path("plan/", plan_list, name="plan_list"),
    path("plan/sub-projects/new/", sub_project_add, name="sub_project_add"),
    path("plan/sub-projects/<int:pk>/", sub_project_detail, name="sub_project_detail"),
    path("plan/sub-projects/<int:pk>/edit/", sub_project_edit, name="sub_project_edit"),
    path("plan/sub-projects/<int:pk>/archive/", sub_project_archive, name="sub_project_archive"),
    path("plan/activities/new/", activity_add, name="activity_add"),
    path("plan/activities/<int:pk>/edit/", activity_edit, name="activity_edit"),
    path("plan/activities/<int:pk>/archive/", activity_archive, name="activity_archive"),
]
