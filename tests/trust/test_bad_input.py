"""Bad input (issue 8, item 4), property-based: hostile data to every form.

Forms are found, not listed: every tenant route is opened (GET) with the
first role whose page shows a form posting back to it, and that form's fields
are read from the HTML. Hypothesis then sends each field overlong text,
invalid dates (and the ends of the calendar, years just outside 1990–2100,
the nights the clocks change), markup and script, foreign and missing ids and
odd unicode (NUL, RTL marks, combining accents, emoji), or leaves it out.
Whatever comes: never a server error, nor on the page an accepted form leads
to; and when the form is refused (no audit event was written: every write is
audited) nothing was written — no row in any table — and a page that comes
back says why, next to the fields. POST-only actions (archive, restore,
move) get hostile bodies too. Filter forms (GET) get hostile query strings.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.models import AuditEvent
from tests.helpers import row_counts
from tests.trust.hostile import Form, form_data, hostile_text, read_forms
from tests.trust.probe import (
    ROLES,
    Probe,
    choose,
    client_for,
    probes,
    rolled_back,
    unknown_string_kwargs,
    unmapped_kwargs,
    url_for,
)
from tests.trust.programmes import Programme, Programmes

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

FORMS = probes(ids_only=False)
EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
AUDIT = AuditEvent._meta.label
# A refused form says why: Django's error lists, or an alert message.
ERROR_MARKERS = ('class="errorlist', 'role="alert"', "aria-invalid")


@pytest.fixture(scope="module")
def kronoberg_ids(programmes: Programmes) -> list[str]:
    """A few ids of Kronoberg's objects, of every model, read once per module."""
    return foreign_ids(programmes.by_slug["kronoberg"])


def foreign_ids(other: Programme) -> list[str]:
    """A few ids of the other programme's objects, of every model."""
    found: list[str] = []
    with scopes_disabled():
        for model in apps.get_models():
            if model._meta.app_label in (
                "portal",
                "governance",
                "implementation",
                "research",
            ) and any(f.name == "tenant" for f in model._meta.fields):
                found += [
                    str(pk)
                    for pk in model._default_manager.filter(tenant=other.tenant).values_list(
                        "pk", flat=True
                    )[:3]
                ]
    return found


def _form_of(probe: Probe, programme: Programme) -> tuple[str, str, Form | None] | None:
    """(role, url, form posting to url) for the first role whose page has one;
    for a POST-only route, the first role and no form; None if no role gets in."""
    post_only = None
    for role in ROLES:
        with scope(tenant=programme.tenant):
            try:
                chosen = choose(probe, programme, role)
            except AssertionError:
                continue
            url = url_for(probe, programme, chosen)
        client = client_for(programme, role)
        with rolled_back():
            response = client.get(url)
        if response.status_code == 405 and post_only is None:
            post_only = (role, url, None)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in read_forms(response.content.decode(), url):
            if form.method == "post" and form.action == url and form.fields:
                return role, url, form
            if form.method == "get" and form.action == url and form.fields:
                return role, url, form
    return post_only


def _send(client: Client, method: str, url: str, data: dict[str, Any]):
    """The answer, the row counts before and after, and the page an accepted
    form leads to (whatever was saved must show: a date psycopg could not
    read back once took every page of a programme's meetings down)."""
    with rolled_back():
        before = row_counts()
        response = (client.post if method == "post" else client.get)(url, data)
        after = row_counts()
        location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
        shown = client.get(location) if location.startswith("/") else None
    return response, before, after, shown


def _error_of(response) -> str:
    exc = getattr(response, "exc_info", None)
    return f"{type(exc[1]).__name__}: {exc[1]}" if exc else ""


