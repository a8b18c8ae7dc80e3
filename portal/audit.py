"""The audit log. Every service writes exactly one event per write."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from portal.models import AuditEvent, Tenant, User


def snapshot(obj: models.Model | None, *, exclude: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """The concrete field values of `obj` as JSON-safe data (FKs as ids)."""
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.name == "password":
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    return value


def log(
    *,
    actor: User | None,
    tenant: Tenant | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        tenant=tenant,
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        before=before,
        after=after,
    )
