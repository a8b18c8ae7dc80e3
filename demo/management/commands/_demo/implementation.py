"""Implementation demo data: the default staircase in both programmes and two
years of self-assessments per principal — approved half-year by half-year,
one move back (Katrineholm, after a reorganisation), one step set by hand
(Nyköping) — and what is open today: in Sörmland, Eskilstuna's draft for its
compulsory school and a returned assessment of its student health (the
`kommun` login reports for Eskilstuna; it has also started the next
assessment of the municipality as a whole), and Flen's submitted one waiting for
the process leaders' review.

Goals and sub-goals per focus area (from the steering groups' planning day),
indicators with targets, and two years of values per municipality. People
appointed to the model's functions (Barnets bästa-ansvarig is still missing in
a few municipalities), good examples (among them Vingåker's attendance
routine), and the implementation plan with the NPF sub-project and its two
proposals, förstärkt EHT and a digital plattform.

Everything is written through the implementation services (the process
leader login approves when it exists; otherwise actor=None), then dated in
the past: approvals are spread over the last two years relative to today.

Idempotent: the staircase and the lists' defaults are ensured on every run;
assessments, goals, indicators (with their values), appointments, good
examples and the plan only in a programme that has none of them yet — so a
re-run, on any later day, adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from implementation.models import (
    Activity,
    Appointment,
    AppointmentFunction,
    AssessmentStatusChange,
    FocusArea,
    Goal,
    GoodExample,
    Indicator,
    Rating,
    SelfAssessment,
    Staircase,
    Step,
    SubProject,
    WellbeingArea,
)
from implementation.services import appointments, assessments, catalogue, examples, goals, plan
from implementation.services.staircase import staircase_ensure_default
from portal.models import Operation, Person, Principal, Tenant, User

# The shapes of the data tables ----------------------------------------------------


@dataclass(frozen=True)
class HistorySpec:
    """Approved assessments of a principal (or one of its operations), one per
    half-year, oldest first; the last one was approved `latest` days ago."""

    principal: str
    steps: tuple[int, ...]
    operation: str = ""
    latest: int = 150
    # The latest one: a step set by hand (step, justification), and a comment.
    override: tuple[int, str] | None = None
    comment: str = ""


@dataclass(frozen=True)
class OpenSpec:
    """An assessment in progress today."""

    principal: str
    status: str  # utkast, inskickad or atersand
    step: int  # rated up to this step
    operation: str = ""
    rated: int | None = None  # a draft: only the first criteria rated so far
    evidence: str = ""
    comment: str = ""
    return_comment: str = ""
    by: str = ""  # the demo login that reports it
    days_ago: int = 10


@dataclass(frozen=True)
class ImplementationSpec:
    slug: str
    history: tuple[HistorySpec, ...]
    open: tuple[OpenSpec, ...] = ()


def _operations(*rows: tuple[str, str, tuple[int, ...], int]) -> tuple[HistorySpec, ...]:
    """(principal, operation, steps, days since the latest) → history specs."""
    return tuple(
        HistorySpec(principal, steps, operation=operation, latest=latest)
        for principal, operation, steps, latest in rows
    )


# Evidence, by the step reached: fictional, but what such reports say.
EVIDENCE = {
    0: "Arbetet har inte kommit i gång ännu. Frågan ska upp i ledningsgruppen under perioden.",
    1: (
        "Barn- och utbildningsnämnden och socialnämnden har fattat beslut om att införa "
        "samverkansmodellen. En utvecklingsledare har fått uppdraget att leda införandet och "
        "beslutet har presenterats på förvaltningarnas gemensamma chefsdag."
    ),
    2: (
        "En behovsinventering är gjord tillsammans med elevhälsan och individ- och "
        "familjeomsorgen. Befintliga samverkansforum är kartlagda och jämförda med modellen; "
        "behov av utbildning för förskolans och skolans personal är identifierat."
    ),
    3: (
        "Barnets bästa-ansvarig och nyckelpersoner är utsedda i samtliga skolområden. All "
        "berörd personal har gått introduktionen om välbefinnandehjulet och en lokal "
        "implementeringsplan är fastställd i ledningsgruppen."
    ),
    4: (
        "Modellen används i två skolområden och på familjecentralen. Erfarenheterna följs upp "
        "vid månatliga avstämningar och rutinen för samordnade möten har justerats efter "
        "synpunkter från vårdnadshavare."
    ),
    5: (
        "Modellen är ordinarie arbetssätt i alla skolor, förskolor och inom individ- och "
        "familjeomsorgen. Samverkan kring enskilda barn dokumenteras enligt den gemensamma "
        "strukturen och resultaten följs upp med programmets indikatorer."
    ),
    6: (
        "Modellen är inskriven i verksamhetsplanen och budgeten. Nyanställda får introduktion "
        "och arbetssättet följs upp i det systematiska kvalitetsarbetet."
    ),
}

KATRINEHOLM_BACK = (
    "Omorganisationen av socialförvaltningen under våren har gjort att uppföljningen av "
    "arbetssättet har avstannat och två nyckelpersoner har slutat. Vi bedömer att vi är "
    "tillbaka på steg 3 tills nya nyckelpersoner är utsedda, och räknar med att vara på "
    "steg 4 igen till hösten."
)
NYKOPING_OVERRIDE = (
    "Ett kriterium i steg 5 står som pågående eftersom fritidsgårdarna ännu inte är med, "
    "men modellen är ordinarie arbetssätt i skola, förskola och socialtjänst. Vi bedömer "
    "därför att vi i praktiken använder modellen fullt ut."
)

SORMLAND = ImplementationSpec(
    slug="sormland",
    history=(
        HistorySpec("Eskilstuna kommun", (1, 2, 3, 3)),
        HistorySpec("Eskilstuna kommun", (1, 2), operation="Grundskolan", latest=330),
        HistorySpec("Flens kommun", (1, 2, 2, 3), latest=170),
        HistorySpec("Gnesta kommun", (1, 1, 2), latest=330),
        HistorySpec("Katrineholms kommun", (2, 3, 4, 3), latest=120, comment=KATRINEHOLM_BACK),
        HistorySpec(
            "Nyköpings kommun",
            (2, 3, 4, 5),
            latest=100,
            override=(5, NYKOPING_OVERRIDE),
        ),
        HistorySpec("Nyköpings kommun", (3, 4), operation="Elevhälsan", latest=100),
        HistorySpec("Oxelösunds kommun", (1, 2, 3), latest=160),
        HistorySpec("Strängnäs kommun", (1, 2, 3, 4), latest=140),
        HistorySpec("Trosa kommun", (1, 2), latest=510),
        HistorySpec("Vingåkers kommun", (1, 2, 3, 4), latest=90),
        HistorySpec("Region Sörmland", (1, 2, 3), latest=130),
        HistorySpec(
            "Region Sörmland", (1, 2), operation="Barn- och ungdomspsykiatrin (BUP)", latest=130
        ),
        # Operations, so the dashboard's staircase matrix shows the sectors apart.
        *_operations(
            ("Eskilstuna kommun", "Förskoleverksamheten", (1, 2, 3), 200),
            ("Eskilstuna kommun", "Individ- och familjeomsorgen", (1, 2, 2, 3), 150),
            ("Flens kommun", "Grundskolan", (1, 2), 170),
            ("Flens kommun", "Individ- och familjeomsorgen", (1, 1, 2), 200),
            ("Gnesta kommun", "Grundskolan", (1, 2), 330),
            ("Katrineholms kommun", "Grundskolan", (2, 3, 3), 120),
            ("Katrineholms kommun", "Elevhälsan", (2, 3, 4), 120),
            ("Nyköpings kommun", "Grundskolan", (3, 4, 5), 100),
            ("Nyköpings kommun", "Individ- och familjeomsorgen", (2, 3, 4), 100),
            ("Oxelösunds kommun", "Förskoleverksamheten", (1, 2, 3), 160),
            ("Oxelösunds kommun", "Familjecentralen", (2, 3), 160),
            ("Strängnäs kommun", "Grundskolan", (1, 2, 3, 4), 140),
            ("Strängnäs kommun", "Elevhälsan", (2, 3, 3), 140),
            ("Trosa kommun", "Grundskolan", (1, 1), 510),
            ("Vingåkers kommun", "Grundskolan", (2, 3, 4), 90),
            ("Vingåkers kommun", "Individ- och familjeomsorgen", (1, 2, 3), 90),
        ),
    ),
    open=(
        OpenSpec(
            "Eskilstuna kommun",
            "utkast",
            step=3,
            operation="Grundskolan",
            rated=8,
            evidence=(
                "Nyckelpersoner är utsedda på elva av fjorton skolor. Introduktionen för "
                "personalen fortsätter under terminen."
            ),
            by="kommun",
            days_ago=4,
        ),
        OpenSpec(
            "Eskilstuna kommun",
            "utkast",
            step=3,
            rated=4,
            comment="Påbörjad inför nästa styrgruppsmöte.",
            by="kommun",
            days_ago=1,
        ),
        OpenSpec(
            "Eskilstuna kommun",
            "atersand",
            step=3,
            operation="Elevhälsan",
            evidence=(
                "Elevhälsans samverkansrutin är reviderad utifrån modellen och används i "
                "elevhälsoteamen."
            ),
            return_comment=(
                "Tack! Beskriv gärna vilka delar av rutinen som har ändrats och bifoga beslutet "
                "om den reviderade samverkansrutinen. Kriteriet om utsedda nyckelpersoner är "
                "markerat som etablerat, men enligt förteckningen över uppdrag saknas "
                "nyckelperson i två skolområden — stämmer det?"
            ),
            by="kommun",
            days_ago=12,
        ),
        OpenSpec(
            "Flens kommun",
            "inskickad",
            step=3,
            evidence=EVIDENCE[3],
            comment="Inskickad efter avstämning i ledningsgruppen.",
            days_ago=6,
        ),
    ),
)

KRONOBERG = ImplementationSpec(
    slug="kronoberg",
    history=(
        HistorySpec("Alvesta kommun", (1, 2, 3), latest=140),
        HistorySpec("Lessebo kommun", (1, 2), latest=200),
        HistorySpec("Ljungby kommun", (1, 2, 3), latest=120),
        HistorySpec("Markaryds kommun", (1, 2), latest=160),
        HistorySpec("Tingsryds kommun", (1, 1, 2), latest=150),
        HistorySpec("Uppvidinge kommun", (1, 2, 3), latest=110),
        HistorySpec("Växjö kommun", (2, 3, 4), latest=100),
        HistorySpec("Älmhults kommun", (1, 2), latest=190),
        HistorySpec("Region Kronoberg", (1, 2, 3), latest=130),
        HistorySpec("Polismyndigheten", (1, 2), latest=170),
        *_operations(
            ("Alvesta kommun", "Grundskolan", (1, 2, 3), 140),
            ("Ljungby kommun", "Elevhälsan", (1, 2), 120),
            ("Uppvidinge kommun", "Grundskolan", (1, 2), 110),
            ("Växjö kommun", "Grundskolan", (2, 3, 4), 100),
            ("Växjö kommun", "Individ- och familjeomsorgen", (2, 3), 100),
        ),
    ),
    open=(OpenSpec("Växjö kommun", "inskickad", step=4, evidence=EVIDENCE[4], days_ago=3),),
)

PROGRAMMES = (SORMLAND, KRONOBERG)


@dataclass(frozen=True)
class GoalSpec:
    focus_area: str
    title: str
    description: str = ""
    target_days: int | None = None  # target date, days from today
    sub_goals: tuple[tuple[str, int | None], ...] = ()  # (title, target days)


GOALS: tuple[GoalSpec, ...] = (
    GoalSpec(
        "Gemensamt förhållningssätt",
        "De fyra förhållningssätten är välkända i alla verksamheter i samverkan",
        "Vad förhållningssätten betyder utifrån olika professioner ska vara känt och "
        "diskuterat på arbetsplatsträffar i skola, socialtjänst och hälso- och sjukvård.",
        target_days=400,
        sub_goals=(
            ("Alla chefer har gått introduktionen om förhållningssätten", 120),
            ("Förhållningssätten finns med i introduktionen för nyanställda", 300),
        ),
    ),
    GoalSpec(
        "Gemensamma verktyg och arbetssätt",
        "Modellens funktioner är utsedda hos alla huvudmän",
        "Funktionerna i modellen är viktiga för implementeringen och behöver tillsättas för "
        "att sedan kunna formas utifrån lokala sammanhang.",
        target_days=240,
        sub_goals=(
            ("Barnets bästa-ansvariga utsedda i alla kommuner", 90),
            ("Samordningsfunktioner utsedda", 240),
        ),
    ),
    GoalSpec(
        "Gemensamma verktyg och arbetssätt",
        "Välbefinnandehjulet används i samtal med barn och vårdnadshavare",
        target_days=540,
    ),
    GoalSpec(
        "Gemensam struktur",
        "Samsyn kring syftet, med hjulet som gemensam utgångspunkt",
        "Helhetssyn och tillitsstyrning: stärka det som fungerar.",
        target_days=360,
        sub_goals=(("Gemensamma samverkansforum finns i varje kommun", 270),),
    ),
)


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    kind: str
    level: str
    unit: str = ""
    target: int | None = None
    direction: str = "hogre"
    goal: str = ""  # a goal's or sub-goal's title
    areas: tuple[str, ...] = ()
    source: str = "sjalvskattning"
    description: str = ""


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        "Antal Barnets bästa-ansvariga",
        "antal",
        "huvudman",
        unit="personer",
        target=10,
        goal="Barnets bästa-ansvariga utsedda i alla kommuner",
        areas=("Trygg", "Respekterad"),
        description="Hur många Barnets bästa-ansvariga huvudmannen har utsett i sina verksamheter.",
    ),
    IndicatorSpec(
        "Samordningsfunktion utsedd",
        "ja_nej",
        "huvudman",
        target=1,
        goal="Samordningsfunktioner utsedda",
    ),
    IndicatorSpec(
        "Andel verksamheter som använder välbefinnandehjulet",
        "andel",
        "huvudman",
        unit="%",
        target=80,
        goal="Välbefinnandehjulet används i samtal med barn och vårdnadshavare",
        areas=("Må bra", "Utvecklas", "Delaktig"),
    ),
    IndicatorSpec(
        "Andel medarbetare som känner till förhållningssätten",
        "andel",
        "program",
        unit="%",
        target=75,
        goal="De fyra förhållningssätten är välkända i alla verksamheter i samverkan",
        source="enkat",
        description=(
            "Från programmets årliga enkät till medarbetare i skola, socialtjänst och vård."
        ),
    ),
    IndicatorSpec(
        "Upplevd samverkan kring enskilda barn",
        "skala",
        "program",
        target=4,
        goal="Samsyn kring syftet, med hjulet som gemensam utgångspunkt",
        areas=("Delaktig",),
        source="enkat",
        description="Medelvärde på frågan om hur väl samverkan kring enskilda barn fungerar (1–5).",
    ),
    IndicatorSpec(
        "Antal orosanmälningar som lett till samordnat stöd",
        "antal",
        "huvudman",
        unit="ärenden",
        direction="hogre",
        areas=("Trygg", "Omvårdad"),
        source="register",
    ),
)

HALF_YEAR = 182


def today() -> datetime.date:
    """The day the history is dated from (a function, so tests can move it)."""
    return timezone.localdate()


# Writing it -----------------------------------------------------------------------


def seed_implementation(spec: ImplementationSpec) -> None:
    tenant = Tenant.objects.filter(slug=spec.slug).first()
    if tenant is None:
        return
    with scope(tenant=tenant):
        staircase = staircase_ensure_default(tenant)
        catalogue.ensure_defaults(tenant)
        if not Goal.objects.filter(tenant=tenant).exists():
            _seed_goals(tenant)
        if not Indicator.objects.filter(tenant=tenant).exists():
            _seed_indicators(tenant)
        extra = EXTRAS.get(spec.slug)
        if extra is not None:
            if not Appointment.objects.filter(tenant=tenant).exists():
                _seed_appointments(tenant, extra)
            if not GoodExample.objects.filter(tenant=tenant).exists():
                _seed_examples(tenant, extra)
            if not (
                SubProject.objects.filter(tenant=tenant).exists()
                or Activity.objects.filter(tenant=tenant).exists()
            ):
                _seed_plan(tenant, extra)
        if SelfAssessment.objects.filter(tenant=tenant).exists():
            return
        _Seeder(tenant, staircase).run(spec)


def _seed_goals(tenant: Tenant) -> None:
    areas = {a.name: a for a in FocusArea.objects.filter(tenant=tenant)}
    day = today()
    for spec in GOALS:
        area = areas.get(spec.focus_area)
        if area is None:
            continue
        goal = goals.goal_create(
            actor=None,
            tenant=tenant,
            focus_area=area,
            title=spec.title,
            description=spec.description,
            target_date=day + datetime.timedelta(days=spec.target_days)
            if spec.target_days is not None
            else None,
        )
        for title, days in spec.sub_goals:
            goals.goal_create(
                actor=None,
                tenant=tenant,
                focus_area=area,
                parent=goal,
                title=title,
                target_date=day + datetime.timedelta(days=days) if days is not None else None,
            )


# The months values are reported for, and how far each principal has come
# (0–1) in each: a steady climb with a little variation per principal.
VALUE_MONTHS = (21, 15, 9, 3)  # months ago


def _month(day: datetime.date, months_back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _value(spec: IndicatorSpec, progress: float) -> Decimal:
    if spec.kind == "ja_nej":
        return Decimal(1 if progress >= 0.5 else 0)
    if spec.kind == "andel":
        return Decimal(round(15 + 75 * progress))
    if spec.kind == "skala":
        return Decimal(min(5, 2 + round(2.5 * progress)))
    return Decimal(round((spec.target or 12) * (0.2 + progress)))


def _seed_indicators(tenant: Tenant) -> None:
    goals_by_title = {g.title: g for g in Goal.objects.filter(tenant=tenant)}
    areas = {a.name: a for a in WellbeingArea.objects.filter(tenant=tenant)}
    municipalities = list(Principal.objects.filter(tenant=tenant, kind="kommun").order_by("name"))
    day = today()
    for spec in INDICATORS:
        indicator = goals.indicator_create(
            actor=None,
            tenant=tenant,
            name=spec.name,
            kind=spec.kind,
            level=spec.level,
            unit=spec.unit,
            description=spec.description,
            target=Decimal(spec.target) if spec.target is not None else None,
            direction=spec.direction,
            goal=goals_by_title.get(spec.goal),
            wellbeing_areas=[areas[name] for name in spec.areas if name in areas],
        )
        subjects: list[Principal | None] = (
            list(municipalities) if spec.level == "huvudman" else [None]
        )
        for step, months_back in enumerate(VALUE_MONTHS):
            for index, principal in enumerate(subjects):
                # Every third municipality starts a half-year later.
                late = principal is not None and index % 3 == 2
                if late and step == 0:
                    continue
                progress = min(
                    1.0, (step + 1) / len(VALUE_MONTHS) - (0.15 if late else 0) + 0.05 * (index % 2)
                )
                goals.indicator_value_set(
                    actor=None,
                    indicator=indicator,
                    principal=principal,
                    period=_month(day, months_back),
                    value=_value(spec, max(progress, 0.0)),
                    source=spec.source,
                )


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _Seeder:
    def __init__(self, tenant: Tenant, staircase: Staircase) -> None:
        self.tenant = tenant
        self.today = today()
        self.steps = list(
            Step.objects.filter(staircase=staircase).order_by("number").prefetch_related("criteria")
        )
        self.principals = {p.name: p for p in Principal.objects.filter(tenant=tenant)}
        self.operations = {
            (o.principal_id, o.name): o for o in Operation.objects.filter(tenant=tenant)
        }
        self.leader = User.objects.filter(username="processledare").first()

    def run(self, spec: ImplementationSpec) -> None:
        approvals = [
            (
                self.today - datetime.timedelta(days=h.latest + HALF_YEAR * (len(h.steps) - 1 - i)),
                h,
                i,
            )
            for h in spec.history
            for i in range(len(h.steps))
        ]
        # In date order, so each approval supersedes the one before it.
        for day, history, index in sorted(approvals, key=lambda a: (a[0], a[1].principal)):
            self.approved(history, index, day)
        for open_spec in spec.open:
            self.open(open_spec)

    def subject(self, principal: str, operation: str) -> tuple[Principal, Operation | None] | None:
        found = self.principals.get(principal)
        if found is None:
            return None
        if not operation:
            return found, None
        op = self.operations.get((found.pk, operation))
        return (found, op) if op is not None else None

    def ratings(self, step: int, rated: int | None = None) -> dict[int, str]:
        """Steps up to `step` established; the next one under way; the rest not started."""
        ratings: dict[int, str] = {}
        for s in self.steps:
            for position, criterion in enumerate(s.criteria.all()):
                if s.number <= step:
                    value = Rating.ESTABLISHED
                elif s.number == step + 1:
                    value = Rating.ESTABLISHED if position == 0 else Rating.IN_PROGRESS
                elif s.number == step + 2 and position == 0:
                    value = Rating.IN_PROGRESS
                else:
                    value = Rating.NOT_STARTED
                ratings[criterion.pk] = value
        if rated is not None:
            ratings = {k: (v if i < rated else "") for i, (k, v) in enumerate(ratings.items())}
        return ratings

    def step(self, number: int) -> Step:
        return next(s for s in self.steps if s.number == number)

    def approved(self, spec: HistorySpec, index: int, day: datetime.date) -> None:
        subject = self.subject(spec.principal, spec.operation)
        if subject is None:
            return
        principal, operation = subject
        step = spec.steps[index]
        latest = index == len(spec.steps) - 1
        period_end = day - datetime.timedelta(days=14)
        assessment = assessments.assessment_create(
            actor=None,
            tenant=self.tenant,
            principal=principal,
            operation=operation,
            period_start=period_end - datetime.timedelta(days=HALF_YEAR - 1),
            period_end=period_end,
        )
        override = spec.override if latest else None
        assessment = assessments.assessment_update(
            actor=None,
            assessment=assessment,
            period_start=assessment.period_start,
            period_end=assessment.period_end,
            ratings=self.ratings(step - 1 if override else step),
            override_step=self.step(override[0]) if override else None,
            override_justification=override[1] if override else "",
            evidence=EVIDENCE[step],
            comment=spec.comment if latest else "",
        )
        assessments.assessment_submit(actor=None, assessment=assessment)
        assessments.assessment_approve(actor=self.leader, assessment=assessment)
        self.date(
            assessment,
            started=day - datetime.timedelta(days=10),
            submitted=day - datetime.timedelta(days=3),
            approved=day,
        )

    def open(self, spec: OpenSpec) -> None:
        subject = self.subject(spec.principal, spec.operation)
        if subject is None:
            return
        principal, operation = subject
        by = User.objects.filter(username=spec.by).first() if spec.by else None
        period_end = self.today - datetime.timedelta(days=spec.days_ago)
        assessment = assessments.assessment_create(
            actor=by,
            tenant=self.tenant,
            principal=principal,
            operation=operation,
            period_start=period_end - datetime.timedelta(days=HALF_YEAR - 1),
            period_end=period_end,
        )
        assessment = assessments.assessment_update(
            actor=by,
            assessment=assessment,
            period_start=assessment.period_start,
            period_end=assessment.period_end,
            ratings=self.ratings(spec.step, spec.rated),
            evidence=spec.evidence,
            comment=spec.comment,
        )
        started = self.today - datetime.timedelta(days=spec.days_ago + 7)
        if spec.status == "utkast":
            self.date(assessment, started=started)
            return
        assessments.assessment_submit(actor=by, assessment=assessment)
        submitted = self.today - datetime.timedelta(days=spec.days_ago)
        if spec.status == "atersand":
            assessments.assessment_return(
                actor=self.leader, assessment=assessment, comment=spec.return_comment
            )
            self.date(
                assessment,
                started=started,
                submitted=submitted,
                returned=submitted + datetime.timedelta(days=2),
            )
            return
        self.date(assessment, started=started, submitted=submitted)

    def date(
        self,
        assessment: SelfAssessment,
        *,
        started: datetime.date,
        submitted: datetime.date | None = None,
        approved: datetime.date | None = None,
        returned: datetime.date | None = None,
    ) -> None:
        """Move the workflow's timestamps to the days the demo tells of."""
        days = {
            "utkast": started,
            "inskickad": submitted,
            "atersand": returned,
            "godkand": approved,
        }
        last = started
        for change in AssessmentStatusChange.objects.filter(assessment=assessment).order_by("id"):
            day = days.get(change.to_status) or last
            last = day
            AssessmentStatusChange.objects.filter(pk=change.pk).update(at=_moment(day))
        fields: dict[str, object] = {
            "created_at": _moment(started, 9),
            "updated_at": _moment(last, 11),
        }
        if submitted is not None:
            fields["submitted_at"] = _moment(submitted)
        if approved is not None:
            fields["approved_at"] = _moment(approved, 14)
        SelfAssessment.objects.filter(pk=assessment.pk).update(**fields)
        if approved is not None:
            # The one this approval superseded was superseded on this day.
            SelfAssessment.objects.filter(superseded_by=assessment).update(
                superseded_at=_moment(approved, 14)
            )


