"""What every part of the bench seed shares: the programme being written, its
dates, and bulk writes that count what they made."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import models
from django.utils import timezone

from governance.models import (
    ActionItem,
    ActionStatusChange,
    BodyKind,
    BodyRole,
    Decision,
    Meeting,
    Risk,
    RiskReview,
)
from implementation.models import GoodExample, IndicatorValue, SelfAssessment
from portal.models import Membership, Operation, Person, Principal, Role, Tenant, User

from .sizes import Sizes

BATCH = 2_000
PASSWORD = "bench"  # noqa: S105 -- the bench logins, in the bench database only
PRINCIPAL_INDICATORS = 22  # × 15 principals × 60 months = 19,800 values at scale 1
PROGRAMME_INDICATOR_MONTHS = 50  # the rest: programme-wide indicators, 50 months each

# (username suffix, role, title of the login's Person)
LOGINS: tuple[tuple[str, str, str], ...] = (
    ("pl", Role.PROCESS_LEADER, "Processledare"),
    ("sg", Role.STEERING_MEMBER, "Ordförande i styrgruppen"),
    ("kommun", Role.PRINCIPAL_REPORTER, "Utvecklingsledare"),
)
BODIES: tuple[tuple[str, str, str], ...] = (
    ("SG", "Styrgruppen", BodyKind.STEERING_GROUP),
    ("AG", "Arbetsgruppen", BodyKind.WORKING_GROUP),
    ("SKN", "Skolchefsnätverket", BodyKind.SCHOOL_HEADS_NETWORK),
)
MEETING_BODIES = ("SG", "AG", "SG", "SKN", "AG")  # whose meeting, in turn
ROLE_NOTES: dict[str, str] = {
    BodyRole.CHAIR: "ordförande",
    BodyRole.PROCESS_LEADER: "processledare",
    BodyRole.DEPUTY: "ersättare",
    BodyRole.RESEARCHER: "följeforskare",
}
BACKDATED: tuple[type[models.Model], ...] = (
    Membership,
    Meeting,
    Decision,
    ActionItem,
    ActionStatusChange,
    Risk,
    RiskReview,
    SelfAssessment,
    IndicatorValue,
    GoodExample,
)


def slug(number: int) -> str:
    return f"bench-{number:02d}"


def username(number: int, suffix: str) -> str:
    return f"{slug(number)}-{suffix}"


def marker(sizes: Sizes) -> str:
    """What the programme's description records of how it was seeded."""
    return f"seed_bench: {sizes}"


def workday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def first_of_month(day: datetime.date, months_back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


class Seeder:
    # Set by DirectorySeed, used by the others.
    tenant: Tenant
    principals: list[Principal]
    operations: list[Operation]
    operations_of: dict[int, list[Operation]]
    people: list[Person]
    staff: list[Person]
    external: list[Person]
    by_principal: dict[int, list[Person]]
    pl: User
    chair: User
    reporter: User

    def __init__(self, number: int, sizes: Sizes, *, today: datetime.date, password: str) -> None:
        self.number = number
        self.sizes = sizes
        self.today = today
        self.now = self.moment(today, 7)
        self.start = today - datetime.timedelta(days=365 * 5)
        self.password = password  # already hashed
        self.rng = random.Random(f"seed_bench {number}")  # noqa: S311 -- repeatable data
        self.counts: dict[str, int] = defaultdict(int)

    def moment(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def bulk[M: models.Model](self, model: type[M], rows: Sequence[M]) -> list[M]:
        made = model._default_manager.bulk_create(rows, batch_size=BATCH)
        self.counts[model._meta.model_name or ""] += len(made)
        return made

    def through(self, relation: Any, rows: list[dict[str, int]]) -> None:
        """Rows of a many-to-many relation's table, by ids."""
        model = relation.through
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
