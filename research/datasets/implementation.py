"""The implementation app's research datasets: the staircase, approved
self-assessments and their ratings, indicators and their values, and appointed
functions."""

from __future__ import annotations

from implementation import models as impl
from research.datasets.schema import (
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    STRING,
    Column,
    Dataset,
    archived_column,
    archived_flag,
    on,
    overlapping,
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
    annotations=archived_flag,
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
        archived_column(),
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
