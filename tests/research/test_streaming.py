"""The streamed CSV reads through a server-side cursor in chunks: its memory
stays the same whether the table has a few thousand rows or ten times more."""

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


def test_streaming_memory_stays_bounded(world):
    add_values(world, 4_000)
    small_peak, small_rows, small_bytes = peak_while_streaming(world)
    add_values(world, 40_000)
    large_peak, large_rows, large_bytes = peak_while_streaming(world)
    assert (small_rows, large_rows) == (4_000, 40_000)
    assert large_bytes > 9 * small_bytes
    # Ten times the rows, about the same memory.
    assert large_peak < small_peak * 1.5 + 256 * 1024, (small_peak, large_peak)
    assert large_peak < 4 * 1024 * 1024  # a chunk of rows at a time, not the table


def test_streaming_reads_through_a_server_side_cursor_in_chunks(world):
    add_values(world, 5_000)
    with scope(tenant=world.tenant):
        export = DataExport.objects.create(
            tenant=world.tenant,
            requested_by=world.users["researcher"],
            format="csv_stream",
            datasets=["indicator_values"],
        )
        stream = exports.stream_csv(export, ds.get("indicator_values"))
    with CaptureQueriesContext(connection) as queries:
        lines = b"".join(stream).count(b"\n")
    assert lines == 5_001
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "DECLARE" in sql.upper() and "CURSOR" in sql.upper()
