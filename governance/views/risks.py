"""The risk register: risks, their dated reviews and the likelihood ×
consequence matrix.

Everyone but principal reporters reads risks; process leaders write. A risk's
assessment (likelihood, consequence, status) changes only by adding a review,
so the history is kept: the edit form does not offer it. Nothing is deleted:
risks are archived and restored.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance.access import get_agenda_item_for, get_meeting_for, get_risk_for
from governance.forms.risks import RiskCreateForm, RiskEditForm, RiskFilterForm, RiskReviewForm
from governance.models import Meeting, Risk
from governance.selectors import risks as selectors
from governance.services import risks as services
from governance.services.meetings import meeting_day
from governance.views import confirms
from governance.views.meeting_common import detail_url
from portal.confirm import render_confirm
from portal.forms import ConfirmForm
from portal.htmx import (
    asked_row,
    form_data,
    render_changed,
    render_page,
    require_GET_or_POST,
    show_refusal,
    to_page,
    wants_archived,
)
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require

FILTERS = ("status", "category", "owner")


@require_GET
def risk_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """The register (open risks unless filtered otherwise) and the matrix of open risks."""
    require(request, "governance.view_finished")
    if (row := asked_row(request)) is not None:
        risks = selectors.risk_list(tenant=request.tenant, status="all", include_archived=True)
        row_context = {"risk": get_for_tenant(request, risks, pk=row)}
        return render(request, "governance/risk_list.html#row", row_context)
    asked = any(name in request.GET for name in FILTERS)
    filter_form = RiskFilterForm(request.GET if asked else None, tenant=request.tenant)
    filters = filter_form.filters()
    show_archived = wants_archived(request)
    context = {
        "filter_form": filter_form,
        "status_filter": filters.get("status", ""),
        "show_archived": show_archived,
        "risks": selectors.risk_list(
            tenant=request.tenant, include_archived=show_archived, **filters
        ),
        "matrix": selectors.risk_matrix(tenant=request.tenant),
    }
    if request.htmx.history_restore_request:
        # The filter form pushes its URL; restoring it from history needs the page.
        response = render(request, "governance/risk_list.html", context)
    else:
        response = render_page(request, "governance/risk_list.html", context, partial="listing")
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def risk_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    risk = get_risk_for(request, pk)
    context = {"risk": risk, "review_form": RiskReviewForm(risk=risk)}
    return render_page(request, "governance/risk_detail.html", context, partial="history")


@require_GET_or_POST
def risk_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Add a risk; `?raised_at=<agenda item id>` preselects where it was raised
    (the meeting page links here from its agenda items) and, once added, leads
    back to that item on the meeting page."""
    require(request, "governance.edit")
    initial = {}
    back = ""
    if (raised_at_id := request.GET.get("raised_at", "")).isdigit():
        item = get_agenda_item_for(request, int(raised_at_id), archived=True)
        back = detail_url(item.meeting, f"agenda-item-{item.pk}")
        # Raised under a revision's draft item: the risk belongs to the approved item.
        raised_at = selectors.approved_item(item)
        if raised_at is not None:
            initial["raised_at"] = raised_at
    form = RiskCreateForm(form_data(request), tenant=request.tenant, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Added the risk %(title)s.") % {"title": risk.title})
            detail = reverse("governance:risk_detail", args=[request.tenant.slug, risk.pk])
            if back and risk.raised_at_id == initial["raised_at"].pk:
                detail = back  # back to the agenda item it was raised under
            return to_page(request, detail)
    context = {"form": form, "back": back}
    return render_page(request, "governance/risk_create.html", context, partial="form")


@require_GET_or_POST
def risk_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Edit what the risk is about. The assessment changes by adding a review."""
    risk = get_risk_for(request, pk, write=True)
    form = RiskEditForm(form_data(request), tenant=request.tenant, instance=risk)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_update(actor=request.user, risk=risk, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "governance/risk_list.html#row",
                    {"risk": selectors.risk_row(tenant=request.tenant, pk=risk.pk)},
                    event="riskChanged",
                    obj=risk,
                    action="update",
                )
            messages.success(request, _("Saved the risk %(title)s.") % {"title": risk.title})
            return redirect("governance:risk_detail", request.tenant.slug, risk.pk)
    context = {"form": form, "risk": risk}
    return render_page(request, "governance/risk_edit.html", context, partial="row_form")


@require_GET_or_POST
def risk_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation (a page, or for htmx a row); POST archives."""
    risk = get_risk_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_set_archived(actor=request.user, risk=risk, archived=True)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _archived(request, risk, archived=True)
    return render_confirm(request, confirms.risk_archive(request, risk), form)


@require_POST
def risk_restore(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    risk = get_risk_for(request, pk, write=True)
    services.risk_set_archived(actor=request.user, risk=risk, archived=False)
    return _archived(request, risk, archived=False)


def _archived(request: TenantRequest, risk: Risk, *, archived: bool) -> HttpResponse:
    if request.htmx:
        return render_changed(
            request,
            "governance/risk_list.html#row",
            {"risk": selectors.risk_row(tenant=request.tenant, pk=risk.pk)},
            event="riskChanged",
            obj=risk,
            action="archive" if archived else "restore",
        )
    if archived:
        message = _("Archived the risk %(title)s. It is kept and can be restored.")
    else:
        message = _("Restored the risk %(title)s.")
    messages.success(request, message % {"title": risk.title})
    return redirect("governance:risk_detail", request.tenant.slug, risk.pk)


@require_GET_or_POST
def risk_review_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Add a dated review. For htmx: a fresh form, with the review history and
    the current assessment of the risk page swapped out of band."""
    risk = get_risk_for(request, pk, write=True)
    meeting = _meeting_from_query(request)
    reviewed_on = None
    if meeting is not None:
        reviewed_on = min(meeting_day(meeting), timezone.localdate())
    form = RiskReviewForm(form_data(request), risk=risk, reviewed_on=reviewed_on)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.risk_review_add(actor=request.user, risk=risk, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                risk = get_risk_for(request, risk.pk)
                return render_changed(
                    request,
                    "governance/risk_review_add.html#added",
                    {"risk": risk, "review": review, "form": RiskReviewForm(risk=risk)},
                    event="riskChanged",
                    obj=risk,
                    action="review",
                )
            messages.success(
                request, _("Added the review of the risk %(title)s.") % {"title": risk.title}
            )
            if meeting is not None:
                return redirect(detail_url(meeting, "agenda"))
            return redirect("governance:risk_detail", request.tenant.slug, risk.pk)
    context = {"form": form, "risk": risk, "meeting": meeting}
    return render_page(request, "governance/risk_review_add.html", context, partial="form")


def _meeting_from_query(request: TenantRequest) -> Meeting | None:
    """`?meeting=<id>`: the review is recorded at that meeting (the meeting
    page links here), so it is dated the meeting's day by default. Another
    programme's id is 404."""
    meeting_id = request.GET.get("meeting", "")
    if not meeting_id.isdigit():
        return None
    return get_meeting_for(request, int(meeting_id), write=True)


urlpatterns = [
    path("risks/", risk_list, name="risk_list"),
    path("risks/new/", risk_create, name="risk_create"),
    path("risks/<int:pk>/", risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", risk_edit, name="risk_edit"),
    path("risks/<int:pk>/archive/", risk_archive, name="risk_archive"),
    path("risks/<int:pk>/restore/", risk_restore, name="risk_restore"),
    path("risks/<int:pk>/reviews/new/", risk_review_add, name="risk_review_add"),
]
