"""The three seed minutes in shared/seeds/ as data: what a process leader
enters in the portal for each of them (tests/governance/test_seed_minutes.py).

Each agenda point's text is copied verbatim from the seed (trailing spaces of
markdown line breaks dropped); decisions and assignments quote the sentence
that states them. 002 is an OCR scan without diacritics, and is kept as
scanned. What the minutes leave out but a meeting needs (a time, a date for
"majmötet", the likelihood of a risk, who sends "nytt mail") is marked
"assumed". The real names are those of the seed documents; they appear in
these tests only, never in demo data.
"""

# ruff: noqa: E501

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from governance.models import (
    AgendaItemKind,
    AttendanceStatus,
    BodyKind,
    BodyRole,
    GutFeeling,
    MeetingKind,
    RecordType,
    RiskCategory,
)
from portal.models import PrincipalKind

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

PRESENT = AttendanceStatus.PRESENT
ABSENT = AttendanceStatus.ABSENT
SUBSTITUTE = AttendanceStatus.SUBSTITUTE
GUEST = AttendanceStatus.GUEST


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


@dataclass(frozen=True)
class PersonRow:
    name: str
    principal: str = ""
    title: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class Seat:
    """A seat in the meeting's body, so attendance is pre-filled as in the browser."""

    person: str
    role: str = BodyRole.MEMBER
    start: datetime.date = datetime.date(2018, 9, 1)  # assumed: the minutes give no dates
    end: datetime.date | None = None


@dataclass(frozen=True)
class Attendee:
    person: str
    status: str
    note: str = ""
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    description: str
    people: tuple[str, ...] = ()
    principal: str = ""
    body: str = ""  # an owner body's code
    all_organisations: bool = False
    due: datetime.date | None = None
    next_meeting: bool = False
    decision: str = ""  # the reference of the decision it comes from, e.g. "SG 2019 §3"


@dataclass(frozen=True)
class Risk:
    title: str
    category: str
    likelihood: int  # assumed where the minutes do not assess it
    consequence: int
    description: str = ""
    mitigation: str = ""


@dataclass(frozen=True)
class Report:
    """The status report presented at the item."""

    period: datetime.date
    authors: tuple[str, ...]
    results: str = ""
    gut_feeling: str = GutFeeling.NEUTRAL
    activities: tuple[tuple[str, str], ...] = ()  # (principal, what the process leaders did)
    reviews_risks_of_the_meeting: bool = False


@dataclass(frozen=True)
class Item:
    title: str
    kind: str
    minutes: str
    presenters: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    risks: tuple[Risk, ...] = ()
    report: Report | None = None


@dataclass(frozen=True)
class OtherMeeting:
    """A meeting the minutes mention: cancelled, a planning day, a joint meeting."""

    body: str
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    joint: tuple[str, ...] = ()
    cancelled_reason: str = ""


@dataclass(frozen=True)
class Seed:
    file: str
    principals: tuple[tuple[str, str, str], ...]  # (name, kind, municipality code)
    bodies: tuple[tuple[str, str, str], ...]  # (code, name, kind)
    people: tuple[PersonRow, ...]
    body: str
    seats: tuple[Seat, ...]
    title: str
    kind: str
    record_type: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    note_taker: str
    attendance: tuple[Attendee, ...]
    agenda: tuple[Item, ...]
    other_meetings: tuple[OtherMeeting, ...] = ()
    next_meeting: tuple[datetime.datetime, datetime.datetime] | None = None
    chair: str = ""  # linked to the steering member's login, who approves the minutes


# Texts of the agenda points, verbatim ------------------------------------------------

S000_STATUS = """\
Nettan och Malin går igenom månadens statusrapport (Se separat dokument)"""

S000_GOALS = """\
Dialog kring lokal implementering och ett behov av nyckelpersoner förs. Reflektioner som inkommer:

- Kärnan är viktigast ”varför måste vi arbeta annorlunda- tanken med förändringen utifrån målbild och behov”, en förflyttning och förändring av arbetssätt snarare än funktioner och verktyg.
- Arbetsgrupper kan användas som nyckelpersoner men det kan behövas riktade uppdrag från BGB och eventuellt även kompletteringar av personer.
- Modellen och SOL går fint ihop, arbetet måste ske med fokus på barnet och att organisationsförändringen gör det bättre för barnen. Inget isolerat arbete utan det måste ske i helhet i verksamhet.
- Mari önskar att processledarna stöttar i att informera verksamhetschefer inom Regionen."""

S000_RISKS = """\
- Saknar bifall på modellen från barn- och utbildningsförvaltningen i Eskilstuna. Nytt mail ska skickas till utbildningschef i Eskilstuna.



- Rollbeskrivning Barnets bästa-ansvarig. Inga anmälda resurspersoner inkom till tillfället för att bearbeta utkastet för rollen. De synpunkter som inkommer från styrgruppen handlar om att rollen behöver tillsättas för att sedan kunna formas utifrån lokala sammanhang."""

