"""The archive (issue 16, item 2): archive packages (E-ARK CSIP/SIP) and the
retention rules (gallringsregler), holds and disposal runs (gallring) of a
programme.

A kind of record with no `RetentionRule` is kept ("bevaras"): a rule is only
written when an administrator sets one. A disposal run lists what is due
(`DisposalItem`), waits for a second administrator's approval, and then
removes the records; its items stay as the disposal record (gallringsprotokoll).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import TenantOwned, Versioned


class RecordKind(models.TextChoices):
    MINUTES = "minutes", _("Approved minutes")
    DECISION = "decision", _("Decisions")
    ACTION_ITEM = "action_item", _("Action items (completed)")
    RISK = "risk", _("Risks (closed)")
    STATUS_REPORT = "status_report", _("Status reports")
    MEETING_DOCUMENT = "meeting_document", _("Meeting documents")
    EVIDENCE = "evidence", _("Evidence of self-assessments")
    AUDIT_EVENT = "audit_event", _("Audit log events")


class RetentionAction(models.TextChoices):
    KEEP = "keep", _("Keep (bevaras)")
    DISPOSE = "dispose", _("Dispose (gallras)")


class PeriodUnit(models.TextChoices):
    YEARS = "years", _("years")
    MONTHS = "months", _("months")


class ArchiveExport(TenantOwned):
    """One archive package asked for: the period it covers, by whom, and what
    it held (`manifest`: counts and the package's identifier). The package
    itself is a `GeneratedFile` built by a worker (archives/documents.py)."""

    package_id = models.CharField(_("package identifier"), max_length=100, unique=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    manifest = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("archive package")
        verbose_name_plural = _("archive packages")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="archiveexport_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.package_id


class RetentionRule(TenantOwned, Versioned):
    """How long one kind of record is kept. No row: kept for ever."""

    kind = models.CharField(_("kind of record"), max_length=30, choices=RecordKind.choices)
    action = models.CharField(
        _("rule"), max_length=10, choices=RetentionAction.choices, default=RetentionAction.KEEP
    )
    period = models.PositiveSmallIntegerField(_("period"), null=True, blank=True)
    unit = models.CharField(
        _("unit"), max_length=10, choices=PeriodUnit.choices, default=PeriodUnit.YEARS
    )
    basis = models.CharField(
        _("basis"),
        max_length=300,
        blank=True,
        help_text=_("The decision or document plan the rule follows (e.g. a gallringsbeslut)."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind"], name="retentionrule_one_per_kind"),
            models.CheckConstraint(
                condition=Q(action="keep") | Q(period__gte=1),
                name="retentionrule_dispose_has_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.describe()}"

    def describe(self) -> str:
        if self.action == RetentionAction.KEEP or not self.period:
            return str(RetentionAction.KEEP.label)
        return str(
            _("Dispose %(period)s %(unit)s after %(anchor)s")
            % {
                "period": self.period,
                "unit": self.get_unit_display(),
                "anchor": anchor_label(self.kind),
            }
        )


ANCHORS = {
    RecordKind.MINUTES: _("the meeting date"),
    RecordKind.DECISION: _("the decision date"),
    RecordKind.ACTION_ITEM: _("the date it was completed"),
    RecordKind.RISK: _("its last review (or the date it was raised)"),
    RecordKind.STATUS_REPORT: _("the month reported on"),
    RecordKind.MEETING_DOCUMENT: _("the meeting date"),
    RecordKind.EVIDENCE: _("the upload date"),
    RecordKind.AUDIT_EVENT: _("the date of the event"),
}


def anchor_label(kind: str) -> str:
    return str(ANCHORS.get(RecordKind(kind), ""))


class RetentionHold(TenantOwned):
    """A hold (e.g. a legal hold, or a request for the records): while active,
    nothing it covers is disposed. `object_id` empty: every record of the kind."""

    kind = models.CharField(_("kind of record"), max_length=30, choices=RecordKind.choices)
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")

    def __str__(self) -> str:
        target = f" #{self.object_id}" if self.object_id else ""
        return f"{self.get_kind_display()}{target}: {self.reason}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class DisposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    EXECUTED = "executed", _("Carried out")
    CANCELLED = "cancelled", _("Cancelled")


class DisposalRun(TenantOwned):
    """One disposal (gallring): proposed by one administrator with the list of
    what is due, approved and carried out by another. Its items are the
    disposal record (gallringsprotokoll)."""

    status = models.CharField(
        _("status"), max_length=20, choices=DisposalStatus.choices, default=DisposalStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    executed_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The due date the list was drawn up for: records due on or before it.
    reference_date = models.DateField(_("due on"))

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("disposal run")
        verbose_name_plural = _("disposal runs")
        constraints = [
            # One run awaiting approval at a time: two lists could overlap.
            models.UniqueConstraint(
                fields=["tenant"],
                condition=Q(status="proposed"),
                name="disposalrun_one_proposed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.proposed_at:%Y-%m-%d}"


class DisposalItem(TenantOwned):
    """One record on a disposal run's list, as it was when listed: what it was
    (kind, id, title, date) and under which rule. Kept after the record is gone."""

    run = models.ForeignKey(DisposalRun, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind of record"), max_length=30, choices=RecordKind.choices)
    object_id = models.PositiveBigIntegerField(_("record id"))
    title = models.CharField(_("title"), max_length=300)
    record_date = models.DateField(_("date"))
    due_on = models.DateField(_("due"))
    rule = models.CharField(_("rule"), max_length=300)
    disposed = models.BooleanField(_("disposed"), default=False)
    # Why a listed record was left at execution (a hold added meanwhile, a rule changed).
    skipped_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "record_date", "object_id"]
        verbose_name = _("disposed record")
        verbose_name_plural = _("disposed records")

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
