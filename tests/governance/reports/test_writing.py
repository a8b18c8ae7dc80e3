"""Writing a status report (governance/views/reports.py): creating, editing,
and finished reports staying read-only."""

from __future__ import annotations

import datetime
import re

import pytest
from django_scopes import scopes_disabled

from governance.models import ReportActivity, ReportStatus, StatusReport
from portal.models import AuditEvent
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.governance.reports.helpers import (
    MARCH,
    NOT_WRITERS,
    at,
    grouped,
    make_risk,
    review,
    url,
    valid_report,
)
from tests.helpers import HTMX, audit_count, form_errors, is_fragment, reload, rows, text


def test_process_leader_starts_a_report(world, gov, leader):
    meeting = MeetingFactory(body=gov.body, starts_at=at(2025, 4, 8))
    item = AgendaItemFactory(meeting=meeting, title="Statusrapport")
    response = leader.post(
        url("report_create", world.tenant), valid_report(gov, presented_at=str(item.pk))
    )
    with scopes_disabled():
        report = StatusReport.objects.get(tenant=world.tenant)
        authors = set(report.authors.values_list("pk", flat=True))
        assert AuditEvent.objects.filter(
            object_id=str(report.pk), action="status_report.create"
        ).exists()
    assert response.status_code == 302
    assert response["Location"] == url("report_detail", world.tenant, report.pk)
    assert report.period == MARCH
    assert report.status == ReportStatus.DRAFT
    assert authors == {gov.leader.pk, gov.chair.pk}
    assert report.presented_at_id == item.pk
    assert report.next_steps == "Gemensamt möte 9/5."


def test_report_form_uses_a_month_picker_and_suggests_the_leader_as_author(world, gov, leader):
    body = text(leader.get(url("report_create", world.tenant)))
    assert re.search(r'<input type="month" name="period"', body)
    assert re.search(rf'value="{gov.leader.pk}"[^>]*checked', body)


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_process_leaders_start_reports(world, gov, client_for, role):
    before, events = rows(StatusReport), audit_count()
    client = client_for(world.users[role])
    assert client.get(url("report_create", world.tenant)).status_code == 403
    assert client.post(url("report_create", world.tenant), valid_report(gov)).status_code == 403
    assert rows(StatusReport) == before and audit_count() == events


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"period": "2025-13"}, "period"),
        ({"period": ""}, "period"),
        # so far off that the meetings around it are no dates (was a 500)
        ({"period": "9999-12-31"}, "period"),
        ({"period": "0001-01"}, "period"),
        ({"authors": []}, "authors"),
        ({"gut_feeling": "glad"}, "gut_feeling"),
    ],
)
def test_bad_report_is_refused_with_a_field_error(world, gov, leader, overrides, field):
    before, events = rows(StatusReport), audit_count()
    response = leader.post(url("report_create", world.tenant), valid_report(gov, **overrides))
    assert response.status_code == 200
    assert field in form_errors(response)
    assert rows(StatusReport) == before and audit_count() == events


def test_report_cannot_name_another_programmes_people_or_meetings(world, gov, other_gov, leader):
    item = AgendaItemFactory(meeting=MeetingFactory(body=other_gov.body, starts_at=at(2025, 4, 8)))
    before = rows(StatusReport)
    response = leader.post(
        url("report_create", world.tenant),
        valid_report(gov, authors=[str(other_gov.leader.pk)], presented_at=str(item.pk)),
    )
    assert response.status_code == 200
    assert {"authors", "presented_at"} <= set(form_errors(response))
    assert rows(StatusReport) == before


