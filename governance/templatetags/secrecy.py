"""`{{ item|item_title }}`: an agenda item's title where a page names it
beside another record (an assignment's origin, where a risk was raised or a
report presented): a secret item (sekretess) is only "Sekretessbelagd
handling" there, to every reader; its own meeting page shows it in full to
those who may read it (`governance.read_secret`)."""

from __future__ import annotations

from typing import Any

from django import template

from governance.selectors.secrecy import placeholder

register = template.Library()


@register.filter
def item_title(item: Any) -> str:
    if item is None:
        return ""
    if getattr(item, "secret", False):
        return placeholder(getattr(item, "secrecy_reference", ""))
    return str(getattr(item, "title", ""))
