"""Walk the URLconf: every pattern with the kwargs it needs, for probes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "portal:home"
    kwargs: tuple[str, ...]
    converters: tuple[tuple[str, str], ...]

    @property
    def is_tenant(self) -> bool:
        return "tenant_slug" in self.kwargs


def _walk(patterns, namespace: str = "", converters=None) -> Iterator[Route]:
    converters = dict(converters or {})
    for p in patterns:
        conv = dict(converters)
        conv.update(getattr(p.pattern, "converters", {}))
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}{p.namespace}:"
            yield from _walk(p.url_patterns, ns, conv)
        elif isinstance(p, URLPattern) and p.name:
            yield Route(
                name=f"{namespace}{p.name}",
                kwargs=tuple(conv),
                converters=tuple((k, v.__class__.__name__) for k, v in conv.items()),
            )


def routes() -> list[Route]:
    """Every named route of the portal itself (not the Django admin)."""
    return [r for r in _walk(get_resolver().url_patterns) if not r.name.startswith("admin:")]


def sample_kwargs(route: Route, *, tenant_slug: str, pk: int = 1) -> dict[str, object]:
    """Fill a route's kwargs: the given slug, and `pk` for every integer id."""
    values: dict[str, object] = {}
    for key, conv in route.converters:
        if key == "tenant_slug":
            values[key] = tenant_slug
        elif conv == "IntConverter":
            values[key] = pk
        elif conv == "UUIDConverter":
            values[key] = "00000000-0000-0000-0000-000000000001"
        else:
            values[key] = "x"
    return values
