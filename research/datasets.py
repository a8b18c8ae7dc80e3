"""The research datasets, defined once and used by every way out: the zipped
CSV, the XLSX, the Frictionless data package, the streamed CSV and the JSON API.

Each dataset is a tidy table (one row per observation) with a stable id (the
portal's own id of the row), columns described in Swedish and English, and a
codebook for every enumeration. People appear only as pseudonyms (see
`research.pseudonyms`); columns of free text that can hold names (minutes,
comments, descriptions) are marked `free_text` and left out unless the
researcher explicitly asks for them. Every text cell, in every way out, is
neutralised against formula injection (`portal.spreadsheets`): text that a
spreadsheet program would run (`=…`, `+…`, `-…`, `@…`) starts with a `'`.

What researchers may read elsewhere in the portal bounds what they get here:
finished status reports and the text of finished or approved minutes only
(drafts are for process leaders), approved self-assessments only (unapproved
ones are for the principal and the process leaders), and nothing archived
except principals, operations, bodies and indicators, which say so in a column
(a principal that left the programme is part of its history).
"""

from __future__ import annotations

import builtins
import datetime
import decimal
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.utils import timezone, translation

from governance import models as gov
from governance.selectors.actions import readable_actions
from governance.selectors.decisions import readable_minutes
from implementation import models as impl
from portal.models import Operation, PrincipalKind, Sector, Tenant
from portal.models import Principal as PrincipalModel
from portal.spreadsheets import neutralise, neutralised

# Researchers read the minutes as the steering group does: finished or
# approved, and while approved minutes are revised, the approved ones.
RESEARCH_MINUTES = (gov.MinutesStatus.FINISHED, gov.MinutesStatus.APPROVED)

CHUNK_SIZE = 2000

# Frictionless Table Schema field types.
INTEGER, NUMBER, STRING, DATE, DATETIME, BOOLEAN = (
    "integer",
    "number",
    "string",
    "date",
    "datetime",
    "boolean",
)

Period = tuple[datetime.date | None, datetime.date | None]
PeriodFilter = Callable[[QuerySet[Any], datetime.date | None, datetime.date | None], QuerySet[Any]]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    sv: str
    en: str
    source: str = ""  # a values() path or an annotation of the dataset's queryset
    choices: builtins.type[models.TextChoices] | None = None
    free_text: bool = False
    pseudonym: bool = False  # `source` is a person's id; the column holds its pseudonym

    @property
    def path(self) -> str:
        return self.source or self.name

    def codebook(self) -> list[tuple[str, str, str]]:
        """(code, Swedish label, English label) of every value of an enumeration."""
        if self.choices is None:
            return []
        labels: dict[str, dict[str, str]] = {}
        for language in ("sv", "en"):
            with translation.override(language):
                labels[language] = {str(c.value): str(c.label) for c in self.choices}
        return [(code, labels["sv"][code], labels["en"][code]) for code in labels["en"]]


@dataclass(frozen=True)
class Dataset:
    key: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    base: Callable[[Tenant], QuerySet[Any]]
    columns: tuple[Column, ...]
    period: PeriodFilter | None = None
    period_sv: str = ""
    period_en: str = ""
    annotations: Callable[[], dict[str, Any]] = field(default=dict)

    @property
    def filename(self) -> str:
        return f"{self.key}.csv"

    @property
    def title(self) -> str:
        """The title in the reader's language (the documentation is bilingual)."""
        return self.title_en if translation.get_language() == "en" else self.title_sv

    @property
    def description(self) -> str:
        return self.description_en if translation.get_language() == "en" else self.description_sv

    @property
    def primary_key(self) -> str:
        return self.columns[0].name

    def columns_for(self, *, include_free_text: bool) -> list[Column]:
        return [c for c in self.columns if include_free_text or not c.free_text]

    @property
    def has_free_text(self) -> bool:
        return any(c.free_text for c in self.columns)

    def queryset(self, tenant: Tenant, period: Period = (None, None)) -> QuerySet[Any]:
        """The dataset's rows as a queryset, in the programme, within the period, by id."""
        qs = self.base(tenant).filter(tenant=tenant)
        annotations = self.annotations()
        if annotations:
            qs = qs.annotate(**annotations)
        start, end = period
        if self.period is not None and (start or end):
            qs = self.period(qs, start, end)
        return qs.order_by("pk")

    def values(
        self, tenant: Tenant, *, period: Period = (None, None), include_free_text: bool = False
    ) -> QuerySet[Any]:
        """The raw values of the exported columns (person ids not yet pseudonymised)."""
        columns = self.columns_for(include_free_text=include_free_text)
        return self.queryset(tenant, period).values_list(*[c.path for c in columns])

    def count(self, tenant: Tenant, *, period: Period = (None, None)) -> int:
        return self.queryset(tenant, period).count()


def on(field_path: str) -> PeriodFilter:
    """Rows whose date (`field_path`) is within the period."""

    def apply(
        qs: QuerySet[Any], start: datetime.date | None, end: datetime.date | None
    ) -> QuerySet[Any]:
        if start:
            qs = qs.filter(**{f"{field_path}__gte": start})
        if end:
            qs = qs.filter(**{f"{field_path}__lte": end})
        return qs

    return apply


