"""SAML 2.0 logins with djangosaml2 and pysaml2, one provider row at a time.

djangosaml2 reads its SP configuration through a loader it calls with the
request (`SAML_CONFIG_LOADER`); `config_loader` builds it from the provider
named in the URL (/accounts/sso/<provider>/saml/…), with the IdP's metadata
from its row or its address. Each provider is its own SP: its own entity id
(by default the address of its metadata), ACS and logout service.

The djangosaml2 views are subclassed only to take the provider from the URL,
to let a password session log in again through SSO (a programme may ask for
it), and to match the identity to an invited user (`sso.services`) instead of
its backend, which would create users. A signed assertion is required; its
audience, times and InResponseTo are pysaml2's checks; an assertion used once
is refused as a replay (`sso.services.assertion_use`).
"""

from __future__ import annotations

import shutil
from typing import Any

import saml2
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from djangosaml2 import views as saml_views
from saml2.config import SPConfig

from sso import providers, services, sessions
from sso.models import IdentityProvider, ProviderKind
from sso.refusals import refusal_page

PROVIDER_ATTR = "sso_provider"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def request_provider(request: HttpRequest) -> IdentityProvider:
    provider = getattr(request, PROVIDER_ATTR, None)
    if provider is None:
        match = request.resolver_match
        slug = match.kwargs.get("provider") if match else None
        provider = providers.enabled_provider(slug) if slug else None
    if provider is None or provider.kind != ProviderKind.SAML:
        raise Http404
    return provider


def sp_entity_id(provider: IdentityProvider, request: HttpRequest) -> str:
    return provider.saml_sp_entity_id or request.build_absolute_uri(
        reverse("sso:saml_metadata", args=[provider.slug])
    )


def config_loader(request: HttpRequest | None = None) -> SPConfig:
    """SAML_CONFIG_LOADER: the SP configuration of the request's provider."""
    if request is None:
        raise Http404
    provider = request_provider(request)
    acs = request.build_absolute_uri(reverse("sso:saml_acs", args=[provider.slug]))
    sls = request.build_absolute_uri(reverse("sso:saml_sls", args=[provider.slug]))
    try:
        metadata = providers.saml_metadata(provider)
    except providers.ProviderUnavailable:
        raise Http404 from None
    sp: dict[str, Any] = {
        "name": "Samverkansportalen",
        "endpoints": {
            "assertion_consumer_service": [(acs, saml2.BINDING_HTTP_POST)],
            "single_logout_service": [
                (sls, saml2.BINDING_HTTP_REDIRECT),
                (sls, saml2.BINDING_HTTP_POST),
            ],
        },
        "allow_unsolicited": False,
        "want_assertions_signed": True,
        "want_response_signed": False,
        "authn_requests_signed": False,
        "logout_requests_signed": False,
    }
    config: dict[str, Any] = {
        "entityid": sp_entity_id(provider, request),
        "xmlsec_binary": getattr(settings, "SAML_XMLSEC_BINARY", "") or shutil.which("xmlsec1"),
        "allow_unknown_attributes": True,
        "service": {"sp": sp},
        "metadata": {"inline": [metadata]},
        # Clock skew between the portal and the IdP, seconds.
        "accepted_time_diff": 60,
    }
    key_file = getattr(settings, "SAML_SP_KEY_FILE", "")
    cert_file = getattr(settings, "SAML_SP_CERT_FILE", "")
    if key_file and cert_file:
        # Federations that ask for signed requests (Sweden Connect) get them.
        config["key_file"] = key_file
        config["cert_file"] = cert_file
        config["encryption_keypairs"] = [{"key_file": key_file, "cert_file": cert_file}]
        sp["authn_requests_signed"] = True
        sp["logout_requests_signed"] = True
    conf = SPConfig()
    conf.load(config)
    return conf


class _ProviderMixin:
    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        setattr(request, PROVIDER_ATTR, request_provider(request))
        super().setup(request, *args, **kwargs)  # type: ignore[misc]


class LoginView(_ProviderMixin, saml_views.LoginView):
    def should_prevent_auth(self, request: HttpRequest) -> bool:
        # A password session may log in again through SSO: a programme asks for it.
        return False

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().get(request)


class AssertionConsumerServiceView(_ProviderMixin, saml_views.AssertionConsumerServiceView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().post(request, attribute_mapping={}, create_unknown_user=False)

    def authenticate_user(
        self,
        request: HttpRequest,
        session_info: dict[str, Any],
        attribute_mapping: Any,
        create_unknown_user: Any,
        assertion_info: dict[str, Any],
    ) -> Any:
        provider = request_provider(request)
        if not assertion_info.get("assertion_id"):
            raise services.SsoRefusal("invalid")
        services.assertion_use(
            provider=provider,
            assertion_id=assertion_info["assertion_id"],
            not_on_or_after=_datetime(assertion_info.get("not_on_or_after")),
        )
        attributes = dict(session_info.get("ava") or {})
        name_id = session_info.get("name_id")
        if name_id is not None and getattr(name_id, "text", None):
            attributes.setdefault("name_id", [name_id.text])
        user = services.match_user(provider, attributes)
        setattr(request, sessions.PENDING_ATTR, {"provider": provider.slug, "kind": provider.kind})
        auth.login(request, user, backend=MODEL_BACKEND)
        saml_views._set_subject_id(request.saml_session, session_info["name_id"])  # type: ignore[attr-defined]
        services.login_accept(provider=provider, user=user)
        return user

    def handle_acs_failure(
        self,
        request: HttpRequest,
        exception: Exception | None = None,
        status: int = 403,
        **kwargs: Any,
    ) -> HttpResponse:
        provider = request_provider(request)
        if isinstance(exception, services.SsoRefusal):
            services.login_refuse(
                provider=provider, reason=exception.reason, identity=exception.identity
            )
            return refusal_page(request, provider, exception.reason)
        services.login_refuse(
            provider=provider, reason="invalid", identity=f"{type(exception).__name__}: {exception}"
        )
        return refusal_page(request, provider, "invalid")


class MetadataView(_ProviderMixin, saml_views.MetadataView):
    pass


class LogoutServiceView(_ProviderMixin, saml_views.LogoutView):
    """The IdP's answer to our logout, or its own logout request (single logout)."""

    def do_logout_service(
        self, request: HttpRequest, data: Any, binding: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        if "SAMLRequest" in data and saml_views._get_subject_id(request.saml_session) is None:  # type: ignore[attr-defined]
            # The IdP logs out a session this browser does not have here.
            auth.logout(request)
            return redirect(settings.LOGOUT_REDIRECT_URL)
        return super().do_logout_service(request, data, binding, *args, **kwargs)


class LogoutInitView(_ProviderMixin, saml_views.LogoutInitView):
    def handle_unsupported_slo_exception(
        self, request: HttpRequest, exception: Exception, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return redirect(settings.LOGOUT_REDIRECT_URL)


def _datetime(value: Any) -> Any:
    from saml2.time_util import str_to_time

    if not value:
        return None
    import calendar
    import datetime

    return datetime.datetime.fromtimestamp(calendar.timegm(str_to_time(value)), tz=datetime.UTC)


def single_logout(request: HttpRequest) -> HttpResponse:
    """The portal's logout of a SAML session: a LogoutRequest to the IdP when
    its metadata has a SingleLogoutService (the IdP answers at our logout
    service), else a local logout. Either way this session is logged out."""
    view = LogoutInitView()
    view.setup(request)
    try:
        return view.get(request)
    except PermissionDenied:
        auth.logout(request)
        return redirect(settings.LOGOUT_REDIRECT_URL)
