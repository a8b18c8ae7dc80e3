"""The scale-out section of `make bench` (issue 17, item 4): the shape of a
deployment on more machines, on one. Two independent web instances (separate
gunicorn processes on two loopback ports) and two Celery workers share one
PostgreSQL and one Redis, and nothing else:

* sessions: a login on one instance is a login on the other;
* login lockouts (django-axes, in the database): failed logins on one
  instance lock the account on the other;
* rate limits (django-ratelimit, in Redis): the accessibility feedback form's
  five messages an hour are five over both instances, not five each;
* the dashboard cache (Redis, under the programme's data version): a write on
  one instance is seen at once in the cached panel the other serves;
* document jobs: a PDF asked for on one instance is rendered by either worker
  and downloaded from the other;
* the mixed load of the load section, its users spread over both instances,
  and twenty editors of the same minutes, alternating instances: 0 errors and
  0 lost updates.

Each run uses a cache namespace of its own, so rate-limit counters and cached
panels start empty. Run it alone with `make bench BENCH_ARGS="--only scaleout"`.
"""

# The bench runs its own tools (celery) with arguments it builds itself.
# ruff: noqa: S603

from __future__ import annotations

import contextlib
import html
import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.urls import reverse

from bench import load, server

CELERY = str(Path(server.PYTHON).with_name("celery"))
WORKERS = 2
DOCUMENT_WAIT_S = 120
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _env(scale: int, prefix: str) -> dict[str, str]:
    # Mail to the console: the feedback form mails the administrators.
    return {"BENCH_CACHE_PREFIX": prefix, "EMAIL_URL": "consolemail://"}


