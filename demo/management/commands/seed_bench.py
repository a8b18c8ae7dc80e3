"""`manage.py seed_bench --scale N`: bench programmes for `make bench`.

Scale 1 is one county programme over five years (see `_bench/sizes.py`):
15 principals with 8 operations each, 200 people, 60 meetings with agenda,
attendance and approved minutes, 600 decisions, 1,500 action items with their
status changes, 120 risks with reviews, 3,000 self-assessments with criterion
ratings against the default staircase, 20,000 indicator values. Scale N adds
programmes `bench-02` … `bench-NN` of the same size.

Each programme has three logins with the password `bench`:
`bench-NN-pl` (process leader), `bench-NN-sg` (steering-group member, chairs
the steering group and approves the minutes) and `bench-NN-kommun` (principal
reporter for the first municipality).

Idempotent per programme: a programme `bench-NN` that exists is left as it is
(each programme is written in one transaction, so it is there whole or not at
all), and only the missing ones are seeded — `--scale 10` after `--scale 1`
adds nine. A programme seeded at another size is refused: drop the bench
database and seed again. Ends with ANALYZE on PostgreSQL. Deterministic: a
seeded random per programme, dates relative to today (or `--today`).
"""

from __future__ import annotations

import argparse
import datetime
import time
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from demo.management.commands._bench.base import PASSWORD, marker, slug, username
from demo.management.commands._bench.seed import ProgrammeBuilder
from demo.management.commands._bench.sizes import Sizes
from portal import dates
from portal.models import Tenant


class Command(BaseCommand):
    help = "Seed N county-sized bench programmes (logins bench-NN-pl etc., password: bench)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="How many programmes.")
        parser.add_argument(
            "--not-production",
            action="store_true",
            help="Run although DEBUG is off (the bench database). Never on a production database.",
        )
        # For tests: a fraction of each programme's size, e.g. 1/50.
        parser.add_argument(
            "--fraction", type=Fraction, default=Fraction(1), help=argparse.SUPPRESS
        )
        parser.add_argument(
            "--today", type=dates.iso_date_argument, default=None, help=argparse.SUPPRESS
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "seed_bench creates logins with the password 'bench' and runs only with "
                "DEBUG on. Pass --not-production to run it on a bench database."
            )
        scale: int = options["scale"]
        if not 1 <= scale <= 99:
            raise CommandError("The scale is a number of programmes, from 1 to 99.")
        try:
            sizes = Sizes.at(options["fraction"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        today: datetime.date = options["today"] or timezone.localdate()
        password = make_password(PASSWORD)  # hashed once: the hasher is slow on purpose
        for number in range(1, scale + 1):
            existing = Tenant.objects.filter(slug=slug(number)).first()
            if existing is not None:
                if existing.description != marker(sizes):
                    raise CommandError(
                        f"{existing.slug} was seeded at another size ({existing.description!r}); "
                        "drop the bench database and seed again."
                    )
                self.stdout.write(f"{existing.slug}: already seeded, left as it is")
                continue
            started = time.perf_counter()
            with transaction.atomic():
                ProgrammeBuilder(number, sizes, today=today, password=password).run()
            self.stdout.write(
                f"{slug(number)}: seeded in {time.perf_counter() - started:.1f} s "
                f"(login {username(number, 'pl')}, password {PASSWORD!r})"
            )
        if connection.vendor == "postgresql":
            # The planner's statistics, as autovacuum would gather them a while
            # after a bulk load: without them a bench times plans for empty tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
