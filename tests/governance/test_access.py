"""`governance.access`: one lookup per noun. Each `get_<noun>_for` gives its
own programme's object, 404 for another programme's id (and one that does
not exist), and 403 for too little role. Who may sign minutes is one rule,
`minutes_approval`, which the signing page, the meeting page's button and the
signing service all follow."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance import access
from governance.models import (
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    EventKind,
    MeetingDocument,
    MinutesComment,
    ProgrammeEvent,
    SignatureMethod,
)
from governance.selectors.signing import minutes_approval
from governance.services import DomainError, minutes, signing
from tests.governance.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyMemberFactory,
    DecisionFactory,
    MeetingFactory,
    RiskFactory,
    StatusReportFactory,
)


def request_for(world, role: str):
    """What a governance view receives, for `role` of `world`'s programme."""
    request = RequestFactory().get("/")
    request.tenant = world.tenant
    request.membership = world.memberships[role]
    request.user = world.users[role]
    return request


# Each noun: how to make one in a programme, how to look it up, and a role
# with too little for it (None: every member may).


def _meeting(world, gov):
    return MeetingFactory(body=gov.body)


def _item(world, gov):
    return AgendaItemFactory(meeting=_meeting(world, gov))


def _attendance(world, gov):
    meeting = _meeting(world, gov)
    return Attendance.all_rows.create(
        tenant=world.tenant, meeting=meeting, person=gov.member, status=AttendanceStatus.PRESENT
    )


def _decision(world, gov):
    return DecisionFactory(meeting=_meeting(world, gov))


def _comment(world, gov):
    return MinutesComment.objects.create(
        tenant=world.tenant,
        meeting=_meeting(world, gov),
        author=gov.chair,
        user=world.users["steering"],
        text="Stavfel i punkt 2.",
        created_at=timezone.now(),
    )


def _document(world, gov):
    return MeetingDocument.objects.create(
        tenant=world.tenant,
        meeting=_meeting(world, gov),
        title="Handling",
        shared_at=timezone.now(),
    )


def _action(world, gov):
    return ActionItemFactory(body=gov.body)


def _body(world, gov):
    return gov.body


def _member(world, gov):
    return BodyMemberFactory(body=gov.body)


def _event(world, gov):
    starts = timezone.now() + datetime.timedelta(days=7)
    return ProgrammeEvent.objects.create(
        tenant=world.tenant,
        kind=EventKind.WORKSHOP,
        title="Workshop",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )


def _feed(world, gov):
    # The feed of the user the lookups below are made as (the leader).
    return CalendarFeed.objects.create(
        tenant=world.tenant, token=f"hash-{world.tenant.slug}", created_by=world.users["leader"]
    )


def _report(world, gov):
    return StatusReportFactory(tenant=world.tenant)


def _risk(world, gov):
    return RiskFactory(tenant=world.tenant)


def _principal(world, gov):
    return world.principal


@dataclass(frozen=True)
class Noun:
    make: Callable[[Any, Any], Any]
    get: Callable[..., Any]
    kwargs: dict[str, Any]
    too_little: str | None  # a role that gets 403


NOUNS = {
    "meeting": Noun(_meeting, access.get_meeting_for, {}, None),
    "meeting to change": Noun(_meeting, access.get_meeting_for, {"write": True}, "steering"),
    "meeting to sign": Noun(_meeting, access.get_meeting_for, {"sign": True}, "researcher"),
    "meeting to answer": Noun(_meeting, access.get_meeting_for, {"reply": True}, "researcher"),
    "meeting's calendar": Noun(_meeting, access.get_meeting_for, {"calendar": True}, None),
    "agenda item": Noun(_item, access.get_agenda_item_for, {}, "steering"),
    "attendance": Noun(_attendance, access.get_attendance_for, {}, "steering"),
    "decision": Noun(_decision, access.get_decision_for, {}, "steering"),
    "decision draft": Noun(
        _decision, access.get_decision_for, {"revision_drafts": True}, "steering"
    ),
    "minutes comment": Noun(_comment, access.get_minutes_comment_for, {}, "steering"),
    "document": Noun(_document, access.get_document_for, {}, None),
    "document to change": Noun(_document, access.get_document_for, {"write": True}, "steering"),
    "action": Noun(_action, access.get_action_for, {}, "reporter"),
    "action to change": Noun(_action, access.get_action_for, {"write": True}, "steering"),
    "body": Noun(_body, access.get_body_for, {}, None),
    "body to change": Noun(_body, access.get_body_for, {"write": True}, "steering"),
    "body member": Noun(_member, access.get_body_member_for, {}, "steering"),
    "event": Noun(_event, access.get_event_for, {}, None),
    "event to change": Noun(_event, access.get_event_for, {"write": True}, "steering"),
    "feed": Noun(_feed, access.get_feed_for, {}, None),
    "report": Noun(_report, access.get_report_for, {}, "reporter"),
    "report to change": Noun(_report, access.get_report_for, {"write": True}, "steering"),
    "risk": Noun(_risk, access.get_risk_for, {}, "reporter"),
    "risk to change": Noun(_risk, access.get_risk_for, {"write": True}, "steering"),
    "principal": Noun(_principal, access.get_principal_for, {}, None),
    "principal to answer for": Noun(
        _principal, access.get_principal_for, {"write": True}, "steering"
    ),
}