@pytest.mark.parametrize("probe", FORMS, ids=lambda p: p.id)
def test_hostile_input_never_errors_and_a_refusal_is_explained_and_writes_nothing(
    probe: Probe, programmes: Programmes, kronoberg_ids: list[str]
):
    if unmapped_kwargs(probe) or unknown_string_kwargs(probe):
        pytest.fail(f"{probe.id}: unmapped kwargs; see test_isolation_probe")
    if "token" in probe.route.kwargs:
        return  # calendar_feed: a secret token in the URL, no form
    programme = programmes.by_slug["sormland"]
    found = _form_of(probe, programme)
    if found is None:
        return  # no role opens this page: nothing to fill in (the probe covers refusals)
    role, url, form = found
    client = client_for(programme, role)
    ids = kronoberg_ids  # the other programme's
    if form is None:
        method = "post"
        data_strategy = st.dictionaries(
            st.sampled_from(["pk", "id", "position", "direction", "status", "version", "x"]),
            hostile_text(),
            max_size=3,
        )
    else:
        method = form.method
        data_strategy = form_data(form, ids)

    @EXAMPLES
    @given(data=data_strategy)
    def check(data: dict[str, Any]) -> None:
        response, before, after, shown = _send(client, method, url, data)
        assert response.status_code < 500, f"{role} {method} {url} {data!r}: {_error_of(response)}"
        if shown is not None:
            assert shown.status_code < 500, (
                f"{role} {method} {url} {data!r} led to {response['Location']}: {_error_of(shown)}"
            )
        if method == "get":
            return
        # Every write is audited: a submission that wrote no audit event was refused.
        accepted = after[AUDIT] > before[AUDIT]
        if accepted:
            return
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        assert changed == {}, f"{role} POST {url} refused {data!r} but wrote {changed}"
        if response.status_code in (200, 400, 409, 422) and form is not None:
            body = response.content.decode()
            assert any(m in body for m in ERROR_MARKERS), (
                f"{role} POST {url} refused {data!r} without saying why"
            )

    check()


def test_forms_are_found_on_the_pages(programmes: Programmes):
    programme = programmes.by_slug["sormland"]
    found = {}
    for probe in FORMS:
        if unmapped_kwargs(probe) or unknown_string_kwargs(probe) or "token" in probe.route.kwargs:
            continue
        result = _form_of(probe, programme)
        if result is not None and result[2] is not None:
            found[probe.route.name] = sorted(result[2].fields)
    assert len(found) >= 40, sorted(found)
    assert {"title", "starts_at"} <= set(found["governance:meeting_create"])
    assert "name" in found["portal:principal_create"]


# The research API ---------------------------------------------------------------

API_PARAMS = ["page", "page_size", "period_start", "period_end", "include_free_text", "since", "x"]


def _api_strategy(programmes: Programmes) -> st.SearchStrategy[tuple[str, str, dict, str]]:
    from research import datasets

    programme = programmes.by_slug["sormland"]
    slugs = st.sampled_from(["sormland", "kronoberg", "finns-inte", "SORMLAND"])
    keys = st.one_of(
        st.sampled_from(list(datasets.DATASETS)),
        hostile_text().filter(lambda t: "/" not in t and "\x00" not in t and t.strip() != ""),
    )
    params = st.dictionaries(
        st.sampled_from(API_PARAMS),
        st.one_of(
            hostile_text(),
            st.sampled_from(["0", "-1", "1001", "1", "2026-02-30", "2030-01-01", "true", "NaN"]),
        ),
        max_size=4,
    )
    tokens = st.sampled_from(
        [programme.api_token, programmes.by_slug["kronoberg"].api_token, "", "svp_x", "Bearer"]
    )
    return st.tuples(slugs, keys, params, tokens)


def test_hostile_requests_to_the_research_api_never_error(programmes: Programmes):
    from urllib.parse import quote

    @EXAMPLES
    @given(case=_api_strategy(programmes))
    def check(case: tuple[str, str, dict, str]) -> None:
        slug, key, params, token = case
        client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
        for path in (
            f"/api/research/v1/{slug}/datasets/{quote(key)}/rows",
            f"/api/research/v1/{slug}/datasets/{quote(key)}",
            f"/api/research/v1/{slug}/datasets",
        ):
            with rolled_back():
                before = row_counts()
                response = client.get(path, params)
                after = row_counts()
            assert response.status_code < 500, f"GET {path} {params!r}: {_error_of(response)}"
            if response.status_code >= 400:
                assert before == after, f"GET {path} refused but wrote"
            if token != programme_token(programmes, slug):
                # Another programme's token, or none: never data (a 422 for bad
                # parameters comes before the programme is looked at, for any slug).
                assert response.status_code >= 400, f"GET {path} with a foreign token"

    check()


def programme_token(programmes: Programmes, slug: str) -> str | None:
    programme = programmes.by_slug.get(slug)
    return programme.api_token if programme else None
