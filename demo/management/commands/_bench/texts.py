"""The words of the bench data: made up, Swedish, repeated with numbers."""

from __future__ import annotations

from portal.models import Sector

MUNICIPALITIES = (
    "Alvik",
    "Björkå",
    "Dalby",
    "Ekås",
    "Fjällnäs",
    "Granby",
    "Hallsta",
    "Ingatorp",
    "Junsele",
    "Kvarnby",
    "Lidhult",
    "Mörtsjö",
    "Norrvik",
    "Oxelby",
    "Påarp",
    "Rödeby",
    "Sjöbo",
    "Tallåsen",
)

MUNICIPAL_OPERATIONS: tuple[tuple[str, str], ...] = (
    (Sector.PRESCHOOL, "Förskoleverksamheten"),
    (Sector.COMPULSORY_SCHOOL, "Grundskolan"),
    (Sector.UPPER_SECONDARY, "Gymnasieskolan"),
    (Sector.STUDENT_HEALTH, "Elevhälsan"),
    (Sector.SOCIAL_SERVICES, "Individ- och familjeomsorgen"),
    (Sector.SOCIAL_SERVICES, "Familjecentralen"),
    (Sector.LEISURE, "Fritidsgårdsverksamheten"),
    (Sector.LEISURE, "Kulturskolan"),
)
REGION_OPERATIONS: tuple[tuple[str, str], ...] = (
    (Sector.CAMHS, "Barn- och ungdomspsykiatrin"),
    (Sector.PRIMARY_CARE, "Vårdcentralerna"),
    (Sector.CHILD_HEALTH, "Barnhälsovården"),
    (Sector.MATERNITY, "Mödrahälsovården"),
    (Sector.HABILITATION, "Barn- och ungdomshabiliteringen"),
    (Sector.PRIMARY_CARE, "Ungdomsmottagningarna"),
    (Sector.CAMHS, "Första linjen för barn och unga"),
    (Sector.OTHER, "Tandvården för barn och unga"),
)

FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Per",
    "Lena", "Mikael", "Emma", "Nils", "Ida", "Olof", "Elin", "Henrik", "Sofia", "Jonas",
    "Frida", "Magnus", "Malin", "Gustav", "Hanna", "Oskar", "Linnea", "Viktor",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Berg", "Carlsson", "Dahl", "Ek", "Forsberg", "Gustafsson", "Holm",
    "Isaksson", "Jansson", "Karlsson", "Lind", "Månsson", "Nyström", "Olsson", "Persson",
    "Quist", "Rask", "Sandberg", "Törnqvist", "Ulander", "Vik", "Wallin", "Åberg", "Öhman",
)  # fmt: skip
TITLES = (
    "Rektor",
    "Förskolechef",
    "Enhetschef",
    "Socialsekreterare",
    "Skolkurator",
    "Verksamhetsutvecklare",
    "Skolsköterska",
    "Fritidsledare",
    "Sektorschef",
    "Utvecklingsledare",
)

AGENDA: tuple[tuple[str, str], ...] = (
    ("Mötets öppnande och val av justerare", "information"),
    ("Föregående mötes anteckningar", "information"),
    ("Uppföljning av uppdrag", "uppfoljning"),
    ("Implementeringsplanen", "beslut"),
    ("Resurser och finansiering", "beslut"),
    ("Lägesrapport från processledningen", "beslut"),
    ("Risker och åtgärder", "dialog"),
    ("Övriga frågor", "ovrigt"),
)
MINUTES = (
    "Processledarna redogjorde för läget i huvudmännens implementeringsarbete.",
    "Gruppen diskuterade hur modellen kan förankras i fler verksamheter.",
    "Flera huvudmän har nått ett nytt steg i implementeringstrappan sedan förra mötet.",
    "Arbetet med Barnets bästa-ansvariga fortsätter; några funktioner saknas ännu.",
    "Uppföljningen visar att rapporteringen har blivit mer fullständig.",
    "Mötet lyfte behovet av gemensam kompetensutveckling under hösten.",
    "Elevhälsan och socialtjänsten har planerat gemensamma workshoppar.",
    "Inget att tillägga under punkten.",
)
DECIDING: dict[str, str] = {
    "SG": "Styrgruppen beslutar att",
    "AG": "Arbetsgruppen beslutar att",
    "SKN": "Skolchefsnätverket beslutar att",
}
DECISIONS = (
    "godkänna den reviderade implementeringsplanen",
    "ge processledarna i uppdrag att ta fram en kommunikationsplan",
    "avsätta medel för en gemensam utbildningsdag",
    "lägga informationen till handlingarna",
    "utse en arbetsgrupp för den digitala plattformen",
    "fastställa tidplanen för nästa halvårs självskattningar",
    "anta rutinen för samverkan kring enskilda barn",
    "bjuda in följeforskarna till nästa möte",
    "godkänna lägesrapporten",
    "förlänga uppdraget till arbetsgruppen",
)
ACTIONS = (
    "Ta fram underlag om resursbehov till nästa möte.",
    "Återkoppla kommunernas synpunkter på implementeringsplanen.",
    "Sammanställa erfarenheterna från pilotverksamheterna.",
    "Boka in en gemensam utbildningsdag för nyckelpersoner.",
    "Utse Barnets bästa-ansvarig i de verksamheter som saknar en.",
    "Informera ledningsgrupperna om beslutet.",
    "Uppdatera rutinen för samverkansmöten.",
    "Följa upp rapporteringen av självskattningar.",
)
RISKS: tuple[tuple[str, str], ...] = (
    ("Finansieringen efter projekttiden är osäker", "finansiering"),
    ("Omorganisation försvagar förankringen i ledningen", "organisation"),
    ("Modellen är inte förankrad hos alla chefer", "forankring"),
    ("Nyckelpersoner saknar tid för uppdraget", "resurser"),
    ("Samverkan mellan skola och socialtjänst tappar fart", "samverkan"),
    ("Personalomsättning gör att kompetensen försvinner", "resurser"),
    ("Rapporteringen till programmet blir ofullständig", "annan"),
    ("Olika tolkningar av modellen mellan huvudmännen", "forankring"),
)
MITIGATIONS = (
    "Processledarna följer upp med ledningsgrupperna varje kvartal.",
    "Frågan lyfts i styrgruppen inför budgetarbetet.",
    "Introduktion för nya chefer och nyckelpersoner två gånger per år.",
    "Stödmaterial och gemensamma workshoppar.",
)

INDICATORS: tuple[tuple[str, str, str], ...] = (
    # (name, kind, unit)
    ("Andel verksamheter med Barnets bästa-ansvarig", "andel", "%"),
    ("Antal samverkansmöten kring enskilda barn", "antal", "möten"),
    ("Andel personal som fått introduktion i modellen", "andel", "%"),
    ("Upplevd samverkan mellan verksamheterna", "skala", ""),
    ("Andel barn med gemensam plan", "andel", "%"),
    ("Antal nyckelpersoner", "antal", "personer"),
    ("Rutin för samverkan är antagen", "ja_nej", ""),
    ("Andel elever som känner sig trygga i skolan", "andel", "%"),
    ("Antal orosanmälningar som lett till samverkan", "antal", "ärenden"),
    ("Upplevd delaktighet hos barn och familjer", "skala", ""),
    ("Andel verksamheter som använder välbefinnandehjulet", "andel", "%"),
)
