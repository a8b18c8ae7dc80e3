"""The public site's pages (issue 15, item 1): the programme, its
principals, its published good examples, its public events and, where the
programme opts in, its decisions and approved minutes. Only what is
published, approved and consented: the selectors (public/selectors.py) are
the one place that decides what may be shown."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET

from governance import ics
from governance.models import ProgrammeEvent
from public import selectors
from public.site import PublicRequest, public_view

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _render(request: PublicRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        template,
        {
            "tenant": request.tenant,
            "site": request.site,
            "public_nav": selectors.navigation(request.site),
            **context,
        },
    )


@require_GET
@public_view
def programme(request: PublicRequest) -> HttpResponse:
    """The programme: what it is, its principals and its wellbeing wheel."""
    return _render(request, "public/programme.html", selectors.programme_page(request.site))


@require_GET
@public_view
def principals(request: PublicRequest) -> HttpResponse:
    return _render(request, "public/principal_list.html", selectors.principals_page(request.site))


@require_GET
@public_view
def principal(request: PublicRequest, pk: int) -> HttpResponse:
    """One principal, with the others a click away ("klicka vidare")."""
    page = selectors.principal_page(request.site, pk)
    return _render(request, "public/principal_detail.html", {"page": page})


@require_GET
@public_view
def examples(request: PublicRequest) -> HttpResponse:
    """The published examples: `q` searches, the other fields filter (a GET form)."""
    filters = selectors.example_filters(request.GET)
    return _render(
        request, "public/example_list.html", selectors.examples_page(request.site, filters)
    )


@require_GET
@public_view
def example(request: PublicRequest, pk: int) -> HttpResponse:
    found = selectors.example_page(request.site, pk)
    return _render(request, "public/example_detail.html", {"example": found})


@require_GET
@public_view
def events(request: PublicRequest) -> HttpResponse:
    return _render(
        request, "public/event_list.html", {"events": list(selectors.public_events(request.site))}
    )


@require_GET
@public_view(cached=False)
def event_ics(request: PublicRequest, pk: int) -> HttpResponse:
    """The event as an .ics file, for "add to my calendar"."""
    event = selectors.public_event(request.site, pk)
    slug = request.tenant.slug

    def url_for(_event: ProgrammeEvent) -> str:
        return request.build_absolute_uri(reverse("public:events", args=[slug]))

    body = ics.programme_event_calendar(event, url_for=url_for)
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    filename = f"event-{event.pk}-{event.starts_at:%Y-%m-%d}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@public_view
def decisions(request: PublicRequest) -> HttpResponse:
    """The register of decisions and the approved minutes (404 unless the
    programme publishes them)."""
    return _render(request, "public/decision_list.html", selectors.decisions_page(request.site))


@require_GET
@public_view
def minutes(request: PublicRequest, pk: int) -> HttpResponse:
    page = selectors.minutes_page(request.site, pk)
    return _render(request, "public/minutes_detail.html", {"page": page})


urlpatterns: list[URLPattern] = [
    path("", programme, name="programme"),
    path("huvudman/", principals, name="principals"),
    path("huvudman/<int:pk>/", principal, name="principal"),
    path("exempel/", examples, name="examples"),
    path("exempel/<int:pk>/", example, name="example"),
    path("evenemang/", events, name="events"),
    path("evenemang/<int:pk>.ics", event_ics, name="event_ics"),
    path("beslut/", decisions, name="decisions"),
    path("protokoll/<int:pk>/", minutes, name="minutes"),
]
