"""The dashboard registry: the panels of the programme and principal dashboards.

Portal imports none of the other apps (DESIGN.md), so each app contributes its
panels in its `AppConfig.ready()`, as it does document sections:

    from portal.dashboards.registry import PROGRAMME, Panel, register

    register(Panel(
        key="implementation.staircase",
        title=_("Implementation staircase"),
        scope=PROGRAMME,                         # or PRINCIPAL
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
selector (an app keeps them in `<app>/selectors/dashboard.py`): it runs a
fixed number of queries, whatever the size of the programme; the tests pin
each panel's count. Drawing and caching a panel is `portal.dashboards.cache`.

Filters are one form for the whole dashboard (period, sector, and choice
filters that apps register, such as governance's bodies), so a dashboard URL
with its query string is shareable and every panel reads the same values.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from portal import selectors
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


# The kernel's own panel ------------------------------------------------------


def programme_figures(request: PanelRequest) -> dict[str, Any]:
    """Principals, operations, people and members. Three queries."""
    return {"overview": selectors.tenant_overview(tenant=request.tenant)}


def register_portal_panels() -> None:
    register(
        Panel(
            key="portal.figures",
            title=_("The programme in figures"),
            scope=PROGRAMME,
            template="portal/dashboard.html#figures",
            context=programme_figures,
            order=90,
            lazy=True,
        )
    )
