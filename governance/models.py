"""Governance: bodies and their members over time, meetings with agenda,
attendance and minutes, decisions, action items, risks and status reports."""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager
from django_scopes.manager import DisabledQuerySet

from portal.models import Archivable, Person, Principal, TenantOwned, Versioned
from portal.uploads import IMAGE_TYPES, PDF_TYPE, random_file_path

# Revision drafts -----------------------------------------------------------------

_ScopedManager = type(ScopedManager(tenant="tenant"))


class ApprovedRowsManager(_ScopedManager):  # type: ignore[misc,valid-type]
    """The default manager of the minutes' rows: a revision's draft rows are
    left out, so every read (registers, search, feeds, dashboards, exports,
    the API, PDFs) sees the minutes as last approved. The editors of a
    revision reach its draft rows through `all_rows` (see `minutes_rows`)."""

    def get_queryset(self) -> models.QuerySet[Any]:
        qs = super().get_queryset()
        if isinstance(qs, DisabledQuerySet):
            return qs  # no scope: it raises on use, as every scoped query does
        return qs.filter(revision_draft=False)


class RevisionDraftable(models.Model):
    """A row of a meeting's minutes (agenda item, decision, assignment,
    attendance). When approved minutes are revised, each such row is copied
    into a draft (`revision_draft`, `draft_of` the approved row) that the
    process leaders edit while the approved row stays as it was; approving the
    revision writes the drafts back (`governance.services.revisions`)."""

    revision_draft = models.BooleanField(default=False, editable=False, db_index=True)
    draft_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )

    objects = ApprovedRowsManager()
    all_rows = ScopedManager(tenant="tenant")

    class Meta:
        abstract = True


# Diary numbers and secrecy (issue 16) ------------------------------------------------

DIARY_NUMBER_MAX_LENGTH = 40


def diary_number_field() -> models.CharField[str, str]:
    """A record's diary number (diarienummer) in the registry of the
    organisation that keeps it: free format ("RS 2026/1234", "KS-2026.017"),
    checked lightly (length, and letters, digits, spaces and . : / - ( ) only)."""
    return models.CharField(
        _("diary number (diarienummer)"),
        max_length=DIARY_NUMBER_MAX_LENGTH,
        blank=True,
        validators=[
            RegexValidator(
                r"^[^\W_][\w .:/()\-–]*$",
                _(
                    "A diary number has letters, digits, spaces and . : / - ( ) only, "
                    "and starts with a letter or digit, e.g. “RS 2026/1234”."
                ),
                code="diary_number",
            )
        ],
        help_text=_("Optional, as the registry (registratur) gave it, e.g. “RS 2026/1234”."),
    )


class Secrecy(models.Model):
    """A meeting document or an agenda item under secrecy (sekretess): only
    the members of the meeting's bodies and the process leaders read it
    (`governance.read_secret`); everyone and everything else (notices, PDFs,
    the public site, research exports) shows "Sekretessbelagd handling" with
    the provision of the Public Access to Information and Secrecy Act (OSL)."""

    secret = models.BooleanField(
        _("secret (sekretess)"),
        default=False,
        help_text=_(
            "Only the members of the meeting's body and the process leaders can read it; "
            "everyone else sees “Sekretessbelagd handling”."
        ),
    )
    secrecy_reference = models.CharField(
        _("secrecy provision (OSL)"),
        max_length=100,
        blank=True,
        help_text=_("The provision of the secrecy act, e.g. “OSL 21 kap. 1 §”."),
    )

    class Meta:
        abstract = True

    @property
    def is_secret(self) -> bool:
        return self.secret

    @property
    def secrecy_provision(self) -> str:
        return self.secrecy_reference if self.secret else ""

    def clean_secrecy(self) -> None:
        if self.secret and not self.secrecy_reference.strip():
            raise ValidationError(
                {
                    "secrecy_reference": _(
                        "Give the provision of the secrecy act (OSL) that makes it secret."
                    )
                }
            )
        if not self.secret and self.secrecy_reference.strip():
            raise ValidationError(
                {"secrecy_reference": _("A provision of the secrecy act is only for a secret one.")}
            )


# Bodies -------------------------------------------------------------------------


