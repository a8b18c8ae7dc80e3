"""Reads for the report-back loop (återkoppling): which principals are asked
to answer an assignment, a principal's assignments with its answer, and the
answers (and the principals still to answer) at a follow-up agenda item.

Who is asked to answer an assignment (`expected_principals`):

- given to "alla organisationer" (`owner_all`): every active (not archived)
  principal of the programme, as it is now — a principal that joins the
  programme is asked too, one that leaves is no longer;
- otherwise its principal (`owner_principal`) and the principals of the
  people it was given to (`owner_people`): an assignment given to a
  municipality's representative is the municipality's to answer, as the
  principal dashboard already counts it. So an assignment given to people of
  several principals gets an answer from each. The programme's own staff —
  people seated in a body as process leader, secretary, accompanying
  researcher or communicator — act for the programme, not for their
  employer: an assignment given to them asks no principal.

An assignment given only to a body, or to people of no principal, asks no
principal to answer. Archived principals are never asked.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from governance.models import (
    OPEN_ACTION_STATUSES,
    ActionAnswer,
    ActionItem,
    ActionStatus,
    BodyMember,
    BodyRole,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from governance.selectors.actions import action_items
from portal.models import Membership, Principal, Tenant
from portal.permissions import can


def report_back_minutes_statuses(membership: Membership | None) -> tuple[str, ...] | None:
    """The minutes whose assignments a principal's readers see on its
    dashboard: process leaders every assignment; everyone else, principal
    reporters included, those of minutes the steering group may read
    (finished or approved). An assignment given at a meeting is the
    principal's to act on once the minutes are finished, before they are
    approved; draft minutes are never shown."""
    if can(membership, "governance.view_drafts"):
        return None
    return (MinutesStatus.FINISHED, MinutesStatus.APPROVED)


def active_principals(tenant_id: int) -> list[Principal]:
    """The programme's active principals by name. One query."""
    return list(
        Principal.objects.filter(tenant_id=tenant_id, archived_at__isnull=True).order_by("name")
    )


# Seats whose holders act for the programme rather than for their employer.
STAFF_ROLES = (
    BodyRole.PROCESS_LEADER,
    BodyRole.SECRETARY,
    BodyRole.RESEARCHER,
    BodyRole.COMMUNICATOR,
)


def programme_staff(tenant_id: int) -> frozenset[int]:
    """The ids of the people seated in a staff role of any of the programme's
    bodies (at any time). One query."""
    return frozenset(
        BodyMember.objects.filter(tenant_id=tenant_id, role__in=STAFF_ROLES).values_list(
            "person_id", flat=True
        )
    )


def asks_principal(principal: Principal) -> Q:
    """Assignments that ask `principal` to answer (see the module's rules);
    for an active principal."""
    staff = BodyMember.objects.filter(person=OuterRef("person"), role__in=STAFF_ROLES)
    its_people = ActionItem.owner_people.through.objects.filter(
        actionitem_id=OuterRef("pk"), person__principal=principal
    ).exclude(Exists(staff))
    return Q(owner_all=True) | Q(owner_principal=principal) | Q(Exists(its_people))


def expected_principals(
    action: ActionItem, active: Sequence[Principal], staff: Collection[int] = frozenset()
) -> list[Principal]:
    """The principals asked to answer `action`, of the programme's `active`
    principals (in their order), its people in `staff` (`programme_staff`)
    left out. Reads the prefetched `owner_people`."""
    if action.owner_all:
        return list(active)
    ids = {action.owner_principal_id} | {
        p.principal_id for p in action.owner_people.all() if p.pk not in staff
    }
    return [p for p in active if p.pk in ids]


def answer_prefetch(principal: Principal | None = None, *, to_attr: str | None = None) -> Prefetch:
    answers = ActionAnswer.objects.select_related("principal", "answered_by").order_by(
        "principal__name", "pk"
    )
    if principal is not None:
        answers = answers.filter(principal=principal)
    return Prefetch("answers", queryset=answers, to_attr=to_attr)


