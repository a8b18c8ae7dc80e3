"""Monthly status reports: authors, the month, activities per principal,
reviewed risks, and finishing (after which the report is immutable)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import ReportActivity, ReportStatus, StatusReport
from governance.services import DomainError, meetings, reports, risks
from portal.models import AuditEvent
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.service_helpers import audits, plan

pytestmark = pytest.mark.usefixtures("in_scope")

D = datetime.date


def create(world, gov, **kwargs) -> StatusReport:
    kwargs.setdefault("period", D(2025, 3, 17))
    kwargs.setdefault("authors", [gov.leader])
    return reports.report_create(actor=world.users["leader"], tenant=world.tenant, **kwargs)


def a_review(world, day: datetime.date | None = None):
    day = day or D(2025, 3, 20)
    risk = risks.risk_create(
        actor=world.users["leader"],
        tenant=world.tenant,
        title="Personalomsättning",
        category="resurser",
        likelihood=3,
        consequence=2,
    )
    return risks.risk_review_add(
        actor=world.users["leader"],
        risk=risk,
        reviewed_on=day,
        likelihood=3,
        consequence=3,
        status="hanteras",
    )


def activities(report) -> dict:
    return {a.principal: a.description for a in ReportActivity.objects.filter(report=report)}


# Creating ------------------------------------------------------------------------


def test_a_report_needs_an_author(world, gov):
    with pytest.raises(DomainError):
        create(world, gov, authors=[])

    assert not StatusReport.objects.exists()
    assert not AuditEvent.objects.filter(object_type="governance.statusreport").exists()


def test_the_period_is_the_first_of_the_month(world, gov):
    report = create(
        world,
        gov,
        period=D(2025, 3, 17),
        authors=[gov.leader, gov.chair],
        results="Två workshoppar hölls.",
        gut_feeling="oroande",
        gut_feeling_text="Få kommuner deltog.",
    )

    report.refresh_from_db()
    assert report.period == D(2025, 3, 1)
    assert set(report.authors.all()) == {gov.leader, gov.chair}
    assert (report.gut_feeling, report.status) == ("oroande", ReportStatus.DRAFT)
    [event] = audits(report)
    assert event.action == "status_report.create" and event.after["period"] == "2025-03-01"


def test_an_unknown_gut_feeling_is_a_field_error(world, gov):
    with pytest.raises(ValidationError) as refused:
        create(world, gov, gut_feeling="jubel")

    assert "gut_feeling" in refused.value.message_dict
    assert not StatusReport.objects.exists()


def test_authors_and_agenda_items_of_another_programme_are_refused(world, gov, other_world):
    with pytest.raises(DomainError):
        create(world, gov, authors=[gov.leader, PersonFactory(tenant=other_world.tenant)])

    assert not StatusReport.objects.exists()


def test_a_report_presented_at_an_agenda_item(world, gov):
    meeting = plan(world, gov)
    item = meetings.agenda_item_add(
        actor=world.users["leader"], meeting=meeting, title="Statusrapport"
    )

    report = create(world, gov, presented_at=item)

    assert report.presented_at == item


# Updating ----------------------------------------------------------------------


def test_report_update_normalises_the_period_and_audits_fields_and_authors(world, gov):
    report = create(world, gov)

    reports.report_update(
        actor=world.users["leader"],
        report=report,
        period=D(2025, 4, 30),
        next_steps="Workshop i maj.",
        authors=[gov.leader, gov.chair],
    )

    report.refresh_from_db()
    assert report.period == D(2025, 4, 1)
    assert report.next_steps == "Workshop i maj."
    assert set(report.authors.all()) == {gov.leader, gov.chair}
    [event] = audits(report, "status_report.update")
    assert (event.before["period"], event.after["period"]) == ("2025-03-01", "2025-04-01")
    assert event.before["authors"] == [gov.leader.pk]
    assert event.after["authors"] == sorted([gov.leader.pk, gov.chair.pk])


def test_report_update_cannot_leave_it_without_authors(world, gov):
    report = create(world, gov)

    with pytest.raises(DomainError):
        reports.report_update(actor=world.users["leader"], report=report, authors=[])

    assert list(report.authors.all()) == [gov.leader]


def test_report_update_cannot_finish_it_behind_the_lifecycle(world, gov):
    report = create(world, gov)

    with pytest.raises(TypeError):
        reports.report_update(actor=world.users["leader"], report=report, status="fardigstalld")

    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_report_update_with_bad_input_changes_nothing(world, gov):
    report = create(world, gov)

    with pytest.raises(ValidationError):
        reports.report_update(
            actor=world.users["leader"], report=report, gut_feeling="jubel", results="Ny text"
        )

    assert report.results == ""  # the object is left as it was, to show again
    report.refresh_from_db()
    assert (report.gut_feeling, report.results) == ("neutral", "")
    assert audits(report, "status_report.update") == []


# Activities per principal --------------------------------------------------------


def test_activities_per_principal_are_replaced_and_removed(world, gov):
    report = create(world, gov)
    third = PrincipalFactory(tenant=world.tenant, name="Kommun C")

    reports.report_set_activities(
        actor=world.users["leader"],
        report=report,
        activities={world.principal: "Workshop med rektorer.", world.other_principal: "Möte."},
    )
    assert activities(report) == {
        world.principal: "Workshop med rektorer.",
        world.other_principal: "Möte.",
    }

    reports.report_set_activities(
        actor=world.users["leader"],
        report=report,
        activities={
            world.principal: "  Workshop med rektorer och förskolechefer.  ",
            world.other_principal: "   ",  # emptied: dropped
            third: "Informerade socialnämnden.",
        },
    )

    assert activities(report) == {
        world.principal: "Workshop med rektorer och förskolechefer.",
        third: "Informerade socialnämnden.",
    }
    event = audits(report, "status_report.activities.set")[-1]
    assert event.before["activities"] == {
        str(world.principal.pk): "Workshop med rektorer.",
        str(world.other_principal.pk): "Möte.",
    }
    assert set(event.after["activities"]) == {str(world.principal.pk), str(third.pk)}


def test_activities_for_another_programmes_principal_are_refused(world, gov, other_world):
    report = create(world, gov)

    with pytest.raises(DomainError):
        reports.report_set_activities(
            actor=world.users["leader"],
            report=report,
            activities={PrincipalFactory(tenant=other_world.tenant): "Möte."},
        )

    assert activities(report) == {}


# Reviewed risks ------------------------------------------------------------------


def test_linking_reviews_replaces_the_links_and_is_audited(world, gov):
    report = create(world, gov)
    first, second = a_review(world), a_review(world, D(2025, 3, 28))

    reports.report_link_reviews(actor=world.users["leader"], report=report, reviews=[first])
    reports.report_link_reviews(actor=world.users["leader"], report=report, reviews=[first, second])

    assert set(report.risk_reviews.all()) == {first, second}
    assert list(first.status_reports.all()) == [report]
    event = audits(report, "status_report.reviews.link")[-1]
    assert event.before["risk_reviews"] == [first.pk]
    assert event.after["risk_reviews"] == sorted([first.pk, second.pk])


def test_reviews_of_another_programme_cannot_be_linked(world, gov, other_world):
    report = create(world, gov)
    from django_scopes import scope

    with scope(tenant=other_world.tenant):
        foreign = a_review(other_world)

    with pytest.raises(DomainError):
        reports.report_link_reviews(actor=world.users["leader"], report=report, reviews=[foreign])

    assert not report.risk_reviews.exists()


# Finishing ---------------------------------------------------------------------------


def test_finishing_timestamps_and_makes_the_report_immutable(world, gov):
    report = create(world, gov, results="Resultat.")
    reports.report_set_activities(
        actor=world.users["leader"], report=report, activities={world.principal: "Workshop."}
    )
    review = a_review(world)

    reports.report_finish(actor=world.users["leader"], report=report)

    report.refresh_from_db()
    assert report.status == ReportStatus.FINISHED
    assert report.finished_at is not None
    attempts = [
        lambda: reports.report_update(
            actor=world.users["leader"], report=report, results="Ändrat."
        ),
        lambda: reports.report_set_activities(
            actor=world.users["leader"], report=report, activities={world.principal: "Annat."}
        ),
        lambda: reports.report_link_reviews(
            actor=world.users["leader"], report=report, reviews=[review]
        ),
        lambda: reports.report_finish(actor=world.users["leader"], report=report),
    ]
    events = AuditEvent.objects.count()
    for attempt in attempts:
        with pytest.raises(DomainError):
            attempt()

    report.refresh_from_db()
    assert report.results == "Resultat."
    assert activities(report) == {world.principal: "Workshop."}
    assert not report.risk_reviews.exists()
    assert AuditEvent.objects.count() == events


def test_a_report_finished_elsewhere_cannot_be_changed_from_a_stale_copy(world, gov):
    report = create(world, gov)
    stale = StatusReport.objects.get(pk=report.pk)
    reports.report_finish(actor=world.users["leader"], report=report)

    with pytest.raises(DomainError):
        reports.report_update(actor=world.users["leader"], report=stale, results="Sent ändrat.")

    report.refresh_from_db()
    assert report.results == ""
