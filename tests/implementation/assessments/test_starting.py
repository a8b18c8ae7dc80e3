"""Starting a self-assessment (implementation/views/assessments.py)."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from implementation.models import AssessmentStatus, SelfAssessment
from tests.helpers import form_errors, text
from tests.implementation.assessments.helpers import NOT_DRAFT_READERS, all_rows, url

# Starting ---------------------------------------------------------------------------------


def test_reporter_starts_an_assessment_for_own_principal(world, reporter, staircase, operation):
    form = reporter.get(url("assessment_create", world.tenant))
    assert form.status_code == 200
    assert form.context["form"].initial["principal"] == world.principal
    choices = list(form.context["form"].fields["principal"].queryset)
    assert choices == [world.principal]

    response = reporter.post(
        url("assessment_create", world.tenant),
        {
            "principal": world.principal.pk,
            "operation": operation.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
        },
    )

    with scopes_disabled():
        assessment = SelfAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("assessment_edit", world.tenant, assessment.pk)
    assert assessment.operation == operation
    assert assessment.created_by == world.users["reporter"]
    assert assessment.status == AssessmentStatus.DRAFT


def test_reporter_cannot_start_one_for_another_principal(world, reporter, staircase):
    before = all_rows()

    assert (
        reporter.get(
            url("assessment_create", world.tenant, query=f"?principal={world.other_principal.pk}")
        ).status_code
        == 403
    )
    response = reporter.post(
        url("assessment_create", world.tenant),
        {
            "principal": world.other_principal.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
        },
    )

    assert response.status_code == 403
    assert all_rows() == before


def test_an_operation_of_another_principal_is_a_field_error(world, reporter, staircase):
    from tests.factories import OperationFactory

    foreign = OperationFactory(tenant=world.tenant, principal=world.other_principal)
    before = all_rows()

    response = reporter.post(
        url("assessment_create", world.tenant),
        {
            "principal": world.principal.pk,
            "operation": foreign.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
        },
    )

    assert response.status_code == 200
    assert "operation" in form_errors(response)
    assert all_rows() == before


def test_leader_starts_one_on_behalf_of_any_principal(world, leader, staircase):
    response = leader.post(
        url("assessment_create", world.tenant),
        {
            "principal": world.other_principal.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert SelfAssessment.objects.get().principal == world.other_principal


@pytest.mark.parametrize("role", NOT_DRAFT_READERS)
def test_others_cannot_start_assessments(world, client_for, staircase, role):
    client = client_for(world.users[role])
    before = all_rows()
    assert client.get(url("assessment_create", world.tenant)).status_code == 403
    response = client.post(
        url("assessment_create", world.tenant),
        {"principal": world.principal.pk, "period_start": "2025-01-01", "period_end": "2025-06-30"},
    )
    assert response.status_code == 403
    assert all_rows() == before


def test_a_period_ending_before_it_starts_is_a_field_error(world, reporter, staircase):
    before = all_rows()
    response = reporter.post(
        url("assessment_create", world.tenant),
        {"principal": world.principal.pk, "period_start": "2025-06-30", "period_end": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "period_end" in form_errors(response)
    assert all_rows() == before


def test_a_second_open_assessment_points_to_the_first(world, reporter, draft):
    before = all_rows()
    response = reporter.post(
        url("assessment_create", world.tenant),
        {"principal": world.principal.pk, "period_start": "2025-01-01", "period_end": "2025-06-30"},
    )
    assert response.status_code == 200
    assert url("assessment_edit", world.tenant, draft.pk) in text(response)
    assert all_rows() == before


def test_another_programmes_principal_in_the_form_is_404(world, other_world, leader, staircase):
    response = leader.post(
        url("assessment_create", world.tenant),
        {
            "principal": other_world.principal.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
        },
    )
    assert response.status_code == 404
