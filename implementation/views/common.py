"""Helpers shared by the implementation views."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from implementation.models import Staircase
from implementation.services.staircase import staircase_ensure_default
from portal.tenancy import TenantRequest


def ensure_staircase(request: TenantRequest) -> Staircase:
    """The programme's current staircase; the default is created the first time
    any implementation page is opened (one query once it exists)."""
    return staircase_ensure_default(request.tenant)


def go_to(
    request: TenantRequest, url: str, message: str = "", *, level: int = messages.SUCCESS
) -> HttpResponse:
    """After a change of a whole page: a redirect, for htmx a client redirect."""
    if message:
        messages.add_message(request, level, message)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def swap_to(response: HttpResponse, target: str) -> HttpResponse:
    """Send an htmx answer to another element than the one that asked."""
    return reswap(retarget(response, target), "outerHTML")
