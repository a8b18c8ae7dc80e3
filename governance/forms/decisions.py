"""Forms for the decision register: its filters and repealing a decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from governance.models import Body, Decision, DecisionStatus
from portal.models import Tenant


class DecisionFilterForm(forms.Form):
    """The register's filters, read from the query string. An invalid value
    (say, another programme's body) is reported and that filter ignored."""

    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Body"), queryset=Body.objects.none(), required=False, empty_label=_("All bodies")
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(
        label=_("Text or reference"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words in the decision, or a reference such as “SG 2025 §12”."),
    )

    def __init__(
        self, data: Any = None, *, tenant: Tenant, years: list[int], **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "decision-filter-%s")
        super().__init__(data, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        # Archived bodies keep their decisions, so they stay in the filter.
        body.queryset = Body.objects.filter(tenant=tenant).order_by("name")
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [("", _("All years")), *((y, str(y)) for y in years)]
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("All statuses")), *DecisionStatus.choices]

    def filters(self) -> dict[str, Any]:
        """The valid filters, as keyword arguments of `decision_register`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "body": data.get("body"),
            "year": data.get("year"),
            "status": data.get("status") or "",
            "text": data.get("q") or "",
        }


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        decision: Decision = obj
        text = Truncator(decision.text).chars(80)
        return f"{decision.reference} ({decision.decided_on:%Y-%m-%d}): {text}"


class DecisionRepealForm(forms.Form):
    replaced_by = DecisionChoiceField(
        label=_("Replaced by"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("— repealed, not replaced —"),
        help_text=_("A later decision of the programme that replaces this one, if any."),
    )

    def __init__(
        self, data: Any = None, *, decision: Decision, choices: Any, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"decision-{decision.pk}-repeal-%s")
        super().__init__(data, **kwargs)
        field = self.fields["replaced_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = choices
        field.widget.attrs["data-autofocus"] = ""
