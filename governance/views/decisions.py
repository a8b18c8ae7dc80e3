"""The programme's decision register: filters in the query string (shareable
URLs, the back button works), htmx-refreshed results, and repealing a decision
(optionally replaced by a later one).

Who sees what: process leaders every decision; steering members, researchers
and tenant admins decisions from finished or approved minutes; principal
reporters decisions from approved minutes only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from governance.access import get_decision_for
from governance.forms.decisions import DecisionFilterForm, DecisionRepealForm
from governance.selectors.decisions import (
    decision_register,
    decision_row,
    decision_years,
    readable_minutes_statuses,
    replacement_choices,
)
from governance.services import decisions as services
from governance.views import confirms
from portal.confirm import render_confirm
from portal.htmx import asked_row, form_data, render_changed, require_GET_or_POST, show_refusal
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require

PAGE_SIZE = 50


def render_filtered(
    request: TenantRequest, template: str, context: Mapping[str, Any], *, partial: str
) -> HttpResponse:
    """A filtered list: the full page, or for htmx only its results.

    The URL is pushed into the history, so the same URL answers both; `Vary`
    keeps a browser from showing a cached fragment as a page, and htmx's
    history-restore request (after a cache miss on Back) gets the full page.
    """
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    name = f"{template}#{partial}" if fragment else template
    response = render(request, name, {**context, "fragment": fragment})
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@require_GET
def decision_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "governance.view_approved_minutes")
    statuses = readable_minutes_statuses(request.membership)
    if (row := asked_row(request)) is not None:
        decisions = decision_register(tenant=request.tenant, minutes_statuses=statuses)
        row_context = {"decision": get_for_tenant(request, decisions, pk=row)}
        return render(request, "governance/decision_list.html#row", row_context)
    years = decision_years(tenant=request.tenant, minutes_statuses=statuses)
    form = DecisionFilterForm(request.GET, tenant=request.tenant, years=years)
    filters = form.filters()
    decisions = decision_register(tenant=request.tenant, minutes_statuses=statuses, **filters)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filtered": any(filters.values()),
    }
    return render_filtered(request, "governance/decision_list.html", context, partial="results")


@require_GET_or_POST
def decision_repeal(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks which later decision replaces it, if any (a page, or for htmx a
    row of the register); POST marks it repealed. It stays in the register."""
    decision = get_decision_for(request, pk)
    form = DecisionRepealForm(
        form_data(request), decision=decision, choices=replacement_choices(decision)
    )
    if request.method == "POST" and form.is_valid():
        replaced_by = form.cleaned_data["replaced_by"]
        try:
            services.decision_repeal(actor=request.user, decision=decision, replaced_by=replaced_by)
        except DomainError as error:
            show_refusal(form, error, field="replaced_by")
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "governance/decision_list.html#row",
                    {
                        "decision": decision_row(tenant=request.tenant, pk=decision.pk),
                        "announce": True,
                    },
                    event="decisionChanged",
                    obj=decision,
                    action="repeal",
                )
            if replaced_by is None:
                message = _("%(ref)s is now marked as repealed.") % {"ref": decision.reference}
            else:
                message = _("%(ref)s is now marked as replaced by %(new)s.") % {
                    "ref": decision.reference,
                    "new": replaced_by.reference,
                }
            messages.success(request, message)
            return redirect("governance:decision_list", request.tenant.slug)
    return render_confirm(request, confirms.decision_repeal(request, decision), form)


urlpatterns = [
    path("decisions/", decision_list, name="decision_list"),
    path("decisions/<int:pk>/repeal/", decision_repeal, name="decision_repeal"),
]
