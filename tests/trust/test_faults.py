"""Faults (issue 8, item 5): Redis down, a worker killed mid-job, PostgreSQL
restarted — with real processes of our own (tests/trust/processes.py), never
the shared Redis or PostgreSQL.

- Redis down: every page still answers (the cache is not needed to serve
  one), a PDF or export request says "tillfälligt otillgänglig", and once
  Redis is back the retry succeeds.
- A worker killed while a job is "pågår": the broker redelivers the task
  (acks_late, after the visibility timeout), the next worker redoes the job
  and it finishes — never stuck.
- PostgreSQL restarted under a running portal: the portal answers again
  without being restarted (CONN_HEALTH_CHECKS).
"""

from __future__ import annotations

import datetime
import json
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from portal.celery import app
from portal.documents import jobs as document_jobs
from portal.documents import requests as document_requests
from portal.documents import tasks
from portal.models import GeneratedFile, GeneratedFileStatus
from tests.document_helpers import eager_documents
from tests.helpers import HTMX, reload, text
from tests.trust.processes import (
    ROOT,
    VENV_BIN,
    celery_worker,
    portal_env,
    portal_server,
    postgres_cluster,
    redis_server,
)
from tests.urlwalk import routes, sample_kwargs

UNAVAILABLE = "tillfälligt otillgänglig"


def _queued_job(world) -> GeneratedFile:
    with scope(tenant=world.tenant):
        return document_requests.request_document(
            actor=world.users["leader"],
            membership=world.memberships["leader"],
            tenant=world.tenant,
            kind=document_jobs.get_kind("principal_snapshot"),
            obj=world.principal,
        )


# The claim: a redelivered job whose attempt died is redone ----------------------


@pytest.fixture
def no_queue(monkeypatch):
    monkeypatch.setattr(document_requests, "enqueue", lambda **kwargs: None)


def _running(job: GeneratedFile, *, minutes_ago: int = 0) -> None:
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=job.pk).update(
            status=GeneratedFileStatus.RUNNING,
            started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
            attempts=1,
        )


def test_a_redelivered_job_whose_worker_died_is_claimed_again(world, no_queue):
    job = _queued_job(world)
    _running(job, minutes_ago=11)
    with scope(tenant=world.tenant):
        claimed = document_jobs.claim(job_id=job.pk, tenant=world.tenant, redelivered=True)
    assert claimed is not None
    assert (claimed.status, claimed.attempts) == (GeneratedFileStatus.RUNNING, 2)


def test_a_second_delivery_of_a_running_job_renders_nothing(world, no_queue):
    job = _queued_job(world)
    _running(job)
    with scope(tenant=world.tenant):
        assert document_jobs.claim(job_id=job.pk, tenant=world.tenant) is None
    assert reload(job).attempts == 1


@pytest.mark.parametrize("status", [GeneratedFileStatus.DONE, GeneratedFileStatus.FAILED])
def test_a_redelivered_job_that_ended_is_not_rendered_again(world, no_queue, status):
    job = _queued_job(world)
    with scopes_disabled():
        GeneratedFile.objects.filter(pk=job.pk).update(status=status)
    with scope(tenant=world.tenant):
        assert document_jobs.claim(job_id=job.pk, tenant=world.tenant, redelivered=True) is None


def test_the_late_result_of_a_taken_over_attempt_is_dropped(world, no_queue, settings, tmp_path):
    eager_documents(settings, tmp_path)
    job = _queued_job(world)
    with scope(tenant=world.tenant):
        first = document_jobs.claim(job_id=job.pk, tenant=world.tenant)
        assert first is not None
        second = document_jobs.claim(job_id=job.pk, tenant=world.tenant, redelivered=True)
        assert second is not None
        document_jobs.run(second)
        late = document_jobs.complete(first, data=b"%PDF-late", filename="x.pdf", audience="a")
    assert late.attempts == 2
    assert reload(job).size != len(b"%PDF-late")


def test_redelivery_waits_longer_than_any_hard_time_limit_and_the_sweeper_longer_still():
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility == django_settings.BROKER_VISIBILITY_TIMEOUT
    assert visibility > django_settings.CELERY_TASK_TIME_LIMIT
    assert visibility > tasks.render_document.time_limit
    assert document_jobs.RUNNING_TIMEOUT.total_seconds() > visibility
    assert tasks.render_document.acks_late and tasks.render_document.reject_on_worker_lost


# Pointing the portal at our own Redis ------------------------------------------


@contextmanager
def broker_and_cache(settings, url: str) -> Iterator[None]:
    """Cache and Celery broker on `url`, as in production (tasks go to a broker)."""
    before = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "broker_transport_options")
    }

    def reset_pools() -> None:
        app._pool = None
        app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(
        broker_url=url,
        task_always_eager=False,
        broker_transport_options={"socket_connect_timeout": 1, "socket_timeout": 2},
    )
    reset_pools()
    try:
        yield
    finally:
        app.conf.update(before)
        reset_pools()


def _broker_reconnected() -> None:
    app._pool = None
    app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)


