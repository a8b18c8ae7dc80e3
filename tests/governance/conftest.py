"""Governance scene: each programme has a steering group (“SG”) whose chair is
the steering member's person; the process leader also has a person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from governance.models import Body
from portal.models import Person
from tests.factories import PersonFactory
from tests.governance.factories import BodyFactory, BodyMemberFactory
from tests.helpers import in_scope  # noqa: F401  (a fixture)


@dataclass
class Gov:
    body: Body
    chair: Person  # linked to world.users["steering"]
    leader: Person  # linked to world.users["leader"]
    member: Person  # a member of the body from world.principal


def _gov(world) -> Gov:
    tenant = world.tenant
    body = BodyFactory(tenant=tenant, name="Styrgruppen", code="SG")
    chair = PersonFactory(tenant=tenant, name="Ordförande Test", user=world.users["steering"])
    leader = PersonFactory(tenant=tenant, name="Processledare Test", user=world.users["leader"])
    # The memberships as the middleware loads them: with their people.
    world.memberships["steering"].person = chair
    world.memberships["leader"].person = leader
    member = PersonFactory(tenant=tenant, name="Ledamot Test", principal=world.principal)
    start = datetime.date(2024, 1, 1)
    BodyMemberFactory(body=body, person=chair, role="ordforande", start_date=start)
    BodyMemberFactory(body=body, person=leader, role="processledare", start_date=start)
    BodyMemberFactory(
        body=body,
        person=member,
        role="ledamot",
        start_date=start,
        represents_principal=world.principal,
    )
    return Gov(body=body, chair=chair, leader=leader, member=member)


@pytest.fixture
def gov(world) -> Gov:
    return _gov(world)


@pytest.fixture
def other_gov(other_world) -> Gov:
    return _gov(other_world)
