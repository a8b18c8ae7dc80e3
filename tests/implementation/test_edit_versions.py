"""Lost updates in the implementation services (issue 18, item 3): what the
generated probe over the edit forms (tests/trust/test_lost_updates.py) does
not reach — writes without a form, and the staircase's versions."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scope

from implementation.models import AppointmentFunction, Criterion, FocusArea, Staircase, Step
from implementation.services import appointments, catalogue, goals
from implementation.services import staircase as stairs
from portal.services import ConflictError
from tests.factories import PersonFactory
from tests.implementation.helpers import start

pytestmark = pytest.mark.django_db


def test_ending_an_appointment_makes_its_open_edit_forms_stale(world):
    """The end date is a field of the edit form too: a form opened before the
    appointment was ended cannot blank the end date again."""
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
        appointment = appointments.appointment_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            function=AppointmentFunction.objects.order_by("position").first(),
            principal=world.principal,
            person=PersonFactory(tenant=world.tenant, principal=world.principal),
            start_date=datetime.date(2025, 1, 1),
        )
        opened = appointment.version
        appointments.appointment_end(
            actor=world.users["leader"],
            appointment=appointment,
            end_date=datetime.date(2025, 6, 30),
        )
        with pytest.raises(ConflictError) as refusal:
            appointments.appointment_update(
                actor=world.users["leader"],
                appointment=appointment,
                expected_version=opened,
                note="Ny anteckning",
                end_date=None,
            )
        appointment.refresh_from_db()
        assert appointment.end_date == datetime.date(2025, 6, 30)
        assert refusal.value.saved.end_date == datetime.date(2025, 6, 30)


def test_a_goal_saved_from_two_forms_keeps_the_first_save(world):
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
        area = FocusArea.objects.filter(tenant=world.tenant).order_by("position").first()
        goal = goals.goal_create(actor=None, tenant=world.tenant, focus_area=area, title="Mål")
        goals.goal_update(actor=world.users["leader"], goal=goal, expected_version=1, title="Först")
        with pytest.raises(ConflictError):
            goals.goal_update(
                actor=world.users["leader"],
                goal=goal,
                expected_version=1,
                title="Mål",
                description="Sedan",
            )
        goal.refresh_from_db()
        assert (goal.title, goal.description, goal.version) == ("Först", "", 2)


def _first_step(staircase: Staircase) -> Step:
    return staircase.steps.order_by("number").first()


def test_a_form_opened_before_the_staircase_got_a_new_version_is_stale_for_the_copy(
    world, staircase
):
    """Editing a used staircase copies it; a step's copy carries the step's
    version, so a form opened on the step before cannot overwrite a change
    made to the copy."""
    start(world)  # the version is in use: the next change makes a copy
    with scope(tenant=world.tenant):
        step = _first_step(staircase)
        opened = step.version
        changed = stairs.step_update(
            actor=world.users["leader"], step=step, name="Ny", expected_version=opened
        )
        assert changed.pk != step.pk and changed.staircase.version == 2
        with pytest.raises(ConflictError):
            stairs.step_update(
                actor=world.users["leader"], step=changed, name="Gammal", expected_version=opened
            )
        changed.refresh_from_db()
        assert changed.name == "Ny"


def test_a_criterion_copied_into_a_new_version_keeps_its_version(world, staircase):
    with scope(tenant=world.tenant):
        first, second = Criterion.objects.filter(step__staircase=staircase).order_by("pk")[:2]
        # Not used yet: changed in place, to version 2.
        stairs.criterion_update(
            actor=world.users["leader"], criterion=second, text="Ändrad", expected_version=1
        )
    start(world)  # now used: the next change copies the staircase
    with scope(tenant=world.tenant):
        stairs.criterion_update(
            actor=world.users["leader"], criterion=first, text="Ny lydelse", expected_version=1
        )
        copy = Criterion.objects.get(step__staircase__is_current=True, key=second.key)
        assert copy.pk != second.pk
        assert copy.version == 2
