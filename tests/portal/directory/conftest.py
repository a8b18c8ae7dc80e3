"""The directory pages' scene: the administrators of both programmes, an operation."""

from __future__ import annotations

import pytest

from tests.factories import OperationFactory, PersonFactory


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
