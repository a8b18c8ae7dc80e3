"""Logging in (password, then a code for users with two-factor login) and the
user's own two-factor settings. Login throttling is django-axes' (settings)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from portal import selectors, two_factor
from portal.htmx import require_GET_or_POST
from portal.models import User
from portal.services import DomainError
from portal.tenancy import AuthedRequest


class LoginView(auth_views.LoginView):
    """Django's login, except that a user with two-factor login is not logged in
    by the password alone: the session remembers who passed it, for a few minutes,
    and the code step finishes the login."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor.confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[two_factor.PENDING_LOGIN_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),  # already checked against the host
        }
        return redirect("login_code")


@login_not_required
@require_GET_or_POST
def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin logs in through the portal's login, code step included."""
    query = urlencode({"next": _next_url(request) or reverse("admin:index")})
    return redirect(f"{reverse('login')}?{query}")


def lockout(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/lockout.html", context, status=429)


def _pending_login(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(two_factor.PENDING_LOGIN_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > two_factor.PENDING_LOGIN_SECONDS:
        del request.session[two_factor.PENDING_LOGIN_KEY]
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = selectors.active_user(user_id)
    return (user, pending) if user is not None else None


@login_not_required
@require_GET_or_POST
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of a two-factor login."""
    pending = _pending_login(request)
    device = two_factor.confirmed_device(pending[0]) if pending else None
    if pending is None or device is None:
        messages.info(request, _("Log in again: the first step was too long ago."))
        return redirect("login")
    user, data = pending
    form = two_factor.CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            two_factor.check_code(device, form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", str(error))
        else:
            del request.session[two_factor.PENDING_LOGIN_KEY]
            auth.login(request, user, backend=data["backend"])
            otp_login(request, device)
            return redirect(data["next"])
    return render(request, "registration/login_code.html", {"form": form})


# The user's own two-factor settings ------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _page(request: AuthedRequest, form: Form | None = None) -> HttpResponse:
    user = request.user
    device = two_factor.confirmed_device(user)
    context: dict[str, Any] = {
        "device": device,
        "verified": two_factor.is_verified(request),
        "required_by": two_factor.programmes_requiring(user),
        "next": _next_url(request),
        "form": form or two_factor.CodeForm(),
    }
    if device is None:
        key = two_factor.new_secret(request)
        context["qr_code"] = two_factor.qr_code_data_uri(user, key)
        context["secret"] = two_factor.secret_for_display(key)
    return render(request, "portal/two_factor.html", context)


@require_GET
def two_factor_settings(request: AuthedRequest) -> HttpResponse:
    """Set up, confirm in this session, or turn off two-factor login."""
    return _page(request)


@require_POST
def two_factor_enable(request: AuthedRequest) -> HttpResponse:
    form = two_factor.CodeForm(request.POST)
    key = request.session.get(two_factor.NEW_SECRET_KEY)
    if form.is_valid() and isinstance(key, str):
        try:
            device = two_factor.two_factor_enable(
                actor=request.user, key=key, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", str(error))
        else:
            del request.session[two_factor.NEW_SECRET_KEY]
            otp_login(request, device)
            messages.success(request, _("Two-factor login is on."))
            return redirect(_next_url(request) or reverse("two_factor"))
    return _page(request, form)


@require_POST
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    """Enter a code in a session that logged in without one (a programme asks for it)."""
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect("two_factor")
    form = two_factor.CodeForm(request.POST)
    if form.is_valid():
        try:
            two_factor.check_code(device, form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", str(error))
        else:
            otp_login(request, device)
            return redirect(_next_url(request) or reverse("portal:picker"))
    return _page(request, form)


@require_POST
def two_factor_disable(request: AuthedRequest) -> HttpResponse:
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect("two_factor")
    form = two_factor.CodeForm(request.POST)
    if form.is_valid():
        try:
            two_factor.two_factor_disable(
                actor=request.user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Two-factor login is off."))
            return redirect("two_factor")
    return _page(request, form)
