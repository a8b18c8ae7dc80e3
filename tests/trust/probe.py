"""The request machinery of the isolation probe: fill a route's kwargs with a
programme's real objects, swap one id for another programme's, and request
the URL as a role, each request rolled back so that probes do not interact."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import Max, Model
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from portal import tenancy
from portal.documents import registry as documents
from portal.permissions import can
from tests.helpers import HTMX
from tests.trust.programmes import Programme, logged_in
from tests.trust.routemap import (
    NOT_IDS,
    OBJECT_KWARGS,
    STRING_KWARGS,
    Ordinal,
    Pick,
    Spec,
    document_request_specs,
    required_rule,
)
from tests.urlwalk import Route, routes

ROLES = ("leader", "steering", "reporter", "researcher", "admin")
DENIED = {403, 404}


@dataclass(frozen=True)
class Probe:
    """One route to probe, with its id specs (document_request: once per kind)."""

    route: Route
    specs: dict[str, Spec]
    fixed: dict[str, str]

    @property
    def id(self) -> str:
        extra = "".join(f"[{v}]" for v in self.fixed.values())
        return f"{self.route.name}{extra}"

    @property
    def id_kwargs(self) -> list[str]:
        return [k for k, spec in self.specs.items() if isinstance(spec, Pick)]


def int_kwargs(route: Route) -> list[str]:
    return [k for k, conv in route.converters if conv == "IntConverter"]


def probes(*, ids_only: bool = True) -> list[Probe]:
    """Every tenant route (with `ids_only`, those that take object ids), once
    per value of a string kwarg that names a registered thing (a document kind,
    a dashboard panel). Unmapped kwargs are not dropped: such a probe carries
    no spec for them and `unmapped_kwargs` reports it."""
    found: list[Probe] = []
    for route in routes():
        if not route.is_tenant or (ids_only and not int_kwargs(route)):
            continue
        expansions = [
            (kwarg, values())
            for (name, kwarg), values in STRING_KWARGS.items()
            if name == route.name
        ]
        fixed_sets: list[dict[str, str]] = [{}]
        for kwarg, values in expansions:
            fixed_sets = [{**fixed, kwarg: value} for fixed in fixed_sets for value in values]
        for fixed in fixed_sets:
            specs = OBJECT_KWARGS.get(route.name, {})
            if route.name == "portal:document_request":
                specs = document_request_specs()[fixed["kind"]]
            found.append(Probe(route, specs, fixed))
    return found


def unmapped_kwargs(probe: Probe) -> list[str]:
    return [k for k in int_kwargs(probe.route) if k not in probe.specs]


def unknown_string_kwargs(probe: Probe) -> list[str]:
    """String kwargs the probe does not know how to fill."""
    return [
        k
        for k, conv in probe.route.converters
        if conv != "IntConverter" and k not in NOT_IDS and k not in probe.fixed
    ]


def choose(probe: Probe, programme: Programme, role: str) -> dict[str, Any]:
    """The probe's objects in `programme`, as `role` would use them."""
    chosen: dict[str, Any] = {}
    user = programme.users[role]
    with scopes_disabled():
        for kwarg, spec in probe.specs.items():
            if isinstance(spec, Ordinal):
                chosen[kwarg] = spec.value(chosen)
                continue
            obj = spec.queryset(tenant=programme.tenant, user=user, chosen=chosen).first()
            if obj is None and spec.own is not None:
                anyones = replace(spec, own=None)
                obj = anyones.queryset(tenant=programme.tenant, user=user, chosen=chosen).first()
            assert obj is not None, (
                f"{probe.id}: no {spec.model.__name__} for {kwarg!r} in {programme.tenant.slug}"
            )
            chosen[kwarg] = obj
    return chosen


def rule_for(probe: Probe, chosen: dict[str, Any]) -> str | None:
    """The rule of portal/permissions.py the page needs (a document: its kind's)."""
    rule = required_rule(probe.route.name)
    if rule != "document":
        return rule
    kind_key = probe.fixed.get("kind") or chosen["pk"].kind
    return documents.get_kind(kind_key).rule


def main_object(chosen: dict[str, Any]) -> Model | None:
    return next((v for v in chosen.values() if isinstance(v, Model)), None)


def may_use(probe: Probe, programme: Programme, role: str, chosen: dict[str, Any]) -> bool:
    """Whether the route's rule lets `role` use the page with these objects."""
    rule = rule_for(probe, chosen)
    return rule is None or can(programme.memberships[role], rule, main_object(chosen))


def first_allowed(
    probe: Probe, programme: Programme, roles: tuple[str, ...] = ROLES
) -> tuple[str, dict[str, Any]] | None:
    """The first of `roles` that may use the page, with its objects in
    `programme` (the route→object map of tests/trust/routemap.py): how the
    accessibility walk fills a page nobody filled by hand."""
    for role in roles:
        with scope(tenant=programme.tenant):
            chosen = choose(probe, programme, role)
            if may_use(probe, programme, role, chosen):
                return role, chosen
    return None


def missing_pk(model: type[Model]) -> int:
    with scopes_disabled():
        top = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    return int(top) + 10_000


def url_for(probe: Probe, programme: Programme, values: dict[str, Any]) -> str:
    """The route in `programme` with `values` for its kwargs (objects by pk).
    A secret kwarg (a feed's or a signed link's token) is filled with a wrong
    one: its own tests try the right one."""
    kwargs: dict[str, Any] = {"tenant_slug": programme.tenant.slug, **probe.fixed}
    kwargs.update({k: "x" for k in probe.route.kwargs if k in NOT_IDS and k != "tenant_slug"})
    for key, value in values.items():
        kwargs[key] = value.pk if isinstance(value, Model) else value
    return reverse(probe.route.name, kwargs=kwargs)


@dataclass(frozen=True)
class Answer:
    method: str
    url: str
    status: int
    error: str = ""

    def __str__(self) -> str:
        tail = f" ({self.error})" if self.error else ""
        return f"{self.method} {self.url} → {self.status}{tail}"


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def ask(
    client: Client,
    method: str,
    url: str,
    data: dict[str, Any] | None = None,
    *,
    htmx: bool = False,
) -> Answer:
    """One request, rolled back; a server error is an answer of 500 with its
    exception. With `htmx`, as htmx sends it (the HX-Request header)."""
    headers = HTMX if htmx else {}
    with rolled_back():
        send = client.get if method == "GET" else client.post
        response = send(url, data or {}, **headers)  # type: ignore[arg-type]
    error = ""
    if getattr(response, "exc_info", None):
        exc = response.exc_info[1]  # type: ignore[attr-defined]
        error = f"{type(exc).__name__}: {exc}"
    method = f"{method} (htmx)" if htmx else method
    return Answer(method, url, response.status_code, error)


def client_for(programme: Programme, role: str) -> Client:
    """A new client logged in as `role`: in the module's session of that login
    (tests/trust/conftest.py), or logged in now where there is none."""
    if role in programme.sessions:
        return logged_in(programme.sessions[role])
    client = Client(raise_request_exception=False)
    client.force_login(programme.users[role])
    return client


@contextmanager
def recorded_rules() -> Iterator[list[str]]:
    """The permission rules a view enforces (`portal.tenancy.require`), in order."""
    seen: list[str] = []
    real = tenancy.can

    def recording(membership: Any, rule: str, obj: Any = None) -> bool:
        seen.append(rule)
        return real(membership, rule, obj)

    tenancy.can = recording
    try:
        yield seen
    finally:
        tenancy.can = real
