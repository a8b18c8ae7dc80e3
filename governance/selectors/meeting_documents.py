"""Reads of meeting documents (handlingar): what a reader sees of one
meeting's documents, grouped as the meeting page shows them; the documents
the minutes list as attachments (bilagor); and those the meeting pack merges.

Process leaders see every document; everyone else only shared ones. Each
function loads the documents with their files in two queries, however many
there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from governance.models import (
    AgendaItem,
    Meeting,
    MeetingDocument,
    MeetingDocumentFile,
    MinutesStatus,
    minutes_rows,
)
from portal.models import Membership
from portal.permissions import can


def document_queryset(*, meeting: Meeting | None = None) -> QuerySet[MeetingDocument]:
    """Documents not archived, with their files (oldest first) and agenda item."""
    qs = (
        MeetingDocument.objects.filter(archived_at__isnull=True)
        .select_related("agenda_item", "meeting")
        .prefetch_related(
            Prefetch(
                "files",
                queryset=MeetingDocumentFile.objects.select_related("uploaded_by").order_by(
                    "number"
                ),
            )
        )
        .order_by("created_at", "id")
    )
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    return qs


def item_key(item: Any) -> int:
    """The key a document of `item` is filed under: a revision's draft of an
    item shows the documents of the approved item it is a copy of."""
    return int(getattr(item, "draft_of_id", None) or item.pk)


@dataclass(frozen=True)
class MeetingDocuments:
    """The documents of one meeting a reader may see: to the whole meeting
    (and those of items no longer on the agenda), and per agenda item."""

    meeting_level: list[MeetingDocument] = field(default_factory=list)
    by_item: dict[int, list[MeetingDocument]] = field(default_factory=dict)

    @property
    def all(self) -> list[MeetingDocument]:
        return [*self.meeting_level, *(d for docs in self.by_item.values() for d in docs)]

    @property
    def count(self) -> int:
        return len(self.all)

    @property
    def unshared(self) -> int:
        return sum(1 for d in self.all if not d.is_shared)

    def for_item(self, item: Any) -> list[MeetingDocument]:
        return self.by_item.get(item_key(item), [])


def meeting_documents(*, meeting: Meeting, include_unshared: bool) -> MeetingDocuments:
    """The meeting's documents; unshared ones only for `include_unshared`
    (the process leaders)."""
    qs = document_queryset(meeting=meeting)
    if not include_unshared:
        qs = qs.filter(shared_at__isnull=False)
    meeting_level: list[MeetingDocument] = []
    by_item: dict[int, list[MeetingDocument]] = {}
    for document in qs:
        item = document.agenda_item
        if item is None or item.archived_at is not None:
            meeting_level.append(document)
        else:
            by_item.setdefault(item.pk, []).append(document)
    return MeetingDocuments(meeting_level=meeting_level, by_item=by_item)


def documents_for(*, meeting: Meeting, membership: Membership | None) -> MeetingDocuments:
    """`meeting_documents` as the member may see them. Each document says
    whether the member may read it (`readable`): a secret one is for the
    members of the meeting's body and the process leaders
    (`governance.read_secret`); to anyone else the pages show
    "Sekretessbelagd handling" in its place."""
    documents = meeting_documents(
        meeting=meeting, include_unshared=can(membership, "governance.view_drafts")
    )
    secrets_readable: bool | None = None
    for document in documents.all:
        if not document.is_secret:
            document.readable = True  # type: ignore[attr-defined]
            continue
        if secrets_readable is None:
            secrets_readable = can(membership, "governance.read_secret", document)
        document.readable = secrets_readable  # type: ignore[attr-defined]
    return documents


def agenda_choices(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items a document can be filed under: the agenda its editors work
    on (while approved minutes are revised, the revision's)."""
    return (
        minutes_rows(AgendaItem, meeting)
        .filter(meeting=meeting, archived_at__isnull=True)
        .order_by("position", "id")
    )


def documents_content(meeting: Meeting, items: Iterable[AgendaItem]) -> list[dict[str, Any]]:
    """The minutes' attachments (bilagor), as data for `minutes_content`:
    each document's title, file and the agenda item (of `items`, the minutes'
    rows) it belongs to, and whether it is an image shown in the minutes.

    Shared documents only, but every one while the minutes are a draft (whose
    PDF is for process leaders): finishing the minutes shares them all."""
    entry_of = {item_key(item): item.pk for item in items}
    qs = document_queryset(meeting=meeting)
    if meeting.minutes_status != MinutesStatus.DRAFT:
        qs = qs.filter(shared_at__isnull=False)
    content: list[dict[str, Any]] = []
    for document in qs:
        current = document.current_file
        if current is None:
            continue
        entry = entry_of.get(document.agenda_item_id) if document.agenda_item_id else None
        content.append(
            {
                "id": document.pk,
                "title": document.title,
                "file": current.number,
                "filename": current.original_name,
                "content_type": current.content_type,
                "size": current.size,
                "agenda_item_id": entry,
                # A secret image is not shown in the minutes; they name it
                # "Sekretessbelagd handling" (`selectors.secrecy.redact_content`).
                "inline": bool(entry and document.is_inline_image and not document.is_secret),
            }
        )
    # The meeting's own documents first, then by agenda item, as the page lists them.
    position = {item.pk: item.position for item in items}
    content.sort(key=lambda d: position.get(d["agenda_item_id"], 0))
    return content


@dataclass(frozen=True)
class PackEntry:
    """A document of the meeting pack, under its heading (None: the meeting's own)."""

    document: MeetingDocument
    file: MeetingDocumentFile
    item: AgendaItem | None


def pack_entries(*, meeting: Meeting) -> tuple[list[AgendaItem], list[PackEntry]]:
    """The agenda (as approved: never a revision's drafts) and the shared
    documents in its order, for the meeting pack ("Möteshandlingar")."""
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True).order_by(
            "position", "id"
        )
    )
    items = {item.pk: item for item in agenda}
    entries: list[PackEntry] = []
    for document in document_queryset(meeting=meeting).filter(shared_at__isnull=False):
        current = document.current_file
        if current is None:
            continue
        # A secret document is named "Sekretessbelagd handling" on the agenda
        # page and its file is left out (`meeting_pack`): the pack is for
        # every reader of the meeting.
        entries.append(PackEntry(document, current, items.get(document.agenda_item_id or 0)))
    order = {item.pk: index for index, item in enumerate(agenda, start=1)}
    entries.sort(key=lambda e: order.get(e.item.pk, 0) if e.item else 0)
    return agenda, entries
