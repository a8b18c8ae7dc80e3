from typing import Any

from django import template

from portal.permissions import can as _can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, rule: str, obj: Any = None) -> bool:
    """`{% can "governance.edit" meeting as may_edit %}` — the same rules the views use."""
    return _can(context.get("membership"), rule, obj)
