"""The core model: programmes (tenants), principals, operations, people,
memberships and the audit log. Everything tenant-owned uses a scoped manager,
so a query outside a tenant scope raises instead of reading across tenants."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from portal import dates


class User(AbstractUser):
    """A login. Personal data is staff data only: name and work e-mail."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


def validate_tenant_slug(value: str) -> None:
    if value in settings.RESERVED_TENANT_SLUGS:
        raise ValidationError(_("This address is reserved by the portal."), code="reserved")


class Tenant(models.Model):
    """One collaboration programme (samverkansprogram)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("address"), max_length=60, unique=True, validators=[validate_tenant_slug]
    )
    region = models.CharField(_("region"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    reporting_interval_months = models.PositiveSmallIntegerField(
        _("reporting interval (months)"),
        default=6,
        help_text=_("How often principals are expected to report on the staircase."),
    )
    require_admin_two_factor = models.BooleanField(
        _("programme administrators must use two-factor login"),
        default=False,
        help_text=_(
            "Administrators without an authenticator app are asked to set one up "
            "before they reach any page of the programme."
        ),
    )
    # Whether only single sign-on opens the programme: the `sso` app's
    # requirement (its versioned, audited ProgrammeSsoPolicy), kept here by
    # that app in the same transaction, so that the check on every request
    # costs nothing: the programme is loaded with the request anyway.
    require_sso = models.BooleanField(_("requires single sign-on"), default=False, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class TenantOwned(models.Model):
    """Base for rows that belong to one programme."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, verbose_name=_("programme"))

    objects = ScopedManager(tenant="tenant")

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        """Also: no date or time outside 1990–2100 is saved (`portal.dates`),
        whichever service or form the value came through."""
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, refusal in dates.entered_out_of_range(self, [*(exclude or ()), *errors]).items():
            errors[name] = [refusal]
        if errors:
            raise ValidationError(errors)


class Archivable(models.Model):
    """Ordinary users archive rather than delete; archived rows stay for the record."""

    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Versioned(models.Model):
    """A row that people edit in forms. `version` is the optimistic lock of its
    edit forms: a form carries the version it was opened at, and a save based
    on an older one is refused instead of overwriting someone else's change
    (`portal.services.claim_version`, `portal.forms.VersionedForm`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class PrincipalKind(models.TextChoices):
    MUNICIPALITY = "kommun", _("Municipality")
    REGION = "region", _("Region")
    STATE_AGENCY = "statlig", _("State agency")
    INDEPENDENT = "fristaende", _("Independent principal")
    RESEARCH = "fou", _("R&D unit / university")
    NONPROFIT = "ideburen", _("Non-profit organisation")
    OTHER = "annan", _("Other")


class Principal(TenantOwned, Archivable, Versioned):
    """A principal (huvudman): a municipality, the Region, the police, …"""

    kind = models.CharField(_("kind"), max_length=20, choices=PrincipalKind.choices)
    name = models.CharField(_("name"), max_length=200)
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code has four digits."))],
        help_text=_("The four-digit kommunkod, for municipalities."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("principal")
        verbose_name_plural = _("principals")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="principal_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == PrincipalKind.MUNICIPALITY and not self.municipality_code:
            raise ValidationError(
                {"municipality_code": _("A municipality needs its municipality code.")}
            )
        if self.kind != PrincipalKind.MUNICIPALITY and self.municipality_code:
            raise ValidationError(
                {"municipality_code": _("Only municipalities have a municipality code.")}
            )


class Sector(models.TextChoices):
    PRESCHOOL = "forskola", _("Preschool")
    COMPULSORY_SCHOOL = "grundskola", _("Compulsory school")
    UPPER_SECONDARY = "gymnasieskola", _("Upper secondary school")
    STUDENT_HEALTH = "elevhalsa", _("Student health")
    SOCIAL_SERVICES = "socialtjanst", _("Social services")
    CAMHS = "bup", _("Child and adolescent psychiatry")
    PRIMARY_CARE = "primarvard", _("Primary care")
    CHILD_HEALTH = "barnhalsovard", _("Child health care")
    MATERNITY = "modrahalsovard", _("Maternity care")
    HABILITATION = "habilitering", _("Habilitation")
    POLICE = "polis", _("Police")
    LEISURE = "fritid", _("Leisure and culture")
    OTHER = "annan", _("Other")


class Operation(TenantOwned, Archivable, Versioned):
    """An operation (verksamhet) of a principal, in one sector."""

    principal = models.ForeignKey(
        Principal, on_delete=models.PROTECT, related_name="operations", verbose_name=_("principal")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["principal__name", "name"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")

    def __str__(self) -> str:
        return f"{self.name} ({self.principal.name})"

    def clean(self) -> None:
        if self.principal_id and self.tenant_id and self.principal.tenant_id != self.tenant_id:
            raise ValidationError({"principal": _("The principal belongs to another programme.")})


class Person(TenantOwned, Archivable, Versioned):
    """Someone who takes part in the programme. Staff data only. A person may
    have a login: the membership linked to them (`Membership.person`)."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("principal"),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For people who do not belong to one of the programme's principals."),
    )
    email = models.EmailField(_("work e-mail"), blank=True)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    @property
    def affiliation(self) -> str:
        return self.principal.name if self.principal_id and self.principal else self.organisation

    def clean(self) -> None:
        if self.principal and self.tenant_id and self.principal.tenant_id != self.tenant_id:
            raise ValidationError({"principal": _("The principal belongs to another programme.")})