S000_RESEARCH = """\
Lina ställer frågan om det finns ytterligare tankar i vad som är hjälpsamt att undersöka för delrapport 4.

- Relationer till andra processer som pågår i verksamheten
- Verksamhetsperspektiv eller barnperspektiv, balansen mellan dessa"""

S000_JOINT = """\
Processledarna önskar styrgruppens medskick till agendan för mötet. Det lyfts att det är viktigt att göra en sammanhangsmarkering till varför *Tillsammans för barnens bästa* startades och vad modellen har för betydelse för verksamheterna framåt. Hur täcker vi gapen utifrån behovsinventeringen genom en modell. NPF-delprojekt behöver följas upp utifrån rekommendationerna i slutrapporten."""

S000_OTHER = """\
Styrgruppen har planeringsdag 10/6 och majmötet ställs därför in."""

S002_STATUS = """\
En beskrivning ges per kommun/region/fristaende aktérer av var processledarna har deltagit i for
sammanhang och verksamheter for att informera och halla workshops kring samverkansmodellen.

Styrgruppsmedlemmarna ger darefter sin lageshild om vad som pagar i respektives verksamheter.

o Ser dver hur modellen kan gd in i andra arbeten bade strategiskt och i dokument. Kopplar
det till barnrattsfragor. Forsoka gora verklighet i det lilla.

e Forsta hur allt hanger ihop och kopplar pa modellen som ger stod i fragor som uppstar
tex vardoverenskommelse.

e Vi behover kanske en implementeringsplan for hela hdlso- och sjukvarden, en “rutin”-
vad betyder modellen for oss?

o Ett tydligare nésta steg behdver finnas efter att information ges. Vilka forum kan vi
anvanda, HR-forum, Vardcentralchefsmdten dar de privata VC finns med. Vilka
befintliga funktioner kan vara en resurs? Barnrattspiloter/verksamhetsutvecklare?

e Utmaningar med ekonomi och organisatoriska forandringar dar det finns ovisshet éver
om verksamheter blir kvar.

e En skola har stdngt och i barnkonsekvensarbetet har hjulet anvants strategiskt. Viktigt
att vi inte gor fort och fel utan bra och rétt.

o Viktigt att koppla modellen till andra pagaende projekt/arbeten.

e Enworkshop i Oxel6sund ska féljas upp for att fa kunskap om nasta steg."""

S002_GOALS = """\
Gemensamt forhallningssatt: Hur vet vi hur langt vi
 Vad betyder det utifran olika professioner. hrvediipersgmben. Barrbcetmrdcns
Delmal? Gora de 4 forhallningssatten valkanda i alla 1 samvetkan

verksamheter. Kan vi folja upp nagot utifran varje
forhallningssatt pa nagot satt?

Uppfoljning? Enkat. Goda exempel for fortsatt implementering.
 Gemensamma verktyg och arbetssatt: Hur vet vi hur
langt vi kommit?

Antal barnets bdasta ansvarig/ fordelning huvudman och
verksamhetsomraden. Finns/behovs krav ex barnets bésta
ansvarig for att modellen ska kunna implementeras.
Identifiera viktiga ”funktioner”/”’delar” av modellen som &r
viktiga for implementeringen->forankra

Delmal? Barnets basta-ansvariga utsedda i alla kommuner.
Samordningsfunktioner utsedda.

Uppfo6ljning? Goda exempel. Indikatorer pa malen?

Gemensam struktur: Hur vet vi hur 1angt vi kommit?

Helhetssyn.
Delmal? Samsyn kring syfte. Hjulet som utgangspunkt.

Uppfoljning? Tillitsstyrning- starka det positiva."""

S002_FEEDBACK = """\
Resultat fran dialogen samt status kring de aktiviteter som faststéllts i implementeringsplanen

aterkopplas. Darefter fors en dialog kring féljande:

Behdver vi fler
aktiviteter?

Ska vi lagga mer krut pa

nagon av aktiviteterna?

Resultat:

e Konkretisera och hjalpa verksamheterna i vad de ska gora.
Identifiera vad de olika delarna i modellen innebar i olika verksamheter. Tex, vilka ar vara

samverkansforum.

Belys vad som ar nytt med modellen.

Bryta ner delarna och ta steg for steg i verksamheten.
Ge information till RD/KD-né&tverket.

Samverkan

Beskriv implementeringstrappan tydligare, utveckla innehallet i de olika stegen, ev med

hjélp av arbetsgrupper barn samt beskriva malet i trappan (kanske inte innebéar
modelltrogen) vad innebér varje steg sa kan den vara ett verktyg for alla verksamheter for att
rapportera in for att kunna félja hur det gar/ge en fingervisning."""

