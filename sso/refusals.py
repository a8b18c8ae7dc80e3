"""The answer to a refused SSO login: the refusal page, at the address the
provider sent the browser back to, with 403 (nothing was logged in)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sso.models import IdentityProvider

# not_invited: no active invited user has it; unverified: the provider does not
# vouch for the e-mail; ambiguous: two users share it; missing: no value at all;
# replay: the assertion was used before; invalid: signature, time, audience, state …
REASONS = ("not_invited", "unverified", "ambiguous", "missing", "replay", "invalid")


def refusal_page(request: HttpRequest, provider: IdentityProvider, reason: str) -> HttpResponse:
    context = {"provider": provider.name, "reason": reason if reason in REASONS else "invalid"}
    return render(request, "sso/refused.html", context, status=403)
