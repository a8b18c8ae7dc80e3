"""The shapes of the demo data tables, and the operations most principals share."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from portal.models import Sector


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


# The operations a principal's `operations` in the data files name: what every
# municipality runs, whatever its size, what every region runs, and the extras
# some municipalities have. A principal may list its own [sector, name] pairs too.
OPERATION_SETS: dict[str, tuple[tuple[str, str], ...]] = {
    "municipal": (
        (Sector.PRESCHOOL, "Förskoleverksamheten"),
        (Sector.COMPULSORY_SCHOOL, "Grundskolan"),
        (Sector.STUDENT_HEALTH, "Elevhälsan"),
        (Sector.SOCIAL_SERVICES, "Individ- och familjeomsorgen"),
        (Sector.LEISURE, "Fritidsgårdsverksamheten"),
    ),
    "region": (
        (Sector.CAMHS, "Barn- och ungdomspsykiatrin (BUP)"),
        (Sector.PRIMARY_CARE, "Vårdcentralerna"),
        (Sector.CHILD_HEALTH, "Barnhälsovården"),
        (Sector.MATERNITY, "Mödrahälsovården"),
        (Sector.HABILITATION, "Barn- och ungdomshabiliteringen"),
    ),
    "upper_secondary": ((Sector.UPPER_SECONDARY, "Gymnasieskolan"),),
    "family_centre": ((Sector.SOCIAL_SERVICES, "Familjecentralen"),),
    "family_centres": ((Sector.SOCIAL_SERVICES, "Familjecentralerna"),),
    "outpatient_care": ((Sector.SOCIAL_SERVICES, "Öppenvården för barn och unga"),),
}


def work_email(name: str, domain: str) -> str:
    """`Åsa Öberg-Lind` at `x.example.se` → `asa.oberg-lind@x.example.se`."""
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    )
    return f"{'.'.join(ascii_name.split())}@{domain}"
