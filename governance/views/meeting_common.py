"""What the meetings pages share: the meeting page's context, and the
answers to a change — a fragment of the meeting page for htmx, else a
redirect with a message. Who may open or change a meeting, and what of its
minutes they see, is `governance.access`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.access import may_edit_minutes, minutes_mode
from governance.models import AgendaItem, Attendance, Meeting, MeetingStatus, MinutesStatus
from governance.selectors import meetings as selectors
from governance.selectors import secrecy
from governance.selectors.meeting_documents import documents_for
from governance.selectors.notices import notice_overview, own_reply
from governance.selectors.signing import minutes_approval, open_comments, signing_state
from governance.services import LockedError
from governance.services import meetings as services
from governance.services import notices as notice_services
from governance.services import secrecy as secrecy_services
from portal import htmx
from portal.htmx import render_changed, show_refusal, swap_to
from portal.permissions import can
from portal.selectors import person_for
from portal.services import DomainError
from portal.tenancy import TenantRequest

DETAIL = "governance/meeting_detail.html"

# Context and answers ------------------------------------------------------------


def signing_context(request: TenantRequest, meeting: Meeting) -> dict[str, Any]:
    """Who signs finished minutes and who has; the open comments of the
    signatories who returned them (for the minutes' editors and readers of
    finished minutes); whether this user may sign now."""
    membership = request.membership
    state = None
    me = None
    if meeting.minutes_status == MinutesStatus.FINISHED and can(
        membership, "governance.view_finished"
    ):
        state = signing_state(meeting)
        me = state.for_person(person_for(membership))
    comments = open_comments(meeting) if can(membership, "governance.view_finished") else []
    return {
        "signing": state,
        "my_signatory": me,
        # The sign button: whoever `minutes_approval` lets sign, until they have.
        "may_approve": bool(
            state is not None
            and me is not None
            and not me.signed
            and minutes_approval(meeting, membership, state=state).allowed
        ),
        "comments": comments,
        "general_comments": [c for c in comments if c.agenda_item_id is None],
    }


def reader_flags(request: TenantRequest) -> dict[str, bool]:
    """What the agenda items may link to: the risk register and status reports
    are not for principal reporters, and draft reports only for process leaders."""
    return {
        "may_read_registers": can(request.membership, "governance.view_finished"),
        "may_view_drafts": can(request.membership, "governance.view_drafts"),
    }


def refuse_if_locked(form: forms.BaseForm, meeting: Meeting) -> None:
    """Say at once, on a form page, that approved minutes cannot be changed
    (the service would refuse the save anyway)."""
    if not meeting.is_locked:
        return
    try:
        services.ensure_editable(meeting)
    except LockedError as error:
        if not form.is_bound:
            # An unbound form validates to no errors and no data; give it an
            # empty result so the refusal can be added like any other.
            assert not form.errors
            form.cleaned_data = {}
        show_refusal(form, error)


def base_url(request: HttpRequest) -> str:
    """The scheme and host for links in mails that tasks send: the configured
    `PORTAL_BASE_URL`, else the address the request came to."""
    return settings.PORTAL_BASE_URL.rstrip("/") or f"{request.scheme}://{request.get_host()}"


def detail_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("governance:meeting_detail", args=[meeting.tenant.slug, meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def page_context(request: TenantRequest, meeting: Meeting) -> dict[str, Any]:
    minutes = minutes_mode(request, meeting)
    if minutes == "live":
        meeting = meeting.with_revision_facts()  # a revision's editors see its facts
    page = selectors.meeting_page(meeting=meeting, minutes=minutes)
    latest_content: dict[str, Any] = {}
    if minutes == "version" and page.latest_version is not None:
        latest_content, _read = secrecy.content_for(
            page.version_content, meeting, request.membership
        )
    return {
        "meeting": meeting,
        "minutes": minutes,
        "agenda": page.agenda,
        "agenda_count": len(page.agenda),
        "attendance": page.attendance,
        "versions": page.versions,
        "latest_version": page.latest_version,
        # The approved version's content as the reader may read it (secrecy).
        "latest_content": latest_content,
        "editable": may_edit_minutes(request, meeting),
        "may_edit": can(request.membership, "governance.edit"),
        "documents": documents_for(meeting=meeting, membership=request.membership),
        **notice_context(request, meeting),
        **signing_context(request, meeting),
        **reader_flags(request),
    }


def log_secret_reads(request: TenantRequest, context: dict[str, Any]) -> int:
    """Log each secret agenda item and document the meeting page showed in
    full to this reader (`governance.read_secret`): one event per read."""
    items = [item for item in context.get("agenda") or [] if item.secret]
    shown = context["documents"].all if context.get("documents") is not None else []
    documents = [document for document in shown if document.is_secret]
    if not items and not documents:
        return 0
    if not secrecy.may_read_secrets(request.membership, context["meeting"]):
        return 0
    return secrecy_services.log_reads(
        actor=request.user,
        tenant=request.tenant,
        items=items,
        documents=documents,
        how="meeting_page",
    )


def notice_context(request: TenantRequest, meeting: Meeting) -> dict[str, Any]:
    """The notice section: the notices and replies for process leaders; the
    member's own answer while the planned meeting has not ended."""
    may_edit = can(request.membership, "governance.edit")
    person = person_for(request.membership)
    ahead = meeting.status == MeetingStatus.PLANNED and meeting.ends_at > timezone.now()
    if not may_edit and (person is None or not ahead):
        return {"notice": None, "reply_person": None, "my_reply": None}
    called = notice_services.invitees(meeting)
    overview = notice_overview(meeting=meeting, called=called) if may_edit else None
    answerable = person is not None and ahead and notice_services.may_reply(meeting, person, called)
    if not answerable or person is None:
        mine = None
    elif overview is not None:
        mine = next((r for r in overview.replies if r.person_id == person.pk), None)
    else:
        mine = own_reply(meeting=meeting, person=person)
    return {
        "notice": overview,
        "reply_person": person if answerable else None,
        "my_reply": mine,
    }


