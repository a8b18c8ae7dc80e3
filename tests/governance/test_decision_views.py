"""The decision register in the browser: who sees which decisions, the filters
(shareable URLs, htmx-refreshed results), pagination, and repealing a
decision, optionally replaced by a later one.

Every view: it works for the right role; another programme gets 404; too
little role gets 403 and writes nothing; bad input gets a field error and
writes nothing; htmx gets a fragment.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from governance.models import Decision, DecisionStatus, MinutesStatus, MinutesVersion
from portal.models import AuditEvent
from tests.governance.factories import BodyFactory, DecisionFactory, MeetingFactory
from tests.helpers import (
    HTMX,
    audit_count,
    form_errors,
    hx_trigger,
    is_fragment,
    reload,
    rows,
    starts_with_row,
    text,
    url_in,
)

ROLES = ["leader", "steering", "reporter", "researcher", "admin"]
NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]


url = url_in("governance")


def meeting(body, minutes_status=MinutesStatus.APPROVED, **kwargs):
    return MeetingFactory(body=body, minutes_status=minutes_status, **kwargs)


def decision(body, minutes_status=MinutesStatus.APPROVED, **kwargs) -> Decision:
    """A decision recorded at a meeting of `body` whose minutes are in `minutes_status`."""
    at = kwargs.pop("meeting", None) or meeting(body, minutes_status)
    return DecisionFactory(meeting=at, body=body, **kwargs)


def listed(response) -> set[int]:
    """The ids of the decisions in the register's rows."""
    return {int(pk) for pk in re.findall(r'<tr id="decision-(\d+)"', text(response))}


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


# Who sees which decisions ---------------------------------------------------


@pytest.fixture
def by_minutes(gov):
    """One decision from minutes in each state."""
    return {
        status: decision(gov.body, status, text=f"Beslut ur {status}")
        for status in MinutesStatus.values
    }


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("leader", {"utkast", "fardigstalld", "justerad"}),
        ("steering", {"fardigstalld", "justerad"}),
        ("researcher", {"fardigstalld", "justerad"}),
        ("admin", {"fardigstalld", "justerad"}),
        ("reporter", {"justerad"}),
    ],
)
def test_each_role_sees_the_decisions_of_the_minutes_it_may_read(
    world, client_for, by_minutes, role, visible
):
    response = client_for(world.users[role]).get(url("decision_list", world.tenant))
    assert response.status_code == 200
    assert listed(response) == {by_minutes[s].pk for s in visible}
    if "utkast" not in visible:
        assert "Beslut ur utkast" not in text(response)


@pytest.mark.parametrize("role", ["steering", "reporter"])
def test_decisions_stay_visible_while_approved_minutes_are_revised(world, gov, client_for, role):
    """Revising approved minutes puts them back in draft; what was approved stays public."""
    revised = decision(gov.body, MinutesStatus.DRAFT)
    with scopes_disabled():
        MinutesVersion.objects.create(
            tenant=world.tenant,
            meeting=revised.meeting,
            number=1,
            content={},
            approved_at=timezone.now(),
        )
    response = client_for(world.users[role]).get(url("decision_list", world.tenant))
    assert listed(response) == {revised.pk}


def test_decisions_of_archived_meetings_are_for_process_leaders_only(world, gov, client_for):
    withdrawn = decision(gov.body, meeting=meeting(gov.body, archived_at=timezone.now()))
    steering = client_for(world.users["steering"]).get(url("decision_list", world.tenant))
    leader = client_for(world.users["leader"]).get(url("decision_list", world.tenant))
    assert withdrawn.pk not in listed(steering)
    assert withdrawn.pk in listed(leader)


def test_the_register_never_shows_another_programme(world, gov, other_gov, leader):
    ours = decision(gov.body)
    decision(other_gov.body)
    assert listed(leader.get(url("decision_list", world.tenant))) == {ours.pk}


# What a row shows -----------------------------------------------------------