S002_NPF = """\
Tva forslag har tagits fram och beslutats i skolchefsnatverk och lansstyrgrupp.
Forslag 1:

Forstarkt EHT. Forslaget ar att skolpsykologen far forstarkt roll med kontaktvag till BUP och
socialtjanst. Forslag att sétta ihop en arbetsgrupp for framtagande av struktur som tittar pa hur vi
kan forstarka lanken mellan dessa verksamheter och skolan.

Fdrslag 2:

Digital plattform dér bade vardnadshavare och professionen kan hitta handledning, férelasningar,
material och insatser. Forslag att tillsatta en arbetsgrupp for att utreda forutsattningarna for att
utveckla en digital plattform.

Dialog fors kring forslagen samt vilka personer som behdver inga i dessa arbetsgrupper.

Det finns utmaningar med resurser och medel for att ga vidare med forslag 1 medan forslag 2 &r en
’lagre hangande frukt”. Det beh6vs andra professioner (IT, kommunikator) for det arbetet, en
omvarldshevakning samt ta fram forslag pa innehéll. Aven andra arbeten och processer belyser
behovet att tillgangliggora information och material."""

S002_EXAMPLE = """\
My Zinderland strateg fran barn- och utbildningsforvaltningen i Vingaker presenterar deras arbete
med revidering av franvarorutinen, en forandring av hanteringen samt digitalisering. De har
integrerat Tillsammans for barnens-bésta-modellen/verktyg i processen pa ett tilltalande satt som
sakerstaller ett helhetsperspektiv i utredningen av franvaro."""

S002_RESEARCH = """\
Lina och Osman presenterar forslag pa arbetsprocess och fragestallningar for delrapport 4. Dialogen
landar i att tiden inte & mogen for denna undersokning och beslut tas att skjuta upp den 12
manader. Daremot 6nskar styrgruppen att vi féljer upp aktiva verksamheter/huvudman och deras
implementeringsarbete, for att titta pa goda exempel som kan bli till stod for fortsatt
implementering, under hésten 2025. Lina och Osman tar fram ett forslag pa det som kommer
presenteras pa nasta styrgruppsmote."""

S004_WELCOME = """\
Ordförande välkomna till mötet och meddelar att hon numera är kommunchef i Alvesta kommun."""

S004_AGENDA = """\
Dagordningen godkänns och föregående mötesanteckningar går igenom och läggs till handlingarna med förändringen kring Therese Linnérs närvaro/frånvaro på föregående möte."""

S004_RESEARCH = """\
Forskarna från Linneuniversitetet som ska följeforska Barnens bästa gäller i Kronoberg presenterade sig och sina utgångspunkter. De vill utöver följeforskningen vara ”stödande kritiska vänner”. Vi har gjort en Kampradansökan som vi får besked på om den beviljas i april 2019. Barnens bästa handlar om implementering, hur går man från idéer till en förändring."""

S004_RESEARCH_DECISION = """\
Styrgruppen beslutar att följeforskarna kan behöva vara med på kommande styrgruppsmöten och att presidiet får i uppgift att ansvara för när i tid det är aktuellt att de medverkar på styrgruppens möten."""

S004_WORKING_GROUPS = """\
**Region Kronoberg:** Ser en fördel med att det är samma personer från Region Kronoberg som sitter med i de olika grupperna för att kunna arbeta för hela länet. Region Kronoberg måste prioritera de områden som är länsövergripande och inte engagera sig i lokala initiativ. Några av Region Kronobergs verksamheter är mer lokalt närvarande och ska eventuellt då finnas representerade i kommunernas arbetsgrupper.

**Tingsryd:** Utgår från en bas som består av en arbetsgrupp som arbetar med implementering i Tingsryd.

**Alvesta:** Arbetsgruppen prioriterar att lägga det på chefsnivå och få med alla verksamheter och åldersgrupper som berörs. Tar arbetet i tre nivåer: nivå 1 - lokalt arbete, nivå 2 - regionen, nivå 3 frivilligsektorn.

**Uppvidinge:** Socionom på familjecentralen som ger föräldrastöd tidigt. Arbetsgrupp finns sedan tidigare och det bli nystart eftersom det varit personalförändringar.

**Lessebo:** Arbetsmöte har genomförts, man har förändrat vilka som ska ingå för att få med alla grupper. Arbetsgruppen kallar också in professioner utifrån behov och hur arbetet fortgår. Frågan kom upp hur Regionen ska ingå i arbetsgrupperna.

**Polisen:** Polisområdesledningen är ännu inte helt övertygad. Hans anser att det är viktigt att arbeta med brottsförebyggande insatser. Bra arbete pågår tillsammans med Ljungby kommun där Hans är kommunpolis.

**Ljungby:** ”Allas barn”-arbetsgrupp med bred representation finns och ett arbete pågår bland annat med genomförda workshops.

**Växjö:** Bygger vidare utifrån ”Tidiga insatser”, har bildat en egen styrgrupp med olika representanter på chefsnivå och har skapat utvecklingsgrupp och referensgrupper.


**Markaryd:** Har arbetsgrupp som nyligen formerats. Oklart hur mycket olika professioner känner till kring arbetet.

**Älmhult:** Haft möte kring vilka som ska ingå i arbetsgruppen.

Alla som har en skriftlig rapportering kring vad som pågår i respektive kommun skickar det till Annika Magnerot [annika.magnerot@kronoberg.se](mailto:annika.magnerot@kronoberg.se) som lägger in det i Netpublicator."""

