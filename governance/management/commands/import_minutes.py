"""`manage.py import_minutes FILE... --programme SLUG [--body NAME] --json`:
what reading old minutes proposes, one JSON object per file (the shape in the
README, "Importing old minutes"). It writes nothing.

`--commit` writes each file's meeting as the review screen does when every
proposed element is accepted (`governance.services.imports.import_commit`):
one transaction per file, audited, the file kept as the meeting's source
document and its minutes approved in the original. The imports are listed
on the programme's import page, where each can be undone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from governance.imports.reading import read_file
from governance.imports.sources import UnreadableFile, unpack
from governance.models import Body
from governance.services.imports import import_commit
from portal.models import Tenant
from portal.services import DomainError


class Command(BaseCommand):
    help = "Print what importing minutes files would propose, as JSON; writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="+", type=Path, help=".txt, .md, .docx, .odt, .pdf, .png, .jpg or a .zip"
        )
        parser.add_argument("--programme", required=True, help="The programme's address.")
        parser.add_argument("--body", help="The body whose minutes these are, if not read.")
        parser.add_argument("--json", action="store_true", help="Print the proposals as JSON.")
        parser.add_argument(
            "--commit",
            action="store_true",
            help="Write each file's meeting, everything proposed accepted.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["json"] and not options["commit"]:
            raise CommandError("Say --json (print the proposals) or --commit (write them).")
        tenant = Tenant.objects.filter(slug=options["programme"]).first()
        if tenant is None:
            raise CommandError(f"No programme has the address {options['programme']!r}.")
        body = None
        if options["commit"] and options["body"]:
            with scope(tenant=tenant):
                body = Body.objects.filter(
                    tenant=tenant, name__iexact=options["body"], archived_at__isnull=True
                ).first()
            if body is None:
                raise CommandError(f"The programme has no body named {options['body']!r}.")
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
                if options["commit"]:
                    failed = not self._commit(tenant, name, content, body) or failed
                    continue
                try:
                    with scope(tenant=tenant):
                        proposal = read_file(tenant, name, content, body=options["body"])
                except UnreadableFile as error:
                    self.stderr.write(str(error))
                    failed = True
                    continue
                proposals.append(proposal.as_json())
        for shown in proposals:  # --json
            self.stdout.write(json.dumps(shown, ensure_ascii=False))
        if failed:
            raise CommandError("Some files could not be read (see above).")

    def _commit(self, tenant: Tenant, name: str, content: bytes, body: Body | None) -> bool:
        try:
            with scope(tenant=tenant):
                imported = import_commit(
                    actor=None, tenant=tenant, name=name, content=content, body=body
                )
        except UnreadableFile as error:
            self.stderr.write(str(error))
            return False
        except DomainError as error:
            self.stderr.write(f"{name}: {error}")
            return False
        meeting = imported.meeting
        assert meeting is not None
        self.stdout.write(f"{name}: imported as meeting {meeting.pk}, {meeting.display_title}")
        return True
