"""Dates outside 1990–2100 (issue 18, item 2), probed over every page of both
demo programmes, on the suite's PostgreSQL.

- Every form that a page shows with a date, datetime or month input refuses
  year 1, 1989, 2101 and 9999 in each of them: a field error that says the
  range, nothing written, never a server error. The forms are found on the
  pages (as in test_bad_input), so a new form is probed as it lands.
- A date stored outside the range, straight in the database past every
  check (in year 1, a BC timestamp in PostgreSQL, or 31 December 9999), in
  every date column of every table: every page, for every role, still
  answers without a server error, and so does each page's form sent back as
  shown; so do the calendar feeds, the research API, every document kind's
  HTML and the scheduled tasks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from governance.services import calendar as calendar_services
from governance.tasks import send_programme_report_back_reminders
from implementation.tasks import send_programme_reminders
from portal import dates
from portal.documents import registry as documents
from portal.documents.jobs import render_html
from portal.documents.tasks import sweep_stuck_documents
from research import datasets
from tests.helpers import row_counts
from tests.trust.hostile import Form, read_forms
from tests.trust.probe import (
    ROLES,
    choose,
    client_for,
    probes,
    rolled_back,
    unknown_string_kwargs,
    unmapped_kwargs,
    url_for,
)
from tests.trust.programmes import Programme, Programmes
from tests.trust.test_bad_input import ERROR_MARKERS, _error_of

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

APPS = ("portal", "governance", "implementation", "research")
PAGES = [
    p
    for p in probes(ids_only=False)
    if not unmapped_kwargs(p) and not unknown_string_kwargs(p) and "token" not in p.route.kwargs
]
DATE_INPUTS = {
    "date": ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"],
    "datetime-local": [
        "0001-01-01T00:00",
        "1989-12-31T23:59",
        "2101-01-01T00:00",
        "9999-12-31T23:59",
    ],
    "month": ["0001-01", "1989-12", "2101-01", "9999-12"],
}
# The range, as a refusal says it (in Swedish, or in English).
RANGE_SAID = [
    f"{first} {word} {last}"
    for first, last in (("1990", "2100"), ("1990-01", "2100-12"), ("2000-01", "2100-12"))
    for word in ("och", "and")
]


# Forms with dates refuse years outside the range --------------------------------------


def _date_forms(programme: Programme) -> Iterator[tuple[str, str, Form]]:
    """(role, url, form) for every page's form that has a date input, as the
    first role whose page shows it."""
    for probe in PAGES:
        for role in ROLES:
            with scope(tenant=programme.tenant):
                try:
                    url = url_for(probe, programme, choose(probe, programme, role))
                except AssertionError:
                    continue
            with rolled_back():
                response = client_for(programme, role).get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            found = [
                form
                for form in read_forms(response.content.decode(), url)
                if form.action == url and any(f.type in DATE_INPUTS for f in form.fields.values())
            ]
            if found:
                yield role, url, found[0]
                break


def _as_shown(form: Form) -> dict[str, Any]:
    """What the page would send as it is: each field's value, a select's first choice."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.type == "file":
            continue
        if field.type in ("checkbox", "radio") and not field.value:
            continue
        chosen = next((option for option in field.options if option), "")
        data[name] = chosen if field.tag == "select" else field.value
    return data


def test_every_date_input_of_every_form_refuses_years_outside_1990_to_2100(
    programmes: Programmes,
):
    programme = programmes.by_slug["sormland"]
    problems: list[str] = []
    probed: set[str] = set()
    for role, url, form in _date_forms(programme):
        client = client_for(programme, role)
        send = client.post if form.method == "post" else client.get
        for name, field in form.fields.items():
            if field.type not in DATE_INPUTS:
                continue
            for value in DATE_INPUTS[field.type]:
                probed.add(url.split("/", 2)[2])
                data = {**_as_shown(form), name: value}
                with rolled_back():
                    before = row_counts()
                    response = send(url, data)
                    after = row_counts()
                said = response.content.decode()
                case = f"{role} {form.method.upper()} {url} {name}={value}"
                if response.status_code >= 500:
                    problems.append(f"{case}: {response.status_code} {_error_of(response)}")
                elif before != after:
                    changed = {k for k in before if before[k] != after[k]}
                    problems.append(f"{case}: accepted, wrote {sorted(changed)}")
                elif not any(m in said for m in ERROR_MARKERS) or not any(
                    r in said for r in RANGE_SAID
                ):
                    problems.append(f"{case}: {response.status_code} without saying the range")
    assert problems == [], "\n".join(problems)
    assert len(probed) >= 15, sorted(probed)


# Stored dates outside the range still show ---------------------------------------------

# The extremes per column type, PostgreSQL spelling: year 1 in Swedish time is
# 1 BC in UTC (what the old forms stored); 9999 is the other end.
EXTREMES = {
    "year 1": {"date": "0001-01-01", "timestamptz": "0001-12-31 23:00:00+00 BC"},
    "year 9999": {"date": "9999-12-31", "timestamptz": "9999-12-31 12:00:00+00"},
}
# A unique constraint on a date column: each row its own value, beyond the extreme.
STEP = {"date": "1 day", "timestamptz": "1 hour"}