def overlapping(start_path: str, end_path: str) -> PeriodFilter:
    """Rows whose own period (an open end: still going) overlaps the period."""

    def apply(
        qs: QuerySet[Any], start: datetime.date | None, end: datetime.date | None
    ) -> QuerySet[Any]:
        if end:
            qs = qs.filter(**{f"{start_path}__lte": end})
        if start:
            qs = qs.filter(Q(**{f"{end_path}__isnull": True}) | Q(**{f"{end_path}__gte": start}))
        return qs

    return apply


def _local_date(path: str) -> Callable[[], dict[str, Any]]:
    return lambda: {"local_date": TruncDate(path, tzinfo=timezone.get_current_timezone())}


def _archived(sv: str = "Arkiverad i portalen", en: str = "Archived in the portal") -> Column:
    return Column(
        "archived", BOOLEAN, sv, en, source="is_archived_flag"
    )  # annotated by `_archived_flag`


def _archived_flag() -> dict[str, Any]:
    return {
        "is_archived_flag": models.Case(
            models.When(archived_at__isnull=True, then=Value(False)),
            default=Value(True),
            output_field=models.BooleanField(),
        )
    }


# The datasets ---------------------------------------------------------------------


PRINCIPALS = Dataset(
    key="principals",
    title_sv="Huvudmän",
    title_en="Principals",
    description_sv="Programmets huvudmän (kommuner, region, polis …) med kommunkod.",
    description_en="The programme's principals (municipalities, the Region, police …) "
    "with their municipality code.",
    base=lambda tenant: PrincipalModel.objects.all(),
    annotations=_archived_flag,
    columns=(
        Column("principal_id", INTEGER, "Huvudmannens id", "Id of the principal", source="id"),
        Column("kind", STRING, "Slag av huvudman", "Kind of principal", choices=PrincipalKind),
        Column("name", STRING, "Namn", "Name"),
        Column(
            "municipality_code",
            STRING,
            "Kommunkod (fyra siffror, för kommuner)",
            "Municipality code (four digits, for municipalities)",
        ),
        _archived(),
    ),
)

OPERATIONS = Dataset(
    key="operations",
    title_sv="Verksamheter",
    title_en="Operations",
    description_sv="Huvudmännens verksamheter (skola, socialtjänst …), med huvudmannens kommunkod.",
    description_en="The principals' operations (school, social services …), with the "
    "principal's municipality code.",
    base=lambda tenant: Operation.objects.all(),
    annotations=_archived_flag,
    columns=(
        Column("operation_id", INTEGER, "Verksamhetens id", "Id of the operation", source="id"),
        Column("principal_id", INTEGER, "Huvudmannens id", "Id of the principal"),
        Column(
            "municipality_code",
            STRING,
            "Huvudmannens kommunkod",
            "The principal's municipality code",
            source="principal__municipality_code",
        ),
        Column("sector", STRING, "Verksamhetsområde", "Sector", choices=Sector),
        Column("name", STRING, "Namn", "Name"),
        _archived(),
    ),
)

STAIRCASE_CRITERIA = Dataset(
    key="staircase_criteria",
    title_sv="Implementeringstrappans kriterier",
    title_en="Criteria of the implementation staircase",
    description_sv="Varje version av trappan med steg och kriterier. Nyckeln följer samma "
    "steg och kriterium genom versionerna.",
    description_en="Every version of the staircase with its steps and criteria. The key "
    "follows the same step and criterion across versions.",
    base=lambda tenant: impl.Criterion.objects.all(),
    columns=(
        Column("criterion_id", INTEGER, "Kriteriets id", "Id of the criterion", source="id"),
        Column(
            "criterion_key",
            STRING,
            "Kriteriets nyckel, densamma i alla versioner",
            "Key of the criterion, the same in every version",
            source="key",
        ),
        Column(
            "staircase_version",
            INTEGER,
            "Trappans version",
            "Version of the staircase",
            source="step__staircase__version",
        ),
        Column("step_number", INTEGER, "Steg", "Step", source="step__number"),
        Column("step_key", STRING, "Stegets nyckel", "Key of the step", source="step__key"),
        Column("step_name", STRING, "Stegets namn", "Name of the step", source="step__name"),
        Column("position", INTEGER, "Kriteriets ordning i steget", "Order within the step"),
        Column("text", STRING, "Kriteriet", "The criterion"),
    ),
)

