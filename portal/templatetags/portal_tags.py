from typing import Any

from django import template

from portal.permissions import can as _can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, rule: str, obj: Any = None) -> bool:
    """`{% can "governance.edit" meeting as may_edit %}` — the same rules the views use."""
    return _can(context.get("membership"), rule, obj)


@register.filter
def applied_filters(panel: Any, labels: dict[str, str]) -> str:
    """`{{ panel|applied_filters:filter_labels }}`: the filters the dashboard
    panel answers to, as they are set ("The last 2 years · Compulsory school")."""
    return " · ".join(labels[key] for key in getattr(panel, "filters", ()) if labels.get(key))
