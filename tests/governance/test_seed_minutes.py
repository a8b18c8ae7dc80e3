"""Issue #3, "Done when": each seed minutes in shared/seeds/ is entered
completely through the governance services and read back — through
`minutes_content` (what a minutes version freezes) and the programme's rows,
and on the meeting page as the process leader sees it.

The seeds are data in tests/governance/seed_data.py; `enter` below is what a
process leader does in the browser, one service call per thing written down.
Each seed has a service round-trip test and, kept apart, meeting-page tests.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from governance.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    ReportStatus,
    Risk,
    RiskStatus,
    StatusReport,
)
from governance.services import actions, bodies, decisions, meetings, minutes, reports, risks
from portal import services as portal_services
from portal.models import Person, Principal
from tests.governance import seed_data
from tests.governance.imports.expected import SORMLAND_ITEMS
from tests.governance.seed_data import Seed

# Entering a seed ---------------------------------------------------------------------


@dataclass
class Entered:
    """What entering a seed created, by the names the minutes use."""

    meeting: Meeting
    principals: dict[str, Principal] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    others: list[Meeting] = field(default_factory=list)
    next_meeting: Meeting | None = None


def enter(seed: Seed, world) -> Entered:
    """Enter the whole seed as the programme's process leader, through the services."""
    leader = world.users["leader"]
    tenant = world.tenant
    with scope(tenant=tenant):
        principals = {
            name: portal_services.principal_create(
                actor=leader, tenant=tenant, kind=kind, name=name, municipality_code=code
            )
            for name, kind, code in seed.principals
        }
        bodies_ = {
            code: bodies.body_create(actor=leader, tenant=tenant, name=name, kind=kind, code=code)
            for code, name, kind in seed.bodies
        }
        people = {
            row.name: portal_services.person_create(
                actor=leader,
                tenant=tenant,
                name=row.name,
                title=row.title,
                principal=principals[row.principal] if row.principal else None,
                organisation=row.organisation,
            )
            for row in seed.people
        }
        if seed.chair:
            # The chair approves the minutes with the steering member's login.
            portal_services.membership_set_person(
                actor=world.users["admin"],
                membership=world.memberships["steering"],
                person=people[seed.chair],
            )
        body = bodies_[seed.body]
        for seat in seed.seats:
            bodies.body_member_add(
                actor=leader,
                body=body,
                person=people[seat.person],
                role=seat.role,
                start_date=seat.start,
                end_date=seat.end,
                represents_principal=people[seat.person].principal,
            )
        meeting = meetings.meeting_create(
            actor=leader,
            body=body,
            starts_at=seed.starts_at,
            ends_at=seed.ends_at,
            kind=seed.kind,
            title=seed.title,
            place=seed.place,
            record_type=seed.record_type,
            note_taker=people[seed.note_taker] if seed.note_taker else None,
        )
        entered = Entered(meeting, principals, bodies_, people)
        for attendee in seed.attendance:
            meetings.attendance_set(
                actor=leader,
                meeting=meeting,
                person=people[attendee.person],
                status=attendee.status,
                replaces=[people[name] for name in attendee.replaces],
                role_note=attendee.note,
            )
        items = [_enter_item(entered, spec, leader) for spec in seed.agenda]
        for spec, item in zip(seed.agenda, items, strict=True):
            if spec.report is not None:
                _enter_report(entered, spec.report, item, leader)
        for other in seed.other_meetings:
            planned = meetings.meeting_create(
                actor=leader,
                body=bodies_[other.body],
                joint_bodies=[bodies_[code] for code in other.joint],
                kind=other.kind,
                starts_at=other.starts_at,
                ends_at=other.ends_at,
            )
            if other.cancelled_reason:
                planned = meetings.meeting_cancel(
                    actor=leader, meeting=planned, reason=other.cancelled_reason
                )
            entered.others.append(planned)
        if seed.next_meeting is not None:
            starts_at, ends_at = seed.next_meeting
            entered.next_meeting = meetings.meeting_plan_next(
                actor=leader, previous=meeting, starts_at=starts_at, ends_at=ends_at
            )
        minutes.minutes_finish(actor=leader, meeting=meeting)
        if seed.chair:
            minutes.minutes_approve(
                actor=world.users["steering"],
                membership=world.memberships["steering"],
                meeting=meeting,
            )
        meeting.refresh_from_db()
    return entered