SELF_ASSESSMENTS = Dataset(
    key="self_assessments",
    title_sv="Självskattningar",
    title_en="Self-assessments",
    description_sv="Varje godkänd självskattning, även de som senare ersatts: en ögonblicksbild "
    "per rad, med resulterande steg och datum.",
    description_en="Every approved self-assessment, including those later superseded: one "
    "snapshot per row, with the resulting step and dates.",
    base=lambda tenant: impl.SelfAssessment.objects.filter(status=impl.AssessmentStatus.APPROVED),
    period=on("period_end"),
    period_sv="självskattningsperiodens slut",
    period_en="the end of the assessed period",
    columns=(
        Column(
            "assessment_id", INTEGER, "Självskattningens id", "Id of the assessment", source="id"
        ),
        Column("principal_id", INTEGER, "Huvudmannens id", "Id of the principal"),
        Column(
            "operation_id",
            INTEGER,
            "Verksamhetens id (tomt: huvudmannen som helhet)",
            "Id of the operation (empty: the principal as a whole)",
        ),
        Column("sub_project_id", INTEGER, "Delprojektets id", "Id of the sub-project"),
        Column(
            "staircase_version",
            INTEGER,
            "Trappans version",
            "Version of the staircase",
            source="staircase__version",
        ),
        Column("period_start", DATE, "Perioden från", "Period from"),
        Column("period_end", DATE, "Perioden till", "Period to"),
        Column("status", STRING, "Status", "Status", choices=impl.AssessmentStatus),
        Column(
            "step_number",
            INTEGER,
            "Resulterande steg (0: inget steg nått)",
            "Resulting step (0: no step reached)",
        ),
        Column(
            "computed_step_number",
            INTEGER,
            "Beräknat steg",
            "Computed step",
            source="computed_step__number",
        ),
        Column(
            "override_step_number",
            INTEGER,
            "Steg satt för hand",
            "Step set by hand",
            source="override_step__number",
        ),
        Column(
            "previous_step_number",
            INTEGER,
            "Steg i den självskattning den ersatte",
            "Step of the assessment it superseded",
        ),
        Column("supersedes_id", INTEGER, "Id för den ersatta självskattningen", "Id superseded"),
        Column("submitted_at", DATETIME, "Inskickad", "Submitted"),
        Column("approved_at", DATETIME, "Godkänd", "Approved"),
        Column("superseded_at", DATETIME, "Ersatt av en nyare", "Superseded by a newer one"),
        Column("evidence", STRING, "Belägg (fritext)", "Evidence (free text)", free_text=True),
        Column("comment", STRING, "Kommentar (fritext)", "Comment (free text)", free_text=True),
        Column(
            "override_justification",
            STRING,
            "Motivering för steg satt för hand (fritext)",
            "Justification of a step set by hand (free text)",
            free_text=True,
        ),
    ),
)

CRITERION_RATINGS = Dataset(
    key="criterion_ratings",
    title_sv="Skattning per kriterium",
    title_en="Criterion ratings",
    description_sv="Hur långt varje kriterium kommit i varje godkänd självskattning.",
    description_en="How far each criterion had come in each approved self-assessment.",
    base=lambda tenant: impl.CriterionRating.objects.filter(
        assessment__status=impl.AssessmentStatus.APPROVED
    ),
    period=on("assessment__period_end"),
    period_sv="självskattningsperiodens slut",
    period_en="the end of the assessed period",
    columns=(
        Column("rating_id", INTEGER, "Skattningens id", "Id of the rating", source="id"),
        Column("assessment_id", INTEGER, "Självskattningens id", "Id of the self-assessment"),
        Column("criterion_id", INTEGER, "Kriteriets id", "Id of the criterion"),
        Column(
            "criterion_key",
            STRING,
            "Kriteriets nyckel, densamma i alla versioner",
            "Key of the criterion, the same in every version",
            source="criterion__key",
        ),
        Column("step_number", INTEGER, "Steg", "Step", source="criterion__step__number"),
        Column(
            "criterion_position",
            INTEGER,
            "Kriteriets ordning i steget",
            "Order within the step",
            source="criterion__position",
        ),
        Column(
            "rating",
            STRING,
            "Skattning (tomt: inte skattat)",
            "Rating (empty: not rated)",
            choices=impl.Rating,
        ),
    ),
)

INDICATORS = Dataset(
    key="indicators",
    title_sv="Indikatorer",
    title_en="Indicators",
    description_sv="Det programmet följer upp, med mål och vilken riktning som är bättre.",
    description_en="What the programme follows up, with targets and which way is better.",
    base=lambda tenant: impl.Indicator.objects.all(),
    annotations=_archived_flag,
    columns=(
        Column("indicator_id", INTEGER, "Indikatorns id", "Id of the indicator", source="id"),
        Column("name", STRING, "Namn", "Name"),
        Column("kind", STRING, "Slag av värde", "Kind of value", choices=impl.IndicatorKind),
        Column("level", STRING, "Nivå", "Level", choices=impl.IndicatorLevel),
        Column("unit", STRING, "Enhet", "Unit"),
        Column("target", NUMBER, "Målvärde", "Target"),
        Column("direction", STRING, "Riktning", "Direction", choices=impl.Direction),
        Column("goal_id", INTEGER, "Målets id", "Id of the goal"),
        Column("goal_title", STRING, "Målet", "The goal", source="goal__title"),
        _archived(),
    ),
)

INDICATOR_VALUES = Dataset(
    key="indicator_values",
    title_sv="Indikatorvärden",
    title_en="Indicator values",
    description_sv="Ett värde per indikator, månad och huvudman (tomt: programmet som helhet).",
    description_en="One value per indicator, month and principal (empty: the programme as "
    "a whole).",
    base=lambda tenant: impl.IndicatorValue.objects.all(),
    period=on("period"),
    period_sv="månaden",
    period_en="the month",
    columns=(
        Column("value_id", INTEGER, "Värdets id", "Id of the value", source="id"),
        Column("indicator_id", INTEGER, "Indikatorns id", "Id of the indicator"),
        Column(
            "principal_id",
            INTEGER,
            "Huvudmannens id (tomt: programmet)",
            "Id of the principal (empty: the programme)",
        ),
        Column("period", DATE, "Månad (första dagen)", "Month (its first day)"),
        Column("value", NUMBER, "Värde", "Value"),
        Column("source", STRING, "Källa", "Source", choices=impl.ValueSource),
        Column("reported_at", DATETIME, "Rapporterat", "Reported"),
        Column("comment", STRING, "Kommentar (fritext)", "Comment (free text)", free_text=True),
    ),
)

