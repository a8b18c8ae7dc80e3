"""The datasets and the files they are exported as: tidy tables whose rows
match the database, people as stable pseudonyms that give nothing away, free
text only when asked for, a data package that validates, a manifest with
checksums, and only what researchers may read elsewhere in the portal."""

from __future__ import annotations

import datetime
import hashlib
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django_scopes import scope, scopes_disabled
from frictionless import validate

from governance.models import AgendaItem, Attendance, Meeting, StatusReport
from implementation.models import CriterionRating, IndicatorValue, SelfAssessment
from portal.models import AuditEvent, Principal
from research import datasets as ds
from research.models import PseudonymKey
from research.pseudonyms import pseudonym, pseudonymiser
from tests.research.conftest import MINUTES, NAME, make_scene
from tests.research.helpers import ALL, build, everything, manifest, table

pytestmark = pytest.mark.django_db


# Row counts -------------------------------------------------------------------------


def test_every_dataset_has_as_many_rows_as_the_database(world, scene):
    _export, archive = build(world)
    counts = {entry["name"]: entry["rows"] for entry in manifest(archive)["datasets"]}
    assert set(counts) == set(ALL)
    with scope(tenant=world.tenant):
        for key in ALL:
            rows = table(archive, f"{key}.csv")
            assert len(rows) == counts[key] == ds.get(key).count(world.tenant), key
        # Spot checks against the models themselves, not the dataset's own query.
        assert counts["indicator_values"] == IndicatorValue.objects.count() == 3
        assert counts["attendance"] == Attendance.objects.count() == 2
        assert counts["principals"] == Principal.objects.filter(tenant=world.tenant).count()
        assert counts["meetings"] == Meeting.objects.count() == 2
        assert (
            counts["criterion_ratings"]
            == CriterionRating.objects.filter(assessment__status="godkand").count()
        )


def test_ids_are_the_portals_own_and_stable_across_exports(world, scene):
    _e1, first = build(world, datasets=["attendance", "meetings"])
    _e2, second = build(world, datasets=["attendance", "meetings"])
    assert table(first, "attendance.csv") == table(second, "attendance.csv")
    with scopes_disabled():
        ids = {str(pk) for pk in Attendance.objects.values_list("pk", flat=True)}
    assert {row["attendance_id"] for row in table(first, "attendance.csv")} == ids


def test_attendance_is_meeting_by_person_by_principal_by_status(world, scene):
    _export, archive = build(world, datasets=["attendance"])
    rows = table(archive, "attendance.csv")
    assert list(rows[0]) == [
        "attendance_id",
        "meeting_id",
        "person",
        "principal_id",
        "represents_body_id",
        "status",
    ]
    by_status = {row["status"]: row for row in rows}
    assert by_status["narvarande"]["principal_id"] == str(world.principal.pk)
    assert by_status["ovrig"]["principal_id"] == ""  # a guest from outside the principals


def test_operations_carry_the_municipality_code(world, scene):
    from tests.factories import OperationFactory

    OperationFactory(tenant=world.tenant, principal=world.principal, name="Grundskolan")
    _export, archive = build(world, datasets=["operations"])
    (row,) = table(archive, "operations.csv")
    assert row["municipality_code"] == world.principal.municipality_code


# Pseudonyms -------------------------------------------------------------------------


def _people(archive, key="attendance", column="person"):
    return {row[column] for row in table(archive, f"{key}.csv")}


def test_pseudonyms_are_the_same_in_every_export(world, scene):
    _e1, first = build(world, datasets=["attendance", "appointments", "risks"])
    _e2, second = build(world, format="datapackage", datasets=["attendance"])
    assert _people(first) == {row["person"] for row in table(second, "data/attendance.csv")}
    # The same person is the same pseudonym in every table.
    (appointed,) = _people(first, "appointments")
    (owner,) = _people(first, "risks", "owner")
    assert appointed == owner
    assert appointed in _people(first)


