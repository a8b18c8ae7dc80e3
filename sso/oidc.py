"""OpenID Connect logins with mozilla-django-oidc, one provider row at a time.

mozilla-django-oidc reads one provider from settings. Its pieces take
settings through `get_settings`, so the subclasses here answer from the
provider row and its discovery document instead: the request view (state,
nonce, PKCE) and the backend (code exchange, JWKS signature check, userinfo).
The callback is the portal's own (`sso.views.oidc_callback`): the library's
calls `auth.authenticate` through every configured backend and knows one
provider; ours knows the provider from the state it started with, and turns
a refusal into the "not invited" page.

The ID token is checked more strictly than the library does by default:
its audience must be our client id and its issuer the provider's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from portal.models import User
from sso import providers, services
from sso.models import IdentityProvider

# The providers of the logins this browser started: {state: provider slug}.
STATE_PROVIDERS_KEY = "sso_oidc_providers"
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


def _provider_settings(provider: IdentityProvider) -> dict[str, Any]:
    return {
        "OIDC_RP_SCOPES": provider.oidc_scopes,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:oidc_callback",
        "OIDC_CREATE_USER": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_TIMEOUT": providers.TIMEOUT,
        "OIDC_REDIRECT_FIELD_NAME": "next",
    }


class ProviderRequestView(OIDCAuthenticationRequestView):
    """The redirect to the provider's authorization endpoint."""

    provider: IdentityProvider

    def __init__(self, **kwargs: Any) -> None:
        # The library reads the provider from settings here; ours comes with the request.
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_settings(self, attr: str, *args: Any) -> Any:
        overrides = _provider_settings(self.provider)
        if attr in overrides:
            return overrides[attr]
        return import_from_settings(attr, *args)

    def start(self, request: HttpRequest, provider: IdentityProvider) -> HttpResponse:
        self.provider = provider
        configuration = providers.oidc_configuration(provider)
        self.OIDC_OP_AUTH_ENDPOINT = configuration["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = provider.oidc_client_id
        self.request = request
        response = self.get(request)
        state = parse_qs(urlparse(response["Location"]).query)["state"][0]
        started = request.session.get(STATE_PROVIDERS_KEY) or {}
        started[state] = provider.slug
        # Only the latest few: a state is dropped by the callback that uses it.
        request.session[STATE_PROVIDERS_KEY] = dict(list(started.items())[-10:])
        return response


class ProviderBackend(OIDCAuthenticationBackend):
    """Exchange the code, check the ID token and match its identity to a user."""

    def __init__(self, provider: IdentityProvider) -> None:
        self.provider = provider
        self.configuration = providers.oidc_configuration(provider)
        self.OIDC_OP_TOKEN_ENDPOINT = self.configuration["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = self.configuration.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = self.configuration["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.oidc_client_id
        self.OIDC_RP_CLIENT_SECRET = provider.oidc_client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = User
        self.id_token = ""

    def get_settings(self, attr: str, *args: Any) -> Any:
        overrides = _provider_settings(self.provider)
        if attr in overrides:
            return overrides[attr]
        return import_from_settings(attr, *args)

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        # The key's algorithm is the token's (checked against the JWKS entry).
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in ALGORITHMS:
            raise SuspiciousOperation("The ID token's algorithm is not accepted.")
        self.OIDC_RP_SIGN_ALGO = header["alg"]
        return super().verify_token(token, **kwargs)

    def get_payload_data(self, token: Any, key: Any) -> Any:
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.configuration["issuer"],
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
                leeway=60,
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def store_tokens(self, access_token: str, id_token: str) -> None:
        self.id_token = id_token

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if isinstance(userinfo, dict) and userinfo.get("sub") == payload.get("sub"):
                claims.update(userinfo)
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: Any) -> User:
        """Never creates: the invited user, or SsoRefusal."""
        claims = self.get_userinfo(access_token, id_token, payload)
        return services.match_user(self.provider, claims)


def end_session_url(
    provider: IdentityProvider, *, id_token: str, post_logout_redirect_uri: str
) -> str | None:
    """RP-initiated logout at the provider, when its discovery document has
    an end_session_endpoint; None otherwise."""
    try:
        endpoint = providers.oidc_configuration(provider).get("end_session_endpoint")
    except providers.ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = {
        "client_id": provider.oidc_client_id,
        "post_logout_redirect_uri": post_logout_redirect_uri,
    }
    if id_token:
        query["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(query)}"
