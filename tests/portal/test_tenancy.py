"""Tenant isolation: the first security property of the portal."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from portal.models import AuditEvent, Membership, Operation, Person, Principal
from tests.factories import MembershipFactory, TenantFactory
from tests.urlwalk import routes, sample_kwargs

TENANT_ROUTES = [r for r in routes() if r.is_tenant]


def test_there_are_tenant_routes_to_probe():
    names = {r.name for r in TENANT_ROUTES}
    assert {"portal:home", "portal:principals", "portal:people", "portal:members"} <= names


@pytest.mark.parametrize("model", [Principal, Operation, Person, Membership, AuditEvent])
def test_query_outside_a_tenant_scope_raises(db, model):
    with pytest.raises(ScopeError):
        list(model.objects.all())


def test_query_inside_a_scope_sees_only_that_tenant(world, other_world):
    with scope(tenant=world.tenant):
        names = set(Principal.objects.values_list("name", flat=True))
    assert names == {world.principal.name, world.other_principal.name}


@pytest.mark.parametrize("route", TENANT_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher", "admin"])
def test_member_of_another_programme_gets_404_on_every_tenant_url(
    route, role, world, other_world, client_for
):
    client = client_for(other_world.users[role])
    url = reverse(route.name, kwargs=sample_kwargs(route, tenant_slug=world.tenant.slug))
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("route", TENANT_ROUTES, ids=lambda r: r.name)
def test_user_without_membership_gets_404_on_every_tenant_url(route, world, outsider, client_for):
    client = client_for(outsider)
    url = reverse(route.name, kwargs=sample_kwargs(route, tenant_slug=world.tenant.slug))
    assert client.get(url).status_code == 404


def test_unknown_programme_is_404_like_a_forbidden_one(world, client_for):
    client = client_for(world.users["leader"])
    assert client.get("/finns-inte/").status_code == 404


def test_deactivated_membership_gets_404(world, client_for):
    membership = world.memberships["steering"]
    with scopes_disabled():
        Membership.objects.filter(pk=membership.pk).update(is_active=False)
    response = client_for(world.users["steering"]).get(reverse("portal:home", args=["sormland"]))
    assert response.status_code == 404


def test_inactive_programme_gets_404(world, client_for):
    world.tenant.is_active = False
    world.tenant.save()
    response = client_for(world.users["leader"]).get(reverse("portal:home", args=["sormland"]))
    assert response.status_code == 404


def test_superuser_without_membership_gets_404(world, client_for):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    response = client_for(root).get(reverse("portal:home", args=["sormland"]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login_whether_or_not_the_programme_exists(world):
    client = Client()
    for path in ("/sormland/", "/finns-inte/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_user_in_two_programmes_sees_each_with_its_own_role(world, other_world, client_for):
    user = world.users["researcher"]
    MembershipFactory(tenant=other_world.tenant, user=user, role="process_leader")
    client = client_for(user)
    page = client.get(reverse("portal:home", args=["kronoberg"])).content.decode()
    assert other_world.tenant.name in page
    assert "Processledare" in page or "Process leader" in page


class TestPicker:
    def test_one_programme_goes_straight_in(self, world, client_for):
        response = client_for(world.users["steering"]).get(reverse("portal:picker"))
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:home", args=["sormland"])

    def test_several_programmes_are_listed(self, world, other_world, client_for):
        user = world.users["researcher"]
        MembershipFactory(tenant=other_world.tenant, user=user, role="researcher")
        page = client_for(user).get(reverse("portal:picker")).content.decode()
        assert world.tenant.name in page
        assert other_world.tenant.name in page

    def test_inactive_memberships_and_programmes_are_not_listed(self, world, client_for):
        user = world.users["researcher"]
        hidden = TenantFactory(slug="nedlagt", name="Nedlagt program", is_active=False)
        MembershipFactory(tenant=hidden, user=user, role="researcher")
        response = client_for(user).get(reverse("portal:picker"))
        assert response.status_code == 302  # only the one active programme is left

    def test_no_programme_says_so(self, outsider, client_for):
        response = client_for(outsider).get(reverse("portal:picker"))
        assert response.status_code == 200
        assert "programmes" in response.content.decode() or "program" in response.content.decode()
