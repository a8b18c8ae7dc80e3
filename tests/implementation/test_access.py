"""implementation/access.py: one lookup per noun. Each `get_<noun>_for`
returns its own programme's object, answers 404 for another programme's id
and one that does not exist, and 403 for too little role to write."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django_scopes import scope

from implementation import access
from implementation.models import AppointmentFunction, FocusArea, Step
from implementation.services import appointments, catalogue, examples, goals, plan
from implementation.services import staircase as staircase_services
from implementation.services.staircase import staircase_ensure_default
from tests.factories import PersonFactory
from tests.implementation.helpers import approved, start

NOT_AN_ID = 999_999_999


def as_member(world, role: str) -> Any:
    """A request as the views get it: the programme and the member's membership."""
    request = RequestFactory().get("/")
    request.tenant = world.tenant
    request.membership = world.memberships[role]
    request.user = world.users[role]
    return request


def lookup(world, role: str, get: Callable[..., Any], pk: int, **options: Any) -> Any:
    with scope(tenant=world.tenant):
        return get(as_member(world, role), pk, **options)


# What each noun is made of, in a given programme --------------------------------------


def _area(world) -> FocusArea:
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
        return FocusArea.objects.filter(tenant=world.tenant).order_by("position").first()


def _step(world) -> Step:
    with scope(tenant=world.tenant):
        staircase = staircase_ensure_default(world.tenant)
        return Step.objects.filter(staircase=staircase).order_by("number").first()


def _criterion(world):
    step = _step(world)
    with scope(tenant=world.tenant):
        return step.criteria.order_by("position").first()


def _goal(world):
    area = _area(world)
    with scope(tenant=world.tenant):
        return goals.goal_create(
            actor=world.users["leader"], tenant=world.tenant, focus_area=area, title="Ett mål"
        )


def _indicator(world):
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
        return goals.indicator_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            name="Antal utsedda",
            kind="antal",
            level="huvudman",
        )


def _example(world):
    _step(world)
    with scope(tenant=world.tenant):
        return examples.example_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="Reviderad frånvarorutin",
            principal=world.principal,
            description="Bygger på välbefinnandehjulet.",
            published=True,
        )


def _sub_project(world):
    with scope(tenant=world.tenant):
        return plan.sub_project_create(actor=None, tenant=world.tenant, title="NPF-delprojektet")


def _activity(world):
    with scope(tenant=world.tenant):
        return plan.activity_create(actor=None, tenant=world.tenant, title="Förstärkt EHT")


def _appointment(world):
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
        function = AppointmentFunction.objects.filter(tenant=world.tenant).first()
        return appointments.appointment_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            function=function,
            principal=world.principal,
            operation=None,
            person=PersonFactory(tenant=world.tenant),
            start_date=datetime.date(2025, 1, 1),
            end_date=None,
        )


def _assessment(world):
    _step(world)
    return approved(world, 2)


NOUNS: dict[str, tuple[Callable[..., Any], Callable[..., Any], dict[str, Any]]] = {
    "self_assessment": (access.get_self_assessment_for, _assessment, {}),
    "step": (access.get_step_for, _step, {}),
    "criterion": (access.get_criterion_for, _criterion, {}),
    "entry": (access.get_entry_for, _area, {"model": FocusArea}),
    "goal": (access.get_goal_for, _goal, {}),
    "indicator": (access.get_indicator_for, _indicator, {}),
    "example": (access.get_example_for, _example, {}),
    "sub_project": (access.get_sub_project_for, _sub_project, {}),
    "activity": (access.get_activity_for, _activity, {}),
    "appointment": (access.get_appointment_for, _appointment, {}),
}


@pytest.fixture(params=sorted(NOUNS))
def noun(request):
    return NOUNS[request.param]


def test_own_programmes_object_is_found_for_reading_and_writing(world, noun):
    get, make, options = noun
    obj = make(world)
    assert lookup(world, "steering", get, obj.pk, **options).pk == obj.pk
    assert lookup(world, "leader", get, obj.pk, write=True, **options).pk == obj.pk


