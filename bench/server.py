"""The real stack for the HTTP sections of `make bench`: a bench database per
scale, seeded by `seed_bench`; gunicorn with two workers on a free loopback
port; a login over HTTP like a browser's; wrk from Debian's packages.

The bench databases are named after DATABASE_URL's database with
`_bench<scale>` appended (e.g. `samverkansportalen_bench10`), so the bench
never touches the test or demo database. They are kept between runs
(seed_bench is idempotent per programme: a second run seeds nothing), and
recreated with `--fresh`.
"""

# The bench runs its own tools (python, gunicorn, apt-get) with arguments it builds itself.
# ruff: noqa: S603, S607

from __future__ import annotations

import contextlib
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WORKERS = 2
PASSWORD = "bench"  # noqa: S105 -- seed_bench's logins, in the bench databases only


def database_url(scale: int) -> str:
    base = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("The HTTP bench needs PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    return urlunsplit(parts._replace(path=f"{parts.path}_bench{scale}"))


def bench_env(scale: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(scale),
        "DEBUG": "False",
        "SECURE_SSL_REDIRECT": "False",
        "STATIC_MANIFEST": os.environ.get("STATIC_MANIFEST", "False"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore",
        "BENCH_CACHE_PREFIX": f"bench{scale}",
    }


def _psql(url: str, sql: str) -> str:
    """One statement against the server's `postgres` database (psycopg, not psql:
    the client tools need not be installed)."""
    code = (
        "import sys, psycopg\n"
        "url, sql = sys.argv[1], sys.argv[2]\n"
        "with psycopg.connect(url, autocommit=True) as c:\n"
        "    cursor = c.execute(sql)\n"
        "    rows = cursor.fetchall() if sql.lower().startswith('select') else []\n"
        "    print('\\n'.join(str(r[0]) for r in rows))\n"
    )
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    admin = admin.replace("postgres://", "postgresql://", 1)
    return subprocess.run(
        [PYTHON, "-c", code, admin, sql], check=True, capture_output=True, text=True
    ).stdout


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the database of `url` if it does not exist (again, with `fresh`)."""
    name = urlsplit(url).path.lstrip("/")
    exists = name in _psql(url, "select datname from pg_database").split()
    if exists and fresh:
        _psql(url, f'drop database "{name}" with (force)')
        exists = False
    if not exists:
        _psql(url, f'create database "{name}"')


def prepare_database(scale: int, *, fresh: bool) -> dict[str, float]:
    """The bench database of `scale`, migrated and seeded. Returns timings (s)."""
    url = database_url(scale)
    name = urlsplit(url).path.lstrip("/")
    ensure_database(url, fresh=fresh)
    env = bench_env(scale)
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    migrated = time.perf_counter()
    seeded = subprocess.run(
        [PYTHON, "manage.py", "seed_bench", "--scale", str(scale), "--not-production"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    done = time.perf_counter()
    fresh_seed = "seeded in" in seeded.stdout
    print(
        f"  database {name}: migrated in {migrated - started:.0f} s, "
        + (f"seeded in {done - migrated:.0f} s" if fresh_seed else "already seeded"),
        flush=True,
    )
    return {"migrate_s": round(migrated - started, 1), "seed_s": round(done - migrated, 1)}


def targets(scale: int, *, load: bool = False) -> dict[str, Any]:
    """URLs, query counts and load targets, from `bench.targets` on the bench database."""
    done = subprocess.run(
        [PYTHON, "-m", "bench.targets", *(["--load"] if load else [])],
        cwd=ROOT,
        env=bench_env(scale),
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"bench.targets failed on the scale-{scale} bench database")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Serving:
    """How gunicorn serves: its worker class, workers, and threads per worker."""

    worker_class: str = "sync"
    workers: int = WORKERS
    threads: int = 1

    @property
    def label(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread, {self.workers} workers × {self.threads} threads"
        return f"{self.worker_class}, {self.workers} workers"

    def args(self) -> list[str]:
        found = ["--worker-class", self.worker_class, "--workers", str(self.workers)]
        return [*found, "--threads", str(self.threads)] if self.threads > 1 else found


# As the Dockerfile serves (WEB_CONCURRENCY and GUNICORN_CMD_ARGS there): the
# serving section's choice, gthread workers with four threads.
SERVING = Serving("gthread", WORKERS, 4)


@contextlib.contextmanager
def gunicorn(
    scale: int,
    *,
    cached: bool = True,
    env_extra: dict[str, str] | None = None,
    serving: Serving | None = None,
) -> Iterator[Server]:
    """gunicorn on loopback, serving as `serving` says (by default as the
    Dockerfile does); `cached=False` with the dashboard panel cache off;
    `env_extra` on top of the bench database's environment."""
    port = free_port()
    env = bench_env(scale) | (env_extra or {})
    serving = serving or SERVING
    if not cached:
        env["DASHBOARD_CACHE_SECONDS"] = "0"
    process = subprocess.Popen(
        [
            GUNICORN,
            "bench.wsgi:application",
            *serving.args(),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _headers, _body = request(port, "GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)
        yield Server(port, process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    timeout: float = 30,
    connection: http.client.HTTPConnection | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, list[str]], str]:
    """One request; returns (status, headers by lower-case name, body text)."""
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    body = None
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if "csrftoken" in cookies:
            headers["X-CSRFToken"] = cookies["csrftoken"]
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        received: dict[str, list[str]] = {}
        for key, value in response.getheaders():
            received.setdefault(key.lower(), []).append(value)
        return response.status, received, text
    finally:
        if connection is None:
            conn.close()


def set_cookies(headers: dict[str, list[str]]) -> dict[str, str]:
    cookies = {}
    for line in headers.get("set-cookie", []):
        name, _, rest = line.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def login(port: int, username: str) -> dict[str, str]:
    """Log in through the login form, as a browser does: the session and CSRF cookies."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    cookies = set_cookies(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or "csrftoken" not in cookies:
        raise SystemExit(f"the login page answered {status} without a CSRF token")
    status, headers, _body = request(
        port,
        "POST",
        "/accounts/login/",
        cookies=cookies,
        form={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": html.unescape(token.group(1)),
        },
    )
    cookies |= set_cookies(headers)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"logging in as {username} answered {status}")
    return cookies


def ensure_wrk() -> str:
    """wrk from Debian's packages, installed when missing (as .ci/ensure-chromium does)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: install it with 'sudo apt-get install -y wrk'")
    print("Installing wrk from Debian's packages…", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found
