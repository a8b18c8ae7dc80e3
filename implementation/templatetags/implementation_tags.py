"""Template filters for the implementation pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from implementation.selectors.goals import as_number

register = template.Library()

HISTORY_ANCHOR = "#panel-implementation-history"


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


@register.simple_tag
def step_cell(cell: Any, url: str, sector: str = "", to_history: bool = True) -> SafeString:
    """One cell of the dashboard's staircase matrix (implementation.selectors.
    dashboard.MatrixCell, or None where the principal has no operation in the sector):
    the step as colour and text, linked to the principal's history. A tag
    rather than an include, because the matrix has a cell for every principal
    and sector."""
    if cell is None:
        return format_html(
            '<td class="step-cell step-cell--none"><span aria-hidden="true">·</span>'
            '<span class="visually-hidden">{}</span></td>',
            _("No operation"),
        )
    if to_history:
        url += (("?" + urlencode({"sector": sector})) if sector else "") + HISTORY_ANCHOR
    if not cell.steps:
        return format_html(
            '<td class="step-cell step-cell--unassessed"><a href="{}">{}</a></td>',
            url,
            _("Not assessed"),
        )
    note = (
        format_html(
            '<span class="step-cell__note">{}</span>',
            _("%(assessed)s of %(total)s assessed")
            % {"assessed": cell.assessed, "total": cell.total},
        )
        if cell.total > 1
        else ""
    )
    return format_html(
        '<td class="step-cell step-cell--{}"><a href="{}">{}</a>{}</td>',
        cell.lowest,
        url,
        _("Step %(step)s") % {"step": cell.text},
        note,
    )
