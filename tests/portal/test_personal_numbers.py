"""No personal identity numbers in the portal (issue 16, item 5): the
detector, the guard on every form, and the architecture that keeps every
form guarded (`portal.personal_numbers`). Uploads: test_personal_number_uploads.py;
every form of every page, posted: tests/trust/test_personal_numbers_probe.py."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps as django_apps
from django.utils import translation
from django_scopes import scope

from portal import personal_numbers
from portal.forms import PersonForm
from portal.models import Person
from tests.helpers import rows

# Valid numbers (real dates, valid Luhn check digits) of fictional people.
TRUE_POSITIVES = [
    "19121212-1212",  # the long form
    "121212-1212",  # the usual form
    "1212121212",  # without the dash
    "191212121212",  # twelve digits
    "121212+1212",  # someone over a hundred
    "701063-2391",  # a samordningsnummer (day + 60)
    "20150312-3786",  # a child born in 2015
    "811228–9874",  # an en dash, as a word processor makes it
]
FALSE_POSITIVES = [
    "2026-12-07",
    "Mötet 2026-12-07 kl. 13.00–15.00",
    "070-123 45 67",
    "0155-24 50 00",
    "RS 2026/1234",
    "Dnr 2026-000123",
    "kostnad 1 234 567 kr",
    "1234567890",  # no month 34
    "121212-1213",  # a wrong check digit
    "232200-0016",  # an organisation number (no month 22)
    "212000-0000",
    "20261207",  # a date without dashes
    "0701011234",  # a mobile number without spaces (its check digit fails)
    "Beslut §12, 1212 elever, 12 skolor",
]


@pytest.mark.parametrize("text", TRUE_POSITIVES)
def test_personal_and_coordination_numbers_are_found(text):
    assert personal_numbers.find(f"Barnet har nummer {text} enligt anmälan.") == [text]


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_ordinary_numbers_are_not_mistaken_for_one(text):
    assert personal_numbers.find(text) == []


def test_a_number_inside_a_longer_run_of_digits_is_not_one():
    assert personal_numbers.find("konto 9121212121212") == []
    assert personal_numbers.find("12121212121") == []


def test_lists_and_dicts_are_searched_through():
    assert personal_numbers.contains({"shortcomings": [{"text": "se 121212-1212"}]})
    assert not personal_numbers.contains({"a": ["2026-12-07", 1212121212]})


# The guard on forms ---------------------------------------------------------------------


class SampleForm(forms.Form):
    title = forms.CharField()
    notes = forms.CharField(widget=forms.Textarea, required=False)
    data = forms.JSONField(required=False)
    phone = forms.CharField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    count = forms.IntegerField(required=False)


def message() -> str:
    with translation.override("en"):
        return str(personal_numbers.TEXT_MESSAGE)


def test_the_guard_is_installed_on_every_form():
    assert personal_numbers.is_installed()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Elevärende 19121212-1212"),
        ("notes", "Rad ett\nBarnets nummer: 121212-1212\n"),
        ("data", '{"rows": [{"text": "1212121212"}]}'),
    ],
)
def test_a_form_refuses_a_number_in_free_text_with_the_reason(field, value):
    form = SampleForm({"title": "Styrgruppsmöte", field: value})
    assert not form.is_valid()
    with translation.override("en"):
        assert form.errors[field] == [message()]
    assert form.errors.as_data()[field][0].code == personal_numbers.CODE
    assert field not in form.cleaned_data


def test_the_message_is_in_swedish_first():
    # The translation is the lead's (.po); the message says what to do either way.
    with translation.override("sv"):
        text = str(personal_numbers.TEXT_MESSAGE)
    assert text in (
        message(),
        "Texten ser ut att innehålla ett personnummer. Portalen får inte innehålla "
        "personuppgifter om barn — ta bort numret.",
    )


def test_phone_password_hidden_and_number_fields_are_not_searched():
    form = SampleForm(
        {
            "title": "Möte 2026-12-07",
            "phone": "0701011234",
            "secret": "121212-1212",
            "token": "1212121212",
            "count": "1212121212",
        }
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_ordinary_numbers_pass_a_form(text):
    form = SampleForm({"title": text, "notes": f"Kostnad och datum: {text}"})
    assert form.is_valid(), form.errors


def test_a_form_may_only_opt_out_by_saying_so():
    class Exempt(SampleForm):
        allows_personal_numbers = True

    assert Exempt({"title": "121212-1212"}).is_valid()


@pytest.mark.django_db
def test_a_directory_person_with_a_number_is_refused_and_not_saved(world):
    before = rows(Person)
    with scope(tenant=world.tenant):
        form = PersonForm(
            {"name": "Anna Fiktiv", "title": "Kurator, elev 20150312-3786", "email": "a@x.se"},
            tenant=world.tenant,
        )
        assert not form.is_valid()
    assert list(form.errors) == ["title"]
    assert rows(Person) == before


# Architecture: every form of the project is guarded -----------------------------------

ROOT = Path(__file__).resolve().parents[2]
# Every app of the project (portal, governance, implementation, research,
# public, and any added since), but the demo data, which has no forms.
APPS = tuple(
    config.name
    for config in django_apps.get_app_configs()
    if Path(config.path).resolve().parent == ROOT and config.name != "demo"
)
# Forms that may take a personal identity number, and why. Adding one here
# is a decision to review, not a way to make a test pass.
MAY_TAKE_NUMBERS: dict[str, str] = {}


def _import_every_module() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or module.name.endswith(".tests"):
                continue
            importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's apps."""
    _import_every_module()
    return sorted(
        (cls for cls in _subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in APPS),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def unguarded(form_classes: list[type[forms.BaseForm]]) -> list[str]:
    """The forms the guard does not reach: one that opts out unlisted, or
    that overrides `full_clean` (its own or a base's) without calling the
    guarded one through `super()`."""
    found = []
    for cls in form_classes:
        name = f"{cls.__module__}.{cls.__qualname__}"
        if getattr(cls, "allows_personal_numbers", False) and name not in MAY_TAKE_NUMBERS:
            found.append(f"{name}: opts out (allows_personal_numbers)")
        for base in cls.__mro__:
            if base is forms.BaseForm or "full_clean" not in vars(base):
                continue
            source = inspect.getsource(vars(base)["full_clean"])
            if "super().full_clean()" not in source:
                found.append(f"{name}: {base.__qualname__}.full_clean skips the guard")
    return found


def test_every_form_of_the_project_is_guarded():
    assert {"portal", "governance", "implementation", "research", "public"} <= set(APPS)
    classes = project_forms()
    # The walk finds the forms (if it found none, the test would prove nothing).
    names = {cls.__qualname__ for cls in classes}
    assert len(classes) >= 80, len(classes)
    assert {"PersonForm", "DecisionForm", "RiskCreateForm", "ReportForm", "PublicSiteForm"} <= names
    assert {"AssessmentForm", "ImportReviewForm", "ShortcomingForm"} <= names
    assert unguarded(classes) == []
    assert personal_numbers.is_installed()


def test_the_architecture_check_catches_a_form_that_slips_past():
    class OptsOut(forms.Form):
        allows_personal_numbers = True
        text = forms.CharField()

    class Bypasses(forms.Form):
        text = forms.CharField()

        def full_clean(self) -> None:
            self.cleaned_data: dict[str, Any] = {"text": self.data.get("text")}
            self._errors = forms.utils.ErrorDict()

    class CallsThrough(forms.Form):
        text = forms.CharField()

        def full_clean(self) -> None:
            super().full_clean()

    assert len(unguarded([OptsOut, Bypasses, CallsThrough])) == 2
    assert CallsThrough({"text": "121212-1212"}).is_valid() is False
    assert Bypasses({"text": "121212-1212"}).is_valid() is True  # which is why it is caught


def test_every_free_text_field_of_a_form_is_searched():
    """The fields the guard searches: every CharField (text, textarea, e-mail,
    JSON, …) but passwords, hidden tokens and phone numbers."""
    assert personal_numbers.scanned_fields(SampleForm()) == ["title", "notes", "data"]


def test_the_research_api_takes_no_text():
    """The one JSON API is read-only: an operation that accepts a body would
    need the guard too."""
    from research.api import api

    methods = {
        method
        for router in [api.default_router, *(r for _, r in api._routers)]
        for path_view in router.path_operations.values()
        for operation in path_view.operations
        for method in operation.methods
    }
    assert methods == {"GET"}
