"""Decisions, numbered per body and year (“SG 2025 §12”)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from governance.models import AgendaItem, Body, Decision, DecisionStatus, Meeting
from governance.services.meetings import ensure_editable, ensure_row_editable, meeting_day
from portal import audit
from portal.models import User
from portal.services import DomainError, claim_version, create_audited


@transaction.atomic
def decision_create(
    *,
    actor: User | None,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    body: Body | None = None,
    decided_on: datetime.date | None = None,
) -> Decision:
    """Record a decision and give it the body's next number for the year.

    The body's row is locked while numbering, so two decisions recorded at
    once never share a number.
    """
    ensure_editable(meeting)
    body = body or meeting.body
    if body.pk != meeting.body_id and not meeting.joint_bodies.filter(pk=body.pk).exists():
        raise DomainError(_("The deciding body must be one of the meeting's bodies."))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError(_("The agenda item belongs to another meeting."))
    if agenda_item is not None:
        ensure_row_editable(agenda_item, meeting)
    if not text.strip():
        raise DomainError(_("Write the decision."))
    decided_on = decided_on or meeting_day(meeting)
    Body.objects.select_for_update().filter(pk=body.pk).first()
    # Numbered among drafts too, so a revision's new decision keeps its number.
    last = Decision.all_rows.filter(body=body, year=decided_on.year).aggregate(m=Max("number"))["m"]
    decision = Decision(
        tenant=meeting.tenant,
        revision_draft=meeting.revising,
        body=body,
        meeting=meeting,
        agenda_item=agenda_item,
        year=decided_on.year,
        number=(last or 0) + 1,
        text=text.strip(),
        decided_on=decided_on,
    )
    return create_audited(decision, actor=actor, tenant=meeting.tenant)


@transaction.atomic
def decision_update_text(
    *,
    actor: User,
    decision: Decision,
    text: str,
    expected_version: int | None = None,
    diary_number: str | None = None,
) -> Decision:
    """Correct a decision's text, and its diary number (diarienummer) when
    given; a save based on an older version than `expected_version` is
    refused (`claim_version`)."""
    ensure_row_editable(decision, decision.meeting)
    if not text.strip():
        raise DomainError(_("Write the decision."))
    fields = ["text"]
    if diary_number is not None:
        diary_number = diary_number.strip()
        try:
            Decision._meta.get_field("diary_number").clean(diary_number, decision)
        except ValidationError as error:
            raise ValidationError({"diary_number": error.messages}) from error
        fields.append("diary_number")
    before = audit.snapshot(decision)
    claim_version(decision, expected_version)
    decision.text = text.strip()
    if diary_number is not None:
        decision.diary_number = diary_number
    decision.save(update_fields=fields)
    audit.log(
        actor=actor,
        tenant=decision.tenant,
        action="decision.update",
        obj=decision,
        before=before,
        after=audit.snapshot(decision),
    )
    return decision


@transaction.atomic
def decision_repeal(
    *, actor: User, decision: Decision, replaced_by: Decision | None = None
) -> Decision:
    """Mark a decision as repealed, or replaced by a later one. It stays in the register.

    A repeal is not part of the minutes: it is made on the approved decision
    (never on a revision's draft) and shows at once."""
    if decision.revision_draft:
        raise DomainError(_("Repeal the decision in the register, not in a revision."))
    if replaced_by is not None and replaced_by.revision_draft:
        raise DomainError(_("Choose another decision of this programme."))
    if decision.status == DecisionStatus.REPEALED:
        raise DomainError(_("The decision is already repealed."))
    if replaced_by is not None:
        if replaced_by.tenant_id != decision.tenant_id or replaced_by.pk == decision.pk:
            raise DomainError(_("Choose another decision of this programme."))
        if (replaced_by.decided_on, replaced_by.pk) < (decision.decided_on, decision.pk):
            raise DomainError(_("A decision can only be replaced by a later one."))
        if replaced_by.status == DecisionStatus.REPEALED:
            raise DomainError(_("The replacing decision is itself repealed."))
    before = audit.snapshot(decision)
    decision.status = DecisionStatus.REPEALED
    decision.replaced_by = replaced_by
    decision.save(update_fields=["status", "replaced_by"])
    audit.log(
        actor=actor,
        tenant=decision.tenant,
        action="decision.repeal",
        obj=decision,
        before=before,
        after=audit.snapshot(decision),
    )
    return decision
