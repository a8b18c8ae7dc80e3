"""Refuse request bodies larger than any form of the portal accepts, before
Django parses or spools them: an upload's size is otherwise checked only after
the whole file has arrived.

The refusal must reach the person who sent the file, under gunicorn and under
the development server alike:

- The response carries no `Connection` header. WSGI (PEP 3333) forbids
  hop-by-hop headers from the application: the development server (wsgiref)
  fails the request with a 500 for one, and gunicorn silently drops it. The
  server decides whether the connection stays open.
- What is left of the body is read and dropped (never kept) before answering,
  up to a bound. A server that closes a connection with data still unread
  makes the TCP stack reset it, and the client sees "connection reset"
  instead of the page. Past the bound (an absurd size, or a client too slow to
  finish in time) the server just closes the connection: no page is worth
  tying a worker up for that.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# How much of a refused body is read (and dropped) so that its sender sees the
# 413 page. A few times the limit covers the usual mistake (a video instead of
# a document); larger bodies are not read at all.
DISCARD_MAX_BYTES = 64 * 1024 * 1024
DISCARD_MAX_SECONDS = 10.0
DISCARD_CHUNK_BYTES = 64 * 1024


def _discard_body(request: HttpRequest, length: int) -> None:
    """Read and drop the request body, if it is small and quick enough (see
    the module's docstring)."""
    if length > DISCARD_MAX_BYTES:
        return
    deadline = time.monotonic() + DISCARD_MAX_SECONDS
    try:
        while time.monotonic() < deadline and request.read(DISCARD_CHUNK_BYTES):
            pass
    except OSError:  # the client went away (UnreadablePostError is an OSError)
        pass


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            _discard_body(request, length)
            context = {"limit": settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
