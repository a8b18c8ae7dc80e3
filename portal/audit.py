"""The audit log. Every service writes exactly one event per write.

Action names are one vocabulary, `<noun>.<sub-noun>.<verb>`: lower case,
dot-separated, the noun first and the verb last, so that a reader (or a
filter such as `action__startswith="meeting.minutes."`) finds every event of
one kind of thing together, as in pretix's `pretix.event.order.paid`:

- the noun is the audited object's model in snake case (`noun()`): `meeting`,
  `agenda_item`, `self_assessment`, `totp_device`; it is also `object_type`;
- sub-nouns name the part of the object the write touched:
  `meeting.minutes.approve`, `meeting.attendance.mark_others`,
  `staircase.step.remove`;
- the verb says what happened: `meeting.create`, `risk.archive`,
  `assessment_attachment.add`, `data_export.stream`.

The plain writes of `portal.services` (`create_audited`, `update_audited`,
`set_archived`) name themselves `<noun>.create`, `<noun>.update`,
`<noun>.archive` and `<noun>.restore`. `log()` refuses a name that does not
follow the convention or whose noun is not the object's, so a bare verb
cannot come back. Rows written before the convention are renamed by the
migration `portal.0007_audit_vocabulary` and, in an older programme archive,
on import (`portal.audit_renames`).
"""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from typing import Any

from django.db import models

from portal.models import AuditEvent, Tenant, User

ACTION_PATTERN = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def noun(obj: models.Model | type[models.Model]) -> str:
    """The first word of the object's action names: its model in snake case
    (`AgendaItem` → `agenda_item`, `TOTPDevice` → `totp_device`)."""
    return _WORD_BREAK.sub("_", obj._meta.object_name or "").lower()


def check_action(action: str, obj: models.Model | type[models.Model]) -> None:
    """Refuse an action name outside the convention (see the module docstring)."""
    if not ACTION_PATTERN.fullmatch(action):
        raise ValueError(f"Audit action {action!r} is not <noun>.<verb> (e.g. meeting.create).")
    if action.split(".", 1)[0] != noun(obj):
        raise ValueError(f"Audit action {action!r} does not start with its noun {noun(obj)!r}.")


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
    check_action(action, obj)
    return AuditEvent.objects.create(
        tenant=tenant,
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        before=before,
        after=after,
    )
