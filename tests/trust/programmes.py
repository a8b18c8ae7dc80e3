"""Both demo programmes, fully built, for the probes that need realistic data.

`seed_demo`'s builders give Sörmland and Kronoberg a year of meetings, minutes,
decisions, assessments, goals and so on. On top of that each programme gets
one probe login per role (the demo's own logins share memberships across the
programmes) and the rows the demo leaves out: a finished PDF of every
document kind, a calendar feed per login, an attachment and a sub-project.

Built once per run into a template database and copied to each test process
(tests/shared_demo.py); a module reads its copy inside a transaction that is
rolled back at the end, so the suite's other tests never see what it wrote.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from archives import services as archive_services
from archives.models import ArchiveExport, DisposalRun, RecordKind, RetentionHold
from governance.models import (
    Attendance,
    AttendanceStatus,
    BodyMember,
    Meeting,
    MeetingStatus,
    MinutesComment,
    MinutesStatus,
)
from governance.services import calendar as calendar_services
from implementation.models import AssessmentStatus, SelfAssessment, SubProject
from implementation.services import assessments as assessment_services
from implementation.services import plan as plan_services
from portal.documents import registry as documents
from portal.models import (
    GeneratedFile,
    GeneratedFileStatus,
    Membership,
    Principal,
    Role,
    Tenant,
    User,
)
from public.models import Newsletter, NewsletterStatus, PublicSite
from public.services import newsletter as newsletter_services
from research import datasets as research_datasets
from research import services as research_services
from tests.conftest import ROLES
from tests.factories import MembershipFactory, PersonFactory, UserFactory

SLUGS = ("sormland", "kronoberg")

# A file the attachment checks accept: a PDF by extension and first bytes.
PDF_BYTES = b"%PDF-1.4\n% probe evidence\n"


@dataclass
class Programme:
    tenant: Tenant
    users: dict[str, User] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)
    api_token: str = ""  # the researcher's, for the research API
    sessions: dict[str, str] = field(default_factory=dict)  # role → session key (log_in)


@dataclass
class Programmes:
    """`by_slug["sormland"]`, and `other(p)` for the other programme."""

    by_slug: dict[str, Programme]
    # Logged-in sessions of no programme: who → session key (log_in).
    strangers: dict[str, str] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Programme]:
        return iter(self.by_slug.values())

    def other(self, programme: Programme) -> Programme:
        return next(p for p in self if p.tenant.pk != programme.tenant.pk)


def _reporter_principal(tenant: Tenant) -> Principal:
    """The principal with the most self-assessments: the reporter has something to read."""
    principal = (
        Principal.objects.filter(tenant=tenant)
        .annotate(n=Count("self_assessments"))
        .order_by("-n", "pk")
        .first()
    )
    assert principal is not None
    return principal


def _probe_logins(tenant: Tenant) -> Programme:
    programme = Programme(tenant=tenant)
    principal = _reporter_principal(tenant)
    for key, role in ROLES.items():
        user = UserFactory(username=f"probe-{tenant.slug}-{key}")
        programme.users[key] = user
        programme.memberships[key] = MembershipFactory(
            tenant=tenant,
            user=user,
            role=role,
            principal=principal if role == Role.PRINCIPAL_REPORTER else None,
        )
    return programme


def _finished_pdfs(tenant: Tenant) -> None:
    """One finished PDF of every registered document kind, for everyone who may read it."""
    members = list(Membership.objects.filter(tenant=tenant, user__username__startswith="probe-"))
    for kind in documents.kinds():
        candidates = kind.model._default_manager.filter(tenant=tenant).order_by("-pk")[:100]
        # Readable by as many roles as possible (approved minutes, not drafts).
        obj = max(candidates, key=lambda o: sum(kind.may_read(m, o) for m in members), default=None)
        assert obj is not None, f"no readable {kind.model.__name__} in {tenant.slug} to render"
        job = GeneratedFile.objects.create(
            tenant=tenant,
            kind=kind.key,
            content_type=ContentType.objects.get_for_model(kind.model),
            object_id=obj.pk,
            audience=kind.audience_for(obj),
            status=GeneratedFileStatus.DONE,
            filename=f"{kind.key}.pdf",
            checksum="0" * 64,
            size=len(PDF_BYTES),
            finished_at=timezone.now(),
        )
        job.file.save(f"{kind.key}.pdf", ContentFile(PDF_BYTES), save=True)


def _appoint_adjuster(programme: Programme) -> None:
    """The probe's steering member approves one meeting's finished minutes."""
    meeting = (
        Meeting.objects.filter(tenant=programme.tenant, minutes_status=MinutesStatus.FINISHED)
        .order_by("pk")
        .first()
    )
    assert meeting is not None, f"no finished minutes in {programme.tenant.slug}"
    user = programme.users["steering"]
    person = PersonFactory(tenant=programme.tenant, name=user.get_full_name(), user=user)
    meeting.adjusters.set([person])
    # …and sits in the body of the first planned meeting, so may answer its notice.
    planned = (
        Meeting.objects.filter(tenant=programme.tenant, status=MeetingStatus.PLANNED)
        .order_by("pk")
        .first()
    )
    if planned is not None:
        BodyMember.objects.create(
            tenant=programme.tenant,
            body=planned.body,
            person=person,
            role="ledamot",
            start_date=datetime.date(2000, 1, 1),
        )
    # A justerare is recorded present (governance.services.signing).
    Attendance.objects.create(
        tenant=programme.tenant, meeting=meeting, person=person, status=AttendanceStatus.PRESENT
    )
    # A signatory's comment for the process leaders to resolve.
    MinutesComment.objects.create(
        tenant=programme.tenant,
        meeting=meeting,
        author=person,
        user=user,
        text="Stavfel i punkt 1.",
        created_at=timezone.now(),
    )


def _archive_extras(programme: Programme) -> None:
    """An archive package, a hold and a disposal awaiting approval in each
    programme (the demo gives Sörmland its own): a rule disposing of status
    reports a month after their month makes something due."""
    tenant, admin = programme.tenant, programme.users["admin"]
    if not ArchiveExport.objects.filter(tenant=tenant).exists():
        archive_services.archive_export_request(actor=admin, membership=None, tenant=tenant)
    if not RetentionHold.objects.filter(tenant=tenant, released_at__isnull=True).exists():
        archive_services.hold_add(
            actor=admin, tenant=tenant, kind=RecordKind.RISK, object_id=None, reason="Revision"
        )
    if not DisposalRun.objects.filter(tenant=tenant, status="proposed").exists():
        archive_services.rule_save(
            actor=admin,
            tenant=tenant,
            kind=RecordKind.STATUS_REPORT,
            action="dispose",
            period=1,
            unit="months",
        )
        archive_services.disposal_propose(actor=admin, tenant=tenant)


def _extras(programme: Programme) -> None:
    tenant, leader = programme.tenant, programme.users["leader"]
    research_services.export_request(
        actor=programme.users["researcher"],
        membership=programme.memberships["researcher"],
        tenant=tenant,
        format="csv",
        dataset_keys=list(research_datasets.DATASETS)[:1],
    )
    _archive_extras(programme)
    _finished_pdfs(tenant)
    for user in programme.users.values():
        calendar_services.feed_create(actor=user, tenant=tenant)
    if not SelfAssessment.objects.filter(tenant=tenant, status=AssessmentStatus.DRAFT).exists():
        open_statuses = [
            AssessmentStatus.DRAFT,
            AssessmentStatus.SUBMITTED,
            AssessmentStatus.RETURNED,
        ]
        free = (
            Principal.objects.filter(tenant=tenant)
            .exclude(self_assessments__status__in=open_statuses)
            .order_by("pk")
            .first()
        )
        assert free is not None, f"every principal in {tenant.slug} has an open assessment"
        assessment_services.assessment_create(
            actor=leader,
            tenant=tenant,
            principal=free,
            period_start=datetime.date(2030, 1, 1),
            period_end=datetime.date(2030, 6, 30),
        )
    for status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
        editable = SelfAssessment.objects.filter(tenant=tenant, status=status).first()
        if editable is not None:
            assessment_services.attachment_add(
                actor=leader,
                assessment=editable,
                upload=SimpleUploadedFile("bevis.pdf", PDF_BYTES, "application/pdf"),
            )
    _appoint_adjuster(programme)
    _, programme.api_token = research_services.token_create(
        actor=programme.users["researcher"],
        membership=programme.memberships["researcher"],
        tenant=tenant,
        name="Analysskript",
    )
    research_services.report_create(
        actor=leader,
        membership=programme.memberships["leader"],
        tenant=tenant,
        title="Delrapport 1",
        published_on=datetime.date(2026, 6, 1),
    )
    if not SubProject.objects.filter(tenant=tenant).exists():
        plan_services.sub_project_create(actor=leader, tenant=tenant, title="NPF-spåret")
    # A draft newsletter in each programme (the demo writes one where the
    # public site is on), so the probes have one of each programme's.
    if not Newsletter.objects.filter(tenant=tenant, status=NewsletterStatus.DRAFT).exists():
        site, _created = PublicSite.objects.get_or_create(tenant=tenant)
        newsletter_services.newsletter_compose(actor=leader, site=site)


def add_probes() -> dict[str, Any]:
    """On the seeded demo: the probe logins and extras of both programmes, as
    data for `from_metadata` (the shared build, tests/shared_demo.py, keeps it
    beside its template database)."""
    built: dict[str, dict[str, Any]] = {}
    for slug in SLUGS:
        tenant = Tenant.objects.get(slug=slug)
        with scope(tenant=tenant):
            programme = _probe_logins(tenant)
            _extras(programme)
        built[slug] = {
            "tenant": tenant.pk,
            "users": {key: user.pk for key, user in programme.users.items()},
            "memberships": {key: m.pk for key, m in programme.memberships.items()},
            "api_token": programme.api_token,
        }
    return built


def session_key(user: User) -> str:
    """A new logged-in session of `user` (as the test client's force_login)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def logged_in(key: str) -> Client:
    """A new test client in the session `key`: its own cookies, no login
    (a login costs a dozen queries, and the probes make thousands of clients)."""
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def log_in(programmes: Programmes) -> None:
    """One session per probe login, and for a login without a programme and a
    superuser without a membership: made once per module (tests/trust/conftest.py),
    outside the tests' own transactions, so that every test may use them."""
    for programme in programmes:
        programme.sessions = {role: session_key(u) for role, u in programme.users.items()}
    programmes.strangers = {
        "login without a programme": session_key(UserFactory(username="probe-outsider")),
        "superuser without a membership": session_key(
            UserFactory(username="probe-root", is_superuser=True, is_staff=True)
        ),
    }


def from_metadata(meta: dict[str, Any]) -> Programmes:
    """The programmes `add_probes` built, read back from this worker's copy."""
    with scopes_disabled():
        return Programmes(
            {
                slug: Programme(
                    tenant=Tenant.objects.get(pk=row["tenant"]),
                    users={k: User.objects.get(pk=pk) for k, pk in row["users"].items()},
                    memberships={
                        k: Membership.objects.get(pk=pk) for k, pk in row["memberships"].items()
                    },
                    api_token=row["api_token"],
                )
                for slug, row in meta.items()
            }
        )
