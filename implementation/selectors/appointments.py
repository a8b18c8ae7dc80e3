"""Reads for appointments, and the indicators derived from them: how many are
appointed per principal and per sector, and whether every municipality has
appointed each function."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from implementation.models import Appointment, AppointmentFunction
from portal.models import Principal, PrincipalKind, Sector, Tenant


def current_on(day: datetime.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def appointment_list(
    *,
    tenant: Tenant,
    on: datetime.date | None,
    principal: Principal | None = None,
    function: AppointmentFunction | None = None,
) -> QuerySet[Appointment]:
    """Appointments (current on `on`, or all when None), not archived, with
    what their rows show loaded."""
    qs = Appointment.objects.filter(tenant=tenant, archived_at__isnull=True).select_related(
        "function", "principal", "operation", "person"
    )
    if on is not None:
        qs = qs.filter(current_on(on))
    if principal is not None:
        qs = qs.filter(principal=principal)
    if function is not None:
        qs = qs.filter(function=function)
    return qs.order_by("principal__name", "function__position", "person__name", "id")


@dataclass
class CountRow:
    label: str
    counts: list[int]
    principal: Principal | None = None

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Coverage:
    function: AppointmentFunction
    missing: list[Principal] = field(default_factory=list)
    municipalities: int = 0

    @property
    def everywhere(self) -> bool:
        return self.municipalities > 0 and not self.missing


@dataclass
class Summary:
    functions: list[AppointmentFunction]
    by_principal: list[CountRow]
    by_sector: list[CountRow]
    coverage: list[Coverage]


def appointment_summary(*, tenant: Tenant, on: datetime.date) -> Summary:
    """The derived indicators of the appointments current on `on`. Three queries."""
    functions = list(
        AppointmentFunction.objects.filter(tenant=tenant, archived_at__isnull=True).order_by(
            "position", "name"
        )
    )
    index = {f.pk: i for i, f in enumerate(functions)}
    principals = list(
        Principal.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("name")
    )
    current = Appointment.objects.filter(
        current_on(on), tenant=tenant, archived_at__isnull=True, function_id__in=list(index)
    ).values_list("function_id", "principal_id", "operation__sector")
    by_principal = {p.pk: CountRow(p.name, [0] * len(functions), p) for p in principals}
    sectors: dict[str, CountRow] = {}
    appointed: dict[int, set[int]] = {f.pk: set() for f in functions}
    whole = str(_("The principal as a whole"))
    labels = dict(Sector.choices)
    for function_id, principal_id, sector in current:
        column = index[function_id]
        if principal_id in by_principal:
            by_principal[principal_id].counts[column] += 1
        key = sector or ""
        if key not in sectors:
            label = str(labels[sector]) if sector else ""
            sectors[key] = CountRow(label or whole, [0] * len(functions))
        sectors[key].counts[column] += 1
        appointed[function_id].add(principal_id)
    municipalities = [p for p in principals if p.kind == PrincipalKind.MUNICIPALITY]
    coverage = [
        Coverage(
            function=f,
            missing=[m for m in municipalities if m.pk not in appointed[f.pk]],
            municipalities=len(municipalities),
        )
        for f in functions
    ]
    # The principal as a whole ("") first, then the sectors by name.
    sector_rows = sorted(sectors.items(), key=lambda item: (item[0] != "", item[1].label))
    return Summary(
        functions=functions,
        by_principal=list(by_principal.values()),
        by_sector=[row for _, row in sector_rows],
        coverage=coverage,
    )


def appointment_row(*, tenant: Tenant, pk: int) -> Appointment | None:
    """One appointment as a row of the list shows it (archived or not)."""
    return (
        Appointment.objects.filter(tenant=tenant, pk=pk)
        .select_related("function", "principal", "operation", "person")
        .first()
    )
