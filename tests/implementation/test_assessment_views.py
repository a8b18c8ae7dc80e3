"""Self-assessment pages: the overview, a principal's history, one assessment,
the reporter's form with its row autosave, submitting, the review, and
attachments.

Every view: it works for the right role; another programme gets 404; a
reporter of another principal gets 404 for drafts (they do not exist for
them) and 403 for writes to approved ones; too little role gets 403 and
writes nothing; bad input gets a field error and writes nothing; htmx gets a
fragment.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from implementation.models import (
    AssessmentAttachment,
    AssessmentStatus,
    CriterionRating,
    Rating,
    SelfAssessment,
    Step,
)
from implementation.services import assessments as services
from portal.models import Membership, Role
from tests.factories import MembershipFactory, PrincipalFactory, UserFactory
from tests.helpers import HTMX, audit_count, form_errors, is_fragment, reload, rows, text, url_in
from tests.implementation.helpers import (
    H2,
    approve,
    approved,
    rate,
    ratings_for,
    ratings_of,
    send_back,
    start,
    submit,
)

ROLES = ["leader", "steering", "reporter", "researcher", "admin"]
NOT_DRAFT_READERS = ["steering", "researcher", "admin"]
NOT_REVIEWERS = ["steering", "reporter", "researcher", "admin"]
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


url = url_in("implementation")


def criteria(assessment) -> list:
    with scopes_disabled():
        return [
            c
            for s in Step.objects.filter(staircase_id=assessment.staircase_id)
            .order_by("number")
            .prefetch_related("criteria")
            for c in s.criteria.all()
        ]


def form_data(assessment, step: int, **extra) -> dict[str, object]:
    data: dict[str, object] = {
        "version": reload(assessment).version,
        "period_start": "2025-01-01",
        "period_end": "2025-06-30",
        "override_step": "",
        "override_justification": "",
        "evidence": "",
        "links": "",
        "comment": "",
    }
    for criterion_id, rating in ratings_for(assessment, step).items():
        data[f"criterion_{criterion_id}"] = rating
    data.update(extra)
    return data


def all_rows() -> tuple:
    return rows(SelfAssessment), rows(CriterionRating), audit_count()


@pytest.fixture
def reporter(world, client_for):
    return client_for(world.users["reporter"])


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def other_reporter(world, client_for):
    """A reporter of the programme's other principal."""
    user = UserFactory(username="reporter-b")
    MembershipFactory(
        tenant=world.tenant,
        user=user,
        role=Role.PRINCIPAL_REPORTER,
        principal=world.other_principal,
    )
    return client_for(user)


@pytest.fixture
def draft(world, staircase):
    return start(world, actor="reporter")


@pytest.fixture
def current(world, staircase):
    return approved(world, 3)


# The overview -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_each_principals_current_step(world, client_for, current, role):
    response = client_for(world.users[role]).get(url("assessment_list", world.tenant))

    assert response.status_code == 200
    body = text(response)
    assert url("assessment_principal", world.tenant, world.principal.pk) in body
    assert url("assessment_detail", world.tenant, current.pk) in body
    assert "Förbereda" in body  # step 3


def test_open_counts_only_for_those_who_may_see_the_drafts(
    world, client_for, draft, other_reporter
):
    start(world, principal=world.other_principal)

    def open_link_for_own(client) -> bool:
        page = text(client.get(url("assessment_list", world.tenant)))
        row = page[page.index(f'id="principal-{world.principal.pk}"') :]
        row = row[: row.index("</tr>")]
        return 'class="open-count"' in row

    assert open_link_for_own(client_for(world.users["leader"]))
    assert open_link_for_own(client_for(world.users["reporter"]))
    assert not open_link_for_own(other_reporter)
    assert not open_link_for_own(client_for(world.users["steering"]))


def test_the_overview_is_an_htmx_fragment_on_request(world, leader, current):
    response = leader.get(url("assessment_list", world.tenant), **HTMX)
    assert is_fragment(response)
    assert 'id="assessment-listing"' in text(response)


LIST_QUERIES = 9


