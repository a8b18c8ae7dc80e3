"""Tenant isolation: the first security property of the portal.

That every tenant page is 404 to members of another programme, to logins
without a programme and to superusers without a membership, and that another
programme's ids are 404 on every page, is proven once for every route by the
probe in tests/trust/test_isolation_probe.py. Here: the scoping underneath it,
and the cases that are not one route (unknown, inactive programmes, the picker)."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from portal.models import AuditEvent, Membership, Operation, Person, Principal
from tests.factories import MembershipFactory, TenantFactory


@pytest.mark.parametrize("model", [Principal, Operation, Person, Membership, AuditEvent])
def test_query_outside_a_tenant_scope_raises(db, model):
    with pytest.raises(ScopeError):
        list(model.objects.all())


def test_query_inside_a_scope_sees_only_that_tenant(world, other_world):
    with scope(tenant=world.tenant):
        names = set(Principal.objects.values_list("name", flat=True))
    assert names == {world.principal.name, world.other_principal.name}


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