def _enter_item(entered: Entered, spec: seed_data.Item, leader) -> AgendaItem:
    meeting = entered.meeting
    item = meetings.agenda_item_add(
        actor=leader,
        meeting=meeting,
        title=spec.title,
        kind=spec.kind,
        minutes=spec.minutes,
        presenters=[entered.people[name] for name in spec.presenters],
    )
    for text in spec.decisions:
        decision = decisions.decision_create(
            actor=leader, meeting=meeting, text=text, agenda_item=item
        )
        entered.decisions[decision.reference] = decision
    for action in spec.actions:
        actions.action_create(
            actor=leader,
            body=meeting.body,
            description=action.description,
            owner_people=[entered.people[name] for name in action.people],
            owner_principal=entered.principals[action.principal] if action.principal else None,
            owner_body=entered.bodies[action.body] if action.body else None,
            owner_all=action.all_organisations,
            due_date=action.due,
            due_next_meeting=action.next_meeting,
            agenda_item=item,
            decision=entered.decisions[action.decision] if action.decision else None,
        )
    for risk in spec.risks:
        risks.risk_create(
            actor=leader,
            tenant=meeting.tenant,
            title=risk.title,
            category=risk.category,
            likelihood=risk.likelihood,
            consequence=risk.consequence,
            description=risk.description,
            mitigation=risk.mitigation,
            raised_at=item,
        )
    return item


def _enter_report(entered: Entered, spec: seed_data.Report, item: AgendaItem, leader) -> None:
    meeting = entered.meeting
    report = reports.report_create(
        actor=leader,
        tenant=meeting.tenant,
        period=spec.period,
        authors=[entered.people[name] for name in spec.authors],
        results=spec.results,
        gut_feeling=spec.gut_feeling,
        presented_at=item,
    )
    reports.report_set_activities(
        actor=leader,
        report=report,
        activities={entered.principals[name]: text for name, text in spec.activities},
    )
    if spec.reviews_risks_of_the_meeting:
        reviews = [
            risks.risk_review_add(
                actor=leader,
                risk=risk,
                reviewed_on=local_day(meeting),
                likelihood=risk.likelihood,
                consequence=risk.consequence,
                status=risk.status,
            )
            for risk in Risk.objects.filter(raised_at__meeting=meeting).order_by("id")
        ]
        reports.report_link_reviews(actor=leader, report=report, reviews=reviews)
    reports.report_finish(actor=leader, report=report)


def local_day(meeting: Meeting) -> datetime.date:
    return meeting.starts_at.astimezone(seed_data.STOCKHOLM).date()


# Reading it back through the services -------------------------------------------------


