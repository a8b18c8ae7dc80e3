"""Appointed functions: who is Barnets bästa-ansvarig, samordningsfunktion,
nyckelperson or kontaktperson where, over time; and the indicators derived
from them (how many per principal and sector, and whether every municipality
has appointed each function).

Everyone in the programme reads; process leaders appoint, edit, end and
archive appointments (`implementation.edit`). The functions themselves are a
list of their own (the catalogue views, at appointments/functions/).
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from implementation.access import get_appointment_for, get_entry_for
from implementation.forms.appointments import AppointmentEndForm, AppointmentForm
from implementation.models import Appointment, AppointmentFunction
from implementation.selectors import appointments as selectors
from implementation.services import appointments as services
from implementation.services import catalogue
from implementation.views import confirms
from implementation.views.catalogue import Catalogue, catalogue_views
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
)
from portal.selectors import active_principals
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require

FUNCTIONS = Catalogue(
    model=AppointmentFunction,
    key="function",
    path="appointments/functions/",
    title=gettext_lazy("Appointed functions"),
    lead=gettext_lazy("The functions the collaboration model relies on, appointed per principal."),
    add_label=gettext_lazy("Add function"),
    empty=gettext_lazy("No functions."),
)


def _list_url(request: TenantRequest) -> str:
    return reverse("implementation:appointment_list", args=[request.tenant.slug])


@require_GET
def appointment_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """The derived indicators, then the appointments: current ones, or with
    `?ended=1` also the ended ones; `?principal=` and `?function=` filter."""
    require(request, "implementation.view")
    today = timezone.localdate()
    if (row := asked_row(request)) is not None:
        appointments = selectors.appointment_list(tenant=request.tenant, on=None)
        row_context = {"appointment": get_for_tenant(request, appointments, pk=row), "today": today}
        return render(request, "implementation/appointment_list.html#row", row_context)
    catalogue.ensure_defaults(request.tenant)
    principal = function = None
    with contextlib.suppress(ValueError):
        if request.GET.get("principal"):
            principal = get_principal_for(request, int(request.GET["principal"]))
        if request.GET.get("function"):
            function = get_entry_for(
                request, int(request.GET["function"]), model=AppointmentFunction
            )
    show_ended = request.GET.get("ended") == "1"
    context: dict[str, Any] = {
        "summary": selectors.appointment_summary(tenant=request.tenant, on=today),
        "appointments": selectors.appointment_list(
            tenant=request.tenant,
            on=None if show_ended else today,
            principal=principal,
            function=function,
        ),
        "principals": active_principals(tenant=request.tenant),
        "chosen_principal": principal,
        "chosen_function": function,
        "show_ended": show_ended,
        "today": today,
    }
    return render_page(
        request, "implementation/appointment_list.html", context, partial="appointments"
    )


def _row_changed(
    request: TenantRequest, appointment: Appointment, *, action: str, message: str
) -> HttpResponse:
    if request.htmx:
        row = selectors.appointment_row(tenant=request.tenant, pk=appointment.pk)
        return render_changed(
            request,
            "implementation/appointment_list.html#row",
            {"appointment": row, "today": timezone.localdate(), "changed_message": message},
            event="appointmentChanged",
            obj=appointment,
            action=action,
        )
    return to_page(request, _list_url(request), message)


@require_GET_or_POST
def appointment_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """`?principal=<id>` and `?function=<id>` preselect."""
    require(request, "implementation.edit")
    catalogue.ensure_defaults(request.tenant)
    initial: dict[str, Any] = {"start_date": timezone.localdate()}
    if (value := request.GET.get("principal", "")).isdigit():
        initial["principal"] = get_principal_for(request, int(value)).pk
    if (value := request.GET.get("function", "")).isdigit():
        initial["function"] = get_entry_for(request, int(value), model=AppointmentFunction).pk
    form = AppointmentForm(form_data(request), tenant=request.tenant, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Appointed %(person)s as %(function)s for %(principal)s.") % {
                "person": appointment.person.name,
                "function": appointment.function.name,
                "principal": appointment.principal.name,
            }
            return to_page(request, _list_url(request), message)
    return render_page(
        request, "implementation/appointment_add.html", {"form": form}, partial="form"
    )


@require_GET_or_POST
def appointment_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request, pk, write=True)
    form = AppointmentForm(form_data(request), tenant=request.tenant, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_update(
                actor=request.user, appointment=appointment, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return _row_changed(
                request, appointment, action="update", message=_("Saved the appointment.")
            )
    context = {"form": form, "appointment": appointment}
    return render_page(request, "implementation/appointment_edit.html", context, partial="row_form")


@require_GET_or_POST
def appointment_end(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """End the appointment on a date; it stays in the history."""
    appointment = get_appointment_for(request, pk, write=True)
    form = AppointmentEndForm(
        form_data(request), appointment=appointment, initial={"end_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_end(
                actor=request.user, appointment=appointment, end_date=form.cleaned_data["end_date"]
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="end_date")
        else:
            message = _("The appointment of %(person)s ends on %(date)s.") % {
                "person": appointment.person.name,
                "date": form.cleaned_data["end_date"].isoformat(),
            }
            return _row_changed(request, appointment, action="end", message=message)
    return render_confirm(request, confirms.appointment_end(request, appointment), form)


@require_GET_or_POST
def appointment_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """For an appointment entered by mistake."""
    appointment = get_appointment_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.appointment_set_archived(
            actor=request.user, appointment=appointment, archived=True
        )
        message = _("Archived the appointment of %(person)s.") % {"person": appointment.person.name}
        return _row_changed(request, appointment, action="archive", message=message)
    return render_confirm(request, confirms.appointment_archive(request, appointment), form)


urlpatterns = [
    path("appointments/", appointment_list, name="appointment_list"),
    path("appointments/new/", appointment_add, name="appointment_add"),
    path("appointments/<int:pk>/edit/", appointment_edit, name="appointment_edit"),
    path("appointments/<int:pk>/end/", appointment_end, name="appointment_end"),
    path("appointments/<int:pk>/archive/", appointment_archive, name="appointment_archive"),
    *catalogue_views(FUNCTIONS),
]
