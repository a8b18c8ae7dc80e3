"""Action items in the browser: the programme-wide list with its filters,
counts per status, overdue logic and inline status change; one item with its
status history; editing and archiving.

Every view: it works for the right role; another programme gets 404; too
little role (principal reporters read nothing here) gets 403 and writes
nothing; bad input gets a field error and writes nothing; htmx gets a fragment.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import (
    ActionItem,
    ActionStatus,
    ActionStatusChange,
    MeetingStatus,
    MinutesStatus,
)
from governance.services import actions as action_services
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.helpers import (
    HTMX,
    audit_count,
    audit_events,
    form_errors,
    hx_trigger,
    in_swedish,
    is_fragment,
    reload,
    rows,
    starts_with_row,
    text,
    url_in,
)

READERS = ["leader", "steering", "researcher", "admin"]
NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]
TODAY = timezone.localdate


url = url_in("governance")


def listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr id="action-(\d+)"', text(response))}


def row(body: str, dom_id: str) -> str:
    match = re.search(rf'<tr id="{dom_id}".*?</tr>', body, re.S)
    assert match is not None, dom_id
    return match.group(0)


def action(world, gov, **kwargs) -> ActionItem:
    """An assignment entered through the service (so its first status is recorded)."""
    kwargs.setdefault("description", "Ta fram en kommunikationsplan.")
    if not any(k in kwargs for k in ("owner_people", "owner_principal", "owner_body")):
        kwargs.setdefault("owner_all", True)
    status = kwargs.pop("status", None)
    with scope(tenant=world.tenant):
        item = action_services.action_create(
            actor=world.users["leader"], body=kwargs.pop("body", gov.body), **kwargs
        )
        if status:
            action_services.action_set_status(
                actor=world.users["leader"], action=item, status=status
            )
    return item


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


# Who reads the list ---------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_action_items(world, gov, client_for, role):
    item = action(world, gov, description="Skicka nytt mejl till utbildningschefen.")
    response = client_for(world.users[role]).get(url("action_list", world.tenant))
    assert response.status_code == 200
    assert listed(response) == {item.pk}
    assert "Skicka nytt mejl till utbildningschefen." in text(response)


def test_reporters_get_403(world, gov, client_for):
    action(world, gov)
    response = client_for(world.users["reporter"]).get(url("action_list", world.tenant))
    assert response.status_code == 403


@pytest.mark.parametrize("role", READERS)
def test_items_from_draft_minutes_are_for_process_leaders_only(world, gov, client_for, role):
    draft = AgendaItemFactory(meeting=MeetingFactory(body=gov.body))
    finished = AgendaItemFactory(
        meeting=MeetingFactory(body=gov.body, minutes_status=MinutesStatus.FINISHED)
    )
    from_draft = action(world, gov, agenda_item=draft)
    from_finished = action(world, gov, agenda_item=finished)
    from_draft_decision = action(
        world, gov, decision=DecisionFactory(meeting=draft.meeting, body=gov.body)
    )
    standalone = action(world, gov)
    response = client_for(world.users[role]).get(url("action_list", world.tenant))
    expected = {from_finished.pk, standalone.pk}
    if role == "leader":
        expected |= {from_draft.pk, from_draft_decision.pk}
    assert listed(response) == expected


def test_the_list_never_shows_another_programme(world, gov, other_world, other_gov, leader):
    ours = action(world, gov)
    action(other_world, other_gov)
    assert listed(leader.get(url("action_list", world.tenant))) == {ours.pk}


# What a row shows -----------------------------------------------------------


def test_a_row_shows_owners_due_origin_and_status(world, gov, leader):
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    at = MeetingFactory(body=gov.body)
    point = AgendaItemFactory(meeting=at, position=7, title="Beslut tidsplan")
    ruling = DecisionFactory(meeting=at, body=gov.body, year=2025, number=12)
    item = action(
        world,
        gov,
        owner_people=[gov.member],
        owner_principal=world.principal,
        owner_body=network,
        due_date=datetime.date(2031, 5, 1),
        agenda_item=point,
        decision=ruling,
    )
    everyone = action(world, gov, owner_all=True, due_next_meeting=True)
    body = text(leader.get(url("action_list", world.tenant)))
    first = row(body, f"action-{item.pk}")
    for name in (gov.member.name, world.principal.name, "Skolchefsnätverket"):
        assert name in first
    assert 'datetime="2031-05-01"' in first
    assert f'href="{url("meeting_detail", world.tenant, at.pk)}#agenda-item-{point.pk}"' in first
    assert "Beslut tidsplan" in first
    assert "SG 2025 §12" in first
    assert f'href="{url("action_detail", world.tenant, item.pk)}"' in first
    second = row(body, f"action-{everyone.pk}")
    assert in_swedish("All organisations") in second
    assert in_swedish("By the next meeting") in second


def test_leaders_get_an_accessible_status_control_per_row(world, gov, leader):
    item = action(world, gov, status=ActionStatus.IN_PROGRESS)
    first = row(text(leader.get(url("action_list", world.tenant))), f"action-{item.pk}")
    assert f'hx-post="{url("action_status", world.tenant, item.pk)}"' in first
    # The status form answers with the row: it inherits the row's own target.
    assert re.match(r'<tr id="action-\d+"[^>]* hx-target="this" hx-swap="outerHTML">', first)
    status_form = re.search(r'<form [^>]*class="status-form"[^>]*>', first)
    assert status_form is not None
    assert "hx-target" not in status_form.group(0)
    assert f'<label class="visually-hidden" for="action-{item.pk}-status-status">' in first
    assert '<option value="pagar" selected>' in first


@pytest.mark.parametrize("role", ["steering", "researcher", "admin"])
def test_readers_get_no_controls(world, gov, client_for, role):
    item = action(world, gov)
    body = text(client_for(world.users[role]).get(url("action_list", world.tenant)))
    assert url("action_status", world.tenant, item.pk) not in body
    assert url("action_edit", world.tenant, item.pk) not in body


# Filters --------------------------------------------------------------------


@pytest.fixture
def spread(world, gov):
    """Assignments with different owners, bodies and statuses."""
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    colleague = PersonFactory(tenant=world.tenant, name="Kollega A", principal=world.principal)
    outsider = PersonFactory(tenant=world.tenant, name="Kollega B", principal=world.other_principal)
    return {
        "network": network,
        "colleague": colleague,
        "by_person": action(world, gov, owner_people=[colleague]),
        "by_principal": action(world, gov, owner_principal=world.principal),
        "by_other": action(world, gov, owner_people=[outsider], status=ActionStatus.DONE),
        "in_network": action(world, gov, body=network, owner_all=True),
        "owned_by_network": action(world, gov, owner_body=network, status=ActionStatus.REPORTED),
    }


def _filtered(client, world, query: str) -> set[int]:
    response = client.get(url("action_list", world.tenant, query=query))
    assert response.status_code == 200
    return listed(response)


def test_filter_by_owner(world, leader, spread):
    query = f"?owner={spread['colleague'].pk}"
    assert _filtered(leader, world, query) == {spread["by_person"].pk}


def test_filter_by_principal_matches_the_principal_and_its_people(world, leader, spread):
    query = f"?principal={world.principal.pk}"
    assert _filtered(leader, world, query) == {spread["by_person"].pk, spread["by_principal"].pk}


def test_filter_by_body_matches_the_following_and_the_owning_body(world, leader, spread):
    query = f"?body={spread['network'].pk}"
    assert _filtered(leader, world, query) == {
        spread["in_network"].pk,
        spread["owned_by_network"].pk,
    }


def test_filter_by_status(world, leader, spread):
    assert _filtered(leader, world, "?status=klar") == {spread["by_other"].pk}


def test_filters_combine(world, gov, leader, spread):
    query = f"?principal={world.principal.pk}&body={gov.body.pk}&status=ej_paborjad"
    assert _filtered(leader, world, query) == {spread["by_person"].pk, spread["by_principal"].pk}


def test_counts_per_status_follow_the_other_filters(world, gov, leader, spread):
    body = text(leader.get(url("action_list", world.tenant, query="?status=klar")))
    counts = dict(
        re.findall(r'data-status="([a-z_]+)">[^<]*<span class="count">(\d+)</span>', body)
    )
    assert counts == {
        "ej_paborjad": "3",
        "pagar": "0",
        "klar": "1",
        "aterrapporterad": "1",
        "overdue": "0",
    }
    by_body = text(
        leader.get(url("action_list", world.tenant, query=f"?body={spread['network'].pk}"))
    )
    counts = dict(
        re.findall(r'data-status="([a-z_]+)">[^<]*<span class="count">(\d+)</span>', by_body)
    )
    assert counts["ej_paborjad"] == "1"
    assert counts["aterrapporterad"] == "1"


def test_an_invalid_filter_is_reported_and_ignored(world, other_gov, leader, spread):
    response = leader.get(url("action_list", world.tenant, query=f"?owner={other_gov.member.pk}"))
    assert response.status_code == 200
    assert "owner" in form_errors(response)
    assert len(listed(response)) == 5


def test_filters_refresh_only_the_results_for_htmx(world, leader, spread):
    response = leader.get(
        url("action_list", world.tenant, query="?status=klar"),
        HTTP_HX_TARGET="action-results",
        **HTMX,
    )
    assert is_fragment(response)
    body = text(response)
    assert 'id="action-results"' in body
    assert 'name="owner"' not in body  # the filter form stays as it is
    assert 'hx-swap-oob="innerHTML"' in body
    assert listed(response) == {spread["by_other"].pk}
    assert "HX-Request" in response["Vary"]


def test_the_filter_form_pushes_its_url(world, leader):
    body = text(leader.get(url("action_list", world.tenant)))
    form = re.search(r'<form method="get"[^>]*>', body)
    assert form is not None
    assert 'hx-push-url="true"' in form.group(0)
    assert 'hx-target="#action-results"' in form.group(0)


# Overdue --------------------------------------------------------------------


def test_open_items_past_their_due_date_are_overdue(world, gov, leader):
    late = action(world, gov, due_date=TODAY() - datetime.timedelta(days=1))
    due_today = action(world, gov, due_date=TODAY())
    done_late = action(
        world, gov, due_date=TODAY() - datetime.timedelta(days=9), status=ActionStatus.DONE
    )
    in_progress_late = action(
        world,
        gov,
        due_date=TODAY() - datetime.timedelta(days=9),
        status=ActionStatus.IN_PROGRESS,
    )
    assert _filtered(leader, world, "?overdue=on") == {late.pk, in_progress_late.pk}
    body = text(leader.get(url("action_list", world.tenant)))
    assert "badge--overdue" in row(body, f"action-{late.pk}")
    assert "badge--overdue" not in row(body, f"action-{due_today.pk}")
    assert "badge--overdue" not in row(body, f"action-{done_late.pk}")


def test_by_the_next_meeting_is_overdue_once_a_later_meeting_was_held(world, gov, leader):
    now = timezone.now()
    origin = AgendaItemFactory(
        meeting=MeetingFactory(
            body=gov.body, starts_at=now - datetime.timedelta(days=60), status=MeetingStatus.HELD
        )
    )
    item = action(world, gov, agenda_item=origin, due_next_meeting=True)
    assert _filtered(leader, world, "?overdue=on") == set()

    MeetingFactory(body=gov.body, starts_at=now + datetime.timedelta(days=5))  # only planned
    MeetingFactory(
        body=BodyFactory(tenant=world.tenant),
        starts_at=now - datetime.timedelta(days=30),
        status=MeetingStatus.HELD,
    )  # another body's
    MeetingFactory(
        body=gov.body,
        starts_at=now - datetime.timedelta(days=90),
        status=MeetingStatus.HELD,
    )  # before the item was given
    assert _filtered(leader, world, "?overdue=on") == set()

    MeetingFactory(
        body=gov.body, starts_at=now - datetime.timedelta(days=30), status=MeetingStatus.HELD
    )
    assert _filtered(leader, world, "?overdue=on") == {item.pk}

    with scope(tenant=world.tenant):
        action_services.action_set_status(
            actor=world.users["leader"], action=item, status=ActionStatus.REPORTED
        )
    assert _filtered(leader, world, "?overdue=on") == set()


def test_a_held_joint_meeting_counts_as_the_next_meeting(world, gov, leader):
    now = timezone.now()
    item = action(world, gov, due_next_meeting=True)
    with scopes_disabled():
        ActionItem.objects.filter(pk=item.pk).update(created_at=now - datetime.timedelta(days=40))
    joint = MeetingFactory(
        body=BodyFactory(tenant=world.tenant),
        starts_at=now - datetime.timedelta(days=10),
        status=MeetingStatus.HELD,
    )
    assert _filtered(leader, world, "?overdue=on") == set()
    with scopes_disabled():
        joint.joint_bodies.add(gov.body)
    assert _filtered(leader, world, "?overdue=on") == {item.pk}


# Query count ----------------------------------------------------------------

# Session, user, tenant, membership; the filter's people, principals and
# bodies; the counts, the paginator's count, the page and its owners.
ACTION_LIST_QUERIES = 11


@pytest.mark.parametrize("extra", [1, 15])
def test_action_list_costs_the_same_for_few_and_many(
    world, gov, leader, django_assert_num_queries, extra
):
    meeting = MeetingFactory(body=gov.body)
    for i in range(extra):
        action(
            world,
            gov,
            owner_people=[gov.member, gov.chair],
            owner_principal=world.principal,
            agenda_item=AgendaItemFactory(meeting=meeting),
            decision=DecisionFactory(meeting=meeting, body=gov.body),
            due_next_meeting=i % 2 == 0,
        )
    with django_assert_num_queries(ACTION_LIST_QUERIES):
        response = leader.get(url("action_list", world.tenant))
    assert len(listed(response)) == extra


def test_the_list_is_paginated(world, gov, leader):
    for _ in range(51):
        ActionItemFactory(body=gov.body)
    first = leader.get(url("action_list", world.tenant))
    second = leader.get(url("action_list", world.tenant, query="?page=2"))
    assert len(listed(first)) == 50
    assert len(listed(second)) == 1
    assert '<nav class="pagination"' in text(first)


# Status change --------------------------------------------------------------


def test_leader_changes_the_status_without_javascript(world, gov, leader):
    item = action(world, gov)
    back = url("action_list", world.tenant, query="?status=ej_paborjad")
    response = leader.post(
        url("action_status", world.tenant, item.pk), {"status": "pagar", "next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert reload(item).status == ActionStatus.IN_PROGRESS
    with scopes_disabled():
        change = ActionStatusChange.objects.filter(action_item=item).latest("pk")
    assert (change.from_status, change.to_status) == ("ej_paborjad", "pagar")
    assert change.changed_by == world.users["leader"]
    [event] = audit_events(action="action_item.status.change", object_type="governance.actionitem")
    assert event.after["status"] == "pagar"


def test_a_foreign_next_url_is_not_followed(world, gov, leader):
    item = action(world, gov)
    response = leader.post(
        url("action_status", world.tenant, item.pk),
        {"status": "klar", "next": "https://evil.example/"},
    )
    assert response["Location"] == url("action_detail", world.tenant, item.pk)


def test_leader_changes_the_status_inline_with_htmx(world, gov, leader):
    item = action(world, gov)
    response = leader.post(url("action_status", world.tenant, item.pk), {"status": "klar"}, **HTMX)
    assert response.status_code == 200
    assert starts_with_row(response, f"action-{item.pk}")
    assert '<option value="klar" selected>' in text(response)
    assert '<p id="action-announcer" hx-swap-oob="innerHTML">' in text(response)
    assert hx_trigger(response) == {"actionChanged": {"id": item.pk, "action": "status"}}
    assert reload(item).status == ActionStatus.DONE


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_an_unknown_status_is_refused_and_nothing_is_written(world, gov, leader, headers):
    item = action(world, gov)
    before = (rows(ActionItem), rows(ActionStatusChange), audit_count())
    response = leader.post(
        url("action_status", world.tenant, item.pk), {"status": "glomd"}, **headers
    )
    assert response.status_code == 200
    assert "status" in form_errors(response)
    assert 'aria-invalid="true"' in text(response)
    assert is_fragment(response) == bool(headers)
    if headers:
        assert starts_with_row(response, f"action-{item.pk}")
    assert (rows(ActionItem), rows(ActionStatusChange), audit_count()) == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_change_the_status(world, gov, client_for, role):
    item = action(world, gov)
    before = (rows(ActionItem), rows(ActionStatusChange), audit_count())
    response = client_for(world.users[role]).post(
        url("action_status", world.tenant, item.pk), {"status": "klar"}
    )
    assert response.status_code == 403
    assert (rows(ActionItem), rows(ActionStatusChange), audit_count()) == before


def test_changing_another_programmes_item_is_404(world, other_world, other_gov, leader):
    theirs = action(other_world, other_gov)
    response = leader.post(url("action_status", world.tenant, theirs.pk), {"status": "klar"})
    assert response.status_code == 404
    assert reload(theirs).status == ActionStatus.NOT_STARTED


def test_status_change_in_another_programme_is_404(world, gov, other_world, client_for):
    item = action(world, gov)
    client = client_for(other_world.users["leader"])
    assert (
        client.post(url("action_status", world.tenant, item.pk), {"status": "klar"}).status_code
        == 404
    )
    assert reload(item).status == ActionStatus.NOT_STARTED


# Detail ---------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_the_detail_shows_the_status_history(world, gov, client_for, role):
    meeting = MeetingFactory(body=gov.body, minutes_status=MinutesStatus.FINISHED)
    item = action(world, gov, agenda_item=AgendaItemFactory(meeting=meeting))
    with scope(tenant=world.tenant):
        action_services.action_set_status(
            actor=world.users["leader"], action=item, status=ActionStatus.IN_PROGRESS
        )
        action_services.action_set_status(
            actor=world.users["leader"], action=item, status=ActionStatus.DONE, meeting=meeting
        )
    response = client_for(world.users[role]).get(url("action_detail", world.tenant, item.pk))
    assert response.status_code == 200
    body = text(response)
    with scopes_disabled():
        changes = list(ActionStatusChange.objects.filter(action_item=item).order_by("pk"))
    assert len(changes) == 3
    positions = [body.index(f'id="status-change-{c.pk}"') for c in changes]
    assert positions == sorted(positions)
    assert url("meeting_detail", world.tenant, meeting.pk) in row(
        body, f"status-change-{changes[2].pk}"
    )


def test_reporters_cannot_open_an_item(world, gov, client_for):
    item = action(world, gov)
    response = client_for(world.users["reporter"]).get(url("action_detail", world.tenant, item.pk))
    assert response.status_code == 403


def test_an_item_from_draft_minutes_is_hidden_from_steering(world, gov, client_for):
    item = action(world, gov, agenda_item=AgendaItemFactory(meeting=MeetingFactory(body=gov.body)))
    page = url("action_detail", world.tenant, item.pk)
    assert client_for(world.users["steering"]).get(page).status_code == 404
    assert client_for(world.users["leader"]).get(page).status_code == 200


def test_the_detail_for_htmx_is_the_items_row(world, gov, leader):
    item = action(world, gov)
    response = leader.get(url("action_detail", world.tenant, item.pk), **HTMX)
    assert is_fragment(response)
    assert starts_with_row(response, f"action-{item.pk}")


# Edit -----------------------------------------------------------------------


def test_leader_edits_owners_and_due_without_javascript(world, gov, leader):
    item = action(world, gov, owner_people=[gov.member], due_date=datetime.date(2025, 5, 1))
    page = leader.get(url("action_edit", world.tenant, item.pk))
    assert page.status_code == 200
    assert "<html" in text(page)
    response = leader.post(
        url("action_edit", world.tenant, item.pk),
        {
            "description": "Återkoppla hur ni vill arbeta med barnmedverkan.",
            "owner_people": [gov.chair.pk, gov.leader.pk],
            "owner_all": "on",
            "due_next_meeting": "on",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("action_detail", world.tenant, item.pk)
    item = reload(item)
    assert item.description == "Återkoppla hur ni vill arbeta med barnmedverkan."
    assert item.due_date is None
    assert item.due_next_meeting
    assert item.owner_all
    with scopes_disabled():
        assert set(item.owner_people.values_list("pk", flat=True)) == {gov.chair.pk, gov.leader.pk}
    [event] = audit_events(action="action_item.update", object_type="governance.actionitem")
    assert event.before["owner_people"] == [gov.member.pk]
    assert event.after["owner_people"] == sorted([gov.chair.pk, gov.leader.pk])
    assert event.after["due_next_meeting"] is True


def test_leader_edits_inline_with_htmx(world, gov, leader):
    item = action(world, gov)
    form = leader.get(url("action_edit", world.tenant, item.pk), **HTMX)
    assert starts_with_row(form, f"action-{item.pk}")
    response = leader.post(
        url("action_edit", world.tenant, item.pk),
        {"description": "Ny text", "owner_principal": world.principal.pk, "version": item.version},
        **HTMX,
    )
    assert starts_with_row(response, f"action-{item.pk}")
    assert "Ny text" in text(response)
    assert hx_trigger(response) == {"actionChanged": {"id": item.pk, "action": "update"}}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"description": "Ny text"}, "owner_people"),
        ({"description": "  ", "owner_all": "on"}, "description"),
        (
            {
                "description": "Ny text",
                "owner_all": "on",
                "due_date": "2025-05-01",
                "due_next_meeting": "on",
            },
            "due_date",
        ),
        ({"description": "Ny text", "owner_all": "on", "due_date": "snart"}, "due_date"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_edit_is_refused_on_its_field_and_nothing_is_written(
    world, gov, leader, data, field, headers
):
    item = action(world, gov)
    before = (rows(ActionItem), audit_count())
    response = leader.post(url("action_edit", world.tenant, item.pk), data, **headers)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert is_fragment(response) == bool(headers)
    assert (rows(ActionItem), audit_count()) == before


def test_an_owner_from_another_programme_is_refused(world, gov, other_gov, leader):
    item = action(world, gov)
    before = rows(ActionItem)
    response = leader.post(
        url("action_edit", world.tenant, item.pk),
        {"description": "Ny text", "owner_people": [other_gov.member.pk]},
    )
    assert response.status_code == 200
    assert "owner_people" in form_errors(response)
    assert rows(ActionItem) == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_edit(world, gov, client_for, role):
    item = action(world, gov)
    client = client_for(world.users[role])
    before = (rows(ActionItem), audit_count())
    assert client.get(url("action_edit", world.tenant, item.pk)).status_code == 403
    response = client.post(
        url("action_edit", world.tenant, item.pk), {"description": "Kapad", "owner_all": "on"}
    )
    assert response.status_code == 403
    assert (rows(ActionItem), audit_count()) == before


def test_editing_another_programmes_item_is_404(world, other_world, other_gov, leader):
    theirs = action(other_world, other_gov)
    before = rows(ActionItem)
    page = url("action_edit", world.tenant, theirs.pk)
    assert leader.get(page).status_code == 404
    assert leader.post(page, {"description": "Kapad", "owner_all": "on"}).status_code == 404
    assert rows(ActionItem) == before


# Archive and restore --------------------------------------------------------


def test_leader_archives_and_restores_an_item(world, gov, leader):
    item = action(world, gov)
    assert leader.get(url("action_archive", world.tenant, item.pk)).status_code == 200
    response = leader.post(url("action_archive", world.tenant, item.pk))
    assert response.status_code == 302
    assert reload(item).is_archived
    assert listed(leader.get(url("action_list", world.tenant))) == set()
    assert listed(leader.get(url("action_list", world.tenant, query="?archived=1"))) == {item.pk}

    response = leader.post(url("action_restore", world.tenant, item.pk), **HTMX)
    assert starts_with_row(response, f"action-{item.pk}")
    assert not reload(item).is_archived
    assert [e.action for e in audit_events(object_type="governance.actionitem")] == [
        "action_item.create",
        "action_item.archive",
        "action_item.restore",
    ]


def test_leader_archives_inline_with_htmx(world, gov, leader):
    item = action(world, gov)
    confirm = leader.get(url("action_archive", world.tenant, item.pk), **HTMX)
    assert starts_with_row(confirm, f"action-{item.pk}")
    response = leader.post(url("action_archive", world.tenant, item.pk), **HTMX)
    assert starts_with_row(response, f"action-{item.pk}")
    assert "is-archived" in text(response)
    assert hx_trigger(response) == {"actionChanged": {"id": item.pk, "action": "archive"}}


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_archive(world, gov, client_for, role):
    item = action(world, gov)
    client = client_for(world.users[role])
    before = audit_count()
    assert client.get(url("action_archive", world.tenant, item.pk)).status_code == 403
    assert client.post(url("action_archive", world.tenant, item.pk)).status_code == 403
    assert client.post(url("action_restore", world.tenant, item.pk)).status_code == 403
    assert not reload(item).is_archived
    assert audit_count() == before


def test_archiving_another_programmes_item_is_404(world, other_world, other_gov, leader):
    theirs = action(other_world, other_gov)
    assert leader.post(url("action_archive", world.tenant, theirs.pk)).status_code == 404
    assert leader.post(url("action_restore", world.tenant, theirs.pk)).status_code == 404
    assert not reload(theirs).is_archived


def test_a_principal_without_items_filters_to_nothing(world, gov, leader):
    action(world, gov, owner_all=True)
    action(world, gov, owner_principal=world.principal)
    empty = PrincipalFactory(tenant=world.tenant, name="Tom kommun", municipality_code="0999")
    assert _filtered(leader, world, f"?principal={empty.pk}") == set()
