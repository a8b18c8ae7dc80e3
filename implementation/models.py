"""Implementation: the staircase and self-assessments against it, goals and
indicators, appointed functions, good examples and the implementation plan.

The staircase is versioned. Steps and criteria belong to one version
(`Staircase`); once an assessment has been made against a version, editing the
staircase creates the next version instead of changing that one, so every
assessment keeps the steps and criteria it was made against.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import Archivable, Operation, Person, Principal, TenantOwned, Versioned

# The staircase ----------------------------------------------------------------


class Staircase(TenantOwned):
    """One version of the programme's implementation staircase (implementeringstrappa)."""

    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200, default="Implementeringstrappan")
    is_current = models.BooleanField(_("current version"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    superseded_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["tenant", "-version"]
        verbose_name = _("staircase")
        verbose_name_plural = _("staircases")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "version"], name="staircase_unique_version"),
            models.UniqueConstraint(
                fields=["tenant"], condition=Q(is_current=True), name="staircase_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Step(TenantOwned, Versioned):
    """A step of one staircase version. `key` is shared by the same step in all
    versions, so a step can be followed across versions."""

    staircase = models.ForeignKey(
        Staircase, on_delete=models.PROTECT, related_name="steps", verbose_name=_("staircase")
    )
    number = models.PositiveSmallIntegerField(_("step"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goal = models.TextField(_("goal of the step"), blank=True)
    key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["staircase", "number"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["staircase", "number"], name="step_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Criterion(TenantOwned, Versioned):
    """A statement that must be established for its step to be reached."""

    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("step")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("criterion"))
    key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["step", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["step", "position"], name="criterion_unique_position"),
        ]

    def __str__(self) -> str:
        return self.text


# Self-assessments -------------------------------------------------------------


class AssessmentStatus(models.TextChoices):
    DRAFT = "utkast", pgettext_lazy("self-assessment", "Draft")
    SUBMITTED = "inskickad", pgettext_lazy("self-assessment", "Submitted")
    RETURNED = "atersand", pgettext_lazy("self-assessment", "Returned")
    APPROVED = "godkand", pgettext_lazy("self-assessment", "Approved")


# Drafts and returned assessments can be edited; submitted ones wait for review;
# approved ones are immutable snapshots.
EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
OPEN_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)


class Rating(models.TextChoices):
    NOT_STARTED = "ej_paborjad", _("Not started")
    IN_PROGRESS = "pagar", _("In progress")
    ESTABLISHED = "etablerad", _("Established")


class SelfAssessment(TenantOwned):
    """One dated self-assessment (självskattning) of a principal, or of one of
    its operations, against one staircase version.

    `step_number` is the resulting step (the override when there is one, else
    the computed step; 0 when no step is reached), kept by the services so
    lists and timelines need no computation. `previous_step_number` is the
    step of the approved assessment this one superseded, set on approval.
    `version` is the optimistic lock of the form.
    """

    staircase = models.ForeignKey(
        Staircase,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("staircase version"),
    )
    principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        related_name="self_assessments",
        verbose_name=_("principal"),
    )
    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_assessments",
        verbose_name=_("operation"),
        help_text=_("Leave empty to assess the principal as a whole."),
    )
    sub_project = models.ForeignKey(
        "SubProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_assessments",
        verbose_name=_("sub-project"),
        help_text=_("Assess the work in one sub-project, or leave empty."),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    computed_step = models.ForeignKey(
        Step,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed step"),
    )
    override_step = models.ForeignKey(
        Step,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("step set by hand"),
    )
    override_justification = models.TextField(_("justification"), blank=True)
    step_number = models.PositiveSmallIntegerField(_("step"), default=0)
    previous_step_number = models.PositiveSmallIntegerField(
        _("previous step"), null=True, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True)
    links = models.TextField(_("links"), blank=True, help_text=_("One web address per line."))
    comment = models.TextField(_("comment"), blank=True)
    return_comment = models.TextField(_("comment from the review"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="assessment_period_ordered",
            ),
            # One current approved assessment per subject: the principal as a
            # whole, an operation, a sub-project, or an operation's sub-project.
            *(
                models.UniqueConstraint(
                    fields=["principal", *fields],
                    condition=Q(
                        status="godkand",
                        superseded_at__isnull=True,
                        operation__isnull="operation" not in fields,
                        sub_project__isnull="sub_project" not in fields,
                    ),
                    name=f"assessment_one_current_{name}",
                )
                for name, fields in (
                    ("per_principal", []),
                    ("per_operation", ["operation"]),
                    ("per_sub_project", ["sub_project"]),
                    ("per_operation_sub_project", ["operation", "sub_project"]),
                )
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status"])]

    def __str__(self) -> str:
        name = self.principal.name if self.principal_id else ""
        return f"{name}: {self.subject} ({self.period_start} – {self.period_end})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        operation, override = self.operation, self.override_step
        if (
            operation is not None
            and self.principal_id
            and operation.principal_id != self.principal_id
        ):
            errors["operation"] = _("The operation belongs to another principal.")
        if self.override_step_id and not self.override_justification.strip():
            errors["override_justification"] = _("Say why the step differs from the computed one.")
        if override is not None and override.staircase_id != self.staircase_id:
            errors["override_step"] = _("Choose a step of this assessment's staircase.")
        sub_project = self.sub_project
        if sub_project is not None and self.tenant_id and sub_project.tenant_id != self.tenant_id:
            errors["sub_project"] = _("The sub-project belongs to another programme.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def awaits_review(self) -> bool:
        """Submitted: a process leader approves or returns it (and nothing else changes it)."""
        return self.status == AssessmentStatus.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == AssessmentStatus.APPROVED

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def result_step(self) -> Step | None:
        return self.override_step if self.override_step_id else self.computed_step

    @property
    def moved_back(self) -> bool:
        """Lower than the approved assessment it superseded: shown as such."""
        return (
            self.previous_step_number is not None and self.step_number < self.previous_step_number
        )

    @property
    def moved_up(self) -> bool:
        return (
            self.previous_step_number is not None and self.step_number > self.previous_step_number
        )

    @property
    def subject(self) -> str:
        """What was assessed: the operation and/or sub-project, or the principal
        as a whole."""
        parts = [
            obj.name if isinstance(obj, Operation) else obj.title
            for obj in (self.operation, self.sub_project)
            if obj is not None
        ]
        return " – ".join(parts) if parts else str(_("The principal as a whole"))


class CriterionRating(TenantOwned):
    """How far one criterion has come, in one assessment. Empty: not rated yet."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)

    class Meta:
        ordering = ["criterion__step__number", "criterion__position"]
        verbose_name = _("criterion rating")
        verbose_name_plural = _("criterion ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="rating_unique_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_rating_display() or '—'}"


def attachment_path(instance: AssessmentAttachment, filename: str) -> str:
    """A random name under the programme's and assessment's folder: the user's
    file name is kept in the database only, never used as a path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"implementation/{instance.tenant_id}/assessments/{instance.assessment_id}/"
        f"{uuid.uuid4().hex}.{extension}"
    )


class AssessmentAttachment(TenantOwned, Archivable):
    """A file of evidence. Downloaded only through a permission-checked view.
    Removing one from a draft archives it; the file is kept for the record."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class AssessmentStatusChange(TenantOwned):
    """One step of an assessment's workflow, shown on its page: who started,
    submitted, returned (with the comment) or approved it, and when."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=AssessmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=AssessmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


# Catalogues: focus areas, wellbeing areas ------------------------------------------


class NamedEntry(TenantOwned, Archivable, Versioned):
    """A short list the process leaders keep per programme (focus areas,
    wellbeing areas, appointed functions): a name, a description, an order."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class FocusArea(NamedEntry):
    """A focus area of the programme's goals (fokusområde), e.g. gemensam struktur."""

    class Meta(NamedEntry.Meta):
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="focusarea_unique_name"),
        ]


class WellbeingArea(NamedEntry):
    """An area of the wellbeing wheel (välbefinnandehjulet), e.g. Trygg."""

    class Meta(NamedEntry.Meta):
        verbose_name = _("wellbeing area")
        verbose_name_plural = _("wellbeing areas")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="wellbeingarea_unique_name"),
        ]


