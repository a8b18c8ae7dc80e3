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
from portal import audit
from portal.models import Person, Principal, User
from portal.services import DomainError, create_audited, ensure_same_tenant, set_archived


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
) -> ActionItem:
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
            body=body,
            description=description.strip(),
            owner_principal=owner_principal,
            owner_body=owner_body,
            owner_all=owner_all,
            due_date=due_date,
            due_next_meeting=due_next_meeting,
            agenda_item=agenda_item,
            decision=decision,
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
        changed_by=actor if actor and actor.pk else None,
        meeting=agenda_item.meeting if agenda_item else None,
    )
    return action


@transaction.atomic
def action_set_status(
    *, actor: User | None, action: ActionItem, status: str, meeting: Meeting | None = None
) -> ActionItem:
    """Change an assignment's status; the change is kept with when, who and at which meeting."""
    if status not in ActionStatus.values:
        raise DomainError(_("Unknown status."))
    ensure_same_tenant(action.tenant_id, [meeting])
    # Re-read the status under a row lock, so the recorded "from" is what it
    # really was even when two people change it at once.
    current = (
        ActionItem.objects.select_for_update()
        .filter(pk=action.pk)
        .values_list("status", flat=True)
        .first()
    )
    if current is not None:
        action.status = current
    if status == action.status:
        return action
    before = audit.snapshot(action)
    ActionStatusChange.objects.create(
        tenant=action.tenant,
        action_item=action,
        from_status=action.status,
        to_status=status,
        changed_by=actor if actor and actor.pk else None,
        meeting=meeting,
    )
    action.status = status
    action.status_changed_at = timezone.now()
    action.save(update_fields=["status", "status_changed_at"])
    audit.log(
        actor=actor,
        tenant=action.tenant,
        action="status",
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
) -> ActionItem:
    """Change what an assignment asks, of whom and by when; one audit event
    with the owners before and after. Its status changes through
    `action_set_status`, which keeps the history."""
    owner_people = list(owner_people)
    if not description.strip():
        raise DomainError(_("Describe the assignment."))
    if not (owner_people or owner_principal or owner_body or owner_all):
        raise DomainError(_("Say who owns the assignment."))
    ensure_same_tenant(action.tenant_id, [*owner_people, owner_principal, owner_body])
    before = _snapshot(action)
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
        raise
    if changed:
        action.save(update_fields=changed)
    if {p.pk for p in owner_people} != set(before["owner_people"]):
        action.owner_people.set(owner_people)
    after = _snapshot(action)
    if after != before:
        audit.log(
            actor=actor,
            tenant=action.tenant,
            action="update",
            obj=action,
            before=before,
            after=after,
        )
    return action


def _snapshot(action: ActionItem) -> dict[str, Any]:
    data = audit.snapshot(action) or {}
    data["owner_people"] = sorted(action.owner_people.values_list("pk", flat=True))
    return data


@transaction.atomic
def action_set_archived(*, actor: User, action: ActionItem, archived: bool) -> ActionItem:
    """Archive (or restore) an assignment entered by mistake. Nothing is deleted."""
    return set_archived(action, actor=actor, tenant=action.tenant, archived=archived)
