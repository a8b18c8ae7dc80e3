"""Programme events: workshops, webinars and information meetings of the
programme as a whole. Every member reads them (and gets them in calendar
feeds); process leaders plan, change, cancel, archive and restore them.
Archived events are for process leaders only: to everyone else they are gone.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from governance import ics
from governance.access import get_event_for
from governance.forms.events import EventCancelForm, EventForm
from governance.models import ProgrammeEvent
from governance.selectors import events as selectors
from governance.services import events as services
from governance.views import confirms
from governance.views.calendar import calendar_response, event_url_for
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
from portal.permissions import can
from portal.services import DomainError
from portal.tenancy import TenantRequest, require


def _to_detail(request: TenantRequest, event: ProgrammeEvent) -> HttpResponse:
    return to_page(
        request, reverse("governance:event_detail", args=[request.tenant.slug, event.pk])
    )


@require_safe
def event_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Upcoming and past events; `?archived=1` adds the archived ones for process leaders."""
    require(request, "governance.view_approved_minutes")
    show_archived = wants_archived(request) and can(request.membership, "governance.edit")
    context = {
        "listing": selectors.event_list(tenant=request.tenant, include_archived=show_archived),
        "show_archived": show_archived,
    }
    return render_page(request, "governance/event_list.html", context, partial="listing")


@require_safe
def event_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    event = get_event_for(request, pk)
    return render_page(request, "governance/event_detail.html", {"event": event}, partial="page")


@require_GET_or_POST
def event_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "governance.edit")
    form = EventForm(form_data(request), tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Planned the event %(title)s.") % {"title": event.title})
            return _to_detail(request, event)
    return render_page(request, "governance/event_form.html", {"form": form}, partial="form")


@require_GET_or_POST
def event_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    form = EventForm(form_data(request), tenant=request.tenant, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved the event %(title)s.") % {"title": event.title})
            return _to_detail(request, event)
    context = {"form": form, "event": event}
    return render_page(request, "governance/event_form.html", context, partial="form")


@require_GET_or_POST
def event_cancel(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    form = EventCancelForm(form_data(request), initial={"version": event.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(
                actor=request.user,
                event=event,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Cancelled the event %(title)s.") % {"title": event.title})
            return _to_detail(request, event)
    return render_confirm(request, confirms.event_cancel(request, event), form)


@require_POST
def event_reinstate(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    try:
        services.event_reinstate(actor=request.user, event=event)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The event %(title)s is planned again.") % {"title": event.title}
        )
    return _to_detail(request, event)


@require_GET_or_POST
def event_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST archives."""
    event = get_event_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.event_set_archived(actor=request.user, event=event, archived=True)
        messages.success(
            request,
            _("Archived the event %(title)s. It is kept and can be restored.")
            % {"title": event.title},
        )
        return to_page(request, reverse("governance:event_list", args=[request.tenant.slug]))
    return render_confirm(request, confirms.event_archive(request, event), form)


@require_POST
def event_restore(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    services.event_set_archived(actor=request.user, event=event, archived=False)
    messages.success(request, _("Restored the event %(title)s.") % {"title": event.title})
    return _to_detail(request, event)


@require_safe
def event_ics(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The event as an .ics file, for "add to my calendar"."""
    event = get_event_for(request, pk)
    body = ics.programme_event_calendar(event, url_for=event_url_for(request, tenant_slug))
    return calendar_response(
        body, filename=f"event-{event.pk}-{event.starts_at:%Y-%m-%d}.ics", attachment=True
    )


urlpatterns: list[URLPattern] = [
    path("events/", event_list, name="event_list"),
    path("events/new/", event_create, name="event_create"),
    path("events/<int:pk>/", event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/cancel/", event_cancel, name="event_cancel"),
    path("events/<int:pk>/reinstate/", event_reinstate, name="event_reinstate"),
    path("events/<int:pk>/archive/", event_archive, name="event_archive"),
    path("events/<int:pk>/restore/", event_restore, name="event_restore"),
    path("events/<int:pk>/event.ics", event_ics, name="event_ics"),
]
