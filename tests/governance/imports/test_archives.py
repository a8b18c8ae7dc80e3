"""An OpenDocument text, and a .zip of many minutes in one go (issue 14,
item 1): the .zip's files are read one by one; a zip bomb, a zip in the zip,
an encrypted or escaping entry is refused by name, never a server error."""

from __future__ import annotations

import io
import json
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.core.management import CommandError, call_command

from governance.imports.parse import read_minutes
from governance.imports.sources import UnreadableFile, read_text, unpack
from tests.governance.imports.test_read_minutes import as_docx, check_kronoberg, seed

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def as_odt(markdown: str) -> bytes:
    """The seed as LibreOffice would save it: text:h with outline levels,
    text:list items and text:p paragraphs."""
    body = []
    for line in markdown.splitlines():
        text = escape(line.strip().replace("**", ""))
        if text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            body.append(f'<text:h text:outline-level="{level}">{text.lstrip("#").strip()}</text:h>')
        elif text.startswith("- "):
            body.append(
                f"<text:list><text:list-item><text:p>{text[2:]}</text:p></text:list-item></text:list>"
            )
        else:
            body.append(f"<text:p>{text}</text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:text="{TEXT_NS}"><office:body><office:text>{"".join(body)}'
        "</office:text></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", content)
    return out.getvalue()


def zipped(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_seed_004_as_opendocument():
    check_kronoberg(read_minutes(read_text("004.odt", as_odt(seed("004"))), file="004.odt"))


def test_a_zip_is_read_file_by_file_folders_and_hidden_files_passed_by():
    archive = zipped(
        {
            "2019/styrgrupp-2019-02-15.docx": as_docx(seed("004")),
            "2025/styrgrupp-2025-03-25.txt": seed("000").encode(),
            "__MACOSX/._styrgrupp.docx": b"junk",
            "2025/.DS_Store": b"junk",
        }
    )
    files = unpack("arkiv.zip", archive)
    assert [name for name, _ in files] == [
        "arkiv.zip/2019/styrgrupp-2019-02-15.docx",
        "arkiv.zip/2025/styrgrupp-2025-03-25.txt",
    ]
    dates = [read_minutes(read_text(name, data)).date for name, data in files]
    assert dates == ["2019-02-15", "2025-03-25"]


@pytest.mark.parametrize(
    ("files", "says"),
    [
        ({"nollor.txt": b"0" * 30_000_000}, "unpacks to far more than it weighs"),
        ({"inre.zip": b"PK"}, "a zip in the zip"),
        ({"../../etc/passwd.txt": b"x"}, "lies outside the archive"),
        ({f"{i}.txt": b"x" for i in range(501)}, "more than 500 files"),
    ],
)
def test_a_hostile_zip_is_refused_by_name(files, says):
    with pytest.raises(UnreadableFile, match=says):
        unpack("arkiv.zip", zipped(files))


def test_a_file_that_is_not_a_zip_is_refused():
    with pytest.raises(UnreadableFile, match="not a zip archive"):
        unpack("arkiv.zip", b"not a zip")
    with pytest.raises(UnreadableFile, match="not an OpenDocument text"):
        read_text("a.odt", b"not a zip")


@pytest.mark.django_db
def test_the_command_reads_a_zip_and_names_the_file_it_could_not(world, tmp_path):
    (tmp_path / "arkiv.zip").write_bytes(
        zipped({"a.txt": seed("000").encode(), "b.exe": b"MZ", "c.odt": as_odt(seed("004"))})
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="could not be read"):
        call_command(
            "import_minutes",
            str(tmp_path / "arkiv.zip"),
            "--programme",
            world.tenant.slug,
            "--json",
            stdout=out,
            stderr=err,
        )
    printed = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(p["file"], p["date"]) for p in printed] == [
        ("arkiv.zip/a.txt", "2025-03-25"),
        ("arkiv.zip/c.odt", "2019-02-15"),
    ]
    assert "arkiv.zip/b.exe: not a file the import reads" in err.getvalue()
