"""Sane dates: every date and time that a person, a script or an import enters
lies between 1990 and 2100, and a date stored outside that range still shows.

One bad date used to take a programme's meetings down: a start in year 1 was
saved (in UTC, a BC timestamp) and psycopg could not read the row back, so
every page that listed the meeting failed. Hence four pieces, each central:

- Forms use `DateField`, `DateTimeField` and `MonthField` from here, and model
  forms get them through `formfield` (`DirectoryModelForm`'s callback). A test
  walks every form class of the project, so a new date field is covered.
- `TenantOwned.clean_fields` refuses such a value before a service saves it
  (`entered_out_of_range`), unless it is the value already stored: a row saved
  before this check can still be cancelled, archived or corrected.
- The research API and the programme import check the same range.
- On PostgreSQL, `install_loaders` reads a date psycopg cannot represent (BC,
  ±infinity, after year 9999) as Python's earliest or latest one instead of
  failing the whole query, so a page shows the row and the form to correct it.
"""

from __future__ import annotations

import argparse
import datetime
import struct
from collections.abc import Collection, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1990
LAST_YEAR = 2100
EARLIEST = datetime.date(FIRST_YEAR, 1, 1)
LATEST = datetime.date(LAST_YEAR, 12, 31)

OUT_OF_RANGE = _("Enter a date between %(first)s and %(last)s.")


def in_range(
    value: datetime.date, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR
) -> bool:
    """`value` (a date or a datetime, by its own calendar year) lies in the range."""
    return first_year <= value.year <= last_year


def out_of_range_error() -> ValidationError:
    return ValidationError(
        OUT_OF_RANGE, code="out_of_range", params={"first": FIRST_YEAR, "last": LAST_YEAR}
    )


def shifted[D: datetime.date](value: D, delta: datetime.timedelta) -> D:
    """`value + delta`, stopping at the first or last day Python knows: a date
    stored outside the range (before it was checked) still gets a window."""
    try:
        return value + delta
    except OverflowError:
        end = datetime.datetime.max if delta > datetime.timedelta(0) else datetime.datetime.min
        if isinstance(value, datetime.datetime):
            return end.replace(tzinfo=value.tzinfo)  # type: ignore[return-value]
        return end.date()  # type: ignore[return-value]


# Form fields ----------------------------------------------------------------------


class _InRange(forms.Field):
    """A date form field that refuses a value outside first_year–last_year
    with a field error, and tells the browser's date picker the same range.
    Mixed in before Django's DateField, DateTimeField."""

    first_year = FIRST_YEAR
    last_year = LAST_YEAR
    # The first and last value the browser may offer, per input type.
    bounds = {
        "date": ("{first}-01-01", "{last}-12-31"),
        "datetime-local": ("{first}-01-01T00:00", "{last}-12-31T23:59"),
        "month": ("{first}-01", "{last}-12"),
    }
    default_error_messages = {"out_of_range": OUT_OF_RANGE}

    def to_python(self, value: Any) -> Any:
        # In to_python, not a validator: code that only parses (a form's
        # __init__ reading the month it was sent) gets the range too.
        value = super().to_python(value)
        if isinstance(value, datetime.date) and not in_range(
            value, self.first_year, self.last_year
        ):
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params=self.range_params(),
            )
        return value

    def range_params(self) -> dict[str, object]:
        return {"first": self.first_year, "last": self.last_year}

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        input_type = getattr(widget, "input_type", None) or widget.attrs.get("type")
        if input_type in self.bounds:
            low, high = self.bounds[input_type]
            attrs.setdefault("min", low.format(first=self.first_year))
            attrs.setdefault("max", high.format(last=self.last_year))
        return attrs


class DateField(_InRange, forms.DateField):
    pass


class DateTimeField(_InRange, forms.DateTimeField):
    pass


class DateInput(forms.DateInput):
    """`<input type="date">`: the browser offers a date picker and sends YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """A period, both ends optional (an export, an archive package)."""

    period_start = DateField(
        label=_("Period from"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for everything from the start."),
    )
    period_end = DateField(
        label=_("Period to"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for everything up to today."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        start: datetime.date | None = cleaned_data.get("period_start")
        end: datetime.date | None = cleaned_data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return cleaned_data


class MonthInput(forms.DateInput):
    """`<input type="month">`: the browser offers a month picker and sends YYYY-MM."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m")


