"""Governance demo data for Tillsammans för barnens bästa i Sörmland: the
steering group, the county steering group, the school heads' network and the
presidium; a year of meetings and the ones coming up. Fictional people (see
sormland.py and users.py); the demo login `styrgrupp` (Mikael Hedström) chairs
the steering group and the presidium, so he approves their minutes."""

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

CHAIR = "Mikael Hedström"  # the demo login `styrgrupp`
FORMER_CHAIR = "Helena Strand"
LEADER = "Linnea Falk"
LEADER_2 = "Sara Lindholm"  # the demo login `processledare`
LEADERS = (LEADER, LEADER_2)
RESEARCHER = "Karolina Mattsson"
COMMUNICATOR = "Tove Hallberg"
REGION = "Region Sörmland"

SG_PLACE = "Regionhuset, Nyköping"
SG_LINK = "https://mote.example.se/styrgruppen-sormland"
LSG_PLACE = "Stadshuset, Katrineholm"

# Bodies and members over time -------------------------------------------------------

BODIES = (
    BodySpec(
        "SG",
        "Styrgruppen",
        BodyKind.STEERING_GROUP,
        "Programmets styrgrupp: förvaltningschefer från länets kommuner, verksamhetschefer "
        "från Region Sörmland och FoU i Sörmland. Möts en gång i månaden utom på sommaren.",
    ),
    BodySpec(
        "LSG",
        "Länsstyrgruppen",
        BodyKind.COUNTY_STEERING_GROUP,
        "Socialchefer och hälso- och sjukvårdens verksamhetschefer; samordnar den "
        "länsgemensamma samverkan kring barn och unga.",
    ),
    BodySpec(
        "SCN",
        "Skolchefsnätverket",
        BodyKind.SCHOOL_HEADS_NETWORK,
        "Länets skolchefer. Äger tillsammans med länsstyrgruppen NPF-delprojektet.",
    ),
    BodySpec(
        "PR",
        "Presidiet",
        BodyKind.PRESIDIUM,
        "Ordförande, vice ordförande och processledarna. Bereder styrgruppens möten.",
    ),
)

_MUNICIPAL_MEMBERS = (
    "Maria Öhman",
    "Eva Lindblad",
    "Peter Ahlström",
    "Anneli Holmberg",
    "Cecilia Forsberg",
    "Louise Ekström",
    "Stefan Björk",
)

SEATS = (
    # The chair changed a little over a year ago: a new period, the history kept.
    SeatSpec("SG", FORMER_CHAIR, BodyRole.CHAIR, start=-1100),
    SeatSpec("SG", CHAIR, BodyRole.CHAIR, start=-420),
    SeatSpec("SG", FORMER_CHAIR, start=-420),
    SeatSpec("SG", "Ulrika Bergqvist", BodyRole.VICE_CHAIR, start=-1100),
    SeatSpec("SG", "Anders Wiklund", start=-1100),
    *(SeatSpec("SG", name, start=-1100) for name in _MUNICIPAL_MEMBERS),
    SeatSpec("SG", "Sofia Blom", start=-1100, represents_body="SCN"),
    SeatSpec("SG", "Jonas Lundmark", start=-1100, represents_body="LSG"),
    SeatSpec("SG", "Martin Kjellberg", BodyRole.DEPUTY, start=-700),
    SeatSpec("SG", "Daniel Sjödin", BodyRole.DEPUTY, start=-700),
    SeatSpec("SG", LEADER, BodyRole.PROCESS_LEADER, start=-1100),
    SeatSpec("SG", LEADER_2, BodyRole.PROCESS_LEADER, start=-600),
    SeatSpec("SG", RESEARCHER, BodyRole.RESEARCHER, start=-1100),
    SeatSpec("SG", COMMUNICATOR, BodyRole.COMMUNICATOR, start=-1100),
    SeatSpec("LSG", "Anders Wiklund", BodyRole.CHAIR, start=-1100),
    *(
        SeatSpec("LSG", name, start=-1100)
        for name in (
            "Jonas Lundmark",
            "Tobias Nordin",
            "Daniel Sjödin",
            CHAIR,
            "Leyla Demir",
            "Robert Engström",
            "Niklas Hedlund",
            "Mattias Sundberg",
            "Stefan Björk",
            "Ulrika Bergqvist",
            "Fredrik Ekman",
        )
    ),
    SeatSpec("LSG", LEADER, BodyRole.PROCESS_LEADER, start=-1100),
    SeatSpec("SCN", "Sofia Blom", BodyRole.CHAIR, start=-1100),
    *(
        SeatSpec("SCN", name, start=-1100)
        for name in (
            FORMER_CHAIR,
            "Maria Öhman",
            "Eva Lindblad",
            "Peter Ahlström",
            "Anneli Holmberg",
            "Cecilia Forsberg",
            "Louise Ekström",
            "Jenny Åberg",
        )
    ),
    SeatSpec("SCN", LEADER_2, BodyRole.PROCESS_LEADER, start=-600),
    SeatSpec("PR", FORMER_CHAIR, BodyRole.CHAIR, start=-1100),
    SeatSpec("PR", CHAIR, BodyRole.CHAIR, start=-420),
    SeatSpec("PR", "Ulrika Bergqvist", BodyRole.VICE_CHAIR, start=-1100),
    SeatSpec("PR", LEADER, BodyRole.PROCESS_LEADER, start=-1100),
    SeatSpec("PR", LEADER_2, BodyRole.PROCESS_LEADER, start=-600),
)

