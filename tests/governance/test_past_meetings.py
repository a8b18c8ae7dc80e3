"""Past meetings (issue 12, item 7): a meeting entered after the fact is not
corrupted by today.

A process leader entering the minutes of a 2025 meeting in 2026 got today's
open assignments carried into its agenda, risks dated today and the status
report's risk matrix as it stands today. Now whatever is recorded at a
meeting held on an earlier day takes that meeting's date: the assignments
open at the meeting (and only those) are carried, assignments given and
status changes made there are dated the meeting, risks raised there are
raised on its day, reviews recorded there are dated its day by default, a
status report's matrix is taken as of the end of its month and frozen when
it is finished. And a meeting can have a date without times.
"""

from __future__ import annotations

import datetime
import re
from functools import partial

import icalendar
import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import (
    ActionItem,
    ActionStatus,
    ActionStatusChange,
    AgendaItem,
    AgendaItemKind,
    Meeting,
    Risk,
    RiskReview,
    StatusReport,
)
from governance.selectors.reports import report_matrix
from governance.services import actions, meetings, minutes, reports, risks
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.governance.service_helpers import at, audits, plan
from tests.helpers import HTMX, form_errors, in_swedish, is_fragment, reload, text, url_in
from tests.helpers import snapshot as snapshot_of

NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]
AHEAD = (2030, 3, 25)  # a meeting still to come


url = url_in("governance")
# What a past meeting's pages may write, and the audit count.
snapshot = partial(
    snapshot_of, Meeting, AgendaItem, ActionItem, ActionStatusChange, Risk, RiskReview, StatusReport
)


def give(world, meeting: Meeting, description: str) -> ActionItem:
    """An assignment given at the meeting's first agenda item, as the page does."""
    with scope(tenant=world.tenant):
        item = meeting.agenda_items.order_by("position").first()
        assert item is not None
        return meetings.agenda_action_create(
            actor=world.users["leader"], item=item, description=description, owner_all=True
        )


def item_of(meeting: Meeting) -> AgendaItem:
    with scopes_disabled():
        return AgendaItem.objects.get(meeting=meeting)


def follow_up(meeting: Meeting) -> AgendaItem | None:
    with scopes_disabled():
        return AgendaItem.objects.filter(meeting=meeting, kind=AgendaItemKind.FOLLOW_UP).first()


def carried(meeting: Meeting) -> set[str]:
    item = follow_up(meeting)
    if item is None:
        return set()
    with scopes_disabled():
        return set(item.follow_up_actions.values_list("description", flat=True))


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def january(world, gov) -> Meeting:
    with scope(tenant=world.tenant):
        return plan(world, gov, day=(2025, 1, 21), agenda=[("Uppdrag", "beslut")])


# Assignments --------------------------------------------------------------------


def test_a_meeting_entered_afterwards_carries_what_was_open_at_it(world, gov, january):
    """Not today's open assignments: those given before it and open then."""
    open_then = give(world, january, "Ta fram en kommunikationsplan")
    done_in_february = give(world, january, "Boka lokal för planeringsdagen")
    done_since = give(world, january, "Återrapportera barnmedverkan")
    with scope(tenant=world.tenant):
        february = plan(world, gov, day=(2025, 2, 18))
        item = follow_up(february)
        assert item is not None
        meetings.followup_set_status(
            actor=world.users["leader"],
            item=item,
            action=done_in_february,
            status=ActionStatus.DONE,
        )
        # Today: one is done, and a new one is given outside any meeting.
        actions.action_set_status(
            actor=world.users["leader"], action=done_since, status=ActionStatus.DONE
        )
        actions.action_create(
            actor=world.users["leader"], body=gov.body, description="Dagens uppdrag", owner_all=True
        )

        march = plan(world, gov, day=(2025, 3, 25))
        ahead = plan(world, gov, day=AHEAD)

    assert carried(march) == {"Ta fram en kommunikationsplan", "Återrapportera barnmedverkan"}
    assert carried(ahead) == {"Ta fram en kommunikationsplan", "Dagens uppdrag"}
    assert open_then.pk  # given at the January meeting, still open


def test_a_meeting_before_any_assignment_gets_no_follow_up(world, gov, january):
    give(world, january, "Ta fram en kommunikationsplan")
    with scope(tenant=world.tenant):
        december = plan(world, gov, day=(2024, 12, 10))

    assert follow_up(december) is None


