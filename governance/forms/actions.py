"""Forms for action items (uppdrag): the list's filters, editing an item and
changing its status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.forms.bodies import DATE_WIDGET
from governance.models import ActionItem, ActionStatus, Body
from governance.selectors.bodies import body_choices, person_choices
from portal.forms import (
    DirectoryModelForm,
    PeopleChoiceField,
    PersonChoiceField,
    VersionedForm,
    principal_choices,
)
from portal.models import Person, Principal, Tenant


class ActionFilterForm(forms.Form):
    """The action list's filters, read from the query string. An invalid value
    is reported and that filter ignored."""

    # A filter in a toolbar: a compact select, searchable by typing the name.
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Anyone"),
        widget=forms.Select,
    )
    principal: forms.ModelChoiceField[Principal] = forms.ModelChoiceField(
        label=_("Principal"),
        queryset=Principal.objects.none(),
        required=False,
        empty_label=_("All principals"),
        help_text=_("Owned by the principal or by one of its people."),
    )
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("All bodies"),
        help_text=_("Followed up or owned by the body."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, data: Any = None, *, tenant: Tenant, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "action-filter-%s")
        super().__init__(data, **kwargs)
        self._set_queryset("owner", person_choices(tenant))
        self._set_queryset("principal", principal_choices(tenant))
        self._set_queryset("body", body_choices(tenant))
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("All statuses")), *ActionStatus.choices]

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def filters(self) -> dict[str, Any]:
        """The valid filters, as keyword arguments of `action_items`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "owner": data.get("owner"),
            "principal": data.get("principal"),
            "body": data.get("body"),
            "overdue": bool(data.get("overdue")),
        }

    def chosen_status(self) -> str:
        return str(getattr(self, "cleaned_data", {}).get("status") or "")


class ActionForm(VersionedForm, DirectoryModelForm):
    """Edit what an action item asks, of whom and by when. Its status is
    changed separately, so that every change is recorded."""

    autofocus_field = "description"

    owner_people = PeopleChoiceField(
        label=_("Owners (people)"),
        queryset=Person.objects.none(),
        required=False,
    )

    class Meta(DirectoryModelForm.Meta):
        model = ActionItem
        fields = [
            "description",
            "owner_people",
            "owner_principal",
            "owner_body",
            "owner_all",
            "due_date",
            "due_next_meeting",
        ]
        widgets = {"due_date": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "owner_all": _("Every organisation in the programme (“alla organisationer”)."),
            "due_next_meeting": _("Due at the body's next meeting (“till nästa möte”)."),
        }

    def __init__(
        self, data: Any = None, *, tenant: Tenant, instance: ActionItem, **kwargs: Any
    ) -> None:
        super().__init__(data, tenant=tenant, instance=instance, **kwargs)
        owners = self.fields["owner_people"]
        assert isinstance(owners, forms.ModelMultipleChoiceField)
        # Archived people who already own the item stay choosable.
        owners.queryset = (
            Person.objects.filter(tenant=tenant)
            .filter(Q(archived_at__isnull=True) | Q(pk__in=instance.owner_people.values("pk")))
            .select_related("principal")
            .order_by("name")
            if instance.pk
            else person_choices(tenant)
        )
        owner_body = self.fields["owner_body"]
        assert isinstance(owner_body, forms.ModelChoiceField)
        owner_body.queryset = body_choices(tenant)
        owner_body.empty_label = _("— no body —")
        owner_principal = self.fields["owner_principal"]
        assert isinstance(owner_principal, forms.ModelChoiceField)
        owner_principal.empty_label = _("— no principal —")

    def clean_description(self) -> str:
        description: str = self.cleaned_data["description"].strip()
        if not description:
            raise forms.ValidationError(_("Describe the assignment."), code="required")
        return description

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        owners = (
            cleaned_data.get("owner_people"),
            cleaned_data.get("owner_principal"),
            cleaned_data.get("owner_body"),
            cleaned_data.get("owner_all"),
        )
        if "owner_people" not in self.errors and not any(owners):
            self.add_error(
                "owner_people",
                forms.ValidationError(_("Say who owns the assignment."), code="required"),
            )
        return cleaned_data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
