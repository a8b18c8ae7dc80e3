"""Tenancy: the programme in the URL, the user's membership in it, the scope.

`TenantMiddleware` resolves `/<tenant_slug>/…`, answers 404 (never 403) when
the user has no active membership there, and runs the view inside the
django-scopes scope of that programme, so an unscoped query raises.
"""

from __future__ import annotations

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
        with scope(tenant=tenant):
            membership = (
                Membership.objects.filter(tenant=tenant, user=request.user, is_active=True)
                .select_related("principal")
                .first()
            )
            if membership is None:
                raise Http404
            request.tenant = tenant  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            if tenant.require_admin_two_factor:
                from portal.two_factor import enforce

                if (refusal := enforce(request, tenant, membership)) is not None:
                    return refusal
            return self.get_response(request)


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
