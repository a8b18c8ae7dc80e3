"""Shared view helpers for pages that work with and without htmx.

A page renders in full; an htmx request gets a named partial of the same
template (`{% partialdef %}`). A successful write answers htmx with the changed
fragment and an `HX-Trigger` event, and everyone else with a redirect.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import (
    HttpResponseClientRedirect,
    SwapMethod,
    reswap,
    retarget,
    trigger_client_event,
)

from portal.services import ConflictError, DomainError
from portal.tenancy import TenantRequest

require_GET_or_POST = require_http_methods(["GET", "POST"])


def form_data(request: TenantRequest) -> QueryDict | None:
    """The submitted data on POST (bound even when empty), else None (unbound)."""
    return request.POST if request.method == "POST" else None


def wants_archived(request: TenantRequest) -> bool:
    """The "show archived rows too" toggle of a list page (`?archived=1`)."""
    return request.GET.get("archived") == "1"


def render_page(
    request: TenantRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    partial: str,
    parts: Collection[str] = (),
) -> HttpResponse:
    """The full page, or for htmx the named partial of the same template. A
    "Cancel" may ask for one of `parts` instead (`?part=add_link`): the slot
    an inline form stood in gets its own content back."""
    if not request.htmx:
        return render(request, template, context)
    asked = request.GET.get("part", "")
    return render(request, f"{template}#{asked if asked in parts else partial}", context)


def asked_row(request: TenantRequest) -> int | None:
    """The row that a "Cancel" asks back from a list page (`?row=<pk>`, htmx
    only): the list view answers with that row's partial, as it was."""
    value = request.GET.get("row", "") if request.htmx else ""
    return int(value) if value.isdigit() else None


def show_refusal(
    form: forms.BaseForm, error: DomainError | ValidationError, *, field: str | None = None
) -> None:
    """Show a service's refusal on the form: model errors on their own fields
    when the form has them, everything else on `field` (default: the top).
    A refused stale save (`ConflictError`) is shown as `show_conflict` does."""
    if isinstance(error, ConflictError):
        show_conflict(form, error)
    elif isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    elif isinstance(error, ValidationError):
        form.add_error(field, error)
    else:
        form.add_error(field, str(error))


def with_version(data: Mapping[str, Any], version: int) -> QueryDict:
    """The user's submitted values, now based on the version saved meanwhile."""
    if isinstance(data, QueryDict):
        fresh = data.copy()
    else:
        fresh = QueryDict(mutable=True)
        for key, value in data.items():
            fresh.setlist(key, list(value) if isinstance(value, list | tuple) else [value])
    fresh["version"] = str(version)
    return fresh


def show_conflict(form: forms.BaseForm, error: ConflictError) -> None:
    """A save refused because someone else saved first: the form keeps the
    user's input but is now based on the version saved meanwhile (so saving it
    again is possible, and is a choice), says so at the top, and shows what was
    saved at each field where it differs from the user's input."""
    form.data = with_version(form.data, error.version)
    form.add_error(None, str(error))
    saved_values = getattr(form, "saved_values", None)
    if error.saved is None or saved_values is None:
        return
    for name, value in saved_values(error.saved).items():
        if name not in form.fields:
            continue
        bound = form[name]
        if bound.is_hidden or bound.field.disabled or not _differs(bound.field, value, bound.data):
            continue
        form.add_error(
            name,
            ValidationError(
                _("Saved meanwhile by someone else: %(value)s"),
                code="conflict",
                params={"value": shown_value(bound.field, value)},
            ),
        )


def _differs(field: forms.Field, saved: Any, data: Any) -> bool:
    if isinstance(saved, str) and isinstance(data, str):
        # A browser sends a textarea's line breaks as CRLF.
        return saved.replace("\r\n", "\n").strip() != data.replace("\r\n", "\n").strip()
    return field.has_changed(saved, data)


def shown_value(field: forms.Field, value: Any) -> str:
    """A saved value as the user would recognise it in the form's field."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(shown_value_of_choice(field, item) for item in value) or "—"
    if isinstance(field, forms.ModelChoiceField):
        return shown_value_of_choice(field, value)
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in _flat_choices(field.choices)}
        if isinstance(value, list | tuple):
            return ", ".join(str(labels.get(str(v), v)) for v in value)
        return str(labels.get(str(value), value))
    if isinstance(field, forms.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(formats.localize(value))


def shown_value_of_choice(field: forms.ModelChoiceField, value: Any) -> str:
    if not isinstance(value, Model):
        value = field.queryset.filter(pk=value).first() if field.queryset is not None else value
    return "—" if value is None else str(field.label_from_instance(value))


def _flat_choices(choices: Any) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat


def render_changed(
    request: TenantRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    event: str,
    obj: object,
    action: str,
) -> HttpResponse:
    """The htmx answer to a successful write: a fragment and an `HX-Trigger` event."""
    response = render(request, template, context)
    return trigger_client_event(response, event, {"id": getattr(obj, "pk", None), "action": action})


def to_page(
    request: TenantRequest, url: str, message: str = "", *, level: int = messages.SUCCESS
) -> HttpResponse:
    """After a change of a whole page: a redirect, for htmx a client redirect
    (`HX-Redirect`), with `message` shown on the page it lands on."""
    if message:
        messages.add_message(request, level, message)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def swap_to(response: HttpResponse, target: str, swap: SwapMethod = "outerHTML") -> HttpResponse:
    """Send an htmx answer to another element than the one that asked
    (`HX-Retarget`), swapped as `swap` (`HX-Reswap`)."""
    return reswap(retarget(response, target), swap)


def refused(request: TenantRequest, error: DomainError, *, url: str, target: str) -> HttpResponse:
    """A refused button press (no form to show it on): for htmx an alert put
    into the page's message region `target`, else a redirect to `url` with the
    message at the top."""
    if request.htmx:
        response = render(request, "portal/_refusal.html", {"message": str(error)})
        return swap_to(response, target, "innerHTML")
    messages.error(request, str(error))
    return redirect(url)
