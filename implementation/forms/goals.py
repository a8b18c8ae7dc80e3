"""Forms for focus areas and wellbeing areas, goals, indicators and values.
They validate; the views write through the services. Choices are limited to
the programme."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from implementation.forms.assessments import DateInput
from implementation.models import (
    Direction,
    FocusArea,
    Goal,
    Indicator,
    IndicatorKind,
    IndicatorLevel,
    IndicatorValue,
    NamedEntry,
    ValueSource,
    WellbeingArea,
    value_error,
)
from implementation.selectors.goals import as_number
from portal import dates
from portal.forms import VersionedForm
from portal.models import Principal

# A month, as its first day (YYYY-MM), between 1990 and 2100.
MonthField = dates.MonthField


def _set_queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class EntryForm(VersionedForm, forms.Form):
    """A focus area, wellbeing area or appointed function: name and description."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, data: Any = None, *, prefix_id: str, entry: NamedEntry | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}-{entry.pk if entry else 'new'}-%s")
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {"name": entry.name, "description": entry.description, "version": entry.version},
            )
        super().__init__(data, **kwargs)
        self.fields["name"].widget.attrs["data-autofocus"] = ""


def _goal_label(goal: Goal) -> str:
    return f"{goal.focus_area.name}: {goal.title}"


class GoalForm(VersionedForm, forms.Form):
    focus_area: forms.ModelChoiceField[FocusArea] = forms.ModelChoiceField(
        label=_("Focus area"), queryset=FocusArea.objects.none()
    )
    parent: forms.ModelChoiceField[Goal] = forms.ModelChoiceField(
        label=_("Sub-goal of"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("None: a goal of its own"),
        help_text=_("Choose a goal to make this one of its sub-goals (delmål)."),
    )
    title = forms.CharField(label=_("Goal"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    target_date = dates.DateField(label=_("Target date"), required=False, widget=DateInput)

    def __init__(
        self,
        data: Any = None,
        *,
        focus_areas: QuerySet[FocusArea],
        parents: QuerySet[Goal],
        goal: Goal | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"goal-{goal.pk if goal else 'new'}-%s")
        if goal is not None:
            kwargs["initial"] = {
                "focus_area": goal.focus_area_id,
                "parent": goal.parent_id,
                "title": goal.title,
                "description": goal.description,
                "target_date": goal.target_date,
                "version": goal.version,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(data, **kwargs)
        _set_queryset(self, "focus_area", focus_areas)
        _set_queryset(self, "parent", parents.exclude(pk=goal.pk) if goal else parents)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.label_from_instance = _goal_label  # type: ignore[method-assign,assignment]
        self.fields["title"].widget.attrs["data-autofocus"] = ""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        parent, area = cleaned_data.get("parent"), cleaned_data.get("focus_area")
        if parent is not None and area is not None and parent.focus_area_id != area.pk:
            # A sub-goal follows its goal's focus area.
            cleaned_data["focus_area"] = parent.focus_area
        return cleaned_data


class IndicatorForm(VersionedForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is measured, and how."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=IndicatorKind.choices)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=IndicatorLevel.choices,
        help_text=_("Per principal: each principal reports its own value."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=12, decimal_places=2)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    goal: forms.ModelChoiceField[Goal] = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), required=False, empty_label=_("No goal")
    )
    wellbeing_areas: forms.ModelMultipleChoiceField[WellbeingArea] = forms.ModelMultipleChoiceField(
        label=_("Wellbeing areas"),
        queryset=WellbeingArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        goals: QuerySet[Goal],
        areas: QuerySet[WellbeingArea],
        indicator: Indicator | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"indicator-{indicator.pk if indicator else 'new'}-%s")
        if indicator is not None:
            kwargs["initial"] = {
                "name": indicator.name,
                "description": indicator.description,
                "kind": indicator.kind,
                "level": indicator.level,
                "unit": indicator.unit,
                "target": indicator.target,
                "direction": indicator.direction,
                "goal": indicator.goal_id,
                "wellbeing_areas": [a.pk for a in indicator.wellbeing_areas.all()],
                "version": indicator.version,
            }
        super().__init__(data, **kwargs)
        _set_queryset(self, "goal", goals)
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ModelChoiceField)
        goal.label_from_instance = _goal_label  # type: ignore[method-assign,assignment]
        _set_queryset(self, "wellbeing_areas", areas)
        self.fields["name"].widget.attrs["data-autofocus"] = ""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        target, kind = cleaned_data.get("target"), cleaned_data.get("kind")
        if target is not None and kind and (error := value_error(kind, target)):
            self.add_error("target", error)
        return cleaned_data


class ValueField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=12, decimal_places=2, **kwargs)


class ValueForm(forms.Form):
    """One value of one indicator: for a principal (per-principal indicators)
    or for the programme."""

    principal: forms.ModelChoiceField[Principal] = forms.ModelChoiceField(
        label=_("Principal"), queryset=Principal.objects.none()
    )
    period = MonthField(label=_("Month"))
    value = ValueField(label=_("Value"))
    source = forms.ChoiceField(label=_("Source"), choices=ValueSource.choices)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        indicator: Indicator,
        principals: QuerySet[Principal] | None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"indicator-{indicator.pk}-value-%s")
        super().__init__(data, **kwargs)
        self.indicator = indicator
        if principals is None:
            del self.fields["principal"]
        else:
            _set_queryset(self, "principal", principals)
        self.fields["value"].help_text = _value_help(indicator)

    def clean_value(self) -> Decimal:
        value: Decimal = self.cleaned_data["value"]
        if error := value_error(self.indicator.kind, value):
            raise forms.ValidationError(error)
        return value


