"""Reading a research dataset's rows: typed, with people pseudonymised and
text neutralised against formula injection, through a server-side cursor in
chunks; and for CSV, as text the database writes itself."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import F, Value
from django.db.models.functions import Cast
from django.utils import timezone

from portal.models import Tenant
from portal.spreadsheets import neutralise, neutralised
from research.datasets.schema import BOOLEAN, DATETIME, INTEGER, STRING, Column, Dataset, Period

CHUNK_SIZE = 2000


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value).replace(microsecond=0) if value is not None else None


def converters(
    columns: Sequence[Column], pseudonym: Callable[[int | None], str | None]
) -> list[Callable[[Any], Any] | None]:
    """Per column, what turns a raw value into the exported one (None: as it is).

    Every text column, whatever its source, is neutralised so that no
    spreadsheet program runs it as a formula (`portal.spreadsheets`); number,
    date and boolean columns keep their values."""
    result: list[Callable[[Any], Any] | None] = []
    for column in columns:
        if column.pseudonym:
            result.append(lambda v: neutralise(pseudonym(v)))
        elif column.type == DATETIME:
            result.append(_local)
        elif column.type == STRING and column.path.endswith("key"):
            result.append(lambda v: neutralise(str(v)) if v is not None else None)
        elif column.type == STRING:
            result.append(neutralise)
        else:
            result.append(None)
    return result


def rows(
    dataset: Dataset,
    tenant: Tenant,
    *,
    pseudonym: Callable[[int | None], str | None],
    period: Period = (None, None),
    include_free_text: bool = False,
    chunk_size: int = CHUNK_SIZE,
    offset: int = 0,
    limit: int | None = None,
) -> Iterator[list[Any]]:
    """The dataset's rows, typed values, people pseudonymised. Reads through a
    server-side cursor in chunks, so memory stays the same for any row count.

    The queryset is made here, not when the rows are first read: a stream is
    read after its view has returned, outside the request's tenant scope."""
    columns = dataset.columns_for(include_free_text=include_free_text)
    plan = [(i, fn) for i, fn in enumerate(converters(columns, pseudonym)) if fn is not None]
    values = dataset.values(tenant, period=period, include_free_text=include_free_text)
    if limit is not None:
        values = values[offset : offset + limit]
    return _convert(values.iterator(chunk_size=chunk_size), plan)


def _convert(
    raw_rows: Iterator[tuple[Any, ...]], plan: list[tuple[int, Callable[[Any], Any]]]
) -> Iterator[list[Any]]:
    for raw in raw_rows:
        row = list(raw)
        for i, fn in plan:
            row[i] = fn(row[i])
        yield row


# CSV rows -------------------------------------------------------------------------
#
# For CSV the database writes the text of every value itself (PostgreSQL), the
# way `csv_text` would in Python: the rows then arrive as strings and go
# straight to the CSV writer, which keeps a streamed export close to the
# speed of PostgreSQL's own COPY. Only pseudonyms are made in Python. Other
# databases (the embedded SQLite run) format the typed rows in Python.


def csv_text(value: Any) -> Any:
    """The CSV text of a typed value (None and numbers are left to the writer)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


class _LocalIsoTimestamp(models.Func):
    """A timestamp as ISO 8601 in the portal's time zone with its UTC offset,
    to the second: what `timezone.localtime(value).isoformat()` gives."""

    output_field = models.CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        value, params = compiler.compile(self.source_expressions[0])
        zone = timezone.get_current_timezone_name()
        local, local_params = f"(({value}) AT TIME ZONE %s)", (*params, zone)
        offset = f"({local} - (({value}) AT TIME ZONE 'UTC'))"
        offset_params = (*local_params, *params)
        sql = (
            f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN {offset} >= interval '0' THEN '+' || to_char({offset}, 'HH24:MI') "
            f"ELSE '-' || to_char(-{offset}, 'HH24:MI') END"
        )
        return sql, (*local_params, *offset_params, *offset_params, *offset_params)


def _text_expression(column: Column) -> Any:
    """The column's CSV text written by the database; text neutralised as
    `converters` does it in Python (pseudonyms are made, and neutralised, in
    Python)."""
    path = F(column.path)
    if column.pseudonym or column.type == INTEGER:
        return column.path
    if column.type == STRING and column.path.endswith("key"):
        return neutralised(Cast(path, models.TextField()))
    if column.type == STRING:
        return neutralised(path)
    if column.type == DATETIME:
        return _LocalIsoTimestamp(path)
    if column.type == BOOLEAN:
        return models.Case(
            models.When(**{column.path: True}, then=Value("true")),
            models.When(**{column.path: False}, then=Value("false")),
            default=None,
            output_field=models.CharField(),
        )
    return Cast(path, models.TextField())


def csv_batches(
    dataset: Dataset,
    tenant: Tenant,
    *,
    pseudonym: Callable[[int | None], str | None],
    period: Period = (None, None),
    include_free_text: bool = False,
    chunk_size: int = CHUNK_SIZE,
    in_python: bool = False,
) -> Iterator[list[Sequence[Any]]]:
    """The dataset's rows ready for a CSV writer, a chunk at a time, read
    through a server-side cursor (the query is made here, eagerly: see `rows`)."""
    columns = dataset.columns_for(include_free_text=include_free_text)
    if in_python or connection.vendor != "postgresql":
        typed = rows(
            dataset,
            tenant,
            pseudonym=pseudonym,
            period=period,
            include_free_text=include_free_text,
            chunk_size=chunk_size,
        )
        return _python_batches(typed, chunk_size)
    values = dataset.queryset(tenant, period).values_list(*[_text_expression(c) for c in columns])
    sql, params = values.query.sql_with_params()
    pseudonyms = [i for i, c in enumerate(columns) if c.pseudonym]
    return _database_batches(sql, params, pseudonyms, pseudonym, chunk_size)


def copy_statement(
    dataset: Dataset,
    tenant: Tenant,
    *,
    period: Period = (None, None),
    include_free_text: bool = False,
) -> str | None:
    """`COPY (the dataset's text rows) TO STDOUT` as CSV, for a table without
    pseudonyms on PostgreSQL: the database then writes the whole file itself.
    None where that cannot be (pseudonyms are made in Python; other databases)."""
    columns = dataset.columns_for(include_free_text=include_free_text)
    if connection.vendor != "postgresql" or any(c.pseudonym for c in columns):
        return None
    values = dataset.queryset(tenant, period).values_list(*[_text_expression(c) for c in columns])
    sql, params = values.query.sql_with_params()
    # Bound client-side: COPY takes no server-side parameters.
    composed: str = connection.ops.compose_sql(  # type: ignore[attr-defined]
        f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params
    )
    return composed


def _python_batches(typed: Iterator[list[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in typed:
        batch.append([csv_text(v) for v in row])
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _database_batches(
    sql: str,
    params: Sequence[Any],
    pseudonyms: list[int],
    pseudonym: Callable[[int | None], str | None],
    size: int,
) -> Iterator[list[Sequence[Any]]]:
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            if pseudonyms:
                batch = [list(row) for row in batch]
                for row in batch:
                    for i in pseudonyms:
                        row[i] = neutralise(pseudonym(row[i]))
            yield batch
    finally:
        cursor.close()
