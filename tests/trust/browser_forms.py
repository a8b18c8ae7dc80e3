"""Forms as a browser sees them: every control of a page's forms with its
current value (the text of a textarea, the chosen option of a select, the
ticked boxes), so a test can submit a form as it was opened, or change one
field of it, the way a person in a browser would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# What a person types into: the text controls whose value can simply be edited.
TEXT_TYPES = ("text", "textarea", "search", "tel")


@dataclass
class Option:
    value: str
    label: str = ""
    selected: bool = False


@dataclass
class Control:
    name: str
    kind: str  # an input's type, or "textarea", "select", "select-multiple"
    value: str = ""  # an input's value or a textarea's text
    checked: bool = False
    options: list[Option] = field(default_factory=list)
    maxlength: int | None = None
    label: str = ""  # a checkbox's or radio button's own label text


@dataclass
class BrowserForm:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)

    def data(self) -> dict[str, list[str]]:
        """What the browser would send for the form as it is."""
        sent: dict[str, list[str]] = {}
        for control in self.controls:
            for value in submitted(control):
                sent.setdefault(control.name, []).append(value)
        return sent

    def named(self, name: str) -> list[Control]:
        return [c for c in self.controls if c.name == name]

    def value(self, name: str) -> list[str]:
        """The field's value(s) as the form would send them."""
        return self.data().get(name, [])


def submitted(control: Control) -> list[str]:
    if control.kind in ("checkbox", "radio"):
        return [control.value or "on"] if control.checked else []
    if control.kind in ("submit", "button", "reset", "image", "file"):
        return []
    if control.kind == "select":
        chosen = [o for o in control.options if o.selected] or control.options[:1]
        return [chosen[0].value] if chosen else []
    if control.kind == "select-multiple":
        return [o.value for o in control.options if o.selected]
    return [control.value]


class _Reader(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[BrowserForm] = []
        self._form: BrowserForm | None = None
        self._textarea: Control | None = None
        self._select: Control | None = None
        self._option: Option | None = None
        self._labelled: Control | None = None  # a box inside the <label> being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            action = urlsplit(urljoin(self.page_url, a.get("action") or self.page_url)).path
            self._form = BrowserForm(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "option" and self._select is not None:
            self._option = Option(value=a.get("value", ""), selected="selected" in a)
            self._select.options.append(self._option)
            return
        if "name" not in a or "disabled" in a:
            return
        maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            control = Control(
                a["name"], kind, a.get("value", ""), checked="checked" in a, maxlength=maxlength
            )
            self._form.controls.append(control)
            if kind in ("checkbox", "radio"):
                self._labelled = control
        elif tag == "textarea":
            self._textarea = Control(a["name"], "textarea", maxlength=maxlength)
            self._form.controls.append(self._textarea)
        elif tag == "select":
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = Control(a["name"], kind)
            self._form.controls.append(self._select)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option.label += data
        elif self._labelled is not None:
            self._labelled.label += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # The line break after <textarea> is not part of its text.
            if self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "label":
            self._labelled = None


def read(html: str, page_url: str) -> list[BrowserForm]:
    reader = _Reader(page_url)
    reader.feed(html)
    reader.close()
    return reader.forms


def form_posting_to(html: str, url: str) -> BrowserForm | None:
    """The page's form that posts back to `url` (the page's own route)."""
    return next(
        (f for f in read(html, url) if f.method == "post" and f.action == url and f.controls),
        None,
    )