def test_another_programmes_object_is_404(world, other_world, noun):
    get, make, options = noun
    foreign = make(other_world)
    with pytest.raises(Http404):
        lookup(world, "steering", get, foreign.pk, **options)
    with pytest.raises(Http404):
        lookup(world, "leader", get, foreign.pk, write=True, **options)


def test_an_id_that_does_not_exist_is_404(world, noun):
    get, _make, options = noun
    with pytest.raises(Http404):
        lookup(world, "leader", get, NOT_AN_ID, write=True, **options)


def test_too_little_role_to_write_is_403(world, noun):
    get, make, options = noun
    obj = make(world)
    with pytest.raises(PermissionDenied):
        lookup(world, "steering", get, obj.pk, write=True, **options)


# The extra conditions -----------------------------------------------------------------


def test_only_process_leaders_review_an_assessment_and_first_of_all(world, other_world):
    assessment = _assessment(world)
    foreign = _assessment(other_world)
    get = access.get_self_assessment_for
    assert lookup(world, "leader", get, assessment.pk, review=True).pk == assessment.pk
    with pytest.raises(PermissionDenied):
        lookup(world, "steering", get, assessment.pk, review=True)
    # The role is asked before the lookup: a steering member learns nothing of ids.
    with pytest.raises(PermissionDenied):
        lookup(world, "steering", get, foreign.pk, review=True)
    with pytest.raises(Http404):
        lookup(world, "leader", get, foreign.pk, review=True)


def test_a_draft_is_404_to_those_who_may_not_see_it(world):
    _step(world)
    draft = start(world, principal=world.other_principal)
    get = access.get_self_assessment_for
    assert lookup(world, "leader", get, draft.pk, write=True).pk == draft.pk
    with pytest.raises(Http404):
        lookup(world, "steering", get, draft.pk)
    with pytest.raises(Http404):
        lookup(world, "reporter", get, draft.pk, write=True)


def test_a_reporter_writes_their_own_principals_assessment_only(world):
    _step(world)
    own = start(world)
    other = approved(world, 1, principal=world.other_principal)
    get = access.get_self_assessment_for
    assert lookup(world, "reporter", get, own.pk, write=True).pk == own.pk
    assert lookup(world, "reporter", get, other.pk).pk == other.pk
    with pytest.raises(PermissionDenied):
        lookup(world, "reporter", get, other.pk, write=True)


def test_an_attachment_is_found_through_its_assessment(world):
    assessment = _assessment(world)
    with pytest.raises(Http404):
        lookup(world, "leader", access.get_attachment_for, assessment.pk, attachment_pk=NOT_AN_ID)


def test_a_criterion_of_another_staircase_than_the_assessments_is_404(world):
    assessment = _assessment(world)
    criterion = _criterion(world)
    found = lookup(world, "leader", access.get_criterion_for, criterion.pk, assessment=assessment)
    assert found.pk == criterion.pk
    with scope(tenant=world.tenant):
        assessment.staircase_id = NOT_AN_ID
    with pytest.raises(Http404):
        lookup(world, "leader", access.get_criterion_for, criterion.pk, assessment=assessment)


@pytest.mark.parametrize("name", ["example", "sub_project", "activity", "appointment"])
def test_an_archived_row_is_read_but_not_written(world, name):
    get, make, options = NOUNS[name]
    obj = make(world)
    with scope(tenant=world.tenant):
        type(obj).objects.filter(pk=obj.pk).update(
            archived_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        )
    if name != "example":  # an archived example is gone for readers too
        assert lookup(world, "steering", get, obj.pk, **options).pk == obj.pk
    with pytest.raises(Http404):
        lookup(world, "leader", get, obj.pk, write=True, **options)


def test_an_earlier_versions_step_is_written_as_the_current_versions(world):
    _assessment(world)  # the staircase is in use: a change starts a new version
    step = _step(world)
    with scope(tenant=world.tenant):
        changed = staircase_services.step_update(
            actor=world.users["leader"], step=step, name="Nytt namn"
        )
    assert changed.pk != step.pk
    assert lookup(world, "steering", access.get_step_for, step.pk).pk == step.pk
    assert lookup(world, "leader", access.get_step_for, step.pk, write=True).pk == changed.pk
