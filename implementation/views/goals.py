"""Goals and sub-goals (delmål) per focus area, with the indicators that
follow them up. Everyone in the programme reads them; process leaders add,
edit, archive and restore goals. After a change htmx gets the whole tree of
goals again (a goal may have moved to another focus area or under a goal).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from implementation.access import get_entry_for, get_goal_for
from implementation.forms.goals import GoalForm
from implementation.models import FocusArea, Goal
from implementation.selectors import goals as selectors
from implementation.services import catalogue
from implementation.services import goals as services
from implementation.views import confirms
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
    wants_archived,
)
from portal.services import DomainError
from portal.tenancy import TenantRequest, require

PAGE = "implementation/goal_list.html"


def _tree_context(request: TenantRequest, **extra: Any) -> dict[str, Any]:
    show_archived = wants_archived(request) or request.POST.get("archived") == "1"
    return {
        "focus_areas": selectors.goal_tree(tenant=request.tenant, include_archived=show_archived),
        "show_archived": show_archived,
        **extra,
    }


@require_GET
def goal_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "implementation.view")
    if (row := asked_row(request)) is not None:
        return _asked_add_link(request, row)
    catalogue.ensure_defaults(request.tenant)
    return render_page(request, PAGE, _tree_context(request), partial="tree")


def _changed(request: TenantRequest, goal: Goal, *, action: str, message: str) -> HttpResponse:
    if request.htmx:
        response = render_changed(
            request,
            f"{PAGE}#tree",
            _tree_context(request, changed_message=message, changed_goal=goal.pk),
            event="goalChanged",
            obj=goal,
            action=action,
        )
        return swap_to(response, "#goal-tree")
    url = reverse("implementation:goal_list", args=[request.tenant.slug]) + f"#goal-{goal.pk}"
    return to_page(request, url, message)


def _form(request: TenantRequest, goal: Goal | None = None, **kwargs: Any) -> GoalForm:
    if goal is None:
        areas = selectors.entries(tenant=request.tenant, model=FocusArea)
    else:
        areas = selectors.entry_choices(
            tenant=request.tenant, model=FocusArea, keep=[goal.focus_area_id]
        )
    return GoalForm(
        form_data(request),
        focus_areas=areas,
        parents=selectors.goal_choices(
            tenant=request.tenant, current=goal.parent if goal else None
        ),
        goal=goal,
        **kwargs,
    )


@require_GET_or_POST
def goal_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """`?focus_area=<id>` or `?parent=<id>` preselect (the goals page links here)."""
    require(request, "implementation.edit")
    catalogue.ensure_defaults(request.tenant)
    initial: dict[str, Any] = {}
    if (area := request.GET.get("focus_area", "")).isdigit():
        initial["focus_area"] = get_entry_for(request, int(area), model=FocusArea).pk
    if (parent_id := request.GET.get("parent", "")).isdigit():
        parent = get_goal_for(request, int(parent_id))
        initial.update(parent=parent.pk, focus_area=parent.focus_area_id)
    form = _form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Added the goal “%(title)s”.") % {"title": goal.title}
            return _changed(request, goal, action="create", message=message)
    slot = request.GET.get("slot", "")
    context = {"form": form, "slot": slot if slot.replace("-", "").isalnum() else ""}
    return render_page(request, "implementation/goal_add.html", context, partial="form")


def _asked_add_link(request: TenantRequest, pk: int) -> HttpResponse:
    """A focus area's or a goal's "Add" link, as a "Cancel" asks it back
    (`?part=focus_area_add_link&row=<pk>`)."""
    part = request.GET.get("part", "")
    if part == "focus_area_add_link":
        area = get_entry_for(request, pk, model=FocusArea)
        return render(request, f"{PAGE}#{part}", {"area": area})
    if part == "sub_goal_add_link":
        goal = get_goal_for(request, pk)
        return render(request, f"implementation/_goal.html#{part}", {"goal": goal})
    raise Http404


@require_GET_or_POST
def goal_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    goal = get_goal_for(request, pk, write=True)
    form = _form(request, goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(actor=request.user, goal=goal, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Saved the goal “%(title)s”.") % {"title": goal.title}
            return _changed(request, goal, action="update", message=message)
    context = {"form": form, "goal": goal}
    return render_page(request, "implementation/goal_edit.html", context, partial="form")


@require_GET_or_POST
def goal_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    goal = get_goal_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_set_archived(actor=request.user, goal=goal, archived=True)
        except DomainError as error:
            show_refusal(form, error)
        else:
            message = _("Archived the goal “%(title)s”. It is kept and can be restored.") % {
                "title": goal.title
            }
            return _changed(request, goal, action="archive", message=message)
    return render_confirm(request, confirms.goal_archive(request, goal), form)


@require_POST
def goal_restore(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    goal = get_goal_for(request, pk, write=True)
    try:
        services.goal_set_archived(actor=request.user, goal=goal, archived=False)
    except DomainError as error:
        return to_page(
            request, reverse("implementation:goal_list", args=[request.tenant.slug]), str(error)
        )
    message = _("Restored the goal “%(title)s”.") % {"title": goal.title}
    return _changed(request, goal, action="restore", message=message)


urlpatterns = [
    path("goals/", goal_list, name="goal_list"),
    path("goals/new/", goal_add, name="goal_add"),
    path("goals/<int:pk>/edit/", goal_edit, name="goal_edit"),
    path("goals/<int:pk>/archive/", goal_archive, name="goal_archive"),
    path("goals/<int:pk>/restore/", goal_restore, name="goal_restore"),
]
