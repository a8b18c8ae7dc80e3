"""Appointments: people appointed to the model's functions, per principal or
operation, over time. Process leaders write them (the views check)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from implementation.models import Appointment, AppointmentFunction
from portal.models import Operation, Person, Principal, Tenant, User
from portal.services import (
    DomainError,
    create_audited,
    ensure_same_tenant,
    set_archived,
    update_audited,
)


@transaction.atomic
def appointment_create(
    *,
    actor: User | None,
    tenant: Tenant,
    function: AppointmentFunction,
    principal: Principal,
    person: Person,
    start_date: datetime.date,
    operation: Operation | None = None,
    end_date: datetime.date | None = None,
    note: str = "",
) -> Appointment:
    ensure_same_tenant(tenant.pk, [function, principal, person, operation])
    if function.is_archived:
        raise ValidationError({"function": _("The function is archived.")})
    appointment = Appointment(
        tenant=tenant,
        function=function,
        principal=principal,
        operation=operation,
        person=person,
        start_date=start_date,
        end_date=end_date,
        note=note.strip(),
    )
    return create_audited(appointment, actor=actor, tenant=tenant)


@transaction.atomic
def appointment_update(
    *,
    actor: User | None,
    appointment: Appointment,
    expected_version: int | None = None,
    **fields: Any,
) -> Appointment:
    ensure_same_tenant(
        appointment.tenant_id,
        [fields.get(name) for name in ("function", "principal", "person", "operation")],
    )
    if "note" in fields:
        fields["note"] = str(fields["note"]).strip()
    return update_audited(
        appointment,
        actor=actor,
        tenant=appointment.tenant,
        fields=fields,
        expected_version=expected_version,
    )


@transaction.atomic
def appointment_end(
    *, actor: User | None, appointment: Appointment, end_date: datetime.date
) -> Appointment:
    """End the appointment on a day; it stays in the history."""
    if appointment.end_date is not None and appointment.end_date <= end_date:
        raise DomainError(_("The appointment has already ended."))
    return update_audited(
        appointment, actor=actor, tenant=appointment.tenant, fields={"end_date": end_date}
    )


@transaction.atomic
def appointment_set_archived(
    *, actor: User, appointment: Appointment, archived: bool
) -> Appointment:
    """For appointments entered by mistake: an ended one is ended, not archived."""
    return set_archived(appointment, actor=actor, tenant=appointment.tenant, archived=archived)
