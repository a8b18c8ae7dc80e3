"""The searchable picker every form uses to choose people (and other long
lists such as bodies and principals).

It is a list of checkboxes (several may be chosen) or radio buttons (one),
rendered in full by the server, so it works without JavaScript and needs no
search endpoint of its own: the choices are the form field's queryset, which
is already limited to the programme. `static/js/picker.js` adds a search box
above the list that hides what does not match, says how many match (aria-live)
and lets a keyboard user pick the first match with Enter. The chosen options
come first, so they stay in view however long the list is.

Why not a `<select multiple>`: with 40+ people it cannot be searched, and a
mouse user loses earlier choices with one click without Ctrl. Why not an npm
widget (tom-select, choices.js): they replace the native inputs with their own
ARIA combobox, which needs a vendored build to keep up to date and still has
open screen-reader issues; native checkboxes are understood by everything.
"""

from __future__ import annotations

from typing import Any

from django import forms


class Picker(forms.widgets.ChoiceWidget):
    """Checkboxes (`multiple=True`) or radio buttons, with a search box added
    by picker.js. Rendered inside a fieldset whose legend is the field's label."""

    template_name = "widgets/picker.html"
    option_template_name = "widgets/picker_option.html"
    use_fieldset = True
    checked_attribute = {"checked": True}

    def __init__(
        self, attrs: dict[str, Any] | None = None, choices: Any = (), *, multiple: bool = False
    ) -> None:
        super().__init__(attrs, choices)
        self.allow_multiple_selected = multiple
        self.input_type = "checkbox" if multiple else "radio"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The label split into the name and its details in brackets
        ("Anna Hägg (Utvecklingsledare, Region Kronoberg)"), shown muted."""
        option = super().create_option(*args, **kwargs)
        label = str(option["label"])
        name, bracket, details = label.partition(" (")
        if bracket and details.endswith(")"):
            option["head"], option["details"] = name, details[:-1]
        else:
            option["head"], option["details"] = label, ""
        return option

    def optgroups(self, name: str, value: list[str], attrs: Any = None) -> list[Any]:
        """One group of options, the chosen ones first (each keeps its id)."""
        groups = super().optgroups(name, value, attrs)
        options = [option for _group, group_options, _index in groups for option in group_options]
        options.sort(key=lambda option: not option["selected"])
        return [(None, options, 0)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        # A field that asks for the focus after an htmx swap (data-autofocus)
        # gets it in the search box, not in its first option.
        own, attrs = self.attrs, dict(attrs or {})
        autofocus = attrs.pop("data-autofocus", None) is not None or "data-autofocus" in own
        self.attrs = {key: value for key, value in own.items() if key != "data-autofocus"}
        try:
            context = super().get_context(name, value, attrs)
        finally:
            self.attrs = own
        context["widget"]["multiple"] = self.allow_multiple_selected
        context["widget"]["autofocus"] = autofocus
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if not self.allow_multiple_selected:
            return data.get(name)
        try:
            return data.getlist(name)
        except AttributeError:
            return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # An unticked checkbox sends nothing: a bound form means "none chosen".
        return False if self.allow_multiple_selected else name not in data

    def use_required_attribute(self, initial: Any) -> bool:
        # A browser would demand every one of the checkboxes.
        return not self.allow_multiple_selected

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        # The fieldset's legend names the group; no <label for> points at it.
        return ""
