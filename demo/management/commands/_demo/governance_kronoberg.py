"""Governance demo data for Barnens bästa gäller! i Kronoberg: the steering
group, the presidium and the cross-sector group for children and young people;
a year of meetings and the ones coming up. Fictional people (see kronoberg.py
and users.py). The minutes are approved by the appointed justerare: the process
leader with the demo login `processledare` (the other process leader takes the
notes) until the chair changed in the autumn; since then the steering group's
minutes by the new chair, who has a login because she was invited as a member
(invited.py) and approves as the person she is in the directory."""

from __future__ import annotations

from typing import Any

from governance.models import ActionStatus, BodyKind, BodyRole, GutFeeling, MeetingKind, RiskStatus
from governance.models import AgendaItemKind as K
from governance.models import RiskCategory as C

from .governance import (
    FINISHED,
    ActionSpec,
    BodySpec,
    DecisionSpec,
    GovernanceSpec,
    ItemSpec,
    MeetingSpec,
    ReportSpec,
    ReviewSpec,
    RiskSpec,
    SeatSpec,
)

# People (fictional) -----------------------------------------------------------------

FORMER_CHAIR = "Kristina Hellström"
CHAIR = "Ingrid Lövgren"
LEADER = "Maja Eklund"
LEADER_2 = "Sara Lindholm"  # the demo login `processledare`, appointed justerare
LEADERS = (LEADER, LEADER_2)
RESEARCHER = "Charlotte Wennberg"
COMMUNICATOR = "Jessica Lundgren"
CHAIR_CHANGE = -150  # days from today

PLACE = "Regionhuset, Växjö"
LINK = "https://mote.example.se/styrgruppen-kronoberg"

# Bodies and members over time -------------------------------------------------------

BODIES = (
    BodySpec(
        "SG",
        "Styrgruppen",
        BodyKind.STEERING_GROUP,
        "Länets kommuner, Region Kronoberg och Polismyndigheten. Följeforskarna från "
        "Linnéuniversitetet deltar när presidiet bjuder in dem.",
    ),
    BodySpec(
        "PR",
        "Presidiet",
        BodyKind.PRESIDIUM,
        "Ordförande, vice ordförande och processledarna; bereder styrgruppens möten.",
    ),
    BodySpec(
        "TG",
        "Tvärgrupp barn och unga",
        BodyKind.CROSS_GROUP,
        "Chefer och utvecklingsledare från skola, socialtjänst, hälso- och sjukvård och polis.",
    ),
)

_MEMBERS = (
    "Björn Sandström",
    "Anna Hägg",
    "Erik Fagerström",
    "Susanne Nyberg",
    "Emma Söderlund",
    "Marie Strömberg",
    "Elin Hammar",
    "Joakim Nord",
    "Thomas Ekholm",
    "Nils Borg",
)

SEATS = (
    # The chair leaves for another post: a new chair from the day after the
    # meeting that chose her, and Alvesta sends a new member.
    SeatSpec("SG", FORMER_CHAIR, BodyRole.CHAIR, start=-1000),
    SeatSpec("SG", CHAIR, start=-1000, end=CHAIR_CHANGE - 1),
    SeatSpec("SG", CHAIR, BodyRole.CHAIR, start=CHAIR_CHANGE),
    SeatSpec("SG", "Jakob Lindahl", start=CHAIR_CHANGE),
    *(SeatSpec("SG", name, start=-1000) for name in _MEMBERS),
    SeatSpec("SG", "Gustav Ljung", BodyRole.DEPUTY, start=-800),
    SeatSpec("SG", "Ahmed Yusuf", BodyRole.DEPUTY, start=-800),
    SeatSpec("SG", LEADER, BodyRole.PROCESS_LEADER, start=-1000),
    SeatSpec("SG", LEADER_2, BodyRole.PROCESS_LEADER, start=-500),
    SeatSpec("SG", COMMUNICATOR, BodyRole.COMMUNICATOR, start=-1000),
    SeatSpec("SG", RESEARCHER, BodyRole.RESEARCHER, start=-700),
    SeatSpec("PR", FORMER_CHAIR, BodyRole.CHAIR, start=-1000),
    SeatSpec("PR", CHAIR, BodyRole.CHAIR, start=CHAIR_CHANGE),
    SeatSpec("PR", "Björn Sandström", BodyRole.VICE_CHAIR, start=-1000),
    SeatSpec("PR", LEADER, BodyRole.PROCESS_LEADER, start=-1000),
    SeatSpec("PR", LEADER_2, BodyRole.PROCESS_LEADER, start=-500),
    SeatSpec("TG", "Anna Hägg", BodyRole.CHAIR, start=-1000),
    *(
        SeatSpec("TG", name, start=-1000)
        for name in (
            "Ahmed Yusuf",
            "Sanna Blomqvist",
            "Lars Wikström",
            "Helén Sjögren",
            "Rasmus Holm",
            "Viktor Åkesson",
        )
    ),
    # The group grew with heads of school.
    SeatSpec("TG", "Andreas Berglund", start=-290),
    SeatSpec("TG", "Josefin Dahl", start=-290),
    SeatSpec("TG", LEADER, BodyRole.PROCESS_LEADER, start=-1000),
)

