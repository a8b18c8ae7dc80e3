"""`manage.py import_minutes FILE... --programme SLUG [--body NAME] --json`:
what reading old minutes proposes, one JSON object per file (the shape in the
README, "Importing old minutes"). It writes nothing. (`--commit`, writing as
the review screen does, comes with the review screen: issue 14.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from governance.imports.directory import match_people, vocabulary_for
from governance.imports.parse import read_minutes
from governance.imports.sources import UnreadableFile, read_text, unpack
from portal.models import Tenant


class Command(BaseCommand):
    help = "Print what importing minutes files would propose, as JSON; writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="+", type=Path, help=".txt, .md, .docx, .odt, .pdf, .png, .jpg or a .zip"
        )
        parser.add_argument("--programme", required=True, help="The programme's address.")
        parser.add_argument("--body", help="The body whose minutes these are, if not read.")
        parser.add_argument(
            "--json", action="store_true", required=True, help="Print the proposals as JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Tenant.objects.filter(slug=options["programme"]).first()
        if tenant is None:
            raise CommandError(f"No programme has the address {options['programme']!r}.")
        with scope(tenant=tenant):
            vocabulary = vocabulary_for(tenant)
        proposals: list[dict[str, Any]] = []
        failed = False
        for path in options["files"]:
            try:
                files = unpack(path.name, path.read_bytes())
            except OSError as error:
                self.stderr.write(f"{path}: {error.strerror}")
                failed = True
                continue
            except UnreadableFile as error:
                self.stderr.write(str(error))
                failed = True
                continue
            for name, content in files:  # a .zip: each of its files
                try:
                    text = read_text(name, content)
                except UnreadableFile as error:
                    self.stderr.write(str(error))
                    failed = True
                    continue
                with scope(tenant=tenant):
                    proposal = read_minutes(text, file=name, vocabulary=vocabulary)
                    if options["body"]:
                        proposal.body = options["body"]
                    match_people(proposal, tenant)
                proposals.append(proposal.as_json())
        for shown in proposals:
            self.stdout.write(json.dumps(shown, ensure_ascii=False))
        if failed:
            raise CommandError("Some files could not be read (see above).")
