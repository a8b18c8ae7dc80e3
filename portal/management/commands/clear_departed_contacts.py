"""`manage.py clear_departed_contacts [--dry-run] [--programme SLUG ...]`:
clear the contact details of people who left a programme at least its period
ago (`portal.departures`), as Celery beat does daily. With --dry-run, list
who would be cleared and write nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portal import departures


class Command(BaseCommand):
    help = "Clear the contact details of people who left a programme, after its period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be cleared; change nothing."
        )
        parser.add_argument(
            "--programme",
            action="append",
            dest="slugs",
            metavar="SLUG",
            help="Only this programme (may be repeated). Default: every active programme.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        runs = departures.clear_departed_contacts_everywhere(
            dry_run=dry_run, slugs=options["slugs"]
        )
        verb = "would clear" if dry_run else "cleared"
        total = 0
        for run in runs:
            total += len(run.people)
            self.stdout.write(
                f"{run.tenant.slug}: {verb} {len(run.people)} (period {run.period_days} days)"
            )
            for person in run.people:
                self.stdout.write(
                    f"  {person.pk} {person.name} (archived {person.archived_at:%Y-%m-%d})"
                )
        self.stdout.write(f"{'Would clear' if dry_run else 'Cleared'} {total} in all.")
