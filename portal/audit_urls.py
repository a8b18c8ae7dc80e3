"""The programme's audit log in the browser (issue 16, item 3), under
/<tenant_slug>/admin/logg/ in the `portal` namespace. Read only: the log is
written by the services, never through a page."""

from django.urls import URLPattern, path

from portal.views import audit

urlpatterns: list[URLPattern] = [
    # The log; `?type=<app.model>&id=<pk>` is one record's history ("Historik").
    path("", audit.audit_log, name="audit_log"),
    path("export.csv", audit.audit_export, name="audit_export"),
]
