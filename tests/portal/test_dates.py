"""Sane dates (issue 18, item 2), as generated guards over the whole project.

Every date a person, a script or an import enters lies between 1990 and 2100
(`portal.dates`). These tests find the places by themselves, so a new form,
date field or model is covered without anyone remembering to add it:

- every date, datetime and month field of every form class refuses year 1,
  1989, 2101 and year 9999 with a field error, and takes an ordinary date;
- every date column of every model is checked before a service saves it;
- on PostgreSQL, a stored date that Python cannot represent (BC, infinity,
  after 9999) is read as the earliest or latest one instead of failing.

The pages themselves (forms found on them, stored extremes shown to every
role) are probed in tests/trust/test_dates_probe.py.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models

from portal import dates
from portal.models import TenantOwned

APPS = ("portal", "governance", "implementation", "research")
# What a person can type into each kind of field, per input type.
EXTREMES = {
    "date": ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"],
    "datetime-local": [
        "0001-01-01T00:00",
        "1989-12-31T23:59",
        "2101-01-01T00:00",
        "9999-12-31T23:59",
    ],
    "month": ["0001-01", "1989-12", "2101-01", "9999-12"],
}
ORDINARY = {"date": "2025-06-16", "datetime-local": "2025-06-16T13:00", "month": "2025-06"}


def _project_form_classes() -> Iterator[type[forms.BaseForm]]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: set[type] = set()
    for cls in subclasses(forms.BaseForm):
        if cls.__module__.split(".")[0] in APPS and cls not in seen:
            seen.add(cls)
            yield cls


def _input_type(field: forms.Field) -> str | None:
    """The kind of date a field takes, or None for a field that takes no date."""
    kind = getattr(field.widget, "input_type", None) or field.widget.attrs.get("type")
    if isinstance(field, forms.DateTimeField | forms.SplitDateTimeField):
        return "datetime-local"
    if isinstance(field, forms.DateField):
        return "month" if kind == "month" else "date"
    return kind if kind in EXTREMES else None


def _date_fields() -> list[tuple[str, forms.Field, str]]:
    found = []
    for cls in _project_form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():  # not a mixin
            kind = _input_type(field)
            if kind is not None:
                found.append((f"{cls.__module__}.{cls.__qualname__}.{name}", field, kind))
    return found


DATE_FIELDS = _date_fields()


def test_the_walk_finds_the_forms_with_dates():
    names = {name for name, _field, _kind in DATE_FIELDS}
    assert "governance.forms.meetings.PlanNextForm.starts_at" in names
    assert "governance.forms.meetings.MeetingCreateForm.ends_at" in names
    assert "governance.forms.bodies.BodyMemberForm.start_date" in names  # a model form
    assert "governance.forms.reports.ReportForm.period" in names  # a month
    assert "research.forms.ReportForm.published_on" in names
    assert "research.forms.StreamForm.period_end" in names
    assert len(names) >= 30


@pytest.mark.parametrize(("name", "field", "kind"), DATE_FIELDS, ids=[f[0] for f in DATE_FIELDS])
def test_every_date_field_of_every_form_refuses_years_outside_1990_to_2100(name, field, kind):
    for value in EXTREMES[kind]:
        with pytest.raises(ValidationError) as refused:
            field.clean(value)
        assert refused.value.code == "out_of_range", f"{name} took {value}"
    assert field.clean(ORDINARY[kind]).year == 2025


@pytest.mark.parametrize(("name", "field", "kind"), DATE_FIELDS, ids=[f[0] for f in DATE_FIELDS])
def test_every_date_picker_offers_only_the_range(name, field, kind):
    html = field.widget.render("x", None, attrs=field.widget_attrs(field.widget))
    assert f'type="{kind}"' in html
    assert 'min="' in html and 'max="' in html, name


# Models -------------------------------------------------------------------------


def _model_date_fields() -> list[tuple[type[models.Model], models.DateField]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model._meta.app_label in APPS
        for field in dates.date_fields(model)
        if field.editable and not (field.auto_now or field.auto_now_add)  # type: ignore[attr-defined]
    ]


MODEL_FIELDS = _model_date_fields()
# Rows whose dates people do not enter: the login's, set by Django's login.
NOT_ENTERED = {("portal.user", "last_login"), ("portal.user", "date_joined")}


def test_the_walk_finds_the_models_with_dates():
    labels = {f"{m._meta.label_lower}.{f.name}" for m, f in MODEL_FIELDS}
    assert {"governance.meeting.starts_at", "implementation.indicatorvalue.period"} <= labels


@pytest.mark.parametrize(
    ("model", "field"), MODEL_FIELDS, ids=[f"{m._meta.label}.{f.name}" for m, f in MODEL_FIELDS]
)
def test_every_date_column_is_checked_before_it_is_saved(model, field):
    if (model._meta.label_lower, field.name) in NOT_ENTERED:
        return
    assert issubclass(model, TenantOwned), f"{model._meta.label} is not checked (TenantOwned)"
    others = [f.name for f in model._meta.fields if f.name != field.name]
    for value in (datetime.date(1, 1, 1), datetime.date(1989, 12, 31), datetime.date(9999, 12, 31)):
        if isinstance(field, models.DateTimeField):
            value = datetime.datetime(value.year, value.month, value.day, 12, tzinfo=datetime.UTC)
        with pytest.raises(ValidationError) as refused:
            model(**{field.attname: value}).clean_fields(exclude=others)
        assert list(refused.value.message_dict) == [field.name]
    model(**{field.attname: field.to_python("2025-06-16")}).clean_fields(exclude=others)


# Reading what PostgreSQL holds and Python cannot ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT '0001-12-31 BC'::date", datetime.date.min),
        ("SELECT '-infinity'::date", datetime.date.min),
        ("SELECT 'infinity'::date", datetime.date.max),
        ("SELECT '10000-01-01'::date", datetime.date.max),
        ("SELECT '2025-06-16'::date", datetime.date(2025, 6, 16)),
        (
            "SELECT '0001-12-31 23:00:00+00 BC'::timestamptz",
            datetime.datetime.min.replace(tzinfo=datetime.UTC),
        ),
        (
            "SELECT 'infinity'::timestamptz",
            (datetime.datetime.max - datetime.timedelta(days=1)).replace(tzinfo=datetime.UTC),
        ),
        (
            "SELECT '2025-06-16 12:00:00+00'::timestamptz",
            datetime.datetime(2025, 6, 16, 12, tzinfo=datetime.UTC),
        ),
        ("SELECT '0001-12-31 23:00:00 BC'::timestamp", datetime.datetime.min),
    ],
)
def test_a_stored_date_python_cannot_hold_is_read_as_the_nearest_one(sql, expected):
    assert connection.vendor == "postgresql", "the suite runs on PostgreSQL"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        assert cursor.fetchone() == (expected,)
