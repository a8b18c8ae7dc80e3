"""Action items (uppdrag) across the programme: the filtered list with counts
per status and an inline status change, one item with its status history,
editing and archiving.

Process leaders write; steering members, researchers and tenant admins read;
principal reporters get 403. Items recorded in minutes that a reader may not
read yet (drafts) are hidden from that reader, like the minutes' decisions.
Each status change goes through `action_set_status`, which records it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance.access import get_action_for
from governance.forms.actions import ActionFilterForm, ActionForm, ActionStatusForm
from governance.models import ActionItem, ActionStatus
from governance.selectors.actions import action_counts, action_items, action_row, with_status
from governance.selectors.decisions import readable_minutes_statuses
from governance.selectors.report_back import attach_answers
from governance.services import actions as services
from governance.views import confirms
from governance.views.decisions import PAGE_SIZE, render_filtered
from portal.confirm import render_confirm
from portal.forms import ConfirmForm
from portal.htmx import form_data, render_changed, render_page, require_GET_or_POST, show_refusal
from portal.services import DomainError
from portal.tenancy import TenantRequest, require

STATUS_CHOICES = ActionStatus.choices


def _return_to(request: TenantRequest, fallback: str) -> str:
    """Where a status change without JavaScript returns: the page it came from
    (a filtered list, the item's page) if that is a page of this programme."""
    candidate = request.POST.get("next", "")
    if candidate.startswith(f"/{request.tenant.slug}/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_GET
def action_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "governance.view_finished")
    show_archived = request.GET.get("archived") == "1"
    form = ActionFilterForm(request.GET, tenant=request.tenant)
    filters = form.filters()
    status = form.chosen_status()
    items = action_items(
        tenant=request.tenant,
        minutes_statuses=readable_minutes_statuses(request.membership),
        include_archived=show_archived,
        **filters,
    )
    page = Paginator(with_status(items, status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "counts": action_counts(items),
        "current_status": status,
        "show_archived": show_archived,
        "filtered": bool(status) or any(filters.values()),
        "status_choices": STATUS_CHOICES,
        "return_to": request.get_full_path(),
    }
    return render_filtered(request, "governance/action_list.html", context, partial="results")


@require_GET
def action_detail_view(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    action = get_action_for(request, pk)
    if request.htmx:
        # An inline form's "Cancel" asks for the item's row of the list back.
        row = {"action": action, "status_choices": STATUS_CHOICES, "return_to": ""}
        return render(request, "governance/action_list.html#row", row)
    # The principals' answers (återkoppling), and those asked that have not answered.
    attach_answers([action], tenant_id=request.tenant.pk)
    context = {
        "action": action,
        "status_choices": STATUS_CHOICES,
        "return_to": request.get_full_path(),
    }
    return render(request, "governance/action_detail.html", context)


@require_POST
def action_status(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Change an item's status; the change is recorded with who and when.
    htmx gets the list row back (with an announcement), others a redirect."""
    action = get_action_for(request, pk, write=True)
    previous = action.get_status_display()
    form = ActionStatusForm(request.POST, auto_id=f"action-{action.pk}-status-%s")
    if form.is_valid():
        try:
            services.action_set_status(
                actor=request.user, action=action, status=form.cleaned_data["status"]
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="status")
        else:
            message = _("The status of “%(action)s” is now %(status)s (was %(previous)s).") % {
                "action": action,
                "status": action.get_status_display().lower(),
                "previous": previous.lower(),
            }
            if request.htmx:
                return render_changed(
                    request,
                    "governance/action_list.html#row",
                    {
                        "action": action_row(tenant=request.tenant, pk=action.pk),
                        "status_choices": STATUS_CHOICES,
                        "return_to": _return_to(request, ""),
                        "announcement": message,
                    },
                    event="actionChanged",
                    obj=action,
                    action="status",
                )
            messages.success(request, message)
            fallback = reverse("governance:action_detail", args=[request.tenant.slug, action.pk])
            return redirect(_return_to(request, fallback))
    context = {
        "action": action,
        "form": form,
        "status_form": form,
        "status_choices": STATUS_CHOICES,
        "return_to": _return_to(request, ""),
    }
    if request.htmx:
        return render(request, "governance/action_list.html#row", context)
    return render(request, "governance/action_status.html", context)


@require_GET_or_POST
def action_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Edit what is asked, of whom and by when (the status has its own control)."""
    action = get_action_for(request, pk, write=True)
    form = ActionForm(form_data(request), tenant=request.tenant, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=request.user, action=action, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "governance/action_list.html#row",
                    {
                        "action": action_row(tenant=request.tenant, pk=action.pk),
                        "status_choices": STATUS_CHOICES,
                        "return_to": "",
                    },
                    event="actionChanged",
                    obj=action,
                    action="update",
                )
            messages.success(request, _("Saved the assignment."))
            return redirect("governance:action_detail", request.tenant.slug, action.pk)
    context = {"form": form, "action": action}
    return render_page(request, "governance/action_edit.html", context, partial="row_form")


@require_GET_or_POST
def action_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation (a page, or for htmx a row); POST archives.
    Nothing is deleted: the item and its history stay, and can be restored."""
    action = get_action_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_set_archived(actor=request.user, action=action, archived=True)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _action_archived(request, action, archived=True)
    return render_confirm(request, confirms.action_archive(request, action), form)


@require_POST
def action_restore(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    action = get_action_for(request, pk, write=True)
    try:
        services.action_set_archived(actor=request.user, action=action, archived=False)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("governance:action_detail", request.tenant.slug, action.pk)
    return _action_archived(request, action, archived=False)


def _action_archived(request: TenantRequest, action: ActionItem, *, archived: bool) -> HttpResponse:
    if request.htmx:
        return render_changed(
            request,
            "governance/action_list.html#row",
            {
                "action": action_row(tenant=request.tenant, pk=action.pk),
                "status_choices": STATUS_CHOICES,
                "return_to": "",
            },
            event="actionChanged",
            obj=action,
            action="archive" if archived else "restore",
        )
    if archived:
        messages.success(request, _("Archived the assignment. It is kept and can be restored."))
        return redirect("governance:action_list", request.tenant.slug)
    messages.success(request, _("Restored the assignment."))
    return redirect("governance:action_detail", request.tenant.slug, action.pk)


urlpatterns = [
    path("actions/", action_list, name="action_list"),
    path("actions/<int:pk>/", action_detail_view, name="action_detail"),
    path("actions/<int:pk>/edit/", action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", action_status, name="action_status"),
    path("actions/<int:pk>/archive/", action_archive, name="action_archive"),
    path("actions/<int:pk>/restore/", action_restore, name="action_restore"),
]
