"""Views outside any programme: the programme picker and the public statements."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from portal import selectors
from portal.tenancy import AuthedRequest


@require_GET
def picker(request: AuthedRequest) -> HttpResponse:
    """After login: the user's programmes, or straight in when there is one."""
    memberships = selectors.memberships_for_user(request.user)
    if len(memberships) == 1:
        return redirect("portal:home", tenant_slug=memberships[0].tenant.slug)
    return render(request, "portal/picker.html", {"memberships": memberships})


@login_not_required
@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@login_not_required
@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")