# Appointments, good examples and the plan ----------------------------------------


@dataclass(frozen=True)
class ExampleSpec:
    title: str
    principal: str
    description: str
    contact: str  # a person's name
    operations: tuple[str, ...] = ()
    steps: tuple[int, ...] = ()
    areas: tuple[str, ...] = ()
    status: str = "pagaende"
    published: bool = True


@dataclass(frozen=True)
class ActivitySpec:
    title: str
    description: str = ""
    owner: str = ""
    status: str = "planerad"
    due_days: int | None = None  # days from today
    decision: str = ""  # the start of a governance decision's text, to cite its reference
    decision_reference: str = ""
    working_groups: str = ""
    principals: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubProjectSpec:
    title: str
    description: str
    owner: str
    status: str
    start_days: int
    due_days: int
    decision_reference: str
    working_groups: str
    principals: tuple[str, ...]
    areas: tuple[str, ...]
    activities: tuple[ActivitySpec, ...]


@dataclass(frozen=True)
class ExtrasSpec:
    # Municipalities still without a Barnets bästa-ansvarig.
    without_bba: tuple[str, ...]
    # Principals with an appointed samordningsfunktion.
    coordination: tuple[str, ...]
    examples: tuple[ExampleSpec, ...]
    sub_projects: tuple[SubProjectSpec, ...]
    activities: tuple[ActivitySpec, ...]