def test_an_assignment_given_at_a_past_meeting_is_given_at_its_time(world, gov, january):
    before = timezone.now()
    action = give(world, january, "Ta fram en kommunikationsplan")

    action = reload(action)
    assert action.given_at == january.starts_at
    assert action.created_at >= before  # entered today, as the audit log says
    with scopes_disabled():
        [change] = ActionStatusChange.objects.filter(action_item=action)
        assert change.changed_at == january.starts_at
        assert len(audits(action, "action_item.create")) == 1


def test_an_assignment_given_at_a_meeting_today_or_ahead_is_given_now(world, gov):
    with scope(tenant=world.tenant):
        ahead = plan(world, gov, day=AHEAD, agenda=[("Uppdrag", "beslut")])
    before = timezone.now()
    action = give(world, ahead, "Boka lokal")

    assert before <= reload(action).given_at <= timezone.now()


def test_a_status_change_at_a_past_meeting_is_dated_the_meeting(world, gov, january):
    action = give(world, january, "Boka lokal")
    with scope(tenant=world.tenant):
        february = plan(world, gov, day=(2025, 2, 18))
        item = follow_up(february)
        assert item is not None
        meetings.followup_set_status(
            actor=world.users["leader"], item=item, action=action, status=ActionStatus.IN_PROGRESS
        )
        changes = list(ActionStatusChange.objects.filter(action_item=action).order_by("id"))

    assert [(c.to_status, c.changed_at, c.meeting_id) for c in changes] == [
        (ActionStatus.NOT_STARTED, january.starts_at, january.pk),
        (ActionStatus.IN_PROGRESS, february.starts_at, february.pk),
    ]
    assert reload(action).status_changed_at == february.starts_at


def test_a_late_entry_of_a_change_does_not_undo_a_later_one(world, gov, january):
    """Marked done today; then February's minutes are entered, where it was in
    progress: the history gets February's change, the status stays done."""
    action = give(world, january, "Boka lokal")
    with scope(tenant=world.tenant):
        february = plan(world, gov, day=(2025, 2, 18))
        item = follow_up(february)
        assert item is not None
        actions.action_set_status(
            actor=world.users["leader"], action=action, status=ActionStatus.DONE
        )
        meetings.followup_set_status(
            actor=world.users["leader"], item=item, action=action, status=ActionStatus.IN_PROGRESS
        )
        history = list(
            ActionStatusChange.objects.filter(action_item=action).order_by("changed_at", "id")
        )
        [logged] = audits(action, "action_item.status_history.add")

    assert reload(action).status == ActionStatus.DONE
    assert [(c.from_status, c.to_status) for c in history] == [
        ("", ActionStatus.NOT_STARTED),
        (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS),  # at February's meeting
        (ActionStatus.NOT_STARTED, ActionStatus.DONE),  # today
    ]
    assert logged.after["status"] == ActionStatus.IN_PROGRESS


# Risks and reviews --------------------------------------------------------------


def test_a_risk_raised_at_a_past_meeting_is_raised_on_its_day(world, gov, january):
    with scope(tenant=world.tenant):
        item = item_of(january)
        risk = risks.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="Saknat bifall",
            category="forankring",
            likelihood=3,
            consequence=3,
            raised_at=item,
        )
        unlinked = risks.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="Ny risk",
            category="resurser",
            likelihood=2,
            consequence=2,
        )
        ahead = plan(world, gov, day=AHEAD, agenda=[("Risker", "dialog")])
        risks.risk_update(actor=world.users["leader"], risk=unlinked, raised_at=item_of(ahead))
        moved = risks.risk_update(actor=world.users["leader"], risk=reload(risk), title="Bifall")

    assert reload(risk).raised_on == datetime.date(2025, 1, 21)
    assert moved.raised_on == datetime.date(2025, 1, 21)  # editing keeps the day
    assert reload(unlinked).raised_on == timezone.localdate()  # a meeting ahead: today


def test_linking_a_risk_to_a_past_meeting_dates_it_that_day(world, gov, january):
    with scope(tenant=world.tenant):
        risk = risks.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="Ny risk",
            category="resurser",
            likelihood=2,
            consequence=2,
        )
        risks.risk_update(actor=world.users["leader"], risk=risk, raised_at=item_of(january))
        [event] = audits(risk, "risk.update")

    assert reload(risk).raised_on == datetime.date(2025, 1, 21)
    assert event.after["raised_on"] == "2025-01-21"


# The status report's matrix -----------------------------------------------------