@contextlib.contextmanager
def celery_workers(scale: int, prefix: str, count: int = WORKERS) -> Iterator[list[int]]:
    """`count` Celery workers (one process each) on the bench database."""
    env = server.bench_env(scale) | _env(scale, prefix)
    processes = [
        subprocess.Popen(
            [
                CELERY,
                "--app=portal",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=1",
                f"--hostname=scaleout{n}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=server.ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        for n in range(1, count + 1)
    ]
    try:
        time.sleep(3)
        if any(p.poll() is not None for p in processes):
            raise SystemExit("a Celery worker did not start")
        yield [p.pid for p in processes]
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _token(body: str) -> str:
    found = CSRF.search(body)
    return html.unescape(found.group(1)) if found else ""


def check_sessions(a: int, b: int, cookies: dict[str, str], slug: str) -> dict[str, Any]:
    """The session made by a login on A opens the programme on B."""
    path = reverse("portal:home", kwargs={"tenant_slug": slug})
    status, _headers, _body = server.request(b, "GET", path, cookies=cookies)
    return {"pass": status == 200, "detail": f"logged in on A, {path} on B answered {status}"}


def check_lockout(a: int, b: int) -> dict[str, Any]:
    """Failed logins on A, one short of the limit; the next attempt, on B, is
    the one that locks the account out: B counted A's failures."""
    username = f"scaleout-{uuid.uuid4().hex[:10]}"
    statuses = []
    limit = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
    for _ in range(limit - 1):
        status, headers, body = server.request(a, "GET", "/accounts/login/")
        cookies = server.set_cookies(headers)
        status, _headers, _body = server.request(
            a,
            "POST",
            "/accounts/login/",
            cookies=cookies,
            form={
                "username": username,
                "password": "wrong-password",
                "csrfmiddlewaretoken": _token(body),
            },
        )
        statuses.append(status)
    status, headers, body = server.request(b, "GET", "/accounts/login/")
    cookies = server.set_cookies(headers)
    locked, _headers, _body = server.request(
        b,
        "POST",
        "/accounts/login/",
        cookies=cookies,
        form={"username": username, "password": "wrong", "csrfmiddlewaretoken": _token(body)},
    )
    return {
        "pass": locked == 429 and 429 not in statuses,
        "detail": f"{limit - 1} failed logins on A answered {statuses}; the next, on B, {locked}",
    }


def check_rate_limit(a: int, b: int, slug: str) -> dict[str, Any]:
    """The feedback form's messages, alternating A and B: accepted five times
    in all (the hourly rate), not five on each instance."""
    path = reverse("portal:programme_accessibility", kwargs={"programme_slug": slug})
    answers = []
    for n in range(12):
        port = (a, b)[n % 2]
        status, headers, body = server.request(port, "GET", path)
        cookies = server.set_cookies(headers)
        status, _headers, _body = server.request(
            port,
            "POST",
            path,
            cookies=cookies,
            form={
                "message": f"Skalningsprov {n}: länken i sidfoten fungerar inte.",
                "page": "/",
                "name": "",
                "email": "",
                "csrfmiddlewaretoken": _token(body),
            },
        )
        answers.append(status)
    accepted = answers.count(302)
    return {
        "pass": accepted == 5 and answers[5:] == [429] * 7,
        "detail": f"12 messages alternating A and B: {accepted} accepted, answers {answers}",
    }


def check_dashboard_cache(
    a: int, b: int, cookies: dict[str, str], slug: str, reviews: list[str]
) -> dict[str, Any]:
    """A risk review on A changes the open-risks panel B serves from the cache
    (warmed on B before the write): the data version is shared, not per process."""
    panel = reverse(
        "portal:dashboard_panel", kwargs={"tenant_slug": slug, "key": "governance.risks"}
    )
    seen = []
    for likelihood, consequence in ((1, 1), (4, 4)):
        form = {
            "reviewed_on": time.strftime("%Y-%m-%d"),
            "likelihood": str(likelihood),
            "consequence": str(consequence),
            "status": "hanteras",
            "note": "Skalningsprov: ny bedömning.",
        }
        posted, _headers, _body = server.request(a, "POST", reviews[0], cookies=cookies, form=form)
        if posted != 302:
            return {"pass": False, "detail": f"the risk review on A answered {posted}"}
        # B draws the panel afresh (the review's tables have new versions,
        # cache.py), then serves it from the cache.
        time.sleep(1.5)
        seen.append([_panel(b, panel, cookies) for _ in range(2)])
    changed = seen[0][1] != seen[1][1]
    same_on_a = _panel(a, panel, cookies) == seen[1][1]
    steady = all(first == second for first, second in seen)
    return {
        "pass": changed and same_on_a and steady,
        "detail": (
            "after each review on A, B's cached panel "
            + ("changed" if changed else "did NOT change")
            + ("; A serves the same panel" if same_on_a else "; A serves another panel")
            + ("" if steady else "; B's panel changed between two reads")
        ),
    }


def _panel(port: int, path: str, cookies: dict[str, str]) -> str:
    """The panel as htmx fetches it."""
    return server.request(port, "GET", path, cookies=cookies, headers={"HX-Request": "true"})[2]


def check_document_job(
    a: int, b: int, cookies: dict[str, str], meeting_path: str
) -> dict[str, Any]:
    """'Skapa PDF' of approved minutes on A; the file is downloaded from B."""
    slug, pk = meeting_path.strip("/").split("/")[0], meeting_path.rstrip("/").rsplit("/", 1)[-1]
    path = reverse(
        "portal:document_request", kwargs={"tenant_slug": slug, "kind": "minutes", "object_id": pk}
    )
    status, headers, _body = server.request(a, "POST", path, cookies=cookies, form={})
    location = (headers.get("location") or [""])[0]
    job = re.search(r"/documents/(\d+)/", location)
    if status != 302 or job is None:
        return {"pass": False, "detail": f"'Skapa PDF' on A answered {status} {location}"}
    download = reverse(
        "portal:document_download", kwargs={"tenant_slug": slug, "pk": int(job.group(1))}
    )
    started = time.monotonic()
    while time.monotonic() - started < DOCUMENT_WAIT_S:
        status, headers, body = server.request(b, "GET", download, cookies=cookies)
        if status == 200:
            pdf = body.startswith("%PDF")
            return {
                "pass": pdf,
                "detail": f"asked on A, downloaded from B after "
                f"{time.monotonic() - started:.1f} s ({'a PDF' if pdf else 'not a PDF'})",
            }
        time.sleep(0.5)
    return {"pass": False, "detail": f"no file on B after {DOCUMENT_WAIT_S} s ({status})"}


def bench_scaleout(
    *, scale: int, users: int, duration: int, think: tuple[float, float]
) -> dict[str, Any]:
    print(f"scale-out, scale {scale}: two web instances and two Celery workers", flush=True)
    server.prepare_database(scale, fresh=False)
    found = server.targets(scale, load=True)
    programmes: list[dict[str, Any]] = found["load"]
    item: dict[str, str] = found["same_minutes"]
    first = programmes[0]
    prefix = f"scaleout{uuid.uuid4().hex[:8]}"
    extra = _env(scale, prefix)
    with (
        server.gunicorn(scale, env_extra=extra) as web_a,
        server.gunicorn(scale, env_extra=extra) as web_b,
        celery_workers(scale, prefix),
    ):
        a, b = web_a.port, web_b.port
        sessions = {}
        for programme in programmes:
            for login in (programme["pl"], programme["sg"]):
                sessions[login] = server.login(a, login)
        leader = sessions[first["pl"]]
        meeting = next(path for kind, path in first["reads"] if kind == "meeting page")
        checks = {
            "sessions": check_sessions(a, b, leader, first["slug"]),
            "login lockout": check_lockout(a, b),
            "rate limit": check_rate_limit(a, b, first["slug"]),
            "dashboard cache": check_dashboard_cache(a, b, leader, first["slug"], first["reviews"]),
            "document job": check_document_job(a, b, leader, meeting),
        }
        mixed = load.mixed_load(
            [a, b], programmes, sessions, users=users, duration=duration, think=think
        )
        concurrent = load.same_minutes([a, b], item, leader)
    result = {
        "method": (
            f"two gunicorn instances ({server.SERVING.label} each) on two loopback "
            f"ports and {WORKERS} Celery workers, one PostgreSQL and one Redis, bench database "
            f"of scale {scale}; sessions made on instance A; the load section's mix with "
            f"{users} users for {duration} s spread over both instances; "
            f"{load.CONCURRENT_EDITORS} editors of the same minutes alternating instances"
        ),
        "checks": checks,
        "mixed": mixed,
        "same_minutes": concurrent,
    }
    print_scaleout(result)
    return result


def print_scaleout(result: dict[str, Any]) -> None:
    print()
    for name, check in result["checks"].items():
        mark = "PASS" if check["pass"] else "FAIL"
        print(f"  {mark}  across instances, {name}: {check['detail']}")
    load.print_load(result)