def test_a_row_shows_reference_date_body_text_status_and_the_meeting(world, gov, leader):
    at = meeting(gov.body)
    item = decision(
        gov.body,
        meeting=at,
        year=2025,
        number=12,
        decided_on=datetime.date(2025, 3, 25),
        text="Styrgruppen beslutar att anta tidsplanen.",
    )
    body = text(leader.get(url("decision_list", world.tenant)))
    assert '<th scope="row" class="nowrap">SG 2025 §12</th>' in body
    assert 'datetime="2025-03-25"' in body
    assert "Styrgruppen beslutar att anta tidsplanen." in body
    assert gov.body.name in body
    assert f'href="{url("meeting_detail", world.tenant, at.pk)}#decision-{item.pk}"' in body
    assert '<th scope="col">' in body
    assert "<caption" in body


def test_a_replaced_decision_links_to_its_replacement(world, gov, leader):
    newer = decision(gov.body, year=2025, number=14, decided_on=datetime.date(2025, 6, 1))
    older = decision(
        gov.body,
        year=2025,
        number=3,
        decided_on=datetime.date(2025, 2, 1),
        status=DecisionStatus.REPEALED,
        replaced_by=newer,
    )
    body = text(leader.get(url("decision_list", world.tenant)))
    link = url("decision_list", world.tenant, query="?q=" + quote("SG 2025 §14"))
    row = re.search(rf'<tr id="decision-{older.pk}".*?</tr>', body, re.S)
    assert row is not None
    assert f'href="{link}">SG 2025 §14</a>' in row.group(0)


def test_a_replacement_in_draft_minutes_is_not_named_to_steering(world, gov, client_for):
    draft = decision(gov.body, MinutesStatus.DRAFT, number=20, decided_on=datetime.date(2025, 9, 1))
    older = decision(gov.body, number=2, status=DecisionStatus.REPEALED, replaced_by=draft)
    body = text(client_for(world.users["steering"]).get(url("decision_list", world.tenant)))
    assert f'id="decision-{older.pk}"' in body
    assert "SG 2025 §20" not in body


def test_repeal_controls_are_for_process_leaders_only(world, gov, client_for):
    item = decision(gov.body)
    leader = text(client_for(world.users["leader"]).get(url("decision_list", world.tenant)))
    steering = text(client_for(world.users["steering"]).get(url("decision_list", world.tenant)))
    repeal = url("decision_repeal", world.tenant, item.pk)
    assert f'href="{repeal}"' in leader
    assert f'<span class="visually-hidden"> {item.reference}</span>' in leader
    assert repeal not in steering


# Filters --------------------------------------------------------------------


@pytest.fixture
def register(world, gov):
    """Decisions of two bodies over two years, one repealed."""
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    return {
        "sg_2024": decision(
            gov.body,
            year=2024,
            number=7,
            decided_on=datetime.date(2024, 11, 5),
            text="Godkänna processplanen för 2025.",
        ),
        "sg_2025": decision(
            gov.body,
            year=2025,
            number=12,
            decided_on=datetime.date(2025, 3, 25),
            text="Anta tidsplanen för barnmedverkan.",
        ),
        "scn_2025": decision(
            network,
            year=2025,
            number=2,
            decided_on=datetime.date(2025, 4, 2),
            text="Tvärgruppen utökas med chefer från förskolan.",
            status=DecisionStatus.REPEALED,
        ),
        "network": network,
    }


def _filtered(client, world, query: str) -> set[int]:
    response = client.get(url("decision_list", world.tenant, query=query))
    assert response.status_code == 200
    return listed(response)


def test_filter_by_body(world, leader, register):
    query = f"?body={register['network'].pk}"
    assert _filtered(leader, world, query) == {register["scn_2025"].pk}


def test_filter_by_year(world, leader, register):
    assert _filtered(leader, world, "?year=2024") == {register["sg_2024"].pk}


def test_filter_by_status(world, leader, register):
    assert _filtered(leader, world, "?status=upphavd") == {register["scn_2025"].pk}
    assert _filtered(leader, world, "?status=gallande") == {
        register["sg_2024"].pk,
        register["sg_2025"].pk,
    }


def test_filter_by_words_in_the_text(world, leader, register):
    assert _filtered(leader, world, "?q=TIDSPLANEN") == {register["sg_2025"].pk}


def test_filter_by_reference(world, leader, register):
    assert _filtered(leader, world, "?q=" + quote("sg 2024 § 7")) == {register["sg_2024"].pk}


def test_filters_combine(world, gov, leader, register):
    query = f"?body={gov.body.pk}&year=2025&status=gallande&q=tidsplanen"
    assert _filtered(leader, world, query) == {register["sg_2025"].pk}