# Risks ------------------------------------------------------------------------------

RISK_ANCHORING = RiskSpec(
    key="forankring",
    title="Svag förankring av modellen i barn- och utbildningsförvaltningarna",
    category=C.ANCHORING,
    likelihood=3,
    consequence=3,
    owner=LEADER,
    description="Flera förvaltningsledningar inom skolan har ännu inte ställt sig bakom "
    "samverkansmodellen, vilket bromsar den lokala implementeringen.",
    mitigation="Processledarna bokar dialogmöten med varje förvaltningsledning och tar fram "
    "ett kortfattat underlag om vad modellen innebär för skolan.",
)
RISK_ROLE = RiskSpec(
    key="bba",
    title="Barnets bästa-ansvariga saknas i flera kommuner",
    category=C.RESOURCES,
    likelihood=3,
    consequence=3,
    owner=LEADER_2,
    description="Utan utsedda Barnets bästa-ansvariga saknas en mottagare för modellen i "
    "verksamheterna.",
    mitigation="Rollbeskrivningen fastställs och varje huvudman ombeds utse en ansvarig; "
    "processledarna stöttar med introduktion.",
)
RISK_FUNDING = RiskSpec(
    key="finansiering",
    title="Osäker finansiering av processledarna efter programperioden",
    category=C.FUNDING,
    likelihood=2,
    consequence=4,
    owner=CHAIR,
    description="Processledarnas tjänster är finansierade till programperiodens slut; "
    "ingen fördelning mellan huvudmännen är beslutad därefter.",
    mitigation="Presidiet tar fram ett förslag till kostnadsfördelning mellan huvudmännen "
    "som styrgruppen kan ta ställning till i god tid.",
)
RISK_REORGANISATION = RiskSpec(
    key="omorganisation",
    title="Organisationsförändringar skapar ovisshet om vilka verksamheter som blir kvar",
    category=C.ORGANISATION,
    likelihood=3,
    consequence=2,
    owner="Ulrika Bergqvist",
    description="Pågående omorganisation inom hälso- och sjukvården gör det oklart vem som "
    "är kontaktperson för programmet.",
    mitigation="Kontaktpersonerna ses över efter omorganisationen och introduceras av "
    "processledarna.",
)
RISK_NPF = RiskSpec(
    key="npf",
    title="NPF-delprojektets förslag saknar resurser för genomförande",
    category=C.RESOURCES,
    likelihood=3,
    consequence=3,
    owner="Sofia Blom",
    description="Förslaget om förstärkt elevhälsa kräver resurser som ingen huvudman har avsatt.",
    mitigation="Förslaget om en digital plattform prioriteras; förstärkt elevhälsa utreds "
    "vidare av en arbetsgrupp.",
)

# Meetings ---------------------------------------------------------------------------

_STATUS = ItemSpec(
    "Statusrapport",
    K.INFORMATION,
    "Processledarna går igenom månadens statusrapport: var de har informerat, hållit "
    "workshops och mött verksamheter sedan förra mötet.",
    presenters=LEADERS,
    report=True,
)


def _sg(day: int, *agenda: ItemSpec, **kwargs: Any) -> MeetingSpec:
    """An ordinary steering-group meeting, the process leaders taking turns with the notes."""
    defaults: dict[str, Any] = {
        "place": SG_PLACE,
        "start": (13, 0),
        "minutes_long": 150,
        "note_taker": LEADER_2 if day % 2 else LEADER,
    }
    return MeetingSpec("SG", day, agenda, **{**defaults, **kwargs})


