"""Tenant administration of the directory in the browser: principals, their
operations, and people. Every view: it works for the right role, another
programme gets 404, too little role gets 403, bad input changes nothing, htmx
gets a fragment, archive/restore are audited and nothing is deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal import services
from portal.models import AuditEvent, Operation, Person, Principal, PrincipalKind, Role, Sector
from tests.factories import OperationFactory, PersonFactory, PrincipalFactory
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
    url_in,
)

url = url_in("portal")

NOT_DIRECTORY_ADMINS = ["leader", "steering", "reporter", "researcher"]
NOT_PEOPLE_MANAGERS = ["steering", "reporter", "researcher"]


@pytest.fixture
def admin(world, client_for):
    return client_for(world.users["admin"])


@pytest.fixture
def other_admin(other_world, client_for):
    """The administrator of another programme: a stranger to `world`."""
    return client_for(other_world.users["admin"])


@pytest.fixture
def operation(world):
    return OperationFactory(principal=world.principal, name="Vasaskolan")


@pytest.fixture
def person(world):
    return PersonFactory(tenant=world.tenant, principal=world.principal, name="Anna Lind")


def archived(factory, **kwargs):
    return factory(archived_at=timezone.now(), **kwargs)


# Principals: list -----------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_the_principals(world, client_for, role):
    response = client_for(world.users[role]).get(url("principals", world.tenant))
    assert response.status_code == 200
    assert world.principal.name in text(response)
    assert world.other_principal.name in text(response)


@pytest.mark.parametrize("role", NOT_DIRECTORY_ADMINS)
def test_principal_list_is_read_only_below_admin(world, client_for, role):
    body = text(client_for(world.users[role]).get(url("principals", world.tenant)))
    assert url("principal_create", world.tenant) not in body
    assert url("principal_edit", world.tenant, world.principal.pk) not in body
    assert url("principal_archive", world.tenant, world.principal.pk) not in body


def test_admin_gets_edit_controls_with_accessible_names(world, admin):
    body = text(admin.get(url("principals", world.tenant)))
    assert f'href="{url("principal_create", world.tenant)}"' in body
    assert f'href="{url("principal_edit", world.tenant, world.principal.pk)}"' in body
    assert f'<span class="visually-hidden"> {world.principal.name}</span>' in body
    assert '<th scope="col">' in body
    assert "<caption" in body


def test_principal_list_hides_archived_until_asked(world, admin):
    gone = archived(PrincipalFactory, tenant=world.tenant, name="Nedlagd kommun")

    default = text(admin.get(url("principals", world.tenant)))
    assert gone.name not in default
    assert world.principal.name in default

    with_archived = text(admin.get(url("principals", world.tenant, query="?archived=1")))
    assert gone.name in with_archived
    assert url("principal_restore", world.tenant, gone.pk) in with_archived
    assert url("principal_edit", world.tenant, gone.pk) not in with_archived


def test_principal_list_never_shows_another_programme(world, other_world, admin):
    assert other_world.principal.name not in text(admin.get(url("principals", world.tenant)))


def test_principal_list_for_htmx_is_the_listing_fragment(world, admin):
    response = admin.get(url("principals", world.tenant), **HTMX)
    assert response.status_code == 200
    assert is_fragment(response)
    assert 'id="principal-listing"' in text(response)
    assert f'id="principal-{world.principal.pk}"' in text(response)


def _principals_with_operations(tenant, count):
    for i in range(count):
        principal = PrincipalFactory(tenant=tenant, name=f"Kommun {i:03d}")
        OperationFactory(principal=principal)
        archived(OperationFactory, principal=principal)


# Session, user, tenant, membership, then the page's one query.
PRINCIPAL_LIST_QUERIES = 5


@pytest.mark.parametrize("extra", [1, 15])
def test_principal_list_costs_the_same_for_few_and_many(
    world, admin, django_assert_num_queries, extra
):
    _principals_with_operations(world.tenant, extra)
    with django_assert_num_queries(PRINCIPAL_LIST_QUERIES):
        response = admin.get(url("principals", world.tenant))
    assert text(response).count('<tr id="principal-') == 2 + extra


# Session, user, tenant, membership; the principal, its operations, its people;
# its newest snapshot PDF (the "Skapa PDF" panel).
PRINCIPAL_DETAIL_QUERIES = 8


@pytest.mark.parametrize("extra", [1, 15])
def test_principal_detail_costs_the_same_for_few_and_many(
    world, admin, django_assert_num_queries, extra
):
    for i in range(extra):
        OperationFactory(principal=world.principal, name=f"Skola {i:03d}")
        PersonFactory(tenant=world.tenant, principal=world.principal)
    with django_assert_num_queries(PRINCIPAL_DETAIL_QUERIES):
        response = admin.get(url("principal_detail", world.tenant, world.principal.pk))
    assert text(response).count('<tr id="operation-') == extra


# Principals: detail ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_a_principal_with_its_operations_and_people(
    world, client_for, role, operation, person
):
    elsewhere = OperationFactory(principal=world.other_principal, name="Annanskolan")
    response = client_for(world.users[role]).get(
        url("principal_detail", world.tenant, world.principal.pk)
    )
    assert response.status_code == 200
    body = text(response)
    assert operation.name in body
    assert person.name in body
    assert elsewhere.name not in body


def test_principal_detail_hides_archived_operations_until_asked(world, admin, operation):
    old = archived(OperationFactory, principal=world.principal, name="Gamla skolan")
    page = url("principal_detail", world.tenant, world.principal.pk)
    assert old.name not in text(admin.get(page))
    with_archived = text(admin.get(page + "?archived=1"))
    assert old.name in with_archived
    assert url("operation_restore", world.tenant, old.pk) in with_archived


def test_principal_detail_for_htmx_is_the_operations_fragment(world, admin, operation):
    response = admin.get(url("principal_detail", world.tenant, world.principal.pk), **HTMX)
    assert is_fragment(response)
    assert f'id="operation-{operation.pk}"' in text(response)


# Principals: create ---------------------------------------------------------

VALID_PRINCIPAL = {
    "kind": PrincipalKind.MUNICIPALITY,
    "name": "Flens kommun",
    "municipality_code": "0482",
}


def test_admin_creates_a_principal_without_javascript(world, admin):
    page = admin.get(url("principal_create", world.tenant))
    assert page.status_code == 200
    assert "<html" in text(page)

    response = admin.post(url("principal_create", world.tenant), VALID_PRINCIPAL)

    principal = Principal.objects.with_scopes_disabled().get(
        tenant=world.tenant, name="Flens kommun"
    )
    assert response.status_code == 302
    assert response["Location"] == url("principal_detail", world.tenant, principal.pk)
    assert principal.municipality_code == "0482"
    [event] = audit_events(action="principal.create", object_type="portal.principal")
    assert event.object_id == str(principal.pk)
    assert event.actor == world.users["admin"]
    assert event.tenant == world.tenant


def test_admin_creates_a_principal_inline_with_htmx(world, admin):
    form = admin.get(url("principal_create", world.tenant), **HTMX)
    assert is_fragment(form)
    assert 'hx-post="' in text(form)
    assert 'hx-target="#principal-create"' in text(form)

    response = admin.post(url("principal_create", world.tenant), VALID_PRINCIPAL, **HTMX)

    principal = Principal.objects.with_scopes_disabled().get(
        tenant=world.tenant, name="Flens kommun"
    )
    assert response.status_code == 200
    assert is_fragment(response)
    body = text(response)
    assert 'hx-swap-oob="beforeend:#principal-rows"' in body
    assert f'<tr id="principal-{principal.pk}"' in body
    assert hx_trigger(response) == {"principalChanged": {"id": principal.pk, "action": "create"}}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"kind": PrincipalKind.MUNICIPALITY, "name": "Flens kommun", "municipality_code": ""},
            "municipality_code",
        ),
        (
            {"kind": PrincipalKind.REGION, "name": "Region Sörmland", "municipality_code": "0400"},
            "municipality_code",
        ),
        (
            {"kind": PrincipalKind.MUNICIPALITY, "name": "Flens kommun", "municipality_code": "48"},
            "municipality_code",
        ),
        ({"kind": PrincipalKind.MUNICIPALITY, "name": "", "municipality_code": "0482"}, "name"),
        ({"kind": "planet", "name": "Mars", "municipality_code": ""}, "kind"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_principal_is_refused_on_its_field_and_nothing_is_written(
    world, admin, data, field, headers
):
    before = rows(Principal)
    response = admin.post(url("principal_create", world.tenant), data, **headers)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert 'aria-invalid="true"' in text(response)
    assert is_fragment(response) == bool(headers)
    assert rows(Principal) == before
    assert audit_count() == 0


def test_duplicate_principal_name_is_refused_even_if_archived(world, admin):
    archived(PrincipalFactory, tenant=world.tenant, name="Flens kommun", municipality_code="0482")
    before = rows(Principal)
    response = admin.post(url("principal_create", world.tenant), VALID_PRINCIPAL)
    assert response.status_code == 200
    assert "name" in form_errors(response)
    assert rows(Principal) == before
    assert audit_count() == 0


def test_same_principal_name_is_fine_in_another_programme(world, other_world, admin):
    data = dict(VALID_PRINCIPAL, name=other_world.principal.name)
    assert admin.post(url("principal_create", world.tenant), data).status_code == 302


@pytest.mark.parametrize("role", NOT_DIRECTORY_ADMINS)
def test_below_admin_cannot_create_principals(world, client_for, role):
    client = client_for(world.users[role])
    before = rows(Principal)
    assert client.get(url("principal_create", world.tenant)).status_code == 403
    assert client.post(url("principal_create", world.tenant), VALID_PRINCIPAL).status_code == 403
    assert rows(Principal) == before
    assert audit_count() == 0


def test_principal_create_in_another_programme_is_404(world, other_admin):
    before = rows(Principal)
    response = other_admin.post(url("principal_create", world.tenant), VALID_PRINCIPAL)
    assert response.status_code == 404
    assert rows(Principal) == before


# Principals: edit -----------------------------------------------------------


def test_admin_edits_a_principal_without_javascript(world, admin):
    principal = world.principal
    page = admin.get(url("principal_edit", world.tenant, principal.pk))
    assert page.status_code == 200
    assert f'value="{principal.name}"' in text(page)

    response = admin.post(
        url("principal_edit", world.tenant, principal.pk),
        {
            "kind": PrincipalKind.MUNICIPALITY,
            "name": "Eskilstuna kommun",
            "municipality_code": "0484",
            "version": principal.version,
        },
    )

    assert response.status_code == 302
    assert reload(principal).name == "Eskilstuna kommun"
    [event] = audit_events(action="principal.update")
    assert event.before["name"] == principal.name
    assert event.after["name"] == "Eskilstuna kommun"
    assert event.after["municipality_code"] == "0484"


def test_admin_edits_a_principal_inline_with_htmx(world, admin, operation):
    principal = world.principal
    form = admin.get(url("principal_edit", world.tenant, principal.pk), **HTMX)
    assert form.status_code == 200
    assert starts_with_row(form, f"principal-{principal.pk}")
    assert f'hx-target="#principal-{principal.pk}"' in text(form)

    response = admin.post(
        url("principal_edit", world.tenant, principal.pk),
        {
            "kind": PrincipalKind.MUNICIPALITY,
            "name": "Eskilstuna kommun",
            "municipality_code": "0484",
            "version": principal.version,
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert starts_with_row(response, f"principal-{principal.pk}")
    assert "Eskilstuna kommun" in text(response)
    assert "<td>1</td>" in text(response)  # the row still counts its operations
    assert hx_trigger(response) == {"principalChanged": {"id": principal.pk, "action": "update"}}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_principal_edit_changes_nothing(world, admin, headers):
    before = rows(Principal)
    response = admin.post(
        url("principal_edit", world.tenant, world.principal.pk),
        {"kind": PrincipalKind.RESEARCH, "name": "FoU Sörmland", "municipality_code": "0482"},
        **headers,
    )
    assert response.status_code == 200
    assert "municipality_code" in form_errors(response)
    if headers:
        assert starts_with_row(response, f"principal-{world.principal.pk}")
    assert rows(Principal) == before
    assert audit_count() == 0


def test_renaming_a_principal_to_a_taken_name_changes_nothing(world, admin):
    before = rows(Principal)
    response = admin.post(
        url("principal_edit", world.tenant, world.principal.pk),
        {
            "kind": PrincipalKind.MUNICIPALITY,
            "name": world.other_principal.name,
            "municipality_code": "0482",
        },
    )
    assert response.status_code == 200
    assert "name" in form_errors(response)
    assert rows(Principal) == before


def test_leader_cannot_edit_principals(world, client_for):
    client = client_for(world.users["leader"])
    before = rows(Principal)
    assert client.get(url("principal_edit", world.tenant, world.principal.pk)).status_code == 403
    response = client.post(
        url("principal_edit", world.tenant, world.principal.pk),
        {"kind": PrincipalKind.MUNICIPALITY, "name": "Kapad", "municipality_code": "0482"},
    )
    assert response.status_code == 403
    assert rows(Principal) == before


def test_editing_another_programmes_principal_is_404(world, other_world, admin, other_admin):
    before = rows(Principal)
    foreign = url("principal_edit", world.tenant, other_world.principal.pk)
    assert admin.get(foreign).status_code == 404
    data = {"kind": PrincipalKind.MUNICIPALITY, "name": "Kapad", "municipality_code": "0482"}
    assert admin.post(foreign, data).status_code == 404
    assert (
        other_admin.post(url("principal_edit", world.tenant, world.principal.pk), data).status_code
        == 404
    )
    assert rows(Principal) == before


# Principals: archive and restore -------------------------------------------


def test_archiving_a_principal_asks_first_without_javascript(world, admin):
    page = admin.get(url("principal_archive", world.tenant, world.principal.pk))
    assert page.status_code == 200
    assert "<html" in text(page)
    assert f'action="{url("principal_archive", world.tenant, world.principal.pk)}"' in text(page)
    assert not reload(world.principal).is_archived
    assert audit_count() == 0


def test_admin_archives_a_principal_and_it_is_kept(world, admin, operation):
    response = admin.post(url("principal_archive", world.tenant, world.principal.pk))

    assert response.status_code == 302
    principal = reload(world.principal)  # still there: never hard-deleted
    assert principal.is_archived
    assert reload(operation).principal_id == principal.pk
    [event] = audit_events(action="principal.archive")
    assert event.object_id == str(principal.pk)
    assert event.before["archived_at"] is None
    assert event.after["archived_at"] is not None
    listing = text(admin.get(url("principals", world.tenant)))
    assert f'id="principal-{principal.pk}"' not in listing


def test_archiving_a_principal_with_htmx_swaps_the_row(world, admin):
    confirm = admin.get(url("principal_archive", world.tenant, world.principal.pk), **HTMX)
    assert starts_with_row(confirm, f"principal-{world.principal.pk}")
    assert "hx-post=" in text(confirm)

    response = admin.post(url("principal_archive", world.tenant, world.principal.pk), **HTMX)

    assert starts_with_row(response, f"principal-{world.principal.pk}")
    assert url("principal_restore", world.tenant, world.principal.pk) in text(response)
    assert hx_trigger(response) == {
        "principalChanged": {"id": world.principal.pk, "action": "archive"}
    }
    assert reload(world.principal).is_archived


def test_admin_restores_a_principal(world, admin):
    gone = archived(PrincipalFactory, tenant=world.tenant, name="Nedlagd kommun")

    response = admin.post(url("principal_restore", world.tenant, gone.pk))

    assert response.status_code == 302
    assert not reload(gone).is_archived
    [event] = audit_events(action="principal.restore")
    assert event.before["archived_at"] is not None
    assert event.after["archived_at"] is None


def test_restoring_a_principal_with_htmx_swaps_the_row(world, admin):
    gone = archived(PrincipalFactory, tenant=world.tenant, name="Nedlagd kommun")
    response = admin.post(url("principal_restore", world.tenant, gone.pk), **HTMX)
    assert starts_with_row(response, f"principal-{gone.pk}")
    assert url("principal_edit", world.tenant, gone.pk) in text(response)
    assert hx_trigger(response)["principalChanged"]["action"] == "restore"


def test_restore_is_post_only(world, admin):
    gone = archived(PrincipalFactory, tenant=world.tenant)
    assert admin.get(url("principal_restore", world.tenant, gone.pk)).status_code == 405
    assert reload(gone).is_archived


def test_leader_cannot_archive_or_restore_principals(world, client_for):
    client = client_for(world.users["leader"])
    gone = archived(PrincipalFactory, tenant=world.tenant)
    assert client.get(url("principal_archive", world.tenant, world.principal.pk)).status_code == 403
    assert (
        client.post(url("principal_archive", world.tenant, world.principal.pk)).status_code == 403
    )
    assert client.post(url("principal_restore", world.tenant, gone.pk)).status_code == 403
    assert not reload(world.principal).is_archived
    assert reload(gone).is_archived
    assert audit_count() == 0


def test_archiving_another_programmes_principal_is_404(world, other_world, admin, other_admin):
    assert (
        admin.post(url("principal_archive", world.tenant, other_world.principal.pk)).status_code
        == 404
    )
    assert (
        admin.post(url("principal_restore", world.tenant, other_world.principal.pk)).status_code
        == 404
    )
    assert (
        other_admin.post(url("principal_archive", world.tenant, world.principal.pk)).status_code
        == 404
    )
    assert (
        other_admin.post(url("principal_restore", world.tenant, world.principal.pk)).status_code
        == 404
    )
    assert not reload(other_world.principal).is_archived
    assert not reload(world.principal).is_archived
    assert audit_count() == 0


# Operations -----------------------------------------------------------------

VALID_OPERATION = {"sector": Sector.STUDENT_HEALTH, "name": "Elevhälsan"}


def test_admin_adds_an_operation_from_the_principal_page(world, admin):
    create = url("operation_create", world.tenant, query=f"?principal={world.principal.pk}")
    page = admin.get(create)
    assert page.status_code == 200
    assert page.context["form"]["principal"].value() == world.principal.pk

    response = admin.post(create, dict(VALID_OPERATION, principal=world.principal.pk))

    assert response.status_code == 302
    assert response["Location"] == url("principal_detail", world.tenant, world.principal.pk)
    operation = Operation.objects.with_scopes_disabled().get(name="Elevhälsan")
    assert operation.tenant == world.tenant
    assert operation.principal == world.principal
    [event] = audit_events(action="operation.create", object_type="portal.operation")
    assert event.after["principal_id"] == world.principal.pk


def test_admin_adds_an_operation_inline_with_htmx(world, admin):
    create = url("operation_create", world.tenant, query=f"?principal={world.principal.pk}")
    form = admin.get(create, **HTMX)
    assert is_fragment(form)
    assert 'hx-target="#operation-create"' in text(form)

    response = admin.post(create, dict(VALID_OPERATION, principal=world.principal.pk), **HTMX)

    operation = Operation.objects.with_scopes_disabled().get(name="Elevhälsan")
    assert is_fragment(response)
    assert 'hx-swap-oob="beforeend:#operation-rows"' in text(response)
    assert f'<tr id="operation-{operation.pk}"' in text(response)
    assert hx_trigger(response) == {"operationChanged": {"id": operation.pk, "action": "create"}}


def test_operation_added_to_another_principal_is_not_appended_here(world, admin):
    create = url("operation_create", world.tenant, query=f"?principal={world.principal.pk}")
    response = admin.post(create, dict(VALID_OPERATION, principal=world.other_principal.pk), **HTMX)
    operation = Operation.objects.with_scopes_disabled().get(name="Elevhälsan")
    assert operation.principal == world.other_principal
    assert "hx-swap-oob" not in text(response)
    assert url("principal_detail", world.tenant, world.other_principal.pk) in text(response)


def test_operation_choices_are_this_programmes_active_principals(world, other_world, admin):
    gone = archived(PrincipalFactory, tenant=world.tenant, name="Nedlagd kommun")
    choices = admin.get(url("operation_create", world.tenant)).context["form"]["principal"]
    ids = {int(choice.data["value"].value) for choice in choices if choice.data["value"]}
    assert ids == {world.principal.pk, world.other_principal.pk}
    assert gone.pk not in ids
    assert other_world.principal.pk not in ids


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sector": Sector.STUDENT_HEALTH, "name": ""}, "name"),
        ({"sector": "mars", "name": "Elevhälsan"}, "sector"),
        ({"sector": Sector.STUDENT_HEALTH, "name": "Elevhälsan", "principal": ""}, "principal"),
    ],
)
def test_bad_operation_is_refused_and_nothing_written(world, admin, data, field):
    data = {"principal": world.principal.pk, **data}
    before = rows(Operation)
    response = admin.post(url("operation_create", world.tenant), data)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert rows(Operation) == before
    assert audit_count() == 0


def test_operation_for_another_programmes_principal_is_refused(world, other_world, admin):
    before = rows(Operation)
    response = admin.post(
        url("operation_create", world.tenant),
        dict(VALID_OPERATION, principal=other_world.principal.pk),
    )
    assert response.status_code == 200
    assert "principal" in form_errors(response)
    assert rows(Operation) == before
    assert audit_count() == 0


def test_operation_for_an_archived_principal_is_refused(world, admin):
    gone = archived(PrincipalFactory, tenant=world.tenant)
    before = rows(Operation)
    response = admin.post(
        url("operation_create", world.tenant), dict(VALID_OPERATION, principal=gone.pk)
    )
    assert "principal" in form_errors(response)
    assert rows(Operation) == before


def test_operation_create_preselecting_another_programmes_principal_is_404(
    world, other_world, admin
):
    create = url("operation_create", world.tenant, query=f"?principal={other_world.principal.pk}")
    assert admin.get(create).status_code == 404


def test_leader_cannot_add_operations(world, client_for):
    client = client_for(world.users["leader"])
    before = rows(Operation)
    assert client.get(url("operation_create", world.tenant)).status_code == 403
    response = client.post(
        url("operation_create", world.tenant), dict(VALID_OPERATION, principal=world.principal.pk)
    )
    assert response.status_code == 403
    assert rows(Operation) == before


def test_operation_create_in_another_programme_is_404(world, other_admin):
    response = other_admin.post(
        url("operation_create", world.tenant), dict(VALID_OPERATION, principal=world.principal.pk)
    )
    assert response.status_code == 404
    assert rows(Operation) == []


def test_admin_edits_an_operation(world, admin, operation):
    page = admin.get(url("operation_edit", world.tenant, operation.pk))
    assert page.status_code == 200
    response = admin.post(
        url("operation_edit", world.tenant, operation.pk),
        {
            "principal": world.principal.pk,
            "sector": Sector.PRESCHOOL,
            "name": "Vasa förskola",
            "version": operation.version,
        },
    )
    assert response.status_code == 302
    operation = reload(operation)
    assert (operation.name, operation.sector) == ("Vasa förskola", Sector.PRESCHOOL)
    [event] = audit_events(action="operation.update")
    assert event.before["name"] == "Vasaskolan"
    assert event.after["name"] == "Vasa förskola"


def test_admin_edits_an_operation_inline_with_htmx(world, admin, operation):
    form = admin.get(url("operation_edit", world.tenant, operation.pk), **HTMX)
    assert starts_with_row(form, f"operation-{operation.pk}")

    response = admin.post(
        url("operation_edit", world.tenant, operation.pk),
        {
            "principal": world.principal.pk,
            "sector": Sector.PRESCHOOL,
            "name": "Vasa förskola",
            "version": operation.version,
        },
        **HTMX,
    )
    assert starts_with_row(response, f"operation-{operation.pk}")
    assert "Vasa förskola" in text(response)
    assert hx_trigger(response) == {"operationChanged": {"id": operation.pk, "action": "update"}}


def test_moving_an_operation_with_htmx_says_where_it_went(world, admin, operation):
    response = admin.post(
        url("operation_edit", world.tenant, operation.pk),
        {
            "principal": world.other_principal.pk,
            "sector": operation.sector,
            "name": operation.name,
            "version": operation.version,
        },
        **HTMX,
    )
    assert starts_with_row(response, f"operation-{operation.pk}")
    assert url("principal_detail", world.tenant, world.other_principal.pk) in text(response)
    assert reload(operation).principal_id == world.other_principal.pk


def test_editing_an_operation_keeps_its_archived_principal_as_a_choice(world, admin):
    gone = archived(PrincipalFactory, tenant=world.tenant, name="Nedlagd kommun")
    operation = OperationFactory(principal=gone, name="Gamla skolan")
    response = admin.post(
        url("operation_edit", world.tenant, operation.pk),
        {
            "principal": gone.pk,
            "sector": operation.sector,
            "name": "Gamla skolan 2",
            "version": operation.version,
        },
    )
    assert response.status_code == 302
    assert reload(operation).name == "Gamla skolan 2"


def test_bad_operation_edit_changes_nothing(world, other_world, admin, operation):
    before = rows(Operation)
    for data in (
        {"principal": world.principal.pk, "sector": operation.sector, "name": ""},
        {"principal": other_world.principal.pk, "sector": operation.sector, "name": "X"},
    ):
        response = admin.post(url("operation_edit", world.tenant, operation.pk), data, **HTMX)
        assert response.status_code == 200
        assert form_errors(response)
        assert starts_with_row(response, f"operation-{operation.pk}")
    assert rows(Operation) == before
    assert audit_count() == 0


def test_operation_edit_archive_restore_need_directory_admin(world, client_for, operation):
    client = client_for(world.users["leader"])
    before = rows(Operation)
    assert client.get(url("operation_edit", world.tenant, operation.pk)).status_code == 403
    assert client.post(url("operation_edit", world.tenant, operation.pk), {}).status_code == 403
    assert client.get(url("operation_archive", world.tenant, operation.pk)).status_code == 403
    assert client.post(url("operation_archive", world.tenant, operation.pk)).status_code == 403
    assert client.post(url("operation_restore", world.tenant, operation.pk)).status_code == 403
    assert rows(Operation) == before


def test_another_programmes_operation_is_404(world, other_world, admin, other_admin, operation):
    foreign = OperationFactory(principal=other_world.principal)
    before = rows(Operation)
    for name in ("operation_edit", "operation_archive", "operation_restore"):
        assert admin.post(url(name, world.tenant, foreign.pk)).status_code == 404
        assert other_admin.post(url(name, world.tenant, operation.pk)).status_code == 404
    assert admin.get(url("operation_edit", world.tenant, foreign.pk)).status_code == 404
    assert rows(Operation) == before
    assert audit_count() == 0


def test_admin_archives_and_restores_an_operation(world, admin, operation):
    confirm = admin.get(url("operation_archive", world.tenant, operation.pk))
    assert confirm.status_code == 200
    assert not reload(operation).is_archived

    response = admin.post(url("operation_archive", world.tenant, operation.pk))
    assert response.status_code == 302
    assert response["Location"] == url("principal_detail", world.tenant, world.principal.pk)
    assert reload(operation).is_archived

    response = admin.post(url("operation_restore", world.tenant, operation.pk))
    assert response.status_code == 302
    assert not reload(operation).is_archived

    archive, restore = audit_events(object_type="portal.operation")
    assert (archive.action, restore.action) == ("operation.archive", "operation.restore")
    assert archive.before["archived_at"] is None and archive.after["archived_at"]
    assert restore.before["archived_at"] and restore.after["archived_at"] is None


def test_archiving_an_operation_with_htmx_swaps_the_row(world, admin, operation):
    confirm = admin.get(url("operation_archive", world.tenant, operation.pk), **HTMX)
    assert starts_with_row(confirm, f"operation-{operation.pk}")

    response = admin.post(url("operation_archive", world.tenant, operation.pk), **HTMX)
    assert starts_with_row(response, f"operation-{operation.pk}")
    assert url("operation_restore", world.tenant, operation.pk) in text(response)
    assert hx_trigger(response) == {"operationChanged": {"id": operation.pk, "action": "archive"}}

    response = admin.post(url("operation_restore", world.tenant, operation.pk), **HTMX)
    assert url("operation_edit", world.tenant, operation.pk) in text(response)
    assert hx_trigger(response)["operationChanged"]["action"] == "restore"
    assert Operation.objects.with_scopes_disabled().filter(pk=operation.pk).exists()


# People ---------------------------------------------------------------------

VALID_PERSON = {
    "name": "Karin Berg",
    "title": "Rektor",
    "organisation": "",
    "email": "karin.berg@flen.se",
    "phone": "0157-123 45",
}


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


# Session, user, tenant, membership, then the page's one query.
PEOPLE_LIST_QUERIES = 5


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


# Services behind the views --------------------------------------------------


def test_refused_update_leaves_the_object_as_it_was(world, no_scopes):
    principal = world.principal
    before = rows(Principal)
    with pytest.raises(ValidationError) as refused:
        services.principal_update(
            actor=world.users["admin"], principal=principal, kind=PrincipalKind.REGION, name="Ny"
        )
    assert "municipality_code" in refused.value.error_dict
    assert (principal.kind, principal.name) == (PrincipalKind.MUNICIPALITY, "sormland-kommun-a")
    assert rows(Principal) == before
    assert audit_count() == 0


def test_member_add_needs_a_domain_to_invite(world, no_scopes):
    with pytest.raises(ValueError, match="invitation_domain"):
        services.member_add(
            actor=world.users["admin"],
            tenant=world.tenant,
            email="ny@flen.se",
            role=Role.RESEARCHER,
        )
