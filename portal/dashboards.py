"""The dashboard registry: the panels of the programme and principal dashboards.

Portal imports none of the other apps (DESIGN.md), so each app contributes its
panels in its `AppConfig.ready()`, as it does document sections:

    from portal import dashboards

    dashboards.register(dashboards.Panel(
        key="implementation.staircase",
        title=_("Implementation staircase"),
        scope=dashboards.PROGRAMME,             # or PRINCIPAL
        template="implementation/_dashboard.html#staircase_matrix",
        context=staircase_matrix,                # (PanelRequest) -> data
        order=10,
        filters=("sector",),                     # the filters the panel answers to
        lazy=False,                              # True: fetched by htmx when revealed
        rule="implementation.view",              # who sees the panel at all
    ))

A panel's template is a named partial (`{% partialdef %}`) that gets the
panel's data as `data`, and `panel`, `filters`, `tenant`, `membership`,
`principal` (principal dashboards) alongside. Its `context` function is a
selector: it runs a fixed number of queries, whatever the size of the
programme; the tests pin each panel's count.

Filters are one form for the whole dashboard (period, sector, and choice
filters that apps register, such as governance's bodies), so a dashboard URL
with its query string is shareable and every panel reads the same values.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import signals
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import Membership, Principal, Sector, Tenant
from portal.permissions import RULES, can

PROGRAMME = "programme"
PRINCIPAL = "principal"

PERIOD_CHOICES = (
    (6, _("The last 6 months")),
    (12, _("The last 12 months")),
    (24, _("The last 2 years")),
    (60, _("The last 5 years")),
)
DEFAULT_PERIOD_MONTHS = 24


@dataclass(frozen=True)
class Filters:
    """The dashboard's filter values, cleaned. `since`/`until` bound the period
    (`until` is today); `choices` holds the registered choice filters by key
    (an object id, or None for "all")."""

    months: int = DEFAULT_PERIOD_MONTHS
    sector: str = ""
    choices: Mapping[str, int | None] = field(default_factory=dict)
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def since(self) -> datetime.date:
        return add_months(first_of_month(self.today), -self.months + 1)

    @property
    def until(self) -> datetime.date:
        return self.today

    def get(self, key: str) -> int | None:
        return self.choices.get(key)

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label) if self.sector else ""

    def query(self) -> str:
        """The filters as a query string ("" for the defaults), for links."""
        data = QueryDict(mutable=True)
        if self.months != DEFAULT_PERIOD_MONTHS:
            data["period"] = str(self.months)
        if self.sector:
            data["sector"] = self.sector
        for key, value in sorted(self.choices.items()):
            if value is not None:
                data[key] = str(value)
        return data.urlencode()


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class ChoiceFilter:
    """A filter an app contributes: its `choices(tenant)` are (id, label) pairs."""

    key: str
    label: str | Promise
    choices: Callable[[Tenant], Sequence[tuple[int, str]]]
    order: int = 100


@dataclass(frozen=True)
class PanelRequest:
    """What a panel's context function reads."""

    tenant: Tenant
    membership: Membership
    filters: Filters
    principal: Principal | None = None


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    scope: str
    template: str
    context: Callable[[PanelRequest], Mapping[str, Any]]
    order: int = 100
    filters: tuple[str, ...] = ()
    lazy: bool = False
    # Who sees the panel; on a principal dashboard the rule is checked
    # against the principal too (a reporter's own principal).
    rule: str = "portal.view_dashboard"
    description: str | Promise = ""
    # The panel's HTML depends on who reads it, not only on their role
    # (e.g. "the minutes you approve"): cached per user.
    per_user: bool = False

    @property
    def depends_on(self) -> tuple[str, ...]:
        """The apps whose data the panel reads: its own and portal's."""
        app_label = self.key.split(".", 1)[0]
        return ("portal",) if app_label == "portal" else ("portal", app_label)

    @property
    def dom_id(self) -> str:
        return "panel-" + self.key.replace(".", "-").replace("_", "-")

    def visible_to(self, membership: Membership, principal: Principal | None = None) -> bool:
        return can(membership, self.rule, principal)


