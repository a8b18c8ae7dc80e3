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

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import signing
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope, scopes_disabled

from governance.models import Body, BodyMember, Meeting, MeetingReply
from governance.services import calendar as calendar_services
from governance.services import meetings as meeting_services
from governance.services import notices as notice_services
from portal import tenancy
from portal.models import Membership, Person
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


# Signed links act for a person of the directory, who may have no login at
# all, not for a membership: the notice's reply link can do one thing (record
# that person's answer to one meeting) until the meeting ends. No login policy
# is asked; what they must refuse is tested below (forged, expired, another
# programme's, a programme switched off).
SIGNED_LINKS = {"governance:reply_link"}


def _without_login(route: Route) -> bool:
    path = reverse(route.name, kwargs=sample_kwargs(route, tenant_slug="sormland"))
    return getattr(resolve(path).func, "login_required", True) is False


def test_every_tenant_url_without_login_is_a_known_token_way_in():
    found = {route.name for route in routes() if route.is_tenant and _without_login(route)}
    assert found == set(TOKEN_WAYS_IN) | SIGNED_LINKS, "name a new token URL in TOKEN_WAYS_IN"


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


# The notice's reply link ---------------------------------------------------------


def _called(world):
    """A planned meeting ahead, and a member without a login called to it."""
    with scope(tenant=world.tenant):
        body = Body.objects.create(
            tenant=world.tenant, name="Styrgruppen", kind="styrgrupp", code="SG"
        )
        person = Person.objects.create(tenant=world.tenant, name="Mia Medlem", email="mia@x.se")
        BodyMember.objects.create(
            tenant=world.tenant,
            body=body,
            person=person,
            role="ledamot",
            start_date=datetime.date(2020, 1, 1),
        )
        starts = timezone.now() + datetime.timedelta(days=7)
        meeting = meeting_services.meeting_create(
            actor=world.users["leader"],
            body=body,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
        )
    return meeting, person


def _reply_url(world, token: str) -> str:
    return reverse("governance:reply_link", args=[world.tenant.slug, token])


def _replies(world) -> int:
    with scope(tenant=world.tenant):
        return MeetingReply.objects.count()


def test_the_reply_link_asks_on_get_and_records_on_post_without_a_login(world):
    meeting, person = _called(world)
    url = _reply_url(world, notice_services.reply_token(meeting, person))

    shown = Client().get(url + "?svar=forhinder")

    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    assert shown["Referrer-Policy"] == "same-origin"
    assert _replies(world) == 0  # a mail scanner's prefetch answers nobody
    answered = Client().post(url, {"answer": "forhinder"})
    assert answered.status_code == 200
    with scope(tenant=world.tenant):
        reply = MeetingReply.objects.get()
    assert (reply.person, reply.answer, reply.via_link) == (person, "forhinder", True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_reply_link_is_refused_and_changes_nothing(world, method):
    meeting, person = _called(world)
    token = notice_services.reply_token(meeting, person)
    payload = {"t": world.tenant.pk, "m": meeting.pk, "p": person.pk}
    for forged in (
        token[:-3] + "abc",  # tampered
        signing.dumps(payload),  # the right payload without the reply salt
        signing.dumps(payload, salt=notice_services.REPLY_SALT, key="another-installation-key"),
    ):
        response = getattr(Client(), method)(_reply_url(world, forged), {"answer": "kommer"})
        assert response.status_code == 404
        assert b'data-refusal="invalid"' in response.content
    assert _replies(world) == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_programmes_reply_link_is_refused(world, other_world, method):
    meeting, person = _called(other_world)
    token = notice_services.reply_token(meeting, person)

    response = getattr(Client(), method)(_reply_url(world, token), {"answer": "kommer"})

    assert response.status_code == 404
    assert b'data-refusal="invalid"' in response.content
    assert _replies(other_world) == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_reply_link_expires_with_the_meeting(world, method):
    meeting, person = _called(world)
    url = _reply_url(world, notice_services.reply_token(meeting, person))
    with scopes_disabled():
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - datetime.timedelta(hours=3),
            ends_at=timezone.now() - datetime.timedelta(hours=1),
        )

    response = getattr(Client(), method)(url, {"answer": "kommer"})

    assert response.status_code == 410
    assert b'data-refusal="closed"' in response.content
    assert _replies(world) == 0


def test_the_reply_link_stops_with_its_programme(world):
    meeting, person = _called(world)
    url = _reply_url(world, notice_services.reply_token(meeting, person))
    world.tenant.is_active = False
    world.tenant.save(update_fields=["is_active"])

    assert Client().post(url, {"answer": "kommer"}).status_code == 404
    assert _replies(world) == 0
