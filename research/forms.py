"""Forms of the research pages: an export, a streamed table, an API token, a
research report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import dates
from research import datasets as ds
from research.models import ExportFormat, ResearchReport


def dataset_choices() -> list[tuple[str, str]]:
    return [(d.key, f"{d.title} ({d.key})") for d in ds.DATASETS.values()]


class _PeriodForm(dates.PeriodForm):
    include_free_text = forms.BooleanField(
        label=_("Include free-text fields"),
        required=False,
        help_text=_(
            "Minutes, comments and descriptions can hold names. They are left out "
            "unless you include them; the choice is recorded in the audit log and "
            "the manifest."
        ),
    )


class ExportForm(_PeriodForm):
    """A zipped export of several datasets, built by a worker."""

    datasets = forms.MultipleChoiceField(
        label=_("Datasets"),
        choices=dataset_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one of the datasets.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (ExportFormat.CSV.value, ExportFormat.CSV.label),
            (ExportFormat.XLSX.value, ExportFormat.XLSX.label),
            (ExportFormat.DATA_PACKAGE.value, ExportFormat.DATA_PACKAGE.label),
        ],
        initial=ExportFormat.DATA_PACKAGE.value,
        widget=forms.RadioSelect,
    )

    field_order = ["datasets", "format", "period_start", "period_end", "include_free_text"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "export-%s")
        super().__init__(*args, **kwargs)


class StreamForm(_PeriodForm):
    """One dataset as CSV, downloaded directly."""

    dataset = forms.ChoiceField(label=_("Dataset"), choices=dataset_choices)

    field_order = ["dataset", "period_start", "period_end", "include_free_text"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "stream-%s")
        super().__init__(*args, **kwargs)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What it is for, e.g. “R scripts, laptop”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "token-%s")
        super().__init__(*args, **kwargs)


class ReportForm(forms.ModelForm):
    class Meta:
        model = ResearchReport
        fields = ["title", "published_on", "summary", "url"]
        widgets = {"published_on": dates.DateInput}
        formfield_callback = dates.formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "report-%s")
        super().__init__(*args, **kwargs)
