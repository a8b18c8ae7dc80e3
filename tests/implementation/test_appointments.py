"""Appointed functions: who is appointed where over time, the derived
indicators (per principal and sector; appointed in every municipality?),
and the pages (everyone reads; process leaders write)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from implementation.models import Appointment, AppointmentFunction
from implementation.selectors.appointments import appointment_summary
from implementation.services import appointments as services
from implementation.services import catalogue
from portal.models import PrincipalKind, Sector
from portal.services import DomainError
from tests.factories import OperationFactory, PersonFactory, PrincipalFactory
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
TODAY = timezone.localdate()
LAST_YEAR = TODAY - datetime.timedelta(days=365)


url = url_in("implementation")


@pytest.fixture
def functions(world) -> dict[str, AppointmentFunction]:
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
        return {f.name: f for f in AppointmentFunction.objects.all()}


@pytest.fixture
def person(world):
    return PersonFactory(tenant=world.tenant, principal=world.principal, name="Anna Berg")


def appoint(
    world, function, principal=None, *, person=None, operation=None, start=LAST_YEAR, end=None
):
    with scope(tenant=world.tenant):
        return services.appointment_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            function=function,
            principal=principal or world.principal,
            operation=operation,
            person=person or PersonFactory(tenant=world.tenant),
            start_date=start,
            end_date=end,
        )


@pytest.fixture
def bba(world, functions, person):
    return appoint(world, functions["Barnets bästa-ansvarig"], person=person)


def test_the_default_functions(world, functions):
    assert list(functions) == [
        "Barnets bästa-ansvarig",
        "Samordningsfunktion",
        "Nyckelperson",
        "Kontaktperson",
    ]


# Rules ------------------------------------------------------------------------------


def test_an_operation_of_another_principal_is_refused(world, functions):
    foreign = OperationFactory(tenant=world.tenant, principal=world.other_principal)
    with pytest.raises(ValidationError):
        appoint(world, functions["Nyckelperson"], operation=foreign)


def test_an_appointment_cannot_end_before_it_starts(world, functions):
    with pytest.raises(ValidationError):
        appoint(world, functions["Nyckelperson"], start=TODAY, end=LAST_YEAR)


def test_someone_of_another_programme_cannot_be_appointed(world, other_world, functions):
    with pytest.raises(DomainError):
        appoint(world, functions["Nyckelperson"], person=PersonFactory(tenant=other_world.tenant))


def test_ending_keeps_the_appointment_in_the_history(world, bba):
    with scope(tenant=world.tenant):
        services.appointment_end(actor=world.users["leader"], appointment=bba, end_date=TODAY)
        with pytest.raises(DomainError):
            services.appointment_end(
                actor=world.users["leader"], appointment=reload(bba), end_date=TODAY
            )
    assert reload(bba).end_date == TODAY
    assert not reload(bba).is_archived


# The derived indicators ------------------------------------------------------------------


def test_counts_per_principal_and_sector(world, functions):
    school = OperationFactory(
        tenant=world.tenant, principal=world.principal, sector=Sector.COMPULSORY_SCHOOL
    )
    social = OperationFactory(
        tenant=world.tenant, principal=world.other_principal, sector=Sector.SOCIAL_SERVICES
    )
    key = functions["Nyckelperson"]
    appoint(world, key, operation=school)
    appoint(world, key, operation=school)
    appoint(world, key, world.other_principal, operation=social)
    appoint(world, functions["Kontaktperson"])  # the principal as a whole
    appoint(world, key, operation=school, end=TODAY - datetime.timedelta(days=1))  # ended
    appoint(world, key, operation=school, start=TODAY + datetime.timedelta(days=5))  # not yet

    with scope(tenant=world.tenant):
        summary = appointment_summary(tenant=world.tenant, on=TODAY)

    column = summary.functions.index(key)
    counts = {row.label: row.counts for row in summary.by_principal}
    assert counts[world.principal.name][column] == 2
    assert counts[world.other_principal.name][column] == 1
    sectors = {row.label: row for row in summary.by_sector}
    assert sectors[str(Sector.COMPULSORY_SCHOOL.label)].counts[column] == 2
    assert sectors[str(Sector.SOCIAL_SERVICES.label)].counts[column] == 1
    assert summary.by_sector[0].total == 1  # the principal as a whole comes first


def test_appointed_in_every_municipality(world, functions):
    PrincipalFactory(tenant=world.tenant, kind=PrincipalKind.REGION, municipality_code="")
    bba = functions["Barnets bästa-ansvarig"]
    appoint(world, bba)

    with scope(tenant=world.tenant):
        coverage = {
            c.function.name: c for c in appointment_summary(tenant=world.tenant, on=TODAY).coverage
        }
    assert not coverage["Barnets bästa-ansvarig"].everywhere
    assert coverage["Barnets bästa-ansvarig"].missing == [world.other_principal]

    appoint(world, bba, world.other_principal)
    with scope(tenant=world.tenant):
        coverage = {
            c.function.name: c for c in appointment_summary(tenant=world.tenant, on=TODAY).coverage
        }
    # The region needs none: the question is about the municipalities.
    assert coverage["Barnets bästa-ansvarig"].everywhere
    assert not coverage["Samordningsfunktion"].everywhere


def test_an_ended_appointment_leaves_a_municipality_uncovered(world, functions):
    bba = functions["Barnets bästa-ansvarig"]
    appoint(world, bba)
    appoint(world, bba, world.other_principal, end=TODAY - datetime.timedelta(days=1))
    with scope(tenant=world.tenant):
        coverage = appointment_summary(tenant=world.tenant, on=TODAY).coverage
    assert coverage[0].missing == [world.other_principal]


# Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_appointments_and_indicators(world, client_for, bba, role):
    response = client_for(world.users[role]).get(url("appointment_list", world.tenant))
    assert response.status_code == 200
    body = text(response)
    assert f'id="appointment-{bba.pk}"' in body
    assert f'id="coverage-{bba.function_id}"' in body
    assert "Anna Berg" in body
    assert (url("appointment_add", world.tenant) in body) is (role == "leader")


def test_ended_appointments_are_shown_on_request(world, client_for, functions):
    ended = appoint(world, functions["Nyckelperson"], end=TODAY - datetime.timedelta(days=3))
    client = client_for(world.users["steering"])
    assert f'id="appointment-{ended.pk}"' not in text(
        client.get(url("appointment_list", world.tenant))
    )
    response = client.get(url("appointment_list", world.tenant, query="?ended=1"), **HTMX)
    assert is_fragment(response)
    assert f'id="appointment-{ended.pk}"' in text(response)


def test_the_list_filters_by_principal_and_function(world, client_for, functions, bba):
    other = appoint(world, functions["Kontaktperson"], world.other_principal)
    client = client_for(world.users["leader"])
    query = f"?principal={world.other_principal.pk}"
    body = text(client.get(url("appointment_list", world.tenant, query=query)))
    assert f'id="appointment-{other.pk}"' in body and f'id="appointment-{bba.pk}"' not in body
    query = f"?function={bba.function_id}"
    body = text(client.get(url("appointment_list", world.tenant, query=query)))
    assert f'id="appointment-{bba.pk}"' in body and f'id="appointment-{other.pk}"' not in body


def test_leader_appoints_someone(world, client_for, functions, person):
    response = client_for(world.users["leader"]).post(
        url("appointment_add", world.tenant),
        {
            "function": functions["Samordningsfunktion"].pk,
            "principal": world.principal.pk,
            "person": person.pk,
            "start_date": "2025-02-01",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        appointment = Appointment.objects.get()
    assert (appointment.person, appointment.function.name) == (person, "Samordningsfunktion")


def test_bad_input_is_a_field_error(world, client_for, functions, person):
    foreign = OperationFactory(tenant=world.tenant, principal=world.other_principal)
    before, events = rows(Appointment), audit_count()
    response = client_for(world.users["leader"]).post(
        url("appointment_add", world.tenant),
        {
            "function": functions["Nyckelperson"].pk,
            "principal": world.principal.pk,
            "operation": foreign.pk,
            "person": person.pk,
            "start_date": "2025-02-01",
            "end_date": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert {"operation", "end_date"} <= set(form_errors(response))
    assert rows(Appointment) == before and audit_count() == events


def test_leader_edits_ends_and_archives_inline(world, client_for, bba):
    client = client_for(world.users["leader"])
    form = client.get(url("appointment_edit", world.tenant, bba.pk), **HTMX)
    assert text(form).lstrip().startswith(f'<tr id="appointment-{bba.pk}" class="row-form"')

    response = client.post(
        url("appointment_end", world.tenant, bba.pk), {"end_date": TODAY.isoformat()}, **HTMX
    )
    assert response.status_code == 200 and is_fragment(response)
    assert hx_trigger(response)["appointmentChanged"]["action"] == "end"
    assert reload(bba).end_date == TODAY

    client.post(url("appointment_archive", world.tenant, bba.pk))
    assert reload(bba).is_archived


def test_an_end_before_the_start_is_a_field_error(world, client_for, bba):
    response = client_for(world.users["leader"]).post(
        url("appointment_end", world.tenant, bba.pk), {"end_date": "2000-01-01"}
    )
    assert response.status_code == 200
    assert "end_date" in form_errors(response)
    assert reload(bba).end_date is None


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_only_process_leaders_write_appointments(world, client_for, bba, functions, role):
    client = client_for(world.users[role])
    before, events = rows(Appointment), audit_count()
    for name, args in [
        ("appointment_add", []),
        ("appointment_edit", [bba.pk]),
        ("appointment_end", [bba.pk]),
        ("appointment_archive", [bba.pk]),
    ]:
        assert client.get(url(name, world.tenant, *args)).status_code == 403, name
        assert (
            client.post(url(name, world.tenant, *args), {"end_date": "2025-01-01"}).status_code
            == 403
        )
    assert client.post(url("function_add", world.tenant), {"name": "X"}).status_code == 403
    assert rows(Appointment) == before and audit_count() == events


def test_another_programmes_appointment_is_404(world, other_world, client_for, functions):
    with scope(tenant=other_world.tenant):
        catalogue.ensure_defaults(other_world.tenant)
        function = AppointmentFunction.objects.first()
    foreign = appoint(other_world, function, other_world.principal)
    client = client_for(world.users["leader"])
    assert client.get(url("appointment_edit", world.tenant, foreign.pk)).status_code == 404
    assert client.post(url("appointment_archive", world.tenant, foreign.pk)).status_code == 404
    assert (
        client.get(
            url("appointment_list", world.tenant, query=f"?principal={other_world.principal.pk}")
        ).status_code
        == 404
    )


LIST_QUERIES = 12


@pytest.mark.parametrize("count", [1, 8])
def test_the_appointments_page_costs_the_same_for_few_and_many(
    world, client_for, functions, django_assert_num_queries, count
):
    school = OperationFactory(tenant=world.tenant, principal=world.principal)
    for index in range(count):
        principal = PrincipalFactory(tenant=world.tenant)
        appoint(world, functions["Nyckelperson"], principal)
        appoint(world, functions["Barnets bästa-ansvarig"], operation=school if index % 2 else None)
    client = client_for(world.users["steering"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url("appointment_list", world.tenant))
    assert text(response).count('<tr id="appointment-') == 2 * count
