"""`manage.py import_minutes … --json` (issue 14, item 5): one proposal per
file in the documented shape, people matched to the programme's directory,
and nothing written."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import PersonFactory
from tests.governance.imports.test_read_minutes import seed
from tests.helpers import row_counts

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_minutes", *args, stdout=out, stderr=err)
    finally:
        printed = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    return printed, err.getvalue()


def test_prints_a_proposal_per_file_matched_to_the_directory_and_writes_nothing(
    world, other_world, tmp_path
):
    chair = PersonFactory(tenant=world.tenant, name="Camilla Holmqvist")
    PersonFactory(tenant=other_world.tenant, name="Magnus Fritihof")  # another programme's
    # An OCR slip in the file's name of a known person still matches.
    (tmp_path / "2019-02-15.md").write_text(seed("004").replace("Holmqvist", "Holmqvjst"))
    (tmp_path / "2025-03-25.txt").write_text(seed("000"))
    before = row_counts()

    printed, _ = run(
        str(tmp_path / "2019-02-15.md"),
        str(tmp_path / "2025-03-25.txt"),
        "--programme",
        world.tenant.slug,
        "--json",
    )

    assert row_counts() == before
    assert [p["file"] for p in printed] == ["2019-02-15.md", "2025-03-25.txt"]
    assert [p["date"] for p in printed] == ["2019-02-15", "2025-03-25"]
    people = {a["name"]: a for a in printed[0]["attendance"]}
    assert people["Camilla Holmqvjst"]["person_id"] == chair.pk
    assert 0.85 <= people["Camilla Holmqvjst"]["confidence"] < 1
    assert people["Magnus Fritihof"]["person_id"] is None  # not in this programme
    assert people["Magnus Fritihof"]["confidence"] is None


def test_the_body_can_be_given(world, tmp_path):
    (tmp_path / "a.txt").write_text(seed("000"))
    printed, _ = run(
        str(tmp_path / "a.txt"), "--programme", world.tenant.slug, "--body", "SG", "--json"
    )
    assert printed[0]["body"] == "SG"


def test_an_unknown_programme_or_an_unreadable_file_is_said_and_writes_nothing(world, tmp_path):
    (tmp_path / "a.txt").write_text(seed("000"))
    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n")  # cut off
    (tmp_path / "notes.exe").write_bytes(b"MZ")
    with pytest.raises(CommandError, match="No programme"):
        run(str(tmp_path / "a.txt"), "--programme", "finns-inte", "--json")
    before = row_counts()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="could not be read"):
        call_command(
            "import_minutes",
            str(tmp_path / "a.txt"),
            str(tmp_path / "scan.png"),
            str(tmp_path / "notes.exe"),
            str(tmp_path / "missing.txt"),
            "--programme",
            world.tenant.slug,
            "--json",
            stdout=out,
            stderr=err,
        )
    assert "scan.png: not an image that can be read" in err.getvalue()
    assert "notes.exe: not a file the import reads" in err.getvalue()
    assert "missing.txt" in err.getvalue()
    assert json.loads(out.getvalue())["date"] == "2025-03-25"  # the readable one is printed
    assert row_counts() == before


# --commit ----------------------------------------------------------------------------


def test_commit_writes_each_file_as_a_confirmed_import(world, tmp_path, settings):
    from django_scopes import scopes_disabled

    from governance.models import ImportedFile, ImportState, Meeting, MinutesStatus
    from tests.governance.factories import BodyFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    BodyFactory(tenant=world.tenant, name="Styrgruppen", code="SG")
    (tmp_path / "2019-02-15.md").write_text(seed("004"))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_minutes",
        str(tmp_path / "2019-02-15.md"),
        "--programme",
        world.tenant.slug,
        "--body",
        "Styrgruppen",
        "--commit",
        stdout=out,
        stderr=err,
    )
    assert "2019-02-15.md: imported as meeting" in out.getvalue()
    with scopes_disabled():
        meeting = Meeting.objects.get(tenant=world.tenant)
        imported = ImportedFile.objects.get(tenant=world.tenant)
        assert meeting.imported and meeting.approved_in_original
        assert meeting.minutes_status == MinutesStatus.APPROVED
        assert meeting.body.name == "Styrgruppen"
        assert imported.state == ImportState.CONFIRMED and imported.meeting == meeting
        assert meeting.decisions.count() == 3
        assert meeting.attendance.filter(status="ersatter").count() == 3


def test_commit_refuses_an_unknown_body_and_writes_nothing(world, tmp_path):
    (tmp_path / "a.md").write_text(seed("000"))
    before = row_counts()
    with pytest.raises(CommandError, match="no body named"):
        run(str(tmp_path / "a.md"), "--programme", world.tenant.slug, "--body", "X", "--commit")
    assert row_counts() == before


def test_json_or_commit_must_be_said(world, tmp_path):
    (tmp_path / "a.md").write_text(seed("000"))
    with pytest.raises(CommandError, match="--json"):
        run(str(tmp_path / "a.md"), "--programme", world.tenant.slug)
