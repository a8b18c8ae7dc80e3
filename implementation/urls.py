"""Implementation URLs, under /<tenant_slug>/ in the `implementation` namespace.

Each area's view module carries its own `urlpatterns`."""

from django.urls import URLPattern, URLResolver

from implementation.views import (
    appointments,
    assessments,
    catalogue,
    examples,
    goals,
    indicators,
    plan,
    staircase,
)

app_name = "implementation"

urlpatterns: list[URLPattern | URLResolver] = [
    *staircase.urlpatterns,
    *assessments.urlpatterns,
    *catalogue.urlpatterns,
    *goals.urlpatterns,
    *indicators.urlpatterns,
    *appointments.urlpatterns,
    *examples.urlpatterns,
    *plan.urlpatterns,
]
