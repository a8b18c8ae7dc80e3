"""Shared helpers for the directory administration tests."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from portal.models import AuditEvent, Tenant

HTMX = {"HTTP_HX_REQUEST": "true"}
ROLES = ["leader", "steering", "reporter", "researcher", "admin"]


def url(name: str, tenant: Tenant, *args: Any, query: str = "") -> str:
    return reverse(f"portal:{name}", args=[tenant.slug, *args]) + query


def rows(model: type[models.Model]) -> list[dict[str, Any]]:
    """Every row of `model`, across programmes: to assert that nothing changed."""
    with scopes_disabled():
        return list(model.objects.order_by("pk").values())  # type: ignore[attr-defined]


def reload[M: models.Model](obj: M) -> M:
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)  # type: ignore[attr-defined]


def audit_events(**lookup: Any) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**lookup).order_by("id"))


def audit_count() -> int:
    with scopes_disabled():
        return AuditEvent.objects.count()


def text(response: HttpResponse) -> str:
    return response.content.decode()


def is_fragment(response: HttpResponse) -> bool:
    """An htmx answer: a piece of a page, not a whole document."""
    body = text(response)
    return "<html" not in body and "<body" not in body and 'class="site-header"' not in body


def starts_with_row(response: HttpResponse, dom_id: str) -> bool:
    return text(response).lstrip().startswith(f'<tr id="{dom_id}"')


def hx_trigger(response: HttpResponse) -> dict[str, Any]:
    return json.loads(response["HX-Trigger"])


def form_errors(response: HttpResponse) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def in_swedish(message: str) -> str:
    """A UI message as the (Swedish-first) test client sees it."""
    with translation.override("sv"):
        return translation.gettext(message)
