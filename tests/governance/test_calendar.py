"""Meetings in calendars: the .ics download of one meeting, and personal
feeds with a secret, revocable URL that works without logging in."""

from __future__ import annotations

import datetime
import json
import re

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import CalendarFeed, MeetingStatus, MinutesStatus, MinutesVersion
from governance.selectors import calendar as calendar_selectors
from governance.services import calendar as services
from portal.models import Membership
from portal.services import DomainError
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.helpers import (
    HTMX,
    ROLES,
    audit_count,
    audit_events,
    hx_trigger,
    is_fragment,
    reload,
    rows,
    text,
)

UTC = datetime.UTC


def ics_url(tenant, meeting) -> str:
    return reverse("governance:meeting_ics", args=[tenant.slug, meeting.pk])


def feeds_url(tenant) -> str:
    return reverse("governance:calendar_feeds", args=[tenant.slug])


def revoke_url(tenant, feed) -> str:
    return reverse("governance:calendar_feed_revoke", args=[tenant.slug, feed.pk])


def feed_path(tenant_slug: str, raw_token: str) -> str:
    return reverse("governance:calendar_feed", args=[tenant_slug, raw_token])


def events(response) -> dict[str, icalendar.Event]:
    """The VEVENTs of an ICS response by UID (it must parse)."""
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def uid(meeting) -> str:
    return f"meeting-{meeting.pk}@samverkansportalen"


def new_feed(world, role: str = "steering") -> tuple[CalendarFeed, str]:
    with scope(tenant=world.tenant):
        return services.feed_create(actor=world.users[role], tenant=world.tenant)


@pytest.fixture
def meeting(gov):
    starts = datetime.datetime(2030, 3, 25, 8, 30, tzinfo=UTC)
    meeting = MeetingFactory(
        body=gov.body,
        title="Styrgruppsmöte",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2, minutes=30),
        place="Stadshuset, Katrineholm",
        online_link="https://teams.example.se/m/123",
        version=4,
    )
    AgendaItemFactory(meeting=meeting, position=2, title="Processplan 2030")
    AgendaItemFactory(meeting=meeting, position=1, title="Mötets öppnande")
    AgendaItemFactory(
        meeting=meeting, position=3, title="Struken punkt", archived_at=timezone.now()
    )
    return meeting


# One meeting ------------------------------------------------------------------