@pytest.mark.parametrize("count", [1, 8])
def test_the_overview_costs_the_same_for_few_and_many(
    world, leader, staircase, django_assert_num_queries, count
):
    for _ in range(count):
        principal = PrincipalFactory(tenant=world.tenant)
        approved(world, 2, principal=principal)
        start(world, principal=principal, period=H2)
    with django_assert_num_queries(LIST_QUERIES):
        response = leader.get(url("assessment_list", world.tenant))
    assert text(response).count("step-number") == count


# A principal's history --------------------------------------------------------------------


def test_history_shows_the_step_per_date_and_marks_moves_back(world, leader, staircase):
    first = approved(world, 4, approved_on=datetime.date(2024, 12, 15))
    second = approved(world, 2, period=H2, approved_on=datetime.date(2025, 6, 20))

    response = leader.get(url("assessment_principal", world.tenant, world.principal.pk))

    body = text(response)
    assert body.index(f'id="assessment-{second.pk}"') < body.index(f'id="assessment-{first.pk}"')
    assert "2025-06-20" in body and "2024-12-15" in body
    assert f'<tr id="assessment-{second.pk}" class="is-backwards">' in body
    assert f'<tr id="assessment-{first.pk}">' in body
    assert "badge--back" in body
    assert "step-bar--2" in body and "step-bar--4" in body


@pytest.mark.parametrize("role", ["leader", "reporter"])
def test_drafts_are_in_the_history_for_leaders_and_own_reporters(world, client_for, draft, role):
    body = text(
        client_for(world.users[role]).get(
            url("assessment_principal", world.tenant, world.principal.pk)
        )
    )
    assert f'id="assessment-{draft.pk}"' in body


@pytest.mark.parametrize("role", NOT_DRAFT_READERS)
def test_drafts_are_not_in_the_history_for_others(world, client_for, current, draft, role):
    body = text(
        client_for(world.users[role]).get(
            url("assessment_principal", world.tenant, world.principal.pk)
        )
    )
    assert f'id="assessment-{draft.pk}"' not in body
    assert f'id="assessment-{current.pk}"' in body


def test_a_reporter_of_another_principal_sees_only_approved(world, other_reporter, current, draft):
    body = text(other_reporter.get(url("assessment_principal", world.tenant, world.principal.pk)))
    assert f'id="assessment-{draft.pk}"' not in body
    assert f'id="assessment-{current.pk}"' in body
    assert url("assessment_create", world.tenant) not in body


HISTORY_QUERIES = 6


@pytest.mark.parametrize("count", [1, 6])
def test_the_history_costs_the_same_for_few_and_many(
    world, leader, staircase, operation, django_assert_num_queries, count
):
    for _ in range(count):
        approved(world, 1)
        approved(world, 2, operation=operation)
    with django_assert_num_queries(HISTORY_QUERIES):
        response = leader.get(url("assessment_principal", world.tenant, world.principal.pk))
    assert text(response).count('class="step-bar') == 2 * count


# One assessment --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_an_approved_assessment(world, client_for, current, role):
    response = client_for(world.users[role]).get(url("assessment_detail", world.tenant, current.pk))

    assert response.status_code == 200
    body = text(response)
    assert "Förbereda" in body
    for criterion in criteria(current)[:3]:
        assert f'id="rating-{criterion.pk}"' in body
    assert url("assessment_edit", world.tenant, current.pk) not in body


@pytest.mark.parametrize("role", NOT_DRAFT_READERS)
def test_drafts_are_404_to_steering_researchers_and_admins(world, client_for, draft, role):
    response = client_for(world.users[role]).get(url("assessment_detail", world.tenant, draft.pk))
    assert response.status_code == 404


def test_a_reporter_cannot_see_another_principals_draft(world, other_reporter, draft):
    assert other_reporter.get(url("assessment_detail", world.tenant, draft.pk)).status_code == 404
    assert other_reporter.get(url("assessment_edit", world.tenant, draft.pk)).status_code == 404


def test_the_own_reporter_and_leaders_see_a_draft_with_its_edit_link(
    world, reporter, leader, draft
):
    for client in (reporter, leader):
        body = text(client.get(url("assessment_detail", world.tenant, draft.pk)))
        assert url("assessment_edit", world.tenant, draft.pk) in body


