"""The implementation app's sections of the principal snapshot PDF: staircase
history, indicators against targets and appointed functions."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from implementation.models import AssessmentStatus, SelfAssessment
from implementation.selectors import dashboard
from implementation.selectors.appointments import appointment_list
from portal.dashboards.registry import add_months
from portal.documents import registry as documents
from portal.models import Principal

# The snapshot's charts cover the same span as the dashboard's longest period.
SNAPSHOT_MONTHS = 60


def _span() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return add_months(today.replace(day=1), -SNAPSHOT_MONTHS + 1), today


def staircase_history(principal: Principal) -> dict[str, Any]:
    """Every approved assessment of the principal and its operations, oldest
    first, and the dashboard's staircase timeline chart of them."""
    assessments = (
        SelfAssessment.objects.filter(
            tenant=principal.tenant_id, principal=principal, status=AssessmentStatus.APPROVED
        )
        .select_related("operation", "sub_project", "computed_step", "override_step")
        .order_by("approved_at", "id")
    )
    since, until = _span()
    chart = dashboard.timeline(principal=principal, since=since, until=until)["chart"]
    return {"assessments": list(assessments), "chart": chart}


def indicators(principal: Principal) -> dict[str, Any]:
    """Each active per-principal indicator with the principal's latest value
    against its target: the dashboard's rows and chart."""
    since, until = _span()
    return dashboard.indicator_summary(principal=principal, since=since, until=until)


def appointments(principal: Principal) -> dict[str, Any]:
    return {
        "appointments": list(
            appointment_list(tenant=principal.tenant, on=timezone.localdate(), principal=principal)
        )
    }


def register() -> None:
    for key, title, template, context, order in (
        ("implementation.staircase", _("Staircase history"), "staircase", staircase_history, 10),
        (
            "implementation.indicators",
            _("Indicators against targets"),
            "indicators",
            indicators,
            20,
        ),
        (
            "implementation.appointments",
            pgettext_lazy("principal snapshot", "Appointed functions"),
            "appointments",
            appointments,
            30,
        ),
    ):
        documents.register_section(
            "principal_snapshot",
            documents.Section(
                key=key,
                title=title,
                template=f"implementation/pdf/_principal_{template}.html",
                context=context,
                order=order,
            ),
        )