def test_meeting_ics_has_the_meetings_fields(world, meeting, client_for):
    response = client_for(world.users["leader"]).get(ics_url(world.tenant, meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".ics" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    event = events(response)[uid(meeting)]
    assert event.decoded("DTSTART") == datetime.datetime(2030, 3, 25, 8, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime.datetime(2030, 3, 25, 11, 0, tzinfo=UTC)
    assert b"DTSTART:20300325T083000Z" in response.content  # UTC, no zone table needed
    assert str(event["SUMMARY"]) == "Styrgruppsmöte"
    assert str(event["LOCATION"]) == "Stadshuset, Katrineholm / https://teams.example.se/m/123"
    assert int(event["SEQUENCE"]) == 4
    assert str(event["STATUS"]) == "CONFIRMED"
    description = str(event["DESCRIPTION"])
    assert "1. Mötets öppnande\n2. Processplan 2030" in description
    assert "Struken punkt" not in description
    assert "DTSTAMP" in event


def test_meeting_without_title_is_named_after_its_body(world, gov, client_for):
    meeting = MeetingFactory(body=gov.body, title="", kind="planeringsdag", online_link="")
    event = events(client_for(world.users["leader"]).get(ics_url(world.tenant, meeting)))
    assert str(event[uid(meeting)]["SUMMARY"]).startswith("Styrgruppen, ")
    assert str(event[uid(meeting)]["LOCATION"]) == "Nygatan 20, Växjö"


def test_the_uid_is_stable_and_the_sequence_follows_the_version(world, meeting, client_for):
    client = client_for(world.users["leader"])
    first = events(client.get(ics_url(world.tenant, meeting)))[uid(meeting)]
    with scopes_disabled():
        type(meeting).objects.filter(pk=meeting.pk).update(version=5, place="Flen")
    second = events(client.get(ics_url(world.tenant, meeting)))[uid(meeting)]
    assert str(first["UID"]) == str(second["UID"]) == uid(meeting)
    assert (int(first["SEQUENCE"]), int(second["SEQUENCE"])) == (4, 5)
    assert str(second["LOCATION"]).startswith("Flen")


def test_cancelled_meeting_is_cancelled_in_the_calendar(world, meeting, client_for):
    with scopes_disabled():
        type(meeting).objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.CANCELLED, cancelled_reason="För få anmälda."
        )
    response = client_for(world.users["steering"]).get(ics_url(world.tenant, meeting))
    assert b"STATUS:CANCELLED" in response.content
    event = events(response)[uid(meeting)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Styrgruppsmöte" in str(event["SUMMARY"])
    assert "För få anmälda." in str(event["DESCRIPTION"])


@pytest.mark.parametrize("role", ["leader", "steering", "researcher", "admin"])
def test_readers_download_any_meeting(world, meeting, client_for, role):
    response = client_for(world.users[role]).get(ics_url(world.tenant, meeting))
    assert response.status_code == 200
    assert uid(meeting) in events(response)


@pytest.mark.parametrize("status", [MinutesStatus.DRAFT, MinutesStatus.FINISHED])
def test_reporter_gets_403_for_a_meeting_without_approved_minutes(
    world, meeting, client_for, status
):
    with scopes_disabled():
        type(meeting).objects.filter(pk=meeting.pk).update(minutes_status=status)
    assert (
        client_for(world.users["reporter"]).get(ics_url(world.tenant, meeting)).status_code == 403
    )


def test_reporter_downloads_a_meeting_with_approved_minutes(world, meeting, client_for):
    with scopes_disabled():
        type(meeting).objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.APPROVED)
    response = client_for(world.users["reporter"]).get(ics_url(world.tenant, meeting))
    assert response.status_code == 200
    assert uid(meeting) in events(response)


def test_reporter_downloads_a_meeting_whose_approved_minutes_are_being_revised(
    world, meeting, client_for
):
    with scopes_disabled():
        MinutesVersion.objects.create(
            tenant=world.tenant, meeting=meeting, number=1, content={}, approved_at=timezone.now()
        )
    response = client_for(world.users["reporter"]).get(ics_url(world.tenant, meeting))
    assert response.status_code == 200


def test_archived_meeting_is_404_as_on_the_meeting_page(world, meeting, client_for):
    with scopes_disabled():
        type(meeting).objects.filter(pk=meeting.pk).update(archived_at=timezone.now())
    assert client_for(world.users["leader"]).get(ics_url(world.tenant, meeting)).status_code == 404


def test_meeting_ics_needs_a_login(world, meeting):
    response = Client().get(ics_url(world.tenant, meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_meeting_ics_is_read_only(world, meeting, client_for):
    assert client_for(world.users["leader"]).post(ics_url(world.tenant, meeting)).status_code == 405


# Feeds: the management page -------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_may_create_a_feed_and_sees_its_address_once(world, client_for, role):
    client = client_for(world.users[role])
    before = audit_count()
    response = client.post(feeds_url(world.tenant))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    with scopes_disabled():
        feed = CalendarFeed.objects.get(created_by=world.users[role])
    raw = re.search(r"/sormland/calendar/([A-Za-z0-9_-]+)\.ics", text(response)).group(1)
    assert feed.token == services.hash_token(raw)
    assert f"http://testserver{feed_path('sormland', raw)}" in text(response)
    assert audit_count() == before + 1
    # The address is shown once: the list afterwards does not have it.
    page = text(client.get(feeds_url(world.tenant)))
    assert raw not in page
    assert f'id="calendar-feed-{feed.pk}"' in page


def test_the_raw_token_is_stored_nowhere(world, client_for):
    client = client_for(world.users["steering"])
    response = client.post(feeds_url(world.tenant))
    raw = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", text(response)).group(1)
    with scopes_disabled():
        feed = CalendarFeed.objects.get()
    client.post(revoke_url(world.tenant, feed))
    assert raw not in json.dumps(rows(CalendarFeed), default=str)
    events_ = audit_events(object_type="governance.calendarfeed")
    assert [e.action for e in events_] == ["calendar_feed.create", "calendar_feed.revoke"]
    logged = json.dumps([[e.before, e.after] for e in audit_events()], default=str)
    assert raw not in logged
    assert feed.token not in logged  # not even the hash: it is the feed's key
    assert all("token" not in (e.after or {}) for e in events_)


def test_feeds_page_lists_only_the_members_own_feeds(world, client_for):
    mine, _ = new_feed(world, "steering")
    theirs, _ = new_feed(world, "leader")
    page = text(client_for(world.users["steering"]).get(feeds_url(world.tenant)))
    assert f'id="calendar-feed-{mine.pk}"' in page
    assert f'id="calendar-feed-{theirs.pk}"' not in page


def test_htmx_create_gets_the_address_and_the_new_row(world, client_for):
    response = client_for(world.users["steering"]).post(feeds_url(world.tenant), **HTMX)
    assert response.status_code == 200
    assert is_fragment(response)
    assert hx_trigger(response)["calendarFeedChanged"]["action"] == "create"
    with scopes_disabled():
        feed = CalendarFeed.objects.get()
    body = text(response)
    assert 'hx-swap-oob="afterbegin:#calendar-feed-rows"' in body
    assert f'<tr id="calendar-feed-{feed.pk}"' in body
    assert re.search(r'value="http://testserver/sormland/calendar/[A-Za-z0-9_-]+\.ics"', body)
    assert re.search(r'href="webcal://testserver/sormland/calendar/[A-Za-z0-9_-]+\.ics"', body)


def test_too_many_active_feeds_is_refused_on_the_page(world, client_for):
    for _ in range(services.MAX_ACTIVE_FEEDS_PER_MEMBER):
        new_feed(world, "steering")
    before, count = audit_count(), len(rows(CalendarFeed))
    response = client_for(world.users["steering"]).post(feeds_url(world.tenant))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert re.search(r"/calendar/[A-Za-z0-9_-]+\.ics", text(response)) is None
    assert (audit_count(), len(rows(CalendarFeed))) == (before, count)


def test_htmx_refusal_gets_the_form_with_the_error(world, client_for):
    for _ in range(services.MAX_ACTIVE_FEEDS_PER_MEMBER):
        new_feed(world, "steering")
    response = client_for(world.users["steering"]).post(feeds_url(world.tenant), **HTMX)
    assert response.status_code == 200
    assert is_fragment(response)
    assert 'class="error-summary"' in text(response)
    assert "HX-Trigger" not in response


def test_feeds_page_of_another_programme_is_404(world, other_world, client_for):
    client = client_for(other_world.users["steering"])
    assert client.get(feeds_url(world.tenant)).status_code == 404
    assert client.post(feeds_url(world.tenant)).status_code == 404
    with scopes_disabled():
        assert not CalendarFeed.objects.exists()


# Feeds: revoking --------------------------------------------------------------------


def test_owner_revokes_a_feed(world, client_for):
    feed, raw = new_feed(world, "steering")
    before = audit_count()
    response = client_for(world.users["steering"]).post(revoke_url(world.tenant, feed))
    assert response.status_code == 302
    assert response["Location"] == feeds_url(world.tenant)
    assert reload(feed).revoked_at is not None
    assert audit_count() == before + 1
    assert Client().get(feed_path("sormland", raw)).status_code == 404


def test_htmx_revoke_gets_the_row(world, client_for):
    feed, _ = new_feed(world, "steering")
    response = client_for(world.users["steering"]).post(revoke_url(world.tenant, feed), **HTMX)
    assert response.status_code == 200
    assert (
        text(response).lstrip().startswith(f'<tr id="calendar-feed-{feed.pk}" class="is-archived"')
    )
    assert hx_trigger(response)["calendarFeedChanged"] == {"id": feed.pk, "action": "revoke"}


def test_revoking_twice_says_so_and_writes_nothing(world, client_for):
    feed, _ = new_feed(world, "steering")
    client = client_for(world.users["steering"])
    client.post(revoke_url(world.tenant, feed))
    before, revoked_at = audit_count(), reload(feed).revoked_at
    response = client.post(revoke_url(world.tenant, feed), **HTMX)
    assert response.status_code == 200
    assert 'role="alert"' in text(response)
    assert (audit_count(), reload(feed).revoked_at) == (before, revoked_at)


@pytest.mark.parametrize("role", ["leader", "admin", "reporter"])
def test_nobody_else_can_revoke_a_members_feed(world, client_for, role):
    feed, _ = new_feed(world, "steering")
    before = audit_count()
    response = client_for(world.users[role]).post(revoke_url(world.tenant, feed))
    assert response.status_code == 404
    assert reload(feed).revoked_at is None
    assert audit_count() == before


def test_revoke_is_post_only(world, client_for):
    feed, _ = new_feed(world, "steering")
    response = client_for(world.users["steering"]).get(revoke_url(world.tenant, feed))
    assert response.status_code == 405
    assert reload(feed).revoked_at is None


def test_revoking_another_programmes_feed_is_404(world, other_world, client_for):
    theirs, _ = new_feed(other_world, "steering")
    response = client_for(world.users["steering"]).post(revoke_url(world.tenant, theirs))
    assert response.status_code == 404
    assert reload(theirs).revoked_at is None


# Feeds: the feed itself -------------------------------------------------------------


@pytest.fixture
def timeline(gov):
    """Meetings around now: long past, recent, upcoming, cancelled, archived."""
    now = timezone.now().replace(microsecond=0)

    def at(days: int, **kwargs):
        return MeetingFactory(
            body=gov.body,
            starts_at=now + datetime.timedelta(days=days),
            ends_at=now + datetime.timedelta(days=days, hours=2),
            **kwargs,
        )

    return {
        "old": at(-400, title="Gammalt möte", minutes_status=MinutesStatus.APPROVED),
        "recent": at(-30, title="Nyligen", minutes_status=MinutesStatus.APPROVED),
        "finished": at(-10, title="Färdigställt", minutes_status=MinutesStatus.FINISHED),
        "upcoming": at(20, title="Kommande"),
        "cancelled": at(
            40, title="Inställt", status=MeetingStatus.CANCELLED, cancelled_reason="Sjukdom"
        ),
        "archived": at(50, title="Arkiverat", archived_at=now),
    }


def test_feed_works_without_login(world, timeline):
    _, raw = new_feed(world, "steering")
    response = Client().get(feed_path("sormland", raw))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    found = events(response)
    expected = ["recent", "finished", "upcoming", "cancelled"]
    assert set(found) == {uid(timeline[key]) for key in expected}
    assert str(found[uid(timeline["cancelled"])]["STATUS"]) == "CANCELLED"
    assert str(found[uid(timeline["upcoming"])]["STATUS"]) == "CONFIRMED"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == world.tenant.name


def test_feed_shows_what_the_owners_role_may_see(world, timeline):
    with scopes_disabled():  # approved once, now being revised: still readable
        MinutesVersion.objects.create(
            tenant=world.tenant,
            meeting=timeline["finished"],
            number=1,
            content={},
            approved_at=timezone.now(),
        )
    _, raw = new_feed(world, "reporter")
    found = events(Client().get(feed_path("sormland", raw)))
    assert set(found) == {uid(timeline["recent"]), uid(timeline["finished"])}


def test_feed_works_for_its_logged_in_owner_too(world, timeline, client_for):
    _, raw = new_feed(world, "steering")
    response = client_for(world.users["steering"]).get(feed_path("sormland", raw))
    assert response.status_code == 200
    assert uid(timeline["upcoming"]) in events(response)


def test_feed_costs_the_same_queries_for_more_meetings(world, gov, timeline):
    _, raw = new_feed(world, "steering")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        Client().get(feed_path("sormland", raw))
    for n in range(8):
        AgendaItemFactory(meeting=MeetingFactory(body=gov.body, title=f"Extra {n}"))
    with CaptureQueriesContext(connection) as many:
        response = Client().get(feed_path("sormland", raw))
    assert len(events(response)) == 4 + 8
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("token", ["x", "okänd-token", "A" * 43])
def test_unknown_token_is_404(world, token):
    assert Client().get(feed_path("sormland", token)).status_code == 404


def test_revoked_feed_is_404(world, timeline):
    feed, raw = new_feed(world, "steering")
    with scope(tenant=world.tenant):
        services.feed_revoke(actor=world.users["steering"], feed=feed)
    assert Client().get(feed_path("sormland", raw)).status_code == 404


def test_another_programmes_token_under_this_programmes_slug_is_404(world, other_world, timeline):
    _, theirs = new_feed(other_world, "steering")
    assert Client().get(feed_path("kronoberg", theirs)).status_code == 200
    assert Client().get(feed_path("sormland", theirs)).status_code == 404


def test_feed_of_an_owner_who_was_deactivated_is_404(world, timeline):
    _, raw = new_feed(world, "steering")
    with scopes_disabled():
        Membership.objects.filter(pk=world.memberships["steering"].pk).update(is_active=False)
    assert Client().get(feed_path("sormland", raw)).status_code == 404


def test_feed_of_an_owner_whose_login_was_disabled_is_404(world, timeline):
    _, raw = new_feed(world, "steering")
    user = world.users["steering"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Client().get(feed_path("sormland", raw)).status_code == 404


def test_feed_of_an_inactive_programme_is_404(world, timeline):
    _, raw = new_feed(world, "steering")
    world.tenant.is_active = False
    world.tenant.save(update_fields=["is_active"])
    assert Client().get(feed_path("sormland", raw)).status_code == 404


@pytest.fixture
def strict(world):
    """The programme begins to require two-factor login of its administrators."""

    def turn_on() -> None:
        world.tenant.require_admin_two_factor = True
        world.tenant.save(update_fields=["require_admin_two_factor"])

    return turn_on


def test_an_administrators_feed_stops_when_two_factor_is_required_and_not_set_up(
    world, timeline, strict
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _, raw = new_feed(world, "admin")
    assert Client().get(feed_path("sormland", raw)).status_code == 200

    strict()
    assert Client().get(feed_path("sormland", raw)).status_code == 404  # as a revoked feed

    TOTPDevice.objects.create(user=world.users["admin"], name="App", confirmed=False)
    assert Client().get(feed_path("sormland", raw)).status_code == 404  # not set up yet

    TOTPDevice.objects.filter(user=world.users["admin"]).update(confirmed=True)
    response = Client().get(feed_path("sormland", raw))
    assert response.status_code == 200
    assert uid(timeline["upcoming"]) in events(response)


def test_requiring_two_factor_of_administrators_leaves_other_members_feeds(world, timeline, strict):
    _, raw = new_feed(world, "steering")
    strict()
    assert Client().get(feed_path("sormland", raw)).status_code == 200


def test_feed_is_read_only(world):
    _, raw = new_feed(world, "steering")
    assert Client().post(feed_path("sormland", raw)).status_code == 405


def test_feed_never_shows_another_programmes_meetings(world, other_gov, timeline):
    theirs = MeetingFactory(body=other_gov.body, title="Kronobergs möte")
    _, raw = new_feed(world, "leader")
    found = events(Client().get(feed_path("sormland", raw)))
    assert uid(theirs) not in found
    assert uid(timeline["upcoming"]) in found


# Text from people carries no control characters (RFC 5545 3.3.11) -----------------

# Every C0 control (NUL aside: PostgreSQL refuses it in text), DEL and a C1
# control. Tab may stay; CR and LF become escaped line breaks.
CONTROLS = "".join(chr(c) for c in [*range(0x01, 0x20), 0x7F, 0x85])
ALLOWED_RAW = {"\t"}


def _is_control(char: str) -> bool:
    return (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F) and char not in ALLOWED_RAW


def _free_text_fields(model) -> list:
    """Every field that people type text into (not choices, slugs or ids)."""
    from django.db import models

    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not isinstance(f, models.SlugField)
    ]


def _poison(model, pk: int) -> None:
    """Put control characters into every free-text field of one row."""
    values = {}
    for f in _free_text_fields(model):
        value = f"{f.name}{CONTROLS}"
        values[f.name] = value[: f.max_length] if f.max_length else value
    with scopes_disabled():
        model.objects.filter(pk=pk).update(**values)


@pytest.fixture
def poisoned(world, gov):
    """A titled meeting and an untitled, cancelled one (its summary is the
    body's name, its description the reason), with control characters in every
    free-text field of the meetings, their agenda, body and programme."""
    from governance.models import AgendaItem, Body, Meeting
    from portal.models import Tenant

    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    titled = MeetingFactory(body=gov.body, starts_at=starts)
    untitled = MeetingFactory(
        body=gov.body,
        starts_at=starts + datetime.timedelta(days=1),
        ends_at=starts + datetime.timedelta(days=1, hours=1),
        status=MeetingStatus.CANCELLED,
    )
    for meeting in (titled, untitled):
        _poison(Meeting, meeting.pk)
        _poison(AgendaItem, AgendaItemFactory(meeting=meeting, position=1).pk)
    with scopes_disabled():
        Meeting.objects.filter(pk=untitled.pk).update(title="")
    _poison(Body, gov.body.pk)
    _poison(Tenant, world.tenant.pk)
    return [titled, untitled]


def _assert_no_raw_controls(content: bytes) -> None:
    # The only control characters a calendar may hold are its line endings
    # (folding included) and tabs within text.
    text = content.decode().replace("\r\n", "")
    found = sorted({f"U+{ord(c):04X}" for c in text if _is_control(c)})
    assert found == [], f"raw control characters in the .ics: {found}"
    for component in icalendar.Calendar.from_ical(content).walk():
        for name, value in component.property_items(recursive=False):
            decoded = value.decode() if isinstance(value, bytes) else str(value)
            assert not [c for c in decoded if _is_control(c) and c != "\n"], (component.name, name)


def test_meeting_ics_carries_no_control_characters_from_any_text(world, poisoned, client_for):
    client = client_for(world.users["leader"])
    for meeting in poisoned:
        response = client.get(ics_url(world.tenant, meeting))
        assert response.status_code == 200
        _assert_no_raw_controls(response.content)
        event = events(response)[uid(meeting)]
        assert "title" in str(event["SUMMARY"]) or "name" in str(event["SUMMARY"])
        assert "place" in str(event["LOCATION"])
        assert "title" in str(event["DESCRIPTION"])  # the agenda item, its text kept


def test_feed_carries_no_control_characters_from_any_text(world, poisoned):
    _, raw = new_feed(world, "leader")
    response = Client().get(feed_path("sormland", raw))
    assert response.status_code == 200
    _assert_no_raw_controls(response.content)
    found = events(response)
    assert {uid(m) for m in poisoned} <= set(found)
    assert "cancelled_reason" in str(found[uid(poisoned[1])]["DESCRIPTION"])
    assert "name" in str(found[uid(poisoned[1])]["SUMMARY"])  # the body's
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]).startswith("name")  # the programme's


def test_a_feed_says_how_often_to_refresh_as_durations(world):
    _, raw = new_feed(world, "steering")
    content = Client().get(feed_path("sormland", raw)).content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in content
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in content


def test_plain_text_keeps_tabs_and_line_breaks_only():
    from governance.ics import plain_text

    assert plain_text("a\x00b\x01c\td\ne\r\nf\x7fg\x1bh\x85i åäö") == "abc\td\ne\r\nfghi åäö"


# Feeds: the services ----------------------------------------------------------------


def test_feed_create_refuses_a_non_member(world, other_world):
    before = audit_count()
    with scope(tenant=world.tenant), pytest.raises(DomainError):
        services.feed_create(actor=other_world.users["leader"], tenant=world.tenant)
    assert audit_count() == before
    assert rows(CalendarFeed) == []


def test_feed_revoke_refuses_someone_else(world):
    feed, _ = new_feed(world, "steering")
    with scope(tenant=world.tenant), pytest.raises(DomainError):
        services.feed_revoke(actor=world.users["leader"], feed=feed)
    assert reload(feed).revoked_at is None


def test_feed_token_is_a_sha256_hex_of_a_long_random_token(world):
    feed, raw = new_feed(world, "steering")
    _, other_raw = new_feed(world, "steering")
    assert len(raw) >= 40 and raw != other_raw
    assert re.fullmatch(r"[0-9a-f]{64}", feed.token)
    assert feed.token != raw
    with pytest.raises(ValidationError), scopes_disabled():
        CalendarFeed(tenant=world.tenant, token=feed.token, created_by=feed.created_by).full_clean()


def test_active_feed_selector_checks_slug_and_membership(world, other_world):
    feed, raw = new_feed(world, "steering")
    found = calendar_selectors.active_feed(tenant_slug="sormland", raw_token=raw)
    assert found is not None
    assert (found.feed.pk, found.membership.pk) == (feed.pk, world.memberships["steering"].pk)
    assert calendar_selectors.active_feed(tenant_slug="kronoberg", raw_token=raw) is None


def test_meeting_page_links_its_ics_download(world, gov, client_for):
    from django.urls import reverse
    from django.utils import timezone
    from django_scopes import scope

    from governance.services.meetings import meeting_create

    with scope(tenant=world.tenant):
        start = timezone.now()
        meeting = meeting_create(
            actor=world.users["leader"],
            body=gov.body,
            starts_at=start,
            ends_at=start + timezone.timedelta(hours=1),
        )
    page = client_for(world.users["steering"]).get(
        reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk])
    )
    assert (
        reverse("governance:meeting_ics", args=[world.tenant.slug, meeting.pk])
        in page.content.decode()
    )