def assert_round_trip(seed: Seed, entered: Entered) -> dict:
    """Everything the seed says, read back; returns `minutes_content` for more checks."""
    meeting = entered.meeting
    people = {row.name: row for row in seed.people}
    with scope(tenant=meeting.tenant):
        content = minutes.minutes_content(meeting)

        # The meeting: body, kind, time, place, record, note-taker, status.
        head = content["meeting"]
        assert head["body"] == {c: n for c, n, _ in seed.bodies}[seed.body]
        assert datetime.datetime.fromisoformat(head["starts_at"]) == seed.starts_at
        assert datetime.datetime.fromisoformat(head["ends_at"]) == seed.ends_at
        assert head["place"] == seed.place
        assert head["record_type"] == seed.record_type
        assert head["note_taker"] == seed.note_taker
        assert meeting.kind == seed.kind
        assert meeting.title == seed.title
        assert meeting.status == MeetingStatus.HELD
        assert meeting.minutes_status == (
            MinutesStatus.APPROVED if seed.chair else MinutesStatus.FINISHED
        )

        # Attendance: who, with title and representation, how, for whom, as what.
        expected_attendance = sorted(
            (
                a.person,
                people[a.person].title,
                a.status,
                people[a.person].principal or people[a.person].organisation,
                tuple(sorted(a.replaces)),
                a.note,
            )
            for a in seed.attendance
        )
        actual_attendance = sorted(
            (
                row["name"],
                row["title"],
                row["status"],
                row["represents"],
                tuple(sorted(row["replaces"])),
                row["note"],
            )
            for row in content["attendance"]
        )
        assert actual_attendance == expected_attendance

        # The agenda: numbered in order, each point with its kind, presenters and text.
        agenda = [row for row in content["agenda"] if row["kind"] != AgendaItemKind.FOLLOW_UP]
        assert [
            (row["position"], row["title"], row["kind"], sorted(row["presenters"]), row["minutes"])
            for row in agenda
        ] == [
            (number, spec.title, spec.kind, sorted(spec.presenters), spec.minutes)
            for number, spec in enumerate(seed.agenda, start=1)
        ]

        # Decisions: numbered per body and year, under their agenda point.
        titles = {row["id"]: row["title"] for row in content["agenda"]}
        year = seed.starts_at.year
        expected_decisions = [(spec.title, text) for spec in seed.agenda for text in spec.decisions]
        assert [
            (row["reference"], titles[row["agenda_item_id"]], row["text"])
            for row in content["decisions"]
        ] == [
            (f"{seed.body} {year} §{number}", title, text)
            for number, (title, text) in enumerate(expected_decisions, start=1)
        ]

        # Assignments: owners (people, principal, body, all organisations), due, source.
        body_names = {code: name for code, name, _ in seed.bodies}
        assert [
            (
                row["title"],
                action["description"],
                sorted(action["owners"]),
                action["owner_all"],
                action["due_date"],
                action["due_next_meeting"],
                action["status"],
                action["decision"],
            )
            for row in agenda
            for action in row["actions"]
        ] == [
            (
                spec.title,
                action.description,
                sorted(
                    [
                        *action.people,
                        *([action.principal] if action.principal else []),
                        *([body_names[action.body]] if action.body else []),
                    ]
                ),
                action.all_organisations,
                action.due.isoformat() if action.due else None,
                action.next_meeting,
                ActionStatus.NOT_STARTED,
                action.decision or None,
            )
            for spec in seed.agenda
            for action in spec.actions
        ]

        # Risks with their mitigation, where they were raised.
        raised = Risk.objects.filter(raised_at__meeting=meeting).select_related("raised_at")
        assert sorted(
            (
                r.raised_at.title,
                r.title,
                r.description,
                r.category,
                r.likelihood,
                r.consequence,
                r.mitigation,
                r.status,
            )
            for r in raised
        ) == sorted(
            (
                spec.title,
                risk.title,
                risk.description,
                risk.category,
                risk.likelihood,
                risk.consequence,
                risk.mitigation,
                RiskStatus.IDENTIFIED,
            )
            for spec in seed.agenda
            for risk in spec.risks
        )

        # The status report presented at its agenda point.
        presented = [(spec, spec.report) for spec in seed.agenda if spec.report is not None]
        found = StatusReport.objects.filter(presented_at__meeting=meeting).select_related(
            "presented_at"
        )
        assert len(found) == len(presented)
        for (spec, expected), report in zip(presented, found, strict=True):
            assert report.presented_at.title == spec.title
            assert report.period == expected.period
            assert sorted(a.name for a in report.authors.all()) == sorted(expected.authors)
            assert report.results == expected.results
            assert report.gut_feeling == expected.gut_feeling
            assert report.status == ReportStatus.FINISHED
            assert report.finished_at is not None
            assert {a.principal.name: a.description for a in report.activities.all()} == dict(
                expected.activities
            )
            reviewed = {review.risk.title for review in report.risk_reviews.all()}
            assert reviewed == (
                {risk.title for s in seed.agenda for risk in s.risks}
                if expected.reviews_risks_of_the_meeting
                else set()
            )

        # Meetings the minutes mention: joint, cancelled with the reason, planning day.
        for spec, other in zip(seed.other_meetings, entered.others, strict=True):
            other = Meeting.objects.get(pk=other.pk)
            assert other.body.code == spec.body
            assert sorted(b.code for b in other.joint_bodies.all()) == sorted(spec.joint)
            assert other.kind == spec.kind
            assert other.starts_at == spec.starts_at
            assert other.ends_at == spec.ends_at
            if spec.cancelled_reason:
                assert other.status == MeetingStatus.CANCELLED
                assert other.cancelled_reason == spec.cancelled_reason
            else:
                assert other.status == MeetingStatus.PLANNED
    return content