# Risks ------------------------------------------------------------------------------

RISK_FUNDING = RiskSpec(
    key="finansiering",
    title="Finansieringen av processledarna efter innevarande period är inte klar",
    category=C.FUNDING,
    likelihood=3,
    consequence=4,
    owner=FORMER_CHAIR,
    description="Processledarnas tjänster är finansierade till årets slut.",
    mitigation="Alla organisationer tar ställning till fortsatt delfinansiering; presidiet "
    "tar fram ett förslag till fördelning.",
)
RISK_POLICE = RiskSpec(
    key="polis",
    title="Otydligt mandat för polisens deltagande i de lokala arbetsgrupperna",
    category=C.COLLABORATION,
    likelihood=2,
    consequence=3,
    owner="Erik Fagerström",
    description="Lokalpolisområdena deltar olika mycket i kommunernas arbetsgrupper.",
    mitigation="Lokalpolisområdena utser en kontaktperson per kommun.",
)
RISK_TURNOVER = RiskSpec(
    key="omsattning",
    title="Personalomsättning i de lokala arbetsgrupperna",
    category=C.RESOURCES,
    likelihood=3,
    consequence=2,
    owner=LEADER,
    description="Flera arbetsgrupper har fått nystarta efter personalförändringar.",
    mitigation="Processledarna erbjuder en introduktion för nya medlemmar varje termin.",
)
RISK_PARTICIPATION = RiskSpec(
    key="barnmedverkan",
    title="Barnmedverkan blir symbolisk",
    category=C.OTHER,
    likelihood=2,
    consequence=3,
    owner="Anna Hägg",
    description="Det finns en risk att barn bjuds in utan att deras synpunkter påverkar arbetet.",
    mitigation="Varje kommun beskriver hur barnens synpunkter återkopplas; tvärgruppen "
    "samlar exempel.",
)

# Meetings ---------------------------------------------------------------------------


def _sg(day: int, *agenda: ItemSpec, **kwargs: Any) -> MeetingSpec:
    """An ordinary steering-group meeting; one process leader takes the notes and the
    other approves them, or since the chair changed, the new chair does."""
    defaults: dict[str, Any] = {
        "place": PLACE,
        "start": (8, 30),
        "minutes_long": 120,
        "note_taker": LEADER,
        "adjusters": (CHAIR,) if day >= CHAIR_CHANGE else (LEADER_2,),
    }
    return MeetingSpec("SG", day, agenda, **{**defaults, **kwargs})


def _tg(day: int, *agenda: ItemSpec, **kwargs: Any) -> MeetingSpec:
    defaults: dict[str, Any] = {
        "online_link": LINK,
        "start": (13, 0),
        "minutes_long": 90,
        "note_taker": LEADER,
        "adjusters": (LEADER_2,),
    }
    return MeetingSpec("TG", day, agenda, **{**defaults, **kwargs})


_WELCOME = ItemSpec(
    "Välkommen och godkännande av dagordning",
    K.DECISION,
    "Ordföranden hälsar välkommen. Dagordningen godkänns och föregående mötesanteckningar "
    "läggs till handlingarna.",
)
_PROCESS_LEADERS = ItemSpec(
    "Information från processledarna",
    K.INFORMATION,
    "Processledarna redovisar vad som är på gång på kort och lång sikt, och hur "
    "processplanen följs.",
    presenters=LEADERS,
    report=True,
)