def _risk(world, title: str, raised: datetime.date, likelihood: int, consequence: int) -> Risk:
    with scope(tenant=world.tenant):
        risk = risks.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title=title,
            category="forankring",
            likelihood=likelihood,
            consequence=consequence,
        )
    with scopes_disabled():
        Risk.objects.filter(pk=risk.pk).update(raised_on=raised)
    return reload(risk)


def _review(world, risk: Risk, on: datetime.date, likelihood: int, consequence: int) -> None:
    with scope(tenant=world.tenant):
        risks.risk_review_add(
            actor=world.users["leader"],
            risk=risk,
            reviewed_on=on,
            likelihood=likelihood,
            consequence=consequence,
            status="hanteras",
        )


def placed(matrix) -> dict[str, tuple[int, int]]:
    return {
        risk.title: (cell.likelihood, cell.consequence)
        for row in matrix.rows
        for cell in row.cells
        for risk in cell.risks
    }


def test_a_reports_matrix_is_as_of_the_end_of_its_month(world, gov):
    march = _risk(world, "Bifall saknas", datetime.date(2025, 3, 3), 2, 2)
    _review(world, march, datetime.date(2025, 3, 31), 3, 4)
    _review(world, march, datetime.date(2025, 4, 1), 1, 1)  # after the month
    _risk(world, "Aprilrisk", datetime.date(2025, 4, 2), 4, 4)
    with scope(tenant=world.tenant):
        draft = reports.report_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            period=datetime.date(2025, 3, 1),
            authors=[gov.leader],
        )
        matrix = report_matrix(tenant=world.tenant, report=draft)

    assert placed(matrix) == {"Bifall saknas": (3, 4)}
    assert matrix.as_of == datetime.date(2025, 3, 31)


def test_a_finished_report_keeps_the_matrix_it_was_finished_with(world, gov):
    risk = _risk(world, "Bifall saknas", datetime.date(2025, 3, 3), 2, 2)
    with scope(tenant=world.tenant):
        report = reports.report_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            period=datetime.date(2025, 3, 1),
            authors=[gov.leader],
        )
        report = reports.report_finish(actor=world.users["leader"], report=report)
    stored = reload(report).risk_matrix
    assert stored == {
        "as_of": "2025-03-31",
        "risks": [{"pk": risk.pk, "title": "Bifall saknas", "l": 2, "c": 2}],
    }

    # Afterwards: a review is entered with a date in March, the risk renamed.
    _review(world, risk, datetime.date(2025, 3, 20), 4, 4)
    with scopes_disabled():
        Risk.objects.filter(pk=risk.pk).update(title="Omdöpt")
    with scope(tenant=world.tenant):
        matrix = report_matrix(tenant=world.tenant, report=reload(report))
        later = reports.report_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            period=datetime.date(2025, 3, 1),
            authors=[gov.leader],
        )
        now = report_matrix(tenant=world.tenant, report=later)

    assert placed(matrix) == {"Bifall saknas": (2, 2)}
    assert placed(now) == {"Omdöpt": (4, 4)}  # a draft of the month sees the late review


def test_a_report_for_the_current_month_is_as_of_today(world, gov):
    _risk(world, "Idag", timezone.localdate(), 2, 3)
    with scope(tenant=world.tenant):
        draft = reports.report_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            period=timezone.localdate().replace(day=1),
            authors=[gov.leader],
        )
        matrix = report_matrix(tenant=world.tenant, report=draft)

    assert placed(matrix) == {"Idag": (2, 3)}
    assert matrix.as_of == timezone.localdate()


# A date without times -----------------------------------------------------------


def test_a_meeting_without_times_runs_through_its_day(world, gov):
    with scope(tenant=world.tenant):
        meeting = meetings.meeting_create(
            actor=world.users["leader"],
            body=gov.body,
            kind="planeringsdag",
            starts_at=at(2025, 6, 10, 0, 30),
            ends_at=at(2025, 6, 10, 0, 30),
            all_day=True,
        )
    meeting = reload(meeting)

    assert meeting.all_day
    assert timezone.localtime(meeting.starts_at) == at(2025, 6, 10, 0, 0)
    assert timezone.localtime(meeting.ends_at) == at(2025, 6, 10, 23, 59)
    assert meeting.display_title.endswith("2025-06-10")  # the Swedish day, not UTC's