MEETINGS = (
    _sg(
        -335,
        ItemSpec(
            "Mål och resultat",
            K.DIALOGUE,
            "Dialog om hur programmets mål ska följas upp lokalt. Reflektioner:\n"
            "- Målen behöver brytas ned så att varje verksamhet ser sin del.\n"
            "- Uppföljningen ska bygga på det som redan rapporteras, inte på nya enkäter.\n"
            "- Barnets perspektiv ska synas i varje delmål.",
            actions=(
                ActionSpec(
                    "underlag-skola",
                    "Ta fram ett kortfattat underlag om vad modellen innebär för skolan, "
                    "inför dialogmöten med förvaltningsledningarna.",
                    people=LEADERS,
                    due=45,
                ),
                ActionSpec(
                    "kontaktpersoner",
                    "Varje organisation utser en kontaktperson för implementeringen och "
                    "meddelar processledarna.",
                    all_organisations=True,
                    next_meeting=True,
                ),
            ),
        ),
        ItemSpec(
            "Risker",
            K.DIALOGUE,
            "Styrgruppen går igenom riskerna. Förankringen inom skolan lyfts som den "
            "största risken just nu.",
            risks=(RISK_ANCHORING,),
        ),
        ItemSpec("Övrigt", K.OTHER, "Inga övriga frågor."),
        absent=("Louise Ekström",),
    ),
    _sg(
        -300,
        ItemSpec(
            "Rollbeskrivning Barnets bästa-ansvarig",
            K.DECISION,
            "Processledarna presenterar utkastet till rollbeskrivning. Synpunkter från "
            "styrgruppen: rollen behöver tillsättas först och formas sedan utifrån lokala "
            "förutsättningar.",
            presenters=LEADERS,
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att fastställa rollbeskrivningen för Barnets "
                    "bästa-ansvarig med de ändringar som framkom under mötet."
                ),
            ),
            actions=(
                ActionSpec(
                    "bba-utse",
                    "Varje huvudman utser en Barnets bästa-ansvarig och meddelar processledarna.",
                    all_organisations=True,
                    due=150,
                    status=ActionStatus.IN_PROGRESS,
                    from_decision=True,
                ),
            ),
            risks=(RISK_ROLE,),
        ),
        ItemSpec(
            "Goda exempel från Eskilstuna",
            K.INFORMATION,
            "Familjecentralerna i Eskilstuna berättar hur de använder välbefinnandehjulet "
            "i samtal med vårdnadshavare. Styrgruppen vill sprida exemplet.",
            presenters=("Johanna Ekberg",),
            actions=(
                ActionSpec(
                    "nyhetsbrev",
                    "Ta fram en mall för programmets nyhetsbrev, med plats för goda exempel.",
                    people=(COMMUNICATOR,),
                    due=30,
                ),
            ),
        ),
        guests=(("Johanna Ekberg", "presenterar goda exempel"),),
        absent=("Stefan Björk", "Anders Wiklund"),
        follow_up=(
            ("underlag-skola", ActionStatus.DONE),
            ("kontaktpersoner", ActionStatus.REPORTED),
        ),
    ),
    MeetingSpec(
        "LSG",
        -270,
        (
            ItemSpec(
                "Samordnad individuell plan för barn och unga",
                K.DECISION,
                "Förslaget till gemensam rutin för SIP presenteras. Socialcheferna ser "
                "behov av en tydligare ingång för skolan.",
                presenters=(LEADER,),
                decisions=(
                    DecisionSpec(
                        "Länsstyrgruppen beslutar att ställa sig bakom förslaget till "
                        "gemensam SIP-rutin för barn och unga."
                    ),
                ),
                actions=(
                    ActionSpec(
                        "sip",
                        "Socialcheferna förankrar SIP-rutinen i sina ledningsgrupper.",
                        body="LSG",
                        due=60,
                    ),
                ),
            ),
            ItemSpec(
                "Återkoppling från styrgruppen",
                K.INFORMATION,
                "Processledaren återkopplar styrgruppens beslut om rollbeskrivningen.",
                presenters=(LEADER,),
            ),
        ),
        place=LSG_PLACE,
        note_taker=LEADER,
        adjusters=(CHAIR,),
        absent=("Robert Engström",),
    ),
    _sg(
        -240,
        _STATUS,
        ItemSpec(
            "Processplan",
            K.DECISION,
            "Processledarna presenterar processplanen för kommande år. Planen är ett "
            "levande dokument och lyfts vid varje möte.",
            presenters=LEADERS,
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att godkänna processplanen för det kommande året."
                ),
            ),
            actions=(
                ActionSpec(
                    "informera-region",
                    "Informera verksamhetscheferna inom hälso- och sjukvården om modellen.",
                    principal=REGION,
                    due=60,
                ),
            ),
        ),
        ItemSpec(
            "Risker",
            K.DIALOGUE,
            "Genomgång av riskerna. Finansieringen efter programperioden läggs till.",
            risks=(RISK_FUNDING,),
            reviews=(
                ReviewSpec(
                    "forankring",
                    3,
                    3,
                    RiskStatus.MANAGED,
                    "Dialogmöten bokade med sex av nio förvaltningsledningar.",
                ),
            ),
            actions=(
                ActionSpec(
                    "kostnadsfordelning",
                    "Ta fram ett förslag till kostnadsfördelning för processledarnas "
                    "finansiering efter programperioden.",
                    body="PR",
                    due=120,
                    status=ActionStatus.IN_PROGRESS,
                ),
            ),
        ),
        substitutes=(("Daniel Sjödin", ("Eva Lindblad",)),),
        absent=("Cecilia Forsberg",),
        follow_up=(("nyhetsbrev", ActionStatus.DONE),),
    ),
    MeetingSpec(
        "PR",
        -205,
        (
            ItemSpec(
                "Beredning av styrgruppens höst",
                K.DIALOGUE,
                "Presidiet går igenom teman för styrgruppens kommande möten: "
                "följeforskningens delrapport, implementeringstrappan och finansieringen.",
            ),
            ItemSpec(
                "Finansiering av processledarna",
                K.DECISION,
                "Tre modeller för kostnadsfördelning diskuteras: efter invånarantal, lika "
                "delar, eller en kombination.",
                decisions=(
                    DecisionSpec(
                        "Presidiet beslutar att föreslå styrgruppen en kostnadsfördelning "
                        "efter antal barn och unga i respektive kommun."
                    ),
                ),
            ),
        ),
        place=SG_PLACE,
        online_link=SG_LINK,
        minutes_long=60,
        note_taker=LEADER,
    ),
    _sg(
        -180,
        _STATUS,
        ItemSpec(
            "Följeforskning: delrapport 3",
            K.DECISION,
            "Följeforskaren presenterar delrapport 3. Verksamheterna beskriver att modellen "
            "ger ett gemensamt språk, men att stödet till chefer behöver stärkas.",
            presenters=(RESEARCHER, "Henrik Åström"),
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att delrapport 3 läggs till handlingarna och att "
                    "rekommendationerna tas med i processplanen."
                ),
            ),
            actions=(
                ActionSpec(
                    "delrapport4",
                    "Presentera upplägget för delrapport 4 på ett kommande möte.",
                    people=(RESEARCHER,),
                    next_meeting=True,
                ),
            ),
        ),
        ItemSpec(
            "Risker",
            K.DIALOGUE,
            "Omorganisationen inom regionen lyfts som en ny risk.",
            risks=(RISK_REORGANISATION,),
            reviews=(
                ReviewSpec(
                    "bba",
                    3,
                    3,
                    RiskStatus.MANAGED,
                    "Fyra av nio kommuner har utsett Barnets bästa-ansvarig.",
                ),
            ),
        ),
        ItemSpec(
            "Goda exempel",
            K.INFORMATION,
            "Processledarna samlar goda exempel till nyhetsbrevet.",
            actions=(
                ActionSpec(
                    "goda-exempel",
                    "Sammanställ goda exempel från kommunerna till nyhetsbrevet.",
                    people=LEADERS,
                    due=90,
                    status=ActionStatus.IN_PROGRESS,
                ),
            ),
        ),
        guests=(("Henrik Åström", "följeforskare, Linnéuniversitetet"),),
        absent=("Peter Ahlström", "Anneli Holmberg"),
        follow_up=(("informera-region", ActionStatus.REPORTED),),
        online_link=SG_LINK,
    ),
    MeetingSpec(
        "LSG",
        -150,
        (
            ItemSpec(
                "NPF-delprojektet: förslag efter slutrapporten",
                K.DECISION,
                "Två förslag har tagits fram utifrån rekommendationerna i slutrapporten:\n"
                "- **Förslag 1:** förstärkt elevhälsa med en tydlig kontaktväg till BUP och "
                "socialtjänst.\n"
                "- **Förslag 2:** en digital plattform där vårdnadshavare och professionella "
                "hittar stöd, föreläsningar och material.\n"
                "Förslag 2 bedöms som enklast att komma vidare med; förslag 1 kräver resurser.",
                presenters=("Sofia Blom", LEADER),
                decisions=(
                    DecisionSpec(
                        "Länsstyrgruppen beslutar att tillsätta en arbetsgrupp som utreder "
                        "förutsättningarna för en digital plattform."
                    ),
                    DecisionSpec(
                        "Skolchefsnätverket beslutar att förstärkt elevhälsa utreds vidare "
                        "inom NPF-delprojektet.",
                        body="SCN",
                    ),
                ),
                actions=(
                    ActionSpec(
                        "plattform",
                        "Arbetsgruppen för den digitala plattformen återkommer med förslag på "
                        "innehåll och ansvarsfördelning.",
                        people=("Martin Kjellberg", "Oskar Lindgren"),
                        due=90,
                        status=ActionStatus.IN_PROGRESS,
                        from_decision=True,
                    ),
                ),
                risks=(RISK_NPF,),
            ),
            ItemSpec(
                "Sammanhangsmarkering",
                K.INFORMATION,
                "Processledarna påminner om varför programmet startade och vilka behov "
                "behovsinventeringen visade.",
                presenters=LEADERS,
            ),
        ),
        kind=MeetingKind.JOINT,
        title="Länsstyrgruppen och skolchefsnätverket, gemensamt möte",
        joint=("SCN",),
        place=LSG_PLACE,
        start=(9, 0),
        minutes_long=180,
        note_taker=LEADER_2,
        adjusters=(CHAIR,),
        guests=(("Oskar Lindgren", "FoU i Sörmland"),),
        absent=("Mattias Sundberg", "Jenny Åberg"),
        follow_up=(("sip", ActionStatus.DONE),),
    ),
    _sg(
        -120,
        _STATUS,
        ItemSpec(
            "Implementeringstrappan",
            K.DECISION,
            "Dialog om hur ofta verksamheterna ska skatta sitt läge i trappan. Två gånger "
            "per år bedöms rimligt.",
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att verksamheterna skattar sitt läge i "
                    "implementeringstrappan två gånger per år."
                ),
            ),
            actions=(
                ActionSpec(
                    "trappan",
                    "Rapportera organisationens läge i implementeringstrappan i portalen.",
                    all_organisations=True,
                    due=45,
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
                    "forankring",
                    2,
                    3,
                    RiskStatus.MANAGED,
                    "Sju förvaltningar har ställt sig bakom modellen; två dialoger återstår.",
                ),
                ReviewSpec(
                    "finansiering",
                    3,
                    4,
                    RiskStatus.IDENTIFIED,
                    "Kostnadsfördelningen är inte beslutad i alla kommuner.",
                ),
            ),
        ),
        substitutes=(("Martin Kjellberg", ("Peter Ahlström",)),),
        follow_up=(("delrapport4", ActionStatus.DONE),),
    ),
    _sg(
        -60,
        _STATUS,
        ItemSpec(
            "Goda exempel från Vingåker",
            K.INFORMATION,
            "Barn- och utbildningsförvaltningen i Vingåker visar hur de har byggt in "
            "välbefinnandehjulet i sin reviderade frånvarorutin.",
            presenters=("Jenny Åberg",),
        ),
        ItemSpec(
            "Planeringsdag",
            K.DECISION,
            "Styrgruppen vill ha en heldag för fördjupad dialog om implementeringen.",
            decisions=(
                DecisionSpec(
                    "Styrgruppen beslutar att hålla en planeringsdag och att presidiet "
                    "planerar innehållet."
                ),
            ),
            actions=(
                ActionSpec(
                    "planeringsdag",
                    "Planera innehållet i styrgruppens planeringsdag.",
                    body="PR",
                    next_meeting=True,
                    from_decision=True,
                ),
                ActionSpec(
                    "workshop",
                    "Bjud in skolchefsnätverket och länsstyrgruppen till en gemensam "
                    "workshop om implementeringstrappan.",
                    people=(LEADER_2,),
                    due=75,
                ),
            ),
        ),
        ItemSpec(
            "Risker",
            K.DIALOGUE,
            "Omorganisationen i regionen är genomförd.",
            reviews=(
                ReviewSpec(
                    "omorganisation",
                    1,
                    2,
                    RiskStatus.CLOSED,
                    "Omorganisationen är klar och kontaktpersonerna är uppdaterade.",
                ),
                ReviewSpec(
                    "bba",
                    2,
                    3,
                    RiskStatus.MANAGED,
                    "Sju av nio kommuner har utsett Barnets bästa-ansvarig.",
                ),
            ),
        ),
        guests=(("Jenny Åberg", "presenterar goda exempel"),),
        absent=("Jonas Lundmark",),
        follow_up=(
            ("trappan", ActionStatus.REPORTED),
            ("kostnadsfordelning", ActionStatus.DONE),
        ),
    ),
    _sg(
        -25,
        _STATUS,
        ItemSpec(
            "Mål och resultat",
            K.DIALOGUE,
            # Markdown, as the minutes are written: a heading, a nested list, a link.
            "# Lokal implementering\n\n"
            "Dialog om lokal implementering och behovet av *nyckelpersoner*:\n\n"
            "- Arbetsgrupperna kan vara nyckelpersoner, men behöver **tydliga uppdrag**.\n"
            "  - Varje förvaltning formulerar uppdraget till sin arbetsgrupp.\n"
            "  - Processledarna tar fram ett gemensamt stöd för uppdragen.\n"
            "- Det som är nytt med modellen behöver lyftas tydligare.\n"
            "- Regionens verksamhetschefer behöver mer information; underlaget finns på "
            "[Region Sörmlands webbplats](https://www.regionsormland.se/).",
            actions=(
                ActionSpec(
                    "barnmedverkan",
                    "Ta med frågan om barnmedverkan till arbetsgrupperna och återkoppla vid "
                    "nästa möte.",
                    all_organisations=True,
                    next_meeting=True,
                ),
            ),
        ),
        ItemSpec(
            "Risker",
            K.DIALOGUE,
            "Genomgång av riskregistret inför planeringsdagen.",
            reviews=(
                ReviewSpec(
                    "finansiering",
                    2,
                    4,
                    RiskStatus.MANAGED,
                    "Sex kommuner har beslutat om sin andel av finansieringen.",
                ),
                ReviewSpec(
                    "npf",
                    3,
                    3,
                    RiskStatus.MANAGED,
                    "Arbetsgruppen för den digitala plattformen är tillsatt.",
                ),
            ),
        ),
        ItemSpec(
            "Övrigt",
            K.OTHER,
            "Styrgruppen ersätter ett ordinarie möte med planeringsdagen.",
        ),
        absent=("Maria Öhman", "Sofia Blom"),
        substitutes=(("Daniel Sjödin", ("Eva Lindblad",)),),
        minutes=FINISHED,
        online_link=SG_LINK,
    ),
    # Coming up: the next meeting (agenda drafted), a cancelled one, the planning day.
    _sg(
        14,
        ItemSpec("Statusrapport", K.INFORMATION, presenters=LEADERS),
        ItemSpec("Följeforskning: upplägg för delrapport 4", K.DIALOGUE, presenters=(RESEARCHER,)),
        ItemSpec("Övrigt", K.OTHER),
    ),
    _sg(
        42,
        cancelled="Styrgruppen har planeringsdag veckan efter och det ordinarie mötet ställs "
        "därför in.",
    ),
    _sg(
        49,
        ItemSpec("Implementering: uppföljning och delmål", K.DIALOGUE),
        ItemSpec("Återkoppling från skolchefsnätverket och länsstyrgruppen", K.DIALOGUE),
        ItemSpec("Goda exempel", K.INFORMATION),
        kind=MeetingKind.PLANNING_DAY,
        title="Styrgruppens planeringsdag",
        place="Stadshuset, Eskilstuna",
        all_day=True,  # the day is set; the times are not yet
    ),
)

