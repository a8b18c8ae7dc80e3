"""Shared view helpers for pages that work with and without htmx.

A page renders in full; an htmx request gets a named partial of the same
template (`{% partialdef %}`). A successful write answers htmx with the changed
fragment and an `HX-Trigger` event, and everyone else with a redirect.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django_htmx.http import trigger_client_event

from portal.services import DomainError
from portal.tenancy import TenantRequest

require_GET_or_POST = require_http_methods(["GET", "POST"])


def form_data(request: TenantRequest) -> QueryDict | None:
    """The submitted data on POST (bound even when empty), else None (unbound)."""
    return request.POST if request.method == "POST" else None


def wants_archived(request: TenantRequest) -> bool:
    """The "show archived rows too" toggle of a list page (`?archived=1`)."""
    return request.GET.get("archived") == "1"


def render_page(
    request: TenantRequest, template: str, context: Mapping[str, Any], *, partial: str
) -> HttpResponse:
    """The full page, or for htmx the named partial of the same template."""
    return render(request, f"{template}#{partial}" if request.htmx else template, context)


def show_refusal(
    form: forms.BaseForm, error: DomainError | ValidationError, *, field: str | None = None
) -> None:
    """Show a service's refusal on the form: model errors on their own fields
    when the form has them, everything else on `field` (default: the top)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    elif isinstance(error, ValidationError):
        form.add_error(field, error)
    else:
        form.add_error(field, str(error))


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