VINGAKER_ROUTINE = (
    "Barn- och utbildningsförvaltningen har gjort om rutinen för att uppmärksamma och "
    "utreda elevers frånvaro. Hanteringen är digitaliserad, så att mentor, elevhälsoteam och "
    "rektor arbetar i samma underlag och ser när frånvaron börjar öka.\n\n"
    "Utredningen av frånvaron utgår nu från välbefinnandehjulet: i samtalet med eleven och "
    "vårdnadshavarna går man igenom alla åtta områdena, inte bara skolsituationen. Det har "
    "gjort att orsaker som rör hälsa, trygghet eller hemsituation kommer fram tidigare. När "
    "frånvaron hänger ihop med mer än skolan bjuds socialtjänsten in till ett samordnat möte "
    "enligt modellens struktur.\n\n"
    "Lärdomar: börja med en liten grupp skolor, ta fram ett gemensamt samtalsunderlag och "
    "låt elevhälsan äga uppföljningen."
)

SORMLAND_EXTRAS = ExtrasSpec(
    without_bba=("Gnesta kommun", "Trosa kommun"),
    coordination=(
        "Eskilstuna kommun",
        "Katrineholms kommun",
        "Nyköpings kommun",
        "Vingåkers kommun",
        "Region Sörmland",
    ),
    examples=(
        ExampleSpec(
            "Frånvarorutinen utgår från välbefinnandehjulet",
            "Vingåkers kommun",
            VINGAKER_ROUTINE,
            contact="Jenny Åberg",
            operations=("Grundskolan", "Elevhälsan"),
            steps=(4,),
            areas=("Utvecklas", "Trygg", "Må bra"),
        ),
        ExampleSpec(
            "Barnets bästa-ansvariga i alla skolområden",
            "Eskilstuna kommun",
            "Varje skolområde har en utsedd Barnets bästa-ansvarig som träffas en gång i månaden "
            "med individ- och familjeomsorgen. Träffarna har gjort det lättare att ta kontakt "
            "tidigt, innan oron för ett barn hunnit växa.",
            contact="Helena Strand",
            operations=("Grundskolan", "Individ- och familjeomsorgen"),
            steps=(3,),
            areas=("Trygg", "Respekterad"),
        ),
        ExampleSpec(
            "Samordnade elevhälsomöten med socialtjänsten",
            "Nyköpings kommun",
            "Elevhälsan och socialtjänsten har prövat gemensamma möten kring elever med stor "
            "frånvaro eller oro i hemmet. Efter en termin är arbetssättet ordinarie och "
            "beskrivet i elevhälsoplanen.",
            contact="Martin Kjellberg",
            operations=("Elevhälsan",),
            steps=(4, 5),
            areas=("Trygg", "Delaktig"),
            status="avslutat",
        ),
        ExampleSpec(
            "Välkomstsamtal på familjecentralen med hjulet",
            "Katrineholms kommun",
            "Familjecentralen provar att använda välbefinnandehjulet i välkomstsamtalet med nya "
            "familjer. Beskrivningen publiceras när erfarenheterna är sammanställda.",
            contact="Sofia Blom",
            operations=("Familjecentralen",),
            steps=(4,),
            areas=("Omvårdad", "Delaktig"),
            published=False,
        ),
    ),
    sub_projects=(
        SubProjectSpec(
            title="NPF-delprojektet",
            description=(
                "Delprojekt om stöd till barn och unga med neuropsykiatriska "
                "funktionsnedsättningar, utifrån rekommendationerna i slutrapporten. Två "
                "förslag har tagits fram och beslutats i skolchefsnätverket och "
                "länsstyrgruppen."
            ),
            owner="Linnea Falk",
            status="pagaende",
            start_days=-400,
            due_days=300,
            decision_reference="",
            working_groups="Skolchefsnätverket och länsstyrgruppen",
            principals=(
                "Eskilstuna kommun",
                "Katrineholms kommun",
                "Nyköpings kommun",
                "Region Sörmland",
            ),
            areas=("Må bra", "Utvecklas"),
            activities=(
                ActivitySpec(
                    "Förslag 1: Förstärkt EHT",
                    "Skolpsykologen får en förstärkt roll med en tydlig kontaktväg till BUP och "
                    "socialtjänsten. En arbetsgrupp tar fram en struktur för hur länken mellan "
                    "verksamheterna och skolan kan stärkas. Resurser och medel saknas ännu.",
                    owner="Sofia Blom",
                    status="pausad",
                    due_days=240,
                    decision="Skolchefsnätverket beslutar att förstärkt elevhälsa",
                    working_groups="Arbetsgrupp förstärkt EHT (planeras)",
                    principals=("Katrineholms kommun", "Region Sörmland"),
                    areas=("Må bra",),
                ),
                ActivitySpec(
                    "Förslag 2: Digital plattform",
                    "En digital plattform där både vårdnadshavare och professionella hittar "
                    "handledning, föreläsningar, material och insatser. Kräver även IT och "
                    "kommunikatör, en omvärldsbevakning och förslag på innehåll.",
                    owner="Martin Kjellberg",
                    status="pagaende",
                    due_days=120,
                    decision="Länsstyrgruppen beslutar att tillsätta en arbetsgrupp",
                    working_groups="Arbetsgrupp digital plattform",
                    principals=("Nyköpings kommun", "Eskilstuna kommun"),
                    areas=("Utvecklas", "Delaktig"),
                ),
            ),
        ),
    ),
    activities=(
        ActivitySpec(
            "Workshop om modellen för vårdcentralschefer",
            "Nästa steg efter informationen: vad modellen betyder för primärvården.",
            owner="Linnea Falk",
            status="pagaende",
            due_days=45,
            principals=("Region Sörmland",),
        ),
        ActivitySpec(
            "Uppföljning av workshopen i Oxelösund",
            owner="Linnea Falk",
            status="planerad",
            due_days=-10,
            principals=("Oxelösunds kommun",),
        ),
        ActivitySpec(
            "Informera RD/KD-nätverket om modellen",
            owner="Tove Hallberg",
            status="klar",
            due_days=-60,
        ),
    ),
)

