"""Self-assessment services: the computed step and its override, the
workflow utkast → inskickad → godkänd / återsänd → inskickad, immutable
approved snapshots, superseding and moving backwards, attachments."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from implementation.models import (
    AssessmentAttachment,
    AssessmentStatus,
    AssessmentStatusChange,
    CriterionRating,
    Rating,
    SelfAssessment,
    Step,
)
from implementation.services import ConflictError, LockedError
from implementation.services import assessments as services
from portal.models import AuditEvent
from portal.services import DomainError
from tests.helpers import audit_count, reload, rows
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

PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n"


def steps(assessment) -> list[Step]:
    with scopes_disabled():
        return list(
            Step.objects.filter(staircase_id=assessment.staircase_id)
            .order_by("number")
            .prefetch_related("criteria")
        )


# The computed step ---------------------------------------------------------------


def test_a_new_draft_has_every_criterion_unrated_and_no_step(world, staircase):
    assessment = start(world)

    ratings = ratings_of(assessment)
    assert len(ratings) == sum(len(s.criteria.all()) for s in steps(assessment)) == 19
    assert set(ratings.values()) == {""}
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.step_number == 0 and assessment.computed_step is None
    with scopes_disabled():
        change = AssessmentStatusChange.objects.get(assessment=assessment)
    assert (change.from_status, change.to_status) == ("", AssessmentStatus.DRAFT)


@pytest.mark.parametrize("step", [0, 1, 3, 6])
def test_the_step_is_the_highest_with_all_criteria_established(world, staircase, step):
    assessment = rate(world, start(world), step)

    assert assessment.step_number == step
    assert (assessment.computed_step.number if assessment.computed_step else 0) == step


def test_a_gap_below_stops_the_climb(world, staircase):
    assessment = start(world)
    ratings = ratings_for(assessment, 6)
    first_of_step_two = steps(assessment)[1].criteria.all()[0]
    ratings[first_of_step_two.pk] = Rating.IN_PROGRESS

    with scope(tenant=world.tenant):
        assessment = services.assessment_update(
            actor=world.users["leader"],
            assessment=assessment,
            period_start=assessment.period_start,
            period_end=assessment.period_end,
            ratings=ratings,
        )

    # Steps 3–6 are all established, but step 2 is not: the result is step 1.
    assert assessment.step_number == 1


def test_compute_step_treats_unrated_as_not_established(world, staircase):
    all_steps = steps(start(world))
    ratings = {c.pk: Rating.ESTABLISHED for c in all_steps[0].criteria.all()}

    assert services.compute_step(all_steps, ratings) == all_steps[0]
    ratings.popitem()
    assert services.compute_step(all_steps, ratings) is None


def test_the_override_sets_the_step_and_needs_a_justification(world, staircase):
    assessment = start(world)
    step_four = steps(assessment)[3]

    with pytest.raises(ValidationError) as error:
        rate(world, assessment, 2, override_step=step_four, override_justification="  ")
    assert "override_justification" in error.value.message_dict
    assert reload(assessment).step_number == 0

    assessment = rate(
        world,
        assessment,
        2,
        override_step=step_four,
        override_justification="Vi prövar redan i två skolor.",
    )
    assert assessment.step_number == 4
    assert assessment.computed_step.number == 2
    assert assessment.result_step == step_four


def test_removing_the_override_clears_the_justification(world, staircase):
    assessment = start(world)
    assessment = rate(
        world,
        assessment,
        1,
        override_step=steps(assessment)[2],
        override_justification="Motivering.",
    )
    assessment = rate(world, assessment, 1, override_step=None, override_justification="kvar")

    assert assessment.override_step is None
    assert assessment.override_justification == ""
    assert assessment.step_number == 1


def test_an_override_from_another_staircase_is_refused(
    world, other_world, staircase, other_staircase
):
    assessment = start(world)
    foreign = steps(start(other_world, principal=other_world.principal))[0]

    with pytest.raises(ValidationError):
        rate(world, assessment, 1, override_step=foreign, override_justification="x")


def test_a_rating_outside_the_choices_is_refused(world, staircase):
    assessment = start(world)
    criterion = steps(assessment)[0].criteria.all()[0]

    with scope(tenant=world.tenant), pytest.raises(DomainError):
        services.assessment_rate(
            actor=world.users["leader"], assessment=assessment, criterion=criterion, rating="klart"
        )
    assert ratings_of(assessment)[criterion.pk] == ""


def test_rating_one_row_recomputes_the_step_and_bumps_the_version(world, staircase):
    assessment = start(world)
    criteria = list(steps(assessment)[0].criteria.all())
    with scope(tenant=world.tenant):
        for criterion in criteria:
            assessment = services.assessment_rate(
                actor=world.users["reporter"],
                assessment=assessment,
                criterion=criterion,
                rating=Rating.ESTABLISHED,
            )

    assert assessment.step_number == 1
    assert assessment.version == 1 + len(criteria)
    with scopes_disabled():
        assert (
            AuditEvent.objects.filter(
                action="self_assessment.rate", object_id=str(assessment.pk)
            ).count()
            == 3
        )


# Creating ----------------------------------------------------------------------------


def test_one_open_assessment_per_principal_and_per_operation(world, staircase, operation):
    first = start(world)
    start(world, operation=operation)  # another subject: fine

    with pytest.raises(services.OpenAssessmentExists) as error:
        start(world)
    assert error.value.assessment == first


def test_after_approval_a_new_one_can_be_started(world, staircase):
    approved(world, 1)
    assert start(world, period=H2).status == AssessmentStatus.DRAFT


def test_an_operation_of_another_principal_is_refused(world, staircase, operation):
    with pytest.raises(ValidationError):
        start(world, principal=world.other_principal, operation=operation)


def test_a_period_that_ends_before_it_starts_is_refused(world, staircase):
    before = rows(SelfAssessment)
    with pytest.raises(ValidationError):
        start(world, period=(datetime.date(2025, 6, 30), datetime.date(2025, 1, 1)))
    assert rows(SelfAssessment) == before


# Workflow ------------------------------------------------------------------------------


def test_submitting_needs_every_criterion_rated(world, staircase):
    assessment = start(world)
    events = audit_count()

    with pytest.raises(DomainError, match="19"):
        submit(world, assessment)

    assert reload(assessment).status == AssessmentStatus.DRAFT
    assert audit_count() == events


def test_the_whole_workflow_with_a_return(world, staircase):
    assessment = rate(world, start(world, actor="reporter"), 2, actor="reporter")

    assessment = submit(world, assessment, actor="reporter")
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_by == world.users["reporter"]

    assessment = send_back(world, assessment, "Lägg till underlag för steg 2.")
    assert assessment.status == AssessmentStatus.RETURNED
    assert assessment.return_comment == "Lägg till underlag för steg 2."

    assessment = rate(world, assessment, 3, actor="reporter", evidence="Beslut i BUN 2025-03.")
    assert assessment.status == AssessmentStatus.RETURNED

    assessment = approve(world, submit(world, assessment, actor="reporter"))
    assert assessment.status == AssessmentStatus.APPROVED
    assert assessment.approved_by == world.users["leader"]
    assert assessment.step_number == 3
    with scopes_disabled():
        changes = list(
            AssessmentStatusChange.objects.filter(assessment=assessment).values_list(
                "from_status", "to_status", "comment"
            )
        )
    assert changes == [
        ("", "utkast", ""),
        ("utkast", "inskickad", ""),
        ("inskickad", "atersand", "Lägg till underlag för steg 2."),
        ("atersand", "inskickad", ""),
        ("inskickad", "godkand", ""),
    ]


def test_returning_needs_a_comment(world, staircase):
    assessment = submit(world, rate(world, start(world), 1))
    with pytest.raises(ValidationError):
        send_back(world, assessment, "   ")
    assert reload(assessment).status == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize("status", ["utkast", "atersand", "godkand"])
def test_only_submitted_assessments_are_reviewed(world, staircase, status):
    assessment = rate(world, start(world), 1)
    if status == "atersand":
        assessment = send_back(world, submit(world, assessment))
    if status == "godkand":
        assessment = approve(world, submit(world, assessment))

    with pytest.raises(DomainError):
        approve(world, assessment)
    with pytest.raises(DomainError):
        send_back(world, assessment)
    assert reload(assessment).status == status


def test_a_submitted_assessment_cannot_be_edited_until_returned(world, staircase):
    assessment = submit(world, rate(world, start(world), 1))

    with pytest.raises(LockedError):
        rate(world, assessment, 4)
    assert reload(assessment).step_number == 1


# Immutability of approved snapshots ---------------------------------------------------------


def test_an_approved_assessment_is_immutable(world, staircase, media):
    assessment = approved(world, 2)
    before, ratings, events = rows(SelfAssessment), rows(CriterionRating), audit_count()
    criterion = steps(assessment)[5].criteria.all()[0]

    with pytest.raises(LockedError):
        rate(world, assessment, 6, evidence="Ändrat i efterhand.")
    with scope(tenant=world.tenant):
        with pytest.raises(LockedError):
            services.assessment_rate(
                actor=world.users["leader"],
                assessment=assessment,
                criterion=criterion,
                rating=Rating.ESTABLISHED,
            )
        with pytest.raises(LockedError):
            services.assessment_submit(actor=world.users["leader"], assessment=assessment)
        with pytest.raises(LockedError):
            services.attachment_add(
                actor=world.users["leader"],
                assessment=assessment,
                upload=SimpleUploadedFile("beslut.pdf", PDF),
            )

    assert rows(SelfAssessment) == before
    assert rows(CriterionRating) == ratings
    assert audit_count() == events


def test_a_stale_object_cannot_edit_what_was_approved_meanwhile(world, staircase):
    """The service re-reads the status under a lock: an old copy of the draft
    in someone's hands cannot change the approved snapshot."""
    draft = rate(world, start(world), 1)
    stale = reload(draft)
    approve(world, submit(world, draft))

    with pytest.raises(LockedError):
        rate(world, stale, 5)
    assert reload(draft).step_number == 1


