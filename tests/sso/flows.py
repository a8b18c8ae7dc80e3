"""Logging in through the real test IdPs (tests/idp/) with Django's test
client for the portal and `requests` for the IdP, as a browser would."""

from __future__ import annotations

import base64
import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.idp.fixtures import PASSWORD, RunningIdP


def english() -> Client:
    """A test client that reads the pages in English (the msgids)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} in {page[:500]}"
    return unescape(match.group(1))


def _path(url: str) -> str:
    parts = urlparse(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# SAML ----------------------------------------------------------------------------


def saml_response(
    client: Client,
    slug: str,
    idp: RunningIdP,
    *,
    username: str = "anna",
    next_url: str = "",
    **knobs: str,
) -> tuple[str, str, str]:
    """Start a login at the portal and sign in at the IdP: (ACS path,
    SAMLResponse, RelayState), not yet posted to the portal."""
    url = reverse("sso:saml_login", args=[slug])
    response = client.get(url + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.startswith(f"{idp.base}/sso?")
    query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
    form = {**query, "username": username, "password": PASSWORD, **knobs}
    page = requests.post(f"{idp.base}/sso", data=form, timeout=10)
    assert page.status_code == 200, page.text
    action = re.search(r'action="([^"]+)"', page.text)
    assert action, page.text[:500]
    return (
        _path(unescape(action.group(1))),
        _hidden(page.text, "SAMLResponse"),
        _hidden(page.text, "RelayState"),
    )


def saml_login(
    client: Client,
    slug: str,
    idp: RunningIdP,
    *,
    username: str = "anna",
    next_url: str = "",
    **knobs: str,
) -> HttpResponse:
    acs, saml, relay = saml_response(
        client, slug, idp, username=username, next_url=next_url, **knobs
    )
    return client.post(acs, {"SAMLResponse": saml, "RelayState": relay})


def tamper(saml: str, old: str, new: str) -> str:
    xml = base64.b64decode(saml).decode()
    assert old in xml
    return base64.b64encode(xml.replace(old, new).encode()).decode()


# OpenID Connect ------------------------------------------------------------------


def oidc_authorize(
    client: Client, slug: str, idp: RunningIdP, *, username: str = "anna", next_url: str = ""
) -> str:
    """Start a login at the portal and sign in at the provider: the callback
    address the provider sends the browser back to."""
    url = reverse("sso:oidc_login", args=[slug])
    response = client.get(url + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    assert response.status_code == 302, response.content[:500]
    authorize = response["Location"]
    assert authorize.startswith(f"{idp.base}/o/authorize/")
    browser = requests.Session()
    login_page = browser.get(authorize, timeout=10)
    assert "/login/" in login_page.url
    done = browser.post(
        login_page.url,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": _hidden(login_page.text, "csrfmiddlewaretoken"),
            "next": _hidden(login_page.text, "next"),
        },
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302, done.text[:500]
    back = browser.get(f"{idp.base}{done.headers['Location']}", allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:500]
    client.idp_browser = browser  # type: ignore[attr-defined]
    return back.headers["Location"]


def oidc_login(
    client: Client, slug: str, idp: RunningIdP, *, username: str = "anna", next_url: str = ""
) -> HttpResponse:
    callback = oidc_authorize(client, slug, idp, username=username, next_url=next_url)
    assert callback.startswith("http://testserver/accounts/sso/oidc/callback/?")
    return client.get(_path(callback))
