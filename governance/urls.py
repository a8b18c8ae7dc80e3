"""Governance URLs, under /<tenant_slug>/ in the `governance` namespace.

Each area's view module carries its own `urlpatterns`."""

from django.urls import URLPattern, URLResolver

from governance.views import (
    actions,
    bodies,
    calendar,
    decisions,
    events,
    imports,
    meeting_documents,
    meetings,
    notices,
    registry,
    report_back,
    reports,
    risks,
    search,
    signing,
)

app_name = "governance"

urlpatterns: list[URLPattern | URLResolver] = [
    *meetings.urlpatterns,
    *signing.urlpatterns,
    *meeting_documents.urlpatterns,
    *registry.urlpatterns,
    *notices.urlpatterns,
    *bodies.urlpatterns,
    *decisions.urlpatterns,
    *actions.urlpatterns,
    *report_back.urlpatterns,
    *risks.urlpatterns,
    *reports.urlpatterns,
    *search.urlpatterns,
    *calendar.urlpatterns,
    *events.urlpatterns,
    *imports.urlpatterns,
]
