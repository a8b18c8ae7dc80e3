"""The real identity providers of the SSO tests, each in a process of its own
on a free loopback port, started once per test session (and per xdist worker):
tests/idp/oidc/run.py (django-oauth-toolkit) and tests/idp/saml/run.py (pysaml2).

Import the fixtures where they are used (tests/sso/conftest.py, the e2e test)."""

from __future__ import annotations

import os
import secrets
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.core.cache import cache

HERE = Path(__file__).resolve().parent
PASSWORD = "idp-password-1"  # the test IdPs' users' password (run.py)
OIDC_SLUG = "test-oidc"
SAML_SLUG = "test-saml"
# Registered at the OIDC provider; loopback ports are not compared (RFC 8252).
SP_HOSTS = ("http://testserver", "http://127.0.0.1", "http://localhost")


@dataclass
class RunningIdP:
    base: str
    process: subprocess.Popen[bytes]
    client_secret: str = ""

    def events(self) -> list[dict]:
        import json

        text = requests.get(f"{self.base}/events", timeout=5).text
        return [json.loads(line) for line in text.splitlines() if line]


def _start(script: Path, args: list[str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    process = subprocess.Popen(
        [sys.executable, str(script), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
        env=env,
    )
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not selector.select(timeout=1):
            if process.poll() is not None:
                break
            continue
        line = process.stdout.readline().decode()
        if line.startswith("LISTENING "):
            return process, int(line.split()[1])
        if not line:
            break
    process.kill()
    raise RuntimeError(f"{script} did not start: {log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def oidc_idp(tmp_path_factory) -> Iterator[RunningIdP]:
    data = tmp_path_factory.mktemp("oidc-idp")
    secret = secrets.token_urlsafe(24)
    # "=": a secret may begin with "-", which argparse would take for an option.
    args = ["--data", str(data), f"--client-secret={secret}"]
    for host in SP_HOSTS:
        args += ["--redirect-uri", f"{host}/accounts/sso/oidc/callback/"]
        args += ["--post-logout-uri", f"{host}/accounts/login/"]
    process, port = _start(HERE / "oidc" / "run.py", args, data / "log.txt")
    yield RunningIdP(f"http://127.0.0.1:{port}", process, secret)
    _stop(process)


@pytest.fixture(scope="session")
def saml_idp(tmp_path_factory) -> Iterator[RunningIdP]:
    data = tmp_path_factory.mktemp("saml-idp")
    process, port = _start(HERE / "saml" / "run.py", ["--data", str(data)], data / "log.txt")
    yield RunningIdP(f"http://127.0.0.1:{port}", process)
    _stop(process)


def make_oidc_provider(idp: RunningIdP, **fields):
    from sso.models import IdentityProvider

    url = f"{idp.base}/o"
    cache.delete(f"sso:oidc:{url}/.well-known/openid-configuration")
    defaults = {
        "kind": "oidc",
        "name": "Region Testland (Entra ID)",
        "oidc_discovery_url": url,
        "oidc_client_id": "portal",
        "oidc_client_secret": idp.client_secret,
        "oidc_scopes": "openid email profile",
    }
    return IdentityProvider.objects.create(slug=OIDC_SLUG, **{**defaults, **fields})


def make_saml_provider(idp: RunningIdP, **fields):
    from sso.models import IdentityProvider

    url = f"{idp.base}/metadata"
    cache.delete(f"sso:saml:{url}")
    defaults = {
        "kind": "saml",
        "name": "Skolfederation Test",
        "saml_metadata_url": url,
        "match_attribute": "mail",
    }
    return IdentityProvider.objects.create(slug=SAML_SLUG, **{**defaults, **fields})
