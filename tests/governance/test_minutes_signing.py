"""Justering by every signatory (issue 12, item 2): the chair on the day and
each appointed justerare — recorded present — sign separately; the minutes
are approved when the last one signs; any change voids the signatures given;
a signatory may return the minutes with comments; signatories are e-mailed
and reminded once per round; signing asks for the password (or the TOTP
code) again when the login is old."""

from __future__ import annotations

import datetime
import time
from binascii import unhexlify

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_scopes import scope, scopes_disabled

from governance.models import (
    AttendanceStatus,
    Meeting,
    MinutesComment,
    MinutesSignature,
    MinutesSigningNotice,
    MinutesStatus,
    MinutesVersion,
    SignatureMethod,
)
from governance.services import DomainError, meetings, minutes, signing
from governance.services.decisions import decision_create
from portal.models import AuditEvent
from portal.sessions import AUTHENTICATED_AT_KEY
from tests.factories import PersonFactory
from tests.governance.service_helpers import person_with_login, plan
from tests.governance.signing_helpers import shown_hash, sign, sign_url
from tests.helpers import url_in

PASSWORD = "secret-password-123"  # tests.factories.UserFactory's


def fresh(meeting: Meeting) -> Meeting:
    with scopes_disabled():
        return Meeting.objects.get(pk=meeting.pk)


url = url_in("governance")


@pytest.fixture
def scene(world, gov):
    """Finished minutes with two signatories: the chair (world's steering
    member) and a justerare with a login, both recorded present."""
    with scope(tenant=world.tenant):
        justerare, membership = person_with_login(world, "Justerare Jonsson")
        meeting = plan(world, gov)
        item = meetings.agenda_item_add(
            actor=world.users["leader"], meeting=meeting, title="Processplan", minutes="Text."
        )
        present(world, meeting, justerare)
        meeting = fresh(meeting)
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=meeting.version,
            adjusters=[justerare],
        )
        minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)
    return meeting, item, justerare, membership


def present(world, meeting, person, status=AttendanceStatus.PRESENT):
    meetings.attendance_set(
        actor=world.users["leader"], meeting=meeting, person=person, status=status
    )


def sign_as(membership, meeting, method=SignatureMethod.RECENT_LOGIN):
    return signing.minutes_sign(
        actor=membership.user, membership=membership, meeting=fresh(meeting), method=method
    )


# Who signs ----------------------------------------------------------------------


def test_the_signatories_are_the_chair_on_the_day_and_the_justerare(world, gov, scene):
    meeting, _item, justerare, _m = scene
    with scope(tenant=world.tenant):
        people = signing.signatory_people(fresh(meeting))
    assert [(p.name, role, here) for p, role, here in people] == [
        (gov.chair.name, "chair", True),
        (justerare.name, "adjuster", True),
    ]


def test_an_attendance_line_recorded_as_chair_signs_when_the_chair_is_absent(world, gov):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov)
        present(world, meeting, gov.chair, AttendanceStatus.ABSENT)
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=gov.member,
            status=AttendanceStatus.PRESENT,
            role_note="Ordförande",
        )
        people = signing.signatory_people(fresh(meeting))
    assert [(p.pk, role) for p, role, _here in people] == [(gov.member.pk, "chair")]


def test_appointing_a_justerare_recorded_absent_is_refused(world, gov):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov)
        present(world, meeting, gov.member, AttendanceStatus.ABSENT)
        meeting = fresh(meeting)
        with pytest.raises(DomainError, match=gov.member.name):
            meetings.meeting_update(
                actor=world.users["leader"],
                meeting=meeting,
                expected_version=meeting.version,
                adjusters=[gov.member],
            )
        assert not fresh(meeting).adjusters.exists()


def test_the_edit_form_refuses_a_justerare_recorded_absent(world, gov, client_for):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov)
        present(world, meeting, gov.member, AttendanceStatus.ABSENT)
        meeting = fresh(meeting)
    leader = client_for(world.users["leader"])
    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk),
        {
            "kind": meeting.kind,
            "starts_at": "2025-03-25T13:00",
            "ends_at": "2025-03-25T15:00",
            "record_type": "minnesanteckningar",
            "adjusters": [gov.member.pk],
            "version": meeting.version,
        },
    )
    assert response.status_code == 200
    assert gov.member.name in response.content.decode()
    assert fresh(meeting).version == meeting.version
    with scopes_disabled():
        assert not fresh(meeting).adjusters.exists()


