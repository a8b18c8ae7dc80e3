"""Reminders: who is due (the selection), what is sent, and that the daily
task is idempotent per day."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scope, scopes_disabled

from implementation import tasks
from implementation.models import Reminder, ReminderKind
from implementation.selectors.reminders import leaders_to_notify, months_before, reporters_due
from implementation.services import reminders as services
from portal.models import Membership, Role
from tests.factories import MembershipFactory, PrincipalFactory, TenantFactory, UserFactory
from tests.implementation.helpers import approved, rate, start, submit

TODAY = datetime.date(2026, 3, 31)


def due_principals(world, today=TODAY) -> dict[str, str]:
    """principal name → reporter username, of the reporters due."""
    with scope(tenant=world.tenant):
        return {
            d.principal.name: d.membership.user.username
            for d in reporters_due(tenant=world.tenant, today=today)
        }


def approved_on(world, day: datetime.date, **kwargs):
    return approved(world, 2, approved_on=day, **kwargs)


@pytest.fixture
def reporter_b(world):
    user = UserFactory(username="reporter-b")
    MembershipFactory(
        tenant=world.tenant,
        user=user,
        role=Role.PRINCIPAL_REPORTER,
        principal=world.other_principal,
    )
    return user


# The selection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 31), 6, datetime.date(2025, 9, 30)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 15), 6, datetime.date(2025, 7, 15)),
        (datetime.date(2024, 8, 31), 6, datetime.date(2024, 2, 29)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_a_principal_that_never_reported_is_due(world, staircase):
    assert due_principals(world) == {world.principal.name: "sormland-reporter"}


def test_a_recent_approval_is_not_due_and_an_old_one_is(world, staircase, reporter_b):
    approved_on(world, datetime.date(2025, 11, 2))  # five months before: fine
    approved_on(world, datetime.date(2025, 9, 29), principal=world.other_principal)

    assert due_principals(world) == {world.other_principal.name: "reporter-b"}


def test_the_programmes_own_interval_counts(world, staircase):
    approved_on(world, datetime.date(2025, 7, 1))
    assert world.principal.name in due_principals(world)
    world.tenant.reporting_interval_months = 12
    world.tenant.save()
    assert due_principals(world) == {}


def test_any_approved_subject_of_the_principal_counts(world, staircase, operation):
    approved_on(world, datetime.date(2026, 1, 10), operation=operation)
    assert due_principals(world) == {}


def test_drafts_do_not_count_but_a_submitted_one_waits_for_the_leaders(world, staircase):
    draft = start(world)
    assert world.principal.name in due_principals(world)
    submit(world, rate(world, draft, 1))
    assert due_principals(world) == {}


def test_inactive_reporters_and_archived_principals_are_not_reminded(world, staircase, reporter_b):
    with scopes_disabled():
        Membership.objects.filter(user=world.users["reporter"]).update(is_active=False)
    world.other_principal.archived_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    with scopes_disabled():
        world.other_principal.save()
    assert due_principals(world) == {}


def test_someone_reminded_recently_is_not_reminded_again(world, staircase, settings):
    settings.IMPLEMENTATION_REMINDER_REPEAT_DAYS = 14
    with scopes_disabled():
        Reminder.objects.create(
            tenant=world.tenant,
            kind=ReminderKind.REPORT,
            user=world.users["reporter"],
            principal=world.principal,
            sent_on=TODAY - datetime.timedelta(days=13),
        )
    assert due_principals(world) == {}
    assert due_principals(world, TODAY + datetime.timedelta(days=1)) == {
        world.principal.name: "sormland-reporter"
    }


def test_the_selection_stays_in_its_programme(world, other_world, staircase, other_staircase):
    assert set(due_principals(world)) == {world.principal.name}
    with scope(tenant=other_world.tenant):
        others = reporters_due(tenant=other_world.tenant, today=TODAY)
    assert [d.principal for d in others] == [other_world.principal]


def test_leaders_hear_of_submitted_assessments_only(world, staircase):
    with scope(tenant=world.tenant):
        assert leaders_to_notify(tenant=world.tenant, today=TODAY) == ([], [])
    waiting = submit(world, rate(world, start(world), 1))
    with scope(tenant=world.tenant):
        leaders, assessments = leaders_to_notify(tenant=world.tenant, today=TODAY)
    assert [m.user for m in leaders] == [world.users["leader"]]
    assert assessments == [waiting]


# Sending -------------------------------------------------------------------------------------


def send(world, today=TODAY):
    with scope(tenant=world.tenant):
        return services.send_reminders(tenant=world.tenant, today=today)


def test_reporters_and_leaders_get_their_emails(world, staircase, mailoutbox, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.se"
    submit(world, rate(world, start(world, principal=world.other_principal), 1))

    result = send(world)

    assert (result.reporters, result.leaders) == (1, 1)
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    to_reporter = by_recipient[world.users["reporter"].email]
    assert world.principal.name in to_reporter.subject
    assert (
        f"https://portal.example.se/sormland/assessments/principals/{world.principal.pk}/"
        in to_reporter.body
    )
    to_leader = by_recipient[world.users["leader"].email]
    assert world.other_principal.name in to_leader.body
    assert "https://portal.example.se/sormland/assessments/review/" in to_leader.body
    with scopes_disabled():
        assert Reminder.objects.filter(tenant=world.tenant, sent_on=TODAY).count() == 2


def test_a_second_run_the_same_day_sends_nothing(world, staircase, mailoutbox):
    send(world)
    sent = len(mailoutbox)

    result = send(world)

    assert (result.reporters, result.leaders) == (0, 0)
    assert len(mailoutbox) == sent == 1


def test_a_failed_email_is_not_recorded_and_is_sent_on_retry(
    world, staircase, mailoutbox, monkeypatch
):
    def broken(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    with pytest.raises(OSError):
        send(world)
    with scopes_disabled():
        assert not Reminder.objects.exists()

    monkeypatch.undo()
    assert send(world).reporters == 1
    assert len(mailoutbox) == 1


def test_the_run_is_audited(world, staircase, mailoutbox):
    from portal.models import AuditEvent

    send(world)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="tenant.reminders.send")
    assert event.after["reporters"] == [world.users["reporter"].pk]


# The tasks -----------------------------------------------------------------------------------


def test_the_beat_task_queues_each_active_programme(world, other_world, monkeypatch):
    inactive = TenantFactory(slug="vilande", is_active=False)
    queued: list[int] = []
    monkeypatch.setattr(tasks.send_programme_reminders, "delay", queued.append)

    assert tasks.send_assessment_reminders() == 2

    assert sorted(queued) == sorted([world.tenant.pk, other_world.tenant.pk])
    assert inactive.pk not in queued


def test_the_programme_task_sends_that_programmes_reminders(
    world, other_world, staircase, mailoutbox
):
    outcome = tasks.send_programme_reminders.apply(args=[world.tenant.pk]).get()

    assert outcome == "1+0"
    assert [mail.to[0] for mail in mailoutbox] == [world.users["reporter"].email]


def test_the_programme_task_skips_a_missing_programme(db):
    assert tasks.send_programme_reminders.apply(args=[999999]).get() == "skipped"


def test_a_principal_without_reporters_sends_nothing(world, staircase, mailoutbox):
    PrincipalFactory(tenant=world.tenant)
    with scopes_disabled():
        Membership.objects.filter(role=Role.PRINCIPAL_REPORTER).update(is_active=False)
    assert send(world).reporters == 0
    assert mailoutbox == []
