"""The read-only API: personal tokens that are shown once, stored as a hash,
scoped to one programme and revocable; the same pseudonymised rows as the
exports, a page at a time, without free text; every read audited; a rate limit
per token; and the OpenAPI schema served by the portal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from portal.models import AuditEvent, Role
from research.models import ApiToken
from research.services import MAX_ACTIVE_TOKENS, token_hash
from tests.helpers import rows, text
from tests.research.conftest import NAME

pytestmark = pytest.mark.django_db


def token_for(world, client_for, name="R-skript") -> str:
    """A token made on the export page, read from the answer (where it is shown once)."""
    response = client_for(world.users["researcher"]).post(
        reverse("research:token_create", args=[world.tenant.slug]), {"name": name}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("research:export", args=[world.tenant.slug]), 302)]
    assert response["Cache-Control"] == "no-store"
    body = text(response)
    start = body.index('id="new-token-value"')
    value = body[start:].split('value="', 1)[1].split('"', 1)[0]
    assert value.startswith("svp_")
    return value


def api(path: str, token: str | None, **query) -> object:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get(f"/api/research/v1/{path}", query, **headers)


# Tokens on the export page ----------------------------------------------------------


def test_reloading_the_page_neither_shows_the_token_again_nor_makes_another(world, client_for):
    client = client_for(world.users["researcher"])
    url = reverse("research:export", args=[world.tenant.slug])
    response = client.post(
        reverse("research:token_create", args=[world.tenant.slug]), {"name": "R"}, follow=True
    )
    assert 'id="new-token-value"' in text(response)
    again = client.get(url)
    assert 'id="new-token-value"' not in text(again)
    with scopes_disabled():
        assert ApiToken.objects.count() == 1


def test_a_token_is_shown_once_and_only_its_hash_is_kept(world, client_for):
    raw = token_for(world, client_for)
    with scopes_disabled():
        token = ApiToken.objects.get()
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert token.key_hash == token_hash(raw)
    assert raw not in str(stored) and raw.startswith(token.prefix)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="api_token.create")
    assert raw not in str(event.after) and token.key_hash not in str(event.after)
    page = text(
        client_for(world.users["researcher"]).get(
            reverse("research:export", args=[world.tenant.slug])
        )
    )
    assert raw not in page and token.prefix in page


@pytest.mark.parametrize("role", ["leader", "steering", "reporter", "admin"])
def test_only_researchers_make_tokens(world, client_for, role):
    response = client_for(world.users[role]).post(
        reverse("research:token_create", args=[world.tenant.slug]), {"name": "x"}
    )
    assert response.status_code == 403 and rows(ApiToken) == []


def test_a_token_needs_a_name(world, client_for):
    response = client_for(world.users["researcher"]).post(
        reverse("research:token_create", args=[world.tenant.slug]), {"name": "  "}
    )
    assert response.status_code == 400 and rows(ApiToken) == []


def test_active_tokens_are_limited(world, client_for):
    for n in range(MAX_ACTIVE_TOKENS):
        token_for(world, client_for, name=f"t{n}")
    response = client_for(world.users["researcher"]).post(
        reverse("research:token_create", args=[world.tenant.slug]), {"name": "one more"}
    )
    assert response.status_code == 400
    assert len(rows(ApiToken)) == MAX_ACTIVE_TOKENS


def test_a_revoked_token_is_refused(world, client_for, scene):
    raw = token_for(world, client_for)
    assert api(f"{world.tenant.slug}/datasets", raw).status_code == 200
    with scopes_disabled():
        token = ApiToken.objects.get()
    response = client_for(world.users["researcher"]).post(
        reverse("research:token_revoke", args=[world.tenant.slug, token.pk])
    )
    assert response.status_code == 302
    assert api(f"{world.tenant.slug}/datasets", raw).status_code == 401
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_others_cannot_revoke_a_token(world, other_world, client_for):
    from tests.factories import MembershipFactory, UserFactory

    token_for(world, client_for)
    with scopes_disabled():
        token = ApiToken.objects.get()
    colleague = UserFactory(username="colleague")
    MembershipFactory(tenant=world.tenant, user=colleague, role=Role.RESEARCHER)
    url = reverse("research:token_revoke", args=[world.tenant.slug, token.pk])
    assert client_for(colleague).post(url).status_code == 404
    assert client_for(world.users["leader"]).post(url).status_code == 403
    assert client_for(other_world.users["researcher"]).post(url).status_code == 404
    with scopes_disabled():
        assert ApiToken.objects.get().revoked_at is None


# The API -----------------------------------------------------------------------------


def test_no_or_a_wrong_token_is_unauthorised(world, scene):
    assert api(f"{world.tenant.slug}/datasets", None).status_code == 401
    assert api(f"{world.tenant.slug}/datasets", "svp_nonsense").status_code == 401


def test_a_token_works_for_its_own_programme_only(world, other_world, client_for, scene):
    raw = token_for(world, client_for)
    assert api(f"{other_world.tenant.slug}/datasets", raw).status_code == 404
    assert api(f"{other_world.tenant.slug}/datasets/meetings/rows", raw).status_code == 404
    theirs = token_for(other_world, client_for)
    assert api(f"{world.tenant.slug}/datasets", theirs).status_code == 404


def test_a_token_stops_working_when_its_owner_is_no_longer_a_researcher(world, client_for, scene):
    raw = token_for(world, client_for)
    with scopes_disabled():
        world.memberships["researcher"].role = Role.STEERING_MEMBER
        world.memberships["researcher"].save()
    assert api(f"{world.tenant.slug}/datasets", raw).status_code == 403
    with scopes_disabled():
        world.memberships["researcher"].role = Role.RESEARCHER
        world.memberships["researcher"].is_active = False
        world.memberships["researcher"].save()
    assert api(f"{world.tenant.slug}/datasets", raw).status_code == 403


def test_datasets_are_described_with_codebooks(world, client_for, scene):
    raw = token_for(world, client_for)
    response = api(f"{world.tenant.slug}/datasets", raw)
    data = response.json()
    by_key = {d["key"]: d for d in data}
    assert by_key["indicator_values"]["rows"] == 3
    fields = {f["name"]: f for f in by_key["attendance"]["fields"]}
    assert fields["person"]["pseudonym"] is True
    assert {c["code"] for c in fields["status"]["codebook"]} >= {"narvarande", "franvarande"}
    assert "role_note" not in fields  # no free text through the API
    one = api(f"{world.tenant.slug}/datasets/attendance", raw).json()
    assert one["key"] == "attendance"
    assert api(f"{world.tenant.slug}/datasets/nonsense", raw).status_code == 404


def test_rows_are_paginated_pseudonymised_and_audited(world, client_for, scene):
    raw = token_for(world, client_for)
    url = f"{world.tenant.slug}/datasets/indicator_values/rows"
    first = api(url, raw, page_size=2).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    assert first["next"].endswith("page=2")
    second = api(url, raw, page_size=2, page=2).json()
    assert len(second["results"]) == 1 and second["next"] is None
    ids = [r["value_id"] for r in first["results"] + second["results"]]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert first["results"][0]["value"] == 10.0
    assert "comment" not in first["results"][0]
    people = api(f"{world.tenant.slug}/datasets/attendance/rows", raw).json()
    assert all(r["person"].startswith("P-") for r in people["results"])
    assert NAME not in str(people)
    with scopes_disabled():
        events = list(AuditEvent.objects.filter(action="api_token.api.read").order_by("id"))
        assert ApiToken.objects.get().last_used_at is not None
    assert [e.after["dataset"] for e in events] == ["indicator_values"] * 2 + ["attendance"]
    assert events[0].actor == world.users["researcher"] and events[0].after["page"] == 1


def test_rows_within_a_period(world, client_for, scene):
    raw = token_for(world, client_for)
    data = api(
        f"{world.tenant.slug}/datasets/indicator_values/rows",
        raw,
        period_start="2025-02-01",
        period_end="2025-02-28",
    ).json()
    assert [r["period"] for r in data["results"]] == ["2025-02-01"]


@pytest.mark.parametrize(
    "query",
    [
        {"page": 0},
        {"page_size": 5000},
        {"period_start": "x"},
        {"period_start": "2025-05-01", "period_end": "2025-01-01"},
    ],
)
def test_bad_queries_are_refused(world, client_for, scene, query):
    raw = token_for(world, client_for)
    response = api(f"{world.tenant.slug}/datasets/meetings/rows", raw, **query)
    assert response.status_code in (400, 422)
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action="api_token.api.read").exists()


def test_api_use_is_rate_limited_per_token(world, client_for, settings, scene):
    raw = token_for(world, client_for, name="a")
    other = token_for(world, client_for, name="b")
    settings.RESEARCH_API_RATE = "2/m"
    url = f"{world.tenant.slug}/datasets"
    assert [api(url, raw).status_code for _ in range(3)] == [200, 200, 429]
    assert api(url, other).status_code == 200


def test_the_api_does_not_redirect_to_the_login(world, scene):
    response = api(f"{world.tenant.slug}/datasets", None)
    assert response.status_code == 401 and "Location" not in response


def test_the_openapi_schema_is_served(world):
    response = Client().get(reverse("research_api:openapi-json"))
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert "/api/research/v1/{tenant_slug}/datasets/{key}/rows" in paths
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    # No interactive docs page: it would load scripts the CSP forbids.
    assert Client().get("/api/research/v1/docs").status_code == 404
