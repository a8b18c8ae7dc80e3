"""A follow-up item that carries many assignments (issue 17): the meeting
page sums them up by status, and their table — with the principals' answers
and, for the minutes' editors, the status buttons — is loaded on demand, in
its place by htmx or as a page of its own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from governance.selectors.meetings import FOLLOW_UPS_INLINE
from governance.services import actions
from governance.services.report_back import action_answer_save
from tests.governance.meetings.helpers import MEETING_PAGE_QUERIES, approve, items, plan, url
from tests.helpers import HTMX, is_fragment, reload, text

MANY = FOLLOW_UPS_INLINE + 3


@pytest.fixture
def carried(world, gov):
    """`MANY` open assignments of the steering group, two of them in
    progress and one answered by the principal."""
    with scope(tenant=world.tenant):
        given = [
            actions.action_create(
                actor=None, body=gov.body, description=f"Uppdrag nummer {n}", owner_all=True
            )
            for n in range(MANY)
        ]
        for action in given[:2]:
            actions.action_set_status(actor=None, action=action, status="pagar")
        action_answer_save(
            actor=None, action=given[0], principal=world.principal, text="Klart i alla skolor."
        )
    return given


@pytest.fixture
def follow_up(world, gov, carried):
    meeting = plan(world, gov, day=(2030, 3, 25))  # to come: today's assignments are carried
    [item] = [i for i in items(meeting) if i.kind == "uppfoljning"]
    return item


def list_url(world, item) -> str:
    return url("followup_list", world.tenant, item.pk)


def test_the_meeting_page_sums_a_long_follow_up_up_by_status(world, follow_up, leader, carried):
    page = text(leader.get(url("meeting_detail", world.tenant, follow_up.meeting_id)))

    assert f'id="follow-up-{follow_up.pk}" class="follow-up-summary"' in page
    assert f"{MANY} uppdrag följs upp" in page
    assert f"ej påbörjad {MANY - 2}, pågår 2" in page
    assert list_url(world, follow_up) in page
    # No row of the table, nor its answers, is drawn in the page.
    assert f'id="followup-{follow_up.pk}-{carried[0].pk}"' not in page
    assert "Klart i alla skolor." not in page


def test_a_long_follow_up_costs_the_page_no_more_queries(world, follow_up, leader):
    page_url = url("meeting_detail", world.tenant, follow_up.meeting_id)
    leader.get(page_url)
    with CaptureQueriesContext(connection) as queries:
        leader.get(page_url)
    assert len(queries) <= MEETING_PAGE_QUERIES


def test_the_table_is_loaded_in_place_with_every_row_answer_and_button(
    world, follow_up, leader, carried
):
    response = leader.get(list_url(world, follow_up), **HTMX)

    assert response.status_code == 200
    assert is_fragment(response)
    html = text(response)
    assert html.lstrip().startswith(f'<div id="follow-up-{follow_up.pk}" class="table-wrap">')
    assert html.count(f'<tr id="followup-{follow_up.pk}-') == MANY
    assert "Klart i alla skolor." in html
    assert url("followup_status", world.tenant, follow_up.pk, carried[0].pk) in html
    # The button that asked for it is gone: focus moves to the table's caption.
    assert '<caption tabindex="-1" data-autofocus>' in html


def test_without_javascript_the_table_is_a_page_of_its_own(world, follow_up, leader, carried):
    response = leader.get(list_url(world, follow_up))

    assert response.status_code == 200
    html = text(response)
    assert "<h1>" in html and "<main" in html
    assert html.count(f'<tr id="followup-{follow_up.pk}-') == MANY
    assert url("meeting_detail", world.tenant, follow_up.meeting_id) in html


def test_a_status_set_from_the_list_without_javascript_returns_to_it(
    world, follow_up, leader, carried
):
    action = carried[5]
    response = leader.post(
        url("followup_status", world.tenant, follow_up.pk, action.pk), {"status": "klar"}
    )

    assert response.status_code == 302
    assert response["Location"] == (
        f"{list_url(world, follow_up)}#followup-{follow_up.pk}-{action.pk}"
    )
    assert reload(action).status == "klar"


@pytest.mark.parametrize("role", ["steering", "reporter"])
def test_readers_of_approved_minutes_see_the_table_without_buttons(
    world, follow_up, client_for, carried, role
):
    approve(world, follow_up.meeting)
    response = client_for(world.users[role]).get(list_url(world, follow_up), **HTMX)

    assert response.status_code == 200
    html = text(response)
    assert html.count(f'<tr id="followup-{follow_up.pk}-') == MANY
    assert "Klart i alla skolor." in html
    assert url("followup_status", world.tenant, follow_up.pk, carried[0].pk) not in html


def test_a_reporter_may_not_list_the_follow_up_of_unapproved_minutes(world, follow_up, client_for):
    response = client_for(world.users["reporter"]).get(list_url(world, follow_up))
    assert response.status_code == 403


def test_another_programme_and_an_unknown_item_are_not_found(
    world, other_world, follow_up, client_for, leader
):
    stranger = client_for(other_world.users["leader"])
    assert stranger.get(list_url(world, follow_up)).status_code == 404
    assert stranger.get(url("followup_list", other_world.tenant, follow_up.pk)).status_code == 404
    assert leader.get(url("followup_list", world.tenant, 999_999)).status_code == 404
