"""A programme that requires single sign-on is closed to password sessions.

After `portal.tenancy.TenantMiddleware` (which sets `request.tenant` for a
member): a session that did not log in through an identity provider is sent
to the choice of provider, and back to the page afterwards."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from sso import services, sessions


class SsoPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if (
            tenant is not None
            and request.user.is_authenticated
            and sessions.sso_login(request) is None
            and services.requires_sso(tenant)
        ):
            messages.info(
                request,
                _("%(programme)s requires you to log in with your organisation's account.")
                % {"programme": tenant.name},
            )
            url = f"{reverse('sso:choose')}?{urlencode({'next': request.get_full_path()})}"
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(url)
            return redirect(url)
        return self.get_response(request)
