"""Good examples: written and published by process leaders (the views check).
An unpublished example is a draft for process leaders and the principal's
reporters; publishing makes it visible to everyone in the programme."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from implementation.models import GoodExample, Step, WellbeingArea
from implementation.services.common import create_with, update_with
from portal.models import Operation, Person, Principal, Tenant, User
from portal.services import ensure_same_tenant, set_archived, update_audited

M2M = ("operations", "steps", "wellbeing_areas")


def _check(principal: Principal | None, operations: Iterable[Operation] | None) -> None:
    if principal is None or operations is None:
        return
    if any(op.principal_id != principal.pk for op in operations):
        raise ValidationError({"operations": _("Choose operations of the example's principal.")})


@transaction.atomic
def example_create(
    *,
    actor: User | None,
    tenant: Tenant,
    title: str,
    principal: Principal,
    description: str,
    operations: Iterable[Operation] = (),
    steps: Iterable[Step] = (),
    wellbeing_areas: Iterable[WellbeingArea] = (),
    contact_person: Person | None = None,
    status: str = "pagaende",
    published: bool = False,
) -> GoodExample:
    ensure_same_tenant(tenant.pk, [principal, contact_person])
    operations = list(operations)
    _check(principal, operations)
    example = GoodExample(
        tenant=tenant,
        title=title.strip(),
        principal=principal,
        description=description.strip(),
        contact_person=contact_person,
        status=status,
        published_at=timezone.now() if published else None,
    )
    create_with(
        example,
        actor=actor,
        tenant=tenant,
        m2m={"operations": operations, "steps": steps, "wellbeing_areas": wellbeing_areas},
    )
    return example


@transaction.atomic
def example_update(
    *,
    actor: User | None,
    example: GoodExample,
    expected_version: int | None = None,
    **fields: Any,
) -> GoodExample:
    ensure_same_tenant(example.tenant_id, [fields.get("principal"), fields.get("contact_person")])
    if "operations" in fields:
        fields["operations"] = list(fields["operations"])
    _check(fields.get("principal", example.principal), fields.get("operations"))
    if "operations" not in fields and "principal" in fields:
        _check(fields["principal"], list(example.operations.all()))
    for name in ("title", "description"):
        if name in fields:
            fields[name] = str(fields[name]).strip()
    update_with(
        example,
        actor=actor,
        tenant=example.tenant,
        fields=fields,
        m2m_names=M2M,
        expected_version=expected_version,
    )
    return example


@transaction.atomic
def example_set_published(
    *, actor: User | None, example: GoodExample, published: bool
) -> GoodExample:
    if example.is_published == published:
        return example
    return update_audited(
        example,
        actor=actor,
        tenant=example.tenant,
        fields={"published_at": timezone.now() if published else None},
    )


@transaction.atomic
def example_set_archived(*, actor: User, example: GoodExample, archived: bool) -> GoodExample:
    return set_archived(example, actor=actor, tenant=example.tenant, archived=archived)