def test_finishing_is_refused_while_a_justerare_is_not_recorded_present(world, gov):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov)
        outsider = PersonFactory(tenant=world.tenant, name="Ej Närvarande")
        meeting.adjusters.set([outsider])
        with pytest.raises(DomainError, match="Ej Närvarande"):
            minutes.minutes_finish(actor=world.users["leader"], meeting=fresh(meeting))
    assert fresh(meeting).minutes_status == MinutesStatus.DRAFT


def test_a_signatory_recorded_absent_after_finishing_cannot_sign(world, scene):
    meeting, _item, justerare, membership = scene
    with scope(tenant=world.tenant):
        present(world, meeting, justerare, AttendanceStatus.ABSENT)
        with translation.override("en"), pytest.raises(DomainError, match="absent"):
            sign_as(membership, meeting)
        assert not MinutesSignature.objects.filter(person=justerare).exists()


# Every signatory signs ------------------------------------------------------------


def test_the_minutes_are_approved_only_when_every_signatory_has_signed(world, gov, scene):
    meeting, _item, justerare, membership = scene
    with scope(tenant=world.tenant):
        sign_as(membership, meeting)
        assert fresh(meeting).minutes_status == MinutesStatus.FINISHED
        assert not MinutesVersion.objects.filter(meeting=meeting).exists()
        state = signing.signing_state(fresh(meeting))
        assert [s.signed for s in state.signatories] == [False, True]

        sign_as(world.memberships["steering"], meeting, SignatureMethod.PASSWORD)

        meeting = fresh(meeting)
        assert meeting.minutes_status == MinutesStatus.APPROVED
        [version] = MinutesVersion.objects.filter(meeting=meeting)
        assert [(s["name"], s["role"], s["method"]) for s in version.content["signatures"]] == [
            (justerare.name, "adjuster", "recent_login"),
            (gov.chair.name, "chair", "password"),
        ]
        signatures = MinutesSignature.objects.filter(meeting=meeting, voided_at__isnull=True)
        assert {s.user_id for s in signatures} == {
            membership.user_id,
            world.users["steering"].pk,
        }
        assert all(s.content_hash and s.meeting_version for s in signatures)
        assert AuditEvent.objects.filter(action="meeting.minutes.sign").count() == 2


def test_signing_twice_is_refused(world, scene):
    meeting, _item, _j, membership = scene
    with scope(tenant=world.tenant):
        sign_as(membership, meeting)
        with pytest.raises(DomainError):
            sign_as(membership, meeting)
        assert MinutesSignature.objects.count() == 1


def test_someone_not_a_signatory_cannot_sign(world, scene):
    meeting, *_ = scene
    with scope(tenant=world.tenant):
        _p, other = person_with_login(world, "Annan Ledamot")
        with pytest.raises(DomainError):
            sign_as(other, meeting)
        assert not MinutesSignature.objects.exists()


def test_a_text_changed_since_it_was_shown_is_not_signed(world, scene):
    meeting, _item, _j, membership = scene
    with scope(tenant=world.tenant):
        with pytest.raises(DomainError):
            signing.minutes_sign(
                actor=membership.user,
                membership=membership,
                meeting=meeting,
                method=SignatureMethod.RECENT_LOGIN,
                expected_hash="0" * 64,
            )
        assert not MinutesSignature.objects.exists()


# An edit voids the signatures given ------------------------------------------------


def _edit_item(world, meeting, item, justerare):
    item.refresh_from_db()
    meetings.agenda_item_update(
        actor=world.users["leader"], item=item, expected_version=item.version, minutes="Ändrad."
    )


def _edit_attendance(world, meeting, item, justerare):
    guest = PersonFactory(tenant=world.tenant, name="Gäst Gästsson")
    present(world, meeting, guest, AttendanceStatus.GUEST)


def _edit_decision(world, meeting, item, justerare):
    decision_create(
        actor=world.users["leader"], meeting=fresh(meeting), agenda_item=item, text="Beslut."
    )


