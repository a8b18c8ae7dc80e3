"""`manage.py seed_demo`: two demo programmes with real principals, fictional
people, five demo logins and a living governance (bodies, a year of meetings
and what is coming up); running it again, on any day, changes nothing."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from demo.management.commands._demo import governance as governance_demo
from demo.management.commands._demo import implementation as implementation_demo
from governance.models import (
    OPEN_ACTION_STATUSES,
    ActionAnswer,
    ActionItem,
    ActionStatus,
    ActionStatusChange,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyMember,
    Decision,
    EventKind,
    EventStatus,
    Meeting,
    MeetingKind,
    MeetingNotice,
    MeetingReply,
    MeetingStatus,
    MinutesStatus,
    NoticeKind,
    ProgrammeEvent,
    ReplyAnswer,
    ReportActivity,
    ReportStatus,
    Risk,
    StatusReport,
)
from governance.selectors.report_back import principal_assignments
from governance.templatetags.minutes_text import render_minutes_text
from implementation.models import (
    Activity,
    Appointment,
    FocusArea,
    Goal,
    GoodExample,
    Indicator,
    IndicatorValue,
    SelfAssessment,
    Staircase,
    SubProject,
    WellbeingArea,
)
from portal.models import (
    AuditEvent,
    GeneratedFile,
    Membership,
    Operation,
    Person,
    Principal,
    PrincipalKind,
    Role,
    Sector,
    Tenant,
    User,
)
from tests.factories import TenantFactory
from tests.helpers import row_counts

# People named in the real steering-group minutes in shared/seeds/. The demo
# uses the real organisations but must never use these people.
REAL_NAMES = (
    "Camilla Holmqvist",
    "Magnus Fritihof",
    "Karin Dahlqvist Claesson",
    "Erika Lagergren",
    "Gunnel Gustafsson",
    "Sofie Schentz Magnusson",
    "Hans Sjöberg",
    "Therese Linnér",
    "Mats Andersberg",
    "Torbjörn Forkby",
    "Angelika Thelin",
    "Nettan Candolf",
    "Malin Sjöqvist",
    "Lina Larsson",
    "Mari Kampf Westerberg",
    "Elisabeth Kantor",
    "Jennie Nimborg",
    "Katarina Haddon",
    "Johan Lindeberg",
    "My Zinderland",
    "Magnus Wallinder",
    "Carsten Wulf",
    "Patrik Grimmesjö",
    "Annie-Lie Jarhult",
    "Carina Mosel",
    "Per Sandberg",
    "Anders Elingfors",
    "Per-Henrik Nilsson",
    "Åsa Karlsson",
    "Annika Magnerot",
    "Linda Vingren",
    "Anna-Karin Pålsson",
    "Johan Rutgersmark",
    "Lena Nazzal",
    "Roger Johansson",
    "Carina Pettersson",
)

SORMLAND_MUNICIPALITIES = {
    "Eskilstuna kommun": "0484",
    "Flens kommun": "0482",
    "Gnesta kommun": "0461",
    "Katrineholms kommun": "0483",
    "Nyköpings kommun": "0480",
    "Oxelösunds kommun": "0481",
    "Strängnäs kommun": "0486",
    "Trosa kommun": "0488",
    "Vingåkers kommun": "0428",
}
KRONOBERG_MUNICIPALITIES = {
    "Alvesta kommun": "0764",
    "Lessebo kommun": "0761",
    "Ljungby kommun": "0781",
    "Markaryds kommun": "0767",
    "Tingsryds kommun": "0763",
    "Uppvidinge kommun": "0760",
    "Växjö kommun": "0780",
    "Älmhults kommun": "0765",
}
OTHER_PRINCIPALS = {
    "sormland": {
        "Region Sörmland": PrincipalKind.REGION,
        "FoU i Sörmland": PrincipalKind.RESEARCH,
    },
    "kronoberg": {
        "Region Kronoberg": PrincipalKind.REGION,
        "Polismyndigheten": PrincipalKind.STATE_AGENCY,
        "Linnéuniversitetet": PrincipalKind.RESEARCH,
    },
}
MUNICIPALITIES = {"sormland": SORMLAND_MUNICIPALITIES, "kronoberg": KRONOBERG_MUNICIPALITIES}

# username → {programme slug: (role, reporter's principal)}
DEMO_LOGINS: dict[str, dict[str, tuple[str, str | None]]] = {
    "processledare": {
        "sormland": (Role.PROCESS_LEADER, None),
        "kronoberg": (Role.PROCESS_LEADER, None),
    },
    "styrgrupp": {"sormland": (Role.STEERING_MEMBER, None)},
    "kommun": {"sormland": (Role.PRINCIPAL_REPORTER, "Eskilstuna kommun")},
    "forskare": {"sormland": (Role.RESEARCHER, None), "kronoberg": (Role.RESEARCHER, None)},
    "admin": {"sormland": (Role.TENANT_ADMIN, None)},
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_demo() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", "--not-production", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="class")
def seeded(shared_demo) -> Iterator[str]:
    """The demo, seeded once per run (tests/shared_demo.py), for a class of
    tests; they run in this worker's copy inside a transaction rolled back after
    them (each test still runs in its own savepoint, so writes in a test vanish).
    Yields what seed_demo printed."""
    with shared_demo.use("demo") as built:
        yield built["stdout"]


def login(username: str) -> Any:
    """Log in through the login page and follow the redirects."""
    return Client().post(reverse("login"), {"username": username, "password": "demo"}, follow=True)


@pytest.mark.usefixtures("db")
class TestDemoProgrammes:
    """Programmes, principals, people and logins (one seeding for the class)."""

    def test_creates_both_programmes(self, seeded):
        sormland = Tenant.objects.get(slug="sormland")
        kronoberg = Tenant.objects.get(slug="kronoberg")

        assert sormland.name == "Tillsammans för barnens bästa i Sörmland"
        assert sormland.region == "Region Sörmland"
        assert sormland.reporting_interval_months == 6
        assert "barn" in sormland.description
        assert kronoberg.name == "Barnens bästa gäller! i Kronoberg"
        assert kronoberg.region == "Region Kronoberg"
        assert kronoberg.reporting_interval_months == 6

    @pytest.mark.parametrize("slug", ["sormland", "kronoberg"])
    def test_creates_the_real_principals_with_their_municipality_codes(
        self, seeded, slug, no_scopes
    ):
        principals = Principal.objects.filter(tenant__slug=slug)

        municipalities = {
            p.name: p.municipality_code for p in principals if p.kind == PrincipalKind.MUNICIPALITY
        }
        others = {p.name: p.kind for p in principals if p.kind != PrincipalKind.MUNICIPALITY}
        assert municipalities == MUNICIPALITIES[slug]
        assert others == OTHER_PRINCIPALS[slug]

    def test_spot_checks_municipality_codes(self, seeded, no_scopes):
        codes = dict(Principal.objects.values_list("name", "municipality_code"))

        assert codes["Eskilstuna kommun"] == "0484"
        assert codes["Vingåkers kommun"] == "0428"
        assert codes["Växjö kommun"] == "0780"
        assert codes["Älmhults kommun"] == "0765"
        assert codes["Polismyndigheten"] == ""

    def test_every_municipality_has_its_school_social_and_leisure_operations(
        self, seeded, no_scopes
    ):
        core = {
            Sector.PRESCHOOL,
            Sector.COMPULSORY_SCHOOL,
            Sector.STUDENT_HEALTH,
            Sector.SOCIAL_SERVICES,
            Sector.LEISURE,
        }
        for principal in Principal.objects.filter(kind=PrincipalKind.MUNICIPALITY):
            sectors = set(principal.operations.values_list("sector", flat=True))
            assert core <= sectors, principal.name

    def test_regions_run_health_care_and_the_police_a_local_police_area(self, seeded, no_scopes):
        health_care = {
            Sector.CAMHS,
            Sector.PRIMARY_CARE,
            Sector.CHILD_HEALTH,
            Sector.MATERNITY,
            Sector.HABILITATION,
        }
        for region in Principal.objects.filter(kind=PrincipalKind.REGION):
            assert set(region.operations.values_list("sector", flat=True)) == health_care

        police_area = Operation.objects.get(name="Lokalpolisområde Växjö")
        assert police_area.principal.name == "Polismyndigheten"
        assert police_area.sector == Sector.POLICE
        assert police_area.tenant.slug == "kronoberg"

    @pytest.mark.parametrize("slug", ["sormland", "kronoberg"])
    def test_people_represent_every_principal_and_the_programme_roles(
        self, seeded, slug, no_scopes
    ):
        people = list(Person.objects.filter(tenant__slug=slug).select_related("principal"))
        titles = [person.title for person in people]

        assert 25 <= len(people) <= 35
        assert {p.principal.name for p in people if p.principal} == set(
            Principal.objects.filter(tenant__slug=slug).values_list("name", flat=True)
        )
        assert titles.count("Processledare") == 2
        assert titles.count("Kommunikatör") == 1
        assert sum(title.startswith("Följeforskare") for title in titles) == 2
        # Only someone who left has no e-mail: cleared after the period (portal.departures).
        assert all(person.is_archived for person in people if not person.email)
        emails = [person.email for person in people if person.email]
        assert all(email.endswith(".example.se") for email in emails)
        assert len(set(emails)) == len(emails)

    def test_people_are_fictional(self, seeded, no_scopes):
        used = set(Person.objects.values_list("name", flat=True))
        used |= {user.get_full_name() for user in User.objects.all()}

        assert used.isdisjoint(REAL_NAMES)

    @pytest.mark.parametrize("username", DEMO_LOGINS)
    def test_demo_login_has_password_demo_and_its_memberships(self, seeded, username, no_scopes):
        user = User.objects.get(username=username)
        memberships = {
            m.tenant.slug: (m.role, m.principal.name if m.principal else None)
            for m in Membership.objects.filter(user=user, is_active=True).select_related(
                "tenant", "principal"
            )
        }

        assert user.check_password("demo")
        assert not user.is_superuser
        assert not user.is_staff
        assert user.first_name
        assert user.last_name
        assert user.email.endswith(".example.se")
        assert memberships == DEMO_LOGINS[username]
        linked = set(
            Person.objects.filter(membership__user=user).values_list("tenant__slug", flat=True)
        )
        assert linked == set(DEMO_LOGINS[username])

    def test_reporter_person_belongs_to_eskilstuna(self, seeded, no_scopes):
        person = Person.objects.get(membership__user__username="kommun")

        assert person.principal is not None
        assert person.principal.name == "Eskilstuna kommun"
        assert person.name == User.objects.get(username="kommun").get_full_name()

    def test_running_twice_changes_nothing(self, seeded, no_scopes):
        before = row_counts()
        hashes = dict(User.objects.values_list("username", "password"))

        seed_demo()

        assert row_counts() == before
        assert dict(User.objects.values_list("username", "password")) == hashes

    def test_first_run_is_audited_and_second_run_writes_no_audit_events(self, seeded, no_scopes):
        created = AuditEvent.objects.filter(action__endswith=".create")
        assert created.filter(object_type="portal.principal").count() == Principal.objects.count()
        assert created.filter(object_type="portal.operation").count() == Operation.objects.count()
        assert created.filter(object_type="portal.person").count() == Person.objects.count()
        assert (
            AuditEvent.objects.filter(action="membership.add").count() == Membership.objects.count()
        )
        events = AuditEvent.objects.count()

        seed_demo()

        assert AuditEvent.objects.count() == events

    def test_kommun_logs_in_and_lands_on_sormland(self, seeded):
        response = login("kommun")

        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == reverse("portal:home", args=["sormland"])
        assert "Tillsammans för barnens bästa i Sörmland" in response.content.decode()

    def test_processledare_logs_in_and_picks_between_both_programmes(self, seeded):
        response = login("processledare")

        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == reverse("portal:picker")
        page = response.content.decode()
        assert reverse("portal:home", args=["sormland"]) in page
        assert reverse("portal:home", args=["kronoberg"]) in page

    @pytest.mark.parametrize("username", ["styrgrupp", "forskare", "admin"])
    def test_other_demo_logins_can_log_in(self, seeded, username):
        response = login(username)

        assert response.status_code == 200
        assert response.wsgi_request.user.username == username

    def test_stdout_lists_the_demo_logins(self, seeded):
        assert '"demo"' in seeded
        for username in DEMO_LOGINS:
            assert username in seeded
        assert "Eskilstuna kommun" in seeded


GOVERNANCE_BODIES = {
    "sormland": {"SG", "LSG", "SCN", "PR"},
    "kronoberg": {"SG", "PR", "TG"},
}
PROGRAMMES = ["sormland", "kronoberg"]


def held_and_upcoming(slug: str) -> tuple[list[Meeting], list[Meeting]]:
    """The meetings held and planned in the portal (not those imported from
    the 2023 archive: see TestDemoImports)."""
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(tenant__slug=slug, imported=False)
        .select_related("body")
        .order_by("starts_at")
    )
    return [m for m in meetings if m.starts_at < now], [m for m in meetings if m.starts_at > now]


@pytest.mark.usefixtures("db")
class TestDemoGovernance:
    """Bodies, a year of meetings and what is coming up, in both demo programmes."""

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_bodies_with_members_over_time(self, seeded, slug, no_scopes):
        bodies = Body.objects.filter(tenant__slug=slug)

        assert set(bodies.values_list("code", flat=True)) == GOVERNANCE_BODIES[slug]
        for body in bodies:
            assert body.members.exists(), body.code
        # A chair change is a new period: the earlier chair's ends the day before.
        chairs = list(
            BodyMember.objects.filter(body__tenant__slug=slug, body__code="SG", role="ordforande")
        )
        assert len(chairs) == 2
        earlier, later = sorted(chairs, key=lambda seat: seat.start_date)
        assert earlier.end_date == later.start_date - datetime.timedelta(days=1)
        assert later.end_date is None
        assert BodyMember.objects.filter(body__tenant__slug=slug, end_date__isnull=False).exists()

    def test_the_styrgrupp_login_chairs_the_sormland_steering_group(self, seeded, no_scopes):
        today = timezone.localdate()
        chair = (
            BodyMember.objects.filter(
                body__tenant__slug="sormland", body__code="SG", role="ordforande"
            )
            .filter(start_date__lte=today)
            .exclude(end_date__lt=today)
            .get()
        )

        assert chair.person.membership.user.username == "styrgrupp"

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_a_year_of_meetings_and_what_is_coming_up(self, seeded, slug, no_scopes):
        held, upcoming = held_and_upcoming(slug)
        year_ago = timezone.now() - datetime.timedelta(days=366)

        assert 8 <= len([m for m in held if m.starts_at > year_ago]) <= 12
        assert all(m.status == MeetingStatus.HELD for m in held)
        assert 2 <= len(upcoming) <= 3
        assert all(m.starts_at < timezone.now() + datetime.timedelta(days=90) for m in upcoming)
        [cancelled] = [m for m in upcoming if m.status == MeetingStatus.CANCELLED]
        assert cancelled.cancelled_reason
        assert [m for m in upcoming if m.kind == MeetingKind.PLANNING_DAY]
        joint = [m for m in held + upcoming if m.kind == MeetingKind.JOINT]
        assert joint
        assert all(m.joint_bodies.exists() for m in joint)
        assert all(timezone.localtime(m.starts_at).weekday() < 5 for m in held + upcoming)

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_past_minutes_are_approved_the_latest_awaits_approval_the_next_is_a_draft(
        self, seeded, slug, no_scopes
    ):
        held, upcoming = held_and_upcoming(slug)
        *earlier, latest = held

        for meeting in earlier:
            assert meeting.minutes_status == MinutesStatus.APPROVED, meeting
            assert meeting.approved_by is not None
            assert meeting.approved_by_person is not None
            assert meeting.versions.count() == 1
            assert meeting.agenda_items.exclude(minutes="").exists()
        assert latest.minutes_status == MinutesStatus.FINISHED
        assert latest.finished_at is not None
        next_meeting = next(m for m in upcoming if m.status != MeetingStatus.CANCELLED)
        assert next_meeting.status == MeetingStatus.PLANNED
        assert next_meeting.minutes_status == MinutesStatus.DRAFT
        assert next_meeting.agenda_items.exists()

    def test_the_sormland_chair_approves_the_steering_group_minutes(self, seeded, no_scopes):
        # Signed in the portal: the imported minutes were approved on paper.
        approved = Meeting.objects.filter(
            tenant__slug="sormland",
            body__code="SG",
            minutes_status=MinutesStatus.APPROVED,
            imported=False,
        )

        assert approved.count() >= 5
        assert set(approved.values_list("approved_by__username", flat=True)) == {"styrgrupp"}

    def test_an_invited_member_approves_as_the_kronoberg_chair(self, seeded, no_scopes):
        """Not a seeded login: Kronoberg's new chair was invited by her e-mail in
        the directory, approves the steering group's minutes since the chair
        changed, and the latest wait for her."""
        [invitation] = AuditEvent.objects.filter(
            tenant__slug="kronoberg", action="membership.add", after__email__startswith="ingrid."
        )
        membership = Membership.objects.select_related("user", "person").get(
            pk=invitation.object_id
        )
        user, person = membership.user, membership.person
        assert person.name == "Ingrid Lövgren"
        assert user.email == person.email
        assert user.username == user.email  # as the member page makes logins
        assert user.username not in DEMO_LOGINS
        assert user.check_password("demo")
        chair_since = (
            BodyMember.objects.filter(body__tenant__slug="kronoberg", body__code="SG")
            .get(person=person, role="ordforande")
            .start_date
        )
        since = Meeting.objects.filter(
            tenant__slug="kronoberg", body__code="SG", starts_at__date__gte=chair_since
        ).exclude(minutes_status=MinutesStatus.DRAFT)
        approved = since.filter(minutes_status=MinutesStatus.APPROVED)
        assert approved.exists()
        assert {(m.approved_by, m.approved_by_person) for m in approved} == {(user, person)}
        awaiting = since.get(minutes_status=MinutesStatus.FINISHED)
        assert person in awaiting.adjusters.all()
        # Half-signed: the other signatory has signed, the chair has not yet.
        valid = awaiting.signatures.filter(voided_at__isnull=True)
        assert valid.count() == 1 and not valid.filter(person=person).exists()
        # The approved minutes carry every signature, the chair's among them.
        for meeting in approved:
            signed = {s["name"] for s in meeting.versions.get().content["signatures"]}
            assert person.name in signed
        assert user.username in seeded  # printed with the demo logins

    def test_the_invited_member_sees_her_minutes_to_approve(self, seeded):
        with scopes_disabled():
            person = Person.objects.get(tenant__slug="kronoberg", name="Ingrid Lövgren")
            username = person.membership.user.username
            awaiting = Meeting.objects.get(
                tenant__slug="kronoberg", minutes_status=MinutesStatus.FINISHED, adjusters=person
            )
        client = Client()
        client.post(reverse("login"), {"username": username, "password": "demo"})
        page = client.get(reverse("governance:meeting_detail", args=["kronoberg", awaiting.pk]))

        assert page.status_code == 200
        body = page.content.decode()
        assert reverse("governance:minutes_approve", args=["kronoberg", awaiting.pk]) in body
        assert "Ingrid Lövgren" in body.split('class="user-nav__name">', 1)[1][:200]

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_attendance_with_absences_a_substitute_and_guests(self, seeded, slug, no_scopes):
        attendance = Attendance.objects.filter(tenant__slug=slug)

        assert attendance.filter(status=AttendanceStatus.ABSENT).count() >= 5
        assert attendance.filter(status=AttendanceStatus.GUEST).exists()
        substitute = attendance.filter(status=AttendanceStatus.SUBSTITUTE).first()
        assert substitute is not None
        replaced = list(substitute.replaces.all())
        assert replaced
        assert attendance.get(meeting=substitute.meeting, person=replaced[0]).status == (
            AttendanceStatus.ABSENT
        )

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_decisions_are_numbered_per_body_and_year(self, seeded, slug, no_scopes):
        decisions = Decision.objects.filter(tenant__slug=slug)

        assert decisions.count() >= 5
        series: dict[tuple[int, int], list[int]] = {}
        for decision in decisions.order_by("number"):
            series.setdefault((decision.body_id, decision.year), []).append(decision.number)
        for numbers in series.values():
            assert numbers == list(range(1, len(numbers) + 1))
        assert decisions.filter(meeting__minutes_status=MinutesStatus.APPROVED).exists()

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_action_items_open_overdue_and_followed_up(self, seeded, slug, no_scopes):
        actions = ActionItem.objects.filter(tenant__slug=slug)
        today = timezone.localdate()
        open_ = actions.filter(status__in=OPEN_ACTION_STATUSES)

        assert open_.exists()
        assert open_.filter(due_date__lt=today).exists()  # overdue
        assert actions.filter(status=ActionStatus.IN_PROGRESS).exists()
        assert actions.filter(due_next_meeting=True).exists()
        assert actions.filter(owner_all=True).exists()
        assert actions.filter(owner_body__isnull=False).exists()
        assert actions.filter(owner_people__isnull=False).exists()
        # Carried into a later meeting's follow-up and marked done there.
        done_later = [
            change
            for change in ActionStatusChange.objects.filter(
                tenant__slug=slug, to_status__in=[ActionStatus.DONE, ActionStatus.REPORTED]
            ).select_related("action_item__agenda_item", "meeting")
            if change.meeting_id != change.action_item.agenda_item.meeting_id
            and change.action_item.followed_up_at.filter(meeting=change.meeting).exists()
        ]
        assert len(done_later) >= 3

    def test_the_demo_reporter_has_answered_and_unanswered_assignments(self, seeded):
        """Eskilstuna (the `kommun` login's principal) has answered one "alla
        organisationer" assignment and not another; other principals answered
        too, and the next meeting's follow-up item lists them."""
        tenant = Tenant.objects.get(slug="sormland")
        with scope(tenant=tenant):
            eskilstuna = Principal.objects.get(tenant=tenant, name="Eskilstuna kommun")
            rows = principal_assignments(
                tenant=tenant,
                principal=eskilstuna,
                minutes_statuses=(MinutesStatus.FINISHED, MinutesStatus.APPROVED),
            )
            answered = [r for r in rows if r.answered]
            unanswered = [r for r in rows if not r.answered and r.action.owner_all]
            others = ActionAnswer.objects.filter(
                action_item__in=[r.action for r in unanswered]
            ).exclude(principal=eskilstuna)
            assert answered and unanswered and others.exists()
            assert all(r.next_meeting is not None for r in unanswered)
            follow_up = unanswered[0].action.followed_up_at.filter(
                meeting=unanswered[0].next_meeting
            )
            assert follow_up.exists()
        client = Client()
        client.force_login(User.objects.get(username="kommun"))
        page = client.get(reverse("portal:principal_dashboard", args=["sormland", eskilstuna.pk]))
        assert f'id="assignment-{unanswered[0].action.pk}"' in page.content.decode()

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_risks_have_a_history_of_reviews(self, seeded, slug, no_scopes):
        risks = list(Risk.objects.filter(tenant__slug=slug))

        assert len(risks) >= 3
        for risk in risks:
            reviews = list(risk.reviews.order_by("reviewed_on", "id"))
            assert len(reviews) >= 2, risk.title
            assert (reviews[-1].likelihood, reviews[-1].consequence, reviews[-1].status) == (
                risk.likelihood,
                risk.consequence,
                risk.status,
            )
            assert risk.mitigation
            assert risk.raised_at is not None
        assert any(
            len({(r.likelihood, r.consequence, r.status) for r in risk.reviews.all()}) > 1
            for risk in risks
        )

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_monthly_status_reports(self, seeded, slug, no_scopes):
        reports = list(StatusReport.objects.filter(tenant__slug=slug).order_by("period"))

        *finished, draft = reports
        assert len(finished) >= 6
        assert all(r.status == ReportStatus.FINISHED for r in finished)
        assert draft.status == ReportStatus.DRAFT
        assert draft.period == timezone.localdate().replace(day=1)
        assert len({r.period for r in reports}) == len(reports)
        assert all(r.activities.exists() and r.authors.exists() for r in reports)
        assert len({r.gut_feeling for r in reports}) == 3
        assert any(r.presented_at_id for r in finished)
        assert any(r.risk_reviews.exists() for r in finished)
        # Each finished report keeps the risk matrix of its month.
        assert all(r.risk_matrix and r.risk_matrix["as_of"] for r in finished)

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_what_was_recorded_at_past_meetings_is_dated_the_meeting(self, seeded, slug, no_scopes):
        """The demo enters a year of minutes today: assignments are given at
        their meeting's time, risks raised on its day (issue 12, item 7)."""
        today = timezone.localdate()
        given = ActionItem.objects.filter(
            tenant__slug=slug, agenda_item__meeting__starts_at__date__lt=today
        ).select_related("agenda_item__meeting")
        assert given.exists()
        assert all(a.given_at == a.agenda_item.meeting.starts_at for a in given)
        raised = Risk.objects.filter(tenant__slug=slug).select_related("raised_at__meeting")
        assert all(r.raised_on == timezone.localdate(r.raised_at.meeting.starts_at) for r in raised)

    def test_a_planning_day_without_times_and_minutes_in_markdown(self, seeded, no_scopes):
        day = Meeting.objects.get(tenant__slug="sormland", kind=MeetingKind.PLANNING_DAY)
        assert day.all_day
        assert timezone.localtime(day.starts_at).time() == datetime.time(0, 0)
        item = AgendaItem.objects.get(
            meeting__tenant__slug="sormland", minutes__startswith="# Lokal implementering"
        )
        html = render_minutes_text(item.minutes)
        assert "<h4>Lokal implementering</h4>" in html
        assert re.search(r"<li>[^<]*<strong>tydliga uppdrag</strong>.\n<ul>\n<li>", html)
        assert '<a href="https://www.regionsormland.se/" rel="noopener noreferrer">' in html

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_programme_events_a_workshop_and_a_webinar_coming_up(self, seeded, slug, no_scopes):
        coming = ProgrammeEvent.objects.filter(
            tenant__slug=slug, status=EventStatus.PLANNED, starts_at__gt=timezone.now()
        )
        assert set(coming.values_list("kind", flat=True)) >= {EventKind.WORKSHOP, EventKind.WEBINAR}
        webinar = coming.filter(kind=EventKind.WEBINAR).first()
        assert webinar is not None and webinar.online_link.startswith("https://")

    def test_an_attendance_line_represents_a_network(self, seeded, no_scopes):
        line = (
            Attendance.objects.filter(
                meeting__tenant__slug="sormland",
                represents_body__code="SCN",
                status=AttendanceStatus.PRESENT,
            )
            .select_related("represents_body", "meeting__body")
            .first()
        )
        assert line is not None
        assert line.represents_body.tenant_id == line.meeting.tenant_id
        assert line.meeting.body.code == "SG"

    @pytest.mark.parametrize("slug", ["sormland", "kronoberg"])
    def test_a_meeting_ahead_with_documents_notices_and_replies(self, seeded, slug, no_scopes):
        notices_ = MeetingNotice.objects.filter(meeting__tenant__slug=slug)
        meeting = notices_.first().meeting
        assert meeting.status == MeetingStatus.PLANNED and meeting.starts_at > timezone.now()
        assert meeting.documents.filter(shared_at__isnull=False).exists()
        kinds = set(notices_.values_list("kind", flat=True))
        assert NoticeKind.NOTICE in kinds
        if slug == "kronoberg":
            assert NoticeKind.CHANGED in kinds
        replies = MeetingReply.objects.filter(meeting=meeting)
        assert replies.filter(answer=ReplyAnswer.COMING).exists()
        assert replies.filter(answer=ReplyAnswer.REGRETS, substitute__isnull=True).exists()
        away = replies.get(substitute__isnull=False)
        assert replies.count() < notices_.last().recipients.count()  # some have not answered
        # The attendance is pre-filled from the replies.
        lines = {a.person_id: a for a in meeting.attendance.all()}
        assert lines[away.person_id].status == AttendanceStatus.ABSENT
        assert lines[away.substitute_id].status == AttendanceStatus.SUBSTITUTE

    def test_governance_texts_name_no_real_people(self, seeded, no_scopes):
        texts = [
            *AgendaItem.objects.values_list("title", "minutes"),
            *Decision.objects.values_list("text"),
            *ActionItem.objects.values_list("description"),
            *Risk.objects.values_list("title", "description", "mitigation"),
            *StatusReport.objects.values_list("results", "gut_feeling_text", "next_steps"),
            *Meeting.objects.values_list("title", "cancelled_reason"),
            *Attendance.objects.values_list("role_note"),
            *ReportActivity.objects.values_list("description"),
        ]
        written = " ".join(" ".join(row) for row in texts)

        assert written
        for name in REAL_NAMES:
            assert name not in written, name

    def test_governance_is_audited_and_a_later_run_adds_nothing(
        self, seeded, no_scopes, monkeypatch
    ):
        created = AuditEvent.objects.filter(action__endswith=".create")
        for model in (Body, BodyMember, Meeting, Decision, ActionItem, Risk, StatusReport):
            label = model._meta.label_lower
            assert created.filter(object_type=label).count() == model.objects.count(), label
        before = row_counts()
        events = AuditEvent.objects.count()

        # The timeline is dated from today: a run on a later day must not add another.
        later = timezone.localdate() + datetime.timedelta(days=40)
        monkeypatch.setattr(governance_demo, "today", lambda: later)
        seed_demo()

        assert row_counts() == before
        assert AuditEvent.objects.count() == events

    @pytest.mark.parametrize(
        ("username", "slug"),
        [("processledare", "sormland"), ("processledare", "kronoberg"), ("styrgrupp", "sormland")],
    )
    def test_every_demo_meeting_page_opens(self, seeded, username, slug):
        client = Client()
        client.force_login(User.objects.get(username=username))
        with scopes_disabled():
            meetings = list(Meeting.objects.filter(tenant__slug=slug))
        readable = [
            m
            for m in meetings
            if username == "processledare" or m.minutes_status != MinutesStatus.DRAFT
        ]

        assert readable
        for meeting in readable:
            url = reverse("governance:meeting_detail", args=[slug, meeting.pk])
            assert client.get(url).status_code == 200, meeting

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_the_latest_justerade_minutes_are_sealed_already(self, seeded, slug, no_scopes):
        job = GeneratedFile.objects.get(kind="minutes", tenant__slug=slug)
        meeting = Meeting.objects.get(pk=job.object_id)
        assert meeting.minutes_status == MinutesStatus.APPROVED
        assert meeting.body.code == "SG"
        assert job.status == "klar" and job.seal_signature
        assert job.seal_reference == str(meeting.versions.order_by("-number").first().number)

    def test_a_demo_pdf_of_approved_minutes_is_sealed_and_checks_as_unaltered(
        self, seeded, settings, tmp_path, django_capture_on_commit_callbacks
    ):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        settings.MEDIA_ROOT = tmp_path / "media"
        client = Client()
        client.force_login(User.objects.get(username="kommun"))
        with scopes_disabled():
            meeting = Meeting.objects.filter(
                tenant__slug="sormland", minutes_status=MinutesStatus.APPROVED
            ).first()
        assert meeting is not None

        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("portal:document_request", args=["sormland", "minutes", meeting.pk])
            )
        with scopes_disabled():
            # The newest: the demo may have sealed these minutes already.
            job = GeneratedFile.objects.filter(kind="minutes", object_id=meeting.pk).latest("pk")
            data = job.file.read()

        assert job.seal_signature and job.seal_reference.isdigit()
        check = client.post(
            reverse("portal:document_check", args=["sormland"]),
            {"file": SimpleUploadedFile("protokoll.pdf", data)},
        )
        assert check.context["result"].outcome == "unaltered"
        assert meeting.title in check.content.decode()