def represented_principals(meeting: Meeting) -> tuple[set[str], set[str]]:
    """(principals represented at the meeting, members' principals that were not)."""
    rows = Attendance.objects.filter(meeting=meeting).select_related("represents_principal")
    there = {
        r.represents_principal.name
        for r in rows
        if r.represents_principal
        and r.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)
    }
    members = {
        r.represents_principal.name
        for r in rows
        if r.represents_principal and r.status != AttendanceStatus.GUEST
    }
    return there, members - there


# One test per seed: the services ----------------------------------------------------


def test_seed_000_sormland_steering_group_round_trips(world):
    entered = enter(seed_data.SEED_000, world)
    content = assert_round_trip(seed_data.SEED_000, entered)

    meeting = entered.meeting
    assert [row["title"] for row in content["agenda"]] == SORMLAND_ITEMS
    assert len(content["attendance"]) == 9
    assert {row["status"] for row in content["attendance"]} == {AttendanceStatus.PRESENT}
    assert content["decisions"] == []
    with scope(tenant=world.tenant):
        # The risks and their mitigation ("Nytt mail ska skickas …", also an assignment).
        eskilstuna = Risk.objects.get(title__startswith="Saknar bifall")
        assert eskilstuna.mitigation == "Nytt mail ska skickas till utbildningschef i Eskilstuna."
        assert eskilstuna.raised_at.title == "Risker"
        assert ActionItem.objects.get(description=eskilstuna.mitigation).agenda_item.title == (
            "Risker"
        )
        # The March status report, presented at "Statusrapport", reviewed both risks.
        report = StatusReport.objects.get(period=datetime.date(2025, 3, 1))
        assert report.presented_at.title == "Statusrapport"
        assert report.risk_reviews.count() == 2
        # "majmötet ställs därför in" because of the planning day on 10/6.
        may = Meeting.objects.get(status=MeetingStatus.CANCELLED)
        assert (may.body.code, may.starts_at.month) == ("SG", 5)
        assert "planeringsdag 10/6" in may.cancelled_reason
        planning_day = Meeting.objects.get(kind=MeetingKind.PLANNING_DAY)
        assert planning_day.starts_at.date() == datetime.date(2025, 6, 10)
        # "Skolchefsnätverk och länsstyrgrupp gemensamt möte 9/5".
        joint = Meeting.objects.get(kind=MeetingKind.JOINT)
        assert joint.starts_at.date() == datetime.date(2025, 5, 9)
        assert {joint.body.name, *joint.joint_bodies.values_list("name", flat=True)} == {
            "Skolchefsnätverket",
            "Länsstyrgruppen",
        }
        # The cancelled meeting and the planning day carry the open assignments.
        carried = AgendaItem.objects.get(meeting=may, kind=AgendaItemKind.FOLLOW_UP)
        assert carried.follow_up_actions.count() == 2
        assert meeting.status == MeetingStatus.HELD


