"""Indicators and their values.

Everyone in the programme reads indicators and values. Process leaders add,
edit, archive and restore indicators, and report values for any principal and
for the programme. Principal reporters report values for their own principal
only (`implementation.report` with the principal): one value on an
indicator's page, or all of a month's values at once on the report page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from implementation.access import get_indicator_for
from implementation.forms.goals import IndicatorForm, MonthChoiceForm, ReportForm, ValueForm
from implementation.models import Indicator, WellbeingArea
from implementation.selectors import goals as selectors
from implementation.selectors.assessments import reportable_principals
from implementation.services import catalogue
from implementation.services import goals as services
from implementation.views import confirms
from portal.access import get_principal_for
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
from portal.models import Principal
from portal.permissions import can
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require


def _own_principal(request: TenantRequest) -> Principal | None:
    return request.membership.principal if request.membership.principal_id else None


def _reportable_principals(request: TenantRequest) -> QuerySet[Principal] | None:
    """The principals the user may report values for, or None for none."""
    return reportable_principals(tenant=request.tenant, membership=request.membership)


# Indicators -------------------------------------------------------------------------


@require_GET
def indicator_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "implementation.view")
    if (row := asked_row(request)) is not None:
        indicators = selectors.indicator_list(
            tenant=request.tenant, include_archived=True, principal=_own_principal(request)
        )
        row_context = {
            "indicator": get_for_tenant(request, indicators, pk=row),
            "own_principal": _own_principal(request),
        }
        return render(request, "implementation/indicator_list.html#row", row_context)
    show_archived = wants_archived(request)
    context = {
        "indicators": selectors.indicator_list(
            tenant=request.tenant, include_archived=show_archived, principal=_own_principal(request)
        ),
        "show_archived": show_archived,
        "own_principal": _own_principal(request),
        "may_report": _reportable_principals(request) is not None,
    }
    return render_page(request, "implementation/indicator_list.html", context, partial="listing")


def _indicator_form(request: TenantRequest, indicator: Indicator | None = None) -> IndicatorForm:
    catalogue.ensure_defaults(request.tenant)
    current_areas = [a.pk for a in indicator.wellbeing_areas.all()] if indicator else []
    areas = selectors.entry_choices(tenant=request.tenant, model=WellbeingArea, keep=current_areas)
    return IndicatorForm(
        form_data(request),
        goals=selectors.indicator_goal_choices(
            tenant=request.tenant, current=indicator.goal if indicator else None
        ),
        areas=areas,
        indicator=indicator,
    )


@require_GET_or_POST
def indicator_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "implementation.edit")
    form = _indicator_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            url = reverse(
                "implementation:indicator_detail", args=[request.tenant.slug, indicator.pk]
            )
            return to_page(
                request, url, _("Added the indicator %(name)s.") % {"name": indicator.name}
            )
    return render_page(request, "implementation/indicator_add.html", {"form": form}, partial="form")


@require_GET_or_POST
def indicator_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    indicator = get_indicator_for(request, pk, write=True)
    form = _indicator_form(request, indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(actor=request.user, indicator=indicator, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            url = reverse(
                "implementation:indicator_detail", args=[request.tenant.slug, indicator.pk]
            )
            return to_page(
                request, url, _("Saved the indicator %(name)s.") % {"name": indicator.name}
            )
    context = {"form": form, "indicator": indicator}
    return render_page(request, "implementation/indicator_edit.html", context, partial="form")


@require_GET_or_POST
def indicator_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    indicator = get_indicator_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.indicator_set_archived(actor=request.user, indicator=indicator, archived=True)
        return _archived(request, indicator, archived=True)
    return render_confirm(request, confirms.indicator_archive(request, indicator), form)


@require_POST
def indicator_restore(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    indicator = get_indicator_for(request, pk, write=True)
    services.indicator_set_archived(actor=request.user, indicator=indicator, archived=False)
    return _archived(request, indicator, archived=False)


def _archived(request: TenantRequest, indicator: Indicator, *, archived: bool) -> HttpResponse:
    if request.htmx:
        return render_changed(
            request,
            "implementation/indicator_list.html#row",
            {
                "indicator": selectors.indicator_row(
                    tenant=request.tenant, pk=indicator.pk, principal=_own_principal(request)
                ),
                "own_principal": _own_principal(request),
            },
            event="indicatorChanged",
            obj=indicator,
            action="archive" if archived else "restore",
        )
    if archived:
        message = _("Archived the indicator %(name)s. It is kept, with its values.")
    else:
        message = _("Restored the indicator %(name)s.")
    url = reverse("implementation:indicator_list", args=[request.tenant.slug])
    return to_page(request, url, message % {"name": indicator.name})


# Values ---------------------------------------------------------------------------------


def _value_form(
    request: TenantRequest, indicator: Indicator, principals: QuerySet[Principal] | None
) -> ValueForm:
    own = _own_principal(request)
    initial: dict[str, Any] = {"period": timezone.localdate().replace(day=1)}
    if principals is not None and own is not None:
        initial["principal"] = own
    return ValueForm(
        form_data(request),
        indicator=indicator,
        principals=principals if indicator.per_principal else None,
        initial=initial,
    )


def _may_report_on(request: TenantRequest, indicator: Indicator) -> QuerySet[Principal] | None:
    """Who the user may report this indicator's values for: principals (or,
    for a programme indicator, an empty queryset meaning the programme); None
    when the user may not report it at all."""
    if indicator.is_archived:
        return None
    if indicator.per_principal:
        return _reportable_principals(request)
    if can(request.membership, "implementation.edit"):
        return Principal.objects.none()
    return None


@require_GET_or_POST
def indicator_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The indicator, its values month by month, and — for those who may
    report it — a form for one value (a principal's own, for reporters)."""
    indicator = get_indicator_for(request, pk)
    principals = _may_report_on(request, indicator)
    if request.method == "POST" and principals is None:
        raise PermissionDenied
    if request.method == "POST" and (asked := request.POST.get("principal", "")).isdigit():
        # Another principal's value: 403 (404 for another programme's), not a bad choice.
        get_principal_for(request, int(asked), rule="implementation.report")
    form = _value_form(request, indicator, principals) if principals is not None else None
    if request.method == "POST" and form is not None and form.is_valid():
        principal = form.cleaned_data.get("principal")
        if principal is not None:
            require(request, "implementation.report", principal)
        try:
            value = services.indicator_value_set(
                actor=request.user,
                indicator=indicator,
                principal=principal,
                period=form.cleaned_data["period"],
                value=form.cleaned_data["value"],
                source=form.cleaned_data["source"],
                comment=form.cleaned_data["comment"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Saved the value for %(month)s.") % {
                "month": value.period.strftime("%Y-%m")
            }
            if request.htmx:
                context = {
                    "indicator": indicator,
                    "table": selectors.value_table(indicator=indicator),
                    "saved_message": message,
                }
                return render_changed(
                    request,
                    "implementation/indicator_detail.html#values",
                    context,
                    event="indicatorValueChanged",
                    obj=value,
                    action="set",
                )
            url = reverse(
                "implementation:indicator_detail", args=[request.tenant.slug, indicator.pk]
            )
            return to_page(request, url + "#values", message)
    context = {
        "indicator": indicator,
        "table": selectors.value_table(indicator=indicator),
        "form": form,
    }
    partial = "value_form" if request.method == "POST" else "values"
    return render_page(request, "implementation/indicator_detail.html", context, partial=partial)


@require_GET_or_POST
def indicator_report(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """A principal's values for one month, all its indicators at once.
    `?principal=<id>&period=YYYY-MM` choose whose and which month
    (reporters: their own principal only)."""
    require(request, "implementation.view")
    principals = _reportable_principals(request)
    if principals is None:
        raise PermissionDenied
    principal = _chosen_principal(request, principals)
    period = timezone.localdate().replace(day=1)
    chooser = MonthChoiceForm(
        request.GET if request.GET.get("period") else None, initial={"period": period}
    )
    if chooser.is_valid():
        period = chooser.cleaned_data["period"]
    indicators = list(selectors.reportable_indicators(tenant=request.tenant))
    existing = selectors.principal_values(principal=principal, period=period) if principal else {}
    form = ReportForm(
        form_data(request), indicators=indicators, existing=existing, initial={"period": period}
    )
    if request.method == "POST" and principal is not None and form.is_valid():
        try:
            saved = _save_report(request, principal, form)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            month: datetime.date = form.cleaned_data["period"]
            url = reverse("implementation:indicator_report", args=[request.tenant.slug])
            url += f"?principal={principal.pk}&period={month:%Y-%m}"
            message = _("Saved %(count)d values of %(name)s for %(month)s.") % {
                "count": saved,
                "name": principal.name,
                "month": f"{month:%Y-%m}",
            }
            return to_page(request, url, message)
    context = {
        "form": form,
        "chooser": chooser,
        "principal": principal,
        "principals": principals,
        "period": period,
    }
    return render_page(request, "implementation/indicator_report.html", context, partial="form")


def _chosen_principal(request: TenantRequest, principals: QuerySet[Principal]) -> Principal | None:
    """The principal in the query (404 for another programme's, 403 for one the
    user may not report for); a reporter's own by default."""
    value = request.GET.get("principal", "")
    if value.isdigit():
        return get_principal_for(request, int(value), rule="implementation.report")
    own = _own_principal(request)
    if own is not None and principals.contains(own):
        return own
    return None


@transaction.atomic
def _save_report(request: TenantRequest, principal: Principal, form: ReportForm) -> int:
    """All of the month's values, or none of them."""
    period = form.cleaned_data["period"]
    entries = form.entries()
    for indicator, value, source, comment in entries:
        services.indicator_value_set(
            actor=request.user,
            indicator=indicator,
            principal=principal,
            period=period,
            value=value,
            source=source,
            comment=comment,
        )
    return len(entries)


urlpatterns = [
    path("indicators/", indicator_list, name="indicator_list"),
    path("indicators/new/", indicator_add, name="indicator_add"),
    path("indicators/report/", indicator_report, name="indicator_report"),
    path("indicators/<int:pk>/", indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/archive/", indicator_archive, name="indicator_archive"),
    path("indicators/<int:pk>/restore/", indicator_restore, name="indicator_restore"),
]
