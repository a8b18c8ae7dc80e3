"""`{% history_link obj %}`: the "Historik" link of a record's page, to its
own events in the audit log, for those who may read the log (else nothing)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.urls import reverse
from django.utils.http import urlencode

from portal import selectors_audit

register = template.Library()


def history_url(tenant_slug: str, obj: Model) -> str:
    query = urlencode({"type": obj._meta.label_lower, "id": obj.pk})
    return f"{reverse('portal:audit_log', args=[tenant_slug])}?{query}"


@register.inclusion_tag("portal/_audit_history_link.html", takes_context=True)
def history_link(context: template.Context, obj: Model | None) -> dict[str, Any]:
    tenant = context.get("tenant")
    if obj is None or obj.pk is None or tenant is None:
        return {"url": None}
    if not selectors_audit.may_read(context.get("membership")):
        return {"url": None}
    return {"url": history_url(tenant.slug, obj)}
