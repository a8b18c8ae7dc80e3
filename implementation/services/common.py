"""Helpers the implementation services share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from portal import audit
from portal.models import Tenant, User, Versioned
from portal.services import changed_besides_version, claim_version, ensure_same_tenant


def snapshot_with(obj: models.Model, m2m: Iterable[str]) -> dict[str, Any]:
    """The object's fields and its many-to-many choices (as sorted ids)."""
    return {
        **(audit.snapshot(obj) or {}),
        **{name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in m2m},
    }


def create_with(
    obj: models.Model,
    *,
    actor: User | None,
    tenant: Tenant,
    m2m: Mapping[str, Iterable[models.Model]],
) -> None:
    """Validate, save, set the many-to-many choices and audit it, as one write."""
    lists = {name: list(values) for name, values in m2m.items()}
    ensure_same_tenant(tenant.pk, [v for values in lists.values() for v in values])
    obj.full_clean()
    obj.save()
    for name, values in lists.items():
        getattr(obj, name).set(values)
    audit.log(
        actor=actor,
        tenant=tenant,
        action=f"{audit.noun(obj)}.create",
        obj=obj,
        after=snapshot_with(obj, m2m),
    )


def update_with(
    obj: models.Model,
    *,
    actor: User | None,
    tenant: Tenant,
    fields: dict[str, Any],
    m2m_names: Iterable[str],
    expected_version: int | None = None,
) -> None:
    """Set `fields` (a many-to-many field's value is its new choices), validate,
    save what changed and write one audit event with before and after.
    A `Versioned` object's save based on an older version than
    `expected_version` is refused (`claim_version`), and any change of its
    fields moves its version on. A refused change leaves the object as it was."""
    names = list(m2m_names)
    lists = {name: list(fields.pop(name)) for name in names if name in fields}
    ensure_same_tenant(tenant.pk, [v for values in lists.values() for v in values])
    before = snapshot_with(obj, names)
    versioned = isinstance(obj, Versioned)
    loaded_version = obj.version if isinstance(obj, Versioned) else None
    if expected_version is not None:
        if not isinstance(obj, Versioned):
            raise TypeError(f"{type(obj).__name__} has no version to check")
        claim_version(obj, expected_version)
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    original = {name: getattr(obj, name) for name in changed}
    for name in changed:
        setattr(obj, name, fields[name])
    try:
        obj.full_clean()
    except ValidationError:
        for name, value in original.items():
            setattr(obj, name, value)
        if isinstance(obj, Versioned) and loaded_version is not None:
            obj.version = loaded_version  # the claim is rolled back with the transaction
        raise
    if changed:
        if versioned and expected_version is None:
            claim_version(obj, None)
        obj.save(update_fields=changed)
    for name, values in lists.items():
        getattr(obj, name).set(values)
    after = snapshot_with(obj, names)
    if changed_besides_version(before, after):
        audit.log(
            actor=actor,
            tenant=tenant,
            action=f"{audit.noun(obj)}.update",
            obj=obj,
            before=before,
            after=after,
        )