# Superseding and moving backwards ------------------------------------------------------------


def test_a_new_approval_supersedes_the_previous_for_the_same_subject(world, staircase, operation):
    first = approved(world, 2)
    for_operation = approved(world, 4, operation=operation)
    second = approved(world, 3, period=H2)

    first, for_operation = reload(first), reload(for_operation)
    assert first.superseded_at is not None
    assert second.supersedes == first and second.superseded_at is None
    assert second.previous_step_number == 2 and second.moved_up and not second.moved_back
    # The operation's own line is untouched.
    assert for_operation.superseded_at is None and for_operation.supersedes is None
    assert for_operation.previous_step_number is None


def test_going_backwards_is_allowed_and_recorded(world, staircase):
    approved(world, 4)
    back = approved(world, 2, period=H2)

    assert back.status == AssessmentStatus.APPROVED
    assert back.step_number == 2 and back.previous_step_number == 4
    assert back.moved_back
    with scopes_disabled():
        event = AuditEvent.objects.filter(
            action="self_assessment.approve", object_id=str(back.pk)
        ).get()
    assert event.after["superseded"] == back.supersedes_id


def test_principals_do_not_supersede_each_other(world, staircase):
    mine = approved(world, 3)
    approved(world, 1, principal=world.other_principal)
    assert reload(mine).superseded_at is None


