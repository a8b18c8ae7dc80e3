"""The htmx replies every view shares (`portal/htmx.py`): a whole-page change
is a redirect, for htmx a client redirect; an answer can be sent to another
element; a refused button press is an alert in the page's message region."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from portal.htmx import refused, swap_to, to_page
from portal.services import DomainError


def request(*, htmx: bool) -> Any:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    req = RequestFactory().post("/somewhere/", **headers)
    req.htmx = HtmxDetails(req)
    req._messages = CookieStorage(req)
    return req


def said(req: Any) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in req._messages]


def test_to_page_redirects_a_browser_and_says_the_message():
    req = request(htmx=False)

    response = to_page(req, "/done/", "Saved.")

    assert response.status_code == 302
    assert response["Location"] == "/done/"
    assert "HX-Redirect" not in response
    assert said(req) == [(messages.SUCCESS, "Saved.")]


def test_to_page_answers_htmx_with_a_client_redirect_at_the_given_level():
    req = request(htmx=True)

    response = to_page(req, "/done/", "Only a draft.", level=messages.INFO)

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/done/"
    assert "Location" not in response
    assert said(req) == [(messages.INFO, "Only a draft.")]


def test_to_page_without_a_message_says_nothing():
    req = request(htmx=True)

    to_page(req, "/done/")

    assert said(req) == []


@pytest.mark.parametrize(("swap", "expected"), [(None, "outerHTML"), ("innerHTML", "innerHTML")])
def test_swap_to_retargets_and_reswaps(swap, expected):
    response = HttpResponse("<p>x</p>")

    result = swap_to(response, "#agenda") if swap is None else swap_to(response, "#agenda", swap)

    assert result is response
    assert response["HX-Retarget"] == "#agenda"
    assert response["HX-Reswap"] == expected


def test_refused_puts_an_alert_into_the_message_region_for_htmx():
    req = request(htmx=True)

    response = refused(req, DomainError("Not <now>."), url="/page/", target="#page-messages")

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#page-messages"
    assert response["HX-Reswap"] == "innerHTML"
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "data-autofocus" in html
    assert "Not &lt;now&gt;." in html  # escaped
    assert said(req) == []


def test_refused_redirects_a_browser_with_the_error_on_top():
    req = request(htmx=False)

    response = refused(req, DomainError("Not now."), url="/page/", target="#page-messages")

    assert response.status_code == 302
    assert response["Location"] == "/page/"
    assert "HX-Retarget" not in response
    assert said(req) == [(messages.ERROR, "Not now.")]
