"""`manage.py export_tenant <slug> <archive>`: one programme as one zip archive
(every row, every file, a manifest with checksums). See portal.archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.archive import ArchiveError, export_tenant
from portal.models import Tenant


class Command(BaseCommand):
    help = "Write one programme (rows, files, manifest) to a zip archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The programme's address, e.g. sormland.")
        parser.add_argument("archive", type=Path, help="The zip file to write.")
        parser.add_argument(
            "--with-secrets",
            action="store_true",
            help=(
                "Include the logins' password hashes and the pseudonymisation key "
                "(for a move to another provider; not for archiving)."
            ),
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite the archive file if it exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(f"No programme has the address {options['slug']!r}.")
        path: Path = options["archive"]
        if path.exists() and not options["force"]:
            raise CommandError(f"{path} exists; pass --force to overwrite it.")
        partial = path.with_name(path.name + ".partial")
        try:
            manifest = export_tenant(tenant, partial, with_secrets=options["with_secrets"])
        except ArchiveError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        partial.replace(path)
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Wrote {path}: {rows} rows in {len(manifest['row_counts'])} models, "
            f"{len(manifest['files'])} files (data SHA-256 {manifest['data']['sha256']})."
        )