# Monthly status reports -------------------------------------------------------------

REPORTS = (
    ReportSpec(
        0,
        LEADERS,
        "Planeringsdagen förbereds. Arbetsgruppen för den digitala plattformen har haft sitt "
        "första möte.",
        GutFeeling.POSITIVE,
        "Engagemanget inför planeringsdagen är stort.",
        "Färdigställa programmet för planeringsdagen.",
        (("Gnesta kommun", "Introduktion av modellen för elevhälsans personal."),),
    ),
    ReportSpec(
        1,
        LEADERS,
        "Sju av nio kommuner har utsett Barnets bästa-ansvarig. Workshops har hållits i "
        "Oxelösund och Trosa.",
        GutFeeling.POSITIVE,
        "Det märks att modellen börjar användas på riktigt i verksamheterna.",
        "Följa upp workshopen i Oxelösund och förbereda planeringsdagen.",
        (
            ("Oxelösunds kommun", "Workshop om välbefinnandehjulet med förskolans chefer."),
            ("Trosa kommun", "Workshop med socialtjänstens och skolans arbetsgrupp."),
            ("Region Sörmland", "Information på vårdcentralschefernas möte."),
        ),
    ),
    ReportSpec(
        2,
        LEADERS,
        "Självskattningarna i implementeringstrappan är inlämnade från alla kommuner utom två.",
        GutFeeling.NEUTRAL,
        "Stort engagemang, men ekonomin och organisationsförändringar skapar ovisshet.",
        "Sammanställa självskattningarna till styrgruppen.",
        (
            ("Vingåkers kommun", "Stöd i revideringen av frånvarorutinen."),
            ("Nyköpings kommun", "Möte med elevhälsans ledningsgrupp."),
            ("Flens kommun", "Introduktion för nya chefer inom individ- och familjeomsorgen."),
        ),
    ),
    ReportSpec(
        3,
        LEADERS,
        "NPF-delprojektets arbetsgrupp har bildats. Nyhetsbrevet har gått ut till alla "
        "medarbetare.",
        GutFeeling.NEUTRAL,
        "Bra fart i delprojektet, men resurserna för förslag 1 saknas fortfarande.",
        "Stötta arbetsgruppen för den digitala plattformen.",
        (
            ("Strängnäs kommun", "Workshop med familjecentralen."),
            ("Eskilstuna kommun", "Dialogmöte med barn- och utbildningsförvaltningens ledning."),
        ),
    ),
    ReportSpec(
        4,
        LEADERS,
        "Gemensamt möte med länsstyrgruppen och skolchefsnätverket genomfört. Två förslag i "
        "NPF-delprojektet beslutade.",
        GutFeeling.POSITIVE,
        "Skolan och socialtjänsten har hittat ett gemensamt fokus.",
        "Tillsätta arbetsgruppen för den digitala plattformen.",
        (
            ("Katrineholms kommun", "Information i socialförvaltningens ledningsgrupp."),
            ("Region Sörmland", "Workshop med barn- och ungdomspsykiatrins enhetschefer."),
        ),
    ),
    ReportSpec(
        5,
        LEADERS,
        "Delrapport 3 från följeforskningen är klar. Fyra kommuner har utsett Barnets "
        "bästa-ansvarig.",
        GutFeeling.NEUTRAL,
        "Utsedda ansvariga är på plats i hälften av kommunerna; vi behöver fortsätta driva frågan.",
        "Påminna om utseendet av Barnets bästa-ansvariga.",
        (
            ("Gnesta kommun", "Dialogmöte med förvaltningsledningen."),
            ("Trosa kommun", "Information för förskolans rektorer."),
        ),
    ),
    ReportSpec(
        6,
        LEADERS,
        "Dialogmöten har hållits med fem förvaltningsledningar inom skolan.",
        GutFeeling.WORRYING,
        "Förankringen inom skolan går långsammare än planerat.",
        "Boka de återstående dialogmötena.",
        (
            ("Flens kommun", "Dialogmöte med skolchefen och rektorerna."),
            ("Oxelösunds kommun", "Dialogmöte med barn- och utbildningsförvaltningen."),
            ("Nyköpings kommun", "Workshop med elevhälsan."),
        ),
    ),
    ReportSpec(
        7,
        LEADERS,
        "Processplanen är uppdaterad och underlaget om modellen för skolan är klart.",
        GutFeeling.NEUTRAL,
        "Ett lugnare arbetsår; mycket handlar om planering.",
        "Boka dialogmöten med förvaltningsledningarna.",
        (("Eskilstuna kommun", "Möte med familjecentralerna om välbefinnandehjulet."),),
    ),
)

GOVERNANCE = GovernanceSpec(
    slug="sormland", bodies=BODIES, seats=SEATS, meetings=MEETINGS, reports=REPORTS
)
