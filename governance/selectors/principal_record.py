"""What a principal's record shows of its meetings: where it was represented
and by whom. Read by the principal snapshot PDF (governance/documents.py) and
the principal dashboard's attendance panel (selectors/dashboard.py)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from governance.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
)
from portal.models import Principal

# Drafts are not part of the snapshot: it is read by every role that reads
# finished minutes.
FINISHED_OR_APPROVED = (MinutesStatus.FINISHED, MinutesStatus.APPROVED)
ATTENDANCE_MONTHS = 12


@dataclasses.dataclass(frozen=True)
class MeetingAttendance:
    meeting: Meeting
    present: list[Attendance]
    absent: list[Attendance]

    @property
    def represented(self) -> bool:
        return bool(self.present)


def principal_attendance(
    principal: Principal,
    *,
    since: datetime.datetime | None = None,
    minutes_statuses: tuple[str, ...] | None = FINISHED_OR_APPROVED,
    body_id: int | None = None,
) -> dict[str, Any]:
    """The held meetings since `since` (by default the last twelve months)
    whose minutes the reader may read (by default finished or approved; None:
    all), of one body if given, with who attended for the principal (present
    or as a substitute) and who was absent. Two queries."""
    if since is None:
        since = timezone.now() - datetime.timedelta(days=ATTENDANCE_MONTHS * 31)
    meetings_qs = Meeting.objects.filter(
        tenant_id=principal.tenant_id,
        archived_at__isnull=True,
        status=MeetingStatus.HELD,
        starts_at__gte=since,
    )
    if minutes_statuses is not None:
        meetings_qs = meetings_qs.filter(
            Q(minutes_status__in=minutes_statuses)
            | Q(pk__in=MinutesVersion.objects.values("meeting"))
        )
    if body_id is not None:
        meetings_qs = meetings_qs.filter(Q(body_id=body_id) | Q(joint_bodies=body_id)).distinct()
    meetings = list(meetings_qs.select_related("body").order_by("-starts_at", "-id"))
    rows = (
        Attendance.objects.filter(meeting__in=meetings)
        .filter(
            Q(represents_principal=principal)
            | Q(represents_principal__isnull=True, person__principal=principal)
        )
        .select_related("person")
        .order_by("person__name", "id")
    )
    by_meeting: dict[int, list[Attendance]] = {}
    for row in rows:
        by_meeting.setdefault(row.meeting_id, []).append(row)
    attended = (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)
    record = [
        MeetingAttendance(
            meeting=meeting,
            present=[r for r in by_meeting.get(meeting.pk, []) if r.status in attended],
            absent=[
                r for r in by_meeting.get(meeting.pk, []) if r.status == AttendanceStatus.ABSENT
            ],
        )
        for meeting in meetings
    ]
    return {
        "meetings": record,
        "represented_count": sum(1 for m in record if m.represented),
        "months": ATTENDANCE_MONTHS,
    }
