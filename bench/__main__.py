"""`make bench`: page timings against the floor, measured in the same run.

In-process (Django's test client, no network), on the demo data in the
database named by DATABASE_URL. Prints a table and writes bench/results.json.

The documents section (bench/documents.py) times "Skapa PDF" (the POST's
answer, queued to the broker of REDIS_URL), the whole rendering task for a
~10-page status report, and the floor: WeasyPrint alone on the same HTML.
Later issues add load over HTTP (gunicorn + wrk) and exports.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from portal.models import User  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.json"
PAGES = [
    ("floor", "/sormland/_bench/floor"),
    ("programme home", "/sormland/"),
    ("principals", "/sormland/admin/principals/"),
    ("people", "/sormland/admin/people/"),
    ("members", "/sormland/admin/members/"),
]


def measure(client: Client, url: str, repeat: int) -> dict[str, float | int]:
    for _ in range(5):  # warm up caches and connections
        client.get(url)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    reset_queries()
    with override_settings(DEBUG=True):
        client.get(url)
        queries = len(connection.queries)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--pdf-repeat", type=int, default=7, help="renders of the report")
    parser.add_argument("--no-documents", action="store_true", help="pages only")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--not-production", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    client.force_login(User.objects.get(username="admin"))

    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
        rows = {name: measure(client, url, args.repeat) for name, url in PAGES}
    floor = rows["floor"]["p50_ms"]
    print(f"{'page':<18}{'p50 ms':>9}{'p95 ms':>9}{'× floor':>9}{'queries':>9}")
    for name, row in rows.items():
        row["ratio_to_floor"] = round(float(row["p50_ms"]) / float(floor), 2)
        print(
            f"{name:<18}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['ratio_to_floor']:>9}{row['queries']:>9}"
        )
    results: dict[str, object] = {
        "ran_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "method": "in-process Django test client, demo data, p50/p95 over "
        f"{args.repeat} requests; floor = bare view, same middleware, one indexed query",
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "pages": rows,
    }
    if not args.no_documents:
        from bench.documents import bench_documents

        with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
            results["documents"] = bench_documents(client, pdf_repeat=args.pdf_repeat)
    RESULTS.write_text(
        json.dumps(
            results,
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
