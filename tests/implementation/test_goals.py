"""Focus areas, wellbeing areas, goals and sub-goals: the defaults, the rules,
and the pages (everyone reads; process leaders write)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from implementation.defaults import DEFAULT_FOCUS_AREAS, DEFAULT_WELLBEING_AREAS
from implementation.models import FocusArea, Goal, WellbeingArea
from implementation.services import catalogue
from implementation.services import goals as services
from portal.models import AuditEvent
from portal.services import DomainError
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


url = url_in("implementation")


@pytest.fixture
def areas(world) -> list[FocusArea]:
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
        return list(FocusArea.objects.order_by("position"))


@pytest.fixture
def other_areas(other_world) -> list[FocusArea]:
    with scope(tenant=other_world.tenant):
        catalogue.ensure_defaults(other_world.tenant)
        return list(FocusArea.objects.order_by("position"))


def make_goal(world, area, title="Barnets bästa-ansvariga utsedda i alla kommuner", **fields):
    with scope(tenant=world.tenant):
        return services.goal_create(
            actor=world.users["leader"], tenant=world.tenant, focus_area=area, title=title, **fields
        )


@pytest.fixture
def goal(world, areas) -> Goal:
    return make_goal(world, areas[1], target_date=datetime.date(2026, 6, 30))


# Defaults -----------------------------------------------------------------------------


def test_the_defaults_are_created_once_per_programme(world, other_world, areas, other_areas):
    with scopes_disabled():
        assert [a.name for a in FocusArea.objects.filter(tenant=world.tenant)] == [
            "Gemensamt förhållningssätt",
            "Gemensamma verktyg och arbetssätt",
            "Gemensam struktur",
        ]
        names = list(
            WellbeingArea.objects.filter(tenant=world.tenant).values_list("name", flat=True)
        )
        assert names == [name for name, _ in DEFAULT_WELLBEING_AREAS]
        assert names == [
            "Trygg",
            "Må bra",
            "Utvecklas",
            "Omvårdad",
            "Aktiv",
            "Respekterad",
            "Ansvarstagande",
            "Delaktig",
        ]
        assert FocusArea.objects.filter(tenant=other_world.tenant).count() == 3
    events = audit_count()
    with scope(tenant=world.tenant):
        catalogue.ensure_defaults(world.tenant)
    assert audit_count() == events


def test_a_programme_that_archived_every_default_keeps_its_own(world, areas):
    with scope(tenant=world.tenant):
        for area in areas:
            catalogue.entry_set_archived(actor=world.users["leader"], entry=area, archived=True)
        catalogue.ensure_defaults(world.tenant)
        assert FocusArea.objects.filter(tenant=world.tenant).count() == len(DEFAULT_FOCUS_AREAS)


def test_the_goals_page_creates_the_defaults(world, client_for):
    response = client_for(world.users["researcher"]).get(url("goal_list", world.tenant))
    assert response.status_code == 200
    assert "Gemensam struktur" in text(response)


# Catalogue pages --------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["focus_area", "wellbeing_area"])
@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_lists(world, client_for, areas, key, role):
    response = client_for(world.users[role]).get(url(f"{key}_list", world.tenant))
    assert response.status_code == 200
    assert (url(f"{key}_add", world.tenant) in text(response)) is (role == "leader")


def test_leader_adds_renames_archives_and_restores_a_wellbeing_area(world, client_for, areas):
    client = client_for(world.users["leader"])

    response = client.post(
        url("wellbeing_area_add", world.tenant), {"name": "Hållbar", "description": "Ny."}, **HTMX
    )
    assert response.status_code == 200 and is_fragment(response)
    assert hx_trigger(response)["wellbeing_areaChanged"]["action"] == "create"
    with scopes_disabled():
        area = WellbeingArea.objects.get(name="Hållbar")
    assert area.position == 9

    response = client.post(
        url("wellbeing_area_edit", world.tenant, area.pk),
        {"name": "Hållbar framtid", "version": area.version},
        **HTMX,
    )
    assert text(response).lstrip().startswith(f'<tr id="wellbeing_area-{area.pk}"')
    assert reload(area).name == "Hållbar framtid"

    client.post(url("wellbeing_area_archive", world.tenant, area.pk))
    assert reload(area).is_archived
    listing = text(client.get(url("wellbeing_area_list", world.tenant)))
    assert f'id="wellbeing_area-{area.pk}"' not in listing
    client.post(url("wellbeing_area_restore", world.tenant, area.pk))
    assert not reload(area).is_archived


def test_a_duplicate_name_is_a_field_error(world, client_for, areas):
    before, events = rows(FocusArea), audit_count()
    response = client_for(world.users["leader"]).post(
        url("focus_area_add", world.tenant), {"name": "gemensam struktur"}
    )
    assert response.status_code == 200
    assert "name" in form_errors(response)
    assert rows(FocusArea) == before and audit_count() == events


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_only_process_leaders_change_the_lists(world, client_for, areas, role):
    client = client_for(world.users[role])
    area = areas[0]
    before, events = rows(FocusArea), audit_count()
    for name, args, data in [
        ("focus_area_add", [], {"name": "X"}),
        ("focus_area_edit", [area.pk], {"name": "X"}),
        ("focus_area_archive", [area.pk], {}),
        ("focus_area_restore", [area.pk], {}),
    ]:
        if name != "focus_area_restore":
            assert client.get(url(name, world.tenant, *args)).status_code == 403, name
        assert client.post(url(name, world.tenant, *args), data).status_code == 403, name
    assert rows(FocusArea) == before and audit_count() == events


def test_another_programmes_entry_is_404(world, client_for, areas, other_areas):
    client = client_for(world.users["leader"])
    foreign = other_areas[0]
    assert client.get(url("focus_area_edit", world.tenant, foreign.pk)).status_code == 404
    assert (
        client.post(url("focus_area_edit", world.tenant, foreign.pk), {"name": "X"}).status_code
        == 404
    )
    assert reload(foreign).name == "Gemensamt förhållningssätt"


def test_edit_form_is_a_row_for_htmx(world, client_for, areas):
    response = client_for(world.users["leader"]).get(
        url("focus_area_edit", world.tenant, areas[0].pk), **HTMX
    )
    assert is_fragment(response)
    assert text(response).lstrip().startswith(f'<tr id="focus_area-{areas[0].pk}" class="row-form"')


# Goals: the rules ------------------------------------------------------------------------


def test_goals_and_sub_goals(world, goal):
    sub = make_goal(world, goal.focus_area, "Samordningsfunktioner utsedda", parent=goal)

    assert sub.parent == goal
    with scopes_disabled():
        assert list(goal.sub_goals.all()) == [sub]
        assert (
            AuditEvent.objects.filter(
                action="goal.create", object_type="implementation.goal"
            ).count()
            == 2
        )


def test_a_sub_goal_cannot_have_sub_goals(world, goal):
    sub = make_goal(world, goal.focus_area, "Delmål", parent=goal)
    with pytest.raises(ValidationError):
        make_goal(world, goal.focus_area, "Del-delmål", parent=sub)


def test_a_sub_goal_is_in_its_goals_focus_area(world, goal, areas):
    with pytest.raises(ValidationError):
        make_goal(world, areas[0], "Fel område", parent=goal)


def test_a_goal_with_sub_goals_cannot_be_archived_first(world, goal):
    sub = make_goal(world, goal.focus_area, "Delmål", parent=goal)
    with scope(tenant=world.tenant):
        with pytest.raises(DomainError):
            services.goal_set_archived(actor=world.users["leader"], goal=goal, archived=True)
        services.goal_set_archived(actor=world.users["leader"], goal=sub, archived=True)
        services.goal_set_archived(actor=world.users["leader"], goal=goal, archived=True)
    assert reload(goal).is_archived


def test_a_goal_of_another_programme_is_refused(world, other_world, goal, other_areas):
    with scope(tenant=world.tenant), pytest.raises(DomainError):
        services.goal_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            focus_area=other_areas[0],
            title="X",
        )


# Goals: the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_goals_with_their_sub_goals(world, client_for, goal, role):
    sub = make_goal(world, goal.focus_area, "Samordningsfunktioner utsedda", parent=goal)
    body = text(client_for(world.users[role]).get(url("goal_list", world.tenant)))
    assert f'id="goal-{goal.pk}"' in body and f'id="goal-{sub.pk}"' in body
    assert "2026-06-30" in body
    assert (url("goal_edit", world.tenant, goal.pk) in body) is (role == "leader")


def test_leader_adds_a_sub_goal_inline(world, client_for, goal):
    client = client_for(world.users["leader"])
    slot = f"goal-{goal.pk}-create"
    form = client.get(url("goal_add", world.tenant, query=f"?parent={goal.pk}&slot={slot}"), **HTMX)
    assert is_fragment(form)
    assert form.context["form"].initial["parent"] == goal.pk

    response = client.post(
        url("goal_add", world.tenant, query=f"?parent={goal.pk}&slot={slot}"),
        {"focus_area": goal.focus_area_id, "parent": goal.pk, "title": "Samordning utsedd"},
        **HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#goal-tree"
    with scopes_disabled():
        assert goal.sub_goals.get().title == "Samordning utsedd"


def test_leader_edits_and_archives_a_goal_without_javascript(world, client_for, goal, areas):
    client = client_for(world.users["leader"])
    response = client.post(
        url("goal_edit", world.tenant, goal.pk),
        {
            "focus_area": areas[2].pk,
            "title": "Nytt mål",
            "target_date": "2027-01-31",
            "version": goal.version,
        },
    )
    assert response.status_code == 302
    goal = reload(goal)
    assert (goal.title, goal.focus_area_id, goal.target_date) == (
        "Nytt mål",
        areas[2].pk,
        datetime.date(2027, 1, 31),
    )
    client.post(url("goal_archive", world.tenant, goal.pk))
    assert reload(goal).is_archived
    client.post(url("goal_restore", world.tenant, goal.pk))
    assert not reload(goal).is_archived


def test_a_goal_without_a_title_is_a_field_error(world, client_for, areas):
    before = rows(Goal)
    response = client_for(world.users["leader"]).post(
        url("goal_add", world.tenant), {"focus_area": areas[0].pk, "title": ""}
    )
    assert response.status_code == 200
    assert "title" in form_errors(response)
    assert rows(Goal) == before


def test_another_programmes_focus_area_is_refused(world, client_for, areas, other_areas):
    client = client_for(world.users["leader"])
    before = rows(Goal)
    assert (
        client.get(
            url("goal_add", world.tenant, query=f"?focus_area={other_areas[0].pk}")
        ).status_code
        == 404
    )
    response = client.post(
        url("goal_add", world.tenant), {"focus_area": other_areas[0].pk, "title": "X"}
    )
    assert response.status_code == 200
    assert "focus_area" in form_errors(response)
    assert rows(Goal) == before


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_only_process_leaders_write_goals(world, client_for, goal, role):
    client = client_for(world.users[role])
    before, events = rows(Goal), audit_count()
    for name, args in [
        ("goal_add", []),
        ("goal_edit", [goal.pk]),
        ("goal_archive", [goal.pk]),
    ]:
        assert client.get(url(name, world.tenant, *args)).status_code == 403, name
        assert client.post(url(name, world.tenant, *args), {"title": "X"}).status_code == 403, name
    assert client.post(url("goal_restore", world.tenant, goal.pk)).status_code == 403
    assert rows(Goal) == before and audit_count() == events


def test_the_goals_page_is_a_fragment_for_htmx(world, client_for, goal):
    response = client_for(world.users["steering"]).get(url("goal_list", world.tenant), **HTMX)
    assert is_fragment(response)
    assert 'id="goal-tree"' in text(response)


GOAL_QUERIES = 12


@pytest.mark.parametrize("count", [1, 6])
def test_the_goals_page_costs_the_same_for_few_and_many(
    world, client_for, areas, django_assert_num_queries, count
):
    for index in range(count):
        parent = make_goal(world, areas[index % 3], f"Mål {index}")
        make_goal(world, parent.focus_area, f"Delmål {index}", parent=parent)
    client = client_for(world.users["leader"])
    with django_assert_num_queries(GOAL_QUERIES):
        response = client.get(url("goal_list", world.tenant))
    assert text(response).count('<article class="goal') == 2 * count