@dataclass(frozen=True)
class RenderedPanel:
    panel: Panel
    html: SafeString | None  # None: not loaded yet (lazy)

    @property
    def loaded(self) -> bool:
        return self.html is not None


_PANELS: dict[str, Panel] = {}
_CHOICE_FILTERS: dict[str, ChoiceFilter] = {}


def register(panel: Panel) -> Panel:
    """Add a panel. Called from an app's `ready()`."""
    if panel.scope not in (PROGRAMME, PRINCIPAL):
        raise ImproperlyConfigured(f"Panel {panel.key!r}: unknown scope {panel.scope!r}.")
    if panel.rule not in RULES:
        raise ImproperlyConfigured(f"Panel {panel.key!r}: unknown rule {panel.rule!r}.")
    _PANELS[panel.key] = panel
    return panel


def register_choice_filter(choice_filter: ChoiceFilter) -> None:
    _CHOICE_FILTERS[choice_filter.key] = choice_filter


def panels(scope: str) -> list[Panel]:
    return sorted((p for p in _PANELS.values() if p.scope == scope), key=lambda p: (p.order, p.key))


def get_panel(scope: str, key: str) -> Panel:
    """The registered panel; `LookupError` for an unknown key (a 404 in views)."""
    panel = _PANELS.get(key)
    if panel is None or panel.scope != scope:
        raise LookupError(f"Unknown {scope} panel {key!r}")
    return panel


def choice_filters() -> list[ChoiceFilter]:
    return sorted(_CHOICE_FILTERS.values(), key=lambda f: (f.order, f.key))


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


# The panel cache ------------------------------------------------------------------
#
# A panel's HTML is cached under the programme's data version, which every
# write to the programme's rows changes (`invalidate`, wired to the model
# signals in `connect_invalidation`; one version per app, and every panel
# reads its own app's and portal's): so a cached panel is never older than
# the last write, and the TTL only bounds what a write outside Django (a raw
# SQL fix, a bulk load) could leave behind. Nothing is cached in the first
# seconds of a new version, while the write that made it may be uncommitted.
# The key holds everything a panel's HTML depends on: the filters and the
# day, the language, the reader's role and principal (what they may see),
# and for `per_user` panels the user.
# A cache that cannot be reached is passed by: the panel is drawn afresh.

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


# The filter form ------------------------------------------------------------


class FilterForm(forms.Form):
    """Period, sector and the registered choice filters. Invalid values fall
    back to the defaults, and the form shows why."""

    period = forms.TypedChoiceField(
        label=_("Period"),
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        empty_value=DEFAULT_PERIOD_MONTHS,  # type: ignore[arg-type]
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("All sectors")), *Sector.choices],
        required=False,
    )

    def __init__(self, data: QueryDict, *, tenant: Tenant, prefix_id: str = "dashboard") -> None:
        # Always bound (a filter form shows what it filters by), with the
        # default period when the query string names none.
        data = data.copy()
        data.setdefault("period", str(DEFAULT_PERIOD_MONTHS))
        super().__init__(data, auto_id=f"{prefix_id}-%s")
        self.fields["period"].initial = DEFAULT_PERIOD_MONTHS
        for choice_filter in choice_filters():
            self.fields[choice_filter.key] = forms.TypedChoiceField(
                label=str(choice_filter.label),
                choices=[("", _("All")), *choice_filter.choices(tenant)],
                coerce=int,
                required=False,
                empty_value=None,
            )

    def filters(self, *, today: datetime.date | None = None) -> Filters:
        today = today or timezone.localdate()
        if self.is_valid():
            data = self.cleaned_data
        else:
            data = {
                name: value for name, value in self.cleaned_data.items() if name not in self.errors
            }
        return Filters(
            months=data.get("period") or DEFAULT_PERIOD_MONTHS,
            sector=data.get("sector") or "",
            choices={f.key: data.get(f.key) for f in choice_filters()},
            today=today,
        )