MEETINGS = (
    _sg(
        -330,
        _WELCOME,
        ItemSpec(
            "Återrapport från de lokala arbetsgrupperna",
            K.INFORMATION,
            "**Alvesta:** arbetsgruppen arbetar på chefsnivå och har fått med alla "
            "åldersgrupper.\n\n"
            "**Ljungby:** arbetsgruppen har genomfört två workshops med skola och "
            "socialtjänst.\n\n"
            "**Tingsryd:** en ny arbetsgrupp har bildats efter personalförändringar.\n\n"
            "**Polisen:** kommunpoliserna deltar i arbetsgrupperna i Ljungby och Växjö.",
            actions=(
                ActionSpec(
                    "lagesbeskrivning",
                    "Skicka en skriftlig lägesbeskrivning av den lokala arbetsgruppen till "
                    "processledarna.",
                    all_organisations=True,
                    next_meeting=True,
                ),
            ),
        ),
        ItemSpec(
            "Processplan",
            K.DECISION,
            "Processledarna presenterar processplanen. Den ger en ram, men innehåll och "
            "tider kan ändras.",
            presenters=LEADERS,
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att processplanen är ett levande dokument som följs "
                    "upp vid varje styrgruppsmöte."
                ),
            ),
        ),
        ItemSpec(
            "Kommunikation",
            K.INFORMATION,
            "Ett nyhetsbrev ska nå alla medarbetare i länets verksamheter.",
            actions=(
                ActionSpec(
                    "nyhetsbrev",
                    "Ta fram ett nyhetsbrev om programmet till medarbetarna i länets verksamheter.",
                    people=(COMMUNICATOR,),
                    due=60,
                ),
            ),
            risks=(RISK_FUNDING,),
        ),
        absent=("Nils Borg",),
        substitutes=(("Gustav Ljung", ("Marie Strömberg",)),),
    ),
    _tg(
        -305,
        ItemSpec(
            "Samverkansforum för barn och unga",
            K.DIALOGUE,
            "Tvärgruppen diskuterar vilka forum som redan finns och var barn och unga "
            "faller mellan stolarna.",
            actions=(
                ActionSpec(
                    "kartlaggning",
                    "Kartlägg befintliga samverkansforum för barn och unga i länet.",
                    people=("Anna Hägg", "Ahmed Yusuf"),
                    due=90,
                    status=ActionStatus.IN_PROGRESS,
                ),
            ),
        ),
        absent=("Helén Sjögren",),
    ),
    _sg(
        -270,
        _WELCOME,
        _PROCESS_LEADERS,
        ItemSpec(
            "Barnmedverkan",
            K.DECISION,
            "Processledarna presenterar hur barnmedverkan kan se ut. Varje kommun formar "
            "arbetet efter sina behov.",
            presenters=LEADERS,
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att varje kommun utformar barnmedverkan utifrån egna "
                    "förutsättningar, med stöd av processledarna."
                ),
            ),
            actions=(
                ActionSpec(
                    "barnmedverkan",
                    "Återkoppla hur organisationen vill arbeta med barnmedverkan.",
                    all_organisations=True,
                    next_meeting=True,
                    from_decision=True,
                ),
            ),
            risks=(RISK_PARTICIPATION,),
        ),
        ItemSpec(
            "Polisens deltagande",
            K.DIALOGUE,
            "Polisen deltar i några av arbetsgrupperna; mandatet behöver förtydligas.",
            presenters=("Erik Fagerström",),
            risks=(RISK_POLICE,),
        ),
        ItemSpec(
            "Finansiering",
            K.DIALOGUE,
            "Finansieringen är klar till årets slut. Presidiet får bereda frågan.",
            actions=(
                ActionSpec(
                    "finansiering",
                    "Ta fram ett förslag på fortsatt finansiering av processledarna.",
                    body="PR",
                    due=120,
                    status=ActionStatus.IN_PROGRESS,
                ),
            ),
        ),
        absent=("Joakim Nord", "Emma Söderlund"),
        follow_up=(
            ("lagesbeskrivning", ActionStatus.REPORTED),
            ("nyhetsbrev", ActionStatus.DONE),
        ),
    ),
    MeetingSpec(
        "PR",
        -240,
        (
            ItemSpec(
                "Gemensam dag med tvärgruppen",
                K.DECISION,
                "Presidiet vill att styrgruppen och tvärgruppen möts kring välbefinnandehjulet.",
                decisions=(
                    DecisionSpec(
                        "Presidiet beslutar att föreslå styrgruppen ett gemensamt möte med "
                        "tvärgruppen."
                    ),
                ),
                actions=(
                    ActionSpec(
                        "gemensam-dag",
                        "Planera det gemensamma mötet med styrgruppen och tvärgruppen.",
                        people=LEADERS,
                        due=100,
                    ),
                ),
            ),
            ItemSpec(
                "Följeforskarnas medverkan",
                K.DIALOGUE,
                "Följeforskarna bjuds in till styrgruppen när delrapporterna presenteras.",
            ),
        ),
        online_link=LINK,
        minutes_long=60,
        note_taker=LEADER,
        adjusters=(LEADER_2,),
    ),
    _sg(
        -210,
        _WELCOME,
        _PROCESS_LEADERS,
        ItemSpec(
            "Följeforskning",
            K.DECISION,
            "Följeforskarna från Linnéuniversitetet presenterar sina utgångspunkter: "
            "implementering handlar om hur man går från idéer till förändring.",
            presenters=(RESEARCHER, "Henrik Åström"),
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att följeforskarna deltar på varannat styrgruppsmöte."
                ),
            ),
            actions=(
                ActionSpec(
                    "delrapport1",
                    "Presentera den första delrapporten från följeforskningen.",
                    people=(RESEARCHER,),
                    due=90,
                    from_decision=True,
                ),
            ),
        ),
        ItemSpec(
            "Risker",
            K.DIALOGUE,
            "Genomgång av riskregistret.",
            risks=(RISK_TURNOVER,),
            reviews=(
                ReviewSpec(
                    "finansiering",
                    3,
                    4,
                    RiskStatus.MANAGED,
                    "Presidiet bereder en fördelning mellan huvudmännen.",
                ),
            ),
        ),
        guests=(("Henrik Åström", "följeforskare"),),
        absent=("Thomas Ekholm",),
        substitutes=(("Ahmed Yusuf", ("Thomas Ekholm",)),),
        follow_up=(("barnmedverkan", ActionStatus.REPORTED),),
    ),
    _sg(
        -165,
        _WELCOME,
        _PROCESS_LEADERS,
        ItemSpec(
            "Val av ordförande",
            K.DECISION,
            "Ordföranden meddelar att hon går till en ny tjänst och lämnar styrgruppen. "
            "Styrgruppen tackar för hennes arbete.",
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att välja Ingrid Lövgren, Växjö kommun, till ny "
                    "ordförande efter Kristina Hellström."
                ),
            ),
            actions=(
                ActionSpec(
                    "ny-ledamot",
                    "Utse en ny ledamot i styrgruppen.",
                    principal="Alvesta kommun",
                    due=14,
                ),
            ),
        ),
        absent=("Elin Hammar",),
    ),
    _sg(
        -120,
        ItemSpec(
            "Workshop: välbefinnandehjulet i verksamheternas planering",
            K.DIALOGUE,
            "Styrgruppen och tvärgruppen arbetar i blandade grupper med hur hjulet kan "
            "användas i de lokala handlingsplanerna. Reflektioner:\n"
            "- Hjulet ger ett gemensamt språk mellan skola och socialtjänst.\n"
            "- Det behövs exempel från vardagen för att hjulet ska användas.",
            decisions=(
                DecisionSpec(
                    "Styrgruppen och tvärgruppen beslutar att välbefinnandehjulet används som "
                    "gemensam utgångspunkt i alla lokala handlingsplaner."
                ),
            ),
            actions=(
                ActionSpec(
                    "stodmaterial",
                    "Ta fram ett stödmaterial för hur hjulet kan användas i verksamheternas "
                    "planering.",
                    body="TG",
                    due=60,
                    status=ActionStatus.IN_PROGRESS,
                    from_decision=True,
                ),
            ),
        ),
        kind=MeetingKind.JOINT,
        title="Styrgruppen och tvärgruppen, gemensamt möte",
        joint=("TG",),
        start=(9, 0),
        minutes_long=240,
        follow_up=(
            ("ny-ledamot", ActionStatus.DONE),
            ("gemensam-dag", ActionStatus.DONE),
        ),
    ),
    _sg(
        -85,
        _WELCOME,
        _PROCESS_LEADERS,
        ItemSpec(
            "Följeforskning: delrapport 1",
            K.INFORMATION,
            "Följeforskarna presenterar delrapport 1. Arbetsgrupperna har kommit olika långt; "
            "där chefer deltar går arbetet snabbare.",
            presenters=(RESEARCHER,),
        ),
        ItemSpec(
            "Implementeringstrappan",
            K.DECISION,
            "Processledarna visar hur självskattningen i trappan går till i portalen.",
            presenters=LEADERS,
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att alla organisationer lämnar sin första "
                    "självskattning i implementeringstrappan."
                ),
            ),
            actions=(
                ActionSpec(
                    "sjalvskattning",
                    "Lämna organisationens första självskattning i implementeringstrappan.",
                    all_organisations=True,
                    due=40,
                    status=ActionStatus.IN_PROGRESS,
                    from_decision=True,
                ),
            ),
        ),
        ItemSpec(
            "Risker",
            K.DIALOGUE,
            "Genomgång av riskregistret.",
            reviews=(
                ReviewSpec(
                    "finansiering",
                    2,
                    4,
                    RiskStatus.MANAGED,
                    "Huvudmännen är positiva till fortsatt delfinansiering.",
                ),
                ReviewSpec(
                    "polis",
                    1,
                    3,
                    RiskStatus.CLOSED,
                    "Lokalpolisområdena har utsett kontaktpersoner till alla arbetsgrupper.",
                ),
            ),
        ),
        guests=(("Henrik Åström", "följeforskare"),),
        absent=("Susanne Nyberg", "Marie Strömberg"),
        follow_up=(
            ("delrapport1", ActionStatus.DONE),
            ("finansiering", ActionStatus.DONE),
        ),
    ),
    _tg(
        -60,
        ItemSpec(
            "Goda exempel på tidiga insatser",
            K.INFORMATION,
            "Familjecentralen i Uppvidinge berättar om föräldrastöd tidigt i barnets liv.",
            presenters=("Sanna Blomqvist",),
            actions=(
                ActionSpec(
                    "goda-exempel",
                    "Sammanställ goda exempel på tidiga insatser från kommunerna.",
                    people=("Ahmed Yusuf", "Sanna Blomqvist"),
                    due=45,
                ),
            ),
            reviews=(
                ReviewSpec(
                    "barnmedverkan",
                    2,
                    3,
                    RiskStatus.MANAGED,
                    "Tre kommuner har beskrivit hur barnens synpunkter återkopplas.",
                ),
            ),
        ),
        absent=("Lars Wikström",),
        follow_up=(("kartlaggning", ActionStatus.DONE),),
    ),
    _sg(
        -30,
        _WELCOME,
        _PROCESS_LEADERS,
        ItemSpec(
            "Heldag om programmets fortsättning",
            K.DECISION,
            "För djupare diskussioner behövs ett längre möte.",
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att hålla en heldag om programmets fortsättning och "
                    "att presidiet planerar innehållet."
                ),
            ),
            actions=(
                ActionSpec(
                    "heldag",
                    "Planera heldagen och skicka ut program.",
                    body="PR",
                    next_meeting=True,
                    from_decision=True,
                ),
                ActionSpec(
                    "finansieringsunderlag",
                    "Sammanställ underlag om fortsatt finansiering inför heldagen.",
                    people=LEADERS,
                    due=40,
                ),
            ),
        ),
        ItemSpec(
            "Risker",
            K.DIALOGUE,
            "Genomgång av riskregistret.",
            reviews=(
                ReviewSpec(
                    "omsattning",
                    3,
                    2,
                    RiskStatus.MANAGED,
                    "Introduktion för nya medlemmar hölls i två kommuner.",
                ),
                ReviewSpec(
                    "finansiering",
                    2,
                    3,
                    RiskStatus.MANAGED,
                    "Sex av nio huvudmän har beslutat om sin andel.",
                ),
            ),
        ),
        absent=("Björn Sandström",),
        minutes=FINISHED,
        # Two signatories: the process leader has signed, the chair has not yet.
        adjusters=(CHAIR, LEADER_2),
    ),
    # Coming up: a cancelled cross-group meeting, the next steering group (agenda
    # drafted), and the full day the presidium plans.
    _tg(
        10,
        cancelled="För få anmälda. Punkterna flyttas till nästa möte med tvärgruppen.",
    ),
    _sg(
        21,
        _WELCOME,
        ItemSpec("Information från processledarna", K.INFORMATION, presenters=LEADERS),
        ItemSpec("Självskattningarna i implementeringstrappan", K.DIALOGUE),
    ),
    _sg(
        56,
        ItemSpec("Programmets fortsättning", K.DIALOGUE),
        ItemSpec("Finansiering", K.DIALOGUE),
        kind=MeetingKind.PLANNING_DAY,
        title="Heldag om programmets fortsättning",
        start=(9, 0),
        minutes_long=420,
    ),
)

