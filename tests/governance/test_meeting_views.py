"""The meetings pages in the browser: the list, planning, and the one meeting
page where process leaders log attendance, agenda, minutes, decisions and
assignments inline.

Every view: it works for the right role; another programme gets 404 (its
users on our slug, and our leader with the other programme's ids); too little
role gets 403 and nothing is written; bad input gets a clear field error and
nothing is written; htmx gets a fragment. Drafts stay with process leaders,
principal reporters reach approved minutes only, approved minutes are locked,
and two people saving the same item do not lose either text.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from functools import partial
from typing import Any

import pytest
from django_scopes import scope, scopes_disabled

from governance.models import (
    ActionItem,
    ActionStatusChange,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MinutesStatus,
    MinutesVersion,
)
from governance.services import actions, decisions, meetings, minutes
from governance.templatetags.minutes_text import render_minutes_text
from governance.views.meetings import one_month_later
from portal.models import AuditEvent, Person, Role
from tests.factories import MembershipFactory, PersonFactory, PrincipalFactory, UserFactory
from tests.governance.factories import BodyFactory, RiskFactory, StatusReportFactory
from tests.governance.signing_helpers import sign
from tests.helpers import (
    HTMX,
    form_errors,
    hx_trigger,
    in_swedish,
    is_fragment,
    reload,
    text,
    url_in,
)
from tests.helpers import snapshot as snapshot_of

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
READERS = ["steering", "researcher", "admin"]  # read finished minutes, never drafts
NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]


def at(year: int, month: int, day: int, hour: int = 13, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


url = url_in("governance")

GOVERNANCE_MODELS = (Meeting, AgendaItem, Attendance, Decision, ActionItem, MinutesVersion)
# Every row a meeting page may write, and the audit count: equal when a request changes nothing.
snapshot = partial(snapshot_of, *GOVERNANCE_MODELS, Person, ActionStatusChange)


def plan(world, gov, *, day=(2025, 3, 25), **kwargs) -> Meeting:
    with scope(tenant=world.tenant):
        starts = at(*day)
        return meetings.meeting_create(
            actor=world.users["leader"],
            body=kwargs.pop("body", gov.body),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            **kwargs,
        )


def items(meeting: Meeting) -> list[AgendaItem]:
    with scopes_disabled():
        return list(
            AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True).order_by(
                "position"
            )
        )


def finish(world, meeting: Meeting) -> Meeting:
    with scope(tenant=world.tenant):
        return minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)


def approve(world, meeting: Meeting) -> MinutesVersion:
    """Finish (if still a draft) as the process leader; approve as the chair
    (no justerare appointed)."""
    if reload(meeting).minutes_status == MinutesStatus.DRAFT:
        finish(world, meeting)
    with scope(tenant=world.tenant):
        return minutes.minutes_approve(
            actor=world.users["steering"],
            membership=world.memberships["steering"],
            meeting=reload(meeting),
        )


def write_minutes(world, item: AgendaItem, text_: str) -> AgendaItem:
    """Write an item's minutes as the meeting page does: while approved minutes
    are revised, into the revision's draft of the item."""
    with scope(tenant=world.tenant):
        item = AgendaItem.all_rows.select_related("meeting").get(pk=item.pk)
        if item.meeting.revising and not item.revision_draft:
            item = AgendaItem.all_rows.get(draft_of=item)
        return meetings.agenda_item_update(
            actor=world.users["leader"], item=item, expected_version=item.version, minutes=text_
        )


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def meeting(world, gov) -> Meeting:
    """The steering group's March meeting, planned with two agenda items."""
    return plan(
        world,
        gov,
        place="Nygatan 20, Växjö",
        agenda=[("Statusrapport", "information"), ("Risker", "dialog")],
    )


@pytest.fixture
def item(meeting) -> AgendaItem:
    return items(meeting)[0]


@pytest.fixture
def foreign(other_world, other_gov) -> Meeting:
    """A meeting of the other programme, with an agenda item and attendance."""
    return plan(other_world, other_gov, agenda=[("Annat program", "information")])


# Meeting list -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", *READERS])
def test_meeting_list_shows_planned_meetings_to_all_but_reporters(world, meeting, client_for, role):
    response = client_for(world.users[role]).get(url("meeting_list", world.tenant))
    assert response.status_code == 200
    assert url("meeting_detail", world.tenant, meeting.pk) in text(response)


def test_reporter_sees_only_meetings_with_approved_minutes(world, gov, client_for):
    draft = plan(world, gov, day=(2025, 3, 25))
    finished = plan(world, gov, day=(2025, 4, 22))
    finish(world, finished)
    approved = plan(world, gov, day=(2025, 5, 20))
    approve(world, approved)

    body = text(client_for(world.users["reporter"]).get(url("meeting_list", world.tenant)))

    assert url("meeting_detail", world.tenant, approved.pk) in body
    assert url("meeting_detail", world.tenant, draft.pk) not in body
    assert url("meeting_detail", world.tenant, finished.pk) not in body


def test_meeting_list_splits_upcoming_and_past_and_badges_the_minutes(world, gov, leader):
    past = plan(world, gov, day=(2020, 3, 25))
    finish(world, past)
    upcoming = plan(world, gov, day=(2099, 3, 25))
    body = text(leader.get(url("meeting_list", world.tenant)))
    upcoming_at = body.index(f'id="meeting-{upcoming.pk}"')
    past_at = body.index(f'id="meeting-{past.pk}"')
    assert upcoming_at < body.index(in_swedish("Past meetings")) < past_at
    row = body[past_at : body.index("</tr>", past_at)]
    assert in_swedish("Finished") in row


def test_meeting_list_filters_by_body_including_joint_meetings(world, gov, leader):
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    own = plan(world, gov, day=(2025, 3, 1))
    joint = plan(world, gov, day=(2025, 5, 9), joint_bodies=[network])
    network_only = plan(world, gov, day=(2025, 6, 1), body=network)

    body = text(leader.get(url("meeting_list", world.tenant, query=f"?body={network.pk}")))

    assert url("meeting_detail", world.tenant, joint.pk) in body
    assert url("meeting_detail", world.tenant, network_only.pk) in body
    assert url("meeting_detail", world.tenant, own.pk) not in body


def test_meeting_list_shows_a_cancelled_meeting_with_its_reason(world, meeting, leader):
    with scope(tenant=world.tenant):
        meetings.meeting_cancel(
            actor=world.users["leader"], meeting=meeting, reason="Planeringsdag 10/6 i stället"
        )
    assert "Planeringsdag 10/6 i stället" in text(leader.get(url("meeting_list", world.tenant)))


def test_meeting_list_for_htmx_is_the_listing_fragment(world, meeting, leader):
    response = leader.get(url("meeting_list", world.tenant), **HTMX)
    assert is_fragment(response)
    assert 'id="meeting-listing"' in text(response)


def test_meeting_list_never_shows_another_programmes_meetings(world, foreign, leader):
    assert f'id="meeting-{foreign.pk}"' not in text(leader.get(url("meeting_list", world.tenant)))


# Session, user, tenant, membership; the bodies to filter by; the meetings, their joint
# bodies; the programme's upcoming events.
MEETING_LIST_QUERIES = 8


@pytest.mark.parametrize("count", [1, 12])
def test_meeting_list_costs_the_same_for_few_and_many(
    world, gov, leader, django_assert_num_queries, count
):
    other = BodyFactory(tenant=world.tenant, name="Arbetsgruppen", code="AG")
    for month in range(count):
        plan(world, gov, day=(2025, 1 + month % 12, 10), joint_bodies=[other])
    with django_assert_num_queries(MEETING_LIST_QUERIES):
        response = leader.get(url("meeting_list", world.tenant))
    assert text(response).count('<tr id="meeting-') == count


# Planning a meeting -------------------------------------------------------------


def _create_data(gov, **overrides) -> dict[str, Any]:
    data = {
        "body": gov.body.pk,
        "kind": "ordinarie",
        "title": "",
        "starts_at": "2025-03-25T13:00",
        "ends_at": "2025-03-25T15:00",
        "place": "Nygatan 20, Växjö",
        "online_link": "",
        "record_type": "minnesanteckningar",
        "note_taker": gov.leader.pk,
        "agenda": "1. Ordförande hälsar välkommen\n2. Statusrapport\n\n§3 Risker\n",
    }
    data.update(overrides)
    return data


