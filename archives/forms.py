"""Forms of the archive page: an archive package, a retention rule, a hold."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from archives.models import PeriodUnit, RecordKind, RetentionAction, RetentionRule
from archives.services import MAX_PERIOD
from portal import dates
from portal.forms import VersionedForm


class PackageForm(dates.PeriodForm):
    pass


class RuleForm(VersionedForm, forms.Form):
    action = forms.ChoiceField(
        label=_("Rule"), choices=RetentionAction.choices, widget=forms.RadioSelect
    )
    period = forms.IntegerField(
        label=_("Dispose after"),
        required=False,
        min_value=1,
        max_value=MAX_PERIOD,
        help_text=_("How long after the date the rule counts from."),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=PeriodUnit.choices)
    basis = forms.CharField(
        label=_("Basis"),
        required=False,
        max_length=300,
        help_text=_("The decision or document plan the rule follows (e.g. a gallringsbeslut)."),
    )

    def __init__(self, *args: Any, rule: RetentionRule, **kwargs: Any) -> None:
        initial = {
            "action": rule.action,
            "period": rule.period,
            "unit": rule.unit,
            "basis": rule.basis,
        }
        if rule.pk is not None:
            initial["version"] = rule.version
        super().__init__(*args, initial=initial, **kwargs)
        self.rule = rule

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        disposes = cleaned_data.get("action") == RetentionAction.DISPOSE
        if disposes and not cleaned_data.get("period") and "period" not in self.errors:
            self.add_error("period", _("Give how long the records are kept before disposal."))
        return cleaned_data


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=RecordKind.choices)
    object_id = forms.IntegerField(
        label=_("Record id"),
        required=False,
        min_value=1,
        max_value=2**62,
        help_text=_("Leave empty to hold every record of the kind."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
