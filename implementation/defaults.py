"""What every programme starts with: the default implementation staircase.

The steps follow the stages of implementation science as the programmes use
them: NIRN's Exploration (steps 1–2), Installation (3), Initial Implementation
(4) and Full Implementation (5), and Socialstyrelsen's phases
behovsinventering (2), införande (3–4), användning (5) and vidmakthållande (6).
The texts are data, in Swedish; process leaders edit them per programme.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepSpec:
    name: str
    description: str
    goal: str
    criteria: tuple[str, ...]


DEFAULT_STAIRCASE_NAME = "Implementeringstrappan"

DEFAULT_STEPS: tuple[StepSpec, ...] = (
    StepSpec(
        name="Förankra och besluta",
        description=(
            "Huvudmannen har tagit ställning till att arbeta enligt samverkansmodellen "
            "och gett arbetet mandat, ansvar och resurser."
        ),
        goal="Ett förankrat beslut och ett tydligt mandat att införa modellen.",
        criteria=(
            "Ledningen har fattat ett formellt beslut om att införa samverkansmodellen.",
            "Det finns en utsedd ansvarig för införandet med ett tydligt uppdrag från ledningen.",
            "Beslutet och syftet med modellen har kommunicerats till berörda chefer "
            "och verksamheter.",
        ),
    ),
    StepSpec(
        name="Kartlägga behov",
        description=(
            "Verksamheten har inventerat barns och ungas behov och sina egna "
            "förutsättningar för att arbeta enligt modellen (behovsinventering)."
        ),
        goal="En gemensam bild av behov, nuläge och vad som behöver förändras.",
        criteria=(
            "En behovsinventering utifrån barns och ungas behov är genomförd och dokumenterad.",
            "Nuvarande arbetssätt, samverkansforum och rutiner är kartlagda och jämförda "
            "med modellen.",
            "Behov av kompetens, resurser och stöd för införandet är identifierade.",
        ),
    ),
    StepSpec(
        name="Förbereda",
        description=(
            "Förutsättningarna för att börja arbeta enligt modellen är på plats: "
            "organisation, kompetens och stöd."
        ),
        goal="Organisation, kompetens och stöd är förberedda innan arbetssättet prövas.",
        criteria=(
            "Barnets bästa-ansvarig, nyckelpersoner och samordningsfunktion är utsedda.",
            "Berörd personal har fått introduktion i modellen och välbefinnandehjulet.",
            "En lokal implementeringsplan med aktiviteter, ansvariga och tidplan är framtagen.",
            "Rutiner och dokumentation är anpassade så att de stödjer det nya arbetssättet.",
        ),
    ),
    StepSpec(
        name="Pröva",
        description=(
            "Arbetssättet används för första gången i delar av verksamheten, och "
            "erfarenheterna tas tillvara."
        ),
        goal="Arbetssättet har prövats i praktiken och justerats utifrån lärdomarna.",
        criteria=(
            "Modellen används i minst en verksamhet eller ett arbetslag i det dagliga arbetet.",
            "Erfarenheter från användningen samlas in och följs upp regelbundet.",
            "Hinder som uppstår hanteras och arbetssättet justeras utifrån lärdomarna.",
        ),
    ),
    StepSpec(
        name="Använda fullt ut",
        description=(
            "Arbetssättet är ordinarie arbetssätt i hela verksamheten och används av "
            "all berörd personal."
        ),
        goal="Modellen är en självklar del av arbetet kring barn och unga.",
        criteria=(
            "Modellen används i alla berörda verksamheter och av all berörd personal.",
            "Samverkan kring enskilda barn sker enligt modellens struktur och gemensamma verktyg.",
            "Resultaten för barn och unga följs upp med programmets gemensamma indikatorer.",
        ),
    ),
    StepSpec(
        name="Vidmakthålla",
        description=(
            "Arbetssättet är långsiktigt säkrat, oberoende av enskilda personer och "
            "projektmedel, och utvecklas vidare."
        ),
        goal="Arbetssättet består och förbättras över tid.",
        criteria=(
            "Modellen är inskriven i styrdokument, budget och verksamhetsplaner.",
            "Nyanställda får introduktion i modellen och kompetensen upprätthålls kontinuerligt.",
            "Arbetssättet följs upp och förbättras systematiskt, även efter projekttidens slut.",
        ),
    ),
)


# Focus areas of the goals, from the steering groups' planning days.
DEFAULT_FOCUS_AREAS: tuple[tuple[str, str], ...] = (
    (
        "Gemensamt förhållningssätt",
        "De fyra förhållningssätten i samverkansmodellen är välkända och används i alla "
        "verksamheter som ingår i samverkan.",
    ),
    (
        "Gemensamma verktyg och arbetssätt",
        "Välbefinnandehjulet och modellens verktyg används i det dagliga arbetet, och de "
        "funktioner modellen bygger på — som Barnets bästa-ansvarig — är utsedda.",
    ),
    (
        "Gemensam struktur",
        "Samsyn kring syftet och en gemensam struktur för samverkan kring barn och unga, "
        "med hjulet som utgångspunkt.",
    ),
)

# The wellbeing wheel (välbefinnandehjulet): eight areas of a child's wellbeing.
DEFAULT_WELLBEING_AREAS: tuple[tuple[str, str], ...] = (
    (
        "Trygg",
        "Barnet är skyddat mot övergrepp, försummelse och skada, hemma, i skolan och på fritiden.",
    ),
    (
        "Må bra",
        "Barnet har bästa möjliga fysiska och psykiska hälsa och stöd att göra hälsosamma val.",
    ),
    ("Utvecklas", "Barnet får stöd och vägledning i sitt lärande och kan utveckla sina förmågor."),
    ("Omvårdad", "Barnet har ett hem med omsorg och en trygg miljö, och får det stöd det behöver."),
    ("Aktiv", "Barnet har möjlighet till lek, fritid, kultur och idrott, hemma och i samhället."),
    ("Respekterad", "Barnet blir lyssnat på och får vara delaktigt i beslut som rör det."),
    (
        "Ansvarstagande",
        "Barnet får möjlighet att ta ansvar och en aktiv roll i skolan och samhället, med "
        "vägledning av vuxna.",
    ),
    ("Delaktig", "Barnet och familjen får stöd att delta i sin omgivning och känna samhörighet."),
)


# The functions the model relies on, appointed per principal or operation.
DEFAULT_FUNCTIONS: tuple[tuple[str, str], ...] = (
    (
        "Barnets bästa-ansvarig",
        "Håller i frågan om barnets bästa i verksamheten och är kontakt för samverkan kring "
        "enskilda barn.",
    ),
    (
        "Samordningsfunktion",
        "Samordnar insatser när flera verksamheter och huvudmän är involverade kring ett barn.",
    ),
    (
        "Nyckelperson",
        "Stödjer kollegor i att använda modellen och välbefinnandehjulet i vardagen.",
    ),
    ("Kontaktperson", "Huvudmannens kontakt mot programmet och processledarna."),
)
