"""Indicators and their values: process leaders define indicators and report
any value; principal reporters report values for their own principal only;
everyone reads."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from implementation.models import Indicator, IndicatorValue, WellbeingArea
from implementation.services import catalogue
from implementation.services import goals as services
from portal.models import AuditEvent
from tests.factories import PrincipalFactory
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

NOT_EDITORS = ["steering", "reporter", "researcher", "admin"]
ROLES = ["leader", *NOT_EDITORS]
MARCH = datetime.date(2025, 3, 1)


url = url_in("implementation")


def make_indicator(world, name="Antal Barnets bästa-ansvariga", **fields) -> Indicator:
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
        return services.indicator_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            name=name,
            **{"kind": "antal", "level": "huvudman", "unit": "personer", **fields},
        )


def set_value(world, indicator, value, *, principal=None, period=MARCH, actor="leader"):
    with scope(tenant=world.tenant):
        return services.indicator_value_set(
            actor=world.users[actor],
            indicator=indicator,
            principal=principal,
            period=period,
            value=Decimal(value),
            source="manuell",
        )


@pytest.fixture
def per_principal(world) -> Indicator:
    return make_indicator(world, target=Decimal(5))


@pytest.fixture
def programme_wide(world) -> Indicator:
    return make_indicator(
        world, "Andel verksamheter som känner till modellen", kind="andel", level="program"
    )


def value_rows():
    return rows(IndicatorValue), audit_count()


# Rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [("antal", "1.5"), ("antal", "-1"), ("andel", "101"), ("ja_nej", "2"), ("skala", "6")],
)
def test_a_value_must_fit_its_kind(world, kind, value):
    indicator = make_indicator(world, kind=kind)
    with pytest.raises(ValidationError):
        set_value(world, indicator, value, principal=world.principal)
    assert rows(IndicatorValue) == []


def test_a_principal_indicator_needs_a_principal_and_a_programme_one_none(
    world, per_principal, programme_wide
):
    with pytest.raises(ValidationError):
        set_value(world, per_principal, "3")
    with pytest.raises(ValidationError):
        set_value(world, programme_wide, "30", principal=world.principal)


def test_reporting_again_for_the_month_replaces_the_value_and_audits_it(world, per_principal):
    first = set_value(world, per_principal, "3", principal=world.principal)
    second = set_value(
        world, per_principal, "4", principal=world.principal, period=datetime.date(2025, 3, 17)
    )

    assert second.pk == first.pk and second.value == 4
    with scopes_disabled():
        event = AuditEvent.objects.filter(
            action="indicator_value.update", object_type="implementation.indicatorvalue"
        ).get()
    assert (event.before["value"], event.after["value"]) == ("3.00", "4")


def test_kind_and_level_are_fixed_once_there_are_values(world, per_principal):
    set_value(world, per_principal, "3", principal=world.principal)
    with scope(tenant=world.tenant), pytest.raises(ValidationError):
        services.indicator_update(
            actor=world.users["leader"], indicator=per_principal, level="program"
        )
    assert reload(per_principal).level == "huvudman"


def test_a_target_must_fit_the_kind(world):
    with pytest.raises(ValidationError):
        make_indicator(world, kind="andel", target=Decimal(150))


# Indicator pages --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_indicators_and_values(world, client_for, per_principal, role):
    set_value(world, per_principal, "3", principal=world.principal)
    listing = client_for(world.users[role]).get(url("indicator_list", world.tenant))
    assert listing.status_code == 200
    assert f'id="indicator-{per_principal.pk}"' in text(listing)

    detail = client_for(world.users[role]).get(
        url("indicator_detail", world.tenant, per_principal.pk)
    )
    assert detail.status_code == 200
    assert f'id="values-{world.principal.pk}"' in text(detail)
    assert "2025-03" in text(detail)


def test_the_reporter_sees_the_own_principals_latest_value(world, client_for, per_principal):
    set_value(world, per_principal, "3", principal=world.principal)
    set_value(world, per_principal, "1", principal=world.other_principal)
    listing = client_for(world.users["reporter"]).get(url("indicator_list", world.tenant))
    assert listing.context["indicators"].get(pk=per_principal.pk).own_value == 3


def test_leader_adds_an_indicator_with_wellbeing_areas(world, client_for):
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
        trygg = WellbeingArea.objects.get(name="Trygg")
    response = client_for(world.users["leader"]).post(
        url("indicator_add", world.tenant),
        {
            "name": "Andel elever som känner sig trygga",
            "kind": "andel",
            "level": "huvudman",
            "unit": "%",
            "target": "90",
            "direction": "hogre",
            "wellbeing_areas": [trygg.pk],
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        indicator = Indicator.objects.get()
        assert list(indicator.wellbeing_areas.all()) == [trygg]
    assert indicator.target == 90


def test_a_bad_target_is_a_field_error(world, client_for):
    before = rows(Indicator)
    response = client_for(world.users["leader"]).post(
        url("indicator_add", world.tenant),
        {
            "name": "Andel",
            "kind": "andel",
            "level": "program",
            "target": "150",
            "direction": "hogre",
        },
    )
    assert response.status_code == 200
    assert "target" in form_errors(response)
    assert rows(Indicator) == before


def test_leader_edits_archives_and_restores_an_indicator(world, client_for, per_principal):
    client = client_for(world.users["leader"])
    response = client.post(
        url("indicator_edit", world.tenant, per_principal.pk),
        {
            "name": "Antal BBA",
            "kind": "antal",
            "level": "huvudman",
            "direction": "hogre",
            "version": per_principal.version,
        },
    )
    assert response.status_code == 302
    assert reload(per_principal).name == "Antal BBA"

    response = client.post(url("indicator_archive", world.tenant, per_principal.pk), **HTMX)
    assert is_fragment(response)
    assert hx_trigger(response)["indicatorChanged"]["action"] == "archive"
    assert reload(per_principal).is_archived
    client.post(url("indicator_restore", world.tenant, per_principal.pk))
    assert not reload(per_principal).is_archived


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_only_process_leaders_define_indicators(world, client_for, per_principal, role):
    client = client_for(world.users[role])
    before, events = rows(Indicator), audit_count()
    for name, args in [
        ("indicator_add", []),
        ("indicator_edit", [per_principal.pk]),
        ("indicator_archive", [per_principal.pk]),
    ]:
        assert client.get(url(name, world.tenant, *args)).status_code == 403, name
        assert client.post(url(name, world.tenant, *args), {"name": "X"}).status_code == 403, name
    assert client.post(url("indicator_restore", world.tenant, per_principal.pk)).status_code == 403
    assert rows(Indicator) == before and audit_count() == events


def test_another_programmes_indicator_is_404(world, other_world, client_for):
    foreign = make_indicator(other_world)
    client = client_for(world.users["leader"])
    assert client.get(url("indicator_detail", world.tenant, foreign.pk)).status_code == 404
    assert (
        client.post(url("indicator_edit", world.tenant, foreign.pk), {"name": "X"}).status_code
        == 404
    )


LIST_QUERIES = 6


@pytest.mark.parametrize("count", [1, 6])
def test_the_indicator_list_costs_the_same_for_few_and_many(
    world, client_for, django_assert_num_queries, count
):
    for index in range(count):
        indicator = make_indicator(world, f"Indikator {index}")
        set_value(world, indicator, "2", principal=world.principal)
    client = client_for(world.users["reporter"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url("indicator_list", world.tenant))
    assert text(response).count('<tr id="indicator-') == count


# Values on the indicator's page ------------------------------------------------------------


def value_post(principal=None, value="3", period="2025-03", **extra):
    data = {"period": period, "value": value, "source": "sjalvskattning", "comment": ""}
    if principal is not None:
        data["principal"] = principal.pk
    return {**data, **extra}


def test_reporter_reports_a_value_for_the_own_principal(world, client_for, per_principal):
    client = client_for(world.users["reporter"])
    form = client.get(url("indicator_detail", world.tenant, per_principal.pk)).context["form"]
    assert list(form.fields["principal"].queryset) == [world.principal]

    response = client.post(
        url("indicator_detail", world.tenant, per_principal.pk), value_post(world.principal), **HTMX
    )

    assert response.status_code == 200 and is_fragment(response)
    assert hx_trigger(response)["indicatorValueChanged"]["action"] == "set"
    with scopes_disabled():
        value = IndicatorValue.objects.get()
    assert (value.principal, value.period, value.value, value.reported_by) == (
        world.principal,
        MARCH,
        3,
        world.users["reporter"],
    )


def test_reporter_cannot_report_for_another_principal(world, client_for, per_principal):
    before = value_rows()
    response = client_for(world.users["reporter"]).post(
        url("indicator_detail", world.tenant, per_principal.pk), value_post(world.other_principal)
    )
    assert response.status_code == 403
    assert value_rows() == before


def test_reporter_cannot_report_a_programme_value(world, client_for, programme_wide):
    client = client_for(world.users["reporter"])
    assert (
        client.get(url("indicator_detail", world.tenant, programme_wide.pk)).context["form"] is None
    )
    before = value_rows()
    response = client.post(url("indicator_detail", world.tenant, programme_wide.pk), value_post())
    assert response.status_code == 403
    assert value_rows() == before


@pytest.mark.parametrize("role", ["steering", "researcher", "admin"])
def test_others_cannot_report_values(world, client_for, per_principal, role):
    client = client_for(world.users[role])
    assert (
        client.get(url("indicator_detail", world.tenant, per_principal.pk)).context["form"] is None
    )
    before = value_rows()
    response = client.post(
        url("indicator_detail", world.tenant, per_principal.pk), value_post(world.principal)
    )
    assert response.status_code == 403
    assert value_rows() == before


def test_leader_reports_for_any_principal_and_the_programme(
    world, client_for, per_principal, programme_wide
):
    client = client_for(world.users["leader"])
    assert (
        client.post(
            url("indicator_detail", world.tenant, per_principal.pk),
            value_post(world.other_principal),
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("indicator_detail", world.tenant, programme_wide.pk), value_post(value="45")
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert IndicatorValue.objects.filter(principal=world.other_principal).count() == 1
        assert IndicatorValue.objects.get(principal=None).value == 45


@pytest.mark.parametrize(
    ("value", "period"), [("1.5", "2025-03"), ("-2", "2025-03"), ("3", "mars")]
)
def test_bad_values_are_field_errors(world, client_for, per_principal, value, period):
    before = value_rows()
    response = client_for(world.users["reporter"]).post(
        url("indicator_detail", world.tenant, per_principal.pk),
        value_post(world.principal, value=value, period=period),
    )
    assert response.status_code == 200
    assert form_errors(response)
    assert value_rows() == before


def test_another_programmes_principal_in_a_value_is_404(
    world, other_world, client_for, per_principal
):
    response = client_for(world.users["leader"]).post(
        url("indicator_detail", world.tenant, per_principal.pk), value_post(other_world.principal)
    )
    assert response.status_code == 404


def test_an_archived_indicator_takes_no_values(world, client_for, per_principal):
    with scope(tenant=world.tenant):
        services.indicator_set_archived(
            actor=world.users["leader"], indicator=per_principal, archived=True
        )
    response = client_for(world.users["leader"]).post(
        url("indicator_detail", world.tenant, per_principal.pk), value_post(world.principal)
    )
    assert response.status_code == 403
    assert rows(IndicatorValue) == []


DETAIL_QUERIES = 9


@pytest.mark.parametrize("count", [1, 6])
def test_the_value_table_costs_the_same_for_few_and_many(
    world, client_for, per_principal, django_assert_num_queries, count
):
    for _ in range(count):
        principal = PrincipalFactory(tenant=world.tenant)
        for month in range(1, 4):
            set_value(
                world, per_principal, "2", principal=principal, period=datetime.date(2025, month, 1)
            )
    client = client_for(world.users["steering"])
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url("indicator_detail", world.tenant, per_principal.pk))
    assert text(response).count("value__source") == 3 * count


# A month's report ------------------------------------------------------------------------------


@pytest.fixture
def two_indicators(world, per_principal):
    share = make_indicator(world, "Andel skolor med nyckelperson", kind="andel")
    make_indicator(world, "Programmets indikator", kind="antal", level="program")
    return per_principal, share


def report_post(indicators, values, period="2025-03"):
    data = {"period": period}
    for indicator, value in zip(indicators, values, strict=True):
        data[f"value_{indicator.pk}"] = value
        data[f"source_{indicator.pk}"] = "sjalvskattning"
        data[f"comment_{indicator.pk}"] = ""
    return data


def test_reporter_reports_a_months_values_at_once(world, client_for, two_indicators):
    client = client_for(world.users["reporter"])
    page = client.get(url("indicator_report", world.tenant, query="?period=2025-03"))
    assert page.status_code == 200
    assert page.context["principal"] == world.principal
    assert [i.level for i in page.context["form"].indicators] == ["huvudman", "huvudman"]

    response = client.post(
        url(
            "indicator_report",
            world.tenant,
            query=f"?principal={world.principal.pk}&period=2025-03",
        ),
        report_post(two_indicators, ["4", "75"]),
    )

    assert response.status_code == 302
    with scopes_disabled():
        values = dict(IndicatorValue.objects.values_list("indicator__kind", "value"))
    assert values == {"antal": 4, "andel": 75}
    again = client.get(url("indicator_report", world.tenant, query="?period=2025-03"))
    assert again.context["form"].initial[f"value_{two_indicators[1].pk}"] == "75"


def test_one_bad_value_saves_none_of_the_month(world, client_for, two_indicators):
    before = value_rows()
    response = client_for(world.users["reporter"]).post(
        url("indicator_report", world.tenant),
        report_post(two_indicators, ["4", "175"]),
    )
    assert response.status_code == 200
    assert f"value_{two_indicators[1].pk}" in form_errors(response)
    assert value_rows() == before


def test_empty_values_are_left_unreported(world, client_for, two_indicators):
    client_for(world.users["reporter"]).post(
        url("indicator_report", world.tenant), report_post(two_indicators, ["4", ""])
    )
    with scopes_disabled():
        assert IndicatorValue.objects.count() == 1


def test_reporter_cannot_open_another_principals_report(world, client_for, two_indicators):
    client = client_for(world.users["reporter"])
    query = f"?principal={world.other_principal.pk}"
    assert client.get(url("indicator_report", world.tenant, query=query)).status_code == 403
    before = value_rows()
    response = client.post(
        url("indicator_report", world.tenant, query=query), report_post(two_indicators, ["1", "2"])
    )
    assert response.status_code == 403
    assert value_rows() == before


def test_leader_chooses_the_principal(world, client_for, two_indicators):
    client = client_for(world.users["leader"])
    assert client.get(url("indicator_report", world.tenant)).context["principal"] is None
    response = client.post(
        url("indicator_report", world.tenant, query=f"?principal={world.other_principal.pk}"),
        report_post(two_indicators, ["2", "50"]),
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert IndicatorValue.objects.filter(principal=world.other_principal).count() == 2


@pytest.mark.parametrize("role", ["steering", "researcher", "admin"])
def test_others_have_no_report_page(world, client_for, two_indicators, role):
    assert (
        client_for(world.users[role]).get(url("indicator_report", world.tenant)).status_code == 403
    )


def test_another_programmes_principal_on_the_report_page_is_404(
    world, other_world, client_for, two_indicators
):
    query = f"?principal={other_world.principal.pk}"
    response = client_for(world.users["leader"]).get(
        url("indicator_report", world.tenant, query=query)
    )
    assert response.status_code == 404
