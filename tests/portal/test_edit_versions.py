"""The optimistic lock of edit forms (issue 18, item 3), as a mechanism:
`claim_version` and `update_audited` in the services, `VersionedForm` and
`show_refusal` for the forms. tests/trust/test_lost_updates.py proves the
property over every edit form of the portal."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import translation
from django_scopes import scope

from portal import services
from portal.forms import PrincipalForm
from portal.htmx import show_refusal, with_version
from portal.models import AuditEvent, Principal, Tenant
from portal.services import ConflictError, claim_version, update_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal(world) -> Principal:
    return world.principal


def saved(principal: Principal) -> Principal:
    return Principal.objects.get(pk=principal.pk)


def updates(principal: Principal) -> int:
    return AuditEvent.objects.filter(
        object_type="portal.principal", object_id=str(principal.pk), action="principal.update"
    ).count()


# Services -------------------------------------------------------------------------


def test_a_save_from_the_version_it_was_opened_at_takes_the_next_version(world, principal):
    with scope(tenant=world.tenant):
        services.principal_update(
            actor=world.users["admin"], principal=principal, expected_version=1, name="Ny"
        )
        assert (saved(principal).name, saved(principal).version) == ("Ny", 2)
        assert principal.version == 2


def test_a_save_from_an_older_version_is_refused_and_keeps_the_first_change(world, principal):
    with scope(tenant=world.tenant):
        first, second = saved(principal), saved(principal)  # both opened at version 1
        services.principal_update(
            actor=world.users["admin"], principal=first, expected_version=1, name="Först"
        )
        with pytest.raises(ConflictError) as refusal:
            services.principal_update(
                actor=world.users["admin"],
                principal=second,
                expected_version=1,
                name=second.name,
                municipality_code="0999",
            )
        now = saved(principal)
        assert (now.name, now.municipality_code, now.version) == (
            "Först",
            first.municipality_code,
            2,
        )
        assert refusal.value.version == 2
        assert isinstance(refusal.value.saved, Principal)
        assert refusal.value.saved.name == "Först"
        assert updates(principal) == 1


def test_a_change_without_a_form_makes_the_open_forms_stale(world, principal):
    """A write that no edit form made (a script, another service) moves the
    version on too, so a form opened before it cannot overwrite it."""
    with scope(tenant=world.tenant):
        services.principal_update(actor=world.users["admin"], principal=saved(principal), name="X")
        assert saved(principal).version == 2
        with pytest.raises(ConflictError):
            services.principal_update(
                actor=world.users["admin"], principal=principal, expected_version=1, name="Y"
            )
        assert saved(principal).name == "X"


def test_a_refused_change_leaves_the_object_and_its_version_as_they_were(world, principal):
    with scope(tenant=world.tenant):
        with pytest.raises(ValidationError):
            # A municipality needs its four-digit code.
            services.principal_update(
                actor=world.users["admin"],
                principal=principal,
                expected_version=1,
                municipality_code="",
            )
        assert principal.version == 1
        assert principal.municipality_code != ""


def test_of_two_claims_from_the_same_version_only_the_first_gets_through(world, principal):
    with scope(tenant=world.tenant):
        first, second = saved(principal), saved(principal)
        claim_version(first, 1)
        with pytest.raises(ConflictError):
            claim_version(second, 1)
        assert saved(principal).version == 2


def test_a_version_cannot_be_checked_on_a_row_that_has_none(world):
    tenant = Tenant.objects.get(pk=world.tenant.pk)
    with pytest.raises(TypeError):
        update_audited(tenant, actor=None, tenant=None, fields={"name": "X"}, expected_version=1)


# Forms ----------------------------------------------------------------------------


def post(principal: Principal, **data: str) -> QueryDict:
    fields = {
        "kind": principal.kind,
        "name": principal.name,
        "municipality_code": principal.municipality_code,
        "version": str(principal.version),
        **data,
    }
    query = QueryDict(mutable=True)
    query.update(fields)
    return query


def test_an_edit_form_carries_the_version_and_hands_it_on_as_expected_version(world, principal):
    with scope(tenant=world.tenant):
        opened = PrincipalForm(tenant=world.tenant, instance=principal)
        assert 'name="version" value="1"' in str(opened)
        form = PrincipalForm(post(principal, name="Ny"), tenant=world.tenant, instance=principal)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["expected_version"] == 1
        assert "version" not in form.cleaned_data


def test_a_new_object_s_form_has_no_version(world):
    with scope(tenant=world.tenant):
        assert "version" not in PrincipalForm(tenant=world.tenant).fields


def test_an_edit_form_without_its_version_is_refused(world, principal):
    with scope(tenant=world.tenant):
        data = post(principal)
        del data["version"]
        form = PrincipalForm(data, tenant=world.tenant, instance=principal)
        assert not form.is_valid()
        assert "version" in form.errors


def test_a_stale_form_keeps_the_input_and_shows_what_was_saved_where_it_differs(world, principal):
    with scope(tenant=world.tenant), translation.override("en"):
        stale = post(principal, municipality_code="0999")
        services.principal_update(
            actor=world.users["admin"], principal=saved(principal), expected_version=1, name="Först"
        )
        form = PrincipalForm(stale, tenant=world.tenant, instance=principal)
        assert form.is_valid()
        with pytest.raises(ConflictError) as refusal:
            services.principal_update(
                actor=world.users["admin"], principal=principal, **form.cleaned_data
            )
        show_refusal(form, refusal.value)

        html = str(form)
        assert 'name="version" value="2"' in html  # saving again is possible
        assert 'value="0999"' in html  # the user's own input is kept
        assert "Someone else saved this while you were editing." in str(form.non_field_errors())
        # What was saved meanwhile, at the field where it differs from the input …
        assert form.errors["name"] == ["Saved meanwhile by someone else: Först"]
        # … and nothing where they agree, or where only the user changed it.
        assert "kind" not in form.errors
        assert form.errors["municipality_code"] == [
            f"Saved meanwhile by someone else: {principal.municipality_code}"
        ]


def test_with_version_keeps_every_value_of_a_multiple_choice():
    data = QueryDict("owners=1&owners=2&version=3")
    fresh = with_version(data, 5)
    assert fresh.getlist("owners") == ["1", "2"]
    assert fresh["version"] == "5"
    assert with_version({"text": "a", "version": "1"}, 2).dict() == {"text": "a", "version": "2"}
