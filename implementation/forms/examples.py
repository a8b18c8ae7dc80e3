"""Forms for good examples."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from implementation.forms.common import (
    ids,
    operation_label,
    operations,
    people,
    person_label,
    principals,
    set_choices,
    wellbeing_areas,
)
from implementation.models import ExampleStatus, GoodExample, Staircase, Step, WellbeingArea
from portal.forms import PersonChoiceField, VersionedForm
from portal.models import Operation, Person, Principal, Tenant


class ExampleForm(VersionedForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    principal: forms.ModelChoiceField[Principal] = forms.ModelChoiceField(
        label=_("Principal"), queryset=Principal.objects.none()
    )
    operations: forms.ModelMultipleChoiceField[Operation] = forms.ModelMultipleChoiceField(
        label=_("Operations"),
        queryset=Operation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The principal's operations the example comes from."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was done, how, and what others can learn from it."),
    )
    contact_person: forms.ModelChoiceField[Person] = PersonChoiceField(
        label=_("Contact person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("No one"),
    )
    steps: forms.ModelMultipleChoiceField[Step] = forms.ModelMultipleChoiceField(
        label=_("Steps of the staircase"),
        queryset=Step.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wellbeing_areas: forms.ModelMultipleChoiceField[WellbeingArea] = forms.ModelMultipleChoiceField(
        label=_("Wellbeing areas"),
        queryset=WellbeingArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Status"), choices=ExampleStatus.choices)

    def __init__(
        self,
        data: Any = None,
        *,
        tenant: Tenant,
        staircase: Staircase,
        example: GoodExample | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"example-{example.pk if example else 'new'}-%s")
        if example is not None:
            kwargs["initial"] = {
                "title": example.title,
                "principal": example.principal_id,
                "operations": ids(example.operations.all()),
                "description": example.description,
                "contact_person": example.contact_person_id,
                "steps": ids(example.steps.all()),
                "wellbeing_areas": ids(example.wellbeing_areas.all()),
                "status": example.status,
                "version": example.version,
            }
        super().__init__(data, **kwargs)
        set_choices(
            self, "principal", principals(tenant, [example.principal_id if example else None])
        )
        chosen_ops = ids(example.operations.all()) if example else []
        set_choices(self, "operations", operations(tenant, chosen_ops), operation_label)
        contact = example.contact_person_id if example else None
        set_choices(self, "contact_person", people(tenant, contact), person_label)
        chosen_steps = ids(example.steps.all()) if example else []
        steps = Step.objects.filter(tenant=tenant).filter(
            pk__in=[
                *Step.objects.filter(staircase=staircase).values_list("pk", flat=True),
                *chosen_steps,
            ]
        )
        set_choices(self, "steps", steps.order_by("number", "-staircase__version"), str)
        chosen_areas = ids(example.wellbeing_areas.all()) if example else []
        set_choices(self, "wellbeing_areas", wellbeing_areas(tenant, chosen_areas))
        self.fields["title"].widget.attrs["data-autofocus"] = ""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        principal, ops = cleaned_data.get("principal"), cleaned_data.get("operations") or []
        if principal and any(op.principal_id != principal.pk for op in ops):
            self.add_error("operations", _("Choose operations of the example's principal."))
        return cleaned_data