def test_leader_plans_a_meeting_without_javascript(world, gov, leader):
    page = leader.get(url("meeting_create", world.tenant))
    assert page.status_code == 200
    assert 'type="datetime-local"' in text(page)

    response = leader.post(
        url("meeting_create", world.tenant), _create_data(gov, adjusters=[gov.member.pk])
    )

    with scopes_disabled():
        meeting = Meeting.objects.get(tenant=world.tenant)
        attendees = set(meeting.attendance.values_list("person__name", flat=True))
        assert meeting.note_taker == gov.leader
        assert list(meeting.adjusters.all()) == [gov.member]
    assert response.status_code == 302
    assert response["Location"] == url("meeting_detail", world.tenant, meeting.pk)
    assert meeting.starts_at == at(2025, 3, 25, 13)
    assert [i.title for i in items(meeting)] == [
        "Ordförande hälsar välkommen",
        "Statusrapport",
        "Risker",
    ]
    assert attendees == {gov.chair.name, gov.leader.name, gov.member.name}
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action="meeting.create", object_type="governance.meeting"
        ).count()


def test_planning_a_meeting_with_htmx_redirects_the_browser(world, gov, leader):
    response = leader.post(url("meeting_create", world.tenant), _create_data(gov), **HTMX)
    with scopes_disabled():
        meeting = Meeting.objects.get(tenant=world.tenant)
    assert response.status_code == 200
    assert response["HX-Redirect"] == url("meeting_detail", world.tenant, meeting.pk)


def test_plan_form_for_htmx_is_a_fragment(world, leader):
    response = leader.get(url("meeting_create", world.tenant), **HTMX)
    assert is_fragment(response)
    assert "hx-post=" in text(response)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2025-03-25T12:00"}, "ends_at"),
        ({"starts_at": "inte ett datum"}, "starts_at"),
        ({"body": ""}, "body"),
        ({"kind": "fest"}, "kind"),
        ({"online_link": "inte en länk"}, "online_link"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_meeting_is_refused_on_its_field_and_nothing_is_written(
    world, gov, leader, overrides, field, headers
):
    before = snapshot()
    response = leader.post(
        url("meeting_create", world.tenant), _create_data(gov, **overrides), **headers
    )
    assert response.status_code == 200
    assert field in form_errors(response)
    assert 'aria-invalid="true"' in text(response)
    assert is_fragment(response) == bool(headers)
    assert snapshot() == before


def test_another_programmes_body_cannot_be_chosen(world, gov, other_gov, leader):
    before = snapshot()
    response = leader.post(
        url("meeting_create", world.tenant), _create_data(gov, body=other_gov.body.pk)
    )
    assert "body" in form_errors(response)
    assert snapshot() == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_plan_meetings(world, gov, client_for, role):
    client = client_for(world.users[role])
    before = snapshot()
    assert client.get(url("meeting_create", world.tenant)).status_code == 403
    assert client.post(url("meeting_create", world.tenant), _create_data(gov)).status_code == 403
    assert snapshot() == before


def test_planning_in_another_programme_is_404(world, gov, other_world, client_for):
    before = snapshot()
    client = client_for(other_world.users["leader"])
    assert client.post(url("meeting_create", world.tenant), _create_data(gov)).status_code == 404
    assert snapshot() == before


# The meeting page ---------------------------------------------------------------


def test_leader_sees_the_whole_meeting_with_inline_editing(world, gov, meeting, item, leader):
    write_minutes(world, item, "Nettan och Malin går igenom **månadens** statusrapport.")
    response = leader.get(url("meeting_detail", world.tenant, meeting.pk))
    body = text(response)
    assert response.status_code == 200
    assert "Nygatan 20, Växjö" in body
    assert "<strong>månadens</strong>" in body
    assert url("agenda_item_edit", world.tenant, item.pk) in body
    assert url("decision_add", world.tenant, item.pk) in body
    assert url("action_add", world.tenant, item.pk) in body
    assert url("attendance_add", world.tenant, meeting.pk) in body
    assert url("meeting_plan_next", world.tenant, meeting.pk) in body
    assert 'hx-target="#agenda-item-' in body
    assert in_swedish("Draft") in body


def test_meeting_page_for_htmx_is_a_fragment(world, meeting, leader):
    response = leader.get(url("meeting_detail", world.tenant, meeting.pk), **HTMX)
    assert is_fragment(response)
    assert 'id="agenda"' in text(response)


@pytest.mark.parametrize("role", READERS)
def test_draft_minutes_are_hidden_from_everyone_but_process_leaders(
    world, meeting, item, client_for, role
):
    write_minutes(world, item, "Hemligt utkast om förankringen")
    with scope(tenant=world.tenant):
        decisions.decision_create(
            actor=world.users["leader"], meeting=meeting, agenda_item=item, text="Utkastbeslut"
        )
    response = client_for(world.users[role]).get(url("meeting_detail", world.tenant, meeting.pk))
    body = text(response)
    assert response.status_code == 200
    assert "Hemligt utkast" not in body
    assert "Utkastbeslut" not in body
    assert 'id="attendance"' not in body
    assert in_swedish("The minutes are not finished yet.") in body
    assert "Statusrapport" in body  # the agenda's titles are the meeting's facts
    assert url("agenda_item_edit", world.tenant, item.pk) not in body


@pytest.mark.parametrize("role", READERS)
def test_finished_minutes_are_read_but_not_edited_by_readers(
    world, meeting, item, client_for, role
):
    write_minutes(world, item, "Färdig text om målen")
    finish(world, meeting)
    body = text(client_for(world.users[role]).get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "Färdig text om målen" in body
    assert 'id="attendance"' in body
    assert url("agenda_item_edit", world.tenant, item.pk) not in body
    assert url("minutes_finish", world.tenant, meeting.pk) not in body


def test_reporters_reach_only_approved_minutes(world, meeting, item, client_for):
    reporter = client_for(world.users["reporter"])
    page = url("meeting_detail", world.tenant, meeting.pk)
    write_minutes(world, item, "Text för huvudmännen")
    assert reporter.get(page).status_code == 403
    finish(world, meeting)
    assert reporter.get(page).status_code == 403
    approve(world, meeting)
    response = reporter.get(page)
    assert response.status_code == 200
    assert "Text för huvudmännen" in text(response)
    assert url("agenda_item_edit", world.tenant, item.pk) not in text(response)


def test_meeting_of_another_programme_is_404(
    world, foreign, meeting, leader, other_world, client_for
):
    assert leader.get(url("meeting_detail", world.tenant, foreign.pk)).status_code == 404
    stranger = client_for(other_world.users["leader"])
    assert stranger.get(url("meeting_detail", world.tenant, meeting.pk)).status_code == 404


def test_attendance_is_grouped_with_substitutes_guests_and_principals(world, gov, meeting, leader):
    third = PrincipalFactory(tenant=world.tenant, name="Polismyndigheten")
    PrincipalFactory(tenant=world.tenant, name="Nedlagd", archived_at=at(2024, 1, 1))
    substitute = PersonFactory(
        tenant=world.tenant,
        name="Carina Mosel",
        title="Enhetschef",
        principal=world.other_principal,
    )
    guest = PersonFactory(
        tenant=world.tenant,
        name="Angelika Thelin",
        title="Forskare",
        organisation="Linnéuniversitetet",
    )
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=meeting, person=gov.member, status="franvarande"
        )
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=substitute,
            status="ersatter",
            replaces=[gov.member],
        )
        meetings.attendance_set(
            actor=world.users["leader"], meeting=meeting, person=guest, status="ovrig"
        )

    body = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))

    attendance = body[body.index('id="attendance"') : body.index('id="agenda"')]
    groups = re.findall(r"<caption>([^<]+)</caption>", attendance)
    assert groups == [
        f"{in_swedish('Present')} (2)",
        f"{in_swedish('Absent')} (1)",
        f"{in_swedish('Substitutes')} (1)",
        f"{in_swedish('Others and guests')} (1)",
    ]
    substitute_row = attendance[attendance.index("Carina Mosel") :]
    substitute_row = substitute_row[: substitute_row.index("</tr>")]
    assert "Enhetschef" in substitute_row
    assert world.other_principal.name in substitute_row
    assert gov.member.name in substitute_row  # whom she replaces
    assert "Linnéuniversitetet" in attendance
    represented = attendance[attendance.index(in_swedish("Principals represented")) :]
    not_represented = represented[represented.index(in_swedish("Principals not represented")) :]
    represented = represented[: represented.index(in_swedish("Principals not represented"))]
    # The member is absent, but his substitute represents another principal.
    assert world.other_principal.name in represented
    assert world.principal.name not in represented
    assert world.principal.name in not_represented
    assert third.name in not_represented
    assert "Nedlagd" not in not_represented


