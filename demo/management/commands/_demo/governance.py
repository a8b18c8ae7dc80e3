"""Governance demo data: bodies with members over time, a year of meetings with
attendance, minutes, decisions, assignments, risks and monthly status reports,
and the meetings coming up. The data tables are in demo/data/<programme>.toml
(read by programmes.py); this module turns them into rows through the
governance services (actor=None), like the rest of seed_demo.

Dates are days relative to today, so the demo always looks current. Minutes
are approved by whoever may approve them in the portal (the appointed
justerare, or else the chair on the day) when that person has a demo login.

Idempotent: bodies are looked up by code, a body's seats are only added when
the body is new, and the meeting timeline (with its decisions, assignments,
risks and reports) is only seeded in a programme that has no meetings yet —
so a re-run, on any later day, adds nothing. Each meeting is also looked up by
body and date before it is created.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django_scopes import scope

from governance.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Body,
    BodyRole,
    Decision,
    Meeting,
    MeetingKind,
    MinutesStatus,
    Risk,
    RiskReview,
    SignatoryRole,
    StatusReport,
)
from governance.services import (
    actions,
    bodies,
    decisions,
    meetings,
    minutes,
    reports,
    risks,
    signing,
)
from portal.models import Membership, Person, Principal, Role, Tenant, User
from portal.permissions import can
from portal.selectors import membership_for

# The shapes of the data tables ----------------------------------------------------


@dataclass(frozen=True)
class BodySpec:
    code: str
    name: str
    kind: str
    description: str = ""


@dataclass(frozen=True)
class SeatSpec:
    """A seat from `start` (days from today) to `end`. Seating a new chair ends
    the sitting chair's period the day before: that is the chair change."""

    body: str
    person: str
    role: str = BodyRole.MEMBER
    start: int = -900
    end: int | None = None
    represents_body: str = ""


@dataclass(frozen=True)
class DecisionSpec:
    text: str
    body: str = ""  # at a joint meeting: which of its bodies decided; default the convening one


@dataclass(frozen=True)
class ActionSpec:
    key: str  # to mark it at a later meeting's follow-up
    description: str
    people: tuple[str, ...] = ()
    principal: str = ""
    body: str = ""  # an owning body's code
    all_organisations: bool = False
    due: int | None = None  # days after the meeting
    next_meeting: bool = False
    status: str = ActionStatus.NOT_STARTED
    from_decision: bool = False  # created from the item's first decision


@dataclass(frozen=True)
class RiskSpec:
    key: str
    title: str
    category: str
    likelihood: int
    consequence: int
    owner: str
    description: str
    mitigation: str


@dataclass(frozen=True)
class ReviewSpec:
    risk: str  # a RiskSpec key
    likelihood: int
    consequence: int
    status: str
    note: str


@dataclass(frozen=True)
class ItemSpec:
    title: str
    kind: str = AgendaItemKind.INFORMATION
    text: str = ""
    presenters: tuple[str, ...] = ()
    decisions: tuple[DecisionSpec, ...] = ()
    actions: tuple[ActionSpec, ...] = ()
    risks: tuple[RiskSpec, ...] = ()
    reviews: tuple[ReviewSpec, ...] = ()
    report: bool = False  # the previous month's status report is presented here


APPROVED = MinutesStatus.APPROVED
FINISHED = MinutesStatus.FINISHED
DRAFT = MinutesStatus.DRAFT


@dataclass(frozen=True)
class MeetingSpec:
    body: str
    day: int  # days from today; Saturdays and Sundays move to the Friday before
    agenda: tuple[ItemSpec, ...] = ()
    kind: str = MeetingKind.REGULAR
    title: str = ""
    start: tuple[int, int] = (9, 0)
    minutes_long: int = 120
    all_day: bool = False  # a date without times (a planning day): start and length unused
    place: str = ""
    online_link: str = ""
    joint: tuple[str, ...] = ()
    note_taker: str = ""
    adjusters: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    substitutes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (substitute, whom they replace)
    guests: tuple[tuple[str, str], ...] = ()  # (person, note, e.g. "presenterar goda exempel")
    follow_up: tuple[tuple[str, str], ...] = ()  # (action key, status marked at this meeting)
    minutes: str = APPROVED  # for held meetings; upcoming ones stay drafts
    cancelled: str = ""  # the reason


@dataclass(frozen=True)
class ReportSpec:
    months_ago: int  # 0 is this month's report, still a draft
    authors: tuple[str, ...]
    results: str
    gut_feeling: str
    gut_feeling_text: str
    next_steps: str
    activities: tuple[tuple[str, str], ...]  # (principal, what the process leaders did there)


