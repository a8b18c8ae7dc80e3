"""A scanned set of minutes (issue 14, item 6): seed 004 rendered to a PDF,
drawn as pictures (pdftoppm) and put back together as an image-only PDF, is
read by OCR (Tesseract's Swedish model) into the same proposal as its text,
within the tolerance below: OCR may misread a character, not the meeting."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from governance.imports.parse import read_minutes
from governance.imports.sources import read_text
from tests.governance.imports.expected import elements, precision_recall
from tests.governance.imports.test_read_minutes import as_pdf, seed

pytestmark = pytest.mark.slow

# The share of each kind of element the scan must give exactly as the text does.
TOLERANCE = 0.9


def scanned(pdf: bytes, folder: Path) -> bytes:
    """The PDF as a scanner gives it: one picture a page, no text layer."""
    (folder / "text.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", str(folder / "text.pdf"), str(folder / "p")],
        check=True,
    )
    pages = [Image.open(p).convert("L") for p in sorted(folder.glob("p*.png"))]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return out.getvalue()


def test_a_scanned_pdf_gives_the_proposal_of_its_text(tmp_path):
    text_pdf = as_pdf(seed("004"))
    from_text = read_minutes(read_text("004.pdf", text_pdf))
    scan = scanned(text_pdf, tmp_path)
    with pytest.raises(AssertionError):  # it really is a scan: no text layer
        assert read_text("004.pdf", scan) == read_text("004.pdf", text_pdf)

    from_scan = read_minutes(read_text("004-scan.pdf", scan))

    assert from_scan.date == from_text.date == "2019-02-15"
    assert from_scan.place == from_text.place
    expected, found = elements(from_text), elements(from_scan)
    for kind, wanted in expected.items():
        assert wanted, kind
        precision, recall = precision_recall(wanted, found[kind])
        assert min(precision, recall) >= TOLERANCE, (kind, precision, recall, found[kind])
