"""Implementation in a real browser: the reporter's form saves each row as a
rating is chosen (and keeps the keyboard focus), the staircase is edited
inline, and the implementation pages pass axe without CSP errors."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from implementation.models import AppointmentFunction, CriterionRating, Step
from implementation.services import appointments, catalogue, examples, goals, plan
from implementation.services.staircase import staircase_ensure_default
from tests.e2e.conftest import assert_accessible, login
from tests.factories import OperationFactory, PersonFactory
from tests.implementation.helpers import approved, start

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


def _url(name: str, world, *args) -> str:
    return reverse(f"implementation:{name}", args=[world.tenant.slug, *args])


@pytest.fixture
def scene(world):
    with scope(tenant=world.tenant):
        staircase_ensure_default(world.tenant)
        catalogue.ensure_defaults(world.tenant)
    school = OperationFactory(tenant=world.tenant, principal=world.principal, name="Grundskolan")
    person = PersonFactory(tenant=world.tenant, principal=world.principal, name="Eva Strateg")
    approved(world, 2, approved_on=datetime.date(2025, 1, 20))
    approved(world, 1, approved_on=datetime.date(2025, 7, 20))
    with scope(tenant=world.tenant):
        area = goals.FocusArea.objects.first()
        goal = goals.goal_create(
            actor=None, tenant=world.tenant, focus_area=area, title="Alla har utsett BBA"
        )
        goals.goal_create(
            actor=None, tenant=world.tenant, focus_area=area, title="Delmål", parent=goal
        )
        goals.indicator_create(
            actor=None, tenant=world.tenant, name="Antal BBA", kind="antal", level="huvudman"
        )
        appointments.appointment_create(
            actor=None,
            tenant=world.tenant,
            function=AppointmentFunction.objects.first(),
            principal=world.principal,
            person=person,
            start_date=datetime.date(2025, 1, 1),
        )
        examples.example_create(
            actor=None,
            tenant=world.tenant,
            title="Frånvarorutinen",
            principal=world.principal,
            description="Beskrivning.",
            operations=[school],
            contact_person=person,
            published=True,
        )
        npf = plan.sub_project_create(actor=None, tenant=world.tenant, title="NPF-delprojektet")
        plan.activity_create(
            actor=None, tenant=world.tenant, title="Förstärkt EHT", sub_project=npf
        )
    draft = start(
        world, actor="reporter", period=(datetime.date(2025, 8, 1), datetime.date(2026, 1, 31))
    )
    return {"draft": draft, "npf": npf}


def test_choosing_a_rating_saves_the_row_and_keeps_the_focus(
    page, live_server, world, scene, console
):
    draft = scene["draft"]
    with scopes_disabled():
        first_step = list(
            Step.objects.get(staircase_id=draft.staircase_id, number=1).criteria.all()
        )
    login(page, live_server, "sormland-reporter", PASSWORD)
    page.goto(live_server.url + _url("assessment_edit", world, draft.pk))

    for criterion in first_step:
        radio = page.locator(f"#assessment-{draft.pk}-criterion_{criterion.pk}_2")
        radio.check()
        page.locator(f"#criterion-{criterion.pk}-status").get_by_text("Sparat.").wait_for()
        assert radio.evaluate("el => el === document.activeElement")

    with scopes_disabled():
        saved = dict(
            CriterionRating.objects.filter(assessment=draft).values_list("criterion_id", "rating")
        )
    assert all(saved[c.pk] == "etablerad" for c in first_step)
    assert "Förankra och besluta" in page.locator("#computed-step").inner_text()
    # The whole form still saves on top of the autosaved rows (no conflict).
    page.locator("button[name=then][value=save]").click()
    page.wait_for_load_state()
    assert page.locator(".conflict").count() == 0
    assert not [m for m in console if "Content Security Policy" in m]


def test_the_staircase_is_edited_inline(page, live_server, world, scene):
    login(page, live_server, "sormland-leader", PASSWORD)
    page.goto(live_server.url + _url("staircase_detail", world))
    with scopes_disabled():
        step = Step.objects.filter(tenant=world.tenant, staircase__is_current=True).get(number=2)
    page.locator(f"#step-{step.pk}-head a[href$='/steps/{step.pk}/edit/']").click()
    page.locator(f"#step-{step.pk}-name").fill("Kartlägga behoven")
    page.locator(f"#step-{step.pk}-head button[type=submit]").click()
    # The version was in use: the new version's whole staircase comes back.
    page.get_by_text("Kartlägga behoven").first.wait_for()
    assert page.locator("#staircase .message--success").count() == 1


@pytest.mark.parametrize("username", ["sormland-leader", "sormland-reporter"])
def test_the_implementation_pages_are_accessible(
    page, live_server, world, scene, axe, console, username
):
    login(page, live_server, username, PASSWORD)
    pages = [
        _url("staircase_detail", world),
        _url("assessment_list", world),
        _url("assessment_principal", world, world.principal.pk),
        _url("assessment_detail", world, scene["draft"].pk),
        _url("assessment_edit", world, scene["draft"].pk),
        _url("goal_list", world),
        _url("indicator_list", world),
        _url("indicator_report", world),
        _url("appointment_list", world),
        _url("example_list", world),
        _url("example_principal", world, world.principal.pk),
        _url("plan_list", world),
        _url("sub_project_detail", world, scene["npf"].pk),
    ]
    if username == "sormland-leader":
        pages.append(_url("assessment_review_queue", world))
    for path in pages:
        page.goto(live_server.url + path)
        assert_accessible(axe, page)
    assert not [m for m in console if "Content Security Policy" in m]
