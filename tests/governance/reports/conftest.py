"""The status report pages' scene: a draft and a finished report, another programme's report."""

from __future__ import annotations

import datetime

import pytest

from tests.governance.reports.helpers import make_report
from tests.governance.risk_helpers import make_risk, review


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def draft(world, gov):
    return make_report(world, gov, gut_feeling="oroande", gut_feeling_text="Oro för ekonomin.")


@pytest.fixture
def finished(world, gov):
    return make_report(world, gov, period=datetime.date(2025, 2, 1), finished=True)


@pytest.fixture
def other_report(other_world, other_gov):
    return make_report(other_world, other_gov)


# Risk reviews -------------------------------------------------------------


@pytest.fixture
def reviews(world):
    risk = make_risk(world, title="Bifall saknas", likelihood=3, consequence=4)
    return [
        review(world, risk, datetime.date(2025, 3, 12), 3, 4, note="Inget svar."),
        review(world, risk, datetime.date(2025, 4, 2), 2, 4, note="Svar kommit."),
    ]