class BodyKind(models.TextChoices):
    STEERING_GROUP = "styrgrupp", _("Steering group")
    COUNTY_STEERING_GROUP = "lansstyrgrupp", _("County steering group")
    SCHOOL_HEADS_NETWORK = "skolchefsnatverk", _("School heads' network")
    WORKING_GROUP = "arbetsgrupp", _("Working group")
    PRESIDIUM = "presidium", _("Presidium")
    CROSS_GROUP = "tvargrupp", _("Cross-sector group")
    REFERENCE_GROUP = "referensgrupp", _("Reference group")
    PREPARATORY_GROUP = "beredningsgrupp", _("Preparatory group")
    OTHER = "annan", pgettext_lazy("body kind", "Other")


class Body(TenantOwned, Archivable, Versioned):
    """A governing body (styrgrupp, arbetsgrupp, …)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    code = models.CharField(
        _("abbreviation"),
        max_length=12,
        help_text=_("Used in decision numbers, e.g. SG in “SG 2025 §12”."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="body_unique_code"),
            models.UniqueConstraint(fields=["tenant", "name"], name="body_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class BodyRole(models.TextChoices):
    CHAIR = "ordforande", _("Chair")
    VICE_CHAIR = "vice_ordforande", _("Vice chair")
    MEMBER = "ledamot", _("Member")
    DEPUTY = "ersattare", _("Deputy")
    PROCESS_LEADER = "processledare", _("Process leader")
    SECRETARY = "sekreterare", _("Secretary")
    RESEARCHER = "foljeforskare", _("Accompanying researcher")
    COMMUNICATOR = "kommunikator", _("Communicator")
    CO_OPTED = "adjungerad", _("Co-opted")


class BodyMember(TenantOwned):
    """A person's seat in a body for a period. A new chair is a new period."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="seats", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=BodyRole.choices)
    represents_principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represents principal"),
    )
    represents_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represents body"),
        help_text=_("E.g. “rep. Skolchefsnätverket”."),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["body", "start_date", "id"]
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="bodymember_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.body})"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The period cannot end before it starts.")})

    def is_current(self, on: datetime.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


# Meetings -----------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    REGULAR = "ordinarie", _("Regular meeting")
    PLANNING_DAY = "planeringsdag", _("Planning day")
    JOINT = "gemensamt", _("Joint meeting")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webbinarium", _("Webinar")
    EXTRA = "extra", _("Extra meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planerat", _("Planned")
    HELD = "genomfort", _("Held")
    CANCELLED = "installt", _("Cancelled")


class RecordType(models.TextChoices):
    NOTES = "minnesanteckningar", _("Notes")
    PROTOCOL = "protokoll", _("Formal minutes")


class MinutesStatus(models.TextChoices):
    DRAFT = "utkast", _("Draft")
    FINISHED = "fardigstalld", _("Finished")
    APPROVED = "justerad", _("Approved")


class Meeting(TenantOwned, Archivable):
    """A meeting of one body, or a joint meeting of several.

    `version` is the optimistic lock of the minutes: every save of the meeting's
    minutes (any agenda item's text included) must name the version it started
    from, and a stale one is refused.
    """

    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("body"),
        help_text=_("The convening body; its decisions are numbered in its series."),
    )
    joint_bodies = models.ManyToManyField(
        Body, blank=True, related_name="joint_meetings", verbose_name=_("together with")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(
        _("date without times"),
        default=False,
        help_text=_("The meeting has a date but no times (e.g. a planning day)."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("link for online participation"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancelled_reason = models.TextField(_("reason for cancellation"), blank=True)
    record_type = models.CharField(
        _("record"), max_length=20, choices=RecordType.choices, default=RecordType.NOTES
    )
    note_taker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("note-taker"),
    )
    adjusters = models.ManyToManyField(
        Person,
        blank=True,
        related_name="meetings_to_approve",
        verbose_name=_("appointed to approve the minutes (justerare)"),
    )
    minutes_status = models.CharField(
        _("minutes"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    revision_reason = models.TextField(_("reason for changing the approved minutes"), blank=True)
    revising = models.BooleanField(
        default=False,
        editable=False,
        help_text="Approved minutes are being revised: their rows are edited as drafts.",
    )
    revision_facts = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Facts of the meeting changed in a revision, applied when it is approved.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # Entered from an earlier record (issue 14): the meeting was imported from
    # a file of old minutes, which were approved (justerade) on paper.
    imported = models.BooleanField(_("imported"), default=False, editable=False)
    approved_in_original = models.BooleanField(
        _("approved in the original"), default=False, editable=False
    )
    diary_number = diary_number_field()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["tenant", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        kind = self.get_kind_display()
        head = self.title or f"{self.body.name}, {kind.lower()}"
        # The programme's (Swedish) day: from the database the time is UTC,
        # and a meeting without times starts at local midnight.
        return f"{head} {timezone.localdate(self.starts_at):%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        return self.minutes_status == MinutesStatus.APPROVED

    def recorded_at(self, now: datetime.datetime | None = None) -> datetime.datetime:
        """When what is recorded at this meeting happened: now, for a meeting
        held today or later; its start, for one held on an earlier day (its
        minutes entered afterwards). Assignments given and status changes made
        at a meeting are dated so; the audit log keeps when they were entered."""
        now = now or timezone.now()
        if timezone.localdate(self.starts_at) < timezone.localdate(now):
            return self.starts_at
        return now

    def with_revision_facts(self) -> Meeting:
        """A copy of the meeting as its revision has it: the facts changed in
        the revision (`revision_facts`) in place of the approved ones. For the
        revision's editors only; nothing is saved."""
        if not self.revision_facts:
            return self
        revised = copy.copy(self)
        revised._state = copy.copy(self._state)
        revised._state.fields_cache = {}
        for name, value in self.revision_facts.items():
            field = self._meta.get_field(name)
            python = None if value is None else field.to_python(value)  # type: ignore[union-attr]
            setattr(revised, field.attname, python)  # type: ignore[union-attr]
        return revised

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})
        if self.status == MeetingStatus.CANCELLED and not self.cancelled_reason.strip():
            raise ValidationError({"cancelled_reason": _("Say why the meeting is cancelled.")})


class MinutesVersion(TenantOwned):
    """A frozen copy of the minutes as approved. Each approval adds one; a
    change after approval is made in a revision that is approved again, so
    every approved text stays readable."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    reason = models.TextField(_("reason for the change"), blank=True)
    content = models.JSONField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_by_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutesversion_unique"),
        ]


class SignatureMethod(models.TextChoices):
    PASSWORD = "password", _("Password entered again")
    TOTP = "totp", _("Code from an authenticator app")
    RECENT_LOGIN = "recent_login", _("Logged in moments before")
    PAPER = "paper", _("Signed on paper, recorded by a process leader")


class SignatoryRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    ADJUSTER = "adjuster", _("Justerare")


class MinutesSignature(TenantOwned):
    """One signatory's justering of one round of finished minutes: who, as
    whom, when and how, and the exact text signed (`content_hash` of
    `minutes_content`, and the meeting's `version`). A signature counts only
    while the minutes are the text signed: any change voids it (`voided_at`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="signatures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=SignatoryRole.choices)
    signed_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=SignatureMethod.choices)
    round_started_at = models.DateTimeField(help_text="The finishing the signature belongs to.")
    meeting_version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(voided_at__isnull=True),
                name="minutessignature_one_valid_per_person",
            ),
        ]


class MinutesComment(TenantOwned):
    """A signatory's comment when returning minutes instead of signing them:
    on one agenda item, or on the minutes in general (no item)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_comments")
    agenda_item = models.ForeignKey(
        "AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "created_at", "id"]


class SigningNoticeKind(models.TextChoices):
    REQUEST = "request", "request"
    REMINDER = "reminder", "reminder"


class MinutesSigningNotice(TenantOwned):
    """An e-mail asking a signatory to sign one round of the minutes: the
    request when they were finished, and at most one reminder per round."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    round_started_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=SigningNoticeKind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "round_started_at", "kind"],
                name="minutessigningnotice_once_per_round",
            ),
        ]


class AgendaItemKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DIALOGUE = "dialog", _("Dialogue")
    DECISION = "beslut", _("Decision")
    FOLLOW_UP = "uppfoljning", _("Follow-up")
    OTHER = "ovrigt", pgettext_lazy("agenda item kind", "Other")


class AgendaItem(RevisionDraftable, TenantOwned, Secrecy):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.INFORMATION
    )
    presenters = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("presented by")
    )
    minutes = models.TextField(
        _("minutes"),
        blank=True,
        help_text=_(
            "Markdown: # heading, “- ” a list (indented for a sub-list), **bold**, "
            "*italic* and [text](https://…) a link."
        ),
    )
    follow_up_actions: models.ManyToManyField[ActionItem, Any] = models.ManyToManyField(
        "ActionItem",
        blank=True,
        related_name="followed_up_at",
        verbose_name=_("assignments followed up"),
        help_text=_("The body's open assignments, carried here when the meeting was planned."),
    )
    version = models.PositiveIntegerField(default=1)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def clean(self) -> None:
        self.clean_secrecy()


