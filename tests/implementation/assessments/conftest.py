"""The self-assessment pages' scene: the reporter of the first principal, a
draft, another principal's reporter."""

from __future__ import annotations

import pytest

from portal.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.implementation.helpers import approved, rate, start, submit


@pytest.fixture
def reporter(world, client_for):
    return client_for(world.users["reporter"])


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def other_reporter(world, client_for):
    """A reporter of the programme's other principal."""
    user = UserFactory(username="reporter-b")
    MembershipFactory(
        tenant=world.tenant,
        user=user,
        role=Role.PRINCIPAL_REPORTER,
        principal=world.other_principal,
    )
    return client_for(user)


@pytest.fixture
def draft(world, staircase):
    return start(world, actor="reporter")


@pytest.fixture
def current(world, staircase):
    return approved(world, 3)


# Review ------------------------------------------------------------------------------------------


@pytest.fixture
def submitted(world, draft):
    return submit(world, rate(world, draft, 2), actor="reporter")
