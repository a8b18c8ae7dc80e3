"""How a session logged in, kept in the session at login: the programmes
that require single sign-on (`sso.middleware`) and the portal's logout
(`sso.views.logout`, single logout) ask it."""

from __future__ import annotations

from typing import Any, TypedDict

from django.http import HttpRequest

# The session's SSO login: {"provider": slug, "kind": "oidc"|"saml", "id_token": …}.
SESSION_KEY = "sso_login"
# Set on the request by the SSO views just before `auth.login`.
PENDING_ATTR = "_sso_login"


class SsoLogin(TypedDict, total=False):
    provider: str
    kind: str
    id_token: str


def record_login_method(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """`user_logged_in`: an SSO login says so in the session; any other login
    (a password, even into a session that once used SSO) removes it."""
    if request is None or not hasattr(request, "session"):
        return
    pending = getattr(request, PENDING_ATTR, None)
    if pending:
        request.session[SESSION_KEY] = dict(pending)
    else:
        request.session.pop(SESSION_KEY, None)


def sso_login(request: HttpRequest) -> SsoLogin | None:
    """The session's SSO login, or None for a password login."""
    value = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return value if isinstance(value, dict) and value.get("provider") else None  # type: ignore[return-value]