# Goals and indicators ------------------------------------------------------------------


class Goal(TenantOwned, Archivable, Versioned):
    """A goal of a focus area, or a sub-goal (delmål) of a goal."""

    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="goals", verbose_name=_("focus area")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_goals",
        verbose_name=_("sub-goal of"),
    )
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)

    class Meta:
        ordering = ["focus_area__position", "target_date", "title"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        parent = self.parent
        if parent is None:
            return
        if parent.parent_id is not None:
            raise ValidationError({"parent": _("A sub-goal belongs to a goal, not to a sub-goal.")})
        if self.pk and parent.pk == self.pk:
            raise ValidationError({"parent": _("A goal cannot be its own sub-goal.")})
        if self.focus_area_id and parent.focus_area_id != self.focus_area_id:
            raise ValidationError(
                {"parent": _("A sub-goal belongs to the same focus area as its goal.")}
            )


class IndicatorKind(models.TextChoices):
    COUNT = "antal", _("Count")
    SHARE = "andel", _("Share (%)")
    YES_NO = "ja_nej", _("Yes/no")
    SCALE = "skala", _("Scale 1–5")


class IndicatorLevel(models.TextChoices):
    PRINCIPAL = "huvudman", _("Per principal")
    PROGRAMME = "program", _("For the programme")


class Direction(models.TextChoices):
    HIGHER = "hogre", _("Higher is better")
    LOWER = "lagre", _("Lower is better")


class Indicator(TenantOwned, Archivable, Versioned):
    """Something the programme follows up, with a target and which way is better."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("E.g. “people”."))
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=IndicatorLevel.choices)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("goal"),
    )
    wellbeing_areas = models.ManyToManyField(
        WellbeingArea, blank=True, related_name="indicators", verbose_name=_("wellbeing areas")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="indicator_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.target is not None:
            error = value_error(self.kind, self.target)
            if error:
                raise ValidationError({"target": error})

    @property
    def per_principal(self) -> bool:
        return self.level == IndicatorLevel.PRINCIPAL


def value_error(kind: str, value: Any) -> str:
    """Why `value` does not fit an indicator of `kind` ("" when it does)."""
    if kind == IndicatorKind.COUNT and (value < 0 or value != int(value)):
        return str(_("A count is a whole number, 0 or more."))
    if kind == IndicatorKind.SHARE and not 0 <= value <= 100:
        return str(_("A share is a percentage from 0 to 100."))
    if kind == IndicatorKind.YES_NO and value not in (0, 1):
        return str(_("Yes/no is 1 (yes) or 0 (no)."))
    if kind == IndicatorKind.SCALE and (value != int(value) or not 1 <= value <= 5):
        return str(_("A scale value is a whole number from 1 to 5."))
    return ""


class ValueSource(models.TextChoices):
    SELF_ASSESSMENT = "sjalvskattning", _("Self-assessment")
    SURVEY = "enkat", _("Survey")
    REGISTER = "register", _("Register")
    MANUAL = "manuell", _("Entered by hand")


class IndicatorValue(TenantOwned):
    """One value of an indicator for a month: per principal, or for the
    programme as a whole (no principal). Reporting again for the same month
    replaces the value (audited)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_values",
        verbose_name=_("principal"),
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=20, choices=ValueSource.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"), auto_now=True)

    class Meta:
        ordering = ["indicator", "-period", "principal__name"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "principal", "period"],
                condition=Q(principal__isnull=False),
                name="indicatorvalue_one_per_principal_month",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(principal__isnull=True),
                name="indicatorvalue_one_per_programme_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.period:%Y-%m})"

    def clean(self) -> None:
        indicator = self.indicator if self.indicator_id else None
        if indicator is None:
            return
        if indicator.per_principal and self.principal_id is None:
            raise ValidationError({"principal": _("Choose the principal the value is for.")})
        if not indicator.per_principal and self.principal_id is not None:
            raise ValidationError(
                {"principal": _("This indicator is for the programme as a whole.")}
            )
        if self.value is not None and (error := value_error(indicator.kind, self.value)):
            raise ValidationError({"value": error})
        if self.period and self.period.day != 1:
            raise ValidationError({"period": _("A month starts on its first day.")})


# Appointed functions ------------------------------------------------------------------


class AppointmentFunction(NamedEntry):
    """A function the model relies on (Barnets bästa-ansvarig, nyckelperson, …)."""

    class Meta(NamedEntry.Meta):
        verbose_name = _("appointed function")
        verbose_name_plural = _("appointed functions")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="function_unique_name"),
        ]


