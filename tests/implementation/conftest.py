"""Implementation scene: the first programme's default staircase, an operation
of the reporter's principal, and helpers that drive the services as the
views would."""

from __future__ import annotations

import pytest
from django_scopes import scope

from implementation.models import Staircase
from implementation.services.staircase import staircase_ensure_default
from portal.models import Operation
from tests.factories import OperationFactory
from tests.helpers import in_scope  # noqa: F401  (a fixture)


@pytest.fixture
def staircase(world) -> Staircase:
    with scope(tenant=world.tenant):
        return staircase_ensure_default(world.tenant)


@pytest.fixture
def other_staircase(other_world) -> Staircase:
    with scope(tenant=other_world.tenant):
        return staircase_ensure_default(other_world.tenant)


@pytest.fixture
def operation(world) -> Operation:
    return OperationFactory(tenant=world.tenant, principal=world.principal, name="Grundskolan")


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