def _store_everywhere(extreme: str) -> list[str]:
    """Every non-empty date and datetime of every row of the portal's tables,
    straight in the database; returns the tables that could not be set. A
    row's columns get the same value (a period still ends as it starts)."""
    unset: list[str] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models():
            own = [f for f in dates.date_fields(model) if f.model is model]  # not a parent's
            if model._meta.app_label not in APPS or model._meta.proxy or not own:
                continue
            pk = quote(model._meta.pk.column)
            for apart in (False, True):
                sets = []
                for field in own:
                    kind = "date" if field.get_internal_type() == "DateField" else "timestamptz"
                    value = f"'{EXTREMES[extreme][kind]}'::{kind}"
                    if apart:
                        value = f"({value} - {pk} * interval '{STEP[kind]}')::{kind}"
                    column = quote(field.column)
                    sets.append(f"{column} = CASE WHEN {column} IS NULL THEN NULL ELSE {value} END")
                try:
                    with transaction.atomic():
                        cursor.execute(
                            f"UPDATE {quote(model._meta.db_table)} SET {', '.join(sets)}"  # noqa: S608
                        )
                    break
                except IntegrityError:
                    continue
            else:
                unset.append(model._meta.label)
    return unset


@contextmanager
def _stored(extreme: str) -> Iterator[None]:
    assert connection.vendor == "postgresql", "the suite runs on PostgreSQL"
    with transaction.atomic():
        assert _store_everywhere(extreme) == []
        yield
        transaction.set_rollback(True)


def _feed_url(programme: Programme, role: str) -> str:
    with scope(tenant=programme.tenant):
        _feed, token = calendar_services.feed_create(
            actor=programme.users[role], tenant=programme.tenant
        )
    return reverse("governance:calendar_feed", args=[programme.tenant.slug, token])


@pytest.mark.parametrize("extreme", list(EXTREMES))
def test_every_page_shows_dates_stored_outside_1990_to_2100_to_every_role(
    programmes: Programmes, extreme: str
):
    programme = programmes.by_slug["sormland"]
    problems: list[str] = []
    answered: dict[str, int] = {}
    posted: dict[str, tuple[str, Form]] = {}
    with _stored(extreme):
        for role in ROLES:
            client = client_for(programme, role)
            urls = [_feed_url(programme, role)]
            for probe in PAGES:
                with scope(tenant=programme.tenant):
                    try:
                        urls.append(url_for(probe, programme, choose(probe, programme, role)))
                    except AssertionError:
                        continue  # no such object for this role
            for url in urls:
                with rolled_back():
                    response = client.get(url)
                answered[f"{role} {url}"] = response.status_code
                if response.status_code >= 500:
                    problems.append(f"{role} GET {url}: {_error_of(response)}")
                elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    for form in read_forms(response.content.decode(), url):
                        if form.method == "post" and form.action == url and url not in posted:
                            posted[url] = (role, form)
        # Each page's form sent back as shown, stored dates and all: refused
        # or saved, never a server error.
        for url, (role, form) in posted.items():
            with rolled_back():
                response = client_for(programme, role).post(url, _as_shown(form))
            if response.status_code >= 500:
                problems.append(f"{role} POST {url}: {_error_of(response)}")
        api = Client(
            raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {programme.api_token}"
        )
        for key in datasets.DATASETS:
            url = f"/api/research/v1/{programme.tenant.slug}/datasets/{key}/rows"
            with rolled_back():
                response = api.get(url, {"page_size": 1000})
            if response.status_code != 200:
                problems.append(f"API GET {url}: {response.status_code} {_error_of(response)}")
        problems += _document_problems(programme) + _task_problems(programme)
    assert problems == [], "\n".join(problems)
    shown = sum(1 for status in answered.values() if status == 200)
    assert shown >= 300, f"only {shown} pages answered 200"
    assert len(posted) >= 40, sorted(posted)


def _document_problems(programme: Programme) -> list[str]:
    problems = []
    with scopes_disabled():
        for kind in documents.kinds():
            obj = kind.model._default_manager.filter(tenant=programme.tenant).order_by("pk").first()
            if obj is None:
                continue
            try:
                if kind.build is not None:
                    kind.build(obj)
                else:
                    render_html(kind=kind, obj=obj, tenant=programme.tenant)
            except Exception as error:  # any failure is the finding
                problems.append(f"document {kind.key} of {obj!r}: {type(error).__name__}: {error}")
    return problems


def _task_problems(programme: Programme) -> list[str]:
    """The scheduled tasks (CELERY_BEAT_SCHEDULE) read the same rows."""
    problems = []
    for name, run in (
        ("send_programme_reminders", lambda: send_programme_reminders(programme.tenant.pk)),
        (
            "send_programme_report_back_reminders",
            lambda: send_programme_report_back_reminders(programme.tenant.pk),
        ),
        ("sweep_stuck_documents", sweep_stuck_documents),
    ):
        try:
            with rolled_back():
                run()
        except Exception as error:  # any failure is the finding
            problems.append(f"task {name}: {type(error).__name__}: {error}")
    return problems
