"""Members' pages of the newsletter, under /<tenant_slug>/nyhetsbrev/ in the
`newsletter` namespace: process leaders compose, edit and send issues."""

from django.urls import URLPattern

from public.views.newsletter import member_urlpatterns

app_name = "newsletter"

urlpatterns: list[URLPattern] = [*member_urlpatterns]