def test_the_year_filter_offers_only_years_with_decisions(world, leader, register):
    body = text(leader.get(url("decision_list", world.tenant)))
    assert '<option value="2024">2024</option>' in body
    assert '<option value="2023">' not in body


def test_another_programmes_body_is_an_invalid_filter_and_ignored(
    world, other_gov, leader, register
):
    response = leader.get(url("decision_list", world.tenant, query=f"?body={other_gov.body.pk}"))
    assert response.status_code == 200
    assert "body" in form_errors(response)
    assert listed(response) == {register[k].pk for k in ("sg_2024", "sg_2025", "scn_2025")}


def test_filters_refresh_only_the_results_for_htmx(world, gov, leader, register):
    response = leader.get(
        url("decision_list", world.tenant, query="?year=2024"),
        HTTP_HX_TARGET="decision-results",
        **HTMX,
    )
    body = text(response)
    assert is_fragment(response)
    assert 'id="decision-results"' in body
    assert "<form" not in body.split('id="decision-results"')[0]
    assert 'hx-swap-oob="innerHTML"' in body  # the live result count
    assert listed(response) == {register["sg_2024"].pk}
    assert "HX-Request" in response["Vary"]


def test_the_filter_form_pushes_its_url_and_works_without_javascript(world, leader, register):
    body = text(leader.get(url("decision_list", world.tenant)))
    form = re.search(r'<form method="get"[^>]*>', body)
    assert form is not None
    assert f'action="{url("decision_list", world.tenant)}"' in form.group(0)
    assert 'hx-push-url="true"' in form.group(0)
    assert 'hx-target="#decision-results"' in form.group(0)
    assert 'role="status"' in body


def test_back_button_history_restore_gets_the_full_page(world, leader, register):
    response = leader.get(
        url("decision_list", world.tenant, query="?year=2024"),
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        **HTMX,
    )
    assert "<html" in text(response)
    assert listed(response) == {register["sg_2024"].pk}


# Pagination -----------------------------------------------------------------


def test_the_register_is_paginated_by_fifty_with_accessible_links(world, gov, leader):
    at = meeting(gov.body)
    for number in range(1, 52):
        DecisionFactory(meeting=at, body=gov.body, number=number)
    first = leader.get(url("decision_list", world.tenant, query="?status=gallande"))
    second = leader.get(url("decision_list", world.tenant, query="?status=gallande&page=2"))
    assert len(listed(first)) == 50
    assert len(listed(second)) == 1
    body = text(first)
    assert '<nav class="pagination" aria-label=' in body
    assert 'aria-current="page"' in body
    assert 'href="?status=gallande&amp;page=2"' in body  # keeps the filters
    assert 'rel="next"' in body
    assert "51" in text(first).split('id="decision-count"')[1][:200]


# Query count ----------------------------------------------------------------

# Session, user, tenant, membership; the years, the bodies of the filter, the
# count and the page (each row's body, meeting and replacement come along).
DECISION_LIST_QUERIES = 8


@pytest.mark.parametrize("extra", [1, 15])
def test_decision_list_costs_the_same_for_few_and_many(
    world, gov, leader, django_assert_num_queries, extra
):
    bodies = [gov.body, BodyFactory(tenant=world.tenant)]
    replacement = decision(gov.body, number=999, decided_on=datetime.date(2025, 12, 1))
    for i in range(extra):
        decision(
            bodies[i % 2],
            year=2020 + i % 5,
            status=DecisionStatus.REPEALED,
            replaced_by=replacement,
        )
    with django_assert_num_queries(DECISION_LIST_QUERIES):
        response = leader.get(url("decision_list", world.tenant))
    assert len(listed(response)) == extra + 1


# Repeal ---------------------------------------------------------------------


@pytest.fixture
def pair(gov):
    """An older decision and a later one that can replace it."""
    older = decision(gov.body, year=2025, number=3, decided_on=datetime.date(2025, 2, 1))
    newer = decision(gov.body, year=2025, number=9, decided_on=datetime.date(2025, 5, 1))
    return older, newer