def test_another_programmes_assessment_is_404(
    world, other_world, leader, staircase, other_staircase
):
    other = start(other_world, principal=other_world.principal)
    for name in ["assessment_detail", "assessment_edit", "assessment_submit", "assessment_approve"]:
        assert leader.get(url(name, world.tenant, other.pk)).status_code == 404, name
    assert leader.post(url("assessment_approve", world.tenant, other.pk)).status_code == 404


def test_the_detail_is_a_fragment_for_htmx(world, leader, current):
    response = leader.get(url("assessment_detail", world.tenant, current.pk), **HTMX)
    assert is_fragment(response)
    assert 'id="assessment"' in text(response)


def test_a_superseded_snapshot_links_to_the_later_one(world, client_for, current):
    later = approved(world, 1, period=H2)
    body = text(
        client_for(world.users["steering"]).get(url("assessment_detail", world.tenant, current.pk))
    )
    assert url("assessment_detail", world.tenant, later.pk) in body


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


# The form ------------------------------------------------------------------------------------


def test_the_form_has_one_radio_group_per_criterion(world, reporter, draft):
    body = text(reporter.get(url("assessment_edit", world.tenant, draft.pk)))

    for criterion in criteria(draft):
        assert f'<fieldset id="criterion-{criterion.pk}"' in body
        assert body.count(f'name="criterion_{criterion.pk}"') == 3
    assert body.count("<legend>") >= len(criteria(draft))


