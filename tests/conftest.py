"""Two programmes and one user per role in each, as in healthchecks' alice/bob.

`tenant` is Sörmland-like, `other_tenant` Kronoberg-like. Each has a process
leader, steering member, principal reporter (for its first municipality),
researcher and tenant admin. `outsider` has no membership at all.

The suite runs in parallel (pytest-xdist, `make test`). Each worker process
(gw0, gw1, …) has its own database (pytest-django: `test_<name>_gw0`), its own
keys in the shared Redis (cache prefix and Celery key prefix, below), its own
MEDIA_ROOT, and the live server and the throwaway servers of the fault tests
on free ports. What the workers share is built once per run in the run's
temporary directory (`run_dir`): the seal certificate and the demo programmes.

The demo programmes (`seed_demo`, a minute to build) are built once per run
into template databases and copied to each worker: see tests/shared_demo.py.
A test reads them through a module- or class-scoped fixture:

- `programmes` (tests/trust/conftest.py): the demo plus one probe login per
  role and the extras, as `Programmes`; a module that asks for it runs all its
  tests in the worker's copy, inside a transaction rolled back at the end of
  the module (each test in its own savepoint, so it may write);
- `seeded` (tests/portal/test_seed_demo.py): the plain demo, the same way,
  per class, yielding what `seed_demo` printed;
- `fresh_demo` (below): for a transactional test (live server, a test that
  empties the database), a copy of its own that is dropped afterwards.

`world` and `other_world` make programmes with the demo's slugs, so a test
cannot use both `world` and the demo.

`--check-templates` (`make test`) checks that every template is rendered by
some test (see `pytest_sessionfinish` below).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.test import Client, override_settings
from django.test.signals import template_rendered
from django_scopes import scopes_disabled

from portal.models import Membership, Principal, Role, Tenant, User
from tests.factories import MembershipFactory, PrincipalFactory, TenantFactory, UserFactory
from tests.shared_demo import SharedDemo

# "gw0", "gw1", … under pytest-xdist; "" in a single process.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

# The workers share one Redis database: each keeps to keys of its own, so a
# cache count (rate limits, lockouts) or a queued task never crosses to
# another worker. Set before the cache or Celery is first used.
if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{WORKER or 'main'}"
if settings.CELERY_BROKER_URL:
    settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"test-{WORKER or 'main'}:"


@receiver(setting_changed)
def _celery_follows_the_settings(setting: str, value: object, **kwargs: object) -> None:
    """Celery reads its settings once (portal/celery.py): a test that switches
    CELERY_TASK_ALWAYS_EAGER (tests/document_helpers.eager_documents, the e2e
    `celery_worker`) must reach Celery's config too, whichever test loaded it
    first in this worker (one that changed app.conf itself, as the fault
    tests do, would otherwise leave tasks queued to a broker nobody reads)."""
    if setting == "CELERY_TASK_ALWAYS_EAGER":
        from portal.celery import app

        app.conf.task_always_eager = bool(value)


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    """A temporary directory shared by all workers of this run (pytest-xdist
    gives each worker its own basetemp below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if WORKER else base


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Hashing passwords properly is slow on purpose; tests don't need that."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _seal_directory(run_dir):
    """The self-signed seal certificate (portal/seals.py) is generated once per
    run, outside the checkout, and shared by the workers (the demo's sealed
    minutes are checked against it in every worker)."""
    with override_settings(SEAL_DIR=run_dir / "seal"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """Files a test saves without choosing a MEDIA_ROOT go to the worker's own."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, run_dir):
    """pytest-django's, then (once per run) an empty copy of the fresh database
    for the demo's templates (tests/shared_demo.py)."""
    with django_db_blocker.unblock():
        SharedDemo(
            run_dir=run_dir, worker_dir=run_dir, unblock=django_db_blocker.unblock
        ).snapshot_empty()
    yield


@pytest.fixture(scope="session")
def shared_demo(
    django_db_setup, django_db_blocker, run_dir, tmp_path_factory
) -> Iterator[SharedDemo]:
    """The demo programmes, built once per run; see tests/shared_demo.py."""
    demo = SharedDemo(
        run_dir=run_dir,
        worker_dir=tmp_path_factory.mktemp("shared-demo"),
        unblock=django_db_blocker.unblock,
    )
    yield demo
    demo.close()


@pytest.fixture
def fresh_demo(shared_demo: SharedDemo) -> Iterator[Callable[[Path], dict]]:
    """`fresh_demo(media_root)` → the demo in a database of the test's own from
    then on, its files in `media_root`; for transactional tests only. Returns
    what the build left (`["stdout"]`: what seed_demo printed)."""
    with contextlib.ExitStack() as stack:

        def switch(media_root: Path, kind: str = "demo") -> dict:
            return stack.enter_context(shared_demo.fresh(kind, media_root))

        yield switch


@dataclass
class World:
    tenant: Tenant
    principal: Principal
    other_principal: Principal
    users: dict[str, User]
    memberships: dict[str, Membership]


ROLES = {
    "leader": Role.PROCESS_LEADER,
    "steering": Role.STEERING_MEMBER,
    "reporter": Role.PRINCIPAL_REPORTER,
    "researcher": Role.RESEARCHER,
    "admin": Role.TENANT_ADMIN,
}


def _world(slug: str, name: str, region: str) -> World:
    tenant = TenantFactory(slug=slug, name=name, region=region)
    principal = PrincipalFactory(tenant=tenant, name=f"{slug}-kommun-a")
    other_principal = PrincipalFactory(tenant=tenant, name=f"{slug}-kommun-b")
    users, memberships = {}, {}
    for key, role in ROLES.items():
        user = UserFactory(username=f"{slug}-{key}")
        users[key] = user
        memberships[key] = MembershipFactory(
            tenant=tenant,
            user=user,
            role=role,
            principal=principal if role == Role.PRINCIPAL_REPORTER else None,
        )
    return World(tenant, principal, other_principal, users, memberships)


@pytest.fixture
def world(db) -> World:
    return _world("sormland", "Tillsammans för barnens bästa", "Region Sörmland")


@pytest.fixture
def other_world(db) -> World:
    return _world("kronoberg", "Barnens bästa gäller!", "Region Kronoberg")


@pytest.fixture
def tenant(world) -> Tenant:
    return world.tenant


@pytest.fixture
def other_tenant(other_world) -> Tenant:
    return other_world.tenant


@pytest.fixture
def outsider(db) -> User:
    return UserFactory(username="outsider")


@pytest.fixture
def client_for():
    """`client_for(user)` → a logged-in test client."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def no_scopes():
    with scopes_disabled():
        yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first, browser (e2e) then slow, so that in parallel
    they start early and the short ones fill the gaps at the end (xdist's
    worksteal takes work from the end of a busy worker's queue). The
    accessibility walk, the longest test, is the first e2e module, and it
    builds the shared demo. Within each group the order is pytest-django's."""

    def group(item: pytest.Item) -> int:
        if item.get_closest_marker("e2e"):
            return 0
        return 1 if item.get_closest_marker("slow") else 2

    items.sort(key=group)


# Every template is rendered by some test (Zulip's rule) --------------------------------
#
# pytest-django instruments template rendering for the tests (Django's
# `template_rendered` signal, sent for every template, extended and included
# ones too, also in the live server's threads). Each worker records the names
# and hands them to the controller (xdist's `workeroutput`); the controller
# fails the run if a template under templates/ was never rendered. Only a run
# of the whole suite can tell, so it is checked only with `--check-templates`
# (`make test`) and without -k, -m or chosen paths.

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"

# Templates that no test can render, each with its reason. Prefer a test.
NEVER_RENDERED_IN_TESTS: dict[str, str] = {}

_rendered: set[str] = set()
_template_report: list[str] = []


def _record_template(sender, template, context, **kwargs) -> None:
    # A partial ("file.html#part") is named by its partial alone; its origin
    # names the file it is in.
    origin = getattr(template, "origin", None)
    name = getattr(origin, "template_name", None) or template.name
    if name:
        # A plain str: xdist cannot send a SafeString to the controller.
        _rendered.add(str.__str__(str(name)).split("#", 1)[0])


template_rendered.connect(_record_template, dispatch_uid="tests.record_template")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--check-templates",
        action="store_true",
        help="fail if a template under templates/ is rendered by no test (whole suite only)",
    )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """xdist, in the controller: a worker's rendered templates."""
    _rendered.update(getattr(node, "workeroutput", {}).get("rendered_templates", []))


def unrendered_templates(rendered: set[str]) -> tuple[list[str], list[str]]:
    """(templates no test rendered, allow-list entries that were rendered after all)."""
    on_disk = {p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*.*")}
    missing = sorted(on_disk - rendered - set(NEVER_RENDERED_IN_TESTS))
    stale = sorted(set(NEVER_RENDERED_IN_TESTS) & rendered | set(NEVER_RENDERED_IN_TESTS) - on_disk)
    return missing, stale


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker: report to the controller
        config.workeroutput["rendered_templates"] = sorted(_rendered)
        return
    if not config.getoption("--check-templates"):
        return
    whole_suite = (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.option.keyword
        and not config.option.markexpr
        and not config.option.deselect
        and not session.shouldfail
        and not session.shouldstop
    )
    if not whole_suite or session.testsfailed:
        _template_report.append("not checked: not a whole, passing run of the suite")
        return
    missing, stale = unrendered_templates(_rendered)
    _template_report.extend(f"{name} is rendered by no test" for name in missing)
    _template_report.extend(
        f"{name} is in NEVER_RENDERED_IN_TESTS (tests/conftest.py) but rendered or gone: "
        "take it off the list"
        for name in stale
    )
    if not (missing or stale):
        _template_report.append("every template under templates/ is rendered by some test")
    if missing or stale:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if _template_report:
        terminalreporter.write_sep("-", "templates (--check-templates)")
        for line in _template_report:
            terminalreporter.write_line(line)
