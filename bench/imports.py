"""The imports section of `make bench` (issue 14, item 7): how well old
minutes are read. For each seed with a hand-written expected proposal
(tests/governance/imports/expected.py) and each format — its text, a Word
file, a text PDF (WeasyPrint) and a scan of that PDF (pdftoppm, read by
Tesseract) — the precision and recall of the attendance (name and status),
agenda items, decisions and assignments, and the seconds per page. A seed
that is an OCR text (002) is read with its programme's names, as an import
reads it (governance/imports/directory.py).

Then the same for the minutes nobody tuned the parser on
(tests/governance/imports/minutes/), as text, Word and PDF, in rows of
their own labelled "unseen".

Targets: at least 0.95 for every kind on the seeds, a scan within 0.05 of
its text PDF, and on the unseen minutes at least the bar of
tests/governance/imports/test_unseen_minutes.py for every kind, pooled over
the files.

Throughput (issue 17, item 5): the seeds' PDFs read as an import reads them
(text layer, then parsing), in pages per second, against a floor of pypdf
extracting the same text layer alone; and their scans read with OCR against
the bare tools on the same pages (pdftoppm at the import's resolution, then
the tesseract command, Swedish model).
"""

# The floor runs poppler's and Tesseract's own commands, found on the PATH.
# ruff: noqa: S603, S607

from __future__ import annotations

import functools
import io
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from governance.imports.parse import read_minutes
from governance.imports.sources import OCR_DPI, read_text
from governance.imports.words import Vocabulary
from tests.governance.imports.expected import (
    DIRECTORIES,
    EXPECTED,
    UNSEEN,
    elements,
    precision_recall,
)
from tests.governance.imports.test_ocr_scans import scanned
from tests.governance.imports.test_read_minutes import as_docx, as_pdf, seed
from tests.governance.imports.test_unseen_minutes import THRESHOLD, unseen

KINDS = ("attendance", "items", "decisions", "assignments")
TARGET = 0.95
OCR_WITHIN = 0.05
UNSEEN_FORMATS = ("text", "docx", "pdf")

Scores = dict[str, tuple[float, float]]


def _formats(markdown: str, folder: Path, *, scan: bool = True) -> dict[str, tuple[str, bytes]]:
    pdf = as_pdf(markdown)
    formats = {
        "text": ("seed.txt", markdown.encode()),
        "docx": ("seed.docx", as_docx(markdown)),
        "pdf": ("seed.pdf", pdf),
    }
    if scan:
        formats["scan"] = ("seed-scan.pdf", scanned(pdf, folder))
    return formats


def _read(
    label: str,
    expected: dict[str, set],
    formats: dict[str, tuple[str, bytes]],
    vocabulary: Vocabulary | None,
    rows: list[dict[str, Any]],
    log: Callable[[str], None],
) -> dict[str, dict[str, set]]:
    """Reads each format, adds a row for it, and returns what each found."""
    pages = len(PdfReader(io.BytesIO(formats["pdf"][1])).pages)
    found_by_format: dict[str, dict[str, set]] = {}
    for fmt, (name, content) in formats.items():
        started = time.perf_counter()
        proposal = read_minutes(read_text(name, content), file=name, vocabulary=vocabulary)
        seconds = time.perf_counter() - started
        found = found_by_format[fmt] = elements(proposal)
        scores = {kind: precision_recall(expected[kind], found[kind]) for kind in KINDS}
        row = {
            "seed": label,
            "format": fmt,
            "pages": pages,
            "seconds_per_page": round(seconds / pages, 3),
            **{
                f"{kind}_{which}": round(value, 3)
                for kind in KINDS
                for which, value in zip(("precision", "recall"), scores[kind], strict=True)
            },
        }
        rows.append(row)
        log(
            f"  {label} {fmt:5} {row['seconds_per_page']:7.3f} s/page  "
            + "  ".join(f"{kind} {scores[kind][0]:.2f}/{scores[kind][1]:.2f}" for kind in KINDS)
        )
    return found_by_format


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _bare_ocr(scan: bytes, folder: Path) -> None:
    """The floor of OCR: the same tools on the same pages, nothing else."""
    (folder / "floor.pdf").write_bytes(scan)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(OCR_DPI),
            "-gray",
            "-png",
            str(folder / "floor.pdf"),
            str(folder / "floor"),
        ],
        check=True,
        capture_output=True,
    )
    for page in sorted(folder.glob("floor*.png")):
        subprocess.run(
            ["tesseract", str(page), "-", "-l", "swe"],
            check=True,
            capture_output=True,
        )


