"""The notice (kallelse) and the replies to it: who is called (the members of
the body and its joint bodies on the meeting's day), what the e-mail says and
carries, changed and cancellation notices, the reply rules and how the
replies pre-fill the attendance."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail, signing
from django.utils import timezone, translation
from django_scopes import scope

from governance.models import (
    Attendance,
    AttendanceStatus,
    MeetingNotice,
    MeetingReply,
    MeetingStatus,
    NoticeKind,
    ReplyAnswer,
)
from governance.services import DomainError, meetings, notices
from governance.services.meeting_documents import document_add
from portal.models import Person
from tests.factories import PersonFactory
from tests.governance.factories import BodyFactory, BodyMemberFactory
from tests.governance.service_helpers import at, audits, plan

pytestmark = pytest.mark.usefixtures("in_scope")

FUTURE = (2030, 5, 14)


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PORTAL_BASE_URL = "https://portal.example.se"


@pytest.fixture
def meeting(world, gov):
    meeting = plan(
        world,
        gov,
        day=FUTURE,
        place="Regionhuset, Nyköping",
        online_link="https://meet.example.se/sg",
    )
    meetings.agenda_item_add(
        actor=world.users["leader"],
        meeting=meeting,
        title="Processplan 2030",
        presenters=[gov.leader],
    )
    return meeting


def send(world, meeting, captured, **kwargs) -> MeetingNotice:
    with captured(execute=True):
        return notices.notice_send(actor=world.users["leader"], meeting=meeting, **kwargs)


def reply(meeting, person, answer, **kwargs) -> MeetingReply:
    return notices.reply_set(actor=None, meeting=meeting, person=person, answer=answer, **kwargs)


def line(meeting, person) -> Attendance:
    return Attendance.objects.get(meeting=meeting, person=person)


# Who is called ----------------------------------------------------------------


def test_the_members_of_the_body_and_its_joint_bodies_on_the_meeting_day_are_called(world, gov):
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    joint_member = BodyMemberFactory(body=network, tenant=world.tenant).person
    # A member of both bodies is called once.
    BodyMemberFactory(body=network, tenant=world.tenant, person=gov.member)
    left = BodyMemberFactory(
        body=gov.body,
        tenant=world.tenant,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2030, 5, 13),
    ).person
    joins_later = BodyMemberFactory(
        body=gov.body, tenant=world.tenant, start_date=datetime.date(2030, 6, 1)
    ).person
    meeting = plan(world, gov, day=FUTURE, joint_bodies=[network])

    called = notices.invitees(meeting)

    assert [p.pk for p in called] == sorted(
        [p.pk for p in (gov.chair, gov.leader, gov.member, joint_member)],
        key=lambda pk: Person.objects.get(pk=pk).name,
    )
    assert left not in called and joins_later not in called


def test_a_member_without_an_address_gets_no_notice(
    world, gov, meeting, django_capture_on_commit_callbacks
):
    Person.objects.filter(pk=gov.member.pk).update(email="")

    notice = send(world, meeting, django_capture_on_commit_callbacks)

    assert sorted(notice.recipients.values_list("person_id", flat=True)) == sorted(
        [gov.chair.pk, gov.leader.pk]
    )
    assert len(mail.outbox) == 2


def test_no_notice_without_anyone_to_send_it_to(world, gov, meeting):
    Person.objects.filter(tenant=world.tenant).update(email="")

    with pytest.raises(DomainError):
        notices.notice_send(actor=world.users["leader"], meeting=meeting)
    assert not MeetingNotice.objects.exists()


# The e-mail ------------------------------------------------------------------


def test_each_member_gets_one_mail_with_the_meeting_agenda_documents_ics_and_own_links(
    world, gov, meeting, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from tests.governance.meeting_document_helpers import pdf_upload

    document = document_add(
        actor=world.users["leader"], meeting=meeting, upload=pdf_upload("plan.pdf"), title="Plan"
    )
    assert document.shared_at is None

    with translation.override("en"):
        notice = send(world, meeting, django_capture_on_commit_callbacks, message="Läs planen.")

    assert notice.kind == NoticeKind.NOTICE
    assert notice.sent_by == world.users["leader"]
    document.refresh_from_db()
    assert document.shared_at is not None  # the notice shares the documents
    assert len(mail.outbox) == 3
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = next(m for m in mail.outbox if m.to == [gov.member.email])
    body = message.body
    assert "Regionhuset, Nyköping" in body
    assert "https://meet.example.se/sg" in body
    assert "14:00" in body or "13:00" in body
    assert "Processplan 2030 (Processledare Test)" in body
    assert "Läs planen." in body
    assert f"https://portal.example.se/sormland/meetings/documents/{document.pk}/download/" in body
    links = re.findall(
        r"https://portal\.example\.se/sormland/meetings/reply/([^/\s]+)/\?svar=(\w+)", body
    )
    assert {answer for _, answer in links} == {"kommer", "forhinder"}
    # The recipient's own links: for this meeting and this member only.
    for token, _ in links:
        target = notices.reply_target(token=token, tenant_id=world.tenant.pk)
        assert (target.meeting, target.person) == (meeting, gov.member)
    (name, content, mimetype), *_ = message.attachments
    assert name.endswith(".ics") and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in content and "LOCATION:Regionhuset" in content
    assert notice.recipients.filter(mailed_at__isnull=False).count() == 3
    events = audits(notice, "meeting_notice.send")
    assert len(events) == 1
    assert sorted(events[0].after["recipients"]) == sorted(
        [gov.chair.pk, gov.leader.pk, gov.member.pk]
    )


def test_a_meeting_without_times_is_noticed_by_its_date_only(
    world, gov, django_capture_on_commit_callbacks
):
    meeting = plan(world, gov, day=FUTURE, all_day=True, title="Planeringsdag")

    with translation.override("en"):
        send(world, meeting, django_capture_on_commit_callbacks)

    body = mail.outbox[0].body
    assert "2030" in body
    assert not re.search(r"\b\d{1,2}:\d{2}\b", body)  # a date, no times


def test_a_retry_sends_no_copies(world, gov, meeting, django_capture_on_commit_callbacks):
    notice = send(world, meeting, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3

    notices.notice_deliver(notice=notice, base_url="")

    assert len(mail.outbox) == 3


# Changed and cancelled -------------------------------------------------------------


def test_a_changed_meeting_sends_a_changed_notice_saying_what_changed(
    world, gov, meeting, django_capture_on_commit_callbacks, settings
):
    send(world, meeting, django_capture_on_commit_callbacks)
    first_subject = mail.outbox[0].subject
    with pytest.raises(DomainError):
        notices.notice_send(actor=world.users["leader"], meeting=meeting)  # nothing changed
    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=meeting.version,
        place="Stadshuset, Eskilstuna",
    )
    with translation.override("en"):
        assert notices.changes_since_notice(meeting) == ["place"]
    mail.outbox.clear()

    with translation.override("en"):
        changed = send(world, meeting, django_capture_on_commit_callbacks)

    assert changed.kind == NoticeKind.CHANGED
    assert len(mail.outbox) == 3
    with translation.override(settings.LANGUAGE_CODE):  # the mails' language
        what = notices.facts_changed({"place": "x"}, {"place": "y"})
    assert what[0] in mail.outbox[0].body  # says what changed
    assert mail.outbox[0].subject != first_subject
    assert "Stadshuset, Eskilstuna" in mail.outbox[0].body
    assert notices.changes_since_notice(meeting) == []


def test_an_agenda_change_after_the_notice_is_a_change(
    world, gov, meeting, django_capture_on_commit_callbacks
):
    send(world, meeting, django_capture_on_commit_callbacks)

    meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Övrigt")

    with translation.override("en"):
        assert notices.changes_since_notice(meeting) == ["agenda"]


def test_cancelling_a_noticed_meeting_tells_everyone_who_had_the_notice(
    world, gov, meeting, django_capture_on_commit_callbacks
):
    send(world, meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_cancel(
            actor=world.users["leader"], meeting=meeting, reason="Krockar med budgetdagen."
        )

    cancellation = MeetingNotice.objects.get(meeting=meeting, kind=NoticeKind.CANCELLATION)
    assert cancellation.recipients.count() == 3
    assert len(mail.outbox) == 3
    assert "Krockar med budgetdagen." in mail.outbox[0].body
    assert "/meetings/reply/" not in mail.outbox[0].body  # nothing to answer
    assert "STATUS:CANCELLED" in mail.outbox[0].attachments[0][1]
    with pytest.raises(DomainError):
        notices.notice_send(actor=world.users["leader"], meeting=meeting)


def test_cancelling_a_meeting_never_noticed_sends_nothing(
    world, gov, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason="Inställt.")

    assert not MeetingNotice.objects.exists()
    assert mail.outbox == []


def test_no_notice_of_a_meeting_that_has_ended(world, gov):
    meeting = plan(world, gov, day=(2025, 3, 25))

    with pytest.raises(DomainError):
        notices.notice_send(actor=world.users["leader"], meeting=meeting)


# Replies ------------------------------------------------------------------------


def test_a_later_answer_replaces_the_earlier_one_and_each_is_audited(world, gov, meeting):
    first = reply(meeting, gov.member, ReplyAnswer.COMING)
    second = reply(meeting, gov.member, ReplyAnswer.REGRETS, comment="Sjuk")

    assert first.pk == second.pk
    assert MeetingReply.objects.filter(meeting=meeting).count() == 1
    assert second.answer == ReplyAnswer.REGRETS
    events = audits(second)
    assert [e.action for e in events] == ["meeting_reply.create", "meeting_reply.update"]
    assert events[1].before["answer"] == ReplyAnswer.COMING
    assert events[1].after["answer"] == ReplyAnswer.REGRETS


@pytest.mark.parametrize(
    ("answer", "kwargs"),
    [
        ("kanske", {}),
        (ReplyAnswer.COMING, {"substitute_name": "Eva Ersättare", "substitute_email": "e@x.se"}),
        (ReplyAnswer.REGRETS, {"substitute_name": "Utan Adress"}),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(world, gov, meeting, answer, kwargs):
    with pytest.raises(DomainError):
        reply(meeting, gov.member, answer, **kwargs)
    assert not MeetingReply.objects.exists()


def test_a_member_cannot_be_their_own_substitute(world, gov, meeting):
    with pytest.raises(DomainError):
        reply(meeting, gov.member, ReplyAnswer.REGRETS, substitute=gov.member)


def test_only_those_called_may_answer(world, gov, meeting):
    stranger = PersonFactory(tenant=world.tenant)
    with pytest.raises(DomainError):
        reply(meeting, stranger, ReplyAnswer.COMING)


def test_no_answer_after_the_meeting_or_when_it_is_cancelled(world, gov, meeting):
    after = meeting.ends_at + datetime.timedelta(minutes=1)
    with pytest.raises(DomainError):
        reply(meeting, gov.member, ReplyAnswer.COMING, now=after)
    meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason="Inställt.")
    with pytest.raises(DomainError):
        reply(meeting, gov.member, ReplyAnswer.COMING)
    assert not MeetingReply.objects.exists()


def test_a_substitute_named_by_address_is_the_directory_person_with_it(world, gov, meeting):
    deputy = PersonFactory(tenant=world.tenant, name="Dora Deputy", email="dora@kommun.se")

    answer = reply(
        meeting,
        gov.member,
        ReplyAnswer.REGRETS,
        substitute_name="Dora D.",
        substitute_email="DORA@kommun.se",
    )

    assert answer.substitute == deputy


def test_a_new_substitute_is_added_to_the_directory(world, gov, meeting):
    answer = reply(
        meeting,
        gov.member,
        ReplyAnswer.REGRETS,
        substitute_name="Nils Ny",
        substitute_email="nils.ny@kommun.se",
    )

    assert answer.substitute.name == "Nils Ny"
    assert answer.substitute.tenant_id == world.tenant.pk
    assert answer.substitute.principal_id == gov.member.principal_id


# Attendance from the replies ---------------------------------------------------


def test_regrets_mark_the_member_absent_and_coming_present(world, gov, meeting):
    reply(meeting, gov.member, ReplyAnswer.REGRETS)
    assert line(meeting, gov.member).status == AttendanceStatus.ABSENT
    assert line(meeting, gov.member).from_reply

    reply(meeting, gov.member, ReplyAnswer.COMING)
    assert line(meeting, gov.member).status == AttendanceStatus.PRESENT
    assert audits(meeting, "meeting.attendance.update_from_reply")


def test_a_named_substitute_is_recorded_replacing_the_member(world, gov, meeting):
    deputy = PersonFactory(tenant=world.tenant, name="Dora Deputy")

    reply(meeting, gov.member, ReplyAnswer.REGRETS, substitute=deputy)

    assert line(meeting, gov.member).status == AttendanceStatus.ABSENT
    substitute = line(meeting, deputy)
    assert substitute.status == AttendanceStatus.SUBSTITUTE
    assert list(substitute.replaces.all()) == [gov.member]
    assert substitute.represents_principal_id == world.principal.pk

    # Another substitute instead: the first is taken off again.
    other = PersonFactory(tenant=world.tenant, name="Olle Other")
    reply(meeting, gov.member, ReplyAnswer.REGRETS, substitute=other)
    assert not Attendance.objects.filter(meeting=meeting, person=deputy).exists()
    assert line(meeting, other).status == AttendanceStatus.SUBSTITUTE


def test_a_substitute_who_is_a_member_goes_back_to_their_seat(world, gov, meeting):
    reply(meeting, gov.member, ReplyAnswer.REGRETS, substitute=gov.chair)
    assert line(meeting, gov.chair).status == AttendanceStatus.SUBSTITUTE

    reply(meeting, gov.member, ReplyAnswer.COMING)

    chair = line(meeting, gov.chair)
    assert chair.status == AttendanceStatus.PRESENT and chair.prefilled
    assert not chair.replaces.exists()


def test_a_line_set_by_hand_is_never_overwritten_by_a_reply(world, gov, meeting):
    row = line(meeting, gov.member)
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.member,
        status=AttendanceStatus.PRESENT,
        expected_version=row.version,
    )

    reply(meeting, gov.member, ReplyAnswer.REGRETS)

    assert line(meeting, gov.member).status == AttendanceStatus.PRESENT


def test_marking_the_others_leaves_the_lines_from_replies(world, gov, meeting):
    reply(meeting, gov.member, ReplyAnswer.REGRETS)

    meetings.attendance_mark_others(
        actor=world.users["leader"], meeting=meeting, status=AttendanceStatus.PRESENT
    )

    assert line(meeting, gov.member).status == AttendanceStatus.ABSENT


def test_a_reply_before_the_roster_is_prefilled_is_kept_when_it_is(world, gov, meeting):
    Attendance.objects.filter(meeting=meeting).delete()  # a roster not pre-filled yet
    deputy = PersonFactory(tenant=world.tenant)

    reply(meeting, gov.member, ReplyAnswer.REGRETS, substitute=deputy)
    meetings._prefill_attendance(meeting, [gov.body])

    assert line(meeting, gov.member).status == AttendanceStatus.ABSENT
    assert line(meeting, deputy).status == AttendanceStatus.SUBSTITUTE
    assert line(meeting, gov.chair).status == AttendanceStatus.PRESENT
    assert Attendance.objects.filter(meeting=meeting).count() == 4


def test_replies_leave_finished_minutes_alone(world, gov, meeting):
    from governance.services import minutes

    minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)
    meeting.refresh_from_db()
    meeting.status = MeetingStatus.PLANNED  # the meeting still ahead
    meeting.save(update_fields=["status"])

    reply(meeting, gov.member, ReplyAnswer.REGRETS)

    assert line(meeting, gov.member).status == AttendanceStatus.PRESENT


# The signed link ---------------------------------------------------------------


def test_the_token_names_its_meeting_and_person(world, gov, meeting):
    token = notices.reply_token(meeting, gov.member)

    target = notices.reply_target(token=token, tenant_id=world.tenant.pk)

    assert (target.meeting, target.person) == (meeting, gov.member)


def test_a_forged_token_is_refused(world, gov, meeting):
    token = notices.reply_token(meeting, gov.member)
    forged = signing.dumps(
        {"t": world.tenant.pk, "m": meeting.pk, "p": gov.chair.pk}, salt="another.salt"
    )

    for bad in (token[:-2] + "xx", forged, "nonsense"):
        with pytest.raises(notices.ReplyRefused) as refused:
            notices.reply_target(token=bad, tenant_id=world.tenant.pk)
        assert refused.value.reason == "invalid"


def test_another_programmes_token_is_refused(world, gov, meeting, other_world, other_gov):
    with scope(tenant=other_world.tenant):
        theirs = plan(other_world, other_gov, day=FUTURE)
        token = notices.reply_token(theirs, other_gov.member)

    with pytest.raises(notices.ReplyRefused) as refused:
        notices.reply_target(token=token, tenant_id=world.tenant.pk)
    assert refused.value.reason == "invalid"


def test_the_token_expires_when_the_meeting_ends(world, gov, meeting):
    token = notices.reply_token(meeting, gov.member)

    with pytest.raises(notices.ReplyRefused) as refused:
        notices.reply_target(
            token=token,
            tenant_id=world.tenant.pk,
            now=meeting.ends_at + datetime.timedelta(seconds=1),
        )
    assert refused.value.reason == "closed"
    # A meeting moved later keeps the link working.
    assert notices.reply_target(token=token, tenant_id=world.tenant.pk, now=timezone.now())


def test_a_token_for_someone_not_called_is_refused(world, gov, meeting):
    stranger = PersonFactory(tenant=world.tenant)

    with pytest.raises(notices.ReplyRefused):
        notices.reply_target(
            token=notices.reply_token(meeting, stranger), tenant_id=world.tenant.pk
        )


def test_at_is_local_time():
    assert at(2030, 5, 14).utcoffset() == datetime.timedelta(hours=2)
