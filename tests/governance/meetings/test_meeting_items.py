"""The meeting's parts, edited inline (governance/views/meeting_items.py): the
agenda, attendance, decisions and assignments."""

from __future__ import annotations

import datetime
import re

import pytest
from django_scopes import scope, scopes_disabled

from governance.models import ActionItem, AttendanceStatus, Decision
from governance.services import decisions
from portal.models import AuditEvent, Person, Role
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.governance.factories import BodyFactory
from tests.governance.meetings.helpers import (
    AGENDA_WRITES,
    NOT_LEADERS,
    _row,
    items,
    plan,
    snapshot,
    url,
)
from tests.helpers import HTMX, form_errors, hx_trigger, in_swedish, is_fragment, reload, text

# Agenda -------------------------------------------------------------------------


def test_adding_an_agenda_item_with_htmx_swaps_the_agenda(world, gov, meeting, leader):
    form = leader.get(url("agenda_item_add", world.tenant, meeting.pk), **HTMX)
    assert is_fragment(form)
    assert 'hx-target="#agenda-item-create"' in text(form)

    response = leader.post(
        url("agenda_item_add", world.tenant, meeting.pk),
        {"title": "Följeforskning", "kind": "dialog", "presenters": [gov.member.pk]},
        **HTMX,
    )

    new = items(meeting)[-1]
    assert (new.title, new.position) == ("Följeforskning", 3)
    assert response["HX-Retarget"] == "#agenda"
    assert response["HX-Reswap"] == "outerHTML"
    assert text(response).lstrip().startswith('<section id="agenda"')
    assert f'id="agenda-item-{new.pk}"' in text(response)
    assert gov.member.name in text(response)
    assert hx_trigger(response) == {"agendaChanged": {"id": new.pk, "action": "create"}}


def test_adding_an_agenda_item_without_javascript_redirects(world, meeting, leader):
    response = leader.post(
        url("agenda_item_add", world.tenant, meeting.pk), {"title": "Övrigt", "kind": "ovrigt"}
    )
    new = items(meeting)[-1]
    assert response.status_code == 302
    assert (
        response["Location"]
        == url("meeting_detail", world.tenant, meeting.pk) + f"#agenda-item-{new.pk}"
    )


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_agenda_item_without_title_is_refused(world, meeting, leader, headers):
    before = snapshot()
    response = leader.post(
        url("agenda_item_add", world.tenant, meeting.pk), {"title": "", "kind": "dialog"}, **headers
    )
    assert response.status_code == 200
    assert "title" in form_errors(response)
    assert "HX-Retarget" not in response
    assert snapshot() == before


