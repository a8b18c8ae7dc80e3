"""The text of a minutes file (issue 14, item 1): plain text and Markdown as
they are, Word (.docx) with its headings and lists as Markdown, and a PDF's
text layer. Scans (images, image-only PDFs) need OCR, which is not here yet:
they are refused by name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

TEXT_SUFFIXES = {".txt", ".md"}
MAX_BYTES = 20 * 1024 * 1024


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
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise UnreadableFile(f"{name}: the PDF is encrypted; save it without a password.")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as error:
        raise UnreadableFile(f"{name}: not a PDF that can be read.") from error
    if not text.strip():
        raise UnreadableFile(f"{name}: the PDF has no text layer (a scan); OCR is not built yet.")
    return text
