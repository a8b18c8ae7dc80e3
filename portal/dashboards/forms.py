"""The dashboards' filter form: one GET form for every panel of a dashboard."""

from __future__ import annotations

import datetime

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dashboards.registry import (
    DEFAULT_PERIOD_MONTHS,
    PERIOD_CHOICES,
    Filters,
    choice_filters,
)
from portal.models import Sector, Tenant


class FilterForm(forms.Form):
    """Period, sector and the registered choice filters. Invalid values fall
    back to the defaults, and the form shows why."""

    period = forms.TypedChoiceField(
        label=_("Period"),
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        empty_value=DEFAULT_PERIOD_MONTHS,  # type: ignore[arg-type]
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("All sectors")), *Sector.choices],
        required=False,
    )

    def __init__(self, data: QueryDict, *, tenant: Tenant, prefix_id: str = "dashboard") -> None:
        # Always bound (a filter form shows what it filters by), with the
        # default period when the query string names none.
        data = data.copy()
        data.setdefault("period", str(DEFAULT_PERIOD_MONTHS))
        super().__init__(data, auto_id=f"{prefix_id}-%s")
        self.fields["period"].initial = DEFAULT_PERIOD_MONTHS
        for choice_filter in choice_filters():
            self.fields[choice_filter.key] = forms.TypedChoiceField(
                label=str(choice_filter.label),
                choices=[("", _("All")), *choice_filter.choices(tenant)],
                coerce=int,
                required=False,
                empty_value=None,
            )

    def filters(self, *, today: datetime.date | None = None) -> Filters:
        today = today or timezone.localdate()
        if self.is_valid():
            data = self.cleaned_data
        else:
            data = {
                name: value for name, value in self.cleaned_data.items() if name not in self.errors
            }
        return Filters(
            months=data.get("period") or DEFAULT_PERIOD_MONTHS,
            sector=data.get("sector") or "",
            choices={f.key: data.get(f.key) for f in choice_filters()},
            today=today,
        )
