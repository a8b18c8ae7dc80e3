"""The programme dashboard (the programme's start page) and each principal's
dashboard, assembled from the panels the apps register (portal.dashboards.registry).

One template per dashboard; each panel is the named partial "panel" of it,
filled by the panel's own partial. Filters (period, sector, body) are a GET
form: htmx swaps the panels in place and pushes the URL, so a filtered view
is a shareable address and the back button works. Lazy panels are fetched
when scrolled into view; without JavaScript, `?panels=all` renders every
panel in the page.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from portal.access import get_principal_for
from portal.dashboards import registry
from portal.dashboards.cache import panel_html, render_panels
from portal.dashboards.forms import FilterForm
from portal.dashboards.registry import Filters, PanelRequest, RenderedPanel
from portal.models import Principal
from portal.selectors import principal_names
from portal.tenancy import TenantRequest, require


def _filters(request: TenantRequest) -> tuple[FilterForm, Filters]:
    form = FilterForm(request.GET, tenant=request.tenant)
    return form, form.filters()


def _filter_fields(form: FilterForm, filters: Filters) -> list[Any]:
    """Each filter with its options and which one is in force (the default
    when the submitted value was refused), for the template to draw as plain
    selects: far cheaper than a widget template per option, on the page that
    every member opens first."""
    current = {
        "period": str(filters.months),
        "sector": filters.sector,
        **{f.key: str(filters.get(f.key) or "") for f in registry.choice_filters()},
    }
    fields = []
    for bound in form:
        choices: Any = bound.field.choices  # type: ignore[attr-defined]
        options = [
            (str(value), label, str(value) == current.get(bound.name, ""))
            for value, label in choices
        ]
        fields.append((bound, options))
    return fields


def _active_filter_labels(form: FilterForm, filters: Filters) -> dict[str, str]:
    """What each filter is set to, in words, for the panels that answer to it."""
    labels = {"period": str(dict(registry.PERIOD_CHOICES)[filters.months])}
    if filters.sector:
        labels["sector"] = filters.sector_label
    for choice_filter in registry.choice_filters():
        value = filters.get(choice_filter.key)
        if value is not None:
            field: Any = form.fields[choice_filter.key]
            labels[choice_filter.key] = dict(field.choices).get(value, "")
    return labels


def _page(
    request: TenantRequest,
    *,
    scope: str,
    principal: Principal | None,
    template: str,
    page_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    form, filters = _filters(request)
    panel_request = PanelRequest(
        tenant=request.tenant, membership=request.membership, filters=filters, principal=principal
    )
    eager = request.GET.get("panels") == "all"
    context = {
        "form": form,
        "filter_fields": _filter_fields(form, filters),
        "default_period": registry.DEFAULT_PERIOD_MONTHS,
        "filters": filters,
        "filter_labels": _active_filter_labels(form, filters),
        "panels": render_panels(panel_request, scope=scope, eager=eager),
        "principal": principal,
        "page_url": page_url,
        "nav_section": "home" if principal is None else "principals",
        **(extra or {}),
    }
    if request.htmx and request.htmx.target == "dashboard-panels":
        return render(request, f"{template}#panels", context)
    return render(request, template, context)


def _panel(
    request: TenantRequest,
    *,
    scope: str,
    key: str,
    principal: Principal | None,
    template: str,
    page_url: str,
) -> HttpResponse:
    try:
        panel = registry.get_panel(scope, key)
    except LookupError:
        raise Http404 from None
    require(request, panel.rule, principal)
    form, filters = _filters(request)
    panel_request = PanelRequest(
        tenant=request.tenant, membership=request.membership, filters=filters, principal=principal
    )
    context = {
        "form": form,
        "filters": filters,
        "filter_labels": _active_filter_labels(form, filters),
        "rendered": RenderedPanel(panel=panel, html=panel_html(panel_request, panel)),
        "principal": principal,
        "page_url": page_url,
        "nav_section": "home" if principal is None else "principals",
    }
    if request.htmx:
        return render(request, f"{template}#panel", context)
    return render(request, "portal/dashboard_panel.html", {**context, "template": template})


@require_GET
def home(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """The programme's start page: its dashboard."""
    require(request, "portal.view_dashboard")
    own = request.membership.principal if request.membership.principal_id else None
    return _page(
        request,
        scope=registry.PROGRAMME,
        principal=None,
        template="portal/dashboard.html",
        page_url=reverse("portal:home", args=[tenant_slug]),
        extra={"own_principal": own},
    )


@require_GET
def panel(request: TenantRequest, tenant_slug: str, key: str) -> HttpResponse:
    """One panel of the programme dashboard (fetched by htmx, or a page)."""
    require(request, "portal.view_dashboard")
    return _panel(
        request,
        scope=registry.PROGRAMME,
        key=key,
        principal=None,
        template="portal/dashboard.html",
        page_url=reverse("portal:home", args=[tenant_slug]),
    )


@require_GET
def principal_dashboard(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    principal = get_principal_for(request, pk, rule="portal.view_principal_dashboard")
    others = principal_names(tenant=request.tenant)
    return _page(
        request,
        scope=registry.PRINCIPAL,
        principal=principal,
        template="portal/dashboard.html",
        page_url=reverse("portal:principal_dashboard", args=[tenant_slug, pk]),
        extra={"principals": others},
    )


@require_GET
def principal_panel(request: TenantRequest, tenant_slug: str, pk: int, key: str) -> HttpResponse:
    principal = get_principal_for(request, pk, rule="portal.view_principal_dashboard")
    return _panel(
        request,
        scope=registry.PRINCIPAL,
        key=key,
        principal=principal,
        template="portal/dashboard.html",
        page_url=reverse("portal:principal_dashboard", args=[tenant_slug, pk]),
    )
