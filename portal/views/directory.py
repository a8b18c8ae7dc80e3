"""The programme's directory and its administration: principals, operations,
people and members.

Every page works without JavaScript (links, forms, redirects with a message).
htmx requests get a named partial of the same template instead: a form to swap
in, or the changed table row with an `HX-Trigger` event. Nothing is deleted:
rows are archived and restored, members deactivated and reactivated.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import selectors, services
from portal.access import get_membership_for, get_operation_for, get_person_for, get_principal_for
from portal.confirm import render_confirm
from portal.forms import (
    ConfirmForm,
    MemberAddForm,
    MemberPersonForm,
    MembershipForm,
    OperationForm,
    PersonForm,
    PrincipalForm,
)
from portal.htmx import (
    asked_row,
    form_data,
    render_changed,
    render_page,
    require_GET_or_POST,
    show_refusal,
    wants_archived,
)
from portal.models import Membership, Operation, Person, Principal
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require
from portal.views import confirms

# Principals -----------------------------------------------------------------


@require_GET
def principal_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "portal.view_directory")
    if (row := asked_row(request)) is not None:
        principals = selectors.principal_list(tenant=request.tenant, include_archived=True)
        row_context = {"principal": get_for_tenant(request, principals, pk=row)}
        return render(request, "portal/principal_list.html#row", row_context)
    show_archived = wants_archived(request)
    principals = selectors.principal_list(tenant=request.tenant, include_archived=show_archived)
    context = {"principals": principals, "show_archived": show_archived}
    return render_page(
        request, "portal/principal_list.html", context, partial="listing", parts=["add_link"]
    )


@require_GET
def principal_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    principal = get_principal_for(request, pk)
    if (row := asked_row(request)) is not None:
        operation = get_operation_for(request, row)
        return render(
            request, "portal/principal_detail.html#operation_row", {"operation": operation}
        )
    show_archived = wants_archived(request)
    context = {
        "principal": principal,
        "show_archived": show_archived,
        "operations": selectors.operation_list(
            tenant=request.tenant, include_archived=show_archived, principal=principal
        ),
        "people": selectors.person_list(
            tenant=request.tenant, include_archived=show_archived, principal=principal
        ),
    }
    return render_page(
        request,
        "portal/principal_detail.html",
        context,
        partial="operations",
        parts=["operation_add_link"],
    )


@require_GET_or_POST
def principal_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "portal.manage_directory")
    form = PrincipalForm(form_data(request), tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            principal = services.principal_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "portal/principal_create.html#created",
                    {"principal": get_principal_for(request, principal.pk)},
                    event="principalChanged",
                    obj=principal,
                    action="create",
                )
            messages.success(request, _("Added the principal %(name)s.") % {"name": principal})
            return redirect("portal:principal_detail", request.tenant.slug, principal.pk)
    return render_page(request, "portal/principal_create.html", {"form": form}, partial="form")


@require_GET_or_POST
def principal_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    principal = get_principal_for(request, pk, write=True)
    form = PrincipalForm(form_data(request), tenant=request.tenant, instance=principal)
    if request.method == "POST" and form.is_valid():
        try:
            services.principal_update(actor=request.user, principal=principal, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "portal/principal_list.html#row",
                    {"principal": get_principal_for(request, principal.pk)},
                    event="principalChanged",
                    obj=principal,
                    action="update",
                )
            messages.success(request, _("Saved the principal %(name)s.") % {"name": principal})
            return redirect("portal:principal_detail", request.tenant.slug, principal.pk)
    context = {"form": form, "principal": principal}
    return render_page(request, "portal/principal_edit.html", context, partial="row_form")


@require_GET_or_POST
def principal_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation (a page, or for htmx a row); POST archives."""
    principal = get_principal_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.principal_set_archived(actor=request.user, principal=principal, archived=True)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _principal_archived(request, principal, archived=True)
    return render_confirm(request, confirms.principal_archive(request, principal), form)


