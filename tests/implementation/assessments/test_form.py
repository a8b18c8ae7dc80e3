"""Writing a self-assessment (implementation/views/assessments.py): the form
and the autosave of one row."""

from __future__ import annotations

from django_scopes import scopes_disabled

from implementation.models import AssessmentStatus, Rating, Step
from tests.helpers import HTMX, form_errors, is_fragment, reload, text
from tests.implementation.assessments.helpers import all_rows, criteria, form_data, url
from tests.implementation.helpers import ratings_of, start

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