@pytest.fixture(scope="class")
def seeded_over_existing(django_db_setup, django_db_blocker) -> Iterator[tuple[User, str]]:
    """seed_demo run once over a database that has a programme with a demo slug
    and an unrelated account with a demo username already (one seeding for
    the class, rolled back after it): (that account, what seed_demo warned)."""
    with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
        TenantFactory(slug="sormland", name="Vårt eget namn", region="Region Sörmland")
        other = User.objects.create_superuser("admin", "it@example.se", "not-the-demo-password")

        _, err = seed_demo()

        yield other, err
        transaction.set_rollback(True)


@pytest.mark.usefixtures("db")
class TestSeedingOverExistingData:
    def test_fills_in_a_programme_that_already_exists_without_changing_it(
        self, seeded_over_existing, no_scopes
    ):
        tenant = Tenant.objects.get(slug="sormland")
        assert tenant.name == "Vårt eget namn"
        assert Principal.objects.filter(tenant=tenant).count() == 11

    def test_leaves_an_unrelated_account_with_a_demo_username_alone(
        self, seeded_over_existing, no_scopes
    ):
        other, err = seeded_over_existing
        other.refresh_from_db()
        assert "admin" in err
        assert other.check_password("not-the-demo-password")
        assert not Membership.objects.filter(user=other).exists()
        assert not Person.objects.filter(membership__user=other).exists()
        assert User.objects.get(username="kommun").check_password("demo")


