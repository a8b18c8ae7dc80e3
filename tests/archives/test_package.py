"""The archive package (issue 16, item 2): an E-ARK CSIP/SIP package of the
programme, validated with eark-validator, its registers against their XSD."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django_scopes import scope, scopes_disabled
from lxml import etree

from archives import package, services
from archives.documents import ARCHIVE_PACKAGE
from archives.models import ArchiveExport
from governance.services import meeting_documents, meetings
from portal.models import AuditEvent, GeneratedFile, GeneratedFileStatus
from tests.archives import eark
from tests.document_helpers import file_bytes, pdf_info, pdf_text
from tests.governance.meeting_document_helpers import pdf_upload
from tests.governance.service_helpers import at

pytestmark = pytest.mark.django_db

PREMIS = {"premis": package.PREMIS_NS}
REG = {"r": package.REGISTERS_NS}


def _build(world, **period) -> tuple[ArchiveExport, bytes]:
    with scope(tenant=world.tenant), TestCase.captureOnCommitCallbacks(execute=True):
        export, job = services.archive_export_request(
            actor=world.users["admin"],
            membership=world.memberships["admin"],
            tenant=world.tenant,
            **period,
        )
    with scope(tenant=world.tenant):
        assert job is not None
        job.refresh_from_db()
        assert job.status == GeneratedFileStatus.DONE, job.error_message
        return export, file_bytes(job)


def _names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        return zipped.namelist()


def _read(data: bytes, path: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        return zipped.read(path)


class TestPackage:
    @pytest.fixture
    def built(self, world, scene):
        return _build(world)

    def test_is_a_valid_csip_sip_package_by_eark_validator(self, built, tmp_path):
        export, data = built
        result = eark.validate(data, tmp_path)

        assert result.problems == []
        assert result.details.objid == export.package_id == result.root.name
        assert result.details.oaispackagetype == "SIP"
        assert result.details.profile == package.SIP_PROFILE
        assert result.details.contentinformationtype == "MIXED"
        assert result.representations == ["rep1"]
        # Every file and metadata file of both METS documents, checksums verified.
        assert result.files_checked >= 10

    def test_its_mets_meets_the_csip_profiles_must_requirements(self, built, tmp_path):
        """The package's METS (the representation's is checked against the CSIP
        METS schema by eark-validator, above)."""
        root = eark.unpack(built[1], tmp_path)
        checked, failures = eark.csip_requirements(root / "METS.xml")
        assert failures == []
        assert len(checked) > 60

    def test_a_broken_package_fails_the_validation(self, built, tmp_path):
        """The validation can fail: a changed file breaks its checksum, and a
        package without its metadata folder breaks the structure."""
        export, data = built
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                content = source.read(name)
                if name.endswith("registers/decisions.csv"):
                    content += b"extra\r\n"
                if f"{export.package_id}/metadata/" in name:
                    continue
                target.writestr(name, content)
        result = eark.validate(out.getvalue(), tmp_path)
        assert any("decisions.csv" in issue for issue in result.integrity_errors)
        assert any("CSIPSTR5" in warning for warning in result.structure_warnings)
        assert any("premis.xml is missing" in issue for issue in result.integrity_errors)

    def test_holds_the_approved_minutes_as_pdf_a(self, built, scene):
        _, data = built
        (minutes,) = [n for n in _names(data) if "/data/minutes/" in n]
        pdf = _read(data, minutes)
        xmp = pdf_info(pdf, "-meta")
        assert re.search(r"<pdfaid:part>2</pdfaid:part>|pdfaid:part=\"2\"", xmp)
        assert re.search(
            r"<pdfaid:conformance>B</pdfaid:conformance>|pdfaid:conformance=\"B\"", xmp
        )
        assert "Styrgruppsmöte mars" in pdf_text(pdf)

    def test_holds_the_registers_as_xml_valid_against_the_schema_and_csv(self, built, scene):
        export, data = built
        root = f"{export.package_id}/representations/rep1"
        schema = etree.XMLSchema(etree.fromstring(_read(data, f"{root}/schemas/registers-1.xsd")))
        for name, tag in (
            ("decisions", "decision"),
            ("action-items", "actionItem"),
            ("risks", "risk"),
        ):
            document = etree.fromstring(_read(data, f"{root}/data/registers/{name}.xml"))
            assert schema.validate(document), schema.error_log
            assert len(document.findall(f"r:{tag}", REG)) == 1
            rows = list(
                csv.DictReader(
                    io.StringIO(_read(data, f"{root}/data/registers/{name}.csv").decode())
                )
            )
            assert len(rows) == 1
        decisions = etree.fromstring(_read(data, f"{root}/data/registers/decisions.xml"))
        assert decisions.findtext("r:decision/r:text", namespaces=REG) == scene.decision.text
        assert decisions.find("r:decision/r:meeting", REG).get("date") == "2025-03-25"
        # The package's copy of the schema is the one the registers are checked with.
        assert _read(data, f"{export.package_id}/schemas/registers-1.xsd") == (
            package.REGISTERS_XSD.read_bytes()
        )

    def test_an_invalid_register_is_refused_by_the_schema(self):
        schema = package.registers_schema()
        bad = etree.fromstring(
            f'<decisions xmlns="{package.REGISTERS_NS}" programme="P" programmeSlug="p" '
            'exported="2025-01-01T00:00:00"><decision id="1"><reference>x</reference>'
            "</decision></decisions>"
        )
        assert not schema.validate(bad)

    def test_holds_meeting_documents_and_evidence_as_uploaded(self, built, scene):
        _, data = built
        names = _names(data)
        (document,) = [n for n in names if "/data/meeting-documents/" in n]
        (evidence,) = [n for n in names if "/data/evidence/" in n]
        with scopes_disabled():
            original = scene.document.files.get().file.read()
            scene.evidence.file.open("rb")
            uploaded = scene.evidence.file.read()
        assert _read(data, document) == original
        assert _read(data, evidence) == uploaded
        assert "Processplan-2025.pdf" in document

    def test_premis_records_every_file_with_its_checksum_and_the_export_event(self, built):
        export, data = built
        premis = etree.fromstring(
            _read(data, f"{export.package_id}/metadata/preservation/premis.xml")
        )
        objects = premis.findall("premis:object", PREMIS)
        data_files = [n for n in _names(data) if "/representations/" in n and not n.endswith("/")]
        assert len(objects) == len(data_files) + 2  # + the root schema and documentation
        for obj in objects:
            path = obj.findtext(
                "premis:objectIdentifier/premis:objectIdentifierValue", namespaces=PREMIS
            )
            digest = obj.findtext(".//premis:messageDigest", namespaces=PREMIS)
            assert hashlib.sha256(_read(data, f"{export.package_id}/{path}")).hexdigest() == digest
        assert premis.findtext("premis:event/premis:eventType", namespaces=PREMIS) == "creation"
        assert (
            premis.findtext(
                "premis:event/premis:eventOutcomeInformation/premis:eventOutcome", namespaces=PREMIS
            )
            == "success"
        )

    def test_records_what_it_held_and_audits_the_request(self, built, world):
        export, _ = built
        with scopes_disabled():
            export.refresh_from_db()
            assert export.manifest["counts"] == {
                "minutes": 1,
                "decisions": 1,
                "action_items": 1,
                "risks": 1,
                "meeting_documents": 1,
                "secret_meeting_documents": 0,
                "evidence": 1,
            }
            event = AuditEvent.objects.get(action="archive_export.request")
        assert event.actor == world.users["admin"]
        assert event.object_id == str(export.pk)


def test_a_secret_document_is_delivered_marked_with_its_provision(world, scene):
    """The archive receives a secret document (sekretess) as it is, marked in
    its PREMIS record with the provision and its diary number."""
    with scope(tenant=world.tenant):
        meeting = meetings.meeting_create(
            actor=world.users["leader"],
            body=scene.meeting.body,
            starts_at=at(2025, 4, 10),
            ends_at=at(2025, 4, 10, 15),
        )
        secret = meeting_documents.document_add(
            actor=world.users["leader"],
            meeting=meeting,
            upload=pdf_upload("Elevärende.pdf", "Uppgifter om enskild"),
            title="Underlag om enskild elev",
            diary_number="RS 2025/117",
            secret=True,
            secrecy_reference="OSL 23 kap. 2 §",
        )
    export, data = _build(world)
    premis = etree.fromstring(_read(data, f"{export.package_id}/metadata/preservation/premis.xml"))
    marked = {
        obj.findtext("premis:objectIdentifier/premis:objectIdentifierValue", namespaces=PREMIS): {
            sp.findtext("premis:significantPropertiesType", namespaces=PREMIS): sp.findtext(
                "premis:significantPropertiesValue", namespaces=PREMIS
            )
            for sp in obj.findall("premis:significantProperties", PREMIS)
        }
        for obj in premis.findall("premis:object", PREMIS)
    }
    (path,) = [p for p in marked if f"/{secret.pk}-v1-" in p]
    assert marked[path]["sekretess"] == "Sekretessbelagd handling, OSL 23 kap. 2 §"
    assert marked[path]["diarienummer"] == "RS 2025/117"
    with scopes_disabled():
        export.refresh_from_db()
    assert export.manifest["counts"]["secret_meeting_documents"] == 1


def test_the_period_selects_by_meeting_and_record_date(world, scene):
    _, data = _build(
        world, period_start=datetime.date(2025, 4, 1), period_end=datetime.date(2025, 12, 31)
    )
    names = _names(data)
    assert not [n for n in names if "/data/minutes/" in n]
    assert not [n for n in names if "/data/meeting-documents/" in n]
    # The evidence was uploaded today, outside the period too.
    assert not [n for n in names if "/data/evidence/" in n]


def test_a_period_that_ends_before_it_starts_is_refused(world):
    with scope(tenant=world.tenant), pytest.raises(services.DomainError):
        services.archive_export_request(
            actor=world.users["admin"],
            membership=world.memberships["admin"],
            tenant=world.tenant,
            period_start=datetime.date(2025, 2, 1),
            period_end=datetime.date(2025, 1, 1),
        )
    with scopes_disabled():
        assert not ArchiveExport.objects.exists()


def test_a_failed_package_can_be_tried_again(world, scene):
    """The job machinery: a failure is shown on the job and a retry builds it."""
    from portal.documents.requests import retry_document

    def broken(export):
        raise RuntimeError("disk full")

    object.__setattr__(ARCHIVE_PACKAGE, "build", broken)
    try:
        with scope(tenant=world.tenant), TestCase.captureOnCommitCallbacks(execute=True):
            _, job = services.archive_export_request(
                actor=world.users["admin"],
                membership=world.memberships["admin"],
                tenant=world.tenant,
            )
        job.refresh_from_db()
        assert job.status == GeneratedFileStatus.FAILED
    finally:
        object.__setattr__(ARCHIVE_PACKAGE, "build", package.build)
    with scope(tenant=world.tenant), TestCase.captureOnCommitCallbacks(execute=True):
        retry_document(actor=world.users["admin"], membership=world.memberships["admin"], job=job)
    with scope(tenant=world.tenant):
        job = GeneratedFile.objects.get(pk=job.pk)
        assert job.status == GeneratedFileStatus.DONE
        assert file_bytes(job)[:2] == b"PK"


class TestCommand:
    def test_writes_the_package(self, world, scene, tmp_path):
        out = io.StringIO()
        call_command(
            "export_archive",
            world.tenant.slug,
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--output",
            str(tmp_path),
            stdout=out,
        )
        (written,) = list(tmp_path.glob("*.zip"))
        assert "Wrote" in out.getvalue()
        result = eark.validate(written.read_bytes(), tmp_path / "check")
        assert result.problems == []
        with scopes_disabled():
            export = ArchiveExport.objects.get()
        assert (export.period_start, export.period_end) == (
            datetime.date(2025, 1, 1),
            datetime.date(2025, 12, 31),
        )
        assert [n for n in _names(written.read_bytes()) if "/data/minutes/" in n]

    def test_refuses_an_unknown_programme_and_a_bad_date(self, world, tmp_path):
        with pytest.raises(CommandError, match="No programme"):
            call_command("export_archive", "nowhere", "--output", str(tmp_path))
        with pytest.raises(CommandError, match="Not a date"):
            call_command("export_archive", world.tenant.slug, "--from", "2025-13-01")
        with pytest.raises(CommandError, match=r"(cannot end before|kan inte sluta innan)"):
            call_command(
                "export_archive", world.tenant.slug, "--from", "2025-02-01", "--to", "2025-01-01"
            )
        with scopes_disabled():
            assert not ArchiveExport.objects.exists()
        assert not list(tmp_path.iterdir())
