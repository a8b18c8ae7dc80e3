"""The migration that makes logins people (portal 0005_membership_person):
every existing membership is linked to a person of its own programme — the
person whose login it was, else the person with the login's e-mail, else a new
person — and each link and new person is in the audit log. It can be undone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("portal", "0004_add_edit_versions")]
AFTER = [("portal", "0005_membership_person")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to `targets` and return the project's models as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps() -> Iterator[Any]:
    yield migrate(BEFORE)
    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_memberships_are_linked_to_their_people(old_apps):
    Tenant = old_apps.get_model("portal", "Tenant")
    User = old_apps.get_model("portal", "User")
    Person = old_apps.get_model("portal", "Person")
    Membership = old_apps.get_model("portal", "Membership")
    here = Tenant.objects.create(name="Här", slug="har", region="Region Sörmland")
    there = Tenant.objects.create(name="Där", slug="dar", region="Region Kronoberg")
    chair = User.objects.create(username="ordf", email="ordf@flen.se", first_name="Ada")
    invited = User.objects.create(username="ny", email="Ny.Person@flen.se")
    stranger = User.objects.create(username="fri", email="fri@flen.se", last_name="Fri")
    linked = Person.objects.create(tenant=here, name="Ordföranden", user=chair)
    # Same e-mail but the login of someone else: not taken by e-mail.
    Person.objects.create(tenant=here, name="Upptagen", email="fri@flen.se", user=chair)
    by_email = Person.objects.create(tenant=here, name="Ny Person", email="ny.person@FLEN.se")
    elsewhere = Person.objects.create(tenant=there, name="Fri i Där", user=stranger)
    memberships = {
        "chair": Membership.objects.create(tenant=here, user=chair, role="steering_member"),
        "invited": Membership.objects.create(tenant=here, user=invited, role="researcher"),
        "stranger": Membership.objects.create(tenant=here, user=stranger, role="researcher"),
        "there": Membership.objects.create(tenant=there, user=stranger, role="researcher"),
    }
    people_before = Person.objects.count()

    new_apps = migrate(AFTER)

    Membership = new_apps.get_model("portal", "Membership")
    Person = new_apps.get_model("portal", "Person")
    AuditEvent = new_apps.get_model("portal", "AuditEvent")
    after = {key: Membership.objects.get(pk=m.pk) for key, m in memberships.items()}
    assert after["chair"].person_id == linked.pk
    assert after["invited"].person_id == by_email.pk  # the e-mail, in any case
    assert after["there"].person_id == elsewhere.pk
    # No person of this programme was the stranger: a new one, never the other
    # programme's person nor someone else's.
    created = Person.objects.get(pk=after["stranger"].person_id)
    assert (created.tenant_id, created.name, created.email) == (here.pk, "Fri", "fri@flen.se")
    assert Person.objects.count() == people_before + 1
    assert "user" not in {f.name for f in Person._meta.get_fields()}
    updates = AuditEvent.objects.filter(action="update", object_type="portal.membership")
    assert sorted(updates.values_list("object_id", flat=True)) == sorted(
        str(m.pk) for m in memberships.values()
    )
    assert all(e.before["person_id"] is None and e.after["person_id"] for e in updates)
    [create] = AuditEvent.objects.filter(action="create", object_type="portal.person")
    assert (create.object_id, create.tenant_id) == (str(created.pk), here.pk)

    old = migrate(BEFORE)

    Person = old.get_model("portal", "Person")
    assert Person.objects.get(pk=by_email.pk).user_id == invited.pk
    assert Person.objects.get(pk=linked.pk).user_id == chair.pk