def _value_help(indicator: Indicator) -> str:
    helps = {
        "antal": _("A whole number."),
        "andel": _("A percentage, 0–100."),
        "ja_nej": _("1 for yes, 0 for no."),
        "skala": _("A whole number from 1 to 5."),
    }
    text = str(helps.get(indicator.kind, ""))
    if indicator.unit:
        text = f"{text} ({indicator.unit})"
    return text


class MonthChoiceForm(forms.Form):
    """The month the indicator report shows (`?period=YYYY-MM`)."""

    period = MonthField(label=_("Month"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "report-choose-%s")
        super().__init__(*args, **kwargs)


class ReportForm(forms.Form):
    """A principal's values for one month, one row per indicator. An empty
    value leaves the indicator unreported (or as it was)."""

    period = MonthField(label=_("Month"))

    def __init__(
        self,
        data: Any = None,
        *,
        indicators: Sequence[Indicator],
        existing: dict[int, IndicatorValue],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "report-%s")
        initial = dict(kwargs.pop("initial", None) or {})
        for indicator in indicators:
            if (value := existing.get(indicator.pk)) is not None:
                initial.setdefault(f"value_{indicator.pk}", as_number(value.value))
                initial.setdefault(f"source_{indicator.pk}", value.source)
                initial.setdefault(f"comment_{indicator.pk}", value.comment)
        super().__init__(data, initial=initial, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"value_{indicator.pk}"] = ValueField(
                label=indicator.name, required=False, help_text=_value_help(indicator)
            )
            self.fields[f"source_{indicator.pk}"] = forms.ChoiceField(
                label=_("Source"), choices=ValueSource.choices, initial=ValueSource.SELF_ASSESSMENT
            )
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=_("Comment"), max_length=500, required=False
            )

    def rows(self) -> list[tuple[Indicator, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (i, self[f"value_{i.pk}"], self[f"source_{i.pk}"], self[f"comment_{i.pk}"])
            for i in self.indicators
        ]

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        for indicator in self.indicators:
            value = cleaned_data.get(f"value_{indicator.pk}")
            if value is not None and (error := value_error(indicator.kind, value)):
                self.add_error(f"value_{indicator.pk}", error)
        return cleaned_data

    def entries(self) -> list[tuple[Indicator, Decimal, str, str]]:
        """(indicator, value, source, comment) for every value given."""
        return [
            (
                i,
                self.cleaned_data[f"value_{i.pk}"],
                self.cleaned_data[f"source_{i.pk}"],
                self.cleaned_data.get(f"comment_{i.pk}", ""),
            )
            for i in self.indicators
            if self.cleaned_data.get(f"value_{i.pk}") is not None
        ]
