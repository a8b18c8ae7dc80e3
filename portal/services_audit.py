"""Writes about the audit log itself: nobody edits the log, but taking a copy
of it out of the portal is an event of its own."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from portal import audit
from portal.models import AuditEvent, Tenant, User


@transaction.atomic
def audit_log_export(*, actor: User, tenant: Tenant, filters: dict[str, Any]) -> AuditEvent:
    """Record that `actor` exported the programme's log with `filters` (the
    ones set, as text): the programme is the object, since the export is of
    its log rather than of any one event."""
    used = {
        name: value.isoformat() if isinstance(value, datetime.date) else str(value)
        for name, value in filters.items()
        if value not in (None, "")
    }
    return audit.log(
        actor=actor, tenant=tenant, action="tenant.audit.export", obj=tenant, after=used
    )
