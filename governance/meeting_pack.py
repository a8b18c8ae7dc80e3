"""The meeting pack, "Möteshandlingar (PDF)": the meeting's agenda and every
shared PDF document merged into one file, with a bookmark for the agenda,
for each agenda item and for each document. A document kind of the portal's
document registry (`portal.documents.registry`) with a `build` hook, so it is made by
the same Celery job, status panel and permission-checked download as the
other PDFs.

The pack holds shared documents only (what the programme's members receive),
so it is for everyone who may read the meeting, like the minutes. A secret
document (sekretess), or one under a secret agenda item, is named
"Sekretessbelagd handling" with its provision and its file is left out. A document
that is not a PDF, or a PDF that cannot be read (damaged, or locked with a
password), is named on the agenda page with a note that it is in the portal.

When the notice (kallelse) exists it goes first, before the agenda.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from governance import documents as governance_documents
from governance.models import AgendaItem, Meeting, MeetingDocumentFile
from governance.selectors.meeting_documents import PackEntry, pack_entries
from portal.documents import registry as documents

logger = logging.getLogger(__name__)

KEY = "meeting_pack"
TEMPLATE = "governance/pdf/meeting_pack.html"


def _filename(meeting: Meeting) -> str:
    day = timezone.localdate(meeting.starts_at).isoformat()
    return f"moteshandlingar-{slugify(meeting.body.code)}-{day}.pdf"


def _url(meeting: Meeting) -> str:
    url = reverse("governance:meeting_detail", args=[meeting.tenant.slug, meeting.pk])
    return f"{url}#documents"


# Reading the documents --------------------------------------------------------------


def readable_pdf(file: MeetingDocumentFile) -> bytes | None:
    """The file as a PDF pypdf has read through and written again (so a
    damaged file fails here, not halfway into the pack), or None."""
    try:
        with file.file.open("rb") as handle:
            data = handle.read()
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        copy = PdfWriter(clone_from=reader)
        out = io.BytesIO()
        copy.write(out)
        return out.getvalue()
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        # A user's file can be broken in many ways; it is left out of the
        # pack and named on its agenda page instead.
        logger.info("Meeting pack: left out document file %s", file.pk, exc_info=True)
        return None


@dataclass(frozen=True)
class PackDocument:
    entry: PackEntry
    pdf: bytes | None  # None: not in the file (not a PDF, or unreadable)

    @property
    def included(self) -> bool:
        return self.pdf is not None

    @property
    def secret(self) -> bool:
        """Under secrecy: named "Sekretessbelagd handling", its file left out."""
        return self.entry.document.is_secret

    @property
    def provision(self) -> str:
        return self.entry.document.secrecy_provision


def _pack_documents(meeting: Meeting) -> tuple[list[AgendaItem], list[PackDocument]]:
    agenda, entries = pack_entries(meeting=meeting)
    return agenda, [
        PackDocument(
            entry,
            readable_pdf(entry.file)
            if entry.file.is_pdf and not entry.document.is_secret
            else None,
        )
        for entry in entries
    ]


def _context(agenda: list[AgendaItem], packed: list[PackDocument]) -> dict[str, Any]:
    by_item: dict[int, list[PackDocument]] = {}
    meeting_level: list[PackDocument] = []
    for document in packed:
        if document.entry.item is None:
            meeting_level.append(document)
        else:
            by_item.setdefault(document.entry.item.pk, []).append(document)
    return {
        "agenda": [(item, by_item.get(item.pk, [])) for item in agenda],
        "meeting_documents": meeting_level,
        "left_out": [d for d in packed if not d.included and not d.secret],
        "withheld": [d for d in packed if d.secret],
    }


def pack_context(meeting: Meeting) -> dict[str, Any]:
    """The agenda page's context: the meeting, its agenda with each item's
    documents, the documents to the whole meeting, and those not in the file."""
    return {"meeting": meeting, **_context(*_pack_documents(meeting))}


# Building the pack --------------------------------------------------------------------


def build(meeting: Meeting) -> tuple[bytes, str]:
    """The pack's bytes and file name (the job calls this in Swedish)."""
    from portal.documents.pdf import html_to_pdf  # WeasyPrint is slow to import: workers only

    agenda, packed = _pack_documents(meeting)
    html = render_to_string(
        TEMPLATE,
        {
            "tenant": meeting.tenant,
            "document_kind": MEETING_PACK,
            "document_title": meeting.display_title,
            "generated_at": timezone.localtime(),
            "meeting": meeting,
            **_context(agenda, packed),
        },
    )
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(html_to_pdf(html))), import_outline=False)
    writer.add_outline_item(title=gettext("Agenda"), page_number=0)
    parents: dict[int, Any] = {}
    for document in packed:
        if document.pdf is None:
            continue
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(document.pdf)), import_outline=False)
        item = document.entry.item
        key = item.pk if item is not None else 0
        if key not in parents:
            heading = (
                f"{item.position}. {item.title}"
                if item is not None
                else gettext("For the whole meeting")
            )
            parents[key] = writer.add_outline_item(title=heading, page_number=start)
        writer.add_outline_item(
            title=document.entry.document.title, page_number=start, parent=parents[key]
        )
    writer.page_mode = "/UseOutlines"
    writer.add_metadata(
        {
            "/Title": f"{gettext('Meeting documents')}: {meeting.display_title}",
            "/Author": meeting.tenant.name,
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), _filename(meeting)


MEETING_PACK = documents.PdfDocument(
    key=KEY,
    label=_("Meeting documents"),
    model=Meeting,
    rule="governance.view_approved_minutes",
    # Who may have it: whoever may read the meeting's minutes (the meeting page's rule).
    check=governance_documents.may_read_minutes,
    load=governance_documents.load_meeting,
    template=TEMPLATE,
    context=pack_context,
    filename=_filename,
    title=lambda meeting: meeting.display_title,
    url=_url,
    build=build,
)