KRONOBERG_EXTRAS = ExtrasSpec(
    without_bba=("Lessebo kommun", "Markaryds kommun", "Älmhults kommun"),
    coordination=("Växjö kommun", "Ljungby kommun", "Region Kronoberg"),
    examples=(
        ExampleSpec(
            "Tidiga samordnade insatser i Växjö",
            "Växjö kommun",
            "Skola, socialtjänst och barnhälsovård träffas i ett gemensamt forum när oro uppstår "
            "kring ett barn, och följer upp med välbefinnandehjulet som underlag.",
            contact="Ahmed Yusuf",
            operations=("Individ- och familjeomsorgen", "Grundskolan"),
            steps=(4,),
            areas=("Trygg", "Omvårdad"),
        ),
    ),
    sub_projects=(),
    activities=(
        ActivitySpec(
            "Introduktion av modellen för lokalpolisområdena",
            owner="Maja Eklund",
            status="pagaende",
            due_days=60,
            principals=("Polismyndigheten",),
            areas=("Trygg",),
        ),
    ),
)

EXTRAS = {"sormland": SORMLAND_EXTRAS, "kronoberg": KRONOBERG_EXTRAS}


def _people_by_principal(tenant: Tenant) -> dict[int, list[Person]]:
    people: dict[int, list[Person]] = {}
    for person in Person.objects.filter(
        tenant=tenant, principal__isnull=False, archived_at__isnull=True
    ).order_by("name"):
        people.setdefault(person.principal_id or 0, []).append(person)
    return people


