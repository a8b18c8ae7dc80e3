"""A status report written before the meeting is presented under an agenda
item with one choice, so the minutes show it in full and nobody types it
again (issue 12, item 6): the service's rules and the view."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from governance.models import MinutesStatus
from governance.services import minutes as minutes_services
from governance.services import reports as report_services
from portal.services import DomainError
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.helpers import HTMX, audit_count, form_errors, reload
from tests.helpers import url as url_of

OCTOBER = datetime.date(2025, 10, 1)


def url(item) -> str:
    return url_of("governance:agenda_report_present", item)


def _report(world, gov, *, period=OCTOBER, finished=True, results="Fyra kommuner har börjat."):
    with scope(tenant=world.tenant):
        report = report_services.report_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            period=period,
            authors=[gov.leader],
            results=results,
        )
        if finished:
            report = report_services.report_finish(actor=world.users["leader"], report=report)
    return report


@pytest.fixture
def item(gov):
    meeting = MeetingFactory(body=gov.body)
    return AgendaItemFactory(meeting=meeting, title="Statusrapport")


@pytest.mark.django_db
def test_a_finished_report_is_presented_and_shown_in_the_minutes(world, gov, item):
    report = _report(world, gov)
    with scope(tenant=world.tenant):
        report_services.report_present(actor=world.users["leader"], report=report, agenda_item=item)
        content = minutes_services.minutes_content(item.meeting)
    assert reload(report).presented_at_id == item.pk
    (under,) = [i for i in content["agenda"] if i["id"] == item.pk]
    assert [r["results"] for r in under["reports"]] == ["Fyra kommuner har börjat."]


@pytest.mark.django_db
def test_a_report_presented_elsewhere_is_refused(world, gov, item):
    report = _report(world, gov)
    other = AgendaItemFactory(meeting=MeetingFactory(body=gov.body), title="Rapport")
    with scope(tenant=world.tenant), translation.override("en"):
        report_services.report_present(
            actor=world.users["leader"], report=report, agenda_item=other
        )
        with pytest.raises(DomainError, match="already presented"):
            report_services.report_present(
                actor=world.users["leader"], report=report, agenda_item=item
            )
    assert reload(report).presented_at_id == other.pk


@pytest.mark.django_db
def test_approved_minutes_are_not_changed(world, gov, item):
    report = _report(world, gov)
    meeting = item.meeting
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.save(update_fields=["minutes_status"])
    with scope(tenant=world.tenant), pytest.raises(DomainError):
        report_services.report_present(
            actor=world.users["leader"], report=report, agenda_item=reload(item)
        )
    assert reload(report).presented_at_id is None


@pytest.mark.django_db
def test_another_programmes_item_is_refused(world, gov, other_world, other_gov):
    report = _report(world, gov)
    foreign = AgendaItemFactory(meeting=MeetingFactory(body=other_gov.body))
    with pytest.raises(Exception):  # noqa: B017 — the tenancy guard, whatever its type
        report_services.report_present(
            actor=world.users["leader"], report=report, agenda_item=foreign
        )
    assert reload(report).presented_at_id is None


@pytest.mark.django_db
def test_the_leader_picks_the_report_under_the_item(world, gov, item, client_for):
    older = _report(world, gov, period=datetime.date(2025, 9, 1))
    report = _report(world, gov)
    client = client_for(world.users["leader"])
    form = client.get(url(item), **HTMX)
    assert form.status_code == 200
    page = form.content.decode()
    assert f'value="{report.pk}"' in page and f'value="{older.pk}"' in page
    before = audit_count()
    response = client.post(url(item), {"report": report.pk}, **HTMX)
    assert response.status_code == 200
    assert "Fyra kommuner har börjat." in response.content.decode()
    assert reload(report).presented_at_id == item.pk
    assert audit_count() == before + 1
    # A report once presented is no longer offered.
    assert f'value="{report.pk}"' not in client.get(url(item)).content.decode()


@pytest.mark.django_db
def test_without_htmx_the_leader_goes_back_to_the_item(world, gov, item, client_for):
    report = _report(world, gov)
    response = client_for(world.users["leader"]).post(url(item), {"report": report.pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#agenda-item-{item.pk}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["steering", "reporter", "researcher", "admin"])
def test_too_little_role_gets_403(world, gov, item, client_for, role):
    report = _report(world, gov)
    client = client_for(world.users[role])
    assert client.get(url(item)).status_code == 403
    assert client.post(url(item), {"report": report.pk}).status_code == 403
    assert reload(report).presented_at_id is None


@pytest.mark.django_db
def test_another_programme_gets_404(world, gov, other_gov, client_for):
    foreign = AgendaItemFactory(meeting=MeetingFactory(body=other_gov.body))
    client = client_for(world.users["leader"])
    assert client.get(url(foreign)).status_code == 404
    assert client.post(url(foreign), {"report": 1}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_bad_input_gets_an_error_and_changes_nothing(world, gov, item, client_for, value):
    report = _report(world, gov)
    before = audit_count()
    response = client_for(world.users["leader"]).post(url(item), {"report": value}, **HTMX)
    assert response.status_code == 200
    assert form_errors(response)["report"]
    assert reload(report).presented_at_id is None
    assert audit_count() == before


@pytest.mark.django_db
def test_another_programmes_report_is_not_offered_nor_taken(
    world, gov, item, other_world, other_gov, client_for
):
    foreign = _report(other_world, other_gov)
    client = client_for(world.users["leader"])
    assert f'value="{foreign.pk}"' not in client.get(url(item)).content.decode()
    response = client.post(url(item), {"report": foreign.pk}, **HTMX)
    assert form_errors(response)["report"]
    assert reload(foreign).presented_at_id is None


@pytest.mark.django_db
def test_the_meeting_page_offers_it(world, gov, item, client_for):
    page = client_for(world.users["leader"]).get(
        reverse("governance:meeting_detail", args=[world.tenant.slug, item.meeting.pk])
    )
    assert url(item) in page.content.decode()
