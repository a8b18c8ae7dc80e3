"""The directory's principals (portal/views/directory.py): the list, one
principal, creating, editing, archiving and restoring."""

from __future__ import annotations

import pytest

from portal.models import Principal, PrincipalKind
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
)
from tests.portal.directory.helpers import (
    NOT_DIRECTORY_ADMINS,
    PRINCIPAL_DETAIL_QUERIES,
    PRINCIPAL_LIST_QUERIES,
    VALID_PRINCIPAL,
    _principals_with_operations,
    archived,
    url,
)

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


@pytest.mark.parametrize("extra", [1, 15])
def test_principal_list_costs_the_same_for_few_and_many(
    world, admin, django_assert_num_queries, extra
):
    _principals_with_operations(world.tenant, extra)
    with django_assert_num_queries(PRINCIPAL_LIST_QUERIES):
        response = admin.get(url("principals", world.tenant))
    assert text(response).count('<tr id="principal-') == 2 + extra


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
