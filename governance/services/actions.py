"""Action items (uppdrag) and their status over time."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    ActionItem,
    ActionStatus,
    ActionStatusChange,
    AgendaItem,
    Body,
    Decision,
    Meeting,
)
from governance.services import LockedError
from portal import audit
from portal.models import Person, Principal, User
from portal.services import (
    DomainError,
    changed_besides_version,
    claim_version,
    create_audited,
    ensure_same_tenant,
    set_archived,
)


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    body: Body,
    description: str,
    owner_people: Iterable[Person] = (),
    owner_principal: Principal | None = None,
    owner_body: Body | None = None,
    owner_all: bool = False,
    due_date: datetime.date | None = None,
    due_next_meeting: bool = False,
    agenda_item: AgendaItem | None = None,
    decision: Decision | None = None,
    given_at: datetime.datetime | None = None,
) -> ActionItem:
    """Give an assignment. `given_at` is when it was given: by default, at its
    agenda item's meeting (`Meeting.recorded_at`: the meeting's time when its
    minutes are entered afterwards), else now. Its first status is recorded
    as of then."""
    if given_at is None:
        given_at = agenda_item.meeting.recorded_at() if agenda_item else timezone.now()
    owner_people = list(owner_people)
    if not (owner_people or owner_principal or owner_body or owner_all):
        raise DomainError(_("Say who owns the assignment."))
    if not description.strip():
        raise DomainError(_("Describe the assignment."))
    ensure_same_tenant(
        body.tenant_id, [*owner_people, owner_principal, owner_body, agenda_item, decision]
    )
    action = create_audited(
        ActionItem(
            tenant=body.tenant,
            # Given in a revision of approved minutes: a draft until approved.
            revision_draft=agenda_item.revision_draft if agenda_item else False,
            body=body,
            description=description.strip(),
            owner_principal=owner_principal,
            owner_body=owner_body,
            owner_all=owner_all,
            due_date=due_date,
            due_next_meeting=due_next_meeting,
            agenda_item=agenda_item,
            decision=decision,
            given_at=given_at,
        ),
        actor=actor,
        tenant=body.tenant,
    )
    action.owner_people.set(owner_people)
    ActionStatusChange.objects.create(
        tenant=body.tenant,
        action_item=action,
        from_status="",
        to_status=action.status,
        changed_at=given_at,
        changed_by=actor if actor and actor.pk else None,
        meeting=agenda_item.meeting if agenda_item else None,
    )
    return action


def status_as_of(action: ActionItem, moment: datetime.datetime) -> str:
    """The assignment's status at `moment`, from its status history: the
    last change made by then; before its first recorded change, the status
    that change started from. Uses prefetched `status_changes` when there are."""
    changes = sorted(action.status_changes.all(), key=lambda c: (c.changed_at, c.pk))
    earlier = [c for c in changes if c.changed_at <= moment]
    if earlier:
        return earlier[-1].to_status
    if changes:
        first = changes[0]
        return first.from_status or first.to_status
    return action.status


@transaction.atomic
def action_set_status(
    *,
    actor: User | None,
    action: ActionItem,
    status: str,
    meeting: Meeting | None = None,
    as_of: datetime.datetime | None = None,
) -> ActionItem:
    """Change an assignment's status; the change is kept with when, who and at which meeting.

    `as_of` dates a change made earlier — by default, for a change made at a
    `meeting`, as of the meeting (`Meeting.recorded_at`: its time when its
    minutes are entered afterwards). The history gets the change at that
    time, from the status the assignment had then; if a later change is
    already recorded, that one stays the current status.

    The status is not part of the minutes: a revision's draft of an assignment
    changes the approved assignment, and the draft follows it."""
    if status not in ActionStatus.values:
        raise DomainError(_("Unknown status."))
    ensure_same_tenant(action.tenant_id, [meeting])
    if as_of is None and meeting is not None:
        as_of = meeting.recorded_at()
    if (original_id := action.draft_of_id) is not None:
        draft = action
        action = ActionItem.all_rows.get(pk=original_id)
        changed = action_set_status(
            actor=actor, action=action, status=status, meeting=meeting, as_of=as_of
        )
        draft.status, draft.status_changed_at = changed.status, changed.status_changed_at
        return draft
    # Re-read the status under a row lock, so the recorded "from" is what it
    # really was even when two people change it at once.
    current = (
        ActionItem.all_rows.select_for_update()
        .filter(pk=action.pk)
        .values_list("status", flat=True)
        .first()
    )
    if current is not None:
        action.status = current
    now = timezone.now()
    moment = min(as_of or now, now)
    history = ActionStatusChange.objects.filter(action_item=action)
    later = history.filter(changed_at__gt=moment).exists()
    then = status_as_of(action, moment) if later else action.status
    if status == then:
        return action
    before = audit.snapshot(action)
    ActionStatusChange.objects.create(
        tenant=action.tenant,
        action_item=action,
        from_status=then,
        to_status=status,
        changed_at=moment,
        changed_by=actor if actor and actor.pk else None,
        meeting=meeting,
    )
    if later:
        # A later change is recorded: it stays the current status.
        audit.log(
            actor=actor,
            tenant=action.tenant,
            action="action_item.status_history.add",
            obj=action,
            before={"status": then},
            after={"status": status, "as_of": moment.isoformat()},
        )
        return action
    action.status = status
    action.status_changed_at = moment
    action.save(update_fields=["status", "status_changed_at"])
    ActionItem.all_rows.filter(draft_of=action).update(
        status=action.status, status_changed_at=action.status_changed_at
    )
    audit.log(
        actor=actor,
        tenant=action.tenant,
        action="action_item.status.change",
        obj=action,
        before=before,
        after=audit.snapshot(action),
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor: User,
    action: ActionItem,
    description: str,
    owner_people: Iterable[Person] = (),
    owner_principal: Principal | None = None,
    owner_body: Body | None = None,
    owner_all: bool = False,
    due_date: datetime.date | None = None,
    due_next_meeting: bool = False,
    expected_version: int | None = None,
) -> ActionItem:
    """Change what an assignment asks, of whom and by when; one audit event
    with the owners before and after. Its status changes through
    `action_set_status`, which keeps the history. A save based on an older
    version than `expected_version` is refused (`claim_version`)."""
    owner_people = list(owner_people)
    if not description.strip():
        raise DomainError(_("Describe the assignment."))
    if not (owner_people or owner_principal or owner_body or owner_all):
        raise DomainError(_("Say who owns the assignment."))
    ensure_same_tenant(action.tenant_id, [*owner_people, owner_principal, owner_body])
    _ensure_not_under_revision(action)
    before = _snapshot(action)
    loaded_version = action.version
    claim_version(action, expected_version)
    fields = {
        "description": description.strip(),
        "owner_principal": owner_principal,
        "owner_body": owner_body,
        "owner_all": owner_all,
        "due_date": due_date,
        "due_next_meeting": due_next_meeting,
    }
    changed = [name for name, value in fields.items() if getattr(action, name) != value]
    original = {name: getattr(action, name) for name in changed}
    for name in changed:
        setattr(action, name, fields[name])
    try:
        action.full_clean()
    except ValidationError:
        for name, value in original.items():
            setattr(action, name, value)
        action.version = loaded_version  # the claim is rolled back with the transaction
        raise
    if changed:
        action.save(update_fields=changed)
    if {p.pk for p in owner_people} != set(before["owner_people"]):
        action.owner_people.set(owner_people)
    after = _snapshot(action)
    if changed_besides_version(before, after):
        audit.log(
            actor=actor,
            tenant=action.tenant,
            action="action_item.update",
            obj=action,
            before=before,
            after=after,
        )
    return action


def _ensure_not_under_revision(action: ActionItem) -> None:
    """An assignment given in minutes that are being revised changes in the
    revision (its draft), not in the approved minutes."""
    if action.agenda_item_id is None:
        return
    meeting = AgendaItem.all_rows.select_related("meeting").get(pk=action.agenda_item_id).meeting
    if meeting.revising != action.revision_draft:
        raise LockedError(
            _(
                "The minutes are being revised. Make the change in the revision, "
                "on the meeting's page."
            )
        )


def _snapshot(action: ActionItem) -> dict[str, Any]:
    data = audit.snapshot(action) or {}
    data["owner_people"] = sorted(action.owner_people.values_list("pk", flat=True))
    return data


@transaction.atomic
def action_set_archived(*, actor: User, action: ActionItem, archived: bool) -> ActionItem:
    """Archive (or restore) an assignment entered by mistake. Nothing is deleted."""
    _ensure_not_under_revision(action)
    return set_archived(action, actor=actor, tenant=action.tenant, archived=archived)
