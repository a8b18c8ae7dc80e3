"""The text of a minutes file (issue 14, item 1): plain text and Markdown as
they are, Word (.docx) with its headings and lists as Markdown, and a PDF's
text layer with its headings (pdfplumber). Scans (images, image-only PDFs)
need OCR, which is not here yet: they are refused by name."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

TEXT_SUFFIXES = {".txt", ".md"}
MAX_BYTES = 20 * 1024 * 1024
BULLETS = {"•", "◦", "▪", "‣", "●"}


class UnreadableFile(Exception):
    """A file the import cannot read, with the reason a person can act on."""


def read_text(name: str, content: bytes) -> str:
    suffix = Path(name).suffix.casefold()
    if len(content) > MAX_BYTES:
        raise UnreadableFile(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if suffix in TEXT_SUFFIXES:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise UnreadableFile(f"{name}: not text in UTF-8 or Windows-1252.")
    if suffix == ".docx":
        return _docx(name, content)
    if suffix == ".pdf":
        return _pdf(name, content)
    raise UnreadableFile(f"{name}: not a file the import reads (.txt, .md, .docx or .pdf).")


def _docx(name: str, content: bytes) -> str:
    from docx import Document  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableFile(f"{name}: not a Word document that can be read.") from error
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith(("Heading", "Rubrik", "Title")):
            level = "".join(c for c in style if c.isdigit()) or "1"
            lines += ["", f"{'#' * min(int(level) + 1, 6)} {text}", ""]
        elif style.startswith(("List", "Liststycke")) and text:
            lines.append(f"- {text}")
        else:
            lines.append(text)
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def _pdf(name: str, content: bytes) -> str:
    """The text layer, as Markdown: a line in a larger or bold font is a
    heading, a wider gap between lines a new paragraph (pdfplumber)."""
    try:
        if PdfReader(io.BytesIO(content)).is_encrypted:
            raise UnreadableFile(f"{name}: the PDF is encrypted; save it without a password.")
    except (PdfReadError, ValueError, KeyError) as error:
        raise UnreadableFile(f"{name}: not a PDF that can be read.") from error
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            lines = [line for page in pdf.pages for line in _page_lines(page)]
    except (PDFSyntaxError, ValueError, KeyError) as error:
        raise UnreadableFile(f"{name}: not a PDF that can be read.") from error
    if not any(text for text, *_ in lines):
        raise UnreadableFile(f"{name}: the PDF has no text layer (a scan); OCR is not built yet.")
    sizes = Counter(round(size) for _text, size, _bold, _gap in lines)
    body = sizes.most_common(1)[0][0]
    out: list[str] = []
    last_heading: float | None = None  # the size of the heading just written
    bullet = False  # a list marker stood alone on the line before
    for text, size, bold, gap in lines:
        if text.strip() in BULLETS:
            bullet = True
            continue
        if text[:1] in BULLETS:
            text, bullet = text[1:].strip(), True
        if bullet:
            out.append(f"- {text}")
            bullet, last_heading = False, None
            continue
        heading = round(size) > body or (bold and len(text.split()) <= 12)
        if heading and last_heading == size and gap <= 0.6 * size:
            out[-2] = f"{out[-2]} {text}"  # a heading over two lines
            continue
        if gap > 0.6 * size:
            out.append("")
        if heading:
            out += ["", f"## {text}", ""]
            last_heading = size
        else:
            out.append(text)
            last_heading = None
    return "\n".join(out)


def _page_lines(page: Any) -> list[tuple[str, float, bool, float]]:
    """(text, font size, all bold, gap above) of each line of a page."""
    words = page.extract_words(extra_attrs=["size", "fontname"])
    rows: list[list[dict[str, Any]]] = []
    for word in words:
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    bottom = None
    for row in rows:
        size = max(w["size"] for w in row)
        top = min(w["top"] for w in row)
        gap = top - bottom if bottom is not None else 0.0
        bottom = max(w["bottom"] for w in row)
        bold = all("bold" in w["fontname"].casefold() for w in row)
        lines.append((" ".join(w["text"] for w in row), size, bold, gap))
    return lines
