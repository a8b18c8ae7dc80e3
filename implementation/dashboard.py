"""The implementation app's dashboard panels: the staircase matrix, reporting
completeness, progress over time and indicators against targets for the
programme; the staircase timeline, operations, indicators, appointments and
good examples for each principal.

What each panel shows, to whom, in which order; what it reads is its selector
in `implementation/selectors/dashboard.py`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from implementation.selectors.dashboard import (
    indicators_against_targets,
    principal_appointments,
    principal_examples,
    principal_indicators,
    principal_operations,
    progress_over_time,
    reporting_completeness,
    staircase_matrix,
    staircase_timeline,
)
from portal.dashboards import registry

TEMPLATE = "implementation/_dashboard.html"


def register() -> None:
    for panel in (
        registry.Panel(
            key="implementation.staircase",
            title=_("The implementation staircase"),
            scope=registry.PROGRAMME,
            lazy=True,
            template=f"{TEMPLATE}#staircase_matrix",
            context=staircase_matrix,
            order=10,
            filters=("sector",),
        ),
        registry.Panel(
            key="implementation.completeness",
            title=_("Reporting completeness"),
            scope=registry.PROGRAMME,
            lazy=True,
            template=f"{TEMPLATE}#completeness",
            context=reporting_completeness,
            order=20,
            filters=("sector",),
        ),
        registry.Panel(
            key="implementation.progress",
            title=_("Progress over time"),
            scope=registry.PROGRAMME,
            template=f"{TEMPLATE}#progress",
            context=progress_over_time,
            order=30,
            filters=("period", "sector"),
            lazy=True,
        ),
        registry.Panel(
            key="implementation.indicators",
            title=_("Indicators against targets"),
            scope=registry.PROGRAMME,
            template=f"{TEMPLATE}#indicators",
            context=indicators_against_targets,
            order=40,
            filters=("period",),
            lazy=True,
        ),
        registry.Panel(
            key="implementation.history",
            title=_("Staircase history"),
            scope=registry.PRINCIPAL,
            template=f"{TEMPLATE}#timeline",
            context=staircase_timeline,
            order=10,
            filters=("period", "sector"),
        ),
        registry.Panel(
            key="implementation.operations",
            title=_("Operations"),
            scope=registry.PRINCIPAL,
            template=f"{TEMPLATE}#operations",
            context=principal_operations,
            order=20,
            filters=("sector",),
        ),
        registry.Panel(
            key="implementation.principal_indicators",
            title=_("Indicators against targets"),
            scope=registry.PRINCIPAL,
            template=f"{TEMPLATE}#principal_indicators",
            context=principal_indicators,
            order=30,
            filters=("period",),
            lazy=True,
        ),
        registry.Panel(
            key="implementation.appointments",
            title=pgettext_lazy("principal snapshot", "Appointed functions"),
            scope=registry.PRINCIPAL,
            template=f"{TEMPLATE}#appointments",
            context=principal_appointments,
            order=40,
        ),
        registry.Panel(
            key="implementation.examples",
            title=_("Good examples"),
            scope=registry.PRINCIPAL,
            template=f"{TEMPLATE}#examples",
            context=principal_examples,
            order=60,
            lazy=True,
        ),
    ):
        registry.register(panel)