def _edit_facts(world, meeting, item, justerare):
    meeting = fresh(meeting)
    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=meeting.version,
        place="Nytt rum",
    )


@pytest.mark.parametrize("edit", [_edit_item, _edit_attendance, _edit_decision, _edit_facts])
def test_any_edit_before_the_last_signature_voids_the_signatures_given(world, scene, edit):
    meeting, item, justerare, membership = scene
    with scope(tenant=world.tenant):
        first = sign_as(membership, meeting)

        edit(world, meeting, item, justerare)

        state = signing.signing_state(fresh(meeting))
        mine = state.for_person(justerare)
        assert mine is not None and not mine.signed and mine.stale == first
        # The chair's signature does not complete the minutes: the justerare's is void.
        sign_as(world.memberships["steering"], meeting)
        assert fresh(meeting).minutes_status == MinutesStatus.FINISHED
        first.refresh_from_db()
        assert first.voided_at is not None and first.void_reason
        assert AuditEvent.objects.filter(action="meeting.minutes.signatures.void").exists()

        sign_as(membership, meeting)  # signs the changed text
        assert fresh(meeting).minutes_status == MinutesStatus.APPROVED


# Returned with comments ---------------------------------------------------------


def test_a_signatory_returns_the_minutes_with_comments(world, gov, scene):
    meeting, item, justerare, membership = scene
    with scope(tenant=world.tenant):
        chair_signature = sign_as(world.memberships["steering"], meeting)
        comments = signing.minutes_return(
            actor=membership.user,
            membership=membership,
            meeting=fresh(meeting),
            general="Fel datum i rubriken.",
            item_comments={item.pk: "Namnet stavas Jonsson."},
        )
        meeting = fresh(meeting)
        assert meeting.minutes_status == MinutesStatus.DRAFT
        assert meeting.finished_at is None
        assert {(c.agenda_item_id, c.text) for c in comments} == {
            (item.pk, "Namnet stavas Jonsson."),
            (None, "Fel datum i rubriken."),
        }
        assert all(c.author == justerare for c in comments)
        chair_signature.refresh_from_db()
        assert chair_signature.voided_at is not None
        assert AuditEvent.objects.filter(action="meeting.minutes.return").exists()

        # Sent for signing again only once the comments are resolved.
        with pytest.raises(DomainError):
            minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)
        for comment in comments:
            signing.comment_resolve(actor=world.users["leader"], comment=comment)
        minutes.minutes_finish(actor=world.users["leader"], meeting=fresh(meeting))

        # A new round: both sign again.
        state = signing.signing_state(fresh(meeting))
        assert not any(s.signed for s in state.signatories)
        sign_as(world.memberships["steering"], meeting)
        sign_as(membership, meeting)
        assert fresh(meeting).minutes_status == MinutesStatus.APPROVED


def test_returning_needs_a_comment(world, scene):
    meeting, item, _j, membership = scene
    with scope(tenant=world.tenant):
        with pytest.raises(DomainError):
            signing.minutes_return(
                actor=membership.user,
                membership=membership,
                meeting=meeting,
                general="  ",
                item_comments={item.pk: ""},
            )
        assert fresh(meeting).minutes_status == MinutesStatus.FINISHED
        assert not MinutesComment.objects.exists()


# E-mail and reminders -----------------------------------------------------------


