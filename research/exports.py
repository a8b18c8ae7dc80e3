"""Writing research exports: the zipped CSV, the XLSX, the Frictionless data
package, and one dataset streamed as CSV.

Every export carries a manifest (generated at, portal version, row counts and
SHA-256 checksums of every file) that is also kept on its `DataExport`. The
zipped formats are built by a worker (`build`, through the portal's document
jobs); the streamed CSV is written while it is read (`stream_csv`), from a
server-side cursor, so its memory stays the same for any number of rows.
"""

from __future__ import annotations

import builtins
import csv
import datetime
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from portal.models import Tenant
from portal.spreadsheets import neutralise
from research import datasets as ds
from research.models import DataExport, ExportFormat
from research.pseudonyms import pseudonymiser

CODEBOOK = "codebook.csv"
MANIFEST = "manifest.json"
PSEUDONYMISATION = (
    "People appear as pseudonyms (P-…): HMAC-SHA256 over the person's id with the "
    "programme's own secret key. The same person has the same pseudonym in every "
    "export of this programme; the key is never exported."
)

FORMULAS = (
    "Text som ett kalkylprogram skulle köra som formel (som börjar med = + - @, tabb "
    "eller vagnretur, även efter inledande blanksteg) har en apostrof (') först. Tal "
    "är tal. / Text that a spreadsheet program would run as a formula (starting with "
    "= + - @, a tab or a carriage return, also after leading whitespace) has an "
    "apostrophe (') in front. Numbers are numbers."
)


@dataclass
class FileStats:
    path: str
    rows: int = 0
    bytes: int = 0
    sha256: Any = field(default_factory=hashlib.sha256)

    def add(self, chunk: builtins.bytes) -> builtins.bytes:
        self.bytes += len(chunk)
        self.sha256.update(chunk)
        return chunk

    def entry(self) -> dict[str, Any]:
        return {"path": self.path, "bytes": self.bytes, "sha256": self.sha256.hexdigest()}


def csv_chunks(
    header: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]], stats: FileStats
) -> Iterator[builtins.bytes]:
    """UTF-8 CSV, a batch of rows (see `datasets.csv_batches`) per chunk,
    counted and checksummed as it goes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for batch in batches:
        writer.writerows(batch)
        stats.rows += len(batch)
        yield stats.add(buffer.getvalue().encode())
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield stats.add(buffer.getvalue().encode())


def copied_chunks(
    header: Sequence[str], statement: str, stats: FileStats
) -> Iterator[builtins.bytes]:
    """The CSV that PostgreSQL writes for `statement` (see `datasets.copy_statement`),
    after our header line, counted and checksummed as it goes."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(header)
    yield stats.add(line.getvalue().encode())
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(statement) as copy:
            for data in copy:
                yield stats.add(builtins.bytes(data))
        stats.rows = raw.rowcount


def table_chunks(
    export: DataExport, dataset: ds.Dataset, pseudonym: Any, stats: FileStats
) -> Iterator[builtins.bytes]:
    """One table of the export as CSV: written by PostgreSQL where it can
    (no pseudonyms), else from the rows through Python's CSV writer. The query
    is made now, not when the chunks are read (see `datasets.rows`)."""
    header = _header(export, dataset)
    statement = ds.copy_statement(
        dataset,
        export.tenant,
        period=(export.period_start, export.period_end),
        include_free_text=export.include_free_text,
    )
    if statement is not None:
        return copied_chunks(header, statement, stats)
    return csv_chunks(header, _csv_batches(export, dataset, pseudonym), stats)


def _csv_batches(
    export: DataExport, dataset: ds.Dataset, pseudonym: Any
) -> Iterator[list[Sequence[Any]]]:
    return ds.csv_batches(
        dataset,
        export.tenant,
        pseudonym=pseudonym,
        period=(export.period_start, export.period_end),
        include_free_text=export.include_free_text,
    )


def _table_rows(export: DataExport, dataset: ds.Dataset, pseudonym: Any) -> Iterator[list[Any]]:
    return ds.rows(
        dataset,
        export.tenant,
        pseudonym=pseudonym,
        period=(export.period_start, export.period_end),
        include_free_text=export.include_free_text,
    )


def _header(export: DataExport, dataset: ds.Dataset) -> list[str]:
    return [c.name for c in dataset.columns_for(include_free_text=export.include_free_text)]