def _seed_appointments(tenant: Tenant, spec: ExtrasSpec) -> None:
    """A contact person and key people everywhere; a Barnets bästa-ansvarig in
    all municipalities but a few; a samordningsfunktion in some."""
    functions = {f.name: f for f in AppointmentFunction.objects.filter(tenant=tenant)}
    people = _people_by_principal(tenant)
    day = today()
    for index, principal in enumerate(Principal.objects.filter(tenant=tenant).order_by("name")):
        staff = people.get(principal.pk, [])
        if not staff:
            continue
        operations = {o.name: o for o in principal.operations.all()}
        start = day - datetime.timedelta(days=500 - 20 * index)
        wanted: list[tuple[str, Person, Operation | None]] = [
            ("Kontaktperson", staff[0], None),
        ]
        if principal.kind == "kommun" and principal.name not in spec.without_bba:
            wanted.append(("Barnets bästa-ansvarig", staff[-1], operations.get("Grundskolan")))
        if principal.name in spec.coordination:
            wanted.append(("Samordningsfunktion", staff[-1], None))
        if len(staff) > 1:
            wanted.append(("Nyckelperson", staff[1], operations.get("Elevhälsan")))
        for function, person, operation in wanted:
            if function not in functions:
                continue
            appointments.appointment_create(
                actor=None,
                tenant=tenant,
                function=functions[function],
                principal=principal,
                operation=operation,
                person=person,
                start_date=start,
            )
        if index % 4 == 1 and len(staff) > 1 and "Nyckelperson" in functions:
            # Someone who has moved on: the appointment ended, and stays in the history.
            appointments.appointment_create(
                actor=None,
                tenant=tenant,
                function=functions["Nyckelperson"],
                principal=principal,
                person=staff[0],
                start_date=start - datetime.timedelta(days=300),
                end_date=start - datetime.timedelta(days=1),
            )