def test_a_meeting_edited_to_have_no_times_keeps_its_day(world, gov):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, day=(2025, 6, 10))
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=meeting.version,
            all_day=True,
        )
    meeting = reload(meeting)

    assert meeting.all_day
    assert timezone.localtime(meeting.starts_at) == at(2025, 6, 10, 0, 0)
    assert timezone.localtime(meeting.ends_at) == at(2025, 6, 10, 23, 59)


def _form(**overrides: str) -> dict[str, str]:
    return {
        "body": "",
        "kind": "planeringsdag",
        "title": "Planeringsdag",
        "starts_at": "",
        "ends_at": "",
        "all_day": "on",
        "day": "2025-06-10",
        "place": "Kommunhuset, Eskilstuna",
        "online_link": "",
        "record_type": "minnesanteckningar",
        "note_taker": "",
        "agenda": "Mål och aktiviteter hösten",
        **overrides,
    }


def test_leader_plans_a_day_without_times_and_it_shows_only_the_date(
    world, gov, leader, client_for
):
    response = leader.post(url("meeting_create", world.tenant), _form(body=str(gov.body.pk)))

    with scopes_disabled():
        meeting = Meeting.objects.get(tenant=world.tenant)
    assert response.status_code == 302
    assert meeting.all_day
    page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert '<time datetime="2025-06-10">tisdag 10 juni 2025</time>' in page
    assert "00:00" not in page and "23:59" not in page
    listing = text(leader.get(url("meeting_list", world.tenant)))
    assert '<time datetime="2025-06-10">2025-06-10</time></td>' in listing
    edit = text(leader.get(url("meeting_edit", world.tenant, meeting.pk)))
    assert re.search(r'name="all_day"[^>]* checked', edit)
    assert 'name="day" value="2025-06-10"' in edit

    ics = icalendar.Calendar.from_ical(
        leader.get(url("meeting_ics", world.tenant, meeting.pk)).content
    )
    [event] = ics.walk("VEVENT")
    assert "DTSTART;VALUE=DATE:20250610" in event.to_ical().decode()
    assert event.decoded("dtstart") == datetime.date(2025, 6, 10)
    assert event.decoded("dtend") == datetime.date(2025, 6, 11)


def test_a_day_without_times_needs_its_date_and_a_meeting_with_times_its_times(world, gov, leader):
    before = snapshot()
    response = leader.post(
        url("meeting_create", world.tenant), _form(body=str(gov.body.pk), day="")
    )
    assert response.status_code == 200
    assert form_errors(response)["day"] == [in_swedish("Give the date of the meeting.")]
    response = leader.post(
        url("meeting_create", world.tenant), _form(body=str(gov.body.pk), all_day="")
    )
    assert set(form_errors(response)) == {"starts_at", "ends_at"}
    response = leader.post(
        url("meeting_create", world.tenant), _form(body=str(gov.body.pk), day="2025-02-30")
    )
    assert "day" in form_errors(response)
    assert snapshot() == before


def test_the_minutes_of_a_day_without_times_show_only_the_date(world, gov, client_for):
    with scope(tenant=world.tenant):
        meeting = meetings.meeting_create(
            actor=world.users["leader"],
            body=gov.body,
            starts_at=at(2025, 6, 10),
            ends_at=at(2025, 6, 10),
            all_day=True,
        )
        minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)
        minutes.minutes_approve(
            actor=world.users["steering"],
            membership=world.memberships["steering"],
            meeting=reload(meeting),
        )
    page = text(
        client_for(world.users["steering"]).get(url("meeting_version", world.tenant, meeting.pk, 1))
    )
    assert "tisdag 10 juni 2025</dd>" in page
    assert "00:00" not in page


# Views: a risk from an agenda item, a review at a meeting -----------------------


