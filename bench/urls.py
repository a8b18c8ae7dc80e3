"""The portal's URLconf plus the floor: a bare view behind the same middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.models import Principal
from portal.urls import urlpatterns as portal_urlpatterns


def floor(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """One indexed query, no template: what any page costs at least."""
    principal = Principal.objects.filter(tenant=request.tenant).order_by("pk").first()  # type: ignore[attr-defined]
    return HttpResponse(principal.name if principal else "", content_type="text/plain")


urlpatterns = [
    path("<slug:tenant_slug>/_bench/floor", floor, name="bench_floor"),
    *portal_urlpatterns,
]