def test_leader_repeals_with_a_replacement_without_javascript(world, leader, pair):
    older, newer = pair
    page = leader.get(url("decision_repeal", world.tenant, older.pk))
    assert page.status_code == 200
    assert "<html" in text(page)

    response = leader.post(
        url("decision_repeal", world.tenant, older.pk), {"replaced_by": newer.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == url("decision_list", world.tenant)
    older = reload(older)
    assert older.status == DecisionStatus.REPEALED
    assert older.replaced_by_id == newer.pk
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(action="decision.repeal", object_id=str(older.pk))
    assert event.actor == world.users["leader"]
    assert event.after["replaced_by_id"] == newer.pk


def test_leader_repeals_without_a_replacement(world, leader, pair):
    older, _ = pair
    response = leader.post(url("decision_repeal", world.tenant, older.pk), {"replaced_by": ""})
    assert response.status_code == 302
    assert reload(older).status == DecisionStatus.REPEALED
    assert reload(older).replaced_by_id is None


def test_leader_repeals_inline_with_htmx(world, leader, pair):
    older, newer = pair
    form = leader.get(url("decision_repeal", world.tenant, older.pk), **HTMX)
    assert is_fragment(form)
    assert starts_with_row(form, f"decision-{older.pk}")
    assert f'hx-target="#decision-{older.pk}"' in text(form)

    response = leader.post(
        url("decision_repeal", world.tenant, older.pk), {"replaced_by": newer.pk}, **HTMX
    )

    assert response.status_code == 200
    assert starts_with_row(response, f"decision-{older.pk}")
    assert newer.reference in text(response)
    assert 'hx-swap-oob="innerHTML"' in text(response)  # announced in the live region
    assert hx_trigger(response) == {"decisionChanged": {"id": older.pk, "action": "repeal"}}


def test_the_replacement_can_only_be_a_later_decision_of_the_programme(
    world, gov, other_gov, leader, pair
):
    older, newer = pair
    earlier = decision(gov.body, year=2025, number=1, decided_on=datetime.date(2025, 1, 10))
    foreign = decision(other_gov.body, decided_on=datetime.date(2025, 12, 1))
    page = text(leader.get(url("decision_repeal", world.tenant, older.pk)))
    options = set(re.findall(r'<option value="(\d+)"', page))
    assert options == {str(newer.pk)}
    for bad in (earlier, foreign, older):
        before = rows(Decision)
        response = leader.post(
            url("decision_repeal", world.tenant, older.pk), {"replaced_by": bad.pk}
        )
        assert response.status_code == 200
        assert "replaced_by" in form_errors(response)
        assert rows(Decision) == before
    assert audit_count() == 0


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_repealing_twice_is_refused_and_changes_nothing(world, gov, leader, pair, headers):
    _older, newer = pair
    repealed = decision(
        gov.body, status=DecisionStatus.REPEALED, decided_on=datetime.date(2024, 1, 1)
    )
    before = rows(Decision)
    response = leader.post(
        url("decision_repeal", world.tenant, repealed.pk), {"replaced_by": newer.pk}, **headers
    )
    assert response.status_code == 200
    assert "replaced_by" in form_errors(response)
    assert is_fragment(response) == bool(headers)
    assert rows(Decision) == before
    assert audit_count() == 0


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_repeal(world, client_for, pair, role):
    older, newer = pair
    client = client_for(world.users[role])
    before = rows(Decision)
    assert client.get(url("decision_repeal", world.tenant, older.pk)).status_code == 403
    response = client.post(
        url("decision_repeal", world.tenant, older.pk), {"replaced_by": newer.pk}
    )
    assert response.status_code == 403
    assert rows(Decision) == before
    assert audit_count() == 0


def test_repealing_another_programmes_decision_is_404(world, other_gov, leader):
    theirs = decision(other_gov.body)
    before = rows(Decision)
    assert leader.get(url("decision_repeal", world.tenant, theirs.pk)).status_code == 404
    assert leader.post(url("decision_repeal", world.tenant, theirs.pk), {}).status_code == 404
    assert rows(Decision) == before


def test_repeal_in_another_programme_is_404(world, other_world, client_for, pair):
    older, _ = pair
    client = client_for(other_world.users["leader"])
    assert client.post(url("decision_repeal", world.tenant, older.pk), {}).status_code == 404
    assert reload(older).status == DecisionStatus.IN_FORCE
