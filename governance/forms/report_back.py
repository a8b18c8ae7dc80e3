"""The form a principal answers an assignment with (återkoppling)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import ActionAnswer
from portal.forms import VersionedForm

ANSWER_MAX_LENGTH = 10_000


class ActionAnswerForm(VersionedForm, forms.Form):
    """The principal's answer: text, and whether it has done what was asked.
    Opened on an existing answer it carries that answer's version."""

    text = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("What your organisation has done, or how far it has come."),
    )
    done = forms.BooleanField(
        label=_("We have done what was asked"),
        required=False,
    )

    def __init__(
        self, data: Any = None, *, answer: ActionAnswer | None, prefix_id: str, **kwargs: Any
    ) -> None:
        kwargs.pop("initial", None)
        initial: dict[str, Any] = {"version": 0}  # 0: the form showed no answer yet
        if answer is not None:
            initial = {"text": answer.text, "done": answer.done, "version": answer.version}
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(data, initial=initial, **kwargs)
        # A new answer's form carries version 0, so that a colleague's answer
        # saved meanwhile is refused as a conflict (and the form shown again
        # at that answer's version) rather than overwritten.
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1
        )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the answer."))
        return text
