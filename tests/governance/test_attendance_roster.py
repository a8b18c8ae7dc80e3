"""Attendance faster than Word (issue 12, item 6).

The roster starts as "present" for the body's members on the day, with the
chair first and the note-taker next. One click marks a person absent (or
present again); "Markera övriga som frånvarande / närvarande" marks everyone
not yet marked one by one; a pre-filled line for someone who should not be
there at all can be taken off while the minutes are a draft (audited). For a
20-person roster where 5 were absent that is 5 clicks, where it was 20
(“Ändra”, open the list, choose “Frånvarande”, “Spara” for each).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django_scopes import scope, scopes_disabled

from governance.models import Attendance, AttendanceStatus, MinutesStatus
from governance.selectors.meetings import attendance_overview
from governance.services import DomainError, LockedError, meetings, minutes
from governance.services.minutes import minutes_content
from portal.models import AuditEvent
from tests.factories import PersonFactory
from tests.governance.factories import BodyMemberFactory
from tests.governance.meetings.helpers import approve, finish, plan, reload, snapshot, url
from tests.governance.service_helpers import audits
from tests.helpers import HTMX, hx_trigger, is_fragment, text

NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]
PRESENT, ABSENT = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


def roster(meeting) -> dict[str, Attendance]:
    with scopes_disabled():
        return {
            row.person.name: row
            for row in Attendance.objects.filter(meeting=meeting).select_related("person")
        }


def statuses(meeting) -> dict[str, str]:
    return {name: row.status for name, row in roster(meeting).items()}


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def twenty(world, gov):
    """The steering group with 20 members on the day (the chair, the process
    leader and 18 more), and its March meeting with the process leader
    taking the notes."""
    start = datetime.date(2024, 1, 1)
    for n in range(17):
        person = PersonFactory(tenant=world.tenant, name=f"Ledamot {n:02d}")
        BodyMemberFactory(body=gov.body, person=person, role="ledamot", start_date=start)
    return plan(world, gov, note_taker=gov.leader)


# The roster ---------------------------------------------------------------------


def test_the_roster_starts_present_with_the_chair_and_the_note_taker_first(world, gov, twenty):
    with scope(tenant=world.tenant):
        overview = attendance_overview(meeting=twenty)
        content = minutes_content(twenty)

    [present, *others] = overview.groups
    assert len(present.rows) == 20 and not any(g.rows for g in others)
    assert all(row.prefilled for row in present.rows)
    names = [row.person.name for row in present.rows]
    assert names[:3] == ["Ordförande Test", "Processledare Test", "Ledamot 00"]
    assert [row["name"] for row in content["attendance"]][:3] == names[:3]
    assert overview.others == 20


def test_the_chair_comes_first_in_the_page_too(world, gov, twenty, leader):
    page = text(leader.get(url("meeting_detail", world.tenant, twenty.pk)))
    section = page[page.index('<section id="attendance"') :]
    names = ("Ordförande Test", "Processledare Test", "Ledamot 00")
    order = [section.index(name) for name in names]
    assert order == sorted(order)


def test_a_person_marked_one_by_one_is_no_longer_one_of_the_others(world, gov, twenty):
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=twenty, person=gov.member, status=ABSENT
        )
        overview = attendance_overview(meeting=twenty)

    assert not roster(twenty)["Ledamot Test"].prefilled
    assert overview.others == 19


def test_mark_the_others_absent_and_back_leaves_those_marked_one_by_one(world, gov, twenty):
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=twenty, person=gov.chair, status=PRESENT
        )
        meetings.attendance_set(
            actor=world.users["leader"], meeting=twenty, person=gov.member, status=ABSENT
        )
        versions = {name: row.version for name, row in roster(twenty).items()}
        changed = meetings.attendance_mark_others(
            actor=world.users["leader"], meeting=twenty, status=ABSENT
        )
        absent = statuses(twenty)
        back = meetings.attendance_mark_others(
            actor=world.users["leader"], meeting=twenty, status=PRESENT
        )
        [first, second] = audits(twenty, "meeting.attendance.mark_others")

    assert changed == 18 and back == 18
    assert absent["Ordförande Test"] == PRESENT  # set by hand: kept
    assert absent["Ledamot Test"] == ABSENT
    assert {absent[f"Ledamot {n:02d}"] for n in range(17)} == {ABSENT}
    assert absent["Processledare Test"] == ABSENT
    after = statuses(twenty)
    assert after["Ledamot Test"] == ABSENT  # set by hand: kept again
    assert after["Processledare Test"] == PRESENT  # one of the others: back
    assert len(first.before["attendance"]) == 18
    assert set(second.after["attendance"].values()) == {PRESENT}
    # A form opened before the bulk change is stale.
    assert roster(twenty)["Ledamot 00"].version > versions["Ledamot 00"]


def test_mark_the_others_is_refused_on_approved_minutes_and_for_other_statuses(world, gov, twenty):
    with scope(tenant=world.tenant), pytest.raises(DomainError):
        meetings.attendance_mark_others(
            actor=world.users["leader"], meeting=twenty, status=AttendanceStatus.GUEST
        )
    approve(world, twenty)
    before = snapshot()
    with scope(tenant=world.tenant), pytest.raises(LockedError):
        meetings.attendance_mark_others(
            actor=world.users["leader"], meeting=reload(twenty), status=ABSENT
        )
    assert snapshot() == before


def test_a_prefilled_line_is_removed_from_draft_minutes_and_audited(world, gov, twenty):
    row = roster(twenty)["Ledamot 05"]
    pk = row.pk
    with scope(tenant=world.tenant):
        meetings.attendance_remove(actor=world.users["leader"], row=row)
        [event] = AuditEvent.objects.filter(
            object_type="governance.attendance", object_id=str(pk), action="attendance.delete"
        )

    assert "Ledamot 05" not in roster(twenty)
    assert event.actor == world.users["leader"]
    assert event.before["person_id"] == row.person_id
    assert event.before["status"] == PRESENT
    assert event.after is None


def test_removing_a_line_is_refused_once_the_minutes_are_finished(world, gov, twenty):
    finish(world, twenty)
    row = roster(twenty)["Ledamot 05"]
    before = snapshot()
    with scope(tenant=world.tenant), pytest.raises(DomainError) as refused:
        meetings.attendance_remove(actor=world.users["leader"], row=row)
    assert "frånvarande" in str(refused.value)  # "mark them absent instead"
    assert snapshot() == before


def test_removing_a_line_is_refused_on_approved_and_revised_minutes(world, gov, twenty):
    approve(world, twenty)
    row = roster(twenty)["Ledamot 05"]
    with scope(tenant=world.tenant), pytest.raises(LockedError):
        meetings.attendance_remove(actor=world.users["leader"], row=row)
    with scope(tenant=world.tenant):
        minutes.minutes_revise(actor=world.users["leader"], meeting=reload(twenty), reason="Fel")
        draft = Attendance.all_rows.get(draft_of=row)
    before = snapshot()
    with scope(tenant=world.tenant), pytest.raises(DomainError):
        meetings.attendance_remove(actor=world.users["leader"], row=draft)
    assert snapshot() == before


# The page -----------------------------------------------------------------------


def _mark(leader, world, row: Attendance, status: str, **extra):
    return leader.post(
        url("attendance_mark", world.tenant, row.pk),
        {"status": status, "version": str(row.version)},
        **extra,
    )


def test_five_absent_of_twenty_take_five_clicks(world, gov, twenty, leader):
    page = text(leader.get(url("meeting_detail", world.tenant, twenty.pk)))
    # Each present row has its own one-click "Absent" button.
    assert len(re.findall(r'<input type="hidden" name="status" value="franvarande">', page)) == 21
    for n in range(5):
        row = roster(twenty)[f"Ledamot {n:02d}"]
        response = _mark(leader, world, row, ABSENT, **HTMX)
        assert response.status_code == 200

    assert is_fragment(response)
    assert text(response).lstrip().startswith('<section id="attendance"')
    assert hx_trigger(response) == {"attendanceChanged": {"id": row.pk, "action": "update"}}
    after = statuses(twenty)
    assert sorted(name for name, status in after.items() if status == ABSENT) == [
        f"Ledamot {n:02d}" for n in range(5)
    ]
    with scopes_disabled():
        assert AuditEvent.objects.filter(object_type="governance.attendance").count() == 5


def test_one_click_keeps_the_role_and_principal_of_the_row(world, gov, twenty, leader):
    chair = roster(twenty)["Ordförande Test"]
    response = _mark(leader, world, chair, ABSENT)
    assert response.status_code == 302
    assert response["Location"].endswith("#attendance")
    fresh = reload(chair)
    assert (fresh.status, fresh.role_note, fresh.represents_principal_id) == (
        ABSENT,
        chair.role_note,
        chair.represents_principal_id,
    )
    assert _mark(leader, world, fresh, PRESENT).status_code == 302
    assert reload(chair).status == PRESENT


def test_one_click_refuses_a_stale_row_bad_status_and_too_little_role(
    world, gov, twenty, leader, client_for
):
    row = roster(twenty)["Ledamot 01"]
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=twenty,
            person=row.person,
            status=ABSENT,
            expected_version=row.version,
        )
    before = snapshot()
    stale = _mark(leader, world, row, PRESENT)  # opened before that change
    assert stale.status_code == 302
    assert snapshot() == before
    assert (
        leader.post(
            url("attendance_mark", world.tenant, row.pk), {"status": "ovrig", "version": "9"}
        ).status_code
        == 400
    )
    for role in NOT_LEADERS:
        assert _mark(client_for(world.users[role]), world, row, PRESENT).status_code == 403, role
    assert snapshot() == before


def test_one_click_on_another_programmes_row_is_404(
    world, gov, twenty, other_world, other_gov, client_for, leader
):
    with scope(tenant=other_world.tenant):
        elsewhere = plan(other_world, other_gov)
    with scopes_disabled():
        foreign = Attendance.objects.filter(meeting=elsewhere).first()
    assert foreign is not None
    before = snapshot()
    assert _mark(leader, world, foreign, ABSENT).status_code == 404
    stranger = client_for(other_world.users["leader"])
    assert _mark(stranger, world, roster(twenty)["Ledamot 00"], ABSENT).status_code == 404
    assert (
        leader.post(
            url("attendance_mark_others", world.tenant, elsewhere.pk), {"status": ABSENT}
        ).status_code
        == 404
    )
    assert leader.get(url("attendance_remove", world.tenant, foreign.pk)).status_code == 404
    assert snapshot() == before


def test_mark_the_others_on_the_page(world, gov, twenty, leader, client_for):
    _mark(leader, world, roster(twenty)["Ledamot 00"], ABSENT)
    page = text(leader.get(url("meeting_detail", world.tenant, twenty.pk)))
    assert "Mark the others absent" in page or "övriga" in page
    target = url("attendance_mark_others", world.tenant, twenty.pk)

    response = leader.post(target, {"status": ABSENT}, **HTMX)

    assert is_fragment(response)
    assert 'role="status"' in text(response)
    after = statuses(twenty)
    assert list(after.values()).count(ABSENT) == 20
    no_js = leader.post(target, {"status": PRESENT})
    assert no_js.status_code == 302 and no_js["Location"].endswith("#attendance")
    assert list(statuses(twenty).values()).count(ABSENT) == 1  # the one marked by hand

    before = snapshot()
    assert leader.post(target, {"status": "ersatter"}).status_code == 400
    for role in NOT_LEADERS:
        assert client_for(world.users[role]).post(target, {"status": ABSENT}).status_code == 403
    assert snapshot() == before


def test_remove_a_line_on_the_page(world, gov, twenty, leader, client_for):
    row = roster(twenty)["Ledamot 07"]
    target = url("attendance_remove", world.tenant, row.pk)
    page = text(leader.get(url("meeting_detail", world.tenant, twenty.pk)))
    assert f'href="{target}"' in page
    confirm = leader.get(target, **HTMX)
    assert is_fragment(confirm)
    assert text(confirm).lstrip().startswith(f'<tr id="attendance-{row.pk}"')
    assert leader.get(target).status_code == 200

    for role in NOT_LEADERS:
        assert client_for(world.users[role]).post(target, {"confirm": "on"}).status_code == 403
    response = leader.post(target, {"confirm": "on"}, **HTMX)

    assert is_fragment(response)
    assert "Ledamot 07" not in roster(twenty)
    assert hx_trigger(response) == {"attendanceChanged": {"id": twenty.pk, "action": "remove"}}


def test_a_line_of_finished_minutes_cannot_be_removed_on_the_page(world, gov, twenty, leader):
    finish(world, twenty)
    assert reload(twenty).minutes_status == MinutesStatus.FINISHED
    row = roster(twenty)["Ledamot 07"]
    page = text(leader.get(url("meeting_detail", world.tenant, twenty.pk)))
    assert url("attendance_remove", world.tenant, row.pk) not in page
    before = snapshot()
    response = leader.post(url("attendance_remove", world.tenant, row.pk), {"confirm": "on"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot() == before
