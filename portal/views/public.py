"""Views outside any programme: the programme picker and the public statements."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django_scopes import scopes_disabled

from portal import selectors, statements
from portal.models import DIGG_REPORT_URL
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
    """The portal's own statement; each programme's is on its own page."""
    with scopes_disabled():
        programmes = statements.active_programmes()
    context = {"programmes": programmes, "digg_url": DIGG_REPORT_URL}
    return render(request, "portal/accessibility.html", context)


@login_not_required
@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The portal's notice, naming each programme's controller."""
    return render(request, "portal/privacy.html", {"programmes": statements.privacy_by_programme()})