def test_decisions_are_numbered_per_body_and_year_on_the_page(world, meeting, leader):
    first, second = items(meeting)
    for item_, text_ in [
        (first, "Att godkänna processplanen"),
        (second, "Att skjuta upp delrapport 4"),
    ]:
        leader.post(url("decision_add", world.tenant, item_.pk), {"text": text_})
    body = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert body.index("SG 2025 §1") < body.index("Att godkänna processplanen")
    assert body.index("SG 2025 §2") < body.index("Att skjuta upp delrapport 4")


def test_minutes_text_is_escaped_on_the_page(world, meeting, item, leader):
    write_minutes(world, item, "<script>alert('x')</script>\n- ett\n- **två**")
    body = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in body
    assert "<ul>\n<li>ett</li>\n<li><strong>två</strong></li>\n</ul>" in body


def test_agenda_items_lead_to_the_risks_raised_and_reports_presented(
    world, meeting, item, client_for
):
    risk = RiskFactory(
        tenant=world.tenant,
        title="Saknar bifall från barn- och utbildningsförvaltningen",
        mitigation="Nytt mail till utbildningschefen",
        raised_at=item,
    )
    finished = StatusReportFactory(
        tenant=world.tenant,
        period=datetime.date(2025, 3, 1),
        status="fardigstalld",
        presented_at=item,
    )
    draft = StatusReportFactory(
        tenant=world.tenant, period=datetime.date(2025, 2, 1), presented_at=item
    )
    approve(world, meeting)

    leader_page = text(
        client_for(world.users["leader"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )
    assert url("risk_detail", world.tenant, risk.pk) in leader_page
    assert "Nytt mail till utbildningschefen" in leader_page
    assert url("report_detail", world.tenant, finished.pk) in leader_page
    assert url("report_detail", world.tenant, draft.pk) in leader_page

    steering_page = text(
        client_for(world.users["steering"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )
    assert url("risk_detail", world.tenant, risk.pk) in steering_page
    assert url("report_detail", world.tenant, finished.pk) in steering_page
    assert url("report_detail", world.tenant, draft.pk) not in steering_page  # a draft

    reporter_page = text(
        client_for(world.users["reporter"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )
    assert risk.title not in reporter_page  # the risk register is not for reporters
    assert url("report_detail", world.tenant, finished.pk) not in reporter_page


def test_cancelled_meeting_shows_its_reason(world, meeting, client_for):
    with scope(tenant=world.tenant):
        meetings.meeting_cancel(
            actor=world.users["leader"], meeting=meeting, reason="Majmötet ställs in"
        )
    body = text(
        client_for(world.users["steering"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )
    assert "Majmötet ställs in" in body
    assert in_swedish("Cancelled.") in body


def _rich_meeting(world, gov, size: int) -> Meeting:
    """A meeting with `size` agenda items, each with minutes, a decision and an
    assignment, `size` extra attendees and `size` open assignments carried."""
    with scope(tenant=world.tenant):
        for n in range(size):
            actions.action_create(
                actor=None, body=gov.body, description=f"Öppet uppdrag {n}", owner_all=True
            )
    # Still to come, so that the assignments open today are carried to it.
    meeting = plan(
        world, gov, day=(2030, 3, 25), agenda=[(f"Punkt {n}", "information") for n in range(size)]
    )
    with scope(tenant=world.tenant):
        for n, item_ in enumerate(items(meeting)):
            if item_.kind == "uppfoljning":
                continue
            decision = decisions.decision_create(
                actor=None, meeting=meeting, agenda_item=item_, text=f"Beslut {n}"
            )
            actions.action_create(
                actor=None,
                body=gov.body,
                description=f"Uppdrag {n}",
                owner_people=[gov.member],
                owner_principal=world.principal,
                agenda_item=item_,
                decision=decision,
            )
            RiskFactory(tenant=world.tenant, title=f"Risk {n}", raised_at=item_)
            StatusReportFactory(
                tenant=world.tenant,
                period=datetime.date(2025, 1 + n % 12, 1),
                status="fardigstalld",
                presented_at=item_,
            )
            person = PersonFactory(tenant=world.tenant, principal=world.principal)
            meetings.attendance_set(
                actor=None, meeting=meeting, person=person, status="ersatter", replaces=[gov.member]
            )
    return meeting


# Session, user, tenant, membership; the meeting with its joint bodies and
# justerare; attendance, whom substitutes replace, the principals, the chair
# on the day (the roster's order); the agenda, presenters, decisions,
# assignments and their owners, follow-ups and their owners and the
# principals' answers to them (and the programme's principals, for who has
# not answered; its staff too when a follow-up is given to people), risks raised,
# status reports presented (in full: authors, activities, risk reviews); the
# versions; the meeting's documents; whether the user may approve (not
# finished: no query); the newest PDF of the minutes; the notice: who is
# called, the notices sent and the replies; the follow-ups' answers and
# the principals asked; the signatories' open comments.
MEETING_PAGE_QUERIES = 32


@pytest.mark.parametrize("size", [1, 8])
def test_meeting_page_costs_the_same_for_small_and_large_meetings(
    world, gov, leader, django_assert_num_queries, size
):
    meeting = _rich_meeting(world, gov, size)
    with django_assert_num_queries(MEETING_PAGE_QUERIES):
        response = leader.get(url("meeting_detail", world.tenant, meeting.pk))
    assert text(response).count('class="agenda-item"') == size + 1  # and the follow-up item


# Editing the meeting ------------------------------------------------------------


def _edit_data(meeting: Meeting, **overrides) -> dict[str, Any]:
    data = {
        "kind": meeting.kind,
        "title": "",
        "starts_at": "2025-03-25T13:00",
        "ends_at": "2025-03-25T16:00",
        "place": "Kommunhuset, Eskilstuna",
        "online_link": "https://teams.example.se/möte",
        "record_type": "protokoll",
        "note_taker": "",
        "version": meeting.version,
    }
    data.update(overrides)
    return data


def test_leader_edits_the_facts_and_appoints_the_justerare(world, gov, meeting, leader):
    page = leader.get(url("meeting_edit", world.tenant, meeting.pk))
    assert f'name="version" value="{meeting.version}"' in text(page)
    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk),
        _edit_data(meeting, adjusters=[gov.member.pk]),
    )
    assert response.status_code == 302
    fresh = reload(meeting)
    assert fresh.place == "Kommunhuset, Eskilstuna"
    assert fresh.record_type == "protokoll"
    assert fresh.ends_at == at(2025, 3, 25, 16)
    with scopes_disabled():
        assert list(fresh.adjusters.all()) == [gov.member]
        [event] = AuditEvent.objects.filter(
            action="meeting.update", object_type="governance.meeting"
        )
    assert event.after["adjusters"] == [gov.member.pk]
    assert event.before["place"] == "Nygatan 20, Växjö"


def test_editing_the_meeting_with_htmx_swaps_the_header(world, meeting, leader):
    form = leader.get(url("meeting_edit", world.tenant, meeting.pk), **HTMX)
    assert is_fragment(form)
    assert 'hx-target="#meeting-header"' in text(form)
    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk), _edit_data(meeting), **HTMX
    )
    assert is_fragment(response)
    assert text(response).lstrip().startswith('<div id="meeting-header"')
    assert "Kommunhuset, Eskilstuna" in text(response)
    assert hx_trigger(response) == {"meetingChanged": {"id": meeting.pk, "action": "update"}}


def test_editing_the_meeting_from_a_stale_page_is_refused(world, meeting, leader):
    stale = meeting.version
    with scope(tenant=world.tenant):
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=reload(meeting),
            expected_version=stale,
            place="Någon annans ändring",
        )
    before = snapshot()
    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk), _edit_data(meeting, version=stale)
    )
    assert response.status_code == 200
    assert "__all__" in form_errors(response)
    assert "Kommunhuset, Eskilstuna" in text(response)  # the user's input is kept
    assert f'name="version" value="{reload(meeting).version}"' in text(response)
    assert snapshot() == before


def test_bad_meeting_edit_changes_nothing(world, meeting, leader):
    before = snapshot()
    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk),
        _edit_data(meeting, ends_at="2025-03-24T10:00"),
    )
    assert response.status_code == 200
    assert "ends_at" in form_errors(response)
    assert snapshot() == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_edit_meetings(world, meeting, client_for, role):
    client = client_for(world.users[role])
    before = snapshot()
    assert client.get(url("meeting_edit", world.tenant, meeting.pk)).status_code == 403
    assert (
        client.post(url("meeting_edit", world.tenant, meeting.pk), _edit_data(meeting)).status_code
        == 403
    )
    assert snapshot() == before