S004_PROCESS_LEADERS = """\
Erika och Gunnel redovisar vad som händer på kort och lång sikt. Definition av Välbefinnandehjulet är aktuellt nu i februari för att tidigt skapa en samsyn och att alla ska äga begreppen. Processplanen framöver ser ut så här.:



Viktigt att vi visar att det pågår utveckling redan nu även om processen är lång. Om det finns något lokalt exempel kan man skicka det till processledarna som lägger upp det på Barnens bästa galler-hemsidan."""

S004_TIMETABLE = """\
Underlaget som skickats ut godkänns inte av styrgruppen. Tidsplanen är en process som kan förändras över tid, tidsplanen ger indikationer på hur ramen ser ut men att innehåll och tid kan förändras."""

S004_TIMETABLE_DECISION = """\
Att tidsplanen är processledarnas interna material och styrgruppens stöd i arbetet. Tidsplanen bör kallas processplan eftersom den troligen kommer att förändras och vara ett levande dokument som ska lyftas vid varje stygruppsmöte."""

S004_CHILDREN = """\
Flera frågor finns och beslut fattas därför inte på mötet. Processledarna presenterar kort hur de tycker att barnmedverkan kan se ut och att det är varje kommun som får forma efter sina behov och önskemål."""

S004_CHILDREN_DECISION = """\
att varje organisation tar med frågan hem till sina arbetsgrupper för att fortsätta diskutera formerna för barnmedverkan/barnfullmäktige. Styrgruppen uppmanas att använda processledarna för att få mer information och spridning av goda idéer. Åtterrapporering från varje organisation kring frågan sker på nästa styrgruppsmöte."""

S004_CROSS_GROUP = """\
Tvärgrupp barn kommer att utökas med chefer från förskola, grundskola och gymnasiet enligt beslut från skolchefgruppen."""

S004_COMMUNICATION = """\
Nyhetsbrev är på gång och hemsidan uppdateras. Planer på information internt i Region Kronoberg för att nå alla medarbetare. Vill att fler ska börja ”bära” Barnens bästa galler och därför kommer det att tas fram grafisk manér och material i koppling till det."""

S004_CLOSING = """\
Nästa styrgruppsmöte äger rum den 3 maj 2019 kl. 8.00 - 9.00.

Till nästa möte ska alla organisationer återkoppla kring hur de vill arbeta med barnmedverkan/barnfullmäktige. Till nästa möte behöver alla organisationer ha funderat kring hur vi löser finansiering av processledarna framöver. Just nu är finansieringen klar till och med den 31 december 2019.

För att kunna föra djupare diskussioner vid något tillfälle behöver vi avsätta tid för ett längre möte. Presidiet planerar för det och återkommer med datumförslag för heldag i höst."""


# 000: Sörmland, styrgruppen 25 March 2025 ---------------------------------------------

RISK_ESKILSTUNA = Risk(
    title="Saknar bifall på modellen från barn- och utbildningsförvaltningen i Eskilstuna",
    category=RiskCategory.ANCHORING,
    likelihood=3,  # assumed
    consequence=3,  # assumed
    mitigation="Nytt mail ska skickas till utbildningschef i Eskilstuna.",
)
RISK_ROLE = Risk(
    title="Rollbeskrivning Barnets bästa-ansvarig",
    category=RiskCategory.RESOURCES,
    likelihood=3,  # assumed
    consequence=2,  # assumed
    description="Inga anmälda resurspersoner inkom till tillfället för att bearbeta utkastet för rollen.",
    mitigation=(
        "De synpunkter som inkommer från styrgruppen handlar om att rollen behöver tillsättas "
        "för att sedan kunna formas utifrån lokala sammanhang."
    ),
)

