"""An upload larger than any form accepts gets a clear 413 page (issue 18,
item 6), under both servers the portal runs on: gunicorn (production) and
Django's development server (`make run`), each a real process on loopback.

The body is larger than the socket buffers, as a real mistaken upload is: the
answer must reach a client that is still sending, not a reset connection.
"""

from __future__ import annotations

import http.client
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from tests.trust.processes import portal_dev_server, portal_env, portal_server

pytestmark = pytest.mark.slow

Server = Callable[[dict[str, str], Path], AbstractContextManager[str]]
SERVERS: dict[str, Server] = {"gunicorn": portal_server, "runserver": portal_dev_server}
BOUNDARY = "probe-boundary-7d3f"


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _upload(base: str, path: str, size: int) -> tuple[int, dict[str, str], str]:
    """POST a file of `size` bytes as a browser's form would; the answer."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="film.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    body = head + b"\0" * size + tail
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=60)
    try:
        conn.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


@pytest.mark.parametrize("name", SERVERS)
def test_an_upload_larger_than_the_limit_gets_the_clear_413_page(name, django_db_setup, tmp_path):
    log = tmp_path / f"{name}.log"
    env = portal_env(DATABASE_URL=_test_database_url(), REDIS_URL="")
    upload = reverse("implementation:attachment_add", args=["sormland", 1])
    too_large = django_settings.MAX_REQUEST_BYTES + 1024 * 1024

    with SERVERS[name](env, log) as base:
        status, headers, page = _upload(base, upload, too_large)
        # The server is still there for the next request.
        with urllib.request.urlopen(base + "/healthz", timeout=30) as health:  # noqa: S310
            assert health.status == 200

    output = log.read_text(errors="replace")
    assert status == 413, output[-3000:]
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Det du skickade är för stort" in page
    assert "Filer får vara högst 10,0" in page
    assert "Traceback" not in output
