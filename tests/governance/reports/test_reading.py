"""Reading status reports (governance/views/reports.py): the list and one report."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scope

from governance.services import reports as report_services
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.governance.reports.helpers import (
    NOT_LEADERS,
    READERS,
    REPORT_DETAIL_QUERIES,
    REPORT_LIST_QUERIES,
    _detailed_report,
    at,
    backdate,
    make_report,
    make_risk,
    review,
    url,
)
from tests.governance.risk_helpers import cell
from tests.helpers import HTMX, is_fragment, text

# List ---------------------------------------------------------------------


def test_process_leaders_see_drafts_and_finished_reports_newest_first(
    world, leader, draft, finished
):
    response = leader.get(url("report_list", world.tenant))
    assert response.status_code == 200
    body = text(response)
    assert body.index(f'id="report-{draft.pk}"') < body.index(f'id="report-{finished.pk}"')


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_others_see_only_finished_reports(world, client_for, draft, finished, role):
    response = client_for(world.users[role]).get(url("report_list", world.tenant))
    assert response.status_code == 200
    assert f'id="report-{finished.pk}"' in text(response)
    assert f'id="report-{draft.pk}"' not in text(response)
    assert url("report_detail", world.tenant, draft.pk) not in text(response)


def test_reporters_get_403_on_reports(world, client_for, finished):
    client = client_for(world.users["reporter"])
    assert client.get(url("report_list", world.tenant)).status_code == 403
    assert client.get(url("report_detail", world.tenant, finished.pk)).status_code == 403


def test_report_list_never_shows_another_programmes_reports(world, leader, other_report):
    assert f'id="report-{other_report.pk}"' not in text(
        leader.get(url("report_list", world.tenant))
    )


def test_report_list_for_htmx_is_the_listing_fragment(world, leader, draft):
    response = leader.get(url("report_list", world.tenant), **HTMX)
    assert is_fragment(response)
    assert 'id="report-listing"' in text(response)


def test_report_list_shows_new_report_link_only_to_process_leaders(world, client_for, finished):
    create = url("report_create", world.tenant)
    assert create in text(client_for(world.users["leader"]).get(url("report_list", world.tenant)))
    assert create not in text(
        client_for(world.users["steering"]).get(url("report_list", world.tenant))
    )


@pytest.mark.parametrize("count", [1, 10])
def test_report_list_costs_the_same_for_few_and_many(
    world, gov, leader, django_assert_num_queries, count
):
    item = AgendaItemFactory(meeting=MeetingFactory(body=gov.body))
    for i in range(count):
        make_report(
            world,
            gov,
            period=datetime.date(2020 + i // 12, 1 + i % 12, 1),
            authors=[gov.leader, gov.chair],
            presented_at=item,
            finished=i % 2 == 0,
        )
    with django_assert_num_queries(REPORT_LIST_QUERIES):
        response = leader.get(url("report_list", world.tenant))
    assert text(response).count('<tr id="report-') == count


# Detail -------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_readers_see_a_finished_report(world, client_for, finished, role):
    response = client_for(world.users[role]).get(url("report_detail", world.tenant, finished.pk))
    assert response.status_code == 200
    assert "Workshops i tre kommuner." in text(response)


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_drafts_are_invisible_to_all_but_process_leaders(world, client_for, draft, role):
    response = client_for(world.users[role]).get(url("report_detail", world.tenant, draft.pk))
    assert response.status_code == 404
    assert "Workshops i tre kommuner." not in text(response)


def test_report_of_another_programme_is_404(
    world, other_world, other_gov, client_for, leader, finished
):
    elsewhere = make_report(other_world, other_gov, finished=True)
    assert leader.get(url("report_detail", world.tenant, elsewhere.pk)).status_code == 404
    stranger = client_for(other_world.users["leader"])
    assert stranger.get(url("report_detail", world.tenant, finished.pk)).status_code == 404


def test_report_detail_shows_everything(world, gov, leader):
    meeting = MeetingFactory(body=gov.body, title="Styrgruppsmöte april", starts_at=at(2025, 4, 8))
    item = AgendaItemFactory(meeting=meeting, position=2, title="Statusrapport")
    risk = make_risk(world, title="Bifall saknas", likelihood=3, consequence=4)
    checked = review(world, risk, datetime.date(2025, 3, 20), 3, 4, note="Inget svar ännu.")
    report = make_report(
        world,
        gov,
        authors=[gov.leader, gov.chair],
        gut_feeling="positiv",
        gut_feeling_text="Bra fart i kommunerna.",
        next_steps="Workshop i Oxelösund följs upp.",
        presented_at=item,
    )
    with scope(tenant=world.tenant):
        report_services.report_set_activities(
            actor=world.users["leader"],
            report=report,
            activities={world.principal: "Informerade rektorsgruppen."},
        )
        report_services.report_link_reviews(
            actor=world.users["leader"], report=report, reviews=[checked]
        )
    response = leader.get(url("report_detail", world.tenant, report.pk))
    body = text(response)
    for expected in (
        gov.leader.name,
        gov.chair.name,
        "Workshops i tre kommuner.",
        "gut-feeling--positiv",
        "Bra fart i kommunerna.",
        "Workshop i Oxelösund följs upp.",
        world.principal.name,
        "Informerade rektorsgruppen.",
        f'id="report-review-{checked.pk}"',
        "Inget svar ännu.",
        "2025-03-20",
        "Styrgruppsmöte april",
    ):
        assert expected in body, expected
    assert risk.title in cell(body, 3, 4)
    assert response.context["matrix"].total == 1


def test_report_detail_for_htmx_is_the_report_fragment(world, leader, draft):
    response = leader.get(url("report_detail", world.tenant, draft.pk), **HTMX)
    assert is_fragment(response)
    assert 'id="report"' in text(response)


def test_matrix_of_a_finished_report_stays_as_it_was(world, gov, leader):
    reviewed = make_risk(world, title="Granskad risk", likelihood=1, consequence=1)
    untouched = make_risk(world, title="Ogranskad risk", likelihood=3, consequence=4)
    later = make_risk(world, title="Senare risk", likelihood=4, consequence=4)
    for risk in (reviewed, untouched):
        backdate(risk, created_at=at(2025, 1, 10), raised_on=datetime.date(2025, 1, 10))
    review(world, reviewed, datetime.date(2025, 3, 1), 2, 3)
    report = make_report(world, gov, finished=True)
    # After the report: both risks are reassessed, one is even reviewed with a
    # date in the report's month, and the one raised later stays out.
    review(world, reviewed, datetime.date(2025, 5, 1), 4, 1)
    review(world, untouched, datetime.date(2025, 5, 1), 1, 1)
    review(world, untouched, datetime.date(2025, 3, 30), 1, 2)
    backdate(untouched, title="Omdöpt risk")

    body = text(leader.get(url("report_detail", world.tenant, report.pk)))
    assert reviewed.title in cell(body, 2, 3)
    assert untouched.title in cell(body, 3, 4)  # as raised, from its audited creation
    assert later.title not in body

    now = text(leader.get(url("risk_list", world.tenant)))
    assert reviewed.title in cell(now, 4, 1)
    assert "Omdöpt risk" in cell(now, 1, 1)


@pytest.mark.parametrize("count", [1, 8])
def test_report_detail_costs_the_same_for_few_and_many(
    world, gov, leader, django_assert_num_queries, count
):
    report = _detailed_report(world, gov, count)
    with django_assert_num_queries(REPORT_DETAIL_QUERIES):
        response = leader.get(url("report_detail", world.tenant, report.pk))
    body = text(response)
    assert body.count('<tr id="report-review-') == count
    assert response.context["matrix"].total == count
