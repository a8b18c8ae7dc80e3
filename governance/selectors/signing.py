"""Reads of justering (`governance.services.signing`): who signs a meeting's
minutes, who has signed the text as it stands, the open comments of those who
returned them, and the one rule of who may sign them now (`minutes_approval`),
which the signing page, the meeting page's button and the signing service all
ask.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BodyMember,
    BodyRole,
    Meeting,
    MinutesComment,
    MinutesSignature,
    MinutesStatus,
    SignatoryRole,
    minutes_rows,
)
from governance.selectors.meetings import chairs_on_the_day
from portal.models import Membership, Person
from portal.permissions import can
from portal.selectors import person_for

# Recorded present: a member, a substitute, or someone else taking part.
PRESENT_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE, AttendanceStatus.GUEST)
# How an attendance line records the person chairing the meeting (its note).
CHAIR_NOTES = frozenset(
    {
        "ordförande",
        "ordf",
        "ordf.",
        "mötesordförande",
        "tf ordförande",
        "tf. ordförande",
        "t.f. ordförande",
        "chair",
        "acting chair",
    }
)


def content_hash(meeting: Meeting) -> str:
    """The SHA-256 of the minutes as `minutes_content` has them, but for the
    current status of their assignments: an assignment moving on (marked in
    progress on its own page) does not change what was recorded at the
    meeting, and must not void the signatures. Nor do the principals' answers
    to the assignments followed up (`governance.services.report_back`): a
    principal may answer while the minutes wait for their signatures."""
    from governance.services.minutes import minutes_content

    content = minutes_content(meeting)
    for item in content.get("agenda", ()):
        for row in (*item.get("actions", ()), *item.get("follow_up", ())):
            for live in ("status", "answers", "not_answered"):
                row.pop(live, None)
    data = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass(frozen=True)
class Signatory:
    person: Person
    role: str  # SignatoryRole
    present: bool
    signature: MinutesSignature | None  # the valid one, if signed
    stale: MinutesSignature | None = None  # signed, but the minutes changed since

    @property
    def signed(self) -> bool:
        return self.signature is not None

    @property
    def role_label(self) -> str:
        return str(SignatoryRole(self.role).label)


@dataclass(frozen=True)
class SigningState:
    signatories: list[Signatory]
    content_hash: str

    @property
    def complete(self) -> bool:
        return bool(self.signatories) and all(s.signed for s in self.signatories)

    @property
    def pending(self) -> list[Signatory]:
        return [s for s in self.signatories if not s.signed]

    def for_person(self, person: Person | None) -> Signatory | None:
        if person is None:
            return None
        return next((s for s in self.signatories if s.person.pk == person.pk), None)


def signing_attendance(meeting: Meeting) -> list[Attendance]:
    return list(minutes_rows(Attendance, meeting).filter(meeting=meeting).select_related("person"))


def signatory_people(meeting: Meeting) -> list[tuple[Person, str, bool]]:
    """(person, role, recorded present) of each signatory: the chair(s) on the
    day first, then the appointed justerare. A seated chair recorded absent is
    not a signatory (someone else chaired); an appointed justerare always is,
    present or not, so that an absent one is refused by name. Three queries."""
    return _signatories(
        signing_attendance(meeting),
        chairs_on_the_day(meeting),
        list(meeting.adjusters.all().order_by("name")),
        Person.objects.in_bulk,
    )


def signatory_people_of(meetings: list[Meeting]) -> dict[int, list[tuple[Person, str, bool]]]:
    """`signatory_people` of many meetings (by pk), in four queries whatever
    their number (the adjusters are read with the meetings where prefetched)."""
    if not meetings:
        return {}
    prefetch_related_objects(
        meetings, Prefetch("adjusters", queryset=Person.objects.order_by("name"))
    )
    revising = {m.pk: m.revising for m in meetings}
    rows: dict[int, list[Attendance]] = {m.pk: [] for m in meetings}
    for row in Attendance.all_rows.filter(meeting__in=meetings).select_related("person"):
        if row.revision_draft == revising[row.meeting_id]:
            rows[row.meeting_id].append(row)
    chair_periods = BodyMember.objects.filter(
        body_id__in={m.body_id for m in meetings}, role=BodyRole.CHAIR
    ).values_list("body_id", "person_id", "start_date", "end_date")
    periods = list(chair_periods)

    def seated(meeting: Meeting) -> set[int]:
        day = timezone.localdate(meeting.starts_at)
        return {
            person_id
            for body_id, person_id, start, end in periods
            if body_id == meeting.body_id and start <= day and (end is None or end >= day)
        }

    on_the_day = {m.pk: seated(m) for m in meetings}
    unrecorded = set().union(
        *(on_the_day[m.pk] - {r.person_id for r in rows[m.pk]} for m in meetings)
    )
    people = Person.objects.in_bulk(unrecorded) if unrecorded else {}
    return {
        m.pk: _signatories(
            rows[m.pk],
            on_the_day[m.pk],
            list(m.adjusters.all()),
            lambda ids: {pid: people[pid] for pid in ids if pid in people},
        )
        for m in meetings
    }


def _signatories(
    rows: list[Attendance],
    seated: set[int],
    adjusters: list[Person],
    people_by_id: Callable[[list[int]], dict[int, Person]],
) -> list[tuple[Person, str, bool]]:
    """The rule of `signatory_people`, on the facts read: the meeting's
    attendance rows, the people chairing its body on the day, its appointed
    justerare (by name), and how to read people who have no attendance row."""
    present = {r.person_id for r in rows if r.status in PRESENT_STATUSES}
    people = {r.person_id: r.person for r in rows}
    chairs: list[int] = [pid for pid in sorted(seated) if pid in present]
    chairs += [
        r.person_id
        for r in rows
        if r.status in PRESENT_STATUSES
        and r.role_note.strip().casefold() in CHAIR_NOTES
        and r.person_id not in chairs
    ]
    missing = [pid for pid in seated if pid not in people]
    if not chairs and missing:
        # No attendance recorded for the seated chair: they are still the chair.
        chairs = sorted(missing)
        people.update(people_by_id(missing))
    result: list[tuple[Person, str, bool]] = [
        (people[pid], SignatoryRole.CHAIR, pid in present) for pid in chairs if pid in people
    ]
    seen = set(chairs)
    for person in adjusters:
        if person.pk not in seen:
            seen.add(person.pk)
            result.append((person, SignatoryRole.ADJUSTER, person.pk in present))
    return result


def _round_signatures(meeting: Meeting) -> list[MinutesSignature]:
    if meeting.finished_at is None:
        return []
    return list(
        MinutesSignature.objects.filter(
            meeting=meeting, voided_at__isnull=True, round_started_at=meeting.finished_at
        ).select_related("user")
    )


def signing_state(meeting: Meeting, *, current_hash: str | None = None) -> SigningState:
    """Who signs these finished minutes, and who has (validly) signed."""
    current = current_hash if current_hash is not None else content_hash(meeting)
    by_person: dict[int, MinutesSignature] = {}
    if meeting.finished_at is not None:
        by_person = {s.person_id: s for s in _round_signatures(meeting)}
    signatories = []
    for person, role, present in signatory_people(meeting):
        signature = by_person.get(person.pk)
        valid = signature if signature and signature.content_hash == current else None
        stale = signature if signature and valid is None else None
        signatories.append(Signatory(person, role, present, valid, stale))
    return SigningState(signatories=signatories, content_hash=current)


def open_comments(meeting: Meeting) -> list[MinutesComment]:
    return list(
        MinutesComment.objects.filter(meeting=meeting, resolved_at__isnull=True)
        .select_related("author", "agenda_item")
        .order_by("created_at", "id")
    )


# Who may sign -------------------------------------------------------------------


class MinutesApproval:
    """Whether a membership may sign (justera) a meeting's minutes, and if
    not, why. The one rule: the member's role allows signing in the meeting's
    own programme (`governance.approve_minutes`), the minutes are finished,
    the member's person is one of their signatories, and is recorded present.

    The facts are looked up as they are asked, so asking only the role costs
    no query; `state`, when the caller has it, saves the signatories' queries.
    """

    def __init__(
        self,
        meeting: Meeting,
        membership: Membership | None,
        state: SigningState | None = None,
        signatories: list[tuple[Person, str, bool]] | None = None,
    ) -> None:
        self.meeting = meeting
        self.membership = membership
        self._state = state
        self._signatories = signatories

    @cached_property
    def role(self) -> bool:
        """The member's role signs minutes, in this meeting's programme."""
        membership = self.membership
        if membership is None or membership.tenant_id != self.meeting.tenant_id:
            return False
        return can(membership, "governance.approve_minutes")

    @property
    def finished(self) -> bool:
        return self.meeting.minutes_status == MinutesStatus.FINISHED

    @cached_property
    def person(self) -> Person | None:
        return person_for(self.membership) if self.role else None

    @cached_property
    def _mine(self) -> tuple[str, bool] | None:
        """(role, recorded present) of the member's person among the signatories."""
        person = self.person
        if person is None:
            return None
        if self._state is not None:
            me = self._state.for_person(person)
            return None if me is None else (me.role, me.present)
        signatories = self._signatories
        if signatories is None:
            signatories = signatory_people(self.meeting)
        for p, role, present in signatories:
            if p.pk == person.pk:
                return role, present
        return None

    @property
    def is_signatory(self) -> bool:
        """The member signs these minutes (whatever their status): the chair
        on the meeting's day or an appointed justerare."""
        return self.role and self._mine is not None

    @property
    def asked_to_sign(self) -> bool:
        """A signatory of minutes finished and waiting for the signatures."""
        return self.finished and self.is_signatory

    @property
    def present(self) -> bool:
        return self._mine is not None and self._mine[1]

    @property
    def allowed(self) -> bool:
        """The member may sign now (the button shows, the service signs)."""
        return self.role and self.refusal() is None

    def refusal(self) -> str | None:
        """Why a member whose role signs may not sign now, as the signing
        service says it (in its order), or None."""
        if not self.finished:
            return _("Only finished minutes can be approved.")
        if not self.is_signatory:
            return _(
                "Only the chair on the meeting's day and the appointed justerare sign the minutes."
            )
        if not self.present:
            assert self.person is not None
            return _(
                "%(name)s is recorded absent from the meeting and cannot sign its minutes."
            ) % {"name": self.person.name}
        return None