def header_context(request: TenantRequest, meeting: Meeting) -> dict[str, Any]:
    """The meeting's header again, after its facts changed."""
    meeting = selectors.meeting_for_page(tenant=request.tenant, pk=meeting.pk)
    meeting = meeting.with_revision_facts()
    return {
        "meeting": meeting,
        "header_changed": True,
        "versions": selectors.minutes_versions(meeting=meeting),
        "editable": may_edit_minutes(request, meeting),
        "may_edit": can(request.membership, "governance.edit"),
        **signing_context(request, meeting),
    }


def agenda_changed(
    request: TenantRequest, meeting: Meeting, obj: object, *, action: str, message: str
) -> HttpResponse:
    """The whole agenda again (an item added, moved or taken off)."""
    if request.htmx:
        agenda = selectors.agenda_list(meeting=meeting)
        kept = isinstance(obj, AgendaItem) and any(i.pk == obj.pk for i in agenda)
        context = {
            "meeting": meeting,
            "agenda": agenda,
            "agenda_count": len(agenda),
            # Focus lands on the item added or moved, or on the agenda's heading.
            "changed_item": getattr(obj, "pk", None) if kept else None,
            "focus_agenda": not kept,
            "editable": may_edit_minutes(request, meeting),
            "minutes": "live",
            "documents": documents_for(meeting=meeting, membership=request.membership),
            **reader_flags(request),
        }
        response = render_changed(
            request, f"{DETAIL}#agenda", context, event="agendaChanged", obj=obj, action=action
        )
        return swap_to(response, "#agenda")
    messages.success(request, message)
    anchor = f"agenda-item-{obj.pk}" if isinstance(obj, AgendaItem) else "agenda"
    return redirect(detail_url(meeting, anchor))


def item_changed(
    request: TenantRequest, item: AgendaItem, obj: object, *, event: str, action: str, message: str
) -> HttpResponse:
    """One agenda item again, with its minutes, decisions and assignments."""
    meeting = item.meeting
    if request.htmx:
        context = {
            "meeting": meeting,
            "item": selectors.agenda_item_with_minutes(meeting=meeting, pk=item.pk),
            "agenda_count": selectors.agenda_items(meeting=meeting, with_minutes=False).count(),
            "changed_item": item.pk,
            "editable": may_edit_minutes(request, meeting),
            "minutes": "live",
            "documents": documents_for(meeting=meeting, membership=request.membership),
            **reader_flags(request),
        }
        response = render_changed(
            request, f"{DETAIL}#agenda_item", context, event=event, obj=obj, action=action
        )
        return swap_to(response, f"#agenda-item-{item.pk}")
    messages.success(request, message)
    return redirect(detail_url(meeting, f"agenda-item-{item.pk}"))


def attendance_changed(
    request: TenantRequest, meeting: Meeting, row: Attendance, *, action: str
) -> HttpResponse:
    """The attendance again: a change can move a person to another group and
    change which principals were represented."""
    if request.htmx:
        context = {
            "meeting": meeting,
            "attendance": selectors.attendance_overview(meeting=meeting),
            "editable": may_edit_minutes(request, meeting),
            "changed_row": row.pk,
        }
        response = render_changed(
            request,
            f"{DETAIL}#attendance",
            context,
            event="attendanceChanged",
            obj=row,
            action=action,
        )
        return swap_to(response, "#attendance")
    messages.success(request, _("Saved the attendance of %(name)s.") % {"name": row.person.name})
    return redirect(detail_url(meeting, "attendance"))


def attendance_section(
    request: TenantRequest, meeting: Meeting, *, message: str, action: str
) -> HttpResponse:
    """The attendance again after a change of several rows (or of a row that
    is gone), with `message` said where focus lands."""
    if request.htmx:
        context = {
            "meeting": meeting,
            "attendance": selectors.attendance_overview(meeting=meeting),
            "editable": may_edit_minutes(request, meeting),
            "attendance_message": message,
        }
        response = render_changed(
            request,
            f"{DETAIL}#attendance",
            context,
            event="attendanceChanged",
            obj=meeting,
            action=action,
        )
        return swap_to(response, "#attendance")
    messages.success(request, message)
    return redirect(detail_url(meeting, "attendance"))


def refused(request: TenantRequest, meeting: Meeting, error: DomainError) -> HttpResponse:
    """A refused button press on the meeting page: the alert goes into the
    page's message region, and without htmx the meeting page says it."""
    return htmx.refused(request, error, url=detail_url(meeting), target="#meeting-messages")
