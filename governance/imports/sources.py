"""The text of a minutes file (issue 14, item 1): plain text and Markdown as
they are, Word (.docx) with its headings and lists as Markdown, and a PDF's
text layer with its headings (pdfplumber), and scans (images, PDFs without
a text layer) through OCR with Tesseract's Swedish model."""

from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

TEXT_SUFFIXES = {".txt", ".md"}
# A .zip of minutes: how much it may hold once unpacked, and how tightly packed
# (a zip bomb unpacks to far more than it weighs).
MOST_ZIP_ENTRIES = 500
MOST_ZIP_BYTES = 200 * 1024 * 1024
MOST_ZIP_RATIO = 100
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
# Pages of a scanned PDF read at most, and their resolution for OCR.
MOST_SCANNED_PAGES = 50
OCR_DPI = 200
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
    if suffix == ".odt":
        return _odt(name, content)
    if suffix == ".pdf":
        return _pdf(name, content)
    if suffix in IMAGE_SUFFIXES:
        return _ocr_image(name, content)
    raise UnreadableFile(
        f"{name}: not a file the import reads (.txt, .md, .docx, .odt, .pdf, .png or .jpg)."
    )


def unpack(name: str, content: bytes) -> list[tuple[str, bytes]]:
    """The files to read: a .zip's files (an archive of minutes in one go),
    anything else as it is. A zip bomb, a zip in the zip or an entry outside
    the archive's folder is refused; a folder or a hidden file is passed by."""
    if Path(name).suffix.casefold() != ".zip":
        return [(name, content)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise UnreadableFile(f"{name}: not a zip archive that can be read.") from error
    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        if len(entries) > MOST_ZIP_ENTRIES:
            raise UnreadableFile(f"{name}: more than {MOST_ZIP_ENTRIES} files.")
        unpacked = sum(e.file_size for e in entries)
        if unpacked > MOST_ZIP_BYTES or unpacked > MOST_ZIP_RATIO * max(len(content), 1):
            raise UnreadableFile(f"{name}: unpacks to far more than it weighs (a zip bomb?).")
        files = []
        for entry in entries:
            path = Path(entry.filename)
            if path.is_absolute() or ".." in path.parts:
                raise UnreadableFile(f"{name}: {entry.filename} lies outside the archive.")
            if any(part.startswith((".", "__MACOSX")) for part in path.parts):
                continue
            if path.suffix.casefold() == ".zip":
                raise UnreadableFile(f"{name}: {entry.filename} is a zip in the zip.")
            if entry.flag_bits & 0x1:
                raise UnreadableFile(f"{name}: {entry.filename} is encrypted.")
            with archive.open(entry) as stream:
                data = stream.read(entry.file_size + 1)
            if len(data) > entry.file_size:  # the header lied about the size
                raise UnreadableFile(f"{name}: {entry.filename} is larger than it says.")
            files.append((f"{name}/{entry.filename}", data))
    return files


def _odt(name: str, content: bytes) -> str:
    """An OpenDocument text: headings (by outline level), paragraphs and lists."""
    from xml.etree import ElementTree

    ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if archive.getinfo("content.xml").file_size > MAX_BYTES:
                raise UnreadableFile(f"{name}: larger than it may be once unpacked.")
            root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 (expat refuses external entities and limits expansion)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as error:
        raise UnreadableFile(f"{name}: not an OpenDocument text that can be read.") from error
    lines: list[str] = []

    def walk(element: ElementTree.Element, in_list: bool) -> None:
        for child in element:
            if child.tag == f"{ns}h":
                level = int(child.get(f"{ns}outline-level") or 1)
                text = "".join(child.itertext()).strip()
                lines.extend(["", f"{'#' * min(level + 1, 6)} {text}", ""])
            elif child.tag == f"{ns}p":
                text = "".join(child.itertext()).strip()
                lines.append(f"- {text}" if in_list and text else text)
            else:
                walk(child, in_list or child.tag in (f"{ns}list", f"{ns}list-item"))

    walk(root, False)
    return "\n".join(lines)


def _docx(name: str, content: bytes) -> str:
    from docx import Document  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableFile(f"{name}: not a Word document that can be read.") from error
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    # In the document's order: a table of attendance or of assignments
    # belongs where it stands, among the items.
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_docx_paragraph(Paragraph(block, document)))
        elif tag == "tbl":
            rows = [[cell.text for cell in row.cells] for row in Table(block, document).rows]
            lines += ["", *_markdown_table(rows), ""]
    return "\n".join(lines)


