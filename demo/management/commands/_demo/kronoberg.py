"""Barnens bästa gäller! i Kronoberg: real principals, fictional people."""

from __future__ import annotations

from portal.models import PrincipalKind, Sector

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

REGION = "Region Kronoberg"
POLICE = "Polismyndigheten"
LNU = "Linnéuniversitetet"

PRINCIPALS: tuple[PrincipalSpec, ...] = (
    region(REGION, "kronoberg.example.se"),
    PrincipalSpec(
        name=POLICE,
        kind=PrincipalKind.STATE_AGENCY,
        domain="polisen.example.se",
        operations=(
            (Sector.POLICE, "Lokalpolisområde Växjö"),
            (Sector.POLICE, "Lokalpolisområde Ljungby"),
        ),
    ),
    municipality("Alvesta kommun", "0764", "alvesta.example.se", UPPER_SECONDARY, FAMILY_CENTRE),
    municipality("Lessebo kommun", "0761", "lessebo.example.se"),
    municipality("Ljungby kommun", "0781", "ljungby.example.se", UPPER_SECONDARY, FAMILY_CENTRE),
    municipality("Markaryds kommun", "0767", "markaryd.example.se"),
    municipality("Tingsryds kommun", "0763", "tingsryd.example.se"),
    municipality("Uppvidinge kommun", "0760", "uppvidinge.example.se", FAMILY_CENTRE),
    municipality(
        "Växjö kommun",
        "0780",
        "vaxjo.example.se",
        UPPER_SECONDARY,
        FAMILY_CENTRES,
        OUTPATIENT_CARE,
    ),
    municipality("Älmhults kommun", "0765", "almhult.example.se", UPPER_SECONDARY),
    PrincipalSpec(name=LNU, kind=PrincipalKind.RESEARCH, domain="lnu.example.se"),
)

# Fictional people. The demo logins' own Person rows are in users.py.
PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec("Maja Eklund", "Processledare", REGION),
    PersonSpec("Jessica Lundgren", "Kommunikatör", REGION),
    PersonSpec("Björn Sandström", "Verksamhetschef, Barn- och ungdomspsykiatrin", REGION),
    PersonSpec("Anna Hägg", "Utvecklingsledare, Barnhälsovården", REGION),
    PersonSpec("Lars Wikström", "Verksamhetschef, Habiliteringen", REGION),
    PersonSpec("Erik Fagerström", "Kommunpolis", POLICE),
    PersonSpec("Helén Sjögren", "Lokalpolisområdeschef", POLICE),
    PersonSpec("Kristina Hellström", "Socialchef", "Alvesta kommun"),
    PersonSpec("Jakob Lindahl", "Skolchef", "Alvesta kommun"),
    PersonSpec("Susanne Nyberg", "Socialchef", "Lessebo kommun"),
    PersonSpec("Rasmus Holm", "Förvaltningschef, utbildningsförvaltningen", "Lessebo kommun"),
    PersonSpec("Emma Söderlund", "Förvaltningschef, socialförvaltningen", "Ljungby kommun"),
    PersonSpec("Andreas Berglund", "Skolchef", "Ljungby kommun"),
    PersonSpec("Marie Strömberg", "Socialchef", "Markaryds kommun"),
    PersonSpec("Gustav Ljung", "Skolchef", "Markaryds kommun"),
    PersonSpec(
        "Elin Hammar", "Förvaltningschef, barn- och utbildningsförvaltningen", "Tingsryds kommun"
    ),
    PersonSpec("Viktor Åkesson", "Socialchef", "Tingsryds kommun"),
    PersonSpec("Sanna Blomqvist", "Socionom, familjecentralen", "Uppvidinge kommun"),
    PersonSpec(
        "Joakim Nord", "Förvaltningschef, barn- och utbildningsförvaltningen", "Uppvidinge kommun"
    ),
    PersonSpec("Ingrid Lövgren", "Förvaltningschef, utbildningsförvaltningen", "Växjö kommun"),
    PersonSpec("Thomas Ekholm", "Socialchef", "Växjö kommun"),
    PersonSpec("Ahmed Yusuf", "Utvecklingsledare, tidiga insatser", "Växjö kommun"),
    PersonSpec("Nils Borg", "Socialchef", "Älmhults kommun"),
    PersonSpec("Josefin Dahl", "Skolchef", "Älmhults kommun"),
    PersonSpec("Charlotte Wennberg", "Följeforskare, lektor i socialt arbete", LNU),
)

PROGRAMME = ProgrammeSpec(
    slug="kronoberg",
    name="Barnens bästa gäller! i Kronoberg",
    region=REGION,
    description=(
        "Länsövergripande samverkan mellan Region Kronoberg, länets åtta kommuner och "
        "Polismyndigheten för att barn och unga ska få rätt stöd i rätt tid. Arbetet utgår "
        "från välbefinnandehjulet och följeforskas av Linnéuniversitetet."
    ),
    reporting_interval_months=6,
    principals=PRINCIPALS,
    people=PEOPLE,
)
