"""The researcher's pages: the export page (datasets, exports, streamed CSV,
API tokens) and the register of research reports.

Only researchers export (`research.export`: others 403; another programme's
slug is 404 from the tenant middleware). Zipped exports are built by a worker
and followed on the page like the portal's PDFs; one dataset can be streamed
directly as CSV. Exports and new tokens are rate-limited per researcher.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.htmx import require_GET_or_POST, show_refusal, wants_archived
from portal.services import DomainError
from portal.tenancy import TenantRequest, require
from research import datasets as ds
from research import exports, selectors, services
from research.access import get_api_token_for, get_research_report_for
from research.forms import ExportForm, ReportForm, StreamForm, TokenForm
from research.ratelimits import export_limited

PAGE = "research/export.html"


def _page(request: TenantRequest, *, status: int = 200, **forms_and_more: Any) -> HttpResponse:
    context: dict[str, Any] = {
        "nav_section": "research",
        "export_form": ExportForm(),
        "stream_form": StreamForm(),
        "token_form": TokenForm(),
        "datasets": selectors.dataset_overview(tenant=request.tenant),
        "exports": selectors.recent_exports(
            tenant=request.tenant, user=request.user, membership=request.membership
        ),
        "tokens": selectors.active_tokens(tenant=request.tenant, user=request.user),
        "api_base": reverse("research_api:api-root") + f"{request.tenant.slug}/",
        "openapi_url": reverse("research_api:openapi-json"),
        **forms_and_more,
    }
    return render(request, PAGE, context, status=status)


def _too_many(request: TenantRequest) -> HttpResponse:
    response = render(request, "research/too_many.html", {"nav_section": "research"}, status=429)
    response["Retry-After"] = "60"
    return response


def _back(request: TenantRequest) -> HttpResponse:
    return redirect("research:export", request.tenant.slug)


# A new token travels from its POST to the page once, in the session, so that
# reloading the page neither shows it again nor makes another one.
NEW_TOKEN_SESSION_KEY = "research_new_token"  # noqa: S105  (a session key, not a secret)


@require_GET
def export_page(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "research.export")
    fresh = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if isinstance(fresh, dict) and fresh.get("tenant") == request.tenant.pk:
        response = _page(request, new_token=fresh["raw"], new_token_name=fresh["name"])
        response["Cache-Control"] = "no-store"
        return response
    return _page(request)


@require_POST
def export_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Ask for a zipped export; the page then follows its job."""
    require(request, "research.export")
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _page(request, export_form=form, status=400)
    if export_limited(request, user_id=request.user.pk):
        return _too_many(request)
    data = form.cleaned_data
    try:
        services.export_request(
            actor=request.user,
            membership=request.membership,
            tenant=request.tenant,
            format=data["format"],
            dataset_keys=data["datasets"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            include_free_text=data["include_free_text"],
        )
    except DomainError as error:
        show_refusal(form, error)
        return _page(request, export_form=form, status=400)
    messages.success(request, _("The export is being created. It appears below when it is ready."))
    return _back(request)


@require_GET
def export_stream(request: TenantRequest, tenant_slug: str) -> HttpResponseBase:
    """One dataset as CSV, streamed while it is read: constant memory for any size."""
    require(request, "research.export")
    form = StreamForm(request.GET)
    if not form.is_valid():
        return _page(request, stream_form=form, status=400)
    if export_limited(request, user_id=request.user.pk):
        return _too_many(request)
    data = form.cleaned_data
    dataset = ds.get(data["dataset"])
    export = services.stream_start(
        actor=request.user,
        membership=request.membership,
        tenant=request.tenant,
        dataset_key=dataset.key,
        period_start=data["period_start"],
        period_end=data["period_end"],
        include_free_text=data["include_free_text"],
    )
    response = StreamingHttpResponse(
        exports.stream_csv(export, dataset), content_type="text/csv; charset=utf-8"
    )
    name = f"{dataset.key}-{request.tenant.slug}-{export.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    for header, value in exports.stream_headers(export, request.tenant).items():
        response[header] = value
    return response


# API tokens ------------------------------------------------------------------------


@require_POST
def token_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """A new personal API token, shown once on the page this redirects to."""
    require(request, "research.export")
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, token_form=form, status=400)
    if export_limited(request, user_id=request.user.pk):
        return _too_many(request)
    try:
        token, raw = services.token_create(
            actor=request.user,
            membership=request.membership,
            tenant=request.tenant,
            name=form.cleaned_data["name"],
        )
    except DomainError as error:
        show_refusal(form, error)
        return _page(request, token_form=form, status=400)
    request.session[NEW_TOKEN_SESSION_KEY] = {
        "tenant": request.tenant.pk,
        "raw": raw,
        "name": token.name,
    }
    return redirect("research:export", tenant_slug=tenant_slug)


@require_POST
def token_revoke(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    token = get_api_token_for(request, pk, write=True)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token is revoked. It cannot be used again."))
    return _back(request)


# Research reports ------------------------------------------------------------------


@require_GET
def report_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "research.view_reports")
    show_archived = wants_archived(request)
    context = {
        "nav_section": "research",
        "reports": selectors.report_list(tenant=request.tenant, include_archived=show_archived),
        "show_archived": show_archived,
    }
    return render(request, "research/report_list.html", context)


@require_GET_or_POST
def report_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "research.manage_reports")
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                actor=request.user,
                membership=request.membership,
                tenant=request.tenant,
                **form.cleaned_data,
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The report is added to the register."))
            return redirect("research:report_list", request.tenant.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "research/report_add.html",
        {"form": form, "nav_section": "research"},
        status=status,
    )


@require_POST
def report_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    report = get_research_report_for(request, pk, write=True)
    archived = request.POST.get("archived", "1") == "1"
    services.report_set_archived(
        actor=request.user, membership=request.membership, report=report, archived=archived
    )
    messages.success(
        request, _("The report is archived.") if archived else _("The report is restored.")
    )
    return redirect("research:report_list", request.tenant.slug)
