"""Meetings, agenda and attendance: pre-filled attendance, follow-up of open
assignments, planning the next meeting, cancelling, optimistic locking,
agenda order, attendance rules, and the lock after approval."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance.models import (
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    BodyRole,
    Decision,
    Meeting,
    MeetingStatus,
)
from governance.services import ConflictError, DomainError, LockedError, meetings
from governance.services.actions import action_create, action_set_status
from governance.services.decisions import decision_create, decision_update_text
from portal.models import AuditEvent
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import BodyFactory, BodyMemberFactory
from tests.governance.service_helpers import approve, at, audits, plan

pytestmark = pytest.mark.usefixtures("in_scope")

D = datetime.date
AHEAD = (2030, 3, 25)  # a meeting still to come: today's open assignments are carried


def attendees(meeting: Meeting) -> dict:
    return {a.person: a for a in Attendance.objects.filter(meeting=meeting)}


def agenda(meeting: Meeting) -> list[tuple[int, str]]:
    items = AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True)
    return [(i.position, i.title) for i in items.order_by("position", "id")]


def add_items(world, meeting: Meeting, *titles: str) -> list[AgendaItem]:
    return [
        meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title=t)
        for t in titles
    ]


# Creating and pre-filling -------------------------------------------------------


def test_meeting_create_is_audited_and_planned(world, gov):
    meeting = plan(world, gov, place="Nygatan 20, Växjö", record_type="protokoll")

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert meeting.minutes_status == "utkast"
    assert meeting.record_type == "protokoll"
    [event] = audits(meeting)
    assert event.action == "meeting.create"
    assert event.after["place"] == "Nygatan 20, Växjö"


def test_a_meeting_cannot_end_before_it_starts(world, gov):
    with pytest.raises(ValidationError) as refused:
        plan(world, gov, ends_at=at(2025, 3, 25, 9))

    assert "ends_at" in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_attendance_is_prefilled_from_members_current_on_the_meeting_day(world, gov):
    day = D(2025, 3, 25)
    left = BodyMemberFactory(
        body=gov.body, start_date=D(2024, 1, 1), end_date=D(2025, 3, 24)
    ).person
    coming = BodyMemberFactory(body=gov.body, start_date=D(2025, 3, 26)).person
    leaves_that_day = BodyMemberFactory(
        body=gov.body, start_date=D(2024, 1, 1), end_date=day
    ).person
    starts_that_day = BodyMemberFactory(
        body=gov.body,
        start_date=day,
        person=PersonFactory(tenant=world.tenant, principal=world.other_principal),
    ).person

    meeting = plan(world, gov, day=(2025, 3, 25))

    rows = attendees(meeting)
    assert set(rows) == {gov.chair, gov.leader, gov.member, leaves_that_day, starts_that_day}
    assert left not in rows and coming not in rows
    assert {a.status for a in rows.values()} == {AttendanceStatus.PRESENT}
    # What they represent: the seat's principal, else the person's own.
    assert rows[gov.member].represents_principal == world.principal
    assert rows[starts_that_day].represents_principal == world.other_principal
    assert rows[gov.chair].represents_principal is None
    assert rows[gov.chair].role_note == str(BodyRole.CHAIR.label)
    assert rows[gov.member].role_note == ""


def test_attendance_uses_the_meeting_day_in_swedish_time(world, gov):
    """00:30 on 1 March in Sweden is still 28 February in UTC."""
    BodyMemberFactory(body=gov.body, person=gov.member, start_date=D(2025, 3, 1))
    leaving = BodyMemberFactory(body=gov.body, start_date=D(2024, 1, 1), end_date=D(2025, 2, 28))

    starts = at(2025, 3, 1, 0, 30).astimezone(datetime.UTC)
    meeting = meetings.meeting_create(
        actor=world.users["leader"],
        body=gov.body,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )

    assert leaving.person not in attendees(meeting)


def test_a_joint_meeting_prefills_both_bodies_members_once(world, gov):
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    BodyMemberFactory(body=network, person=gov.member, represents_principal=world.principal)
    head = BodyMemberFactory(body=network).person

    meeting = plan(world, gov, kind="gemensamt", joint_bodies=[network, gov.body])

    assert list(meeting.joint_bodies.all()) == [network]  # the convening body is not "joint"
    rows = attendees(meeting)
    assert set(rows) == {gov.chair, gov.leader, gov.member, head}
    assert Attendance.objects.filter(meeting=meeting, person=gov.member).count() == 1


def test_a_joint_body_of_another_programme_is_refused(world, gov, other_gov):
    with pytest.raises(DomainError):
        plan(world, gov, joint_bodies=[other_gov.body])

    assert not Meeting.objects.exists()
    assert not Attendance.objects.exists()


def test_a_note_taker_of_another_programme_is_refused(world, gov, other_world):
    with pytest.raises(DomainError):
        plan(world, gov, note_taker=PersonFactory(tenant=other_world.tenant))

    assert not Meeting.objects.exists()


def test_meeting_create_adds_the_agenda_lines_in_order(world, gov):
    meeting = plan(
        world,
        gov,
        agenda=[
            ("Mötets öppnande", "information"),
            ("Processplan", "beslut"),
            ("Övrigt", "ovrigt"),
        ],
    )

    items = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    assert [(i.position, i.title, i.kind) for i in items] == [
        (1, "Mötets öppnande", "information"),
        (2, "Processplan", "beslut"),
        (3, "Övrigt", "ovrigt"),
    ]


def test_the_justerare_can_be_appointed_when_planning(world, gov):
    meeting = plan(world, gov, adjusters=[gov.member])

    assert list(meeting.adjusters.all()) == [gov.member]


# Follow-up of open assignments -------------------------------------------------


def _action(world, body, text: str, status: str = ActionStatus.NOT_STARTED):
    action = action_create(actor=world.users["leader"], body=body, description=text, owner_all=True)
    if status != action.status:
        action_set_status(actor=world.users["leader"], action=action, status=status)
    return action


def test_open_assignments_of_the_body_are_carried_into_a_follow_up_item(world, gov):
    not_started = _action(world, gov.body, "Ta fram en kommunikationsplan")
    in_progress = _action(world, gov.body, "Boka lokal", ActionStatus.IN_PROGRESS)
    _action(world, gov.body, "Skicka ut processplanen", ActionStatus.DONE)
    _action(world, gov.body, "Rapportera läget", ActionStatus.REPORTED)
    archived = _action(world, gov.body, "Inaktuellt uppdrag")
    archived.archived_at = timezone.now()
    archived.save(update_fields=["archived_at"])
    other_body = BodyFactory(tenant=world.tenant)
    _action(world, other_body, "Arbetsgruppens uppdrag")

    meeting = plan(world, gov, day=AHEAD, agenda=[("Mötets öppnande", "information")])

    [follow_up] = AgendaItem.objects.filter(meeting=meeting, kind=AgendaItemKind.FOLLOW_UP)
    assert follow_up.position == 2  # after the planned lines
    assert set(follow_up.follow_up_actions.all()) == {not_started, in_progress}


def test_no_follow_up_item_without_open_assignments(world, gov):
    _action(world, gov.body, "Klart", ActionStatus.DONE)

    meeting = plan(world, gov, day=AHEAD)

    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_an_assignment_given_at_one_meeting_is_followed_up_at_the_next(world, gov):
    first = plan(world, gov, day=(2025, 3, 25), agenda=[("Processplan", "beslut")])
    assert not AgendaItem.objects.filter(meeting=first, kind="uppfoljning").exists()
    action = meetings.agenda_action_create(
        actor=world.users["leader"],
        item=first.agenda_items.get(),
        description="Återkom med förslag",
        owner_all=True,
    )

    second = meetings.meeting_plan_next(
        actor=world.users["leader"], previous=first, starts_at=at(2025, 4, 22)
    )

    [follow_up] = AgendaItem.objects.filter(meeting=second, kind=AgendaItemKind.FOLLOW_UP)
    assert list(follow_up.follow_up_actions.all()) == [action]


# Planning the next meeting ------------------------------------------------------


def test_plan_next_copies_body_place_link_record_joint_bodies_and_duration(world, gov):
    network = BodyFactory(tenant=world.tenant, code="SCN")
    head = BodyMemberFactory(body=network).person
    first = meetings.meeting_create(
        actor=world.users["leader"],
        body=gov.body,
        kind="planeringsdag",
        starts_at=at(2025, 3, 25, 9),
        ends_at=at(2025, 3, 25, 15, 30),
        place="Kommunhuset, Nyköping",
        online_link="https://meet.example.se/sg",
        record_type="protokoll",
        joint_bodies=[network],
    )

    second = meetings.meeting_plan_next(
        actor=world.users["leader"], previous=first, starts_at=at(2025, 4, 22, 13)
    )

    second.refresh_from_db()
    assert second.pk != first.pk
    assert second.body == gov.body
    assert second.place == "Kommunhuset, Nyköping"
    assert second.online_link == "https://meet.example.se/sg"
    assert second.record_type == "protokoll"
    assert list(second.joint_bodies.all()) == [network]
    assert second.ends_at - second.starts_at == datetime.timedelta(hours=6, minutes=30)
    assert second.kind == "ordinarie"  # a planning day is not repeated as such
    assert second.status == MeetingStatus.PLANNED
    assert head in attendees(second) and gov.chair in attendees(second)


def test_plan_next_keeps_a_regular_kind_and_takes_an_explicit_end(world, gov):
    first = plan(world, gov, kind="webbinarium")

    second = meetings.meeting_plan_next(
        actor=world.users["leader"],
        previous=first,
        starts_at=at(2025, 5, 20, 9),
        ends_at=at(2025, 5, 20, 10),
    )

    assert second.kind == "webbinarium"
    assert second.ends_at == at(2025, 5, 20, 10)


# Cancelling and holding -------------------------------------------------------------


def test_cancelling_needs_a_reason(world, gov):
    meeting = plan(world, gov)

    for reason in ("", "   "):
        with pytest.raises(DomainError):
            meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason=reason)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert audits(meeting, "meeting.update") == []


def test_cancelling_records_the_reason_and_is_audited(world, gov):
    meeting = plan(world, gov)

    meetings.meeting_cancel(
        actor=world.users["leader"], meeting=meeting, reason="  För få anmälda.  "
    )

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_reason == "För få anmälda."
    [event] = audits(meeting, "meeting.update")
    assert (event.before["status"], event.after["status"]) == ("planerat", "installt")


def test_a_held_meeting_cannot_be_cancelled(world, gov):
    meeting = plan(world, gov)
    meetings.meeting_mark_held(actor=world.users["leader"], meeting=meeting)

    with pytest.raises(DomainError):
        meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason="Sjukdom")

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.cancelled_reason == ""


def test_a_cancelled_meeting_cannot_be_marked_held(world, gov):
    meeting = plan(world, gov)
    meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason="Sjukdom")

    with pytest.raises(DomainError):
        meetings.meeting_mark_held(actor=world.users["leader"], meeting=meeting)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


# Updating the meeting (optimistic lock) ------------------------------------------


def test_meeting_update_saves_from_the_current_version(world, gov):
    meeting = plan(world, gov)
    version = meeting.version
    network = BodyFactory(tenant=world.tenant)

    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=version,
        place="Stadshuset",
        joint_bodies=[network],
        adjusters=[gov.member],
    )

    meeting.refresh_from_db()
    assert meeting.place == "Stadshuset"
    assert meeting.version == version + 1
    assert list(meeting.joint_bodies.all()) == [network]
    assert list(meeting.adjusters.all()) == [gov.member]
    [event] = audits(meeting, "meeting.update")
    assert event.after["place"] == "Stadshuset"


def test_meeting_update_from_a_stale_version_is_refused_and_changes_nothing(world, gov):
    meeting = plan(world, gov, place="Kommunhuset")
    stale = Meeting.objects.get(pk=meeting.pk)
    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=meeting.version,
        place="Stadshuset",
    )
    events = AuditEvent.objects.count()

    with pytest.raises(ConflictError) as conflict:
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=stale,
            expected_version=stale.version,
            place="Biblioteket",
            title="Extrainsatt",
        )

    assert conflict.value.version == stale.version + 1
    meeting.refresh_from_db()
    assert (meeting.place, meeting.title, meeting.version) == ("Stadshuset", "", stale.version + 1)
    assert AuditEvent.objects.count() == events


def test_meeting_update_with_bad_input_changes_nothing_and_keeps_the_version(world, gov):
    meeting = plan(world, gov)
    version = meeting.version

    with pytest.raises(ValidationError):
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=version,
            ends_at=meeting.starts_at - datetime.timedelta(hours=1),
        )

    assert meeting.version == version  # the form can be sent again as it was
    meeting.refresh_from_db()
    assert meeting.version == version
    meetings.meeting_update(
        actor=world.users["leader"], meeting=meeting, expected_version=version, place="Ny plats"
    )


def test_meeting_update_refuses_bodies_and_people_of_another_programme(world, gov, other_gov):
    meeting = plan(world, gov)
    version = meeting.version

    for fields in (
        {"joint_bodies": [other_gov.body]},
        {"adjusters": [other_gov.chair]},
        {"note_taker": other_gov.leader},
    ):
        with pytest.raises(DomainError):
            meetings.meeting_update(
                actor=world.users["leader"], meeting=meeting, expected_version=version, **fields
            )

    meeting.refresh_from_db()
    assert meeting.version == version
    assert not meeting.joint_bodies.exists() and not meeting.adjusters.exists()
    assert meeting.note_taker is None


def test_meeting_update_does_not_touch_the_lifecycle_fields(world, gov):
    meeting = plan(world, gov)

    with pytest.raises(TypeError):  # a programming error, not something to show a user
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=meeting.version,
            minutes_status="justerad",
        )

    meeting.refresh_from_db()
    assert meeting.minutes_status == "utkast"


# Agenda ---------------------------------------------------------------------------


def test_agenda_item_add_numbers_after_the_last_item_and_is_audited(world, gov):
    meeting = plan(world, gov)
    first, second = add_items(world, meeting, "Inledning", "Processplan")

    assert (first.position, second.position) == (1, 2)
    assert [e.action for e in audits(second)] == ["agenda_item.create"]


def test_agenda_item_needs_a_title(world, gov):
    meeting = plan(world, gov)

    with pytest.raises(ValidationError) as refused:
        meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="")

    assert "title" in refused.value.message_dict
    assert not AgendaItem.objects.exists()


def test_presenters_of_another_programme_are_refused(world, gov, other_gov):
    meeting = plan(world, gov)
    [item] = add_items(world, meeting, "Inledning")

    with pytest.raises(DomainError):
        meetings.agenda_item_add(
            actor=world.users["leader"],
            meeting=meeting,
            title="Forskning",
            presenters=[other_gov.chair],
        )
    with pytest.raises(DomainError):
        meetings.agenda_item_update(
            actor=world.users["leader"],
            item=item,
            expected_version=item.version,
            presenters=[other_gov.chair],
        )

    assert agenda(meeting) == [(1, "Inledning")]
    item.refresh_from_db()
    assert not item.presenters.exists()
    assert item.version == 1


def test_agenda_item_update_saves_text_presenters_and_bumps_versions(world, gov):
    meeting = plan(world, gov)
    [item] = add_items(world, meeting, "Processplan")
    meeting_version = Meeting.objects.get(pk=meeting.pk).version

    meetings.agenda_item_update(
        actor=world.users["leader"],
        item=item,
        expected_version=1,
        title="Processplan 2025",
        kind="beslut",
        minutes="- punkt ett\n**viktigt**",
        presenters=[gov.leader],
    )

    item.refresh_from_db()
    assert (item.title, item.kind, item.minutes) == (
        "Processplan 2025",
        "beslut",
        "- punkt ett\n**viktigt**",
    )
    assert list(item.presenters.all()) == [gov.leader]
    assert item.version == 2
    assert Meeting.objects.get(pk=meeting.pk).version == meeting_version + 1
    [event] = audits(item, "agenda_item.update")
    assert event.before["minutes"] == "" and event.after["minutes"].startswith("- punkt ett")


def test_two_saves_from_the_same_version_the_second_gets_the_first_text(world, gov):
    meeting = plan(world, gov)
    [item] = add_items(world, meeting, "Läget i kommunerna")
    anna = AgendaItem.objects.get(pk=item.pk)
    bertil = AgendaItem.objects.get(pk=item.pk)

    meetings.agenda_item_update(
        actor=world.users["leader"], item=anna, expected_version=1, minutes="Annas text"
    )
    with pytest.raises(ConflictError) as conflict:
        meetings.agenda_item_update(
            actor=world.users["leader"], item=bertil, expected_version=1, minutes="Bertils text"
        )

    assert conflict.value.current == "Annas text"
    assert conflict.value.version == 2
    assert str(conflict.value)  # a message to show
    item.refresh_from_db()
    assert item.minutes == "Annas text"
    assert item.version == 2
    assert len(audits(item, "agenda_item.update")) == 1

    # Bertil merges into Anna's text and saves from the version he was shown.
    meetings.agenda_item_update(
        actor=world.users["leader"],
        item=bertil,
        expected_version=conflict.value.version,
        minutes="Annas text\nBertils text",
    )
    item.refresh_from_db()
    assert item.minutes == "Annas text\nBertils text"
    assert item.version == 3


def test_agenda_item_move_renumbers_one_to_n(world, gov):
    meeting = plan(world, gov)
    a, _, _, d = add_items(world, meeting, "A", "B", "C", "D")

    meetings.agenda_item_move(actor=world.users["leader"], item=d, position=1)
    assert agenda(meeting) == [(1, "D"), (2, "A"), (3, "B"), (4, "C")]

    meetings.agenda_item_move(actor=world.users["leader"], item=d, position=99)
    assert agenda(meeting) == [(1, "A"), (2, "B"), (3, "C"), (4, "D")]

    moved = meetings.agenda_item_move(actor=world.users["leader"], item=a, position=3)
    assert moved.position == 3
    assert agenda(meeting) == [(1, "B"), (2, "C"), (3, "A"), (4, "D")]
    event = audits(meeting, "meeting.agenda.reorder")[-1]
    assert event.after["positions"][str(a.pk)] == 3


def test_agenda_item_move_closes_gaps(world, gov):
    meeting = plan(world, gov)
    a, _, c = add_items(world, meeting, "A", "B", "C")
    AgendaItem.objects.filter(pk=c.pk).update(position=7)

    meetings.agenda_item_move(actor=world.users["leader"], item=a, position=2)

    assert agenda(meeting) == [(1, "B"), (2, "A"), (3, "C")]


def test_an_archived_item_cannot_be_moved(world, gov):
    meeting = plan(world, gov)
    a, _ = add_items(world, meeting, "A", "B")
    meetings.agenda_item_archive(actor=world.users["leader"], item=a)

    with pytest.raises(DomainError):
        meetings.agenda_item_move(actor=world.users["leader"], item=a, position=1)

    assert agenda(meeting) == [(1, "B")]


def test_agenda_item_archive_keeps_the_row_and_renumbers(world, gov):
    meeting = plan(world, gov)
    _, b, _ = add_items(world, meeting, "A", "B", "C")

    meetings.agenda_item_archive(actor=world.users["leader"], item=b)

    assert agenda(meeting) == [(1, "A"), (2, "C")]
    b.refresh_from_db()
    assert b.archived_at is not None
    [event] = audits(b, "agenda_item.archive")
    assert event.before["archived_at"] is None and event.after["archived_at"]
    # A new item goes after the remaining ones.
    [d] = add_items(world, meeting, "D")
    assert d.position == 3


def test_an_item_with_decisions_cannot_be_archived(world, gov):
    meeting = plan(world, gov)
    a, _ = add_items(world, meeting, "A", "B")
    decision_create(actor=world.users["leader"], meeting=meeting, agenda_item=a, text="Beslut.")

    with pytest.raises(DomainError):
        meetings.agenda_item_archive(actor=world.users["leader"], item=a)

    a.refresh_from_db()
    assert a.archived_at is None
    assert agenda(meeting) == [(1, "A"), (2, "B")]


# Attendance ---------------------------------------------------------------------


def test_attendance_set_marks_absent_and_keeps_representation_and_role(world, gov):
    meeting = plan(world, gov)

    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.chair,
        status=AttendanceStatus.ABSENT,
    )
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.member,
        status=AttendanceStatus.ABSENT,
    )

    rows = attendees(meeting)
    assert rows[gov.chair].status == AttendanceStatus.ABSENT
    assert rows[gov.chair].role_note == str(BodyRole.CHAIR.label)
    assert rows[gov.member].represents_principal == world.principal
    [event] = audits(rows[gov.member])
    assert (event.before["status"], event.after["status"]) == ("narvarande", "franvarande")


def test_a_substitute_replaces_someone_and_says_whom(world, gov):
    meeting = plan(world, gov)
    substitute = PersonFactory(tenant=world.tenant, principal=world.principal)

    row = meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=substitute,
        status=AttendanceStatus.SUBSTITUTE,
        replaces=[gov.member],
    )

    assert list(row.replaces.all()) == [gov.member]
    assert row.represents_principal == world.principal
    [event] = audits(row)
    assert event.action == "attendance.create"
    assert event.after["replaces"] == [gov.member.pk]


def test_changing_whom_a_substitute_replaces_is_audited(world, gov):
    meeting = plan(world, gov)
    substitute = PersonFactory(tenant=world.tenant)
    row = meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=substitute,
        status=AttendanceStatus.SUBSTITUTE,
        replaces=[gov.member],
    )

    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=substitute,
        status=AttendanceStatus.SUBSTITUTE,
        replaces=[gov.chair],
    )

    assert list(row.replaces.all()) == [gov.chair]
    event = audits(row)[-1]
    assert (event.before["replaces"], event.after["replaces"]) == ([gov.member.pk], [gov.chair.pk])


@pytest.mark.parametrize(
    ("status", "replaces_whom"),
    [
        (AttendanceStatus.SUBSTITUTE, []),  # a substitute must replace someone
        (AttendanceStatus.PRESENT, ["member"]),  # only substitutes replace
        (AttendanceStatus.GUEST, ["member"]),
        (AttendanceStatus.SUBSTITUTE, ["self"]),  # not themselves
    ],
)
def test_attendance_rules(world, gov, status, replaces_whom):
    meeting = plan(world, gov)
    person = PersonFactory(tenant=world.tenant)
    replaces = [person if who == "self" else gov.member for who in replaces_whom]

    with pytest.raises(DomainError):
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=person,
            status=status,
            replaces=replaces,
        )

    assert person not in attendees(meeting)
    assert AuditEvent.objects.filter(object_type="governance.attendance").count() == 0


def test_an_unknown_attendance_status_is_refused(world, gov):
    meeting = plan(world, gov)

    with pytest.raises(ValidationError):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=meeting, person=gov.chair, status="sover"
        )

    assert attendees(meeting)[gov.chair].status == AttendanceStatus.PRESENT


def test_attendance_of_another_programme_is_refused(world, gov, other_world):
    meeting = plan(world, gov)
    stranger = PersonFactory(tenant=other_world.tenant)
    foreign_principal = PrincipalFactory(tenant=other_world.tenant)
    substitute = PersonFactory(tenant=world.tenant)

    with pytest.raises(DomainError):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=meeting, person=stranger, status="narvarande"
        )
    with pytest.raises(DomainError):
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=substitute,
            status=AttendanceStatus.SUBSTITUTE,
            replaces=[stranger],
        )
    with pytest.raises(DomainError):
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=gov.member,
            status=AttendanceStatus.PRESENT,
            represents_principal=foreign_principal,
        )

    rows = attendees(meeting)
    assert stranger not in rows and substitute not in rows
    assert rows[gov.member].represents_principal == world.principal


def test_a_guest_is_recorded_with_a_note(world, gov):
    meeting = plan(world, gov)
    guest = PersonFactory(tenant=world.tenant, organisation="Länsstyrelsen", title="Handläggare")

    row = meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=guest,
        status=AttendanceStatus.GUEST,
        role_note="Gäst, punkt 4",
    )

    row.refresh_from_db()
    assert (row.status, row.role_note, row.represents_principal) == ("ovrig", "Gäst, punkt 4", None)


# Locked after approval -----------------------------------------------------------


@pytest.fixture
def approved(world, gov):
    meeting = plan(world, gov)
    item = meetings.agenda_item_add(
        actor=world.users["leader"], meeting=meeting, title="Processplan", minutes="Text."
    )
    meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Övrigt")
    decision = decision_create(
        actor=world.users["leader"], meeting=meeting, agenda_item=item, text="Godkänns."
    )
    approve(world, meeting)
    return Meeting.objects.get(pk=meeting.pk), item, decision


def _edits(world, gov, meeting, item, decision):
    leader = world.users["leader"]
    return {
        "meeting_update": lambda: meetings.meeting_update(
            actor=leader, meeting=meeting, expected_version=meeting.version, place="Ny"
        ),
        "agenda_item_add": lambda: meetings.agenda_item_add(
            actor=leader, meeting=meeting, title="Ny punkt"
        ),
        "agenda_item_update": lambda: meetings.agenda_item_update(
            actor=leader, item=item, expected_version=item.version, minutes="Ändrad"
        ),
        "agenda_item_move": lambda: meetings.agenda_item_move(actor=leader, item=item, position=2),
        "agenda_item_archive": lambda: meetings.agenda_item_archive(
            actor=leader, item=AgendaItem.objects.get(meeting=meeting, title="Övrigt")
        ),
        "attendance_set": lambda: meetings.attendance_set(
            actor=leader, meeting=meeting, person=gov.chair, status="franvarande"
        ),
        "decision_create": lambda: decision_create(
            actor=leader, meeting=meeting, agenda_item=item, text="Nytt beslut."
        ),
        "decision_update_text": lambda: decision_update_text(
            actor=leader, decision=decision, text="Ändrat beslut."
        ),
    }


EDITS = [
    "meeting_update",
    "agenda_item_add",
    "agenda_item_update",
    "agenda_item_move",
    "agenda_item_archive",
    "attendance_set",
    "decision_create",
    "decision_update_text",
]


def _state(meeting):
    return (
        Meeting.objects.filter(pk=meeting.pk).values("place", "version").get(),
        list(
            AgendaItem.objects.filter(meeting=meeting).values_list(
                "title", "position", "minutes", "archived_at", "version"
            )
        ),
        list(Attendance.objects.filter(meeting=meeting).values_list("person", "status")),
        list(Decision.objects.filter(meeting=meeting).values_list("number", "text")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("edit", EDITS)
def test_approved_minutes_are_locked(world, gov, approved, edit):
    meeting, item, decision = approved
    item.refresh_from_db()
    before = _state(meeting)

    with pytest.raises(LockedError):
        _edits(world, gov, meeting, item, decision)[edit]()

    assert _state(meeting) == before


@pytest.mark.parametrize("edit", EDITS)
def test_the_lock_holds_for_a_meeting_loaded_before_the_approval(world, gov, edit):
    """A page opened before the approval must not write into the approved minutes."""
    meeting = plan(world, gov)
    item = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="A")
    meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Övrigt")
    decision = decision_create(
        actor=world.users["leader"], meeting=meeting, agenda_item=item, text="Godkänns."
    )
    stale_meeting = Meeting.objects.get(pk=meeting.pk)
    stale_item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    stale_decision = Decision.objects.select_related("meeting").get(pk=decision.pk)
    approve(world, meeting)
    stale_meeting.version = Meeting.objects.get(pk=meeting.pk).version  # not a version conflict
    before = _state(meeting)

    with pytest.raises(LockedError):
        _edits(world, gov, stale_meeting, stale_item, stale_decision)[edit]()

    assert _state(meeting) == before
