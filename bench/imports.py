"""The imports section of `make bench` (issue 14, item 7): how well old
minutes are read. For each seed with a hand-written expected proposal
(tests/governance/imports/expected.py) and each format — its text, a Word
file, a text PDF (WeasyPrint) and a scan of that PDF (pdftoppm, read by
Tesseract) — the precision and recall of the attendance (name and status),
agenda items, decisions and assignments, and the seconds per page.

Targets: at least 0.95 for every kind on the seeds, and a scan within 0.05 of
its text PDF.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from governance.imports.parse import read_minutes
from governance.imports.sources import read_text
from tests.governance.imports.expected import EXPECTED, elements, precision_recall
from tests.governance.imports.test_ocr_scans import scanned
from tests.governance.imports.test_read_minutes import as_docx, as_pdf, seed

KINDS = ("attendance", "items", "decisions", "assignments")
TARGET = 0.95
OCR_WITHIN = 0.05


def _formats(markdown: str, folder: Path) -> dict[str, tuple[str, bytes]]:
    pdf = as_pdf(markdown)
    return {
        "text": ("seed.txt", markdown.encode()),
        "docx": ("seed.docx", as_docx(markdown)),
        "pdf": ("seed.pdf", pdf),
        "scan": ("seed-scan.pdf", scanned(pdf, folder)),
    }


def bench_imports(log: Callable[[str], None] = print) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    for key, expected in EXPECTED.items():
        markdown = seed(key)
        with tempfile.TemporaryDirectory() as folder:
            formats = _formats(markdown, Path(folder))
        pages = len(PdfReader(io.BytesIO(formats["pdf"][1])).pages)
        scores: dict[str, dict[str, tuple[float, float]]] = {}
        for fmt, (name, content) in formats.items():
            started = time.perf_counter()
            proposal = read_minutes(read_text(name, content), file=name)
            seconds = time.perf_counter() - started
            found = elements(proposal)
            scores[fmt] = {kind: precision_recall(expected[kind], found[kind]) for kind in KINDS}
            row = {
                "seed": key,
                "format": fmt,
                "pages": pages,
                "seconds_per_page": round(seconds / pages, 3),
                **{
                    f"{kind}_{which}": round(value, 3)
                    for kind in KINDS
                    for which, value in zip(("precision", "recall"), scores[fmt][kind], strict=True)
                },
            }
            rows.append(row)
            log(
                f"  {key} {fmt:5} {row['seconds_per_page']:7.3f} s/page  "
                + "  ".join(
                    f"{kind} {scores[fmt][kind][0]:.2f}/{scores[fmt][kind][1]:.2f}"
                    for kind in KINDS
                )
            )
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
    return {
        "method": (
            "precision/recall against the hand-written proposals of "
            "tests/governance/imports/expected.py; seconds per page of the seed's PDF"
        ),
        "rows": rows,
        "targets": targets,
    }
