"""The programme's directory as research datasets: its principals and their
operations (archived ones too, which say so: a principal that left the
programme is part of its history)."""

from __future__ import annotations

from portal.models import Operation, PrincipalKind, Sector
from portal.models import Principal as PrincipalModel
from research.datasets.schema import (
    INTEGER,
    STRING,
    Column,
    Dataset,
    archived_column,
    archived_flag,
)

PRINCIPALS = Dataset(
    key="principals",
    title_sv="Huvudmän",
    title_en="Principals",
    description_sv="Programmets huvudmän (kommuner, region, polis …) med kommunkod.",
    description_en="The programme's principals (municipalities, the Region, police …) "
    "with their municipality code.",
    base=lambda tenant: PrincipalModel.objects.all(),
    annotations=archived_flag,
    columns=(
        Column("principal_id", INTEGER, "Huvudmannens id", "Id of the principal", source="id"),
        Column("kind", STRING, "Slag av huvudman", "Kind of principal", choices=PrincipalKind),
        Column("name", STRING, "Namn", "Name"),
        Column(
            "municipality_code",
            STRING,
            "Kommunkod (fyra siffror, för kommuner)",
            "Municipality code (four digits, for municipalities)",
        ),
        archived_column(),
    ),
)

OPERATIONS = Dataset(
    key="operations",
    title_sv="Verksamheter",
    title_en="Operations",
    description_sv="Huvudmännens verksamheter (skola, socialtjänst …), med huvudmannens kommunkod.",
    description_en="The principals' operations (school, social services …), with the "
    "principal's municipality code.",
    base=lambda tenant: Operation.objects.all(),
    annotations=archived_flag,
    columns=(
        Column("operation_id", INTEGER, "Verksamhetens id", "Id of the operation", source="id"),
        Column("principal_id", INTEGER, "Huvudmannens id", "Id of the principal"),
        Column(
            "municipality_code",
            STRING,
            "Huvudmannens kommunkod",
            "The principal's municipality code",
            source="principal__municipality_code",
        ),
        Column("sector", STRING, "Verksamhetsområde", "Sector", choices=Sector),
        Column("name", STRING, "Namn", "Name"),
        archived_column(),
    ),
)
