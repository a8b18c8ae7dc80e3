"""The searchable picker (portal/widgets.py): every form that chooses people
uses it, no plain multi-select is left, and it works without JavaScript."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from governance.forms.meetings import AgendaItemAddForm, AttendanceAddForm, MeetingCreateForm
from governance.models import AgendaItem, Meeting
from portal.forms import MemberPersonForm, PeopleChoiceField, PersonChoiceField
from portal.models import Person
from portal.widgets import Picker
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import BodyFactory, MeetingFactory

FORM_MODULES = ["portal.forms", "portal.dashboards.forms", "portal.two_factor", "research.forms"]
FORM_PACKAGES = ["governance.forms", "implementation.forms"]

# GET filters in a toolbar keep a compact select (typing a name jumps to it).
FILTERS = {
    "governance.forms.actions.ActionFilterForm",
    "governance.forms.risks.RiskFilterForm",
}


def _form_classes() -> Iterator[tuple[str, type[forms.BaseForm]]]:
    modules = list(FORM_MODULES)
    for package in FORM_PACKAGES:
        path = importlib.import_module(package).__path__
        modules += [f"{package}.{info.name}" for info in pkgutil.iter_modules(path)]
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module_name and issubclass(cls, forms.BaseForm):
                yield f"{module_name}.{name}", cls


def test_the_guard_finds_the_forms_that_choose_people():
    names = {name for name, _cls in _form_classes()}
    assert "governance.forms.meetings.MeetingCreateForm" in names
    assert "implementation.forms.plan.ActivityForm" in names
    assert "portal.forms.MemberPersonForm" in names


def test_no_form_chooses_from_a_plain_multi_select():
    plain = [
        f"{form}.{field_name}"
        for form, cls in _form_classes()
        for field_name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field.widget, forms.SelectMultiple)
        and not isinstance(field.widget, forms.CheckboxSelectMultiple)
    ]
    assert plain == []


def test_every_form_that_chooses_people_uses_the_searchable_picker():
    people_fields = {
        f"{form}.{field_name}": field
        for form, cls in _form_classes()
        if form not in FILTERS
        for field_name, field in getattr(cls, "base_fields", {}).items()
        if getattr(getattr(field, "queryset", None), "model", None) is Person
    }
    assert len(people_fields) >= 15  # presenters, owners, justerare, note-taker, …
    not_picked = [
        name for name, field in people_fields.items() if not isinstance(field.widget, Picker)
    ]
    assert not_picked == []


# Rendering ----------------------------------------------------------------------


@pytest.fixture
def meeting(world):
    return MeetingFactory(body=BodyFactory(tenant=world.tenant))


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


def _people(world, count):
    return [PersonFactory(tenant=world.tenant, name=f"Person {n:02}") for n in range(count)]


def test_a_multiple_choice_renders_checkboxes_with_a_search_box_and_no_select(world, meeting):
    people = _people(world, 3)
    with scope(tenant=world.tenant), translation.override("en"):
        html = str(AgendaItemAddForm(tenant=world.tenant, meeting=meeting)["presenters"])
    assert "<select" not in html
    assert html.count('type="checkbox"') == 3
    assert "data-picker" in html and "data-multiple" in html
    search = re.search(r'<input type="search" id="([^"]+)"', html)
    assert search is not None
    assert f'<label for="{search.group(1)}">Search the list</label>' in html
    assert f'aria-controls="{search.group(1)}_options"' in html
    assert 'role="status" aria-live="polite"' in html
    for person in people:
        assert f'value="{person.pk}"' in html
    # No inline scripts or styles: the Content-Security-Policy allows neither.
    assert "<script" not in html and "style=" not in html


def test_the_chosen_people_come_first_and_stay_ticked(world, meeting):
    people = _people(world, 5)
    chosen = [people[4].pk, people[2].pk]
    with scope(tenant=world.tenant):
        form = AgendaItemAddForm(
            tenant=world.tenant, meeting=meeting, initial={"presenters": chosen}, presenters=chosen
        )
        html = str(form["presenters"])
    values = re.findall(r'type="checkbox" name="presenters" value="(\d+)"', html)
    assert values[:2] == [str(people[2].pk), str(people[4].pk)]
    assert html.count("checked") == 2


def test_an_optional_single_choice_offers_no_one_and_a_required_one_does_not(world, meeting):
    PersonFactory(tenant=world.tenant)
    with scope(tenant=world.tenant):
        note_taker = str(MeetingCreateForm(tenant=world.tenant)["note_taker"])
        membership = world.memberships["leader"]
        linked = str(MemberPersonForm(tenant=world.tenant, instance=membership)["person"])
    assert 'type="radio" name="note_taker" value=""' in note_taker
    assert 'name="person" value=""' not in linked
    assert 'type="radio" name="person"' in linked


def test_the_picker_shows_title_and_affiliation_to_tell_namesakes_apart(world, meeting):
    principal = PrincipalFactory(tenant=world.tenant, name="Växjö kommun")
    PersonFactory(tenant=world.tenant, name="Anna Hägg", title="Rektor", principal=principal)
    with scope(tenant=world.tenant):
        html = str(AgendaItemAddForm(tenant=world.tenant, meeting=meeting)["presenters"])
    assert '<span class="picker__name">Anna Hägg</span>' in html
    assert '<span class="picker__details">(Rektor, Växjö kommun)</span>' in html


def test_the_picker_costs_the_same_queries_for_few_and_many_people(world, meeting):
    def queries() -> int:
        with scope(tenant=world.tenant), CaptureQueriesContext(connection) as captured:
            form = AttendanceAddForm(tenant=world.tenant, meeting=meeting)
            str(form["person"]), str(form["replaces"])
        return len(captured)

    principal = PrincipalFactory(tenant=world.tenant)
    PersonFactory(tenant=world.tenant, principal=principal)
    few = queries()
    for _ in range(40):
        PersonFactory(tenant=world.tenant, principal=principal)
    assert queries() == few


def test_the_picker_offers_only_the_programmes_own_people(world, other_world, meeting):
    mine = PersonFactory(tenant=world.tenant)
    theirs = PersonFactory(tenant=other_world.tenant)
    with scope(tenant=world.tenant):
        html = str(AgendaItemAddForm(tenant=world.tenant, meeting=meeting)["presenters"])
    assert f'value="{mine.pk}"' in html
    assert f'value="{theirs.pk}"' not in html


# Without JavaScript: the ticked boxes are sent as a normal form -------------------


def test_picking_two_presenters_without_javascript_saves_both(world, leader, meeting):
    people = _people(world, 3)
    response = leader.post(
        reverse("governance:agenda_item_add", args=[world.tenant.slug, meeting.pk]),
        {
            "title": "Statusrapport",
            "kind": "information",
            "presenters": [people[0].pk, people[2].pk],
        },
    )
    assert response.status_code in (200, 302)
    with scopes_disabled():
        item = AgendaItem.objects.get(meeting=meeting, title="Statusrapport")
        assert set(item.presenters.all()) == {people[0], people[2]}


def test_another_programmes_person_is_refused_and_nothing_saved(
    world, other_world, leader, meeting
):
    theirs = PersonFactory(tenant=other_world.tenant)
    response = leader.post(
        reverse("governance:agenda_item_add", args=[world.tenant.slug, meeting.pk]),
        {"title": "Statusrapport", "kind": "information", "presenters": [theirs.pk]},
    )
    assert response.status_code in (200, 400)
    with scopes_disabled():
        assert not AgendaItem.objects.filter(meeting=meeting, title="Statusrapport").exists()
        assert Meeting.objects.get(pk=meeting.pk).agenda_items.count() == 0


def test_bad_input_in_a_picker_is_a_clear_error(world, meeting):
    PersonFactory(tenant=world.tenant)
    with scope(tenant=world.tenant), translation.override("en"):
        form = AgendaItemAddForm(
            {"title": "Risker", "kind": "information", "presenters": ["x"]},
            tenant=world.tenant,
            meeting=meeting,
        )
        assert not form.is_valid()
        assert "presenters" in form.errors
        assert 'aria-invalid="true"' in str(form["presenters"])


def test_the_field_classes_default_to_the_picker():
    assert isinstance(PersonChoiceField(queryset=Person.objects.none()).widget, Picker)
    many = PeopleChoiceField(queryset=Person.objects.none()).widget
    assert isinstance(many, Picker) and many.allow_multiple_selected
