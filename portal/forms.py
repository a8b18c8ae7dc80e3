"""Forms for the portal app, and the form renderer every form in the portal uses."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.forms.renderers import TemplatesSetting
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.models import Membership, Operation, Person, Principal, Role, Tenant
from portal.selectors import people_to_link
from portal.widgets import Picker


class PortalFormRenderer(TemplatesSetting):
    """Renders every field inside `.field` with its label, help and errors linked."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


def person_label(person: Person, *, email: bool = False) -> str:
    """A person's name with their title and affiliation (and e-mail), to tell
    namesakes apart and to let the picker find people by organisation."""
    parts = (person.title, person.affiliation, person.email if email else "")
    details = ", ".join(part for part in parts if part)
    return f"{person.name} ({details})" if details else person.name


class _PickedPeople:
    """What both people fields share: the picker, the label, and the principal
    the label names loaded with the people (one query, however many)."""

    widget: Any

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)

    _queryset: Any

    def _get_queryset(self) -> Any:
        return self._queryset

    def _set_queryset(self, queryset: Any) -> None:
        if queryset is not None and queryset.model is Person:
            queryset = queryset.select_related("principal")
        super()._set_queryset(queryset)  # type: ignore[misc]

    queryset = property(_get_queryset, _set_queryset)


class PersonChoiceField(_PickedPeople, forms.ModelChoiceField):
    """One person of the programme's directory, chosen in the searchable picker.
    An optional one offers "No one" first, to clear the choice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", Picker())
        kwargs.setdefault("empty_label", _("No one"))
        super().__init__(*args, **kwargs)

    @property
    def empty_label(self) -> Any:
        # Read when the choices are listed, so a form that makes the field
        # required after creating it gets no "No one" either.
        return None if self.required else self._empty_label

    @empty_label.setter
    def empty_label(self, value: Any) -> None:
        self._empty_label = value


class PeopleChoiceField(_PickedPeople, forms.ModelMultipleChoiceField):
    """Several people of the programme's directory, in the searchable picker."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", Picker(multiple=True))
        super().__init__(*args, **kwargs)


def principal_choices(
    tenant: Tenant, current: Principal | int | None = None
) -> QuerySet[Principal]:
    """The programme's principals that can be chosen: the non-archived ones, plus the
    one already chosen (so editing a row whose principal was archived stays valid)."""
    current_id = current.pk if isinstance(current, Principal) else current
    condition = Q(archived_at__isnull=True)
    if current_id is not None:
        condition |= Q(pk=current_id)
    return Principal.objects.filter(tenant=tenant).filter(condition).order_by("name")


class VersionedForm(forms.BaseForm):
    """An edit form that carries the version of the object it was opened at, so
    that a save based on an older version is refused instead of overwriting
    someone else's change (see `portal.models.Versioned`).

    Mix it in before the form class. The hidden `version` field is there when
    the form edits an object: a ModelForm's saved instance, or any form given
    the object's `version` in `initial`. Its cleaned value is called
    `expected_version`, the services' name for it, so `**form.cleaned_data`
    hands it on. `portal.htmx.show_refusal` shows a refusal for a stale form
    on the form itself: the newer version, and what was saved meanwhile at
    each field where it differs from the user's input, which is kept.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.initial.setdefault("version", instance.version)
        if self.initial.get("version") is not None:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
            )

    def full_clean(self) -> None:
        super().full_clean()
        cleaned_data = getattr(self, "cleaned_data", None)
        if cleaned_data is not None and "version" in cleaned_data:
            cleaned_data["expected_version"] = cleaned_data.pop("version")

    def saved_values(self, saved: models.Model) -> dict[str, Any]:
        """The values of this form's fields as `saved` has them now, to show
        beside the user's input after a refused stale save. By default each
        field's namesake attribute of the object (the services set the fields
        by name); a form whose fields are not the object's overrides this."""
        values: dict[str, Any] = {}
        for name in self.fields:
            if name == "version":
                continue
            try:
                value = getattr(saved, name)
            except (AttributeError, ValueError, ObjectDoesNotExist):
                continue
            if isinstance(value, models.Manager):
                value = list(value.all())
            values[name] = value
        return values


