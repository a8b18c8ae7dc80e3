"""A status report's activities and risk reviews (governance/views/reports.py)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import ReportActivity, StatusReport
from governance.services import reports as report_services
from governance.services import risks as risk_services
from tests.factories import PrincipalFactory
from tests.governance.reports.helpers import NOT_WRITERS, backdate, url
from tests.governance.risk_helpers import make_risk, review
from tests.helpers import (
    HTMX,
    audit_count,
    form_errors,
    hx_trigger,
    is_fragment,
    reload,
    rows,
    text,
)

# Activities ---------------------------------------------------------------


def test_activities_offer_one_text_per_active_principal(world, leader, draft):
    gone = PrincipalFactory(tenant=world.tenant, name="Nedlagd", archived_at=timezone.now())
    response = leader.get(url("report_activities", world.tenant, draft.pk))
    fields = response.context["form"].fields
    assert set(fields) == {
        f"principal_{world.principal.pk}",
        f"principal_{world.other_principal.pk}",
        "version",
    }
    assert f"principal_{gone.pk}" not in fields
    assert text(response).count("<textarea") == 2


def test_process_leader_records_activities_per_principal(world, leader, draft):
    response = leader.post(
        url("report_activities", world.tenant, draft.pk),
        {
            f"principal_{world.principal.pk}": "Workshop med elevhälsan.",
            f"principal_{world.other_principal.pk}": "",
            "version": reload(draft).version,
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        saved = list(
            ReportActivity.objects.filter(report=draft).values_list("principal", "description")
        )
    assert saved == [(world.principal.pk, "Workshop med elevhälsan.")]

    # Emptying a principal's text removes its activity; the other is replaced.
    leader.post(
        url("report_activities", world.tenant, draft.pk),
        {
            f"principal_{world.principal.pk}": "",
            f"principal_{world.other_principal.pk}": "Möte med socialtjänsten.",
            "version": reload(draft).version,
        },
    )
    with scopes_disabled():
        saved = list(
            ReportActivity.objects.filter(report=draft).values_list("principal", "description")
        )
    assert saved == [(world.other_principal.pk, "Möte med socialtjänsten.")]


def test_activities_of_an_archived_principal_are_kept_when_saving(world, leader, draft):
    with scope(tenant=world.tenant):
        report_services.report_set_activities(
            actor=world.users["leader"], report=draft, activities={world.principal: "Tidigare."}
        )
    backdate(world.principal, archived_at=timezone.now())
    response = leader.get(url("report_activities", world.tenant, draft.pk))
    assert f"principal_{world.principal.pk}" in response.context["form"].fields
    leader.post(
        url("report_activities", world.tenant, draft.pk),
        {
            f"principal_{world.principal.pk}": "Tidigare.",
            f"principal_{world.other_principal.pk}": "Nytt.",
            "version": reload(draft).version,
        },
    )
    with scopes_disabled():
        assert ReportActivity.objects.filter(report=draft).count() == 2


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_process_leaders_record_activities(world, client_for, draft, role):
    before, events = rows(ReportActivity), audit_count()
    client = client_for(world.users[role])
    assert client.get(url("report_activities", world.tenant, draft.pk)).status_code == 403
    data = {f"principal_{world.principal.pk}": "Smygskrivet."}
    assert client.post(url("report_activities", world.tenant, draft.pk), data).status_code == 403
    assert rows(ReportActivity) == before and audit_count() == events


def test_activities_of_another_programmes_report_are_404(world, leader, other_report):
    data = {f"principal_{world.principal.pk}": "Fel program."}
    response = leader.post(url("report_activities", world.tenant, other_report.pk), data)
    assert response.status_code == 404
    assert rows(ReportActivity) == []


def test_activities_for_htmx_swap_the_section(world, leader, draft):
    response = leader.get(url("report_activities", world.tenant, draft.pk), **HTMX)
    assert is_fragment(response)
    assert text(response).lstrip().startswith('<section id="report-activities"')
    response = leader.post(
        url("report_activities", world.tenant, draft.pk),
        {f"principal_{world.principal.pk}": "Workshop med elevhälsan.", "version": draft.version},
        **HTMX,
    )
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith('<section id="report-activities"')
    assert "Workshop med elevhälsan." in body and "<textarea" not in body
    assert 'role="status"' in body
    assert hx_trigger(response)["reportChanged"] == {"id": draft.pk, "action": "activities"}


def test_process_leader_chooses_the_risk_reviews(world, leader, draft, reviews):
    response = leader.get(url("report_reviews", world.tenant, draft.pk))
    body = text(response)
    assert f'value="{reviews[0].pk}"' in body and f'value="{reviews[1].pk}"' in body
    response = leader.post(
        url("report_reviews", world.tenant, draft.pk),
        {"reviews": [str(reviews[0].pk)], "version": draft.version},
    )
    assert response.status_code == 302
    with scopes_disabled():
        linked = list(reload(draft).risk_reviews.values_list("pk", flat=True))
    assert linked == [reviews[0].pk]
    detail = text(leader.get(url("report_detail", world.tenant, draft.pk)))
    assert f'id="report-review-{reviews[0].pk}"' in detail
    assert f'id="report-review-{reviews[1].pk}"' not in detail


def test_review_choices_are_the_reviews_around_the_month(world, leader, draft, reviews):
    risk = make_risk(world, title="Gammal risk")
    old = review(world, risk, datetime.date(2023, 1, 10), 1, 1)
    response = leader.get(url("report_reviews", world.tenant, draft.pk))
    offered = {int(str(pk)) for pk, _ in response.context["form"].fields["reviews"].choices}
    assert offered == {reviews[0].pk, reviews[1].pk}
    assert old.pk not in offered


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_process_leaders_choose_reviews(world, client_for, draft, reviews, role):
    before, events = rows(StatusReport.risk_reviews.through), audit_count()
    client = client_for(world.users[role])
    assert client.get(url("report_reviews", world.tenant, draft.pk)).status_code == 403
    data = {"reviews": [str(reviews[0].pk)]}
    assert client.post(url("report_reviews", world.tenant, draft.pk), data).status_code == 403
    assert rows(StatusReport.risk_reviews.through) == before and audit_count() == events


def test_another_programmes_review_cannot_be_linked(world, other_world, leader, draft):
    with scope(tenant=other_world.tenant):
        risk = risk_services.risk_create(
            actor=other_world.users["leader"],
            tenant=other_world.tenant,
            title="Annat program",
            category="annan",
            likelihood=1,
            consequence=1,
        )
    foreign = review(other_world, risk, datetime.date(2025, 3, 5), 1, 1)
    events = audit_count()
    response = leader.post(
        url("report_reviews", world.tenant, draft.pk), {"reviews": [str(foreign.pk)]}
    )
    assert response.status_code == 200
    assert "reviews" in form_errors(response)
    assert rows(StatusReport.risk_reviews.through) == []
    assert audit_count() == events


def test_reviews_of_another_programmes_report_are_404(world, leader, other_report, reviews):
    data = {"reviews": [str(reviews[0].pk)]}
    assert (
        leader.post(url("report_reviews", world.tenant, other_report.pk), data).status_code == 404
    )
    assert rows(StatusReport.risk_reviews.through) == []


def test_reviews_for_htmx_swap_the_section(world, leader, draft, reviews):
    response = leader.get(url("report_reviews", world.tenant, draft.pk), **HTMX)
    assert text(response).lstrip().startswith('<section id="report-reviews"')
    response = leader.post(
        url("report_reviews", world.tenant, draft.pk),
        {"reviews": [str(r.pk) for r in reviews], "version": draft.version},
        **HTMX,
    )
    body = text(response)
    assert body.lstrip().startswith('<section id="report-reviews"')
    assert "Inget svar." in body and "Svar kommit." in body
    assert hx_trigger(response)["reportChanged"]["action"] == "reviews"
