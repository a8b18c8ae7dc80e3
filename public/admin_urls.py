"""Members' pages of the public site, under /<tenant_slug>/offentlig/ in the
`public_admin` namespace: switching the site on (programme administrators),
recording and withdrawing consents to public contact details, and the
preview of a good example before it is published."""

from django.urls import URLPattern

from public.views import admin

app_name = "public_admin"

urlpatterns: list[URLPattern] = [*admin.urlpatterns]