@pytest.mark.parametrize("noun", NOUNS.values(), ids=NOUNS.keys())
def test_own_programme_gives_the_object(noun, world, gov):
    with scopes_disabled():
        obj = noun.make(world, gov)
    role = "steering" if noun.kwargs.get("sign") else "leader"
    with scope(tenant=world.tenant):
        found = noun.get(request_for(world, role), obj.pk, **noun.kwargs)
    assert found.pk == obj.pk
    assert type(found) is type(obj)


@pytest.mark.parametrize("noun", NOUNS.values(), ids=NOUNS.keys())
def test_another_programmes_id_is_404(noun, world, gov, other_world, other_gov):
    with scopes_disabled():
        theirs = noun.make(other_world, other_gov)
    role = "steering" if noun.kwargs.get("sign") else "leader"
    with scope(tenant=world.tenant), pytest.raises(Http404):
        noun.get(request_for(world, role), theirs.pk, **noun.kwargs)


@pytest.mark.parametrize("noun", NOUNS.values(), ids=NOUNS.keys())
def test_an_id_that_does_not_exist_is_404(noun, world, gov):
    role = "steering" if noun.kwargs.get("sign") else "leader"
    with scope(tenant=world.tenant), pytest.raises(Http404):
        noun.get(request_for(world, role), 999_999, **noun.kwargs)


@pytest.mark.parametrize(
    "noun",
    [n for n in NOUNS.values() if n.too_little],
    ids=[k for k, n in NOUNS.items() if n.too_little],
)
def test_too_little_role_is_403(noun, world, gov):
    with scopes_disabled():
        obj = noun.make(world, gov)
    with scope(tenant=world.tenant), pytest.raises(PermissionDenied):
        noun.get(request_for(world, noun.too_little), obj.pk, **noun.kwargs)


# The nouns with more than one condition -----------------------------------------


def test_a_principal_reporter_reads_a_meeting_only_once_its_minutes_were_approved(world, gov):
    with scopes_disabled():
        meeting = _meeting(world, gov)
    with scope(tenant=world.tenant), pytest.raises(PermissionDenied):
        access.get_meeting_for(request_for(world, "reporter"), meeting.pk)


def test_a_principal_reporter_cannot_read_another_principals_assignments(world, gov):
    with scope(tenant=world.tenant), pytest.raises(PermissionDenied):
        access.get_principal_for(request_for(world, "reporter"), world.other_principal.pk)


def test_an_unshared_document_is_404_to_those_who_may_not_see_drafts(world, gov):
    with scopes_disabled():
        document = _document(world, gov)
        MeetingDocument.objects.filter(pk=document.pk).update(shared_at=None)
    with scope(tenant=world.tenant):
        assert access.get_document_for(request_for(world, "leader"), document.pk) == document
        with pytest.raises(Http404):
            access.get_document_for(request_for(world, "steering"), document.pk)


def test_an_archived_event_is_404_to_anyone_but_a_process_leader(world, gov):
    with scopes_disabled():
        event = _event(world, gov)
        ProgrammeEvent.objects.filter(pk=event.pk).update(archived_at=timezone.now())
    with scope(tenant=world.tenant):
        assert access.get_event_for(request_for(world, "leader"), event.pk) == event
        with pytest.raises(Http404):
            access.get_event_for(request_for(world, "steering"), event.pk)


def test_another_members_feed_is_404(world, gov):
    with scopes_disabled():
        feed = _feed(world, gov)  # the leader's
    with scope(tenant=world.tenant), pytest.raises(Http404):
        access.get_feed_for(request_for(world, "steering"), feed.pk)


def test_a_member_not_called_to_the_meeting_cannot_answer_its_notice(world, gov):
    with scopes_disabled():
        meeting = _meeting(world, gov)
    with scope(tenant=world.tenant):
        assert access.get_meeting_for(request_for(world, "steering"), meeting.pk, reply=True)
        with pytest.raises(PermissionDenied):
            access.get_meeting_for(request_for(world, "researcher"), meeting.pk, reply=True)


def test_a_process_leader_who_is_no_signatory_may_not_open_the_signing_page(world, gov):
    with scopes_disabled():
        meeting = _meeting(world, gov)
    with scope(tenant=world.tenant), pytest.raises(PermissionDenied):
        access.get_meeting_for(request_for(world, "leader"), meeting.pk, sign=True)


def test_an_archived_agenda_item_is_404_unless_archived_ones_are_asked_for(world, gov):
    with scopes_disabled():
        item = _item(world, gov)
        type(item).all_rows.filter(pk=item.pk).update(archived_at=timezone.now())
    request = request_for(world, "leader")
    with scope(tenant=world.tenant):
        assert access.get_agenda_item_for(request, item.pk, archived=True) == item
        with pytest.raises(Http404):
            access.get_agenda_item_for(request, item.pk)


