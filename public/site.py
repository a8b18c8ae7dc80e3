"""How a public page finds its programme: /p/<site_slug>/ names a programme
whose public site is switched on; anything else is a 404, the same for a
programme that does not exist, is inactive, or keeps its site off. No login:
the views are `login_not_required`, and the programme's scope is opened here
(TenantMiddleware opens scopes for members' URLs only).

`public_page` also caches the page's HTML under the programme's data
version (`portal.dashboards.cache.data_version`): any write to the
programme's rows, a withdrawn consent among them, gives a new version, so a
cached page is never older than the last change. Nothing is cached in the
first seconds of a new version (the write may be uncommitted).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django_scopes import scope

from portal.dashboards.cache import cache_seconds, data_version
from portal.models import Tenant
from public.models import PublicSite

logger = logging.getLogger(__name__)

# Every app whose rows the public pages show.
DATA_APPS = ("portal", "governance", "implementation", "public")
CACHE_SECONDS = 600


class PublicRequest(HttpRequest):
    tenant: Tenant
    site: PublicSite  # type: ignore[assignment]  # not contrib.sites: the public site


def find_site(slug: str) -> PublicSite:
    site = (
        PublicSite.objects.filter(tenant__slug=slug, tenant__is_active=True, enabled=True)
        .select_related("tenant")
        .first()
    )
    if site is None:
        raise Http404
    return site


def public_view(view: Callable[..., HttpResponse] | None = None, *, cached: bool = True) -> Any:
    """A view of the public site: no login, the site found by `site_slug`
    (404 when off), the programme's scope open, and (`cached`) its HTML
    cached under the programme's data version."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_not_required
        @functools.wraps(view)
        def wrapper(
            request: HttpRequest, site_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            from django_scopes import scopes_disabled

            with scopes_disabled():
                site = find_site(site_slug)
            public_request: Any = request
            public_request.tenant = site.tenant
            public_request.site = site
            with scope(tenant=site.tenant):
                if not cached or request.method != "GET":
                    return view(request, *args, **kwargs)
                return _cached(request, site, lambda: view(request, *args, **kwargs))

        return wrapper

    return decorate(view) if view is not None else decorate


def _cached(
    request: HttpRequest, site: PublicSite, draw: Callable[[], HttpResponse]
) -> HttpResponse:
    if cache_seconds() <= 0:  # the data-version caches switched off (DASHBOARD_CACHE_SECONDS)
        return draw()
    try:
        version, settled = data_version(site.tenant, DATA_APPS)
    except Exception:
        logger.warning("The cache cannot be reached; drawing the public page afresh")
        return draw()
    tenant = site.tenant
    # Everything the page depends on, hashed: a key within memcached's 250
    # characters whatever the URL.
    parts = [
        str(tenant.pk),
        tenant.created_at.isoformat() if tenant.created_at else "",
        version,
        get_language() or "",
        request.get_full_path(),
    ]
    key = "public:page:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    try:
        hit = cache.get(key)
    except Exception:
        hit = None
    if hit is not None:
        content, content_type = hit
        response = HttpResponse(content, content_type=content_type)
        response["X-Public-Cache"] = "hit"
        return response
    response = draw()
    if settled and response.status_code == 200 and not response.streaming:
        try:
            cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
        except Exception:
            logger.warning("Could not cache the public page %s", request.path)
    return response
