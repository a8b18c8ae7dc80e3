"""Forms for bodies and their members. They validate only; writes go through
`governance.services.bodies` with `cleaned_data`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Body, BodyMember
from governance.selectors.bodies import body_choices, person_choices
from portal import dates
from portal.forms import DirectoryModelForm, PersonChoiceField, VersionedForm
from portal.models import Person, Tenant

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BodyForm(VersionedForm, DirectoryModelForm):
    """Create or edit a body. Name and abbreviation are unique in the programme
    (archived bodies included: their decisions keep the abbreviation)."""

    class Meta(DirectoryModelForm.Meta):
        model = Body
        fields = ["name", "kind", "code", "description"]

    def _taken(self, **lookup: str) -> bool:
        return (
            Body.objects.filter(tenant=self.tenant, **lookup).exclude(pk=self.instance.pk).exists()
        )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if self._taken(name__iexact=name):
            raise forms.ValidationError(
                _("The programme already has a body with this name (it may be archived)."),
                code="unique",
            )
        return name

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().upper()
        if not code:
            raise forms.ValidationError(_("Give the abbreviation."), code="required")
        if " " in code:
            raise forms.ValidationError(_("The abbreviation is one word, e.g. SG."), code="invalid")
        if self._taken(code__iexact=code):
            raise forms.ValidationError(
                _("Another body already uses this abbreviation (it may be archived)."),
                code="unique",
            )
        return code


class BodyMemberForm(DirectoryModelForm):
    """Seat a person in a body for a period."""

    autofocus_field = "person"

    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())

    class Meta(DirectoryModelForm.Meta):
        model = BodyMember
        fields = [
            "person",
            "role",
            "represents_principal",
            "represents_body",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        help_texts = {
            "represents_principal": _("The principal the person sits for, if any."),
            "represents_body": _("E.g. “rep. Skolchefsnätverket”."),
            "end_date": _("Leave empty while the seat lasts."),
        }

    def __init__(self, data: Any = None, *, tenant: Tenant, body: Body, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(data, tenant=tenant, **kwargs)
        self.body = body
        self.instance.body = body
        person = self.fields["person"]
        represents_body = self.fields["represents_body"]
        assert isinstance(person, forms.ModelChoiceField)
        assert isinstance(represents_body, forms.ModelChoiceField)
        person.queryset = person_choices(tenant)
        represents_body.queryset = body_choices(tenant, exclude=body)
        represents_body.empty_label = _("— no other body —")
        represents_principal = self.fields["represents_principal"]
        assert isinstance(represents_principal, forms.ModelChoiceField)
        represents_principal.empty_label = _("— no principal —")


class BodyMemberEndForm(forms.Form):
    """End a seat on a date. The period stays in the body's history."""

    end_date = dates.DateField(
        label=_("Last day"), widget=DATE_WIDGET, help_text=_("The last day of the period.")
    )

    def __init__(self, data: Any = None, *, member: BodyMember, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"bodymember-{member.pk}-end-%s")
        kwargs.setdefault("initial", {"end_date": timezone.localdate()})
        super().__init__(data, **kwargs)
        self.member = member
        self.fields["end_date"].widget.attrs["data-autofocus"] = ""

    def clean_end_date(self) -> Any:
        end_date = self.cleaned_data["end_date"]
        if end_date < self.member.start_date:
            raise forms.ValidationError(
                _("The period cannot end before it starts (%(date)s).")
                % {"date": self.member.start_date.isoformat()},
                code="before_start",
            )
        return end_date
