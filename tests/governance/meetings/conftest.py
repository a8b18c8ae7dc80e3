"""The meeting pages' scene: a planned meeting of the steering group, its
items, another programme's meeting."""

from __future__ import annotations

import pytest

from governance.models import AgendaItem, Meeting
from tests.governance.meetings.helpers import items, plan


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def meeting(world, gov) -> Meeting:
    """The steering group's March meeting, planned with two agenda items."""
    return plan(
        world,
        gov,
        place="Nygatan 20, Växjö",
        agenda=[("Statusrapport", "information"), ("Risker", "dialog")],
    )


@pytest.fixture
def item(meeting) -> AgendaItem:
    return items(meeting)[0]


@pytest.fixture
def foreign(other_world, other_gov) -> Meeting:
    """A meeting of the other programme, with an agenda item and attendance."""
    return plan(other_world, other_gov, agenda=[("Annat program", "information")])
