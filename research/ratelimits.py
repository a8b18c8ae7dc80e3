"""Rate limits of exports and API use (django-ratelimit, counted in the shared
cache): per researcher for exports and new tokens, per token for the API."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited


def _limited(request: HttpRequest, *, group: str, key: str, rate: str) -> bool:
    return bool(
        is_ratelimited(
            request, group=group, key=lambda _group, _request: key, rate=rate, increment=True
        )
    )


def export_limited(request: HttpRequest, *, user_id: int) -> bool:
    """One more export (zipped or streamed) or token by this user: over the limit?"""
    return _limited(
        request, group="research-export", key=f"user:{user_id}", rate=settings.RESEARCH_EXPORT_RATE
    )


def api_limited(request: HttpRequest, *, token_id: int) -> bool:
    return _limited(
        request, group="research-api", key=f"token:{token_id}", rate=settings.RESEARCH_API_RATE
    )
