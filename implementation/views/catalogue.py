"""The programme's short lists: focus areas, wellbeing areas (and, registered
by the appointments module, appointed functions). Everyone in the programme
reads them; process leaders add, rename, describe, archive and restore
entries. The same five views and templates serve every list.

Every page works without JavaScript; htmx gets the form for a row or the
changed row (with an `HX-Trigger` event).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from implementation.access import get_entry_for
from implementation.forms.goals import EntryForm
from implementation.models import FocusArea, NamedEntry, WellbeingArea
from implementation.selectors.goals import entries
from implementation.services import catalogue as services
from implementation.views import confirms
from portal.confirm import render_confirm
from portal.forms import ConfirmForm
from portal.htmx import (
    asked_row,
    form_data,
    render_changed,
    render_page,
    require_GET_or_POST,
    show_refusal,
    wants_archived,
)
from portal.services import DomainError
from portal.tenancy import TenantRequest, require


@dataclass(frozen=True)
class Catalogue:
    model: type[NamedEntry]
    key: str  # url names are <key>_list, <key>_add, …; DOM ids start with it
    path: str
    title: Promise
    lead: Promise
    add_label: Promise
    empty: Promise

    def url(self, action: str) -> str:
        return f"implementation:{self.key}_{action}"

    # For the templates' {% url %}.
    url_list = property(lambda self: self.url("list"))
    url_add = property(lambda self: self.url("add"))
    url_edit = property(lambda self: self.url("edit"))
    url_archive = property(lambda self: self.url("archive"))
    url_restore = property(lambda self: self.url("restore"))


FOCUS_AREAS = Catalogue(
    model=FocusArea,
    key="focus_area",
    path="goals/focus-areas/",
    title=gettext_lazy("Focus areas"),
    lead=gettext_lazy("The focus areas the programme's goals are grouped in."),
    add_label=gettext_lazy("Add focus area"),
    empty=gettext_lazy("No focus areas."),
)
WELLBEING_AREAS = Catalogue(
    model=WellbeingArea,
    key="wellbeing_area",
    path="goals/wellbeing-areas/",
    title=gettext_lazy("Wellbeing areas"),
    lead=gettext_lazy(
        "The areas of the wellbeing wheel, used to tag indicators, good examples and activities."
    ),
    add_label=gettext_lazy("Add wellbeing area"),
    empty=gettext_lazy("No wellbeing areas."),
)


def _context(catalogue: Catalogue, **extra: Any) -> dict[str, Any]:
    return {"catalogue": catalogue, **extra}


def _list_url(request: TenantRequest, catalogue: Catalogue) -> str:
    return reverse(catalogue.url("list"), args=[request.tenant.slug])


def catalogue_views(catalogue: Catalogue) -> list[URLPattern]:
    """The list, add, edit, archive and restore views of one catalogue."""

    def changed(request: TenantRequest, obj: NamedEntry, action: str, message: str) -> HttpResponse:
        if request.htmx:
            return render_changed(
                request,
                "implementation/catalogue_list.html#row",
                _context(catalogue, entry=obj),
                event=f"{catalogue.key}Changed",
                obj=obj,
                action=action,
            )
        messages.success(request, message)
        return redirect(_list_url(request, catalogue))

    @require_GET
    def list_view(request: TenantRequest, tenant_slug: str) -> HttpResponse:
        require(request, "implementation.view")
        if (row := asked_row(request)) is not None:
            entry = get_entry_for(request, row, model=catalogue.model)
            row_context = _context(catalogue, entry=entry)
            return render(request, "implementation/catalogue_list.html#row", row_context)
        services.ensure_defaults(request.tenant)
        show_archived = wants_archived(request)
        context = _context(
            catalogue,
            entries=entries(
                tenant=request.tenant, model=catalogue.model, include_archived=show_archived
            ),
            show_archived=show_archived,
        )
        return render_page(
            request,
            "implementation/catalogue_list.html",
            context,
            partial="listing",
            parts=["add_link"],
        )

    @require_GET_or_POST
    def add_view(request: TenantRequest, tenant_slug: str) -> HttpResponse:
        require(request, "implementation.edit")
        form = EntryForm(form_data(request), prefix_id=catalogue.key)
        if request.method == "POST" and form.is_valid():
            try:
                created = services.entry_create(
                    actor=request.user,
                    tenant=request.tenant,
                    model=catalogue.model,
                    **form.cleaned_data,
                )
            except (DomainError, ValidationError) as error:
                show_refusal(form, error)
            else:
                if request.htmx:
                    return render_changed(
                        request,
                        "implementation/catalogue_add.html#created",
                        _context(catalogue, entry=created),
                        event=f"{catalogue.key}Changed",
                        obj=created,
                        action="create",
                    )
                messages.success(request, _("Added %(name)s.") % {"name": created.name})
                return redirect(_list_url(request, catalogue))
        return render_page(
            request,
            "implementation/catalogue_add.html",
            _context(catalogue, form=form),
            partial="form",
        )

    @require_GET_or_POST
    def edit_view(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
        obj = get_entry_for(request, pk, model=catalogue.model, write=True)
        form = EntryForm(form_data(request), prefix_id=catalogue.key, entry=obj)
        if request.method == "POST" and form.is_valid():
            try:
                services.entry_update(actor=request.user, entry=obj, **form.cleaned_data)
            except (DomainError, ValidationError) as error:
                show_refusal(form, error)
            else:
                return changed(request, obj, "update", _("Saved %(name)s.") % {"name": obj.name})
        context = _context(catalogue, form=form, entry=obj)
        return render_page(
            request, "implementation/catalogue_edit.html", context, partial="row_form"
        )

    @require_GET_or_POST
    def archive_view(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
        obj = get_entry_for(request, pk, model=catalogue.model, write=True)
        form = ConfirmForm(form_data(request))
        if request.method == "POST" and form.is_valid():
            try:
                services.entry_set_archived(actor=request.user, entry=obj, archived=True)
            except DomainError as error:
                show_refusal(form, error)
            else:
                message = _("Archived %(name)s. It is kept and can be restored.") % {
                    "name": obj.name
                }
                return changed(request, obj, "archive", message)
        return render_confirm(request, confirms.catalogue_archive(request, catalogue, obj), form)

    @require_POST
    def restore_view(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
        obj = get_entry_for(request, pk, model=catalogue.model, write=True)
        services.entry_set_archived(actor=request.user, entry=obj, archived=False)
        return changed(request, obj, "restore", _("Restored %(name)s.") % {"name": obj.name})

    views: list[tuple[str, str, Callable[..., HttpResponse]]] = [
        ("", "list", list_view),
        ("new/", "add", add_view),
        ("<int:pk>/edit/", "edit", edit_view),
        ("<int:pk>/archive/", "archive", archive_view),
        ("<int:pk>/restore/", "restore", restore_view),
    ]
    return [
        path(f"{catalogue.path}{suffix}", view, name=f"{catalogue.key}_{action}")
        for suffix, action, view in views
    ]


urlpatterns = [*catalogue_views(FOCUS_AREAS), *catalogue_views(WELLBEING_AREAS)]