def minutes_approval(
    meeting: Meeting,
    membership: Membership | None,
    *,
    state: SigningState | None = None,
    signatories: list[tuple[Person, str, bool]] | None = None,
) -> MinutesApproval:
    """Who may sign `meeting`'s minutes: the one rule (see `MinutesApproval`).
    `state` or `signatories` (signatory_people_of, for many meetings), when the
    caller has them, save the signatories' queries."""
    return MinutesApproval(meeting, membership, state, signatories)


def latest_version_number(meeting: Meeting) -> int | None:
    """The number of the minutes' latest approved version, if they are
    approved now (read afresh: a signature may just have approved them)."""
    if not Meeting.objects.filter(pk=meeting.pk, minutes_status=MinutesStatus.APPROVED).exists():
        return None
    return meeting.versions.order_by("-number").values_list("number", flat=True).first()


def agenda_to_comment(meeting: Meeting) -> list[AgendaItem]:
    """The agenda items a signatory may comment on when returning the minutes:
    those the minutes' editors work on (a revision's drafts), in order."""
    return list(
        minutes_rows(AgendaItem, meeting)
        .filter(meeting=meeting, archived_at__isnull=True)
        .order_by("position", "id")
    )


def paper_signatory(meeting: Meeting, person_id: str) -> Person | None:
    """The person of the meeting's programme that a process leader says signed
    on paper (whether they are a signatory is the service's question)."""
    if not person_id.isdigit():
        return None
    return Person.objects.filter(tenant_id=meeting.tenant_id, pk=int(person_id)).first()