def test_seed_002_sormland_planning_day_round_trips(world):
    entered = enter(seed_data.SEED_002, world)
    content = assert_round_trip(seed_data.SEED_002, entered)

    assert entered.meeting.kind == MeetingKind.PLANNING_DAY
    assert len(content["agenda"]) == 6
    [guest] = [row for row in content["attendance"] if row["status"] == AttendanceStatus.GUEST]
    assert guest == {
        "name": "My Zinderland",
        "title": "strateg fran barn- och utbildningsforvaltningen",
        "status": AttendanceStatus.GUEST,
        "represents": "Vingåkers kommun",
        "replaces": [],
        "note": "",
        "represents_body": "",
    }
    [decision] = content["decisions"]
    assert decision["reference"] == "SG 2025 §1"
    assert "skjuta upp den 12 manader" in decision["text"]
    [research] = [row for row in content["agenda"] if row["title"] == "Foljeforskning"]
    assert research["presenters"] == ["Lina", "Osman"]
    [proposal] = research["actions"]
    assert sorted(proposal["owners"]) == ["Lina", "Osman"]  # "Lina och Osman tar fram …"
    assert proposal["due_next_meeting"] is True
    with scope(tenant=world.tenant):
        report = StatusReport.objects.get()
        assert report.period == datetime.date(2025, 6, 1)
        assert [a.principal.name for a in report.activities.all()] == ["Oxelösunds kommun"]
        assert (
            Risk.objects.filter(category="finansiering")
            .get()
            .title.startswith("Utmaningar med ekonomi")
        )


def test_seed_004_kronoberg_steering_group_round_trips(other_world):
    seed = seed_data.SEED_004
    entered = enter(seed, other_world)
    content = assert_round_trip(seed, entered)

    meeting = entered.meeting
    attendance = {row["name"]: row for row in content["attendance"]}
    assert len(attendance) == 25  # Patrik Grimmesjö is listed twice but attended once
    assert attendance["Camilla Holmqvist"]["note"] == "ordförande"
    assert attendance["Camilla Holmqvist"]["represents"] == "Växjö kommun"
    assert attendance["Åsa Karlsson"]["note"] == "kommunikatör"
    assert attendance["Carina Mosel"]["status"] == AttendanceStatus.SUBSTITUTE
    assert sorted(attendance["Carina Mosel"]["replaces"]) == ["Anders Elingfors", "Per Sandberg"]
    assert attendance["Anna-Karin Pålsson"]["replaces"] == ["Johan Rutgersmark"]
    assert attendance["Sofie Schentz Magnusson"]["replaces"] == ["Linda Vingren"]
    assert attendance["Per Sandberg"]["status"] == AttendanceStatus.ABSENT
    assert attendance["Torbjörn Forkby"]["represents"] == "Linnéuniversitetet"
    assert attendance["Erika Lagergren"]["title"] == "processledare"
    assert content["meeting"]["place"] == "Nygatan 20, Växjö"
    assert content["meeting"]["note_taker"] == "Sofie Schentz Magnusson"
    assert [row["position"] for row in content["agenda"]] == list(range(1, 11))
    assert [(d["reference"], d["text"][:40]) for d in content["decisions"]] == [
        ("SG 2019 §1", "Styrgruppen beslutar att följeforskarna "),
        ("SG 2019 §2", "Att tidsplanen är processledarnas intern"),
        ("SG 2019 §3", "att varje organisation tar med frågan he"),
    ]
    with scope(tenant=other_world.tenant):
        # Älmhult's only member was absent and sent no substitute; Markaryd and
        # Växjö were represented by their substitutes.
        there, missing = represented_principals(meeting)
        assert missing == {"Älmhults kommun"}
        assert {"Markaryds kommun", "Växjö kommun", "Polismyndigheten"} <= there
        # "Sofie … ersätter Linda Vingren framöver": a new period in the body.
        linda = BodyMember.objects.get(person__name="Linda Vingren")
        assert linda.end_date == datetime.date(2019, 2, 14)
        # Owners: all organisations by the next meeting, the presidium, from a decision.
        by_description = {a.description[:30]: a for a in ActionItem.objects.all()}
        feedback = by_description["Till nästa möte ska alla organ"]
        assert feedback.owner_all and feedback.due_next_meeting
        assert feedback.decision.reference == "SG 2019 §3"
        assert by_description["Presidiet planerar för det och"].owner_body.name == "Presidiet"
        assert by_description["Presidiet får i uppgift att an"].decision.reference == ("SG 2019 §1")
        funding = Risk.objects.get()
        assert funding.category == "finansiering"
        assert "31 december 2019" in funding.description
        assert funding.mitigation.startswith("Till nästa möte behöver alla organisationer")

        # "Nästa styrgruppsmöte äger rum den 3 maj 2019 kl. 8.00 - 9.00": planned
        # from this one, with the open assignments in its follow-up item.
        upcoming = entered.next_meeting
        assert upcoming is not None
        upcoming.refresh_from_db()
        assert upcoming.status == MeetingStatus.PLANNED
        assert upcoming.minutes_status == MinutesStatus.DRAFT
        assert upcoming.starts_at == seed_data.at(2019, 5, 3, 8)
        assert upcoming.ends_at == seed_data.at(2019, 5, 3, 9)
        assert upcoming.place == "Nygatan 20, Växjö"
        follow_up = AgendaItem.objects.get(meeting=upcoming, kind=AgendaItemKind.FOLLOW_UP)
        assert sorted(follow_up.follow_up_actions.values_list("description", flat=True)) == sorted(
            a.description for item in seed.agenda for a in item.actions
        )
        invited = set(
            Attendance.objects.filter(meeting=upcoming).values_list("person__name", flat=True)
        )
        assert "Sofie Schentz Magnusson" in invited
        assert "Linda Vingren" not in invited

        # Approved by the chair: locked, and the frozen version is what was entered.
        assert meeting.minutes_status == MinutesStatus.APPROVED
        assert meeting.approved_by_person is not None
        assert meeting.approved_by_person.name == "Camilla Holmqvist"
        [version] = meeting.versions.all()
        content = dict(version.content)
        signatures = content.pop("signatures")
        assert content == minutes.minutes_content(meeting)
        assert [s["name"] for s in signatures] == ["Camilla Holmqvist"]


