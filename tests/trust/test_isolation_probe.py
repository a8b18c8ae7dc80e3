"""The automated tenant-isolation probe (issue 8, item 3), on both demo
programmes with everything in them.

This is the one proof of tenant isolation: the "another tenant gets 404"
column of every view's tests (STYLE 11) is here, for every route at once.

- Every tenant URL, filled with a programme's own objects, is 404 to everyone
  outside that programme: each role of the other programme, a login with no
  programme at all, and a superuser without a membership; GET and POST, as a
  page and as htmx. (Anonymous visitors are sent to the login page instead:
  tests/portal/test_auth_and_language.py.)
- For every tenant URL that takes object ids, every role, GET and POST, as a
  page and as htmx: the user's own programme in the URL and *another
  programme's* id (one id at a time, the rest the user's own) is 404 — or,
  for a role that may not use the page at all, 403 — never 200, never 500,
  and exactly what a non-existent id gets, so ids cannot be probed.
- For every tenant URL and every role that portal/permissions.py does not
  allow, the page refuses (403 or 404).
- Another programme's ids in the query string show nothing of it.

The probes come from walking the URLconf, so new routes are probed as they
land; a route whose ids are not mapped in tests/trust/routemap.py fails. The
accessibility walk (tests/e2e/test_axe_pages.py) fills its pages from the same
map. Requests that post real form data to another programme, and states the
demo data lacks, keep their hand-written tests next to the view's other tests.
"""

from __future__ import annotations

import pytest
from django.db.models import Model
from django.test import Client
from django_scopes import scope

from portal.permissions import RULES
from tests.trust.probe import (
    DENIED,
    ROLES,
    Answer,
    Probe,
    ask,
    choose,
    client_for,
    may_use,
    missing_pk,
    probes,
    rule_for,
    unknown_string_kwargs,
    unmapped_kwargs,
    url_for,
)
from tests.trust.programmes import Programme, Programmes, logged_in
from tests.trust.routemap import Pick, required_rule
from tests.urlwalk import routes

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ID_PROBES = probes(ids_only=True)
ALL_PROBES = probes(ids_only=False)
METHODS = ("GET", "POST")
# Not the method the view answers: refused before any lookup, so it says nothing.
WRONG_METHOD = 405


def test_every_object_id_of_every_route_is_mapped():
    unmapped = {p.id: unmapped_kwargs(p) for p in ID_PROBES if unmapped_kwargs(p)}
    assert unmapped == {}, "map these kwargs to models in tests/trust/routemap.py"


def test_every_string_kwarg_of_every_route_is_known():
    unknown = {p.id: unknown_string_kwargs(p) for p in ALL_PROBES if unknown_string_kwargs(p)}
    assert unknown == {}, "name these kwargs' values in STRING_KWARGS in tests/trust/routemap.py"


def test_every_tenant_route_has_a_rule():
    unknown = []
    for probe in ALL_PROBES:
        try:
            rule = required_rule(probe.route.name)
        except KeyError as error:
            unknown.append(str(error))
            continue
        assert rule in (None, "document") or rule in RULES, f"{probe.id}: unknown rule {rule}"
    assert unknown == []


def test_the_probe_covers_the_big_areas():
    names = {p.route.name for p in ID_PROBES}
    assert {
        "portal:principal_edit",
        "portal:document_download",
        "governance:meeting_detail",
        "governance:followup_status",
        "implementation:assessment_rate",
        "implementation:attachment_download",
    } <= names
    every = {p.route.name for p in ALL_PROBES}
    assert {"portal:home", "portal:principals", "portal:people", "portal:members"} <= every
    assert every == {r.name for r in routes() if r.is_tenant}, "every tenant route is probed"


def _strangers(programmes: Programmes, other: Programme) -> dict[str, Client]:
    """Logged-in users who are not members of the programme other than
    `other`, by who they are: `other`'s roles and the logins of no programme."""
    clients = {f"{other.tenant.slug} {role}": client_for(other, role) for role in ROLES}
    clients.update({who: logged_in(key) for who, key in programmes.strangers.items()})
    return clients


@pytest.mark.parametrize("probe", ALL_PROBES, ids=lambda p: p.id)
def test_a_programmes_pages_are_404_to_everyone_outside_it(probe: Probe, programmes: Programmes):
    if unmapped_kwargs(probe) or unknown_string_kwargs(probe):
        pytest.fail(
            f"{probe.id}: unmapped kwargs; see test_every_object_id_of_every_route_is_mapped"
        )
    programme = programmes.by_slug["sormland"]
    other = programmes.other(programme)
    with scope(tenant=programme.tenant):
        url = url_for(probe, programme, choose(probe, programme, "leader"))
    problems = [
        f"{probe.id} as {who}: {answer}"
        for who, client in _strangers(programmes, other).items()
        for method in METHODS
        for htmx in (False, True)
        if (answer := ask(client, method, url, htmx=htmx)).status != 404
    ]
    assert problems == []


def _own(probe: Probe, programme: Programme, role: str) -> tuple[dict[str, object], list[Answer]]:
    chosen = choose(probe, programme, role)
    url = url_for(probe, programme, chosen)
    client = client_for(programme, role)
    return chosen, [ask(client, method, url) for method in METHODS]


