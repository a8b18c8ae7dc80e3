"""One bench programme, written with bulk_create inside its tenant scope.

Rows are made the way the services would leave them (decisions numbered per
body and year, the minutes of held meetings finished and approved with a
`MinutesVersion` frozen by `minutes_content`, each action item's status
changes, each approved self-assessment superseding the one before), but
without a query per row: a county programme takes seconds, not minutes. The
staircase and the programme's short lists come from their services, as
everywhere else. The whole seed is one audit event per programme.

Everything is drawn from a `random.Random` seeded with the programme's number,
and dated relative to `today`: the same programme on the same day is the same
data.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import models
from django_scopes import scope

from portal import audit
from portal.models import Tenant
from public.models import PublicSite

from .base import BACKDATED, marker, slug
from .directory import DirectorySeed
from .governance import GovernanceSeed
from .implementation import ImplementationSeed


@contextlib.contextmanager
def backdated() -> Iterator[None]:
    """bulk_create keeps the dates given: auto_now(_add) would stamp five
    years of rows with today."""
    switched = []
    for model in BACKDATED:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in switched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class ProgrammeBuilder(DirectorySeed, GovernanceSeed, ImplementationSeed):
    """One programme, written in the order its rows depend on each other."""

    def run(self) -> Tenant:
        tenant = Tenant(
            slug=slug(self.number),
            name=f"Bänkprogrammet {self.number:02d}",
            region=f"Bänklänet {self.number:02d}",
            description=marker(self.sizes),
        )
        tenant.full_clean()
        tenant.save()
        self.tenant = tenant
        with scope(tenant=tenant):
            with backdated():
                self.directory()
                self.governance()
                self.implementation()
            # Its public site is on (issue 15): `make bench` times its pages.
            PublicSite.objects.create(tenant=tenant, enabled=True, show_decisions=True)
            audit.log(
                actor=None,
                tenant=tenant,
                action="tenant.bench.seed",
                obj=tenant,
                after={"sizes": str(self.sizes), "rows": dict(sorted(self.counts.items()))},
            )
        return tenant
