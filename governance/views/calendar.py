"""Meetings in calendars: an ICS download per meeting, and personal feeds
(which carry the programme's events too, `governance.views.events`).

A feed's URL carries a secret token because calendar clients cannot log in.
The feed view is therefore the one governance URL that needs no login; it is
found by the token's hash, must belong to the programme in the URL, and shows
what its owner's role may see for as long as their membership is active.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_scopes import scope

from governance import ics
from governance.access import get_feed_for, get_meeting_for
from governance.models import Meeting, ProgrammeEvent
from governance.selectors import calendar as selectors
from governance.services import calendar as services
from portal.forms import ConfirmForm
from portal.htmx import form_data, render_changed, render_page, require_GET_or_POST, show_refusal
from portal.services import DomainError
from portal.tenancy import TenantRequest, require

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _meeting_url_for(request: HttpRequest, tenant_slug: str) -> ics.UrlFor:
    """Links from events back to the meeting page (absolute: they leave the site)."""

    def url_for(meeting: Meeting) -> str:
        url = reverse("governance:meeting_detail", args=[tenant_slug, meeting.pk])
        return request.build_absolute_uri(url)

    return url_for


def event_url_for(request: HttpRequest, tenant_slug: str) -> ics.EventUrlFor:
    """Links from calendar events back to the programme event's page."""

    def url_for(event: ProgrammeEvent) -> str:
        url = reverse("governance:event_detail", args=[tenant_slug, event.pk])
        return request.build_absolute_uri(url)

    return url_for


def calendar_response(body: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = content_disposition_header(attachment, filename) or ""
    return response


# One meeting ----------------------------------------------------------------


@require_safe
def meeting_ics(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The meeting as an .ics file, for anyone who may see the meeting."""
    meeting = get_meeting_for(request, pk, calendar=True)
    body = ics.meeting_calendar(meeting, url_for=_meeting_url_for(request, tenant_slug))
    return calendar_response(
        body, filename=f"meeting-{meeting.pk}-{meeting.starts_at:%Y-%m-%d}.ics", attachment=True
    )


# Feeds ----------------------------------------------------------------------


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, tenant_slug: str, token: str) -> HttpResponse:
    """The feed a calendar client subscribes to. No login: the token is the key."""
    found = selectors.active_feed(tenant_slug=tenant_slug, raw_token=token)
    if found is None:
        raise Http404
    tenant = found.feed.tenant
    with scope(tenant=tenant):
        meetings = selectors.feed_meetings(tenant=tenant, membership=found.membership)
        events = selectors.feed_programme_events(tenant=tenant, membership=found.membership)
        body = ics.feed_calendar(
            tenant.name,
            meetings,
            url_for=_meeting_url_for(request, tenant_slug),
            events=events,
            event_url_for=event_url_for(request, tenant_slug),
        )
    response = calendar_response(body, filename=f"{tenant.slug}.ics", attachment=False)
    # The URL is a secret: keep it and the schedule out of shared caches and indexes.
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _feed_url(request: TenantRequest, raw_token: str) -> str:
    return request.build_absolute_uri(
        reverse("governance:calendar_feed", args=[request.tenant.slug, raw_token])
    )


@require_GET_or_POST
def calendar_feeds(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """The member's own feeds; POST creates one and shows its address once."""
    require(request, "governance.view_approved_minutes")
    form = ConfirmForm(form_data(request))
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            feed, raw_token = services.feed_create(actor=request.user, tenant=request.tenant)
        except DomainError as error:
            show_refusal(form, error)
        else:
            feed_url = _feed_url(request, raw_token)
            created = {
                "feed": feed,
                "feed_url": feed_url,
                # webcal:// makes the browser hand the address to the calendar program.
                "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            }
            if request.htmx:
                response = render_changed(
                    request,
                    "governance/calendar_feeds.html#created",
                    {**created, "form": ConfirmForm()},
                    event="calendarFeedChanged",
                    obj=feed,
                    action="create",
                )
                patch_cache_control(response, no_store=True)
                return response
    if request.htmx and request.method == "POST":
        return render_page(
            request, "governance/calendar_feeds.html", {"form": form}, partial="create"
        )
    context = {
        "form": ConfirmForm() if created else form,
        "created": created,
        "feeds": selectors.own_feeds(tenant=request.tenant, user=request.user),
    }
    response = render_page(request, "governance/calendar_feeds.html", context, partial="listing")
    if created:
        # The page shows the secret address: the browser must not keep a copy.
        patch_cache_control(response, no_store=True)
    return response


@require_POST
def calendar_feed_revoke(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Revoke one of the member's own feeds (another's is 404, like a stranger's)."""
    feed = get_feed_for(request, pk)
    error = None
    try:
        feed = services.feed_revoke(actor=request.user, feed=feed)
    except DomainError as refusal:
        error = str(refusal)
    if request.htmx:
        context = {"feed": feed, "error": error}
        if error:
            return render_page(request, "governance/calendar_feeds.html", context, partial="row")
        return render_changed(
            request,
            "governance/calendar_feeds.html#row",
            context,
            event="calendarFeedChanged",
            obj=feed,
            action="revoke",
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Revoked the calendar feed. Its address no longer works."))
    return redirect("governance:calendar_feeds", request.tenant.slug)


urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/meeting.ics", meeting_ics, name="meeting_ics"),
    path("calendar/feeds/", calendar_feeds, name="calendar_feeds"),
    path("calendar/feeds/<int:pk>/revoke/", calendar_feed_revoke, name="calendar_feed_revoke"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
