"""Single sign-on's pages: the choice of provider, the login through each
kind (OIDC: `sso.oidc`; SAML: `sso.saml`), the refusal page, the portal's
logout (single logout for SSO sessions) and the programme administrators'
SSO requirement under /<tenant_slug>/admin/inloggning/."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import decorator_from_middleware
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from djangosaml2.middleware import SamlSessionMiddleware

from portal.htmx import form_data, require_GET_or_POST, show_refusal
from portal.services import DomainError
from portal.tenancy import TenantRequest, require
from sso import oidc, providers, saml, services, sessions
from sso.forms import PolicyForm
from sso.models import IdentityProvider, ProviderKind
from sso.refusals import refusal_page

logger = logging.getLogger(__name__)

RULE = "portal.manage_members"
# djangosaml2 keeps its state in a session of its own (cookie `saml_session`,
# SameSite=None): the IdP posts the answer from another site.
saml_session = decorator_from_middleware(SamlSessionMiddleware)


def _next(request: HttpRequest) -> str:
    url = request.GET.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _provider(slug: str, kind: str) -> IdentityProvider:
    provider = providers.enabled_provider(slug)
    if provider is None or provider.kind != kind:
        raise Http404
    return provider


@login_not_required
@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    """The providers to log in with; where a programme that requires SSO sends
    a password session."""
    context = {"providers": providers.enabled_providers(), "next": _next(request)}
    return render(request, "sso/choose.html", context)


# OpenID Connect ---------------------------------------------------------------


@never_cache
@login_not_required
@require_GET
def oidc_login(request: HttpRequest, provider: str) -> HttpResponse:
    row = _provider(provider, ProviderKind.OIDC)
    try:
        return oidc.ProviderRequestView().start(request, row)
    except providers.ProviderUnavailable:
        logger.warning("OIDC provider %s unreachable", row.slug, exc_info=True)
        return render(request, "sso/unavailable.html", {"provider": row}, status=503)


@never_cache
@login_not_required
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: the state must be one this browser started."""
    state = request.GET.get("state", "")
    started = request.session.get(oidc.STATE_PROVIDERS_KEY) or {}
    states = request.session.get("oidc_states") or {}
    slug = started.pop(state, None) if isinstance(started, dict) else None
    entry = states.pop(state, None) if isinstance(states, dict) else None
    request.session[oidc.STATE_PROVIDERS_KEY] = started
    request.session["oidc_states"] = states
    row = providers.enabled_provider(slug) if slug else None
    if row is None or entry is None:
        messages.error(request, _("The login took too long or was started elsewhere. Try again."))
        return redirect("login")
    if request.GET.get("error") or not request.GET.get("code"):
        services.login_refuse(provider=row, reason="invalid", identity=request.GET.get("error", ""))
        return refusal_page(request, row, "invalid")
    backend = oidc.ProviderBackend(row)
    try:
        user = backend.authenticate(
            request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
    except services.SsoRefusal as refusal:
        services.login_refuse(provider=row, reason=refusal.reason, identity=refusal.identity)
        return refusal_page(request, row, refusal.reason)
    except (SuspiciousOperation, requests.RequestException, providers.ProviderUnavailable) as error:
        logger.warning("OIDC login through %s refused: %s", row.slug, error)
        services.login_refuse(
            provider=row, reason="invalid", identity=f"{type(error).__name__}: {error}"
        )
        return refusal_page(request, row, "invalid")
    if user is None:
        services.login_refuse(provider=row, reason="invalid")
        return refusal_page(request, row, "invalid")
    next_url = request.session.pop("oidc_login_next", None) or resolve_url(
        settings.LOGIN_REDIRECT_URL
    )
    setattr(
        request,
        sessions.PENDING_ATTR,
        {"provider": row.slug, "kind": row.kind, "id_token": backend.id_token},
    )
    auth.login(request, user, backend=saml.MODEL_BACKEND)
    services.login_accept(provider=row, user=user)
    return redirect(next_url)


# SAML 2.0 ---------------------------------------------------------------------

saml_login = login_not_required(never_cache(saml_session(saml.LoginView.as_view())))
saml_acs = login_not_required(
    csrf_exempt(saml_session(saml.AssertionConsumerServiceView.as_view()))
)
saml_metadata = login_not_required(saml.MetadataView.as_view())
saml_sls = login_not_required(csrf_exempt(saml_session(saml.LogoutServiceView.as_view())))


# Logout -----------------------------------------------------------------------


def _to_provider(request: HttpRequest, url: str) -> HttpResponse:
    """Go on to the provider's logout. Not by a redirect: the logout is a form
    whose CSP (form-action 'self') does not let it lead to another site; a
    page of ours that moves on by itself (and has a link) does."""
    return render(request, "sso/logout_continue.html", {"continue_url": url})


@never_cache
@login_not_required
@require_POST
@saml_session
def logout(request: HttpRequest) -> HttpResponse:
    """The portal's logout. A session that logged in through an identity
    provider is logged out there too where the provider supports it: OIDC's
    end_session_endpoint, SAML's SingleLogoutService."""
    login = sessions.sso_login(request)
    provider = (
        IdentityProvider.objects.filter(slug=login["provider"]).first()
        if login and request.user.is_authenticated
        else None
    )
    if provider is not None and login is not None and provider.kind == ProviderKind.OIDC:
        url = oidc.end_session_url(
            provider,
            id_token=login.get("id_token", ""),
            post_logout_redirect_uri=request.build_absolute_uri(
                resolve_url(settings.LOGOUT_REDIRECT_URL)
            ),
        )
        auth.logout(request)
        return _to_provider(request, url) if url else redirect(settings.LOGOUT_REDIRECT_URL)
    if provider is not None and provider.kind == ProviderKind.SAML:
        setattr(request, saml.PROVIDER_ATTR, provider)
        response = saml.single_logout(request)
        location = response.get("Location", "")
        if response.status_code == 302 and not url_has_allowed_host_and_scheme(
            location, allowed_hosts={request.get_host()}
        ):
            return _to_provider(request, location)
        return response
    return auth_views.LogoutView.as_view()(request)


# The programme's requirement --------------------------------------------------


@require_GET_or_POST
def policy_edit(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, RULE)
    policy = services.policy_for(request.tenant)
    form = PolicyForm(form_data(request), instance=policy)
    used_sso = sessions.sso_login(request) is not None
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_save(
                actor=request.user,
                tenant=request.tenant,
                actor_used_sso=used_sso,
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved the login requirement."))
            return redirect("sso_admin:policy", request.tenant.slug)
    context = {
        "form": form,
        "policy": policy,
        "used_sso": used_sso,
        "providers": providers.enabled_providers(),
        "nav_section": "sso",
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "sso/policy_edit.html", context, status=status)
