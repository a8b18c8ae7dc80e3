"""The minutes lifecycle: draft → finished (timestamped, justerare e-mailed) →
approved by the right person (frozen as a version, locked) → revised with a
reason and approved again as the next version."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    AgendaItem,
    AttendanceStatus,
    BodyRole,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
)
from governance.selectors.signing import minutes_approval
from governance.services import DomainError, LockedError, meetings, minutes
from governance.services.decisions import decision_create
from portal.dashboards import cache as panel_cache
from portal.models import AuditEvent, Role
from tests.factories import PersonFactory
from tests.governance.factories import BodyMemberFactory
from tests.governance.service_helpers import approve, audits, person_with_login, plan

pytestmark = pytest.mark.usefixtures("in_scope")

D = datetime.date


def fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


def finish(world, meeting: Meeting, **kwargs) -> Meeting:
    return minutes.minutes_finish(actor=world.users["leader"], meeting=meeting, **kwargs)


def present(world, meeting: Meeting, *people) -> None:
    """Record people present at the meeting (a justerare must be)."""
    for person in people:
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=person,
            status=AttendanceStatus.PRESENT,
        )


def approve_as(person_membership_or_key, world, meeting: Meeting):
    if isinstance(person_membership_or_key, str):
        user = world.users[person_membership_or_key]
        membership = world.memberships[person_membership_or_key]
    else:
        membership = person_membership_or_key
        user = membership.user
    return minutes.minutes_approve(actor=user, membership=membership, meeting=meeting)


@pytest.fixture
def meeting(world, gov):
    meeting = plan(world, gov)
    meetings.agenda_item_add(
        actor=world.users["leader"],
        meeting=meeting,
        title="Processplan",
        minutes="Processledarna presenterade planen.",
        presenters=[gov.leader],
    )
    return fresh(meeting)


# Finishing ------------------------------------------------------------------------


def test_finishing_timestamps_marks_held_and_is_audited(world, gov, meeting):
    before = timezone.now()

    finished = finish(world, meeting)

    finished = fresh(finished)
    assert finished.minutes_status == MinutesStatus.FINISHED
    assert before <= finished.finished_at <= timezone.now()
    assert finished.finished_by == world.users["leader"]
    assert finished.status == MeetingStatus.HELD
    assert finished.version == meeting.version + 1
    [event] = audits(meeting, "meeting.minutes.finish")
    assert (event.before["minutes_status"], event.after["minutes_status"]) == (
        "utkast",
        "fardigstalld",
    )
    assert event.before["finished_at"] is None and event.after["finished_at"]


def test_only_draft_minutes_can_be_finished(world, gov, meeting):
    first = finish(world, meeting)

    with pytest.raises(DomainError):
        finish(world, meeting)

    assert fresh(meeting).finished_at == first.finished_at
    assert len(audits(meeting, "meeting.minutes.finish")) == 1


def test_a_cancelled_meetings_minutes_cannot_be_finished(world, gov, meeting):
    meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason="Sjukdom")

    with pytest.raises(DomainError):
        finish(world, meeting)

    meeting = fresh(meeting)
    assert meeting.minutes_status == MinutesStatus.DRAFT
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.finished_at is None


def test_the_justerare_are_emailed_a_link_when_the_minutes_are_finished(
    world, gov, meeting, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the e-mails are a Celery task
    without_email = PersonFactory(tenant=world.tenant, email="")
    present(world, meeting, without_email)
    meeting = fresh(meeting)
    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=meeting.version,
        adjusters=[gov.member, gov.chair, without_email],
    )

    with django_capture_on_commit_callbacks(execute=True):
        finish(world, meeting, notify_base_url="https://portal.example.se")

    # One e-mail to each signatory (the chair and the justerare) with an address.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([gov.member.email, gov.chair.email])
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert all(meeting.display_title in m.subject for m in mailoutbox)
    link = "https://portal.example.se" + reverse(
        "governance:minutes_approve", args=[world.tenant.slug, meeting.pk]
    )
    assert all(link in m.body for m in mailoutbox)


def test_no_mail_to_signatories_without_an_address(
    world, gov, meeting, django_capture_on_commit_callbacks, mailoutbox
):
    gov.chair.email = ""
    gov.chair.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        finish(world, meeting)

    assert mail_hooks(callbacks) == []
    assert mailoutbox == []


def test_the_mail_waits_for_the_commit(
    world, gov, meeting, django_capture_on_commit_callbacks, mailoutbox
):
    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=meeting.version,
        adjusters=[gov.member],
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        finish(world, meeting)

    assert len(mail_hooks(callbacks)) == 1
    assert mailoutbox == []  # a rolled-back finish would send nothing


def mail_hooks(callbacks: list) -> list:
    """The commit hooks of a write other than the dashboard cache's (which
    gives the written tables a new version once the write commits)."""
    return [
        hook for hook in callbacks if getattr(hook, "func", None) is not panel_cache._new_version
    ]


# Approving ------------------------------------------------------------------------


def test_the_chair_on_the_day_approves_when_no_justerare_is_appointed(world, gov, meeting):
    finish(world, meeting)

    version = approve_as("steering", world, meeting)

    meeting = fresh(meeting)
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.is_locked
    assert meeting.approved_by == world.users["steering"]
    assert meeting.approved_by_person == gov.chair
    assert meeting.approved_at == version.approved_at
    assert version.number == 1
    assert version.approved_by_person == gov.chair
    assert version.reason == ""
    assert [e.action for e in audits(meeting)][-1] == "meeting.minutes.approve"


def test_a_former_chair_may_not_approve(world, gov):
    """The chair *on the meeting day* approves: a chair who has left may not."""
    successor, successor_membership = person_with_login(world, "Ny Ordförande")
    from governance.services.bodies import body_member_add

    body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=successor,
        role=BodyRole.CHAIR,
        start_date=D(2025, 1, 1),
    )
    meeting = plan(world, gov, day=(2025, 3, 25))
    finish(world, meeting)

    with pytest.raises(DomainError):
        approve_as("steering", world, meeting)
    assert fresh(meeting).minutes_status == MinutesStatus.FINISHED

    approve_as(successor_membership, world, meeting)
    assert fresh(meeting).minutes_status == MinutesStatus.APPROVED


def test_the_chair_of_a_later_period_may_not_approve_an_earlier_meeting(world, gov):
    meeting = plan(world, gov, day=(2023, 11, 14))  # before the chair's period (2024-)
    finish(world, meeting)

    with pytest.raises(DomainError):
        approve_as("steering", world, meeting)

    assert not MinutesVersion.objects.exists()


def test_the_chair_and_the_appointed_justerare_both_sign(world, gov, meeting):
    justerare, justerare_membership = person_with_login(world, "Justerare Test")
    present(world, meeting, justerare)
    meeting = fresh(meeting)
    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=meeting.version,
        adjusters=[justerare],
    )
    finish(world, meeting)

    assert approve_as(justerare_membership, world, meeting) is None  # the chair has not signed
    assert fresh(meeting).minutes_status == MinutesStatus.FINISHED

    version = approve_as("steering", world, meeting)
    assert version.approved_by_person == gov.chair  # the last to sign
    assert fresh(meeting).minutes_status == MinutesStatus.APPROVED
    names = [s["name"] for s in version.content["signatures"]]
    assert names == [justerare.name, gov.chair.name]


def test_a_process_leader_appointed_justerare_may_approve(world, gov, meeting):
    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=meeting.version,
        adjusters=[gov.leader],
    )
    finish(world, meeting)

    assert approve_as("leader", world, meeting) is None
    approve_as("steering", world, meeting)

    assert fresh(meeting).minutes_status == MinutesStatus.APPROVED
    assert {s["name"] for s in fresh(meeting).versions.get().content["signatures"]} == {
        gov.leader.name,
        gov.chair.name,
    }


def test_a_steering_member_who_is_neither_justerare_nor_chair_is_refused(world, gov, meeting):
    _, membership = person_with_login(world, "Ledamot Med Inlogg")
    finish(world, meeting)
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError):
        approve_as(membership, world, meeting)

    assert fresh(meeting).minutes_status == MinutesStatus.FINISHED
    assert not MinutesVersion.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.TENANT_ADMIN, Role.PRINCIPAL_REPORTER])
def test_readers_are_refused_by_the_rule_even_when_appointed(world, gov, meeting, role):
    person, membership = person_with_login(world, f"Läsare {role}", role=role)
    present(world, meeting, person)
    meeting = fresh(meeting)
    meetings.meeting_update(
        actor=world.users["leader"],
        meeting=meeting,
        expected_version=meeting.version,
        adjusters=[person],
    )
    finish(world, meeting)

    with pytest.raises(PermissionDenied):
        approve_as(membership, world, meeting)

    assert fresh(meeting).minutes_status == MinutesStatus.FINISHED
    assert not MinutesVersion.objects.exists()


def test_approval_needs_the_approvers_own_membership_in_this_programme(
    world, gov, meeting, other_world
):
    finish(world, meeting)

    with pytest.raises(PermissionDenied):  # someone else's membership
        minutes.minutes_approve(
            actor=world.users["steering"],
            membership=world.memberships["leader"],
            meeting=meeting,
        )
    with pytest.raises(PermissionDenied):  # a membership in another programme
        minutes.minutes_approve(
            actor=other_world.users["steering"],
            membership=other_world.memberships["steering"],
            meeting=meeting,
        )

    assert fresh(meeting).minutes_status == MinutesStatus.FINISHED


def test_draft_minutes_cannot_be_approved(world, gov, meeting):
    with pytest.raises(DomainError):
        approve_as("steering", world, meeting)

    assert fresh(meeting).minutes_status == MinutesStatus.DRAFT
    assert not MinutesVersion.objects.exists()


def test_approved_minutes_cannot_be_approved_again(world, gov, meeting):
    approve(world, meeting)

    with pytest.raises(DomainError):
        approve_as("steering", world, meeting)

    assert MinutesVersion.objects.filter(meeting=meeting).count() == 1


def test_can_approve_answers_for_the_pages(world, gov, meeting):
    """The chair on the day always signs; an appointed justerare too."""
    assert minutes_approval(meeting, world.memberships["steering"]).is_signatory
    assert not minutes_approval(meeting, world.memberships["leader"]).is_signatory

    meeting.adjusters.set([gov.leader])
    assert minutes_approval(meeting, world.memberships["leader"]).is_signatory
    assert minutes_approval(meeting, world.memberships["steering"]).is_signatory


def test_approval_freezes_the_minutes_as_version_one(world, gov, meeting):
    [item] = meeting.agenda_items.all()
    substitute = PersonFactory(tenant=world.tenant, name="Ersättare Ek", title="Rektor")
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=substitute,
        status=AttendanceStatus.SUBSTITUTE,
        replaces=[gov.member],
    )
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.member,
        status=AttendanceStatus.ABSENT,
    )
    decision = decision_create(
        actor=world.users["leader"],
        meeting=meeting,
        agenda_item=item,
        text="Styrgruppen beslutar att godkänna processplanen.",
    )

    version = approve(world, meeting)

    content = MinutesVersion.objects.get(pk=version.pk).content
    signatures = content.pop("signatures")
    assert content == minutes.minutes_content(fresh(meeting))
    assert [(s["name"], s["role"]) for s in signatures] == [(gov.chair.name, "chair")]
    [agenda_item] = content["agenda"]
    assert agenda_item["title"] == "Processplan"
    assert agenda_item["minutes"] == "Processledarna presenterade planen."
    assert agenda_item["presenters"] == [gov.leader.name]
    people = {row["name"]: row for row in content["attendance"]}
    assert people[substitute.name]["status"] == "ersatter"
    assert people[substitute.name]["replaces"] == [gov.member.name]
    assert people[gov.member.name]["status"] == "franvarande"
    assert people[gov.member.name]["represents"] == world.principal.name
    assert content["decisions"] == [
        {
            "reference": decision.reference,
            "text": "Styrgruppen beslutar att godkänna processplanen.",
            "agenda_item_id": item.pk,
        }
    ]


# Revising -------------------------------------------------------------------------


def test_a_revision_needs_a_reason(world, gov, meeting):
    approve(world, meeting)

    for reason in ("", "  "):
        with pytest.raises(DomainError):
            minutes.minutes_revise(actor=world.users["leader"], meeting=meeting, reason=reason)

    assert fresh(meeting).is_locked


def test_only_approved_minutes_are_revised(world, gov, meeting):
    with pytest.raises(DomainError):
        minutes.minutes_revise(actor=world.users["leader"], meeting=meeting, reason="Fel namn")

    assert fresh(meeting).revision_reason == ""


def test_revise_edit_and_reapprove_makes_version_two_and_keeps_version_one(world, gov, meeting):
    [item] = meeting.agenda_items.all()
    first = approve(world, meeting)

    with pytest.raises(LockedError):
        meetings.agenda_item_update(
            actor=world.users["leader"], item=item, expected_version=item.version, minutes="X"
        )

    reopened = minutes.minutes_revise(
        actor=world.users["leader"], meeting=meeting, reason="  Fel datum i punkt 1.  "
    )
    assert reopened.minutes_status == MinutesStatus.DRAFT
    assert reopened.revision_reason == "Fel datum i punkt 1."
    assert reopened.approved_at is None and reopened.finished_at is None
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 1  # version 1 stays
    [event] = audits(meeting, "meeting.minutes.revise")
    assert event.after["revision_reason"] == "Fel datum i punkt 1."

    # The revision is made in a draft of the item; the approved item stays locked.
    item.refresh_from_db()
    with pytest.raises(LockedError):
        meetings.agenda_item_update(
            actor=world.users["leader"], item=item, expected_version=item.version, minutes="X"
        )
    draft = AgendaItem.all_rows.get(draft_of=item)
    meetings.agenda_item_update(
        actor=world.users["leader"],
        item=draft,
        expected_version=draft.version,
        minutes="Processledarna presenterade den rättade planen.",
    )
    item.refresh_from_db()
    assert item.minutes == "Processledarna presenterade planen."  # readers still see this
    second = approve(world, meeting)
    item.refresh_from_db()
    assert item.minutes == "Processledarna presenterade den rättade planen."
    assert not AgendaItem.all_rows.filter(meeting=meeting, revision_draft=True).exists()

    versions = list(MinutesVersion.objects.filter(meeting=meeting).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].pk == first.pk and versions[1].pk == second.pk
    assert versions[0].reason == ""
    assert versions[1].reason == "Fel datum i punkt 1."
    assert versions[0].content["agenda"][0]["minutes"] == "Processledarna presenterade planen."
    assert versions[1].content["agenda"][0]["minutes"] == (
        "Processledarna presenterade den rättade planen."
    )
    assert fresh(meeting).is_locked


# Content -------------------------------------------------------------------------


def test_minutes_content_shape(world, gov, meeting):
    meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Övrigt")
    gone = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Struken")
    meetings.agenda_item_archive(actor=world.users["leader"], item=gone)
    meeting.note_taker = gov.leader
    meeting.save(update_fields=["note_taker"])

    content = minutes.minutes_content(fresh(meeting))

    assert {"meeting", "attendance", "agenda", "decisions"} <= set(content)
    assert content["meeting"]["body"] == "Styrgruppen"
    assert content["meeting"]["title"] == meeting.display_title
    assert content["meeting"]["note_taker"] == gov.leader.name
    assert content["meeting"]["starts_at"] == meeting.starts_at.isoformat()
    assert [(a["position"], a["title"]) for a in content["agenda"]] == [
        (1, "Processplan"),
        (2, "Övrigt"),
    ]
    assert {"position", "title", "kind", "presenters", "minutes"} <= set(content["agenda"][0])
    names = {row["name"] for row in content["attendance"]}
    assert names == {gov.chair.name, gov.leader.name, gov.member.name}
    assert {"name", "title", "status", "represents", "replaces", "note"} <= set(
        content["attendance"][0]
    )
    assert content["decisions"] == []


def test_minutes_content_of_a_guest_names_their_organisation(world, gov, meeting):
    guest = PersonFactory(tenant=world.tenant, name="Gäst Gran", organisation="Länsstyrelsen")
    meetings.attendance_set(
        actor=world.users["leader"], meeting=meeting, person=guest, status="ovrig"
    )

    content = minutes.minutes_content(meeting)

    [row] = [r for r in content["attendance"] if r["name"] == "Gäst Gran"]
    assert (row["status"], row["represents"]) == ("ovrig", "Länsstyrelsen")


def test_a_chair_seated_from_the_meeting_day_may_approve(world, gov):
    """Seated on the day counts (the new chair approves the minutes of the
    meeting where they were elected)."""
    new_chair, membership = person_with_login(world, "Vald Ordförande")
    BodyMemberFactory(body=gov.body, person=new_chair, role=BodyRole.MEMBER)
    from governance.services.bodies import body_member_add

    body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=new_chair,
        role=BodyRole.CHAIR,
        start_date=D(2025, 3, 25),
    )
    meeting = plan(world, gov, day=(2025, 3, 25))
    finish(world, meeting)

    approve_as(membership, world, meeting)

    assert fresh(meeting).approved_by_person == new_chair
