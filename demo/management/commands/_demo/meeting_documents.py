"""Meeting documents (handlingar) for the demo: the steering group's next
meeting has its documents — the process plan, and material under an agenda
item — and its last held meeting an image shown in the minutes under an
item. The files are made here (a small PDF, a PNG of the wellbeing wheel), so
the demo needs nothing from outside.

Through the services (actor=None), like the rest of seed_demo. Idempotent: a
meeting that already has documents gets none; a programme without such a
meeting is left as it is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope

from governance.models import (
    AgendaItem,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    MinutesStatus,
)
from governance.services import meeting_documents
from portal.models import Tenant


@dataclass(frozen=True)
class DocumentSpec:
    title: str
    filename: str
    pages: tuple[tuple[str, ...], ...] = ()  # a PDF: each page's lines, the first a heading
    item: str = ""  # the start of an agenda item's title; empty: the whole meeting
    image: bool = False  # a PNG of the wellbeing wheel instead of a PDF
    inline: bool = False  # shown in the minutes under its item
    shared: bool = True


@dataclass(frozen=True)
class ProgrammeDocuments:
    slug: str
    body: str  # the code of the body whose meetings get documents
    upcoming: tuple[DocumentSpec, ...]  # for its next planned meeting
    held: tuple[DocumentSpec, ...]  # for its latest meeting with finished minutes


PROCESS_PLAN = DocumentSpec(
    "Processplan 2026",
    "Processplan 2026.pdf",
    pages=(
        (
            "Processplan 2026",
            "Mål för året: modellen används i alla huvudmäns verksamheter.",
            "Kvartal 1: Barnets bästa-ansvariga utsedda och introducerade.",
            "Kvartal 2: självskattning i implementeringstrappan i alla kommuner.",
            "Kvartal 3: goda exempel samlas och sprids i nätverken.",
            "Kvartal 4: uppföljning och plan för programmets fortsättning.",
        ),
        (
            "Uppföljning",
            "Processledarna rapporterar månadsvis till styrgruppen.",
            "Följeforskningen lämnar en delrapport under hösten.",
        ),
    ),
)

PROGRAMMES = (
    ProgrammeDocuments(
        slug="sormland",
        body="SG",
        upcoming=(
            PROCESS_PLAN,
            DocumentSpec(
                "Upplägg för delrapport 4",
                "Upplagg delrapport 4.pdf",
                pages=(
                    (
                        "Följeforskning: upplägg för delrapport 4",
                        "Frågeställningar: hur har modellen förankrats i skolan?",
                        "Metod: intervjuer med Barnets bästa-ansvariga i sex kommuner.",
                        "Tidplan: datainsamling under våren, rapport i september.",
                    ),
                ),
                item="Följeforskning",
                shared=False,  # still with the process leaders: "Dela handlingarna" shows
            ),
        ),
        held=(
            DocumentSpec(
                "Välbefinnandehjulet",
                "valbefinnandehjulet.png",
                item="Mål och resultat",
                image=True,
                inline=True,
            ),
        ),
    ),
    ProgrammeDocuments(
        slug="kronoberg",
        body="SG",
        upcoming=(
            PROCESS_PLAN,
            DocumentSpec(
                "Sammanställning av självskattningarna",
                "Sammanstallning sjalvskattningar.pdf",
                pages=(
                    (
                        "Självskattningarna i implementeringstrappan",
                        "Sju av nio huvudmän har lämnat sin självskattning.",
                        "De flesta verksamheter står på trappsteg 2, förankring.",
                    ),
                ),
                item="Självskattningarna",
            ),
        ),
        held=(
            DocumentSpec(
                "Barnens bästa-hjulet",
                "barnens-basta-hjulet.png",
                item="Information från processledarna",
                image=True,
                inline=True,
            ),
        ),
    ),
)


def seed_meeting_documents() -> None:
    for spec in PROGRAMMES:
        tenant = Tenant.objects.filter(slug=spec.slug).first()
        if tenant is None:
            continue
        with scope(tenant=tenant):
            meetings = Meeting.objects.filter(
                tenant=tenant, body__code=spec.body, archived_at__isnull=True
            )
            upcoming = (
                meetings.filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
                .order_by("starts_at")
                .first()
            )
            held = (
                meetings.filter(minutes_status=MinutesStatus.FINISHED)
                .order_by("-starts_at")
                .first()
            )
            for meeting, documents in ((upcoming, spec.upcoming), (held, spec.held)):
                if meeting is not None:
                    _seed(meeting, documents)


def _seed(meeting: Meeting, documents: tuple[DocumentSpec, ...]) -> None:
    """Add the documents, share those to be shared, then add the others."""
    if MeetingDocument.objects.filter(meeting=meeting).exists():
        return
    items = list(AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True))
    shared = [spec for spec in documents if spec.shared]
    for spec in shared:
        _add(meeting, items, spec)
    if shared:
        meeting_documents.documents_share(actor=None, meeting=meeting)
    for spec in documents:
        if not spec.shared:
            _add(meeting, items, spec)


def _add(meeting: Meeting, items: list[AgendaItem], spec: DocumentSpec) -> None:
    item = next((i for i in items if spec.item and i.title.startswith(spec.item)), None)
    if spec.image:
        upload = SimpleUploadedFile(spec.filename, wheel_png(), "image/png")
    else:
        upload = SimpleUploadedFile(spec.filename, simple_pdf(spec.pages), "application/pdf")
    meeting_documents.document_add(
        actor=None,
        meeting=meeting,
        upload=upload,
        title=spec.title,
        agenda_item=item,
        show_in_minutes=spec.inline and item is not None,
    )


# The files ------------------------------------------------------------------------


def _pdf_text(value: str) -> bytes:
    """A PDF string in Windows-1252 (the standard fonts' WinAnsiEncoding)."""
    raw = value.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def simple_pdf(pages: tuple[tuple[str, ...], ...]) -> bytes:
    """A small A4 PDF, one page per entry: a heading and lines of text in the
    standard Helvetica fonts (nothing embedded, nothing to install)."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    fonts = b"<< /F1 3 0 R /F2 4 0 R >>"
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
                   b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    kids: list[int] = []
    for lines in pages or (("",),):
        heading, *rest = lines
        stream = b"BT /F1 20 Tf 60 770 Td " + _pdf_text(heading) + b" Tj"
        stream += b" /F2 12 Tf 0 -36 Td 16 TL"
        for line in rest:
            stream += b" " + _pdf_text(line) + b" Tj T*"
        stream += b" ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
            + fonts
            + b" >> /Contents %d 0 R >>" % content
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


# The wheel's eight areas, as the programmes draw them.
WHEEL_COLOURS = (
    "#1f6f8b", "#2a9d8f", "#8ab17d", "#e9c46a", "#f4a261", "#e76f51", "#b5838d", "#6d597a",
)  # fmt: skip


def wheel_png(size: int = 360) -> bytes:
    """A PNG of the wellbeing wheel: eight coloured areas around the child."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    box = (10, 10, size - 10, size - 10)
    step = 360 / len(WHEEL_COLOURS)
    for index, colour in enumerate(WHEEL_COLOURS):
        draw.pieslice(box, index * step - 90, (index + 1) * step - 90, fill=colour, outline="white")
    inner = size // 4
    draw.ellipse((inner, inner, size - inner, size - inner), fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
