"""The meeting pages (governance/views/meetings.py): the list, planning, the
one meeting page, editing, cancelling and planning the next meeting."""

from __future__ import annotations

import datetime
import re

import pytest
from django_scopes import scope, scopes_disabled

from governance.models import ActionItem, ActionStatusChange, Meeting
from governance.services import actions, decisions, meetings
from governance.views.meetings import one_month_later
from portal.models import AuditEvent
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import BodyFactory, RiskFactory, StatusReportFactory
from tests.governance.meetings.helpers import (
    MEETING_LIST_QUERIES,
    MEETING_PAGE_QUERIES,
    NOT_LEADERS,
    READERS,
    _create_data,
    _edit_data,
    _rich_meeting,
    approve,
    at,
    finish,
    items,
    plan,
    snapshot,
    url,
    write_minutes,
)
from tests.helpers import HTMX, form_errors, hx_trigger, in_swedish, is_fragment, reload, text

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


@pytest.mark.parametrize("size", [1, 8])
def test_meeting_page_costs_the_same_for_small_and_large_meetings(
    world, gov, leader, django_assert_num_queries, size
):
    meeting = _rich_meeting(world, gov, size)
    with django_assert_num_queries(MEETING_PAGE_QUERIES):
        response = leader.get(url("meeting_detail", world.tenant, meeting.pk))
    assert text(response).count('class="agenda-item"') == size + 1  # and the follow-up item


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