def _seed_examples(tenant: Tenant, spec: ExtrasSpec) -> None:
    principals = {p.name: p for p in Principal.objects.filter(tenant=tenant)}
    people = {p.name: p for p in Person.objects.filter(tenant=tenant)}
    areas = {a.name: a for a in WellbeingArea.objects.filter(tenant=tenant)}
    steps = {s.number: s for s in Step.objects.filter(tenant=tenant, staircase__is_current=True)}
    for example in spec.examples:
        principal = principals.get(example.principal)
        if principal is None:
            continue
        operations = [o for o in principal.operations.all() if o.name in example.operations]
        examples.example_create(
            actor=None,
            tenant=tenant,
            title=example.title,
            principal=principal,
            description=example.description,
            operations=operations,
            contact_person=people.get(example.contact),
            steps=[steps[n] for n in example.steps if n in steps],
            wellbeing_areas=[areas[name] for name in example.areas if name in areas],
            status=example.status,
            published=example.published,
        )


def _decision_reference(tenant: Tenant, text: str) -> str:
    """The reference (e.g. “SCN 2025 §3”) of the governance decision whose text
    starts with `text`, when the demo's governance has it."""
    if not text:
        return ""
    from governance.models import Decision  # the demo gathers both apps' data

    decision = (
        Decision.objects.filter(tenant=tenant, text__startswith=text).select_related("body").first()
    )
    return decision.reference if decision is not None else ""


