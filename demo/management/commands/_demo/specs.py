"""The shapes of the demo data tables, and the operations most principals share."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from portal.models import PrincipalKind, Sector


@dataclass(frozen=True)
class PrincipalSpec:
    name: str
    kind: str
    domain: str  # the fictional e-mail domain of its people
    municipality_code: str = ""
    operations: tuple[tuple[str, str], ...] = ()  # (sector, name)


@dataclass(frozen=True)
class PersonSpec:
    name: str
    title: str
    principal: str = ""  # a principal's name in the same programme
    organisation: str = ""  # for people outside the programme's principals
    email: str = ""  # derived from the name and the principal's domain when empty


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    name: str
    region: str
    description: str
    reporting_interval_months: int
    principals: tuple[PrincipalSpec, ...]
    people: tuple[PersonSpec, ...]


@dataclass(frozen=True)
class DemoMembership:
    tenant_slug: str
    role: str
    title: str  # of the demo user's Person in that programme
    principal: str = ""  # the Person's principal; also the reporter's principal
    organisation: str = ""


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    email: str
    memberships: tuple[DemoMembership, ...]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# What every municipality runs, whatever its size.
MUNICIPAL_OPERATIONS: tuple[tuple[str, str], ...] = (
    (Sector.PRESCHOOL, "Förskoleverksamheten"),
    (Sector.COMPULSORY_SCHOOL, "Grundskolan"),
    (Sector.STUDENT_HEALTH, "Elevhälsan"),
    (Sector.SOCIAL_SERVICES, "Individ- och familjeomsorgen"),
    (Sector.LEISURE, "Fritidsgårdsverksamheten"),
)
UPPER_SECONDARY = (Sector.UPPER_SECONDARY, "Gymnasieskolan")
FAMILY_CENTRE = (Sector.SOCIAL_SERVICES, "Familjecentralen")
FAMILY_CENTRES = (Sector.SOCIAL_SERVICES, "Familjecentralerna")
OUTPATIENT_CARE = (Sector.SOCIAL_SERVICES, "Öppenvården för barn och unga")

REGION_OPERATIONS: tuple[tuple[str, str], ...] = (
    (Sector.CAMHS, "Barn- och ungdomspsykiatrin (BUP)"),
    (Sector.PRIMARY_CARE, "Vårdcentralerna"),
    (Sector.CHILD_HEALTH, "Barnhälsovården"),
    (Sector.MATERNITY, "Mödrahälsovården"),
    (Sector.HABILITATION, "Barn- och ungdomshabiliteringen"),
)


def municipality(name: str, code: str, domain: str, *extra: tuple[str, str]) -> PrincipalSpec:
    return PrincipalSpec(
        name=name,
        kind=PrincipalKind.MUNICIPALITY,
        domain=domain,
        municipality_code=code,
        operations=MUNICIPAL_OPERATIONS + extra,
    )


def region(name: str, domain: str) -> PrincipalSpec:
    return PrincipalSpec(
        name=name, kind=PrincipalKind.REGION, domain=domain, operations=REGION_OPERATIONS
    )


def work_email(name: str, domain: str) -> str:
    """`Åsa Öberg-Lind` at `x.example.se` → `asa.oberg-lind@x.example.se`."""
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    )
    return f"{'.'.join(ascii_name.split())}@{domain}"
