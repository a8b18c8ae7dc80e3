"""portal/access.py: one lookup per noun. Each `get_<noun>_for` returns its
own programme's object, answers 404 for another programme's id and one that
does not exist, and 403 for too little role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django_scopes import scope, scopes_disabled

from portal import access
from portal.documents import access as document_access
from portal.documents.registry import get_kind
from portal.models import GeneratedFile, GeneratedFileStatus, Principal
from tests.factories import OperationFactory, PersonFactory

NOT_AN_ID = 999_999_999


def as_member(world, role: str) -> Any:
    request = RequestFactory().get("/")
    request.tenant = world.tenant
    request.membership = world.memberships[role]
    request.user = world.users[role]
    return request


def lookup(world, role: str, get: Callable[..., Any], *args: Any, **options: Any) -> Any:
    with scope(tenant=world.tenant):
        return get(as_member(world, role), *args, **options)


NOUNS: dict[str, tuple[Callable[..., Any], Callable[..., Any], str]] = {
    # noun: (lookup, what it is made of in a programme, a role that may not write)
    "principal": (access.get_principal_for, lambda w: w.principal, "leader"),
    "operation": (
        access.get_operation_for,
        lambda w: OperationFactory(tenant=w.tenant, principal=w.principal),
        "leader",
    ),
    "person": (
        access.get_person_for,
        lambda w: PersonFactory(tenant=w.tenant, principal=w.principal),
        "steering",
    ),
    "membership": (access.get_membership_for, lambda w: w.memberships["steering"], "leader"),
}


@pytest.fixture(params=sorted(NOUNS))
def noun(request):
    return NOUNS[request.param]


def test_own_programmes_object_is_found_for_reading_and_writing(world, noun):
    get, make, _cannot = noun
    obj = make(world)
    assert lookup(world, "admin", get, obj.pk).pk == obj.pk
    assert lookup(world, "admin", get, obj.pk, write=True).pk == obj.pk


def test_another_programmes_object_is_404(world, other_world, noun):
    get, make, _cannot = noun
    foreign = make(other_world)
    with pytest.raises(Http404):
        lookup(world, "admin", get, foreign.pk)
    with pytest.raises(Http404):
        lookup(world, "admin", get, foreign.pk, write=True)


def test_an_id_that_does_not_exist_is_404(world, noun):
    get, _make, _cannot = noun
    with pytest.raises(Http404):
        lookup(world, "admin", get, NOT_AN_ID, write=True)


def test_too_little_role_to_write_is_403(world, noun):
    get, make, cannot = noun
    obj = make(world)
    with pytest.raises(PermissionDenied):
        lookup(world, cannot, get, obj.pk, write=True)


def test_everyone_reads_the_directory_but_only_administrators_the_members(world):
    assert lookup(world, "reporter", access.get_principal_for, world.principal.pk)
    person = PersonFactory(tenant=world.tenant, principal=world.principal)
    assert lookup(world, "reporter", access.get_person_for, person.pk).pk == person.pk
    with pytest.raises(PermissionDenied):
        lookup(world, "leader", access.get_membership_for, world.memberships["leader"].pk)


def test_process_leaders_change_people_but_not_principals(world):
    person = PersonFactory(tenant=world.tenant, principal=world.principal)
    assert lookup(world, "leader", access.get_person_for, person.pk, write=True).pk == person.pk
    with pytest.raises(PermissionDenied):
        lookup(world, "leader", access.get_principal_for, world.principal.pk, write=True)


def test_the_role_is_asked_before_the_lookup(world, other_world):
    """A role that may never write learns nothing of which ids exist."""
    with pytest.raises(PermissionDenied):
        lookup(world, "leader", access.get_principal_for, other_world.principal.pk, write=True)


def test_a_rule_for_the_principal_is_asked_after_the_lookup(world, other_world):
    rule = "portal.view_principal_dashboard"
    own = lookup(world, "reporter", access.get_principal_for, world.principal.pk, rule=rule)
    assert own.pk == world.principal.pk
    with pytest.raises(PermissionDenied):
        lookup(world, "reporter", access.get_principal_for, world.other_principal.pk, rule=rule)
    with pytest.raises(Http404):
        lookup(world, "reporter", access.get_principal_for, other_world.principal.pk, rule=rule)


def test_a_principal_comes_as_the_directory_lists_it(world):
    OperationFactory(tenant=world.tenant, principal=world.principal)
    principal = lookup(world, "steering", access.get_principal_for, world.principal.pk)
    assert principal.operation_count == 1


# Documents ----------------------------------------------------------------------------


def snapshot_job(world, principal: Principal) -> GeneratedFile:
    with scopes_disabled():
        return GeneratedFile.objects.create(
            tenant=world.tenant,
            kind="principal_snapshot",
            content_type=ContentType.objects.get_for_model(Principal),
            object_id=principal.pk,
            audience="portal.view_principal_snapshot",
            status=GeneratedFileStatus.QUEUED,
            filename="lägesbild.pdf",
        )


def test_an_unknown_kind_of_document_is_404():
    with pytest.raises(Http404):
        document_access.get_document_kind("no_such_kind")


def test_a_documents_object_is_found_within_the_programme(world, other_world):
    kind = get_kind("principal_snapshot")
    get = document_access.get_document_source_for
    assert lookup(world, "steering", get, kind, world.principal.pk) == world.principal
    assert lookup(world, "leader", get, kind, world.principal.pk, write=True) == world.principal
    with pytest.raises(Http404):
        lookup(world, "leader", get, kind, other_world.principal.pk, write=True)
    with pytest.raises(PermissionDenied):
        lookup(world, "reporter", get, kind, world.principal.pk)


def test_a_document_job_is_found_within_the_programme(world, other_world):
    job = snapshot_job(world, world.principal)
    foreign = snapshot_job(other_world, other_world.principal)
    get = document_access.get_generated_file_for
    found, kind, obj = lookup(world, "steering", get, job.pk)
    assert (found.pk, kind.key, obj) == (job.pk, "principal_snapshot", world.principal)
    assert lookup(world, "leader", get, job.pk, write=True)[0].pk == job.pk
    with pytest.raises(Http404):
        lookup(world, "leader", get, foreign.pk)
    with pytest.raises(Http404):
        lookup(world, "leader", get, NOT_AN_ID, write=True)
    with pytest.raises(PermissionDenied):
        lookup(world, "reporter", get, job.pk, write=True)