SEED_000 = Seed(
    file="000_bbab63635618303e.txt",
    principals=(
        ("Region Sörmland", PrincipalKind.REGION, ""),
        ("Eskilstuna kommun", PrincipalKind.MUNICIPALITY, "0484"),
    ),
    bodies=(
        ("SG", "Styrgruppen", BodyKind.STEERING_GROUP),
        ("LSG", "Länsstyrgruppen", BodyKind.COUNTY_STEERING_GROUP),
        ("SCN", "Skolchefsnätverket", BodyKind.SCHOOL_HEADS_NETWORK),
    ),
    people=(
        PersonRow("Karin Dahlqvist Claesson"),
        PersonRow("Nettan Candolf"),
        PersonRow("Malin Sjöqvist"),
        PersonRow("Elisabeth Kantor"),
        PersonRow("Lina Larsson"),
        PersonRow("Mari Kampf Westerberg", principal="Region Sörmland"),  # "inom Regionen"
        PersonRow("Jennie Nimborg"),
        PersonRow("Katarina Haddon"),
        PersonRow("Johan Lindeberg"),
    ),
    body="SG",
    seats=(
        Seat("Karin Dahlqvist Claesson"),
        Seat("Nettan Candolf", BodyRole.PROCESS_LEADER),  # "Processledarna", "Nettan och Malin"
        Seat("Malin Sjöqvist", BodyRole.PROCESS_LEADER),
        Seat("Elisabeth Kantor"),
        Seat("Lina Larsson", BodyRole.RESEARCHER),  # asks about "delrapport 4"
        Seat("Mari Kampf Westerberg"),
        Seat("Jennie Nimborg"),
        Seat("Katarina Haddon"),
        Seat("Johan Lindeberg"),
    ),
    title="Styrgruppsmöte",
    kind=MeetingKind.REGULAR,
    record_type=RecordType.NOTES,
    starts_at=at(2025, 3, 25, 9),  # the time is assumed
    ends_at=at(2025, 3, 25, 11),
    place="",
    note_taker="",
    attendance=(
        Attendee("Karin Dahlqvist Claesson", PRESENT),
        Attendee("Nettan Candolf", PRESENT),
        Attendee("Malin Sjöqvist", PRESENT),
        Attendee("Elisabeth Kantor", PRESENT),
        Attendee("Lina Larsson", PRESENT),
        Attendee("Mari Kampf Westerberg", PRESENT),
        Attendee("Jennie Nimborg", PRESENT),
        Attendee("Katarina Haddon", PRESENT),
        Attendee("Johan Lindeberg", PRESENT),
    ),
    agenda=(
        Item(
            "Statusrapport",
            AgendaItemKind.INFORMATION,
            S000_STATUS,
            presenters=("Nettan Candolf", "Malin Sjöqvist"),
            report=Report(
                period=datetime.date(2025, 3, 1),
                authors=("Nettan Candolf", "Malin Sjöqvist"),
                results="Se separat dokument",
                reviews_risks_of_the_meeting=True,
            ),
        ),
        Item(
            "Mål och resultat",
            AgendaItemKind.DIALOGUE,
            S000_GOALS,
            actions=(
                Action(
                    "Mari önskar att processledarna stöttar i att informera verksamhetschefer inom Regionen.",
                    people=("Nettan Candolf", "Malin Sjöqvist"),
                ),
            ),
        ),
        Item(
            "Risker",
            AgendaItemKind.DIALOGUE,
            S000_RISKS,
            risks=(RISK_ESKILSTUNA, RISK_ROLE),
            actions=(
                Action(
                    "Nytt mail ska skickas till utbildningschef i Eskilstuna.",
                    people=(
                        "Nettan Candolf",
                        "Malin Sjöqvist",
                    ),  # assumed: the minutes name no sender
                ),
            ),
        ),
        Item(
            "Följeforskning",
            AgendaItemKind.DIALOGUE,
            S000_RESEARCH,
            presenters=("Lina Larsson",),
        ),
        Item(
            "Skolchefsnätverk och länsstyrgrupp gemensamt möte 9/5",
            AgendaItemKind.DIALOGUE,
            S000_JOINT,
            presenters=("Nettan Candolf", "Malin Sjöqvist"),
        ),
        Item("Övrigt", AgendaItemKind.OTHER, S000_OTHER),
    ),
    other_meetings=(
        OtherMeeting(  # "Skolchefsnätverk och länsstyrgrupp gemensamt möte 9/5"; times assumed
            body="SCN",
            joint=("LSG",),
            kind=MeetingKind.JOINT,
            starts_at=at(2025, 5, 9, 9),
            ends_at=at(2025, 5, 9, 12),
        ),
        OtherMeeting(  # "majmötet ställs därför in"; the date is assumed
            body="SG",
            kind=MeetingKind.REGULAR,
            starts_at=at(2025, 5, 20, 9),
            ends_at=at(2025, 5, 20, 11),
            cancelled_reason="Styrgruppen har planeringsdag 10/6 och majmötet ställs därför in.",
        ),
        OtherMeeting(  # "Styrgruppen har planeringsdag 10/6"
            body="SG",
            kind=MeetingKind.PLANNING_DAY,
            starts_at=at(2025, 6, 10, 9),
            ends_at=at(2025, 6, 10, 15),
        ),
    ),
)


# 002: Sörmland, styrgruppens planeringsdag 10 June 2025 (OCR, names as written) -----