# Monthly status reports -------------------------------------------------------------

REPORTS = (
    ReportSpec(
        0,
        LEADERS,
        "Heldagen planeras tillsammans med presidiet.",
        GutFeeling.NEUTRAL,
        "Finansieringsfrågan tar mycket kraft.",
        "Skicka ut programmet för heldagen.",
        (("Lessebo kommun", "Introduktion för arbetsgruppens nya medlemmar."),),
    ),
    ReportSpec(
        1,
        LEADERS,
        "Fem av nio organisationer har lämnat sin första självskattning.",
        GutFeeling.POSITIVE,
        "Självskattningen har satt igång bra samtal i arbetsgrupperna.",
        "Påminna de organisationer som inte har skattat.",
        (
            ("Ljungby kommun", "Workshop med arbetsgruppen Allas barn."),
            ("Polismyndigheten", "Möte med lokalpolisområdet i Ljungby."),
            ("Region Kronoberg", "Information på barnhälsovårdens utvecklingsdag."),
        ),
    ),
    ReportSpec(
        2,
        LEADERS,
        "Delrapport 1 från följeforskningen är presenterad.",
        GutFeeling.NEUTRAL,
        "Rapporten bekräftar det vi ser: arbetsgrupperna har kommit olika långt.",
        "Stötta arbetsgrupperna som behöver komma igång.",
        (
            ("Markaryds kommun", "Uppstart med den nybildade arbetsgruppen."),
            ("Älmhults kommun", "Möte om vilka som ska ingå i arbetsgruppen."),
        ),
    ),
    ReportSpec(
        3,
        LEADERS,
        "Gemensamt möte med tvärgruppen om välbefinnandehjulet.",
        GutFeeling.POSITIVE,
        "Workshopen gav energi och ett gemensamt språk.",
        "Stödja tvärgruppen i arbetet med stödmaterialet.",
        (
            ("Växjö kommun", "Möte med utvecklingsgruppen för tidiga insatser."),
            ("Tingsryds kommun", "Workshop med den nya arbetsgruppen."),
        ),
    ),
    ReportSpec(
        4,
        LEADERS,
        "Styrgruppen har fått ny ordförande. Alvesta har utsett en ny ledamot.",
        GutFeeling.NEUTRAL,
        "Ordförandebytet gick smidigt.",
        "Introducera den nya ledamoten.",
        (("Alvesta kommun", "Introduktion för den nya ledamoten i styrgruppen."),),
    ),
    ReportSpec(
        5,
        LEADERS,
        "Alla organisationer har återkopplat hur de vill arbeta med barnmedverkan.",
        GutFeeling.WORRYING,
        "Finansieringen efter årsskiftet är fortfarande inte klar.",
        "Bereda finansieringsfrågan med presidiet.",
        (
            ("Uppvidinge kommun", "Nystart med arbetsgruppen efter personalförändringar."),
            ("Lessebo kommun", "Arbetsmöte om vilka grupper som ska ingå."),
        ),
    ),
    ReportSpec(
        6,
        LEADERS,
        "Nyhetsbrevet har gått ut. Processplanen är uppdaterad.",
        GutFeeling.POSITIVE,
        "Fler börjar bära Barnens bästa gäller.",
        "Förbereda styrgruppens dialog om barnmedverkan.",
        (
            ("Region Kronoberg", "Information internt för att nå alla medarbetare."),
            ("Ljungby kommun", "Stöd till arbetsgruppens workshops."),
        ),
    ),
)

GOVERNANCE = GovernanceSpec(
    slug="kronoberg", bodies=BODIES, seats=SEATS, meetings=MEETINGS, reports=REPORTS
)
