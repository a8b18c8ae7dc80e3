"""The meetings pages: the list, planning, and the one meeting page where
process leaders log attendance, agenda, minutes, decisions and assignments.

Everything works without JavaScript (links, forms, redirects). With htmx the
inline forms swap into the page and a save answers with the changed part (a
row, an agenda item, the attendance) plus an `HX-Trigger` event: the form
targets itself, so a refusal replaces the form, and a success is retargeted
(`HX-Retarget`) to the part it changed.

Who sees what: process leaders see and edit everything while the minutes are
not approved; steering members, researchers and administrators read finished
and approved minutes; principal reporters reach only meetings whose minutes
have been approved. While approved minutes are being revised, those who may
not read drafts see the latest approved version.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance.access import get_meeting_for
from governance.forms.meetings import (
    BodyFilterForm,
    MeetingCancelForm,
    MeetingCreateForm,
    MeetingEditForm,
    MinutesReviseForm,
    PlanNextForm,
)
from governance.models import AgendaItemKind
from governance.selectors import meetings as selectors
from governance.selectors import secrecy
from governance.selectors.events import upcoming_events
from governance.services import ConflictError, DomainError
from governance.services import meetings as services
from governance.services import minutes as minutes_services
from governance.services import secrecy as secrecy_services
from governance.views import confirms
from governance.views.meeting_common import (
    DETAIL,
    base_url,
    detail_url,
    header_context,
    log_secret_reads,
    page_context,
    refuse_if_locked,
    refused,
)
from governance.views.meeting_items import (
    action_add,
    agenda_item_add,
    agenda_item_archive,
    agenda_item_edit,
    agenda_item_move,
    attendance_add,
    attendance_mark,
    attendance_mark_others,
    attendance_remove,
    attendance_set,
    decision_add,
    decision_edit,
    followup_list,
    followup_status,
    report_present,
)
from portal.confirm import render_confirm
from portal.htmx import (
    asked_row,
    form_data,
    render_changed,
    render_page,
    require_GET_or_POST,
    show_refusal,
    to_page,
    with_version,
)
from portal.permissions import can
from portal.tenancy import TenantRequest, require

# Meetings -----------------------------------------------------------------------


# Upcoming programme events shown on the meeting list.
EVENTS_SHOWN = 5


@require_GET
def meeting_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "governance.view_approved_minutes")
    form = BodyFilterForm(request.GET or None, tenant=request.tenant)
    body = form.cleaned_data["body"] if form.is_valid() else None
    listing = selectors.meeting_list(
        tenant=request.tenant,
        body=body,
        approved_only=not can(request.membership, "governance.view_finished"),
    )
    context = {
        "form": form,
        "listing": listing,
        "body": body,
        # The programme's own workshops and webinars are no body's: shown
        # beside the meetings unless the list is narrowed to one body.
        "events": [] if body else upcoming_events(tenant=request.tenant, limit=EVENTS_SHOWN),
    }
    return render_page(request, "governance/meeting_list.html", context, partial="listing")


@require_GET_or_POST
def meeting_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "governance.edit")
    form = MeetingCreateForm(form_data(request), tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                body=data["body"],
                joint_bodies=data["joint_bodies"],
                kind=data["kind"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                all_day=data["all_day"],
                place=data["place"],
                online_link=data["online_link"],
                record_type=data["record_type"],
                note_taker=data["note_taker"],
                adjusters=data["adjusters"],
                agenda=[(title, AgendaItemKind.INFORMATION) for title in data["agenda"]],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Planned the meeting %(title)s.") % {"title": meeting})
            return to_page(request, detail_url(meeting))
    return render_page(request, "governance/meeting_create.html", {"form": form}, partial="form")


@require_GET
def meeting_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk)
    context = page_context(request, meeting)
    if (row := asked_row(request)) is not None:
        return _asked_part(request, context, row)
    log_secret_reads(request, context)
    return render_page(request, DETAIL, context, partial="page", parts=PAGE_PARTS)


# What a "Cancel" asks back from the meeting page: a part of the page
# (`?part=header`), or a part of one agenda item, decision or attendance row
# (`?part=decision_row&row=<pk>`), as the page shows it.
PAGE_PARTS = ["header", "agenda_item_add_link", "attendance_add_link", "minutes_revise_slot"]
ITEM_PARTS = ["agenda_item", "decision_add_link", "action_add_link", "report_present_link"]


def _asked_part(request: TenantRequest, context: dict[str, Any], pk: int) -> HttpResponse:
    part = request.GET.get("part", "")
    items = context["agenda"]
    found: dict[str, Any] | None = None
    if part in ITEM_PARTS:
        found = next(({"item": i} for i in items if i.pk == pk), None)
    elif part == "decision_row":
        found = next(
            ({"item": i, "decision": d} for i in items for d in i.decisions.all() if d.pk == pk),
            None,
        )
    elif part == "attendance_row":
        rows = (r for group in context["attendance"].groups for r in group.rows)
        found = next(({"row": r} for r in rows if r.pk == pk), None)
    if found is None:
        raise Http404
    return render(request, f"{DETAIL}#{part}", {**context, **found})


@require_GET_or_POST
def meeting_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The meeting's facts and its justerare, under the meeting's optimistic lock."""
    meeting = get_meeting_for(request, pk, write=True)
    # A revision's facts, if any, are what its editors change.
    form = MeetingEditForm(
        form_data(request), tenant=request.tenant, meeting=meeting.with_revision_facts()
    )
    if request.method == "GET":
        refuse_if_locked(form, meeting)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.meeting_update(
                actor=request.user, meeting=meeting, expected_version=version, **data
            )
        except ConflictError as error:
            form = MeetingEditForm(
                with_version(request.POST, error.version),
                tenant=request.tenant,
                meeting=meeting.with_revision_facts(),
            )
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else changed this meeting while you were editing. Your changes "
                    "are kept below: check them against the meeting page and save again."
                ),
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                return render_changed(
                    request,
                    f"{DETAIL}#header",
                    header_context(request, meeting),
                    event="meetingChanged",
                    obj=meeting,
                    action="update",
                )
            messages.success(request, _("Saved the meeting."))
            return redirect(detail_url(meeting))
    context = {"form": form, "meeting": meeting}
    return render_page(request, "governance/meeting_edit.html", context, partial="form")


