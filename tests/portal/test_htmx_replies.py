"""The htmx replies every view shares (`portal/htmx.py`): a whole-page change
is a redirect, for htmx a client redirect; an answer can be sent to another
element; a refused button press is an alert in the page's message region; a
"Cancel" gets its own row or slot back from the list page. And the guards: one
confirm page, and no Cancel that picks its part out of a whole page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from portal.htmx import refused, swap_to, to_page
from portal.services import DomainError

HTMX = {"HTTP_HX_REQUEST": "true"}


def request(*, htmx: bool) -> Any:
    headers = HTMX if htmx else {}
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


# A "Cancel" asks for its own part back ---------------------------------------


def _url(name: str, world: Any, *args: Any, query: str = "") -> str:
    return reverse(name, args=[world.tenant.slug, *args]) + query


@pytest.fixture
def admin(world, client_for):
    return client_for(world.users["admin"])


def test_cancel_on_a_row_gets_that_row_back(world, admin):
    pk = world.principal.pk

    response = admin.get(_url("portal:principals", world, query=f"?row={pk}"), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="principal-{pk}"')
    assert body.count("<tr") == 1
    assert _url("portal:principal_edit", world, pk) in body


def test_cancel_on_a_create_slot_gets_the_add_link_back(world, admin):
    response = admin.get(_url("portal:principals", world, query="?part=add_link"), **HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<p class="actions">')
    assert _url("portal:principal_create", world) in body
    assert "<tr" not in body


def test_a_row_of_another_programme_is_404(world, other_world, admin):
    query = f"?row={other_world.principal.pk}"

    assert admin.get(_url("portal:principals", world, query=query), **HTMX).status_code == 404


def test_without_htmx_the_row_question_is_the_whole_page(world, admin):
    response = admin.get(_url("portal:principals", world, query=f"?row={world.principal.pk}"))

    assert "<html" in response.content.decode()


def test_an_unknown_part_is_the_usual_fragment(world, admin):
    response = admin.get(_url("portal:principals", world, query="?part=base"), **HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="principal-listing">')
    assert "<html" not in body


# Guards ------------------------------------------------------------------------

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SHARED_CONFIRM = "portal/confirm.html"
# Django's own password-reset flow, not a confirmation of an action.
NOT_A_CONFIRMATION = {
    "registration/password_reset_confirm.html",
    # The newsletter's double opt-in (the mail and the page its link opens)
    # and its archive of past issues: no action to confirm.
    "public/email/confirm.html",
    "public/newsletter_confirm.html",
    "public/newsletter_archive.html",
}
CONFIRM_NAMES = re.compile(
    r"(confirm|_archive|_remove|_end|_deactivate|_cancel|_repeal)\.html$|confirm"
)


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_one_confirm_page_serves_every_archive_remove_and_end_action():
    names = [str(p.relative_to(TEMPLATES)) for p in _templates()]
    copies = [
        name
        for name in names
        if CONFIRM_NAMES.search(name.rsplit("/", 1)[-1])
        and name not in {SHARED_CONFIRM, *NOT_A_CONFIRMATION}
    ]
    assert SHARED_CONFIRM in names
    assert copies == []


def test_no_cancel_link_picks_its_part_out_of_a_whole_page():
    links = re.compile(r"<a\b(?:\{\{.*?\}\}|\{%.*?%\}|[^>{])*>", re.S)
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {link[:120]}"
        for path in _templates()
        for link in links.findall(path.read_text(encoding="utf-8"))
        if "hx-select" in link
    ]
    assert offenders == []
