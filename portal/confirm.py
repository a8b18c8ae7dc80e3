"""One confirmation page for every archive, remove, end and cancel action.

A view asks before it archives (or removes, ends, cancels) with a `Confirm`:
what the page and the question say, what happens, the button, where Cancel
goes. `render_confirm` renders `portal/confirm.html`: the whole page, or for
htmx the question swapped into the row (or section) it is about.

The texts are translated where the `Confirm` is built, with the same msgids
the templates had; `said` gives a text with values escaped as
`{% blocktranslate %}` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django import forms
from django.http import HttpResponse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from portal.htmx import render_page
from portal.tenancy import TenantRequest


def said(text: str, **values: Any) -> SafeString:
    """A translated text (our own catalogue, so trusted) with its `%(name)s`
    values escaped, as `{% blocktranslate %}` renders it."""
    if not values:
        return mark_safe(text)
    return mark_safe(text % {name: conditional_escape(v) for name, v in values.items()})


@dataclass(frozen=True)
class Confirm:
    """What one confirmation asks. Texts are already translated."""

    title: str  # the page's <title>
    heading: str  # the page's <h1>
    action: str  # where the form posts
    button: str  # the button's label
    cancel_url: str  # where Cancel goes without JavaScript
    text: str = ""  # what happens, in a paragraph
    button_more: str = ""  # the rest of the button's name, for screen readers
    cancel_label: str = ""  # default "Cancel"
    danger: bool = True  # a red button
    autofocus: bool = True  # focus the button when swapped in
    stacked: bool = False  # a form of several fields, one under the other
    text_first: bool = False  # the paragraph before the form's fields
    form_id: str = ""
    back_url: str = ""  # a link above the heading
    back_label: str = ""
    lead: str = ""  # a paragraph under the heading, outside the form
    quote: str = ""  # a quoted text under the heading (line breaks kept)
    form_quote: str = ""  # a quoted text in the form, after its fields
    # For htmx: the element (by id) that the question replaces and the answer
    # replaces again; the question's own heading; Cancel's request for the
    # element back. Without a target the form posts as a plain page.
    target: str = ""
    form_title: str = ""
    form_title_id: str = ""
    level: int = 2
    cancel_get: str = ""
    cancel_target: str = ""  # Cancel's answer replaces this element instead
    # The element the question stands in: `wrap` on the page and for htmx
    # (an agenda item's <article>), or `row` for htmx only (a table row).
    wrap: Literal["", "article", "div"] = ""
    wrap_class: str = ""
    row: Literal["", "tr", "li", "div"] = ""
    row_class: str = ""
    colspan: int = 0


def render_confirm(request: TenantRequest, confirm: Confirm, form: forms.BaseForm) -> HttpResponse:
    """The confirmation page, or for htmx the question in its row."""
    partial = "row" if confirm.row else "confirm"
    context = {"confirm": confirm, "form": form}
    return render_page(request, "portal/confirm.html", context, partial=partial)
