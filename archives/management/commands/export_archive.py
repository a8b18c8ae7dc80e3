"""`manage.py export_archive SLUG [--from DATE] [--to DATE] [--output PATH]`:
the programme's archive package (E-ARK CSIP/SIP, zipped), built here rather
than by a worker, and written to PATH (default: <package id>.zip here).
Recorded in the audit log like a package asked for on the archive page."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from archives import package, services
from portal.models import Tenant
from portal.services import DomainError


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Write a programme's archive package (E-ARK CSIP/SIP) as a zip file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The programme's address (slug).")
        parser.add_argument("--from", dest="start", help="First meeting/record date, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", help="Last meeting/record date, YYYY-MM-DD.")
        parser.add_argument("--output", help="Where to write the zip (a file or a folder).")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(f"No programme with the address {options['slug']!r}.")
        start = _date(options["start"]) if options["start"] else None
        end = _date(options["end"]) if options["end"] else None
        with scope(tenant=tenant):
            try:
                export, _job = services.archive_export_request(
                    actor=None, membership=None, tenant=tenant, period_start=start, period_end=end
                )
            except DomainError as error:
                raise CommandError(str(error)) from None
            data, filename = package.build(export)
        output = Path(options["output"]) if options["output"] else Path(filename)
        if output.is_dir():
            output = output / filename
        output.write_bytes(data)
        self.stdout.write(f"Wrote {output} ({len(data)} bytes), package {export.package_id}.")
