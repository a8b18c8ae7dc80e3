"""Programme events: workshops, webinars and information meetings of the whole
programme (no body, no roster). Process leaders plan, change, cancel and
archive them; every member reads them, in the list, on the dashboard, on the
meeting list and in calendar feeds."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from governance.models import EventStatus, ProgrammeEvent
from governance.selectors import dashboard
from governance.selectors import events as selectors
from governance.services import calendar as calendar_services
from governance.services import events as services
from portal.dashboards.registry import PROGRAMME, get_panel
from portal.services import ConflictError, DomainError
from tests.governance.dashboard_panels.helpers import ask, count_queries, panel_html
from tests.helpers import audit_events, in_swedish, reload, rows, text, url_in

UTC = datetime.UTC


url = url_in("governance")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def plan(world, title="Workshop om samverkansmodellen", days=20, **fields) -> ProgrammeEvent:
    day = timezone.localdate() + datetime.timedelta(days=days)
    values = {
        "kind": "workshop",
        "starts_at": at(day, 13),
        "ends_at": at(day, 16),
        "place": "Folkets hus, Oxelösund",
        **fields,
    }
    with scope(tenant=world.tenant):
        return services.event_create(
            actor=world.users["leader"], tenant=world.tenant, title=title, **values
        )


def form(**overrides) -> dict[str, str]:
    day = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "kind": "webbinarium",
        "title": "Webbinarium: Barnets bästa i praktiken",
        "day": day.isoformat(),
        "start_time": "09:00",
        "end_time": "10:30",
        "place": "",
        "online_link": "https://mote.example.se/webbinarium",
        "description": "**Målgrupp:** rektorer\n\n- Anmälan senast en vecka före",
        **overrides,
    }


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


# Services ------------------------------------------------------------------------


def test_planning_an_event_is_audited(world):
    event = plan(world)

    assert event.status == EventStatus.PLANNED
    [created] = audit_events(action="programme_event.create", object_id=str(event.pk))
    assert created.after["title"] == "Workshop om samverkansmodellen"


def test_an_event_cannot_end_before_it_starts(world):
    day = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(Exception) as refused:
        plan(world, starts_at=at(day, 15), ends_at=at(day, 13))
    assert "ends_at" in str(refused.value)
    assert rows(ProgrammeEvent) == []


def test_a_stale_edit_is_refused_and_changes_nothing(world):
    event = plan(world)
    with scope(tenant=world.tenant):
        services.event_update(
            actor=world.users["leader"], event=event, place="Aulan", expected_version=1
        )
        with pytest.raises(ConflictError):
            services.event_update(
                actor=world.users["leader"],
                event=reload(event),
                place="Biblioteket",
                expected_version=1,
            )
    assert reload(event).place == "Aulan"
    assert reload(event).version == 2


def test_cancelling_needs_a_reason_and_can_be_undone(world):
    event = plan(world)
    with scope(tenant=world.tenant):
        with pytest.raises(DomainError):
            services.event_cancel(actor=world.users["leader"], event=event, reason="  ")
        services.event_cancel(actor=world.users["leader"], event=event, reason="För få anmälda")
        assert reload(event).status == EventStatus.CANCELLED
        with pytest.raises(DomainError):
            services.event_cancel(actor=world.users["leader"], event=reload(event), reason="x")
        services.event_reinstate(actor=world.users["leader"], event=reload(event))
    event = reload(event)
    assert (event.status, event.cancelled_reason) == (EventStatus.PLANNED, "")


def test_an_archived_event_is_kept_and_refuses_edits_until_restored(world):
    event = plan(world)
    with scope(tenant=world.tenant):
        services.event_set_archived(actor=world.users["leader"], event=event, archived=True)
        with pytest.raises(DomainError):
            services.event_update(actor=world.users["leader"], event=reload(event), title="Ny")
        assert selectors.event_list(tenant=world.tenant).upcoming == []
        services.event_set_archived(
            actor=world.users["leader"], event=reload(event), archived=False
        )
        assert [e.pk for e in selectors.event_list(tenant=world.tenant).upcoming] == [event.pk]
    assert [e.action for e in audit_events(object_id=str(event.pk))] == [
        "programme_event.create",
        "programme_event.archive",
        "programme_event.restore",
    ]


def test_an_event_without_times_stays_upcoming_through_its_day(world):
    today = timezone.localdate()
    midnight = at(today, 0)
    all_day = plan(world, title="Planeringsdag", days=0, starts_at=midnight, ends_at=midnight)
    all_day.all_day = True
    all_day.save(update_fields=["all_day"])
    over = plan(
        world,
        title="Frukostmöte",
        days=0,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
    )
    with scope(tenant=world.tenant):
        upcoming = selectors.upcoming_events(tenant=world.tenant, limit=5)
        listing = selectors.event_list(tenant=world.tenant)
    assert [e.pk for e in upcoming] == [all_day.pk]
    assert [e.pk for e in listing.upcoming] == [all_day.pk]
    assert [e.pk for e in listing.past] == [over.pk]


# Views ---------------------------------------------------------------------------


def test_a_process_leader_plans_a_webinar_in_the_browser(world, leader):
    response = leader.post(url("event_create", world.tenant), form())

    [event] = _all(world)
    assert response.status_code == 302
    assert response["Location"] == url("event_detail", world.tenant, event.pk)
    assert event.kind == "webbinarium"
    assert not event.all_day
    assert timezone.localtime(event.starts_at).time() == datetime.time(9, 0)
    assert timezone.localtime(event.ends_at).time() == datetime.time(10, 30)
    assert audit_events(action="programme_event.create", object_id=str(event.pk))
    page = text(leader.get(url("event_detail", world.tenant, event.pk)))
    assert "<strong>Målgrupp:</strong>" in page  # the description as Markdown
    assert 'href="https://mote.example.se/webbinarium"' in page


def _all(world) -> list[ProgrammeEvent]:
    with scope(tenant=world.tenant):
        return list(ProgrammeEvent.objects.filter(tenant=world.tenant))


def test_an_event_without_times_is_a_date(world, leader):
    leader.post(url("event_create", world.tenant), form(start_time="", end_time=""))

    [event] = _all(world)
    assert event.all_day
    assert timezone.localtime(event.starts_at).time() == datetime.time(0, 0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_time": "14:00", "end_time": "13:00"}, "end_time"),
        ({"start_time": "", "end_time": "13:00"}, "start_time"),
        ({"start_time": "13:00", "end_time": ""}, "end_time"),
        ({"day": "inte ett datum"}, "day"),
        ({"title": ""}, "title"),
        ({"kind": "fest"}, "kind"),
        ({"online_link": "javascript:alert(1)"}, "online_link"),
    ],
)
def test_bad_input_is_shown_and_saves_nothing(world, leader, overrides, field):
    response = leader.post(url("event_create", world.tenant), form(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert rows(ProgrammeEvent) == []


@pytest.mark.parametrize("role", ["steering", "reporter", "researcher", "admin"])
def test_only_process_leaders_write_events(world, client_for, role):
    event = plan(world)
    client = client_for(world.users[role])

    assert client.get(url("event_create", world.tenant)).status_code == 403
    assert client.post(url("event_create", world.tenant), form()).status_code == 403
    assert client.post(url("event_edit", world.tenant, event.pk), form()).status_code == 403
    cancel = client.post(url("event_cancel", world.tenant, event.pk), {"reason": "x"})
    assert cancel.status_code == 403
    assert client.post(url("event_archive", world.tenant, event.pk), {}).status_code == 403
    assert reload(event).title == "Workshop om samverkansmodellen"
    assert reload(event).status == EventStatus.PLANNED


@pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher", "admin"])
def test_every_member_sees_the_events(world, client_for, role):
    event = plan(world)
    client = client_for(world.users[role])

    listing = client.get(url("event_list", world.tenant))
    assert listing.status_code == 200
    assert url("event_detail", world.tenant, event.pk) in text(listing)
    assert client.get(url("event_detail", world.tenant, event.pk)).status_code == 200
    assert client.get(url("event_ics", world.tenant, event.pk)).status_code == 200


def test_another_programmes_event_is_404(world, other_world, leader):
    theirs = plan(other_world)

    for name in ("event_detail", "event_edit", "event_cancel", "event_archive", "event_ics"):
        assert leader.get(url(name, world.tenant, theirs.pk)).status_code == 404
    assert leader.post(url("event_edit", world.tenant, theirs.pk), form()).status_code == 404
    assert reload(theirs).title == "Workshop om samverkansmodellen"


def test_editing_keeps_the_form_on_a_stale_version(world, leader):
    event = plan(world)
    with scope(tenant=world.tenant):
        services.event_update(actor=world.users["leader"], event=event, place="Aulan")

    response = leader.post(
        url("event_edit", world.tenant, event.pk), form(place="Biblioteket", version="1")
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert reload(event).place == "Aulan"


def test_editing_saves_the_new_facts(world, leader):
    event = plan(world)
    response = leader.post(
        url("event_edit", world.tenant, event.pk), form(title="Ny titel", version="1")
    )
    assert response.status_code == 302
    event = reload(event)
    assert (event.title, event.kind, event.version) == ("Ny titel", "webbinarium", 2)


def test_cancel_and_reinstate_in_the_browser(world, leader):
    event = plan(world)

    empty = leader.post(url("event_cancel", world.tenant, event.pk), {"reason": " ", "version": 1})
    assert empty.status_code == 200
    assert reload(event).status == EventStatus.PLANNED

    leader.post(
        url("event_cancel", world.tenant, event.pk), {"reason": "För få anmälda", "version": 1}
    )
    assert reload(event).status == EventStatus.CANCELLED
    assert "För få anmälda" in text(leader.get(url("event_list", world.tenant)))

    leader.post(url("event_reinstate", world.tenant, event.pk))
    assert reload(event).status == EventStatus.PLANNED


def test_an_archived_event_is_gone_for_members_but_not_for_process_leaders(
    world, leader, client_for
):
    event = plan(world)
    leader.post(url("event_archive", world.tenant, event.pk), {"confirm": "on"})
    assert reload(event).archived_at is not None

    steering = client_for(world.users["steering"])
    assert steering.get(url("event_detail", world.tenant, event.pk)).status_code == 404
    assert steering.get(url("event_ics", world.tenant, event.pk)).status_code == 404
    detail = url("event_detail", world.tenant, event.pk)
    assert detail not in text(steering.get(url("event_list", world.tenant)))
    assert steering.get(url("event_list", world.tenant) + "?archived=1").status_code == 200
    assert detail not in text(steering.get(url("event_list", world.tenant) + "?archived=1"))

    assert leader.get(detail).status_code == 200
    assert detail not in text(leader.get(url("event_list", world.tenant)))
    assert detail in text(leader.get(url("event_list", world.tenant) + "?archived=1"))

    leader.post(url("event_restore", world.tenant, event.pk))
    assert reload(event).archived_at is None


def test_the_navigation_leads_to_the_events(world, leader):
    page = text(leader.get(reverse("portal:home", args=[world.tenant.slug])))
    assert f'href="{url("event_list", world.tenant)}"' in page


# Calendars -----------------------------------------------------------------------


def vevents(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_event_as_an_ics_file(world, leader):
    event = plan(world)

    response = leader.get(url("event_ics", world.tenant, event.pk))

    assert response["Content-Type"].startswith("text/calendar")
    found = vevents(response)[f"event-{event.pk}@samverkansportalen"]
    assert str(found["SUMMARY"]) == "Workshop om samverkansmodellen"
    assert found.decoded("DTSTART") == event.starts_at.astimezone(UTC)
    assert str(found["LOCATION"]) == "Folkets hus, Oxelösund"


def test_the_feed_carries_the_events_but_not_archived_ones(world):
    day = timezone.localdate() + datetime.timedelta(days=9)
    kept = plan(world)
    all_day = plan(
        world, title="Informationsmöte", starts_at=at(day, 0), ends_at=at(day, 0), all_day=True
    )
    cancelled = plan(world, title="Inställd workshop")
    archived = plan(world, title="Arkiverad")
    with scope(tenant=world.tenant):
        services.event_cancel(actor=world.users["leader"], event=cancelled, reason="Sjukdom")
        services.event_set_archived(actor=world.users["leader"], event=archived, archived=True)
        _, token = calendar_services.feed_create(actor=world.users["reporter"], tenant=world.tenant)

    response = Client().get(reverse("governance:calendar_feed", args=[world.tenant.slug, token]))

    found = vevents(response)
    assert f"event-{kept.pk}@samverkansportalen" in found
    assert f"event-{archived.pk}@samverkansportalen" not in found
    assert str(found[f"event-{cancelled.pk}@samverkansportalen"]["STATUS"]) == "CANCELLED"
    whole_day = found[f"event-{all_day.pk}@samverkansportalen"]
    assert whole_day.decoded("DTSTART") == day
    assert whole_day.decoded("DTEND") == day + datetime.timedelta(days=1)


# Dashboard and meeting list ------------------------------------------------------


def test_the_dashboard_shows_the_upcoming_events(world, client_for):
    coming = plan(world)
    past = plan(world, title="Förra workshopen", days=-10)
    cancelled = plan(world, title="Inställd")
    with scope(tenant=world.tenant):
        services.event_cancel(actor=world.users["leader"], event=cancelled, reason="Sjukdom")

    html = panel_html(client_for(world.users["reporter"]), world, "governance.events")

    assert url("event_detail", world.tenant, coming.pk) in html
    assert url("event_detail", world.tenant, past.pk) not in html
    assert url("event_detail", world.tenant, cancelled.pk) not in html


def test_the_events_panel_runs_one_query(world):
    panel = get_panel(PROGRAMME, "governance.events")
    plan(world)
    with scope(tenant=world.tenant):
        small = count_queries(world, panel, ask(world))
    for n in range(6):
        plan(world, title=f"Workshop {n}", days=n + 1)
    with scope(tenant=world.tenant):
        large = count_queries(world, panel, ask(world))
        shown = dashboard.programme_events(ask(world))["events"]
    assert (small, large) == (1, 1)
    assert len(shown) == dashboard.EVENTS_SHOWN


def test_the_meeting_list_shows_the_upcoming_events(world, leader, gov):
    coming = plan(world)

    page = text(leader.get(url("meeting_list", world.tenant)))
    narrowed = text(leader.get(url("meeting_list", world.tenant) + f"?body={gov.body.pk}"))

    assert url("event_detail", world.tenant, coming.pk) in page
    assert url("event_detail", world.tenant, coming.pk) not in narrowed


def test_an_htmx_save_redirects_the_browser_to_the_event(world, leader):
    event = plan(world)

    response = leader.post(
        url("event_edit", world.tenant, event.pk),
        form(title="Ny titel", version="1"),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == url("event_detail", world.tenant, event.pk)


def test_a_leader_puts_an_event_on_the_public_site_and_takes_it_off(world, leader):
    """Issue 15: webinars open to all are listed on the programme's public site."""
    leader.post(url("event_create", world.tenant), form(public="on"))
    [event] = _all(world)
    assert event.public
    page = text(leader.get(url("event_detail", world.tenant, event.pk)))
    assert in_swedish("Shown on the programme's public site") in page

    edited = {**form(), "version": str(event.version)}  # the box unticked: not sent
    assert leader.post(url("event_edit", world.tenant, event.pk), edited).status_code == 302
    [event] = _all(world)
    assert not event.public
