"""The dashboard panels drawn, and the cache of their HTML.

Every write to a programme's rows gives the programme's data a new version
(`invalidate`, wired to the model signals in `connect_invalidation`): one
version per table the row lives in (a many-to-many link: its link table),
and one per app for other caches of pages drawn from the programme's data
(the public site). A panel is cached with the versions of the tables its
queries read when it was drawn — recorded as it draws — and served while
none of them has changed. So a cached panel is never older than the last
write to what it shows, and a write to something else (the minutes of a
meeting, for the risk panel) leaves it cached: on a meeting day process
leaders write every few seconds. The TTL only bounds what a write outside
Django (a raw SQL fix, a bulk load) could leave behind.

The versions change as the row is written and again when its transaction
commits: a panel a reader drew in between, from what was committed before,
is cached with a version that is dead once the write is committed. So a
panel is cached again at once after a write (`DASHBOARD_CACHE_SETTLE_SECONDS`
can still hold caching back after each write; it is 0 by default).
The key holds everything else a panel's HTML depends on: the filters and
the day, the language, the reader's role and principal (what they may see),
and for `per_user` panels the user.
A cache that cannot be reached is passed by: the panel is drawn afresh.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import time
import uuid
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
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
    return float(getattr(settings, "DASHBOARD_CACHE_SETTLE_SECONDS", 0))


def _new_version(tenant_id: int, app_label: str) -> None:
    version = f"{uuid.uuid4().hex}:{time.time() + _settle_seconds()}"
    try:
        cache.set(_version_key(tenant_id, app_label), version, timeout=None)
    except Exception:  # the cache is down: nothing cached can be read either
        logger.warning("Could not invalidate the dashboards of programme %s", tenant_id)


def invalidate(tenant_id: int, app_label: str = "portal") -> None:
    """Give the programme's data of one app, or of one table (`app_label`
    then names the table), a new version: the cached panels that read the
    table are dead, and the other caches that read the app.

    Called while the writing transaction may still be open: the version
    changes now (the writer's next page shows its write) and once more when
    the transaction commits, since a reader may meanwhile have cached what it
    read before the commit. One change at the commit per programme and app,
    however many rows the transaction wrote."""
    _new_version(tenant_id, app_label)
    db = transaction.get_connection()
    if not db.in_atomic_block:
        return  # autocommit: the row is committed already
    # The connection's list of commit hooks is a new one for each transaction
    # (and after a rolled-back savepoint): what is pending is kept beside it.
    hooks = db.run_on_commit
    pending: tuple[list[Any], set[tuple[int, str]]] | None = getattr(
        db, "_dashboard_versions_pending", None
    )
    if pending is None or pending[0] is not hooks:
        pending = (hooks, set())
        db._dashboard_versions_pending = pending
    if (tenant_id, app_label) in pending[1]:
        return
    pending[1].add((tenant_id, app_label))
    transaction.on_commit(functools.partial(_new_version, tenant_id, app_label), using=db.alias)


def data_version(tenant: Tenant, app_labels: Sequence[str]) -> tuple[str, bool]:
    """The programme's data version over `app_labels`, and whether what is
    drawn from it may be cached yet (the writes that made it have settled):
    for other caches of pages drawn from the programme's data (the public
    site), on the same invalidation."""
    keys = [_version_key(tenant.pk, label) for label in app_labels]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, f"{uuid.uuid4().hex}:0", timeout=None)
            found[key] = cache.get(key)
    versions = {key: str(found[key]) for key in keys}
    names = [version.partition(":")[0] for version in versions.values()]
    return "-".join(names), _settled(versions)


def _cache_key(request: PanelRequest, panel: Panel) -> str:
    tenant, membership = request.tenant, request.membership
    return ":".join(
        [
            "dashboards:panel",
            str(tenant.pk),
            # A programme recreated with the same id (a restored database,
            # a test run) never meets the old one's panels.
            tenant.created_at.isoformat() if tenant.created_at else "",
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


# The tables an SQL statement reads (Django quotes every table it names).
_TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


@functools.cache
def _tables() -> tuple[str, ...]:
    """Every table a panel could read: each model's, and the link tables."""
    return tuple(
        sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})
    )


def _table_versions(tenant_id: int, tables: Sequence[str]) -> dict[str, str]:
    """The programme's version of each of `tables`; "" for one never written
    (or no longer in the cache: then nothing cached with its version matches)."""
    keys = {_version_key(tenant_id, table): table for table in tables}
    found = cache.get_many(list(keys))
    return {table: str(found.get(key, "")) for key, table in keys.items()}


def _settled(versions: dict[str, str]) -> bool:
    """Whether the writes that made `versions` have settled
    (`DASHBOARD_CACHE_SETTLE_SECONDS`)."""
    now = time.time()
    for version in versions.values():
        _name, _sep, settled_at = version.partition(":")
        with contextlib.suppress(ValueError):  # a foreign value counts as settled
            if now < float(settled_at or 0):
                return False
    return True


def panel_html(request: PanelRequest, panel: Panel) -> SafeString:
    """The panel's partial, drawn with its data — from the cache while none
    of the tables it read when drawn has changed since."""
    seconds = cache_seconds()
    key: str | None = None
    if seconds > 0:
        try:
            key = _cache_key(request, panel)
            cached = cache.get(key)
            if cached is not None and cached["versions"] == _table_versions(
                request.tenant.pk, list(cached["versions"])
            ):
                return mark_safe(cached["html"])  # our own template, rendered before
            before = _table_versions(request.tenant.pk, _tables())
        except Exception:
            logger.warning("The dashboard cache cannot be reached; drawing %s afresh", panel.key)
            key = None
    read: set[str] = set()

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        read.update(_TABLE.findall(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
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
    if key is not None:
        versions = {table: before[table] for table in sorted(read) if table in before}
        if _settled(versions):
            try:
                cache.set(key, {"versions": versions, "html": html}, seconds)
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
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed, before the change: the post_ signal follows
    tenant_id: int | None = (
        instance.pk if isinstance(instance, Tenant) else getattr(instance, "tenant_id", None)
    )
    if tenant_id:
        invalidate(tenant_id, instance._meta.app_label)
        # post_save and post_delete: the row's table; m2m_changed: the link table.
        invalidate(tenant_id, sender._meta.db_table)


def connect_invalidation() -> None:
    """Every saved, deleted or re-linked row of a programme (and the
    programme itself) changes the programme's data version."""
    for name, signal in (
        ("post_save", signals.post_save),
        ("post_delete", signals.post_delete),
        ("m2m_changed", signals.m2m_changed),
    ):
        signal.connect(_changed, dispatch_uid=f"dashboards-{name}")