def test_pseudonyms_do_not_contain_name_or_id(world, scene):
    _export, archive = build(world, datasets=["attendance", "appointments", "body_members"])
    people = _people(archive) | _people(archive, "appointments") | _people(archive, "body_members")
    assert len(_people(archive)) == 2
    for value in people:
        assert re.fullmatch(r"P-[BCDFGHJKLMNPQRST]{16}", value)
        assert not re.search(r"\d", value)  # so never the id
        for part in [*NAME.split(), "Gustav", "Gäst"]:
            assert part.lower() not in value.lower()
    text = everything(archive)
    assert NAME not in text and "Gustav" not in text


def test_pseudonyms_differ_between_programmes_and_need_the_key(world, other_world, scene):
    with scope(tenant=world.tenant):
        here = pseudonymiser(world.tenant)(scene.person.pk)
    with scope(tenant=other_world.tenant):
        there = pseudonymiser(other_world.tenant)(scene.person.pk)
    assert here != there
    with scopes_disabled():
        secret = bytes.fromhex(PseudonymKey.objects.get(tenant=world.tenant).secret)
    assert pseudonym(secret, scene.person.pk) == here
    assert pseudonym(b"another key", scene.person.pk) != here


def test_the_key_is_created_once_audited_and_never_exported(world, scene):
    _e1, first = build(world)
    _e2, second = build(world, format="datapackage")
    with scopes_disabled():
        keys = list(PseudonymKey.objects.filter(tenant=world.tenant))
        events = AuditEvent.objects.filter(action="pseudonym_key.create")
        assert len(keys) == 1 and events.count() == 1
        assert keys[0].secret not in str(events.get().after)
    assert keys[0].secret not in everything(first) + everything(second)


# Free text --------------------------------------------------------------------------


FREE_TEXT = ["minutes", "comment", "note", "description", "results", "text", "role_note"]


def test_free_text_is_left_out_by_default(world, scene):
    _export, archive = build(world)
    text = everything(archive)
    assert NAME not in text
    assert MINUTES not in text
    assert "minutes" not in table(archive, "agenda_items.csv")[0]
    assert "comment" not in table(archive, "indicator_values.csv")[0]
    assert manifest(archive)["include_free_text"] is False


def test_free_text_comes_only_when_asked_for_and_says_so(world, scene):
    _export, archive = build(world, free_text=True, format="datapackage")
    assert table(archive, "data/agenda_items.csv")[0]["minutes"] == MINUTES
    assert NAME in table(archive, "data/decisions.csv")[0]["text"]
    assert manifest(archive)["include_free_text"] is True
    assert "free-text fields included: ja / yes" in archive.read("README.md").decode()


def test_every_free_text_column_is_marked_and_none_other_holds_the_name(world, scene):
    _export, archive = build(world, free_text=True)
    free = {(d.key, c.name) for d in ds.DATASETS.values() for c in d.columns if c.free_text}
    for key in ALL:
        for row in table(archive, f"{key}.csv"):
            for column, value in row.items():
                if NAME in value:
                    assert (key, column) in free, (key, column)


# What researchers may read ----------------------------------------------------------


def test_drafts_and_unapproved_work_stay_out(world, scene):
    _export, archive = build(world, free_text=True)
    text = everything(archive)
    assert "Hemligt utkast" not in text  # minutes of a meeting still in draft
    with scopes_disabled():
        draft_report = StatusReport.objects.get(status="utkast")
        open_assessment = SelfAssessment.objects.exclude(status="godkand").get()
        draft_item = AgendaItem.objects.get(meeting_id=scene.draft_meeting_id)
    assert str(draft_report.pk) not in {
        r["report_id"] for r in table(archive, "status_reports.csv")
    }
    assert str(open_assessment.pk) not in {
        r["assessment_id"] for r in table(archive, "self_assessments.csv")
    }
    assert str(draft_item.pk) not in {
        r["agenda_item_id"] for r in table(archive, "agenda_items.csv")
    }


def test_another_programmes_rows_never_appear(world, other_world, scene):
    make_scene(other_world)
    _export, archive = build(world)
    with scopes_disabled():
        theirs = set(
            IndicatorValue.objects.filter(tenant=other_world.tenant).values_list("pk", flat=True)
        )
    ours = {int(r["value_id"]) for r in table(archive, "indicator_values.csv")}
    assert ours and not ours & theirs
    assert {r["name"] for r in table(archive, "principals.csv")} == {
        world.principal.name,
        world.other_principal.name,
    }


