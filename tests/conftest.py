"""Two programmes and one user per role in each, as in healthchecks' alice/bob.

`tenant` is Sörmland-like, `other_tenant` Kronoberg-like. Each has a process
leader, steering member, principal reporter (for its first municipality),
researcher and tenant admin. `outsider` has no membership at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client, override_settings
from django_scopes import scopes_disabled

from portal.models import Membership, Principal, Role, Tenant, User
from tests.factories import MembershipFactory, PrincipalFactory, TenantFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Hashing passwords properly is slow on purpose; tests don't need that."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _seal_directory(tmp_path_factory):
    """The self-signed seal certificate (portal/seals.py) is generated once per
    run, outside the checkout."""
    with override_settings(SEAL_DIR=tmp_path_factory.mktemp("seal")):
        yield


@dataclass
class World:
    tenant: Tenant
    principal: Principal
    other_principal: Principal
    users: dict[str, User]
    memberships: dict[str, Membership]


ROLES = {
    "leader": Role.PROCESS_LEADER,
    "steering": Role.STEERING_MEMBER,
    "reporter": Role.PRINCIPAL_REPORTER,
    "researcher": Role.RESEARCHER,
    "admin": Role.TENANT_ADMIN,
}


def _world(slug: str, name: str, region: str) -> World:
    tenant = TenantFactory(slug=slug, name=name, region=region)
    principal = PrincipalFactory(tenant=tenant, name=f"{slug}-kommun-a")
    other_principal = PrincipalFactory(tenant=tenant, name=f"{slug}-kommun-b")
    users, memberships = {}, {}
    for key, role in ROLES.items():
        user = UserFactory(username=f"{slug}-{key}")
        users[key] = user
        memberships[key] = MembershipFactory(
            tenant=tenant,
            user=user,
            role=role,
            principal=principal if role == Role.PRINCIPAL_REPORTER else None,
        )
    return World(tenant, principal, other_principal, users, memberships)


@pytest.fixture
def world(db) -> World:
    return _world("sormland", "Tillsammans för barnens bästa", "Region Sörmland")


@pytest.fixture
def other_world(db) -> World:
    return _world("kronoberg", "Barnens bästa gäller!", "Region Kronoberg")


@pytest.fixture
def tenant(world) -> Tenant:
    return world.tenant


@pytest.fixture
def other_tenant(other_world) -> Tenant:
    return other_world.tenant


@pytest.fixture
def outsider(db) -> User:
    return UserFactory(username="outsider")


@pytest.fixture
def client_for():
    """`client_for(user)` → a logged-in test client."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def no_scopes():
    with scopes_disabled():
        yield
