"""The notice's pages: sending it (process leaders), answering it on the
meeting page (a member called to the meeting, for their own person) and
through the e-mail's signed link (no login); the replies on the meeting page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from governance.models import (
    AttendanceStatus,
    MeetingNotice,
    MeetingReply,
    MeetingStatus,
    NoticeKind,
)
from governance.services import meetings, notices
from portal.models import AuditEvent
from tests.governance.service_helpers import plan
from tests.helpers import url_in

FUTURE = (2030, 5, 14)


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def meeting(world, gov):
    with scope(tenant=world.tenant):
        return plan(world, gov, day=FUTURE, place="Regionhuset")


url = url_in("governance")


# Sending -----------------------------------------------------------------------


def test_the_process_leader_sees_the_recipients_and_sends_the_notice(
    world, gov, meeting, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.users["leader"])

    page = client.get(url("notice_send", meeting))
    assert page.status_code == 200
    assert gov.member.email in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("notice_send", meeting), {"message": "Välkomna!"})

    assert response.status_code == 302
    assert response["Location"].endswith("#notice")
    with scope(tenant=world.tenant):
        notice = MeetingNotice.objects.get(meeting=meeting)
        assert notice.kind == NoticeKind.NOTICE
        assert AuditEvent.objects.filter(
            action="meeting_notice.send", object_id=str(notice.pk)
        ).exists()
    assert len(mail.outbox) == 3
    # The links in the mail lead to this site.
    assert "http://testserver/sormland/meetings/reply/" in mail.outbox[0].body


def test_the_meeting_page_lists_the_notices_and_offers_a_changed_notice(
    world, gov, meeting, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.users["leader"])
    assert b"data-send-notice" in client.get(url("meeting_detail", meeting)).content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("notice_send", meeting), {})

    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert 'data-notice-kind="kallelse"' in page
    assert "data-send-notice" not in page  # nothing changed
    with scope(tenant=world.tenant):
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=meeting.version,
            place="Stadshuset",
        )
    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert 'data-send-notice="changed"' in page


@pytest.mark.parametrize("role", ["steering", "reporter", "researcher", "admin"])
def test_only_process_leaders_send_the_notice(world, gov, meeting, client_for, role):
    client = client_for(world.users[role])

    assert client.get(url("notice_send", meeting)).status_code in (403, 404)
    assert client.post(url("notice_send", meeting), {}).status_code in (403, 404)
    with scope(tenant=world.tenant):
        assert not MeetingNotice.objects.exists()


def test_a_refused_send_is_explained_and_sends_nothing(world, gov, meeting, client_for):
    with scope(tenant=world.tenant):
        meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason="Inställt")
    client = client_for(world.users["leader"])

    response = client.post(url("notice_send", meeting), {"message": "x" * 3000})

    assert response.status_code == 200
    assert b"errorlist" in response.content
    with scope(tenant=world.tenant):
        assert not MeetingNotice.objects.exists()
    assert mail.outbox == []


# Answering on the meeting page ---------------------------------------------------


def test_a_member_answers_for_their_own_person_on_the_meeting_page(world, gov, meeting, client_for):
    client = client_for(world.users["steering"])  # the chair, called to the meeting
    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert 'data-own-reply=""' in page

    response = client.post(url("meeting_reply", meeting), {"answer": "forhinder"})

    assert response.status_code == 302
    with scope(tenant=world.tenant):
        reply = MeetingReply.objects.get()
        assert (reply.person, reply.answered_by, reply.via_link) == (
            gov.chair,
            world.users["steering"],
            False,
        )
        assert meeting.attendance.get(person=gov.chair).status == AttendanceStatus.ABSENT
    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert 'data-own-reply="forhinder"' in page


def test_someone_not_called_cannot_answer(world, gov, meeting, client_for):
    # The researcher has no person in the directory; the reporter none called.
    for role in ("researcher", "reporter", "admin"):
        response = client_for(world.users[role]).post(
            url("meeting_reply", meeting), {"answer": "kommer"}
        )
        assert response.status_code == 403
    with scope(tenant=world.tenant):
        assert not MeetingReply.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"answer": "kanske"},
        {"answer": "kommer", "substitute_name": "Eva", "substitute_email": "eva@x.se"},
        {"answer": "forhinder", "substitute_email": "inte-en-adress"},
    ],
)
def test_a_bad_answer_is_explained_and_changes_nothing(world, gov, meeting, client_for, data):
    response = client_for(world.users["steering"]).post(url("meeting_reply", meeting), data)

    assert response.status_code == 200
    assert b"errorlist" in response.content
    with scope(tenant=world.tenant):
        assert not MeetingReply.objects.exists()


def test_the_leader_sees_the_replies_and_who_has_not_answered(world, gov, meeting, client_for):
    with scope(tenant=world.tenant):
        notices.reply_set(actor=None, meeting=meeting, person=gov.member, answer="forhinder")

    page = client_for(world.users["leader"]).get(url("meeting_detail", meeting)).content.decode()

    assert f'data-reply="{gov.member.pk}" data-answer="forhinder"' in page
    missing = page.split("data-not-answered>")[1].split("</p>")[0]
    assert gov.chair.name in missing and gov.leader.name in missing
    assert gov.member.name not in missing


def test_the_meeting_page_costs_the_same_queries_with_more_replies(world, gov, meeting, client_for):
    from tests.factories import PersonFactory
    from tests.governance.factories import BodyMemberFactory

    client = client_for(world.users["leader"])
    client.get(url("meeting_detail", meeting))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url("meeting_detail", meeting))
    with scope(tenant=world.tenant):
        for n in range(6):
            person = PersonFactory(tenant=world.tenant, name=f"Extra {n}")
            BodyMemberFactory(body=gov.body, tenant=world.tenant, person=person)
            notices.reply_set(actor=None, meeting=meeting, person=person, answer="kommer")
    with CaptureQueriesContext(connection) as many:
        client.get(url("meeting_detail", meeting))

    assert len(many) == len(few)


# The signed link ---------------------------------------------------------------


def test_the_link_answers_with_a_substitute_without_logging_in(world, gov, meeting):
    with scope(tenant=world.tenant):
        token = notices.reply_token(meeting, gov.member)
    path = reverse("governance:reply_link", args=[world.tenant.slug, token])
    client = Client()

    page = client.get(path + "?svar=forhinder")
    assert page.status_code == 200
    assert b'value="forhinder"' in page.content and b"checked" in page.content
    response = client.post(
        path,
        {
            "answer": "forhinder",
            "substitute_name": "Siv Ersättare",
            "substitute_email": "siv@eskilstuna.se",
        },
    )

    assert response.status_code == 200
    assert b'data-reply-saved="forhinder"' in response.content
    with scope(tenant=world.tenant):
        reply = MeetingReply.objects.get()
        assert reply.substitute.email == "siv@eskilstuna.se"
        substitute = meeting.attendance.get(person=reply.substitute)
        assert substitute.status == AttendanceStatus.SUBSTITUTE
        assert list(substitute.replaces.all()) == [gov.member]


def test_a_bad_answer_through_the_link_is_explained_and_changes_nothing(world, gov, meeting):
    with scope(tenant=world.tenant):
        token = notices.reply_token(meeting, gov.member)
    path = reverse("governance:reply_link", args=[world.tenant.slug, token])

    response = Client().post(path, {"answer": "kommer", "substitute": str(gov.chair.pk)})

    assert response.status_code == 400
    assert b"errorlist" in response.content
    with scope(tenant=world.tenant):
        assert not MeetingReply.objects.exists()


def test_the_link_of_a_cancelled_meeting_says_so(world, gov, meeting):
    with scope(tenant=world.tenant):
        token = notices.reply_token(meeting, gov.member)
        meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason="Inställt")
        assert meeting.status == MeetingStatus.CANCELLED
    path = reverse("governance:reply_link", args=[world.tenant.slug, token])

    response = Client().post(path, {"answer": "kommer"})

    assert response.status_code == 410
    assert b'data-refusal="closed"' in response.content
