"""`manage.py seed_bench`: county-sized bench programmes for `make bench`.

A fraction of scale 1 holds every count in proportion; scale N makes N
programmes whose rows stay in their own programme; the data is valid as the
services would leave it; a second run adds nothing and a different size is
refused."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from demo.management.commands._bench.sizes import Sizes
from governance.models import (
    ActionItem,
    ActionStatus,
    ActionStatusChange,
    AgendaItem,
    Attendance,
    BodyMember,
    Decision,
    Meeting,
    MinutesStatus,
    MinutesVersion,
    Risk,
    RiskReview,
)
from implementation.defaults import DEFAULT_STEPS
from implementation.models import (
    AssessmentStatus,
    CriterionRating,
    IndicatorValue,
    Rating,
    SelfAssessment,
)
from portal.models import AuditEvent, Membership, Operation, Person, Principal, Role, Tenant, User

TODAY = "2026-06-15"
CRITERIA = sum(len(step.criteria) for step in DEFAULT_STEPS)
SCALE_1 = {
    "principals": 15,
    "operations": 120,
    "people": 200,
    "meetings": 60,
    "decisions": 600,
    "action_items": 1_500,
    "risks": 120,
    "assessments": 3_000,
    "indicator_values": 20_000,
}


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_bench", "--not-production", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


def counts(tenant: Tenant) -> dict[str, int]:
    def n(model: type) -> int:
        return model.objects.filter(tenant=tenant).count()

    return {
        "principals": n(Principal),
        "operations": n(Operation),
        "people": n(Person),
        "meetings": n(Meeting),
        "decisions": n(Decision),
        "action_items": n(ActionItem),
        "risks": n(Risk),
        "assessments": n(SelfAssessment),
        "indicator_values": n(IndicatorValue),
    }


@pytest.fixture
def tenth(db) -> Tenant:
    seed("--fraction", "1/10")
    return Tenant.objects.get(slug="bench-01")


@scopes_disabled()
def test_a_tenth_of_scale_one_holds_a_tenth_of_every_count(tenth):
    expected = {key: round(value / 10) for key, value in SCALE_1.items()}
    # Eight operations per principal at every size: 15 / 10 rounds to 2 principals.
    assert counts(tenth) == expected | {"operations": expected["principals"] * 8}
    assert Sizes.at(Fraction(1)) == Sizes(**{k: v for k, v in SCALE_1.items() if k != "operations"})


@scopes_disabled()
def test_what_hangs_off_each_row_keeps_its_shape(tenth):
    assert AgendaItem.objects.filter(tenant=tenth).count() == 6 * 8
    assert RiskReview.objects.filter(tenant=tenth).count() == 12 * 3
    assert CriterionRating.objects.filter(tenant=tenth).count() == 300 * CRITERIA
    # Every action item has its creation recorded, and the later changes.
    changes = ActionStatusChange.objects.filter(tenant=tenth)
    assert changes.filter(from_status="").count() == 150
    assert changes.count() > 150
    assert Attendance.objects.filter(tenant=tenth).count() >= 6 * 3
    assert BodyMember.objects.filter(tenant=tenth).exists()


@scopes_disabled()
def test_held_meetings_have_approved_minutes_frozen_as_a_version(tenth):
    meetings = Meeting.objects.filter(tenant=tenth)
    approved = meetings.filter(minutes_status=MinutesStatus.APPROVED)
    assert approved.count() == 6  # too few meetings at a tenth for pending or planned ones
    for meeting in approved:
        version = MinutesVersion.objects.get(meeting=meeting)
        assert version.number == 1
        assert version.approved_by == meeting.approved_by
        assert [item["position"] for item in version.content["agenda"]] == list(range(1, 9))
        assert len(version.content["decisions"]) == meeting.decisions.count()
        assert meeting.approved_at is not None and meeting.finished_at is not None


@scopes_disabled()
def test_scale_one_has_planned_and_pending_meetings_too(db):
    sizes = Sizes.at(Fraction(1))
    assert (sizes.held_meetings, sizes.pending_meetings, sizes.future_meetings) == (58, 2, 2)


@scopes_disabled()
def test_decisions_are_numbered_from_one_per_body_and_year(tenth):
    numbers: dict[tuple[int, int], list[int]] = {}
    for body, year, number in (
        Decision.objects.filter(tenant=tenth)
        .order_by("meeting__starts_at", "number")
        .values_list("body", "year", "number")
    ):
        numbers.setdefault((body, year), []).append(number)
    assert numbers
    for series in numbers.values():
        assert series == list(range(1, len(series) + 1))
    decisions = Decision.objects.filter(tenant=tenth)
    assert not decisions.exclude(year=F("decided_on__year")).exists()
    assert not decisions.exclude(agenda_item__meeting=F("meeting")).exists()


@scopes_disabled()
def test_each_subject_has_one_current_approved_assessment_and_its_history(tenth):
    approved = SelfAssessment.objects.filter(tenant=tenth, status=AssessmentStatus.APPROVED)
    current = approved.filter(superseded_at__isnull=True)
    subjects = Counter(current.values_list("principal", "operation"))
    assert len(subjects) == 2 * 9  # each principal as a whole and its eight operations
    assert set(subjects.values()) == {1}
    superseded = approved.filter(superseded_at__isnull=False)
    assert superseded.count() == approved.count() - len(subjects)
    # Each approval after the first supersedes the one before and remembers its step.
    later = approved.filter(supersedes__isnull=False).select_related("supersedes")
    assert later.exists()
    for assessment in later:
        assert assessment.previous_step_number == assessment.supersedes.step_number
        assert assessment.supersedes.superseded_at == assessment.approved_at
    open_ones = SelfAssessment.objects.filter(tenant=tenth).exclude(
        status=AssessmentStatus.APPROVED
    )
    assert set(open_ones.values_list("status", flat=True)) == {
        AssessmentStatus.DRAFT,
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.RETURNED,
    }


@scopes_disabled()
def test_ratings_agree_with_the_computed_step(tenth):
    for assessment in SelfAssessment.objects.filter(tenant=tenth).select_related("computed_step")[
        :40
    ]:
        reached = assessment.computed_step.number if assessment.computed_step else 0
        ratings = CriterionRating.objects.filter(assessment=assessment).select_related(
            "criterion__step"
        )
        for rating in ratings:
            established = rating.rating == Rating.ESTABLISHED
            if rating.criterion.step.number <= reached:
                assert established
        if reached < len(DEFAULT_STEPS):
            assert (
                ratings.filter(criterion__step__number=reached + 1)
                .exclude(rating=Rating.ESTABLISHED)
                .exists()
            )


@scopes_disabled()
def test_some_action_items_are_open_and_overdue_others_done(tenth):
    actions = ActionItem.objects.filter(tenant=tenth)
    statuses = set(actions.values_list("status", flat=True))
    assert {ActionStatus.DONE, ActionStatus.REPORTED} <= statuses
    assert statuses & {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS}
    overdue = actions.filter(
        status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
        due_date__lt=datetime.date.fromisoformat(TODAY),
    )
    assert overdue.exists()
    # The status each item has is the last change recorded for it.
    for action in actions[:30]:
        assert action.status_changes.order_by("changed_at", "id").last().to_status == action.status


@scopes_disabled()
def test_the_bench_logins_have_their_roles_and_password(tenth):
    roles = dict(Membership.objects.filter(tenant=tenth).values_list("user__username", "role"))
    assert roles == {
        "bench-01-pl": Role.PROCESS_LEADER,
        "bench-01-sg": Role.STEERING_MEMBER,
        "bench-01-kommun": Role.PRINCIPAL_REPORTER,
    }
    for user in User.objects.filter(username__startswith="bench-01-"):
        assert user.check_password("bench")
        assert Person.objects.filter(tenant=tenth, membership__user=user).count() == 1


@scopes_disabled()
def test_the_seed_is_one_audit_event_per_programme(tenth):
    event = AuditEvent.objects.get(tenant=tenth, action="tenant.bench.seed")
    assert event.after["rows"]["selfassessment"] == 300


@scopes_disabled()
def test_a_second_run_adds_nothing(tenth):
    before = counts(tenth)
    assert "already seeded" in seed("--fraction", "1/10")
    assert counts(tenth) == before
    assert Tenant.objects.count() == 1


@scopes_disabled()
def test_a_programme_seeded_at_another_size_is_refused(tenth):
    with pytest.raises(CommandError, match="another size"):
        seed("--fraction", "1/20")
    assert Tenant.objects.count() == 1


def test_it_refuses_to_run_with_debug_off_unless_told_it_is_not_production(db):
    with pytest.raises(CommandError, match="not-production"):
        call_command("seed_bench", "--fraction", "1/50")
    assert not Tenant.objects.exists()


@scopes_disabled()
def test_scale_two_makes_two_programmes_whose_data_stays_in_each(db):
    seed("--scale", "2", "--fraction", "1/50")
    one, two = Tenant.objects.get(slug="bench-01"), Tenant.objects.get(slug="bench-02")
    assert (
        counts(one)
        == counts(two)
        == {
            key: max(3 if key == "people" else 1, round(value / 50))
            for key, value in SCALE_1.items()
        }
        | {"operations": 8}
    )
    # No row points at a row of the other programme.
    crossing = {
        "operation": Operation.objects.exclude(principal__tenant=F("tenant")),
        "person": Person.objects.exclude(principal__isnull=True).exclude(
            principal__tenant=F("tenant")
        ),
        "decision": Decision.objects.exclude(meeting__tenant=F("tenant")),
        "action": ActionItem.objects.exclude(agenda_item__tenant=F("tenant")),
        "action owners": ActionItem.objects.filter(
            ~Q(owner_people__tenant=F("tenant")), owner_people__isnull=False
        ),
        "follow-up": AgendaItem.objects.filter(
            ~Q(follow_up_actions__tenant=F("tenant")), follow_up_actions__isnull=False
        ),
        "attendance": Attendance.objects.exclude(person__tenant=F("tenant")),
        "review": RiskReview.objects.exclude(risk__tenant=F("tenant")),
        "assessment": SelfAssessment.objects.exclude(staircase__tenant=F("tenant")),
        "rating": CriterionRating.objects.exclude(criterion__tenant=F("tenant")),
        "value": IndicatorValue.objects.exclude(indicator__tenant=F("tenant")),
        "membership": Membership.objects.exclude(user__username__startswith=F("tenant__slug")),
    }
    assert {name: qs.count() for name, qs in crossing.items()} == dict.fromkeys(crossing, 0)


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_bench_login_sees_its_programme_and_not_the_other(db):
    seed("--scale", "2", "--fraction", "1/50")
    client = Client()
    client.force_login(User.objects.get(username="bench-01-pl"))
    assert client.get(reverse("portal:home", args=["bench-01"])).status_code == 200
    assert client.get(reverse("portal:home", args=["bench-02"])).status_code == 404


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_the_load_bench_edits_seeded_draft_minutes_as_a_browser_would(db):
    """What bench/load.py relies on: it reads the text and version from the
    edit form, a save answers with a redirect, and a save from a stale
    version is refused with the form again, writing nothing."""
    from bench.load import parse_form

    seed("--fraction", "1/2")  # 30 meetings: one held with minutes finished, not yet approved
    with scopes_disabled():
        item = AgendaItem.objects.get(
            tenant__slug="bench-01", meeting__minutes_status=MinutesStatus.FINISHED, position=1
        )
    client = Client()
    client.force_login(User.objects.get(username="bench-01-pl"))
    url = reverse("governance:agenda_item_edit", args=["bench-01", item.pk])
    text, version = parse_form(client.get(url).content.decode())
    assert (text, version) == (item.minutes, item.version)
    assert text  # the seeded minutes, read back through the page's escaping
    form = {"title": item.title, "kind": item.kind, "version": str(version)}
    saved = client.post(url, form | {"minutes": f"{text}\n- Rad ett."})
    assert saved.status_code == 302
    stale = client.post(url, form | {"minutes": f"{text}\n- Rad två."})
    assert stale.status_code == 200 and b"<form" in stale.content
    item.refresh_from_db()
    assert item.minutes == f"{text}\n- Rad ett."
    assert parse_form(client.get(url).content.decode()) == (item.minutes, version + 1)
