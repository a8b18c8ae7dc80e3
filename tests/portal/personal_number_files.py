"""Files with and without a personal identity number, of every type the
portal reads text from, made by the libraries that make such files."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

NUMBER = "20150312-3786"  # a valid number of a (fictional) child born in 2015
CLEAN = "Processplan 2026: möte 2026-12-07, dnr RS 2026/1234, telefon 070-123 45 67."


def pdf_bytes(text: str) -> bytes:
    from portal.documents.pdf import html_to_pdf

    return html_to_pdf(f"<!DOCTYPE html><html lang='sv'><body><p>{text}</p></body></html>")


def docx_bytes(text: str, *, split_runs: bool = False) -> bytes:
    """A Word file; `split_runs`: the text in two runs, as Word often stores it."""
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    if split_runs:
        half = len(text) // 2
        paragraph.add_run(text[:half])
        paragraph.add_run(text[half:]).bold = True
    else:
        paragraph.add_run(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(*cells: str | int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for i, value in enumerate(cells, start=1):
        sheet.cell(row=i, column=1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def odt_bytes(text: str) -> bytes:
    """A minimal OpenDocument text: the mimetype first, then its content."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
            f"<office:text><text:p>{text}</text:p></office:text></office:body>"
            "</office:document-content>",
        )
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