def test_pending_signatories_are_reminded_once_per_round(
    world, gov, scene, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    meeting, _item, _justerare, membership = scene
    with scope(tenant=world.tenant):
        sign_as(membership, meeting)  # the justerare has signed; the chair has not
        later = fresh(meeting).finished_at + datetime.timedelta(days=1)
        assert signing.send_reminders(now=later) == 0  # too early

        due = fresh(meeting).finished_at + datetime.timedelta(days=3, minutes=1)
        with django_capture_on_commit_callbacks(execute=True):
            assert signing.send_reminders(now=due) == 1
        assert [m.to for m in mailoutbox] == [[gov.chair.email]]
        assert reverse("governance:minutes_approve", args=[world.tenant.slug, meeting.pk]) in (
            mailoutbox[0].body
        )

        with django_capture_on_commit_callbacks(execute=True):
            assert signing.send_reminders(now=due + datetime.timedelta(days=2)) == 0
        assert len(mailoutbox) == 1
        assert MinutesSigningNotice.objects.filter(kind="reminder").count() == 1


def test_the_beat_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "governance.tasks.send_signing_reminders" in tasks


# The confirmation page: re-authentication ------------------------------------------


def _stale(client, seconds=3600):
    session = client.session
    session[AUTHENTICATED_AT_KEY] = int(time.time()) - seconds
    session.save()


def test_a_fresh_login_signs_without_the_password_again(world, scene, client_for):
    meeting, *_ = scene
    chair = client_for(world.users["steering"])
    page = chair.get(sign_url(meeting))
    assert 'name="password"' not in page.content.decode()
    assert f'data-content-hash="{shown_hash(page)}"' in page.content.decode()
    assert chair.post(sign_url(meeting), {"content_hash": shown_hash(page)}).status_code == 302
    with scopes_disabled():
        [signature] = MinutesSignature.objects.all()
    assert signature.method == SignatureMethod.RECENT_LOGIN


def test_an_old_login_must_give_the_password_again(world, scene, client_for):
    meeting, *_ = scene
    chair = client_for(world.users["steering"])
    _stale(chair)
    page = chair.get(sign_url(meeting))
    assert 'name="password"' in page.content.decode()

    for data in ({}, {"password": "wrong-password"}):
        response = chair.post(sign_url(meeting), {"content_hash": shown_hash(page), **data})
        assert response.status_code == 200
    with scopes_disabled():
        assert not MinutesSignature.objects.exists()

    response = chair.post(
        sign_url(meeting), {"content_hash": shown_hash(page), "password": PASSWORD}
    )
    assert response.status_code == 302
    with scopes_disabled():
        [signature] = MinutesSignature.objects.all()
    assert signature.method == SignatureMethod.PASSWORD
    # The password again counts as an authentication: the next step is fresh.
    assert chair.session[AUTHENTICATED_AT_KEY] >= int(time.time()) - 5


def test_a_fresh_stamp_is_within_the_setting(world, scene, client_for, settings):
    meeting, *_ = scene
    settings.MINUTES_SIGNING_REAUTH_SECONDS = 10 * 60
    chair = client_for(world.users["steering"])
    _stale(chair, seconds=6 * 60)
    assert 'name="password"' not in chair.get(sign_url(meeting)).content.decode()
    settings.MINUTES_SIGNING_REAUTH_SECONDS = 5 * 60
    assert 'name="password"' in chair.get(sign_url(meeting)).content.decode()


def test_with_two_factor_on_an_old_login_gives_the_code(world, scene, client_for):
    meeting, *_ = scene
    with scopes_disabled():
        device = TOTPDevice.objects.create(
            user=world.users["steering"], name="App", key=default_key(), confirmed=True
        )
    chair = client_for(world.users["steering"])
    _stale(chair)
    page = chair.get(sign_url(meeting))
    body = page.content.decode()
    assert 'name="code"' in body and 'name="password"' not in body

    response = chair.post(sign_url(meeting), {"content_hash": shown_hash(page), "code": "000000"})
    assert response.status_code == 200
    with scopes_disabled():
        assert not MinutesSignature.objects.exists()
        device.refresh_from_db()
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save()

    totp = TOTP(unhexlify(device.key))
    totp.time = time.time()
    code = f"{totp.token():06d}"
    response = chair.post(sign_url(meeting), {"content_hash": shown_hash(page), "code": code})
    assert response.status_code == 302
    with scopes_disabled():
        [signature] = MinutesSignature.objects.all()
    assert signature.method == SignatureMethod.TOTP


def test_the_login_stamps_the_session(world, client):
    response = client.post(
        reverse("login"), {"username": world.users["leader"].username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session[AUTHENTICATED_AT_KEY] >= int(time.time()) - 5


# Views: roles, other programmes, bad input ---------------------------------------------


def test_someone_who_is_not_a_signatory_gets_403_and_an_explanation(world, scene, client_for):
    meeting, *_ = scene
    with scope(tenant=world.tenant):
        _p, other = person_with_login(world, "Annan Ledamot")
    client = client_for(other.user)
    assert client.get(sign_url(meeting)).status_code == 403
    assert client.post(sign_url(meeting), {"content_hash": "0" * 64}).status_code == 403
    assert client.get(url("minutes_return", world.tenant, meeting.pk)).status_code == 403
    page = client.get(url("meeting_detail", world.tenant, meeting.pk)).content.decode()
    assert 'data-testid="signing-note"' in page
    assert sign_url(meeting) not in page
    with scopes_disabled():
        assert not MinutesSignature.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "researcher", "admin"])
def test_signing_needs_the_role(world, scene, client_for, role):
    meeting, *_ = scene
    client = client_for(world.users[role])
    assert client.get(sign_url(meeting)).status_code == 403
    assert client.post(url("minutes_return", world.tenant, meeting.pk), {}).status_code == 403


def test_another_programmes_minutes_are_404(world, other_world, other_gov, client_for):
    with scope(tenant=other_world.tenant):
        foreign = plan(other_world, other_gov)
        minutes.minutes_finish(actor=other_world.users["leader"], meeting=foreign)
    client = client_for(world.users["steering"])
    assert client.get(url("minutes_approve", world.tenant, foreign.pk)).status_code == 404
    assert client.post(url("minutes_return", world.tenant, foreign.pk), {}).status_code == 404
    assert fresh(foreign).minutes_status == MinutesStatus.FINISHED


def test_the_meeting_page_lists_the_signatories_and_shows_justera_to_the_pending_one(
    world, gov, scene, client_for
):
    meeting, _item, justerare, membership = scene
    page_url = url("meeting_detail", world.tenant, meeting.pk)
    signer = client_for(membership.user)
    body = signer.get(page_url).content.decode()
    assert f'data-signatory="{gov.chair.pk}" data-signed="no"' in body
    assert f'data-signatory="{justerare.pk}" data-signed="no"' in body
    assert sign_url(meeting) in body
    assert sign(signer, meeting).status_code == 302
    body = signer.get(page_url).content.decode()
    assert f'data-signatory="{justerare.pk}" data-signed="yes"' in body
    assert sign_url(meeting) not in body  # signed: no button
    leader = client_for(world.users["leader"]).get(page_url).content.decode()
    assert sign_url(meeting) not in leader


def test_returning_through_the_page_with_an_item_comment(world, scene, client_for):
    meeting, item, _j, membership = scene
    signer = client_for(membership.user)
    return_url = url("minutes_return", world.tenant, meeting.pk)
    page = signer.get(return_url)
    assert f'name="item_{item.pk}"' in page.content.decode()

    # Nothing written: refused, nothing changes.
    response = signer.post(return_url, {"general": " ", f"item_{item.pk}": ""})
    assert response.status_code == 200
    assert fresh(meeting).minutes_status == MinutesStatus.FINISHED

    response = signer.post(return_url, {f"item_{item.pk}": "Stavfel i punkt 1."})
    assert response.status_code == 302
    assert fresh(meeting).minutes_status == MinutesStatus.DRAFT

    # The process leader sees it next to the item, and resolves it.
    leader = client_for(world.users["leader"])
    body = leader.get(url("meeting_detail", world.tenant, meeting.pk)).content.decode()
    assert "Stavfel i punkt 1." in body
    assert 'data-testid="item-comments"' in body
    with scopes_disabled():
        [comment] = MinutesComment.objects.all()
    resolve = url("minutes_comment_resolve", world.tenant, comment.pk)
    assert resolve in body
    assert client_for(world.users["steering"]).post(resolve).status_code == 403
    assert leader.post(resolve).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_at is not None and comment.resolved_by == world.users["leader"]
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="minutes_comment.resolve").exists()
    # Resolving twice is refused with a message, nothing changes.
    assert leader.post(resolve).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_by == world.users["leader"]


