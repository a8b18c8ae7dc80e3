"""Forms of the notice (kallelse) and the replies to it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.forms.meetings import GovernanceForm
from governance.models import ReplyAnswer
from portal.forms import PersonChoiceField
from portal.models import Person


class NoticeSendForm(GovernanceForm):
    autofocus_field = "message"

    message = forms.CharField(
        label=_("Message to the recipients (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown at the top of the e-mail, e.g. what to prepare."),
    )


class ReplyForm(forms.Form):
    """A member's answer. The substitute is one of the others called to the
    meeting (a deputy, a colleague of the body), or someone named by name and
    e-mail address: the person of the directory with that address, or a new one."""

    answer = forms.ChoiceField(
        label=_("Your answer"), choices=ReplyAnswer.choices, widget=forms.RadioSelect
    )
    substitute: forms.ModelChoiceField[Person] = PersonChoiceField(
        label=_("Substitute (ersättare)"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("No substitute / someone else"),
        help_text=_("Only when you are unable to attend."),
    )
    substitute_name = forms.CharField(
        label=_("Or the substitute's name"), required=False, max_length=200
    )
    substitute_email = forms.EmailField(
        label=_("and e-mail address"), required=False, max_length=254
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=300)

    def __init__(
        self, data: Any = None, *, substitutes: list[Person], key: str = "reply", **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"{key}-%s")
        super().__init__(data, **kwargs)
        field = self.fields["substitute"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in substitutes]).order_by("name")
        if not substitutes:
            del self.fields["substitute"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = (
            data.get("substitute") or data.get("substitute_name") or data.get("substitute_email")
        )
        if named and data.get("answer") == ReplyAnswer.COMING:
            raise forms.ValidationError(_("Name a substitute only when you are unable to attend."))
        if data.get("substitute") and (data.get("substitute_name") or data.get("substitute_email")):
            raise forms.ValidationError(
                _("Choose a substitute from the list or give a name, not both.")
            )
        return data