def test_a_risk_is_added_from_its_agenda_item_and_leads_back(world, gov, january, leader):
    item = item_of(january)
    page = text(leader.get(url("meeting_detail", world.tenant, january.pk)))
    link = url("risk_create", world.tenant, query=f"?raised_at={item.pk}")
    assert f'href="{link}"' in page

    form = text(leader.get(link))
    assert re.search(rf'<option value="{item.pk}" selected>', form)
    assert f'href="{url("meeting_detail", world.tenant, january.pk)}#agenda-item-{item.pk}"' in form
    response = leader.post(
        link,
        {
            "title": "Saknat bifall",
            "category": "forankring",
            "likelihood": "3",
            "consequence": "4",
            "status": "identifierad",
            "raised_at": str(item.pk),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == (
        url("meeting_detail", world.tenant, january.pk) + f"#agenda-item-{item.pk}"
    )
    with scopes_disabled():
        risk = Risk.objects.get(tenant=world.tenant)
    assert risk.raised_on == datetime.date(2025, 1, 21)


def test_a_risk_from_another_programmes_item_is_404_and_readers_403(
    world, other_world, other_gov, january, leader, client_for
):
    with scope(tenant=other_world.tenant):
        elsewhere = plan(other_world, other_gov, agenda=[("Risker", "dialog")])
    with scopes_disabled():
        foreign = AgendaItem.objects.get(meeting=elsewhere)
    assert (
        leader.get(url("risk_create", world.tenant, query=f"?raised_at={foreign.pk}")).status_code
        == 404
    )
    item = item_of(january)
    for role in NOT_LEADERS:
        response = client_for(world.users[role]).get(
            url("risk_create", world.tenant, query=f"?raised_at={item.pk}")
        )
        assert response.status_code == 403, role


def test_the_risk_choice_offers_every_meeting_grouped_newest_first(world, gov, leader):
    old = AgendaItemFactory(
        meeting=MeetingFactory(body=gov.body, starts_at=at(2018, 5, 3)), position=4, title="Risker"
    )
    new = AgendaItemFactory(meeting=MeetingFactory(body=gov.body, starts_at=at(2025, 3, 25)))
    response = leader.get(url("risk_create", world.tenant))
    field = response.context["form"].fields["raised_at"]
    groups = [
        (str(label), [int(str(value)) for value, _ in options])
        for label, options in field.choices
        if isinstance(options, list | tuple)
    ]
    assert groups == [
        ("Styrgruppen, ordinarie möte 2025-03-25", [new.pk]),
        ("Styrgruppen, ordinarie möte 2018-05-03", [old.pk]),
    ]
    assert "4. Risker (2018-05-03)" in text(response)


def test_a_review_at_a_meeting_is_dated_its_day_and_leads_back(world, gov, january, leader):
    with scope(tenant=world.tenant):
        risk = risks.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="Saknat bifall",
            category="forankring",
            likelihood=3,
            consequence=3,
            raised_at=item_of(january),
        )
    page = text(leader.get(url("meeting_detail", world.tenant, january.pk)))
    link = url("risk_review_add", world.tenant, risk.pk, query=f"?meeting={january.pk}")
    assert f'href="{link}"' in page

    form = leader.get(link)
    assert 'value="2025-01-21"' in text(form)
    assert f'action="{link}"' in text(form)
    response = leader.post(
        link,
        {"reviewed_on": "2025-01-21", "likelihood": "2", "consequence": "3", "status": "hanteras"},
    )

    assert response.status_code == 302
    assert response["Location"] == url("meeting_detail", world.tenant, january.pk) + "#agenda"
    with scopes_disabled():
        [review] = RiskReview.objects.filter(risk=risk)
    assert review.reviewed_on == datetime.date(2025, 1, 21)
    # Without a meeting, today.
    plain = text(leader.get(url("risk_review_add", world.tenant, risk.pk)))
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in plain


def test_a_review_at_another_programmes_meeting_is_404_and_bad_dates_are_refused(
    world, other_world, other_gov, january, leader, client_for
):
    with scope(tenant=world.tenant):
        risk = risks.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="Saknat bifall",
            category="forankring",
            likelihood=3,
            consequence=3,
        )
    with scope(tenant=other_world.tenant):
        elsewhere = plan(other_world, other_gov)
    before = snapshot()
    foreign = url("risk_review_add", world.tenant, risk.pk, query=f"?meeting={elsewhere.pk}")
    assert leader.get(foreign).status_code == 404
    link = url("risk_review_add", world.tenant, risk.pk, query=f"?meeting={january.pk}")
    assert client_for(world.users["steering"]).get(link).status_code == 403
    response = leader.post(
        link,
        {"reviewed_on": "2025-02-30", "likelihood": "2", "consequence": "3", "status": "hanteras"},
    )
    assert response.status_code == 200
    assert "reviewed_on" in form_errors(response)
    assert snapshot() == before


def test_a_review_form_for_htmx_is_a_fragment(world, gov, january, leader):
    with scope(tenant=world.tenant):
        risk = risks.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="Saknat bifall",
            category="forankring",
            likelihood=3,
            consequence=3,
        )
    response = leader.get(
        url("risk_review_add", world.tenant, risk.pk, query=f"?meeting={january.pk}"), **HTMX
    )
    assert is_fragment(response)
