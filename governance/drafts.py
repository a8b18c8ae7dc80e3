"""Governance's drafts for `portal.drafts`: the rows of minutes not yet
approved (or of a revision of approved ones), a draft status report and a
meeting document not yet shared."""

from __future__ import annotations

from typing import Any

from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingDocument,
    MinutesStatus,
    ReportStatus,
    StatusReport,
)
from portal import drafts


def _meeting_draft(meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.minutes_status != MinutesStatus.APPROVED


def _row_draft(row: Any) -> bool:
    if getattr(row, "revision_draft", False):
        return True
    meeting = getattr(row, "meeting", None)
    item = getattr(row, "agenda_item", None)
    if meeting is None and item is not None:
        meeting = item.meeting
    return _meeting_draft(meeting)


def register() -> None:
    drafts.register(Meeting, lambda meeting: _meeting_draft(meeting) or meeting.revising)
    for model in (AgendaItem, Attendance, Decision, ActionItem):
        drafts.register(model, _row_draft)
    drafts.register(StatusReport, lambda report: report.status == ReportStatus.DRAFT)
    drafts.register(MeetingDocument, lambda document: not document.is_shared)
