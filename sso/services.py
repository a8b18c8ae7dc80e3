"""Single sign-on's writes and its one rule: an identity from a provider is
matched to a user the portal already has (an invited one), never created.

`match_user` decides; `login_accept`/`login_refuse` audit the outcome
(`identity_provider.login`, `identity_provider.login.refuse`, tenant-less:
a login comes before any programme). `policy_save` sets a programme's SSO
requirement, versioned and audited like `portal.services`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from portal import audit
from portal.models import Tenant, User
from portal.services import ConflictError, DomainError, _stale_message, update_audited
from sso.models import IdentityProvider, ProgrammeSsoPolicy, UsedAssertion


class SsoRefusal(PermissionDenied):
    """An identity the portal does not let in. `reason` is one of sso.refusals.REASONS.
    A PermissionDenied, so djangosaml2's ACS hands it to its failure handler."""

    def __init__(self, reason: str, identity: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.identity = identity


def _first(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value).strip() if value is not None else ""


def identity_value(provider: IdentityProvider, attributes: Mapping[str, Any]) -> str:
    """The value of the provider's matching attribute in a login's claims or
    attributes. OIDC's `email` counts only with `email_verified` true."""
    name = provider.match_attribute
    value = _first(attributes.get(name))
    if not value:
        raise SsoRefusal("missing")
    if provider.kind == "oidc" and name == "email":
        verified = attributes.get("email_verified")
        if verified is not True and str(verified).lower() != "true":
            raise SsoRefusal("unverified", value)
    return value


def match_user(provider: IdentityProvider, attributes: Mapping[str, Any]) -> User:
    """The active, invited user (one with an active membership of an active
    programme, or a staff login) whose e-mail is the identity's value."""
    value = identity_value(provider, attributes)
    with scopes_disabled():
        users = list(
            User.objects.filter(email__iexact=value, is_active=True)
            .filter(
                Q(is_staff=True)
                | Q(memberships__is_active=True, memberships__tenant__is_active=True)
            )
            .distinct()[:2]
        )
    if not users:
        raise SsoRefusal("not_invited", value)
    if len(users) > 1:
        raise SsoRefusal("ambiguous", value)
    return users[0]


def login_accept(*, provider: IdentityProvider, user: User) -> None:
    audit.log(
        actor=user,
        tenant=None,
        action="identity_provider.login",
        obj=provider,
        after={"user": user.pk, "kind": provider.kind},
    )


def login_refuse(*, provider: IdentityProvider, reason: str, identity: str = "") -> None:
    audit.log(
        actor=None,
        tenant=None,
        action="identity_provider.login.refuse",
        obj=provider,
        after={"reason": reason, "identity": identity[:200]},
    )


def assertion_use(
    *, provider: IdentityProvider, assertion_id: str, not_on_or_after: datetime.datetime | None
) -> None:
    """Note a SAML assertion as used; one used before is a replay (SsoRefusal)."""
    now = timezone.now()
    expires = not_on_or_after or now + datetime.timedelta(hours=1)
    UsedAssertion.objects.filter(expires_at__lt=now - datetime.timedelta(hours=1)).delete()
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(
                provider=provider, assertion_id=assertion_id[:200], expires_at=expires
            )
    except IntegrityError:
        raise SsoRefusal("replay") from None


# The programme's requirement -------------------------------------------------


def policy_for(tenant: Tenant) -> ProgrammeSsoPolicy:
    """The programme's requirement as saved, or the default (off, unsaved)."""
    saved = ProgrammeSsoPolicy.objects.filter(tenant=tenant).first()
    return saved if saved is not None else ProgrammeSsoPolicy(tenant=tenant)


def requires_sso(tenant: Tenant) -> bool:
    """Whether the programme is closed to password sessions. Asked on every
    request to a programme (`sso.middleware`): read from the programme
    itself, which the request has loaded, so it costs no query."""
    return tenant.require_sso


def mirror_requirement(tenant_id: int, required: bool) -> None:
    """Keep the programme's own flag in step with its policy (any write to
    the policy, the services' or the Django admin's, in its transaction)."""
    with scopes_disabled():
        Tenant.objects.filter(pk=tenant_id).update(require_sso=required)


@transaction.atomic
def policy_save(
    *,
    actor: User | None,
    tenant: Tenant,
    require_sso: bool,
    actor_used_sso: bool,
    expected_version: int | None = None,
) -> ProgrammeSsoPolicy:
    """Turn the programme's SSO requirement on or off, audited.

    Turning it on is refused unless the administrator is logged in through an
    identity provider now: otherwise they would lock themselves out."""
    if require_sso and not actor_used_sso:
        raise DomainError(
            _(
                "Log in with your organisation's account first: a programme that requires it "
                "would otherwise lock you out."
            )
        )
    existing = ProgrammeSsoPolicy.objects.select_for_update().filter(tenant=tenant).first()
    if existing is None:
        policy = ProgrammeSsoPolicy(tenant=tenant, require_sso=require_sso)
        policy.full_clean()
        try:
            with transaction.atomic():
                policy.save()
        except IntegrityError:
            raise DomainError(_stale_message()) from None
        audit.log(
            actor=actor,
            tenant=tenant,
            action="programme_sso_policy.create",
            obj=policy,
            after=audit.snapshot(policy),
        )
        return policy
    if expected_version is None:
        raise ConflictError(_stale_message(), version=existing.version, saved=existing)
    return update_audited(
        existing,
        actor=actor,
        tenant=tenant,
        fields={"require_sso": require_sso},
        expected_version=expected_version,
    )
