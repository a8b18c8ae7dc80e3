"""What the governance pages ask before they archive, remove, end, repeal or
cancel (see `portal.confirm`)."""

from __future__ import annotations

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    ImportedFile,
    Meeting,
    MeetingDocument,
    ProgrammeEvent,
    Risk,
)
from portal.confirm import Confirm, said
from portal.tenancy import TenantRequest


def _meeting_url(request: TenantRequest, meeting: Meeting, anchor: str = "") -> str:
    url = reverse("governance:meeting_detail", args=[request.tenant.slug, meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def action_archive(request: TenantRequest, action: ActionItem) -> Confirm:
    slug, pk = request.tenant.slug, action.pk
    detail = reverse("governance:action_detail", args=[slug, pk])
    return Confirm(
        title=said(_("Archive the assignment")),
        heading=said(_("Archive the assignment?")),
        back_url=detail,
        back_label=truncatechars(action.description, 80),
        action=reverse("governance:action_archive", args=[slug, pk]),
        text=said(
            _(
                "An archived assignment is hidden from the list and from follow-ups but kept, "
                "with its status history, for the record. You can restore it at any time."
            )
        ),
        button=said(_("Archive")),
        button_more=said(_("the assignment")),
        cancel_url=detail,
        target=f"action-{pk}",
        form_title=said(_("Archive “%(name)s”?"), name=truncatechars(action.description, 60)),
        form_title_id=f"action-{pk}-archive-title",
        cancel_get=detail,  # the detail view answers htmx with the row
        row="tr",
        row_class="row-form",
        colspan=7,
    )


def agenda_item_archive(request: TenantRequest, item: AgendaItem) -> Confirm:
    meeting, pk = item.meeting, item.pk
    question = said(_("Take %(title)s off the agenda?"), title=item.title)
    back = _meeting_url(request, meeting, f"agenda-item-{pk}")
    return Confirm(
        title=said(_("Take %(title)s off the agenda"), title=item.title),
        heading=question,
        back_url=back,
        back_label=said(_("Back to the meeting")),
        action=reverse("governance:agenda_item_archive", args=[request.tenant.slug, pk]),
        text=said(
            _("The item and its text are kept for the record; the other items are renumbered.")
        ),
        button=said(_("Take off the agenda")),
        button_more=item.title,
        cancel_url=back,
        target=f"agenda-item-{pk}",
        form_title=question,
        form_title_id=f"agenda-item-{pk}-archive-title",
        level=3,
        cancel_get=_meeting_url(request, meeting) + f"?part=agenda_item&row={pk}",
        wrap="article",
        wrap_class="agenda-item row-form",
    )


def attendance_remove(request: TenantRequest, row: Attendance) -> Confirm:
    meeting, pk, name = row.meeting, row.pk, row.person.name
    back = _meeting_url(request, meeting, "attendance")
    return Confirm(
        title=said(_("Take %(name)s off the attendance"), name=name),
        heading=said(
            _("Take %(name)s off the attendance of %(title)s?"),
            name=name,
            title=meeting.display_title,
        ),
        back_url=back,
        back_label=said(_("Back to the meeting")),
        action=reverse("governance:attendance_remove", args=[request.tenant.slug, pk]),
        text=said(
            _(
                "For a line that should not be there at all, such as a member who has left. "
                "Someone who was expected but did not come is marked absent instead. The "
                "change is logged."
            )
        ),
        button=said(_("Take off the attendance")),
        button_more=name,
        cancel_url=back,
        target=f"attendance-{pk}",
        form_title=said(_("Take %(name)s off the attendance?"), name=name),
        form_title_id=f"attendance-{pk}-remove-title",
        level=3,
        cancel_get=_meeting_url(request, meeting) + f"?part=attendance_row&row={pk}",
        row="tr",
        row_class="row-form",
        colspan=5,
    )


def body_archive(request: TenantRequest, body: Body) -> Confirm:
    slug, pk = request.tenant.slug, body.pk
    question = said(_("Archive the body %(name)s?"), name=body.name)
    detail = reverse("governance:body_detail", args=[slug, pk])
    return Confirm(
        title=said(_("Archive %(name)s"), name=body.name),
        heading=question,
        back_url=detail,
        back_label=body.name,
        action=reverse("governance:body_archive", args=[slug, pk]),
        text=said(
            _(
                "An archived body is hidden from lists and choices but kept, with its members, "
                "meetings and decisions, for the record. You can restore it at any time."
            )
        ),
        button=said(_("Archive")),
        button_more=body.name,
        cancel_url=detail,
        target=f"body-{pk}",
        form_title=question,
        form_title_id=f"body-{pk}-archive-title",
        cancel_get=reverse("governance:body_list", args=[slug]) + f"?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=6,
    )


def body_member_end(request: TenantRequest, member: BodyMember) -> Confirm:
    slug, pk, name = request.tenant.slug, member.pk, member.person.name
    question = said(
        _("End the period of %(name)s as %(role)s"),
        name=name,
        role=member.get_role_display(),
    )
    detail = reverse("governance:body_detail", args=[slug, member.body_id])
    return Confirm(
        title=said(_("End the period of %(name)s"), name=name),
        heading=question,
        back_url=detail,
        back_label=member.body.name,
        action=reverse("governance:body_member_end", args=[slug, pk]),
        text=said(
            _("The period started on %(date)s. It stays in the body's history after it ends."),
            date=formats.date_format(member.start_date, "Y-m-d"),
        ),
        text_first=True,
        stacked=True,
        button=said(_("End period")),
        button_more=said(_("of %(name)s"), name=name),
        danger=False,
        autofocus=False,
        cancel_url=detail,
        target=f"member-{pk}",
        form_title=question,
        form_title_id=f"member-{pk}-end-title",
        level=3,
        cancel_get=f"{detail}?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=5,
    )


def decision_repeal(request: TenantRequest, decision: Decision) -> Confirm:
    slug, pk, ref = request.tenant.slug, decision.pk, decision.reference
    question = said(_("Repeal the decision %(ref)s?"), ref=ref)
    register = reverse("governance:decision_list", args=[slug])
    return Confirm(
        title=said(_("Repeal %(ref)s"), ref=ref),
        heading=question,
        back_url=register,
        back_label=said(_("The decision register")),
        quote=decision.text,
        action=reverse("governance:decision_repeal", args=[slug, pk]),
        stacked=True,
        text=said(
            _(
                "A repealed decision stays in the register, marked as repealed and linked to "
                "the decision that replaces it."
            )
        ),
        button=said(_("Repeal")),
        button_more=ref,
        autofocus=False,
        cancel_url=register,
        target=f"decision-{pk}",
        form_title=question,
        form_title_id=f"decision-{pk}-repeal-title",
        cancel_get=f"{register}?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=7,
    )


def document_archive(request: TenantRequest, document: MeetingDocument) -> Confirm:
    slug, pk, title = request.tenant.slug, document.pk, document.title
    detail = reverse("governance:document_detail", args=[slug, pk])
    return Confirm(
        title=said(_("Take %(title)s off the meeting"), title=title),
        heading=said(_("Take %(title)s off the meeting?"), title=title),
        back_url=detail,
        back_label=said(_("Back to %(title)s"), title=title),
        action=reverse("governance:document_archive", args=[slug, pk]),
        form_id="document-archive-form",
        text=said(
            _(
                "The document is no longer shown with the meeting. It is archived, not "
                "deleted: its files are kept for the record."
            )
        ),
        button=said(_("Take off the meeting")),
        button_more=title,
        autofocus=False,
        cancel_url=detail,
    )


def event_archive(request: TenantRequest, event: ProgrammeEvent) -> Confirm:
    slug, pk, title = request.tenant.slug, event.pk, event.title
    detail = reverse("governance:event_detail", args=[slug, pk])
    return Confirm(
        title=said(_("Archive %(title)s"), title=title),
        heading=said(_("Archive the event %(title)s?"), title=title),
        back_url=detail,
        back_label=said(_("Back to the event")),
        action=reverse("governance:event_archive", args=[slug, pk]),
        form_id="event-archive-form",
        text=said(
            _(
                "An archived event is hidden from lists, calendars and the dashboard but kept "
                "for the record. You can restore it at any time."
            )
        ),
        button=said(_("Archive")),
        button_more=title,
        cancel_url=detail,
    )


def event_cancel(request: TenantRequest, event: ProgrammeEvent) -> Confirm:
    slug, pk, title = request.tenant.slug, event.pk, event.display_title
    detail = reverse("governance:event_detail", args=[slug, pk])
    return Confirm(
        title=said(_("Cancel %(title)s"), title=title),
        heading=said(_("Cancel %(title)s?"), title=title),
        back_url=detail,
        back_label=said(_("Back to the event")),
        action=reverse("governance:event_cancel", args=[slug, pk]),
        stacked=True,
        form_id="event-cancel-form",
        text=said(
            _("The event stays in the list and in calendars, marked as cancelled with your reason.")
        ),
        text_first=True,
        button=said(_("Cancel the event")),
        autofocus=False,
        cancel_url=detail,
        cancel_label=said(_("Keep the event")),
    )


def meeting_cancel(request: TenantRequest, meeting: Meeting) -> Confirm:
    pk, title = meeting.pk, meeting.display_title
    question = said(_("Cancel %(title)s?"), title=title)
    detail = _meeting_url(request, meeting)
    return Confirm(
        title=said(_("Cancel %(title)s"), title=title),
        heading=question,
        back_url=detail,
        back_label=said(_("Back to the meeting")),
        action=reverse("governance:meeting_cancel", args=[request.tenant.slug, pk]),
        stacked=True,
        text=said(_("The meeting stays in the list, marked as cancelled with your reason.")),
        text_first=True,
        button=said(_("Cancel the meeting")),
        autofocus=False,
        cancel_url=detail,
        cancel_label=said(_("Keep the meeting")),
        target="meeting-header",
        form_title=question,
        form_title_id=f"meeting-{pk}-cancel-title",
        level=1,
        cancel_get=f"{detail}?part=header",
        wrap="div",
        wrap_class="meeting-header row-form",
    )


def risk_archive(request: TenantRequest, risk: Risk) -> Confirm:
    slug, pk, title = request.tenant.slug, risk.pk, risk.title
    question = said(_("Archive the risk %(title)s?"), title=title)
    return Confirm(
        title=said(_("Archive %(title)s"), title=title),
        heading=question,
        action=reverse("governance:risk_archive", args=[slug, pk]),
        text=said(
            _(
                "An archived risk leaves the register and the matrix but is kept, with its "
                "review history, for the record. You can restore it at any time. To record "
                "that a risk no longer applies, add a review with the status Closed instead."
            )
        ),
        button=said(_("Archive")),
        button_more=title,
        cancel_url=reverse("governance:risk_detail", args=[slug, pk]),
        target=f"risk-{pk}",
        form_title=question,
        form_title_id=f"risk-{pk}-archive-title",
        cancel_get=reverse("governance:risk_list", args=[slug]) + f"?row={pk}",
        row="tr",
        row_class="row-form",
        colspan=11,
    )


def _import_file(
    request: TenantRequest,
    imported: ImportedFile,
    *,
    verb: str,
    title: str,
    heading: str,
    text: str,
    button: str,
) -> Confirm:
    slug, pk, name = request.tenant.slug, imported.pk, imported.original_name
    detail = reverse("governance:import_file", args=[slug, pk])
    return Confirm(
        title=said(title, name=name),
        heading=said(heading, name=name),
        back_url=detail,
        back_label=said(_("Back to %(name)s"), name=name),
        action=reverse(f"governance:import_file_{verb}", args=[slug, pk]),
        form_id=f"import-{verb}-form",
        text=said(text),
        button=said(button),
        button_more=name,
        autofocus=False,
        cancel_url=detail,
    )


def import_file_skip(request: TenantRequest, imported: ImportedFile) -> Confirm:
    return _import_file(
        request,
        imported,
        verb="skip",
        title=_("Leave %(name)s out"),
        heading=_("Leave %(name)s out of the import?"),
        text=_(
            "Nothing of the file is written to the programme. The file is kept with the upload."
        ),
        button=_("Leave out"),
    )


def import_file_undo(request: TenantRequest, imported: ImportedFile) -> Confirm:
    return _import_file(
        request,
        imported,
        verb="undo",
        title=_("Undo the import of %(name)s"),
        heading=_("Undo the import of %(name)s?"),
        text=_(
            "The imported meeting, its assignments and risks, its source document, and "
            "the people and body the import created are archived, not deleted. This is "
            "possible only while nobody has changed any of it."
        ),
        button=_("Undo the import"),
    )
