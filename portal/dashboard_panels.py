"""Portal's own dashboard panel: the programme in figures (the directory)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal import dashboards, selectors
from portal.dashboards import PanelRequest


def programme_figures(request: PanelRequest) -> dict[str, Any]:
    """Principals, operations, people and members. Three queries."""
    return {"overview": selectors.tenant_overview(tenant=request.tenant)}


def register_portal_panels() -> None:
    dashboards.register(
        dashboards.Panel(
            key="portal.figures",
            title=_("The programme in figures"),
            scope=dashboards.PROGRAMME,
            template="portal/dashboard.html#figures",
            context=programme_figures,
            order=90,
            lazy=True,
        )
    )