def test_presented_at_offers_every_meeting_grouped_newest_first(world, gov, leader):
    """“Togs upp vid” / “Presenterad vid”: not only meetings around the month."""
    near = AgendaItemFactory(meeting=MeetingFactory(body=gov.body, starts_at=at(2025, 4, 8)))
    old_meeting = MeetingFactory(body=gov.body, starts_at=at(2019, 2, 15))
    second = AgendaItemFactory(meeting=old_meeting, position=2, title="Statusrapport")
    first = AgendaItemFactory(meeting=old_meeting, position=1, title="Mötets öppnande")
    archived = MeetingFactory(body=gov.body, starts_at=at(2020, 1, 1), archived_at=at(2020, 2, 1))
    AgendaItemFactory(meeting=archived)
    response = leader.get(url("report_create", world.tenant, query="?period=2025-03"))
    assert grouped(response.context["form"].fields["presented_at"]) == [
        ("Styrgruppen, ordinarie möte 2025-04-08", [near.pk]),
        ("Styrgruppen, ordinarie möte 2019-02-15", [first.pk, second.pk]),
    ]
    assert '<optgroup label="Styrgruppen, ordinarie möte 2019-02-15">' in text(response)
    assert "2. Statusrapport (2019-02-15)" in text(response)

    response = leader.post(
        url("report_create", world.tenant), valid_report(gov, presented_at=str(second.pk))
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert StatusReport.objects.get(tenant=world.tenant).presented_at == second


def test_report_create_can_start_from_an_agenda_item(world, gov, other_gov, leader):
    item = AgendaItemFactory(meeting=MeetingFactory(body=gov.body, starts_at=at(2019, 2, 15)))
    response = leader.get(url("report_create", world.tenant, query=f"?presented_at={item.pk}"))
    assert re.search(rf'<option value="{item.pk}" selected>', text(response))
    assert 'value="2019-02"' in text(response)
    elsewhere = AgendaItemFactory(meeting=MeetingFactory(body=other_gov.body))
    query = f"?presented_at={elsewhere.pk}"
    assert leader.get(url("report_create", world.tenant, query=query)).status_code == 404


def test_report_create_for_htmx(world, gov, leader):
    response = leader.get(url("report_create", world.tenant), **HTMX)
    assert is_fragment(response)
    assert 'id="report-create-form"' in text(response)
    response = leader.post(url("report_create", world.tenant), valid_report(gov), **HTMX)
    with scopes_disabled():
        report = StatusReport.objects.get(tenant=world.tenant)
    assert response["HX-Redirect"] == url("report_detail", world.tenant, report.pk)


# Edit ---------------------------------------------------------------------


def test_process_leader_edits_a_draft(world, gov, leader, draft):
    response = leader.post(
        url("report_edit", world.tenant, draft.pk),
        valid_report(
            gov,
            period="2025-04",
            authors=[str(gov.chair.pk)],
            gut_feeling="positiv",
            version=draft.version,
        ),
    )
    assert response.status_code == 302
    after = reload(draft)
    assert (after.period, after.gut_feeling) == (datetime.date(2025, 4, 1), "positiv")
    with scopes_disabled():
        assert list(after.authors.values_list("pk", flat=True)) == [gov.chair.pk]


def test_edit_form_starts_from_the_report(world, gov, leader, draft):
    response = leader.get(url("report_edit", world.tenant, draft.pk))
    assert response.status_code == 200
    body = text(response)
    assert 'value="2025-03"' in body
    assert "Workshops i tre kommuner." in body


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_process_leaders_edit_reports(world, gov, client_for, draft, role):
    before, events = rows(StatusReport), audit_count()
    client = client_for(world.users[role])
    assert client.get(url("report_edit", world.tenant, draft.pk)).status_code == 403
    response = client.post(url("report_edit", world.tenant, draft.pk), valid_report(gov))
    assert response.status_code == 403
    assert rows(StatusReport) == before and audit_count() == events


def test_edit_of_another_programmes_report_is_404(world, gov, leader, other_report):
    before = rows(StatusReport)
    response = leader.post(url("report_edit", world.tenant, other_report.pk), valid_report(gov))
    assert response.status_code == 404
    assert rows(StatusReport) == before


def test_bad_edit_is_refused_with_a_field_error(world, gov, leader, draft):
    before, events = rows(StatusReport), audit_count()
    response = leader.post(
        url("report_edit", world.tenant, draft.pk), valid_report(gov, period="mars")
    )
    assert response.status_code == 200
    assert "period" in form_errors(response)
    assert rows(StatusReport) == before and audit_count() == events


# Finished reports are read-only ---------------------------------------------


def test_finished_report_forms_lead_back_to_the_report(world, leader, finished):
    detail = url("report_detail", world.tenant, finished.pk)
    for name in ("report_edit", "report_activities", "report_reviews", "report_finish"):
        response = leader.get(url(name, world.tenant, finished.pk))
        assert response.status_code == 302, name
        assert response["Location"] == detail
    body = text(leader.get(detail))
    for name in ("report_edit", "report_activities", "report_reviews", "report_finish"):
        assert url(name, world.tenant, finished.pk) not in body


def test_finished_report_refuses_every_change(world, gov, leader, finished):
    risk = make_risk(world, likelihood=2, consequence=2)
    checked = review(world, risk, datetime.date(2025, 2, 10), 2, 2)
    tables = (StatusReport, ReportActivity, StatusReport.authors.through)
    before = [rows(model) for model in tables]
    linked_before = rows(StatusReport.risk_reviews.through)
    events = audit_count()

    posts = {
        "report_edit": valid_report(
            gov, period="2025-02", results="Ändrat i efterhand.", version=finished.version
        ),
        "report_activities": {
            f"principal_{world.principal.pk}": "Tillagt i efterhand.",
            "version": finished.version,
        },
        "report_reviews": {"reviews": [str(checked.pk)], "version": finished.version},
        "report_finish": {},
    }
    for name, data in posts.items():
        response = leader.post(url(name, world.tenant, finished.pk), data)
        assert response.status_code == 200, name
        assert response.context["form"].non_field_errors(), name
    assert [rows(model) for model in tables] == before
    assert rows(StatusReport.risk_reviews.through) == linked_before
    assert audit_count() == events