def _plan_fields(tenant: Tenant, spec: ActivitySpec | SubProjectSpec) -> dict[str, object]:
    people = {p.name: p for p in Person.objects.filter(tenant=tenant)}
    principals = {p.name: p for p in Principal.objects.filter(tenant=tenant)}
    areas = {a.name: a for a in WellbeingArea.objects.filter(tenant=tenant)}
    return {
        "owner": people.get(spec.owner),
        "principals": [principals[n] for n in spec.principals if n in principals],
        "wellbeing_areas": [areas[n] for n in spec.areas if n in areas],
    }


def _seed_plan(tenant: Tenant, spec: ExtrasSpec) -> None:
    day = today()

    def activity(activity_spec: ActivitySpec, sub_project: SubProject | None) -> None:
        reference = activity_spec.decision_reference or _decision_reference(
            tenant, activity_spec.decision
        )
        plan.activity_create(
            actor=None,
            tenant=tenant,
            title=activity_spec.title,
            description=activity_spec.description,
            sub_project=sub_project,
            status=activity_spec.status,
            due_date=day + datetime.timedelta(days=activity_spec.due_days)
            if activity_spec.due_days is not None
            else None,
            decision_reference=reference,
            working_groups=activity_spec.working_groups,
            **_plan_fields(tenant, activity_spec),  # type: ignore[arg-type]
        )

    for project_spec in spec.sub_projects:
        references = [
            _decision_reference(tenant, a.decision) for a in project_spec.activities if a.decision
        ]
        sub_project = plan.sub_project_create(
            actor=None,
            tenant=tenant,
            title=project_spec.title,
            description=project_spec.description,
            status=project_spec.status,
            start_date=day + datetime.timedelta(days=project_spec.start_days),
            due_date=day + datetime.timedelta(days=project_spec.due_days),
            decision_reference=project_spec.decision_reference
            or ", ".join(r for r in references if r),
            working_groups=project_spec.working_groups,
            **_plan_fields(tenant, project_spec),  # type: ignore[arg-type]
        )
        for activity_spec in project_spec.activities:
            activity(activity_spec, sub_project)
    for activity_spec in spec.activities:
        activity(activity_spec, None)