APPOINTMENTS = Dataset(
    key="appointments",
    title_sv="Utsedda funktioner",
    title_en="Appointments",
    description_sv="Personer (pseudonymer) utsedda till funktioner hos huvudmän och "
    "verksamheter, över tid.",
    description_en="People (pseudonyms) appointed to functions of principals and "
    "operations, over time.",
    base=lambda tenant: impl.Appointment.objects.filter(archived_at__isnull=True),
    period=overlapping("start_date", "end_date"),
    period_sv="uppdragets period överlappar",
    period_en="the appointment's period overlaps",
    columns=(
        Column("appointment_id", INTEGER, "Uppdragets id", "Id of the appointment", source="id"),
        Column("function_id", INTEGER, "Funktionens id", "Id of the function"),
        Column("function_name", STRING, "Funktion", "Function", source="function__name"),
        Column("principal_id", INTEGER, "Huvudmannens id", "Id of the principal"),
        Column("operation_id", INTEGER, "Verksamhetens id", "Id of the operation"),
        Column(
            "person",
            STRING,
            "Personens pseudonym",
            "Pseudonym of the person",
            source="person_id",
            pseudonym=True,
        ),
        Column("start_date", DATE, "Från", "From"),
        Column("end_date", DATE, "Till (tomt: pågår)", "To (empty: ongoing)"),
        Column("note", STRING, "Anteckning (fritext)", "Note (free text)", free_text=True),
    ),
)

BODIES = Dataset(
    key="bodies",
    title_sv="Organ",
    title_en="Bodies",
    description_sv="Styrgrupper, nätverk och arbetsgrupper.",
    description_en="Steering groups, networks and working groups.",
    base=lambda tenant: gov.Body.objects.all(),
    annotations=_archived_flag,
    columns=(
        Column("body_id", INTEGER, "Organets id", "Id of the body", source="id"),
        Column("code", STRING, "Förkortning", "Abbreviation"),
        Column("name", STRING, "Namn", "Name"),
        Column("kind", STRING, "Slag av organ", "Kind of body", choices=gov.BodyKind),
        _archived(),
    ),
)

BODY_MEMBERS = Dataset(
    key="body_members",
    title_sv="Ledamöter i organ",
    title_en="Body members",
    description_sv="Personers (pseudonymer) platser i organ, över tid.",
    description_en="People's (pseudonyms) seats in bodies, over time.",
    base=lambda tenant: gov.BodyMember.objects.all(),
    period=overlapping("start_date", "end_date"),
    period_sv="platsens period överlappar",
    period_en="the seat's period overlaps",
    columns=(
        Column("seat_id", INTEGER, "Platsens id", "Id of the seat", source="id"),
        Column("body_id", INTEGER, "Organets id", "Id of the body"),
        Column(
            "person",
            STRING,
            "Personens pseudonym",
            "Pseudonym of the person",
            source="person_id",
            pseudonym=True,
        ),
        Column("role", STRING, "Roll", "Role", choices=gov.BodyRole),
        Column("represents_principal_id", INTEGER, "Företräder huvudman", "Represents principal"),
        Column("represents_body_id", INTEGER, "Företräder organ", "Represents body"),
        Column("start_date", DATE, "Från", "From"),
        Column("end_date", DATE, "Till (tomt: pågår)", "To (empty: ongoing)"),
    ),
)

MEETINGS = Dataset(
    key="meetings",
    title_sv="Möten",
    title_en="Meetings",
    description_sv="Organens möten: datum, organ, slag och status.",
    description_en="The bodies' meetings: date, body, kind and status.",
    base=lambda tenant: gov.Meeting.objects.filter(archived_at__isnull=True),
    annotations=_local_date("starts_at"),
    period=on("local_date"),
    period_sv="mötesdagen",
    period_en="the day of the meeting",
    columns=(
        Column("meeting_id", INTEGER, "Mötets id", "Id of the meeting", source="id"),
        Column("body_id", INTEGER, "Sammankallande organ", "Convening body"),
        Column("date", DATE, "Datum", "Date", source="local_date"),
        Column("starts_at", DATETIME, "Börjar", "Starts"),
        Column("ends_at", DATETIME, "Slutar", "Ends"),
        Column("kind", STRING, "Slag av möte", "Kind of meeting", choices=gov.MeetingKind),
        Column("status", STRING, "Status", "Status", choices=gov.MeetingStatus),
        Column("record_type", STRING, "Dokumentation", "Record", choices=gov.RecordType),
        Column(
            "minutes_status",
            STRING,
            "Minnesanteckningarnas status",
            "Status of the minutes",
            choices=gov.MinutesStatus,
        ),
        Column("finished_at", DATETIME, "Färdigställda", "Minutes finished"),
        Column("approved_at", DATETIME, "Justerade", "Minutes approved"),
        Column("title", STRING, "Rubrik (fritext)", "Title (free text)", free_text=True),
        Column(
            "cancelled_reason",
            STRING,
            "Skäl till inställt möte (fritext)",
            "Reason for cancellation (free text)",
            free_text=True,
        ),
    ),
)