def test_another_programmes_comment_is_404(world, other_world, other_gov, client_for):
    with scope(tenant=other_world.tenant):
        foreign = plan(other_world, other_gov)
        item = meetings.agenda_item_add(
            actor=other_world.users["leader"], meeting=foreign, title="Punkt"
        )
        minutes.minutes_finish(actor=other_world.users["leader"], meeting=foreign)
        [comment] = signing.minutes_return(
            actor=other_world.users["steering"],
            membership=other_world.memberships["steering"],
            meeting=fresh(foreign),
            item_comments={item.pk: "Fel."},
        )
    response = client_for(world.users["leader"]).post(
        url("minutes_comment_resolve", world.tenant, comment.pk)
    )
    assert response.status_code == 404
    with scopes_disabled():
        comment.refresh_from_db()
    assert comment.resolved_at is None


def test_the_version_page_shows_the_signature_block(world, gov, scene, client_for):
    meeting, _item, justerare, membership = scene
    with scope(tenant=world.tenant):
        sign_as(membership, meeting)
        sign_as(world.memberships["steering"], meeting)
    body = (
        client_for(world.users["reporter"])
        .get(url("meeting_version", world.tenant, meeting.pk, 1))
        .content.decode()
    )
    assert 'data-testid="signature-block"' in body
    assert justerare.name in body and gov.chair.name in body
    assert 'data-signatory-role="adjuster"' in body and 'data-signatory-role="chair"' in body