def test_save_draft_without_javascript_saves_everything(world, reporter, draft):
    response = reporter.post(
        url("assessment_edit", world.tenant, draft.pk),
        form_data(
            draft, 2, evidence="Beslut i nämnden.", links="https://a.example.se/x.pdf", then="save"
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == url("assessment_edit", world.tenant, draft.pk)
    saved = reload(draft)
    assert saved.step_number == 2
    assert saved.evidence == "Beslut i nämnden."
    assert saved.status == AssessmentStatus.DRAFT
    assert set(ratings_of(draft).values()) == {Rating.ESTABLISHED, Rating.IN_PROGRESS}


def test_save_and_submit_goes_to_the_submit_page(world, reporter, draft):
    response = reporter.post(
        url("assessment_edit", world.tenant, draft.pk), form_data(draft, 1, then="submit")
    )
    assert response["Location"] == url("assessment_submit", world.tenant, draft.pk)
    assert reload(draft).status == AssessmentStatus.DRAFT


def test_an_override_without_justification_is_a_field_error(world, reporter, draft):
    with scopes_disabled():
        step = Step.objects.get(staircase_id=draft.staircase_id, number=4)
    before = all_rows()

    response = reporter.post(
        url("assessment_edit", world.tenant, draft.pk), form_data(draft, 1, override_step=step.pk)
    )

    assert response.status_code == 200
    assert "override_justification" in form_errors(response)
    assert all_rows() == before


def test_a_bad_link_is_a_field_error(world, reporter, draft):
    before = all_rows()
    response = reporter.post(
        url("assessment_edit", world.tenant, draft.pk),
        form_data(draft, 1, links="javascript:alert(1)"),
    )
    assert response.status_code == 200
    assert "links" in form_errors(response)
    assert all_rows() == before


def test_a_stale_form_shows_the_conflict_and_writes_nothing(world, reporter, leader, draft):
    stale = form_data(draft, 1, evidence="Min text.")
    leader.post(
        url("assessment_edit", world.tenant, draft.pk),
        form_data(draft, 2, evidence="Ledarens text."),
    )
    before = all_rows()

    response = reporter.post(url("assessment_edit", world.tenant, draft.pk), stale)

    assert response.status_code == 200
    assert response.context["conflict"] is not None
    assert "Ledarens text." in text(response)
    assert response.context["form"]["version"].value() == str(reload(draft).version)
    assert all_rows() == before


def test_an_approved_assessment_cannot_be_edited_through_the_form(world, reporter, current):
    assert reporter.get(url("assessment_edit", world.tenant, current.pk)).status_code == 302
    before = all_rows()

    response = reporter.post(
        url("assessment_edit", world.tenant, current.pk), form_data(current, 6)
    )

    assert response.status_code == 200
    assert form_errors(response)
    assert all_rows() == before
    assert reload(current).step_number == 3


def test_steering_members_cannot_edit_an_approved_assessment(world, client_for, current):
    client = client_for(world.users["steering"])
    assert client.get(url("assessment_edit", world.tenant, current.pk)).status_code == 403
    assert (
        client.post(
            url("assessment_edit", world.tenant, current.pk), form_data(current, 6)
        ).status_code
        == 403
    )


def test_a_reporter_of_another_principal_cannot_write_an_approved_one(
    world, other_reporter, current
):
    before = all_rows()
    assert (
        other_reporter.post(
            url("assessment_edit", world.tenant, current.pk), form_data(current, 6)
        ).status_code
        == 403
    )
    assert (
        other_reporter.post(url("assessment_submit", world.tenant, current.pk)).status_code == 403
    )
    assert all_rows() == before


def test_a_reporter_of_another_principal_cannot_write_a_draft(world, other_reporter, draft):
    before = all_rows()
    first = criteria(draft)[0]
    assert (
        other_reporter.post(
            url("assessment_edit", world.tenant, draft.pk), form_data(draft, 6)
        ).status_code
        == 404
    )
    assert (
        other_reporter.post(
            url("assessment_rate", world.tenant, draft.pk, first.pk),
            {f"criterion_{first.pk}": "etablerad"},
            **HTMX,
        ).status_code
        == 404
    )
    assert other_reporter.post(url("assessment_submit", world.tenant, draft.pk)).status_code == 404
    assert all_rows() == before


# Autosave of a row --------------------------------------------------------------------------------


def test_choosing_a_rating_saves_the_row(world, reporter, draft):
    first = criteria(draft)[0]

    response = reporter.post(
        url("assessment_rate", world.tenant, draft.pk, first.pk),
        {f"criterion_{first.pk}": Rating.ESTABLISHED, "version": draft.version},
        **HTMX,
    )

    assert response.status_code == 200
    assert is_fragment(response)
    body = text(response)
    assert body.lstrip().startswith(f'<p id="criterion-{first.pk}-status" class="row-status"')
    assert 'name="criterion_' not in body  # the radios stay, with the keyboard focus
    assert (
        f'value="{draft.version + 1}" id="assessment-{draft.pk}-version" hx-swap-oob="true"' in body
    )
    assert ratings_of(draft)[first.pk] == Rating.ESTABLISHED


def test_the_row_autosave_updates_the_computed_step(world, reporter, draft):
    step_one = criteria(draft)[:3]
    for criterion in step_one:
        response = reporter.post(
            url("assessment_rate", world.tenant, draft.pk, criterion.pk),
            {f"criterion_{criterion.pk}": Rating.ESTABLISHED},
            **HTMX,
        )
    assert 'id="computed-step"' in text(response)
    assert "Förankra och besluta" in text(response)
    assert reload(draft).step_number == 1


def test_a_row_saves_without_javascript_too(world, reporter, draft):
    first = criteria(draft)[0]
    response = reporter.post(
        url("assessment_rate", world.tenant, draft.pk, first.pk),
        {f"criterion_{first.pk}": Rating.IN_PROGRESS},
    )
    assert response.status_code == 302
    assert ratings_of(draft)[first.pk] == Rating.IN_PROGRESS


def test_a_bad_rating_is_shown_on_the_row_and_writes_nothing(world, reporter, draft):
    first = criteria(draft)[0]
    before = all_rows()
    response = reporter.post(
        url("assessment_rate", world.tenant, draft.pk, first.pk),
        {f"criterion_{first.pk}": "klart"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "row-status--error" in text(response)
    assert all_rows() == before


def test_a_row_of_an_approved_assessment_is_refused(world, reporter, current):
    last = criteria(current)[-1]
    before = all_rows()
    response = reporter.post(
        url("assessment_rate", world.tenant, current.pk, last.pk),
        {f"criterion_{last.pk}": Rating.ESTABLISHED},
        **HTMX,
    )
    assert response.status_code == 200
    assert "row-status--error" in text(response)
    assert all_rows() == before


def test_a_criterion_of_another_staircase_is_404(
    world, other_world, reporter, draft, other_staircase
):
    foreign = criteria(start(other_world, principal=other_world.principal))[0]
    response = reporter.post(
        url("assessment_rate", world.tenant, draft.pk, foreign.pk),
        {f"criterion_{foreign.pk}": "pagar"},
        **HTMX,
    )
    assert response.status_code == 404


def test_rating_is_a_post(world, reporter, draft):
    first = criteria(draft)[0]
    assert reporter.get(url("assessment_rate", world.tenant, draft.pk, first.pk)).status_code == 405


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


# Review ------------------------------------------------------------------------------------------


@pytest.fixture
def submitted(world, draft):
    return submit(world, rate(world, draft, 2), actor="reporter")


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


REVIEW_QUERIES = 5


@pytest.mark.parametrize("count", [1, 6])
def test_the_review_queue_costs_the_same_for_few_and_many(
    world, leader, staircase, django_assert_num_queries, count
):
    for _ in range(count):
        submit(world, rate(world, start(world, principal=PrincipalFactory(tenant=world.tenant)), 1))
    with django_assert_num_queries(REVIEW_QUERIES):
        response = leader.get(url("assessment_review_queue", world.tenant))
    assert text(response).count('<tr id="assessment-') == count


# Attachments ------------------------------------------------------------------------------


def upload(client, world, assessment, name="beslut.pdf", content=PDF):
    return client.post(
        url("attachment_add", world.tenant, assessment.pk),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_reporter_attaches_a_file_and_readers_download_it(
    world, reporter, client_for, draft, media
):
    response = upload(reporter, world, draft)
    assert response.status_code == 302
    with scopes_disabled():
        attachment = AssessmentAttachment.objects.get()
    download = url("attachment_download", world.tenant, draft.pk, attachment.pk)

    got = reporter.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    assert got["Content-Disposition"].startswith("attachment;")
    assert got["Content-Type"] == "application/pdf"
    # A draft's file is as invisible as the draft.
    assert client_for(world.users["steering"]).get(download).status_code == 404

    rate(world, draft, 1)
    approve(world, submit(world, draft))
    assert client_for(world.users["steering"]).get(download).status_code == 200


def test_a_reporter_of_another_principal_cannot_download_a_drafts_file(
    world, reporter, other_reporter, draft, media
):
    upload(reporter, world, draft)
    with scopes_disabled():
        attachment = AssessmentAttachment.objects.get()
    assert (
        other_reporter.get(
            url("attachment_download", world.tenant, draft.pk, attachment.pk)
        ).status_code
        == 404
    )


def test_an_attachment_id_of_another_assessment_is_404(world, reporter, draft, operation, media):
    other = start(world, operation=operation)
    upload(reporter, world, other)
    with scopes_disabled():
        attachment = AssessmentAttachment.objects.get()
    assert (
        reporter.get(url("attachment_download", world.tenant, draft.pk, attachment.pk)).status_code
        == 404
    )


def test_a_disallowed_file_is_a_field_error(world, reporter, draft, media):
    before = all_rows()
    response = upload(reporter, world, draft, "virus.exe", b"MZ\x90")
    assert response.status_code == 200
    assert "file" in form_errors(response)
    assert rows(AssessmentAttachment) == [] and all_rows() == before


def test_reporter_removes_an_attachment(world, reporter, draft, media):
    upload(reporter, world, draft)
    with scopes_disabled():
        attachment = AssessmentAttachment.objects.get()
    remove = url("attachment_remove", world.tenant, draft.pk, attachment.pk)
    assert reporter.get(remove).status_code == 200
    assert reporter.post(remove).status_code == 302
    with scopes_disabled():
        attachment.refresh_from_db()
    assert attachment.is_archived
    download = url("attachment_download", world.tenant, draft.pk, attachment.pk)
    assert reporter.get(download).status_code == 404


@pytest.mark.parametrize("role", NOT_DRAFT_READERS)
def test_others_cannot_attach(world, client_for, current, media, role):
    response = upload(client_for(world.users[role]), world, current)
    assert response.status_code == 403
    assert rows(AssessmentAttachment) == []


def test_an_inactive_reporter_is_404_everywhere(world, reporter, draft):
    with scopes_disabled():
        Membership.objects.filter(user=world.users["reporter"]).update(is_active=False)
    assert reporter.get(url("assessment_detail", world.tenant, draft.pk)).status_code == 404


def test_services_refuse_a_principal_of_another_programme(world, other_world, staircase):
    with scope(tenant=world.tenant), pytest.raises(services.DomainError):
        services.assessment_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            principal=other_world.principal,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 6, 30),
        )