def page_routes() -> list:
    """Every tenant page that needs no object id: lists, dashboards, forms."""
    return [
        r
        for r in routes()
        if r.is_tenant
        and not any(conv == "IntConverter" for _, conv in r.converters)
        and all(k == "tenant_slug" for k in r.kwargs)
    ]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_pages_work_and_a_pdf_says_unavailable_then_the_retry_succeeds(
    world, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with redis_server() as redis, broker_and_cache(settings, redis.url):
        redis.kill()
        problems = []
        for role in ("leader", "researcher", "reporter"):
            client = client_for(world.users[role])
            for route in page_routes():
                url = reverse(route.name, kwargs=sample_kwargs(route, tenant_slug="sormland"))
                status = client.get(url).status_code
                if status >= 500:
                    problems.append(f"{role} GET {url} → {status}")
        assert problems == []

        client = client_for(world.users["leader"])
        request_url = reverse(
            "portal:document_request", args=["sormland", "principal_snapshot", world.principal.pk]
        )
        response = client.post(request_url, **HTMX)
        assert response.status_code == 200
        assert UNAVAILABLE in text(response)
        with scopes_disabled():
            job = GeneratedFile.objects.get()
        assert job.status == GeneratedFileStatus.FAILED

        redis.start()
        _broker_reconnected()
        retry = client.post(reverse("portal:document_retry", args=["sormland", job.pk]), **HTMX)
        assert retry.status_code == 200
        assert UNAVAILABLE not in text(retry)
        assert reload(job).status == GeneratedFileStatus.QUEUED
        # The message is in our Redis: a worker renders it.
        env = portal_env(
            DATABASE_URL=_test_database_url(),
            REDIS_URL=redis.url,
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
        )
        with celery_worker(env, tmp_path / "worker.log"):
            job = _wait_for(
                job, lambda j: not j.is_active, timeout=120, log=tmp_path / "worker.log"
            )
    assert job.status == GeneratedFileStatus.DONE, job.error_message


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(job: GeneratedFile, done, *, timeout: float, log: Path, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = reload(job)
        if done(job):
            return job
        time.sleep(every)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise AssertionError(f"job {job.pk} still {job.status} after {timeout}s\n{tail}")


# A worker killed mid-job --------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_mid_way_is_redone_and_finishes(
    world, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    log = tmp_path / "worker.log"
    with redis_server() as redis, broker_and_cache(settings, redis.url):
        client = client_for(world.users["leader"])
        response = client.post(
            reverse(
                "portal:document_request",
                args=["sormland", "principal_snapshot", world.principal.pk],
            ),
            **HTMX,
        )
        assert response.status_code == 200
        with scopes_disabled():
            job = GeneratedFile.objects.get()
        assert job.status == GeneratedFileStatus.QUEUED
        env = portal_env(
            DATABASE_URL=_test_database_url(),
            REDIS_URL=redis.url,
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            BROKER_VISIBILITY_TIMEOUT="3",
        )
        with celery_worker(env, log) as first:
            job = _wait_for(
                job, lambda j: j.status != GeneratedFileStatus.QUEUED, timeout=90, log=log
            )
            first.kill()  # SIGKILL: no warm shutdown, the message stays unacknowledged
            first.wait(timeout=30)
        job = reload(job)
        assert job.status == GeneratedFileStatus.RUNNING, "the job ended before the kill"
        assert not job.file

        with celery_worker(env, log):
            job = _wait_for(job, lambda j: not j.is_active, timeout=120, log=log)
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    assert job.attempts == 2
    status = client.get(reverse("portal:document_status", args=["sormland", job.pk]), **HTMX)
    assert reverse("portal:document_download", args=["sormland", job.pk]) in text(status)


# PostgreSQL restarted under a running portal -----------------------------------


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@pytest.mark.slow
def test_the_portal_recovers_from_a_postgresql_restart_without_being_restarted(tmp_path):
    log = tmp_path / "portal.log"
    with postgres_cluster() as cluster:
        env = portal_env(DATABASE_URL=cluster.url, REDIS_URL="", CONN_MAX_AGE="600")
        manage = [str(VENV_BIN / "python"), "manage.py"]
        subprocess.run(
            [*manage, "migrate", "--no-input"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        with portal_server(env, log) as base:
            for path in ("/healthz", "/accounts/login/"):
                assert _get(base + path)[0] == 200, log.read_text()[-2000:]
            cluster.restart()
            # The very next requests, on the same portal process, succeed.
            status, body = _get(base + "/healthz")
            assert status == 200, body
            assert json.loads(body)["checks"]["database"] == "ok"
            assert _get(base + "/accounts/login/")[0] == 200, log.read_text()[-2000:]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_an_export_says_unavailable_then_the_retry_succeeds(
    world, client_for, settings, tmp_path
):
    from research.forms import dataset_choices

    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_for(world.users["researcher"])
    with redis_server() as redis, broker_and_cache(settings, redis.url):
        redis.kill()
        response = client.post(
            reverse("research:export_create", args=["sormland"]),
            {"datasets": [dataset_choices()[0][0]], "format": "csv"},
            follow=True,
        )
        assert response.status_code == 200
        assert UNAVAILABLE in text(response)
        with scopes_disabled():
            job = GeneratedFile.objects.get()
        assert job.status == GeneratedFileStatus.FAILED

        redis.start()
        _broker_reconnected()
        retry = client.post(reverse("portal:document_retry", args=["sormland", job.pk]), **HTMX)
        assert retry.status_code == 200
        assert UNAVAILABLE not in text(retry)
        assert reload(job).status == GeneratedFileStatus.QUEUED
        env = portal_env(
            DATABASE_URL=_test_database_url(),
            REDIS_URL=redis.url,
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
        )
        with celery_worker(env, tmp_path / "worker.log"):
            job = _wait_for(
                job, lambda j: not j.is_active, timeout=120, log=tmp_path / "worker.log"
            )
    assert job.status == GeneratedFileStatus.DONE, job.error_message