@pytest.mark.parametrize("probe", ID_PROBES, ids=lambda p: p.id)
def test_another_programmes_ids_are_404_for_every_role(probe: Probe, programmes: Programmes):
    assert not unmapped_kwargs(probe), f"{probe.id}: unmapped ids {unmapped_kwargs(probe)}"
    problems: list[str] = []
    reached = False
    for programme in programmes:
        other = programmes.other(programme)
        for role in ROLES:
            with scope(tenant=programme.tenant):
                chosen, own = _own(probe, programme, role)
            passes = {a.method: a.status not in DENIED | {WRONG_METHOD} for a in own}
            reached = reached or any(passes.values())
            problems += [f"{probe.id} as {role}, own ids: {a}" for a in own if a.status >= 500]
            client = client_for(programme, role)
            for kwarg in probe.id_kwargs:
                spec = probe.specs[kwarg]
                assert isinstance(spec, Pick)
                foreign = choose(probe, other, role)[kwarg]
                foreign_url = url_for(probe, programme, {**chosen, kwarg: foreign})
                missing_url = url_for(probe, programme, {**chosen, kwarg: missing_pk(spec.model)})
                for method in METHODS:
                    expected = {404} if passes[method] else DENIED | {WRONG_METHOD}
                    missing = ask(client, method, missing_url)
                    for htmx in (False, True):
                        answer = ask(client, method, foreign_url, htmx=htmx)
                        if answer.status not in expected:
                            problems.append(
                                f"{probe.id} as {role}, another programme's {kwarg}: {answer}"
                            )
                        if answer.status != missing.status:
                            # Another programme's id must be indistinguishable from none.
                            problems.append(
                                f"{probe.id} as {role}, {kwarg}: {answer}, "
                                f"but a missing id {missing}"
                            )
    assert reached, f"{probe.id}: no role reached the page with its own ids; check the Pick"
    assert problems == []


@pytest.mark.parametrize("probe", ALL_PROBES, ids=lambda p: p.id)
def test_too_little_role_is_refused(probe: Probe, programmes: Programmes):
    """Every role that the route's rule (portal/permissions.py) does not allow
    gets 403 or 404 for GET and POST with its own programme's objects."""
    if unmapped_kwargs(probe) or unknown_string_kwargs(probe):
        pytest.fail(
            f"{probe.id}: unmapped kwargs; see test_every_object_id_of_every_route_is_mapped"
        )
    problems: list[str] = []
    for programme in programmes:
        for role in ROLES:
            with scope(tenant=programme.tenant):
                chosen = choose(probe, programme, role)
                if may_use(probe, programme, role, chosen):
                    continue
                rule = rule_for(probe, chosen)
                url = url_for(probe, programme, chosen)
                answers = [ask(client_for(programme, role), m, url) for m in METHODS]
            if any(a.status not in DENIED | {WRONG_METHOD} for a in answers) or all(
                a.status == WRONG_METHOD for a in answers
            ):
                problems.append(
                    f"{probe.id} as {role} (lacks {rule}): {' / '.join(map(str, answers))}"
                )
    assert problems == []


def _query_ids() -> dict[str, type[Model]]:
    """Query-string parameters the views read as object ids (?principal=…)."""
    from governance.models import AgendaItem, Body, Decision
    from implementation.models import (
        AppointmentFunction,
        FocusArea,
        Goal,
        SubProject,
        WellbeingArea,
    )
    from portal.models import Operation, Principal

    return {
        "principal": Principal,
        "operation": Operation,
        "sub_project": SubProject,
        "function": AppointmentFunction,
        "raised_at": AgendaItem,
        "presented_at": AgendaItem,
        "item": AgendaItem,
        "parent": Goal,
        "focus_area": FocusArea,
        "area": WellbeingArea,
        "decision": Decision,
        "body": Body,
    }


@pytest.fixture(scope="module")
def foreign_objects(programmes: Programmes) -> dict[str, list[tuple[int, str]]]:
    """For each query-string id: (pk, name) of the first 50 such objects of
    Kronoberg, read once per module."""
    other = programmes.by_slug["kronoberg"]
    found: dict[str, list[tuple[int, str]]] = {}
    with scope(tenant=other.tenant):
        for param, model in _query_ids().items():
            candidates = model._default_manager.filter(tenant=other.tenant).order_by("pk")
            found[param] = [(o.pk, str(o)) for o in candidates[:50]]
    return found


@pytest.mark.parametrize("probe", ALL_PROBES, ids=lambda p: p.id)
def test_another_programmes_ids_in_the_query_string_show_nothing_of_it(
    probe: Probe, programmes: Programmes, foreign_objects: dict[str, list[tuple[int, str]]]
):
    """`?principal=<another programme's id>` (and every other id the views read
    from the query string): never a 500, and nothing of that object on the page."""
    if unmapped_kwargs(probe) or unknown_string_kwargs(probe) or "token" in probe.route.kwargs:
        return  # reported by the mapping tests above
    programme = programmes.by_slug["sormland"]
    problems: list[str] = []
    for role in ("leader", "reporter"):
        with scope(tenant=programme.tenant):
            chosen = choose(probe, programme, role)
            url = url_for(probe, programme, chosen)
        client = client_for(programme, role)
        baseline = client.get(url)
        if baseline.status_code != 200 or baseline.streaming:
            continue
        seen = baseline.content.decode()
        for param, candidates in foreign_objects.items():
            foreign = next(((pk, name) for pk, name in candidates if name not in seen), None)
            if foreign is None:
                continue
            pk, name = foreign
            response = client.get(url, {param: pk})
            if response.status_code >= 500:
                problems.append(
                    f"{probe.id} as {role}: GET {url}?{param}={pk} → {response.status_code}"
                )
            elif (
                response.status_code == 200
                and not response.streaming
                and name in response.content.decode()
            ):
                problems.append(f"{probe.id} as {role}: GET {url}?{param}={pk} shows {name}")
    assert problems == []
