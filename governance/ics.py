"""Meetings as iCalendar (RFC 5545) data, for downloads and feeds.

Times are written in UTC, so no VTIMEZONE is needed and every client shows
them in its own zone; a meeting without times is an all-day event on its
date. The UID is stable per meeting and SEQUENCE follows the meeting's
version, so a client that saw the meeting before replaces it rather than
adding a copy.

Every text that reaches a calendar (titles, places, agenda items, reasons,
the programme's name) is typed by people. RFC 5545 (3.3.11) lets a TEXT
value carry no control character but HTAB, line breaks escaped as "\\n":
icalendar escapes the breaks but passes the other controls through, so
`_serialise` strips them from every property of every component before
anything is written. Both writers below end there, so a new property or a new
writer is covered without anyone remembering.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from typing import Any

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar.prop import vCategory, vText, vUnknown

from governance.models import AgendaItem, EventStatus, Meeting, MeetingStatus, ProgrammeEvent
from governance.selectors.secrecy import placeholder
from portal import dates

PRODID = "-//Samverkansportalen//Governance//SV"
UID_DOMAIN = "samverkansportalen"
# How often a subscribed client should poll a feed.
FEED_REFRESH = datetime.timedelta(hours=1)

UrlFor = Callable[[Meeting], str]
EventUrlFor = Callable[[ProgrammeEvent], str]

# C0 controls, DEL and the C1 controls. In TEXT, HTAB is allowed and CR/LF are
# line breaks that icalendar writes escaped; anywhere else (a URI, a
# parameter) none may appear.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROLS_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def plain_text(value: str) -> str:
    """`value` as RFC 5545 TEXT allows it: without control characters other
    than tab and line breaks (which icalendar escapes)."""
    return _CONTROLS_IN_TEXT.sub("", value)


def _params(value: Any) -> dict[str, Any]:
    return {
        key: _CONTROLS.sub("", param) if isinstance(param, str) else param
        for key, param in getattr(value, "params", {}).items()
    }


def _safe(value: Any) -> Any:
    """One property value with its control characters removed. An unknown
    (X-) property written from a str is text, and is written escaped as text."""
    if isinstance(value, list):
        return [_safe(item) for item in value]
    if isinstance(value, vCategory):
        return vCategory([plain_text(str(c)) for c in value.cats], params=_params(value))
    if isinstance(value, vText | vUnknown):
        return vText(plain_text(str(value)), params=_params(value))
    if isinstance(value, str):  # URIs, calendar addresses: no controls at all
        kind: Any = type(value)
        return kind(_CONTROLS.sub("", value), params=_params(value))
    return value


def _serialise(calendar: icalendar.Calendar) -> bytes:
    """The calendar as bytes, with every property of every component made safe
    (see the module's docstring). Every writer ends here."""
    for component in calendar.walk():
        for name, value in list(component.items()):
            component[name] = _safe(value)
    return calendar.to_ical()


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _summary(meeting: Meeting) -> str:
    title = meeting.title or f"{meeting.body.name}, {meeting.get_kind_display().lower()}"
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": title}
    return title


def _location(meeting: Meeting) -> str:
    return " / ".join(part for part in (meeting.place, meeting.online_link) if part)


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    prefetched = getattr(meeting, "calendar_agenda", None)
    if prefetched is not None:
        return list(prefetched)
    return list(meeting.agenda_items.filter(archived_at__isnull=True).order_by("position", "id"))


def _description(meeting: Meeting, url: str) -> str:
    parts = []
    if meeting.status == MeetingStatus.CANCELLED and meeting.cancelled_reason:
        parts.append(_("Cancelled: %(reason)s") % {"reason": meeting.cancelled_reason})
    agenda = _agenda(meeting)
    if agenda:
        # A calendar leaves the portal: a secret item (sekretess) is only
        # "Sekretessbelagd handling" in it.
        lines = [
            f"{item.position}. {placeholder(item.secrecy_reference) if item.secret else item.title}"
            for item in agenda
        ]
        parts.append("\n".join([_("Agenda:"), *lines]))
    if meeting.online_link:
        parts.append(_("Join online: %(link)s") % {"link": meeting.online_link})
    if url:
        parts.append(url)
    return "\n\n".join(parts)


def meeting_event(
    meeting: Meeting, *, url_for: UrlFor | None = None, stamp: datetime.datetime | None = None
) -> icalendar.Event:
    url = url_for(meeting) if url_for else ""
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", (stamp or timezone.now()).astimezone(datetime.UTC))
    event.add("created", meeting.created_at.astimezone(datetime.UTC))
    _add_times(event, meeting.starts_at, meeting.ends_at, all_day=meeting.all_day)
    event.add("sequence", meeting.version)
    event.add("summary", _summary(meeting))
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    if location := _location(meeting):
        event.add("location", location)
    if description := _description(meeting, url):
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def _add_times(
    event: icalendar.Event,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    all_day: bool,
) -> None:
    if all_day:
        # A date without times: an all-day event (VALUE=DATE, DTEND exclusive).
        try:
            day = timezone.localdate(starts_at)
        except OverflowError:  # a date stored outside the range (portal.dates)
            day = starts_at.date()
        event.add("dtstart", day)
        event.add("dtend", dates.shifted(day, datetime.timedelta(days=1)))
    else:
        event.add("dtstart", starts_at.astimezone(datetime.UTC))
        event.add("dtend", ends_at.astimezone(datetime.UTC))


def programme_event_uid(event: ProgrammeEvent) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def programme_event_component(
    event: ProgrammeEvent,
    *,
    url_for: EventUrlFor | None = None,
    stamp: datetime.datetime | None = None,
) -> icalendar.Event:
    """A programme event (workshop, webinar …) as a calendar event. Its
    description is the Markdown as typed: calendar clients show plain text."""
    url = url_for(event) if url_for else ""
    cancelled = event.status == EventStatus.CANCELLED
    component = icalendar.Event()
    component.add("uid", programme_event_uid(event))
    component.add("dtstamp", (stamp or timezone.now()).astimezone(datetime.UTC))
    component.add("created", event.created_at.astimezone(datetime.UTC))
    _add_times(component, event.starts_at, event.ends_at, all_day=event.all_day)
    component.add("sequence", event.version)
    summary = _("Cancelled: %(title)s") % {"title": event.title} if cancelled else event.title
    component.add("summary", summary)
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    component.add("categories", [str(event.get_kind_display())])
    if location := " / ".join(part for part in (event.place, event.online_link) if part):
        component.add("location", location)
    parts = []
    if cancelled and event.cancelled_reason:
        parts.append(_("Cancelled: %(reason)s") % {"reason": event.cancelled_reason})
    if event.description:
        parts.append(event.description)
    if event.online_link:
        parts.append(_("Join online: %(link)s") % {"link": event.online_link})
    if url:
        parts.append(url)
    if parts:
        component.add("description", "\n\n".join(parts))
    if url:
        component.add("url", url)
    return component


def programme_event_calendar(event: ProgrammeEvent, *, url_for: EventUrlFor | None = None) -> bytes:
    """One programme event, for "add to my calendar"."""
    calendar = _calendar(event.display_title)
    calendar.add_component(programme_event_component(event, url_for=url_for))
    return _serialise(calendar)


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def meeting_calendar(meeting: Meeting, *, url_for: UrlFor | None = None) -> bytes:
    """One meeting, for "add to my calendar"."""
    calendar = _calendar(meeting.display_title)
    calendar.add_component(meeting_event(meeting, url_for=url_for))
    return _serialise(calendar)


def feed_calendar(
    name: str,
    meetings: Iterable[Meeting],
    *,
    url_for: UrlFor | None = None,
    events: Iterable[ProgrammeEvent] = (),
    event_url_for: EventUrlFor | None = None,
) -> bytes:
    """A subscribed feed of meetings and the programme's events."""
    calendar = _calendar(name)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    # An X- property is written as given: say it is a duration (PT1H, not "1:00:00").
    calendar.add("x-published-ttl", icalendar.vDuration(FEED_REFRESH))
    stamp = timezone.now()
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, url_for=url_for, stamp=stamp))
    for event in events:
        calendar.add_component(programme_event_component(event, url_for=event_url_for, stamp=stamp))
    return _serialise(calendar)
