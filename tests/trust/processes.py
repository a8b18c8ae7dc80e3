"""Throwaway servers for the fault tests: a redis-server, a Celery worker, a
PostgreSQL cluster and the portal (under gunicorn or Django's development
server) of our own, on free ports, that a test may kill and restart. The
shared Redis and PostgreSQL are never touched. Every helper is a context
manager that kills what it started, also when the test fails."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port} after {timeout}s")


def stop(process: subprocess.Popen, *, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


@dataclass
class Redis:
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def kill(self) -> None:
        if self.process is not None:
            stop(self.process, sig=signal.SIGKILL)


@contextmanager
def redis_server() -> Iterator[Redis]:
    """Our own Redis; `kill()` and `start()` it again on the same port."""
    redis = Redis(port=free_port())
    redis.start()
    try:
        yield redis
    finally:
        redis.kill()


def portal_env(**overrides: str) -> dict[str, str]:
    """The environment of a portal process (worker, server) started by a test."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY=env.get("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789"),
        DEBUG="False",
        SECURE_SSL_REDIRECT="False",
        STATIC_MANIFEST="False",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


@contextmanager
def celery_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A real Celery worker process (solo pool: the task runs in that very
    process, so SIGKILL kills the job mid-way)."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                str(VENV_BIN / "celery"),
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                "-n",
                f"probe-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        stop(process, sig=signal.SIGKILL)


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    assert found, "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin)"
    return found[-1].parent


def _as_postgres(*command: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


@dataclass
class Cluster:
    port: int
    data: Path
    bin: Path
    log: Path

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=60,
        )

    def start(self) -> None:
        self._ctl(
            "-w", "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", "start"
        )

    def stop(self) -> None:
        self._ctl("-w", "-m", "fast", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()


@contextmanager
def postgres_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster of our own (trust auth on loopback), with a `portal` database."""
    base = Path(tempfile.mkdtemp(prefix="probe-pg-"))
    data, log = base / "data", base / "server.log"
    bin_dir = _pg_bin()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    cluster = Cluster(port=free_port(), data=data, bin=bin_dir, log=log)
    subprocess.run(
        _as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"),
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=120,
    )
    cluster.start()
    try:
        subprocess.run(
            _as_postgres(
                str(bin_dir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(cluster.port),
                "-U",
                "postgres",
                "portal",
            ),
            check=True,
            timeout=60,
        )
        yield cluster
    finally:
        try:
            cluster.stop()
        except subprocess.SubprocessError:
            # Our own postmaster, by the pid in its data directory.
            pid_file = data / "postmaster.pid"
            if pid_file.exists():
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def portal_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """The portal under gunicorn on a free port; yields its base URL."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "1",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextmanager
def portal_dev_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """The portal under Django's development server, as `make run` serves it,
    on a free port; yields its base URL."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                str(VENV_BIN / "python"),
                "manage.py",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
