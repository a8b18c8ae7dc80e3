"""The directory's operations (portal/views/directory.py)."""

from __future__ import annotations

import pytest

from portal.models import Operation, Sector
from tests.factories import OperationFactory, PrincipalFactory
from tests.helpers import (
    HTMX,
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
from tests.portal.directory.helpers import VALID_OPERATION, archived, url


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
