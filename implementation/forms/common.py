"""Choices the implementation forms share: people, operations, principals,
wellbeing areas — each limited to the programme, without archived rows except
the ones already chosen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from implementation.models import WellbeingArea
from portal.models import Operation, Person, Principal, Tenant


def _live(ids: Iterable[int | None]) -> Q:
    chosen = [i for i in ids if i]
    return Q(archived_at__isnull=True) | Q(pk__in=chosen)


def people(tenant: Tenant, *chosen: int | None) -> QuerySet[Person]:
    return (
        Person.objects.filter(tenant=tenant).filter(_live(chosen)).select_related("principal")
    ).order_by("name")


def operations(tenant: Tenant, chosen: Iterable[int | None] = ()) -> QuerySet[Operation]:
    return (
        Operation.objects.filter(tenant=tenant)
        .filter(_live(chosen))
        .select_related("principal")
        .order_by("principal__name", "name")
    )


def principals(tenant: Tenant, chosen: Iterable[int | None] = ()) -> QuerySet[Principal]:
    return Principal.objects.filter(tenant=tenant).filter(_live(chosen)).order_by("name")


def wellbeing_areas(tenant: Tenant, chosen: Iterable[int | None] = ()) -> QuerySet[WellbeingArea]:
    return WellbeingArea.objects.filter(tenant=tenant).filter(_live(chosen)).order_by("position")


def person_label(person: Person) -> str:
    return f"{person.name} ({person.affiliation})" if person.affiliation else person.name


def operation_label(operation: Operation) -> str:
    return f"{operation.principal.name}: {operation.name}"


def set_choices(
    form: forms.BaseForm, name: str, queryset: QuerySet[Any], label: Any = None
) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[method-assign]


def ids(values: Iterable[Any]) -> list[int]:
    return [v.pk for v in values]
