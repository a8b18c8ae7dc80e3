"""Hostile input for the property-based tests: the values people and scripts
send that forms must refuse calmly — overlong text, invalid dates, markup and
script, foreign and missing ids, odd unicode — and a small HTML form reader
that finds each page's fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from hypothesis import strategies as st

SCRIPT = "<script>alert('xss')</script>"
MARKUP = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "</textarea><b>fet</b>",
    "{{ 7*7 }}{% debug %}",
    "javascript:alert(1)",
    "' OR 1=1 --",
    "**fet** - lista\n- punkt",
]
ODD_UNICODE = [
    "\x00",  # NUL: PostgreSQL text cannot hold it
    "a\x00b",
    "\u202eRTL-override\u202c",
    "\u200f\u200e\u200b",  # RTL/LTR marks, zero-width space
    "e\u0301\u0301\u0301\u0301",  # stacked combining accents
    "👩‍👩‍👧‍👦🏳️‍🌈",  # ZWJ emoji sequences
    "\U0001d54f\U00010348",  # astral plane letters
    "\ufeff\ufffe",  # BOM and a non-character
    "\r\n\t\x0b\x0c",
    "Ω" * 3 + "ǅ",
]
BAD_DATES = [
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "31/12/2026",
    "9999-12-31",
    "0001-01-01",
    "2026-06-01T25:61",
    "igår",
    "-1",
]
# The ends of the calendar, just outside the portal's range (1990–2100), and
# the nights the clocks change in Sweden: 02:30 on 30 March 2025 does not
# exist, 02:30 on 26 October 2025 happens twice.
EXTREME_DATES = ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"]
EXTREME_DATETIMES = [
    "0001-01-01T00:00",
    "0001-01-01T00:30",
    "1989-12-31T23:59",
    "2101-01-01T00:00",
    "9999-12-31T23:59",
    "2025-03-30T02:30",
    "2025-10-26T02:30",
]
EXTREME_MONTHS = ["0001-01", "1989-12", "2101-01", "9999-12", "0000-00"]
EXTREMES = {
    "date": EXTREME_DATES,
    "datetime-local": EXTREME_DATETIMES + EXTREME_DATES,
    "month": EXTREME_MONTHS,
}
BAD_NUMBERS = ["-1", "0", "1e309", "NaN", "-Infinity", "99999999999999999999999", "1,5", "0x10"]


def overlong() -> st.SearchStrategy[str]:
    return st.integers(min_value=201, max_value=12_000).map(lambda n: ("Långt ord å " * n)[:n])


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=40),
        st.sampled_from(MARKUP),
        st.sampled_from(ODD_UNICODE),
        overlong(),
        st.just(""),
        st.just("   "),
        st.lists(st.sampled_from(MARKUP + ODD_UNICODE), min_size=2, max_size=4).map("".join),
    )


def hostile_id(ids: list[str]) -> st.SearchStrategy[str]:
    """An id: one the page offered, another programme's, a missing one, or garbage."""
    return st.one_of(
        st.sampled_from(ids) if ids else st.just("1"),
        st.integers(min_value=-5, max_value=2**63).map(str),
        st.sampled_from(["", "0", "999999999", "1 OR 1=1", "1.5", "abc"]),
        hostile_text(),
    )


@dataclass
class Field:
    name: str
    tag: str  # input, select, textarea
    type: str = "text"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormReader(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urlsplit(urljoin(self.page_url, a.get("action") or self.page_url)).path
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        if self._form is None or "name" not in a:
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            self._form.fields.setdefault(name, Field(name, "input", kind, a.get("value", "")))
        elif tag == "textarea":
            self._form.fields.setdefault(name, Field(name, "textarea", "textarea"))
        elif tag == "select":
            self._select = self._form.fields.setdefault(name, Field(name, "select", "select"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def read_forms(html: str, page_url: str) -> list[Form]:
    reader = _FormReader(page_url)
    reader.feed(html)
    return reader.forms


def value_for(f: Field, foreign_ids: list[str]) -> st.SearchStrategy[str | list[str] | None]:
    """What to send for one field; None leaves it out (a missing value)."""
    if f.name == "csrfmiddlewaretoken":
        return st.just(f.value)
    if f.type in ("date", "datetime-local", "month", "time"):
        value: st.SearchStrategy = st.one_of(
            st.sampled_from(EXTREMES.get(f.type, BAD_DATES)),
            st.sampled_from(BAD_DATES),
            hostile_text(),
        )
    elif f.type == "number":
        value = st.one_of(st.sampled_from(BAD_NUMBERS), hostile_text())
    elif f.tag == "select" or f.type in ("radio",):
        value = hostile_id([o for o in f.options if o] + foreign_ids)
    elif f.type == "checkbox":
        value = st.one_of(st.just(f.value or "on"), hostile_id(foreign_ids))
    elif f.type == "hidden":
        value = st.one_of(st.just(f.value), hostile_text(), hostile_id(foreign_ids))
    elif f.type == "file":
        return st.none()
    else:
        value = hostile_text()
    return st.one_of(st.none(), value, st.lists(value, min_size=2, max_size=3))


def form_data(form: Form, foreign_ids: list[str]) -> st.SearchStrategy[dict[str, object]]:
    fields = {name: value_for(f, foreign_ids) for name, f in form.fields.items()}
    junk = st.dictionaries(
        st.sampled_from(["pk", "id", "tenant", "tenant_id", "x"]), hostile_text(), max_size=2
    )
    return st.tuples(st.fixed_dictionaries(fields), junk).map(
        lambda pair: {k: v for k, v in {**pair[1], **pair[0]}.items() if v is not None}
    )
