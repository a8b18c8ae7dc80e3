"""Uploads are refused when their name or text holds a personal identity
number (issue 16, item 5): `portal.uploads.validate_upload`, which every
upload of the portal goes through (meeting documents, self-assessment
evidence). A refusal in a page, with nothing written:
tests/governance/test_personal_number_documents.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal import personal_numbers
from portal.uploads import validate_upload
from tests.portal.personal_number_files import (
    CLEAN,
    NUMBER,
    docx_bytes,
    odt_bytes,
    pdf_bytes,
    upload,
    xlsx_bytes,
)


def refusal(name: str, data: bytes) -> list[str]:
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            validate_upload(upload(name, data))
        # The messages are lazy: read them in the language they were asked in.
        return [str(message) for message in refused.value.message_dict["file"]]


def file_message() -> str:
    with translation.override("en"):
        return str(personal_numbers.FILE_MESSAGE)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("Elevärende.pdf", lambda: pdf_bytes(f"Eleven {NUMBER} har behov av stöd.")),
        ("Elevärende.docx", lambda: docx_bytes(f"Eleven {NUMBER} har behov av stöd.")),
        ("Elevärende.docx", lambda: docx_bytes(f"Eleven {NUMBER}", split_runs=True)),
        ("Elevlista.xlsx", lambda: xlsx_bytes("Namn", NUMBER)),
        ("Elevlista.xlsx", lambda: xlsx_bytes("Namn", 201503123786)),
        ("Elevärende.odt", lambda: odt_bytes(f"Eleven {NUMBER} har behov av stöd.")),
    ],
)
def test_a_file_whose_text_holds_a_number_is_refused_with_the_reason(name, make):
    assert refusal(name, make()) == [file_message()]


def test_a_file_named_with_a_number_is_refused():
    assert refusal(f"Utredning {NUMBER}.pdf", pdf_bytes(CLEAN)) == [file_message()]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("Processplan.pdf", lambda: pdf_bytes(CLEAN)),
        ("Processplan.docx", lambda: docx_bytes(CLEAN)),
        ("Budget.xlsx", lambda: xlsx_bytes("Kostnad 1 234 567 kr", 1234567, "2026-12-07")),
        ("Processplan.odt", lambda: odt_bytes(CLEAN)),
        ("Protokoll 2026-12-07.pdf", lambda: pdf_bytes(CLEAN)),
    ],
)
def test_ordinary_files_pass(name, make):
    validate_upload(upload(name, make()))


def test_two_cells_do_not_run_together_into_a_number():
    # "201503" and "123786" in adjacent cells are two numbers, not one.
    validate_upload(upload("Tabell.xlsx", xlsx_bytes("201503", "123786")))


def test_an_unreadable_office_file_is_not_refused_for_a_number():
    # The type check accepts it (it starts like a zip); there is no text to read.
    validate_upload(upload("Trasig.docx", b"PK\x03\x04 not really a zip"))
