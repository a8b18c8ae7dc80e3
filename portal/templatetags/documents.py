"""Template helpers for documents: the "Skapa PDF" panel of a page, and the
page numbers of a PDF."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from portal.documents import requests as document_requests
from portal.documents.registry import get_kind

register = template.Library()


@register.simple_tag(takes_context=True)
def document_panel(
    context: template.Context, kind_key: str, obj: Any
) -> document_requests.DocumentPanel | None:
    """`{% document_panel "minutes" meeting as panel %}`: the newest PDF of the
    object the reader may see, and whether they may ask for one (one query)."""
    return document_requests.document_panel(
        tenant=context["tenant"],
        membership=context.get("membership"),
        kind=get_kind(kind_key),
        obj=obj,
    )


_CSS_UNSAFE = re.compile(r'[\\"\n\r\f<>]')


def css_string(value: str) -> str:
    """A quoted CSS string; quotes, backslashes, line breaks and angle brackets
    escaped, so nothing in it can end the string or the <style> element."""
    return '"' + _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", value) + '"'


@register.simple_tag
def page_counter() -> SafeString:
    """The CSS `content` of the page numbers, "Sida 1 av 3", from the
    translation of "Page %(number)s of %(count)s" (word order included)."""
    label = gettext("Page %(number)s of %(count)s")
    tokens = []
    for part in re.split(r"(%\(number\)s|%\(count\)s)", label):
        if part == "%(number)s":
            tokens.append("counter(page)")
        elif part == "%(count)s":
            tokens.append("counter(pages)")
        elif part:
            tokens.append(css_string(part))
    # Safe: every literal went through css_string above.
    return mark_safe(" ".join(tokens))


@register.filter
def as_css_string(value: str) -> SafeString:
    """`{{ label|as_css_string }}` inside the PDF's <style>."""
    return mark_safe(css_string(str(value)))