# Concurrency --------------------------------------------------------------------------------


def test_a_save_over_someone_elses_is_refused_with_theirs(world, staircase):
    assessment = start(world)
    opened_at = assessment.version
    rate(world, assessment, 2, actor="reporter", evidence="Reporterns underlag.")

    with scope(tenant=world.tenant), pytest.raises(ConflictError) as error:
        services.assessment_update(
            actor=world.users["leader"],
            assessment=assessment,
            expected_version=opened_at,
            period_start=assessment.period_start,
            period_end=assessment.period_end,
            ratings=ratings_for(assessment, 0),
            evidence="Processledarens text.",
        )
    assert "Reporterns underlag." in error.value.current
    assert error.value.version == reload(assessment).version
    assert reload(assessment).evidence == "Reporterns underlag."


@pytest.mark.parametrize(
    "links",
    ["javascript:alert(1)", "inte en adress", "ftp://fil.example.se/a.pdf"],
)
def test_links_must_be_web_addresses(world, staircase, links):
    assessment = start(world)
    with pytest.raises(ValidationError) as error:
        rate(world, assessment, 1, links=f"https://ok.example.se/\n{links}")
    assert "links" in error.value.message_dict
    assert reload(assessment).links == ""


def test_links_are_kept_one_per_line(world, staircase):
    assessment = rate(
        world, start(world), 1, links="  https://a.example.se/plan.pdf \n\n http://b.example.se "
    )
    assert assessment.links == "https://a.example.se/plan.pdf\nhttp://b.example.se"


