"""The public site's URLs, under /p/<site_slug>/ in the `public` namespace:
no login. Each area's view module carries its own `urlpatterns`."""

from django.urls import URLPattern, URLResolver

from public.views import feeds, newsletter, pages

app_name = "public"

urlpatterns: list[URLPattern | URLResolver] = [
    *pages.urlpatterns,
    *feeds.urlpatterns,
    *newsletter.urlpatterns,
]
