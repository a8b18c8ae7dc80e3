"""Tenancy: the programme in the URL, the user's membership in it, the scope.

`TenantMiddleware` resolves `/<tenant_slug>/…`, answers 404 (never 403) when
the user has no active membership there, and runs the view inside the
django-scopes scope of that programme, so an unscoped query raises.

Who may come in is decided in one place, `admit`, with the programme's policy
in `policy_refusal`. The middleware asks it for logins; `token_membership`
asks it for the credentials that stand in for a login where none is possible
(a calendar feed's secret address, a research API token), so a policy added
to `policy_refusal` holds for them too.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from portal.models import Membership, Tenant
from portal.permissions import can

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from portal.models import User

M = TypeVar("M", bound=models.Model)


class TenantRequest(HttpRequest):
    """What a tenant view receives: the programme and the user's membership."""

    tenant: Tenant
    membership: Membership
    htmx: HtmxDetails
    user: User


class AuthedRequest(HttpRequest):
    htmx: HtmxDetails
    user: User


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None

        if request.path_info.startswith("/django-admin/") and request.user.is_superuser:
            # Superusers administer all programmes through the Django admin.
            with scopes_disabled():
                return self.get_response(request)

        slug = match.kwargs.get("tenant_slug") if match else None
        if slug is None or not request.user.is_authenticated:
            # Not a tenant URL (no scope is opened: a scoped query raises), or
            # login is required first (LoginRequiredMiddleware redirects for any
            # slug, so that says nothing about which programmes exist).
            return self.get_response(request)

        tenant = Tenant.objects.filter(slug=slug, is_active=True).first()
        if tenant is None:
            raise Http404
        from portal import two_factor

        with scope(tenant=tenant):
            admitted = admit(
                tenant=tenant,
                user=request.user,
                second_factor=lambda: two_factor.is_verified(request),
            )
            if admitted is Refusal.TWO_FACTOR:
                return two_factor.send_to_set_up_or_verify(request)
            if not isinstance(admitted, Membership):
                raise Http404
            request.tenant = tenant  # type: ignore[attr-defined]
            request.membership = admitted  # type: ignore[attr-defined]
            return self.get_response(request)


class Refusal(enum.Enum):
    """Why a programme keeps someone out."""

    # No active membership, login or programme: 404, never saying which.
    NOT_A_MEMBER = "not_a_member"
    # The programme requires a second factor that this way in has not proved.
    TWO_FACTOR = "two_factor"


def policy_refusal(
    tenant: Tenant, membership: Membership, *, second_factor: Callable[[], bool]
) -> Refusal | None:
    """What the programme's policy says of an active membership right now;
    None lets it in. `second_factor` says whether this way in proved a second
    factor (asked only when the policy needs to know).

    Every way into a programme ends here (see `admit`): a new policy belongs
    in this function, and then holds for logins and tokens alike."""
    from portal import two_factor

    if two_factor.required_for(tenant, membership) and not second_factor():
        return Refusal.TWO_FACTOR
    return None


def admit(*, tenant: Tenant, user: User, second_factor: Callable[[], bool]) -> Membership | Refusal:
    """The user's membership in the programme, if the programme lets them in
    now: an active programme, an active login, an active membership, and
    nothing in `policy_refusal` against it."""
    if not tenant.is_active or not user.is_active:
        return Refusal.NOT_A_MEMBER
    with scope(tenant=tenant):
        membership = (
            Membership.objects.filter(tenant=tenant, user=user, is_active=True)
            .select_related("principal", "person")
            .first()
        )
    if membership is None:
        return Refusal.NOT_A_MEMBER
    return policy_refusal(tenant, membership, second_factor=second_factor) or membership


def token_membership(*, tenant: Tenant, user: User) -> Membership | None:
    """The membership that a token acts through (a calendar feed's address, a
    research API token), or None when the programme would not let its owner
    in: the same `admit` as a login, so every policy holds for tokens too.

    A token proves no second factor by itself; its owner having set up
    two-factor login counts. So an administrator's token made before the
    programme required two-factor login stops working until they set it up."""
    from portal import two_factor

    admitted = admit(
        tenant=tenant,
        user=user,
        second_factor=lambda: two_factor.confirmed_device(user) is not None,
    )
    return admitted if isinstance(admitted, Membership) else None


def get_for_tenant[M: models.Model](
    request: TenantRequest, queryset: type[M] | models.QuerySet[M], **lookup: Any
) -> M:
    """Look an object up within the request's programme: another programme's id is 404."""
    qs: models.QuerySet[M] = (
        queryset._default_manager.all() if isinstance(queryset, type) else queryset
    )
    return get_object_or_404(qs.filter(tenant=request.tenant), **lookup)


def require(request: TenantRequest, rule: str, obj: Any = None) -> None:
    """403 unless the user's membership passes `rule` (see portal.permissions)."""
    if not can(request.membership, rule, obj):
        raise PermissionDenied
