"""The streamed CSV is written by PostgreSQL (COPY) for tables without
pseudonyms, and read through a server-side cursor in chunks for the others:
either way its memory stays the same whether the table has a few thousand
rows or ten times more, and both ways give the same rows."""

from __future__ import annotations

import datetime
import tracemalloc
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from implementation.models import Indicator, IndicatorValue
from portal.models import Principal
from research import datasets as ds
from research import exports
from research.models import DataExport
from tests.factories import PrincipalFactory

pytestmark = pytest.mark.django_db


def add_values(world, count: int) -> None:
    """`count` indicator values: one per indicator, principal and month."""
    with scopes_disabled():
        principals = list(Principal.objects.filter(tenant=world.tenant))
        while len(principals) < 20:
            principals.append(PrincipalFactory(tenant=world.tenant))
        made = IndicatorValue.objects.filter(tenant=world.tenant).count()
        batch = []
        n = Indicator.objects.filter(tenant=world.tenant).count()
        while made + len(batch) < count:
            indicator = Indicator.objects.create(
                tenant=world.tenant, name=f"Indikator {n}", kind="antal", level="huvudman"
            )
            n += 1
            for principal in principals:
                for month in range(1, 121):
                    if made + len(batch) >= count:
                        break
                    year, m = divmod(month - 1, 12)
                    batch.append(
                        IndicatorValue(
                            tenant=world.tenant,
                            indicator=indicator,
                            principal=principal,
                            period=datetime.date(2015 + year, m + 1, 1),
                            value=Decimal(month),
                            source="register",
                            comment="x" * 100,
                        )
                    )
        IndicatorValue.objects.bulk_create(batch, batch_size=5000)


def peak_while_streaming(world) -> tuple[int, int, int]:
    """(peak bytes traced, rows, bytes sent) streaming indicator values as CSV."""
    with scope(tenant=world.tenant):
        export = DataExport.objects.create(
            tenant=world.tenant,
            requested_by=world.users["researcher"],
            format="csv_stream",
            datasets=["indicator_values"],
        )
        stream = exports.stream_csv(export, ds.get("indicator_values"))
    tracemalloc.start()
    try:
        sent = 0
        for chunk in stream:
            sent += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with scopes_disabled():
        export.refresh_from_db()
    return peak, export.manifest["datasets"][0]["rows"], sent


@pytest.fixture(params=["copy", "cursor"])
def path(request, monkeypatch):
    """Stream through COPY, or (as for tables with pseudonyms) through the cursor."""
    if request.param == "cursor":
        monkeypatch.setattr(ds, "copy_statement", lambda *args, **kwargs: None)
    return request.param


def test_streaming_memory_stays_bounded(world, path):
    add_values(world, 4_000)
    small_peak, small_rows, small_bytes = peak_while_streaming(world)
    add_values(world, 40_000)
    large_peak, large_rows, large_bytes = peak_while_streaming(world)
    assert (small_rows, large_rows) == (4_000, 40_000)
    assert large_bytes > 9 * small_bytes
    # Ten times the rows, about the same memory.
    assert large_peak < small_peak * 1.5 + 256 * 1024, (small_peak, large_peak)
    assert large_peak < 4 * 1024 * 1024  # a chunk of rows at a time, not the table


def _streamed_sql(world, key: str) -> tuple[bytes, str]:
    with scope(tenant=world.tenant):
        export = DataExport.objects.create(
            tenant=world.tenant,
            requested_by=world.users["researcher"],
            format="csv_stream",
            datasets=[key],
        )
        stream = exports.stream_csv(export, ds.get(key))
    with CaptureQueriesContext(connection) as queries:
        data = b"".join(stream)
    return data, " ".join(q["sql"] for q in queries.captured_queries).upper()


def test_a_table_without_pseudonyms_is_written_by_copy(world, monkeypatch):
    add_values(world, 5_000)
    statements: list[str | None] = []
    copy_statement = ds.copy_statement
    monkeypatch.setattr(
        ds,
        "copy_statement",
        lambda *a, **k: statements.append(copy_statement(*a, **k)) or statements[-1],
    )
    monkeypatch.setattr(ds, "csv_batches", None)  # the cursor path is not taken
    data, _sql = _streamed_sql(world, "indicator_values")
    assert data.count(b"\n") == 5_001
    (statement,) = statements
    assert statement is not None and statement.startswith("COPY (SELECT")


def test_a_table_with_pseudonyms_is_read_through_a_server_side_cursor(world):
    from tests.research.conftest import make_scene

    make_scene(world)
    data, sql = _streamed_sql(world, "attendance")
    assert data.count(b"\n") == 3 and b"P-" in data
    assert "DECLARE" in sql and "CURSOR" in sql and "COPY (" not in sql