class AttendanceStatus(models.TextChoices):
    PRESENT = "narvarande", _("Present")
    ABSENT = "franvarande", _("Absent")
    SUBSTITUTE = "ersatter", _("Substitute")
    GUEST = "ovrig", _("Other / guest")


class Attendance(RevisionDraftable, TenantOwned, Versioned):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    replaces = models.ManyToManyField(
        Person, blank=True, related_name="replaced_by", verbose_name=_("replaces")
    )
    represents_principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represents"),
    )
    represents_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represents body"),
        help_text=_("A network or group the person speaks for, e.g. “rep. Skolchefsnätverket”."),
    )
    role_note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("E.g. “chair”, “communicator”.")
    )
    prefilled = models.BooleanField(
        default=False,
        editable=False,
        help_text="Pre-filled from the body's members and not yet set one by one: "
        "“mark the others” changes these rows.",
    )
    from_reply = models.BooleanField(
        default=False,
        editable=False,
        help_text="Set from the members' replies to the notice (kallelse) and not by hand: "
        "a later reply changes it, “mark the others” does not.",
    )

    class Meta:
        ordering = ["meeting", "status", "person__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "revision_draft"], name="attendance_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"


# Decisions and action items -----------------------------------------------------


class DecisionStatus(models.TextChoices):
    IN_FORCE = "gallande", _("In force")
    REPEALED = "upphavd", _("Repealed / replaced")


class Decision(RevisionDraftable, TenantOwned, Versioned):
    """“Styrgruppen beslutar …”, numbered per body and year: “SG 2025 §12”."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    text = models.TextField(_("decision"))
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.IN_FORCE
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    decided_on = models.DateField(_("date"))
    diary_number = diary_number_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number", "revision_draft"],
                name="decision_unique_number",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.body.code} {self.year} §{self.number}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "ej_paborjad", _("Not started")
    IN_PROGRESS = "pagar", _("In progress")
    DONE = "klar", _("Done")
    REPORTED = "aterrapporterad", _("Reported back")


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class ActionItem(RevisionDraftable, TenantOwned, Archivable, Versioned):
    """“… får i uppdrag att …”, “till nästa möte ska …”."""

    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="action_items",
        help_text=_("Followed up at this body's meetings."),
    )
    description = models.TextField(_("assignment"))
    owner_people = models.ManyToManyField(
        Person, blank=True, related_name="action_items", verbose_name=_("owners (people)")
    )
    owner_principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner (principal)"),
    )
    owner_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_action_items",
        verbose_name=_("owner (body)"),
    )
    owner_all = models.BooleanField(_("all organisations"), default=False)
    due_date = models.DateField(_("due"), null=True, blank=True)
    due_next_meeting = models.BooleanField(_("by the next meeting"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    given_at = models.DateTimeField(
        _("given"),
        default=timezone.now,
        help_text=_("When the assignment was given: the meeting's time when given at one."),
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def clean(self) -> None:
        if self.due_date and self.due_next_meeting:
            raise ValidationError(
                {"due_date": _("Give a due date or “by the next meeting”, not both.")}
            )


class ActionStatusChange(TenantOwned):
    """Every status change of an action item, for follow-up and research."""

    action_item = models.ForeignKey(
        ActionItem, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    # When the change took effect: when it was made, or the meeting's time
    # when recorded for a meeting held earlier (the audit log has the entry).
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]


class ActionAnswer(TenantOwned, Versioned):
    """A principal's answer to an assignment (återkoppling): what it has done,
    written by one of its reporters (or a process leader on its behalf) on its
    dashboard. An assignment to "alla organisationer", or to people of several
    principals, gets one answer per principal; the follow-up item of the
    body's next meeting lists them and the principals that have not answered
    (`governance.selectors.report_back`). Edited in place (optimistic lock,
    audited); never deleted."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="answers")
    principal = models.ForeignKey(
        Principal,
        on_delete=models.PROTECT,
        related_name="action_answers",
        verbose_name=_("principal"),
    )
    text = models.TextField(_("answer"))
    done = models.BooleanField(
        _("done"), default=False, help_text=_("The principal has done what was asked.")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["principal__name", "id"]
        verbose_name = _("answer to an assignment")
        verbose_name_plural = _("answers to assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["action_item", "principal"], name="actionanswer_one_per_principal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal}: {self.text[:60]}"


class ActionReminder(TenantOwned):
    """A reminder e-mailed to a principal's reporters that it has not answered
    an assignment before the body's next meeting: one per principal,
    assignment and meeting (the unique row makes sending idempotent)."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="+")
    principal = models.ForeignKey(Principal, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_item", "principal", "meeting"],
                name="actionreminder_once_per_meeting",
            ),
        ]


# Risks --------------------------------------------------------------------------


class RiskCategory(models.TextChoices):
    FUNDING = "finansiering", _("Funding")
    ORGANISATION = "organisation", _("Organisation")
    ANCHORING = "forankring", _("Anchoring")
    RESOURCES = "resurser", _("Resources")
    COLLABORATION = "samverkan", _("Collaboration")
    OTHER = "annan", pgettext_lazy("risk category", "Other")


class RiskStatus(models.TextChoices):
    IDENTIFIED = "identifierad", _("Identified")
    MANAGED = "hanteras", _("Being managed")
    OCCURRED = "intraffad", _("Occurred")
    CLOSED = "stangd", _("Closed")


SCALE = [MinValueValidator(1), MaxValueValidator(4)]


class Risk(TenantOwned, Archivable, Versioned):
    title = models.CharField(_("risk"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–4)"), validators=SCALE)
    consequence = models.PositiveSmallIntegerField(_("consequence (1–4)"), validators=SCALE)
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("owner"),
    )
    mitigation = models.TextField(_("mitigation (åtgärd)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.IDENTIFIED
    )
    raised_at = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("raised at"),
    )
    raised_on = models.DateField(
        _("raised"),
        default=timezone.localdate,
        help_text=_("The day the risk was raised: the meeting's day when raised at one."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence


class RiskReview(TenantOwned):
    """A dated review of a risk. Reviews are added, never edited."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("date"))
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–4)"), validators=SCALE)
    consequence = models.PositiveSmallIntegerField(_("consequence (1–4)"), validators=SCALE)
    status = models.CharField(_("status"), max_length=20, choices=RiskStatus.choices)
    note = models.TextField(_("assessment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["risk", "-reviewed_on", "-id"]
        verbose_name = _("risk review")
        verbose_name_plural = _("risk reviews")


# Status reports -----------------------------------------------------------------


class GutFeeling(models.TextChoices):
    POSITIVE = "positiv", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    WORRYING = "oroande", _("Worrying")


class ReportStatus(models.TextChoices):
    DRAFT = "utkast", _("Draft")
    FINISHED = "fardigstalld", _("Finished")


class StatusReport(TenantOwned, Archivable, Versioned):
    """The process leaders' monthly status report (statusrapport / lägesrapport)."""

    period = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    authors = models.ManyToManyField(
        Person, related_name="status_reports", verbose_name=_("authors")
    )
    results = models.TextField(_("results"), blank=True)
    gut_feeling = models.CharField(
        _("gut feeling"), max_length=20, choices=GutFeeling.choices, default=GutFeeling.NEUTRAL
    )
    gut_feeling_text = models.TextField(_("about the gut feeling"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    risk_reviews = models.ManyToManyField(
        RiskReview, blank=True, related_name="status_reports", verbose_name=_("risks reviewed")
    )
    presented_at = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_reports",
        verbose_name=_("presented at"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    risk_matrix = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The risk matrix as of the report's month, frozen when it was finished.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m}"


class ReportActivity(TenantOwned):
    """What the process leaders did with one principal during the month."""

    report = models.ForeignKey(StatusReport, on_delete=models.PROTECT, related_name="activities")
    principal = models.ForeignKey(
        Principal, on_delete=models.PROTECT, related_name="+", verbose_name=_("principal")
    )
    description = models.TextField(_("activities"))

    class Meta:
        ordering = ["report", "principal__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "principal"], name="reportactivity_unique_principal"
            ),
        ]


# Meeting documents (handlingar) ----------------------------------------------------


def meeting_document_path(instance: MeetingDocumentFile, filename: str) -> str:
    """A random name under the programme's and meeting's folder: the user's
    file name is kept in the database only, never used as a path."""
    return random_file_path(
        f"governance/{instance.tenant_id}/meetings/{instance.document.meeting_id}", filename
    )


class MeetingDocument(TenantOwned, Archivable, Versioned, Secrecy):
    """A meeting document (handling), to the whole meeting or to one of its
    agenda items, with every file uploaded for it (`files`: replacing the
    file adds a version, the earlier ones stay).

    Process leaders see a document at once; the programme's other members
    once it is shared (`shared_at`): by "Dela handlingarna", by the notice
    (kallelse), and at the latest when the minutes are finished. Downloaded
    through permission-checked views only. Archived, never deleted.

    `agenda_item` is the approved row of an item (a revision's draft of it
    is found through `draft_of`), or an item added in a revision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=200)
    diary_number = diary_number_field()
    show_in_minutes = models.BooleanField(
        _("show in the minutes"),
        default=False,
        help_text=_(
            "An image under an agenda item is shown in the minutes: on the page and in the PDF."
        ),
    )
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True, editable=False)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.clean_secrecy()

    @property
    def is_secret(self) -> bool:
        """Secret itself, or filed under a secret agenda item."""
        item = self.agenda_item if self.agenda_item_id else None
        return self.secret or bool(item is not None and item.secret)

    @property
    def secrecy_provision(self) -> str:
        if self.secret:
            return self.secrecy_reference
        item = self.agenda_item if self.agenda_item_id else None
        return item.secrecy_reference if item is not None and item.secret else ""

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @property
    def current_file(self) -> MeetingDocumentFile | None:
        """The newest version (from the prefetched `files` when there are)."""
        files = list(self.files.all())
        return max(files, key=lambda f: f.number) if files else None

    @property
    def is_inline_image(self) -> bool:
        """Shown in the minutes: an image under an agenda item, so marked."""
        current = self.current_file
        return bool(
            self.show_in_minutes
            and self.agenda_item_id
            and current is not None
            and current.is_image
        )


class MeetingDocumentFile(TenantOwned):
    """One version of a meeting document's file. Never changed or deleted."""

    document = models.ForeignKey(MeetingDocument, on_delete=models.PROTECT, related_name="files")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=meeting_document_path, max_length=300)
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
        ordering = ["document", "number"]
        verbose_name = _("meeting document file")
        verbose_name_plural = _("meeting document files")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="meetingdocumentfile_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES

    @property
    def is_pdf(self) -> bool:
        return self.content_type == PDF_TYPE


# Programme events ---------------------------------------------------------------


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webbinarium", _("Webinar")
    INFORMATION = "informationsmote", _("Information meeting")
    CONFERENCE = "konferens", _("Conference")
    OTHER = "annat", pgettext_lazy("event kind", "Other")


class EventStatus(models.TextChoices):
    PLANNED = "planerat", _("Planned")
    CANCELLED = "installt", _("Cancelled")


class ProgrammeEvent(TenantOwned, Archivable, Versioned):
    """A workshop, webinar or information meeting of the programme as a whole
    rather than of a body: a date (with times or without), a place or a link
    and a description, but no roster, agenda or minutes. Members see them
    beside the meetings (calendar feeds, the dashboard); process leaders plan,
    change, cancel and archive them."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.WORKSHOP
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(_("date without times"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("link for online participation"), blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "Markdown: # heading, “- ” a list (indented for a sub-list), **bold**, "
            "*italic* and [text](https://…) a link."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    cancelled_reason = models.TextField(_("reason for cancellation"), blank=True)
    public = models.BooleanField(
        _("on the public site"),
        default=False,
        help_text=_("Shown with its link on the programme's public site, when the site is on."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("programme event")
        verbose_name_plural = _("programme events")
        indexes = [models.Index(fields=["tenant", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return f"{self.title} {timezone.localdate(self.starts_at):%Y-%m-%d}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event cannot end before it starts.")})
        if self.status == EventStatus.CANCELLED and not self.cancelled_reason.strip():
            raise ValidationError({"cancelled_reason": _("Say why the event is cancelled.")})


# Notice (kallelse) and replies -----------------------------------------------------


class NoticeKind(models.TextChoices):
    NOTICE = "kallelse", _("Notice")
    CHANGED = "andrad", _("Changed notice")
    CANCELLATION = "installd", _("Cancellation")


class MeetingNotice(TenantOwned):
    """A notice (kallelse) of a meeting as sent: its kind, who sent it when,
    the meeting's facts it stated (`facts`, to tell when the meeting has
    changed since) and each recipient (`recipients`, with whether the mail
    went). Never changed but for the recipients' delivery; never deleted."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    message = models.TextField(_("message to the recipients"), blank=True)
    facts = models.JSONField(default=dict, editable=False)
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        ordering = ["meeting", "sent_at", "id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.meeting}"


class MeetingNoticeRecipient(TenantOwned):
    """One recipient of a notice: the address it went to, and whether it was
    mailed (the task mails only those not mailed yet, so a retry sends no copy)."""

    notice = models.ForeignKey(MeetingNotice, on_delete=models.PROTECT, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(_("e-mail"))
    mailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)
    error = models.CharField(_("delivery error"), max_length=300, blank=True)

    class Meta:
        ordering = ["notice", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "person"], name="meetingnoticerecipient_unique"
            ),
        ]


class ReplyAnswer(models.TextChoices):
    COMING = "kommer", _("Coming")
    REGRETS = "forhinder", _("Unable to attend")


class MeetingReply(TenantOwned):
    """A member's answer to the notice: coming, or unable to attend
    (förhinder), then optionally naming a substitute (ersättare). One per
    member and meeting; a later answer replaces it (the audit log keeps each)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="replies")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=20, choices=ReplyAnswer.choices)
    substitute = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("substitute"),
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The login that answered; empty when answered through the e-mail link.",
    )
    via_link = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "person__name"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meetingreply_unique"),
            models.CheckConstraint(
                condition=Q(substitute__isnull=True) | Q(answer="forhinder"),
                name="meetingreply_substitute_only_when_away",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_answer_display()})"


# Calendar -----------------------------------------------------------------------


class CalendarFeed(TenantOwned):
    """A secret, revocable ICS feed URL for the programme's meetings."""

    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


def minutes_rows[M: RevisionDraftable](model: type[M], meeting: Meeting) -> models.QuerySet[M]:
    """The `model` rows that the editors of `meeting`'s minutes work on: while
    approved minutes are revised, the revision's drafts; otherwise the rows
    themselves. The caller filters them to the meeting."""
    return model.all_rows.filter(revision_draft=meeting.revising)


# Imported minutes (issue 14) ------------------------------------------------------


def import_file_path(instance: ImportedFile, filename: str) -> str:
    return random_file_path(f"governance/{instance.tenant_id}/imports", filename)


class MinutesImport(TenantOwned):
    """One upload of old minutes by a process leader: a file, or a .zip of
    many. Each file is read by a background job into a proposal
    (`ImportedFile`), reviewed, and confirmed on its own; nothing reaches the
    programme before that."""

    name = models.CharField(_("file name"), max_length=255)
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("body"),
        help_text=_("Whose minutes these are, when the files do not say."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import of minutes")
        verbose_name_plural = _("imports of minutes")

    def __str__(self) -> str:
        return self.name


class ImportState(models.TextChoices):
    REVIEW = "granskas", _("To review")
    CONFIRMED = "bekraftad", _("Imported")
    SKIPPED = "hoppas_over", _("Skipped")
    UNDONE = "angrad", _("Undone")


class ImportedFile(TenantOwned, Versioned):
    """One file of an import: the original as uploaded (kept, and the
    meeting's source document once confirmed), what reading it proposed and
    the process leader's review of that (`proposal`, the documented JSON
    shape with the review's choices), and what confirming wrote (`written`:
    the ids, for undoing while nobody has changed them)."""

    upload = models.ForeignKey(MinutesImport, on_delete=models.PROTECT, related_name="files")
    position = models.PositiveIntegerField(default=1)
    original = models.FileField(upload_to=import_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    state = models.CharField(
        _("state"), max_length=20, choices=ImportState.choices, default=ImportState.REVIEW
    )
    proposal = models.JSONField(null=True, blank=True, editable=False)
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_source",
        verbose_name=_("meeting"),
    )
    written = models.JSONField(default=dict, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("imported"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["upload", "position", "id"]
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")

    def __str__(self) -> str:
        return self.original_name