def _text_layer(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _import(name: str, content: bytes, vocabulary: Vocabulary | None) -> object:
    return read_minutes(read_text(name, content), file=name, vocabulary=vocabulary)


def throughput(log: Callable[[str], None] = print) -> dict[str, Any]:
    """Pages per second of the import against its floors, over every seed."""
    totals: dict[str, float] = {
        "pages": 0,
        "text": 0.0,
        "text_floor": 0.0,
        "ocr": 0.0,
        "ocr_floor": 0.0,
    }
    for key in EXPECTED:
        names = DIRECTORIES.get(key)
        vocabulary = Vocabulary.for_names(names) if names else None
        pdf = as_pdf(seed(key))
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            scan = scanned(pdf, folder)
            totals["pages"] += len(PdfReader(io.BytesIO(pdf)).pages)
            totals["text_floor"] += _seconds(functools.partial(_text_layer, pdf))
            totals["text"] += _seconds(functools.partial(_import, "seed.pdf", pdf, vocabulary))
            totals["ocr_floor"] += _seconds(functools.partial(_bare_ocr, scan, folder))
            totals["ocr"] += _seconds(functools.partial(_import, "scan.pdf", scan, vocabulary))
    pages = totals["pages"]
    result = {
        "pages": pages,
        "text_pages_per_s": round(pages / totals["text"], 1),
        "text_floor_pages_per_s": round(pages / totals["text_floor"], 1),
        "text_ratio_to_floor": round(totals["text"] / totals["text_floor"], 2),
        "ocr_pages_per_s": round(pages / totals["ocr"], 2),
        "ocr_floor_pages_per_s": round(pages / totals["ocr_floor"], 2),
        "ocr_ratio_to_floor": round(totals["ocr"] / totals["ocr_floor"], 2),
    }
    log(
        f"  throughput over {pages} pages: text PDFs {result['text_pages_per_s']} pages/s "
        f"(pypdf alone {result['text_floor_pages_per_s']}: {result['text_ratio_to_floor']} ×), "
        f"scans {result['ocr_pages_per_s']} pages/s (pdftoppm + tesseract alone "
        f"{result['ocr_floor_pages_per_s']}: {result['ocr_ratio_to_floor']} ×)"
    )
    return result


def bench_imports(log: Callable[[str], None] = print) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    for key, expected in EXPECTED.items():
        names = DIRECTORIES.get(key)
        vocabulary = Vocabulary.for_names(names) if names else None
        with tempfile.TemporaryDirectory() as folder:
            formats = _formats(seed(key), Path(folder))
        found = _read(key, expected, formats, vocabulary, rows, log)
        scores: dict[str, Scores] = {
            fmt: {kind: precision_recall(expected[kind], f[kind]) for kind in KINDS}
            for fmt, f in found.items()
        }
        for fmt in ("text", "docx", "pdf"):
            worst = min(min(pair) for pair in scores[fmt].values())
            targets.append(
                {
                    "target": f"seed {key} as {fmt}: every kind ≥ {TARGET}",
                    "figure": round(worst, 3),
                    "pass": worst >= TARGET,
                }
            )
        gap = max(
            abs(scores["scan"][kind][i] - scores["pdf"][kind][i]) for kind in KINDS for i in (0, 1)
        )
        targets.append(
            {
                "target": f"seed {key} scanned: within {OCR_WITHIN} of its text PDF",
                "figure": round(gap, 3),
                "pass": gap <= OCR_WITHIN,
            }
        )

    # Pooled per format and kind: [right, found, expected].
    pooled = {fmt: {kind: [0, 0, 0] for kind in KINDS} for fmt in UNSEEN_FORMATS}
    for name, expected in UNSEEN.items():
        with tempfile.TemporaryDirectory() as folder:
            formats = _formats(unseen(name), Path(folder), scan=False)
        found = _read(f"unseen {name}", expected, formats, None, rows, log)
        for fmt in UNSEEN_FORMATS:
            for kind in KINDS:
                counts = pooled[fmt][kind]
                counts[0] += len(expected[kind] & found[fmt][kind])
                counts[1] += len(found[fmt][kind])
                counts[2] += len(expected[kind])
    for fmt in UNSEEN_FORMATS:
        worst = min(
            min(right / found if found else 1.0, right / wanted if wanted else 1.0)
            for right, found, wanted in pooled[fmt].values()
        )
        targets.append(
            {
                "target": f"unseen minutes as {fmt}: every kind, pooled, ≥ {THRESHOLD}",
                "figure": round(worst, 3),
                "pass": worst >= THRESHOLD,
            }
        )
    speed = throughput(log)
    return {
        "throughput": speed,
        "method": (
            "precision/recall against the hand-written proposals of "
            "tests/governance/imports/expected.py (EXPECTED: the seeds; UNSEEN: minutes "
            "the parser was not tuned on); seconds per page of each one's PDF"
        ),
        "rows": rows,
        "targets": targets,
    }
