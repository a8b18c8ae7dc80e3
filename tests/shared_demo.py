"""The demo programmes, built once per run and shared (issue 13, item 6).

`seed_demo` takes about a minute. Instead of running it for every module that
reads the demo, the first test process (xdist worker) that needs it builds it
once per run into a PostgreSQL *template database*; every worker then copies
the template (`CREATE DATABASE … TEMPLATE …`, about a second) and points its
connection at the copy while demo tests run. Two templates:

- `demo`: what `manage.py seed_demo --not-production` makes, nothing more
  (tests/portal/test_seed_demo.py and the other tests of the demo itself);
- `programmes`: the demo plus one probe login per role and the rows the demo
  leaves out (tests/trust/programmes.py), for the trust probes.

Names, for a suite database `test_samverkansportalen` and worker `gw1`:
`test_samverkansportalen_tpl_empty` (a migrated, empty copy taken when the
first worker's database is ready), `…_tpl_demo`, `…_tpl_programmes`, and the
worker's copies `test_samverkansportalen_gw1_demo`, `…_gw1_programmes`. The
files the demo writes (sealed minutes, meeting documents, generated PDFs) are
built beside the template in the run's temporary directory and copied too.

How a test uses them:

- `use(kind)`: the worker's copy, for the duration of a *module- or
  class-scoped* fixture (tests/trust/conftest.py `programmes`,
  tests/portal/test_seed_demo.py `seeded`). It is entered before any test's
  own transaction opens, wraps the block in a transaction that is rolled back
  at its end (as the per-module build did), and every test inside still runs
  in its own savepoint: a test may write, nothing it writes stays.
- `fresh(kind, media_root)`: a new copy of its own, for a *transactional*
  test (a live server, a test that empties the database): it is dropped
  afterwards, whatever the test did to it.

While either is active every query of the process (and of the live server's
threads, which read the same settings) goes to the copy, so a test there
cannot also use `world`: the demo has the same programme slugs.

A template is rebuilt when this run has not built it yet (a marker file in
the run's temporary directory), so a changed migration or seed is never
served from an earlier run, also with `--reuse-db`.
"""

from __future__ import annotations

import fcntl
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections, transaction
from django.test import override_settings
from django_scopes import scopes_disabled

KINDS = ("demo", "programmes")


@contextmanager
def connected_to(name: str) -> Iterator[None]:
    """Every new connection of this process goes to database `name` for the block.

    The connection's settings are the very dict the live server's threads
    read, so they follow too (they close their connection after each request)."""
    connection = connections["default"]
    assert not connection.in_atomic_block, "switch databases outside any transaction"
    before = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = before
        ContentType.objects.clear_cache()


def _quote(name: str) -> str:
    assert re.fullmatch(r"[A-Za-z0-9_]+", name), name
    return f'"{name}"'


def _admin(*statements: str) -> None:
    """Statements that must run outside any database (CREATE/DROP DATABASE)."""
    with connections["default"]._nodb_cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _copy(template: str, target: str) -> None:
    _admin(
        f"DROP DATABASE IF EXISTS {_quote(target)} WITH (FORCE)",
        f"CREATE DATABASE {_quote(target)} TEMPLATE {_quote(template)}",
    )


