"""Representation of networks on the attendance: "rep. Skolchefsnätverket" is
a choice of the programme's bodies on the attendance line (not a free-text
note), pre-filled from the member's seat, shown on the page and in the
minutes, and counted in "Huvudmän som inte var representerade": a
representative of a body speaks for the principals seated in that body on the
meeting's day. Existing notes of that form are moved by a data migration."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.utils import translation
from django_scopes import scope, scopes_disabled

from governance.models import Attendance
from governance.selectors.meetings import attendance_overview
from governance.services import meetings
from governance.services.minutes import minutes_content
from portal.services import DomainError
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import BodyFactory, BodyMemberFactory, MeetingFactory
from tests.governance.meetings.helpers import plan, snapshot, url
from tests.helpers import text

MIGRATION = importlib.import_module(
    "governance.migrations.0007_programme_events_and_represented_bodies"
)


@pytest.fixture
def network(world, gov):
    """Skolchefsnätverket, with a seat on the steering group that represents
    it (Sofia Blom), a school head of Vingåker seated in it on the meeting's
    day, and one of Flen whose seat ended before."""
    scn = BodyFactory(
        tenant=world.tenant, name="Skolchefsnätverket", code="SCN", kind="skolchefsnatverk"
    )
    sofia = PersonFactory(tenant=world.tenant, name="Sofia Blom", principal=world.other_principal)
    BodyMemberFactory(
        body=gov.body, person=sofia, start_date=datetime.date(2024, 1, 1), represents_body=scn
    )
    vingaker = PrincipalFactory(tenant=world.tenant, name="Vingåkers kommun")
    flen = PrincipalFactory(tenant=world.tenant, name="Flens kommun")
    PrincipalFactory(tenant=world.tenant, name="Polismyndigheten")
    head = PersonFactory(tenant=world.tenant, name="Skolchef Vingåker", principal=vingaker)
    former = PersonFactory(tenant=world.tenant, name="Skolchef Flen", principal=flen)
    BodyMemberFactory(body=scn, person=sofia, role="ordforande")
    BodyMemberFactory(body=scn, person=head)
    BodyMemberFactory(body=scn, person=former, end_date=datetime.date(2025, 1, 31))
    return {"scn": scn, "sofia": sofia, "vingaker": vingaker, "flen": flen}


@pytest.fixture
def meeting(world, gov, network):
    return plan(world, gov, day=(2025, 3, 25))


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


def row_of(meeting, person) -> Attendance:
    with scopes_disabled():
        return Attendance.objects.select_related("represents_body").get(
            meeting=meeting, person=person
        )


def names(principals) -> set[str]:
    return {p.name for p in principals}


def test_the_seat_that_represents_a_network_carries_into_the_attendance(meeting, network, gov):
    assert row_of(meeting, network["sofia"]).represents_body == network["scn"]
    assert row_of(meeting, gov.member).represents_body is None


def test_a_network_representative_covers_the_principals_seated_in_it_that_day(
    world, gov, meeting, network
):
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=meeting, person=gov.member, status="franvarande"
        )
        overview = attendance_overview(meeting=meeting)

    assert names(overview.represented) == {world.other_principal.name}
    [through] = overview.represented_through
    assert through.principal == network["vingaker"]
    assert through.bodies == [network["scn"]]
    # Flen's seat had ended; the police and kommun A have no one there.
    assert names(overview.not_represented) == {
        world.principal.name,
        "Flens kommun",
        "Polismyndigheten",
    }


def test_an_absent_representative_covers_no_one(world, gov, meeting, network):
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=network["sofia"],
            status="franvarande",
        )
        overview = attendance_overview(meeting=meeting)

    assert overview.represented_through == []
    assert "Vingåkers kommun" in names(overview.not_represented)


def test_the_page_shows_rep_and_who_was_represented_through_the_network(
    world, gov, meeting, network, leader
):
    body = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))

    row = body[body.index(f'id="attendance-{row_of(meeting, network["sofia"]).pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'data-represents-body="{network["scn"].pk}"' in row
    assert "rep. Skolchefsnätverket" in row
    assert f'data-represented-through="{network["vingaker"].pk}"' in body


def test_the_minutes_and_their_pdf_say_rep(world, meeting, network):
    with scope(tenant=world.tenant):
        content = minutes_content(meeting)
    [line] = [a for a in content["attendance"] if a["name"] == "Sofia Blom"]
    assert line["represents_body"] == "Skolchefsnätverket"

    with translation.override("en"):
        html = render_to_string("governance/_minutes_content.html", {"content": content})
    assert "rep. Skolchefsnätverket" in html


def test_the_body_is_chosen_and_cleared_on_the_attendance_line(world, gov, meeting, leader):
    lsg = BodyFactory(tenant=world.tenant, name="Länsstyrgruppen", code="LSG")
    row = row_of(meeting, gov.member)

    leader.post(
        url("attendance_set", world.tenant, row.pk),
        {"status": "narvarande", "represents_body": lsg.pk, "version": row.version},
    )
    row = row_of(meeting, gov.member)
    assert row.represents_body == lsg

    leader.post(
        url("attendance_set", world.tenant, row.pk),
        {"status": "narvarande", "represents_body": "", "version": row.version},
    )
    assert row_of(meeting, gov.member).represents_body is None


def test_another_programmes_body_is_refused(world, other_world, gov, meeting, leader):
    theirs = BodyFactory(tenant=other_world.tenant, name="Deras nätverk", code="DN")
    row = row_of(meeting, gov.member)
    before = snapshot()

    response = leader.post(
        url("attendance_set", world.tenant, row.pk),
        {"status": "narvarande", "represents_body": theirs.pk, "version": row.version},
    )

    assert response.status_code == 200
    assert "represents_body" in response.context["form"].errors
    assert snapshot() == before
    with scope(tenant=world.tenant), pytest.raises(DomainError):
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=gov.member,
            status="narvarande",
            represents_body=theirs,
        )


def test_marking_someone_absent_keeps_the_body_they_represent(world, meeting, network):
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=network["sofia"],
            status="franvarande",
        )
    assert row_of(meeting, network["sofia"]).represents_body == network["scn"]


# The data migration ---------------------------------------------------------------


def test_rep_notes_naming_a_body_of_the_programme_move_into_the_field(world, other_world):
    scn = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    lsg = BodyFactory(tenant=world.tenant, name="Länsstyrgruppen", code="LSG")
    BodyFactory(tenant=other_world.tenant, name="Nätverket i Kronoberg", code="NK")
    meeting = MeetingFactory(body=scn)
    theirs = MeetingFactory(body=BodyFactory(tenant=other_world.tenant, code="SG"))
    notes = {
        "plain": ("rep. Skolchefsnätverket", meeting),
        "combined": ("Ordförande, rep. Länsstyrgrupp", meeting),
        "code": ("Rep SCN", meeting),
        "unknown": ("rep. Okänt nätverk", meeting),
        "other note": ("kommunikatör", meeting),
        "other programme": ("rep. Skolchefsnätverket", theirs),
    }
    lines = {}
    with scopes_disabled():
        for key, (note, at) in notes.items():
            person = PersonFactory(tenant=at.tenant)
            lines[key] = Attendance.all_rows.create(
                tenant=at.tenant, meeting=at, person=person, status="narvarande", role_note=note
            )

    MIGRATION.move_role_notes(apps, None)

    def moved(key):
        with scopes_disabled():
            line = Attendance.all_rows.get(pk=lines[key].pk)
        return line.represents_body_id, line.role_note

    assert moved("plain") == (scn.pk, "")
    assert moved("combined") == (lsg.pk, "Ordförande")
    assert moved("code") == (scn.pk, "")
    assert moved("unknown") == (None, "rep. Okänt nätverk")
    assert moved("other note") == (None, "kommunikatör")
    assert moved("other programme") == (None, "rep. Skolchefsnätverket")

    MIGRATION.restore_role_notes(apps, None)
    assert moved("combined")[1] == "Ordförande, rep. Länsstyrgruppen"
