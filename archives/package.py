"""The archive package of a programme: an E-ARK CSIP information package of
type SIP (Riksarkivet's FGS for packages follows E-ARK CSIP/SIP), zipped.

    <package id>/
      METS.xml                          the package's METS (CSIP profile, SIP)
      metadata/descriptive/dc.xml       what the package is (Dublin Core)
      metadata/preservation/premis.xml  every file (fixity, format) and the export event
      schemas/registers-1.xsd           the schema of the registers' XML
      representations/rep1/
        METS.xml                        the representation's METS
        metadata/                       (empty: the package's metadata covers it)
        schemas/registers-1.xsd
        data/minutes/                   every approved (justerade) minutes as PDF/A
        data/registers/                 decisions, action items and risks: XML + CSV
        data/meeting-documents/         the meeting documents, every version, as uploaded
        data/evidence/                  the evidence of self-assessments, as uploaded

Every file is listed in its METS `fileSec` with its size, MIME type and
SHA-256 checksum; the metadata files are referenced from `dmdSec`/`amdSec`
with theirs. The period (`from`/`to`) selects minutes, meeting documents and
decisions by the meeting's or decision's date, action items by the date given,
risks by the date raised and evidence by its upload date.

The minutes are rendered as the minutes' PDF (governance.documents.MINUTES),
the portal's PDF/A-2b (portal.documents.pdf), unsealed: the package's
checksums and PREMIS record are its fixity.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from lxml import etree

from archives.models import ArchiveExport
from governance.models import (
    ActionItem,
    Decision,
    Meeting,
    MeetingDocumentFile,
    MinutesStatus,
    Risk,
)
from implementation.models import AssessmentAttachment
from portal.models import Tenant

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS_NS = "http://www.loc.gov/premis/v3"
DC_NS = "http://purl.org/dc/elements/1.1/"
REGISTERS_NS = "urn:samverkansportalen:registers:1"
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
METS_NSMAP = {"mets": METS_NS, "csip": CSIP_NS, "sip": SIP_NS, "xlink": XLINK_NS, "xsi": XSI_NS}
SCHEMA_LOCATION = (
    f"{METS_NS} http://www.loc.gov/standards/mets/mets.xsd "
    f"{XLINK_NS} http://www.loc.gov/standards/mets/xlink.xsd "
    f"{CSIP_NS} https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd "
    f"{SIP_NS} https://earksip.dilcis.eu/schema/DILCISExtensionSIPMETS.xsd"
)
SOFTWARE = "Samverkansportalen"
SOFTWARE_VERSION = "0.1.0"
REGISTERS_XSD = Path(__file__).resolve().parent / "schemas" / "registers-1.xsd"
REGISTERS_XSD_NAME = "registers-1.xsd"
REP = "rep1"
DOCUMENTATION_NAME = "beskrivning.txt"


def registers_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REGISTERS_XSD)))


@dataclass
class Entry:
    """One file of the package: its path under the package's root, bytes and what it is."""

    path: str
    data: bytes
    mime: str
    label: str = ""
    original_name: str = ""
    created: datetime.datetime = field(default_factory=timezone.now)
    # PREMIS significant properties: (type, value), e.g. the secrecy of a document.
    properties: list[tuple[str, str]] = field(default_factory=list)

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Contents:
    """What the package holds, before its METS and PREMIS are written."""

    data: list[Entry] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


# Selecting the records -------------------------------------------------------------


def _in_period(
    qs: QuerySet[Any], lookup: str, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Any]:
    if start is not None:
        qs = qs.filter(**{f"{lookup}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{lookup}__lte": end})
    return qs


def approved_meetings(
    tenant: Tenant, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Meeting]:
    qs = Meeting.objects.filter(tenant=tenant, minutes_status=MinutesStatus.APPROVED)
    return (
        _in_period(qs, "starts_at__date", start, end)
        .select_related("body")
        .order_by("starts_at", "id")
    )


def decisions(
    tenant: Tenant, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Decision]:
    qs = Decision.objects.filter(tenant=tenant).select_related("body", "meeting", "replaced_by")
    return _in_period(qs, "decided_on", start, end).order_by("decided_on", "year", "number", "id")


