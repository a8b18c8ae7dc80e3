"""Forms of the programme's statements (`portal.statements`): the
accessibility statement with its list of known shortcomings, the privacy
details, the feedback form anyone may send, and choosing a person to export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.forms import DirectoryModelForm, PersonChoiceField, VersionedForm
from portal.models import (
    AccessibilityStatement,
    Person,
    PrivacyStatement,
    ShortcomingReason,
    Tenant,
)


class AccessibilityStatementForm(VersionedForm, DirectoryModelForm):
    autofocus_field = "organisation"

    class Meta(DirectoryModelForm.Meta):
        model = AccessibilityStatement
        fields = [
            "organisation",
            "contact_email",
            "contact_phone",
            "compliance",
            "assessment_method",
            "assessed_on",
            "assessment_description",
        ]
        # The portal's date field: the range 1990–2100, told to the date picker.
        field_classes = {"assessed_on": dates.DateField}
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "compliance": forms.RadioSelect,
            "assessment_method": forms.RadioSelect,
            "assessment_description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "organisation": _("The public body responsible for the programme's use of the portal."),
            "contact_email": _(
                "Where people ask for content in another format or report a problem."
            ),
            "compliance": _("In the words of the Agency for Digital Government (Digg)."),
            "assessed_on": _("When the portal was last assessed for this statement."),
        }


class ShortcomingForm(forms.Form):
    """One known shortcoming: what does not work, why, and when it is fixed."""

    description = forms.CharField(
        label=_("What is not accessible"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=ShortcomingReason.choices,
        initial=ShortcomingReason.NON_COMPLIANCE,
    )
    explanation = forms.CharField(
        label=_("Why"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a disproportionate burden, say why the fix would be unreasonable."),
    )
    planned_fix = forms.CharField(
        label=_("When it will be fixed"),
        max_length=200,
        required=False,
        help_text=_("For example: during the spring of 2027."),
    )


class BaseShortcomingFormSet(forms.BaseFormSet):
    def shortcomings(self) -> list[dict[str, str]]:
        """The shortcomings kept, in order, as the statement stores them."""
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("description"):
                continue
            kept.append(
                {
                    "description": data["description"].strip(),
                    "reason": data["reason"],
                    "explanation": data.get("explanation", "").strip(),
                    "planned_fix": data.get("planned_fix", "").strip(),
                }
            )
        return kept


ShortcomingFormSet = forms.formset_factory(
    ShortcomingForm,
    formset=BaseShortcomingFormSet,
    extra=1,
    can_delete=True,
    max_num=30,
    validate_max=True,
    absolute_max=60,
)


def shortcoming_formset(data: Any, statement: AccessibilityStatement) -> BaseShortcomingFormSet:
    initial = [
        {key: item.get(key, "") for key in ("description", "reason", "explanation", "planned_fix")}
        for item in statement.shortcomings or []
    ]
    # Bound, the rows are what was posted (its management form says how many
    # were there before); the saved ones are only the starting point.
    formset = ShortcomingFormSet(
        data, initial=None if data is not None else initial, prefix="shortcomings"
    )
    assert isinstance(formset, BaseShortcomingFormSet)
    return formset


class PrivacyStatementForm(VersionedForm, DirectoryModelForm):
    autofocus_field = "controller_name"

    class Meta(DirectoryModelForm.Meta):
        model = PrivacyStatement
        fields = [
            "controller_name",
            "controller_org_number",
            "controller_email",
            "controller_phone",
            "controller_address",
            "dpo_name",
            "dpo_email",
            "dpo_phone",
            "clear_contacts_after_days",
        ]
        help_texts = {
            "controller_name": _(
                "The organisation responsible for the programme's personal data "
                "(personuppgiftsansvarig), for example the Region."
            ),
            "controller_org_number": _("Optional. Ten digits: 212000-0000."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clear_contacts_after_days"].help_text = _(
            "The work e-mail and phone of a person who has left the programme (archived, "
            "with no active login here) are removed this many days after they were archived, "
            "between 30 and 3650. Their name stays in minutes and decisions. Empty: the "
            "portal's default, %(days)s days."
        ) % {"days": settings.CLEAR_DEPARTED_CONTACTS_AFTER_DAYS}


class FeedbackForm(forms.Form):
    """A message about the accessibility of the programme's pages (no login)."""

    message = forms.CharField(
        label=_("What did not work, or what do you need?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    page = forms.CharField(
        label=_("Which page is it about?"),
        max_length=500,
        required=False,
        help_text=_("An address or a page's name, if you know it."),
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Your e-mail"),
        required=False,
        help_text=_("If you want an answer."),
    )


class PersonPickForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())

    def __init__(self, data: Any = None, *, tenant: Tenant) -> None:
        super().__init__(data)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.filter(tenant=tenant).order_by("name", "pk")
