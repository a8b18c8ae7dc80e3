"""`{{ item.minutes|minutes_text }}`: the light formatting of minutes text.

Minutes are typed as plain text. Everything is escaped first; then blank lines
separate paragraphs, lines starting with "- " become a bulleted list and
**bold** becomes <strong>. Nothing else is interpreted, so no markup the
writer types can reach the page.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _block(block: str) -> list[str]:
    """One block between blank lines: paragraphs of lines, and lists of "- " lines."""
    html: list[str] = []
    kind = ""  # "p" or "ul": what the lines in `run` are
    run: list[str] = []
    for raw in [*block.split("\n"), ""]:
        line = raw.strip()
        is_item = line.startswith("- ") or line == "-"
        line_kind = "ul" if is_item else ("p" if line else "")
        if run and line_kind != kind:
            if kind == "p":
                html.append("<p>" + "<br>\n".join(run) + "</p>")
            else:
                html.append("<ul>\n" + "\n".join(f"<li>{i}</li>" for i in run) + "\n</ul>")
            run = []
        kind = line_kind
        entry = line[2:].strip() if is_item else line
        if entry:
            run.append(_BOLD.sub(r"<strong>\1</strong>", entry))
    return html


def render_minutes_text(value: str | None) -> SafeString:
    text = escape(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    html = [part for block in _BLANK_LINE.split(text) for part in _block(block)]
    # Safe: every piece of the input went through escape() above.
    return mark_safe("\n".join(html))


@register.filter(is_safe=True)
def minutes_text(value: str | None) -> SafeString:
    return render_minutes_text(value)
