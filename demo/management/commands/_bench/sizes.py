"""How much one bench programme holds.

Scale 1 is one county programme over five years. A fraction (a hidden option
of seed_bench, for tests) shrinks every count in proportion, but never below
what the structure needs (one principal, one meeting, the three logins'
people). What hangs off each row keeps its shape at every size: eight
operations per principal, eight agenda items per meeting, three reviews per
risk, every criterion rated in every assessment.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from fractions import Fraction

YEARS = 5
OPERATIONS_PER_PRINCIPAL = 8
AGENDA_ITEMS_PER_MEETING = 8
REVIEWS_PER_RISK = 3
LOGINS = 3  # process leader, steering-group chair, principal reporter: each has a Person


@dataclass(frozen=True)
class Sizes:
    principals: int = 15
    people: int = 200
    meetings: int = 60
    decisions: int = 600
    action_items: int = 1_500
    risks: int = 120
    assessments: int = 3_000
    indicator_values: int = 20_000

    @classmethod
    def at(cls, fraction: Fraction) -> Sizes:
        """Scale 1 times `fraction`, rounded, each at least its minimum."""
        if not 0 < fraction <= 1:
            raise ValueError("The fraction is more than 0 and at most 1.")
        full = cls()
        minimum = {"people": LOGINS}
        return cls(
            **{
                f.name: max(minimum.get(f.name, 1), round(getattr(full, f.name) * fraction))
                for f in fields(cls)
            }
        )

    @property
    def operations(self) -> int:
        return self.principals * OPERATIONS_PER_PRINCIPAL

    @property
    def future_meetings(self) -> int:
        """Planned, still to be held (their minutes are drafts)."""
        return self.meetings // 30

    @property
    def pending_meetings(self) -> int:
        """Held, minutes finished and awaiting approval."""
        return self.meetings // 30

    @property
    def held_meetings(self) -> int:
        return self.meetings - self.future_meetings

    @property
    def agenda_items(self) -> int:
        return self.meetings * AGENDA_ITEMS_PER_MEETING

    @property
    def risk_reviews(self) -> int:
        return self.risks * REVIEWS_PER_RISK