# A principal's assignments ---------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """An assignment a principal is asked to answer, with its answer (if
    given) and the next planned meeting of the body that follows it up."""

    action: ActionItem
    answer: ActionAnswer | None
    next_meeting: Meeting | None

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def origin_meeting(self) -> Meeting | None:
        if self.action.agenda_item_id and self.action.agenda_item:
            return self.action.agenda_item.meeting
        if self.action.decision_id and self.action.decision:
            return self.action.decision.meeting
        return None


def principal_assignment_rows(
    *,
    tenant: Tenant,
    principal: Principal,
    minutes_statuses: Collection[str] | None,
    today: datetime.date | None = None,
) -> QuerySet[ActionItem]:
    """The assignments `principal` is asked to answer that its dashboard
    shows: not archived, of minutes the reader may read (never a revision's
    draft), and open — or done and answered by the principal, until the body
    closes it as reported back. Soonest due first; each carries the
    principal's answer as `principal_answers` (a list of at most one)."""
    answered = ActionAnswer.objects.filter(action_item=OuterRef("pk"), principal=principal)
    return (
        action_items(tenant=tenant, minutes_statuses=minutes_statuses, today=today)
        .filter(asks_principal(principal))
        .filter(Q(status__in=OPEN_ACTION_STATUSES) | Q(Exists(answered), status=ActionStatus.DONE))
        .select_related("decision__meeting")
        .prefetch_related(answer_prefetch(principal, to_attr="principal_answers"))
    )


def next_meetings(
    *, tenant: Tenant, body_ids: Iterable[int], today: datetime.date
) -> dict[int, Meeting]:
    """The next planned meeting of each body (convened by it or joint with
    it), from `today` on. One query."""
    ids = set(body_ids)
    if not ids:
        return {}
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    rows = (
        Meeting.objects.filter(
            Q(body_id__in=ids) | Q(joint_bodies__in=ids),
            tenant=tenant,
            status=MeetingStatus.PLANNED,
            archived_at__isnull=True,
            starts_at__gte=start,
        )
        .select_related("body")
        .annotate(joint_body_id=F("joint_bodies"))
        .order_by("starts_at", "pk")
    )
    found: dict[int, Meeting] = {}
    for meeting in rows:
        for body_id in (meeting.body_id, meeting.joint_body_id):
            if body_id in ids:
                found.setdefault(body_id, meeting)
    return found


def principal_assignments(
    *,
    tenant: Tenant,
    principal: Principal,
    minutes_statuses: Collection[str] | None,
    today: datetime.date | None = None,
) -> list[Assignment]:
    """`principal_assignment_rows` with each one's answer and next meeting:
    unanswered first, then soonest due. Four queries."""
    today = today or timezone.localdate()
    actions = list(
        principal_assignment_rows(
            tenant=tenant, principal=principal, minutes_statuses=minutes_statuses, today=today
        )
    )
    meetings = next_meetings(tenant=tenant, body_ids={a.body_id for a in actions}, today=today)
    rows = [
        Assignment(
            action=action,
            answer=next(iter(action.principal_answers), None),  # type: ignore[attr-defined]
            next_meeting=meetings.get(action.body_id),
        )
        for action in actions
    ]
    return sorted(rows, key=lambda row: row.answered)  # stable: keeps the due order


# Answers at a follow-up ------------------------------------------------------------


@dataclass(frozen=True)
class AnswersOverview:
    """An assignment's answers per principal, and the principals asked that
    have not answered."""

    answers: list[ActionAnswer] = field(default_factory=list)
    not_answered: list[Principal] = field(default_factory=list)

    @property
    def asks_principals(self) -> bool:
        return bool(self.answers or self.not_answered)


def answers_overview(
    action: ActionItem, active: Sequence[Principal], staff: Collection[int] = frozenset()
) -> AnswersOverview:
    """Reads the prefetched `answers` (`answer_prefetch`) and `owner_people`."""
    answers = list(action.answers.all())
    answered = {a.principal_id for a in answers}
    asked = expected_principals(action, active, staff)
    return AnswersOverview(answers=answers, not_answered=[p for p in asked if p.pk not in answered])


def attach_answers(
    actions: Iterable[ActionItem], *, tenant_id: int, active: Sequence[Principal] | None = None
) -> None:
    """Set `report_back` (an `AnswersOverview`) on each of `actions` (with
    `answers` and `owner_people` prefetched). One query for the programme's
    principals (none when given them: `active`, from `active_principals`) and
    one for its staff; none when no assignment may ask a principal."""
    actions = list(actions)
    by_people = any(p.principal_id for a in actions for p in a.owner_people.all())
    asking = by_people or any(
        a.owner_all or a.owner_principal_id or a.answers.all() for a in actions
    )
    if not asking:
        active = []
    elif active is None:
        active = active_principals(tenant_id)
    staff = programme_staff(tenant_id) if by_people else frozenset()
    for action in actions:
        action.report_back = answers_overview(action, active, staff)  # type: ignore[attr-defined]
