"""Rate limits of exports and API use (django-ratelimit, counted in the shared
cache): per researcher for exports and new tokens, per token for the API."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)


def _limited(request: HttpRequest, *, group: str, key: str, rate: str) -> bool:
    """Counted in the cache. With the cache unreachable (Redis down) nothing can
    be counted and the request goes ahead, logged: a dead cache must not turn
    every export and API call into a server error."""
    try:
        return bool(
            is_ratelimited(
                request, group=group, key=lambda _group, _request: key, rate=rate, increment=True
            )
        )
    except Exception:
        logger.warning("Rate limit %s not counted: the cache is unreachable", group, exc_info=True)
        return False


def export_limited(request: HttpRequest, *, user_id: int) -> bool:
    """One more export (zipped or streamed) or token by this user: over the limit?"""
    return _limited(
        request, group="research-export", key=f"user:{user_id}", rate=settings.RESEARCH_EXPORT_RATE
    )


def api_limited(request: HttpRequest, *, token_id: int) -> bool:
    return _limited(
        request, group="research-api", key=f"token:{token_id}", rate=settings.RESEARCH_API_RATE
    )
