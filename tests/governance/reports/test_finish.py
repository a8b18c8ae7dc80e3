"""Finishing a status report (governance/views/reports.py), and the service
guards behind the views."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scope, scopes_disabled

from governance.models import ReportActivity, ReportStatus, RiskReview, StatusReport
from governance.services import reports as report_services
from governance.services import risks as risk_services
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.governance.reports.helpers import (
    MARCH,
    NOT_WRITERS,
    at,
    backdate,
    make_risk,
    review,
    url,
)
from tests.helpers import HTMX, audit_count, is_fragment, reload, rows, text

# Finish -------------------------------------------------------------------


def test_process_leader_finishes_a_report_and_the_steering_group_can_read_it(
    world, client_for, leader, draft
):
    steering = client_for(world.users["steering"])
    assert steering.get(url("report_detail", world.tenant, draft.pk)).status_code == 404
    assert leader.get(url("report_finish", world.tenant, draft.pk)).status_code == 200
    response = leader.post(url("report_finish", world.tenant, draft.pk))
    assert response.status_code == 302
    after = reload(draft)
    assert after.status == ReportStatus.FINISHED and after.finished_at is not None
    assert steering.get(url("report_detail", world.tenant, draft.pk)).status_code == 200


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_process_leaders_finish_reports(world, client_for, draft, role):
    before, events = rows(StatusReport), audit_count()
    client = client_for(world.users[role])
    assert client.get(url("report_finish", world.tenant, draft.pk)).status_code == 403
    assert client.post(url("report_finish", world.tenant, draft.pk)).status_code == 403
    assert rows(StatusReport) == before and audit_count() == events


def test_finish_of_another_programmes_report_is_404(world, leader, other_report):
    assert leader.post(url("report_finish", world.tenant, other_report.pk)).status_code == 404
    assert reload(other_report).status == ReportStatus.DRAFT


def test_finish_for_htmx_redirects_to_the_report(world, leader, draft):
    response = leader.get(url("report_finish", world.tenant, draft.pk), **HTMX)
    assert is_fragment(response)
    response = leader.post(url("report_finish", world.tenant, draft.pk), **HTMX)
    assert response["HX-Redirect"] == url("report_detail", world.tenant, draft.pk)


def test_reviews_linked_to_a_report_stay_when_the_risk_is_reviewed_again(
    world, leader, draft, reviews
):
    leader.post(
        url("report_reviews", world.tenant, draft.pk),
        {"reviews": [str(reviews[0].pk)], "version": draft.version},
    )
    leader.post(url("report_finish", world.tenant, draft.pk))
    review(world, reviews[0].risk, datetime.date(2025, 6, 1), 1, 1, note="Senare.")
    body = text(leader.get(url("report_detail", world.tenant, draft.pk)))
    assert "Inget svar." in body and "Senare." not in body
    with scopes_disabled():
        assert RiskReview.objects.filter(risk=reviews[0].risk).count() == 3


def test_meeting_page_selector_lists_reports_presented_there(world, gov, draft, finished):
    from governance.selectors.reports import reports_presented_at_meeting

    meeting = MeetingFactory(body=gov.body, starts_at=at(2025, 4, 8))
    item = AgendaItemFactory(meeting=meeting)
    for report in (draft, finished):
        backdate(report, presented_at=item)
    with scope(tenant=world.tenant):
        everything = reports_presented_at_meeting(
            tenant=world.tenant, meeting=meeting, include_drafts=True
        )
        assert {r.pk for r in everything} == {draft.pk, finished.pk}
        readable = reports_presented_at_meeting(
            tenant=world.tenant, meeting=meeting, include_drafts=False
        )
        assert [r.pk for r in readable] == [finished.pk]


# Service guards behind the views --------------------------------------------


def test_services_refuse_another_programmes_rows(world, other_world, gov, other_gov, draft):
    from portal.services import DomainError

    foreign_risk = make_risk(other_world, title="Annat program")
    foreign_review = review(other_world, foreign_risk, datetime.date(2025, 3, 5), 1, 1)
    own_risk = make_risk(world)
    events = audit_count()
    with scope(tenant=world.tenant):
        attempts = [
            lambda: report_services.report_link_reviews(
                actor=world.users["leader"], report=draft, reviews=[foreign_review]
            ),
            lambda: report_services.report_set_activities(
                actor=world.users["leader"],
                report=draft,
                activities={other_world.principal: "Fel program."},
            ),
            lambda: report_services.report_update(
                actor=world.users["leader"], report=draft, authors=[other_gov.leader]
            ),
            lambda: report_services.report_create(
                actor=world.users["leader"],
                tenant=world.tenant,
                period=MARCH,
                authors=[other_gov.leader],
            ),
            lambda: risk_services.risk_update(
                actor=world.users["leader"], risk=own_risk, owner=other_gov.leader
            ),
        ]
        for attempt in attempts:
            with pytest.raises(DomainError):
                attempt()
    assert audit_count() == events
    assert rows(StatusReport.risk_reviews.through) == []
    assert rows(ReportActivity) == []


def test_a_report_finished_meanwhile_refuses_a_stale_change(world, gov, draft):
    from portal.services import DomainError

    with scope(tenant=world.tenant):
        stale = StatusReport.objects.get(pk=draft.pk)
        report_services.report_finish(actor=world.users["leader"], report=draft)
        with pytest.raises(DomainError):
            report_services.report_update(
                actor=world.users["leader"], report=stale, results="För sent."
            )
    assert reload(draft).results == "Workshops i tre kommuner."
