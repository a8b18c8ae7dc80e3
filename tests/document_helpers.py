"""Helpers for the document tests: the text of a PDF (poppler's pdftotext),
and eager Celery with generated files under a temporary MEDIA_ROOT."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from django.db.models.fields.files import FieldFile

from portal.models import GeneratedFile


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace collapsed (table cells and line breaks
    become single spaces), so assertions read like the document."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", done.stdout.decode("utf-8"))


def pdf_info(data: bytes, *options: str) -> str:
    """poppler's pdfinfo: page count, "Tagged: yes", and with "-meta" the XMP."""
    done = subprocess.run(["pdfinfo", *options, "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def pdf_pages(data: bytes) -> int:
    match = re.search(r"^Pages:\s+(\d+)", pdf_info(data), re.MULTILINE)
    assert match is not None
    return int(match.group(1))


def pdf_fonts(data: bytes) -> list[list[str]]:
    """poppler's pdffonts rows: name, type, encoding, emb, sub, uni, object, id."""
    done = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    return [line.split() for line in done.stdout.decode("utf-8").splitlines()[2:]]


def file_bytes(job: GeneratedFile) -> bytes:
    field: FieldFile = job.file
    with field.open("rb") as handle:
        return handle.read()


def eager_documents(settings: Any, tmp_path: Path) -> Path:
    """For a fixture: tasks run inline (as with no broker) and generated files
    go to a temporary MEDIA_ROOT, which is returned."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"
