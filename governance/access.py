"""Who may open or change what in governance: one lookup per noun.

Every view finds the object of its URL here, never on its own:
`get_<noun>_for(request, pk)` gives the object, 404 for an id of another
programme (or one that does not exist, or that the reader may not know of),
and 403 (`PermissionDenied`) for too little role — one condition per line,
in the order the pages have always answered (a role every id needs is
checked before the lookup). `write=True` asks for the object to change.
Nouns that are only ever changed (an attendance line, a decision, …) have
no `write`: their lookup is for process leaders.

The decisions a page shows besides its object (what of the minutes a user
may read, whether the minutes can be edited) live here too; who may sign
minutes is `governance.selectors.signing.minutes_approval`, since the signing
service asks it as well.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    CalendarFeed,
    Decision,
    ImportedFile,
    Meeting,
    MeetingDocument,
    MinutesComment,
    MinutesImport,
    MinutesStatus,
    ProgrammeEvent,
    Risk,
    StatusReport,
)
from governance.selectors import imports as import_selectors
from governance.selectors import meetings as meeting_selectors
from governance.selectors.actions import action_detail, action_items
from governance.selectors.bodies import member_rows
from governance.selectors.calendar import calendar_meetings, own_feeds
from governance.selectors.decisions import readable_minutes_statuses
from governance.selectors.events import events
from governance.selectors.meeting_documents import document_queryset
from governance.selectors.report_back import (
    Assignment,
    principal_assignments,
    report_back_minutes_statuses,
)
from governance.selectors.reports import report_detail
from governance.selectors.risks import risk_detail
from governance.selectors.signing import minutes_approval
from governance.services.notices import may_reply
from portal.models import Principal
from portal.permissions import can
from portal.selectors import person_for
from portal.tenancy import TenantRequest, get_for_tenant, require

# Meetings and their minutes -----------------------------------------------------


def get_meeting_for(
    request: TenantRequest,
    pk: int,
    *,
    write: bool = False,
    sign: bool = False,
    reply: bool = False,
    calendar: bool = False,
) -> Meeting:
    """A meeting of the programme (`meeting_queryset`, or with `calendar` the
    agenda an .ics file shows).

    - to read: 403 for a principal reporter while its minutes were never approved;
    - `write`: for process leaders;
    - `sign`: for the minutes' signatories (`minutes_approval`), 403 for anyone else;
    - `reply`: for those called to it, to answer the notice, 403 for anyone else.
    """
    if write:
        require(request, "governance.edit")
        return _meeting(request, pk)
    if sign:
        require(request, "governance.approve_minutes")
        meeting = _meeting(request, pk)
        if not minutes_approval(meeting, request.membership).is_signatory:
            raise PermissionDenied
        return meeting
    if reply:
        meeting = _meeting(request, pk)
        person = person_for(request.membership)
        if person is None:
            raise PermissionDenied
        if not may_reply(meeting, person):
            raise PermissionDenied
        return meeting
    require(request, "governance.view_approved_minutes")
    if calendar:
        meeting = get_for_tenant(request, calendar_meetings(tenant=request.tenant), pk=pk)
    else:
        meeting = _meeting(request, pk)
    if not meeting_selectors.may_see_meeting(request.membership, meeting):
        raise PermissionDenied
    return meeting


def _meeting(request: TenantRequest, pk: int) -> Meeting:
    return get_for_tenant(request, meeting_selectors.meeting_queryset(tenant=request.tenant), pk=pk)


def has_version(meeting: Meeting) -> bool:
    """Whether the minutes were ever approved (annotated by the selector)."""
    return bool(getattr(meeting, "has_version", False))


def minutes_mode(request: TenantRequest, meeting: Meeting) -> str:
    """What the user may see of the minutes (see `selectors.MeetingPage`).

    A revision of approved minutes is for process leaders, and for its
    signatories once it is finished; everyone else reads the approved version."""
    membership = request.membership
    if can(membership, "governance.view_drafts"):
        return "live"
    if meeting.minutes_status == MinutesStatus.APPROVED:
        return "live"
    if meeting.revising:
        return "live" if minutes_approval(meeting, membership).asked_to_sign else "version"
    if meeting.minutes_status == MinutesStatus.FINISHED and can(
        membership, "governance.view_finished"
    ):
        return "live"
    return "version" if has_version(meeting) else "hidden"


def may_edit_minutes(request: TenantRequest, meeting: Meeting) -> bool:
    """Whether the page offers the minutes' forms: to process leaders, while
    the minutes are not locked by their approval."""
    return can(request.membership, "governance.edit") and not meeting.is_locked


def get_agenda_item_for(
    request: TenantRequest, pk: int, *, archived: bool = False, revision_drafts: bool = True
) -> AgendaItem:
    """An agenda item for a process leader to change, or to link a report or
    a risk to. A revision's drafts are what its editors change (the services
    refuse the approved rows while the minutes are being revised); without
    `revision_drafts` only the approved rows. `archived` allows items taken
    off the agenda."""
    require(request, "governance.edit")
    items = AgendaItem.all_rows.all() if revision_drafts else AgendaItem.objects.all()
    if not archived:
        items = items.filter(archived_at__isnull=True)
    return get_for_tenant(request, items.select_related("meeting", "meeting__body"), pk=pk)


def get_follow_up_for(request: TenantRequest, item: AgendaItem, pk: int) -> ActionItem:
    """An assignment followed up under `item` (from `get_agenda_item_for`):
    404 for any other."""
    return get_for_tenant(request, item.follow_up_actions.all(), pk=pk)


def get_attendance_for(request: TenantRequest, pk: int) -> Attendance:
    """An attendance line (a revision's drafts included) for a process leader to change."""
    require(request, "governance.edit")
    rows = Attendance.all_rows.select_related("meeting", "person", "represents_principal")
    return get_for_tenant(request, rows, pk=pk)


def get_decision_for(request: TenantRequest, pk: int, *, revision_drafts: bool = False) -> Decision:
    """A decision for a process leader to change: in the register (repeal),
    or with `revision_drafts` as the minutes' editors change its text."""
    require(request, "governance.edit")
    if revision_drafts:
        decisions = Decision.all_rows.select_related(
            "body", "meeting", "meeting__body", "agenda_item", "agenda_item__meeting"
        )
    else:
        decisions = Decision.objects.select_related("body", "meeting")
    return get_for_tenant(request, decisions, pk=pk)


def get_minutes_comment_for(request: TenantRequest, pk: int) -> MinutesComment:
    """A signatory's comment on the minutes, for a process leader to resolve."""
    require(request, "governance.edit")
    comments = MinutesComment.objects.select_related("meeting", "meeting__tenant")
    return get_for_tenant(request, comments, pk=pk)


def get_document_for(
    request: TenantRequest, pk: int, *, write: bool = False, secret: bool = False
) -> MeetingDocument:
    """A meeting document (not archived). To read: 404 for an unshared one to
    those who may not see drafts, then 403 when the user may not open its
    meeting (a principal reporter, before approval). `secret`: its content
    (a file), so 403 for a secret one to whoever may not read it
    (`governance.read_secret`: the members of its body, the process leaders)."""
    if write:
        require(request, "governance.edit")
        return get_for_tenant(request, document_queryset(), pk=pk)
    require(request, "governance.view_approved_minutes")
    document = get_for_tenant(request, document_queryset(), pk=pk)
    if not document.is_shared and not can(request.membership, "governance.view_drafts"):
        raise Http404
    get_meeting_for(request, document.meeting_id)
    if secret:
        require(request, "governance.read_secret", document)
    return document


# The registers ------------------------------------------------------------------


def get_action_for(request: TenantRequest, pk: int, *, write: bool = False) -> ActionItem:
    """An action item. To read: those of minutes the reader may read, for
    readers of finished records. `write`: any of the programme (archived, or
    a revision's draft of one) for process leaders."""
    if write:
        require(request, "governance.edit")
        items = action_items(
            tenant=request.tenant,
            minutes_statuses=None,
            include_archived=True,
            include_drafts=True,
        )
        return get_for_tenant(request, items, pk=pk)
    require(request, "governance.view_finished")
    statuses = readable_minutes_statuses(request.membership)
    return get_for_tenant(
        request, action_detail(tenant=request.tenant, minutes_statuses=statuses), pk=pk
    )


def get_body_for(request: TenantRequest, pk: int, *, write: bool = False) -> Body:
    """A body (archived ones too): every member reads it, process leaders change it."""
    if write:
        require(request, "governance.edit")
    else:
        require(request, "governance.view_approved_minutes")
    return get_for_tenant(request, Body, pk=pk)


def get_body_member_for(request: TenantRequest, pk: int) -> BodyMember:
    """A member's period in a body, for a process leader to end."""
    require(request, "governance.edit")
    members = BodyMember.objects.select_related(
        "body", "person", "represents_principal", "represents_body"
    )
    return get_for_tenant(request, members, pk=pk)


def get_seat_for(request: TenantRequest, body: Body, pk: int) -> BodyMember:
    """A member's period in `body`, as its row on the body's page: whoever
    reads the body (get_body_for) reads it."""
    return get_for_tenant(request, member_rows(body=body), pk=pk)


def get_event_for(request: TenantRequest, pk: int, *, write: bool = False) -> ProgrammeEvent:
    """A programme event. Every member reads it; an archived one is 404 to
    anyone but a process leader. `write`: for process leaders."""
    if write:
        require(request, "governance.edit")
        return get_for_tenant(request, events(tenant=request.tenant, include_archived=True), pk=pk)
    require(request, "governance.view_approved_minutes")
    leader = can(request.membership, "governance.edit")
    return get_for_tenant(request, events(tenant=request.tenant, include_archived=leader), pk=pk)


def get_feed_for(request: TenantRequest, pk: int) -> CalendarFeed:
    """One of the member's own calendar feeds (another's is 404, like a stranger's)."""
    require(request, "governance.view_approved_minutes")
    return get_for_tenant(request, own_feeds(tenant=request.tenant, user=request.user), pk=pk)


def get_report_for(request: TenantRequest, pk: int, *, write: bool = False) -> StatusReport:
    """A status report. To read: for readers of finished records, with
    everything its page shows; a draft is 404 to those who may not see
    drafts. `write`: any report not archived, for process leaders (a
    finished one is refused by the view and the service)."""
    if write:
        require(request, "governance.edit")
        reports = StatusReport.objects.filter(archived_at__isnull=True)
        return get_for_tenant(request, reports, pk=pk)
    require(request, "governance.view_finished")
    drafts = can(request.membership, "governance.view_drafts")
    return get_for_tenant(
        request, report_detail(tenant=request.tenant, include_drafts=drafts), pk=pk
    )


def get_risk_for(request: TenantRequest, pk: int, *, write: bool = False) -> Risk:
    """A risk (archived ones too). To read: with its review history, for
    readers of finished records. `write`: for process leaders."""
    if write:
        require(request, "governance.edit")
        return get_for_tenant(request, Risk, pk=pk)
    require(request, "governance.view_finished")
    return get_for_tenant(request, risk_detail(tenant=request.tenant), pk=pk)


# The report-back loop -----------------------------------------------------------


def get_principal_for(request: TenantRequest, pk: int, *, write: bool = False) -> Principal:
    """A principal of the programme (404 otherwise) whose assignments the
    member may see, or with `write` answer (403 otherwise: a reporter of
    another principal)."""
    principal: Principal = get_for_tenant(request, Principal, pk=pk)
    if write:
        require(request, "governance.answer_action", principal)
    else:
        require(request, "governance.view_report_back", principal)
    return principal


def get_assignment_for(request: TenantRequest, principal: Principal, pk: int) -> Assignment:
    """One of the principal's assignments as its list shows it (`principal`
    from `get_principal_for`); 404 for an assignment that does not ask it, or
    that the reader may not see."""
    assignments = principal_assignments(
        tenant=request.tenant,
        principal=principal,
        minutes_statuses=report_back_minutes_statuses(request.membership),
    )
    for assignment in assignments:
        if assignment.action.pk == pk:
            return assignment
    raise Http404


# Imports of old minutes ------------------------------------------------------------


def get_minutes_import_for(request: TenantRequest, pk: int) -> MinutesImport:
    """An upload of old minutes: for process leaders (403 for anyone else)."""
    require(request, "governance.edit")
    return get_for_tenant(request, import_selectors.imports(tenant=request.tenant), pk=pk)


def get_imported_file_for(request: TenantRequest, pk: int) -> ImportedFile:
    """One file of an upload, to review, confirm or undo: for process leaders."""
    require(request, "governance.edit")
    return get_for_tenant(request, import_selectors.imported_files(tenant=request.tenant), pk=pk)
