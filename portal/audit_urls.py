"""The programme's audit log in the browser (issue 16, item 3), under
/<tenant_slug>/admin/logg/ in the `portal` namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
