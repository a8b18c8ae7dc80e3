"""/healthz: what the compose health check and a load balancer probe.

200 with every configured dependency "ok"; 503 as soon as one is not. Redis
and the Celery broker are only checked when configured (the embedded run has
neither).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.urls import reverse

from portal import health

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The Makefile's default when REDIS_URL is unset; `make test` always sets it.
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def without_redis(settings):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = ""


@pytest.fixture
def with_redis(settings):
    settings.REDIS_URL = REDIS_URL
    settings.CELERY_BROKER_URL = REDIS_URL


def test_healthz_reports_database_only_without_redis(client, without_redis):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_healthz_checks_redis_and_broker_when_configured(client, with_redis):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "celery_broker": "ok"},
    }


def test_healthz_needs_no_login(client, without_redis):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "Location" not in response


def test_healthz_is_never_cached(client, without_redis):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_redis_is_configured_but_unreachable(client, settings):
    settings.REDIS_URL = UNREACHABLE_REDIS_URL
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS_URL

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error: ")
    assert body["checks"]["celery_broker"].startswith("error: ")


def test_healthz_is_503_when_the_database_fails(client, monkeypatch, without_redis):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "error: OperationalError"},
    }


def test_healthz_does_not_leak_error_details(client, monkeypatch, without_redis):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError('password authentication failed for user "portal"')

    monkeypatch.setattr(health, "connection", BrokenConnection())

    response = client.get("/healthz")

    assert "password" not in response.content.decode()


def test_healthz_accepts_get_only(client, without_redis):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_exempt_from_the_https_redirect(client, settings, without_redis):
    # The compose health check probes plain HTTP inside the network.
    if not getattr(settings, "SECURE_REDIRECT_EXEMPT", None):
        pytest.fail("production settings not loaded: run the suite with DEBUG=False (make test)")
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301


# --- the embedded run: the real settings module, in a clean process ----------


def settings_in_subprocess(**env: str) -> dict[str, Any]:
    script = (
        "import django, json, os; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); "
        "django.setup(); "
        "from django.conf import settings; "
        "print(json.dumps({"
        "'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
        "'broker': settings.CELERY_BROKER_URL, "
        "'cache': settings.CACHES['default']['BACKEND']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_settings_run_tasks_inline():
    values = settings_in_subprocess(DEBUG="True", REDIS_URL="")

    assert values["eager"] is True
    assert values["broker"] == ""
    assert values["cache"].endswith("LocMemCache")


def test_settings_with_redis_send_tasks_to_the_broker():
    values = settings_in_subprocess(DEBUG="True", REDIS_URL="redis://127.0.0.1:6379/0")

    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/0"
    assert values["cache"].endswith("RedisCache")
