"""The staircase: the default every programme gets, and editing it without
rewriting history (a version in use is copied to the next version first)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from implementation.defaults import DEFAULT_STEPS
from implementation.models import Criterion, Staircase, Step
from implementation.services import staircase as services
from portal.models import AuditEvent
from portal.services import DomainError
from tests.helpers import (
    HTMX,
    audit_count,
    form_errors,
    hx_trigger,
    is_fragment,
    rows,
    text,
    url_in,
)
from tests.implementation.helpers import approved, start

NOT_EDITORS = ["steering", "reporter", "researcher", "admin"]
ROLES = ["leader", *NOT_EDITORS]


url = url_in("implementation")


def steps_of(staircase: Staircase) -> list[Step]:
    with scopes_disabled():
        return list(staircase.steps.order_by("number").prefetch_related("criteria"))


def current(tenant) -> Staircase:
    with scopes_disabled():
        return Staircase.objects.get(tenant=tenant, is_current=True)


def first_step(staircase: Staircase) -> Step:
    return steps_of(staircase)[0]


def first_criterion(staircase: Staircase) -> Criterion:
    with scopes_disabled():
        return Criterion.objects.filter(step__staircase=staircase).order_by(
            "step__number", "position"
        )[0]


# The default ----------------------------------------------------------------------


def test_default_staircase_has_the_six_steps_with_two_to_four_criteria(world, staircase):
    steps = steps_of(staircase)

    assert [s.name for s in steps] == [
        "Förankra och besluta",
        "Kartlägga behov",
        "Förbereda",
        "Pröva",
        "Använda fullt ut",
        "Vidmakthålla",
    ]
    assert [s.number for s in steps] == [1, 2, 3, 4, 5, 6]
    for step in steps:
        assert 2 <= step.criteria.count() <= 4, step.name
        assert step.description and step.goal
    assert staircase.version == 1 and staircase.is_current


def test_default_is_created_once_and_audited(world, staircase, in_scope):
    again = services.staircase_ensure_default(world.tenant)

    assert again.pk == staircase.pk
    assert Staircase.objects.filter(tenant=world.tenant).count() == 1
    assert (
        AuditEvent.objects.filter(action="staircase.default.create", tenant=world.tenant).count()
        == 1
    )


def test_every_programme_has_its_own_staircase(world, other_world, staircase, other_staircase):
    assert staircase.tenant_id != other_staircase.tenant_id
    with scopes_disabled():
        assert Step.objects.filter(staircase=other_staircase).count() == len(DEFAULT_STEPS)


def test_the_staircase_page_creates_the_default_on_first_visit(world, client_for):
    response = client_for(world.users["reporter"]).get(url("staircase_detail", world.tenant))

    assert response.status_code == 200
    assert "Förankra och besluta" in text(response)
    assert current(world.tenant).version == 1


# Editing in place and by new version -----------------------------------------------


def test_an_unused_version_is_edited_in_place(world, staircase, in_scope):
    step = first_step(staircase)

    changed = services.step_update(
        actor=world.users["leader"], step=step, name="Förankra", description="Ny", goal="Mål"
    )

    assert changed.pk == step.pk
    assert Staircase.objects.filter(tenant=world.tenant).count() == 1
    assert changed.name == "Förankra"


def test_editing_a_used_version_creates_the_next_and_keeps_the_old(world, staircase):
    assessment = approved(world, 2)
    step = first_step(staircase)
    criterion = first_criterion(staircase)

    with scope(tenant=world.tenant):
        changed = services.criterion_update(
            actor=world.users["leader"], criterion=criterion, text="Beslut finns i nämnden."
        )

    new = current(world.tenant)
    assert new.version == 2 and new.pk != staircase.pk
    assert changed.step.staircase_id == new.pk and changed.key == criterion.key
    with scopes_disabled():
        old = Staircase.objects.get(pk=staircase.pk)
        assert not old.is_current and old.superseded_at is not None
        # The old version, and the assessment made against it, are as they were.
        assert Criterion.objects.get(pk=criterion.pk).text == criterion.text
        assert Step.objects.get(pk=step.pk).name == step.name
        assessment.refresh_from_db()
        assert assessment.staircase_id == staircase.pk
        assert assessment.computed_step.staircase_id == staircase.pk
    assert [s.name for s in steps_of(new)] == [s.name for s in steps_of(staircase)]


def test_a_new_version_is_made_once_then_edited_in_place(world, staircase):
    approved(world, 1)
    with scope(tenant=world.tenant):
        step = services.step_update(
            actor=world.users["leader"], step=first_step(staircase), name="Besluta"
        )
        services.step_update(actor=world.users["leader"], step=step, name="Besluta och förankra")

    assert current(world.tenant).version == 2
    assert first_step(current(world.tenant)).name == "Besluta och förankra"


def test_only_the_current_version_can_be_changed(world, staircase):
    approved(world, 1)
    old_step = first_step(staircase)
    with scope(tenant=world.tenant):
        services.step_update(actor=world.users["leader"], step=old_step, name="Nytt namn")
        with pytest.raises(DomainError):
            services.step_update(actor=world.users["leader"], step=old_step, name="Igen")


def test_adding_and_removing_steps_renumbers(world, staircase, in_scope):
    added = services.step_add(actor=world.users["leader"], staircase=staircase, name="Sprida")
    assert added.number == 7

    services.step_remove(actor=world.users["leader"], step=steps_of(staircase)[1])

    assert [s.number for s in steps_of(staircase)] == [1, 2, 3, 4, 5, 6]
    assert "Kartlägga behov" not in [s.name for s in steps_of(staircase)]
    event = AuditEvent.objects.filter(action="staircase.step.remove").get()
    assert event.before["name"] == "Kartlägga behov"
    assert len(event.before["criteria"]) == 3


def test_adding_and_removing_criteria(world, staircase, in_scope):
    step = first_step(staircase)
    criterion = services.criterion_add(actor=world.users["leader"], step=step, text="Ny punkt.")
    assert criterion.position == 4

    services.criterion_remove(actor=world.users["leader"], criterion=first_criterion(staircase))

    texts = list(step.criteria.order_by("position").values_list("position", "text"))
    assert [p for p, _ in texts] == [1, 2, 3]
    assert texts[-1][1] == "Ny punkt."


def test_the_last_step_cannot_be_removed(world, staircase, in_scope):
    for step in steps_of(staircase)[1:]:
        services.step_remove(actor=world.users["leader"], step=step)
    with pytest.raises(DomainError):
        services.step_remove(actor=world.users["leader"], step=first_step(staircase))


@pytest.mark.parametrize("name", ["", "   "])
def test_a_step_needs_a_name(world, staircase, in_scope, name):
    with pytest.raises(ValidationError):
        services.step_update(actor=world.users["leader"], step=first_step(staircase), name=name)


# Pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_staircase(world, client_for, staircase, role):
    response = client_for(world.users[role]).get(url("staircase_detail", world.tenant))

    assert response.status_code == 200
    body = text(response)
    for spec in DEFAULT_STEPS:
        assert spec.name in body
        assert spec.criteria[0] in body
    assert (url("step_add", world.tenant) in body) is (role == "leader")


def test_an_earlier_version_is_readable_and_not_editable(world, client_for, staircase):
    approved(world, 1)
    with scope(tenant=world.tenant):
        services.step_update(
            actor=world.users["leader"], step=first_step(staircase), name="Nytt steg ett"
        )

    response = client_for(world.users["steering"]).get(url("staircase_version", world.tenant, 1))

    assert response.status_code == 200
    assert "Förankra och besluta" in text(response)
    assert "Nytt steg ett" not in text(response)
    leader_page = client_for(world.users["leader"]).get(url("staircase_version", world.tenant, 1))
    assert url("step_edit", world.tenant, first_step(staircase).pk) not in text(leader_page)


def test_unknown_version_is_404(world, client_for, staircase):
    assert (
        client_for(world.users["leader"]).get(url("staircase_version", world.tenant, 9)).status_code
        == 404
    )


def test_htmx_gets_the_staircase_section(world, client_for, staircase):
    response = client_for(world.users["leader"]).get(url("staircase_detail", world.tenant), **HTMX)
    assert is_fragment(response)
    assert 'id="staircase"' in text(response)


def test_leader_edits_a_step_inline(world, client_for, staircase):
    step = first_step(staircase)
    client = client_for(world.users["leader"])

    form = client.get(url("step_edit", world.tenant, step.pk), **HTMX)
    assert is_fragment(form) and f'id="step-{step.pk}-head"' in text(form)

    response = client.post(
        url("step_edit", world.tenant, step.pk),
        {"name": "Förankra", "description": "D", "goal": "G", "version": step.version},
        **HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#staircase"
    assert hx_trigger(response)["staircaseChanged"]["action"] == "step_update"
    assert "Förankra" in text(response)
    assert first_step(staircase).name == "Förankra"


def test_editing_a_used_staircase_says_a_new_version_was_made(world, client_for, staircase):
    approved(world, 1)
    response = client_for(world.users["leader"]).post(
        url("criterion_edit", world.tenant, first_criterion(staircase).pk),
        {"text": "Ett nytt kriterium.", "version": first_criterion(staircase).version},
        follow=True,
    )

    assert response.status_code == 200
    assert current(world.tenant).version == 2
    assert "Ett nytt kriterium." in text(response)
    assert first_criterion(staircase).text != "Ett nytt kriterium."


def test_leader_adds_a_step_and_a_criterion_without_javascript(world, client_for, staircase):
    client = client_for(world.users["leader"])

    response = client.post(url("step_add", world.tenant), {"name": "Sprida", "goal": "Fler"})
    assert response.status_code == 302
    step = steps_of(staircase)[-1]
    assert step.name == "Sprida"

    response = client.post(url("criterion_add", world.tenant, step.pk), {"text": "Spridd."})
    assert response.status_code == 302
    assert [c.text for c in steps_of(staircase)[-1].criteria.all()] == ["Spridd."]


def test_leader_removes_a_criterion_and_a_step(world, client_for, staircase):
    client = client_for(world.users["leader"])
    criterion = first_criterion(staircase)

    assert (
        client.get(url("criterion_remove", world.tenant, criterion.pk), **HTMX).status_code == 200
    )
    client.post(url("criterion_remove", world.tenant, criterion.pk))
    client.post(url("step_remove", world.tenant, steps_of(staircase)[-1].pk))

    assert len(steps_of(staircase)) == 5
    assert steps_of(staircase)[0].criteria.count() == 2


def test_blank_criterion_is_a_field_error_and_writes_nothing(world, client_for, staircase):
    before, events = rows(Criterion), audit_count()

    response = client_for(world.users["leader"]).post(
        url("criterion_add", world.tenant, first_step(staircase).pk), {"text": "  "}
    )

    assert response.status_code == 200
    assert "text" in form_errors(response)
    assert rows(Criterion) == before and audit_count() == events


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_only_process_leaders_edit_the_staircase(world, client_for, staircase, role):
    client = client_for(world.users[role])
    step, criterion = first_step(staircase), first_criterion(staircase)
    before, events = rows(Step), audit_count()
    criteria = rows(Criterion)

    for name, args, data in [
        ("step_add", [], {"name": "X"}),
        ("step_edit", [step.pk], {"name": "X"}),
        ("step_remove", [step.pk], {}),
        ("criterion_add", [step.pk], {"text": "X"}),
        ("criterion_edit", [criterion.pk], {"text": "X"}),
        ("criterion_remove", [criterion.pk], {}),
    ]:
        assert client.get(url(name, world.tenant, *args)).status_code == 403, name
        assert client.post(url(name, world.tenant, *args), data).status_code == 403, name

    assert rows(Step) == before and rows(Criterion) == criteria and audit_count() == events


def test_another_programmes_step_is_404(world, client_for, staircase, other_staircase):
    other_step = first_step(other_staircase)
    client = client_for(world.users["leader"])

    assert client.get(url("step_edit", world.tenant, other_step.pk)).status_code == 404
    assert (
        client.post(url("step_edit", world.tenant, other_step.pk), {"name": "X"}).status_code == 404
    )
    assert (
        client.post(
            url("criterion_edit", world.tenant, first_criterion(other_staircase).pk), {"text": "X"}
        ).status_code
        == 404
    )
    assert first_step(other_staircase).name == "Förankra och besluta"


def test_an_earlier_versions_step_is_never_edited_by_url(world, client_for, staircase):
    """A form opened on a step before someone's change made a new version of
    the staircase reaches the same step of the new version, and its save is
    refused as stale: the earlier version stays as it was, the change stays."""
    start(world)  # the version is in use
    old = first_step(staircase)
    with scope(tenant=world.tenant):
        services.step_update(
            actor=world.users["leader"], step=old, name="Ny", expected_version=old.version
        )

    response = client_for(world.users["leader"]).post(
        url("step_edit", world.tenant, old.pk), {"name": "Gammal", "version": old.version}
    )

    assert response.status_code == 200
    assert "name" in form_errors(response)  # what was saved meanwhile
    assert first_step(staircase).name == old.name
    assert first_step(current(world.tenant)).name == "Ny"