SEED_002 = Seed(
    file="002_36beef4469eeb2de.txt",
    principals=(
        ("Region Sörmland", PrincipalKind.REGION, ""),
        ("Oxelösunds kommun", PrincipalKind.MUNICIPALITY, "0481"),
        ("Vingåkers kommun", PrincipalKind.MUNICIPALITY, "0428"),
    ),
    bodies=(("SG", "Styrgruppen", BodyKind.STEERING_GROUP),),
    people=(
        PersonRow("Nettan"),
        PersonRow("Malin"),
        PersonRow("Karin"),
        PersonRow("Osman"),
        PersonRow("Lina"),
        PersonRow("Jennie"),
        PersonRow("Mari"),
        PersonRow("Marita"),
        PersonRow("Johan"),
        PersonRow("Katarina"),
        PersonRow(
            "My Zinderland",
            principal="Vingåkers kommun",
            title="strateg fran barn- och utbildningsforvaltningen",
        ),
    ),
    body="SG",
    seats=(
        Seat("Nettan", BodyRole.PROCESS_LEADER),
        Seat("Malin", BodyRole.PROCESS_LEADER),
        Seat("Karin"),
        Seat("Osman", BodyRole.RESEARCHER),  # "Lina och Osman ... delrapport 4"
        Seat("Lina", BodyRole.RESEARCHER),
        Seat("Jennie"),
        Seat("Mari"),
        Seat("Marita"),
        Seat("Johan"),
        Seat("Katarina"),
    ),
    title="",
    kind=MeetingKind.PLANNING_DAY,
    record_type=RecordType.NOTES,
    starts_at=at(2025, 6, 10, 9),  # "Styrgruppen 250610"; the times are assumed
    ends_at=at(2025, 6, 10, 15),
    place="",
    note_taker="",
    attendance=(
        Attendee("Nettan", PRESENT),
        Attendee("Malin", PRESENT),
        Attendee("Karin", PRESENT),
        Attendee("Osman", PRESENT),
        Attendee("Lina", PRESENT),
        Attendee("Jennie", PRESENT),
        Attendee("Mari", PRESENT),
        Attendee("Marita", PRESENT),
        Attendee("Johan", PRESENT),
        Attendee("Katarina", PRESENT),
        Attendee("My Zinderland", GUEST),  # presents "Goda exempel fran Vingaker"
    ),
    agenda=(
        Item(
            "Statusrapport",
            AgendaItemKind.INFORMATION,
            S002_STATUS,
            presenters=("Nettan", "Malin"),
            risks=(
                Risk(
                    title="Utmaningar med ekonomi och organisatoriska forandringar dar det finns ovisshet éver om verksamheter blir kvar.",
                    category=RiskCategory.FUNDING,
                    likelihood=3,  # assumed
                    consequence=3,  # assumed
                ),
            ),
            actions=(
                Action(
                    "Enworkshop i Oxel6sund ska féljas upp for att fa kunskap om nasta steg.",
                    people=("Nettan", "Malin"),  # assumed: the process leaders held it
                ),
            ),
            report=Report(
                period=datetime.date(2025, 6, 1),
                authors=("Nettan", "Malin"),
                activities=(
                    (
                        "Oxelösunds kommun",
                        "Enworkshop i Oxel6sund ska féljas upp for att fa kunskap om nasta steg.",
                    ),
                ),
                reviews_risks_of_the_meeting=True,
            ),
        ),
        Item("Implementering- Uppféljning och delmal", AgendaItemKind.DIALOGUE, S002_GOALS),
        Item(
            "Implementering- aterkoppling fran skolchefsnatverket och lansstyrgruppsméte",
            AgendaItemKind.DIALOGUE,
            S002_FEEDBACK,
        ),
        Item(
            "Skolchefsnatverk och Lansstyrgrupp: NPF-delprojekt",
            AgendaItemKind.DIALOGUE,
            S002_NPF,
            risks=(
                Risk(
                    title="Det finns utmaningar med resurser och medel for att ga vidare med forslag 1",
                    category=RiskCategory.RESOURCES,
                    likelihood=3,  # assumed
                    consequence=2,  # assumed
                ),
            ),
        ),
        Item(
            "Goda exempel fran Vingaker",
            AgendaItemKind.INFORMATION,
            S002_EXAMPLE,
            presenters=("My Zinderland",),
        ),
        Item(
            "Foljeforskning",
            AgendaItemKind.DIALOGUE,
            S002_RESEARCH,
            presenters=("Lina", "Osman"),
            decisions=(
                "Dialogen landar i att tiden inte & mogen for denna undersokning och beslut tas att skjuta upp den 12 manader.",
            ),
            actions=(
                Action(
                    "Lina och Osman tar fram ett forslag pa det som kommer presenteras pa nasta styrgruppsmote.",
                    people=("Lina", "Osman"),
                    next_meeting=True,
                ),
            ),
        ),
    ),
)


# 004: Kronoberg, styrgruppen 15 February 2019 -------------------------------------------

VAXJO = "Växjö kommun"
REGION_KRONOBERG = "Region Kronoberg"
LNU = "Linnéuniversitetet"