AGENDA_ITEMS = Dataset(
    key="agenda_items",
    title_sv="Dagordningspunkter",
    title_en="Agenda items",
    description_sv="Punkterna på färdigställda och justerade mötens dagordning; "
    "anteckningarna ingår bara med fritext.",
    description_en="The agenda items of meetings whose minutes are finished or approved; "
    "the minutes text only with free text.",
    base=lambda tenant: gov.AgendaItem.objects.filter(
        readable_minutes("meeting", RESEARCH_MINUTES), archived_at__isnull=True
    ),
    annotations=_local_date("meeting__starts_at"),
    period=on("local_date"),
    period_sv="mötesdagen",
    period_en="the day of the meeting",
    columns=(
        Column("agenda_item_id", INTEGER, "Punktens id", "Id of the item", source="id"),
        Column("meeting_id", INTEGER, "Mötets id", "Id of the meeting"),
        Column("position", INTEGER, "Nummer", "Number"),
        Column("kind", STRING, "Slag av punkt", "Kind of item", choices=gov.AgendaItemKind),
        Column("title", STRING, "Rubrik (fritext)", "Title (free text)", free_text=True),
        Column(
            "minutes",
            STRING,
            "Minnesanteckningar (fritext)",
            "Minutes text (free text)",
            free_text=True,
        ),
    ),
)

ATTENDANCE = Dataset(
    key="attendance",
    title_sv="Närvaro",
    title_en="Attendance",
    description_sv="Möte × person (pseudonym) × huvudman × närvarostatus.",
    description_en="Meeting × person (pseudonym) × principal × attendance status.",
    base=lambda tenant: gov.Attendance.objects.filter(
        readable_minutes("meeting", RESEARCH_MINUTES)
    ),
    annotations=lambda: {
        "local_date": TruncDate("meeting__starts_at", tzinfo=timezone.get_current_timezone()),
        "principal_or_own": Coalesce("represents_principal_id", "person__principal_id"),
    },
    period=on("local_date"),
    period_sv="mötesdagen",
    period_en="the day of the meeting",
    columns=(
        Column("attendance_id", INTEGER, "Närvarons id", "Id of the attendance", source="id"),
        Column("meeting_id", INTEGER, "Mötets id", "Id of the meeting"),
        Column(
            "person",
            STRING,
            "Personens pseudonym",
            "Pseudonym of the person",
            source="person_id",
            pseudonym=True,
        ),
        Column(
            "principal_id",
            INTEGER,
            "Huvudman personen företrädde (annars personens egen)",
            "Principal the person represented (else the person's own)",
            source="principal_or_own",
        ),
        Column(
            "represents_body_id",
            INTEGER,
            "Organ personen företrädde (”rep. …”), t.ex. ett nätverk",
            "Body the person represented (“rep. …”), e.g. a network",
        ),
        Column("status", STRING, "Närvaro", "Attendance", choices=gov.AttendanceStatus),
        Column("role_note", STRING, "Anteckning (fritext)", "Note (free text)", free_text=True),
    ),
)

DECISIONS = Dataset(
    key="decisions",
    title_sv="Beslut",
    title_en="Decisions",
    description_sv="Organens beslut, numrerade per organ och år; beslutstexten ingår bara "
    "med fritext.",
    description_en="The bodies' decisions, numbered per body and year; the text only with "
    "free text.",
    base=lambda tenant: gov.Decision.objects.filter(readable_minutes("meeting", RESEARCH_MINUTES)),
    annotations=lambda: {
        "reference_text": Concat(
            "body__code",
            Value(" "),
            Cast("year", models.CharField()),
            Value(" §"),
            Cast("number", models.CharField()),
            output_field=models.CharField(),
        )
    },
    period=on("decided_on"),
    period_sv="beslutsdagen",
    period_en="the day of the decision",
    columns=(
        Column("decision_id", INTEGER, "Beslutets id", "Id of the decision", source="id"),
        Column("body_id", INTEGER, "Organets id", "Id of the body"),
        Column("meeting_id", INTEGER, "Mötets id", "Id of the meeting"),
        Column("year", INTEGER, "År", "Year"),
        Column("number", INTEGER, "Nummer (§)", "Number (§)"),
        Column(
            "reference",
            STRING,
            "Beteckning, t.ex. SG 2025 §12",
            "Reference, e.g. SG 2025 §12",
            source="reference_text",
        ),
        Column("decided_on", DATE, "Datum", "Date"),
        Column("status", STRING, "Status", "Status", choices=gov.DecisionStatus),
        Column("replaced_by_id", INTEGER, "Ersatt av beslut", "Replaced by decision"),
        Column("text", STRING, "Beslutet (fritext)", "The decision (free text)", free_text=True),
    ),
)

ACTION_ITEMS = Dataset(
    key="action_items",
    title_sv="Uppdrag",
    title_en="Action items",
    description_sv="Uppdrag med ägare, datum och nuvarande status; statusbytena finns i "
    "action_status_changes.",
    description_en="Action items with owners, dates and current status; their status "
    "changes are in action_status_changes.",
    base=lambda tenant: readable_actions(
        gov.ActionItem.objects.filter(archived_at__isnull=True), RESEARCH_MINUTES
    ),
    annotations=_local_date("given_at"),
    period=on("local_date"),
    period_sv="dagen uppdraget gavs",
    period_en="the day the item was given",
    columns=(
        Column("action_id", INTEGER, "Uppdragets id", "Id of the action item", source="id"),
        Column("body_id", INTEGER, "Följs upp av organ", "Followed up by body"),
        Column("decision_id", INTEGER, "Beslutets id", "Id of the decision"),
        Column("owner_principal_id", INTEGER, "Ägare (huvudman)", "Owner (principal)"),
        Column("owner_body_id", INTEGER, "Ägare (organ)", "Owner (body)"),
        Column("owner_all", BOOLEAN, "Alla organisationer", "All organisations"),
        Column("created_on", DATE, "Givet", "Given", source="local_date"),
        Column("due_date", DATE, "Ska vara klart", "Due"),
        Column("due_next_meeting", BOOLEAN, "Till nästa möte", "By the next meeting"),
        Column("status", STRING, "Status", "Status", choices=gov.ActionStatus),
        Column("status_changed_at", DATETIME, "Status senast ändrad", "Status last changed"),
        Column(
            "description",
            STRING,
            "Uppdraget (fritext)",
            "The assignment (free text)",
            free_text=True,
        ),
    ),
)