class Role(models.TextChoices):
    PROCESS_LEADER = "process_leader", _("Process leader")
    STEERING_MEMBER = "steering_member", _("Steering-group member")
    PRINCIPAL_REPORTER = "principal_reporter", _("Principal reporter")
    RESEARCHER = "researcher", _("Researcher")
    TENANT_ADMIN = "tenant_admin", _("Programme administrator")


class Membership(TenantOwned, Versioned):
    """A user's access to one programme, with one role, as one person of the
    programme's directory: the login is that person wherever the programme
    names people (chair, justerare, owners, …). `portal.selectors.person_for`
    is the one way from a membership to its person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reporters",
        verbose_name=_("principal"),
        help_text=_("Principal reporters report for this principal."),
    )
    person = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership",
        verbose_name=_("person"),
        help_text=_("Who this login is in the programme's directory of people."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=models.Q(role="principal_reporter", principal__isnull=False)
                | (~models.Q(role="principal_reporter") & models.Q(principal__isnull=True)),
                name="membership_principal_iff_reporter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    def clean(self) -> None:
        if self.role == Role.PRINCIPAL_REPORTER and not self.principal_id:
            raise ValidationError({"principal": _("A principal reporter needs a principal.")})
        if self.role != Role.PRINCIPAL_REPORTER and self.principal_id:
            raise ValidationError({"principal": _("Only principal reporters have a principal.")})
        if self.principal and self.tenant_id and self.principal.tenant_id != self.tenant_id:
            raise ValidationError({"principal": _("The principal belongs to another programme.")})
        if self.person and self.tenant_id and self.person.tenant_id != self.tenant_id:
            raise ValidationError({"person": _("The person belongs to another programme.")})


class AuditEvent(models.Model):
    """One write: who did what to which object, with the state before and after."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def changes(self) -> dict[str, tuple[Any, Any]]:
        before = self.before or {}
        after = self.after or {}
        return {
            key: (before.get(key), after.get(key))
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        }


# Generated documents ------------------------------------------------------------


class GeneratedFileStatus(models.TextChoices):
    QUEUED = "i_ko", _("Queued")
    RUNNING = "pagar", _("In progress")
    DONE = "klar", _("Done")
    FAILED = "misslyckad", _("Failed")


ACTIVE_FILE_STATUSES = (GeneratedFileStatus.QUEUED, GeneratedFileStatus.RUNNING)


