"""Formula injection (issue 18, item 4), generated: no text a user typed
reaches a researcher's spreadsheet program as a formula.

The probe is made from the registry, not listed by hand. For each hostile
value (`=cmd|…`, `@SUM(…)`, `+…`, `-…`, a leading tab, carriage return or
whitespace) it writes the value into the model field behind every text column
of every dataset (free text or not, through relations and annotations), then
reads every way out — each `ExportFormat`, the API and the Python CSV writer
of the embedded run — and checks that:

- no cell of any table (or the codebook) would run as a formula;
- every driven column shows the value, neutralised by exactly one leading `'`
  (so the probe can fail: a column it could not reach fails loudly instead);
- number columns are still numbers, a negative value too.

A new dataset, column or export format is probed without anyone listing it:
a format with no reader here, a text column whose source cannot be driven, or
a dataset without rows in the scene fails the test and says what to add.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from implementation.models import FocusArea, Goal, Indicator
from research import datasets as ds
from research import exports
from research.models import ExportFormat
from research.pseudonyms import pseudonymiser
from research.services import token_create
from tests.factories import OperationFactory
from tests.research.conftest import make_scene
from tests.research.helpers import ALL, build

pytestmark = pytest.mark.django_db

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "\t=1",
    "\r=1",
    ' =HYPERLINK("http://example.invalid")',
    "\n-2+3",
]
NEGATIVE = Decimal("-5")

# What a spreadsheet program reads as a formula (OWASP, CSV injection), also
# after whitespace it may trim. Spelled out here, not taken from the code under test.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
PSEUDONYM = re.compile(r"P-[B-T]{16}")


def runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) or text.lstrip(" \t\n\v\f\r\u00a0").startswith(
        FORMULA_START
    )


def text_columns(dataset: ds.Dataset) -> list[ds.Column]:
    return [c for c in dataset.columns if c.type == ds.STRING]


def number_columns(dataset: ds.Dataset) -> list[ds.Column]:
    return [c for c in dataset.columns if c.type in (ds.INTEGER, ds.NUMBER)]


# The scene: every dataset has rows, every relation a text column reads is set ---------


def formula_scene(world) -> None:
    make_scene(world)
    OperationFactory(tenant=world.tenant, principal=world.principal, name="Grundskolan")
    with scopes_disabled():
        area = FocusArea.objects.create(tenant=world.tenant, name="Gemensam struktur")
        goal = Goal.objects.create(tenant=world.tenant, focus_area=area, title="Alla barn")
        Indicator.objects.filter(tenant=world.tenant).update(goal=goal, unit="st")


# Driving hostile values into the model fields ----------------------------------------


@dataclass
class Driven:
    """What the scene now holds, per (dataset, column)."""

    text: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    # Columns whose every exported value the dataset's own filter fixes (a
    # status): no other value can be exported, so none is driven.
    fixed: set[tuple[str, str]] = field(default_factory=set)
    # Text that cannot hold a formula by its type (UUIDs) or is made by the
    # portal (pseudonyms).
    uuids: set[tuple[str, str]] = field(default_factory=set)
    pseudonyms: set[tuple[str, str]] = field(default_factory=set)
    negatives: set[tuple[str, str]] = field(default_factory=set)


def resolve(model: type[models.Model], path: str) -> tuple[type[models.Model], Any, str]:
    """(model holding the field, the field, path from the dataset's rows to its pk)."""
    *relations, name = path.split("__")
    for part in relations:
        model = model._meta.get_field(part).related_model  # type: ignore[assignment]
    pk_path = "__".join([*relations, "pk"]) if relations else "pk"
    return model, model._meta.get_field(name), pk_path


def sources(dataset: ds.Dataset, column: ds.Column) -> list[str]:
    """The field paths a column is read from: its own, or those its annotation reads."""
    annotation = dataset.annotations().get(column.path)
    if annotation is None:
        return [column.path]
    return [e.name for e in annotation.flatten() if isinstance(e, F)]


def counts(tenant) -> dict[str, int]:
    return {key: d.count(tenant) for key, d in ds.DATASETS.items()}


def hostile_for(text: str, db_field: Any, row: int) -> str:
    """The hostile text, distinct per row (unique fields), within the field's length."""
    suffix = str(row) if row else ""
    limit = db_field.max_length
    if limit and len(text) + len(suffix) > limit:
        text = text[: limit - len(suffix)]
    return text + suffix


def drive(world, text: str) -> Driven:
    driven = Driven()
    tenant = world.tenant
    with scope(tenant=tenant):
        before = counts(tenant)
        empty = [key for key, n in before.items() if n == 0]
        assert not empty, f"The scene has no rows of {empty}: add some, so they are probed."
        for dataset in ds.DATASETS.values():
            model = dataset.base(tenant).model
            for column in text_columns(dataset):
                where = (dataset.key, column.name)
                if column.pseudonym:
                    driven.pseudonyms.add(where)
                    continue
                reached = False
                for path in sources(dataset, column):
                    target, db_field, pk_path = resolve(model, path)
                    if isinstance(db_field, models.UUIDField):
                        driven.uuids.add(where)
                        reached = True
                        continue
                    if not isinstance(db_field, models.CharField | models.TextField):
                        continue  # a number or date an annotation reads besides the text
                    reached = True
                    pks = sorted(
                        {
                            pk
                            for pk in dataset.queryset(tenant).values_list(pk_path, flat=True)
                            if pk is not None
                        }
                    )
                    assert pks, f"No row of the scene reaches {dataset.key}.{path}: set it."
                    manager = target._base_manager
                    with scopes_disabled():
                        originals = dict(
                            manager.filter(pk__in=pks).values_list("pk", db_field.attname)
                        )
                        values = set()
                        for row, pk in enumerate(pks):
                            value = hostile_for(text, db_field, row)
                            try:
                                with transaction.atomic():
                                    manager.filter(pk=pk).update(**{db_field.attname: value})
                            except (IntegrityError, DataError) as error:
                                pytest.fail(f"{target.__name__}.{db_field.name} refuses: {error}")
                            values.add(value)
                    if counts(tenant) != before:
                        # The field decides which rows are exported: put it back.
                        with scopes_disabled():
                            for pk, original in originals.items():
                                manager.filter(pk=pk).update(**{db_field.attname: original})
                        assert column.choices is not None, (
                            f"{dataset.key}.{column.name} cannot be driven without changing "
                            "which rows are exported, and is not an enumeration: probe it "
                            "another way."
                        )
                        driven.fixed.add(where)
                    else:
                        driven.text.setdefault(where, set()).update(values)
                assert reached, (
                    f"{dataset.key}.{column.name}: no text field found behind {column.path!r}; "
                    "teach this probe how to put a hostile value there."
                )
            for column in dataset.columns:
                if column.type != ds.NUMBER:
                    continue
                target, db_field, pk_path = resolve(model, column.path)
                assert isinstance(db_field, models.DecimalField | models.FloatField), (
                    f"{dataset.key}.{column.name}: teach this probe to drive a number here."
                )
                pks = dataset.queryset(tenant).values_list(pk_path, flat=True)
                with scopes_disabled():
                    target._base_manager.filter(pk__in=list(pks)).update(
                        **{db_field.attname: NEGATIVE}
                    )
                driven.negatives.add((dataset.key, column.name))
        assert counts(tenant) == before
    return driven


# Reading every way out ---------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]


Tables = dict[str, Table]  # by dataset key, and "codebook"


def _csv(data: bytes) -> Table:
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    return Table(header, rows)


def _zipped(format: str, folder: str) -> Callable[..., Tables]:
    def read(world, client: Client) -> Tables:
        _export, archive = build(world, format=format, free_text=True)
        tables = {key: _csv(archive.read(f"{folder}{key}.csv")) for key in ALL}
        tables["codebook"] = _csv(archive.read(exports.CODEBOOK))
        return tables

    return read


def _xlsx(world, client: Client) -> Tables:
    _export, archive = build(world, format=ExportFormat.XLSX, free_text=True)
    (name,) = [n for n in archive.namelist() if n.endswith(".xlsx")]
    book = openpyxl.load_workbook(io.BytesIO(archive.read(name)))
    tables = {}
    for sheet in book.worksheets:
        cells = list(sheet.iter_rows())
        for row in cells:
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
        header, *rows = [[c.value for c in row] for row in cells]
        tables[sheet.title] = Table(header, rows)
    return tables


def _streamed(world, client: Client) -> Tables:
    tables = {}
    for key in ALL:
        response = client.get(
            reverse("research:export_stream", args=[world.tenant.slug]),
            {"dataset": key, "include_free_text": "on"},
        )
        assert response.status_code == 200, key
        tables[key] = _csv(b"".join(response.streaming_content))
    return tables


def _python_writer(world, client: Client) -> Tables:
    """The CSV the embedded run (SQLite) writes: rows formatted in Python."""
    tables = {}
    with scope(tenant=world.tenant):
        pseudonym = pseudonymiser(world.tenant)
        for key in ALL:
            dataset = ds.get(key)
            header = [c.name for c in dataset.columns_for(include_free_text=True)]
            batches = ds.csv_batches(
                dataset, world.tenant, pseudonym=pseudonym, include_free_text=True, in_python=True
            )
            data = b"".join(exports.csv_chunks(header, batches, exports.FileStats(key)))
            tables[key] = _csv(data)
    return tables


def _api(world, client: Client) -> Tables:
    with scope(tenant=world.tenant):
        _token, raw = token_create(
            actor=world.users["researcher"],
            membership=world.memberships["researcher"],
            tenant=world.tenant,
            name="probe",
        )
    tables = {}
    for key in ALL:
        response = Client().get(
            f"/api/research/v1/{world.tenant.slug}/datasets/{key}/rows",
            {"page_size": 1000},
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        assert response.status_code == 200, (key, response.content)
        page = response.json()
        assert page["next"] is None
        tables[key] = Table(
            page["fields"], [[r[f] for f in page["fields"]] for r in page["results"]]
        )
    return tables


READERS: dict[str, Callable[..., Tables]] = {
    ExportFormat.CSV: _zipped(ExportFormat.CSV, ""),
    ExportFormat.DATA_PACKAGE: _zipped(ExportFormat.DATA_PACKAGE, "data/"),
    ExportFormat.XLSX: _xlsx,
    ExportFormat.CSV_STREAM: _streamed,
    "api": _api,
    "csv_python": _python_writer,
}
WITHOUT_FREE_TEXT = {"api"}


def test_every_export_format_has_a_reader_in_this_probe():
    missing = set(ExportFormat.values) - set(READERS)
    assert not missing, f"Teach the formula probe to read {missing}."


# The probe ---------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, str):
        return NUMBER.fullmatch(value) is not None
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _same(cell: str, value: str) -> bool:
    """The cell is the value with one `'` in front (XML turns a lone CR into LF)."""
    return cell == "'" + value or cell == "'" + value.replace("\r", "\n")


def check(way: str, tables: Tables, driven: Driven) -> None:
    for name, table in tables.items():
        for row in [table.header, *table.rows]:
            for value in row:
                if isinstance(value, str) and name == "codebook":
                    assert not runs_as_formula(value), (way, name, value)
    for dataset in ds.DATASETS.values():
        columns = dataset.columns_for(include_free_text=way not in WITHOUT_FREE_TEXT)
        table = tables[dataset.key]
        assert table.header == [c.name for c in columns], (way, dataset.key)
        assert table.rows, (way, dataset.key)
        for i, column in enumerate(columns):
            where = (dataset.key, column.name)
            cells = [row[i] for row in table.rows]
            if column.type in (ds.INTEGER, ds.NUMBER):
                assert all(_is_number(v) for v in cells), (way, where, cells)
                if where in driven.negatives:
                    assert {Decimal(str(v)) for v in cells} == {NEGATIVE}, (way, where, cells)
                continue
            texts = [v for v in cells if isinstance(v, str)]
            assert not [t for t in texts if runs_as_formula(t)], (way, where, texts)
            if column.type != ds.STRING:
                continue
            if where in driven.text:
                shown = [
                    t
                    for t in texts
                    if t and any(_same(t[: len(v) + 1], v) for v in driven.text[where])
                ]
                assert shown, (way, where, texts, driven.text[where])
            elif where in driven.uuids:
                assert all(uuid.UUID(t) for t in texts), (way, where)
            elif where in driven.pseudonyms:
                assert all(PSEUDONYM.fullmatch(t) for t in texts if t), (way, where)
            else:
                assert where in driven.fixed, (way, where)
                assert set(texts) <= set(column.choices.values), (way, where, texts)


@pytest.mark.parametrize("text", HOSTILE, ids=repr)
def test_no_text_reaches_a_spreadsheet_as_a_formula(
    world, scene_for_formulas, client_for, text, settings
):
    settings.RESEARCH_EXPORT_RATE = "1000/h"
    driven = drive(world, text)
    assert driven.text  # the probe reached text columns
    client = client_for(world.users["researcher"])
    for way, read in READERS.items():
        check(way, read(world, client), driven)


@pytest.fixture
def scene_for_formulas(world) -> None:
    formula_scene(world)


def test_every_text_column_of_every_dataset_is_probed(world, scene_for_formulas):
    """The probe reaches every text column: driven, or fixed by the dataset's
    filter (an enumeration), or text the portal makes (UUID keys, pseudonyms)."""
    driven = drive(world, HOSTILE[0])
    probed = driven.text.keys() | driven.fixed | driven.uuids | driven.pseudonyms
    every = {(d.key, c.name) for d in ds.DATASETS.values() for c in text_columns(d)}
    assert probed == every
    free_text = {(d.key, c.name) for d in ds.DATASETS.values() for c in d.columns if c.free_text}
    assert free_text <= driven.text.keys()
