"""Search across the programme's minutes, decisions, action items and risks."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from governance.forms.search import SearchForm
from governance.selectors import search as selectors
from portal.htmx import render_page
from portal.tenancy import TenantRequest, require


@require_GET
def search(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """The search page. An empty or too short query shows the form and a hint;
    htmx gets the form with its results, to swap in place."""
    require(request, "governance.view_approved_minutes")
    form = SearchForm(request.GET if "q" in request.GET else None, auto_id="search-%s")
    query = selectors.normalise(form.cleaned_data["q"]) if form.is_valid() else ""
    results = None
    if len(query) >= selectors.MIN_QUERY_LENGTH:
        results = selectors.search(
            tenant=request.tenant, membership=request.membership, query=query
        )
    context = {
        "form": form,
        "query": query,
        "results": results,
        "too_short": bool(query) and results is None,
        "min_length": selectors.MIN_QUERY_LENGTH,
        "max_hits": selectors.MAX_HITS,
    }
    return render_page(request, "governance/search.html", context, partial="search")


urlpatterns: list[URLPattern] = [
    path("search/", search, name="search"),
]
