"""How a research dataset is described: its columns (Frictionless Table
Schema types, bilingual titles, codebooks), the queryset its rows come from and
the period it can be limited to. The datasets themselves are in
`directory`, `implementation` and `governance`; reading their rows is `engine`.
"""

from __future__ import annotations

import builtins
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone, translation

from portal.models import Tenant

# Frictionless Table Schema field types.
INTEGER, NUMBER, STRING, DATE, DATETIME, BOOLEAN = (
    "integer",
    "number",
    "string",
    "date",
    "datetime",
    "boolean",
)

Period = tuple[datetime.date | None, datetime.date | None]
PeriodFilter = Callable[[QuerySet[Any], datetime.date | None, datetime.date | None], QuerySet[Any]]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    sv: str
    en: str
    source: str = ""  # a values() path or an annotation of the dataset's queryset
    choices: builtins.type[models.TextChoices] | None = None
    free_text: bool = False
    pseudonym: bool = False  # `source` is a person's id; the column holds its pseudonym

    @property
    def path(self) -> str:
        return self.source or self.name

    def codebook(self) -> list[tuple[str, str, str]]:
        """(code, Swedish label, English label) of every value of an enumeration."""
        if self.choices is None:
            return []
        labels: dict[str, dict[str, str]] = {}
        for language in ("sv", "en"):
            with translation.override(language):
                labels[language] = {str(c.value): str(c.label) for c in self.choices}
        return [(code, labels["sv"][code], labels["en"][code]) for code in labels["en"]]


@dataclass(frozen=True)
class Dataset:
    key: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    base: Callable[[Tenant], QuerySet[Any]]
    columns: tuple[Column, ...]
    period: PeriodFilter | None = None
    period_sv: str = ""
    period_en: str = ""
    annotations: Callable[[], dict[str, Any]] = field(default=dict)

    @property
    def filename(self) -> str:
        return f"{self.key}.csv"

    @property
    def title(self) -> str:
        """The title in the reader's language (the documentation is bilingual)."""
        return self.title_en if translation.get_language() == "en" else self.title_sv

    @property
    def description(self) -> str:
        return self.description_en if translation.get_language() == "en" else self.description_sv

    @property
    def primary_key(self) -> str:
        return self.columns[0].name

    def columns_for(self, *, include_free_text: bool) -> list[Column]:
        return [c for c in self.columns if include_free_text or not c.free_text]

    @property
    def has_free_text(self) -> bool:
        return any(c.free_text for c in self.columns)

    def queryset(self, tenant: Tenant, period: Period = (None, None)) -> QuerySet[Any]:
        """The dataset's rows as a queryset, in the programme, within the period, by id."""
        qs = self.base(tenant).filter(tenant=tenant)
        annotations = self.annotations()
        if annotations:
            qs = qs.annotate(**annotations)
        start, end = period
        if self.period is not None and (start or end):
            qs = self.period(qs, start, end)
        return qs.order_by("pk")

    def values(
        self, tenant: Tenant, *, period: Period = (None, None), include_free_text: bool = False
    ) -> QuerySet[Any]:
        """The raw values of the exported columns (person ids not yet pseudonymised)."""
        columns = self.columns_for(include_free_text=include_free_text)
        return self.queryset(tenant, period).values_list(*[c.path for c in columns])

    def count(self, tenant: Tenant, *, period: Period = (None, None)) -> int:
        return self.queryset(tenant, period).count()


def on(field_path: str) -> PeriodFilter:
    """Rows whose date (`field_path`) is within the period."""

    def apply(
        qs: QuerySet[Any], start: datetime.date | None, end: datetime.date | None
    ) -> QuerySet[Any]:
        if start:
            qs = qs.filter(**{f"{field_path}__gte": start})
        if end:
            qs = qs.filter(**{f"{field_path}__lte": end})
        return qs

    return apply


def overlapping(start_path: str, end_path: str) -> PeriodFilter:
    """Rows whose own period (an open end: still going) overlaps the period."""

    def apply(
        qs: QuerySet[Any], start: datetime.date | None, end: datetime.date | None
    ) -> QuerySet[Any]:
        if end:
            qs = qs.filter(**{f"{start_path}__lte": end})
        if start:
            qs = qs.filter(Q(**{f"{end_path}__isnull": True}) | Q(**{f"{end_path}__gte": start}))
        return qs

    return apply


def local_date(path: str) -> Callable[[], dict[str, Any]]:
    return lambda: {"local_date": TruncDate(path, tzinfo=timezone.get_current_timezone())}


def archived_column(sv: str = "Arkiverad i portalen", en: str = "Archived in the portal") -> Column:
    return Column(
        "archived", BOOLEAN, sv, en, source="isarchived_flag"
    )  # annotated by `archived_flag`


def archived_flag() -> dict[str, Any]:
    return {
        "isarchived_flag": models.Case(
            models.When(archived_at__isnull=True, then=Value(False)),
            default=Value(True),
            output_field=models.BooleanField(),
        )
    }
