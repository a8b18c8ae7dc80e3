"""Meetings as iCalendar (RFC 5545) data, for downloads and feeds.

Times are written in UTC, so no VTIMEZONE is needed and every client shows
them in its own zone. The UID is stable per meeting and SEQUENCE follows the
meeting's version, so a client that saw the meeting before replaces it rather
than adding a copy.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import AgendaItem, Meeting, MeetingStatus

PRODID = "-//Samverkansportalen//Governance//SV"
UID_DOMAIN = "samverkansportalen"
# How often a subscribed client should poll a feed.
FEED_REFRESH = datetime.timedelta(hours=1)

UrlFor = Callable[[Meeting], str]


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
        lines = [f"{item.position}. {item.title}" for item in agenda]
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
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
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
    return calendar.to_ical()


def feed_calendar(
    name: str, meetings: Iterable[Meeting], *, url_for: UrlFor | None = None
) -> bytes:
    """A subscribed feed of meetings."""
    calendar = _calendar(name)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    stamp = timezone.now()
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, url_for=url_for, stamp=stamp))
    return calendar.to_ical()
