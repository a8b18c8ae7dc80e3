"""Monthly status reports in the browser: list, detail (with activities per
principal, the risks reviewed and the risk matrix as of the report), create,
edit, activities, risk reviews and finishing.

Drafts are for process leaders only; finished reports are read-only. Every
view: it works for the right role; another programme gets 404; too little
role gets 403 and writes nothing; bad input gets a field error and writes
nothing; htmx gets a fragment.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import (
    ReportActivity,
    ReportStatus,
    Risk,
    RiskReview,
    RiskStatus,
    StatusReport,
)
from governance.services import reports as report_services
from governance.services import risks as risk_services
from portal.models import AuditEvent
from tests.factories import PrincipalFactory
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.helpers import (
    HTMX,
    audit_count,
    form_errors,
    hx_trigger,
    is_fragment,
    reload,
    rows,
    text,
    url_in,
)

READERS = ["leader", "steering", "researcher", "admin"]
NOT_LEADERS = ["steering", "researcher", "admin"]
NOT_WRITERS = ["steering", "reporter", "researcher", "admin"]
MARCH = datetime.date(2025, 3, 1)


url = url_in("governance")


def at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def make_report(world, gov, *, period=MARCH, finished=False, **fields) -> StatusReport:
    with scope(tenant=world.tenant):
        report = report_services.report_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            period=period,
            authors=fields.pop("authors", [gov.leader]),
            **{"results": "Workshops i tre kommuner.", **fields},
        )
        if finished:
            report = report_services.report_finish(actor=world.users["leader"], report=report)
    return report


def make_risk(world, **fields) -> Risk:
    with scope(tenant=world.tenant):
        return risk_services.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            **{
                "title": "Saknat bifall",
                "category": "forankring",
                "likelihood": 2,
                "consequence": 2,
                **fields,
            },
        )


def review(world, risk: Risk, on: datetime.date, likelihood: int, consequence: int, **kw):
    with scope(tenant=world.tenant):
        return risk_services.risk_review_add(
            actor=world.users["leader"],
            risk=risk,
            reviewed_on=on,
            likelihood=likelihood,
            consequence=consequence,
            status=kw.get("status", RiskStatus.MANAGED),
            note=kw.get("note", ""),
        )


def cell(body: str, likelihood: int, consequence: int) -> str:
    match = re.search(
        rf'<td class="risk-cell[^"]*" data-likelihood="{likelihood}" '
        rf'data-consequence="{consequence}">(.*?)</td>',
        body,
        re.S,
    )
    assert match, f"no matrix cell L{likelihood} C{consequence}"
    return match.group(1)


def backdate(obj, **fields) -> None:
    with scopes_disabled():
        type(obj).objects.filter(pk=obj.pk).update(**fields)


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def draft(world, gov):
    return make_report(world, gov, gut_feeling="oroande", gut_feeling_text="Oro för ekonomin.")


@pytest.fixture
def finished(world, gov):
    return make_report(world, gov, period=datetime.date(2025, 2, 1), finished=True)


@pytest.fixture
def other_report(other_world, other_gov):
    return make_report(other_world, other_gov)


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


# Session, user, tenant, membership; the reports, their authors.
REPORT_LIST_QUERIES = 6


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


def _detailed_report(world, gov, count):
    principals = [PrincipalFactory(tenant=world.tenant) for _ in range(count)]
    risks = [make_risk(world, title=f"Risk {i}", likelihood=2, consequence=2) for i in range(count)]
    reviews = [review(world, r, datetime.date(2025, 3, 10), 3, 3) for r in risks]
    item = AgendaItemFactory(meeting=MeetingFactory(body=gov.body))
    report = make_report(world, gov, authors=[gov.leader, gov.chair], presented_at=item)
    with scope(tenant=world.tenant):
        report_services.report_set_activities(
            actor=world.users["leader"],
            report=report,
            activities={p: f"Workshop {p.name}" for p in principals},
        )
        report_services.report_link_reviews(
            actor=world.users["leader"], report=report, reviews=reviews
        )
        report_services.report_finish(actor=world.users["leader"], report=report)
    return report


# Session, user, tenant, membership; the report, its authors, activities and
# reviews; its newest PDF (the "Skapa PDF" panel). The matrix of a finished
# report is stored with it: no query.
REPORT_DETAIL_QUERIES = 9


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


# Create -------------------------------------------------------------------


def valid_report(gov, **overrides):
    return {
        "period": "2025-03",
        "authors": [str(gov.leader.pk), str(gov.chair.pk)],
        "results": "Nyckelpersoner utsedda i två kommuner.",
        "gut_feeling": "neutral",
        "gut_feeling_text": "",
        "next_steps": "Gemensamt möte 9/5.",
        "presented_at": "",
        **overrides,
    }


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


def grouped(field) -> list[tuple[str, list[int]]]:
    """A grouped choice field's choices: (group label, item ids), in order."""
    return [
        (str(label), [int(str(value)) for value, _ in options])
        for label, options in field.choices
        if isinstance(options, list | tuple)
    ]


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


# Risk reviews -------------------------------------------------------------


@pytest.fixture
def reviews(world):
    risk = make_risk(world, title="Bifall saknas", likelihood=3, consequence=4)
    return [
        review(world, risk, datetime.date(2025, 3, 12), 3, 4, note="Inget svar."),
        review(world, risk, datetime.date(2025, 4, 2), 2, 4, note="Svar kommit."),
    ]


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