@require_GET_or_POST
def meeting_cancel(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, write=True)
    form = MeetingCancelForm(form_data(request), tenant=request.tenant, key=f"cancel-{pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user,
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                base_url=base_url(request),
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="reason")
        else:
            if request.htmx:
                return render_changed(
                    request,
                    f"{DETAIL}#header",
                    header_context(request, meeting),
                    event="meetingChanged",
                    obj=meeting,
                    action="cancel",
                )
            messages.success(request, _("The meeting is cancelled."))
            return redirect(detail_url(meeting))
    return render_confirm(request, confirms.meeting_cancel(request, meeting), form)


def one_month_later(value: datetime.datetime) -> datetime.datetime:
    """The same local time a month later (the 31st becomes the month's last day).
    A time stored in Python's last month (before dates were checked) stays."""
    local = timezone.localtime(value)
    year, month = local.year + local.month // 12, local.month % 12 + 1
    if year > datetime.MAXYEAR:
        return value
    day = min(local.day, calendar.monthrange(year, month)[1])
    return timezone.make_aware(local.replace(tzinfo=None, year=year, month=month, day=day))


@require_GET_or_POST
def meeting_plan_next(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Plan the next meeting of the same body from this one, a month later by default."""
    previous = get_meeting_for(request, pk, write=True)
    initial = {
        "starts_at": one_month_later(previous.starts_at),
        "ends_at": one_month_later(previous.ends_at),
    }
    form = PlanNextForm(
        form_data(request), tenant=request.tenant, key=f"plan-next-{pk}", initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan_next(
                actor=request.user,
                previous=previous,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Planned the next meeting."))
            return to_page(request, detail_url(meeting))
    context = {"form": form, "meeting": previous}
    return render_page(request, "governance/meeting_plan_next.html", context, partial="form")


# Minutes ------------------------------------------------------------------------


@require_POST
def minutes_finish(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Finish the draft: timestamped, readable by the steering group, and the
    justerare are e-mailed."""
    meeting = get_meeting_for(request, pk, write=True)
    try:
        minutes_services.minutes_finish(
            actor=request.user,
            meeting=meeting,
            notify_base_url=f"{request.scheme}://{request.get_host()}",
        )
    except DomainError as error:
        return refused(request, meeting, error)
    messages.success(request, _("The minutes are finished and sent to the signatories."))
    return to_page(request, detail_url(meeting))


@require_GET_or_POST
def minutes_revise(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Reopen approved minutes for a change, with a reason. The approved
    version stays readable; the change is approved again as the next version."""
    meeting = get_meeting_for(request, pk, write=True)
    form = MinutesReviseForm(form_data(request), tenant=request.tenant, key=f"revise-{pk}")
    if request.method == "POST" and form.is_valid():
        try:
            minutes_services.minutes_revise(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_refusal(form, error, field="reason")
        else:
            messages.success(request, _("The minutes are open for a change."))
            return to_page(request, detail_url(meeting))
    context = {"form": form, "meeting": meeting}
    return render_page(request, "governance/minutes_revise.html", context, partial="form")


@require_GET
def meeting_versions(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk)
    context = {"meeting": meeting, "versions": selectors.minutes_versions(meeting=meeting)}
    return render_page(request, "governance/meeting_versions.html", context, partial="listing")


@require_GET
def meeting_version(request: TenantRequest, tenant_slug: str, pk: int, number: int) -> HttpResponse:
    """One approved version of the minutes, as it was frozen."""
    meeting = get_meeting_for(request, pk)
    version = selectors.minutes_version(meeting=meeting, number=number)
    if version is None:
        raise Http404
    content, read = secrecy.content_for(version.content, meeting, request.membership)
    secrecy_services.content_read(
        actor=request.user, tenant=request.tenant, secrets=read, how="minutes_version"
    )
    context = {"meeting": meeting, "version": version, "content": content}
    return render_page(request, "governance/meeting_version.html", context, partial="content")


urlpatterns: list[URLPattern] = [
    path("meetings/", meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/plan-next/", meeting_plan_next, name="meeting_plan_next"),
    path("meetings/<int:pk>/agenda/add/", agenda_item_add, name="agenda_item_add"),
    path("meetings/<int:pk>/attendance/add/", attendance_add, name="attendance_add"),
    path(
        "meetings/<int:pk>/attendance/mark-others/",
        attendance_mark_others,
        name="attendance_mark_others",
    ),
    path("meetings/<int:pk>/minutes/finish/", minutes_finish, name="minutes_finish"),
    path("meetings/<int:pk>/minutes/revise/", minutes_revise, name="minutes_revise"),
    path("meetings/<int:pk>/versions/", meeting_versions, name="meeting_versions"),
    path("meetings/<int:pk>/versions/<int:number>/", meeting_version, name="meeting_version"),
    path("meetings/agenda/<int:pk>/edit/", agenda_item_edit, name="agenda_item_edit"),
    path("meetings/agenda/<int:pk>/move/", agenda_item_move, name="agenda_item_move"),
    path("meetings/agenda/<int:pk>/archive/", agenda_item_archive, name="agenda_item_archive"),
    path("meetings/agenda/<int:pk>/decisions/add/", decision_add, name="decision_add"),
    path("meetings/agenda/<int:pk>/actions/add/", action_add, name="action_add"),
    path("meetings/agenda/<int:pk>/reports/present/", report_present, name="agenda_report_present"),
    path("meetings/agenda/<int:pk>/follow-up/", followup_list, name="followup_list"),
    path(
        "meetings/agenda/<int:pk>/follow-up/<int:action_pk>/",
        followup_status,
        name="followup_status",
    ),
    path("meetings/attendance/<int:pk>/", attendance_set, name="attendance_set"),
    path("meetings/attendance/<int:pk>/mark/", attendance_mark, name="attendance_mark"),
    path("meetings/attendance/<int:pk>/remove/", attendance_remove, name="attendance_remove"),
    path("meetings/decisions/<int:pk>/edit/", decision_edit, name="decision_edit"),
]
