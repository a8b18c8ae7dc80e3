"""Template filters for the implementation pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from implementation.selectors.goals import as_number

register = template.Library()


@register.filter
def indicator_value(value: Decimal | None, kind: str) -> str:
    """A value as its indicator's kind says: yes/no, a share in %, or a number."""
    if value is None:
        return ""
    if kind == "ja_nej":
        return _("Yes") if value == 1 else _("No")
    if kind == "andel":
        return f"{as_number(value)} %"
    return as_number(value)
