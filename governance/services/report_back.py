"""The report-back loop (återkoppling): principals answer the assignments
given to them (or to "alla organisationer") on their dashboard, and are
reminded before the body's next meeting while they have not.

Who is asked to answer which assignment is decided in
`governance.selectors.report_back`.

Reminders are idempotent: each is recorded as an `ActionReminder` (unique per
assignment, principal and meeting) in the transaction that sends its e-mail,
so a second run, or a concurrent one, sends nothing twice, and an e-mail that
fails to send rolls its rows back for the retry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    OPEN_ACTION_STATUSES,
    ActionAnswer,
    ActionItem,
    ActionReminder,
    ActionStatus,
    Meeting,
    MinutesStatus,
)
from governance.selectors.actions import readable_actions
from governance.selectors.report_back import (
    active_principals,
    expected_principals,
    next_meetings,
    programme_staff,
)
from governance.services.actions import action_set_status
from portal import audit
from portal.models import Membership, Principal, Role, Tenant, User
from portal.services import (
    ConflictError,
    DomainError,
    create_audited,
    ensure_same_tenant,
    update_audited,
)


def reminder_days() -> int:
    """How many days before the body's next meeting a principal that has not
    answered is reminded (`REPORT_BACK_REMINDER_DAYS`, default 7)."""
    return int(getattr(settings, "REPORT_BACK_REMINDER_DAYS", 7))


def _asked(action: ActionItem) -> list[Principal]:
    return expected_principals(
        action, active_principals(action.tenant_id), programme_staff(action.tenant_id)
    )


@transaction.atomic
def action_answer_save(
    *,
    actor: User | None,
    action: ActionItem,
    principal: Principal,
    text: str,
    done: bool = False,
    expected_version: int | None = None,
) -> ActionAnswer:
    """Give or change `principal`'s answer to `action`: one answer per
    principal, audited, never deleted.

    `expected_version` is the version of the answer the form was opened at:
    0 when it showed no answer yet (a colleague's answer saved meanwhile is
    then refused as a conflict, not overwritten), None for no check.
    Marking the answer done marks the assignment done when the principal is
    the only one asked to answer it."""
    ensure_same_tenant(action.tenant_id, [principal])
    if action.revision_draft:
        raise DomainError(_("Answer the assignment as approved, not a revision's draft of it."))
    if action.is_archived:
        raise DomainError(_("The assignment is archived and cannot be answered."))
    if action.status == ActionStatus.REPORTED:
        raise DomainError(
            _("The assignment has been reported back and closed; its answers are kept as they are.")
        )
    asked = _asked(action)
    if principal.pk not in {p.pk for p in asked}:
        raise DomainError(
            _("%(principal)s is not asked to answer this assignment.") % {"principal": principal}
        )
    text = text.strip()
    if not text:
        raise DomainError(_("Write the answer."))
    answer = (
        ActionAnswer.objects.select_for_update()
        .filter(action_item=action, principal=principal)
        .first()
    )
    now = timezone.now()
    if answer is None:
        try:
            with transaction.atomic():
                answer = create_audited(
                    ActionAnswer(
                        tenant=action.tenant,
                        action_item=action,
                        principal=principal,
                        text=text,
                        done=done,
                        answered_by=actor if actor and actor.pk else None,
                        answered_at=now,
                    ),
                    actor=actor,
                    tenant=action.tenant,
                )
        except IntegrityError:  # a colleague's answer, saved at the same moment
            saved = ActionAnswer.objects.get(action_item=action, principal=principal)
            raise _answered_meanwhile(saved) from None
    else:
        if expected_version == 0:
            raise _answered_meanwhile(answer)
        fields: dict[str, object] = {"text": text, "done": done}
        if answer.text != text or answer.done != done:
            fields |= {"answered_by": actor if actor and actor.pk else None, "answered_at": now}
        answer = update_audited(
            answer,
            actor=actor,
            tenant=action.tenant,
            fields=fields,
            expected_version=expected_version,
        )
    if done and action.status in OPEN_ACTION_STATUSES and [p.pk for p in asked] == [principal.pk]:
        action_set_status(actor=actor, action=action, status=ActionStatus.DONE)
    return answer


def _answered_meanwhile(saved: ActionAnswer) -> ConflictError:
    return ConflictError(
        _(
            "Someone else answered for %(principal)s while you were writing. Nothing from "
            "your form has been saved; their answer is shown beside yours: check it and "
            "save again."
        )
        % {"principal": saved.principal},
        version=saved.version,
        saved=saved,
    )


# Reminders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unanswered:
    """A principal that has not answered assignments due at a meeting."""

    principal: Principal
    meeting: Meeting
    actions: list[ActionItem]


def unanswered_before_meetings(*, tenant: Tenant, today: datetime.date) -> list[Unanswered]:
    """The principals to remind today: for each open assignment due at its
    body's next planned meeting (“by the next meeting”, or a due date on or
    before the meeting's day), when that meeting is at most
    `reminder_days()` days ahead (and not today or past), the principals
    asked to answer that have not, nor been reminded of it for that
    meeting. Six queries."""
    # Only assignments of minutes the steering group may read: a reminder
    # never carries what a draft says.
    readable = readable_actions(
        ActionItem.objects.filter(tenant=tenant), (MinutesStatus.FINISHED, MinutesStatus.APPROVED)
    )
    actions = list(
        readable.filter(archived_at__isnull=True, status__in=OPEN_ACTION_STATUSES)
        .filter(
            Q(owner_all=True)
            | Q(owner_principal__isnull=False)
            | Q(owner_people__principal__isnull=False)
        )
        .filter(Q(due_next_meeting=True) | Q(due_date__isnull=False))
        .distinct()
        .prefetch_related("owner_people", "answers")
        .order_by("pk")
    )
    if not actions:
        return []
    tomorrow = today + datetime.timedelta(days=1)
    meetings = next_meetings(tenant=tenant, body_ids={a.body_id for a in actions}, today=tomorrow)
    last_day = today + datetime.timedelta(days=reminder_days())
    reminded = set(
        ActionReminder.objects.filter(
            tenant=tenant, meeting__in=[m.pk for m in meetings.values()]
        ).values_list("action_item_id", "principal_id", "meeting_id")
    )
    active = active_principals(tenant.pk)
    staff = programme_staff(tenant.pk)
    found: dict[tuple[int, int], Unanswered] = {}
    for action in actions:
        meeting = meetings.get(action.body_id)
        if meeting is None:
            continue
        day = timezone.localdate(meeting.starts_at)
        if day > last_day:
            continue
        if not action.due_next_meeting and action.due_date and action.due_date > day:
            continue  # due at a later meeting
        answered = {a.principal_id for a in action.answers.all()}
        for principal in expected_principals(action, active, staff):
            if principal.pk in answered or (action.pk, principal.pk, meeting.pk) in reminded:
                continue
            entry = found.setdefault(
                (principal.pk, meeting.pk),
                Unanswered(principal=principal, meeting=meeting, actions=[]),
            )
            entry.actions.append(action)
    return sorted(found.values(), key=lambda u: (u.meeting.starts_at, u.principal.name))


@dataclass
class ReminderResult:
    principals: int = 0
    emails: int = 0


def _url(name: str, *args: object) -> str:
    base = str(getattr(settings, "PORTAL_BASE_URL", "")).rstrip("/")
    return base + reverse(name, args=list(args))


def send_report_back_reminders(*, tenant: Tenant, today: datetime.date) -> ReminderResult:
    """E-mail the reporters of each principal that has not answered the
    assignments due at its body's next meeting, once per principal,
    assignment and meeting; one audit event per principal reminded. A
    principal without reporters (with an e-mail address) is not recorded as
    reminded, so a reporter added later is still reminded."""
    result = ReminderResult()
    due = unanswered_before_meetings(tenant=tenant, today=today)
    if not due:
        return result
    reporters: dict[int, list[User]] = {}
    for membership in (
        Membership.objects.filter(
            tenant=tenant,
            role=Role.PRINCIPAL_REPORTER,
            is_active=True,
            user__is_active=True,
            principal_id__in={u.principal.pk for u in due},
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__email")
    ):
        reporters.setdefault(membership.principal_id or 0, []).append(membership.user)
    for entry in due:
        users = reporters.get(entry.principal.pk, [])
        if not users:
            continue
        try:
            with transaction.atomic():
                ActionReminder.objects.bulk_create(
                    ActionReminder(
                        tenant=tenant,
                        action_item=action,
                        principal=entry.principal,
                        meeting=entry.meeting,
                        recipients=[u.email for u in users],
                    )
                    for action in entry.actions
                )
                context = {
                    "tenant": tenant,
                    "principal": entry.principal,
                    "meeting": entry.meeting,
                    "actions": entry.actions,
                    "url": _url("portal:principal_dashboard", tenant.slug, entry.principal.pk),
                }
                for user in users:
                    send_mail(
                        subject=render_to_string(
                            "governance/email/report_back_reminder_subject.txt",
                            {**context, "user": user},
                        ).strip(),
                        message=render_to_string(
                            "governance/email/report_back_reminder.txt", {**context, "user": user}
                        ),
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=[user.email],
                    )
                audit.log(
                    actor=None,
                    tenant=tenant,
                    action="principal.report_back.remind",
                    obj=entry.principal,
                    after={
                        "meeting": entry.meeting.pk,
                        "assignments": [a.pk for a in entry.actions],
                        "recipients": [u.pk for u in users],
                        "day": today.isoformat(),
                    },
                )
        except IntegrityError:  # reminded meanwhile by a concurrent run
            continue
        result.principals += 1
        result.emails += len(users)
    return result
