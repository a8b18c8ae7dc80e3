"""Submitting a self-assessment and reviewing it (implementation/views/assessments.py)."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scopes_disabled

from implementation.models import AssessmentStatus, SelfAssessment
from tests.factories import PrincipalFactory
from tests.helpers import form_errors, reload, text
from tests.implementation.assessments.helpers import (
    NOT_DRAFT_READERS,
    NOT_REVIEWERS,
    REVIEW_QUERIES,
    all_rows,
    form_data,
    url,
)
from tests.implementation.helpers import H2, approved, rate, send_back, start, submit

# Submitting -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reporter", "leader"])
def test_the_own_reporter_or_a_leader_submits(world, client_for, draft, role):
    rate(world, draft, 2)
    client = client_for(world.users[role])
    assert client.get(url("assessment_submit", world.tenant, draft.pk)).status_code == 200

    response = client.post(url("assessment_submit", world.tenant, draft.pk))

    assert response.status_code == 302
    saved = reload(draft)
    assert saved.status == AssessmentStatus.SUBMITTED
    assert saved.submitted_by == world.users[role]


def test_submitting_with_unrated_criteria_is_refused_on_the_page(world, reporter, draft):
    before = all_rows()
    response = reporter.post(url("assessment_submit", world.tenant, draft.pk))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["unrated"] == 19
    assert all_rows() == before


@pytest.mark.parametrize("role", NOT_DRAFT_READERS)
def test_others_cannot_submit(world, client_for, draft, role):
    rate(world, draft, 1)
    assert (
        client_for(world.users[role])
        .post(url("assessment_submit", world.tenant, draft.pk))
        .status_code
        == 404
    )
    assert reload(draft).status == AssessmentStatus.DRAFT


def test_a_submitted_assessments_forms_send_you_to_it(world, reporter, draft):
    submit(world, rate(world, draft, 1))
    for name in ["assessment_edit", "assessment_submit", "attachment_add"]:
        response = reporter.get(url(name, world.tenant, draft.pk))
        assert response.status_code == 302, name
        assert response["Location"] == url("assessment_detail", world.tenant, draft.pk)


def test_the_review_queue_lists_submitted_ones_oldest_first(world, leader, submitted, staircase):
    later = submit(world, rate(world, start(world, principal=world.other_principal), 1))
    with scopes_disabled():
        SelfAssessment.objects.filter(pk=submitted.pk).update(
            submitted_at=reload(later).submitted_at - datetime.timedelta(days=3)
        )
    body = text(leader.get(url("assessment_review_queue", world.tenant)))
    assert body.index(f'id="assessment-{submitted.pk}"') < body.index(f'id="assessment-{later.pk}"')


@pytest.mark.parametrize("role", NOT_REVIEWERS)
def test_only_process_leaders_review(world, client_for, submitted, role):
    client = client_for(world.users[role])
    before = all_rows()
    assert client.get(url("assessment_review_queue", world.tenant)).status_code == 403
    for name in ["assessment_approve", "assessment_return"]:
        assert client.get(url(name, world.tenant, submitted.pk)).status_code == 403
        assert (
            client.post(url(name, world.tenant, submitted.pk), {"comment": "x"}).status_code == 403
        )
    assert all_rows() == before


def test_leader_approves(world, leader, submitted):
    assert leader.get(url("assessment_approve", world.tenant, submitted.pk)).status_code == 200
    response = leader.post(url("assessment_approve", world.tenant, submitted.pk))

    assert response.status_code == 302
    assert reload(submitted).status == AssessmentStatus.APPROVED


def test_approving_a_lower_step_is_allowed_and_shown_as_a_move_back(world, leader, staircase):
    approved(world, 4)
    lower = submit(world, rate(world, start(world, period=H2), 2))

    response = leader.post(url("assessment_approve", world.tenant, lower.pk), follow=True)

    assert response.status_code == 200
    assert reload(lower).moved_back
    assert "badge--back" in text(response)


def test_leader_returns_with_a_comment(world, leader, reporter, submitted):
    response = leader.post(
        url("assessment_return", world.tenant, submitted.pk), {"comment": "Bifoga beslutet."}
    )

    assert response.status_code == 302
    assert reload(submitted).status == AssessmentStatus.RETURNED
    page = text(reporter.get(url("assessment_edit", world.tenant, submitted.pk)))
    assert "Bifoga beslutet." in page


def test_returning_without_a_comment_is_a_field_error(world, leader, submitted):
    before = all_rows()
    response = leader.post(url("assessment_return", world.tenant, submitted.pk), {"comment": " "})
    assert response.status_code == 200
    assert "comment" in form_errors(response)
    assert all_rows() == before


def test_a_draft_cannot_be_approved_by_url(world, leader, draft):
    rate(world, draft, 1)
    assert leader.get(url("assessment_approve", world.tenant, draft.pk)).status_code == 302
    response = leader.post(url("assessment_approve", world.tenant, draft.pk))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert reload(draft).status == AssessmentStatus.DRAFT


def test_a_returned_assessment_is_edited_and_submitted_again(world, reporter, submitted):
    send_back(world, submitted)
    response = reporter.post(
        url("assessment_edit", world.tenant, submitted.pk), form_data(submitted, 3)
    )
    assert response.status_code == 302
    reporter.post(url("assessment_submit", world.tenant, submitted.pk))
    saved = reload(submitted)
    assert saved.status == AssessmentStatus.SUBMITTED and saved.step_number == 3


@pytest.mark.parametrize("count", [1, 6])
def test_the_review_queue_costs_the_same_for_few_and_many(
    world, leader, staircase, django_assert_num_queries, count
):
    for _ in range(count):
        submit(world, rate(world, start(world, principal=PrincipalFactory(tenant=world.tenant)), 1))
    with django_assert_num_queries(REVIEW_QUERIES):
        response = leader.get(url("assessment_review_queue", world.tenant))
    assert text(response).count('<tr id="assessment-') == count