def test_every_assignment_risk_and_activity_quotes_its_seed():
    """What the data calls quoted is quoted: assignments, risk descriptions and
    mitigations, the 002 decision and report activity are sentences of the minutes."""

    def said(text: str) -> str:
        text = re.sub(r"\[[^\]]*\]\([^)]*\)", "", text)  # drop a [label](link)
        return squash(text).lower()

    for seed in seed_data.SEEDS.values():
        minutes_text = said(" ".join(item.minutes for item in seed.agenda))
        decided = said(" ".join(text for item in seed.agenda for text in item.decisions))
        quoted = [a.description for item in seed.agenda for a in item.actions]
        quoted += [r.description for item in seed.agenda for r in item.risks if r.description]
        quoted += [r.mitigation for item in seed.agenda for r in item.risks if r.mitigation]
        quoted += [
            text for item in seed.agenda if item.report for _, text in item.report.activities
        ]
        for text in quoted:
            assert said(text) in f"{minutes_text} {decided}", text
        if seed is not seed_data.SEED_004:  # 004 states its decisions under their own heading
            for item in seed.agenda:
                for text in item.decisions:
                    assert said(text) in said(item.minutes), text


# The meeting page (governance:meeting_detail), as the process leader ----------------


def squash(text: str) -> str:
    """Text without markup, whitespace collapsed: what a reader sees of it."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [label](link) → label
    text = text.replace("*", "")
    return " ".join(text.split())


def visible(source: str) -> str:
    """The text a reader sees in a piece of HTML."""
    source = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", source)
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", source)))


def page_text(response) -> str:
    assert response.status_code == 200
    return visible(response.content.decode())


@dataclass
class Page:
    source: str
    text: str

    @property
    def rows(self) -> list[str]:
        return [visible(row) for row in re.findall(r"(?is)<tr\b.*?</tr>", self.source)]

    def together(self, anchor: str, other: str) -> bool:
        """`other` is in the same table row as `anchor` — or, where the page shows
        `anchor` outside a table, close to it."""
        rows = [row for row in self.rows if anchor in row]
        if rows:
            return any(other in row for row in rows)
        return near(self.text, anchor, other)


def text_lines(text: str) -> list[str]:
    """The lines of a minutes text as they read on the page (list dashes dropped)."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- "):
            line = line[2:]
        if line := squash(line):
            lines.append(line)
    return lines


