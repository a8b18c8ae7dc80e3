"""The bench programme's governance: bodies and seats, five years of meetings
with agenda, attendance and approved minutes, decisions, action items with
their status changes, risks with reviews."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from governance.models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    ActionStatus,
    ActionStatusChange,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyMember,
    BodyRole,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
    RecordType,
    Risk,
    RiskReview,
    RiskStatus,
)
from governance.services.minutes import minutes_content
from portal.models import Person, Principal, PrincipalKind

from . import texts
from .base import BODIES, MEETING_BODIES, ROLE_NOTES, Seeder, workday
from .sizes import AGENDA_ITEMS_PER_MEETING, REVIEWS_PER_RISK


@dataclass
class Seat:
    body: str
    person: Person
    role: str
    principal: Principal | None
    start: datetime.date
    end: datetime.date | None = None

    def current(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass
class PlannedAction:
    action: ActionItem
    meeting_index: int
    # (when, from, to, meeting index or None); the first is the creation
    changes: list[tuple[datetime.datetime, str, str, int | None]] = field(default_factory=list)

    def status_at(self, moment: datetime.datetime) -> str | None:
        status = None
        for at, _from, to, _meeting in self.changes:
            if at <= moment:
                status = to
        return status


class GovernanceSeed(Seeder):
    # Governance -----------------------------------------------------------------------

    def governance(self) -> None:
        self.bodies = dict(
            zip(
                (code for code, _name, _kind in BODIES),
                self.bulk(
                    Body,
                    [
                        Body(tenant=self.tenant, code=code, name=name, kind=kind)
                        for code, name, kind in BODIES
                    ],
                ),
                strict=True,
            )
        )
        self.seats()
        self.meetings()
        self.decisions()
        self.actions()
        self.risks()
        self.finish_minutes()

    def seats(self) -> None:
        seated = self.start - datetime.timedelta(days=60)
        middle = self.start + (self.today - self.start) / 2
        pl, chair = self.people[0], self.people[1]
        seats = [
            Seat("SG", chair, BodyRole.CHAIR, chair.principal, seated),
            *(Seat(code, pl, BodyRole.PROCESS_LEADER, None, seated) for code in self.bodies),
        ]
        if self.external:
            seats.append(Seat("SG", self.external[0], BodyRole.RESEARCHER, None, seated))
        for index, principal in enumerate(self.principals):
            staff = self.by_principal[principal.pk]
            if staff:
                member = Seat("SG", staff[0], BodyRole.MEMBER, principal, seated)
                seats.append(member)
                if len(staff) > 4 and index % 5 == 2:  # a new member halfway through
                    member.end = middle
                    seats.append(
                        Seat(
                            "SG",
                            staff[4],
                            BodyRole.MEMBER,
                            principal,
                            middle + datetime.timedelta(days=1),
                        )
                    )
            if len(staff) > 1 and index % 2 == 0:
                seats.append(Seat("SG", staff[1], BodyRole.DEPUTY, principal, seated))
            if len(staff) > 2:
                seats.append(Seat("AG", staff[2], BodyRole.MEMBER, principal, seated))
            if len(staff) > 3 and principal.kind == PrincipalKind.MUNICIPALITY:
                seats.append(Seat("SKN", staff[3], BodyRole.MEMBER, principal, seated))
        self.seat_list = seats
        self.bulk(
            BodyMember,
            [
                BodyMember(
                    tenant=self.tenant,
                    body=self.bodies[seat.body],
                    person=seat.person,
                    role=seat.role,
                    represents_principal=seat.principal,
                    start_date=seat.start,
                    end_date=seat.end,
                )
                for seat in seats
            ],
        )

    def meetings(self) -> None:
        sizes, rng = self.sizes, self.rng
        first = self.start + datetime.timedelta(days=20)
        last = self.today - datetime.timedelta(days=10)
        held = sizes.held_meetings
        days = [
            workday(first + (last - first) * j / max(1, held - 1)) if held > 1 else workday(last)
            for j in range(held)
        ]
        days += [
            workday(self.today + datetime.timedelta(days=14 * (k + 1)))
            for k in range(sizes.future_meetings)
        ]
        self.held = held
        rows = []
        for i, day in enumerate(days):
            code = MEETING_BODIES[i % len(MEETING_BODIES)]
            planned = i >= held
            pending = held - sizes.pending_meetings <= i < held
            starts = self.moment(day, 9)
            finished = self.moment(day + datetime.timedelta(days=2), 16)
            approved = min(self.moment(day + datetime.timedelta(days=7), 11), self.now)
            status = (
                MinutesStatus.DRAFT
                if planned
                else MinutesStatus.FINISHED
                if pending
                else MinutesStatus.APPROVED
            )
            rows.append(
                Meeting(
                    tenant=self.tenant,
                    body=self.bodies[code],
                    kind=MeetingKind.PLANNING_DAY if i % 10 == 9 else MeetingKind.REGULAR,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=3),
                    place=f"Regionhuset, sal {i % 4 + 1}",
                    status=MeetingStatus.PLANNED if planned else MeetingStatus.HELD,
                    record_type=RecordType.PROTOCOL if code == "SG" else RecordType.NOTES,
                    note_taker=self.people[0],
                    minutes_status=status,
                    finished_at=None if planned else finished,
                    finished_by=None if planned else self.pl,
                    approved_at=approved if status == MinutesStatus.APPROVED else None,
                    approved_by=self.chair if status == MinutesStatus.APPROVED else None,
                    approved_by_person=self.people[1] if status == MinutesStatus.APPROVED else None,
                    version={MinutesStatus.DRAFT: 1, MinutesStatus.FINISHED: 10}.get(status, 11),
                    created_at=self.moment(day - datetime.timedelta(days=21)),
                )
            )
        self.meeting_list = self.bulk(Meeting, rows)
        self.meeting_days = days
        self.through(
            Meeting.adjusters,
            [{"meeting_id": m.pk, "person_id": self.people[1].pk} for m in self.meeting_list],
        )
        items = []
        for i, meeting in enumerate(self.meeting_list):
            for position, (title, kind) in enumerate(texts.AGENDA, start=1):
                text = "" if i >= held else " ".join(rng.sample(texts.MINUTES, 2))
                items.append(
                    AgendaItem(
                        tenant=self.tenant,
                        meeting=meeting,
                        position=position,
                        title=title,
                        kind=kind,
                        minutes=text,
                        version=1 if i >= held else 2,
                    )
                )
        assert len(texts.AGENDA) == AGENDA_ITEMS_PER_MEETING
        made = self.bulk(AgendaItem, items)
        self.items = [
            made[i * AGENDA_ITEMS_PER_MEETING : (i + 1) * AGENDA_ITEMS_PER_MEETING]
            for i in range(len(self.meeting_list))
        ]
        self.through(
            AgendaItem.presenters,
            [{"agendaitem_id": items_[5].pk, "person_id": self.pl_person} for items_ in self.items],
        )
        self.attendance()

    @property
    def pl_person(self) -> int:
        return self.people[0].pk

    def attendance(self) -> None:
        rng = self.rng
        rows: list[Attendance] = []
        replaced: list[tuple[int, int]] = []  # (row index, person replaced)
        for i, (meeting, day) in enumerate(zip(self.meeting_list, self.meeting_days, strict=True)):
            code = MEETING_BODIES[i % len(MEETING_BODIES)]
            seats = [s for s in self.seat_list if s.body == code and s.current(day)]
            held = i < self.held
            absent: dict[int, Person] = {}  # principal → its absent member
            seen: set[int] = set()
            for seat in sorted(seats, key=lambda s: s.role == BodyRole.DEPUTY):
                if seat.person.pk in seen:
                    continue
                seen.add(seat.person.pk)
                status = AttendanceStatus.PRESENT
                principal_id = seat.principal.pk if seat.principal else None
                if held and seat.role == BodyRole.MEMBER and rng.random() < 0.12:
                    status = AttendanceStatus.ABSENT
                    if principal_id:
                        absent[principal_id] = seat.person
                elif held and seat.role == BodyRole.DEPUTY:
                    if principal_id in absent:
                        status = AttendanceStatus.SUBSTITUTE
                        replaced.append((len(rows), absent[principal_id].pk))
                    elif rng.random() < 0.5:
                        status = AttendanceStatus.ABSENT
                rows.append(
                    Attendance(
                        tenant=self.tenant,
                        meeting=meeting,
                        person=seat.person,
                        status=status,
                        represents_principal_id=principal_id or seat.person.principal_id,
                        role_note=ROLE_NOTES.get(seat.role, ""),
                    )
                )
            guests = [p for p in self.staff if p.pk not in seen]
            if held and i % 3 == 1 and guests:
                guest = rng.choice(guests)
                rows.append(
                    Attendance(
                        tenant=self.tenant,
                        meeting=meeting,
                        person=guest,
                        status=AttendanceStatus.GUEST,
                        represents_principal_id=guest.principal_id,
                        role_note="inbjuden föredragande",
                    )
                )
        made = self.bulk(Attendance, rows)
        self.through(
            Attendance.replaces,
            [{"attendance_id": made[index].pk, "person_id": person} for index, person in replaced],
        )

    def held_meeting(self, index: int, count: int) -> int:
        """The held meeting of the `index`-th of `count` rows spread evenly over time."""
        return index * self.held // count

    def decisions(self) -> None:
        numbers: dict[tuple[str, int], int] = defaultdict(int)
        rows = []
        for d in range(self.sizes.decisions):
            m = self.held_meeting(d, self.sizes.decisions)
            meeting, day = self.meeting_list[m], self.meeting_days[m]
            code = MEETING_BODIES[m % len(MEETING_BODIES)]
            numbers[code, day.year] += 1
            rows.append(
                Decision(
                    tenant=self.tenant,
                    body=meeting.body,
                    meeting=meeting,
                    agenda_item=self.items[m][3 + d % 3],
                    year=day.year,
                    number=numbers[code, day.year],
                    text=f"{texts.DECIDING[code]} {self.rng.choice(texts.DECISIONS)}.",
                    decided_on=day,
                    created_at=self.moment(day, 11),
                )
            )
        self.decision_list = self.bulk(Decision, rows)
        self.decisions_at: dict[int, list[Decision]] = defaultdict(list)
        for decision in self.decision_list:
            self.decisions_at[decision.meeting_id].append(decision)
        # A few are replaced by a later decision of the same body.
        later: dict[int, Decision] = {}
        repealed = []
        for decision in reversed(self.decision_list):
            following = later.get(decision.body_id)
            if (
                following is not None
                and following.meeting_id != decision.meeting_id
                and decision.number % 25 == 7
            ):
                decision.status = DecisionStatus.REPEALED
                decision.replaced_by = following
                repealed.append(decision)
            later[decision.body_id] = decision
        Decision.objects.bulk_update(repealed, ["status", "replaced_by"])

    def actions(self) -> None:
        rng, sizes = self.rng, self.sizes
        body_meetings: dict[int, list[int]] = defaultdict(list)
        for m, meeting in enumerate(self.meeting_list):
            body_meetings[meeting.body_id].append(m)
        planned: list[PlannedAction] = []
        bodies = list(self.bodies.values())
        for a in range(sizes.action_items):
            m = self.held_meeting(a, sizes.action_items)
            meeting, day = self.meeting_list[m], self.meeting_days[m]
            decisions = self.decisions_at.get(meeting.pk, [])
            kind = a % 4
            next_meeting = a % 5 == 0
            action = ActionItem(
                tenant=self.tenant,
                body=meeting.body,
                description=rng.choice(texts.ACTIONS),
                owner_principal=self.principals[a % len(self.principals)]
                if kind in (0, 3)
                else None,
                owner_body=bodies[(a // 4) % len(bodies)] if kind == 2 else None,
                owner_all=a % 50 == 49,
                due_date=None
                if next_meeting
                else day + datetime.timedelta(days=30 + rng.randrange(90)),
                due_next_meeting=next_meeting,
                agenda_item=self.items[m][3 + a % 4],
                decision=decisions[a % len(decisions)] if decisions and a % 3 == 0 else None,
                created_at=self.moment(day, 11, 30),
            )
            plan = PlannedAction(action, m)
            plan.changes.append((action.created_at, "", ActionStatus.NOT_STARTED, None))
            self.plan_status(plan, day, body_meetings[meeting.body_id])
            final = plan.changes[-1]
            action.status = final[2]
            action.status_changed_at = final[0] if len(plan.changes) > 1 else None
            planned.append(plan)
        self.bulk(ActionItem, [p.action for p in planned])
        changes = []
        for plan in planned:
            for at, from_status, to_status, at_meeting in plan.changes:
                changes.append(
                    ActionStatusChange(
                        tenant=self.tenant,
                        action_item=plan.action,
                        from_status=from_status,
                        to_status=to_status,
                        changed_at=at,
                        changed_by=self.pl,
                        meeting=self.meeting_list[at_meeting] if at_meeting is not None else None,
                    )
                )
        self.bulk(ActionStatusChange, changes)
        self.owners(planned)
        self.follow_ups(planned, body_meetings)

    def plan_status(self, plan: PlannedAction, day: datetime.date, meetings: list[int]) -> None:
        """Started, done and reported back at a later meeting of the body — or
        still open: the newest, and about one in eight of the others (overdue)."""
        rng = self.rng
        age = (self.today - day).days
        target = (
            rng.choice(OPEN_ACTION_STATUSES)
            if age < 45 or rng.random() < 0.12
            else rng.choice((ActionStatus.DONE, ActionStatus.REPORTED))
        )
        if target == ActionStatus.NOT_STARTED:
            return
        limit = self.now - datetime.timedelta(hours=1)
        at = self.moment(day + datetime.timedelta(days=10 + rng.randrange(20)), 13)
        steps = [ActionStatus.IN_PROGRESS]
        if target in (ActionStatus.DONE, ActionStatus.REPORTED):
            steps.append(ActionStatus.DONE)
        for status in steps:
            if at >= limit:
                return
            plan.changes.append((at, plan.changes[-1][2], status, None))
            at += datetime.timedelta(days=30 + rng.randrange(60))
        if target == ActionStatus.REPORTED:
            done_at = plan.changes[-1][0]
            later = [m for m in meetings if m < self.held and self.meeting_days[m] > done_at.date()]
            if later:
                m = later[0]
                plan.changes.append(
                    (self.moment(self.meeting_days[m], 10), ActionStatus.DONE, target, m)
                )

    def owners(self, planned: list[PlannedAction]) -> None:
        rows = []
        for a, plan in enumerate(planned):
            if a % 4 in (1, 3):
                attendance = self.staff or self.people
                for person in self.rng.sample(attendance, min(len(attendance), 1 + a % 2)):
                    rows.append({"actionitem_id": plan.action.pk, "person_id": person.pk})
        self.through(ActionItem.owner_people, rows)

    def follow_ups(self, planned: list[PlannedAction], body_meetings: dict[int, list[int]]) -> None:
        """Each meeting's follow-up item carries the body's assignments that
        were open when it was planned, as `meeting_create` does."""
        of_body: dict[int, list[PlannedAction]] = defaultdict(list)
        for plan in planned:
            of_body[plan.action.body_id].append(plan)
        rows = []
        for body_id, meetings in body_meetings.items():
            for m in meetings:
                created = self.meeting_list[m].created_at
                for plan in of_body[body_id]:
                    if plan.meeting_index < m and plan.status_at(created) in OPEN_ACTION_STATUSES:
                        rows.append(
                            {"agendaitem_id": self.items[m][2].pk, "actionitem_id": plan.action.pk}
                        )
        self.through(AgendaItem.follow_up_actions, rows)

    def risks(self) -> None:
        rng, sizes = self.rng, self.sizes
        risks, reviews = [], []
        for r in range(sizes.risks):
            m = self.held_meeting(r, sizes.risks)
            day = self.meeting_days[m]
            title, category = texts.RISKS[r % len(texts.RISKS)]
            if r >= len(texts.RISKS):
                title = f"{title} ({r // len(texts.RISKS) + 1})"
            gap = max(1, min(120, (self.today - day).days // REVIEWS_PER_RISK))
            likelihood, consequence = 1 + rng.randrange(4), 1 + rng.randrange(4)
            history = []
            for k in range(REVIEWS_PER_RISK):
                if k:
                    likelihood = min(4, max(1, likelihood + rng.choice((-1, 0, 0, 1))))
                    consequence = min(4, max(1, consequence + rng.choice((-1, 0, 1))))
                reviewed_on = day + datetime.timedelta(days=k * gap)
                if k == 0:
                    status = RiskStatus.IDENTIFIED
                elif k < REVIEWS_PER_RISK - 1 or (self.today - day).days < 365:
                    status = RiskStatus.MANAGED
                else:
                    status = rng.choice(
                        (RiskStatus.CLOSED, RiskStatus.CLOSED, RiskStatus.OCCURRED)
                        + (RiskStatus.MANAGED,) * 3
                    )
                history.append((reviewed_on, likelihood, consequence, status))
            risk = Risk(
                tenant=self.tenant,
                title=title,
                description="Risken lyftes under punkten Risker och åtgärder.",
                category=category,
                likelihood=likelihood,
                consequence=consequence,
                owner=rng.choice(self.people),
                mitigation=rng.choice(texts.MITIGATIONS),
                status=history[-1][3],
                raised_at=self.items[m][6],
                created_at=self.moment(day, 11),
            )
            risks.append(risk)
            reviews.append(history)
        self.bulk(Risk, risks)
        self.bulk(
            RiskReview,
            [
                RiskReview(
                    tenant=self.tenant,
                    risk=risk,
                    reviewed_on=reviewed_on,
                    likelihood=likelihood,
                    consequence=consequence,
                    status=status,
                    note="Risken identifieras och bedöms första gången."
                    if k == 0
                    else "Bedömningen ses över vid mötet.",
                    reviewed_by=self.pl,
                    created_at=self.moment(reviewed_on, 15),
                )
                for risk, history in zip(risks, reviews, strict=True)
                for k, (reviewed_on, likelihood, consequence, status) in enumerate(history)
            ],
        )

    def finish_minutes(self) -> None:
        """Freeze each approved meeting's minutes, as `minutes_approve` does."""
        versions = [
            MinutesVersion(
                tenant=self.tenant,
                meeting=meeting,
                number=1,
                content=minutes_content(meeting),
                approved_by=meeting.approved_by,
                approved_by_person=meeting.approved_by_person,
                approved_at=meeting.approved_at,
            )
            for meeting in self.meeting_list
            if meeting.minutes_status == MinutesStatus.APPROVED and meeting.approved_at
        ]
        self.bulk(MinutesVersion, versions)