ACTION_STATUS_CHANGES = Dataset(
    key="action_status_changes",
    title_sv="Uppdragens statusbyten",
    title_en="Status changes of action items",
    description_sv="Varje statusbyte av ett uppdrag, med tid och möte.",
    description_en="Every status change of an action item, with time and meeting.",
    base=lambda tenant: gov.ActionStatusChange.objects.filter(
        action_item__in=readable_actions(
            gov.ActionItem.objects.filter(archived_at__isnull=True), RESEARCH_MINUTES
        ).values("pk")
    ),
    annotations=_local_date("changed_at"),
    period=on("local_date"),
    period_sv="dagen för bytet",
    period_en="the day of the change",
    columns=(
        Column("change_id", INTEGER, "Bytets id", "Id of the change", source="id"),
        Column(
            "action_id", INTEGER, "Uppdragets id", "Id of the action item", source="action_item_id"
        ),
        Column(
            "from_status",
            STRING,
            "Från status (tomt: nytt)",
            "From status (empty: new)",
            choices=gov.ActionStatus,
        ),
        Column("to_status", STRING, "Till status", "To status", choices=gov.ActionStatus),
        Column("changed_at", DATETIME, "Ändrad", "Changed"),
        Column("meeting_id", INTEGER, "Vid mötet", "At the meeting"),
    ),
)

RISKS = Dataset(
    key="risks",
    title_sv="Risker",
    title_en="Risks",
    description_sv="Programmets risker med sannolikhet och konsekvens (1–4) och status.",
    description_en="The programme's risks with likelihood and consequence (1–4) and status.",
    base=lambda tenant: gov.Risk.objects.filter(archived_at__isnull=True),
    annotations=lambda: {
        "local_date": TruncDate("created_at", tzinfo=timezone.get_current_timezone()),
        "score_value": F("likelihood") * F("consequence"),
    },
    period=on("local_date"),
    period_sv="dagen risken registrerades",
    period_en="the day the risk was registered",
    columns=(
        Column("risk_id", INTEGER, "Riskens id", "Id of the risk", source="id"),
        Column("category", STRING, "Kategori", "Category", choices=gov.RiskCategory),
        Column("likelihood", INTEGER, "Sannolikhet (1–4)", "Likelihood (1–4)"),
        Column("consequence", INTEGER, "Konsekvens (1–4)", "Consequence (1–4)"),
        Column(
            "score",
            INTEGER,
            "Riskvärde (sannolikhet × konsekvens)",
            "Score (likelihood × consequence)",
            source="score_value",
        ),
        Column("status", STRING, "Status", "Status", choices=gov.RiskStatus),
        Column(
            "owner",
            STRING,
            "Riskägarens pseudonym",
            "Pseudonym of the risk owner",
            source="owner_id",
            pseudonym=True,
        ),
        Column("registered_on", DATE, "Registrerad", "Registered", source="local_date"),
        Column("title", STRING, "Risken (fritext)", "The risk (free text)", free_text=True),
        Column(
            "description",
            STRING,
            "Beskrivning (fritext)",
            "Description (free text)",
            free_text=True,
        ),
        Column("mitigation", STRING, "Åtgärd (fritext)", "Mitigation (free text)", free_text=True),
    ),
)

RISK_REVIEWS = Dataset(
    key="risk_reviews",
    title_sv="Riskbedömningar",
    title_en="Risk reviews",
    description_sv="Daterade bedömningar av riskerna.",
    description_en="Dated reviews of the risks.",
    base=lambda tenant: gov.RiskReview.objects.filter(risk__archived_at__isnull=True),
    annotations=lambda: {"score_value": F("likelihood") * F("consequence")},
    period=on("reviewed_on"),
    period_sv="bedömningsdagen",
    period_en="the day of the review",
    columns=(
        Column("review_id", INTEGER, "Bedömningens id", "Id of the review", source="id"),
        Column("risk_id", INTEGER, "Riskens id", "Id of the risk"),
        Column("reviewed_on", DATE, "Datum", "Date"),
        Column("likelihood", INTEGER, "Sannolikhet (1–4)", "Likelihood (1–4)"),
        Column("consequence", INTEGER, "Konsekvens (1–4)", "Consequence (1–4)"),
        Column("score", INTEGER, "Riskvärde", "Score", source="score_value"),
        Column("status", STRING, "Status", "Status", choices=gov.RiskStatus),
        Column("note", STRING, "Bedömning (fritext)", "Assessment (free text)", free_text=True),
    ),
)

