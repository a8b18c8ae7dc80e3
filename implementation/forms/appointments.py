"""Forms for appointments. They validate; the views write through
`implementation.services.appointments`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from implementation.forms.assessments import DateInput
from implementation.forms.common import (
    operation_label,
    operations,
    people,
    person_label,
    principals,
    set_choices,
)
from implementation.models import Appointment, AppointmentFunction
from portal import dates
from portal.forms import PersonChoiceField, VersionedForm
from portal.models import Operation, Person, Principal, Tenant


class AppointmentForm(VersionedForm, forms.Form):
    function: forms.ModelChoiceField[AppointmentFunction] = forms.ModelChoiceField(
        label=_("Function"), queryset=AppointmentFunction.objects.none()
    )
    principal: forms.ModelChoiceField[Principal] = forms.ModelChoiceField(
        label=_("Principal"), queryset=Principal.objects.none()
    )
    operation: forms.ModelChoiceField[Operation] = forms.ModelChoiceField(
        label=_("Operation"),
        queryset=Operation.objects.none(),
        required=False,
        empty_label=_("The principal as a whole"),
    )
    person: forms.ModelChoiceField[Person] = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        help_text=_("Someone in the programme's directory of people."),
    )
    start_date = dates.DateField(label=_("From"), widget=DateInput)
    end_date = dates.DateField(label=_("To"), required=False, widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        tenant: Tenant,
        appointment: Appointment | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"appointment-{appointment.pk if appointment else 'new'}-%s")
        if appointment is not None:
            kwargs["initial"] = {
                "function": appointment.function_id,
                "principal": appointment.principal_id,
                "operation": appointment.operation_id,
                "person": appointment.person_id,
                "start_date": appointment.start_date,
                "end_date": appointment.end_date,
                "note": appointment.note,
                "version": appointment.version,
            }
        super().__init__(data, **kwargs)
        current = appointment
        functions = AppointmentFunction.objects.filter(tenant=tenant).filter(
            Q(archived_at__isnull=True) | Q(pk__in=[current.function_id] if current else [])
        )
        set_choices(self, "function", functions.order_by("position", "name"))
        set_choices(
            self, "principal", principals(tenant, [current.principal_id if current else None])
        )
        set_choices(
            self,
            "operation",
            operations(tenant, [current.operation_id if current else None]),
            operation_label,
        )
        set_choices(
            self, "person", people(tenant, current.person_id if current else None), person_label
        )
        self.fields["function"].widget.attrs["data-autofocus"] = ""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        principal, operation = cleaned_data.get("principal"), cleaned_data.get("operation")
        if principal and operation and operation.principal_id != principal.pk:
            self.add_error("operation", _("Choose one of the principal's own operations."))
        start, end = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The appointment cannot end before it starts."))
        return cleaned_data


class AppointmentEndForm(forms.Form):
    end_date = dates.DateField(label=_("Ends on"), widget=DateInput)

    def __init__(self, data: Any = None, *, appointment: Appointment, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"appointment-{appointment.pk}-end-%s")
        super().__init__(data, **kwargs)
        self.appointment = appointment
        self.fields["end_date"].widget.attrs["data-autofocus"] = ""

    def clean_end_date(self) -> Any:
        end = self.cleaned_data["end_date"]
        if end < self.appointment.start_date:
            raise forms.ValidationError(_("The appointment cannot end before it starts."))
        return end