def test_the_period_limits_dated_rows(world, scene):
    _export, archive = build(
        world,
        datasets=["indicator_values", "meetings", "principals"],
        start=datetime.date(2025, 2, 1),
        end=datetime.date(2025, 3, 31),
    )
    assert [r["period"] for r in table(archive, "indicator_values.csv")] == [
        "2025-02-01",
        "2025-03-01",
    ]
    assert [r["date"] for r in table(archive, "meetings.csv")] == ["2025-03-25"]
    assert len(table(archive, "principals.csv")) == 2  # undated: all of them


# Files ------------------------------------------------------------------------------


def test_the_data_package_validates_with_frictionless(world, scene, tmp_path):
    _export, archive = build(world, format="datapackage", free_text=True)
    archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    import json

    package = json.loads((tmp_path / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {*ALL, "codebook"}
    status = next(f for f in resources["meetings"]["schema"]["fields"] if f["name"] == "status")
    assert status["description"] == "Status" and status["description_sv"] == "Status"
    assert {c["value"] for c in status["codebook"]} == {"planerat", "genomfort", "installt"}
    assert status["constraints"]["enum"] == ["planerat", "genomfort", "installt"]
    labels = {c["value"]: c["label_sv"] for c in status["codebook"]}
    assert labels["installt"] == "Inställt"
    assert (tmp_path / "README.md").read_text().startswith("# ")


def test_a_broken_file_fails_frictionless(world, scene, tmp_path):
    """The validation above can fail: a changed file no longer matches its hash."""
    _export, archive = build(world, format="datapackage", datasets=["meetings"])
    archive.extractall(tmp_path)
    path = tmp_path / "data" / "meetings.csv"
    path.write_text(path.read_text().replace("genomfort", "kanske"))
    assert not validate(str(tmp_path / "datapackage.json")).valid


def test_the_manifest_has_version_time_counts_and_checksums(world, scene):
    export, archive = build(world, format="datapackage", datasets=["meetings", "decisions"])
    data = manifest(archive)
    assert data["portal_version"] == settings.PORTAL_VERSION
    assert datetime.datetime.fromisoformat(data["generated_at"]).tzinfo is not None
    for entry in data["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert {d["name"]: d["rows"] for d in data["datasets"]} == {"meetings": 2, "decisions": 1}
    with scopes_disabled():
        export.refresh_from_db()
    assert export.manifest == data


def test_the_codebook_explains_every_enumeration(world, scene):
    _export, archive = build(world, datasets=["attendance"])
    rows = table(archive, "codebook.csv")
    assert {
        "dataset": "attendance",
        "field": "status",
        "code": "narvarande",
        "label_sv": "Närvarande",
        "label_en": "Present",
    } in rows


def test_xlsx_has_one_sheet_per_table_and_the_codebook(world, scene):
    _export, archive = build(world, format="xlsx", datasets=["meetings", "indicator_values"])
    (name,) = [n for n in archive.namelist() if n.endswith(".xlsx")]
    book = openpyxl.load_workbook(io.BytesIO(archive.read(name)))
    assert book.sheetnames == ["indicator_values", "meetings", "codebook"]
    values = list(book["indicator_values"].values)
    assert values[0][:2] == ("value_id", "indicator_id") and len(values) == 1 + 3
    assert {d["name"]: d["rows"] for d in manifest(archive)["datasets"]} == {
        "indicator_values": 3,
        "meetings": 2,
    }


def test_xlsx_text_is_never_a_formula(world, scene):
    with scopes_disabled():
        AgendaItem.objects.filter(meeting_id=scene.meeting_id).update(minutes="=HYPERLINK(1)")
    _export, archive = build(world, format="xlsx", datasets=["agenda_items"], free_text=True)
    (name,) = [n for n in archive.namelist() if n.endswith(".xlsx")]
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read(name)))["agenda_items"]
    cell = next(iter(sheet.iter_rows(min_row=2)))[-1]
    # Text, not a formula, and neutralised like every text cell (see test_formulas.py).
    assert cell.value == "'=HYPERLINK(1)" and cell.data_type == "s"


def test_every_dataset_is_documented_in_both_languages(world):
    for dataset in ds.DATASETS.values():
        assert dataset.title_sv and dataset.title_en and dataset.description_sv
        assert dataset.columns[0].type == ds.INTEGER and dataset.primary_key.endswith("_id")
        for column in dataset.columns:
            assert column.sv and column.en, (dataset.key, column.name)
        if dataset.period is not None:
            assert dataset.period_sv and dataset.period_en


def test_the_database_and_python_write_the_same_csv(world, scene):
    """PostgreSQL writes the text of every value (and, without pseudonyms, the
    whole file); the Python writer of other databases must agree with it."""
    import csv

    from research import exports
    from research.pseudonyms import pseudonymiser

    for key in ALL:
        dataset = ds.get(key)
        with scope(tenant=world.tenant):
            pseudonym = pseudonymiser(world.tenant)
            header = [c.name for c in dataset.columns_for(include_free_text=True)]
            statement = ds.copy_statement(dataset, world.tenant, include_free_text=True)
            by_database = (
                exports.copied_chunks(header, statement, exports.FileStats("a"))
                if statement
                else exports.csv_chunks(
                    header,
                    ds.csv_batches(
                        dataset, world.tenant, pseudonym=pseudonym, include_free_text=True
                    ),
                    exports.FileStats("a"),
                )
            )
            by_python = exports.csv_chunks(
                header,
                ds.csv_batches(
                    dataset,
                    world.tenant,
                    pseudonym=pseudonym,
                    include_free_text=True,
                    in_python=True,
                ),
                exports.FileStats("b"),
            )
            first = b"".join(by_database).decode()
            second = b"".join(by_python).decode()
        assert list(csv.reader(io.StringIO(first))) == list(csv.reader(io.StringIO(second))), key


def _descriptor(tmp_path):
    import json

    return json.loads((tmp_path / "datapackage.json").read_text())


def test_references_between_tables_are_declared_and_checked(world, scene, tmp_path):
    import json

    _export, archive = build(
        world, format="datapackage", datasets=["meetings", "attendance", "principals"]
    )
    archive.extractall(tmp_path)
    package = _descriptor(tmp_path)
    attendance = next(r for r in package["resources"] if r["name"] == "attendance")
    assert {
        "fields": ["meeting_id"],
        "reference": {"resource": "meetings", "fields": ["meeting_id"]},
    } in attendance["schema"]["foreignKeys"]
    assert validate(str(tmp_path / "datapackage.json")).valid
    # A row that refers to a meeting that is not there fails the check.
    path = tmp_path / "data" / "attendance.csv"
    lines = path.read_text().splitlines()
    head, first, *rest = lines
    cells = first.split(",")
    cells[1] = "999999"
    path.write_text("\n".join([head, ",".join(cells), *rest]) + "\n")
    for resource in package["resources"]:
        resource.pop("hash"), resource.pop("bytes")
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    report = validate(str(tmp_path / "datapackage.json"))
    assert [e[0] for e in report.flatten(["type"])] == ["foreign-key"]


def test_references_are_left_out_when_the_other_table_or_the_period_is_missing(
    world, scene, tmp_path
):
    _export, archive = build(world, format="datapackage", datasets=["attendance"])
    archive.extractall(tmp_path / "a")
    (attendance,) = [
        r for r in _descriptor(tmp_path / "a")["resources"] if r["name"] == "attendance"
    ]
    assert "foreignKeys" not in attendance["schema"]
    _export, archive = build(
        world,
        format="datapackage",
        datasets=["attendance", "meetings"],
        start=datetime.date(2025, 1, 1),
    )
    archive.extractall(tmp_path / "b")
    (attendance,) = [
        r for r in _descriptor(tmp_path / "b")["resources"] if r["name"] == "attendance"
    ]
    assert "foreignKeys" not in attendance["schema"]
    assert validate(str(tmp_path / "b" / "datapackage.json")).valid