# Attachments ----------------------------------------------------------------------------------


def add(world, assessment, name: str, content: bytes):
    with scope(tenant=world.tenant):
        return services.attachment_add(
            actor=world.users["reporter"],
            assessment=assessment,
            upload=SimpleUploadedFile(name, content),
        )


def test_an_allowed_file_is_stored_under_a_random_name(world, staircase, media):
    assessment = start(world)

    attachment = add(world, assessment, "../../Beslut BUN.pdf", PDF)

    assert attachment.original_name == "Beslut BUN.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.file.name.startswith(
        f"implementation/{world.tenant.pk}/assessments/{assessment.pk}/"
    )
    assert "Beslut" not in attachment.file.name
    assert (media / attachment.file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("skript.exe", b"MZ\x90\x00"),
        ("sida.html", b"<html></html>"),
        ("utan-filändelse", PDF),
        ("falsk.pdf", b"<html><script>alert(1)</script>"),
        ("bild.png", b"\xff\xd8\xff\xe0 not a png"),
        ("tom.pdf", b""),
    ],
)
def test_disallowed_or_disguised_files_are_refused(world, staircase, media, name, content):
    assessment = start(world)
    with pytest.raises(ValidationError) as error:
        add(world, assessment, name, content)
    assert "file" in error.value.message_dict
    assert rows(AssessmentAttachment) == []


def test_a_file_over_the_size_limit_is_refused(world, staircase, media, settings):
    settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES = 1024
    assessment = start(world)
    with pytest.raises(ValidationError, match="MB"):
        add(world, assessment, "stor.pdf", PDF + b"0" * 2000)
    assert rows(AssessmentAttachment) == []


def test_removing_an_attachment_archives_it(world, staircase, media):
    assessment = start(world)
    attachment = add(world, assessment, "plan.docx", b"PK\x03\x04rest")

    with scope(tenant=world.tenant):
        services.attachment_remove(actor=world.users["reporter"], attachment=attachment)

    with scopes_disabled():
        attachment.refresh_from_db()
    assert attachment.is_archived
    assert (media / attachment.file.name).exists()


def test_attachments_of_an_approved_assessment_cannot_be_removed(world, staircase, media):
    assessment = start(world)
    attachment = add(world, assessment, "bild.jpg", b"\xff\xd8\xff\xe0jpeg")
    rate(world, assessment, 1)
    approve(world, submit(world, assessment))

    with scope(tenant=world.tenant), pytest.raises(LockedError):
        services.attachment_remove(
            actor=world.users["leader"], attachment=reload_attachment(attachment)
        )
    assert not reload_attachment(attachment).is_archived


def reload_attachment(attachment):
    with scopes_disabled():
        return AssessmentAttachment.objects.select_related("assessment__tenant").get(
            pk=attachment.pk
        )