def test_a_follow_up_is_found_only_under_its_own_item(world, gov):
    with scopes_disabled():
        item = _item(world, gov)
        action = _action(world, gov)
        item.follow_up_actions.add(action)
        elsewhere = _action(world, gov)
    request = request_for(world, "leader")
    with scope(tenant=world.tenant):
        assert access.get_follow_up_for(request, item, action.pk) == action
        with pytest.raises(Http404):
            access.get_follow_up_for(request, item, elsewhere.pk)


def test_an_assignment_is_found_only_among_the_principals_own(world, gov, other_world, other_gov):
    with scopes_disabled():
        asked = _action(world, gov)  # asks every principal (`owner_all`)
        theirs = _action(other_world, other_gov)
    request = request_for(world, "leader")
    with scope(tenant=world.tenant):
        assert access.get_assignment_for(request, world.principal, asked.pk).action == asked
        with pytest.raises(Http404):
            access.get_assignment_for(request, world.principal, theirs.pk)


# Who signs: one rule ------------------------------------------------------------


def _finished(world, gov):
    from tests.governance.service_helpers import plan

    with scope(tenant=world.tenant):
        meeting = plan(world, gov)
        return minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)


def _page(client, meeting):
    return client.get(reverse("governance:meeting_detail", args=[meeting.tenant.slug, meeting.pk]))


def test_the_chair_may_sign_finished_minutes_and_the_page_offers_it(world, gov, client_for):
    meeting = _finished(world, gov)
    with scope(tenant=world.tenant):
        approval = minutes_approval(meeting, world.memberships["steering"])
        assert approval.allowed
        assert approval.refusal() is None
    assert _page(client_for(world.users["steering"]), meeting).context["may_approve"] is True
    with scope(tenant=world.tenant):
        signing.minutes_sign(
            actor=world.users["steering"],
            membership=world.memberships["steering"],
            meeting=meeting,
            method=SignatureMethod.RECENT_LOGIN,
        )


@pytest.mark.parametrize("role", ["leader", "researcher", "reporter"])
def test_whoever_the_rule_refuses_is_refused_by_the_page_and_the_service(
    role, world, gov, client_for
):
    meeting = _finished(world, gov)
    with scope(tenant=world.tenant):
        approval = minutes_approval(meeting, world.memberships[role])
        assert not approval.allowed
        refusal = approval.refusal()
    response = _page(client_for(world.users[role]), meeting)
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.context["may_approve"] is False
    with scope(tenant=world.tenant), pytest.raises((DomainError, PermissionDenied)) as refused:
        signing.minutes_sign(
            actor=world.users[role],
            membership=world.memberships[role],
            meeting=meeting,
            method=SignatureMethod.RECENT_LOGIN,
        )
    if isinstance(refused.value, DomainError):
        assert str(refused.value) == refusal
    else:
        assert not approval.role


def test_an_absent_justerare_is_refused_with_the_rules_own_reason(world, gov):
    meeting = _finished(world, gov)
    with scopes_disabled():
        # The chair, appointed justerare too, is then recorded absent: no
        # longer the chair on the day, still a signatory, who may not sign.
        meeting.adjusters.set([gov.chair])
        Attendance.all_rows.update_or_create(
            meeting=meeting,
            person=gov.chair,
            defaults={"tenant": world.tenant, "status": AttendanceStatus.ABSENT},
        )
    with scope(tenant=world.tenant):
        approval = minutes_approval(meeting, world.memberships["steering"])
        assert approval.is_signatory
        assert not approval.present
        assert not approval.allowed
        with pytest.raises(DomainError) as refused:
            signing.minutes_sign(
                actor=world.users["steering"],
                membership=world.memberships["steering"],
                meeting=meeting,
                method=SignatureMethod.RECENT_LOGIN,
            )
        assert str(refused.value) == approval.refusal()


def test_draft_minutes_are_refused_with_the_rules_own_reason(world, gov):
    from tests.governance.service_helpers import plan

    with scope(tenant=world.tenant):
        meeting = plan(world, gov)
        approval = minutes_approval(meeting, world.memberships["steering"])
        assert approval.is_signatory
        assert not approval.allowed
        with pytest.raises(DomainError) as refused:
            signing.minutes_sign(
                actor=world.users["steering"],
                membership=world.memberships["steering"],
                meeting=meeting,
                method=SignatureMethod.RECENT_LOGIN,
            )
        assert str(refused.value) == approval.refusal()


def test_a_membership_of_another_programme_never_signs_here(world, gov, other_world):
    meeting = _finished(world, gov)
    with scope(tenant=world.tenant):
        approval = minutes_approval(meeting, other_world.memberships["steering"])
    assert not approval.role
    assert not approval.is_signatory
    assert not approval.allowed