def generated_file_path(instance: GeneratedFile, filename: str) -> str:
    """generated/<programme>/<kind>/<job>-<attempt>/<filename>: one folder per
    attempt, so a late duplicate of a job can never overwrite the file another
    attempt finished."""
    folder = f"{instance.pk}-{instance.attempts}"
    return f"generated/{instance.tenant_id}/{instance.kind}/{folder}/{filename}"


class GeneratedFile(TenantOwned):
    """A document rendered by a Celery worker (a PDF of minutes, a status
    report, a principal snapshot) and the state of the job that renders it.

    The file lives under MEDIA_ROOT and is only ever handed out by the
    permission-checked download view. `audience` is the permission rule a
    reader needs for what was rendered (draft minutes: process leaders only),
    fixed when the content is rendered, so a draft's PDF stays a draft's PDF
    after the minutes are approved.
    """

    kind = models.CharField(_("kind"), max_length=50)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("content_type", "object_id")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GeneratedFileStatus.choices,
        default=GeneratedFileStatus.QUEUED,
    )
    audience = models.CharField(max_length=100)
    error_message = models.CharField(_("error"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=generated_file_path, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    # A sealed PDF (portal/documents/seals.py): what it holds, as its kind records it
    # (minutes: the version number); the identity of its seal (SHA-256 of the
    # signature value, unique to this one file); and the SHA-256 fingerprint
    # of the certificate that made it. Empty: not sealed.
    seal_reference = models.CharField(max_length=100, blank=True)
    seal_signature = models.CharField(max_length=64, blank=True)
    seal_certificate = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        indexes = [
            models.Index(fields=["tenant", "kind", "object_id"], name="generatedfile_object"),
            models.Index(fields=["status", "queued_at"], name="generatedfile_status"),
            # The check of an uploaded copy finds its file by its seal.
            models.Index(fields=["tenant", "seal_signature"], name="generatedfile_seal"),
        ]
        constraints = [
            # One job at a time per document: a double click, or two people
            # asking at once, share the job instead of rendering twice.
            models.UniqueConstraint(
                fields=["tenant", "kind", "content_type", "object_id"],
                condition=models.Q(status__in=["i_ko", "pagar"]),
                name="generatedfile_one_active_job",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_FILE_STATUSES


# The programme's statements (issue 16, items 4 and 5) -------------------------------

# Where anyone may report to the supervisory authority a shortcoming that the
# programme did not remedy (lagen om tillgänglighet till digital offentlig service).
DIGG_REPORT_URL = "https://www.digg.se/om-oss/kontakta-oss/anmal-bristande-tillganglighet"


class ComplianceStatus(models.TextChoices):
    """DIGG's own words for how far the service meets the requirements."""

    FULL = "helt", _("fully compliant")
    PARTIAL = "delvis", _("partially compliant")
    NONE = "inte", _("not compliant")


class AssessmentMethod(models.TextChoices):
    SELF = "egen", _("self-assessment")
    EXTERNAL = "extern", _("assessment by a third party")


class ShortcomingReason(models.TextChoices):
    """Why content is not accessible, as DIGG's model statement sorts it."""

    NON_COMPLIANCE = "bristande_forenlighet", _("non-compliance with the requirements")
    BURDEN = "oskaligt_betungande", _("disproportionate burden")
    OUT_OF_SCOPE = "utanfor_lagen", _("outside the scope of the Act")


SHORTCOMING_KEYS = ("description", "reason", "explanation", "planned_fix")


class AccessibilityStatement(TenantOwned, Versioned):
    """The programme's accessibility statement (tillgänglighetsredogörelse)
    with DIGG's mandatory content. A programme without one shows the
    portal's own statement as the default (`portal.statements`).

    `shortcomings` is a list of {description, reason, explanation,
    planned_fix}: edited, versioned and audited with the statement as one."""

    organisation = models.CharField(_("responsible organisation"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    compliance = models.CharField(
        _("compliance status"),
        max_length=10,
        choices=ComplianceStatus.choices,
        default=ComplianceStatus.PARTIAL,
    )
    shortcomings = models.JSONField(_("known shortcomings"), default=list, blank=True)
    assessment_method = models.CharField(
        _("how it was assessed"),
        max_length=10,
        choices=AssessmentMethod.choices,
        default=AssessmentMethod.SELF,
    )
    assessed_on = models.DateField(_("assessed on"))
    assessment_description = models.TextField(_("how the assessment was made"), blank=True)
    updated_on = models.DateField(_("statement last updated"))

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="accessibilitystatement_one"),
        ]

    def __str__(self) -> str:
        return str(_("Accessibility statement"))

    def clean(self) -> None:
        if not self.contact_email and not self.contact_phone:
            raise ValidationError(
                {"contact_email": _("Give an e-mail address or a phone number to contact.")}
            )
        if not isinstance(self.shortcomings, list) or not all(
            isinstance(item, dict)
            and set(item) <= set(SHORTCOMING_KEYS)
            and str(item.get("description", "")).strip()
            and item.get("reason") in ShortcomingReason.values
            for item in self.shortcomings
        ):
            raise ValidationError(
                {"shortcomings": _("Each shortcoming needs a description and a reason.")}
            )


class AccessibilityFeedback(TenantOwned):
    """A message sent through the statement's feedback form, by anyone,
    without a login. Kept for the record; mailed to the programme's
    administrators (`notified_at`: when that mail went)."""

    name = models.CharField(_("your name"), max_length=200, blank=True)
    email = models.EmailField(_("your e-mail"), blank=True)
    page = models.CharField(_("the page it concerns"), max_length=500, blank=True)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.message[:40]}"


validate_org_number = RegexValidator(
    r"^\d{6}-\d{4}$", _("An organisation number has the form 212000-0000.")
)


class PrivacyStatement(TenantOwned, Versioned):
    """Who is responsible for the programme's personal data: the controller
    (personuppgiftsansvarig) and its data protection officer, named on the
    privacy notice."""

    controller_name = models.CharField(_("controller"), max_length=200)
    controller_org_number = models.CharField(
        _("organisation number"), max_length=11, blank=True, validators=[validate_org_number]
    )
    controller_email = models.EmailField(_("controller's e-mail"), blank=True)
    controller_phone = models.CharField(_("controller's phone"), max_length=40, blank=True)
    controller_address = models.CharField(
        _("controller's postal address"), max_length=300, blank=True
    )
    dpo_name = models.CharField(_("data protection officer"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("data protection officer's e-mail"), blank=True)
    dpo_phone = models.CharField(_("data protection officer's phone"), max_length=40, blank=True)
    # Empty: the installation's default (setting CLEAR_DEPARTED_CONTACTS_AFTER_DAYS).
    clear_contacts_after_days = models.PositiveIntegerField(
        _("clear the contact details of people who left after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text=_(
            "The work e-mail and phone of a person who has left the programme are removed "
            "this many days after they were archived. Their name stays in minutes and "
            "decisions. Leave empty for the portal's default."
        ),
    )

    class Meta:
        verbose_name = _("privacy details")
        verbose_name_plural = _("privacy details")
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="privacystatement_one"),
        ]

    def __str__(self) -> str:
        return self.controller_name

    @property
    def contacts_cleared_after_days(self) -> int:
        """The programme's period, or the installation's where it sets none
        (`portal.departures`)."""
        if self.clear_contacts_after_days is not None:
            return self.clear_contacts_after_days
        return int(getattr(settings, "CLEAR_DEPARTED_CONTACTS_AFTER_DAYS", 365))

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.controller_email and not self.controller_phone:
            errors["controller_email"] = _(
                "Give an e-mail address or a phone number for the controller."
            )
        if not self.dpo_email and not self.dpo_phone:
            errors["dpo_email"] = _(
                "Give an e-mail address or a phone number for the data protection officer."
            )
        if errors:
            raise ValidationError(errors)
