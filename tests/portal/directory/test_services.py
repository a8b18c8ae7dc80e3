"""The directory services behind the views (portal/services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portal import services
from portal.models import Principal, PrincipalKind, Role
from tests.helpers import audit_count, rows

# Services behind the views --------------------------------------------------


def test_refused_update_leaves_the_object_as_it_was(world, no_scopes):
    principal = world.principal
    before = rows(Principal)
    with pytest.raises(ValidationError) as refused:
        services.principal_update(
            actor=world.users["admin"], principal=principal, kind=PrincipalKind.REGION, name="Ny"
        )
    assert "municipality_code" in refused.value.error_dict
    assert (principal.kind, principal.name) == (PrincipalKind.MUNICIPALITY, "sormland-kommun-a")
    assert rows(Principal) == before
    assert audit_count() == 0


def test_member_add_needs_a_domain_to_invite(world, no_scopes):
    with pytest.raises(ValueError, match="invitation_domain"):
        services.member_add(
            actor=world.users["admin"],
            tenant=world.tenant,
            email="ny@flen.se",
            role=Role.RESEARCHER,
        )
