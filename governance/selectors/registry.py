"""What the registrar's page (registrering) shows of a meeting: its
decisions, documents and agenda items as the minutes last approved them
(a revision's drafts follow their approved rows), without those taken off
the meeting. Three queries, however many rows."""

from __future__ import annotations

from dataclasses import dataclass

from governance.models import AgendaItem, Decision, Meeting, MeetingDocument


@dataclass(frozen=True)
class RegistryRows:
    decisions: list[Decision]
    documents: list[MeetingDocument]
    items: list[AgendaItem]


def registry_rows(meeting: Meeting) -> RegistryRows:
    decisions = (
        Decision.objects.filter(meeting=meeting)
        .select_related("body")
        .order_by("body__code", "year", "number", "id")
    )
    documents = (
        MeetingDocument.objects.filter(meeting=meeting, archived_at__isnull=True)
        .select_related("agenda_item")
        .order_by("created_at", "id")
    )
    items = AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True).order_by(
        "position", "id"
    )
    return RegistryRows(decisions=list(decisions), documents=list(documents), items=list(items))
