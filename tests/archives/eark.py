"""Validation of an archive package with eark-validator (the E-ARK
reference validator's Python library, DILCIS Board) and the CSIP profile.

What eark-validator 1.1.1 offers and this uses:

- `structure.validate_package_structure(path)`: the CSIP structural rules
  (CSIPSTR1–16: METS.xml, metadata/, representations/, each representation's
  METS.xml, data/ and metadata/, schemas/) as a `StructureReport`;
- `mets.MetsValidator(root).validate_mets("METS.xml")`: the METS file against
  the CSIP METS schema it bundles (`mets.csip.local.v2-0.xsd`: METS 1.12 with
  the DILCIS CSIP extension attributes), collecting every `file` and `mdRef`;
  its `get_manifest().check_integrity()` checks each one's size and checksum;
- `infopacks.information_package.PackageDetails.from_mets_file`: the
  package's OBJID, TYPE, CONTENTINFORMATIONTYPE, PROFILE and OAISPACKAGETYPE.

Its Schematron rules are not shipped in the wheel (the resources folder is
empty), and its `Specification` parser loses the requirements' XPaths, so
the CSIP profile's MUST requirements are read from the profile it bundles
(E-ARK-CSIP.xml, v2.0.4) and evaluated here (`csip_requirements`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from eark_validator import structure
from eark_validator.infopacks.information_package import PackageDetails
from eark_validator.mets import MetsValidator
from lxml import etree

NS = {
    "mets": "http://www.loc.gov/METS/",
    "csip": "https://DILCIS.eu/XML/METS/CSIPExtensionMETS",
    "sip": "https://DILCIS.eu/XML/METS/SIPExtensionMETS",
    "xlink": "http://www.w3.org/1999/xlink",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
PROFILE_NS = {"p": "http://www.loc.gov/METS_Profile/v2", "h": "http://www.w3.org/1999/xhtml"}


@dataclass
class Validation:
    root: Path
    structure_errors: list[str]
    structure_warnings: list[str]
    mets_errors: list[str]
    integrity_errors: list[str]
    details: PackageDetails
    representations: list[str]
    files_checked: int

    @property
    def problems(self) -> list[str]:
        return [
            *self.structure_errors,
            *self.structure_warnings,
            *self.mets_errors,
            *self.integrity_errors,
        ]


def unpack(data: bytes, into: Path) -> Path:
    """The package unpacked; returns its root folder (the zip's one top folder)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = into / "package.zip"
    archive.write_bytes(data)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(into / "unpacked")
    (top,) = list((into / "unpacked").iterdir())
    return top


def _mets(root: Path, mets: str) -> tuple[list[str], list[str], int, MetsValidator]:
    validator = MetsValidator(str(root))
    valid = validator.validate_mets(mets)
    errors = [str(error) for error in validator.validation_errors]
    assert valid == (not errors)
    ok, issues = validator.get_manifest().check_integrity()
    assert ok == (not issues)
    return errors, issues, len(validator.file_references), validator


def validate(data: bytes, into: Path) -> Validation:
    root = unpack(data, into)
    report = structure.validate_package_structure(str(root))
    structure_errors = [str(e) for e in report.errors]
    structure_warnings = [str(e) for e in report.warnings]
    assert (report.status == structure.StructureStatus.WellFormed) == (not structure_errors)
    mets_errors, integrity, count, validator = _mets(root, "METS.xml")
    representations = list(validator.representations)
    for rep, href in zip(representations, validator.representation_mets, strict=True):
        rep_root = root / Path(href).parent
        errors, issues, rep_count, _ = _mets(rep_root, "METS.xml")
        mets_errors += [f"{rep}: {e}" for e in errors]
        integrity += [f"{rep}: {i}" for i in issues]
        count += rep_count
    details = PackageDetails.from_mets_file(str(root / "METS.xml"))
    return Validation(
        root=root,
        structure_errors=structure_errors,
        structure_warnings=structure_warnings,
        mets_errors=mets_errors,
        integrity_errors=integrity,
        details=details,
        representations=representations,
        files_checked=count,
    )


# The CSIP profile's requirements --------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    id: str
    xpath: str
    cardinality: str


def _profile() -> etree._ElementTree:
    path = files("eark_validator.xml.resources.profiles").joinpath("E-ARK-CSIP.xml")
    return etree.parse(str(path))


def must_requirements() -> list[Requirement]:
    """The profile's MUST requirements with their METS XPath and cardinality."""
    found = []
    for requirement in _profile().iterfind(".//p:requirement", PROFILE_NS):
        if requirement.get("REQLEVEL") != "MUST":
            continue
        terms = requirement.findall(".//h:dt", PROFILE_NS)
        values = requirement.findall(".//h:dd", PROFILE_NS)
        facts = {
            "".join(dt.itertext()).strip(): "".join(dd.itertext()).strip()
            for dt, dd in zip(terms, values, strict=False)
        }
        if "METS XPath" in facts:
            found.append(
                Requirement(
                    requirement.get("ID", ""), facts["METS XPath"], facts.get("Cardinality", "")
                )
            )
    return found


_STEP = re.compile(r"^(@?)([A-Za-z]+:)?([A-Za-z_][\w.-]*)(\[.*\])?$")


def _split(path: str) -> list[str]:
    steps, depth, current = [], 0, ""
    for char in path:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        if char == "/" and depth == 0:
            steps.append(current)
            current = ""
        else:
            current += char
    steps.append(current)
    return steps


def translate(path: str) -> list[str] | None:
    """The requirement's path as namespaced lxml XPath steps; None for a path
    this simple translation cannot read (functions, alternatives)."""
    if any(token in path for token in ("(", "|", " or ", " and ", "..")):
        return None
    steps = []
    for step in _split(path.strip()):
        match = _STEP.match(step)
        if match is None:
            return None
        at, prefix, name, predicate = match.groups()
        predicate = predicate or ""
        if re.search(r"\[[^@\]]", predicate):
            return None  # a predicate on child elements
        # The profile's vocabulary value "Representations" names a representation's
        # file group and division by its start ("Representations/rep1"), as the
        # E-ARK examples, the CSIP Schematron and eark-validator's METS reader do.
        predicate = re.sub(
            r"\[@(USE|LABEL)='Representations'\]",
            r"[starts-with(@\1, 'Representations')]",
            predicate,
        )
        steps.append(f"{at}{prefix or ('' if at else 'mets:')}{name}{predicate}")
    return steps


# Requirements whose text speaks of one element among its siblings: the
# mandatory software agent (CSIP11-16), and a representation's division
# (CSIP102-112), not the Metadata, Documentation or Schemas divisions.
_SOFTWARE_AGENT = (
    "/mets:mets/mets:metsHdr/mets:agent[@ROLE='CREATOR'][@TYPE='OTHER'][@OTHERTYPE='SOFTWARE']"
)
_REPRESENTATION_DIV = (
    "/mets:mets/mets:structMap[@LABEL='CSIP']/mets:div"
    "/mets:div[starts-with(@LABEL, 'Representations')]"
)
NARROWED = {
    "CSIP14": _SOFTWARE_AGENT,
    "CSIP15": _SOFTWARE_AGENT,
    "CSIP16": _SOFTWARE_AGENT,
    "CSIP109": _REPRESENTATION_DIV,
    "CSIP111": _REPRESENTATION_DIV,
    "CSIP112": _REPRESENTATION_DIV,
}


def csip_requirements(mets_file: Path) -> tuple[list[str], list[str]]:
    """Evaluate the MUST requirements of cardinality 1..1 or 1..n: wherever the
    parent of the required node exists, the node must. Returns (checked ids,
    failures)."""
    tree = etree.parse(str(mets_file))
    checked, failures = [], []
    for requirement in must_requirements():
        if not requirement.cardinality.startswith("1.."):
            continue
        steps = translate(requirement.xpath)
        if steps is None:
            continue
        parent = NARROWED.get(requirement.id, "/" + "/".join(steps[:-1]))
        try:
            contexts = tree.xpath(parent, namespaces=NS)
        except etree.XPathError:
            continue
        checked.append(requirement.id)
        for context in contexts:
            if not context.xpath(steps[-1], namespaces=NS):
                failures.append(f"{requirement.id}: {requirement.xpath}")
                break
    return checked, failures