@dataclass(frozen=True)
class GovernanceSpec:
    slug: str
    bodies: tuple[BodySpec, ...]
    seats: tuple[SeatSpec, ...]
    meetings: tuple[MeetingSpec, ...]
    reports: tuple[ReportSpec, ...]


# Writing it -----------------------------------------------------------------------


def seed_governance(spec: GovernanceSpec) -> None:
    tenant = Tenant.objects.filter(slug=spec.slug).first()
    if tenant is None:
        return
    with scope(tenant=tenant):
        _Seeder(tenant, spec).run()


def today() -> datetime.date:
    """The day the timeline is dated from (a function, so tests can move it)."""
    return timezone.localdate()


def workday(day: datetime.date) -> datetime.date:
    """Saturday and Sunday move back to the Friday."""
    return day - datetime.timedelta(days=max(0, day.weekday() - 4))


def month_start(day: datetime.date, months_back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


class _Seeder:
    def __init__(self, tenant: Tenant, spec: GovernanceSpec) -> None:
        self.tenant = tenant
        self.spec = spec
        self.today = today()
        self.people = {p.name: p for p in Person.objects.filter(tenant=tenant)}
        self.principals = {p.name: p for p in Principal.objects.filter(tenant=tenant)}
        self.bodies: dict[str, Body] = {}
        self.actions: dict[str, ActionItem] = {}
        self.risks: dict[str, Risk] = {}
        self.reports_done: set[int] = set()

    def run(self) -> None:
        new_bodies = self.ensure_bodies()
        for seat in self.spec.seats:
            if seat.body in new_bodies:
                self.seat(seat)
        if Meeting.objects.filter(tenant=self.tenant).exists():
            return
        for meeting in sorted(self.spec.meetings, key=lambda m: m.day):
            self.meeting(meeting)
        for report in self.spec.reports:
            if report.months_ago not in self.reports_done:
                self.report(report, presented_at=None, reviews=[])

    # Bodies and seats

    def ensure_bodies(self) -> set[str]:
        found = list(Body.objects.filter(tenant=self.tenant))
        by_code = {b.code: b for b in found}
        by_name = {b.name.lower(): b for b in found}
        new: set[str] = set()
        for spec in self.spec.bodies:
            existing = by_code.get(spec.code) or by_name.get(spec.name.lower())
            if existing is not None:  # the programme's own body of that code or name
                self.bodies[spec.code] = existing
                continue
            self.bodies[spec.code] = bodies.body_create(
                actor=None,
                tenant=self.tenant,
                name=spec.name,
                kind=spec.kind,
                code=spec.code,
                description=spec.description,
            )
            new.add(spec.code)
        return new

    def seat(self, spec: SeatSpec) -> None:
        person = self.people.get(spec.person)
        if person is None:  # a demo login that was skipped
            return
        bodies.body_member_add(
            actor=None,
            body=self.bodies[spec.body],
            person=person,
            role=spec.role,
            start_date=self.day(spec.start),
            end_date=self.day(spec.end) if spec.end is not None else None,
            represents_principal=person.principal,
            represents_body=self.bodies[spec.represents_body] if spec.represents_body else None,
        )

    # Meetings

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def find(self, *names: str) -> list[Person]:
        return [self.people[name] for name in names if name in self.people]

    def meeting(self, spec: MeetingSpec) -> None:
        body = self.bodies[spec.body]
        day = workday(self.day(spec.day))
        if Meeting.objects.filter(body=body, starts_at__date=day).exists():
            return
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(*spec.start)))
        meeting = meetings.meeting_create(
            actor=None,
            body=body,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=spec.minutes_long),
            all_day=spec.all_day,
            kind=spec.kind,
            title=spec.title,
            place=spec.place,
            online_link=spec.online_link,
            joint_bodies=[self.bodies[code] for code in spec.joint],
            note_taker=next(iter(self.find(spec.note_taker)), None),
            adjusters=self.find(*spec.adjusters),
        )
        self.attendance(meeting, spec)
        reviews: list[RiskReview] = []
        report_item: AgendaItem | None = None
        for item_spec in spec.agenda:
            item = self.item(meeting, item_spec, reviews)
            if item_spec.report:
                report_item = item
        for key, status in spec.follow_up:
            if key in self.actions:
                actions.action_set_status(
                    actor=None, action=self.actions[key], status=status, meeting=meeting
                )
        if report_item is not None:
            self.present_report(meeting, report_item, reviews)
        if spec.cancelled:
            meetings.meeting_cancel(actor=None, meeting=meeting, reason=spec.cancelled)
        elif spec.day < 0:
            meeting = minutes.minutes_finish(actor=None, meeting=meeting)
            if spec.minutes == APPROVED:
                self.approve(meeting)

    def attendance(self, meeting: Meeting, spec: MeetingSpec) -> None:
        for person in self.find(*spec.absent):
            meetings.attendance_set(
                actor=None, meeting=meeting, person=person, status=AttendanceStatus.ABSENT
            )
        for name, whom in spec.substitutes:
            replaced = self.find(*whom)
            for person in replaced:
                meetings.attendance_set(
                    actor=None, meeting=meeting, person=person, status=AttendanceStatus.ABSENT
                )
            for person in self.find(name):
                if replaced:
                    meetings.attendance_set(
                        actor=None,
                        meeting=meeting,
                        person=person,
                        status=AttendanceStatus.SUBSTITUTE,
                        replaces=replaced,
                    )
        for name, note in spec.guests:
            for person in self.find(name):
                meetings.attendance_set(
                    actor=None,
                    meeting=meeting,
                    person=person,
                    status=AttendanceStatus.GUEST,
                    role_note=note,
                )
        # The justerare is chosen among those present: one who has no seat
        # on the roster took part as a guest.
        recorded = set(Attendance.objects.filter(meeting=meeting).values_list("person", flat=True))
        for person in meeting.adjusters.all():
            if person.pk not in recorded:
                meetings.attendance_set(
                    actor=None,
                    meeting=meeting,
                    person=person,
                    status=AttendanceStatus.GUEST,
                    role_note="Justerare",
                )

    def item(self, meeting: Meeting, spec: ItemSpec, reviews: list[RiskReview]) -> AgendaItem:
        item = meetings.agenda_item_add(
            actor=None,
            meeting=meeting,
            title=spec.title,
            kind=spec.kind,
            minutes=spec.text,
            presenters=self.find(*spec.presenters),
        )
        made: list[Decision] = [
            decisions.decision_create(
                actor=None,
                meeting=meeting,
                text=decision.text,
                agenda_item=item,
                body=self.bodies[decision.body] if decision.body else None,
            )
            for decision in spec.decisions
        ]
        for action in spec.actions:
            self.action(meeting, item, action, made[0] if action.from_decision and made else None)
        for risk in spec.risks:
            self.risk(meeting, item, risk)
        for review in spec.reviews:
            if review.risk in self.risks:
                reviews.append(
                    risks.risk_review_add(
                        actor=None,
                        risk=self.risks[review.risk],
                        reviewed_on=timezone.localdate(meeting.starts_at),
                        likelihood=review.likelihood,
                        consequence=review.consequence,
                        status=review.status,
                        note=review.note,
                    )
                )
        return item

    def action(
        self, meeting: Meeting, item: AgendaItem, spec: ActionSpec, decision: Decision | None
    ) -> None:
        owners = self.find(*spec.people)
        principal = self.principals.get(spec.principal) if spec.principal else None
        owner_body = self.bodies[spec.body] if spec.body else None
        if not (owners or principal or owner_body or spec.all_organisations):
            return
        due = None
        if spec.due is not None:
            due = timezone.localdate(meeting.starts_at) + datetime.timedelta(days=spec.due)
        action = actions.action_create(
            actor=None,
            body=meeting.body,
            description=spec.description,
            owner_people=owners,
            owner_principal=principal,
            owner_body=owner_body,
            owner_all=spec.all_organisations,
            due_date=due,
            due_next_meeting=spec.next_meeting,
            agenda_item=item,
            decision=decision,
        )
        if spec.status != ActionStatus.NOT_STARTED:
            actions.action_set_status(
                actor=None, action=action, status=spec.status, meeting=meeting
            )
        self.actions[spec.key] = action

    def risk(self, meeting: Meeting, item: AgendaItem, spec: RiskSpec) -> None:
        risk = risks.risk_create(
            actor=None,
            tenant=self.tenant,
            title=spec.title,
            category=spec.category,
            likelihood=spec.likelihood,
            consequence=spec.consequence,
            description=spec.description,
            mitigation=spec.mitigation,
            owner=next(iter(self.find(spec.owner)), None),
            raised_at=item,
        )
        # The first assessment is the first entry of the risk's history.
        risks.risk_review_add(
            actor=None,
            risk=risk,
            reviewed_on=timezone.localdate(meeting.starts_at),
            likelihood=spec.likelihood,
            consequence=spec.consequence,
            status=risk.status,
            note="Risken identifieras och bedöms första gången.",
        )
        self.risks[spec.key] = risk

    def approve(self, meeting: Meeting) -> None:
        """Every signatory signs: whoever has a demo login through the portal,
        the others on paper, as a process leader records (minutes of the past
        entered afterwards). A signatory recorded absent cannot: the minutes
        then stay finished, awaiting approval."""
        state = signing.signing_state(meeting)
        recorder = self.recorder()
        for signatory in state.signatories:
            if not signatory.present:
                return
        for signatory in state.signatories:
            membership = membership_for(signatory.person)
            if membership is not None and can(membership, "governance.approve_minutes"):
                minutes.minutes_approve(
                    actor=membership.user, membership=membership, meeting=meeting
                )
            elif recorder is not None:
                signing.signature_record_paper(
                    actor=recorder, meeting=meeting, person=signatory.person
                )

    def recorder(self) -> User | None:
        """The process leader who records signatures given on paper."""
        membership = (
            Membership.objects.filter(tenant=self.tenant, role=Role.PROCESS_LEADER, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return membership.user if membership is not None else None

    # Status reports

    def present_report(self, meeting: Meeting, item: AgendaItem, reviews: list[RiskReview]) -> None:
        """The previous month's report, presented at the meeting's item."""
        held = timezone.localdate(meeting.starts_at)
        months_ago = (self.today.year - held.year) * 12 + self.today.month - held.month + 1
        for spec in self.spec.reports:
            if spec.months_ago == months_ago and months_ago not in self.reports_done:
                self.report(spec, presented_at=item, reviews=reviews)

    def report(
        self, spec: ReportSpec, *, presented_at: AgendaItem | None, reviews: list[RiskReview]
    ) -> None:
        period = month_start(self.today, spec.months_ago)
        self.reports_done.add(spec.months_ago)
        if StatusReport.objects.filter(tenant=self.tenant, period=period).exists():
            return
        authors = self.find(*spec.authors)
        if not authors:
            return
        report = reports.report_create(
            actor=None,
            tenant=self.tenant,
            period=period,
            authors=authors,
            results=spec.results,
            gut_feeling=spec.gut_feeling,
            gut_feeling_text=spec.gut_feeling_text,
            next_steps=spec.next_steps,
            presented_at=presented_at,
        )
        reports.report_set_activities(
            actor=None,
            report=report,
            activities={
                self.principals[name]: text
                for name, text in spec.activities
                if name in self.principals
            },
        )
        if reviews:
            reports.report_link_reviews(actor=None, report=report, reviews=reviews)
        if spec.months_ago > 0:
            reports.report_finish(actor=None, report=report)


def half_sign(meeting: Meeting) -> None:
    """Minutes awaiting approval: the signatories with a demo login other
    than the chair have signed; the chair has not yet."""
    state = signing.signing_state(meeting)
    if len(state.signatories) < 2:
        return
    for signatory in state.signatories:
        if signatory.role == SignatoryRole.CHAIR or not signatory.present or signatory.signed:
            continue  # a second run of the seed signs nothing again
        membership = membership_for(signatory.person)
        if membership is not None and can(membership, "governance.approve_minutes"):
            minutes.minutes_approve(actor=membership.user, membership=membership, meeting=meeting)


def seed_half_signed() -> None:
    """After the meetings' documents (the minutes list them, so adding one
    would void a signature): the finished minutes are half-signed."""
    for tenant in Tenant.objects.filter(slug__in=["sormland", "kronoberg"]):
        with scope(tenant=tenant):
            finished = Meeting.objects.filter(tenant=tenant, minutes_status=MinutesStatus.FINISHED)
            for meeting in finished.order_by("pk"):
                half_sign(meeting)


def seed_sealed_minutes() -> None:
    """The latest justerade minutes of each programme's steering group as a
    member downloads them: a PDF carrying the installation's seal, which the
    check page ("Kontrollera ett dokument") recognises. Made once."""
    from portal.documents import jobs as document_jobs
    from portal.documents import requests as document_requests
    from portal.documents.registry import get_kind
    from portal.models import GeneratedFile

    kind = get_kind("minutes")
    for tenant in Tenant.objects.filter(slug__in=["sormland", "kronoberg"]):
        with scope(tenant=tenant):
            meeting = (
                Meeting.objects.filter(
                    tenant=tenant, minutes_status=MinutesStatus.APPROVED, body__code="SG"
                )
                .order_by("-starts_at")
                .first()
            )
            leader = (
                Membership.objects.filter(
                    tenant=tenant, role=Role.PROCESS_LEADER, user__is_active=True
                )
                .select_related("user")
                .order_by("pk")
                .first()
            )
            if meeting is None or leader is None:
                continue
            made = GeneratedFile.objects.filter(kind=kind.key, object_id=meeting.pk)
            if made.exclude(seal_signature="").exists():
                continue
            job = document_requests.request_document(
                actor=leader.user,
                membership=leader,
                tenant=tenant,
                kind=kind,
                obj=kind.load(tenant, meeting.pk),
            )
            # Rendered here, as the worker would: the demo needs no worker.
            claimed = document_jobs.claim(job_id=job.pk, tenant=tenant)
            if claimed is not None:
                document_jobs.run(claimed)
