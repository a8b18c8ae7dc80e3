"""Bounded API parameters (issue 18, item 5), generated from the OpenAPI
schema: every parameter of every operation of the research API declares its
bounds, a value outside them is refused with 422 and a message naming the
parameter, and no value whatever gives a server error (hypothesis).

`page=9223372036854775807` used to reach the database as an offset it could
not hold: 500. Operations and parameters are read from the schema the API
serves, so a new operation or parameter is probed without being listed here;
a path parameter the probe has no valid value for fails loudly.
"""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.models import AuditEvent
from research import datasets as ds
from research.api import api
from research.services import token_create
from tests.research.conftest import make_scene
from tests.trust.hostile import BAD_DATES, BAD_NUMBERS, hostile_text

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(json.dumps(api.get_openapi_schema()))  # as served: JSON
OPERATIONS = [
    (method.upper(), path, operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
]
EXTREME_INTEGERS = [2**63 - 1, 2**63, 2**64, -(2**63), -(2**63) - 1, 10**30]
EXAMPLES = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def kind(parameter: dict[str, Any]) -> str:
    """integer, date or string: the parameter's type, whether or not it may be null."""
    schema = parameter["schema"]
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("type") == "integer":
            return "integer"
        if option.get("format") == "date":
            return "date"
        if option.get("type") == "string":
            return "string"
    raise AssertionError(f"Teach the probe the type of {parameter['name']}: {schema}")


@pytest.fixture
def caller(world, settings):
    """`caller(method, path, {name: value})`: the API as a researcher's script
    calls it, with a token of the first programme; server errors are answered,
    not raised, so that the probe sees them."""
    make_scene(world)
    settings.RESEARCH_API_RATE = "100000/m"
    with scope(tenant=world.tenant):
        _token, raw = token_create(
            actor=world.users["researcher"],
            membership=world.memberships["researcher"],
            tenant=world.tenant,
            name="probe",
        )
    client = Client(raise_request_exception=False)
    valid = {"tenant_slug": world.tenant.slug, "key": "indicator_values"}

    def call(method: str, path: str, values: dict[str, Any]) -> Any:
        operation = SCHEMA["paths"][path][method.lower()]
        query: dict[str, Any] = {}
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            if parameter["in"] == "path":
                if name not in values:
                    assert name in valid, f"Teach the probe a valid value for {name}."
                value = str(values.get(name, valid.get(name)))
                path = path.replace("{" + name + "}", quote(value, safe=""))
            elif values.get(name) is not None:
                query[name] = values[name]
        assert "requestBody" not in operation, "Teach the probe to send request bodies."
        # A database error would leave the test's transaction unusable, and
        # every later call (and hypothesis' shrinking) failing for that reason.
        savepoint = transaction.savepoint_create()
        response = client.generic(
            method,
            path,
            HTTP_AUTHORIZATION=f"Bearer {raw}",
            QUERY_STRING="&".join(
                f"{quote(name)}={quote(str(v), safe='')}"
                for name, value in query.items()
                for v in (value if isinstance(value, list) else [value])
            ),
        )
        if response.status_code >= 500:
            transaction.savepoint_rollback(savepoint)
        else:
            transaction.savepoint_commit(savepoint)
        return response

    return call


def bounds(parameter: dict[str, Any]) -> tuple[Any, Any]:
    """The (lowest, highest) value the schema allows; for text, (0, longest).
    A bound the schema leaves out (the other test fails then) is None here."""
    schema = parameter["schema"]
    if kind(parameter) == "integer":
        return schema.get("minimum"), schema.get("maximum")
    if kind(parameter) == "date":
        first, last = schema.get("formatMinimum"), schema.get("formatMaximum")
        return (
            first and datetime.date.fromisoformat(first),
            last and datetime.date.fromisoformat(last),
        )
    return 0, schema.get("maxLength")


def out_of_range(parameter: dict[str, Any]) -> list[Any]:
    low, high = bounds(parameter)
    if kind(parameter) == "integer":
        near = [] if low is None or high is None else [low - 1, high + 1]
        return [*near, *EXTREME_INTEGERS]
    if kind(parameter) == "date":
        one = datetime.timedelta(days=1)
        near = [] if low is None or high is None else [low - one, high + one]
        return [*near, "0001-01-01", "9999-12-31"]
    return ["a" * ((high or 60) + 1), "å" * 10_000]


def in_range(parameter: dict[str, Any]) -> list[Any]:
    low, high = bounds(parameter)
    if kind(parameter) == "string":
        return ["a" * (high or 1)]
    return [v for v in (low, high) if v is not None]


PARAMETERS = [
    pytest.param(method, path, parameter, id=f"{operation['operationId']}:{parameter['name']}")
    for method, path, operation in OPERATIONS
    for parameter in operation.get("parameters", [])
]


def test_the_largest_page_number_is_refused_not_a_server_error(caller):
    path = "/api/research/v1/{tenant_slug}/datasets/{key}/rows"
    response = caller("GET", path, {"page": 2**63 - 1})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", "page"]
    assert error["msg"] == "Input should be less than or equal to 1000000"


def test_the_probe_reads_the_schema_the_api_serves():
    served = Client().get("/api/research/v1/openapi.json").json()
    assert served["paths"] == SCHEMA["paths"]
    assert PARAMETERS  # the probe has parameters to probe


@pytest.mark.parametrize(("method", "path", "parameter"), PARAMETERS)
def test_every_parameter_declares_its_bounds(method, path, parameter):
    schema = parameter["schema"]
    bounds = {
        "integer": ("minimum", "maximum"),
        "date": ("formatMinimum", "formatMaximum"),
        "string": ("maxLength",),
    }[kind(parameter)]
    assert all(bound in schema for bound in bounds), (parameter["name"], schema)


@pytest.mark.parametrize(("method", "path", "parameter"), PARAMETERS)
def test_a_value_out_of_range_is_refused_with_a_message(caller, method, path, parameter):
    name = parameter["name"]
    for value in out_of_range(parameter):
        response = caller(method, path, {name: value})
        assert response.status_code == 422, (name, value, response.status_code)
        (error,) = response.json()["detail"]
        assert error["loc"][-1] == name and error["msg"], (name, value, error)
    for value in in_range(parameter):
        response = caller(method, path, {name: value})
        assert response.status_code < 500 and response.status_code != 422, (name, value)
    with scopes_disabled():
        # A refused request reads nothing: only the in-range ones were audited.
        assert AuditEvent.objects.filter(action="api_token.api.read").count() <= len(
            in_range(parameter)
        )


def values_for(parameter: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Anything a script might send: in and out of range, malformed, hostile."""
    low, high = bounds(parameter)
    match kind(parameter):
        case "integer":
            edges = [v + d for v in (low, high) if v is not None for d in (-1, 0, 1)]
            value: st.SearchStrategy[Any] = st.one_of(
                st.sampled_from(edges + EXTREME_INTEGERS),
                st.integers(),
                st.sampled_from(BAD_NUMBERS),
                hostile_text(),
            )
        case "date":
            value = st.one_of(
                st.dates().map(datetime.date.isoformat),
                st.sampled_from(BAD_DATES),
                hostile_text(),
            )
        case _:
            value = st.one_of(
                hostile_text(),
                st.sampled_from([*ds.DATASETS, "..", "%00", "a/b"]),
                st.text(min_size=high or 60, max_size=(high or 60) + 2),
            )
    if parameter["in"] == "path":
        return value
    return st.one_of(value, st.lists(value, min_size=2, max_size=3))


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [pytest.param(m, p, o, id=o["operationId"]) for m, p, o in OPERATIONS],
)
def test_no_value_of_any_parameter_gives_a_server_error(caller, method, path, operation):
    parameters = {p["name"]: p for p in operation.get("parameters", [])}
    # One or two parameters hostile, the others valid (or left out), so that
    # a hostile value gets past the checks of the others to the database.
    strategy = st.lists(st.sampled_from(sorted(parameters)), min_size=1, max_size=2, unique=True)
    strategy = strategy.flatmap(
        lambda chosen: st.fixed_dictionaries({n: values_for(parameters[n]) for n in chosen})
    )

    @EXAMPLES
    @given(values=strategy)
    def probe(values: dict[str, Any]) -> None:
        response = caller(method, path, values)
        assert response.status_code < 500, (values, response.status_code)
        if response.status_code == 422:
            detail = response.json()["detail"]
            assert detail, values
            if isinstance(detail, list):
                assert all(error["msg"] and error["loc"][-1] in parameters for error in detail)

    probe()
