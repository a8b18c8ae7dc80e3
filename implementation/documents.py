"""The implementation app's sections of the principal snapshot PDF: staircase
history, indicators against targets and appointed functions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from implementation.models import AssessmentStatus, Indicator, IndicatorValue, SelfAssessment
from implementation.selectors.appointments import appointment_list
from portal import documents
from portal.models import Principal


def staircase_history(principal: Principal) -> dict[str, Any]:
    """Every approved assessment of the principal and its operations, oldest first."""
    assessments = (
        SelfAssessment.objects.filter(
            tenant=principal.tenant_id, principal=principal, status=AssessmentStatus.APPROVED
        )
        .select_related("operation", "sub_project", "computed_step", "override_step")
        .order_by("approved_at", "id")
    )
    return {"assessments": list(assessments)}


def indicators(principal: Principal) -> dict[str, Any]:
    """Each active indicator with the principal's latest value and its target."""
    latest: dict[int, IndicatorValue] = {}
    values = IndicatorValue.objects.filter(
        tenant=principal.tenant_id, principal=principal
    ).order_by("indicator_id", "-period")
    for value in values:
        latest.setdefault(value.indicator_id, value)
    rows = [
        {"indicator": indicator, "value": latest.get(indicator.pk)}
        for indicator in Indicator.objects.filter(
            tenant=principal.tenant_id, archived_at__isnull=True, level="huvudman"
        ).order_by("name")
    ]
    return {"rows": rows}


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
