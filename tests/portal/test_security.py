"""Login throttling, session expiry, the security headers and where files are served."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from portal import sessions

PASSWORD = "secret-password-123"


def attempt(client: Client, username: str, password: str = "fel", address: str = "10.0.0.1"):  # noqa: S107
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(user, times: int, address: str = "10.0.0.1") -> None:
    """`times` wrong passwords; the fifth is already answered with the lockout."""
    for number in range(1, times + 1):
        expected = 429 if number >= settings.AXES_FAILURE_LIMIT else 200
        assert attempt(Client(), user.username, address=address).status_code == expected


# Login throttling ---------------------------------------------------------------


def test_throttling_is_five_failures_per_username_and_address_for_fifteen_minutes():
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_five_wrong_passwords_lock_the_login_out_even_with_the_right_password(world):
    user = world.users["leader"]
    fail(user, 4)
    fifth = attempt(Client(), user.username)
    client = Client()

    response = attempt(client, user.username, PASSWORD)

    assert fifth.status_code == 429
    assert response.status_code == 429
    assert "registration/lockout.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "15" in page
    assert reverse("password_reset") in page


def test_the_lockout_is_for_that_address_only(world):
    user = world.users["leader"]
    fail(user, 5)
    client = Client()

    response = attempt(client, user.username, PASSWORD, address="10.0.0.2")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_lockout_is_for_that_username_only(world):
    fail(world.users["leader"], 5)

    response = attempt(Client(), world.users["steering"].username, PASSWORD)

    assert response.status_code == 302


def test_a_right_password_resets_the_count(world):
    user = world.users["leader"]
    fail(user, 4)
    assert attempt(Client(), user.username, PASSWORD).status_code == 302
    fail(user, 4)

    assert attempt(Client(), user.username, PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(world):
    user = world.users["leader"]
    fail(user, 5)
    assert attempt(Client(), user.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )

    assert attempt(Client(), user.username, PASSWORD).status_code == 302


def test_a_locked_out_two_factor_user_does_not_reach_the_code_step(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = world.users["leader"]
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    fail(user, 5)
    client = Client()

    assert attempt(client, user.username, PASSWORD).status_code == 429
    assert "portal_2fa_pending" not in client.session


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the left entry is spoofable
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: don't guess
    ],
)
def test_the_client_address_believes_only_the_trusted_proxies(
    settings, proxies, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert sessions.client_ip(request) == expected


def test_spoofed_forwarded_for_does_not_escape_the_lockout(world, settings):
    settings.PROXY_COUNT = 1
    user = world.users["leader"]
    for fake in range(5):
        Client().post(
            reverse("login"),
            {"username": user.username, "password": "fel"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{fake}, 203.0.113.9",
        )

    response = Client().post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9",
    )

    assert response.status_code == 429


# Session expiry ---------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    assert attempt(client, user.username, PASSWORD).status_code == 302
    return client


def test_sessions_end_when_the_browser_closes_and_after_eight_hours():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_IDLE_TIMEOUT == 60 * 60


def test_an_idle_session_is_sent_to_login(world):
    client = logged_in(world.users["leader"])
    session = client.session
    session[sessions.LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT + 1
    session.save()
    url = reverse("portal:home", kwargs={"tenant_slug": world.tenant.slug})

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/sormland/"
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_of_an_idle_session_reloads_the_whole_page_to_login(world):
    client = logged_in(world.users["leader"])
    session = client.session
    session[sessions.LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT + 1
    session.save()
    fragment = reverse("portal:people", kwargs={"tenant_slug": world.tenant.slug})

    response = client.get(
        fragment,
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/sormland/?tab=2"},
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login") + "?next=%2Fsormland%2F%3Ftab%3D2"
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_cannot_send_the_user_off_site_after_login(world):
    response = Client().get(
        reverse("portal:people", kwargs={"tenant_slug": world.tenant.slug}),
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/phish"},
    )

    assert response["HX-Redirect"] == reverse("login") + "?next=%2Fsormland%2Fadmin%2Fpeople%2F"


def test_an_idle_timeout_of_zero_means_none(world, settings):
    client = logged_in(world.users["leader"])
    session = client.session
    session[sessions.LAST_SEEN_KEY] -= 10 * 24 * 60 * 60
    session.save()
    settings.SESSION_IDLE_TIMEOUT = 0

    assert client.get(reverse("portal:picker")).status_code in (200, 302)
    assert client.session["_auth_user_id"] == str(world.users["leader"].pk)


def test_a_session_in_use_stays_logged_in(world):
    client = logged_in(world.users["leader"])
    session = client.session
    session[sessions.LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT - 60
    session.save()
    url = reverse("portal:home", kwargs={"tenant_slug": world.tenant.slug})

    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200


def test_the_idle_clock_is_moved_on_at_most_once_a_minute(world):
    client = logged_in(world.users["leader"])
    stamped = client.session[sessions.LAST_SEEN_KEY]
    url = reverse("portal:home", kwargs={"tenant_slug": world.tenant.slug})

    client.get(url)
    assert client.session[sessions.LAST_SEEN_KEY] == stamped

    session = client.session
    session[sessions.LAST_SEEN_KEY] = stamped - sessions.REFRESH_SECONDS
    session.save()
    client.get(url)
    assert client.session[sessions.LAST_SEEN_KEY] >= stamped


def test_an_expired_session_cookie_is_sent_to_login(world):
    client = logged_in(world.users["leader"])
    session = client.session
    session.set_expiry(-1)
    session.save()

    response = client.get(reverse("portal:picker"))

    assert response["Location"].startswith(reverse("login") + "?next=")


# Headers ------------------------------------------------------------------------------


def test_every_page_has_a_strict_content_security_policy(world, client_for):
    response = client_for(world.users["leader"]).get(
        reverse("portal:home", kwargs={"tenant_slug": world.tenant.slug})
    )
    policy = response["Content-Security-Policy"]

    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_choosing_a_language_sets_a_cookie_scripts_cannot_read(db):
    response = Client().post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]

    assert cookie.value == "en"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_the_csrf_cookie_is_not_readable_by_scripts(db):
    cookie = Client().get(reverse("login")).cookies[settings.CSRF_COOKIE_NAME]

    assert cookie["httponly"]


def test_the_login_page_has_the_policy_too(db):
    policy = Client().get(reverse("login"))["Content-Security-Policy"]

    assert "'unsafe-inline'" not in policy
    assert "default-src 'self'" in policy


# Files ---------------------------------------------------------------------------------


def test_media_is_not_served_by_url(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "secret.pdf").write_bytes(b"%PDF-1.7 secret")
    client = client_for(world.users["leader"])

    for url in (
        f"{settings.MEDIA_URL}generated/secret.pdf",
        "/media/generated/secret.pdf",
        "/static/../media/generated/secret.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert not response.streaming
        assert b"%PDF" not in response.content


def test_uploads_are_limited_in_size_and_type():
    from portal.uploads import UPLOAD_TYPES, max_upload_bytes

    assert max_upload_bytes() == settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES
    assert settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES <= 10 * 1024 * 1024
    assert not {"html", "htm", "svg", "js", "exe", "xml"} & UPLOAD_TYPES.keys()


def test_a_body_larger_than_any_upload_is_refused_before_it_is_parsed(
    world, client_for, settings, monkeypatch
):
    from django.http.multipartparser import MultiPartParser

    def never(*args, **kwargs):
        raise AssertionError("the refused body was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", never)
    settings.MAX_REQUEST_BYTES = 1000
    settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES = 900
    client = client_for(world.users["reporter"])
    url = reverse("portal:home", kwargs={"tenant_slug": world.tenant.slug})

    response = client.post(url, {"file": "x" * 2000})

    assert response.status_code == 413
    assert "900" in response.content.decode()


@pytest.mark.parametrize(("size", "left_unread"), [(3000, 0), (6000, 6000)])
def test_a_refused_body_is_dropped_so_its_sender_sees_the_page_up_to_a_bound(
    settings, monkeypatch, size, left_unread
):
    """Read and dropped, or the server's close would reset the connection
    under a client still sending; past the bound it is not read at all."""
    from portal import request_limits

    settings.MAX_REQUEST_BYTES = 1000
    monkeypatch.setattr(request_limits, "DISCARD_MAX_BYTES", 5000)
    request = RequestFactory().post("/", data=b"x" * size, content_type="application/octet-stream")

    response = request_limits.RequestSizeLimitMiddleware(lambda r: HttpResponse())(request)

    assert response.status_code == 413
    assert len(request.read()) == left_unread


def test_the_413_answer_has_no_hop_by_hop_header(world, client_for, settings):
    """WSGI forbids them: the development server answers 500 for one (and
    gunicorn drops it). tests/trust/test_too_large.py runs both servers."""
    from wsgiref.util import is_hop_by_hop

    settings.MAX_REQUEST_BYTES = 1000
    client = client_for(world.users["reporter"])
    url = reverse("portal:home", kwargs={"tenant_slug": world.tenant.slug})

    response = client.post(url, {"file": "x" * 2000})

    assert response.status_code == 413
    assert [name for name in response.headers if is_hop_by_hop(name)] == []


def test_a_body_within_the_limit_goes_through(world, client_for, settings):
    settings.MAX_REQUEST_BYTES = 1000
    client = client_for(world.users["reporter"])
    url = reverse("portal:home", kwargs={"tenant_slug": world.tenant.slug})

    assert client.post(url, {"a": "x" * 100}).status_code == 405  # reached the view


def test_the_request_limit_leaves_room_for_the_largest_attachment():
    assert settings.MAX_REQUEST_BYTES > settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES
