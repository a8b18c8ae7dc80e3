"""The search box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.selectors.search import MAX_QUERY_LENGTH, full_text_available


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search words"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Searches minutes, decisions, action items and risks."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if full_text_available():
            # Only PostgreSQL's Swedish full-text search knows word forms and syntax.
            self.fields["q"].help_text = _(
                "Searches minutes, decisions, action items and risks. Swedish word forms "
                "match: “beslut” also finds “beslutar”. Use quotes for a phrase and a minus "
                "sign to leave a word out."
            )
