"""Logins are people: a membership is linked to one person of its programme's
directory (`Membership.person`), which replaces the person's own login field
(`Person.user`).

Each existing membership is linked to the programme's person whose login it
was; else to the programme's person with the login's e-mail who has no login
yet; else to a new person named as the login. Every link and new person is
written to the audit log, as the services would."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _snapshot(obj: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, datetime.datetime | datetime.date | datetime.time):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal | uuid.UUID):
            value = str(value)
        data[field.attname] = value
    return data


def link_memberships(apps: Any, schema_editor: Any) -> None:
    Membership = apps.get_model("portal", "Membership")
    Person = apps.get_model("portal", "Person")
    AuditEvent = apps.get_model("portal", "AuditEvent")
    people = Person._base_manager
    memberships = list(Membership._base_manager.select_related("user").order_by("pk"))
    taken: set[int] = set()
    links: dict[int, Any] = {}
    not_archived_first = (models.F("archived_at").asc(nulls_first=True), "pk")

    def first_free(candidates: models.QuerySet) -> Any:
        return candidates.exclude(pk__in=taken).order_by(*not_archived_first).first()

    # The person whose login it was, before any e-mail match can take them.
    for membership in memberships:
        person = first_free(people.filter(tenant_id=membership.tenant_id, user_id=membership.user_id))
        if person is not None:
            taken.add(person.pk)
            links[membership.pk] = person
    # Else the person with the login's e-mail who has no login of their own.
    for membership in memberships:
        email = membership.user.email
        if membership.pk in links or not email:
            continue
        person = first_free(
            people.filter(tenant_id=membership.tenant_id, email__iexact=email).filter(
                models.Q(user__isnull=True) | models.Q(user_id=membership.user_id)
            )
        )
        if person is not None:
            taken.add(person.pk)
            links[membership.pk] = person
    for membership in memberships:
        person = links.get(membership.pk)
        if person is None:
            user = membership.user
            full_name = f"{user.first_name} {user.last_name}".strip()
            person = people.create(
                tenant_id=membership.tenant_id,
                name=(full_name or user.email or user.username)[:200],
                email=user.email,
            )
            AuditEvent.objects.create(
                tenant_id=membership.tenant_id,
                action="create",
                object_type="portal.person",
                object_id=str(person.pk),
                after=_snapshot(person),
            )
        before = _snapshot(membership)
        membership.person = person
        membership.save(update_fields=["person"])
        AuditEvent.objects.create(
            tenant_id=membership.tenant_id,
            action="update",
            object_type="portal.membership",
            object_id=str(membership.pk),
            before=before,
            after=_snapshot(membership),
        )
    if schema_editor.connection.vendor == "postgresql":
        # Run the deferred foreign-key checks of the rows written above now:
        # PostgreSQL refuses to alter a table (person, below) with pending ones.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def unlink_memberships(apps: Any, schema_editor: Any) -> None:
    Membership = apps.get_model("portal", "Membership")
    Person = apps.get_model("portal", "Person")
    for membership in Membership._base_manager.filter(person__isnull=False):
        Person._base_manager.filter(pk=membership.person_id).update(user_id=membership.user_id)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_add_edit_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="person",
            field=models.OneToOneField(
                blank=True,
                help_text="Who this login is in the programme's directory of people.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="membership",
                to="portal.person",
                verbose_name="person",
            ),
        ),
        migrations.RunPython(link_memberships, unlink_memberships),
        migrations.RemoveField(
            model_name="person",
            name="user",
        ),
    ]
