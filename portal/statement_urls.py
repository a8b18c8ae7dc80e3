"""The programme's accessibility statement and privacy details (issue 16,
items 4 and 5), edited by programme administrators, under
/<tenant_slug>/admin/redogorelser/ in the `portal` namespace."""

from django.urls import URLPattern, path

from portal.views import statements

urlpatterns: list[URLPattern] = [
    path("tillganglighet/", statements.accessibility_edit, name="statement_accessibility"),
    path("integritet/", statements.privacy_edit, name="statement_privacy"),
    path("personer/", statements.person_pick, name="statement_person_pick"),
    path(
        "personer/<int:pk>/export.json",
        statements.person_export,
        name="statement_person_export",
    ),
]
