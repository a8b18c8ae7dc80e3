"""The governance app's research datasets: bodies and their members, meetings,
agenda items, attendance, decisions, action items and their status changes,
risks and their reviews, and status reports. Minutes are read as the steering
group reads them (finished or approved)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.utils import timezone

from governance import models as gov
from governance.selectors.actions import readable_actions
from governance.selectors.decisions import readable_minutes
from research.datasets.schema import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    STRING,
    Column,
    Dataset,
    archived_column,
    archived_flag,
    local_date,
    on,
    overlapping,
)

# What an export says in place of an agenda item under secrecy (sekretess).
CONFIDENTIAL_LABEL = "Sekretessbelagd handling"


def secret_text_annotations() -> dict[str, Any]:
    """An agenda item's title and minutes text as a research export holds
    them: a secret item's are never exported (its title is "Sekretessbelagd
    handling", its text empty); the `secret` and `secrecy_reference` columns
    say which and why."""
    secret = models.Q(secret=True)
    return {
        "shown_title": models.Case(
            models.When(secret, then=Value(CONFIDENTIAL_LABEL)),
            default=F("title"),
            output_field=models.CharField(),
        ),
        "shown_minutes": models.Case(
            models.When(secret, then=Value("")),
            default=F("minutes"),
            output_field=models.TextField(),
        ),
    }


# Researchers read the minutes as the steering group does: finished or
# approved, and while approved minutes are revised, the approved ones.
RESEARCH_MINUTES = (gov.MinutesStatus.FINISHED, gov.MinutesStatus.APPROVED)

BODIES = Dataset(
    key="bodies",
    title_sv="Organ",
    title_en="Bodies",
    description_sv="Styrgrupper, nätverk och arbetsgrupper.",
    description_en="Steering groups, networks and working groups.",
    base=lambda tenant: gov.Body.objects.all(),
    annotations=archived_flag,
    columns=(
        Column("body_id", INTEGER, "Organets id", "Id of the body", source="id"),
        Column("code", STRING, "Förkortning", "Abbreviation"),
        Column("name", STRING, "Namn", "Name"),
        Column("kind", STRING, "Slag av organ", "Kind of body", choices=gov.BodyKind),
        archived_column(),
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
    annotations=local_date("starts_at"),
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
    annotations=lambda: {
        **local_date("meeting__starts_at")(),
        **secret_text_annotations(),
    },
    period=on("local_date"),
    period_sv="mötesdagen",
    period_en="the day of the meeting",
    columns=(
        Column("agenda_item_id", INTEGER, "Punktens id", "Id of the item", source="id"),
        Column("meeting_id", INTEGER, "Mötets id", "Id of the meeting"),
        Column("position", INTEGER, "Nummer", "Number"),
        Column("kind", STRING, "Slag av punkt", "Kind of item", choices=gov.AgendaItemKind),
        Column("secret", BOOLEAN, "Sekretessbelagd", "Secret (sekretess)"),
        Column(
            "secrecy_reference",
            STRING,
            "Sekretessbestämmelse (OSL)",
            "Secrecy provision (OSL)",
        ),
        Column(
            "title",
            STRING,
            "Rubrik (fritext; sekretessbelagd: ”Sekretessbelagd handling”)",
            "Title (free text; secret: “Sekretessbelagd handling”)",
            source="shown_title",
            free_text=True,
        ),
        Column(
            "minutes",
            STRING,
            "Minnesanteckningar (fritext; tomt när sekretessbelagd)",
            "Minutes text (free text; empty when secret)",
            source="shown_minutes",
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
    annotations=local_date("given_at"),
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
    annotations=local_date("changed_at"),
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