def _formfield_without_scope(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Build form fields without querying: a foreign key's default choices would
    read the scoped manager when the form class is defined (outside any scope).
    The real, tenant-limited choices are set per request in `__init__`. Dates
    get the portal's range check (`portal.dates`)."""
    if isinstance(field, models.ForeignKey):
        kwargs["queryset"] = field.related_model._default_manager.none()
    return dates.formfield(field, **kwargs)


class DirectoryModelForm(forms.ModelForm):
    """A ModelForm for the programme's directory that never writes.

    It validates a *copy* of the object (field and model validation, e.g.
    `Principal.clean()`), so the object the view hands to the service is still
    the unchanged original and the service can record before/after. Writes go
    through `portal.services` with `cleaned_data`. Principal choices are limited
    to the programme's non-archived principals.
    """

    autofocus_field: ClassVar[str] = "name"

    class Meta:
        formfield_callback = _formfield_without_scope

    def __init__(
        self, data: Any = None, *, tenant: Tenant, instance: Any = None, **kwargs: Any
    ) -> None:
        self.tenant = tenant
        model = self._meta.model
        instance = model(tenant=tenant) if instance is None else copy.copy(instance)
        # Ids unique per object, so an inline edit row never clashes with another.
        kwargs.setdefault("auto_id", f"{model._meta.model_name}-{instance.pk or 'new'}-%s")
        super().__init__(data, instance=instance, **kwargs)
        for name, field in self.fields.items():
            if (
                isinstance(field, forms.ModelChoiceField)
                and field.queryset is not None
                and field.queryset.model is Principal
            ):
                field.queryset = principal_choices(tenant, getattr(self.instance, f"{name}_id"))
        if self.autofocus_field in self.fields:
            # portal.js focuses this after an htmx swap (unless a field is invalid).
            self.fields[self.autofocus_field].widget.attrs["data-autofocus"] = ""


class PrincipalForm(VersionedForm, DirectoryModelForm):
    autofocus_field = "kind"

    class Meta(DirectoryModelForm.Meta):
        model = Principal
        fields = ["kind", "name", "municipality_code"]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        duplicate = (
            Principal.objects.filter(tenant=self.tenant, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if duplicate:
            raise forms.ValidationError(
                _("The programme already has a principal with this name (it may be archived)."),
                code="unique",
            )
        return name


class OperationForm(VersionedForm, DirectoryModelForm):
    class Meta(DirectoryModelForm.Meta):
        model = Operation
        fields = ["principal", "sector", "name"]


class PersonForm(VersionedForm, DirectoryModelForm):
    class Meta(DirectoryModelForm.Meta):
        model = Person
        fields = ["name", "title", "principal", "organisation", "email", "phone"]

        help_texts = {
            "principal": _("Leave empty for people from outside the programme's principals."),
        }


def _clear_principal_unless_reporter(cleaned_data: dict[str, Any]) -> None:
    # Only principal reporters have a principal; a leftover choice from a
    # previous role is dropped rather than refused.
    if cleaned_data.get("role") != Role.PRINCIPAL_REPORTER:
        cleaned_data["principal"] = None


_PRINCIPAL_HELP = _("Required for principal reporters, who report for this principal.")


class MembershipForm(VersionedForm, DirectoryModelForm):
    """Change a member's role (and, for principal reporters, their principal)."""

    autofocus_field = "role"

    class Meta(DirectoryModelForm.Meta):
        model = Membership
        fields = ["role", "principal"]
        help_texts = {"principal": _PRINCIPAL_HELP}

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        _clear_principal_unless_reporter(cleaned_data)
        return cleaned_data


class MemberAddForm(forms.Form):
    """Give someone access by e-mail. Validation of role and principal is the model's."""

    email = forms.EmailField(label=_("E-mail"), help_text=_("The person's work e-mail."))
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        help_text=_("Used only if the person has no login yet."),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        help_text=_("Used only if the person has no login yet."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    principal: forms.ModelChoiceField[Principal] = forms.ModelChoiceField(
        label=_("Principal"),
        queryset=Principal.objects.none(),
        required=False,
        help_text=_PRINCIPAL_HELP,
    )

    def __init__(self, data: Any = None, *, tenant: Tenant, **kwargs: Any) -> None:
        self.tenant = tenant
        kwargs.setdefault("auto_id", "member-new-%s")
        super().__init__(data, **kwargs)
        field = self.fields["principal"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = principal_choices(tenant)
        self.fields["email"].widget.attrs["data-autofocus"] = ""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        _clear_principal_unless_reporter(cleaned_data)
        return cleaned_data


class LinkedPersonField(PersonChoiceField):
    """People told apart by title, affiliation and e-mail: names repeat."""

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj, email=True)


class MemberPersonForm(VersionedForm, DirectoryModelForm):
    """Which person of the programme's directory a member's login is."""

    autofocus_field = "person"

    class Meta(DirectoryModelForm.Meta):
        model = Membership
        fields = ["person"]
        field_classes = {"person": LinkedPersonField}
        labels = {"person": _("Person in the directory")}
        help_texts = {
            "person": _(
                "The login acts as this person wherever the programme names people: "
                "as chair, justerare, owner of an assignment. People who already have "
                "a login here are not listed; add someone missing under People."
            )
        }

    def __init__(self, data: Any = None, *, tenant: Tenant, instance: Membership) -> None:
        super().__init__(data, tenant=tenant, instance=instance)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.required = True
        field.queryset = people_to_link(tenant=tenant, membership=instance)


class ConfirmForm(forms.Form):
    """An archive/deactivate confirmation: no fields, but a place for the refusal."""


def document_check_max_bytes() -> int:
    """The largest PDF "Kontrollera ett dokument" takes: the portal's one upload
    limit (the request size limit is derived from it)."""
    return int(getattr(settings, "IMPLEMENTATION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


class DocumentCheckForm(forms.Form):
    """The PDF to check (portal/documents/check.py). It is read, never stored."""

    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={"required": _("Choose the PDF file to check.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The PDF as you received it, at most %(size)s. It is checked, not saved."
        ) % {"size": filesizeformat(document_check_max_bytes())}

    def clean_file(self) -> bytes:
        """The file's bytes, within the size limit."""
        upload = self.cleaned_data["file"]
        limit = document_check_max_bytes()
        if (upload.size or 0) > limit:
            raise forms.ValidationError(
                _("The file is too large: at most %(size)s.") % {"size": filesizeformat(limit)}
            )
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise forms.ValidationError(
                _("The file is too large: at most %(size)s.") % {"size": filesizeformat(limit)}
            )
        return bytes(data)
