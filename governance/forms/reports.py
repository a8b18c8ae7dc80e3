"""Forms for the monthly status reports. They validate; the views write
through `governance.services.reports`. Choices are limited to the programme."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from governance.forms.risks import AgendaItemByMeetingField
from governance.models import AgendaItem, GutFeeling, RiskReview, StatusReport
from governance.selectors.risks import agenda_item_choices
from portal import dates
from portal.forms import PeopleChoiceField, VersionedForm
from portal.models import Person, Principal, Tenant


class MonthField(dates.MonthField):
    """A status report's month: from 2000, narrow enough that the months around
    it (what it may be presented at) are dates."""

    first_year = 2000
    last_year = 2100


def _people(tenant: Tenant, current: Iterable[int] = ()) -> QuerySet[Person]:
    return (
        Person.objects.filter(tenant=tenant)
        .filter(Q(archived_at__isnull=True) | Q(pk__in=list(current)))
        .order_by("name")
    )


class ReportForm(VersionedForm, forms.Form):
    """The report itself: month, authors, results, gut feeling, next steps and
    where it was presented (an agenda item of any meeting, grouped by
    meeting). Activities and risk reviews have their own forms.
    """

    period = MonthField(label=_("Month"), help_text=_("The month the report covers."))
    authors: forms.ModelMultipleChoiceField[Person] = PeopleChoiceField(
        label=_("Authors"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose at least one author.")},
    )
    results = forms.CharField(
        label=_("Results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the programme achieved during the month."),
    )
    gut_feeling = forms.ChoiceField(
        label=_("Gut feeling"),
        choices=GutFeeling.choices,
        initial=GutFeeling.NEUTRAL,
        widget=forms.RadioSelect,
    )
    gut_feeling_text = forms.CharField(
        label=_("About the gut feeling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    presented_at: forms.ModelChoiceField[AgendaItem] = AgendaItemByMeetingField(
        label=_("Presented at"),
        required=False,
        queryset=AgendaItem.objects.none(),
        empty_label=_("Not presented yet"),
        help_text=_("The agenda item of the meeting where the report was presented."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        tenant: Tenant,
        report: StatusReport | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"report-{report.pk if report else 'new'}-%s")
        if report is not None:
            # What the report says, overridden by anything the view passes in
            # (e.g. another month chosen in the month picker).
            kwargs["initial"] = {
                "period": report.period,
                "authors": [a.pk for a in report.authors.all()],
                "results": report.results,
                "gut_feeling": report.gut_feeling,
                "gut_feeling_text": report.gut_feeling_text,
                "next_steps": report.next_steps,
                "presented_at": report.presented_at_id,
                "version": report.version,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(data, **kwargs)
        authors = self.fields["authors"]
        assert isinstance(authors, forms.ModelMultipleChoiceField)
        authors.queryset = _people(tenant, self._initial_ids("authors"))
        presented_at = self.fields["presented_at"]
        assert isinstance(presented_at, forms.ModelChoiceField)
        current = self.initial.get("presented_at")
        presented_at.queryset = agenda_item_choices(
            tenant, current if isinstance(current, int) else None
        )
        self.fields["period"].widget.attrs["data-autofocus"] = ""

    def _initial_ids(self, name: str) -> list[int]:
        return [int(v) for v in self.initial.get(name) or () if str(v).isdigit()]


class ReportActivitiesForm(VersionedForm, forms.Form):
    """One text per principal: where the process leaders informed, held
    workshops or met operations during the month. An empty text means none."""

    def __init__(
        self,
        data: Any = None,
        *,
        report: StatusReport,
        principals: Iterable[Principal],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"report-{report.pk}-activities-%s")
        kwargs.setdefault("initial", {"version": report.version})
        super().__init__(data, **kwargs)
        current = {a.principal_id: a.description for a in report.activities.all()}
        self.principals = list(principals)
        for principal in self.principals:
            self.fields[self.field_name(principal)] = forms.CharField(
                label=principal.name,
                required=False,
                initial=current.get(principal.pk, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if self.principals:
            self.fields[self.field_name(self.principals[0])].widget.attrs["data-autofocus"] = ""

    @staticmethod
    def field_name(principal: Principal) -> str:
        return f"principal_{principal.pk}"

    def activities(self) -> dict[Principal, str]:
        return {p: self.cleaned_data.get(self.field_name(p), "") for p in self.principals}

    def saved_values(self, saved: Model) -> dict[str, Any]:
        assert isinstance(saved, StatusReport)
        texts = {a.principal_id: a.description for a in saved.activities.all()}
        return {self.field_name(p): texts.get(p.pk, "") for p in self.principals}


def review_label(review: RiskReview) -> str:
    """“2025-03-10 · Saknat bifall … · likelihood 3, consequence 4 (Being managed)”."""
    return str(
        _("%(date)s · %(risk)s · likelihood %(l)s, consequence %(c)s (%(status)s)")
        % {
            "date": formats.date_format(review.reviewed_on, "Y-m-d"),
            "risk": review.risk.title,
            "l": review.likelihood,
            "c": review.consequence,
            "status": review.get_status_display(),
        }
    )


class ReportReviewsForm(VersionedForm, forms.Form):
    reviews: forms.ModelMultipleChoiceField[RiskReview] = forms.ModelMultipleChoiceField(
        label=_("Risk reviews covered by the report"),
        required=False,
        queryset=RiskReview.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Reviews dated around the report's month. Leave all unticked for none."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        report: StatusReport,
        choices: QuerySet[RiskReview],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"report-{report.pk}-reviews-%s")
        kwargs.setdefault(
            "initial",
            {"reviews": [r.pk for r in report.risk_reviews.all()], "version": report.version},
        )
        super().__init__(data, **kwargs)
        field = self.fields["reviews"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = choices
        field.label_from_instance = review_label  # type: ignore[method-assign,assignment]

    def saved_values(self, saved: Model) -> dict[str, Any]:
        assert isinstance(saved, StatusReport)
        return {"reviews": list(saved.risk_reviews.all())}


class ReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, StatusReport)
        month = formats.date_format(obj.period, "F Y")
        if obj.status != "fardigstalld":
            return str(_("%(month)s (draft)") % {"month": month})
        return month


class ReportPresentForm(forms.Form):
    """Under an agenda item: which of the programme's reports was presented there."""

    report = ReportChoiceField(
        label=_("Status report"),
        queryset=StatusReport.objects.none(),
        help_text=_("The report is shown in full under the item, on the page and in the PDF."),
    )

    def __init__(self, data: Any = None, *, reports: QuerySet[StatusReport], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["report"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reports
        field.widget.attrs["data-autofocus"] = ""
