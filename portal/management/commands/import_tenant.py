"""`manage.py import_tenant <archive>`: load a programme written by export_tenant
into this database, keeping every primary key and file. See portal.archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.archive import ArchiveError, import_tenant


class Command(BaseCommand):
    help = "Load a programme archive (from export_tenant) into this database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The zip file export_tenant wrote.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            tenant = import_tenant(path)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported {tenant.name} ({tenant.slug}) from {path}.")
