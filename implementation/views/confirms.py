"""What the implementation pages ask before they archive, remove or end (see
`portal.confirm`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from implementation.models import (
    Activity,
    Appointment,
    AssessmentAttachment,
    Criterion,
    Goal,
    GoodExample,
    Indicator,
    NamedEntry,
    SelfAssessment,
    Step,
    SubProject,
)
from portal.confirm import Confirm, said
from portal.tenancy import TenantRequest

if TYPE_CHECKING:
    from implementation.views.catalogue import Catalogue


def plan_item_archive(request: TenantRequest, item: Activity | SubProject) -> Confirm:
    """An activity or a sub-project of the implementation plan."""
    slug, title = request.tenant.slug, item.title
    url_name = "activity_archive" if isinstance(item, Activity) else "sub_project_archive"
    plan = reverse("implementation:plan_list", args=[slug])
    return Confirm(
        title=said(_("Archive %(title)s"), title=title),
        heading=said(_("Archive %(title)s?"), title=title),
        back_url=plan,
        back_label=said(_("The implementation plan")),
        action=reverse(f"implementation:{url_name}", args=[slug, item.pk]),
        form_id="plan-archive-form",
        text=said(
            _(
                "It is hidden from the plan but kept for the record, and can be shown with the "
                "archived ones."
            )
        ),
        button=said(_("Archive")),
        button_more=title,
        cancel_url=plan,
    )


def _appointments(request: TenantRequest) -> str:
    return reverse("implementation:appointment_list", args=[request.tenant.slug])


def appointment_archive(request: TenantRequest, appointment: Appointment) -> Confirm:
    pk = appointment.pk
    question = said(
        _("Archive the appointment of %(person)s as %(function)s?"),
        person=appointment.person.name,
        function=appointment.function.name,
    )
    listing = _appointments(request)
    return Confirm(
        title=said(_("Archive the appointment")),
        heading=question,
        back_url=listing,
        back_label=said(_("Appointments")),
        action=reverse("implementation:appointment_archive", args=[request.tenant.slug, pk]),
        text=said(
            _(
                "Archive an appointment only when it was entered by mistake. When someone "
                "leaves the function, end the appointment instead: it stays in the history."
            )
        ),
        button=said(_("Archive")),
        button_more=appointment.person.name,
        cancel_url=listing,
        target=f"appointment-{pk}",
        form_title=question,
        form_title_id=f"appointment-{pk}-archive-title",
        level=3,
        cancel_get=f"{listing}?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=7,
    )


def appointment_end(request: TenantRequest, appointment: Appointment) -> Confirm:
    pk = appointment.pk
    person, function = appointment.person.name, appointment.function.name
    listing = _appointments(request)
    return Confirm(
        title=said(_("End the appointment")),
        heading=said(_("End the appointment")),
        back_url=listing,
        back_label=said(_("Appointments")),
        lead=f"{person}, {function}, {appointment.principal.name}",
        action=reverse("implementation:appointment_end", args=[request.tenant.slug, pk]),
        stacked=True,
        button=said(_("End")),
        button_more=person,
        danger=False,
        autofocus=False,
        cancel_url=listing,
        target=f"appointment-{pk}",
        form_title=f"{_('End the appointment')}: {person}, {function}",
        form_title_id=f"appointment-{pk}-end-title",
        level=3,
        cancel_get=f"{listing}?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=7,
    )


def attachment_remove(
    request: TenantRequest, assessment: SelfAssessment, attachment: AssessmentAttachment
) -> Confirm:
    slug, name = request.tenant.slug, attachment.original_name
    edit = reverse("implementation:assessment_edit", args=[slug, assessment.pk])
    return Confirm(
        title=said(_("Remove %(name)s"), name=name),
        heading=said(_("Remove %(name)s from the self-assessment?"), name=name),
        back_url=edit,
        back_label=said(_("Back to the form")),
        action=reverse(
            "implementation:attachment_remove", args=[slug, assessment.pk, attachment.pk]
        ),
        form_id="attachment-remove-form",
        text=said(
            _("The file is no longer part of the self-assessment. It is kept for the record.")
        ),
        button=said(_("Remove")),
        button_more=name,
        cancel_url=f"{edit}#attachments",
    )


def catalogue_archive(request: TenantRequest, catalogue: Catalogue, entry: NamedEntry) -> Confirm:
    slug, pk = request.tenant.slug, entry.pk
    question = said(_("Archive %(name)s?"), name=entry.name)
    listing = reverse(catalogue.url_list, args=[slug])
    return Confirm(
        title=said(_("Archive %(name)s"), name=entry.name),
        heading=question,
        back_url=listing,
        back_label=str(catalogue.title),
        action=reverse(catalogue.url_archive, args=[slug, pk]),
        text=said(
            _(
                "An archived entry is no longer offered as a choice, but stays wherever it has "
                "been used. You can restore it at any time."
            )
        ),
        button=said(_("Archive")),
        button_more=entry.name,
        cancel_url=listing,
        target=f"{catalogue.key}-{pk}",
        form_title=question,
        form_title_id=f"{catalogue.key}-{pk}-archive-title",
        cancel_get=f"{listing}?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=3,
    )


def criterion_remove(request: TenantRequest, criterion: Criterion) -> Confirm:
    slug, pk, number = request.tenant.slug, criterion.pk, criterion.step.number
    staircase = reverse("implementation:staircase_detail", args=[slug])
    return Confirm(
        title=said(_("Remove criterion")),
        heading=said(_("Remove a criterion from step %(number)s?"), number=number),
        back_url=staircase,
        back_label=said(_("The staircase")),
        action=reverse("implementation:criterion_remove", args=[slug, pk]),
        form_quote=criterion.text,
        text=said(_("Self-assessments already made keep the version they were made against.")),
        button=said(_("Remove")),
        button_more=said(_("the criterion")),
        cancel_url=staircase,
        target=f"criterion-{pk}",
        form_title=said(_("Remove this criterion from step %(number)s?"), number=number),
        form_title_id=f"criterion-{pk}-remove-title",
        level=4,
        cancel_get=f"{staircase}?part=criterion_row&row={pk}",
        row="li",
        row_class="criterion row-form",
    )


def step_remove(request: TenantRequest, step: Step) -> Confirm:
    slug, pk = request.tenant.slug, step.pk
    question = said(_("Remove step %(number)s, %(name)s?"), number=step.number, name=step.name)
    staircase = reverse("implementation:staircase_detail", args=[slug])
    return Confirm(
        title=said(_("Remove step %(number)s"), number=step.number),
        heading=question,
        back_url=staircase,
        back_label=said(_("The staircase")),
        action=reverse("implementation:step_remove", args=[slug, pk]),
        text=said(
            _(
                "The step and its criteria are taken out of the staircase and the steps above "
                "it move down one. Self-assessments already made keep the version they were "
                "made against."
            )
        ),
        button=said(_("Remove")),
        button_more=said(_("step %(number)s"), number=step.number),
        cancel_url=staircase,
        target=f"step-{pk}-head",
        form_title=question,
        form_title_id=f"step-{pk}-remove-title",
        level=3,
        cancel_get=f"{staircase}?part=step_head&row={pk}",
        row="div",
        row_class="staircase-step__head row-form",
    )


def example_archive(request: TenantRequest, example: GoodExample) -> Confirm:
    slug, title = request.tenant.slug, example.title
    detail = reverse("implementation:example_detail", args=[slug, example.pk])
    return Confirm(
        title=said(_("Archive %(title)s"), title=title),
        heading=said(_("Archive the good example “%(title)s”?"), title=title),
        back_url=detail,
        back_label=said(_("Back")),
        action=reverse("implementation:example_archive", args=[slug, example.pk]),
        form_id="example-archive-form",
        text=said(_("An archived example is hidden from the programme but kept for the record.")),
        button=said(_("Archive")),
        button_more=title,
        cancel_url=detail,
    )


def goal_archive(request: TenantRequest, goal: Goal) -> Confirm:
    slug, pk = request.tenant.slug, goal.pk
    question = said(_("Archive the goal “%(title)s”?"), title=goal.title)
    goals = reverse("implementation:goal_list", args=[slug])
    return Confirm(
        title=said(_("Archive %(title)s"), title=goal.title),
        heading=question,
        back_url=goals,
        back_label=said(_("Goals")),
        action=reverse("implementation:goal_archive", args=[slug, pk]),
        text=said(
            _(
                "An archived goal is hidden from the goals page but kept, with its indicators, "
                "for the record. You can restore it at any time."
            )
        ),
        button=said(_("Archive")),
        button_more=goal.title,
        cancel_url=goals,
        target=f"goal-{pk}",
        form_title=question,
        form_title_id=f"goal-{pk}-archive-title",
        level=3,
        cancel_get=goals,  # the goals page answers htmx with its tree
        cancel_target="goal-tree",
        wrap="div",
        wrap_class="goal row-form",
    )


def indicator_archive(request: TenantRequest, indicator: Indicator) -> Confirm:
    slug, pk = request.tenant.slug, indicator.pk
    question = said(_("Archive the indicator %(name)s?"), name=indicator.name)
    indicators = reverse("implementation:indicator_list", args=[slug])
    return Confirm(
        title=said(_("Archive %(name)s"), name=indicator.name),
        heading=question,
        back_url=indicators,
        back_label=said(_("Indicators")),
        action=reverse("implementation:indicator_archive", args=[slug, pk]),
        text=said(
            _(
                "An archived indicator takes no new values. It is kept, with its values, and "
                "can be restored."
            )
        ),
        button=said(_("Archive")),
        button_more=indicator.name,
        cancel_url=indicators,
        target=f"indicator-{pk}",
        form_title=question,
        form_title_id=f"indicator-{pk}-archive-title",
        cancel_get=f"{indicators}?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=7,
    )
