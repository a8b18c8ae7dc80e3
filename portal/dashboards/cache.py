"""The dashboard panels drawn, and the cache of their HTML.

A panel's HTML is cached under the programme's data version, which every
write to the programme's rows changes (`invalidate`, wired to the model
signals in `connect_invalidation`; one version per app, and every panel
reads its own app's and portal's): so a cached panel is never older than
the last write, and the TTL only bounds what a write outside Django (a raw
SQL fix, a bulk load) could leave behind. Nothing is cached in the first
seconds of a new version, while the write that made it may be uncommitted.
The key holds everything a panel's HTML depends on: the filters and the
day, the language, the reader's role and principal (what they may see),
and for `per_user` panels the user.
A cache that cannot be reached is passed by: the panel is drawn afresh.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import signals
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from portal.dashboards.registry import Panel, PanelRequest, RenderedPanel, panels
from portal.models import Tenant

logger = logging.getLogger(__name__)


def cache_seconds() -> int:
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 300))


def _version_key(tenant_id: int, app_label: str) -> str:
    return f"dashboards:version:{tenant_id}:{app_label}"


def _settle_seconds() -> float:
    return float(getattr(settings, "DASHBOARD_CACHE_SETTLE_SECONDS", 30))


def invalidate(tenant_id: int, app_label: str = "portal") -> None:
    """Give the programme's data of one app a new version: the cached panels
    that read it are dead. Every panel reads portal's (the directory), so the
    default kills them all.

    Called while the writing transaction may still be open, so for a short
    while (longer than any request's transaction lasts) nothing is cached
    under the new version either: a reader could otherwise cache what it
    read before the commit."""
    version = f"{uuid.uuid4().hex}:{time.time() + _settle_seconds()}"
    try:
        cache.set(_version_key(tenant_id, app_label), version, timeout=None)
    except Exception:  # the cache is down: nothing cached can be read either
        logger.warning("Could not invalidate the dashboards of programme %s", tenant_id)


def _data_version(tenant: Tenant, app_labels: Sequence[str]) -> tuple[str, bool]:
    """The version of the programme's data in `app_labels`, and whether
    panels may be cached under it yet (the writes that made it have settled)."""
    keys = [_version_key(tenant.pk, label) for label in app_labels]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, f"{uuid.uuid4().hex}:0", timeout=None)
            found[key] = cache.get(key)
    names, settled = [], True
    for key in keys:
        name, _sep, settled_at = str(found[key]).partition(":")
        names.append(name)
        with contextlib.suppress(ValueError):  # a foreign value counts as settled
            settled = settled and time.time() >= float(settled_at or 0)
    return "-".join(names), settled


def data_version(tenant: Tenant, app_labels: Sequence[str]) -> tuple[str, bool]:
    """The programme's data version over `app_labels`, and whether what is
    drawn from it may be cached yet: for other caches of pages drawn from
    the programme's data (the public site), on the same invalidation."""
    return _data_version(tenant, app_labels)


def _cache_key(request: PanelRequest, panel: Panel, version: str) -> str:
    tenant, membership = request.tenant, request.membership
    return ":".join(
        [
            "dashboards:panel",
            str(tenant.pk),
            # A programme recreated with the same id (a restored database,
            # a test run) never meets the old one's panels.
            tenant.created_at.isoformat() if tenant.created_at else "",
            version,
            panel.key,
            str(request.principal.pk if request.principal else ""),
            request.filters.query(),
            request.filters.today.isoformat(),
            get_language() or "",
            membership.role,
            str(membership.principal_id or ""),
            str(membership.user_id) if panel.per_user else "",
        ]
    )


def panel_html(request: PanelRequest, panel: Panel) -> SafeString:
    """The panel's partial, drawn with its data — from the cache when the
    programme's data has not changed since."""
    seconds = cache_seconds()
    key, settled = None, False
    if seconds > 0:
        try:
            version, settled = _data_version(request.tenant, panel.depends_on)
            key = _cache_key(request, panel, version)
            cached = cache.get(key)
        except Exception:
            logger.warning("The dashboard cache cannot be reached; drawing %s afresh", panel.key)
            key, cached = None, None
        if cached is not None:
            return mark_safe(cached)  # our own template, rendered before
    html = render_to_string(
        panel.template,
        {
            "data": panel.context(request),
            "panel": panel,
            "tenant": request.tenant,
            "membership": request.membership,
            "filters": request.filters,
            "principal": request.principal,
        },
    )
    if key is not None and settled:
        try:
            cache.set(key, html, seconds)
        except Exception:
            logger.warning("Could not cache the dashboard panel %s", panel.key)
    return mark_safe(html)  # our own template, rendered just now


def render_panels(request: PanelRequest, *, scope: str, eager: bool) -> list[RenderedPanel]:
    """The panels of `scope` the member may see, drawn — lazy panels only
    when `eager` (the page without JavaScript)."""
    return [
        RenderedPanel(
            panel=panel, html=panel_html(request, panel) if eager or not panel.lazy else None
        )
        for panel in panels(scope)
        if panel.visible_to(request.membership, request.principal)
    ]


# Rows no panel reads, written all the time: the audit log (one event per
# write) and document jobs.
_NOT_READ_BY_PANELS = ("portal.auditevent", "portal.generatedfile")


def _changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if instance._meta.label_lower in _NOT_READ_BY_PANELS:
        return
    tenant_id: int | None = (
        instance.pk if isinstance(instance, Tenant) else getattr(instance, "tenant_id", None)
    )
    if tenant_id:
        invalidate(tenant_id, instance._meta.app_label)


def connect_invalidation() -> None:
    """Every saved, deleted or re-linked row of a programme (and the
    programme itself) changes the programme's data version."""
    for name, signal in (
        ("post_save", signals.post_save),
        ("post_delete", signals.post_delete),
        ("m2m_changed", signals.m2m_changed),
    ):
        signal.connect(_changed, dispatch_uid=f"dashboards-{name}")