def near(page: str, anchor: str, other: str, window: int = 250) -> bool:
    """`other` is shown close to (before or after) an occurrence of `anchor`."""
    for found in re.finditer(re.escape(anchor), page):
        start = max(0, found.start() - window)
        if other in page[start : found.end() + window]:
            return True
    return False


def meeting_page(world, meeting: Meeting) -> str:
    return get_meeting_page(world, meeting).text


def get_meeting_page(world, meeting: Meeting) -> Page:
    client = Client()
    client.force_login(world.users["leader"])
    url = reverse("governance:meeting_detail", args=[world.tenant.slug, meeting.pk])
    response = client.get(url)
    return Page(response.content.decode(), page_text(response))


def assert_on_meeting_page(seed: Seed, entered: Entered, world) -> Page:
    shown_page = get_meeting_page(world, entered.meeting)
    page = shown_page.text
    people = {row.name: row for row in seed.people}
    body_names = {code: name for code, name, _ in seed.bodies}

    if seed.place:
        assert seed.place in page
    if seed.note_taker:
        assert seed.note_taker in page
    for attendee in seed.attendance:
        row = people[attendee.person]
        assert attendee.person in page, attendee.person
        for shown in (row.title, row.principal, row.organisation, attendee.note):
            if shown:
                assert shown_page.together(attendee.person, shown), (attendee.person, shown)
        for replaced in attendee.replaces:
            assert shown_page.together(attendee.person, replaced), (attendee.person, replaced)
    for item in seed.agenda:
        assert squash(item.title) in page, item.title
        for line in text_lines(item.minutes):
            assert line in page, (item.title, line)
        for presenter in item.presenters:
            assert presenter in page
    year = seed.starts_at.year
    number = 0
    for item in seed.agenda:
        for text in item.decisions:
            number += 1
            assert squash(text) in page, text
            assert near(page, squash(text)[:60], f"{seed.body} {year} §{number}"), text
        for action in item.actions:
            description = squash(action.description)
            assert description in page, description
            owners = [*action.people, action.principal, body_names.get(action.body, "")]
            for owner in filter(None, owners):
                assert near(page, description[:60], owner), (description, owner)
    return shown_page


def test_seed_000_reads_back_on_the_meeting_page(world):
    entered = enter(seed_data.SEED_000, world)
    assert_on_meeting_page(seed_data.SEED_000, entered, world)


def test_seed_002_reads_back_on_the_meeting_page(world):
    entered = enter(seed_data.SEED_002, world)
    page = assert_on_meeting_page(seed_data.SEED_002, entered, world)
    assert page.together("My Zinderland", "Vingåkers kommun")
    assert page.together("My Zinderland", "strateg fran barn- och utbildningsforvaltningen")


def test_seed_004_reads_back_on_the_meeting_page(other_world):
    entered = enter(seed_data.SEED_004, other_world)
    page = assert_on_meeting_page(seed_data.SEED_004, entered, other_world)
    assert page.together("Carina Mosel", "Per Sandberg")
    assert page.together("Carina Mosel", "Anders Elingfors")
    assert page.together("Sofie Schentz Magnusson", "Linda Vingren")
    assert page.together("Camilla Holmqvist", "ordförande")
    assert not page.together("Magnus Fritihof", "Per Sandberg")


