"""Risks: 1–4 scales, assessments only through dated reviews (history kept,
the newest-dated review is the current assessment), archive instead of delete."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import Risk, RiskReview, RiskStatus
from governance.services import DomainError, meetings, risks
from portal.models import AuditEvent
from tests.factories import PersonFactory
from tests.governance.service_helpers import audits, plan

pytestmark = pytest.mark.usefixtures("in_scope")

D = datetime.date


def create(world, **kwargs) -> Risk:
    values = {
        "title": "Saknat bifall från förvaltningen",
        "category": "forankring",
        "likelihood": 3,
        "consequence": 3,
    }
    values.update(kwargs)
    return risks.risk_create(actor=world.users["leader"], tenant=world.tenant, **values)


def review(world, risk, day, likelihood, consequence, status="hanteras", note=""):
    return risks.risk_review_add(
        actor=world.users["leader"],
        risk=risk,
        reviewed_on=day,
        likelihood=likelihood,
        consequence=consequence,
        status=status,
        note=note,
    )


# Creating --------------------------------------------------------------------------


def test_risk_create_with_its_mitigation_owner_and_origin_is_audited(world, gov):
    meeting = plan(world, gov)
    item = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="Risker")

    risk = create(
        world,
        description="Förvaltningarna har inte avsatt tid.",
        mitigation="Processledarna träffar förvaltningscheferna.",
        owner=gov.leader,
        raised_at=item,
    )

    risk.refresh_from_db()
    assert (risk.owner, risk.raised_at, risk.status) == (gov.leader, item, RiskStatus.IDENTIFIED)
    assert risk.score == 9
    [event] = audits(risk)
    assert event.action == "risk.create"
    assert event.after["mitigation"] == "Processledarna träffar förvaltningscheferna."


@pytest.mark.parametrize("field", ["likelihood", "consequence"])
@pytest.mark.parametrize("value", [0, 5])
def test_scales_run_from_one_to_four(world, field, value):
    with pytest.raises(ValidationError) as refused:
        create(world, **{field: value})

    assert field in refused.value.message_dict
    assert not Risk.objects.exists()
    assert not AuditEvent.objects.filter(object_type="governance.risk").exists()


@pytest.mark.parametrize("value", [1, 4])
def test_the_ends_of_the_scale_are_accepted(world, value):
    risk = create(world, likelihood=value, consequence=value)

    assert risk.score == value * value


def test_a_risk_needs_a_title_and_a_known_category(world):
    with pytest.raises(ValidationError) as refused:
        create(world, title="", category="väder")

    assert {"title", "category"} <= set(refused.value.message_dict)
    assert not Risk.objects.exists()


def test_an_owner_of_another_programme_is_refused(world, other_world):
    with pytest.raises(DomainError):
        create(world, owner=PersonFactory(tenant=other_world.tenant))

    assert not Risk.objects.exists()


# Updating --------------------------------------------------------------------------


def test_risk_update_edits_the_text_and_is_audited(world, gov):
    risk = create(world)

    risks.risk_update(
        actor=world.users["leader"],
        risk=risk,
        mitigation="Dialog med förvaltningscheferna.",
        owner=gov.chair,
        likelihood=3,  # unchanged assessment values are allowed (a form sends them)
    )

    risk.refresh_from_db()
    assert risk.mitigation == "Dialog med förvaltningscheferna."
    assert risk.owner == gov.chair
    [event] = audits(risk, "risk.update")
    assert event.before["mitigation"] == "" and event.after["owner_id"] == gov.chair.pk


@pytest.mark.parametrize("change", [{"likelihood": 2}, {"consequence": 4}, {"status": "stangd"}])
def test_risk_update_refuses_to_change_the_assessment(world, change):
    risk = create(world)

    with pytest.raises(DomainError):
        risks.risk_update(actor=world.users["leader"], risk=risk, mitigation="Ny", **change)

    risk.refresh_from_db()
    assert (risk.likelihood, risk.consequence, risk.status) == (3, 3, "identifierad")
    assert risk.mitigation == ""
    assert audits(risk, "risk.update") == []


def test_risk_update_refuses_an_owner_of_another_programme(world, other_world):
    risk = create(world)

    with pytest.raises(DomainError):
        risks.risk_update(
            actor=world.users["leader"], risk=risk, owner=PersonFactory(tenant=other_world.tenant)
        )

    risk.refresh_from_db()
    assert risk.owner is None


# Reviews -----------------------------------------------------------------------------


def test_reviews_are_appended_and_the_newest_sets_the_current_assessment(world):
    risk = create(world)

    first = review(world, risk, D(2025, 3, 25), 3, 4, note="Oförändrat.")
    second = review(world, risk, D(2025, 5, 20), 2, 3, status="hanteras", note="Bättre.")

    risk.refresh_from_db()
    assert (risk.likelihood, risk.consequence, risk.status) == (2, 3, "hanteras")
    assert list(risk.reviews.all()) == [second, first]  # newest first, both kept
    first.refresh_from_db()
    assert (first.likelihood, first.consequence, first.note) == (3, 4, "Oförändrat.")
    assert first.reviewed_by == world.users["leader"]
    assert [
        (e.before["likelihood"], e.after["likelihood"]) for e in audits(risk, "risk.reassess")
    ] == [
        (3, 3),
        (3, 2),
    ]
    assert [e.action for e in audits(second)] == ["risk_review.create"]


def test_an_older_review_entered_later_does_not_change_the_current_assessment(world):
    risk = create(world)
    review(world, risk, D(2025, 5, 20), 2, 2, status="hanteras")

    late = review(world, risk, D(2025, 3, 25), 4, 4, status="intraffad")

    risk.refresh_from_db()
    assert (risk.likelihood, risk.consequence, risk.status) == (2, 2, "hanteras")
    assert late in risk.reviews.all()
    assert len(audits(risk, "risk.reassess")) == 1


def test_a_second_review_on_the_same_day_wins(world):
    risk = create(world)
    review(world, risk, D(2025, 5, 20), 2, 2)

    review(world, risk, D(2025, 5, 20), 1, 1, status="stangd")

    risk.refresh_from_db()
    assert (risk.likelihood, risk.consequence, risk.status) == (1, 1, "stangd")


@pytest.mark.parametrize(("likelihood", "consequence"), [(0, 2), (2, 5)])
def test_a_review_off_the_scale_is_refused_and_changes_nothing(world, likelihood, consequence):
    risk = create(world)

    with pytest.raises(ValidationError):
        review(world, risk, D(2025, 5, 20), likelihood, consequence)

    assert not RiskReview.objects.exists()
    risk.refresh_from_db()
    assert (risk.likelihood, risk.consequence) == (3, 3)


def test_a_review_needs_a_known_status(world):
    risk = create(world)

    with pytest.raises(ValidationError):
        review(world, risk, D(2025, 5, 20), 2, 2, status="glömd")

    assert not RiskReview.objects.exists()


# Archive ---------------------------------------------------------------------------


def test_archiving_keeps_the_risk_and_its_reviews(world):
    risk = create(world)
    review(world, risk, D(2025, 5, 20), 2, 2)

    risks.risk_set_archived(actor=world.users["leader"], risk=risk, archived=True)

    risk.refresh_from_db()
    assert risk.is_archived
    assert risk.reviews.count() == 1
    risks.risk_set_archived(actor=world.users["leader"], risk=risk, archived=False)
    risk.refresh_from_db()
    assert not risk.is_archived
    assert [e.action for e in audits(risk)][-2:] == ["risk.archive", "risk.restore"]