STATUS_REPORTS = Dataset(
    key="status_reports",
    title_sv="Statusrapporter",
    title_en="Status reports",
    description_sv="Processledarnas färdigställda månadsrapporter: magkänslan över tid.",
    description_en="The process leaders' finished monthly reports: the gut feeling over time.",
    base=lambda tenant: gov.StatusReport.objects.filter(
        archived_at__isnull=True, status=gov.ReportStatus.FINISHED
    ),
    period=on("period"),
    period_sv="månaden",
    period_en="the month",
    columns=(
        Column("report_id", INTEGER, "Rapportens id", "Id of the report", source="id"),
        Column("period", DATE, "Månad (första dagen)", "Month (its first day)"),
        Column("gut_feeling", STRING, "Magkänsla", "Gut feeling", choices=gov.GutFeeling),
        Column("status", STRING, "Status", "Status", choices=gov.ReportStatus),
        Column("finished_at", DATETIME, "Färdigställd", "Finished"),
        Column("results", STRING, "Resultat (fritext)", "Results (free text)", free_text=True),
        Column(
            "gut_feeling_text",
            STRING,
            "Om magkänslan (fritext)",
            "About the gut feeling (free text)",
            free_text=True,
        ),
        Column(
            "next_steps", STRING, "Nästa steg (fritext)", "Next steps (free text)", free_text=True
        ),
    ),
)

DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (
        PRINCIPALS,
        OPERATIONS,
        STAIRCASE_CRITERIA,
        SELF_ASSESSMENTS,
        CRITERION_RATINGS,
        INDICATORS,
        INDICATOR_VALUES,
        APPOINTMENTS,
        BODIES,
        BODY_MEMBERS,
        MEETINGS,
        AGENDA_ITEMS,
        ATTENDANCE,
        DECISIONS,
        ACTION_ITEMS,
        ACTION_STATUS_CHANGES,
        RISKS,
        RISK_REVIEWS,
        STATUS_REPORTS,
    )
}


# How the tables refer to each other: (field, dataset, its id field). Declared
# in a data package (as foreign keys, which frictionless checks) when both
# tables are in it and no period limits them, so every referenced row is
# there. Left out: references into rows a table may leave out, e.g. a
# decision's meeting (an archived meeting is not in `meetings`).
REFERENCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "operations": (("principal_id", "principals", "principal_id"),),
    "self_assessments": (
        ("principal_id", "principals", "principal_id"),
        ("operation_id", "operations", "operation_id"),
        ("supersedes_id", "self_assessments", "assessment_id"),
    ),
    "criterion_ratings": (
        ("assessment_id", "self_assessments", "assessment_id"),
        ("criterion_id", "staircase_criteria", "criterion_id"),
    ),
    "indicator_values": (
        ("indicator_id", "indicators", "indicator_id"),
        ("principal_id", "principals", "principal_id"),
    ),
    "appointments": (
        ("principal_id", "principals", "principal_id"),
        ("operation_id", "operations", "operation_id"),
    ),
    "body_members": (
        ("body_id", "bodies", "body_id"),
        ("represents_principal_id", "principals", "principal_id"),
        ("represents_body_id", "bodies", "body_id"),
    ),
    "meetings": (("body_id", "bodies", "body_id"),),
    "agenda_items": (("meeting_id", "meetings", "meeting_id"),),
    "attendance": (
        ("meeting_id", "meetings", "meeting_id"),
        ("principal_id", "principals", "principal_id"),
    ),
    "decisions": (
        ("body_id", "bodies", "body_id"),
        ("replaced_by_id", "decisions", "decision_id"),
    ),
    "action_items": (
        ("body_id", "bodies", "body_id"),
        ("decision_id", "decisions", "decision_id"),
        ("owner_principal_id", "principals", "principal_id"),
        ("owner_body_id", "bodies", "body_id"),
    ),
    "action_status_changes": (("action_id", "action_items", "action_id"),),
    "risk_reviews": (("risk_id", "risks", "risk_id"),),
}


def get(key: str) -> Dataset:
    """The dataset; `LookupError` for an unknown key (404 in views and the API)."""
    try:
        return DATASETS[key]
    except KeyError:
        raise LookupError(f"Unknown dataset {key!r}") from None


def ordered(keys: Sequence[str]) -> list[Dataset]:
    """The chosen datasets, in the order they are defined (stable files and sheets)."""
    chosen = set(keys)
    return [d for d in DATASETS.values() if d.key in chosen]


# Rows -----------------------------------------------------------------------------


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value).replace(microsecond=0) if value is not None else None


def converters(
    columns: Sequence[Column], pseudonym: Callable[[int | None], str | None]
) -> list[Callable[[Any], Any] | None]:
    """Per column, what turns a raw value into the exported one (None: as it is).

    Every text column, whatever its source, is neutralised so that no
    spreadsheet program runs it as a formula (`portal.spreadsheets`); number,
    date and boolean columns keep their values."""
    result: list[Callable[[Any], Any] | None] = []
    for column in columns:
        if column.pseudonym:
            result.append(lambda v: neutralise(pseudonym(v)))
        elif column.type == DATETIME:
            result.append(_local)
        elif column.type == STRING and column.path.endswith("key"):
            result.append(lambda v: neutralise(str(v)) if v is not None else None)
        elif column.type == STRING:
            result.append(neutralise)
        else:
            result.append(None)
    return result


def rows(
    dataset: Dataset,
    tenant: Tenant,
    *,
    pseudonym: Callable[[int | None], str | None],
    period: Period = (None, None),
    include_free_text: bool = False,
    chunk_size: int = CHUNK_SIZE,
    offset: int = 0,
    limit: int | None = None,
) -> Iterator[list[Any]]:
    """The dataset's rows, typed values, people pseudonymised. Reads through a
    server-side cursor in chunks, so memory stays the same for any row count.

    The queryset is made here, not when the rows are first read: a stream is
    read after its view has returned, outside the request's tenant scope."""
    columns = dataset.columns_for(include_free_text=include_free_text)
    plan = [(i, fn) for i, fn in enumerate(converters(columns, pseudonym)) if fn is not None]
    values = dataset.values(tenant, period=period, include_free_text=include_free_text)
    if limit is not None:
        values = values[offset : offset + limit]
    return _convert(values.iterator(chunk_size=chunk_size), plan)


