"""The serving section of `make bench` (issue 17, item 3): which gunicorn
setup serves meeting-day load without queueing, chosen on measurements.

Each candidate — sync workers (the old default), more sync workers, and
gthread workers with threads — serves the load section's mix (`--users`
users, process leaders editing) for `--serving-duration` seconds on the
largest scale's bench database, with persistent PostgreSQL connections
(CONN_MAX_AGE, as in production). The table shows each one's p95 over all
requests and for the pages steering-group members wait for, its errors and
throughput; the best is the lowest p95 over all requests with no errors. The
Dockerfile's GUNICORN_CMD_ARGS and WEB_CONCURRENCY carry the choice (README,
"Serving").
"""

from __future__ import annotations

from typing import Any

from bench import load, server

CANDIDATES = (
    server.Serving("sync", 2),
    server.Serving("sync", 4),
    server.Serving("gthread", 2, 4),
    server.Serving("gthread", 2, 8),
    server.Serving("gthread", 4, 4),
)
WATCHED = ("read: meeting page", "read: principal dashboard", "read: programme dashboard")


def bench_serving(
    *, scale: int, users: int, duration: int, think: tuple[float, float]
) -> dict[str, Any]:
    print(f"serving, scale {scale}: {len(CANDIDATES)} setups, {users} users, {duration} s each")
    server.prepare_database(scale, fresh=False)
    found = server.targets(scale, load=True)
    programmes: list[dict[str, Any]] = found["load"]
    rows = []
    for serving in CANDIDATES:
        with server.gunicorn(scale, serving=serving) as running:
            sessions = {}
            for programme in programmes:
                for login in (programme["pl"], programme["sg"]):
                    sessions[login] = server.login(running.port, login)
            mixed = load.mixed_load(
                running.port, programmes, sessions, users=users, duration=duration, think=think
            )
        row = {
            "serving": serving.label,
            "worker_class": serving.worker_class,
            "workers": serving.workers,
            "threads": serving.threads,
            "requests_per_s": mixed["requests_per_s"],
            "p95_ms": mixed["p95_ms"],
            "errors": mixed["errors"],
            **{
                f"{kind.removeprefix('read: ')} p95_ms": mixed["by_kind"]
                .get(kind, {})
                .get("p95_ms")
                for kind in WATCHED
            },
        }
        rows.append(row)
        print(
            f"  {serving.label:<34} p95 {row['p95_ms']:>7} ms  "
            + "  ".join(
                f"{k.removeprefix('read: ')} {row[k.removeprefix('read: ') + ' p95_ms']}"
                for k in WATCHED
            )
            + f"  errors {row['errors']}  {row['requests_per_s']} req/s",
            flush=True,
        )
    clean = [row for row in rows if row["errors"] == 0] or rows
    best = min(clean, key=lambda row: row["p95_ms"])
    print(f"  best: {best['serving']} (p95 {best['p95_ms']} ms)")
    return {
        "method": (
            f"each setup serves the load section's mix: {users} users for {duration} s, "
            f"think time {think[0]}–{think[1]} s, 3 in 10 process leaders editing; bench "
            f"database of scale {scale}; CONN_MAX_AGE as in production"
        ),
        "rows": rows,
        "best": best["serving"],
    }
