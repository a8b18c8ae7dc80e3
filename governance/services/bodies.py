"""Bodies and their members over time."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Body, BodyMember, BodyRole
from portal import audit
from portal.models import Person, Principal, Tenant, User
from portal.services import (
    DomainError,
    create_audited,
    ensure_same_tenant,
    set_archived,
    update_audited,
)


@transaction.atomic
def body_create(
    *, actor: User | None, tenant: Tenant, name: str, kind: str, code: str, description: str = ""
) -> Body:
    body = Body(
        tenant=tenant,
        name=name.strip(),
        kind=kind,
        code=code.strip().upper(),
        description=description,
    )
    _ensure_unique(body)
    return create_audited(body, actor=actor, tenant=tenant)


@transaction.atomic
def body_update(
    *, actor: User, body: Body, expected_version: int | None = None, **fields: object
) -> Body:
    if "code" in fields and isinstance(fields["code"], str):
        fields["code"] = fields["code"].strip().upper()
    if "name" in fields and isinstance(fields["name"], str):
        fields["name"] = fields["name"].strip()
    _ensure_unique(
        body,
        name=str(fields.get("name", body.name)),
        code=str(fields.get("code", body.code)),
    )
    return update_audited(
        body,
        actor=actor,
        tenant=body.tenant,
        fields=dict(fields),
        expected_version=expected_version,
    )


def _ensure_unique(body: Body, *, name: str | None = None, code: str | None = None) -> None:
    """Name and abbreviation are unique in the programme, whatever the case.

    Checked here so the refusal names the field (the constraint's own message
    is a non-field error that names neither clearly)."""
    name = body.name if name is None else name
    code = body.code if code is None else code
    others = Body.objects.filter(tenant_id=body.tenant_id).exclude(pk=body.pk)
    errors: dict[str, str] = {}
    if code and others.filter(code__iexact=code).exists():
        errors["code"] = _("Another body of the programme already uses this abbreviation.")
    if name and others.filter(name__iexact=name).exists():
        errors["name"] = _("Another body of the programme already has this name.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def body_set_archived(*, actor: User, body: Body, archived: bool) -> Body:
    return set_archived(body, actor=actor, tenant=body.tenant, archived=archived)


@transaction.atomic
def body_member_add(
    *,
    actor: User | None,
    body: Body,
    person: Person,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    represents_principal: Principal | None = None,
    represents_body: Body | None = None,
) -> BodyMember:
    """Seat a person in a body from `start_date`.

    A chair (or vice chair) is one person at a time: seating a new one ends the
    sitting one's period the day before, so the change is a new period and the
    history keeps who chaired when.
    """
    ensure_same_tenant(body.tenant_id, [person, represents_principal, represents_body])
    if role in (BodyRole.CHAIR, BodyRole.VICE_CHAIR):
        # Lock the body so two new chairs seated at once cannot both stay open.
        Body.objects.select_for_update().filter(pk=body.pk).first()
        overlapping = BodyMember.objects.filter(body=body, role=role).exclude(
            end_date__lt=start_date
        )
        later = overlapping.filter(start_date__gte=start_date)
        if end_date is not None:
            later = later.filter(start_date__lte=end_date)
        if later.exists():
            raise DomainError(
                _(
                    "The body already has someone in this role from that date or later. "
                    "End or correct that period first."
                )
            )
        for seat in overlapping.filter(start_date__lt=start_date).select_for_update():
            before = audit.snapshot(seat)
            seat.end_date = start_date - datetime.timedelta(days=1)
            seat.save(update_fields=["end_date"])
            audit.log(
                actor=actor,
                tenant=body.tenant,
                action="body_member.period.end",
                obj=seat,
                before=before,
                after=audit.snapshot(seat),
            )
    member = BodyMember(
        tenant=body.tenant,
        body=body,
        person=person,
        role=role,
        start_date=start_date,
        end_date=end_date,
        represents_principal=represents_principal,
        represents_body=represents_body,
    )
    return create_audited(member, actor=actor, tenant=body.tenant)


@transaction.atomic
def body_member_end(*, actor: User, member: BodyMember, end_date: datetime.date) -> BodyMember:
    """End a seat. The period stays in the history; nothing is deleted."""
    if member.end_date is not None and member.end_date <= end_date:
        raise DomainError(_("This period has already ended."))
    return update_audited(member, actor=actor, tenant=member.tenant, fields={"end_date": end_date})
