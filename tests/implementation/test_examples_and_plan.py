"""Good examples (published for everyone, unpublished for process leaders and
the principal's reporters), the page per principal, and the implementation
plan with its sub-projects and activities."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from implementation.models import (
    Activity,
    AppointmentFunction,
    GoodExample,
    SelfAssessment,
    Step,
    SubProject,
    WellbeingArea,
)
from implementation.services import appointments, catalogue, examples, plan
from portal.models import Role
from tests.factories import MembershipFactory, OperationFactory, PersonFactory, UserFactory
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
from tests.implementation.helpers import H2, approved

NOT_EDITORS = ["steering", "reporter", "researcher", "admin"]
ROLES = ["leader", *NOT_EDITORS]


url = url_in("implementation")


@pytest.fixture
def defaults(world, staircase):
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)


@pytest.fixture
def school(world):
    return OperationFactory(tenant=world.tenant, principal=world.principal, name="Grundskolan")


@pytest.fixture
def contact(world):
    return PersonFactory(
        tenant=world.tenant, principal=world.principal, name="Eva Strateg", email="eva@x.example.se"
    )


def make_example(world, *, published=True, principal=None, **fields):
    with scope(tenant=world.tenant):
        return examples.example_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            principal=principal or world.principal,
            **{
                "title": "Reviderad frånvarorutin",
                "description": "Frånvarorutinen bygger nu på välbefinnandehjulet.",
                "published": published,
                **fields,
            },
        )


@pytest.fixture
def published(world, defaults, school, contact):
    with scopes_disabled():
        areas = list(
            WellbeingArea.objects.filter(tenant=world.tenant, name__in=["Trygg", "Utvecklas"])
        )
        steps = list(Step.objects.filter(tenant=world.tenant, number=4))
    return make_example(
        world, operations=[school], contact_person=contact, wellbeing_areas=areas, steps=steps
    )


@pytest.fixture
def unpublished(world, defaults):
    return make_example(world, published=False, title="Samordnade elevhälsomöten")


@pytest.fixture
def other_reporter(world, client_for):
    user = UserFactory(username="reporter-b")
    MembershipFactory(
        tenant=world.tenant,
        user=user,
        role=Role.PRINCIPAL_REPORTER,
        principal=world.other_principal,
    )
    return client_for(user)


# Good examples -----------------------------------------------------------------------


def test_an_examples_operations_are_its_principals(world, defaults):
    foreign = OperationFactory(tenant=world.tenant, principal=world.other_principal)
    with pytest.raises(ValidationError):
        make_example(world, operations=[foreign])


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_published_examples(world, client_for, published, role):
    client = client_for(world.users[role])
    listing = text(client.get(url("example_list", world.tenant)))
    assert f'id="example-{published.pk}"' in listing
    detail = client.get(url("example_detail", world.tenant, published.pk))
    assert detail.status_code == 200
    body = text(detail)
    assert "Eva Strateg" in body and "Grundskolan" in body and "Trygg" in body


@pytest.mark.parametrize("role", ["steering", "researcher", "admin"])
def test_unpublished_examples_are_404_to_others(world, client_for, unpublished, role):
    client = client_for(world.users[role])
    assert f'id="example-{unpublished.pk}"' not in text(
        client.get(url("example_list", world.tenant))
    )
    assert client.get(url("example_detail", world.tenant, unpublished.pk)).status_code == 404


def test_the_principals_reporter_sees_its_unpublished_example(
    world, client_for, other_reporter, unpublished
):
    reporter = client_for(world.users["reporter"])
    assert reporter.get(url("example_detail", world.tenant, unpublished.pk)).status_code == 200
    assert (
        other_reporter.get(url("example_detail", world.tenant, unpublished.pk)).status_code == 404
    )


def test_leader_writes_and_publishes_an_example(world, client_for, defaults, school, contact):
    client = client_for(world.users["leader"])
    response = client.post(
        url("example_add", world.tenant),
        {
            "title": "Frånvarorutin",
            "principal": world.principal.pk,
            "operations": [school.pk],
            "description": "Så här gjorde vi.",
            "contact_person": contact.pk,
            "status": "pagaende",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        example = GoodExample.objects.get()
    assert not example.is_published

    response = client.post(
        url("example_publish", world.tenant, example.pk), {"published": "1"}, **HTMX
    )
    assert is_fragment(response)
    assert hx_trigger(response)["exampleChanged"]["action"] == "publish"
    assert reload(example).is_published
    client.post(url("example_publish", world.tenant, example.pk), {"published": "0"})
    assert not reload(example).is_published


def test_an_example_needs_a_description_and_own_operations(world, client_for, defaults):
    foreign = OperationFactory(tenant=world.tenant, principal=world.other_principal)
    before, events = rows(GoodExample), audit_count()
    response = client_for(world.users["leader"]).post(
        url("example_add", world.tenant),
        {
            "title": "X",
            "principal": world.principal.pk,
            "operations": [foreign.pk],
            "status": "pagaende",
        },
    )
    assert response.status_code == 200
    assert {"description", "operations"} <= set(form_errors(response))
    assert rows(GoodExample) == before and audit_count() == events


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_only_process_leaders_write_examples(world, client_for, published, role):
    client = client_for(world.users[role])
    before, events = rows(GoodExample), audit_count()
    for name, args in [
        ("example_add", []),
        ("example_edit", [published.pk]),
        ("example_archive", [published.pk]),
    ]:
        assert client.get(url(name, world.tenant, *args)).status_code == 403, name
        assert client.post(url(name, world.tenant, *args), {"title": "X"}).status_code == 403, name
    assert (
        client.post(
            url("example_publish", world.tenant, published.pk), {"published": "0"}
        ).status_code
        == 403
    )
    assert rows(GoodExample) == before and audit_count() == events


def test_leader_edits_and_archives_an_example(world, client_for, published):
    client = client_for(world.users["leader"])
    response = client.post(
        url("example_edit", world.tenant, published.pk),
        {
            "title": "Frånvarorutinen i Vingåker",
            "principal": world.principal.pk,
            "description": "Ny text.",
            "status": "avslutat",
            "version": published.version,
        },
    )
    assert response.status_code == 302
    example = reload(published)
    assert (example.title, example.status) == ("Frånvarorutinen i Vingåker", "avslutat")
    with scopes_disabled():
        assert not example.operations.exists()
    client.post(url("example_archive", world.tenant, published.pk))
    assert reload(published).is_archived
    assert client.get(url("example_detail", world.tenant, published.pk)).status_code == 404


def test_another_programmes_example_is_404(
    world, other_world, client_for, staircase, other_staircase
):
    with scope(tenant=other_world.tenant):
        catalogue.ensure_defaults(other_world.tenant)
    foreign = make_example(other_world, principal=other_world.principal)
    client = client_for(world.users["leader"])
    assert client.get(url("example_detail", world.tenant, foreign.pk)).status_code == 404
    assert (
        client.post(
            url("example_publish", world.tenant, foreign.pk), {"published": "0"}
        ).status_code
        == 404
    )


def test_the_list_filters_by_wellbeing_area(world, client_for, published, unpublished):
    with scopes_disabled():
        trygg = WellbeingArea.objects.get(tenant=world.tenant, name="Trygg")
        aktiv = WellbeingArea.objects.get(tenant=world.tenant, name="Aktiv")
    client = client_for(world.users["leader"])
    body = text(client.get(url("example_list", world.tenant, query=f"?area={trygg.pk}")))
    assert f'id="example-{published.pk}"' in body and f'id="example-{unpublished.pk}"' not in body
    body = text(client.get(url("example_list", world.tenant, query=f"?area={aktiv.pk}"), **HTMX))
    assert f'id="example-{published.pk}"' not in body


LIST_QUERIES = 13


@pytest.mark.parametrize("count", [1, 6])
def test_the_examples_page_costs_the_same_for_few_and_many(
    world, client_for, defaults, school, django_assert_num_queries, count
):
    with scopes_disabled():
        areas = list(WellbeingArea.objects.filter(tenant=world.tenant)[:2])
    for index in range(count):
        make_example(world, title=f"Exempel {index}", operations=[school], wellbeing_areas=areas)
    client = client_for(world.users["steering"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url("example_list", world.tenant))
    assert text(response).count('<li class="card" id="example-') == count


# The page per principal ---------------------------------------------------------------------


def test_the_principal_page_gathers_examples_people_steps_and_work(
    world, client_for, published, unpublished, contact
):
    with scope(tenant=world.tenant):
        function = AppointmentFunction.objects.get(name="Kontaktperson")
        appointments.appointment_create(
            actor=None,
            tenant=world.tenant,
            function=function,
            principal=world.principal,
            person=contact,
            start_date=datetime.date(2025, 1, 1),
        )
        sub_project = plan.sub_project_create(
            actor=None,
            tenant=world.tenant,
            title="NPF-delprojektet",
            status="pagaende",
            principals=[world.principal],
        )
        plan.activity_create(
            actor=None,
            tenant=world.tenant,
            title="Klart sedan länge",
            status="klar",
            principals=[world.principal],
        )
    current = approved(world, 3)

    response = client_for(world.users["steering"]).get(
        url("example_principal", world.tenant, world.principal.pk)
    )

    assert response.status_code == 200
    body = text(response)
    assert f'id="example-{published.pk}"' in body
    assert f'id="example-{unpublished.pk}"' not in body
    assert "Eva Strateg" in body and "eva@x.example.se" in body
    assert url("assessment_detail", world.tenant, current.pk) in body
    assert url("sub_project_detail", world.tenant, sub_project.pk) in body
    assert "Klart sedan länge" not in body


def test_the_principal_page_clicks_through_the_principals(world, client_for, defaults):
    client = client_for(world.users["reporter"])
    first = client.get(url("example_principal", world.tenant, world.principal.pk))
    page = first.context["page"]
    assert page.previous is None and page.next == world.other_principal
    assert url("example_principal", world.tenant, world.other_principal.pk) in text(first)
    second = client.get(url("example_principal", world.tenant, world.other_principal.pk), **HTMX)
    assert is_fragment(second)
    assert second.context["page"].previous == world.principal


# The implementation plan ----------------------------------------------------------------------


@pytest.fixture
def npf(world, defaults):
    leader_person = PersonFactory(tenant=world.tenant, name="Linnea Processledare")
    with scope(tenant=world.tenant):
        sub_project = plan.sub_project_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="NPF-delprojektet",
            owner=leader_person,
            status="pagaende",
            decision_reference="LSG 2025 §4",
            working_groups="Skolchefsnätverket",
        )
        plan.activity_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            sub_project=sub_project,
            title="Förslag 1: Förstärkt EHT",
            status="planerad",
            due_date=timezone.localdate() - datetime.timedelta(days=10),
            working_groups="Arbetsgrupp förstärkt EHT",
        )
    return sub_project


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_plan(world, client_for, npf, role):
    client = client_for(world.users[role])
    body = text(client.get(url("plan_list", world.tenant)))
    assert "NPF-delprojektet" in body and "Förslag 1: Förstärkt EHT" in body
    assert "badge--overdue" in body
    detail = client.get(url("sub_project_detail", world.tenant, npf.pk))
    assert detail.status_code == 200
    assert "LSG 2025 §4" in text(detail)
    assert (url("activity_add", world.tenant) in text(detail)) is (role == "leader")


def test_leader_adds_a_proposal_to_the_sub_project(world, client_for, npf):
    client = client_for(world.users["leader"])
    form = client.get(url("activity_add", world.tenant, query=f"?sub_project={npf.pk}"))
    assert form.context["form"].initial["sub_project"] == npf.pk
    response = client.post(
        url("activity_add", world.tenant),
        {
            "title": "Förslag 2: Digital plattform",
            "sub_project": npf.pk,
            "status": "pagaende",
            "decision_reference": "SG 2025 §12",
            "decision_url": "https://example.se/protokoll.pdf",
            "working_groups": "Arbetsgrupp digital plattform",
            "principals": [world.principal.pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url("sub_project_detail", world.tenant, npf.pk))
    with scopes_disabled():
        activity = Activity.objects.get(title="Förslag 2: Digital plattform")
        assert list(activity.principals.all()) == [world.principal]
    assert activity.decision_reference == "SG 2025 §12"


def test_leader_edits_and_archives_the_plan(world, client_for, npf):
    client = client_for(world.users["leader"])
    with scopes_disabled():
        activity = npf.activities.get()
    response = client.post(
        url("activity_edit", world.tenant, activity.pk),
        {
            "title": "Förstärkt EHT",
            "sub_project": npf.pk,
            "status": "klar",
            "version": activity.version,
        },
    )
    assert response.status_code == 302
    assert reload(activity).status == "klar"
    client.post(url("activity_archive", world.tenant, activity.pk))
    assert reload(activity).is_archived
    response = client.post(
        url("sub_project_edit", world.tenant, npf.pk),
        {"title": "NPF", "status": "pausad", "version": npf.version},
    )
    assert response.status_code == 302 and reload(npf).status == "pausad"
    client.post(url("sub_project_archive", world.tenant, npf.pk))
    assert reload(npf).is_archived


def test_a_bad_decision_link_is_a_field_error(world, client_for, npf):
    before, events = rows(SubProject), audit_count()
    response = client_for(world.users["leader"]).post(
        url("sub_project_edit", world.tenant, npf.pk),
        {"title": "", "status": "okänd", "decision_url": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert {"title", "status", "decision_url"} <= set(form_errors(response))
    assert rows(SubProject) == before and audit_count() == events


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_only_process_leaders_write_the_plan(world, client_for, npf, role):
    client = client_for(world.users[role])
    with scopes_disabled():
        activity = npf.activities.get()
    before, events = rows(Activity), audit_count()
    for name, args in [
        ("sub_project_add", []),
        ("sub_project_edit", [npf.pk]),
        ("sub_project_archive", [npf.pk]),
        ("activity_add", []),
        ("activity_edit", [activity.pk]),
        ("activity_archive", [activity.pk]),
    ]:
        assert client.get(url(name, world.tenant, *args)).status_code == 403, name
        assert client.post(url(name, world.tenant, *args), {"title": "X"}).status_code == 403, name
    assert rows(Activity) == before and audit_count() == events


def test_another_programmes_plan_is_404(world, other_world, client_for, npf):
    with scope(tenant=other_world.tenant):
        foreign = plan.sub_project_create(actor=None, tenant=other_world.tenant, title="Annat")
    client = client_for(world.users["leader"])
    assert client.get(url("sub_project_detail", world.tenant, foreign.pk)).status_code == 404
    assert (
        client.post(url("sub_project_edit", world.tenant, foreign.pk), {"title": "X"}).status_code
        == 404
    )
    response = client.post(
        url("activity_add", world.tenant),
        {"title": "X", "status": "planerad", "sub_project": foreign.pk},
    )
    assert response.status_code == 200 and "sub_project" in form_errors(response)


def test_the_plan_is_a_fragment_for_htmx(world, client_for, npf):
    response = client_for(world.users["steering"]).get(url("plan_list", world.tenant), **HTMX)
    assert is_fragment(response) and 'id="plan"' in text(response)


PLAN_QUERIES = 13


@pytest.mark.parametrize("count", [1, 5])
def test_the_plan_costs_the_same_for_few_and_many(
    world, client_for, defaults, django_assert_num_queries, count
):
    with scope(tenant=world.tenant):
        for index in range(count):
            sub_project = plan.sub_project_create(
                actor=None,
                tenant=world.tenant,
                title=f"Delprojekt {index}",
                principals=[world.principal],
            )
            plan.activity_create(
                actor=None, tenant=world.tenant, title=f"A {index}", sub_project=sub_project
            )
            plan.activity_create(
                actor=None, tenant=world.tenant, title=f"B {index}", principals=[world.principal]
            )
    client = client_for(world.users["steering"])
    with django_assert_num_queries(PLAN_QUERIES):
        response = client.get(url("plan_list", world.tenant))
    assert text(response).count('<tr id="activity-') == 2 * count


# Self-assessment of a sub-project ----------------------------------------------------------------


def test_a_sub_projects_assessments_have_their_own_line(world, client_for, npf):
    whole = approved(world, 2)
    first = approved(world, 3, sub_project=npf)
    second = approved(world, 1, sub_project=npf, period=H2)

    assert "NPF-delprojektet" in second.subject
    assert second.supersedes == first and second.moved_back
    assert reload(whole).superseded_at is None
    body = text(
        client_for(world.users["steering"]).get(
            url("assessment_principal", world.tenant, world.principal.pk)
        )
    )
    assert f'id="timeline-o0-s{npf.pk}"' in body and 'id="timeline-principal"' in body


def test_a_reporter_starts_an_assessment_of_a_sub_project(world, client_for, npf):
    response = client_for(world.users["reporter"]).post(
        url("assessment_create", world.tenant),
        {
            "principal": world.principal.pk,
            "sub_project": npf.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert SelfAssessment.objects.get().sub_project == npf