# The manifest, the codebook, the README, the data package ---------------------------


def manifest(
    export: DataExport,
    *,
    generated_at: datetime.datetime,
    tables: Sequence[tuple[ds.Dataset, FileStats | None, int]],
    files: Sequence[FileStats],
) -> dict[str, Any]:
    """What was delivered: by whom is in the audit log; what, when and its checksums here."""
    return {
        "export_id": export.pk,
        "programme": {"slug": export.tenant.slug, "name": export.tenant.name},
        "generated_at": timezone.localtime(generated_at).isoformat(),
        "portal_version": settings.PORTAL_VERSION,
        "format": export.format,
        "period": {
            "start": export.period_start.isoformat() if export.period_start else None,
            "end": export.period_end.isoformat() if export.period_end else None,
        },
        "include_free_text": export.include_free_text,
        "pseudonymisation": PSEUDONYMISATION,
        "datasets": [
            {"name": dataset.key, "rows": rows, **(stats.entry() if stats else {})}
            for dataset, stats, rows in tables
        ],
        "files": [stats.entry() for stats in files],
    }


def codebook_rows(datasets: Sequence[ds.Dataset], *, include_free_text: bool) -> list[list[str]]:
    return [
        [neutralise(cell) for cell in (dataset.key, column.name, code, label_sv, label_en)]
        for dataset in datasets
        for column in dataset.columns_for(include_free_text=include_free_text)
        for code, label_sv, label_en in column.codebook()
    ]


CODEBOOK_HEADER = ["dataset", "field", "code", "label_sv", "label_en"]


def field_schema(column: ds.Column) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "title": column.en,
        "description": column.en,
        "title_sv": column.sv,
        "description_sv": column.sv,
    }
    if column.type == ds.DATE:
        schema["format"] = "%Y-%m-%d"
    if column.choices is not None:
        schema["constraints"] = {"enum": [code for code, _sv, _en in column.codebook()]}
        schema["codebook"] = [
            {"value": code, "label_sv": label_sv, "label_en": label_en}
            for code, label_sv, label_en in column.codebook()
        ]
    if column.pseudonym:
        schema["constraints"] = {"pattern": "P-[B-T]{16}"}
    return schema