def test_leader_writes_the_minutes_of_an_item_inline(world, gov, meeting, item, leader):
    form = leader.get(url("agenda_item_edit", world.tenant, item.pk), **HTMX)
    assert text(form).lstrip().startswith(f'<article id="agenda-item-{item.pk}"')
    assert f'name="version" value="{item.version}"' in text(form)

    response = leader.post(
        url("agenda_item_edit", world.tenant, item.pk),
        {
            "title": "Statusrapport",
            "kind": "information",
            "presenters": [gov.leader.pk],
            "minutes": "Nettan och Malin går igenom statusrapporten.\n- Resultat\n- Magkänsla",
            "version": item.version,
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert text(response).lstrip().startswith(f'<article id="agenda-item-{item.pk}"')
    assert "<li>Magkänsla</li>" in text(response)
    assert response["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert hx_trigger(response) == {"agendaChanged": {"id": item.pk, "action": "update"}}
    assert reload(item).minutes.startswith("Nettan och Malin")


def test_two_leaders_saving_the_same_item_lose_nothing(world, gov, meeting, item, client_for):
    """Both load version 1; the first save wins; the second is refused with the
    first's text shown and the second's own text kept in the form."""
    second_user = UserFactory(username="sormland-leader-2")
    MembershipFactory(tenant=world.tenant, user=second_user, role=Role.PROCESS_LEADER)
    first, second = client_for(world.users["leader"]), client_for(second_user)
    edit = url("agenda_item_edit", world.tenant, item.pk)
    loaded = item.version
    for client in (first, second):
        assert f'name="version" value="{loaded}"' in text(client.get(edit, **HTMX))
    data = {"title": item.title, "kind": item.kind, "version": loaded}

    saved = first.post(edit, {**data, "minutes": "Första processledarens text"}, **HTMX)
    assert saved.status_code == 200
    before = snapshot()
    refused = second.post(edit, {**data, "minutes": "Andra processledarens text"}, **HTMX)

    body = text(refused)
    assert refused.status_code == 200
    assert "HX-Retarget" not in refused  # the form stays, with the conflict
    assert 'role="alert"' in body
    assert (
        in_swedish(
            "Someone else saved this while you were editing. Your text was not saved; "
            "their version is shown below — copy what you need into it and save again."
        )
        in body
    )
    assert "Första processledarens text" in body  # the other's newer text is shown
    assert re.search(r"<textarea[^>]*>\s*Andra processledarens text</textarea>", body)
    fresh = reload(item)
    assert fresh.minutes == "Första processledarens text"
    assert f'name="version" value="{fresh.version}"' in body  # saving again is possible
    assert snapshot() == before

    again = second.post(
        edit,
        {**data, "version": fresh.version, "minutes": "Första processledarens text\nOch min."},
        **HTMX,
    )
    assert again["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert reload(item).minutes == "Första processledarens text\nOch min."


def test_moving_agenda_items_up_and_down(world, meeting, leader):
    first, second = items(meeting)
    response = leader.post(
        url("agenda_item_move", world.tenant, second.pk), {"direction": "up"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#agenda"
    assert [i.pk for i in items(meeting)] == [second.pk, first.pk]
    body = text(response)
    assert body.index(f'id="agenda-item-{second.pk}"') < body.index(f'id="agenda-item-{first.pk}"')

    response = leader.post(url("agenda_item_move", world.tenant, second.pk), {"direction": "down"})
    assert response.status_code == 302
    assert [i.pk for i in items(meeting)] == [first.pk, second.pk]


def test_moving_with_a_bad_direction_is_refused(world, meeting, item, leader):
    before = snapshot()
    assert (
        leader.post(
            url("agenda_item_move", world.tenant, item.pk), {"direction": "sideways"}
        ).status_code
        == 400
    )
    assert leader.get(url("agenda_item_move", world.tenant, item.pk)).status_code == 405
    assert snapshot() == before


def test_taking_an_item_off_the_agenda_keeps_it(world, meeting, item, leader):
    confirm = leader.get(url("agenda_item_archive", world.tenant, item.pk), **HTMX)
    assert text(confirm).lstrip().startswith(f'<article id="agenda-item-{item.pk}"')

    response = leader.post(url("agenda_item_archive", world.tenant, item.pk), **HTMX)

    assert response["HX-Retarget"] == "#agenda"
    assert f'id="agenda-item-{item.pk}"' not in text(response)
    assert reload(item).archived_at is not None
    [rest] = items(meeting)
    assert rest.position == 1


def test_an_item_with_decisions_cannot_be_taken_off(world, meeting, item, leader):
    with scope(tenant=world.tenant):
        decisions.decision_create(actor=None, meeting=meeting, agenda_item=item, text="Beslut")
    before = snapshot()
    response = leader.post(url("agenda_item_archive", world.tenant, item.pk))
    assert response.status_code == 200
    assert "__all__" in form_errors(response)
    assert snapshot() == before


@pytest.mark.parametrize(("name", "data"), AGENDA_WRITES, ids=[n for n, _ in AGENDA_WRITES])
@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_write_agenda_items(world, item, client_for, role, name, data):
    client = client_for(world.users[role])
    before = snapshot()
    assert client.post(url(name, world.tenant, item.pk), data).status_code == 403
    if name != "agenda_item_move":
        assert client.get(url(name, world.tenant, item.pk)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("name", "data"), AGENDA_WRITES, ids=[n for n, _ in AGENDA_WRITES])
def test_another_programmes_agenda_items_are_404(world, foreign, leader, name, data):
    [other_item] = items(foreign)
    before = snapshot()
    assert leader.post(url(name, world.tenant, other_item.pk), data).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", ["agenda_item_add", "attendance_add"])
@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_add_to_a_meeting(world, meeting, client_for, role, name):
    client = client_for(world.users[role])
    before = snapshot()
    assert client.get(url(name, world.tenant, meeting.pk)).status_code == 403
    assert (
        client.post(
            url(name, world.tenant, meeting.pk),
            {"title": "X", "kind": "dialog", "name": "X", "status": "ovrig"},
        ).status_code
        == 403
    )
    assert snapshot() == before


@pytest.mark.parametrize("name", ["agenda_item_add", "attendance_add"])
def test_adding_to_another_programmes_meeting_is_404(world, foreign, leader, name):
    before = snapshot()
    data = {"title": "X", "kind": "dialog", "name": "X", "status": "ovrig"}
    assert leader.post(url(name, world.tenant, foreign.pk), data).status_code == 404
    assert snapshot() == before


def test_marking_a_member_absent_inline_moves_him_to_the_absent_group(world, gov, meeting, leader):
    row = _row(meeting, gov.member)
    form = leader.get(url("attendance_set", world.tenant, row.pk), **HTMX)
    assert text(form).lstrip().startswith(f'<tr id="attendance-{row.pk}"')

    response = leader.post(
        url("attendance_set", world.tenant, row.pk),
        {"status": "franvarande", "version": row.version},
        **HTMX,
    )

    assert response["HX-Retarget"] == "#attendance"
    assert text(response).lstrip().startswith('<section id="attendance"')
    assert f"{in_swedish('Absent')} (1)" in text(response)
    assert hx_trigger(response)["attendanceChanged"]["action"] == "update"
    assert reload(row).status == "franvarande"


def test_a_substitute_names_whom_they_replace(world, gov, meeting, leader):
    row = _row(meeting, gov.leader)
    before = snapshot()
    missing = leader.post(
        url("attendance_set", world.tenant, row.pk), {"status": "ersatter", "version": row.version}
    )
    assert missing.status_code == 200
    assert "replaces" in form_errors(missing)
    assert snapshot() == before

    response = leader.post(
        url("attendance_set", world.tenant, row.pk),
        {
            "status": "ersatter",
            "replaces": [gov.member.pk, gov.chair.pk],
            "role_note": "Tillfälligt",
            "version": row.version,
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#attendance")
    with scopes_disabled():
        assert set(reload(row).replaces.all()) == {gov.member, gov.chair}


def test_a_person_cannot_replace_themselves(world, gov, meeting, leader):
    row = _row(meeting, gov.leader)
    before = snapshot()
    response = leader.post(
        url("attendance_set", world.tenant, row.pk),
        {"status": "ersatter", "replaces": [gov.leader.pk]},
    )
    assert "replaces" in form_errors(response)
    assert snapshot() == before


def test_adding_someone_from_the_directory(world, gov, meeting, leader):
    person = PersonFactory(
        tenant=world.tenant, name="Annika Magnerot", principal=world.other_principal
    )
    response = leader.post(
        url("attendance_add", world.tenant, meeting.pk),
        {"person": person.pk, "status": "narvarande"},
        **HTMX,
    )
    assert response["HX-Retarget"] == "#attendance"
    assert "Annika Magnerot" in text(response)
    assert _row(meeting, person).represents_principal == world.other_principal
    # Already on the list: changed in their own row, not added twice.
    again = leader.post(
        url("attendance_add", world.tenant, meeting.pk), {"person": person.pk, "status": "ovrig"}
    )
    assert "person" in form_errors(again)


def test_adding_a_new_guest_creates_the_person_too(world, meeting, leader):
    response = leader.post(
        url("attendance_add", world.tenant, meeting.pk),
        {
            "name": "Torbjörn Forkby",
            "title": "Professor",
            "organisation": "Linnéuniversitetet",
            "status": "ovrig",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        person = Person.objects.get(tenant=world.tenant, name="Torbjörn Forkby")
        assert (
            AuditEvent.objects.filter(object_type="portal.person", action="person.create").count()
            == 1
        )
    assert (person.title, person.organisation) == ("Professor", "Linnéuniversitetet")
    assert _row(meeting, person).status == AttendanceStatus.GUEST
    body = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "Linnéuniversitetet" in body


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "ovrig"}, "person"),
        ({"name": "Två sätt", "status": "ovrig", "person": "PERSON"}, "name"),
        ({"name": "Ny ersättare", "status": "ersatter"}, "replaces"),
        ({"name": "X" * 201, "status": "ovrig"}, "name"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_attendee_is_refused_and_nothing_is_written(
    world, gov, meeting, leader, data, field, headers
):
    data = {k: (gov.member.pk if v == "PERSON" else v) for k, v in data.items()}
    if data.get("person") == gov.member.pk:
        data["person"] = PersonFactory(tenant=world.tenant).pk
    before = snapshot()
    response = leader.post(url("attendance_add", world.tenant, meeting.pk), data, **headers)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert is_fragment(response) == bool(headers)
    assert snapshot() == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_change_attendance(world, gov, meeting, client_for, role):
    row = _row(meeting, gov.member)
    client = client_for(world.users[role])
    before = snapshot()
    assert client.get(url("attendance_set", world.tenant, row.pk)).status_code == 403
    assert (
        client.post(
            url("attendance_set", world.tenant, row.pk), {"status": "franvarande"}
        ).status_code
        == 403
    )
    assert snapshot() == before


def test_another_programmes_attendance_is_404(world, other_gov, foreign, leader):
    row = _row(foreign, other_gov.member)
    assert (
        leader.post(
            url("attendance_set", world.tenant, row.pk), {"status": "franvarande"}
        ).status_code
        == 404
    )
    assert reload(row).status == "narvarande"


# Decisions and assignments ------------------------------------------------------


def test_recording_a_decision_inline_numbers_it(world, meeting, item, leader):
    form = leader.get(url("decision_add", world.tenant, item.pk), **HTMX)
    assert f'hx-target="#decision-create-{item.pk}"' in text(form)

    response = leader.post(
        url("decision_add", world.tenant, item.pk),
        {"text": "Styrgruppen beslutar att tidsplanen kallas processplan."},
        **HTMX,
    )

    with scopes_disabled():
        decision = Decision.objects.get(meeting=meeting)
    assert (decision.year, decision.number, decision.agenda_item_id) == (2025, 1, item.pk)
    assert response["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert "SG 2025 §1" in text(response)
    assert hx_trigger(response) == {"decisionChanged": {"id": decision.pk, "action": "create"}}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_empty_decision_is_refused(world, item, leader, headers):
    before = snapshot()
    response = leader.post(url("decision_add", world.tenant, item.pk), {"text": "   "}, **headers)
    assert response.status_code == 200
    assert "text" in form_errors(response)
    assert snapshot() == before


def test_a_joint_meeting_chooses_the_deciding_body(world, gov, leader):
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    meeting = plan(world, gov, joint_bodies=[network], agenda=[("NPF-delprojekt", "beslut")])
    [item] = items(meeting)
    leader.post(
        url("decision_add", world.tenant, item.pk), {"text": "Förslag 2 utreds", "body": network.pk}
    )
    with scopes_disabled():
        assert Decision.objects.get(meeting=meeting).reference == "SCN 2025 §1"


def test_editing_a_decision_inline(world, meeting, item, leader):
    with scope(tenant=world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=item, text="Gammal"
        )
    form = leader.get(url("decision_edit", world.tenant, decision.pk), **HTMX)
    assert text(form).lstrip().startswith(f'<li id="decision-{decision.pk}"')
    response = leader.post(
        url("decision_edit", world.tenant, decision.pk),
        {"text": "Ny lydelse", "version": decision.version},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert "Ny lydelse" in text(response)
    assert reload(decision).text == "Ny lydelse"
    assert reload(decision).number == 1


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_edit_decisions(world, meeting, item, client_for, role):
    with scope(tenant=world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=item, text="Gammal"
        )
    before = snapshot()
    client = client_for(world.users[role])
    assert (
        client.post(url("decision_edit", world.tenant, decision.pk), {"text": "Kapad"}).status_code
        == 403
    )
    assert snapshot() == before


def test_editing_another_programmes_decision_is_404(world, other_world, foreign, leader):
    [other_item] = items(foreign)
    with scope(tenant=other_world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=foreign, agenda_item=other_item, text="Deras"
        )
    assert (
        leader.post(url("decision_edit", world.tenant, decision.pk), {"text": "Kapad"}).status_code
        == 404
    )
    assert reload(decision).text == "Deras"


def test_recording_an_assignment_inline(world, gov, meeting, item, leader):
    form = leader.get(url("action_add", world.tenant, item.pk), **HTMX)
    assert f'hx-target="#action-create-{item.pk}"' in text(form)
    response = leader.post(
        url("action_add", world.tenant, item.pk),
        {
            "description": "Återrapportera hur ni vill arbeta med barnmedverkan",
            "owner_all": "on",
            "due_next_meeting": "on",
        },
        **HTMX,
    )
    with scopes_disabled():
        action = ActionItem.objects.get(agenda_item=item)
    assert action.owner_all and action.due_next_meeting
    assert action.body == gov.body
    assert response["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert in_swedish("By the next meeting") in text(response)
    assert in_swedish("All organisations") in text(response)
    assert hx_trigger(response) == {"actionChanged": {"id": action.pk, "action": "create"}}


def test_an_assignment_from_a_decision(world, gov, meeting, item, leader):
    with scope(tenant=world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=item, text="Presidiet ansvarar"
        )
    form = leader.get(url("action_add", world.tenant, item.pk, query=f"?decision={decision.pk}"))
    assert re.search(rf'<option value="{decision.pk}" selected>', text(form))
    body = BodyFactory(tenant=world.tenant, name="Presidiet", code="PR")
    leader.post(
        url("action_add", world.tenant, item.pk),
        {
            "description": "Planera följeforskarnas medverkan",
            "decision": decision.pk,
            "owner_body": body.pk,
            "due_date": "2025-09-01",
        },
    )
    with scopes_disabled():
        action = ActionItem.objects.get(decision=decision)
    assert (action.owner_body, action.due_date) == (body, datetime.date(2025, 9, 1))
    page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "(SG 2025 §1)" in page
    assert "Presidiet" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"description": "Ingen ägare"}, "owner_people"),
        (
            {
                "description": "Båda",
                "owner_all": "on",
                "due_date": "2025-05-03",
                "due_next_meeting": "on",
            },
            "due_date",
        ),
        ({"description": "", "owner_all": "on"}, "description"),
        ({"description": "Fel datum", "owner_all": "on", "due_date": "3 maj"}, "due_date"),
    ],
)
def test_bad_assignment_is_refused(world, item, leader, data, field):
    before = snapshot()
    response = leader.post(url("action_add", world.tenant, item.pk), data, **HTMX)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert snapshot() == before


def test_an_assignment_cannot_come_from_another_items_decision(world, meeting, leader):
    first, second = items(meeting)
    with scope(tenant=world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=second, text="Annan punkt"
        )
    before = snapshot()
    response = leader.post(
        url("action_add", world.tenant, first.pk),
        {"description": "Fel koppling", "owner_all": "on", "decision": decision.pk},
    )
    assert "decision" in form_errors(response)
    assert snapshot() == before
