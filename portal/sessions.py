"""Session hygiene: an idle timeout on top of SESSION_COOKIE_AGE, and the client
address that login throttling counts failures against."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

LAST_SEEN_KEY = "portal_last_seen"
# The stamp is refreshed at most this often, so a page view is not a session write.
REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    """Log out a session that has seen no request for SESSION_IDLE_TIMEOUT seconds.

    Runs before LoginRequiredMiddleware, which then sends the request to the
    login page with `?next=` as for any anonymous visitor. The clock starts at
    login (the session is being written then anyway) and is moved on at most
    once a minute, so ordinary page views do not write the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        timeout = settings.SESSION_IDLE_TIMEOUT  # 0: no idle timeout
        if timeout > 0 and request.user.is_authenticated:
            last_seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int) and now - last_seen > timeout:
                logout(request)
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            last_seen = session.get(LAST_SEEN_KEY)
            stale = isinstance(last_seen, int) and now - last_seen >= REFRESH_SECONDS
            if session.modified or stale:
                session[LAST_SEEN_KEY] = now
        return whole_page_redirect(request, response)


def current_page(request: HttpRequest) -> str:
    """The page the user is on: for htmx, the page that asked (HX-Current-URL),
    not the fragment's address."""
    if request.headers.get("HX-Request") == "true":
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.path.startswith("/") and current.netloc in ("", request.get_host()):
            return current.path + (f"?{current.query}" if current.query else "")
    return request.get_full_path()


def whole_page_redirect(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An htmx request sent to the login page (session ended) would swap the
    login form into a fragment: navigate the whole page instead, and come back
    to the page the user was on."""
    if request.headers.get("HX-Request") != "true" or response.status_code != 302:
        return response
    login_url = resolve_url(settings.LOGIN_URL)
    if not response["Location"].startswith(login_url):
        return response
    return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': current_page(request)})}")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind PROXY_COUNT trusted proxies
    the entry of X-Forwarded-For that the outermost of them appended (entries
    further left are whatever the client sent, and are not believed)."""
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


# When the session's user last proved who they are (login, or entering the
# password or a two-factor code again): steps such as signing minutes ask
# again when this is too long ago.
AUTHENTICATED_AT_KEY = "portal_authenticated_at"


def mark_authenticated(request: HttpRequest) -> None:
    request.session[AUTHENTICATED_AT_KEY] = int(time.time())


def on_user_logged_in(
    sender: object, request: HttpRequest | None, user: object, **kwargs: object
) -> None:
    """`user_logged_in` receiver: the login is an authentication."""
    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)


def seconds_since_authentication(request: HttpRequest) -> int | None:
    """Seconds since the last authentication of this session (None: unknown)."""
    at = request.session.get(AUTHENTICATED_AT_KEY)
    if not isinstance(at, int):
        return None
    return max(0, int(time.time()) - at)
