"""The programme's directory: principals, operations, people, members."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal import selectors
from portal.tenancy import TenantRequest, require


@require_GET
def principal_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "portal.view_directory")
    principals = selectors.principal_list(tenant=request.tenant)
    return render(request, "portal/principal_list.html", {"principals": principals})


@require_GET
def person_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "portal.view_directory")
    people = selectors.person_list(tenant=request.tenant)
    return render(request, "portal/person_list.html", {"people": people})


@require_GET
def member_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "portal.manage_members")
    members = selectors.member_list(tenant=request.tenant)
    return render(request, "portal/member_list.html", {"members": members})
