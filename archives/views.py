"""The "Arkiv och gallring" pages of a programme's administration: archive
packages, retention rules, holds and disposal runs.

Programme administrators only (`archives.manage`: others 403; another
programme's slug or id is 404). Writes go through `archives.services`;
a refused one is shown on the form with status 400 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from archives import kinds, selectors, services
from archives.access import RULE, get_hold_for, get_kind_for, get_run_for
from archives.forms import HoldForm, PackageForm, RuleForm
from archives.models import DisposalStatus, RecordKind, anchor_label
from archives.package import REGISTERS_XSD_NAME
from portal.htmx import form_data, require_GET_or_POST, show_refusal
from portal.services import DomainError
from portal.tenancy import TenantRequest, require

NAV = "archives"


def _overview(request: TenantRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    tenant = request.tenant
    due = selectors.due_for_disposal(tenant)
    context: dict[str, Any] = {
        "nav_section": NAV,
        "package_form": PackageForm(),
        "hold_form": HoldForm(),
        "packages": selectors.recent_packages(tenant=tenant, membership=request.membership),
        "rules": selectors.rule_rows(tenant),
        "holds": selectors.active_holds(tenant),
        "due_count": len(due.due),
        "held_count": due.held,
        "proposed": selectors.proposed_run(tenant),
        "runs": selectors.runs(tenant)[:20],
        "schema_name": REGISTERS_XSD_NAME,
        **forms,
    }
    return render(request, "archives/overview.html", context, status=status)


def _back(request: TenantRequest) -> HttpResponse:
    return redirect("archives:overview", request.tenant.slug)


@require_GET
def overview(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, RULE)
    return _overview(request)


@require_POST
def package_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Ask for an archive package; the page then follows its job."""
    require(request, RULE)
    form = PackageForm(request.POST)
    if not form.is_valid():
        return _overview(request, package_form=form, status=400)
    try:
        services.archive_export_request(
            actor=request.user,
            membership=request.membership,
            tenant=request.tenant,
            **form.cleaned_data,
        )
    except DomainError as error:
        show_refusal(form, error)
        return _overview(request, package_form=form, status=400)
    messages.success(
        request, _("The archive package is being created. It appears below when it is ready.")
    )
    return _back(request)


@require_GET_or_POST
def rule_edit(request: TenantRequest, tenant_slug: str, kind: str) -> HttpResponse:
    record_kind = get_kind_for(request, kind)
    rule = selectors.rule_for(request.tenant, record_kind)
    form = RuleForm(form_data(request), rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(
                actor=request.user,
                tenant=request.tenant,
                kind=record_kind,
                **form.cleaned_data,
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved the retention rule."))
            return _back(request)
    context = {
        "nav_section": NAV,
        "form": form,
        "kind": record_kind,
        "kind_label": RecordKind(record_kind).label,
        "anchor": anchor_label(record_kind),
        "disposable": kinds.get(record_kind).disposable,
        "rule": rule,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "archives/rule_edit.html", context, status=status)


@require_POST
def hold_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, RULE)
    form = HoldForm(request.POST)
    if not form.is_valid():
        return _overview(request, hold_form=form, status=400)
    try:
        services.hold_add(actor=request.user, tenant=request.tenant, **form.cleaned_data)
    except DomainError as error:
        show_refusal(form, error)
        return _overview(request, hold_form=form, status=400)
    messages.success(request, _("The hold is in place: nothing it covers is disposed."))
    return _back(request)


@require_POST
def hold_release(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    hold = get_hold_for(request, pk, write=True)
    try:
        services.hold_release(actor=request.user, hold=hold)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The hold is released."))
    return _back(request)


@require_GET
def disposal_preview(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """What the rules make due today: the list a disposal run would take."""
    require(request, RULE)
    due = selectors.due_for_disposal(request.tenant)
    context = {
        "nav_section": NAV,
        "due": due,
        "proposed": selectors.proposed_run(request.tenant),
    }
    return render(request, "archives/disposal_preview.html", context)


@require_POST
def disposal_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, RULE)
    try:
        run = services.disposal_propose(actor=request.user, tenant=request.tenant)
    except DomainError as error:
        context = {
            "nav_section": NAV,
            "due": selectors.due_for_disposal(request.tenant),
            "proposed": selectors.proposed_run(request.tenant),
            "refusal": str(error),
        }
        return render(request, "archives/disposal_preview.html", context, status=400)
    messages.success(request, _("The disposal is proposed. Another administrator must approve it."))
    return redirect("archives:run_detail", request.tenant.slug, run.pk)


def _run_page(
    request: TenantRequest, run: Any, *, status: int = 200, refusal: str = ""
) -> HttpResponse:
    context = {
        "nav_section": NAV,
        "run": run,
        "items": selectors.run_items(run),
        "awaiting": run.status == DisposalStatus.PROPOSED,
        "may_approve": run.status == DisposalStatus.PROPOSED
        and run.proposed_by_id != request.user.pk,
        "refusal": refusal,
    }
    return render(request, "archives/run_detail.html", context, status=status)


@require_GET
def run_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    return _run_page(request, get_run_for(request, pk))


@require_POST
def run_approve(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    run = get_run_for(request, pk, write=True)
    try:
        run = services.disposal_approve(actor=request.user, run=run)
    except DomainError as error:
        return _run_page(request, get_run_for(request, pk), status=400, refusal=str(error))
    messages.success(request, _("The disposal is approved and carried out."))
    return redirect("archives:run_detail", request.tenant.slug, run.pk)


@require_POST
def run_cancel(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    run = get_run_for(request, pk, write=True)
    try:
        services.disposal_cancel(actor=request.user, run=run)
    except DomainError as error:
        return _run_page(request, get_run_for(request, pk), status=400, refusal=str(error))
    messages.success(request, _("The disposal is cancelled. Nothing was removed."))
    return _back(request)


@require_GET
def run_protocol(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The disposal record (gallringsprotokoll) as CSV."""
    run = get_run_for(request, pk)
    response = HttpResponse(selectors.protocol_csv(run), content_type="text/csv; charset=utf-8")
    name = f"gallringsprotokoll-{request.tenant.slug}-{run.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