SEED_004 = Seed(
    file="004_de29f7d97b4de548.txt",
    principals=(
        (REGION_KRONOBERG, PrincipalKind.REGION, ""),
        (VAXJO, PrincipalKind.MUNICIPALITY, "0780"),
        ("Lessebo kommun", PrincipalKind.MUNICIPALITY, "0761"),
        ("Ljungby kommun", PrincipalKind.MUNICIPALITY, "0781"),
        ("Alvesta kommun", PrincipalKind.MUNICIPALITY, "0764"),
        ("Tingsryds kommun", PrincipalKind.MUNICIPALITY, "0763"),
        ("Uppvidinge kommun", PrincipalKind.MUNICIPALITY, "0760"),
        ("Markaryds kommun", PrincipalKind.MUNICIPALITY, "0767"),
        ("Älmhults kommun", PrincipalKind.MUNICIPALITY, "0765"),
        ("Polismyndigheten", PrincipalKind.STATE_AGENCY, ""),
        (LNU, PrincipalKind.RESEARCH, ""),
    ),
    bodies=(
        ("SG", "Styrgruppen", BodyKind.STEERING_GROUP),
        ("PR", "Presidiet", BodyKind.PRESIDIUM),
    ),
    people=(
        PersonRow("Camilla Holmqvist", VAXJO),
        PersonRow("Magnus Fritihof", REGION_KRONOBERG),
        PersonRow("Therese Linnér", "Lessebo kommun"),
        PersonRow("Magnus Wallinder", "Ljungby kommun"),
        PersonRow("Carsten Wulf", "Alvesta kommun"),
        PersonRow("Patrik Grimmesjö", "Tingsryds kommun"),  # listed twice as present
        PersonRow("Annie-Lie Jarhult", "Uppvidinge kommun"),
        PersonRow("Hans Sjöberg", "Polismyndigheten"),
        PersonRow("Carina Mosel", VAXJO),
        PersonRow("Per-Henrik Nilsson", REGION_KRONOBERG),
        PersonRow("Åsa Karlsson", REGION_KRONOBERG),
        PersonRow("Annika Magnerot", REGION_KRONOBERG),
        PersonRow("Sofie Schentz Magnusson", REGION_KRONOBERG),
        PersonRow("Anna-Karin Pålsson", "Markaryds kommun"),
        PersonRow("Johan Rutgersmark", "Markaryds kommun"),
        PersonRow("Per Sandberg", VAXJO),
        PersonRow("Lena Nazzal", REGION_KRONOBERG),
        PersonRow("Roger Johansson", "Älmhults kommun"),
        PersonRow("Anders Elingfors", VAXJO),
        PersonRow("Carina Pettersson", REGION_KRONOBERG),
        PersonRow("Linda Vingren", REGION_KRONOBERG),
        PersonRow("Angelika Thelin", LNU),
        PersonRow("Mats Andersberg", LNU),
        PersonRow("Torbjörn Forkby", LNU),
        PersonRow("Erika Lagergren", title="processledare"),
        PersonRow("Gunnel Gustafsson", title="processledare"),
    ),
    body="SG",
    seats=(
        Seat("Camilla Holmqvist", BodyRole.CHAIR),
        Seat("Magnus Fritihof"),
        Seat("Therese Linnér"),
        Seat("Magnus Wallinder"),
        Seat("Carsten Wulf"),
        Seat("Patrik Grimmesjö"),
        Seat("Annie-Lie Jarhult"),
        Seat("Hans Sjöberg"),
        Seat("Per-Henrik Nilsson"),
        Seat("Åsa Karlsson", BodyRole.COMMUNICATOR),
        Seat("Annika Magnerot"),
        Seat("Johan Rutgersmark"),
        Seat("Per Sandberg"),
        Seat("Lena Nazzal"),
        Seat("Roger Johansson"),
        Seat("Anders Elingfors"),
        Seat("Carina Pettersson"),
        # "Sofie Schentz Magnusson ... (ersätter Linda Vingren framöver)": a new period.
        Seat("Linda Vingren", end=datetime.date(2019, 2, 14)),
        Seat("Sofie Schentz Magnusson", start=datetime.date(2019, 2, 15)),
    ),
    title="Styrgruppsmöte för Barnens bästa gäller! - i Kronoberg",
    kind=MeetingKind.REGULAR,
    record_type=RecordType.NOTES,
    starts_at=at(2019, 2, 15, 9),  # "Fredagen den 15 februari 2019, Kl. 09:00 – 11.00"
    ends_at=at(2019, 2, 15, 11),
    place="Nygatan 20, Växjö",
    note_taker="Sofie Schentz Magnusson",  # "Anteckningar förda av Sofie Schentz Magnusson"
    attendance=(
        Attendee("Camilla Holmqvist", PRESENT, note="ordförande"),
        Attendee("Magnus Fritihof", PRESENT),
        Attendee("Therese Linnér", PRESENT),
        Attendee("Magnus Wallinder", PRESENT),
        Attendee("Carsten Wulf", PRESENT),
        Attendee("Patrik Grimmesjö", PRESENT),
        Attendee("Annie-Lie Jarhult", PRESENT),
        Attendee("Hans Sjöberg", PRESENT),
        Attendee("Carina Mosel", SUBSTITUTE, replaces=("Per Sandberg", "Anders Elingfors")),
        Attendee("Per-Henrik Nilsson", PRESENT),
        Attendee("Åsa Karlsson", PRESENT, note="kommunikatör"),
        Attendee("Annika Magnerot", PRESENT),
        Attendee(
            "Sofie Schentz Magnusson", SUBSTITUTE, note="framöver", replaces=("Linda Vingren",)
        ),
        Attendee("Anna-Karin Pålsson", SUBSTITUTE, replaces=("Johan Rutgersmark",)),
        Attendee("Johan Rutgersmark", ABSENT),
        Attendee("Per Sandberg", ABSENT),
        Attendee("Lena Nazzal", ABSENT),
        Attendee("Roger Johansson", ABSENT),
        Attendee("Anders Elingfors", ABSENT),
        Attendee("Carina Pettersson", ABSENT),
        Attendee("Angelika Thelin", GUEST),
        Attendee("Mats Andersberg", GUEST),
        Attendee("Torbjörn Forkby", GUEST),
        Attendee("Erika Lagergren", GUEST),
        Attendee("Gunnel Gustafsson", GUEST),
    ),
    agenda=(
        Item(
            "Ordförande hälsar välkommen och alla presenteras",
            AgendaItemKind.INFORMATION,
            S004_WELCOME,
            presenters=("Camilla Holmqvist",),
        ),
        Item(
            "Godkännande av dagordning samt föregående mötesanteckningar",
            AgendaItemKind.DECISION,
            S004_AGENDA,
        ),
        Item(
            "Forskning och implementering",
            AgendaItemKind.DECISION,
            S004_RESEARCH,
            presenters=("Angelika Thelin", "Mats Andersberg", "Torbjörn Forkby"),
            decisions=(S004_RESEARCH_DECISION,),
            actions=(
                Action(
                    "Presidiet får i uppgift att ansvara för när i tid det är aktuellt att de medverkar på styrgruppens möten.",
                    body="PR",
                    decision="SG 2019 §1",
                ),
            ),
        ),
        Item(
            "Återrapport om arbetet med arbetsgrupper",
            AgendaItemKind.INFORMATION,
            S004_WORKING_GROUPS,
            actions=(
                Action(
                    "Alla som har en skriftlig rapportering kring vad som pågår i respektive kommun skickar det till Annika Magnerot som lägger in det i Netpublicator.",
                    all_organisations=True,
                ),
            ),
        ),
        Item(
            "Information från processledarna",
            AgendaItemKind.INFORMATION,
            S004_PROCESS_LEADERS,
            presenters=("Erika Lagergren", "Gunnel Gustafsson"),
        ),
        Item(
            "Beslut tidsplan",
            AgendaItemKind.DECISION,
            S004_TIMETABLE,
            decisions=(S004_TIMETABLE_DECISION,),
        ),
        Item(
            "Beslut barnmedverkan/barnfullmäktige",
            AgendaItemKind.DECISION,
            S004_CHILDREN,
            presenters=("Erika Lagergren", "Gunnel Gustafsson"),
            decisions=(S004_CHILDREN_DECISION,),
        ),
        Item(
            "Beslut om medlem i tvärgrupp barn- och unga",
            AgendaItemKind.DECISION,
            S004_CROSS_GROUP,
        ),
        Item("Kommunikation", AgendaItemKind.INFORMATION, S004_COMMUNICATION),
        Item(
            "Avslutning",
            AgendaItemKind.OTHER,
            S004_CLOSING,
            actions=(
                Action(
                    "Till nästa möte ska alla organisationer återkoppla kring hur de vill arbeta med barnmedverkan/barnfullmäktige.",
                    all_organisations=True,
                    next_meeting=True,
                    decision="SG 2019 §3",
                ),
                Action(
                    "Till nästa möte behöver alla organisationer ha funderat kring hur vi löser finansiering av processledarna framöver.",
                    all_organisations=True,
                    next_meeting=True,
                ),
                Action(
                    "Presidiet planerar för det och återkommer med datumförslag för heldag i höst.",
                    body="PR",
                ),
            ),
            risks=(
                Risk(
                    title="Finansiering av processledarna framöver",
                    category=RiskCategory.FUNDING,
                    likelihood=2,  # assumed
                    consequence=4,  # assumed
                    description="Just nu är finansieringen klar till och med den 31 december 2019.",
                    mitigation="Till nästa möte behöver alla organisationer ha funderat kring hur vi löser finansiering av processledarna framöver.",
                ),
            ),
        ),
    ),
    # "Nästa styrgruppsmöte äger rum den 3 maj 2019 kl. 8.00 - 9.00."
    next_meeting=(at(2019, 5, 3, 8), at(2019, 5, 3, 9)),
    chair="Camilla Holmqvist",
)

SEEDS = {"000": SEED_000, "002": SEED_002, "004": SEED_004}