@require_POST
def principal_restore(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    principal = get_principal_for(request, pk, write=True)
    services.principal_set_archived(actor=request.user, principal=principal, archived=False)
    return _principal_archived(request, principal, archived=False)


def _principal_archived(
    request: TenantRequest, principal: Principal, *, archived: bool
) -> HttpResponse:
    if request.htmx:
        return render_changed(
            request,
            "portal/principal_list.html#row",
            {"principal": get_principal_for(request, principal.pk)},
            event="principalChanged",
            obj=principal,
            action="archive" if archived else "restore",
        )
    if archived:
        message = _("Archived the principal %(name)s. It is kept and can be restored.")
    else:
        message = _("Restored the principal %(name)s.")
    messages.success(request, message % {"name": principal})
    return redirect("portal:principal_detail", request.tenant.slug, principal.pk)


# Operations -----------------------------------------------------------------


@require_GET_or_POST
def operation_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Add an operation; `?principal=<id>` preselects the principal whose page it came from."""
    require(request, "portal.manage_directory")
    from_principal = None
    if (principal_id := request.GET.get("principal", "")).isdigit():
        from_principal = get_principal_for(request, int(principal_id))
    form = OperationForm(
        form_data(request), tenant=request.tenant, initial={"principal": from_principal}
    )
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.operation_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "portal/operation_create.html#created",
                    {"operation": operation, "from_principal": from_principal},
                    event="operationChanged",
                    obj=operation,
                    action="create",
                )
            messages.success(request, _("Added the operation %(name)s.") % {"name": operation})
            return redirect("portal:principal_detail", request.tenant.slug, operation.principal_id)
    context = {"form": form, "from_principal": from_principal}
    return render_page(request, "portal/operation_create.html", context, partial="form")


@require_GET_or_POST
def operation_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    operation = get_operation_for(request, pk, write=True)
    previous_principal_id = operation.principal_id
    form = OperationForm(form_data(request), tenant=request.tenant, instance=operation)
    if request.method == "POST" and form.is_valid():
        try:
            services.operation_update(actor=request.user, operation=operation, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                # A moved operation leaves this principal's table: say where it went.
                moved = operation.principal_id != previous_principal_id
                return render_changed(
                    request,
                    "portal/operation_edit.html#moved"
                    if moved
                    else "portal/principal_detail.html#operation_row",
                    {"operation": operation},
                    event="operationChanged",
                    obj=operation,
                    action="update",
                )
            messages.success(request, _("Saved the operation %(name)s.") % {"name": operation})
            return redirect("portal:principal_detail", request.tenant.slug, operation.principal_id)
    context = {"form": form, "operation": operation}
    return render_page(request, "portal/operation_edit.html", context, partial="row_form")


@require_GET_or_POST
def operation_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    operation = get_operation_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.operation_set_archived(actor=request.user, operation=operation, archived=True)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _operation_archived(request, operation, archived=True)
    return render_confirm(request, confirms.operation_archive(request, operation), form)


@require_POST
def operation_restore(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    operation = get_operation_for(request, pk, write=True)
    services.operation_set_archived(actor=request.user, operation=operation, archived=False)
    return _operation_archived(request, operation, archived=False)


def _operation_archived(
    request: TenantRequest, operation: Operation, *, archived: bool
) -> HttpResponse:
    if request.htmx:
        return render_changed(
            request,
            "portal/principal_detail.html#operation_row",
            {"operation": operation},
            event="operationChanged",
            obj=operation,
            action="archive" if archived else "restore",
        )
    if archived:
        message = _("Archived the operation %(name)s. It is kept and can be restored.")
    else:
        message = _("Restored the operation %(name)s.")
    messages.success(request, message % {"name": operation})
    return redirect("portal:principal_detail", request.tenant.slug, operation.principal_id)


# People ---------------------------------------------------------------------


@require_GET
def person_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "portal.view_directory")
    if (row := asked_row(request)) is not None:
        return render(
            request, "portal/person_list.html#row", {"person": get_person_for(request, row)}
        )
    show_archived = wants_archived(request)
    people = selectors.person_list(tenant=request.tenant, include_archived=show_archived)
    context = {"people": people, "show_archived": show_archived}
    return render_page(
        request, "portal/person_list.html", context, partial="listing", parts=["add_link"]
    )


@require_GET_or_POST
def person_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "portal.manage_people")
    form = PersonForm(form_data(request), tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "portal/person_create.html#created",
                    {"person": person},
                    event="personChanged",
                    obj=person,
                    action="create",
                )
            messages.success(request, _("Added %(name)s.") % {"name": person})
            return redirect("portal:people", request.tenant.slug)
    return render_page(request, "portal/person_create.html", {"form": form}, partial="form")


@require_GET_or_POST
def person_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    person = get_person_for(request, pk, write=True)
    form = PersonForm(form_data(request), tenant=request.tenant, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "portal/person_list.html#row",
                    {"person": person},
                    event="personChanged",
                    obj=person,
                    action="update",
                )
            messages.success(request, _("Saved %(name)s.") % {"name": person})
            return redirect("portal:people", request.tenant.slug)
    context = {"form": form, "person": person}
    return render_page(request, "portal/person_edit.html", context, partial="row_form")


@require_GET_or_POST
def person_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    person = get_person_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_set_archived(actor=request.user, person=person, archived=True)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _person_archived(request, person, archived=True)
    return render_confirm(request, confirms.person_archive(request, person), form)


@require_POST
def person_restore(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    person = get_person_for(request, pk, write=True)
    services.person_set_archived(actor=request.user, person=person, archived=False)
    return _person_archived(request, person, archived=False)


def _person_archived(request: TenantRequest, person: Person, *, archived: bool) -> HttpResponse:
    if request.htmx:
        return render_changed(
            request,
            "portal/person_list.html#row",
            {"person": person},
            event="personChanged",
            obj=person,
            action="archive" if archived else "restore",
        )
    if archived:
        message = _("Archived %(name)s. The record is kept and can be restored.")
    else:
        message = _("Restored %(name)s.")
    messages.success(request, message % {"name": person})
    return redirect("portal:people", request.tenant.slug)


# Members --------------------------------------------------------------------


def _name(member: Membership) -> str:
    return member.user.get_full_name() or member.user.email or member.user.username


@require_GET
def member_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "portal.manage_members")
    if (row := asked_row(request)) is not None:
        return render(
            request, "portal/member_list.html#row", {"member": get_membership_for(request, row)}
        )
    members = selectors.member_list(tenant=request.tenant)
    return render_page(
        request,
        "portal/member_list.html",
        {"members": members},
        partial="listing",
        parts=["add_link"],
    )


@require_GET_or_POST
def member_add(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Give someone access by e-mail; a new login gets an invitation to choose a password."""
    require(request, "portal.manage_members")
    form = MemberAddForm(form_data(request), tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.member_add(
                actor=request.user,
                tenant=request.tenant,
                invitation_domain=request.get_host(),
                invitation_https=request.is_secure(),
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="email")
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "portal/member_add.html#created",
                    {"member": get_membership_for(request, membership.pk)},
                    event="memberChanged",
                    obj=membership,
                    action="add",
                )
            messages.success(
                request,
                _("%(email)s now has access to the programme.") % {"email": membership.user.email},
            )
            return redirect("portal:members", request.tenant.slug)
    return render_page(request, "portal/member_add.html", {"form": form}, partial="form")


@require_GET_or_POST
def member_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    member = get_membership_for(request, pk, write=True)
    form = MembershipForm(form_data(request), tenant=request.tenant, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(actor=request.user, membership=member, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="role")
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "portal/member_list.html#row",
                    {"member": member},
                    event="memberChanged",
                    obj=member,
                    action="update",
                )
            messages.success(request, _("Saved the role of %(name)s.") % {"name": _name(member)})
            return redirect("portal:members", request.tenant.slug)
    context = {"form": form, "member": member}
    return render_page(request, "portal/member_edit.html", context, partial="row_form")


@require_GET_or_POST
def member_person(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Which person of the directory the member's login is (see
    `services.membership_set_person`)."""
    member = get_membership_for(request, pk, write=True)
    form = MemberPersonForm(form_data(request), tenant=request.tenant, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set_person(
                actor=request.user, membership=member, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="person")
        else:
            if request.htmx:
                return render_changed(
                    request,
                    "portal/member_list.html#row",
                    {"member": get_membership_for(request, member.pk)},
                    event="memberChanged",
                    obj=member,
                    action="update",
                )
            messages.success(
                request,
                _("%(name)s is now %(person)s in the directory.")
                % {"name": _name(member), "person": member.person},
            )
            return redirect("portal:members", request.tenant.slug)
    context = {"form": form, "member": member}
    return render_page(request, "portal/member_person.html", context, partial="row_form")


@require_GET_or_POST
def member_deactivate(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deactivates (the login stays, access ends)."""
    member = get_membership_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set_active(actor=request.user, membership=member, active=False)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _member_activated(request, member, active=False)
    return render_confirm(request, confirms.member_deactivate(request, member), form)


@require_POST
def member_reactivate(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    member = get_membership_for(request, pk, write=True)
    services.membership_set_active(actor=request.user, membership=member, active=True)
    return _member_activated(request, member, active=True)


def _member_activated(request: TenantRequest, member: Membership, *, active: bool) -> HttpResponse:
    if request.htmx:
        return render_changed(
            request,
            "portal/member_list.html#row",
            {"member": member},
            event="memberChanged",
            obj=member,
            action="reactivate" if active else "deactivate",
        )
    if active:
        message = _("Reactivated %(name)s.")
    else:
        message = _("Deactivated %(name)s. They can no longer open the programme.")
    messages.success(request, message % {"name": _name(member)})
    return redirect("portal:members", request.tenant.slug)
