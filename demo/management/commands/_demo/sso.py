"""The demo programmes' single sign-on requirement (issue 16, item 1).

No identity provider is seeded: a provider row without a real IdP behind it
would be a login button that fails. Sörmland's administrators find the
requirement's page saved (off) in their menu ("Inloggningskrav"); turning it
on needs an SSO login, which the demo cannot give.

Through the service, like the rest of seed_demo. Idempotent.
"""

from __future__ import annotations

from django_scopes import scope

from portal.models import Tenant
from sso import services
from sso.models import ProgrammeSsoPolicy


def seed_sso() -> None:
    tenant = Tenant.objects.filter(slug="sormland").first()
    if tenant is None:
        return
    with scope(tenant=tenant):
        if ProgrammeSsoPolicy.objects.filter(tenant=tenant).exists():
            return
        services.policy_save(actor=None, tenant=tenant, require_sso=False, actor_used_sso=False)
