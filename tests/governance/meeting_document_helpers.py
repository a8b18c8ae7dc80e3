"""Files for the meeting document tests: real PDFs (WeasyPrint, with text on
each page that pdftotext reads back), a PNG and uploads of them."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(*pages: str) -> bytes:
    """A PDF with one page per text, each page showing its text."""
    from portal.documents.pdf import html_to_pdf

    body = "".join(
        f'<p style="break-after: page">{text}</p>' if i < len(pages) - 1 else f"<p>{text}</p>"
        for i, text in enumerate(pages)
    )
    return html_to_pdf(f"<!DOCTYPE html><html lang='sv'><body>{body}</body></html>")


def png_bytes(size: tuple[int, int] = (60, 30), color: str = "#1f6f8b") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def noisy_png_bytes(size: tuple[int, int]) -> bytes:
    """A PNG that does not compress: too large for a `data:` URL as it is."""
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf_upload(name: str = "Processplan 2026.pdf", *pages: str):
    return upload(name, pdf_bytes(*(pages or ("Processplan 2026",))), "application/pdf")


def png_upload(name: str = "hjulet.png"):
    return upload(name, png_bytes(), "image/png")


# A tiny file the upload checks accept as a PDF (by extension and first bytes),
# for tests that do not read it back.
SMALL_PDF = b"%PDF-1.4\n% handling\n%%EOF\n"


def small_pdf(name: str = "Handling.pdf"):
    return upload(name, SMALL_PDF, "application/pdf")