def _convert(
    raw_rows: Iterator[tuple[Any, ...]], plan: list[tuple[int, Callable[[Any], Any]]]
) -> Iterator[list[Any]]:
    for raw in raw_rows:
        row = list(raw)
        for i, fn in plan:
            row[i] = fn(row[i])
        yield row


# CSV rows -------------------------------------------------------------------------
#
# For CSV the database writes the text of every value itself (PostgreSQL), the
# way `csv_text` would in Python: the rows then arrive as strings and go
# straight to the CSV writer, which keeps a streamed export close to the
# speed of PostgreSQL's own COPY. Only pseudonyms are made in Python. Other
# databases (the embedded SQLite run) format the typed rows in Python.


def csv_text(value: Any) -> Any:
    """The CSV text of a typed value (None and numbers are left to the writer)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


class _LocalIsoTimestamp(models.Func):
    """A timestamp as ISO 8601 in the portal's time zone with its UTC offset,
    to the second: what `timezone.localtime(value).isoformat()` gives."""

    output_field = models.CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        value, params = compiler.compile(self.source_expressions[0])
        zone = timezone.get_current_timezone_name()
        local, local_params = f"(({value}) AT TIME ZONE %s)", (*params, zone)
        offset = f"({local} - (({value}) AT TIME ZONE 'UTC'))"
        offset_params = (*local_params, *params)
        sql = (
            f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN {offset} >= interval '0' THEN '+' || to_char({offset}, 'HH24:MI') "
            f"ELSE '-' || to_char(-{offset}, 'HH24:MI') END"
        )
        return sql, (*local_params, *offset_params, *offset_params, *offset_params)


def _text_expression(column: Column) -> Any:
    """The column's CSV text written by the database; text neutralised as
    `converters` does it in Python (pseudonyms are made, and neutralised, in
    Python)."""
    path = F(column.path)
    if column.pseudonym or column.type == INTEGER:
        return column.path
    if column.type == STRING and column.path.endswith("key"):
        return neutralised(Cast(path, models.TextField()))
    if column.type == STRING:
        return neutralised(path)
    if column.type == DATETIME:
        return _LocalIsoTimestamp(path)
    if column.type == BOOLEAN:
        return models.Case(
            models.When(**{column.path: True}, then=Value("true")),
            models.When(**{column.path: False}, then=Value("false")),
            default=None,
            output_field=models.CharField(),
        )
    return Cast(path, models.TextField())


def csv_batches(
    dataset: Dataset,
    tenant: Tenant,
    *,
    pseudonym: Callable[[int | None], str | None],
    period: Period = (None, None),
    include_free_text: bool = False,
    chunk_size: int = CHUNK_SIZE,
    in_python: bool = False,
) -> Iterator[list[Sequence[Any]]]:
    """The dataset's rows ready for a CSV writer, a chunk at a time, read
    through a server-side cursor (the query is made here, eagerly: see `rows`)."""
    columns = dataset.columns_for(include_free_text=include_free_text)
    if in_python or connection.vendor != "postgresql":
        typed = rows(
            dataset,
            tenant,
            pseudonym=pseudonym,
            period=period,
            include_free_text=include_free_text,
            chunk_size=chunk_size,
        )
        return _python_batches(typed, chunk_size)
    values = dataset.queryset(tenant, period).values_list(*[_text_expression(c) for c in columns])
    sql, params = values.query.sql_with_params()
    pseudonyms = [i for i, c in enumerate(columns) if c.pseudonym]
    return _database_batches(sql, params, pseudonyms, pseudonym, chunk_size)


def copy_statement(
    dataset: Dataset,
    tenant: Tenant,
    *,
    period: Period = (None, None),
    include_free_text: bool = False,
) -> str | None:
    """`COPY (the dataset's text rows) TO STDOUT` as CSV, for a table without
    pseudonyms on PostgreSQL: the database then writes the whole file itself.
    None where that cannot be (pseudonyms are made in Python; other databases)."""
    columns = dataset.columns_for(include_free_text=include_free_text)
    if connection.vendor != "postgresql" or any(c.pseudonym for c in columns):
        return None
    values = dataset.queryset(tenant, period).values_list(*[_text_expression(c) for c in columns])
    sql, params = values.query.sql_with_params()
    # Bound client-side: COPY takes no server-side parameters.
    composed: str = connection.ops.compose_sql(  # type: ignore[attr-defined]
        f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params
    )
    return composed


def _python_batches(typed: Iterator[list[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in typed:
        batch.append([csv_text(v) for v in row])
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _database_batches(
    sql: str,
    params: Sequence[Any],
    pseudonyms: list[int],
    pseudonym: Callable[[int | None], str | None],
    size: int,
) -> Iterator[list[Sequence[Any]]]:
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            if pseudonyms:
                batch = [list(row) for row in batch]
                for row in batch:
                    for i in pseudonyms:
                        row[i] = neutralise(pseudonym(row[i]))
            yield batch
    finally:
        cursor.close()
