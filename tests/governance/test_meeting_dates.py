"""One bad date must not take a programme's meetings down (issue 18, item 2).

"Nytt möte" and "Planera nästa möte" accepted a start in year 1. PostgreSQL
stored it as a BC timestamp that psycopg could not read back, and from then on
every page that listed the meeting answered 500 (on SQLite the POST itself
did). Now a date outside 1990–2100 is refused on its field and nothing is
written; and a meeting stored with such a date (before the check, or by hand)
still shows on every page, for every role, and can be moved or cancelled.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from governance.models import ActionItem, Meeting
from governance.services import actions, meetings
from portal import dates
from tests.governance.meetings.helpers import at, snapshot
from tests.helpers import HTMX, form_errors, text, url_in

ROLES = ["leader", "steering", "reporter", "researcher", "admin"]
EXTREMES = [
    ("0001-01-01T00:00", "0001-01-01T02:00"),  # before UTC's year 1: BC in PostgreSQL
    ("0001-06-01T13:00", "0001-06-01T15:00"),
    ("9999-12-31T21:00", "9999-12-31T23:59"),
    ("1989-12-31T13:00", "1989-12-31T15:00"),
    ("2101-01-01T13:00", "2101-01-01T15:00"),
]
# The range error as the fields give it (see portal.dates).
OUT_OF_RANGE = dates.OUT_OF_RANGE


def out_of_range() -> str:
    """The range error as the (Swedish-first) pages say it."""
    with translation.override("sv"):
        return str(OUT_OF_RANGE) % {"first": dates.FIRST_YEAR, "last": dates.LAST_YEAR}


url = url_in("governance")


@pytest.fixture
def meeting(world, gov) -> Meeting:
    with scope(tenant=world.tenant):
        starts = at(2025, 3, 25)
        meeting = meetings.meeting_create(
            actor=world.users["leader"],
            body=gov.body,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            agenda=[("Statusrapport", "information")],
        )
        item = meeting.agenda_items.get()
        actions.action_create(
            actor=world.users["leader"],
            body=gov.body,
            agenda_item=item,
            description="Återrapportera",
            owner_all=True,
        )
    return meeting


def _create_data(gov, starts: str, ends: str) -> dict[str, Any]:
    return {
        "body": gov.body.pk,
        "kind": "ordinarie",
        "starts_at": starts,
        "ends_at": ends,
        "record_type": "minnesanteckningar",
    }


@pytest.mark.parametrize(("starts", "ends"), EXTREMES)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_new_meeting_outside_1990_to_2100_is_refused_on_its_field(
    world, gov, client_for, starts, ends, headers
):
    leader = client_for(world.users["leader"])
    before = snapshot()

    response = leader.post(url("meeting_create", world.tenant), _create_data(gov, starts, ends))

    assert response.status_code == 200
    errors = form_errors(response)
    assert errors["starts_at"] == [out_of_range()]
    assert errors["ends_at"] == [out_of_range()]
    assert 'aria-invalid="true"' in text(response)
    assert snapshot() == before


@pytest.mark.parametrize(("starts", "ends"), EXTREMES)
def test_the_next_meeting_outside_1990_to_2100_is_refused_on_its_field(
    world, meeting, client_for, starts, ends
):
    leader = client_for(world.users["leader"])
    before = snapshot()

    response = leader.post(
        url("meeting_plan_next", world.tenant, meeting.pk), {"starts_at": starts, "ends_at": ends}
    )

    assert response.status_code == 200
    assert form_errors(response)["starts_at"] == [out_of_range()]
    assert snapshot() == before


@pytest.mark.parametrize(("starts", "ends"), EXTREMES)
def test_moving_a_meeting_outside_1990_to_2100_is_refused(world, meeting, client_for, starts, ends):
    leader = client_for(world.users["leader"])
    before = snapshot()

    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk),
        {
            "kind": "ordinarie",
            "starts_at": starts,
            "ends_at": ends,
            "record_type": "minnesanteckningar",
            "version": meeting.version,
        },
    )

    assert response.status_code == 200
    assert form_errors(response)["starts_at"] == [out_of_range()]
    assert snapshot() == before


def test_the_date_pickers_offer_only_1990_to_2100(world, meeting, client_for):
    body = text(client_for(world.users["leader"]).get(url("meeting_create", world.tenant)))
    assert 'min="1990-01-01T00:00"' in body
    assert 'max="2100-12-31T23:59"' in body


def test_the_meeting_service_refuses_a_date_outside_1990_to_2100(world, gov):
    from django.core.exceptions import ValidationError

    with scope(tenant=world.tenant), pytest.raises(ValidationError) as refused:
        meetings.meeting_create(
            actor=world.users["leader"],
            body=gov.body,
            starts_at=at(1, 6, 1),
            ends_at=at(1, 6, 1, 15),
        )
    assert set(refused.value.message_dict) == {"starts_at", "ends_at"}
    with scopes_disabled():
        assert not Meeting.objects.exists()


# A meeting stored with a bad date ------------------------------------------------


def _store_year_one(meeting: Meeting) -> None:
    """What the old form let through: a start at midnight on 1 January, year 1,
    Swedish time, which is 31 December 1 BC in UTC. Written straight to the
    database, past every check."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            starts, ends = "0001-12-31 23:00:00+00 BC", "0001-01-01 01:00:00+00"
        else:
            starts, ends = "0001-01-01 00:00:00", "0001-01-01 01:00:00"
        cursor.execute(
            "UPDATE governance_meeting SET starts_at = %s, ends_at = %s WHERE id = %s",
            [starts, ends, meeting.pk],
        )


