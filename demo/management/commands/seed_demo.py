"""`manage.py seed_demo`: two demo programmes modelled on the real ones in
Sörmland and Kronoberg (real principals, fictional people), five demo logins
with the password `demo`, and one member invited by e-mail as an administrator
would (Kronoberg's chair, who approves minutes as her directory person).

Idempotent: `make run` calls it on every start. Rows are looked up by natural
key (programme slug, principal name, e-mail, username) and only what is missing
is created; nothing existing is changed. Later features add their demo data as
a module in `_demo/` and a `seed_*` call in `Command.handle`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from demo.management.commands._demo import programmes
from demo.management.commands._demo.archives import seed_archives
from demo.management.commands._demo.build import ensure_demo_user, seed_programme
from demo.management.commands._demo.departures import seed_departures
from demo.management.commands._demo.events import seed_programme_events
from demo.management.commands._demo.governance import (
    seed_governance,
    seed_half_signed,
    seed_sealed_minutes,
)
from demo.management.commands._demo.implementation import PROGRAMMES as IMPLEMENTATION
from demo.management.commands._demo.implementation import seed_implementation
from demo.management.commands._demo.imports import seed_imports
from demo.management.commands._demo.invited import InvitedLogin, seed_invited_members
from demo.management.commands._demo.meeting_documents import seed_meeting_documents
from demo.management.commands._demo.newsletter import seed_newsletter
from demo.management.commands._demo.notices import seed_notices
from demo.management.commands._demo.public import seed_public
from demo.management.commands._demo.records import seed_records
from demo.management.commands._demo.report_back import seed_report_back
from demo.management.commands._demo.research import seed_research
from demo.management.commands._demo.specs import DemoUser
from demo.management.commands._demo.sso import seed_sso
from demo.management.commands._demo.statements import seed_statements
from demo.management.commands._demo.users import DEMO_USERS
from portal.models import Role, Tenant

# The demo's minutes are finished and approved while seeding; nobody is e-mailed about it.
NO_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


def seed_programmes() -> list[Tenant]:
    """The programmes with their principals, operations and people (demo/data/)."""
    return [seed_programme(programmes.load(slug).programme) for slug in programmes.SLUGS]


def seed_governance_demo() -> None:
    """Bodies, a year of meetings and what is coming up. After the logins: the
    `styrgrupp` login's person chairs Sörmland's steering group and approves."""
    for slug in programmes.SLUGS:
        seed_governance(programmes.load(slug).governance)


def seed_implementation_demo() -> None:
    """The staircase, two years of self-assessments, goals and indicators,
    appointments, good examples and the implementation plan. After governance:
    the process leader login approves, the `kommun` login reports for
    Eskilstuna, and the plan cites the governance demo's decisions."""
    for spec in IMPLEMENTATION:
        seed_implementation(spec)


def seed_demo_users(*, password: str) -> tuple[list[DemoUser], list[DemoUser]]:
    """The demo logins: (ready, skipped because the username or e-mail is taken)."""
    ready: list[DemoUser] = []
    skipped: list[DemoUser] = []
    for spec in DEMO_USERS:
        (ready if ensure_demo_user(spec, password=password) else skipped).append(spec)
    return ready, skipped


class Command(BaseCommand):
    help = "Create the demo programmes, people and logins (password: demo). Safe to re-run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--not-production",
            action="store_true",
            help="Run although DEBUG is off (tests, staging). Never on a production database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["not_production"]:
            # Five logins with a known password must never reach production.
            raise CommandError(
                "seed_demo creates logins with the password 'demo' and runs only with "
                "DEBUG on. Pass --not-production to run it on a test or staging database."
            )
        with override_settings(MAILERS=NO_MAIL), transaction.atomic():
            seed_programmes()
            ready, skipped = seed_demo_users(password="demo")
            # Before governance: the invited chair approves her minutes there.
            invited = seed_invited_members(password="demo")
            seed_governance_demo()
            # The steering groups' documents (handlingar): after their meetings.
            seed_meeting_documents()
            # Workshops, webinars and information meetings of the programmes.
            seed_programme_events()
            # The notices of the next meetings, and the members' replies.
            seed_notices()
            # Principals' answers to the assignments: after the meetings that gave them.
            seed_report_back()
            # Minutes awaiting approval, signed by one of their two signatories.
            seed_half_signed()
            # The latest justerade minutes of each steering group, sealed.
            seed_sealed_minutes()
            seed_implementation_demo()
            # An archive of 2023 minutes: one meeting imported, one read and in review.
            seed_imports()
            # Diary numbers on meetings and decisions (the imported ones too),
            # one secret document (OSL).
            seed_records()
            # Sörmland's public site: published examples, consenting contacts,
            # public events; then its newsletter (one sent, one draft).
            seed_public()
            seed_newsletter()
            # Each programme's accessibility statement and privacy details.
            seed_statements()
            # The programme's login requirement (single sign-on), shown as off.
            seed_sso()
            # A principal's contact who left long ago: their details cleared, logged.
            seed_departures()
            # The research register and a past export: after the logins and the data.
            seed_research()
            # Retention rules, a hold, a disposal awaiting approval and an archive
            # package: after the reports and documents they concern.
            seed_archives()
        for spec in skipped:
            self.stderr.write(
                f"Skipped demo login {spec.username!r}: the username or {spec.email} "
                "belongs to another account."
            )
        self.print_logins(ready)
        self.print_invited(invited)

    def print_invited(self, logins: list[InvitedLogin]) -> None:
        if not logins:
            return
        self.stdout.write(
            'Invited on the member page (password "demo", chosen from the invitation):'
        )
        for login in logins:
            role = str(Role(login.spec.role).label)
            self.stdout.write(
                f"  {login.username}  {login.spec.tenant_slug}  {role}, "
                f"{login.spec.person}: {login.spec.why}"
            )

    def print_logins(self, users: list[DemoUser]) -> None:
        self.stdout.write('Demo logins (password "demo"):')
        self.stdout.write(f"  {'username':<15}{'programme':<11}role")
        for spec in users:
            for membership in spec.memberships:
                role = str(Role(membership.role).label)
                if membership.role == Role.PRINCIPAL_REPORTER:
                    role = f"{role}, {membership.principal}"
                self.stdout.write(f"  {spec.username:<15}{membership.tenant_slug:<11}{role}")
