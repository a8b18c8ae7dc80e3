"""Tokens meet a programme's policy as logins do (issue 18, item 6).

Calendar clients and scripts cannot log in, so a few tenant URLs take a token
instead (a calendar feed's secret address, a research API token) and never
pass the tenant middleware. They ask `portal.tenancy.token_membership`, the
same `admit` that the middleware asks for a login: an active programme, login
and membership, and whatever `policy_refusal` says (two-factor login for
administrators today, any policy added there tomorrow).

The routes come from walking the URLconf: a new tenant URL that answers
without a login fails `test_every_tenant_url_without_login_is_a_known_token_way_in`
until it is named here with how its token is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope, scopes_disabled

from governance.services import calendar as calendar_services
from portal import tenancy
from portal.models import Membership
from research import datasets
from research import services as research_services
from tests.urlwalk import Route, routes, sample_kwargs

pytestmark = pytest.mark.django_db


def _feed(world, role: str, route: Route) -> tuple[str, dict[str, str]]:
    with scope(tenant=world.tenant):
        _, raw = calendar_services.feed_create(actor=world.users[role], tenant=world.tenant)
    return reverse(route.name, kwargs={"tenant_slug": world.tenant.slug, "token": raw}), {}


def _api(world, role: str, route: Route) -> tuple[str, dict[str, str]]:
    with scope(tenant=world.tenant):
        _, raw = research_services.token_create(
            actor=world.users[role],
            membership=world.memberships[role],
            tenant=world.tenant,
            name="Probe",
        )
    kwargs = {"tenant_slug": world.tenant.slug}
    if "key" in route.kwargs:
        kwargs["key"] = next(iter(datasets.DATASETS))
    return reverse(route.name, kwargs=kwargs), {"Authorization": f"Bearer {raw}"}


@dataclass(frozen=True)
class TokenWayIn:
    make: Callable[[object, str, Route], tuple[str, dict[str, str]]]
    role: str  # a role whose token works there
    refused: int  # the answer to a token whose owner the programme keeps out


TOKEN_WAYS_IN: dict[str, TokenWayIn] = {
    # 404, as for a revoked or unknown address: the address says nothing.
    "governance:calendar_feed": TokenWayIn(_feed, "admin", 404),
    # 403, as for a token whose owner is no longer a researcher.
    "research_api:list_datasets": TokenWayIn(_api, "researcher", 403),
    "research_api:get_dataset": TokenWayIn(_api, "researcher", 403),
    "research_api:dataset_rows": TokenWayIn(_api, "researcher", 403),
}


def _without_login(route: Route) -> bool:
    path = reverse(route.name, kwargs=sample_kwargs(route, tenant_slug="sormland"))
    return getattr(resolve(path).func, "login_required", True) is False


def test_every_tenant_url_without_login_is_a_known_token_way_in():
    found = {route.name for route in routes() if route.is_tenant and _without_login(route)}
    assert found == set(TOKEN_WAYS_IN), "name a new token URL in TOKEN_WAYS_IN"


WAYS_IN = [route for route in routes() if route.name in TOKEN_WAYS_IN]


def _ask(world, route: Route) -> Callable[[], int]:
    way = TOKEN_WAYS_IN[route.name]
    path, headers = way.make(world, way.role, route)
    return lambda: Client().get(path, headers=headers).status_code


@pytest.mark.parametrize("route", WAYS_IN, ids=lambda r: r.name)
def test_a_policy_that_refuses_refuses_every_token(world, route, monkeypatch):
    ask = _ask(world, route)
    assert ask() == 200

    # Any policy of the programme, today's or one added later.
    monkeypatch.setattr(
        tenancy, "policy_refusal", lambda *args, **kwargs: tenancy.Refusal.TWO_FACTOR
    )

    assert ask() == TOKEN_WAYS_IN[route.name].refused


@pytest.mark.parametrize("route", WAYS_IN, ids=lambda r: r.name)
def test_a_token_stops_with_its_owners_membership(world, route):
    ask = _ask(world, route)
    membership = world.memberships[TOKEN_WAYS_IN[route.name].role]
    with scopes_disabled():
        Membership.objects.filter(pk=membership.pk).update(is_active=False)

    assert ask() == TOKEN_WAYS_IN[route.name].refused


@pytest.mark.parametrize("route", WAYS_IN, ids=lambda r: r.name)
def test_the_policy_is_asked_about_the_tokens_owner(world, route, monkeypatch):
    ask = _ask(world, route)
    asked: list[tuple[str, int]] = []

    def recording(tenant, membership, *, second_factor):
        asked.append((tenant.slug, membership.user_id))

    monkeypatch.setattr(tenancy, "policy_refusal", recording)

    assert ask() == 200
    owner = world.users[TOKEN_WAYS_IN[route.name].role]
    assert asked == [(world.tenant.slug, owner.pk)]


def test_a_token_proves_two_factor_only_when_its_owner_has_set_it_up(world):
    admin = world.users["admin"]
    world.tenant.require_admin_two_factor = True
    world.tenant.save(update_fields=["require_admin_two_factor"])

    assert tenancy.token_membership(tenant=world.tenant, user=admin) is None

    TOTPDevice.objects.create(user=admin, name="App", confirmed=True)
    membership = tenancy.token_membership(tenant=world.tenant, user=admin)
    assert membership is not None
    assert membership.pk == world.memberships["admin"].pk


def test_a_login_meets_the_same_policy(world, client_for, monkeypatch):
    monkeypatch.setattr(
        tenancy, "policy_refusal", lambda *args, **kwargs: tenancy.Refusal.TWO_FACTOR
    )

    response = client_for(world.users["leader"]).get(reverse("portal:home", args=["sormland"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
