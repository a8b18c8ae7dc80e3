"""Forms for self-assessments. They validate; the views write through
`implementation.services.assessments`. Choices are limited to the programme
and, for principal reporters, to their own principal."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from implementation.models import Criterion, Rating, SelfAssessment, Step, SubProject
from implementation.selectors.assessments import StepRows
from portal import dates
from portal.dates import DateInput
from portal.models import Operation, Principal
from portal.uploads import accept_attribute, max_upload_bytes


def _check_period(cleaned_data: dict[str, Any], form: forms.Form) -> None:
    start, end = cleaned_data.get("period_start"), cleaned_data.get("period_end")
    if start and end and end < start:
        form.add_error("period_end", _("The period cannot end before it starts."))


def _operation_label(operation: Operation) -> str:
    return f"{operation.principal.name}: {operation.name}"


class AssessmentCreateForm(forms.Form):
    """Start a self-assessment: for which principal (reporters: their own),
    optionally which of its operations, and the period."""

    principal: forms.ModelChoiceField[Principal] = forms.ModelChoiceField(
        label=_("Principal"), queryset=Principal.objects.none()
    )
    operation: forms.ModelChoiceField[Operation] = forms.ModelChoiceField(
        label=_("Operation"),
        queryset=Operation.objects.none(),
        required=False,
        empty_label=_("The principal as a whole"),
        help_text=_("Assess one operation, or leave empty to assess the principal as a whole."),
    )
    sub_project: forms.ModelChoiceField[SubProject] = forms.ModelChoiceField(
        label=_("Sub-project"),
        queryset=SubProject.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Assess the work in one of the programme's sub-projects, or leave empty."),
    )
    period_start = dates.DateField(label=_("Period from"), widget=DateInput)
    period_end = dates.DateField(label=_("Period to"), widget=DateInput)

    def __init__(
        self,
        data: Any = None,
        *,
        principals: QuerySet[Principal],
        operations: QuerySet[Operation],
        sub_projects: QuerySet[SubProject],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "assessment-new-%s")
        super().__init__(data, **kwargs)
        sub_project = self.fields["sub_project"]
        assert isinstance(sub_project, forms.ModelChoiceField)
        sub_project.queryset = sub_projects
        principal = self.fields["principal"]
        assert isinstance(principal, forms.ModelChoiceField)
        principal.queryset = principals
        operation = self.fields["operation"]
        assert isinstance(operation, forms.ModelChoiceField)
        operation.queryset = operations
        operation.label_from_instance = _operation_label  # type: ignore[method-assign,assignment]
        principal.widget.attrs["data-autofocus"] = ""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        principal, operation = cleaned_data.get("principal"), cleaned_data.get("operation")
        if principal and operation and operation.principal_id != principal.pk:
            self.add_error("operation", _("Choose one of the principal's own operations."))
        _check_period(cleaned_data, self)
        return cleaned_data


def criterion_field_name(criterion_id: int) -> str:
    return f"criterion_{criterion_id}"


class RatingField(forms.ChoiceField):
    """Not started / in progress / established, as a radio group (a fieldset
    whose legend is the criterion). Not required: a draft may leave it open."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Rating.choices, required=False, **kwargs)


class AssessmentForm(forms.Form):
    """The whole self-assessment: one radio group per criterion, grouped by
    step, then the override, evidence, links and comment. `version` is the
    version the form was opened at (a save over someone else's is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    period_start = dates.DateField(label=_("Period from"), widget=DateInput)
    period_end = dates.DateField(label=_("Period to"), widget=DateInput)
    override_step: forms.ModelChoiceField[Step] = forms.ModelChoiceField(
        label=_("Set the step by hand"),
        queryset=Step.objects.none(),
        required=False,
        empty_label=_("No: use the computed step"),
        help_text=_("Only when the computed step does not describe where you are."),
    )
    override_justification = forms.CharField(
        label=_("Why another step?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you set the step by hand."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What shows where you are: decisions, plans, routines, follow-ups."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Web addresses of documents that show it, one per line."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything else the process leaders should know."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        assessment: SelfAssessment,
        steps: Sequence[StepRows],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"assessment-{assessment.pk}-%s")
        initial = {
            "version": assessment.version,
            "period_start": assessment.period_start,
            "period_end": assessment.period_end,
            "override_step": assessment.override_step_id,
            "override_justification": assessment.override_justification,
            "evidence": assessment.evidence,
            "links": assessment.links,
            "comment": assessment.comment,
        }
        for step_rows in steps:
            for row in step_rows.rows:
                initial[criterion_field_name(row.criterion.pk)] = row.rating
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(data, **kwargs)
        self.steps = steps
        for step_rows in steps:
            for row in step_rows.rows:
                self.fields[criterion_field_name(row.criterion.pk)] = RatingField(
                    label=row.criterion.text
                )
        override = self.fields["override_step"]
        assert isinstance(override, forms.ModelChoiceField)
        override.queryset = Step.objects.filter(staircase_id=assessment.staircase_id).order_by(
            "number"
        )

    def criterion_groups(self) -> list[tuple[Step, list[tuple[Criterion, forms.BoundField]]]]:
        """The radio groups, step by step, with their criteria, for the template."""
        return [
            (
                step_rows.step,
                [
                    (row.criterion, self[criterion_field_name(row.criterion.pk)])
                    for row in step_rows.rows
                ],
            )
            for step_rows in self.steps
        ]

    def ratings(self) -> dict[int, str]:
        """criterion id → the rating chosen ("" when left open)."""
        return {
            row.criterion.pk: self.cleaned_data.get(criterion_field_name(row.criterion.pk)) or ""
            for step_rows in self.steps
            for row in step_rows.rows
        }

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        _check_period(cleaned_data, self)
        if (
            cleaned_data.get("override_step")
            and not (cleaned_data.get("override_justification") or "").strip()
        ):
            self.add_error(
                "override_justification", _("Say why the step differs from the computed one.")
            )
        return cleaned_data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "ratings": self.ratings(),
            "override_step": data.get("override_step"),
            "override_justification": data.get("override_justification", ""),
            "evidence": data.get("evidence", ""),
            "links": data.get("links", ""),
            "comment": data.get("comment", ""),
        }


class RatingForm(forms.Form):
    """One criterion's radio group on its own: the autosave of a row."""

    def __init__(
        self,
        data: Any = None,
        *,
        assessment: SelfAssessment,
        criterion_id: int,
        label: str,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"assessment-{assessment.pk}-%s")
        super().__init__(data, **kwargs)
        self.name = criterion_field_name(criterion_id)
        self.fields[self.name] = RatingField(label=label)

    @property
    def rating(self) -> str:
        return self.cleaned_data.get(self.name) or ""

    @property
    def field(self) -> forms.BoundField:
        return self[self.name]


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be changed?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The principal's reporters see this comment with the returned assessment."),
        error_messages={"required": _("Say what should be changed.")},
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["comment"].widget.attrs["data-autofocus"] = ""


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
    )

    def __init__(self, data: Any = None, files: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "attachment-new-%s")
        super().__init__(data, files, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, OpenDocument text, PNG or JPEG; at most %(size)s."
        ) % {"size": filesizeformat(max_upload_bytes())}


def default_period(
    interval_months: int, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The reporting period that ends today: the programme's interval back."""
    months = max(interval_months, 1)
    year, month = today.year, today.month - months
    while month < 1:
        month += 12
        year -= 1
    day = min(today.day, 28)
    return datetime.date(year, month, day) + datetime.timedelta(days=1), today