class Appointment(TenantOwned, Archivable, Versioned):
    """A person appointed to a function for a principal, or one of its
    operations, from a date (to a date). Ending it keeps it in the history;
    archiving is for appointments entered by mistake."""

    function = models.ForeignKey(
        AppointmentFunction,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("function"),
    )
    principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("principal"),
    )
    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("operation"),
        help_text=_("Leave empty when the appointment is for the principal as a whole."),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("person")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["principal__name", "function__position", "start_date", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="appointment_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.function}, {self.principal})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The appointment cannot end before it starts.")
        operation = self.operation
        if (
            operation is not None
            and self.principal_id
            and operation.principal_id != self.principal_id
        ):
            errors["operation"] = _("The operation belongs to another principal.")
        if errors:
            raise ValidationError(errors)

    def is_current(self, on: datetime.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


# Sub-projects and the implementation plan ---------------------------------------------------


class WorkStatus(models.TextChoices):
    PLANNED = "planerad", _("Planned")
    ONGOING = "pagaende", _("Ongoing")
    PAUSED = "pausad", _("Paused")
    DONE = "klar", _("Done")
    CANCELLED = "installd", pgettext_lazy("work", "Cancelled")


OPEN_WORK = (WorkStatus.PLANNED, WorkStatus.ONGOING, WorkStatus.PAUSED)


class PlanItem(TenantOwned, Archivable, Versioned):
    """What sub-projects and activities share: an owner, a status, a due date,
    the decisions behind them and the working groups doing them. Decisions are
    referred to as text (e.g. “SG 2025 §12”) with an optional link: the
    implementation app does not depend on governance."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.PLANNED
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    decision_reference = models.CharField(
        _("decisions"),
        max_length=300,
        blank=True,
        help_text=_("The decisions behind it, e.g. “SG 2025 §12, LSG 2025 §4”."),
    )
    decision_url = models.URLField(_("link to the decision"), blank=True)
    working_groups = models.CharField(
        _("working groups"),
        max_length=300,
        blank=True,
        help_text=_("Who does the work, e.g. “Arbetsgrupp digital plattform”."),
    )
    principals = models.ManyToManyField(
        Principal, blank=True, related_name="+", verbose_name=_("principals involved")
    )
    wellbeing_areas = models.ManyToManyField(
        WellbeingArea, blank=True, related_name="+", verbose_name=_("wellbeing areas")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_WORK


class SubProject(PlanItem):
    """A sub-project (delprojekt) of the programme, e.g. the NPF sub-project."""

    start_date = models.DateField(_("start"), null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("sub-project")
        verbose_name_plural = _("sub-projects")


class Activity(PlanItem):
    """An activity of the implementation plan, on its own or in a sub-project
    (e.g. a proposal of the NPF sub-project: förstärkt EHT)."""

    sub_project = models.ForeignKey(
        SubProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("sub-project"),
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("goal"),
    )

    class Meta:
        ordering = ["due_date", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")


# Good examples -------------------------------------------------------------------------------


class ExampleStatus(models.TextChoices):
    ONGOING = "pagaende", _("Ongoing")
    FINISHED = "avslutat", _("Finished")


class GoodExample(TenantOwned, Archivable, Versioned):
    """A good example (gott exempel) of a principal's implementation work.
    Published examples are for everyone in the programme; unpublished ones for
    process leaders and the principal's reporters."""

    title = models.CharField(_("title"), max_length=300)
    principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        related_name="good_examples",
        verbose_name=_("principal"),
    )
    operations = models.ManyToManyField(
        Operation, blank=True, related_name="good_examples", verbose_name=_("operations")
    )
    description = models.TextField(_("description"))
    contact_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    steps = models.ManyToManyField(
        Step, blank=True, related_name="+", verbose_name=_("steps of the staircase")
    )
    wellbeing_areas = models.ManyToManyField(
        WellbeingArea, blank=True, related_name="good_examples", verbose_name=_("wellbeing areas")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ExampleStatus.choices, default=ExampleStatus.ONGOING
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("good example")
        verbose_name_plural = _("good examples")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


# Reminders ---------------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    REPORT = "rapportera", _("Time to report on the staircase")
    REVIEW = "granska", _("Self-assessments wait for review")


class Reminder(TenantOwned):
    """A reminder e-mail sent to one user on one day. The unique day makes the
    reminder task idempotent: a second run the same day sends nothing again;
    the rows also say when someone was last reminded."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("principal"),
    )
    sent_on = models.DateField(_("sent"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "user", "sent_on"], name="reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user} ({self.sent_on})"
