"""The notice (kallelse) of an upcoming meeting and the replies to it, for the
demo: Kronoberg's steering group's next meeting (with its documents) gets its
notice and, after the room changed, a changed notice; Sörmland's planning day
gets its notice with a document of its own. Each has a mix of replies: coming,
förhinder, förhinder with a substitute (ersättare), and members who have not
answered yet.

Through the services, as the programme's process leader. Nobody is mailed
(`deliver=False`): the recipients are recorded as mailed when the notice was
sent. Idempotent: a meeting that has a notice gets nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope

from demo.management.commands._demo.meeting_documents import simple_pdf
from governance.models import (
    BodyMember,
    BodyRole,
    Meeting,
    MeetingKind,
    MeetingNotice,
    MeetingNoticeRecipient,
    MeetingStatus,
    ReplyAnswer,
)
from governance.services import meeting_documents, meetings, notices
from portal.models import Membership, Person, Role, Tenant, User


@dataclass(frozen=True)
class NoticeSpec:
    slug: str
    body: str
    planning_day: bool  # the body's planning day, else its next regular meeting
    message: str
    moved_to: str = ""  # a new place, sent as a changed notice
    document: str = ""  # a document of the meeting's own, shared by the notice


SPECS = (
    NoticeSpec(
        slug="kronoberg",
        body="SG",
        planning_day=False,
        message="Välkomna! Läs gärna sammanställningen av självskattningarna före mötet.",
        moved_to="Regionhuset Växjö, sal Kronoberg",
    ),
    NoticeSpec(
        slug="sormland",
        body="SG",
        planning_day=True,
        message="Planeringsdagen börjar med lunch kl. 12. Meddela allergier senast en vecka före.",
        document="Underlag inför planeringsdagen",
    ),
)


def seed_notices() -> None:
    for spec in SPECS:
        tenant = Tenant.objects.filter(slug=spec.slug).first()
        if tenant is None:
            continue
        with scope(tenant=tenant):
            meeting = _meeting(tenant, spec)
            if meeting is None or MeetingNotice.objects.filter(meeting=meeting).exists():
                continue
            _notice(tenant, meeting, spec)


def _meeting(tenant: Tenant, spec: NoticeSpec) -> Meeting | None:
    upcoming = Meeting.objects.filter(
        tenant=tenant,
        body__code=spec.body,
        status=MeetingStatus.PLANNED,
        starts_at__gte=timezone.now(),
        archived_at__isnull=True,
    ).order_by("starts_at")
    if spec.planning_day:
        upcoming = upcoming.filter(kind=MeetingKind.PLANNING_DAY)
    return upcoming.first()


def _leader(tenant: Tenant) -> User | None:
    membership = (
        Membership.objects.filter(tenant=tenant, role=Role.PROCESS_LEADER, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership is not None else None


def _notice(tenant: Tenant, meeting: Meeting, spec: NoticeSpec) -> None:
    leader = _leader(tenant)
    if leader is None:
        return
    if spec.document:
        pages = (
            (
                spec.document,
                "Förmiddag: läget i implementeringen, kommun för kommun.",
                "Eftermiddag: delmål för nästa år och återkoppling från nätverken.",
                "Ta med: er kommuns självskattning och ett gott exempel.",
            ),
        )
        meeting_documents.document_add(
            actor=leader,
            meeting=meeting,
            upload=SimpleUploadedFile(f"{spec.document}.pdf", simple_pdf(pages), "application/pdf"),
            title=spec.document,
        )
    notices.notice_send(actor=leader, meeting=meeting, message=spec.message, deliver=False)
    if spec.moved_to:
        meeting = meetings.meeting_update(
            actor=leader,
            meeting=meeting,
            expected_version=meeting.version,
            place=spec.moved_to,
        )
        notices.notice_send(
            actor=leader,
            meeting=meeting,
            message="Observera: mötet har flyttats till en större sal.",
            deliver=False,
        )
    now = timezone.now()
    MeetingNoticeRecipient.objects.filter(notice__meeting=meeting).update(mailed_at=now)
    _replies(meeting)


def _replies(meeting: Meeting) -> None:
    """Every member but the process leaders, by name: the first answers
    förhinder with a substitute, the second förhinder, about half of the rest
    that they are coming; the others have not answered."""
    leaders = set(
        BodyMember.objects.filter(body=meeting.body, role=BodyRole.PROCESS_LEADER).values_list(
            "person_id", flat=True
        )
    )
    called = [p for p in notices.invitees(meeting) if p.pk not in leaders]
    if len(called) < 3:
        return
    away_with_substitute, away, *rest = called
    substitute = _substitute(meeting, {p.pk for p in called} | leaders)
    if substitute is not None:
        notices.reply_set(
            actor=None,
            meeting=meeting,
            person=away_with_substitute,
            answer=ReplyAnswer.REGRETS,
            substitute=substitute,
            comment="Krockar med kommunstyrelsens sammanträde.",
            via_link=True,
        )
    notices.reply_set(
        actor=None,
        meeting=meeting,
        person=away,
        answer=ReplyAnswer.REGRETS,
        comment="Semester.",
        via_link=True,
    )
    for person in rest[: (len(rest) + 1) // 2]:
        notices.reply_set(
            actor=None, meeting=meeting, person=person, answer=ReplyAnswer.COMING, via_link=True
        )


def _substitute(meeting: Meeting, taken: set[int]) -> Person | None:
    """A deputy (ersättare) of the programme, else someone of its directory
    who is not called to the meeting."""
    deputy = (
        BodyMember.objects.filter(tenant=meeting.tenant, role=BodyRole.DEPUTY)
        .exclude(person_id__in=taken)
        .select_related("person")
        .order_by("person__name")
        .first()
    )
    if deputy is not None:
        return deputy.person
    return (
        Person.objects.filter(tenant=meeting.tenant, archived_at__isnull=True)
        .exclude(pk__in=taken)
        .exclude(email="")
        .order_by("name")
        .first()
    )