class MonthField(_InRange, forms.DateField):
    """A month, as the first day of it. Accepts YYYY-MM (and a full date)."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Enter a month as YYYY-MM, e.g. 2025-03."),
        "out_of_range": _("Enter a month between %(first)s and %(last)s."),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None

    def range_params(self) -> dict[str, object]:
        return {"first": f"{self.first_year}-01", "last": f"{self.last_year}-12"}


def formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A model form's field for `field`: a date or datetime gets the range check.
    Use as `formfield_callback` of a ModelForm."""
    if isinstance(field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    return field.formfield(**kwargs)


def iso_date_argument(value: str) -> datetime.date:
    """An argparse `type` for a management command's YYYY-MM-DD option."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD).") from error
    if not in_range(day):
        raise argparse.ArgumentTypeError(f"{value} is not between {FIRST_YEAR} and {LAST_YEAR}.")
    return day


# Models ---------------------------------------------------------------------------


def date_fields(model: type[models.Model]) -> list[models.DateField]:
    """The model's date and datetime columns."""
    return [f for f in model._meta.concrete_fields if isinstance(f, models.DateField)]


def out_of_range_values(obj: models.Model, exclude: Collection[str] = ()) -> dict[str, Any]:
    """Field name → value, for each date of `obj` outside the range."""
    found = {}
    for field in date_fields(type(obj)):
        value = getattr(obj, field.attname)
        if field.name not in exclude and isinstance(value, datetime.date) and not in_range(value):
            found[field.name] = value
    return found


def entered_out_of_range(
    obj: models.Model, exclude: Iterable[str] | None = None
) -> dict[str, ValidationError]:
    """Field name → error, for each date of `obj` outside the range that is not
    the value already stored (a row saved before this check, or repaired by
    hand, can still be changed in other ways; its wrong date cannot be entered
    again). Costs a query only when a value is out of range."""
    found = out_of_range_values(obj, set(exclude or ()))
    if found and not obj._state.adding and obj.pk is not None:
        stored = type(obj)._base_manager.filter(pk=obj.pk).values(*found).first() or {}
        found = {name: value for name, value in found.items() if stored.get(name) != value}
    return {name: out_of_range_error() for name in found}


# Reading what psycopg cannot represent (PostgreSQL) -------------------------------

_UTC = datetime.UTC
# The extremes a stored value is read as. The latest time is a day short of
# datetime.max, so that showing it in local time (UTC+1/+2) does not overflow.
_LOW = {
    "date": datetime.date.min,
    "timestamp": datetime.datetime.min,
    "timestamptz": datetime.datetime.min.replace(tzinfo=_UTC),
}
_HIGH = {
    "date": datetime.date.max,
    "timestamp": datetime.datetime.max - datetime.timedelta(days=1),
    "timestamptz": (datetime.datetime.max - datetime.timedelta(days=1)).replace(tzinfo=_UTC),
}


def _is_low(data: Any, binary: bool) -> bool:
    """BC or -infinity (else: after year 9999, or infinity)."""
    raw = bytes(data)
    if binary:
        # A signed count of days (date) or microseconds (timestamps) from 2000-01-01.
        return struct.unpack("!i" if len(raw) == 4 else "!q", raw)[0] < 0
    return raw.startswith(b"-") or raw.endswith(b" BC")


def _clamping(base: type[Any], type_name: str, binary: bool) -> type[Any]:
    from psycopg import DataError
    from psycopg.adapt import Loader

    class ClampingLoader(Loader):
        # Django compares the timestamptz loader's zone with its own on each cursor.
        timezone = getattr(base, "timezone", None)
        format = base.format
        clamps = True

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self.inner = base(oid, context)

        def load(self, data: Any) -> Any:
            try:
                return self.inner.load(data)
            except DataError:
                return (_LOW if _is_low(data, binary) else _HIGH)[type_name]

    ClampingLoader.__name__ = ClampingLoader.__qualname__ = f"Clamping{base.__name__}"
    return ClampingLoader


def install_loaders(connection: Any) -> None:
    """Make a psycopg connection read unrepresentable dates as the extremes."""
    from psycopg.postgres import types
    from psycopg.pq import Format

    adapters = connection.adapters
    for type_name in ("date", "timestamp", "timestamptz"):
        oid = types[type_name].oid
        for fmt in (Format.TEXT, Format.BINARY):
            base = adapters.get_loader(oid, fmt)
            if base is None or getattr(base, "clamps", False):
                continue
            adapters.register_loader(oid, _clamping(base, type_name, fmt == Format.BINARY))


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":
        install_loaders(connection.connection)
