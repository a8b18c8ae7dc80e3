"""Writes of the archive (issue 16, item 2): asking for an archive package,
the retention rules and holds, and the disposal runs. Each write is one
transaction with one audit event (the approval of a disposal run: two, its
approval and its execution).

Disposal is the one place in the portal where records are hard-deleted, and
only through `disposal_approve`:

1. an administrator proposes a run (`disposal_propose`): the list of what the
   rules make due today, leaving out what is kept and what is under a hold, is
   stored with the run (its items);
2. a *different* administrator approves it (`disposal_approve`): four eyes,
   as the archive rules of public bodies expect for gallring. A programme
   with one administrator needs a second one (or the installation's
   superuser through the Django admin) to dispose anything;
3. the approval carries the run out at once, in the same transaction: each
   listed record is checked again (still there, still due under the rule as
   it is now, under no hold) and removed; a record that is no longer due is
   left and its item says why. The items are the disposal record
   (gallringsprotokoll), downloadable as CSV.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archives import kinds, selectors
from archives.documents import ARCHIVE_PACKAGE
from archives.models import (
    ArchiveExport,
    DisposalItem,
    DisposalRun,
    DisposalStatus,
    PeriodUnit,
    RecordKind,
    RetentionAction,
    RetentionHold,
    RetentionRule,
)
from archives.package import new_package_id
from portal import audit
from portal.documents.requests import request_document
from portal.models import GeneratedFile, Membership, Tenant, User
from portal.services import DomainError, update_audited

MAX_PERIOD = 200  # years or months; a longer period is a typo


# Archive packages -------------------------------------------------------------------


@transaction.atomic
def archive_export_request(
    *,
    actor: User | None,
    membership: Membership | None,
    tenant: Tenant,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> tuple[ArchiveExport, GeneratedFile | None]:
    """Record an archive package and queue the worker that builds it (no job
    without a membership: the command line builds it itself)."""
    if period_start and period_end and period_end < period_start:
        raise DomainError(_("The period cannot end before it starts."))
    export = ArchiveExport(
        tenant=tenant,
        package_id=new_package_id(tenant),
        period_start=period_start,
        period_end=period_end,
        requested_by=actor,
    )
    export.full_clean()
    export.save()
    audit.log(
        actor=actor,
        tenant=tenant,
        action="archive_export.request",
        obj=export,
        after=audit.snapshot(export),
    )
    job = None
    if membership is not None and actor is not None:
        job = request_document(
            actor=actor, membership=membership, tenant=tenant, kind=ARCHIVE_PACKAGE, obj=export
        )
    return export, job


# Retention rules --------------------------------------------------------------------


@transaction.atomic
def rule_save(
    *,
    actor: User | None,
    tenant: Tenant,
    kind: str,
    action: str,
    period: int | None = None,
    unit: str = PeriodUnit.YEARS,
    basis: str = "",
    expected_version: int | None = None,
) -> RetentionRule:
    """Set the rule of one kind of record. Minutes and decisions are kept:
    a rule disposing of them is refused. A rule that disposes needs a
    period of at least one month or year."""
    if kind not in RecordKind.values:
        raise DomainError(_("Choose a kind of record."))
    if action not in RetentionAction.values:
        raise DomainError(_("Choose keep or dispose."))
    if unit not in PeriodUnit.values:
        raise DomainError(_("Choose years or months."))
    if action == RetentionAction.DISPOSE:
        if not kinds.get(kind).disposable:
            raise DomainError(
                _("%(kind)s are public records that the programme keeps: they cannot be disposed.")
                % {"kind": RecordKind(kind).label}
            )
        if period is None or period < 1 or period > MAX_PERIOD:
            raise DomainError(_("Give a period between 1 and %(max)s.") % {"max": MAX_PERIOD})
    else:
        period = None
    rule = RetentionRule.objects.select_for_update().filter(tenant=tenant, kind=kind).first()
    fields = {"action": action, "period": period, "unit": unit, "basis": basis.strip()}
    if rule is None:
        if expected_version is not None:
            raise DomainError(_("The rule was removed meanwhile. Reload the page."))
        rule = RetentionRule(tenant=tenant, kind=kind, updated_by=actor, **fields)
        rule.full_clean()
        try:
            with transaction.atomic():
                rule.save()
        except IntegrityError:
            raise DomainError(
                _(
                    "Someone else set this rule while you were editing. Nothing from your "
                    "form has been saved. Reload the page."
                )
            ) from None
        audit.log(
            actor=actor,
            tenant=tenant,
            action="retention_rule.create",
            obj=rule,
            after=audit.snapshot(rule),
        )
        return rule
    # Saved (and audited) even when unchanged: who set the rule last, and when.
    return update_audited(
        rule,
        actor=actor,
        tenant=tenant,
        fields={**fields, "updated_by": actor, "updated_at": timezone.now()},
        expected_version=expected_version,
    )


# Holds -------------------------------------------------------------------------------


@transaction.atomic
def hold_add(
    *, actor: User | None, tenant: Tenant, kind: str, object_id: int | None, reason: str
) -> RetentionHold:
    """Stop the disposal of one record, or of every record of a kind, until released."""
    if kind not in RecordKind.values:
        raise DomainError(_("Choose a kind of record."))
    if not reason.strip():
        raise DomainError(_("Say why the records are held."))
    if object_id is not None and not selectors.record_exists(tenant, kind, object_id):
        raise DomainError(
            _("There is no %(kind)s record with id %(id)s in this programme.")
            % {"kind": str(RecordKind(kind).label).lower(), "id": object_id}
        )
    hold = RetentionHold(
        tenant=tenant, kind=kind, object_id=object_id, reason=reason.strip(), created_by=actor
    )
    hold.full_clean()
    hold.save()
    audit.log(
        actor=actor,
        tenant=tenant,
        action="retention_hold.create",
        obj=hold,
        after=audit.snapshot(hold),
    )
    return hold


@transaction.atomic
def hold_release(*, actor: User | None, hold: RetentionHold) -> RetentionHold:
    hold = RetentionHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise DomainError(_("The hold has already been released."))
    before = audit.snapshot(hold)
    hold.released_at = timezone.now()
    hold.released_by = actor
    hold.save(update_fields=["released_at", "released_by"])
    audit.log(
        actor=actor,
        tenant=hold.tenant,
        action="retention_hold.release",
        obj=hold,
        before=before,
        after=audit.snapshot(hold),
    )
    return hold


# Disposal runs ---------------------------------------------------------------------


@transaction.atomic
def disposal_propose(
    *, actor: User, tenant: Tenant, on: datetime.date | None = None
) -> DisposalRun:
    """List what is due for disposal as a run awaiting approval."""
    on = on or timezone.localdate()
    if selectors.proposed_run(tenant) is not None:
        raise DomainError(_("A disposal is already awaiting approval. Approve or cancel it first."))
    due = selectors.due_for_disposal(tenant, on=on).due
    if not due:
        raise DomainError(_("Nothing is due for disposal under the rules."))
    run = DisposalRun(tenant=tenant, proposed_by=actor, reference_date=on)
    run.full_clean()
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        raise DomainError(
            _("A disposal is already awaiting approval. Approve or cancel it first.")
        ) from None
    DisposalItem.objects.bulk_create(
        DisposalItem(
            tenant=tenant,
            run=run,
            kind=item.kind,
            object_id=item.object_id,
            title=item.title[:300],
            record_date=item.record_date,
            due_on=item.due_on,
            rule=item.rule[:300],
        )
        for item in due
    )
    audit.log(
        actor=actor,
        tenant=tenant,
        action="disposal_run.create",
        obj=run,
        after={**(audit.snapshot(run) or {}), "items": len(due)},
    )
    return run


def _locked_proposed(run: DisposalRun) -> DisposalRun:
    locked = DisposalRun.objects.select_for_update().get(pk=run.pk, tenant=run.tenant)
    if locked.status != DisposalStatus.PROPOSED:
        raise DomainError(_("This disposal is no longer awaiting approval."))
    return locked


@transaction.atomic
def disposal_approve(*, actor: User, run: DisposalRun) -> DisposalRun:
    """Approve a proposed run and carry it out (see the module's docstring)."""
    run = _locked_proposed(run)
    if run.proposed_by_id == actor.pk:
        raise DomainError(
            _(
                "Another programme administrator must approve the disposal: "
                "the one who proposed it cannot."
            )
        )
    tenant = run.tenant
    before = audit.snapshot(run)
    run.status = DisposalStatus.EXECUTED
    run.approved_by = actor
    run.executed_at = timezone.now()
    run.save(update_fields=["status", "approved_by", "executed_at"])
    audit.log(
        actor=actor,
        tenant=tenant,
        action="disposal_run.approve",
        obj=run,
        before=before,
        after=audit.snapshot(run),
    )
    # Checked again now: a hold added or a rule changed since the proposal wins.
    still_due = {
        (due.kind, due.object_id)
        for due in selectors.due_for_disposal(tenant, on=run.reference_date).due
    }
    items = list(selectors.run_items(run))
    by_kind: dict[str, list[int]] = defaultdict(list)
    for item in items:
        if (item.kind, item.object_id) in still_due:
            by_kind[item.kind].append(item.object_id)
            item.disposed = True
        else:
            item.skipped_reason = str(
                _("No longer due when approved (a hold, a changed rule, or already gone).")
            )
    removed = {}
    for kind_key, ids in by_kind.items():
        remove = kinds.get(kind_key).remove
        assert remove is not None  # only disposable kinds are ever due
        removed[kind_key] = remove(tenant, ids)
    DisposalItem.objects.bulk_update(items, ["disposed", "skipped_reason"])
    audit.log(
        actor=actor,
        tenant=tenant,
        action="disposal_run.execute",
        obj=run,
        after={
            "disposed": {kind: len(ids) for kind, ids in by_kind.items()},
            "rows_deleted": removed,
            "skipped": sum(1 for item in items if not item.disposed),
        },
    )
    return run


@transaction.atomic
def disposal_cancel(*, actor: User, run: DisposalRun) -> DisposalRun:
    run = _locked_proposed(run)
    before = audit.snapshot(run)
    run.status = DisposalStatus.CANCELLED
    run.cancelled_by = actor
    run.cancelled_at = timezone.now()
    run.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    audit.log(
        actor=actor,
        tenant=run.tenant,
        action="disposal_run.cancel",
        obj=run,
        before=before,
        after=audit.snapshot(run),
    )
    return run
