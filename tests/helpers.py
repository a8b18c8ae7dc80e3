"""The helpers every test module shares: one implementation each.

`url(name, tenant, *args)` is the path of a programme's route; a test module
that only visits one app binds it once: `url = url_in("governance")`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection, models
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from portal.models import AuditEvent, Tenant

ROLES = ["leader", "steering", "reporter", "researcher", "admin"]


# The header htmx sends with every request it makes.
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, of: Tenant | models.Model, *args: Any, query: str = "") -> str:
    """The path of the namespaced route `name` in a programme, with `query`
    appended as given ("?q=x"). `of` is the programme, or one of its objects:
    then that object's pk is the route's first id."""
    if isinstance(of, Tenant):
        return reverse(name, args=[of.slug, *args]) + query
    return reverse(name, args=[of.tenant.slug, of.pk, *args]) + query  # type: ignore[attr-defined]


def url_in(app: str) -> Callable[..., str]:
    """`url` for one app's routes: `url_in("governance")("meeting_detail", tenant, pk)`."""

    def app_url(name: str, of: Tenant | models.Model, *args: Any, query: str = "") -> str:
        return url(f"{app}:{name}", of, *args, query=query)

    return app_url


def rows(model: type[models.Model]) -> list[dict[str, Any]]:
    """Every row of `model`, across programmes: to assert that nothing changed."""
    with scopes_disabled():
        return list(model.objects.order_by("pk").values())  # type: ignore[attr-defined]


def reload[M: models.Model](obj: M) -> M:
    """`obj` as the database has it now, whatever its programme."""
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)  # type: ignore[attr-defined]


def snapshot(*models_: type[models.Model]) -> tuple[list[list[dict[str, Any]]], int]:
    """Every row of the models and the number of audit events: equal before
    and after a request that must change nothing."""
    return [rows(model) for model in models_], audit_count()


APPS = ("portal", "governance", "implementation", "research", "public")


def row_counts(apps_: tuple[str, ...] = APPS) -> dict[str, int]:
    """Rows in every table of the portal's apps (the audit log among them),
    by model label, in one query (not one per table): the probes count before
    and after each of thousands of requests. Raw tables, not managers: a row
    a manager hides was still written."""
    tables: dict[str, str] = {}
    for model in django_apps.get_models():
        meta = model._meta
        if meta.app_label in apps_ and meta.managed and not meta.proxy:
            tables.setdefault(meta.db_table, meta.label)
    quote = connection.ops.quote_name
    # The models' own table names, quoted: nothing here comes from a request.
    counted = ", ".join(f"(SELECT count(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counted}")
        counts = cursor.fetchone()
    return dict(zip(tables.values(), counts, strict=True))


@pytest.fixture
def in_scope(world: Any) -> Iterator[None]:
    """Run the test body inside the first programme's scope, as a view would."""
    with scope(tenant=world.tenant):
        yield


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