def test_editing_another_programmes_meeting_is_404(world, foreign, leader):
    before = snapshot()
    assert leader.get(url("meeting_edit", world.tenant, foreign.pk)).status_code == 404
    assert (
        leader.post(url("meeting_edit", world.tenant, foreign.pk), _edit_data(foreign)).status_code
        == 404
    )
    assert snapshot() == before


# Cancelling ---------------------------------------------------------------------


def test_cancelling_needs_a_reason(world, meeting, leader):
    before = snapshot()
    response = leader.post(url("meeting_cancel", world.tenant, meeting.pk), {"reason": "  "})
    assert response.status_code == 200
    assert "reason" in form_errors(response)
    assert snapshot() == before


def test_leader_cancels_a_meeting_with_a_reason(world, meeting, leader):
    response = leader.post(
        url("meeting_cancel", world.tenant, meeting.pk), {"reason": "Planeringsdag 10/6"}
    )
    assert response.status_code == 302
    fresh = reload(meeting)
    assert fresh.status == "installt"
    assert fresh.cancelled_reason == "Planeringsdag 10/6"


def test_cancelling_with_htmx_swaps_the_header(world, meeting, leader):
    response = leader.post(
        url("meeting_cancel", world.tenant, meeting.pk), {"reason": "Planeringsdag 10/6"}, **HTMX
    )
    assert is_fragment(response)
    assert "Planeringsdag 10/6" in text(response)
    assert url("minutes_finish", world.tenant, meeting.pk) not in text(response)
    assert hx_trigger(response)["meetingChanged"]["action"] == "cancel"


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_cancel(world, meeting, client_for, role):
    before = snapshot()
    response = client_for(world.users[role]).post(
        url("meeting_cancel", world.tenant, meeting.pk), {"reason": "Nej"}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_cancelling_another_programmes_meeting_is_404(world, foreign, leader):
    response = leader.post(url("meeting_cancel", world.tenant, foreign.pk), {"reason": "Nej"})
    assert response.status_code == 404
    assert reload(foreign).status == "planerat"


# Planning the next meeting ------------------------------------------------------


def test_plan_next_is_prefilled_a_month_later_at_the_same_time(world, meeting, leader):
    body = text(leader.get(url("meeting_plan_next", world.tenant, meeting.pk)))
    assert 'value="2025-04-25T13:00"' in body
    assert 'value="2025-04-25T15:00"' in body


@pytest.mark.parametrize(
    ("starts", "expected"),
    [
        (at(2025, 1, 31, 9), at(2025, 2, 28, 9)),
        (at(2025, 12, 10, 13), at(2026, 1, 10, 13)),
        (at(2025, 3, 25, 13), at(2025, 4, 25, 13)),  # across the change to summer time
    ],
)
def test_one_month_later_keeps_the_local_time(starts, expected):
    assert one_month_later(starts) == expected


def test_open_assignments_are_carried_to_the_next_meeting_and_marked_done_there(
    world, gov, meeting, item, leader
):
    leader.post(
        url("action_add", world.tenant, item.pk),
        {
            "description": "Skicka nytt mejl till utbildningschefen",
            "owner_people": [gov.leader.pk],
            "due_next_meeting": "on",
        },
    )
    with scopes_disabled():
        action = ActionItem.objects.get(description="Skicka nytt mejl till utbildningschefen")

    response = leader.post(
        url("meeting_plan_next", world.tenant, meeting.pk),
        {"starts_at": "2025-04-22T13:00", "ends_at": "2025-04-22T15:00"},
    )

    with scopes_disabled():
        new = Meeting.objects.exclude(pk=meeting.pk).get(tenant=world.tenant)
    assert response.status_code == 302
    assert response["Location"] == url("meeting_detail", world.tenant, new.pk)
    assert new.place == meeting.place
    [follow_up] = [i for i in items(new) if i.kind == "uppfoljning"]
    body = text(leader.get(response["Location"]))
    assert "Skicka nytt mejl till utbildningschefen" in body
    row_id = f"followup-{follow_up.pk}-{action.pk}"
    assert f'id="{row_id}"' in body

    done = leader.post(
        url("followup_status", world.tenant, follow_up.pk, action.pk), {"status": "klar"}, **HTMX
    )

    assert done.status_code == 200
    assert text(done).lstrip().startswith(f'<tr id="{row_id}"')
    assert 'role="status"' in text(done)
    assert hx_trigger(done) == {"actionChanged": {"id": action.pk, "action": "status"}}
    assert reload(action).status == "klar"
    with scopes_disabled():
        change = ActionStatusChange.objects.filter(action_item=action).latest("id")
    assert (change.from_status, change.to_status) == ("ej_paborjad", "klar")
    assert change.meeting_id == new.pk
    assert change.changed_by == world.users["leader"]


def test_marking_a_followup_without_javascript_redirects(world, gov, leader):
    with scope(tenant=world.tenant):
        action = actions.action_create(
            actor=None, body=gov.body, description="Återkoppla", owner_all=True
        )
    meeting = plan(world, gov, day=(2030, 3, 25))  # to come: today's assignment is carried
    [follow_up] = items(meeting)
    response = leader.post(
        url("followup_status", world.tenant, follow_up.pk, action.pk), {"status": "aterrapporterad"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#followup-{follow_up.pk}-{action.pk}")
    assert reload(action).status == "aterrapporterad"


def test_followup_status_is_refused_for_readers_and_for_actions_not_carried(
    world, gov, meeting, item, client_for, leader
):
    with scope(tenant=world.tenant):
        action = actions.action_create(
            actor=None, body=gov.body, description="Återkoppla", owner_all=True
        )
    new = plan(world, gov, day=(2030, 4, 22))  # to come: today's assignment is carried
    [follow_up] = [i for i in items(new) if i.kind == "uppfoljning"]
    before = snapshot()
    steering = client_for(world.users["steering"])
    target = url("followup_status", world.tenant, follow_up.pk, action.pk)
    assert steering.post(target, {"status": "klar"}).status_code == 403
    # An assignment not carried to this item is not there to mark.
    assert (
        leader.post(
            url("followup_status", world.tenant, item.pk, action.pk), {"status": "klar"}
        ).status_code
        == 404
    )
    assert leader.post(target, {"status": "fel"}).status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_plan_the_next_meeting(world, meeting, client_for, role):
    before = snapshot()
    client = client_for(world.users[role])
    assert client.get(url("meeting_plan_next", world.tenant, meeting.pk)).status_code == 403
    data = {"starts_at": "2025-04-22T13:00", "ends_at": "2025-04-22T15:00"}
    assert client.post(url("meeting_plan_next", world.tenant, meeting.pk), data).status_code == 403
    assert snapshot() == before


def test_plan_next_with_bad_times_changes_nothing(world, meeting, leader):
    before = snapshot()
    response = leader.post(
        url("meeting_plan_next", world.tenant, meeting.pk),
        {"starts_at": "2025-04-22T13:00", "ends_at": "2025-04-21T15:00"},
        **HTMX,
    )
    assert response.status_code == 200
    assert is_fragment(response)
    assert "ends_at" in form_errors(response)
    assert snapshot() == before


def test_planning_after_another_programmes_meeting_is_404(world, foreign, leader):
    data = {"starts_at": "2025-04-22T13:00", "ends_at": "2025-04-22T15:00"}
    assert leader.post(url("meeting_plan_next", world.tenant, foreign.pk), data).status_code == 404


# Agenda -------------------------------------------------------------------------


def test_adding_an_agenda_item_with_htmx_swaps_the_agenda(world, gov, meeting, leader):
    form = leader.get(url("agenda_item_add", world.tenant, meeting.pk), **HTMX)
    assert is_fragment(form)
    assert 'hx-target="#agenda-item-create"' in text(form)

    response = leader.post(
        url("agenda_item_add", world.tenant, meeting.pk),
        {"title": "Följeforskning", "kind": "dialog", "presenters": [gov.member.pk]},
        **HTMX,
    )

    new = items(meeting)[-1]
    assert (new.title, new.position) == ("Följeforskning", 3)
    assert response["HX-Retarget"] == "#agenda"
    assert response["HX-Reswap"] == "outerHTML"
    assert text(response).lstrip().startswith('<section id="agenda"')
    assert f'id="agenda-item-{new.pk}"' in text(response)
    assert gov.member.name in text(response)
    assert hx_trigger(response) == {"agendaChanged": {"id": new.pk, "action": "create"}}


def test_adding_an_agenda_item_without_javascript_redirects(world, meeting, leader):
    response = leader.post(
        url("agenda_item_add", world.tenant, meeting.pk), {"title": "Övrigt", "kind": "ovrigt"}
    )
    new = items(meeting)[-1]
    assert response.status_code == 302
    assert (
        response["Location"]
        == url("meeting_detail", world.tenant, meeting.pk) + f"#agenda-item-{new.pk}"
    )


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_agenda_item_without_title_is_refused(world, meeting, leader, headers):
    before = snapshot()
    response = leader.post(
        url("agenda_item_add", world.tenant, meeting.pk), {"title": "", "kind": "dialog"}, **headers
    )
    assert response.status_code == 200
    assert "title" in form_errors(response)
    assert "HX-Retarget" not in response
    assert snapshot() == before


def test_leader_writes_the_minutes_of_an_item_inline(world, gov, meeting, item, leader):
    form = leader.get(url("agenda_item_edit", world.tenant, item.pk), **HTMX)
    assert text(form).lstrip().startswith(f'<article id="agenda-item-{item.pk}"')
    assert f'name="version" value="{item.version}"' in text(form)

    response = leader.post(
        url("agenda_item_edit", world.tenant, item.pk),
        {
            "title": "Statusrapport",
            "kind": "information",
            "presenters": [gov.leader.pk],
            "minutes": "Nettan och Malin går igenom statusrapporten.\n- Resultat\n- Magkänsla",
            "version": item.version,
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert text(response).lstrip().startswith(f'<article id="agenda-item-{item.pk}"')
    assert "<li>Magkänsla</li>" in text(response)
    assert response["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert hx_trigger(response) == {"agendaChanged": {"id": item.pk, "action": "update"}}
    assert reload(item).minutes.startswith("Nettan och Malin")


def test_two_leaders_saving_the_same_item_lose_nothing(world, gov, meeting, item, client_for):
    """Both load version 1; the first save wins; the second is refused with the
    first's text shown and the second's own text kept in the form."""
    second_user = UserFactory(username="sormland-leader-2")
    MembershipFactory(tenant=world.tenant, user=second_user, role=Role.PROCESS_LEADER)
    first, second = client_for(world.users["leader"]), client_for(second_user)
    edit = url("agenda_item_edit", world.tenant, item.pk)
    loaded = item.version
    for client in (first, second):
        assert f'name="version" value="{loaded}"' in text(client.get(edit, **HTMX))
    data = {"title": item.title, "kind": item.kind, "version": loaded}

    saved = first.post(edit, {**data, "minutes": "Första processledarens text"}, **HTMX)
    assert saved.status_code == 200
    before = snapshot()
    refused = second.post(edit, {**data, "minutes": "Andra processledarens text"}, **HTMX)

    body = text(refused)
    assert refused.status_code == 200
    assert "HX-Retarget" not in refused  # the form stays, with the conflict
    assert 'role="alert"' in body
    assert (
        in_swedish(
            "Someone else saved this while you were editing. Your text was not saved; "
            "their version is shown below — copy what you need into it and save again."
        )
        in body
    )
    assert "Första processledarens text" in body  # the other's newer text is shown
    assert re.search(r"<textarea[^>]*>\s*Andra processledarens text</textarea>", body)
    fresh = reload(item)
    assert fresh.minutes == "Första processledarens text"
    assert f'name="version" value="{fresh.version}"' in body  # saving again is possible
    assert snapshot() == before

    again = second.post(
        edit,
        {**data, "version": fresh.version, "minutes": "Första processledarens text\nOch min."},
        **HTMX,
    )
    assert again["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert reload(item).minutes == "Första processledarens text\nOch min."


def test_moving_agenda_items_up_and_down(world, meeting, leader):
    first, second = items(meeting)
    response = leader.post(
        url("agenda_item_move", world.tenant, second.pk), {"direction": "up"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#agenda"
    assert [i.pk for i in items(meeting)] == [second.pk, first.pk]
    body = text(response)
    assert body.index(f'id="agenda-item-{second.pk}"') < body.index(f'id="agenda-item-{first.pk}"')

    response = leader.post(url("agenda_item_move", world.tenant, second.pk), {"direction": "down"})
    assert response.status_code == 302
    assert [i.pk for i in items(meeting)] == [first.pk, second.pk]


def test_moving_with_a_bad_direction_is_refused(world, meeting, item, leader):
    before = snapshot()
    assert (
        leader.post(
            url("agenda_item_move", world.tenant, item.pk), {"direction": "sideways"}
        ).status_code
        == 400
    )
    assert leader.get(url("agenda_item_move", world.tenant, item.pk)).status_code == 405
    assert snapshot() == before


def test_taking_an_item_off_the_agenda_keeps_it(world, meeting, item, leader):
    confirm = leader.get(url("agenda_item_archive", world.tenant, item.pk), **HTMX)
    assert text(confirm).lstrip().startswith(f'<article id="agenda-item-{item.pk}"')

    response = leader.post(url("agenda_item_archive", world.tenant, item.pk), **HTMX)

    assert response["HX-Retarget"] == "#agenda"
    assert f'id="agenda-item-{item.pk}"' not in text(response)
    assert reload(item).archived_at is not None
    [rest] = items(meeting)
    assert rest.position == 1


def test_an_item_with_decisions_cannot_be_taken_off(world, meeting, item, leader):
    with scope(tenant=world.tenant):
        decisions.decision_create(actor=None, meeting=meeting, agenda_item=item, text="Beslut")
    before = snapshot()
    response = leader.post(url("agenda_item_archive", world.tenant, item.pk))
    assert response.status_code == 200
    assert "__all__" in form_errors(response)
    assert snapshot() == before


AGENDA_WRITES = [
    (
        "agenda_item_edit",
        {"title": "Kapad", "kind": "information", "minutes": "Kapad", "version": 1},
    ),
    ("agenda_item_move", {"direction": "down"}),
    ("agenda_item_archive", {}),
    ("decision_add", {"text": "Kapat beslut"}),
    ("action_add", {"description": "Kapat uppdrag", "owner_all": "on"}),
]


@pytest.mark.parametrize(("name", "data"), AGENDA_WRITES, ids=[n for n, _ in AGENDA_WRITES])
@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_write_agenda_items(world, item, client_for, role, name, data):
    client = client_for(world.users[role])
    before = snapshot()
    assert client.post(url(name, world.tenant, item.pk), data).status_code == 403
    if name != "agenda_item_move":
        assert client.get(url(name, world.tenant, item.pk)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("name", "data"), AGENDA_WRITES, ids=[n for n, _ in AGENDA_WRITES])
def test_another_programmes_agenda_items_are_404(world, foreign, leader, name, data):
    [other_item] = items(foreign)
    before = snapshot()
    assert leader.post(url(name, world.tenant, other_item.pk), data).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", ["agenda_item_add", "attendance_add"])
@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_add_to_a_meeting(world, meeting, client_for, role, name):
    client = client_for(world.users[role])
    before = snapshot()
    assert client.get(url(name, world.tenant, meeting.pk)).status_code == 403
    assert (
        client.post(
            url(name, world.tenant, meeting.pk),
            {"title": "X", "kind": "dialog", "name": "X", "status": "ovrig"},
        ).status_code
        == 403
    )
    assert snapshot() == before


@pytest.mark.parametrize("name", ["agenda_item_add", "attendance_add"])
def test_adding_to_another_programmes_meeting_is_404(world, foreign, leader, name):
    before = snapshot()
    data = {"title": "X", "kind": "dialog", "name": "X", "status": "ovrig"}
    assert leader.post(url(name, world.tenant, foreign.pk), data).status_code == 404
    assert snapshot() == before


# Attendance ---------------------------------------------------------------------


def _row(meeting: Meeting, person: Person) -> Attendance:
    with scopes_disabled():
        return Attendance.objects.get(meeting=meeting, person=person)


def test_marking_a_member_absent_inline_moves_him_to_the_absent_group(world, gov, meeting, leader):
    row = _row(meeting, gov.member)
    form = leader.get(url("attendance_set", world.tenant, row.pk), **HTMX)
    assert text(form).lstrip().startswith(f'<tr id="attendance-{row.pk}"')

    response = leader.post(
        url("attendance_set", world.tenant, row.pk),
        {"status": "franvarande", "version": row.version},
        **HTMX,
    )

    assert response["HX-Retarget"] == "#attendance"
    assert text(response).lstrip().startswith('<section id="attendance"')
    assert f"{in_swedish('Absent')} (1)" in text(response)
    assert hx_trigger(response)["attendanceChanged"]["action"] == "update"
    assert reload(row).status == "franvarande"


def test_a_substitute_names_whom_they_replace(world, gov, meeting, leader):
    row = _row(meeting, gov.leader)
    before = snapshot()
    missing = leader.post(
        url("attendance_set", world.tenant, row.pk), {"status": "ersatter", "version": row.version}
    )
    assert missing.status_code == 200
    assert "replaces" in form_errors(missing)
    assert snapshot() == before

    response = leader.post(
        url("attendance_set", world.tenant, row.pk),
        {
            "status": "ersatter",
            "replaces": [gov.member.pk, gov.chair.pk],
            "role_note": "Tillfälligt",
            "version": row.version,
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#attendance")
    with scopes_disabled():
        assert set(reload(row).replaces.all()) == {gov.member, gov.chair}


def test_a_person_cannot_replace_themselves(world, gov, meeting, leader):
    row = _row(meeting, gov.leader)
    before = snapshot()
    response = leader.post(
        url("attendance_set", world.tenant, row.pk),
        {"status": "ersatter", "replaces": [gov.leader.pk]},
    )
    assert "replaces" in form_errors(response)
    assert snapshot() == before


def test_adding_someone_from_the_directory(world, gov, meeting, leader):
    person = PersonFactory(
        tenant=world.tenant, name="Annika Magnerot", principal=world.other_principal
    )
    response = leader.post(
        url("attendance_add", world.tenant, meeting.pk),
        {"person": person.pk, "status": "narvarande"},
        **HTMX,
    )
    assert response["HX-Retarget"] == "#attendance"
    assert "Annika Magnerot" in text(response)
    assert _row(meeting, person).represents_principal == world.other_principal
    # Already on the list: changed in their own row, not added twice.
    again = leader.post(
        url("attendance_add", world.tenant, meeting.pk), {"person": person.pk, "status": "ovrig"}
    )
    assert "person" in form_errors(again)


def test_adding_a_new_guest_creates_the_person_too(world, meeting, leader):
    response = leader.post(
        url("attendance_add", world.tenant, meeting.pk),
        {
            "name": "Torbjörn Forkby",
            "title": "Professor",
            "organisation": "Linnéuniversitetet",
            "status": "ovrig",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        person = Person.objects.get(tenant=world.tenant, name="Torbjörn Forkby")
        assert (
            AuditEvent.objects.filter(object_type="portal.person", action="person.create").count()
            == 1
        )
    assert (person.title, person.organisation) == ("Professor", "Linnéuniversitetet")
    assert _row(meeting, person).status == AttendanceStatus.GUEST
    body = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "Linnéuniversitetet" in body


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "ovrig"}, "person"),
        ({"name": "Två sätt", "status": "ovrig", "person": "PERSON"}, "name"),
        ({"name": "Ny ersättare", "status": "ersatter"}, "replaces"),
        ({"name": "X" * 201, "status": "ovrig"}, "name"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_attendee_is_refused_and_nothing_is_written(
    world, gov, meeting, leader, data, field, headers
):
    data = {k: (gov.member.pk if v == "PERSON" else v) for k, v in data.items()}
    if data.get("person") == gov.member.pk:
        data["person"] = PersonFactory(tenant=world.tenant).pk
    before = snapshot()
    response = leader.post(url("attendance_add", world.tenant, meeting.pk), data, **headers)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert is_fragment(response) == bool(headers)
    assert snapshot() == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_change_attendance(world, gov, meeting, client_for, role):
    row = _row(meeting, gov.member)
    client = client_for(world.users[role])
    before = snapshot()
    assert client.get(url("attendance_set", world.tenant, row.pk)).status_code == 403
    assert (
        client.post(
            url("attendance_set", world.tenant, row.pk), {"status": "franvarande"}
        ).status_code
        == 403
    )
    assert snapshot() == before


def test_another_programmes_attendance_is_404(world, other_gov, foreign, leader):
    row = _row(foreign, other_gov.member)
    assert (
        leader.post(
            url("attendance_set", world.tenant, row.pk), {"status": "franvarande"}
        ).status_code
        == 404
    )
    assert reload(row).status == "narvarande"


# Decisions and assignments ------------------------------------------------------


def test_recording_a_decision_inline_numbers_it(world, meeting, item, leader):
    form = leader.get(url("decision_add", world.tenant, item.pk), **HTMX)
    assert f'hx-target="#decision-create-{item.pk}"' in text(form)

    response = leader.post(
        url("decision_add", world.tenant, item.pk),
        {"text": "Styrgruppen beslutar att tidsplanen kallas processplan."},
        **HTMX,
    )

    with scopes_disabled():
        decision = Decision.objects.get(meeting=meeting)
    assert (decision.year, decision.number, decision.agenda_item_id) == (2025, 1, item.pk)
    assert response["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert "SG 2025 §1" in text(response)
    assert hx_trigger(response) == {"decisionChanged": {"id": decision.pk, "action": "create"}}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_empty_decision_is_refused(world, item, leader, headers):
    before = snapshot()
    response = leader.post(url("decision_add", world.tenant, item.pk), {"text": "   "}, **headers)
    assert response.status_code == 200
    assert "text" in form_errors(response)
    assert snapshot() == before


def test_a_joint_meeting_chooses_the_deciding_body(world, gov, leader):
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    meeting = plan(world, gov, joint_bodies=[network], agenda=[("NPF-delprojekt", "beslut")])
    [item] = items(meeting)
    leader.post(
        url("decision_add", world.tenant, item.pk), {"text": "Förslag 2 utreds", "body": network.pk}
    )
    with scopes_disabled():
        assert Decision.objects.get(meeting=meeting).reference == "SCN 2025 §1"


def test_editing_a_decision_inline(world, meeting, item, leader):
    with scope(tenant=world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=item, text="Gammal"
        )
    form = leader.get(url("decision_edit", world.tenant, decision.pk), **HTMX)
    assert text(form).lstrip().startswith(f'<li id="decision-{decision.pk}"')
    response = leader.post(
        url("decision_edit", world.tenant, decision.pk),
        {"text": "Ny lydelse", "version": decision.version},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert "Ny lydelse" in text(response)
    assert reload(decision).text == "Ny lydelse"
    assert reload(decision).number == 1


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_edit_decisions(world, meeting, item, client_for, role):
    with scope(tenant=world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=item, text="Gammal"
        )
    before = snapshot()
    client = client_for(world.users[role])
    assert (
        client.post(url("decision_edit", world.tenant, decision.pk), {"text": "Kapad"}).status_code
        == 403
    )
    assert snapshot() == before


def test_editing_another_programmes_decision_is_404(world, other_world, foreign, leader):
    [other_item] = items(foreign)
    with scope(tenant=other_world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=foreign, agenda_item=other_item, text="Deras"
        )
    assert (
        leader.post(url("decision_edit", world.tenant, decision.pk), {"text": "Kapad"}).status_code
        == 404
    )
    assert reload(decision).text == "Deras"


def test_recording_an_assignment_inline(world, gov, meeting, item, leader):
    form = leader.get(url("action_add", world.tenant, item.pk), **HTMX)
    assert f'hx-target="#action-create-{item.pk}"' in text(form)
    response = leader.post(
        url("action_add", world.tenant, item.pk),
        {
            "description": "Återrapportera hur ni vill arbeta med barnmedverkan",
            "owner_all": "on",
            "due_next_meeting": "on",
        },
        **HTMX,
    )
    with scopes_disabled():
        action = ActionItem.objects.get(agenda_item=item)
    assert action.owner_all and action.due_next_meeting
    assert action.body == gov.body
    assert response["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert in_swedish("By the next meeting") in text(response)
    assert in_swedish("All organisations") in text(response)
    assert hx_trigger(response) == {"actionChanged": {"id": action.pk, "action": "create"}}


def test_an_assignment_from_a_decision(world, gov, meeting, item, leader):
    with scope(tenant=world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=item, text="Presidiet ansvarar"
        )
    form = leader.get(url("action_add", world.tenant, item.pk, query=f"?decision={decision.pk}"))
    assert re.search(rf'<option value="{decision.pk}" selected>', text(form))
    body = BodyFactory(tenant=world.tenant, name="Presidiet", code="PR")
    leader.post(
        url("action_add", world.tenant, item.pk),
        {
            "description": "Planera följeforskarnas medverkan",
            "decision": decision.pk,
            "owner_body": body.pk,
            "due_date": "2025-09-01",
        },
    )
    with scopes_disabled():
        action = ActionItem.objects.get(decision=decision)
    assert (action.owner_body, action.due_date) == (body, datetime.date(2025, 9, 1))
    page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "(SG 2025 §1)" in page
    assert "Presidiet" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"description": "Ingen ägare"}, "owner_people"),
        (
            {
                "description": "Båda",
                "owner_all": "on",
                "due_date": "2025-05-03",
                "due_next_meeting": "on",
            },
            "due_date",
        ),
        ({"description": "", "owner_all": "on"}, "description"),
        ({"description": "Fel datum", "owner_all": "on", "due_date": "3 maj"}, "due_date"),
    ],
)
def test_bad_assignment_is_refused(world, item, leader, data, field):
    before = snapshot()
    response = leader.post(url("action_add", world.tenant, item.pk), data, **HTMX)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert snapshot() == before


def test_an_assignment_cannot_come_from_another_items_decision(world, meeting, leader):
    first, second = items(meeting)
    with scope(tenant=world.tenant):
        decision = decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=second, text="Annan punkt"
        )
    before = snapshot()
    response = leader.post(
        url("action_add", world.tenant, first.pk),
        {"description": "Fel koppling", "owner_all": "on", "decision": decision.pk},
    )
    assert "decision" in form_errors(response)
    assert snapshot() == before


# The minutes lifecycle ----------------------------------------------------------


def test_leader_finishes_the_minutes(world, meeting, leader, client_for):
    response = leader.post(url("minutes_finish", world.tenant, meeting.pk))
    assert response.status_code == 302
    fresh = reload(meeting)
    assert fresh.minutes_status == MinutesStatus.FINISHED
    assert fresh.finished_at is not None
    body = text(
        client_for(world.users["steering"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )
    assert in_swedish("Finished") in body


def test_finishing_emails_the_signatories_a_link_to_sign(
    world, gov, meeting, leader, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the e-mails are a Celery task
    justerare = PersonFactory(tenant=world.tenant, name="Justerare", email="justerare@example.se")
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=meeting, person=justerare, status="narvarande"
        )
        fresh = reload(meeting)
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=fresh,
            expected_version=fresh.version,
            adjusters=[justerare],
        )
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(url("minutes_finish", world.tenant, meeting.pk))
    # One e-mail each: the justerare and the chair.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(["justerare@example.se", gov.chair.email])
    for mail in mailoutbox:
        assert "http://testserver" + url("minutes_approve", world.tenant, meeting.pk) in mail.body


def test_finishing_with_htmx_redirects_the_browser(world, meeting, leader):
    response = leader.post(url("minutes_finish", world.tenant, meeting.pk), **HTMX)
    assert response["HX-Redirect"] == url("meeting_detail", world.tenant, meeting.pk)


def test_finishing_a_cancelled_meeting_is_refused_with_a_message(world, meeting, leader):
    with scope(tenant=world.tenant):
        meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason="Inställt")
    before = snapshot()
    response = leader.post(url("minutes_finish", world.tenant, meeting.pk), **HTMX)
    assert response["HX-Retarget"] == "#meeting-messages"
    assert 'role="alert"' in text(response)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["minutes_finish", "minutes_revise"])
@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_finish_and_revise(world, meeting, client_for, role, name):
    approve(world, meeting) if name == "minutes_revise" else None
    before = snapshot()
    response = client_for(world.users[role]).post(
        url(name, world.tenant, meeting.pk), {"reason": "Fel"}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_the_approve_button_is_shown_only_to_whoever_may_approve(world, gov, meeting, client_for):
    finish(world, meeting)
    button = url("minutes_approve", world.tenant, meeting.pk)
    page = url("meeting_detail", world.tenant, meeting.pk)
    assert button in text(client_for(world.users["steering"]).get(page))  # the chair
    for role in ["leader", "researcher", "admin"]:
        assert button not in text(client_for(world.users[role]).get(page))


def test_the_chair_approves_and_the_minutes_are_locked(
    world, gov, meeting, item, client_for, leader
):
    write_minutes(world, item, "Justerad text")
    finish(world, meeting)
    response = sign(client_for(world.users["steering"]), meeting)  # the confirmation page
    assert response.status_code == 302
    fresh = reload(meeting)
    assert fresh.minutes_status == MinutesStatus.APPROVED
    with scopes_disabled():
        [version] = MinutesVersion.objects.filter(meeting=meeting)
    assert version.number == 1

    body = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    for name, pk in [
        ("agenda_item_edit", item.pk),
        ("decision_add", item.pk),
        ("action_add", item.pk),
        ("agenda_item_add", meeting.pk),
        ("attendance_add", meeting.pk),
        ("meeting_edit", meeting.pk),
        ("minutes_finish", meeting.pk),
    ]:
        assert url(name, world.tenant, pk) not in body, name
    assert url("minutes_revise", world.tenant, meeting.pk) in body
    assert url("meeting_version", world.tenant, meeting.pk, 1) in body
    assert in_swedish("Approved") in body


def test_an_appointed_justerare_signs_as_well_as_the_chair(world, gov, meeting, client_for):
    justerare_user = UserFactory(username="sormland-justerare")
    MembershipFactory(tenant=world.tenant, user=justerare_user, role=Role.STEERING_MEMBER)
    justerare = PersonFactory(tenant=world.tenant, name="Justerare", user=justerare_user)
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=meeting, person=justerare, status="narvarande"
        )
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=reload(meeting),
            expected_version=reload(meeting).version,
            adjusters=[justerare],
        )
    finish(world, meeting)
    chair = client_for(world.users["steering"])
    assert url("minutes_approve", world.tenant, meeting.pk) in text(
        chair.get(url("meeting_detail", world.tenant, meeting.pk))
    )
    assert sign(chair, meeting).status_code == 302
    assert reload(meeting).minutes_status == MinutesStatus.FINISHED  # the justerare has not signed
    assert url("minutes_approve", world.tenant, meeting.pk) not in text(
        chair.get(url("meeting_detail", world.tenant, meeting.pk))
    )
    response = sign(client_for(justerare_user), meeting)
    assert response["Location"] == url("meeting_detail", world.tenant, meeting.pk)
    assert reload(meeting).minutes_status == MinutesStatus.APPROVED
    assert reload(meeting).approved_by_person == justerare  # the last to sign


@pytest.mark.parametrize("role", ["reporter", "researcher", "admin"])
def test_approving_needs_the_role(world, meeting, client_for, role):
    finish(world, meeting)
    before = snapshot()
    assert (
        client_for(world.users[role])
        .post(url("minutes_approve", world.tenant, meeting.pk))
        .status_code
        == 403
    )
    assert snapshot() == before


def test_approving_draft_minutes_is_refused(world, meeting, client_for):
    before = snapshot()
    response = client_for(world.users["steering"]).post(
        url("minutes_approve", world.tenant, meeting.pk)
    )
    assert response.status_code == 302
    assert reload(meeting).minutes_status == MinutesStatus.DRAFT
    assert snapshot() == before


def test_approving_another_programmes_minutes_is_404(world, other_world, foreign, client_for):
    finish(other_world, foreign)
    response = client_for(world.users["steering"]).post(
        url("minutes_approve", world.tenant, foreign.pk)
    )
    assert response.status_code == 404
    assert reload(foreign).minutes_status == MinutesStatus.FINISHED


def test_editing_approved_minutes_is_refused_and_nothing_changes(world, gov, meeting, item, leader):
    write_minutes(world, item, "Justerad text")
    approve(world, meeting)
    row = _row(meeting, gov.member)
    fresh = reload(item)
    before = snapshot()

    page = leader.get(url("agenda_item_edit", world.tenant, item.pk))
    assert "__all__" in form_errors(page)
    attempts = [
        leader.post(
            url("agenda_item_edit", world.tenant, item.pk),
            {
                "title": "Ändrad",
                "kind": "information",
                "minutes": "Ändrad text",
                "version": fresh.version,
            },
        ),
        leader.post(url("decision_add", world.tenant, item.pk), {"text": "Sent beslut"}),
        leader.post(
            url("action_add", world.tenant, item.pk), {"description": "Sent", "owner_all": "on"}
        ),
        leader.post(
            url("attendance_set", world.tenant, row.pk),
            {"status": "franvarande", "version": row.version},
        ),
        leader.post(
            url("agenda_item_add", world.tenant, meeting.pk),
            {"title": "Sen punkt", "kind": "ovrigt"},
        ),
        leader.post(url("meeting_edit", world.tenant, meeting.pk), _edit_data(reload(meeting))),
    ]
    locked = in_swedish(
        "The minutes are approved and locked. Start a revision, with a reason, to change them."
    )
    for response in attempts:
        assert response.status_code == 200
        assert form_errors(response)
        assert locked in text(response)
    moved = leader.post(url("agenda_item_move", world.tenant, item.pk), {"direction": "down"})
    assert moved.status_code == 302
    assert snapshot() == before
    assert reload(item).minutes == "Justerad text"


def test_revising_approved_minutes_keeps_the_approved_version_readable(
    world, meeting, item, leader, client_for
):
    write_minutes(world, item, "Den justerade lydelsen")
    approve(world, meeting)

    before = snapshot()
    refused = leader.post(url("minutes_revise", world.tenant, meeting.pk), {"reason": " "})
    assert "reason" in form_errors(refused)
    assert snapshot() == before
    form = leader.get(url("minutes_revise", world.tenant, meeting.pk), **HTMX)
    assert 'hx-target="#minutes-revise"' in text(form)

    response = leader.post(
        url("minutes_revise", world.tenant, meeting.pk), {"reason": "Fel närvaro i § 2"}
    )
    assert response.status_code == 302
    write_minutes(world, item, "Den ändrade lydelsen, under arbete")

    leader_page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "Den ändrade lydelsen" in leader_page
    assert "Fel närvaro i § 2" in leader_page
    for role in ["steering", "researcher", "admin", "reporter"]:
        page = client_for(world.users[role]).get(url("meeting_detail", world.tenant, meeting.pk))
        assert page.status_code == 200, role
        assert "Den justerade lydelsen" in text(page), role
        assert "Den ändrade lydelsen" not in text(page), role

    version = client_for(world.users["reporter"]).get(
        url("meeting_version", world.tenant, meeting.pk, 1)
    )
    assert version.status_code == 200
    assert "Den justerade lydelsen" in text(version)
    versions = client_for(world.users["reporter"]).get(
        url("meeting_versions", world.tenant, meeting.pk)
    )
    assert url("meeting_version", world.tenant, meeting.pk, 1) in text(versions)

    # Approved again: version 2, with the reason; version 1 is still there.
    approve(world, meeting)
    with scopes_disabled():
        versions_ = list(MinutesVersion.objects.filter(meeting=meeting).order_by("number"))
    assert [v.number for v in versions_] == [1, 2]
    assert versions_[1].reason == "Fel närvaro i § 2"
    assert "Den justerade lydelsen" in text(
        leader.get(url("meeting_version", world.tenant, meeting.pk, 1))
    )
    assert "Den ändrade lydelsen" in text(
        leader.get(url("meeting_version", world.tenant, meeting.pk, 2))
    )


def test_a_version_shows_decisions_and_assignments_under_their_items(
    world, gov, meeting, item, leader
):
    with scope(tenant=world.tenant):
        decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=item, text="Frusen lydelse"
        )
        actions.action_create(
            actor=None,
            body=gov.body,
            description="Fruset uppdrag",
            owner_all=True,
            agenda_item=item,
        )
        # The process leader absent (the chair signs, so is present).
        meetings.attendance_set(
            actor=None, meeting=meeting, person=gov.leader, status=AttendanceStatus.ABSENT
        )
    approve(world, meeting)
    response = leader.get(url("meeting_version", world.tenant, meeting.pk, 1), **HTMX)
    body = text(response)
    assert is_fragment(response)
    assert (
        body.index("Statusrapport")
        < body.index("SG 2025 §1")
        < body.index("Fruset uppdrag")
        < body.index("Risker")
    )
    assert gov.member.name in body  # the attendance, present before absent
    assert body.index(f"{in_swedish('Present')} (2)") < body.index(f"{in_swedish('Absent')} (1)")


def test_versions_are_readable_only_where_the_meeting_is(
    world, meeting, foreign, other_world, client_for, leader
):
    approve(world, meeting)
    approve(other_world, foreign)
    assert leader.get(url("meeting_version", world.tenant, meeting.pk, 2)).status_code == 404
    assert leader.get(url("meeting_version", world.tenant, foreign.pk, 1)).status_code == 404
    assert leader.get(url("meeting_versions", world.tenant, foreign.pk)).status_code == 404
    stranger = client_for(other_world.users["reporter"])
    assert stranger.get(url("meeting_version", world.tenant, meeting.pk, 1)).status_code == 404


def test_versions_of_draft_minutes_are_403_for_reporters(world, meeting, client_for):
    reporter = client_for(world.users["reporter"])
    assert reporter.get(url("meeting_versions", world.tenant, meeting.pk)).status_code == 403
    response = client_for(world.users["steering"]).get(
        url("meeting_versions", world.tenant, meeting.pk), **HTMX
    )
    assert response.status_code == 200
    assert is_fragment(response)


# The minutes text filter --------------------------------------------------------


def test_minutes_text_escapes_everything_first():
    html = render_minutes_text('<script>alert("x")</script> & <b>fet</b>')
    assert html == '<p>&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;</p>'


def test_minutes_text_makes_lists_bold_and_paragraphs():
    html = render_minutes_text(
        "Reflektioner som inkommer:\n- Kärnan är **viktigast**\n- Arbetsgrupper\n"
        "\nNästa stycke\nrad två"
    )
    assert html == (
        "<p>Reflektioner som inkommer:</p>\n"
        "<ul>\n<li>Kärnan är <strong>viktigast</strong></li>\n<li>Arbetsgrupper</li>\n</ul>\n"
        "<p>Nästa stycke<br>\nrad två</p>"
    )


def test_minutes_text_leaves_unmatched_markers_and_handles_empty_text():
    assert (
        render_minutes_text("**inte stängd och -inte lista")
        == "<p>**inte stängd och -inte lista</p>"
    )
    assert render_minutes_text("") == ""
    assert render_minutes_text(None) == ""
    assert render_minutes_text("**<i>**") == "<p><strong>&lt;i&gt;</strong></p>"
