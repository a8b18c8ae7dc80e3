"""The parts of the meeting page that process leaders fill in inline:
agenda items and their minutes text, attendance, decisions, assignments and
the follow-up of assignments carried from earlier meetings.

The form targets itself, so a refusal replaces the form; a save is
retargeted (`HX-Retarget`) to the part of the page it changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from governance.access import (
    get_agenda_item_for,
    get_attendance_for,
    get_decision_for,
    get_follow_up_for,
    get_meeting_for,
    may_edit_minutes,
    minutes_mode,
)
from governance.forms.meetings import (
    ActionForm,
    AgendaItemAddForm,
    AgendaItemEditForm,
    AttendanceAddForm,
    AttendanceMarkForm,
    AttendanceOthersForm,
    AttendanceSetForm,
    DecisionEditForm,
    DecisionForm,
    FollowUpStatusForm,
    MoveForm,
)
from governance.forms.reports import ReportPresentForm
from governance.models import AgendaItem, AttendanceStatus
from governance.selectors import meetings as selectors
from governance.selectors import reports as report_selectors
from governance.selectors.meetings import FOLLOW_UPS_INLINE
from governance.services import ConflictError
from governance.services import decisions as decision_services
from governance.services import meetings as services
from governance.services import reports as report_services
from governance.views import confirms
from governance.views.meeting_common import (
    DETAIL,
    agenda_changed,
    attendance_changed,
    attendance_section,
    detail_url,
    item_changed,
    refuse_if_locked,
    refused,
)
from portal.confirm import render_confirm
from portal.forms import ConfirmForm
from portal.htmx import (
    form_data,
    render_changed,
    render_page,
    require_GET_or_POST,
    show_refusal,
    to_page,
    with_version,
)
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require

# Agenda -------------------------------------------------------------------------


@require_GET_or_POST
def agenda_item_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, write=True)
    form = AgendaItemAddForm(form_data(request), tenant=request.tenant, meeting=meeting)
    if request.method == "GET":
        refuse_if_locked(form, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Added the agenda item %(title)s.") % {"title": item.title}
            return agenda_changed(request, meeting, item, action="create", message=message)
    context = {"form": form, "meeting": meeting}
    return render_page(request, "governance/agenda_item_add.html", context, partial="form")


@require_GET_or_POST
def agenda_item_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """An item and its minutes text. A save based on an older version than the
    stored one is refused: the other person's text is shown, the user's own
    stays in the form, and the form now carries the newer version."""
    item = get_agenda_item_for(request, pk)
    form = AgendaItemEditForm(form_data(request), tenant=request.tenant, item=item)
    conflict: ConflictError | None = None
    if request.method == "GET":
        refuse_if_locked(form, item.meeting)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.agenda_item_update(
                actor=request.user, item=item, expected_version=version, **data
            )
        except ConflictError as error:
            conflict = error
            form = AgendaItemEditForm(
                with_version(request.POST, error.version), tenant=request.tenant, item=item
            )
            form.is_valid()  # the conflict itself is shown above the form
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return item_changed(
                request,
                item,
                item,
                event="agendaChanged",
                action="update",
                message=_("Saved the agenda item %(title)s.") % {"title": item.title},
            )
    context = {"form": form, "item": item, "meeting": item.meeting, "conflict": conflict}
    return render_page(request, "governance/agenda_item_edit.html", context, partial="form")


@require_POST
def agenda_item_move(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    item = get_agenda_item_for(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Move the item up or down."))
    step = -1 if form.cleaned_data["direction"] == "up" else 1
    try:
        services.agenda_item_move(actor=request.user, item=item, position=item.position + step)
    except DomainError as error:
        return refused(request, item.meeting, error)
    message = _("Moved the agenda item %(title)s.") % {"title": item.title}
    return agenda_changed(request, item.meeting, item, action="move", message=message)


@require_GET_or_POST
def agenda_item_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST takes the item off the agenda (it is kept)."""
    item = get_agenda_item_for(request, pk)
    form = ConfirmForm(form_data(request))
    if request.method == "GET":
        refuse_if_locked(form, item.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_archive(actor=request.user, item=item)
        except DomainError as error:
            show_refusal(form, error)
        else:
            message = _("Took %(title)s off the agenda.") % {"title": item.title}
            return agenda_changed(request, item.meeting, item, action="archive", message=message)
    return render_confirm(request, confirms.agenda_item_archive(request, item), form)


@require_GET
def followup_list(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Every assignment a follow-up item carries, with the principals'
    answers: what the meeting page sums up when they are many (loaded in its
    place by htmx, else a page of its own). For whoever reads the meeting's
    minutes as they stand (`minutes_mode`), as the page shows them."""
    row: AgendaItem = get_for_tenant(request, AgendaItem.all_rows.only("meeting_id"), pk=pk)
    meeting = get_meeting_for(request, row.meeting_id)
    if minutes_mode(request, meeting) != "live":
        raise PermissionDenied
    try:
        item = selectors.follow_up_table(meeting=meeting, pk=pk)
    except AgendaItem.DoesNotExist as error:
        raise Http404 from error
    context = {
        "meeting": meeting,
        "item": item,
        "editable": may_edit_minutes(request, meeting),
        "back": detail_url(meeting, f"agenda-item-{item.pk}"),
        # Loaded in place of the summary: the button is gone, focus moves to the table.
        "focus_table": bool(request.htmx),
    }
    return render_page(request, "governance/followup_list.html", context, partial="table")


@require_POST
def followup_status(
    request: TenantRequest, tenant_slug: str, pk: int, action_pk: int
) -> HttpResponse:
    """Mark an assignment carried into the follow-up item: done, reported back …
    The change is recorded as made at this meeting."""
    item = get_agenda_item_for(request, pk)
    action = get_follow_up_for(request, item, action_pk)
    form = FollowUpStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a status."))
    try:
        services.followup_set_status(
            actor=request.user, item=item, action=action, status=form.cleaned_data["status"]
        )
    except DomainError as error:
        return refused(request, item.meeting, error)
    if request.htmx:
        row = selectors.agenda_item_with_minutes(meeting=item.meeting, pk=item.pk)
        action = next(a for a in row.follow_up_actions.all() if a.pk == action.pk)
        context = {"item": row, "action": action, "editable": True, "saved": True}
        return render_changed(
            request,
            f"{DETAIL}#followup_row",
            context,
            event="actionChanged",
            obj=action,
            action="status",
        )
    messages.success(
        request,
        _("Saved the status of the assignment: %(status)s.")
        % {"status": action.get_status_display()},
    )
    anchor = f"followup-{item.pk}-{action.pk}"
    if item.follow_up_actions.filter(archived_at__isnull=True).count() > FOLLOW_UPS_INLINE:
        # The meeting page sums this item's follow-ups up: back to their list.
        url = reverse("governance:followup_list", args=[item.meeting.tenant.slug, item.pk])
        return redirect(f"{url}#{anchor}")
    return redirect(detail_url(item.meeting, anchor))


# Attendance ---------------------------------------------------------------------


@require_GET_or_POST
def attendance_set(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Change how one person attended: status, whom a substitute replaces,
    what they represent."""
    row = get_attendance_for(request, pk)
    meeting = row.meeting
    form = AttendanceSetForm(form_data(request), tenant=request.tenant, row=row)
    if request.method == "GET":
        refuse_if_locked(form, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.attendance_set(
                actor=request.user, meeting=meeting, person=row.person, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return attendance_changed(request, meeting, row, action="update")
    context = {"form": form, "row": row, "meeting": meeting}
    return render_page(request, "governance/attendance_set.html", context, partial="row_form")


@require_POST
def attendance_mark(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """One click on a roster row: present, or absent. Whom the row represents
    and its note are kept; a row changed since the page was loaded is refused."""
    row = get_attendance_for(request, pk)
    form = AttendanceMarkForm(request.POST, row=row)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Mark the person present or absent."))
    try:
        row = services.attendance_set(
            actor=request.user,
            meeting=row.meeting,
            person=row.person,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data.get("expected_version"),
        )
    except DomainError as error:
        return refused(request, row.meeting, error)
    return attendance_changed(request, row.meeting, row, action="update")


@require_POST
def attendance_mark_others(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """“Markera övriga som frånvarande / närvarande”: everyone on the
    pre-filled roster not yet set one by one."""
    meeting = get_meeting_for(request, pk, write=True)
    form = AttendanceOthersForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Mark the others present or absent."))
    status = form.cleaned_data["status"]
    try:
        count = services.attendance_mark_others(actor=request.user, meeting=meeting, status=status)
    except DomainError as error:
        return refused(request, meeting, error)
    if status == AttendanceStatus.ABSENT:
        message = ngettext(
            "Marked %(count)s more person absent.", "Marked %(count)s more people absent.", count
        )
    else:
        message = ngettext(
            "Marked %(count)s more person present.", "Marked %(count)s more people present.", count
        )
    return attendance_section(
        request, meeting, message=message % {"count": count}, action="mark_others"
    )


@require_GET_or_POST
def attendance_remove(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST takes a line off the attendance of
    draft minutes (a pre-filled member who was never there). Audited."""
    row = get_attendance_for(request, pk)
    meeting = row.meeting
    form = ConfirmForm(form_data(request))
    if request.method == "GET":
        refuse_if_locked(form, meeting)
    if request.method == "POST" and form.is_valid():
        name = row.person.name
        try:
            services.attendance_remove(actor=request.user, row=row)
        except DomainError as error:
            show_refusal(form, error)
        else:
            message = _("Took %(name)s off the attendance.") % {"name": name}
            return attendance_section(request, meeting, message=message, action="remove")
    return render_confirm(request, confirms.attendance_remove(request, row), form)


@require_GET_or_POST
def attendance_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Add someone from the directory, or a new guest (created in the
    directory as well), to the attendance."""
    meeting = get_meeting_for(request, pk, write=True)
    form = AttendanceAddForm(form_data(request), tenant=request.tenant, meeting=meeting)
    if request.method == "GET":
        refuse_if_locked(form, meeting)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        new_person = {name: data.pop(name) for name in ("name", "title", "organisation")}
        try:
            if person is not None:
                row = services.attendance_set(
                    actor=request.user, meeting=meeting, person=person, **data
                )
            else:
                require(request, "portal.manage_people")
                row = services.attendance_add_new_person(
                    actor=request.user, meeting=meeting, **new_person, **data
                )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return attendance_changed(request, meeting, row, action="create")
    context = {"form": form, "meeting": meeting}
    return render_page(request, "governance/attendance_add.html", context, partial="form")


# Decisions and assignments ------------------------------------------------------


@require_GET_or_POST
def decision_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """A decision under an agenda item; it gets the body's next number for the year."""
    item = get_agenda_item_for(request, pk)
    form = DecisionForm(
        form_data(request), tenant=request.tenant, key=f"decision-new-{pk}", meeting=item.meeting
    )
    if request.method == "GET":
        refuse_if_locked(form, item.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            decision = decision_services.decision_create(
                actor=request.user,
                meeting=item.meeting,
                agenda_item=item,
                text=form.cleaned_data["text"],
                body=form.cleaned_data.get("body"),
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="text")
        else:
            return item_changed(
                request,
                item,
                decision,
                event="decisionChanged",
                action="create",
                message=_("Recorded the decision %(ref)s.") % {"ref": decision.reference},
            )
    context = {"form": form, "item": item, "meeting": item.meeting}
    return render_page(request, "governance/decision_add.html", context, partial="form")


@require_GET_or_POST
def decision_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    decision = get_decision_for(request, pk, revision_drafts=True)
    form = DecisionEditForm(form_data(request), tenant=request.tenant, decision=decision)
    if request.method == "GET":
        refuse_if_locked(form, decision.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            decision_services.decision_update_text(
                actor=request.user,
                decision=decision,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["expected_version"],
                diary_number=form.cleaned_data.get("diary_number"),
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="text")
        else:
            message = _("Saved the decision %(ref)s.") % {"ref": decision.reference}
            if decision.agenda_item is None:
                return to_page(request, detail_url(decision.meeting))
            return item_changed(
                request,
                decision.agenda_item,
                decision,
                event="decisionChanged",
                action="update",
                message=message,
            )
    context = {"form": form, "decision": decision, "meeting": decision.meeting}
    return render_page(request, "governance/decision_edit.html", context, partial="form")


@require_GET_or_POST
def action_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """An assignment under an agenda item; `?decision=<id>` starts it from one
    of the item's decisions."""
    item = get_agenda_item_for(request, pk)
    initial: dict[str, Any] = {}
    if (decision_id := request.GET.get("decision", "")).isdigit():
        initial["decision"] = int(decision_id)
    form = ActionForm(form_data(request), tenant=request.tenant, item=item, initial=initial)
    if request.method == "GET":
        refuse_if_locked(form, item.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.agenda_action_create(
                actor=request.user, item=item, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return item_changed(
                request,
                item,
                action,
                event="actionChanged",
                action="create",
                message=_("Recorded the assignment."),
            )
    context = {"form": form, "item": item, "meeting": item.meeting}
    return render_page(request, "governance/action_add.html", context, partial="form")


@require_GET_or_POST
def report_present(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Under an agenda item: pick the status report presented there (one the
    process leaders already wrote), so the minutes show it in full."""
    item = get_agenda_item_for(request, pk)
    form = ReportPresentForm(
        form_data(request),
        reports=report_selectors.reports_to_present(request.tenant),
        auto_id=f"report-present-{pk}-%s",
    )
    if request.method == "GET":
        refuse_if_locked(form, item.meeting)
    if request.method == "POST" and form.is_valid():
        report = form.cleaned_data["report"]
        try:
            report_services.report_present(actor=request.user, report=report, agenda_item=item)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="report")
        else:
            return item_changed(
                request,
                item,
                report,
                event="reportChanged",
                action="update",
                message=_("The status report is shown under the item."),
            )
    context = {"form": form, "item": item, "meeting": item.meeting}
    return render_page(request, "governance/report_present.html", context, partial="form")