def programme_for(key: str, world, other_world):
    return other_world if key == "004" else world


def get_page(world, name: str, *args: object) -> tuple[str, str]:
    """(raw HTML, visible text) of a governance page, as the process leader."""
    client = Client()
    client.force_login(world.users["leader"])
    response = client.get(reverse(f"governance:{name}", args=[world.tenant.slug, *args]))
    return response.content.decode(), page_text(response)


@pytest.mark.parametrize("key", ["000", "002", "004"])
def test_seed_risks_and_status_report_read_back_on_their_pages(key, world, other_world):
    seed = seed_data.SEEDS[key]
    programme = programme_for(key, world, other_world)
    meeting = enter(seed, programme).meeting
    meeting_url = reverse("governance:meeting_detail", args=[programme.tenant.slug, meeting.pk])

    with scope(tenant=programme.tenant):
        raised = {r.title: r for r in Risk.objects.filter(raised_at__meeting=meeting)}
        report = StatusReport.objects.filter(presented_at__meeting=meeting).first()
    for item in seed.agenda:
        for spec in item.risks:
            source, page = get_page(programme, "risk_detail", raised[spec.title].pk)
            for shown in (spec.title, spec.description, spec.mitigation):
                assert squash(shown) in page, shown
            assert meeting_url in source  # where it was raised
        if item.report is not None:
            assert report is not None
            _, page = get_page(programme, "report_detail", report.pk)
            for name in (*item.report.authors, item.report.results):
                assert squash(name) in page, name
            for principal, text in item.report.activities:
                assert near(page, principal, squash(text)[:60]), principal


@pytest.mark.parametrize("key", ["000", "002", "004"])
def test_seed_meeting_page_leads_to_its_risks_and_status_report(key, world, other_world):
    """The Done-when reads risks and the status report back on the meeting page:
    it names each risk raised at the meeting and the report presented there,
    with links to them."""
    seed = seed_data.SEEDS[key]
    programme = programme_for(key, world, other_world)
    meeting = enter(seed, programme).meeting
    source, page = get_page(programme, "meeting_detail", meeting.pk)

    with scope(tenant=programme.tenant):
        raised = list(Risk.objects.filter(raised_at__meeting=meeting))
        presented = list(StatusReport.objects.filter(presented_at__meeting=meeting))
    assert raised  # every seed raises at least one risk
    slug = programme.tenant.slug
    for risk in raised:
        assert reverse("governance:risk_detail", args=[slug, risk.pk]) in source, risk.title
        assert squash(risk.title) in page
        if risk.mitigation:
            assert near(page, squash(risk.title)[:60], squash(risk.mitigation)[:60])
    for report in presented:
        assert reverse("governance:report_detail", args=[slug, report.pk]) in source


def test_seed_000_related_meetings_show_on_their_pages(world):
    entered = enter(seed_data.SEED_000, world)
    joint, cancelled, planning_day = entered.others

    joint_page = meeting_page(world, joint)
    assert "Skolchefsnätverket" in joint_page
    assert "Länsstyrgruppen" in joint_page
    cancelled_page = meeting_page(world, cancelled)
    assert "Styrgruppen har planeringsdag 10/6 och majmötet ställs därför in." in cancelled_page
    # The open assignments carried into the next meetings' follow-up.
    for page in (cancelled_page, meeting_page(world, planning_day)):
        assert "Nytt mail ska skickas till utbildningschef i Eskilstuna." in page


def test_seed_004_next_meeting_page_follows_up_the_assignments(other_world):
    entered = enter(seed_data.SEED_004, other_world)
    assert entered.next_meeting is not None

    page = meeting_page(other_world, entered.next_meeting)
    assert "Nygatan 20, Växjö" in page
    for item in seed_data.SEED_004.agenda:
        for action in item.actions:
            assert squash(action.description) in page
