"""Reading self-assessments (implementation/views/assessments.py): the
overview, a principal's history and one assessment."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import PrincipalFactory
from tests.helpers import HTMX, is_fragment, text
from tests.implementation.assessments.helpers import (
    HISTORY_QUERIES,
    LIST_QUERIES,
    NOT_DRAFT_READERS,
    ROLES,
    criteria,
    url,
)
from tests.implementation.helpers import H2, approved, start

# The overview -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_each_principals_current_step(world, client_for, current, role):
    response = client_for(world.users[role]).get(url("assessment_list", world.tenant))

    assert response.status_code == 200
    body = text(response)
    assert url("assessment_principal", world.tenant, world.principal.pk) in body
    assert url("assessment_detail", world.tenant, current.pk) in body
    assert "Förbereda" in body  # step 3


def test_open_counts_only_for_those_who_may_see_the_drafts(
    world, client_for, draft, other_reporter
):
    start(world, principal=world.other_principal)

    def open_link_for_own(client) -> bool:
        page = text(client.get(url("assessment_list", world.tenant)))
        row = page[page.index(f'id="principal-{world.principal.pk}"') :]
        row = row[: row.index("</tr>")]
        return 'class="open-count"' in row

    assert open_link_for_own(client_for(world.users["leader"]))
    assert open_link_for_own(client_for(world.users["reporter"]))
    assert not open_link_for_own(other_reporter)
    assert not open_link_for_own(client_for(world.users["steering"]))


def test_the_overview_is_an_htmx_fragment_on_request(world, leader, current):
    response = leader.get(url("assessment_list", world.tenant), **HTMX)
    assert is_fragment(response)
    assert 'id="assessment-listing"' in text(response)


@pytest.mark.parametrize("count", [1, 8])
def test_the_overview_costs_the_same_for_few_and_many(
    world, leader, staircase, django_assert_num_queries, count
):
    for _ in range(count):
        principal = PrincipalFactory(tenant=world.tenant)
        approved(world, 2, principal=principal)
        start(world, principal=principal, period=H2)
    with django_assert_num_queries(LIST_QUERIES):
        response = leader.get(url("assessment_list", world.tenant))
    assert text(response).count("step-number") == count


# A principal's history --------------------------------------------------------------------


def test_history_shows_the_step_per_date_and_marks_moves_back(world, leader, staircase):
    first = approved(world, 4, approved_on=datetime.date(2024, 12, 15))
    second = approved(world, 2, period=H2, approved_on=datetime.date(2025, 6, 20))

    response = leader.get(url("assessment_principal", world.tenant, world.principal.pk))

    body = text(response)
    assert body.index(f'id="assessment-{second.pk}"') < body.index(f'id="assessment-{first.pk}"')
    assert "2025-06-20" in body and "2024-12-15" in body
    assert f'<tr id="assessment-{second.pk}" class="is-backwards">' in body
    assert f'<tr id="assessment-{first.pk}">' in body
    assert "badge--back" in body
    assert "step-bar--2" in body and "step-bar--4" in body


@pytest.mark.parametrize("role", ["leader", "reporter"])
def test_drafts_are_in_the_history_for_leaders_and_own_reporters(world, client_for, draft, role):
    body = text(
        client_for(world.users[role]).get(
            url("assessment_principal", world.tenant, world.principal.pk)
        )
    )
    assert f'id="assessment-{draft.pk}"' in body


@pytest.mark.parametrize("role", NOT_DRAFT_READERS)
def test_drafts_are_not_in_the_history_for_others(world, client_for, current, draft, role):
    body = text(
        client_for(world.users[role]).get(
            url("assessment_principal", world.tenant, world.principal.pk)
        )
    )
    assert f'id="assessment-{draft.pk}"' not in body
    assert f'id="assessment-{current.pk}"' in body


def test_a_reporter_of_another_principal_sees_only_approved(world, other_reporter, current, draft):
    body = text(other_reporter.get(url("assessment_principal", world.tenant, world.principal.pk)))
    assert f'id="assessment-{draft.pk}"' not in body
    assert f'id="assessment-{current.pk}"' in body
    assert url("assessment_create", world.tenant) not in body


@pytest.mark.parametrize("count", [1, 6])
def test_the_history_costs_the_same_for_few_and_many(
    world, leader, staircase, operation, django_assert_num_queries, count
):
    for _ in range(count):
        approved(world, 1)
        approved(world, 2, operation=operation)
    with django_assert_num_queries(HISTORY_QUERIES):
        response = leader.get(url("assessment_principal", world.tenant, world.principal.pk))
    assert text(response).count('class="step-bar') == 2 * count


# One assessment --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_an_approved_assessment(world, client_for, current, role):
    response = client_for(world.users[role]).get(url("assessment_detail", world.tenant, current.pk))

    assert response.status_code == 200
    body = text(response)
    assert "Förbereda" in body
    for criterion in criteria(current)[:3]:
        assert f'id="rating-{criterion.pk}"' in body
    assert url("assessment_edit", world.tenant, current.pk) not in body


@pytest.mark.parametrize("role", NOT_DRAFT_READERS)
def test_drafts_are_404_to_steering_researchers_and_admins(world, client_for, draft, role):
    response = client_for(world.users[role]).get(url("assessment_detail", world.tenant, draft.pk))
    assert response.status_code == 404


def test_a_reporter_cannot_see_another_principals_draft(world, other_reporter, draft):
    assert other_reporter.get(url("assessment_detail", world.tenant, draft.pk)).status_code == 404
    assert other_reporter.get(url("assessment_edit", world.tenant, draft.pk)).status_code == 404


def test_the_own_reporter_and_leaders_see_a_draft_with_its_edit_link(
    world, reporter, leader, draft
):
    for client in (reporter, leader):
        body = text(client.get(url("assessment_detail", world.tenant, draft.pk)))
        assert url("assessment_edit", world.tenant, draft.pk) in body


def test_another_programmes_assessment_is_404(
    world, other_world, leader, staircase, other_staircase
):
    other = start(other_world, principal=other_world.principal)
    for name in ["assessment_detail", "assessment_edit", "assessment_submit", "assessment_approve"]:
        assert leader.get(url(name, world.tenant, other.pk)).status_code == 404, name
    assert leader.post(url("assessment_approve", world.tenant, other.pk)).status_code == 404


def test_the_detail_is_a_fragment_for_htmx(world, leader, current):
    response = leader.get(url("assessment_detail", world.tenant, current.pk), **HTMX)
    assert is_fragment(response)
    assert 'id="assessment"' in text(response)


def test_a_superseded_snapshot_links_to_the_later_one(world, client_for, current):
    later = approved(world, 1, period=H2)
    body = text(
        client_for(world.users["steering"]).get(url("assessment_detail", world.tenant, current.pk))
    )
    assert url("assessment_detail", world.tenant, later.pk) in body
