"""The directory's people (portal/views/directory.py)."""

from __future__ import annotations

import pytest

from portal.models import AuditEvent, Person
from tests.factories import PersonFactory, PrincipalFactory
from tests.helpers import (
    HTMX,
    ROLES,
    audit_count,
    audit_events,
    form_errors,
    hx_trigger,
    is_fragment,
    reload,
    rows,
    starts_with_row,
    text,
)
from tests.portal.directory.helpers import (
    NOT_PEOPLE_MANAGERS,
    PEOPLE_LIST_QUERIES,
    VALID_PERSON,
    archived,
    url,
)


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_the_people(world, client_for, role, person):
    response = client_for(world.users[role]).get(url("people", world.tenant))
    assert response.status_code == 200
    assert person.name in text(response)


@pytest.mark.parametrize(
    ("role", "may_manage"),
    [
        ("leader", True),
        ("admin", True),
        ("steering", False),
        ("reporter", False),
        ("researcher", False),
    ],
)
def test_people_controls_follow_the_manage_people_rule(world, client_for, role, may_manage, person):
    body = text(client_for(world.users[role]).get(url("people", world.tenant)))
    assert (url("person_create", world.tenant) in body) is may_manage
    assert (url("person_edit", world.tenant, person.pk) in body) is may_manage


def test_people_list_hides_archived_until_asked(world, admin, person):
    gone = archived(PersonFactory, tenant=world.tenant, name="Före Detta")
    assert gone.name not in text(admin.get(url("people", world.tenant)))
    with_archived = text(admin.get(url("people", world.tenant, query="?archived=1")))
    assert gone.name in with_archived
    assert url("person_restore", world.tenant, gone.pk) in with_archived


def test_people_list_for_htmx_is_the_listing_fragment(world, admin, person):
    response = admin.get(url("people", world.tenant), **HTMX)
    assert is_fragment(response)
    assert f'id="person-{person.pk}"' in text(response)


@pytest.mark.parametrize("count", [1, 20])
def test_people_list_costs_the_same_for_few_and_many(
    world, admin, django_assert_num_queries, count
):
    for i in range(count):
        PersonFactory(
            tenant=world.tenant,
            principal=world.principal if i % 2 else None,
            organisation="" if i % 2 else "Rädda Barnen",
        )
    with django_assert_num_queries(PEOPLE_LIST_QUERIES):
        response = admin.get(url("people", world.tenant))
    assert text(response).count('<tr id="person-') == count


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_leader_and_admin_add_people(world, client_for, role):
    response = client_for(world.users[role]).post(
        url("person_create", world.tenant), dict(VALID_PERSON, principal=world.principal.pk)
    )
    assert response.status_code == 302
    assert response["Location"] == url("people", world.tenant)
    person = Person.objects.with_scopes_disabled().get(email="karin.berg@flen.se")
    assert (person.tenant, person.principal) == (world.tenant, world.principal)
    [event] = audit_events(action="person.create", object_type="portal.person")
    assert event.actor == world.users[role]


def test_person_added_inline_with_htmx(world, admin):
    form = admin.get(url("person_create", world.tenant), **HTMX)
    assert is_fragment(form)
    response = admin.post(
        url("person_create", world.tenant), dict(VALID_PERSON, principal=""), **HTMX
    )
    person = Person.objects.with_scopes_disabled().get(email="karin.berg@flen.se")
    assert person.principal is None
    assert is_fragment(response)
    assert 'hx-swap-oob="beforeend:#person-rows"' in text(response)
    assert f'<tr id="person-{person.pk}"' in text(response)
    assert hx_trigger(response) == {"personChanged": {"id": person.pk, "action": "create"}}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"email": "inte-en-adress"}, "email"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_person_is_refused_and_nothing_written(world, admin, data, field, headers):
    before = rows(Person)
    response = admin.post(url("person_create", world.tenant), {**VALID_PERSON, **data}, **headers)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert is_fragment(response) == bool(headers)
    assert rows(Person) == before
    assert audit_count() == 0


def test_person_at_another_programmes_principal_is_refused(world, other_world, admin):
    before = rows(Person)
    response = admin.post(
        url("person_create", world.tenant), dict(VALID_PERSON, principal=other_world.principal.pk)
    )
    assert "principal" in form_errors(response)
    assert rows(Person) == before
    assert audit_count() == 0


def test_person_principal_choices_are_this_programmes_active_principals(world, other_world, admin):
    gone = archived(PrincipalFactory, tenant=world.tenant, name="Nedlagd kommun")
    body = text(admin.get(url("person_create", world.tenant)))
    assert f'value="{world.principal.pk}"' in body
    assert gone.name not in body
    assert other_world.principal.name not in body


@pytest.mark.parametrize("role", NOT_PEOPLE_MANAGERS)
def test_other_roles_cannot_manage_people(world, client_for, role, person):
    client = client_for(world.users[role])
    before = rows(Person)
    assert client.get(url("person_create", world.tenant)).status_code == 403
    assert client.post(url("person_create", world.tenant), VALID_PERSON).status_code == 403
    assert client.get(url("person_edit", world.tenant, person.pk)).status_code == 403
    assert client.post(url("person_edit", world.tenant, person.pk), VALID_PERSON).status_code == 403
    assert client.get(url("person_archive", world.tenant, person.pk)).status_code == 403
    assert client.post(url("person_archive", world.tenant, person.pk)).status_code == 403
    assert client.post(url("person_restore", world.tenant, person.pk)).status_code == 403
    assert rows(Person) == before
    assert audit_count() == 0


