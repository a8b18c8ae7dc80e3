"""Template filters for the implementation pages."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.safestring import SafeString, mark_safe
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
    the step as colour and text, linked to the principal's history."""
    return mark_safe(_cell(cell, url, sector, to_history, _Words()))  # escaped in _cell


@register.simple_tag
def sector_cells(row: Any) -> SafeString:
    """The sector cells of a row of the staircase matrix (implementation.
    selectors.dashboard.MatrixRow), each as `step_cell` draws it. One tag per
    row rather than per cell, and the words looked up once, because the
    matrix has a cell for every principal and sector."""
    words = _Words()
    url, to_history = row.url, row.to_history
    return mark_safe(  # escaped in _cell
        "".join(_cell(cell, url, sector, to_history, words) for sector, cell in row.cells)
    )


class _Words:
    """The cell's words in the active language, each looked up once."""

    def __init__(self) -> None:
        self.no_operation = escape(_("No operation"))
        self.not_assessed = escape(_("Not assessed"))
        self.assessed = _("%(assessed)s of %(total)s assessed")
        self.step = _("Step %(step)s")


@lru_cache(maxsize=64)
def _sector_query(sector: str) -> str:
    return ("?" + urlencode({"sector": sector})) if sector else ""


def _cell(cell: Any, url: str, sector: str, to_history: bool, words: _Words) -> str:
    """The cell's HTML, every value in it escaped (as `format_html` would:
    Django's `escape` is `html.escape`, called here without its lazy wrapper)."""
    if cell is None:
        return (
            '<td class="step-cell step-cell--none"><span aria-hidden="true">·</span>'
            f'<span class="visually-hidden">{words.no_operation}</span></td>'
        )
    if to_history:
        url += _sector_query(sector) + HISTORY_ANCHOR
    href = escape(url)
    if not cell.steps:
        return (
            f'<td class="step-cell step-cell--unassessed"><a href="{href}">'
            f"{words.not_assessed}</a></td>"
        )
    note = (
        '<span class="step-cell__note">'
        + escape(words.assessed % {"assessed": cell.assessed, "total": cell.total})
        + "</span>"
        if cell.total > 1
        else ""
    )
    text = escape(words.step % {"step": cell.text})
    return (
        f'<td class="step-cell step-cell--{escape(str(cell.lowest))}"><a href="{href}">{text}</a>'
        f"{note}</td>"
    )