def _docx_paragraph(paragraph: Any) -> str:
    text = str(paragraph.text).strip()
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.startswith(("Heading", "Rubrik", "Title")):
        level = "".join(c for c in style if c.isdigit()) or "1"
        return f"\n{'#' * min(int(level) + 1, 6)} {text}\n"
    if style.startswith(("List", "Liststycke")) and text:
        return f"- {text}"
    return text


def _markdown_table(rows: list[list[str | None]]) -> list[str]:
    """A table's rows as Markdown, the first row its header; a cell's own
    line breaks become spaces, and a row of empty cells is left out."""
    cleaned = [
        [" ".join((cell or "").split()).replace("|", "/") for cell in row]
        for row in rows
        if any((cell or "").strip() for cell in row)
    ]
    if not cleaned:
        return []
    lines = [f"| {' | '.join(row)} |" for row in cleaned]
    return [lines[0], f"|{'---|' * len(cleaned[0])}", *lines[1:]]


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
        return _ocr_pdf(name, content)  # a scan: no text layer
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
        heading = not text.startswith("|") and (
            round(size) > body or (bold and len(text.split()) <= 12)
        )
        if heading and last_heading == size and gap <= 0.6 * size:
            out[-2] = f"{out[-2]} {text}"  # a heading over two lines
            continue
        in_table = text.startswith("|") and bool(out) and out[-1].startswith("|")
        if gap > 0.6 * size and not in_table:
            out.append("")
        if heading:
            out += ["", f"## {text}", ""]
            last_heading = size
        else:
            out.append(text)
            last_heading = None
    return "\n".join(out)


def _page_lines(page: Any) -> list[tuple[str, float, bool, float]]:
    """(text, font size, all bold, gap above) of each line of a page. A
    ruled table is one Markdown line a row, where it stands (pdfplumber's
    tables); its words are not read again as lines."""
    tables = [t for t in page.find_tables() if len(t.rows) > 1 and len(t.rows[0].cells) > 1]
    words = [
        w
        for w in page.extract_words(extra_attrs=["size", "fontname"])
        if not any(_inside(w, t.bbox) for t in tables)
    ]
    for table in tables:
        x0, top, _x1, bottom = table.bbox
        # The body text's size: a table is never read as a heading.
        size = Counter(round(w["size"]) for w in words).most_common(1)[0][0] if words else 10.0
        for number, line in enumerate(_markdown_table(table.extract())):
            at = top + (bottom - top) * number / (len(table.rows) + 1)
            words.append(
                {
                    "text": line,
                    "top": at,
                    "bottom": at + 1,
                    "x0": x0,
                    "size": size,
                    "fontname": "table",
                }
            )
    words.sort(key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict[str, Any]]] = []
    for word in words:
        if (
            rows
            and abs(rows[-1][0]["top"] - word["top"]) <= 2
            and rows[-1][0]["fontname"] != "table"
            and word["fontname"] != "table"
        ):
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


def _inside(word: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    middle_x = (word["x0"] + word["x1"]) / 2
    middle_y = (word["top"] + word["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


# OCR: Tesseract's Swedish model (Debian's tesseract-ocr and tesseract-ocr-swe) ----


def _tesseract(image: Image.Image) -> str:
    import pytesseract

    try:
        return str(pytesseract.image_to_string(image, lang="swe"))
    except pytesseract.TesseractNotFoundError as error:
        raise UnreadableFile("OCR is not installed here (tesseract-ocr-swe).") from error


def _ocr_image(name: str, content: bytes) -> str:
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            text = _tesseract(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise UnreadableFile(f"{name}: not an image that can be read.") from error
    if not text.strip():
        raise UnreadableFile(f"{name}: no text was found on the image.")
    return text


def _ocr_pdf(name: str, content: bytes) -> str:
    """A scanned PDF: each page drawn as a picture (pdftoppm) and read by OCR."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "scan.pdf"
        source.write_bytes(content)
        try:
            subprocess.run(  # noqa: S603 (a fixed program, our own file names)
                [  # noqa: S607 (poppler-utils' pdftoppm, found on the PATH)
                    "pdftoppm",
                    "-r",
                    str(OCR_DPI),
                    "-l",
                    str(MOST_SCANNED_PAGES),
                    "-gray",
                    "-png",
                    str(source),
                    str(Path(folder) / "page"),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
        except FileNotFoundError as error:
            raise UnreadableFile("OCR is not installed here (poppler-utils).") from error
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise UnreadableFile(f"{name}: the scanned PDF could not be drawn for OCR.") from error
        pages = []
        for page in sorted(Path(folder).glob("page*.png")):
            with Image.open(page) as image:
                pages.append(_tesseract(image))
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFile(f"{name}: no text was found in the scanned PDF.")
    return text