def test_another_programmes_person_is_404(world, other_world, admin, other_admin, person):
    foreign = PersonFactory(tenant=other_world.tenant)
    before = rows(Person)
    for name in ("person_edit", "person_archive", "person_restore"):
        assert admin.post(url(name, world.tenant, foreign.pk), VALID_PERSON).status_code == 404
        assert other_admin.post(url(name, world.tenant, person.pk), VALID_PERSON).status_code == 404
    assert admin.get(url("person_edit", world.tenant, foreign.pk)).status_code == 404
    assert other_admin.post(url("person_create", world.tenant), VALID_PERSON).status_code == 404
    assert rows(Person) == before
    assert audit_count() == 0


def test_leader_edits_a_person(world, client_for, person):
    client = client_for(world.users["leader"])
    assert client.get(url("person_edit", world.tenant, person.pk)).status_code == 200
    response = client.post(
        url("person_edit", world.tenant, person.pk),
        dict(VALID_PERSON, name="Anna Lind-Berg", version=person.version),
    )
    assert response.status_code == 302
    person = reload(person)
    assert person.name == "Anna Lind-Berg"
    assert person.principal is None  # the form said so: no principal, no organisation
    [event] = audit_events(action="person.update")
    assert event.before["name"] == "Anna Lind"
    assert event.after["name"] == "Anna Lind-Berg"
    assert event.before["principal_id"] == world.principal.pk
    assert event.after["principal_id"] is None


def test_person_edited_inline_with_htmx(world, admin, person):
    form = admin.get(url("person_edit", world.tenant, person.pk), **HTMX)
    assert starts_with_row(form, f"person-{person.pk}")
    response = admin.post(
        url("person_edit", world.tenant, person.pk),
        dict(
            VALID_PERSON,
            name="Anna Lind-Berg",
            principal=world.other_principal.pk,
            version=person.version,
        ),
        **HTMX,
    )
    assert starts_with_row(response, f"person-{person.pk}")
    assert "Anna Lind-Berg" in text(response)
    assert world.other_principal.name in text(response)
    assert hx_trigger(response) == {"personChanged": {"id": person.pk, "action": "update"}}


def test_bad_person_edit_changes_nothing(world, admin, person):
    before = rows(Person)
    response = admin.post(
        url("person_edit", world.tenant, person.pk), dict(VALID_PERSON, email="nej"), **HTMX
    )
    assert response.status_code == 200
    assert "email" in form_errors(response)
    assert starts_with_row(response, f"person-{person.pk}")
    assert rows(Person) == before
    assert audit_count() == 0


def test_leader_archives_and_restores_a_person(world, client_for, person):
    client = client_for(world.users["leader"])
    confirm = client.get(url("person_archive", world.tenant, person.pk))
    assert confirm.status_code == 200
    assert not reload(person).is_archived

    assert client.post(url("person_archive", world.tenant, person.pk)).status_code == 302
    assert reload(person).is_archived
    assert client.post(url("person_restore", world.tenant, person.pk)).status_code == 302
    assert not reload(person).is_archived

    archive, restore = audit_events(object_type="portal.person")
    assert (archive.action, restore.action) == ("person.archive", "person.restore")
    assert archive.before["archived_at"] is None and archive.after["archived_at"]
    assert restore.before["archived_at"] and restore.after["archived_at"] is None


def test_archiving_a_person_with_htmx_swaps_the_row(world, admin, person):
    confirm = admin.get(url("person_archive", world.tenant, person.pk), **HTMX)
    assert starts_with_row(confirm, f"person-{person.pk}")

    response = admin.post(url("person_archive", world.tenant, person.pk), **HTMX)
    assert starts_with_row(response, f"person-{person.pk}")
    assert url("person_restore", world.tenant, person.pk) in text(response)
    assert hx_trigger(response) == {"personChanged": {"id": person.pk, "action": "archive"}}
    assert Person.objects.with_scopes_disabled().filter(pk=person.pk).exists()


def test_person_restore_is_post_only(world, admin):
    gone = archived(PersonFactory, tenant=world.tenant)
    assert admin.get(url("person_restore", world.tenant, gone.pk)).status_code == 405
    assert reload(gone).is_archived


def test_nothing_in_the_directory_is_ever_deleted(world, admin, operation, person):
    admin.post(url("person_archive", world.tenant, person.pk))
    admin.post(url("operation_archive", world.tenant, operation.pk))
    admin.post(url("principal_archive", world.tenant, world.principal.pk))
    assert reload(person).is_archived
    assert reload(operation).is_archived
    assert reload(world.principal).is_archived
    assert {e.action for e in audit_events()} == {
        "person.archive",
        "operation.archive",
        "principal.archive",
    }
    assert not AuditEvent.objects.with_scopes_disabled().filter(action__icontains="delete").exists()