def table_schema(
    dataset: ds.Dataset, *, include_free_text: bool, with_references_to: Sequence[str] = ()
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [
            field_schema(c) for c in dataset.columns_for(include_free_text=include_free_text)
        ],
        "primaryKey": [dataset.primary_key],
        "missingValues": [""],
    }
    foreign_keys = [
        {
            "fields": [name],
            # A reference within the same table names no resource.
            "reference": {"resource": "" if target == dataset.key else target, "fields": [field]},
        }
        for name, target, field in ds.REFERENCES.get(dataset.key, ())
        if target in with_references_to
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def data_package(
    export: DataExport,
    *,
    tables: Sequence[tuple[ds.Dataset, FileStats]],
    codebook: FileStats,
    generated_at: datetime.datetime,
) -> dict[str, Any]:
    include = export.include_free_text
    # A period leaves out rows that rows of other tables may refer to.
    unlimited = export.period_start is None and export.period_end is None
    referable = [dataset.key for dataset, _stats in tables] if unlimited else []
    resources: list[dict[str, Any]] = [
        {
            "name": dataset.key,
            "path": stats.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": dataset.title_en,
            "description": dataset.description_en,
            "title_sv": dataset.title_sv,
            "description_sv": dataset.description_sv,
            "bytes": stats.bytes,
            "hash": f"sha256:{stats.sha256.hexdigest()}",
            "schema": table_schema(
                dataset, include_free_text=include, with_references_to=referable
            ),
        }
        for dataset, stats in tables
    ]
    resources.append(
        {
            "name": "codebook",
            "path": codebook.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": "Codebook: every code of every enumeration",
            "title_sv": "Kodbok: varje kod i varje uppräkning",
            "bytes": codebook.bytes,
            "hash": f"sha256:{codebook.sha256.hexdigest()}",
            "schema": {
                "fields": [
                    {"name": "dataset", "type": "string", "description": "Dataset"},
                    {"name": "field", "type": "string", "description": "Field"},
                    {"name": "code", "type": "string", "description": "Code in the data"},
                    {"name": "label_sv", "type": "string", "description": "Label in Swedish"},
                    {"name": "label_en", "type": "string", "description": "Label in English"},
                ],
                "primaryKey": ["dataset", "field", "code"],
            },
        }
    )
    return {
        "profile": "tabular-data-package",
        "name": f"samverkansportalen-{export.tenant.slug}-export-{export.pk}",
        "title": f"{export.tenant.name}: research export {export.pk}",
        "description": PSEUDONYMISATION,
        "created": timezone.localtime(generated_at).isoformat(),
        "version": settings.PORTAL_VERSION,
        "include_free_text": include,
        "resources": resources,
    }


def readme(
    export: DataExport,
    *,
    tables: Sequence[tuple[ds.Dataset, int]],
    generated_at: datetime.datetime,
) -> str:
    """A bilingual README: what the export holds, how it was made, every column."""
    start = export.period_start.isoformat() if export.period_start else "—"
    end = export.period_end.isoformat() if export.period_end else "—"
    free = "ja / yes" if export.include_free_text else "nej / no"
    lines = [
        f"# {export.tenant.name} — forskningsexport / research export {export.pk}",
        "",
        f"- Skapad / generated: {timezone.localtime(generated_at).isoformat()}",
        f"- Portalversion / portal version: {settings.PORTAL_VERSION}",
        f"- Period: {start} – {end}",
        f"- Fritextfält ingår / free-text fields included: {free}",
        "",
        "Personer förekommer bara som pseudonymer (P-…): HMAC-SHA256 över personens id "
        "med programmets egen hemliga nyckel. Samma person har samma pseudonym i varje "
        "export från programmet; nyckeln exporteras aldrig.",
        "",
        PSEUDONYMISATION,
        "",
        FORMULAS,
        "",
        "Id-kolumnerna är portalens egna, stabila id:n. Koderna i uppräkningarna förklaras "
        f"i {CODEBOOK}; filernas kontrollsummor finns i {MANIFEST}. / The id columns are the "
        f"portal's own stable ids. Codes are explained in {CODEBOOK}; checksums are in "
        f"{MANIFEST}.",
        "",
    ]
    for dataset, count in tables:
        lines += [
            f"## {dataset.key}: {dataset.title_sv} / {dataset.title_en} ({count} rader / rows)",
            "",
            dataset.description_sv,
            "",
            dataset.description_en,
            "",
        ]
        if dataset.period is not None:
            lines += [f"Period: {dataset.period_sv} / {dataset.period_en}.", ""]
        lines += [
            "| kolumn / column | typ / type | beskrivning | description |",
            "|---|---|---|---|",
        ]
        for column in dataset.columns_for(include_free_text=export.include_free_text):
            lines.append(f"| {column.name} | {column.type} | {column.sv} | {column.en} |")
        lines.append("")
    return "\n".join(lines)


# Building a zipped export (in a worker) ----------------------------------------------


def filename(export: DataExport) -> str:
    return f"forskningsexport-{export.tenant.slug}-{export.pk}.zip"


def build(export: DataExport) -> tuple[bytes, str]:
    """The export's zip file and its name; the manifest is kept on the export."""
    generated_at = timezone.now()
    chosen = ds.ordered(export.datasets)
    pseudonym = pseudonymiser(export.tenant)
    buffer = io.BytesIO()
    tables: list[tuple[ds.Dataset, FileStats | None, int]] = []
    files: list[FileStats] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if export.format == ExportFormat.XLSX:
            stats, counts = _write_xlsx(archive, export, chosen, pseudonym)
            files.append(stats)
            tables = [(d, None, counts[d.key]) for d in chosen]
        else:
            folder = "data/" if export.format == ExportFormat.DATA_PACKAGE else ""
            for dataset in chosen:
                stats = FileStats(f"{folder}{dataset.filename}")
                _write(
                    archive,
                    stats,
                    table_chunks(export, dataset, pseudonym, stats),
                )
                tables.append((dataset, stats, stats.rows))
                files.append(stats)
        codebook = FileStats(CODEBOOK)
        _write(
            archive,
            codebook,
            csv_chunks(
                CODEBOOK_HEADER,
                [codebook_rows(chosen, include_free_text=export.include_free_text)],
                codebook,
            ),
        )
        files.append(codebook)
        readme_stats = FileStats("README.md")
        text = readme(export, tables=[(d, n) for d, _s, n in tables], generated_at=generated_at)
        _write_bytes(archive, readme_stats, text.encode())
        files.append(readme_stats)
        if export.format == ExportFormat.DATA_PACKAGE:
            package = FileStats("datapackage.json")
            package_tables = [(d, s) for d, s, _n in tables if s is not None]
            descriptor = data_package(
                export, tables=package_tables, codebook=codebook, generated_at=generated_at
            )
            _write_bytes(
                archive, package, json.dumps(descriptor, ensure_ascii=False, indent=2).encode()
            )
            files.append(package)
        export.manifest = manifest(export, generated_at=generated_at, tables=tables, files=files)
        archive.writestr(MANIFEST, json.dumps(export.manifest, ensure_ascii=False, indent=2))
    export.save(update_fields=["manifest"])
    return buffer.getvalue(), filename(export)


def _write(archive: zipfile.ZipFile, stats: FileStats, chunks: Iterable[bytes]) -> None:
    """Write chunks already counted into `stats` (see `csv_chunks`)."""
    with archive.open(stats.path, "w") as handle:
        for chunk in chunks:
            handle.write(chunk)


def _write_bytes(archive: zipfile.ZipFile, stats: FileStats, data: bytes) -> None:
    _write(archive, stats, [stats.add(data)])


def _xlsx_cells(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row of cells: text as text (openpyxl would make a formula of a string
    starting with `=`), neutralised after Excel's forbidden control characters
    are taken out (`\x01=1` would otherwise become `=1`); numbers as numbers."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)))
            cell.data_type = "s"
            cells.append(cell)
        elif isinstance(value, datetime.datetime) and value.tzinfo:
            cells.append(timezone.localtime(value).replace(tzinfo=None))
        else:
            cells.append(value)
    return cells


def _write_xlsx(
    archive: zipfile.ZipFile, export: DataExport, chosen: Sequence[ds.Dataset], pseudonym: Any
) -> tuple[FileStats, dict[str, int]]:
    """One sheet per table (and the codebook) in a write-only workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    counts: dict[str, int] = {}
    for dataset in chosen:
        sheet = workbook.create_sheet(dataset.key[:31])
        sheet.append(_xlsx_cells(sheet, _header(export, dataset)))
        count = 0
        for row in _table_rows(export, dataset, pseudonym):
            sheet.append(_xlsx_cells(sheet, row))
            count += 1
        counts[dataset.key] = count
    sheet = workbook.create_sheet("codebook")
    sheet.append(_xlsx_cells(sheet, CODEBOOK_HEADER))
    for row in codebook_rows(chosen, include_free_text=export.include_free_text):
        sheet.append(_xlsx_cells(sheet, row))
    stats = FileStats(f"forskningsexport-{export.tenant.slug}-{export.pk}.xlsx")
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        _write(archive, stats, iter(lambda: stats.add(handle.read(1 << 16)), b""))
    return stats, counts


# Streaming one dataset -------------------------------------------------------------


def stream_csv(export: DataExport, dataset: ds.Dataset) -> Iterator[bytes]:
    """The dataset as CSV, sent while PostgreSQL writes it (COPY) or while it
    is read from a server-side cursor (tables with pseudonyms): constant memory.

    Runs after the view has returned (outside the request's tenant scope), so
    everything scoped is looked up before the first chunk; the manifest (rows
    and checksum) is written to the export when the last row has gone out."""
    generated_at = timezone.now()
    stats = FileStats(dataset.filename)
    pseudonym = pseudonymiser(export.tenant)
    table = table_chunks(export, dataset, pseudonym, stats)

    def chunks() -> Iterator[bytes]:
        yield from table
        export.manifest = manifest(
            export, generated_at=generated_at, tables=[(dataset, stats, stats.rows)], files=[stats]
        )
        with scopes_disabled():
            DataExport.objects.filter(pk=export.pk).update(manifest=export.manifest)

    return chunks()


def stream_headers(export: DataExport, tenant: Tenant) -> dict[str, str]:
    """What is known of the manifest before the first row: sent as headers."""
    return {
        "X-Portal-Version": settings.PORTAL_VERSION,
        "X-Export-Id": str(export.pk),
        "X-Generated-At": timezone.localtime().isoformat(),
    }
