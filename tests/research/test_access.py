"""research/access.py: one lookup per noun. Each `get_<noun>_for` returns its
own programme's object, answers 404 for another programme's id, and 403 for
too little role."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django_scopes import scope

from portal.models import Role
from research import access, services
from research.models import ApiToken, ResearchReport
from tests.factories import MembershipFactory, UserFactory


def as_member(world, role: str) -> Any:
    request = RequestFactory().get("/")
    request.tenant = world.tenant
    request.membership = world.memberships[role]
    request.user = world.users[role]
    return request


def lookup(world, role: str, get: Callable[..., Any], pk: int, **options: Any) -> Any:
    with scope(tenant=world.tenant):
        return get(as_member(world, role), pk, **options)


def make_token(world, role: str = "researcher") -> ApiToken:
    with scope(tenant=world.tenant):
        token, _raw = services.token_create(
            actor=world.users[role],
            membership=world.memberships[role],
            tenant=world.tenant,
            name="Analys",
        )
    return token


def make_report(world) -> ResearchReport:
    with scope(tenant=world.tenant):
        return services.report_create(
            actor=world.users["researcher"],
            membership=world.memberships["researcher"],
            tenant=world.tenant,
            title="Delrapport 1",
            published_on=datetime.date(2025, 6, 1),
        )


# API tokens ---------------------------------------------------------------------------


def test_a_researcher_finds_their_own_token(world):
    token = make_token(world)
    assert lookup(world, "researcher", access.get_api_token_for, token.pk).pk == token.pk
    found = lookup(world, "researcher", access.get_api_token_for, token.pk, write=True)
    assert found.pk == token.pk


def test_another_programmes_token_is_404(world, other_world):
    foreign = make_token(other_world)
    with pytest.raises(Http404):
        lookup(world, "researcher", access.get_api_token_for, foreign.pk, write=True)


def test_another_researchers_token_is_404(world):
    colleague = MembershipFactory(tenant=world.tenant, user=UserFactory(), role=Role.RESEARCHER)
    with scope(tenant=world.tenant):
        token, _raw = services.token_create(
            actor=colleague.user, membership=colleague, tenant=world.tenant, name="Hennes"
        )
    with pytest.raises(Http404):
        lookup(world, "researcher", access.get_api_token_for, token.pk, write=True)


@pytest.mark.parametrize("role", ["leader", "steering", "reporter", "admin"])
def test_only_researchers_have_tokens(world, role):
    token = make_token(world)
    with pytest.raises(PermissionDenied):
        lookup(world, role, access.get_api_token_for, token.pk, write=True)


# Research reports ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher", "admin"])
def test_everyone_reads_a_report(world, role):
    report = make_report(world)
    assert lookup(world, role, access.get_research_report_for, report.pk).pk == report.pk


@pytest.mark.parametrize("role", ["leader", "researcher"])
def test_researchers_and_process_leaders_keep_the_register(world, role):
    report = make_report(world)
    found = lookup(world, role, access.get_research_report_for, report.pk, write=True)
    assert found.pk == report.pk


def test_another_programmes_report_is_404(world, other_world):
    foreign = make_report(other_world)
    with pytest.raises(Http404):
        lookup(world, "steering", access.get_research_report_for, foreign.pk)
    with pytest.raises(Http404):
        lookup(world, "leader", access.get_research_report_for, foreign.pk, write=True)


@pytest.mark.parametrize("role", ["steering", "reporter", "admin"])
def test_too_little_role_to_keep_the_register_is_403(world, role):
    report = make_report(world)
    with pytest.raises(PermissionDenied):
        lookup(world, role, access.get_research_report_for, report.pk, write=True)
