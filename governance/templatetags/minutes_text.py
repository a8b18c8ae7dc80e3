"""`{{ item.minutes|minutes_text }}`: minutes text as a safe Markdown subset.

Minutes are written in Markdown: headings, bulleted and numbered lists (nested
by indenting), links (and bare web addresses) that can be clicked, **bold**
and *italic*. The page and the PDF render them with this one function.

Two locks, so that nothing a writer types becomes markup of its own:

- markdown-it-py parses with raw HTML switched off (`<script>` stays text)
  and refuses `javascript:`, `vbscript:`, `file:` and `data:` links;
- nh3 (ammonia) then keeps only the tags and attributes below, links only to
  http(s) and mailto addresses, and gives every link `rel="noopener
  noreferrer"`; anything else — an `on*` attribute, a `style` — is dropped.

Minutes typed before Markdown read as before: blank lines separate
paragraphs, a line break stays a line break, "- " lines are a list and
**bold** is bold. Indented code blocks and underlined ("setext") headings are
switched off, so an indented or underlined line of old plain text is not
turned into code or a heading.

Headings start at `heading_level` (h4 by default: an agenda item's own title
is an h3 on the page and in the PDF), so `#` never outranks the page's
headings; deeper levels stop at h6.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "hr",
    "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

# A bare web address in the text: made a link. Trailing punctuation is the
# sentence's, not the address's.
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]'’”]", re.IGNORECASE)


def _link_bare_urls(state: StateCore) -> None:
    """A core rule: bare web addresses in text (outside links and code) become
    links, as GitHub and most editors do."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link or not _BARE_URL.search(token.content):
                children.append(token)
                continue
            children.extend(_split_links(token.content, state))
        block.children = children


def _split_links(text: str, state: StateCore) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    for match in _BARE_URL.finditer(text):
        address = match.group(0)
        href = address if "://" in address else f"https://{address}"
        if not state.md.validateLink(href):
            continue
        if match.start() > position:
            tokens.append(_text(text[position : match.start()]))
        opening = Token("link_open", "a", 1)
        opening.attrs = {"href": state.md.normalizeLink(href)}
        tokens.extend([opening, _text(address), Token("link_close", "a", -1)])
        position = match.end()
    if position < len(text):
        tokens.append(_text(text[position:]))
    return tokens


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True})
    md.disable(["code", "fence", "lheading", "image", "html_block", "html_inline"])
    md.core.ruler.push("link_bare_urls", _link_bare_urls)
    return md


_MARKDOWN = _parser()


def _shift_headings(tokens: list[Token], top: int) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1]) + top - 1
            token.tag = f"h{min(max(level, top), 6)}"


def render_minutes_text(value: str | None, heading_level: int = 4) -> SafeString:
    """Minutes text (Markdown) as sanitised HTML; headings from `heading_level`.

    Drawn once per text and level, not on every request: a text changes only
    when it is saved, and the same item is read many times (`_rendered`)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return mark_safe("")
    return _rendered(text, max(1, min(heading_level, 6)))


# Each worker keeps the HTML of the texts read last; a saved text is a new
# key, so nothing is ever stale. 2,048 texts of a few kilobytes each.
@functools.lru_cache(maxsize=2048)
def _rendered(text: str, heading_level: int) -> SafeString:
    env: dict[str, Any] = {}
    tokens = _MARKDOWN.parse(text, env)
    _shift_headings(tokens, heading_level)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    # Safe: nh3 has kept only the tags, attributes and link schemes above.
    return mark_safe(cleaned.strip())


@register.filter(is_safe=True)
def minutes_text(value: str | None, heading_level: int | str = 4) -> SafeString:
    """`{{ text|minutes_text }}`, or `{{ text|minutes_text:5 }}` under an h4."""
    try:
        level = int(heading_level)
    except (TypeError, ValueError):
        level = 4
    return render_minutes_text(value, level)
