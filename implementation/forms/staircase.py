"""Forms for editing the staircase. They validate; the views write through
`implementation.services.staircase`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from implementation.models import Criterion, Step
from portal.forms import VersionedForm


class StepForm(VersionedForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the step means in practice."),
    )
    goal = forms.CharField(
        label=_("Goal of the step"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What has been achieved when the step is reached."),
    )

    def __init__(self, data: Any = None, *, step: Step | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"step-{step.pk if step else 'new'}-%s")
        if step is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": step.name,
                    "description": step.description,
                    "goal": step.goal,
                    "version": step.version,
                },
            )
        super().__init__(data, **kwargs)
        self.fields["name"].widget.attrs["data-autofocus"] = ""


class CriterionForm(VersionedForm, forms.Form):
    text = forms.CharField(
        label=_("Criterion"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A statement that is either established or not, e.g. “A decision is made”."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        criterion: Criterion | None = None,
        step: Step | None = None,
        **kwargs: Any,
    ) -> None:
        ident = f"criterion-{criterion.pk}" if criterion else f"step-{step.pk if step else 'x'}-new"
        kwargs.setdefault("auto_id", f"{ident}-%s")
        if criterion is not None:
            kwargs.setdefault("initial", {"text": criterion.text, "version": criterion.version})
        super().__init__(data, **kwargs)
        self.fields["text"].widget.attrs["data-autofocus"] = ""