def action_items(
    tenant: Tenant, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[ActionItem]:
    qs = (
        ActionItem.objects.filter(tenant=tenant)
        .select_related("body", "owner_principal", "owner_body", "decision__body")
        .prefetch_related("owner_people")
    )
    return _in_period(qs, "given_at__date", start, end).order_by("given_at", "id")


def risks(tenant: Tenant, start: datetime.date | None, end: datetime.date | None) -> QuerySet[Risk]:
    qs = Risk.objects.filter(tenant=tenant).select_related("owner").prefetch_related("reviews")
    return _in_period(qs, "raised_on", start, end).order_by("raised_on", "id")


def meeting_document_files(
    tenant: Tenant, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[MeetingDocumentFile]:
    qs = MeetingDocumentFile.objects.filter(tenant=tenant).select_related("document__meeting")
    return _in_period(qs, "document__meeting__starts_at__date", start, end).order_by(
        "document__meeting__starts_at", "document_id", "number"
    )


def evidence(
    tenant: Tenant, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[AssessmentAttachment]:
    qs = AssessmentAttachment.objects.filter(tenant=tenant)
    return _in_period(qs, "uploaded_at__date", start, end).order_by("uploaded_at", "id")


# The data files --------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name that every archive's file system takes: ASCII letters,
    digits, dot, dash and underscore (å, ä, ö become a, a, o)."""
    table = str.maketrans("åäöÅÄÖéÉüÜ", "aaoAAOeEuU")
    cleaned = _UNSAFE.sub("-", name.translate(table)).strip("-.")
    return cleaned[:120] or "fil"


def _day(moment: datetime.datetime | None) -> str:
    return timezone.localdate(moment).isoformat() if moment is not None else ""


def _minutes(tenant: Tenant, export: ArchiveExport, contents: Contents) -> None:
    from governance.documents import MINUTES
    from portal.documents.jobs import render
    from portal.documents.pdf import html_to_pdf  # WeasyPrint: workers only

    count = 0
    for meeting in approved_meetings(tenant, export.period_start, export.period_end):
        loaded = MINUTES.load(tenant, meeting.pk)
        if loaded is None:
            continue
        rendered = render(kind=MINUTES, obj=loaded, tenant=tenant)
        pdf = html_to_pdf(rendered.html)
        name = f"{meeting.pk}-{MINUTES.filename(loaded)}"
        contents.data.append(
            Entry(
                f"data/minutes/{safe_name(name)}",
                pdf,
                "application/pdf",
                label=loaded.display_title,
                original_name=name,
            )
        )
        count += 1
    contents.counts["minutes"] = count


def _register_root(tag: str, tenant: Tenant, export: ArchiveExport) -> etree._Element:
    root = etree.Element(f"{{{REGISTERS_NS}}}{tag}", nsmap={None: REGISTERS_NS})
    root.set("programme", tenant.name)
    root.set("programmeSlug", tenant.slug)
    root.set("exported", timezone.localtime().replace(microsecond=0).isoformat())
    if export.period_start:
        root.set("periodFrom", export.period_start.isoformat())
    if export.period_end:
        root.set("periodTo", export.period_end.isoformat())
    return root


def _sub(parent: etree._Element, tag: str, text: Any = None, **attrs: Any) -> etree._Element:
    element = etree.SubElement(parent, f"{{{REGISTERS_NS}}}{tag}")
    if text is not None:
        element.text = str(text)
    for key, value in attrs.items():
        element.set(key, str(value))
    return element


def _xml_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _csv_bytes(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else str(value) for value in row])
    return out.getvalue().encode("utf-8")


def _decisions(tenant: Tenant, export: ArchiveExport, contents: Contents) -> None:
    root = _register_root("decisions", tenant, export)
    rows: list[list[Any]] = []
    count = 0
    for decision in decisions(tenant, export.period_start, export.period_end):
        element = _sub(root, "decision", id=decision.pk)
        meeting_day = timezone.localdate(decision.meeting.starts_at)
        diary_number = getattr(decision, "diary_number", "")
        _sub(element, "reference", decision.reference)
        if diary_number:
            _sub(element, "diaryNumber", diary_number)
        _sub(element, "body", decision.body.name)
        _sub(
            element,
            "meeting",
            decision.meeting.display_title,
            id=decision.meeting_id,
            date=meeting_day.isoformat(),
        )
        _sub(element, "decidedOn", decision.decided_on.isoformat())
        _sub(element, "status", decision.status)
        _sub(element, "text", decision.text)
        if decision.replaced_by is not None:
            _sub(element, "replacedBy", str(decision.replaced_by), id=decision.replaced_by_id)
        rows.append(
            [
                decision.pk,
                decision.reference,
                diary_number,
                decision.body.name,
                decision.meeting_id,
                meeting_day.isoformat(),
                decision.decided_on.isoformat(),
                decision.status,
                decision.text,
                decision.replaced_by_id,
            ]
        )
        count += 1
    header = [
        "id",
        "reference",
        "diary_number",
        "body",
        "meeting_id",
        "meeting_date",
        "decided_on",
        "status",
        "text",
        "replaced_by_id",
    ]
    _add_register(contents, "decisions", root, header, rows, label="Beslut")
    contents.counts["decisions"] = count


def _owners(item: ActionItem) -> list[str]:
    owners = [person.name for person in item.owner_people.all()]
    if item.owner_principal is not None:
        owners.append(item.owner_principal.name)
    if item.owner_body is not None:
        owners.append(item.owner_body.name)
    if item.owner_all:
        owners.append("Alla organisationer")
    return owners


def _action_items(tenant: Tenant, export: ArchiveExport, contents: Contents) -> None:
    root = _register_root("actionItems", tenant, export)
    rows: list[list[Any]] = []
    count = 0
    for item in action_items(tenant, export.period_start, export.period_end):
        element = _sub(root, "actionItem", id=item.pk)
        owners = _owners(item)
        _sub(element, "body", item.body.name)
        _sub(element, "description", item.description)
        for owner in owners:
            _sub(element, "owner", owner)
        _sub(element, "given", _day(item.given_at))
        if item.due_date:
            _sub(element, "due", item.due_date.isoformat())
        _sub(element, "dueNextMeeting", "true" if item.due_next_meeting else "false")
        _sub(element, "status", item.status)
        if item.status_changed_at:
            _sub(element, "statusChanged", _day(item.status_changed_at))
        if item.decision is not None:
            _sub(element, "decision", item.decision.reference, id=item.decision_id)
        rows.append(
            [
                item.pk,
                item.body.name,
                item.description,
                "; ".join(owners),
                _day(item.given_at),
                item.due_date.isoformat() if item.due_date else "",
                "ja" if item.due_next_meeting else "nej",
                item.status,
                _day(item.status_changed_at),
                item.decision.reference if item.decision else "",
            ]
        )
        count += 1
    header = [
        "id",
        "body",
        "description",
        "owners",
        "given",
        "due",
        "due_next_meeting",
        "status",
        "status_changed",
        "decision",
    ]
    _add_register(contents, "action-items", root, header, rows, label="Uppdrag")
    contents.counts["action_items"] = count


def _risks(tenant: Tenant, export: ArchiveExport, contents: Contents) -> None:
    root = _register_root("risks", tenant, export)
    rows: list[list[Any]] = []
    count = 0
    for risk in risks(tenant, export.period_start, export.period_end):
        element = _sub(root, "risk", id=risk.pk)
        _sub(element, "title", risk.title)
        _sub(element, "description", risk.description)
        _sub(element, "category", risk.category)
        _sub(element, "likelihood", risk.likelihood)
        _sub(element, "consequence", risk.consequence)
        if risk.owner is not None:
            _sub(element, "owner", risk.owner.name)
        _sub(element, "mitigation", risk.mitigation)
        _sub(element, "status", risk.status)
        _sub(element, "raisedOn", risk.raised_on.isoformat())
        reviews = sorted(risk.reviews.all(), key=lambda r: (r.reviewed_on, r.pk))
        for review in reviews:
            node = _sub(element, "review")
            _sub(node, "reviewedOn", review.reviewed_on.isoformat())
            _sub(node, "likelihood", review.likelihood)
            _sub(node, "consequence", review.consequence)
            _sub(node, "status", review.status)
            _sub(node, "note", review.note)
        rows.append(
            [
                risk.pk,
                risk.title,
                risk.description,
                risk.category,
                risk.likelihood,
                risk.consequence,
                risk.score,
                risk.owner.name if risk.owner else "",
                risk.mitigation,
                risk.status,
                risk.raised_on.isoformat(),
                len(reviews),
            ]
        )
        count += 1
    header = [
        "id",
        "title",
        "description",
        "category",
        "likelihood",
        "consequence",
        "score",
        "owner",
        "mitigation",
        "status",
        "raised_on",
        "reviews",
    ]
    _add_register(contents, "risks", root, header, rows, label="Risker")
    contents.counts["risks"] = count


def _add_register(
    contents: Contents,
    name: str,
    root: etree._Element,
    header: list[str],
    rows: list[list[Any]],
    *,
    label: str,
) -> None:
    xml = _xml_bytes(root)
    registers_schema().assertValid(etree.fromstring(xml))  # never deliver an invalid register
    contents.data.append(Entry(f"data/registers/{name}.xml", xml, "application/xml", label=label))
    contents.data.append(
        Entry(f"data/registers/{name}.csv", _csv_bytes(header, rows), "text/csv", label=label)
    )


def _read(field_file: Any) -> bytes | None:
    try:
        with field_file.open("rb") as handle:
            return bytes(handle.read())
    except (FileNotFoundError, ValueError):
        return None


def _document_properties(document: Any) -> list[tuple[str, str]]:
    """A document's diary number and secrecy (sekretess, with its provision),
    for its PREMIS object: the archive receives a secret document as it is,
    and marked so."""
    properties = [("titel", document.title)]
    if getattr(document, "diary_number", ""):
        properties.append(("diarienummer", document.diary_number))
    if getattr(document, "secret", False):
        reference = getattr(document, "secrecy_reference", "")
        properties.append(("sekretess", f"Sekretessbelagd handling, {reference}".strip(", ")))
    return properties


def _add_upload(
    contents: Contents,
    path: str,
    upload: Any,
    *,
    label: str,
    properties: list[tuple[str, str]] | None = None,
) -> bool:
    """An uploaded file as it was uploaded, or its path among the missing."""
    data = _read(upload.file)
    if data is None:
        contents.missing.append(path)
        return False
    contents.data.append(
        Entry(
            path,
            data,
            upload.content_type or "application/octet-stream",
            label=label,
            original_name=upload.original_name,
            created=upload.uploaded_at,
            properties=properties or [],
        )
    )
    return True


def _meeting_documents(tenant: Tenant, export: ArchiveExport, contents: Contents) -> None:
    count = secret = 0
    for file in meeting_document_files(tenant, export.period_start, export.period_end):
        meeting = file.document.meeting
        folder = f"data/meeting-documents/{_day(meeting.starts_at)}-meeting-{meeting.pk}"
        name = f"{file.document_id}-v{file.number}-{safe_name(file.original_name)}"
        if _add_upload(
            contents,
            f"{folder}/{name}",
            file,
            label=file.document.title,
            properties=_document_properties(file.document),
        ):
            count += 1
            secret += bool(getattr(file.document, "secret", False))
    contents.counts["meeting_documents"] = count
    contents.counts["secret_meeting_documents"] = secret


def _evidence(tenant: Tenant, export: ArchiveExport, contents: Contents) -> None:
    count = 0
    for attachment in evidence(tenant, export.period_start, export.period_end):
        folder = f"data/evidence/assessment-{attachment.assessment_id}"
        name = f"{attachment.pk}-{safe_name(attachment.original_name)}"
        count += _add_upload(
            contents, f"{folder}/{name}", attachment, label=attachment.original_name
        )
    contents.counts["evidence"] = count


def collect(export: ArchiveExport) -> Contents:
    tenant = export.tenant
    contents = Contents()
    with translation.override("sv"):
        _minutes(tenant, export, contents)
        _decisions(tenant, export, contents)
        _action_items(tenant, export, contents)
        _risks(tenant, export, contents)
        _meeting_documents(tenant, export, contents)
        _evidence(tenant, export, contents)
    return contents


# METS, PREMIS and Dublin Core --------------------------------------------------------


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def _iso(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


class _Ids:
    """METS IDs: XML IDs, unique within one METS file."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}-{self.count}"


def _mets_root(objid: str, label: str) -> etree._Element:
    root = etree.Element(_m("mets"), nsmap=METS_NSMAP)
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", "Mixed")
    root.set(f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE", "MIXED")
    root.set("PROFILE", SIP_PROFILE)
    return root


def _mets_header(
    root: etree._Element, *, created: datetime.datetime, tenant: Tenant, submitter: str
) -> None:
    header = etree.SubElement(root, _m("metsHdr"))
    header.set("CREATEDATE", _iso(created))
    header.set("LASTMODDATE", _iso(created))
    header.set("RECORDSTATUS", "NEW")
    header.set(f"{{{CSIP_NS}}}OAISPACKAGETYPE", "SIP")
    software = etree.SubElement(header, _m("agent"))
    software.set("ROLE", "CREATOR")
    software.set("TYPE", "OTHER")
    software.set("OTHERTYPE", "SOFTWARE")
    etree.SubElement(software, _m("name")).text = SOFTWARE
    note = etree.SubElement(software, _m("note"))
    note.text = SOFTWARE_VERSION
    note.set(f"{{{CSIP_NS}}}NOTETYPE", "SOFTWARE VERSION")
    organisation = etree.SubElement(header, _m("agent"))
    organisation.set("ROLE", "ARCHIVIST")
    organisation.set("TYPE", "ORGANIZATION")
    etree.SubElement(organisation, _m("name")).text = f"{tenant.name} ({tenant.region})"
    if submitter:
        person = etree.SubElement(header, _m("agent"))
        person.set("ROLE", "OTHER")
        person.set("OTHERROLE", "SUBMITTER")
        person.set("TYPE", "INDIVIDUAL")
        etree.SubElement(person, _m("name")).text = submitter


def _file_attrs(element: etree._Element, entry: Entry, ids: _Ids, prefix: str) -> None:
    element.set("ID", ids(prefix))
    element.set("MIMETYPE", entry.mime)
    element.set("SIZE", str(entry.size))
    element.set("CREATED", _iso(entry.created))
    element.set("CHECKSUM", entry.checksum)
    element.set("CHECKSUMTYPE", "SHA-256")


def _locate(element: etree._Element, href: str) -> None:
    element.set("LOCTYPE", "URL")
    element.set(f"{{{XLINK_NS}}}type", "simple")
    element.set(f"{{{XLINK_NS}}}href", href)


def _md_ref(parent: etree._Element, entry: Entry, href: str, mdtype: str, ids: _Ids) -> None:
    ref = etree.SubElement(parent, _m("mdRef"))
    _locate(ref, href)
    ref.set("MDTYPE", mdtype)
    _file_attrs(ref, entry, ids, "mdref")


def _file(group: etree._Element, entry: Entry, href: str, ids: _Ids) -> str:
    element = etree.SubElement(group, _m("file"))
    _file_attrs(element, entry, ids, "file")
    location = etree.SubElement(element, _m("FLocat"))
    _locate(location, href)
    return element.get("ID", "")


def representation_mets(
    *, objid: str, tenant: Tenant, created: datetime.datetime, data: list[Entry], schema: Entry
) -> bytes:
    """The METS of representation `rep1`: its data files and schema."""
    ids = _Ids()
    root = _mets_root(REP, f"{tenant.name}: {objid}, {REP}")
    _mets_header(root, created=created, tenant=tenant, submitter="")
    file_sec = etree.SubElement(root, _m("fileSec"))
    file_sec.set("ID", ids("filesec"))
    data_group = etree.SubElement(file_sec, _m("fileGrp"))
    data_group.set("ID", ids("filegrp"))
    data_group.set("USE", "Data")
    data_ids = [_file(data_group, entry, entry.path, ids) for entry in data]
    schema_group = etree.SubElement(file_sec, _m("fileGrp"))
    schema_group.set("ID", ids("filegrp"))
    schema_group.set("USE", "Schemas")
    schema_id = _file(schema_group, schema, f"schemas/{REGISTERS_XSD_NAME}", ids)
    struct = etree.SubElement(root, _m("structMap"))
    struct.set("ID", ids("structmap"))
    struct.set("TYPE", "PHYSICAL")
    struct.set("LABEL", "CSIP")
    top = etree.SubElement(struct, _m("div"))
    top.set("ID", ids("div"))
    top.set("LABEL", REP)
    data_div = etree.SubElement(top, _m("div"))
    data_div.set("ID", ids("div"))
    data_div.set("LABEL", "Data")
    for file_id in data_ids:
        etree.SubElement(data_div, _m("fptr")).set("FILEID", file_id)
    schema_div = etree.SubElement(top, _m("div"))
    schema_div.set("ID", ids("div"))
    schema_div.set("LABEL", "Schemas")
    etree.SubElement(schema_div, _m("fptr")).set("FILEID", schema_id)
    return _xml_bytes(root)


def package_mets(
    *,
    objid: str,
    tenant: Tenant,
    created: datetime.datetime,
    submitter: str,
    dc: Entry,
    premis: Entry,
    schema: Entry,
    documentation: Entry,
    rep_mets: Entry,
) -> bytes:
    """The package's METS: its metadata, documentation, schema and its one representation."""
    ids = _Ids()
    root = _mets_root(objid, f"{tenant.name}: arkivpaket {objid}")
    _mets_header(root, created=created, tenant=tenant, submitter=submitter)
    dmd = etree.SubElement(root, _m("dmdSec"))
    dmd_id = ids("dmd")
    dmd.set("ID", dmd_id)
    dmd.set("CREATED", _iso(created))
    dmd.set("STATUS", "CURRENT")
    _md_ref(dmd, dc, "metadata/descriptive/dc.xml", "DC", ids)
    amd = etree.SubElement(root, _m("amdSec"))
    amd.set("ID", ids("amd"))
    digiprov = etree.SubElement(amd, _m("digiprovMD"))
    digiprov_id = ids("digiprov")
    digiprov.set("ID", digiprov_id)
    digiprov.set("STATUS", "CURRENT")
    _md_ref(digiprov, premis, "metadata/preservation/premis.xml", "PREMIS", ids)
    file_sec = etree.SubElement(root, _m("fileSec"))
    file_sec.set("ID", ids("filesec"))
    doc_group = etree.SubElement(file_sec, _m("fileGrp"))
    doc_group.set("ID", ids("filegrp"))
    doc_group.set("USE", "Documentation")
    doc_id = _file(doc_group, documentation, f"documentation/{DOCUMENTATION_NAME}", ids)
    schema_group = etree.SubElement(file_sec, _m("fileGrp"))
    schema_group.set("ID", ids("filegrp"))
    schema_group.set("USE", "Schemas")
    schema_id = _file(schema_group, schema, f"schemas/{REGISTERS_XSD_NAME}", ids)
    rep_group = etree.SubElement(file_sec, _m("fileGrp"))
    rep_group_id = ids("filegrp")
    rep_group.set("ID", rep_group_id)
    rep_group.set("USE", f"Representations/{REP}")
    _file(rep_group, rep_mets, f"representations/{REP}/METS.xml", ids)
    struct = etree.SubElement(root, _m("structMap"))
    struct.set("ID", ids("structmap"))
    struct.set("TYPE", "PHYSICAL")
    struct.set("LABEL", "CSIP")
    top = etree.SubElement(struct, _m("div"))
    top.set("ID", ids("div"))
    top.set("LABEL", objid)
    metadata = etree.SubElement(top, _m("div"))
    metadata.set("ID", ids("div"))
    metadata.set("LABEL", "Metadata")
    metadata.set("DMDID", dmd_id)
    metadata.set("ADMID", digiprov_id)
    docs = etree.SubElement(top, _m("div"))
    docs.set("ID", ids("div"))
    docs.set("LABEL", "Documentation")
    etree.SubElement(docs, _m("fptr")).set("FILEID", doc_id)
    schemas = etree.SubElement(top, _m("div"))
    schemas.set("ID", ids("div"))
    schemas.set("LABEL", "Schemas")
    etree.SubElement(schemas, _m("fptr")).set("FILEID", schema_id)
    representation = etree.SubElement(top, _m("div"))
    representation.set("ID", ids("div"))
    representation.set("LABEL", f"Representations/{REP}")
    pointer = etree.SubElement(representation, _m("mptr"))
    _locate(pointer, f"representations/{REP}/METS.xml")
    pointer.set(f"{{{XLINK_NS}}}title", rep_group_id)
    return _xml_bytes(root)


def _p(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{PREMIS_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def premis(
    *,
    objid: str,
    tenant: Tenant,
    created: datetime.datetime,
    submitter: str,
    files: list[tuple[str, Entry]],
    counts: dict[str, int],
    missing: list[str],
) -> bytes:
    """PREMIS 3: one object per file (fixity, size, format, original name), the
    export as an event, and its agents (the portal, the programme, the person)."""
    root = etree.Element(
        f"{{{PREMIS_NS}}}premis", nsmap={"premis": PREMIS_NS, "xsi": XSI_NS}, version="3.0"
    )
    root.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{PREMIS_NS} https://www.loc.gov/standards/premis/premis.xsd",
    )
    for path, entry in files:
        obj = _p(root, "object")
        obj.set(f"{{{XSI_NS}}}type", "premis:file")
        identifier = _p(obj, "objectIdentifier")
        _p(identifier, "objectIdentifierType", "local")
        _p(identifier, "objectIdentifierValue", path)
        for kind, value in entry.properties:
            significant = _p(obj, "significantProperties")
            _p(significant, "significantPropertiesType", kind)
            _p(significant, "significantPropertiesValue", value)
        characteristics = _p(obj, "objectCharacteristics")
        _p(characteristics, "compositionLevel", "0")
        fixity = _p(characteristics, "fixity")
        _p(fixity, "messageDigestAlgorithm", "SHA-256")
        _p(fixity, "messageDigest", entry.checksum)
        _p(fixity, "messageDigestOriginator", SOFTWARE)
        _p(characteristics, "size", str(entry.size))
        file_format = _p(characteristics, "format")
        designation = _p(file_format, "formatDesignation")
        _p(designation, "formatName", entry.mime)
        if entry.original_name:
            _p(obj, "originalName", entry.original_name)
    event = _p(root, "event")
    event_id = _p(event, "eventIdentifier")
    _p(event_id, "eventIdentifierType", "UUID")
    _p(event_id, "eventIdentifierValue", str(uuid.uuid4()))
    _p(event, "eventType", "creation")
    _p(event, "eventDateTime", _iso(created))
    detail = _p(event, "eventDetailInformation")
    summary = ", ".join(f"{key}: {value}" for key, value in sorted(counts.items()))
    _p(
        detail,
        "eventDetail",
        f"Arkivpaket {objid} skapat ur {SOFTWARE} för {tenant.name} ({summary}).",
    )
    outcome = _p(event, "eventOutcomeInformation")
    _p(outcome, "eventOutcome", "success" if not missing else "warning")
    if missing:
        note = _p(outcome, "eventOutcomeDetail")
        _p(note, "eventOutcomeDetailNote", "Saknade filer: " + ", ".join(missing))
    agents = [
        ("software", SOFTWARE, "software"),
        ("organisation", tenant.name, "organization"),
    ]
    if submitter:
        agents.append(("submitter", submitter, "person"))
    for key, _name, _type in agents:
        link = _p(event, "linkingAgentIdentifier")
        _p(link, "linkingAgentIdentifierType", "local")
        _p(link, "linkingAgentIdentifierValue", key)
        _p(link, "linkingAgentRole", "executing program" if key == "software" else key)
    for path, _entry in files:
        link = _p(event, "linkingObjectIdentifier")
        _p(link, "linkingObjectIdentifierType", "local")
        _p(link, "linkingObjectIdentifierValue", path)
    for key, name, kind in agents:
        agent = _p(root, "agent")
        identifier = _p(agent, "agentIdentifier")
        _p(identifier, "agentIdentifierType", "local")
        _p(identifier, "agentIdentifierValue", key)
        _p(agent, "agentName", name)
        _p(agent, "agentType", kind)
        if key == "software":
            _p(agent, "agentVersion", SOFTWARE_VERSION)
    return _xml_bytes(root)


def documentation_text(*, objid: str, tenant: Tenant, counts: dict[str, int]) -> bytes:
    """A plain description of the package for whoever opens it, in Swedish."""
    lines = [
        f"Arkivpaket {objid}",
        f"Samverkansprogram: {tenant.name} ({tenant.region})",
        f"Skapat ur {SOFTWARE} {SOFTWARE_VERSION}.",
        "",
        "Paketet följer E-ARK CSIP/SIP (METS, PREMIS). Innehåll i representations/rep1/data:",
        "  minutes/           justerade protokoll och minnesanteckningar som PDF/A-2b",
        "  registers/         beslut, uppdrag och risker som XML (schema: schemas/"
        + REGISTERS_XSD_NAME
        + ") och CSV",
        "  meeting-documents/ mötenas handlingar, varje version som den laddades upp",
        "  evidence/          underlag till självskattningar, som de laddades upp",
        "",
        "Antal: " + ", ".join(f"{key} {value}" for key, value in sorted(counts.items())),
        "Kontrollsummor (SHA-256) för varje fil finns i METS.xml och i metadata/preservation/"
        "premis.xml.",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def dublin_core(*, objid: str, tenant: Tenant, export: ArchiveExport) -> bytes:
    root = etree.Element("metadata", nsmap={"dc": DC_NS})

    def dc(tag: str, text: str) -> None:
        etree.SubElement(root, f"{{{DC_NS}}}{tag}").text = text

    period = "–".join(
        day.isoformat() if day else "" for day in (export.period_start, export.period_end)
    )
    dc("identifier", objid)
    dc("title", f"{tenant.name}: protokoll, register och handlingar")
    dc("creator", tenant.name)
    dc("publisher", tenant.region)
    dc(
        "description",
        "Justerade protokoll och minnesanteckningar (PDF/A), beslut, uppdrag och risker "
        "(XML och CSV), mötenas handlingar och underlag till självskattningar.",
    )
    dc("date", period if period != "–" else "hela perioden")
    dc("type", "Collection")
    dc("format", "application/zip")
    dc("language", "sv")
    dc("source", SOFTWARE)
    return _xml_bytes(root)


# The package --------------------------------------------------------------------------


def assemble(export: ArchiveExport, contents: Contents) -> bytes:
    """The zipped package of `contents` (see the module's docstring)."""
    tenant = export.tenant
    objid = export.package_id
    created = timezone.now()
    submitter = export.requested_by.get_full_name() if export.requested_by else ""
    schema = Entry(REGISTERS_XSD_NAME, REGISTERS_XSD.read_bytes(), "application/xml")
    rep_prefix = f"representations/{REP}/"
    documentation = Entry(
        DOCUMENTATION_NAME,
        documentation_text(objid=objid, tenant=tenant, counts=contents.counts),
        "text/plain",
    )
    rep_mets = Entry(
        "METS.xml",
        representation_mets(
            objid=objid, tenant=tenant, created=created, data=contents.data, schema=schema
        ),
        "text/xml",
    )
    files = [(f"{rep_prefix}{entry.path}", entry) for entry in contents.data] + [
        (f"{rep_prefix}schemas/{REGISTERS_XSD_NAME}", schema),
        (f"schemas/{REGISTERS_XSD_NAME}", schema),
        (f"documentation/{DOCUMENTATION_NAME}", documentation),
        (f"{rep_prefix}METS.xml", rep_mets),
    ]
    premis_entry = Entry(
        "premis.xml",
        premis(
            objid=objid,
            tenant=tenant,
            created=created,
            submitter=submitter,
            files=files,
            counts=contents.counts,
            missing=contents.missing,
        ),
        "text/xml",
    )
    dc_entry = Entry("dc.xml", dublin_core(objid=objid, tenant=tenant, export=export), "text/xml")
    mets = package_mets(
        objid=objid,
        tenant=tenant,
        created=created,
        submitter=submitter,
        dc=dc_entry,
        premis=premis_entry,
        schema=schema,
        documentation=documentation,
        rep_mets=rep_mets,
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{objid}/METS.xml", mets)
        archive.writestr(f"{objid}/metadata/descriptive/dc.xml", dc_entry.data)
        archive.writestr(f"{objid}/metadata/preservation/premis.xml", premis_entry.data)
        # An empty folder the CSIP structure asks of each representation.
        archive.writestr(f"{objid}/{rep_prefix}metadata/", b"")
        for path, entry in files:
            archive.writestr(f"{objid}/{path}", entry.data)
    return out.getvalue()


def build(export: ArchiveExport) -> tuple[bytes, str]:
    """The package's bytes and file name (the document job's `build`)."""
    contents = collect(export)
    data = assemble(export, contents)
    ArchiveExport.objects.filter(pk=export.pk).update(
        manifest={"counts": contents.counts, "missing": contents.missing}
    )
    return data, f"{export.package_id}.zip"


def new_package_id(tenant: Tenant) -> str:
    """The package's identifier, also its root folder's name (CSIP1)."""
    return f"{tenant.slug}-{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:12]}"
