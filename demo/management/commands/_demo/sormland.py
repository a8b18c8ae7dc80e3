"""Tillsammans för barnens bästa i Sörmland: real principals, fictional people."""

from __future__ import annotations

from portal.models import PrincipalKind

from .specs import (
    FAMILY_CENTRE,
    FAMILY_CENTRES,
    OUTPATIENT_CARE,
    UPPER_SECONDARY,
    PersonSpec,
    PrincipalSpec,
    ProgrammeSpec,
    municipality,
    region,
)

REGION = "Region Sörmland"
FOU = "FoU i Sörmland"

PRINCIPALS: tuple[PrincipalSpec, ...] = (
    region(REGION, "regionsormland.example.se"),
    municipality(
        "Eskilstuna kommun",
        "0484",
        "eskilstuna.example.se",
        UPPER_SECONDARY,
        FAMILY_CENTRES,
        OUTPATIENT_CARE,
    ),
    municipality("Flens kommun", "0482", "flen.example.se", FAMILY_CENTRE),
    municipality("Gnesta kommun", "0461", "gnesta.example.se"),
    municipality(
        "Katrineholms kommun", "0483", "katrineholm.example.se", UPPER_SECONDARY, FAMILY_CENTRE
    ),
    municipality(
        "Nyköpings kommun",
        "0480",
        "nykoping.example.se",
        UPPER_SECONDARY,
        FAMILY_CENTRES,
        OUTPATIENT_CARE,
    ),
    municipality("Oxelösunds kommun", "0481", "oxelosund.example.se", FAMILY_CENTRE),
    municipality(
        "Strängnäs kommun", "0486", "strangnas.example.se", UPPER_SECONDARY, FAMILY_CENTRE
    ),
    municipality("Trosa kommun", "0488", "trosa.example.se"),
    municipality("Vingåkers kommun", "0428", "vingaker.example.se"),
    PrincipalSpec(name=FOU, kind=PrincipalKind.RESEARCH, domain="fousormland.example.se"),
)

# Fictional people. The demo logins' own Person rows are in users.py.
PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec("Linnea Falk", "Processledare", REGION),
    PersonSpec("Tove Hallberg", "Kommunikatör", REGION),
    PersonSpec("Ulrika Bergqvist", "Verksamhetschef, Barn- och ungdomspsykiatrin", REGION),
    PersonSpec("Fredrik Ekman", "Verksamhetschef, Barnhälsovården", REGION),
    PersonSpec("Anders Wiklund", "Områdeschef, primärvården", REGION),
    PersonSpec(
        "Helena Strand", "Förvaltningschef, barn- och utbildningsförvaltningen", "Eskilstuna kommun"
    ),
    PersonSpec("Jonas Lundmark", "Socialchef", "Eskilstuna kommun"),
    PersonSpec("Maria Öhman", "Skolchef", "Flens kommun"),
    PersonSpec("Tobias Nordin", "Socialchef", "Flens kommun"),
    PersonSpec(
        "Eva Lindblad", "Förvaltningschef, barn- och utbildningsförvaltningen", "Gnesta kommun"
    ),
    PersonSpec("Daniel Sjödin", "Enhetschef, individ- och familjeomsorgen", "Gnesta kommun"),
    PersonSpec("Sofia Blom", "Skolchef", "Katrineholms kommun"),
    PersonSpec(
        "Peter Ahlström", "Förvaltningschef, barn- och ungdomsförvaltningen", "Nyköpings kommun"
    ),
    PersonSpec("Leyla Demir", "Socialchef", "Nyköpings kommun"),
    PersonSpec("Martin Kjellberg", "Utvecklingsledare, elevhälsa", "Nyköpings kommun"),
    PersonSpec("Anneli Holmberg", "Skolchef", "Oxelösunds kommun"),
    PersonSpec("Robert Engström", "Socialchef", "Oxelösunds kommun"),
    PersonSpec(
        "Cecilia Forsberg",
        "Förvaltningschef, barn- och utbildningsförvaltningen",
        "Strängnäs kommun",
    ),
    PersonSpec(
        "Niklas Hedlund", "Verksamhetschef, individ- och familjeomsorgen", "Strängnäs kommun"
    ),
    PersonSpec("Louise Ekström", "Barn- och utbildningschef", "Trosa kommun"),
    PersonSpec("Mattias Sundberg", "Socialchef", "Trosa kommun"),
    PersonSpec("Jenny Åberg", "Strateg, barn- och utbildningsförvaltningen", "Vingåkers kommun"),
    PersonSpec("Stefan Björk", "Socialchef", "Vingåkers kommun"),
    PersonSpec("Karolina Mattsson", "Följeforskare", FOU),
    PersonSpec("Oskar Lindgren", "Utvecklingsledare", FOU),
)

PROGRAMME = ProgrammeSpec(
    slug="sormland",
    name="Tillsammans för barnens bästa i Sörmland",
    region=REGION,
    description=(
        "Samverkansprogram mellan Region Sörmland, länets nio kommuner och FoU i Sörmland "
        "för att tidigt och samordnat främja barns och ungas välbefinnande. Programmet "
        "bygger på samverkansmodellen Tillsammans för barnens bästa, med "
        "välbefinnandehjulet som gemensam utgångspunkt och implementeringstrappan som "
        "stöd för uppföljningen."
    ),
    reporting_interval_months=6,
    principals=PRINCIPALS,
    people=PEOPLE,
)