def test_the_single_signatory_case_still_approves_through_minutes_approve(world, gov):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov)
        minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)
        version = minutes.minutes_approve(
            actor=world.users["steering"],
            membership=world.memberships["steering"],
            meeting=fresh(meeting),
        )
        assert version is not None and version.number == 1
        assert fresh(meeting).minutes_status == MinutesStatus.APPROVED
        assert timezone.now() - version.approved_at < datetime.timedelta(minutes=1)


def test_an_assignment_moving_on_does_not_void_the_signatures(world, gov, scene):
    """The status of an assignment given at the meeting changes on its own
    page; what the meeting recorded did not change."""
    from governance.services import actions as action_services

    meeting, item, _j, membership = scene
    with scope(tenant=world.tenant):
        action = meetings.agenda_action_create(
            actor=world.users["leader"], item=item, description="Ta fram underlag.", owner_all=True
        )
        sign_as(membership, meeting)
        action_services.action_set_status(
            actor=world.users["leader"], action=action, status="pagar"
        )
        sign_as(world.memberships["steering"], meeting)
        assert fresh(meeting).minutes_status == MinutesStatus.APPROVED


# Signatures given on paper --------------------------------------------------------


def test_a_process_leader_records_a_signature_on_paper(world, gov, scene, client_for):
    meeting, _item, _justerare, membership = scene
    paper = url("minutes_paper_signature", world.tenant, meeting.pk)
    leader = client_for(world.users["leader"])
    page = leader.get(url("meeting_detail", world.tenant, meeting.pk)).content.decode()
    assert paper in page

    # Too little role: refused, nothing written.
    assert (
        client_for(world.users["steering"]).post(paper, {"person": gov.chair.pk}).status_code == 403
    )
    # Bad input: not a person, someone who does not sign — explained, nothing written.
    for person in ["", "x", str(gov.member.pk)]:
        assert leader.post(paper, {"person": person}).status_code == 302
    with scopes_disabled():
        assert not MinutesSignature.objects.exists()

    assert leader.post(paper, {"person": gov.chair.pk}).status_code == 302
    with scopes_disabled():
        [signature] = MinutesSignature.objects.all()
    assert (signature.person, signature.user, signature.method) == (
        gov.chair,
        world.users["leader"],
        SignatureMethod.PAPER,
    )
    assert fresh(meeting).minutes_status == MinutesStatus.FINISHED
    assert sign(client_for(membership.user), meeting).status_code == 302
    assert fresh(meeting).minutes_status == MinutesStatus.APPROVED


def test_no_one_signs_for_themself_as_on_paper(world, scene):
    meeting, _item, _j, membership = scene
    with scope(tenant=world.tenant), pytest.raises(DomainError):
        sign_as(membership, meeting, SignatureMethod.PAPER)


def test_another_programmes_meeting_gets_no_paper_signature(
    world, other_world, other_gov, client_for
):
    with scope(tenant=other_world.tenant):
        foreign = plan(other_world, other_gov)
        minutes.minutes_finish(actor=other_world.users["leader"], meeting=foreign)
    response = client_for(world.users["leader"]).post(
        url("minutes_paper_signature", world.tenant, foreign.pk), {"person": other_gov.chair.pk}
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert not MinutesSignature.objects.exists()
