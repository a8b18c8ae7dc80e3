"""Bodies and their members over time."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Body, BodyMember, BodyRole
from portal import audit
from portal.models import Person, Principal, Tenant, User
from portal.services import DomainError, create_audited, set_archived, update_audited


@transaction.atomic
def body_create(
    *, actor: User | None, tenant: Tenant, name: str, kind: str, code: str, description: str = ""
) -> Body:
    return create_audited(
        Body(
            tenant=tenant, name=name, kind=kind, code=code.strip().upper(), description=description
        ),
        actor=actor,
        tenant=tenant,
    )


@transaction.atomic
def body_update(*, actor: User, body: Body, **fields: object) -> Body:
    if "code" in fields and isinstance(fields["code"], str):
        fields["code"] = fields["code"].strip().upper()
    return update_audited(body, actor=actor, tenant=body.tenant, fields=dict(fields))


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
    _same_tenant(body.tenant, person.tenant, represents_principal, represents_body)
    if role in (BodyRole.CHAIR, BodyRole.VICE_CHAIR):
        sitting = BodyMember.objects.filter(
            body=body, role=role, start_date__lt=start_date
        ).exclude(end_date__lt=start_date)
        for seat in sitting.select_for_update():
            before = audit.snapshot(seat)
            seat.end_date = start_date - datetime.timedelta(days=1)
            seat.save(update_fields=["end_date"])
            audit.log(
                actor=actor,
                tenant=body.tenant,
                action="end_period",
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


def _same_tenant(tenant: Tenant, *others: object) -> None:
    for other in others:
        if other is not None and getattr(other, "tenant_id", tenant.pk) != tenant.pk:
            raise DomainError(_("Everything must belong to the same programme."))
