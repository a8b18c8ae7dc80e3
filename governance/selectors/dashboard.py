"""What the governance app's dashboard panels read (the panels themselves are
declared in governance/dashboard.py): open risks in the matrix, open and
overdue action items, upcoming meetings and minutes awaiting approval, and
representation (attendance per principal) for the programme; a principal's
open action items and attendance record for its dashboard.

Each panel reads what the member may read on the governance pages (minutes
statuses by role, as `readable_minutes_statuses` decides) and runs a fixed
number of queries (pinned in tests/governance/dashboard_panels/).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
)
from governance.selectors.actions import open_action_rows, open_action_summary
from governance.selectors.decisions import readable_minutes_statuses
from governance.selectors.events import upcoming_events
from governance.selectors.principal_record import principal_attendance
from governance.selectors.report_back import principal_assignments, report_back_minutes_statuses
from governance.selectors.risks import risk_matrix
from governance.selectors.signing import minutes_approval, signatory_people_of
from portal.dashboards import charts
from portal.dashboards.registry import PanelRequest
from portal.models import Principal, Tenant
from portal.permissions import can

OVERDUE_SHOWN = 8
UPCOMING_SHOWN = 5
EVENTS_SHOWN = 5
REPRESENTATION_MEETINGS = 8


def _body(request: PanelRequest) -> Body | None:
    """The body filter as an unsaved reference (no query): selectors filter by id."""
    body_id = request.filters.get("body")
    return Body(pk=body_id, tenant=request.tenant) if body_id else None


def body_choices(tenant: Tenant) -> list[tuple[int, str]]:
    return list(
        Body.objects.filter(tenant=tenant, archived_at__isnull=True)
        .order_by("name")
        .values_list("pk", "name")
    )


def open_risks(request: PanelRequest) -> dict[str, Any]:
    """The matrix of open risks, of those raised at the body's meetings when
    a body is chosen. One query."""
    return {"matrix": risk_matrix(tenant=request.tenant, body_id=request.filters.get("body"))}


def open_actions(request: PanelRequest) -> dict[str, Any]:
    """How many action items are open and overdue, and the overdue ones that
    are due soonest. One query (`open_action_summary`)."""
    summary = open_action_summary(
        tenant=request.tenant,
        minutes_statuses=readable_minutes_statuses(request.membership),
        body=_body(request),
        today=request.filters.today,
        limit=OVERDUE_SHOWN,
    )
    return {
        "counts": summary.counts,
        "open": summary.counts.total,
        "overdue": summary.overdue,
    }


@dataclass(frozen=True)
class AwaitingApproval:
    meeting: Meeting
    mine: bool  # the reader is one of its justerare


def meetings_and_minutes(request: PanelRequest) -> dict[str, Any]:
    """The next planned meetings, and the finished minutes waiting to be
    approved (justeras), marking those the reader is to approve. For readers
    of finished minutes: principal reporters see approved minutes only.
    Two queries for the meetings (with their body: what a row shows, not the
    meeting page's joint bodies, people and versions), and the signatories'
    (three or four) only when the reader may sign minutes at all."""
    meetings = Meeting.objects.filter(tenant=request.tenant, archived_at__isnull=True)
    body_id = request.filters.get("body")
    if body_id:
        meetings = meetings.filter(Q(body_id=body_id) | Q(joint_bodies=body_id)).distinct()
    meetings = meetings.select_related("body").order_by("starts_at", "pk")
    now = timezone.now()
    # Still upcoming while it is under way.
    upcoming = list(
        meetings.filter(status=MeetingStatus.PLANNED, ends_at__gte=now)[:UPCOMING_SHOWN]
    )
    finished = list(meetings.filter(minutes_status=MinutesStatus.FINISHED))
    # Who signs is the one rule of governance.selectors.signing. A reader
    # whose role does not sign, or who is no person of the directory, signs
    # none of them: the rule's cheap facts first, then the signatories of
    # every finished meeting at once.
    signs = bool(finished) and _may_sign_any(finished[0], request)
    signatories = signatory_people_of(finished) if signs else {}

    def mine(meeting: Meeting) -> bool:
        approval = minutes_approval(
            meeting, request.membership, signatories=signatories[meeting.pk]
        )
        return approval.asked_to_sign

    awaiting = [AwaitingApproval(meeting=m, mine=signs and mine(m)) for m in finished]
    return {"upcoming": upcoming, "awaiting": awaiting}


def _may_sign_any(meeting: Meeting, request: PanelRequest) -> bool:
    """Whether the reader could be asked to sign any of the programme's
    minutes: a role that signs and a person (as `MinutesApproval` asks them,
    which is the same for every meeting of the programme)."""
    approval = minutes_approval(meeting, request.membership, signatories=[])
    return approval.role and approval.person is not None


def programme_events(request: PanelRequest) -> dict[str, Any]:
    """The next planned workshops, webinars and information meetings of the
    programme, for every member (they are not a body's). One query."""
    return {"events": upcoming_events(tenant=request.tenant, limit=EVENTS_SHOWN)}


@dataclass(frozen=True)
class RepresentationRow:
    principal: Principal
    attended: tuple[bool, ...]  # per meeting, newest first

    @property
    def count(self) -> int:
        return sum(self.attended)


def representation(request: PanelRequest) -> dict[str, Any]:
    """Attendance per principal over the last held meetings of the period
    (whose minutes the reader may read): was the principal represented,
    by a member or a substitute? Three queries."""
    tenant, filters = request.tenant, request.filters
    since = timezone.make_aware(datetime.datetime.combine(filters.since, datetime.time.min))
    statuses = readable_minutes_statuses(request.membership)
    meetings_qs = Meeting.objects.filter(
        tenant=tenant, archived_at__isnull=True, status=MeetingStatus.HELD, starts_at__gte=since
    )
    if statuses is not None:
        meetings_qs = meetings_qs.filter(
            Q(minutes_status__in=statuses) | Q(pk__in=MinutesVersion.objects.values("meeting"))
        )
    body_id = filters.get("body")
    if body_id:
        meetings_qs = meetings_qs.filter(Q(body_id=body_id) | Q(joint_bodies=body_id)).distinct()
    meetings = list(
        meetings_qs.select_related("body").order_by("-starts_at", "-pk")[:REPRESENTATION_MEETINGS]
    )
    present: set[tuple[int, int]] = set()
    for meeting_id, represents, own in Attendance.objects.filter(
        meeting__in=[m.pk for m in meetings],
        status__in=(AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE),
    ).values_list("meeting_id", "represents_principal_id", "person__principal_id"):
        principal_id = represents or own
        if principal_id:
            present.add((meeting_id, principal_id))
    rows = [
        RepresentationRow(
            principal=principal,
            attended=tuple((m.pk, principal.pk) in present for m in meetings),
        )
        for principal in Principal.objects.filter(tenant=tenant, archived_at__isnull=True).order_by(
            "name"
        )
    ]
    chart = charts.bar_chart(
        title=gettext("Represented at the last meetings"),
        description=ngettext(
            "The share of the last %(count)s held meeting each principal attended.",
            "The share of the last %(count)s held meetings each principal attended.",
            len(meetings),
        )
        % {"count": len(meetings)},
        bars=[
            charts.Bar(
                label=row.principal.name,
                value=charts.share(row.count, len(meetings)),
                text=f"{row.count}/{len(meetings)}",
            )
            for row in rows
        ]
        if meetings
        else [],
        value_heading=gettext("Meetings attended"),
    )
    return {"meetings": meetings, "rows": rows, "chart": chart}


def principal_open_actions(request: PanelRequest) -> dict[str, Any]:
    """The principal's open action items: owned by it or one of its people.
    One query (`open_action_rows`)."""
    return {
        "actions": open_action_rows(
            tenant=request.tenant,
            minutes_statuses=readable_minutes_statuses(request.membership),
            principal=request.principal,
            body=_body(request),
            today=request.filters.today,
        )
    }


def principal_report_back(request: PanelRequest) -> dict[str, Any]:
    """The assignments the principal is asked to answer (its own, its
    people's and "alla organisationer"), with its answers; never those of
    draft minutes for anyone but process leaders. Four queries."""
    assert request.principal is not None
    return {
        "assignments": principal_assignments(
            tenant=request.tenant,
            principal=request.principal,
            minutes_statuses=report_back_minutes_statuses(request.membership),
            today=request.filters.today,
        ),
        "may_answer": can(request.membership, "governance.answer_action", request.principal),
    }


def principal_attendance_record(request: PanelRequest) -> dict[str, Any]:
    """The principal's attendance at the held meetings of the period. Two queries."""
    assert request.principal is not None
    since = timezone.make_aware(datetime.datetime.combine(request.filters.since, datetime.time.min))
    record = principal_attendance(
        request.principal,
        since=since,
        minutes_statuses=readable_minutes_statuses(request.membership),
        body_id=request.filters.get("body"),
    )
    return {**record, "months": request.filters.months}