def test_refuses_to_run_in_production_settings(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="processledare").exists()


@pytest.mark.usefixtures("db")
class TestDemoImplementation:
    """The staircase and two years of self-assessments in both programmes."""

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_each_programme_has_the_default_staircase(self, seeded, slug, no_scopes):
        staircase = Staircase.objects.get(tenant__slug=slug, is_current=True)

        assert list(staircase.steps.values_list("name", flat=True)) == [
            "Förankra och besluta",
            "Kartlägga behov",
            "Förbereda",
            "Pröva",
            "Använda fullt ut",
            "Vidmakthålla",
        ]

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_every_municipality_has_approved_assessments_over_two_years(
        self, seeded, slug, no_scopes
    ):
        two_years_ago = timezone.now() - datetime.timedelta(days=2 * 366)
        for name in MUNICIPALITIES[slug]:
            approved = SelfAssessment.objects.filter(
                principal__name=name, principal__tenant__slug=slug, status="godkand"
            )
            assert approved.count() >= 2, name
            assert all(a.approved_at > two_years_ago for a in approved), name
            assert approved.filter(superseded_at__isnull=True, operation=None).count() == 1, name
            dates = sorted(a.approved_at for a in approved.filter(operation=None))
            assert dates[-1] - dates[0] > datetime.timedelta(days=150), name

    def test_one_municipality_moved_back(self, seeded, no_scopes):
        back = [
            a
            for a in SelfAssessment.objects.filter(tenant__slug="sormland", status="godkand")
            if a.moved_back
        ]
        assert [a.principal.name for a in back] == ["Katrineholms kommun"]
        assert back[0].comment

    def test_eskilstuna_has_a_draft_and_a_returned_assessment(self, seeded, no_scopes):
        open_ones = SelfAssessment.objects.filter(
            principal__name="Eskilstuna kommun", status__in=["utkast", "atersand"]
        )
        statuses = sorted(open_ones.values_list("status", flat=True))
        assert statuses == ["atersand", "utkast", "utkast"]
        returned = open_ones.get(status="atersand")
        assert returned.return_comment
        for draft in open_ones.filter(status="utkast"):
            assert draft.ratings.filter(rating="").exists()
            assert draft.created_by.username == "kommun"

    def test_something_waits_for_review_in_each_programme(self, seeded, no_scopes):
        for slug in PROGRAMMES:
            assert SelfAssessment.objects.filter(tenant__slug=slug, status="inskickad").exists()

    def test_a_step_set_by_hand_has_its_justification(self, seeded, no_scopes):
        overridden = SelfAssessment.objects.filter(override_step__isnull=False)
        assert overridden.exists()
        assert all(a.override_justification for a in overridden)

    def test_the_kommun_login_opens_its_draft_and_the_history(self, seeded):
        client = Client()
        client.force_login(User.objects.get(username="kommun"))
        with scopes_disabled():
            draft = SelfAssessment.objects.filter(
                principal__name="Eskilstuna kommun", status="utkast"
            ).first()
            pages = [
                reverse("implementation:assessment_edit", args=["sormland", draft.pk]),
                reverse(
                    "implementation:assessment_principal", args=["sormland", draft.principal_id]
                ),
                reverse("implementation:assessment_list", args=["sormland"]),
                reverse("implementation:staircase_detail", args=["sormland"]),
            ]
        for page in pages:
            assert client.get(page).status_code == 200, page

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_goals_sub_goals_and_indicators_with_values(self, seeded, slug, no_scopes):
        assert FocusArea.objects.filter(tenant__slug=slug).count() == 3
        assert WellbeingArea.objects.filter(tenant__slug=slug).count() == 8
        goals = Goal.objects.filter(tenant__slug=slug)
        assert goals.filter(parent__isnull=True).count() >= 3
        assert goals.get(title="Barnets bästa-ansvariga utsedda i alla kommuner").parent
        indicators = Indicator.objects.filter(tenant__slug=slug)
        assert {i.kind for i in indicators} == {"antal", "andel", "ja_nej", "skala"}
        assert all(i.values.exists() for i in indicators)
        per_principal = indicators.filter(level="huvudman").first()
        reported = set(per_principal.values.values_list("principal__name", flat=True))
        assert reported == set(MUNICIPALITIES[slug])
        assert IndicatorValue.objects.filter(
            indicator__tenant__slug=slug, principal__isnull=True
        ).exists()

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_appointments_with_a_gap_in_some_municipalities(self, seeded, slug, no_scopes):
        appointments = Appointment.objects.filter(tenant__slug=slug)
        assert appointments.filter(function__name="Kontaktperson").count() >= 8
        with_bba = set(
            appointments.filter(function__name="Barnets bästa-ansvarig").values_list(
                "principal__name", flat=True
            )
        )
        missing = set(MUNICIPALITIES[slug]) - with_bba
        assert 1 <= len(missing) <= 3
        assert appointments.filter(end_date__isnull=False).exists()
        assert appointments.filter(operation__isnull=False).exists()

    def test_good_examples_and_the_npf_sub_project(self, seeded, no_scopes):
        vingaker = GoodExample.objects.get(principal__name="Vingåkers kommun")
        assert "frånvaro" in vingaker.description and vingaker.is_published
        assert vingaker.contact_person is not None
        assert vingaker.wellbeing_areas.exists() and vingaker.steps.exists()
        assert GoodExample.objects.filter(published_at__isnull=True).exists()
        npf = SubProject.objects.get(tenant__slug="sormland", title="NPF-delprojektet")
        titles = set(npf.activities.values_list("title", flat=True))
        assert titles == {"Förslag 1: Förstärkt EHT", "Förslag 2: Digital plattform"}
        assert all(a.working_groups for a in npf.activities.all())
        assert "§" in npf.decision_reference
        assert Activity.objects.filter(tenant__slug="sormland", sub_project=None).exists()

    def test_the_implementation_pages_open_for_the_demo_logins(self, seeded):
        for username in ("processledare", "kommun", "styrgrupp"):
            client = Client()
            client.force_login(User.objects.get(username=username))
            with scopes_disabled():
                principal = Principal.objects.get(tenant__slug="sormland", name="Vingåkers kommun")
                npf = SubProject.objects.get(tenant__slug="sormland", title="NPF-delprojektet")
            for name, args in (
                ("goal_list", []),
                ("indicator_list", []),
                ("appointment_list", []),
                ("example_list", []),
                ("example_principal", [principal.pk]),
                ("plan_list", []),
                ("sub_project_detail", [npf.pk]),
            ):
                page = reverse(f"implementation:{name}", args=["sormland", *args])
                assert client.get(page).status_code == 200, (username, page)

    def test_implementation_is_audited_and_a_later_run_adds_nothing(
        self, seeded, no_scopes, monkeypatch
    ):
        created = AuditEvent.objects.filter(
            action="self_assessment.create", object_type="implementation.selfassessment"
        )
        assert created.count() == SelfAssessment.objects.count()
        before = row_counts()
        events = AuditEvent.objects.count()

        later = timezone.localdate() + datetime.timedelta(days=40)
        monkeypatch.setattr(implementation_demo, "today", lambda: later)
        seed_demo()

        assert row_counts() == before
        assert AuditEvent.objects.count() == events


@pytest.mark.usefixtures("db")
class TestDemoImports:
    """Each programme's archive of 2023 minutes: one meeting imported, one read
    and waiting on the review screen."""

    @pytest.mark.parametrize("slug", PROGRAMMES)
    def test_an_archive_with_one_meeting_imported_and_one_in_review(self, seeded, slug, no_scopes):
        from governance.models import ImportedFile, ImportState
        from portal.models import GeneratedFile

        files = {f.state: f for f in ImportedFile.objects.filter(tenant__slug=slug)}
        assert set(files) == {ImportState.CONFIRMED, ImportState.REVIEW}
        meeting = files[ImportState.CONFIRMED].meeting
        assert meeting.imported and meeting.approved_in_original
        assert meeting.minutes_status == MinutesStatus.APPROVED
        assert meeting.starts_at.year == 2023
        assert meeting.attendance.filter(status="ersatter").exists()
        assert meeting.decisions.exists()
        assert meeting.documents.exists()  # the original, as its source document
        assert files[ImportState.REVIEW].proposal is None  # read, not yet reviewed
        reading = GeneratedFile.objects.filter(
            kind="minutes_reading", object_id=files[ImportState.REVIEW].pk
        ).get()
        assert reading.status == "klar"