def drop(name: str) -> None:
    _admin(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


def _copy_files(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if source.exists():
        shutil.copytree(source, target, dirs_exist_ok=True)


class SharedDemo:
    """One per test process (session fixture `shared_demo` in tests/conftest.py)."""

    def __init__(self, *, run_dir: Path, worker_dir: Path, unblock: Callable[[], Any]):
        self.run_dir = run_dir  # shared by the run's workers
        self.worker_dir = worker_dir  # this worker's
        self.unblock = unblock  # django_db_blocker.unblock
        self.database = connections["default"].settings_dict["NAME"]  # test_…_gwN
        self.base = re.sub(r"_gw\d+$", "", self.database)
        self.copies: dict[str, str] = {}
        self.fresh_count = 0
        self._lock_depth = 0

    # The run's templates ---------------------------------------------------------

    def template(self, kind: str) -> str:
        return f"{self.base}_tpl_{kind}"

    def media(self, kind: str) -> Path:
        return self.run_dir / f"demo-media-{kind}"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The run's lock on the templates (re-entrant within this process),
        with database access for CREATE/DROP DATABASE."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                with self.unblock():
                    yield
            finally:
                self._lock_depth -= 1
            return
        with (self.run_dir / "shared-demo.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._lock_depth = 1
            try:
                with self.unblock():
                    yield
            finally:
                self._lock_depth = 0
                fcntl.flock(lock, fcntl.LOCK_UN)

    def snapshot_empty(self) -> None:
        """Right after this worker's database is made: an empty, migrated copy
        for the templates, once per run (no test has run yet)."""
        with self._locked():
            marker = self.run_dir / "tpl-empty.json"
            if marker.exists():
                return
            connections["default"].close()
            _copy(self.database, self.template("empty"))
            marker.write_text("{}")

    def metadata(self, kind: str) -> dict[str, Any]:
        """What the build of `kind` left for the tests (built now if not yet)."""
        marker = self.run_dir / f"tpl-{kind}.json"
        if not marker.exists():
            with self._locked():
                if not marker.exists():
                    meta = self._build(kind)
                    marker.write_text(json.dumps(meta))
        return json.loads(marker.read_text())

    def _build(self, kind: str) -> dict[str, Any]:
        from tests.trust import programmes

        source = {"demo": "empty", "programmes": "demo"}[kind]
        if source != "empty":
            self.metadata(source)  # re-entrant: the lock is held by this process
        template, media = self.template(kind), self.media(kind)
        _copy(self.template(source), template)
        if source != "empty":
            _copy_files(self.media(source), media)
        media.mkdir(parents=True, exist_ok=True)
        with (
            connected_to(template),
            self.unblock(),
            override_settings(MEDIA_ROOT=media),
            scopes_disabled(),
            transaction.atomic(),
        ):
            if kind == "demo":
                out = io.StringIO()
                call_command("seed_demo", "--not-production", stdout=out)
                meta: dict[str, Any] = {"stdout": out.getvalue()}
            else:
                meta = programmes.add_probes()
            # As when the demo was built inside a test's transaction: what
            # it would do after its commit (queue e-mails and jobs) never runs.
            connections["default"].run_on_commit = []
        return meta

    # This worker's copies ---------------------------------------------------------

    def _worker_copy(self, kind: str) -> tuple[str, Path]:
        self.metadata(kind)
        media = self.worker_dir / f"demo-media-{kind}"
        if kind not in self.copies:
            name = f"{self.database}_{kind}"
            with self._locked():
                _copy(self.template(kind), name)
            shutil.rmtree(media, ignore_errors=True)
            _copy_files(self.media(kind), media)
            self.copies[kind] = name
        return self.copies[kind], media

    @contextmanager
    def use(self, kind: str) -> Iterator[dict[str, Any]]:
        """The worker's copy of `kind` for the block, in a transaction rolled
        back at its end; yields the build's metadata. For module- and
        class-scoped fixtures: enter it before any test opens its transaction."""
        name, media = self._worker_copy(kind)
        with (
            connected_to(name),
            override_settings(MEDIA_ROOT=media),
            self.unblock(),
            transaction.atomic(),
        ):
            yield self.metadata(kind)
            transaction.set_rollback(True)

    @contextmanager
    def fresh(self, kind: str, media_root: Path) -> Iterator[dict[str, Any]]:
        """A copy of `kind` of its own for the block, dropped afterwards, its
        files copied into `media_root`; for transactional tests (no
        transaction is opened: what the test writes is committed, in the copy)."""
        meta = self.metadata(kind)
        self.fresh_count += 1
        name = f"{self.database}_fresh{self.fresh_count}"
        with self._locked():
            _copy(self.template(kind), name)
        _copy_files(self.media(kind), media_root)
        try:
            with connected_to(name):
                yield meta
        finally:
            with self.unblock():
                drop(name)

    def close(self) -> None:
        with self.unblock():
            for name in self.copies.values():
                drop(name)
        self.copies.clear()


def drop_templates(base: str) -> None:
    for kind in ("empty", *KINDS):
        drop(f"{base}_tpl_{kind}")
