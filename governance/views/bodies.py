"""Bodies (styrgrupp, arbetsgrupp, …) and their members over time.

Everyone in the programme reads bodies and their members; principal reporters
see only the meetings whose minutes are approved. Process leaders create,
edit and archive bodies, seat members and end their periods. A new chair is
a new period: seating one ends the sitting chair's period (the service does
it), so the body page keeps the chair history.

Every page works without JavaScript. htmx requests get a named partial of the
same template: a form to swap into a row or a slot, the changed row, or — for
a change of members — the whole members section, since seating a chair moves
the previous chair to the earlier periods.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance.access import get_body_for, get_body_member_for, get_seat_for
from governance.forms.bodies import BodyForm, BodyMemberEndForm, BodyMemberForm
from governance.models import Body, BodyMember
from governance.selectors.bodies import body_list as select_bodies
from governance.selectors.bodies import body_meetings, body_row, body_seats, member_row
from governance.services import bodies as services
from governance.views import confirms
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
    wants_archived,
)
from portal.permissions import can
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require


def _shows_next_meeting(request: TenantRequest) -> bool:
    # Principal reporters read only meetings with approved minutes: a planned
    # meeting is not for them.
    return can(request.membership, "governance.view_finished")


# Bodies ---------------------------------------------------------------------


@require_GET
def body_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "governance.view_approved_minutes")
    if (row := asked_row(request)) is not None:
        bodies = select_bodies(tenant=request.tenant, include_archived=True)
        row_context = {
            "body": get_for_tenant(request, bodies, pk=row),
            "show_next_meeting": _shows_next_meeting(request),
        }
        return render(request, "governance/body_list.html#row", row_context)
    show_archived = wants_archived(request)
    context = {
        "bodies": select_bodies(tenant=request.tenant, include_archived=show_archived),
        "show_archived": show_archived,
        "show_next_meeting": _shows_next_meeting(request),
    }
    return render_page(
        request, "governance/body_list.html", context, partial="listing", parts=["add_link"]
    )


def _members_context(request: TenantRequest, body: Body, **extra: Any) -> dict[str, Any]:
    return {"body": body, "seats": body_seats(body=body), "today": timezone.localdate(), **extra}


@require_GET
def body_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    body = get_body_for(request, pk)
    if (row := asked_row(request)) is not None:
        row_context = {"body": body, "seat": get_seat_for(request, body, row)}
        return render(request, "governance/body_detail.html#member_row", row_context)
    approved_only = not can(request.membership, "governance.view_finished")
    meetings = body_meetings(body=body, approved_only=approved_only)
    now = timezone.now()
    context = _members_context(
        request,
        body,
        upcoming_meetings=[m for m in reversed(meetings) if m.ends_at >= now],
        past_meetings=[m for m in meetings if m.ends_at < now],
    )
    return render_page(
        request, "governance/body_detail.html", context, partial="members", parts=["add_link"]
    )


@require_GET_or_POST
def body_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "governance.edit")
    form = BodyForm(form_data(request), tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "governance/body_create.html#created",
                    {
                        "body": body_row(tenant=request.tenant, pk=body.pk),
                        "show_next_meeting": True,
                    },
                    event="bodyChanged",
                    obj=body,
                    action="create",
                )
            messages.success(request, _("Added the body %(name)s.") % {"name": body})
            return redirect("governance:body_detail", request.tenant.slug, body.pk)
    return render_page(request, "governance/body_create.html", {"form": form}, partial="form")


@require_GET_or_POST
def body_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    body = get_body_for(request, pk, write=True)
    form = BodyForm(form_data(request), tenant=request.tenant, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(actor=request.user, body=body, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "governance/body_list.html#row",
                    {
                        "body": body_row(tenant=request.tenant, pk=body.pk),
                        "show_next_meeting": True,
                    },
                    event="bodyChanged",
                    obj=body,
                    action="update",
                )
            messages.success(request, _("Saved the body %(name)s.") % {"name": body})
            return redirect("governance:body_detail", request.tenant.slug, body.pk)
    context = {"form": form, "body": body}
    return render_page(request, "governance/body_edit.html", context, partial="row_form")


@require_GET_or_POST
def body_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation (a page, or for htmx a row); POST archives."""
    body = get_body_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.body_set_archived(actor=request.user, body=body, archived=True)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _body_archived(request, body, archived=True)
    return render_confirm(request, confirms.body_archive(request, body), form)


