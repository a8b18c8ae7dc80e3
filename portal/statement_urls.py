"""The programme's accessibility statement and privacy details (issue 16,
items 4 and 5), edited by programme administrators, under
/<tenant_slug>/admin/redogorelser/ in the `portal` namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
