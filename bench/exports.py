"""The exports section of `make bench`: 100,000 indicator values streamed as
CSV through the research export's own code path (`research.exports.stream_csv`,
the one the "download CSV" view returns), against the floor: PostgreSQL's
`COPY (the same query) TO STDOUT` through psycopg, in the same run.

Targets: the export at most 3 × the floor's time, and at most 150 MB peak
memory (traced Python allocations while the whole file is streamed; the
process's own high-water mark is reported beside it). A table without
pseudonyms, as this one, is written by PostgreSQL itself (COPY of the
dataset's text columns), so the ratio mostly measures formatting dates and
numbers in SQL, the header, the SHA-256 and the manifest.

Self-contained: the rows live in a programme of their own (`bench-exports`),
created on the first run and reused after; the demo data is not touched.
"""

from __future__ import annotations

import datetime
import os
import resource
import statistics
import time
import tracemalloc
from decimal import Decimal
from typing import Any

if __name__ == "__main__":  # `python -m bench.exports`: a check of this section alone
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()

from django.db import connection, transaction
from django_scopes import scope, scopes_disabled

from implementation.models import Indicator, IndicatorValue
from portal.models import Principal, PrincipalKind, Tenant, User
from research import datasets as ds
from research import exports
from research.models import DataExport

SLUG = "bench-exports"
ROWS = 100_000
PRINCIPALS = 20
MONTHS = 100
INDICATORS = ROWS // (PRINCIPALS * MONTHS)
REPEAT = 3
TARGET_RATIO = 3.0
TARGET_PEAK_MB = 150.0


def ensure_data() -> Tenant:
    """The bench programme with exactly ROWS indicator values (made once)."""
    with scopes_disabled():
        tenant, _ = Tenant.objects.get_or_create(
            slug=SLUG, defaults={"name": "Bench: research exports", "region": "Bench"}
        )
        if IndicatorValue.objects.filter(tenant=tenant).count() == ROWS:
            return tenant
        with transaction.atomic():
            IndicatorValue.objects.filter(tenant=tenant).delete()
            principals = [
                Principal.objects.get_or_create(
                    tenant=tenant,
                    name=f"Benchkommun {n}",
                    defaults={"kind": PrincipalKind.MUNICIPALITY, "municipality_code": f"{n:04d}"},
                )[0]
                for n in range(PRINCIPALS)
            ]
            indicators = [
                Indicator.objects.get_or_create(
                    tenant=tenant,
                    name=f"Benchindikator {n}",
                    defaults={"kind": "antal", "level": "huvudman"},
                )[0]
                for n in range(INDICATORS)
            ]
            months = [datetime.date(2017 + m // 12, m % 12 + 1, 1) for m in range(MONTHS)]
            IndicatorValue.objects.bulk_create(
                (
                    IndicatorValue(
                        tenant=tenant,
                        indicator=indicator,
                        principal=principal,
                        period=month,
                        value=Decimal(n % 1000) / 4,
                        source="register",
                    )
                    for n, (indicator, principal, month) in enumerate(
                        (i, p, m) for i in indicators for p in principals for m in months
                    )
                ),
                batch_size=5000,
            )
    return tenant


def _researcher() -> User:
    user, _ = User.objects.get_or_create(username="bench-exports-researcher")
    return user


def _stream(tenant: Tenant, user: User) -> tuple[int, int]:
    """Stream the dataset once; (rows, bytes)."""
    dataset = ds.get("indicator_values")
    with scope(tenant=tenant):
        export = DataExport.objects.create(
            tenant=tenant, requested_by=user, format="csv_stream", datasets=[dataset.key]
        )
        chunks = exports.stream_csv(export, dataset)
    size = 0
    for chunk in chunks:
        size += len(chunk)
    return export.manifest["datasets"][0]["rows"] if export.manifest else 0, size


def _copy(tenant: Tenant) -> tuple[int, int]:
    """The floor: the dataset's own query as COPY … TO STDOUT (CSV); (rows, bytes)."""
    dataset = ds.get("indicator_values")
    with scope(tenant=tenant):
        sql, params = dataset.values(tenant).query.sql_with_params()
    with connection.cursor() as cursor:
        statement = connection.ops.compose_sql(  # type: ignore[attr-defined]
            f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)", params
        )
        size = lines = 0
        with cursor.cursor.copy(statement) as copy:
            for data in copy:
                size += len(data)
                lines += bytes(data).count(b"\n")
    return lines - 1, size


def _timed(run: Any) -> tuple[float, tuple[int, int]]:
    started = time.perf_counter()
    result = run()
    return (time.perf_counter() - started) * 1000, result


def bench_exports() -> dict[str, object]:
    tenant = ensure_data()
    user = _researcher()
    _copy(tenant)  # warm the table into the cache for both
    _stream(tenant, user)
    floor_ms, export_ms = [], []
    for _ in range(REPEAT):
        ms, (floor_rows, floor_bytes) = _timed(lambda: _copy(tenant))
        floor_ms.append(ms)
        ms, (rows, size) = _timed(lambda: _stream(tenant, user))
        export_ms.append(ms)
    tracemalloc.start()
    try:
        _stream(tenant, user)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    floor, export = statistics.median(floor_ms), statistics.median(export_ms)
    ratio = export / floor
    peak_mb = peak / (1024 * 1024)
    result: dict[str, object] = {
        "rows": rows,
        "floor_rows": floor_rows,
        "export_ms": round(export, 1),
        "floor_copy_ms": round(floor, 1),
        "ratio": round(ratio, 2),
        "target_ratio": TARGET_RATIO,
        "export_bytes": size,
        "floor_bytes": floor_bytes,
        "peak_mb": round(peak_mb, 1),
        # The whole bench process's high-water mark, for comparison (includes Django).
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "target_peak_mb": TARGET_PEAK_MB,
        "pass": ratio <= TARGET_RATIO and peak_mb <= TARGET_PEAK_MB and rows == ROWS,
    }
    print(
        f"exports: {rows} indicator values as CSV in {export:.0f} ms "
        f"(COPY floor {floor:.0f} ms, {ratio:.2f}× ≤ {TARGET_RATIO}×), "
        f"peak {peak_mb:.1f} MB ≤ {TARGET_PEAK_MB:.0f} MB: "
        f"{'PASS' if result['pass'] else 'FAIL'}"
    )
    return result


if __name__ == "__main__":
    print(bench_exports())