@require_POST
def body_restore(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    body = get_body_for(request, pk, write=True)
    services.body_set_archived(actor=request.user, body=body, archived=False)
    return _body_archived(request, body, archived=False)


def _body_archived(request: TenantRequest, body: Body, *, archived: bool) -> HttpResponse:
    if request.htmx:
        return render_changed(
            request,
            "governance/body_list.html#row",
            {"body": body_row(tenant=request.tenant, pk=body.pk), "show_next_meeting": True},
            event="bodyChanged",
            obj=body,
            action="archive" if archived else "restore",
        )
    if archived:
        message = _("Archived the body %(name)s. It is kept, with its meetings and decisions.")
    else:
        message = _("Restored the body %(name)s.")
    messages.success(request, message % {"name": body})
    return redirect("governance:body_detail", request.tenant.slug, body.pk)


# Members --------------------------------------------------------------------


def _members_changed(
    request: TenantRequest, body: Body, *, message: str, obj: BodyMember, action: str
) -> HttpResponse:
    """After a change of members: htmx gets the whole members section (it may
    have moved a chair to the earlier periods), everyone else a redirect."""
    if request.htmx:
        response = render_changed(
            request,
            "governance/body_detail.html#members",
            _members_context(request, body, changed_message=message),
            event="bodyMembersChanged",
            obj=obj,
            action=action,
        )
        return swap_to(response, "#body-members")
    messages.success(request, message)
    return redirect("governance:body_detail", request.tenant.slug, body.pk)


@require_GET_or_POST
def body_member_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Seat a person in the body for a period. Seating a chair (or vice chair)
    ends the sitting one's period the day before."""
    body = get_body_for(request, pk, write=True)
    form = BodyMemberForm(form_data(request), tenant=request.tenant, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.body_member_add(actor=request.user, body=body, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Seated %(person)s as %(role)s from %(date)s.") % {
                "person": member.person,
                "role": member.get_role_display().lower(),
                "date": member.start_date.isoformat(),
            }
            return _members_changed(request, body, message=message, obj=member, action="add")
    context = {"form": form, "body": body}
    return render_page(request, "governance/body_member_add.html", context, partial="form")


@require_GET_or_POST
def body_member_end(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """End a member's period on a date. The period stays in the history."""
    member = get_body_member_for(request, pk)
    form = BodyMemberEndForm(form_data(request), member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_member_end(
                actor=request.user, member=member, end_date=form.cleaned_data["end_date"]
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="end_date")
        else:
            message = _("The period of %(person)s as %(role)s ends on %(date)s.") % {
                "person": member.person,
                "role": member.get_role_display().lower(),
                "date": form.cleaned_data["end_date"].isoformat(),
            }
            return _members_changed(request, member.body, message=message, obj=member, action="end")
    return render_confirm(
        request, confirms.body_member_end(request, member_row(body=member.body, pk=member.pk)), form
    )


urlpatterns = [
    path("bodies/", body_list, name="body_list"),
    path("bodies/new/", body_create, name="body_create"),
    path("bodies/<int:pk>/", body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", body_edit, name="body_edit"),
    path("bodies/<int:pk>/archive/", body_archive, name="body_archive"),
    path("bodies/<int:pk>/restore/", body_restore, name="body_restore"),
    path("bodies/<int:pk>/members/new/", body_member_add, name="body_member_add"),
    path("bodies/members/<int:pk>/end/", body_member_end, name="body_member_end"),
]