def _pages(world, meeting: Meeting) -> list[str]:
    with scopes_disabled():
        action = ActionItem.objects.get(agenda_item__meeting=meeting)
    tenant = world.tenant
    return [
        url("meeting_list", tenant),
        url("meeting_detail", tenant, meeting.pk),
        url("meeting_edit", tenant, meeting.pk),
        url("meeting_cancel", tenant, meeting.pk),
        url("meeting_plan_next", tenant, meeting.pk),
        url("meeting_ics", tenant, meeting.pk),
        url("body_detail", tenant, meeting.body_id),
        url("action_list", tenant),
        url("action_detail", tenant, action.pk),
        url("decision_list", tenant),
        url("search", tenant) + "?q=Styrgruppen",
        reverse("portal:home", args=[tenant.slug]) + "?panels=all",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_a_meeting_stored_in_year_1_still_shows_on_every_page(world, meeting, client_for, role):
    _store_year_one(meeting)
    client = client_for(world.users[role])
    answers = {page: client.get(page).status_code for page in _pages(world, meeting)}
    assert {page: status for page, status in answers.items() if status >= 500} == {}
    if role == "leader":
        assert answers[url("meeting_list", world.tenant)] == 200
        assert answers[url("meeting_detail", world.tenant, meeting.pk)] == 200
        assert answers[url("meeting_edit", world.tenant, meeting.pk)] == 200


def test_a_meeting_stored_in_year_1_can_be_moved_to_a_real_date(world, meeting, client_for):
    _store_year_one(meeting)
    leader = client_for(world.users["leader"])
    with scopes_disabled():
        version = Meeting.objects.get(pk=meeting.pk).version

    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk),
        {
            "kind": "ordinarie",
            "starts_at": "2025-04-22T13:00",
            "ends_at": "2025-04-22T15:00",
            "record_type": "minnesanteckningar",
            "version": version,
        },
    )

    assert response.status_code == 302
    with scopes_disabled():
        assert Meeting.objects.get(pk=meeting.pk).starts_at == at(2025, 4, 22)


def test_a_meeting_stored_in_year_1_can_be_cancelled(world, meeting, client_for):
    _store_year_one(meeting)
    leader = client_for(world.users["leader"])

    response = leader.post(
        url("meeting_cancel", world.tenant, meeting.pk), {"reason": "Fel datum, nytt möte bokas"}
    )

    assert response.status_code == 302
    with scopes_disabled():
        assert Meeting.objects.get(pk=meeting.pk).status == "installt"
