"""Forms for the risk register. They validate; the views write through
`governance.services.risks`. Choices are limited to the programme."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, Risk, RiskCategory, RiskStatus
from governance.selectors.risks import (
    CONSEQUENCE_LABELS,
    LIKELIHOOD_LABELS,
    agenda_item_choices,
    risk_owner_choices,
    scale_choices,
)
from portal import dates
from portal.forms import DirectoryModelForm, PersonChoiceField, VersionedForm
from portal.models import Person, Tenant


class _ByMeeting(forms.models.ModelChoiceIterator):
    """The items as one group per meeting (an `<optgroup>` named after it), in
    the queryset's order: newest meeting first, each in agenda order."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[int, tuple[str, list[Any]]] = {}
        for item in self.queryset:
            label = item.meeting.display_title
            groups.setdefault(item.meeting_id, (label, []))[1].append(self.choice(item))
        yield from groups.values()


class AgendaItemByMeetingField(forms.ModelChoiceField):
    """An agenda item of any of the programme's meetings (“Togs upp vid”),
    grouped by meeting so that years of meetings stay easy to find. Each
    option still names its meeting's date, for the closed select."""

    iterator = _ByMeeting

    def label_from_instance(self, obj: AgendaItem) -> str:
        day = obj.meeting.display_title.rsplit(" ", 1)[-1]
        return f"{obj.position}. {obj.title} ({day})"


def likelihood_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Likelihood"),
        choices=scale_choices(LIKELIHOOD_LABELS),
        coerce=int,
        help_text=_("How likely it is to happen, 1 (unlikely) to 4 (very likely)."),
    )


def consequence_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Consequence"),
        choices=scale_choices(CONSEQUENCE_LABELS),
        coerce=int,
        help_text=_("How serious it would be, 1 (minor) to 4 (severe)."),
    )


class _RiskForm(DirectoryModelForm):
    autofocus_field = "title"

    class Meta(DirectoryModelForm.Meta):
        model = Risk
        fields: list[str] = []
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "mitigation": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "mitigation": _("What is done to prevent or reduce the risk."),
            "raised_at": _("The agenda item where the risk was raised, if any."),
        }
        field_classes = {"raised_at": AgendaItemByMeetingField, "owner": PersonChoiceField}

    def __init__(
        self, data: Any = None, *, tenant: Tenant, instance: Risk | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, tenant=tenant, instance=instance, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = risk_owner_choices(tenant, self.instance.owner_id)
        # Every meeting's items, and the current choice even when its item
        # has been taken off the agenda since.
        preselected = self.initial.get("raised_at")
        current = self.instance.raised_at_id or getattr(preselected, "pk", preselected)
        raised_at = self.fields["raised_at"]
        assert isinstance(raised_at, AgendaItemByMeetingField)
        raised_at.queryset = agenda_item_choices(tenant, current)


class RiskCreateForm(_RiskForm):
    """A new risk with its first assessment."""

    likelihood = likelihood_field()
    consequence = consequence_field()

    class Meta(_RiskForm.Meta):
        fields = [
            "title",
            "category",
            "description",
            "likelihood",
            "consequence",
            "status",
            "owner",
            "mitigation",
            "raised_at",
        ]


class RiskEditForm(VersionedForm, _RiskForm):
    """Edit what a risk is about. The assessment (likelihood, consequence,
    status) is deliberately absent: it changes by adding a review, so the
    history is kept."""

    class Meta(_RiskForm.Meta):
        fields = ["title", "category", "description", "owner", "mitigation", "raised_at"]


class RiskReviewForm(forms.Form):
    reviewed_on = dates.DateField(
        label=_("Date of the review"), widget=forms.DateInput(attrs={"type": "date"})
    )
    likelihood = likelihood_field()
    consequence = consequence_field()
    status = forms.ChoiceField(label=_("Status"), choices=RiskStatus.choices)
    note = forms.CharField(
        label=_("Assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was concluded, and why the assessment changed, if it did."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        risk: Risk,
        reviewed_on: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        """`reviewed_on` is the date offered: a review recorded for a meeting
        (`?meeting=` on the page) is dated the meeting's day, else today."""
        kwargs.setdefault("auto_id", f"risk-{risk.pk}-review-%s")
        kwargs.setdefault(
            "initial",
            {
                "reviewed_on": reviewed_on or timezone.localdate(),
                "likelihood": risk.likelihood,
                "consequence": risk.consequence,
                "status": risk.status,
            },
        )
        super().__init__(data, **kwargs)
        self.fields["reviewed_on"].widget.attrs["data-autofocus"] = ""

    def clean_reviewed_on(self) -> datetime.date:
        reviewed_on: datetime.date = self.cleaned_data["reviewed_on"]
        if reviewed_on > timezone.localdate():
            raise forms.ValidationError(_("A review cannot be dated in the future."), code="future")
        return reviewed_on


OPEN = ""
ALL = "all"


class RiskFilterForm(forms.Form):
    """The register's filters (a GET form). Open risks unless asked otherwise."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (OPEN, _("Open (all but closed)")),
            *RiskStatus.choices,
            (ALL, _("All, closed included")),
        ],
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *RiskCategory.choices],
    )
    owner: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("Owner"),
        required=False,
        queryset=Person.objects.none(),
        empty_label=_("Anyone"),
    )

    def __init__(self, data: Any = None, *, tenant: Tenant, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "risk-filter-%s")
        super().__init__(data, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = risk_owner_choices(tenant)

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for `selectors.risks.risk_list`;
        an invalid value is ignored (and shown as an error on the form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or OPEN,
            "category": data.get("category") or "",
            "owner": data.get("owner"),
        }
