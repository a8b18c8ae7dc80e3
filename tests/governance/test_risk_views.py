"""The risk register in the browser: list with filters and the matrix, detail
with the review history, create, edit (never the assessment), review, archive.

Every view: it works for the right role; another programme gets 404; too
little role gets 403 and writes nothing; bad input gets a field error and
writes nothing; htmx gets a fragment.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import Risk, RiskReview, RiskStatus
from governance.services import risks as risk_services
from portal.models import AuditEvent
from tests.factories import PersonFactory
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.governance.risk_helpers import cell, make_risk, review
from tests.helpers import (
    HTMX,
    audit_count,
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
NOT_WRITERS = ["steering", "reporter", "researcher", "admin"]


url = url_in("governance")


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def risk(world, gov):
    return make_risk(
        world,
        title="Saknat bifall från förvaltningen",
        description="Barn- och utbildningsförvaltningen har inte ställt sig bakom modellen.",
        mitigation="Nytt mejl skickas till utbildningschefen.",
        owner=gov.leader,
        likelihood=3,
        consequence=4,
    )


@pytest.fixture
def other_risk(other_world, other_gov):
    return make_risk(other_world, title="Finansieringen av processledarna")


# Register -----------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_register(world, client_for, risk, role):
    response = client_for(world.users[role]).get(url("risk_list", world.tenant))
    assert response.status_code == 200
    assert risk.title in text(response)


def test_reporters_get_403_on_the_register(world, client_for, risk):
    response = client_for(world.users["reporter"]).get(url("risk_list", world.tenant))
    assert response.status_code == 403
    assert risk.title not in text(response)


def test_register_never_shows_another_programmes_risks(world, leader, risk, other_risk):
    body = text(leader.get(url("risk_list", world.tenant)))
    assert other_risk.title not in body


def test_register_row_shows_every_column(world, gov, leader):
    meeting = MeetingFactory(body=gov.body, title="Styrgruppsmöte mars")
    item = AgendaItemFactory(meeting=meeting, position=4, title="Risker")
    risk = make_risk(
        world,
        title="Rollbeskrivning saknas",
        category="resurser",
        likelihood=2,
        consequence=3,
        owner=gov.leader,
        mitigation="Rollen tillsätts först och formas lokalt.",
        raised_at=item,
    )
    review(world, risk, datetime.date(2025, 4, 2), 2, 3, status=RiskStatus.MANAGED)
    body = text(leader.get(url("risk_list", world.tenant)))
    row = re.search(rf'<tr id="risk-{risk.pk}".*?</tr>', body, re.S)
    assert row
    html = row.group(0)
    assert risk.title in html
    assert in_swedish("Resources") in html
    assert "<td>2</td>" in html and "<td>3</td>" in html
    assert "risk-level--medium" in html and "· 6" in html
    assert gov.leader.name in html
    assert in_swedish("Being managed") in html
    assert "Rollen tillsätts först" in html
    assert "2025-04-02" in html
    assert "Styrgruppsmöte mars" in html
    try:
        meeting_url = reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk])
    except NoReverseMatch:  # the meetings pages are another area's; link once they exist
        meeting_url = None
    if meeting_url:
        assert f'href="{meeting_url}"' in html


def test_register_shows_open_risks_by_default_and_closed_on_request(world, leader, risk):
    closed = make_risk(world, title="Avslutad risk")
    review(world, closed, timezone.localdate(), 1, 1, status=RiskStatus.CLOSED)

    default = text(leader.get(url("risk_list", world.tenant)))
    assert risk.title in default
    assert closed.title not in default

    everything = text(leader.get(url("risk_list", world.tenant, query="?status=all")))
    assert risk.title in everything and closed.title in everything

    only_closed = text(leader.get(url("risk_list", world.tenant, query="?status=stangd")))
    assert closed.title in only_closed
    assert f'id="risk-{risk.pk}"' not in only_closed


def test_register_filters_by_category_and_owner(world, gov, leader, risk):
    other_owner = PersonFactory(tenant=world.tenant, name="Annan Ägare")
    money = make_risk(world, title="Pengarna tar slut", category="finansiering", owner=other_owner)

    by_category = text(leader.get(url("risk_list", world.tenant, query="?category=finansiering")))
    assert f'id="risk-{money.pk}"' in by_category
    assert f'id="risk-{risk.pk}"' not in by_category

    by_owner = text(leader.get(url("risk_list", world.tenant, query=f"?owner={gov.leader.pk}")))
    assert f'id="risk-{risk.pk}"' in by_owner
    assert f'id="risk-{money.pk}"' not in by_owner


def test_register_filter_ignores_another_programmes_owner(world, other_gov, leader, risk):
    response = leader.get(url("risk_list", world.tenant, query=f"?owner={other_gov.leader.pk}"))
    assert response.status_code == 200
    assert "owner" in response.context["filter_form"].errors
    assert f'id="risk-{risk.pk}"' in text(response)


def test_register_hides_archived_risks_until_asked(world, leader, risk):
    with scope(tenant=world.tenant):
        risk_services.risk_set_archived(actor=world.users["leader"], risk=risk, archived=True)
    assert f'id="risk-{risk.pk}"' not in text(leader.get(url("risk_list", world.tenant)))
    with_archived = text(leader.get(url("risk_list", world.tenant, query="?archived=1")))
    assert f'id="risk-{risk.pk}"' in with_archived
    assert url("risk_restore", world.tenant, risk.pk) in with_archived


def test_register_is_read_only_below_process_leader(world, client_for, risk):
    body = text(client_for(world.users["steering"]).get(url("risk_list", world.tenant)))
    assert url("risk_create", world.tenant) not in body
    assert url("risk_edit", world.tenant, risk.pk) not in body
    assert url("risk_archive", world.tenant, risk.pk) not in body


def test_register_gives_process_leaders_named_controls(world, leader, risk):
    body = text(leader.get(url("risk_list", world.tenant)))
    assert f'href="{url("risk_create", world.tenant)}"' in body
    assert f'href="{url("risk_edit", world.tenant, risk.pk)}"' in body
    assert f'<span class="visually-hidden"> {risk.title}</span>' in body
    assert '<th scope="col">' in body and "<caption" in body


def test_register_for_htmx_is_the_listing_fragment(world, leader, risk):
    response = leader.get(url("risk_list", world.tenant, query="?status=all"), **HTMX)
    assert response.status_code == 200
    assert is_fragment(response)
    assert 'id="risk-listing"' in text(response)
    assert f'id="risk-{risk.pk}"' in text(response)


# The matrix ---------------------------------------------------------------


def test_matrix_places_a_risk_in_its_likelihood_and_consequence_cell(world, leader, risk):
    response = leader.get(url("risk_list", world.tenant))
    body = text(response)
    assert risk.title in cell(body, likelihood=3, consequence=4)
    detail = url("risk_detail", world.tenant, risk.pk)
    assert f'<a href="{detail}">{risk.title}</a>' in cell(body, 3, 4)
    for likelihood in range(1, 5):
        for consequence in range(1, 5):
            if (likelihood, consequence) != (3, 4):
                assert risk.title not in cell(body, likelihood, consequence)

    matrix = response.context["matrix"]
    assert [row.consequence for row in matrix.rows] == [4, 3, 2, 1]
    assert [c.likelihood for c in matrix.rows[0].cells] == [1, 2, 3, 4]
    assert [r.pk for r in matrix.rows[0].cells[2].risks] == [risk.pk]
    assert matrix.total == 1


def test_matrix_says_level_and_count_in_words_not_only_colour(world, leader, risk):
    body = text(leader.get(url("risk_list", world.tenant)))
    high = cell(body, 3, 4)
    assert in_swedish("High") in high
    assert "12" in high
    assert re.search(r'class="risk-cell__count">1 ', high)
    low = cell(body, 1, 1)
    assert in_swedish("Low") in low
    assert re.search(r'class="risk-cell__count">0 ', low)
    assert "risk-cell--high" in body and "risk-cell--low" in body
    assert '<th scope="row">' in body and "<caption>" in body


def test_matrix_follows_the_newest_review_and_leaves_closed_risks_out(world, leader, risk):
    review(world, risk, datetime.date(2025, 5, 1), 1, 2)
    body = text(leader.get(url("risk_list", world.tenant)))
    assert risk.title in cell(body, 1, 2)
    assert risk.title not in cell(body, 3, 4)

    review(world, risk, datetime.date(2025, 6, 1), 1, 2, status=RiskStatus.CLOSED)
    body = text(leader.get(url("risk_list", world.tenant)))
    assert risk.title not in cell(body, 1, 2)


def _risks(world, gov, count):
    item = AgendaItemFactory(meeting=MeetingFactory(body=gov.body))
    for i in range(count):
        risk = make_risk(
            world,
            title=f"Risk {i:03d}",
            likelihood=1 + i % 4,
            consequence=1 + (i // 4) % 4,
            owner=PersonFactory(tenant=world.tenant),
            raised_at=item,
        )
        review(world, risk, datetime.date(2025, 1, 1), 1 + i % 4, 2)


# Session, user, tenant, membership; the owner choices of the filter, the
# register's rows, the matrix.
RISK_LIST_QUERIES = 7


@pytest.mark.parametrize("count", [1, 12])
def test_register_costs_the_same_for_few_and_many(
    world, gov, leader, django_assert_num_queries, count
):
    _risks(world, gov, count)
    with django_assert_num_queries(RISK_LIST_QUERIES):
        response = leader.get(url("risk_list", world.tenant))
    assert text(response).count('<tr id="risk-') == count


# Detail -------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_readers_see_a_risk_with_description_mitigation_and_history(world, client_for, risk, role):
    review(world, risk, datetime.date(2025, 3, 25), 3, 4, note="Inget svar ännu.")
    response = client_for(world.users[role]).get(url("risk_detail", world.tenant, risk.pk))
    assert response.status_code == 200
    body = text(response)
    assert risk.description in body
    assert risk.mitigation in body
    assert "Inget svar ännu." in body
    assert "2025-03-25" in body


def test_reporters_get_403_on_a_risk(world, client_for, risk):
    response = client_for(world.users["reporter"]).get(url("risk_detail", world.tenant, risk.pk))
    assert response.status_code == 403


def test_review_history_is_kept_newest_first(world, leader, risk):
    first = review(world, risk, datetime.date(2025, 2, 1), 3, 4, note="Första bedömningen.")
    second = review(world, risk, datetime.date(2025, 4, 1), 2, 2, note="Bättre nu.")
    body = text(leader.get(url("risk_detail", world.tenant, risk.pk)))
    assert body.index(f'id="risk-review-{second.pk}"') < body.index(f'id="risk-review-{first.pk}"')
    assert "Första bedömningen." in body and "Bättre nu." in body


def test_risk_detail_for_htmx_is_the_history_fragment(world, leader, risk):
    review(world, risk, datetime.date(2025, 2, 1), 3, 4)
    response = leader.get(url("risk_detail", world.tenant, risk.pk), **HTMX)
    assert is_fragment(response)
    assert 'id="risk-history"' in text(response)


def test_risk_detail_offers_the_review_form_only_to_process_leaders(world, client_for, risk):
    form_action = f'action="{url("risk_review_add", world.tenant, risk.pk)}"'
    assert form_action in text(
        client_for(world.users["leader"]).get(url("risk_detail", world.tenant, risk.pk))
    )
    steering = text(
        client_for(world.users["steering"]).get(url("risk_detail", world.tenant, risk.pk))
    )
    assert form_action not in steering
    assert url("risk_edit", world.tenant, risk.pk) not in steering


# Create -------------------------------------------------------------------


def valid_risk(**overrides):
    return {
        "title": "Finansieringen av processledarna",
        "category": "finansiering",
        "description": "Finansieringen är klar till och med den 31 december.",
        "likelihood": "3",
        "consequence": "4",
        "status": "identifierad",
        "owner": "",
        "mitigation": "Alla organisationer funderar på finansieringen till nästa möte.",
        "raised_at": "",
        **overrides,
    }


def test_process_leader_adds_a_risk(world, gov, leader):
    item = AgendaItemFactory(meeting=MeetingFactory(body=gov.body), title="Avslutning")
    response = leader.post(
        url("risk_create", world.tenant),
        valid_risk(owner=str(gov.leader.pk), raised_at=str(item.pk)),
    )
    with scopes_disabled():
        risk = Risk.objects.get(title="Finansieringen av processledarna")
        assert AuditEvent.objects.filter(object_id=str(risk.pk), action="risk.create").exists()
    assert response.status_code == 302
    assert response["Location"] == url("risk_detail", world.tenant, risk.pk)
    assert (risk.tenant_id, risk.likelihood, risk.consequence) == (world.tenant.pk, 3, 4)
    assert risk.owner_id == gov.leader.pk and risk.raised_at_id == item.pk
    assert risk.mitigation.startswith("Alla organisationer")


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_process_leaders_add_risks(world, client_for, role):
    before, events = rows(Risk), audit_count()
    client = client_for(world.users[role])
    assert client.get(url("risk_create", world.tenant)).status_code == 403
    assert client.post(url("risk_create", world.tenant), valid_risk()).status_code == 403
    assert rows(Risk) == before and audit_count() == events


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"likelihood": "5"}, "likelihood"),
        ({"consequence": "0"}, "consequence"),
        ({"category": "okänd"}, "category"),
    ],
)
def test_bad_risk_is_refused_with_a_field_error(world, leader, overrides, field):
    before, events = rows(Risk), audit_count()
    response = leader.post(url("risk_create", world.tenant), valid_risk(**overrides))
    assert response.status_code == 200
    assert field in form_errors(response)
    assert rows(Risk) == before and audit_count() == events


def test_risk_cannot_name_another_programmes_owner_or_meeting(world, other_gov, leader):
    item = AgendaItemFactory(meeting=MeetingFactory(body=other_gov.body))
    before = rows(Risk)
    response = leader.post(
        url("risk_create", world.tenant),
        valid_risk(owner=str(other_gov.leader.pk), raised_at=str(item.pk)),
    )
    assert response.status_code == 200
    assert {"owner", "raised_at"} <= set(form_errors(response))
    assert rows(Risk) == before


def test_risk_create_preselects_where_it_was_raised(world, gov, other_gov, leader):
    old = MeetingFactory(body=gov.body, starts_at=timezone.now() - datetime.timedelta(days=2000))
    item = AgendaItemFactory(meeting=old, title="Finansiering")
    response = leader.get(url("risk_create", world.tenant, query=f"?raised_at={item.pk}"))
    assert response.status_code == 200
    assert re.search(rf'<option value="{item.pk}" selected>', text(response))
    elsewhere = AgendaItemFactory(meeting=MeetingFactory(body=other_gov.body))
    query = f"?raised_at={elsewhere.pk}"
    assert leader.get(url("risk_create", world.tenant, query=query)).status_code == 404


def test_risk_create_for_htmx(world, leader):
    response = leader.get(url("risk_create", world.tenant), **HTMX)
    assert is_fragment(response)
    assert 'id="risk-create-form"' in text(response)
    response = leader.post(url("risk_create", world.tenant), valid_risk(), **HTMX)
    with scopes_disabled():
        risk = Risk.objects.get(title="Finansieringen av processledarna")
    assert response["HX-Redirect"] == url("risk_detail", world.tenant, risk.pk)


# Edit ---------------------------------------------------------------------


def valid_edit(risk, **overrides):
    return {
        "title": risk.title,
        "category": risk.category,
        "description": risk.description,
        "owner": str(risk.owner_id or ""),
        "mitigation": risk.mitigation,
        "raised_at": str(risk.raised_at_id or ""),
        "version": risk.version,
        **overrides,
    }


def test_process_leader_edits_a_risk(world, leader, risk):
    response = leader.post(
        url("risk_edit", world.tenant, risk.pk),
        valid_edit(risk, mitigation="Utbildningschefen bjuds in till nästa möte."),
    )
    assert response.status_code == 302
    assert reload(risk).mitigation == "Utbildningschefen bjuds in till nästa möte."


def test_edit_form_does_not_offer_the_assessment(world, leader, risk):
    response = leader.get(url("risk_edit", world.tenant, risk.pk))
    fields = set(response.context["form"].fields)
    assert not fields & {"likelihood", "consequence", "status"}
    assert 'name="likelihood"' not in text(response)


def test_editing_cannot_change_the_assessment(world, leader, risk):
    leader.post(
        url("risk_edit", world.tenant, risk.pk),
        valid_edit(risk, likelihood="1", consequence="1", status="stangd", title="Ny titel"),
    )
    after = reload(risk)
    assert after.title == "Ny titel"
    assert (after.likelihood, after.consequence, after.status) == (3, 4, "identifierad")


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_process_leaders_edit_risks(world, client_for, risk, role):
    before, events = rows(Risk), audit_count()
    client = client_for(world.users[role])
    assert client.get(url("risk_edit", world.tenant, risk.pk)).status_code == 403
    response = client.post(url("risk_edit", world.tenant, risk.pk), valid_edit(risk, title="X"))
    assert response.status_code == 403
    assert rows(Risk) == before and audit_count() == events


def test_edit_of_another_programmes_risk_is_404(world, leader, other_risk):
    before = rows(Risk)
    response = leader.post(url("risk_edit", world.tenant, other_risk.pk), valid_edit(other_risk))
    assert response.status_code == 404
    assert rows(Risk) == before


def test_bad_edit_is_refused_with_a_field_error(world, leader, risk):
    before, events = rows(Risk), audit_count()
    response = leader.post(url("risk_edit", world.tenant, risk.pk), valid_edit(risk, title=""))
    assert response.status_code == 200
    assert "title" in form_errors(response)
    assert rows(Risk) == before and audit_count() == events


def test_edit_for_htmx_swaps_the_register_row(world, leader, risk):
    response = leader.get(url("risk_edit", world.tenant, risk.pk), **HTMX)
    assert starts_with_row(response, f"risk-{risk.pk}")
    assert 'class="row-form"' in text(response)
    response = leader.post(
        url("risk_edit", world.tenant, risk.pk), valid_edit(risk, title="Nytt namn"), **HTMX
    )
    assert response.status_code == 200
    assert starts_with_row(response, f"risk-{risk.pk}")
    assert "Nytt namn" in text(response) and "risk-level--high" in text(response)
    assert hx_trigger(response)["riskChanged"] == {"id": risk.pk, "action": "update"}


# Archive ------------------------------------------------------------------


def test_process_leader_archives_and_restores_a_risk(world, leader, risk):
    assert leader.get(url("risk_archive", world.tenant, risk.pk)).status_code == 200
    response = leader.post(url("risk_archive", world.tenant, risk.pk))
    assert response.status_code == 302
    assert reload(risk).archived_at is not None
    with scopes_disabled():
        assert Risk.objects.filter(pk=risk.pk).exists()  # kept, not deleted
    body = text(leader.get(url("risk_list", world.tenant)))
    assert risk.title not in cell(body, 3, 4)

    leader.post(url("risk_restore", world.tenant, risk.pk))
    assert reload(risk).archived_at is None


def test_archive_for_htmx_swaps_the_row(world, leader, risk):
    response = leader.get(url("risk_archive", world.tenant, risk.pk), **HTMX)
    assert starts_with_row(response, f"risk-{risk.pk}")
    response = leader.post(url("risk_archive", world.tenant, risk.pk), **HTMX)
    assert starts_with_row(response, f"risk-{risk.pk}")
    assert url("risk_restore", world.tenant, risk.pk) in text(response)
    assert hx_trigger(response)["riskChanged"]["action"] == "archive"


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_process_leaders_archive_risks(world, client_for, risk, role):
    before, events = rows(Risk), audit_count()
    client = client_for(world.users[role])
    assert client.post(url("risk_archive", world.tenant, risk.pk)).status_code == 403
    assert client.post(url("risk_restore", world.tenant, risk.pk)).status_code == 403
    assert rows(Risk) == before and audit_count() == events


def test_archive_of_another_programmes_risk_is_404(world, leader, other_risk):
    assert leader.post(url("risk_archive", world.tenant, other_risk.pk)).status_code == 404
    assert leader.post(url("risk_restore", world.tenant, other_risk.pk)).status_code == 404
    assert reload(other_risk).archived_at is None


# Reviews ------------------------------------------------------------------


def valid_review(**overrides):
    return {
        "reviewed_on": "2025-04-10",
        "likelihood": "2",
        "consequence": "3",
        "status": "hanteras",
        "note": "Svar har kommit från utbildningschefen.",
        **overrides,
    }


def test_process_leader_adds_a_review_and_the_assessment_follows(world, leader, risk):
    response = leader.post(url("risk_review_add", world.tenant, risk.pk), valid_review())
    assert response.status_code == 302
    after = reload(risk)
    assert (after.likelihood, after.consequence, after.status) == (2, 3, "hanteras")
    with scopes_disabled():
        saved = RiskReview.objects.get(risk=risk)
    assert saved.reviewed_on == datetime.date(2025, 4, 10)
    assert saved.reviewed_by == world.users["leader"]
    assert saved.note == "Svar har kommit från utbildningschefen."


def test_review_history_is_kept_and_current_assessment_is_the_newest(world, leader, risk):
    leader.post(url("risk_review_add", world.tenant, risk.pk), valid_review())
    leader.post(
        url("risk_review_add", world.tenant, risk.pk),
        valid_review(reviewed_on="2025-05-10", likelihood="1", consequence="2", note="Löst."),
    )
    # A late entry of an older review joins the history but is not current.
    leader.post(
        url("risk_review_add", world.tenant, risk.pk),
        valid_review(reviewed_on="2025-01-10", likelihood="4", consequence="4", note="Gammal."),
    )
    with scopes_disabled():
        history = list(
            RiskReview.objects.filter(risk=risk).values_list("reviewed_on", "likelihood", "note")
        )
    assert history == [
        (datetime.date(2025, 5, 10), 1, "Löst."),
        (datetime.date(2025, 4, 10), 2, "Svar har kommit från utbildningschefen."),
        (datetime.date(2025, 1, 10), 4, "Gammal."),
    ]
    after = reload(risk)
    assert (after.likelihood, after.consequence) == (1, 2)
    body = text(leader.get(url("risk_detail", world.tenant, risk.pk)))
    assert "Löst." in body and "Gammal." in body and "Svar har kommit" in body


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_only_process_leaders_review_risks(world, client_for, risk, role):
    before, events = rows(RiskReview), audit_count()
    client = client_for(world.users[role])
    assert client.get(url("risk_review_add", world.tenant, risk.pk)).status_code == 403
    response = client.post(url("risk_review_add", world.tenant, risk.pk), valid_review())
    assert response.status_code == 403
    assert rows(RiskReview) == before and audit_count() == events
    assert reload(risk).likelihood == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"likelihood": "7"}, "likelihood"),
        ({"status": "kanske"}, "status"),
        ({"reviewed_on": ""}, "reviewed_on"),
        ({"reviewed_on": "2999-01-01"}, "reviewed_on"),
    ],
)
def test_bad_review_is_refused_with_a_field_error(world, leader, risk, overrides, field):
    before, events = rows(RiskReview), audit_count()
    response = leader.post(url("risk_review_add", world.tenant, risk.pk), valid_review(**overrides))
    assert response.status_code == 200
    assert field in form_errors(response)
    assert rows(RiskReview) == before and audit_count() == events
    assert reload(risk).likelihood == 3


def test_review_of_another_programmes_risk_is_404(world, leader, other_risk):
    before = rows(RiskReview)
    response = leader.post(url("risk_review_add", world.tenant, other_risk.pk), valid_review())
    assert response.status_code == 404
    assert rows(RiskReview) == before


def test_review_for_htmx_appends_it_and_refreshes_the_assessment(world, leader, risk):
    response = leader.post(url("risk_review_add", world.tenant, risk.pk), valid_review(), **HTMX)
    assert response.status_code == 200
    assert is_fragment(response)
    body = text(response)
    with scopes_disabled():
        saved = RiskReview.objects.get(risk=risk)
    assert 'id="risk-assessment" hx-swap-oob="innerHTML"' in body
    assert 'id="risk-review-list" hx-swap-oob="innerHTML"' in body
    assert f'id="risk-review-{saved.pk}"' in body
    assert "risk-level--medium" in body  # 2 × 3 = 6
    assert 'role="status"' in body
    assert f'action="{url("risk_review_add", world.tenant, risk.pk)}"' in body  # a fresh form
    assert hx_trigger(response)["riskChanged"] == {"id": risk.pk, "action": "review"}


def test_bad_review_for_htmx_is_the_form_with_errors(world, leader, risk):
    response = leader.post(
        url("risk_review_add", world.tenant, risk.pk), valid_review(likelihood="9"), **HTMX
    )
    assert is_fragment(response)
    assert 'aria-invalid="true"' in text(response)
    assert "hx-swap-oob" not in text(response)


def test_meeting_page_selector_lists_risks_raised_there(world, gov):
    from governance.selectors.risks import risks_raised_at_meeting

    meeting = MeetingFactory(body=gov.body)
    second = AgendaItemFactory(meeting=meeting, position=2)
    first = AgendaItemFactory(meeting=meeting, position=1)
    later = make_risk(world, title="B", raised_at=second)
    earlier = make_risk(world, title="A", raised_at=first, likelihood=4, consequence=4)
    elsewhere = make_risk(
        world, title="C", raised_at=AgendaItemFactory(meeting=MeetingFactory(body=gov.body))
    )
    with scope(tenant=world.tenant):
        raised = list(risks_raised_at_meeting(tenant=world.tenant, meeting=meeting))
    assert [r.pk for r in raised] == [earlier.pk, later.pk]
    assert raised[0].level == "high"
    assert elsewhere.pk not in {r.pk for r in raised}


def test_register_restored_from_history_is_the_whole_page(world, leader, risk):
    response = leader.get(
        url("risk_list", world.tenant, query="?status=all"),
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        **HTMX,
    )
    assert not is_fragment(response)
    assert "HX-Request" in response["Vary"]
