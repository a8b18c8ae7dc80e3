"""`manage.py export_tenant` and `import_tenant`: a programme goes into one
archive and comes back into an empty database row for row and byte for byte,
and nothing of another programme goes with it."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django_scopes import scopes_disabled

from governance.models import Meeting
from implementation.models import AssessmentAttachment, SelfAssessment
from portal import archive
from portal.models import AuditEvent, GeneratedFile, GeneratedFileStatus, Principal, Tenant, User
from research.models import ApiToken, PseudonymKey, ResearchReport
from tests.factories import MembershipFactory, PrincipalFactory, UserFactory

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
# Rows that are the database's, not any programme's: rebuilt by migrate, or the
# logins' own security state.
NOT_PROGRAMME_DATA = {"contenttypes", "auth", "sessions", "admin", "axes", "otp_totp"}
STAFF_FIELDS = {"is_staff", "is_superuser"}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def add_files(slug: str) -> tuple[GeneratedFile, AssessmentAttachment]:
    """A rendered PDF of a meeting and an evidence file of a self-assessment."""
    with scopes_disabled():
        tenant = Tenant.objects.get(slug=slug)
        meeting = Meeting.objects.filter(tenant=tenant).order_by("pk").first()
        assessment = SelfAssessment.objects.filter(tenant=tenant).order_by("pk").first()
        assert meeting is not None and assessment is not None
        job = GeneratedFile.objects.create(
            tenant=tenant,
            kind="minutes",
            content_type=ContentType.objects.get_for_model(Meeting),
            object_id=meeting.pk,
            status=GeneratedFileStatus.DONE,
            audience="governance.view_finished",
            attempts=1,
            filename=f"protokoll-{slug}.pdf",
            checksum=hashlib.sha256(PDF).hexdigest(),
            size=len(PDF),
        )
        job.file.save(job.filename, ContentFile(PDF))
        evidence = AssessmentAttachment(
            tenant=tenant,
            assessment=assessment,
            original_name=f"bevis-{slug}.png",
            content_type="image/png",
            size=12,
        )
        evidence.file.save("bevis.png", ContentFile(b"\x89PNG\r\n\x1a\n" + slug.encode()))
        add_research(tenant)
    return job, evidence


def add_research(tenant: Tenant) -> None:
    """The research app's rows: it is not named anywhere in portal.archive."""
    researcher = User.objects.filter(memberships__tenant=tenant).order_by("pk").first()
    PseudonymKey.objects.create(
        tenant=tenant, secret=hashlib.sha256(tenant.slug.encode()).hexdigest()
    )
    ResearchReport.objects.create(
        tenant=tenant, title=f"Delrapport {tenant.slug}", published_on=datetime.date(2026, 3, 1)
    )
    ApiToken.objects.create(
        tenant=tenant,
        user=researcher,
        name="R",
        prefix=tenant.slug[:8],
        key_hash=hashlib.sha256(b"token-" + tenant.slug.encode()).hexdigest(),
    )


def snapshot() -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every programme model, every field, read straight from the
    database (not through portal.archive). Content types by natural key."""
    rows: dict[str, dict[Any, dict[str, Any]]] = {}
    with scopes_disabled():
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label in NOT_PROGRAMME_DATA:
                continue
            table: dict[Any, dict[str, Any]] = {}
            rows_of = model._base_manager.order_by("pk")
            if model is AuditEvent:
                # Events of no programme (logins created, two-factor changes) are
                # the portal's, not a programme's: they are not archived.
                rows_of = rows_of.exclude(tenant=None)
            for row in rows_of:
                values: dict[str, Any] = {}
                for f in model._meta.concrete_fields:
                    value = getattr(row, f.attname)
                    if isinstance(f, models.ForeignKey) and f.related_model is ContentType:
                        value = ContentType.objects.get_for_id(value).natural_key()
                    elif isinstance(f, models.FileField):
                        value = value.name
                    values[f.attname] = value
                table[row.pk] = values
            rows[model._meta.label_lower] = table
    return rows


def media_files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def empty_the_database(media: Path) -> None:
    """What a new provider starts with: migrated tables, no rows, no files, and
    content types numbered differently from the old database."""
    call_command("flush", "--no-input", verbosity=0)
    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    ContentType.objects.create(app_label="zz_shift", model="ids")
    for model in reversed(apps.get_models(include_auto_created=False)):
        ContentType.objects.get_for_model(model)
    shutil.rmtree(media)
    media.mkdir()


def archive_contents(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]], set[str]]:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        records = json.loads(zf.read("data.json"))["records"]
        return manifest, records, set(zf.namelist())


# The round trip -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_export_then_import_into_an_empty_database_is_lossless(media, tmp_path, fresh_demo):
    fresh_demo(media)  # seed_demo's programmes, in a database of this test's own
    add_files("sormland")
    add_files("kronoberg")
    with scopes_disabled():
        sormland, kronoberg = (
            Tenant.objects.get(slug="sormland"),
            Tenant.objects.get(slug="kronoberg"),
        )
        MembershipFactory(tenant=kronoberg, user=UserFactory(username="bara-kronoberg"))
        MembershipFactory(tenant=sormland, user=UserFactory(username="bara-sormland"))
    before = snapshot()
    files_before = media_files(media)
    with scopes_disabled():
        old_meeting_type = ContentType.objects.get_for_model(Meeting).pk
        ids = dict(Tenant.objects.values_list("slug", "pk"))

    for slug in ("sormland", "kronoberg"):
        call_command(
            "export_tenant", slug, tmp_path / f"{slug}.zip", "--with-secrets", stdout=io.StringIO()
        )
    assert_nothing_of(kronoberg, tmp_path / "sormland.zip", tenant=sormland)
    assert_nothing_of(sormland, tmp_path / "kronoberg.zip", tenant=kronoberg)
    empty_the_database(media)
    assert ContentType.objects.get_for_model(Meeting).pk != old_meeting_type

    call_command("import_tenant", tmp_path / "sormland.zip", stdout=io.StringIO())
    with scopes_disabled():
        assert list(Tenant.objects.values_list("slug", flat=True)) == ["sormland"]
        for model in apps.get_models():
            if any(f.name == "tenant" for f in model._meta.concrete_fields):
                assert not model._base_manager.filter(tenant_id=ids["kronoberg"]).exists()
    call_command("import_tenant", tmp_path / "kronoberg.zip", stdout=io.StringIO())

    after = snapshot()
    with scopes_disabled():
        imports = AuditEvent.objects.filter(action="tenant.import")
        assert sorted(imports.values_list("tenant__slug", flat=True)) == ["kronoberg", "sormland"]
        for event in imports:
            del after["portal.auditevent"][event.pk]
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, label
    assert media_files(media) == files_before
    # Evidence and generated PDFs, the meeting documents (files and images,
    # the planning day's notice document and its secret document among
    # them), the demo's two sealed
    # minutes, and its imports of old minutes: two originals a programme, the
    # proposal each reading job wrote, and the imported meeting's source
    # document.
    assert len(files_before) == 24
    assert not User.objects.filter(is_staff=True).exists()
    with scopes_disabled():
        for label in ("research.pseudonymkey", "research.researchreport", "research.apitoken"):
            assert {row["tenant_id"] for row in after[label].values()} == set(ids.values())


@pytest.mark.django_db(transaction=True)
def test_new_rows_after_an_import_get_new_ids(media, tmp_path, world):
    with scopes_disabled():
        highest = max(Principal.objects.values_list("pk", flat=True))
    call_command("export_tenant", world.tenant.slug, tmp_path / "a.zip", stdout=io.StringIO())
    empty_the_database(media)
    call_command("import_tenant", tmp_path / "a.zip", stdout=io.StringIO())

    with scopes_disabled():
        tenant = Tenant.objects.get(slug=world.tenant.slug)
        added = PrincipalFactory(tenant=tenant, name="Ny kommun")
    assert added.pk > highest


def data_of(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("data.json").decode()


@pytest.mark.django_db(transaction=True)
def test_password_hashes_and_the_pseudonym_key_travel_only_when_asked(media, tmp_path, world):
    user = world.users["leader"]
    hashed = user.password
    with scopes_disabled():
        add_research(world.tenant)
        secret = PseudonymKey.objects.get(tenant=world.tenant).secret
    call_command(
        "export_tenant",
        world.tenant.slug,
        tmp_path / "a.zip",
        "--with-secrets",
        stdout=io.StringIO(),
    )
    call_command("export_tenant", world.tenant.slug, tmp_path / "b.zip", stdout=io.StringIO())
    assert hashed in data_of(tmp_path / "a.zip")
    assert secret in data_of(tmp_path / "a.zip")
    assert hashed not in data_of(tmp_path / "b.zip")
    assert secret not in data_of(tmp_path / "b.zip")
    assert "research.researchreport" in archive_contents(tmp_path / "b.zip")[0]["row_counts"]
    empty_the_database(media)

    call_command("import_tenant", tmp_path / "b.zip", stdout=io.StringIO())
    assert not User.objects.get(pk=user.pk).has_usable_password()
    with scopes_disabled():
        assert not PseudonymKey.objects.exists()
    empty_the_database(media)
    call_command("import_tenant", tmp_path / "a.zip", stdout=io.StringIO())
    assert User.objects.get(pk=user.pk).password == hashed
    with scopes_disabled():
        assert PseudonymKey.objects.get(tenant_id=world.tenant.pk).secret == secret


# What the archive holds --------------------------------------------------------------


def assert_nothing_of(other: Tenant, path: Path, *, tenant: Tenant) -> None:
    """The archive at `path` holds `tenant`'s rows and files, none of `other`'s."""
    manifest, records, names = archive_contents(path)
    with scopes_disabled():
        other_only_users = set(
            User.objects.filter(memberships__tenant=other)
            .exclude(memberships__tenant=tenant)
            .values_list("pk", flat=True)
        )
        other_files = {
            f"files/{name}"
            for model in (GeneratedFile, AssessmentAttachment)
            for name in model._base_manager.filter(tenant=other).values_list("file", flat=True)
        }
    assert other_only_users
    assert other_files
    for record in records:
        if "tenant" in record["fields"]:
            assert record["fields"]["tenant"] == tenant.pk, record["model"]
        if record["model"] == "portal.tenant":
            assert record["pk"] == tenant.pk
        if record["model"] == "portal.user":
            assert record["pk"] not in other_only_users
            assert not STAFF_FIELDS & record["fields"].keys()
    assert other.name not in json.dumps(records, ensure_ascii=False)
    assert not other_files & names
    assert set(manifest["files"]) == {
        n.removeprefix("files/") for n in names if n.startswith("files/")
    }


@pytest.mark.django_db
def test_the_archive_holds_nothing_of_another_programme(media, tmp_path, world, other_world):
    with scopes_disabled():
        add_assessment_free_file(world)
        add_assessment_free_file(other_world)
    path = tmp_path / "a.zip"

    call_command("export_tenant", world.tenant.slug, path, stdout=io.StringIO())

    assert_nothing_of(other_world.tenant, path, tenant=world.tenant)


@pytest.mark.django_db
def test_the_manifest_counts_and_checksums_everything(media, tmp_path, world):
    with scopes_disabled():
        add_assessment_free_file(world)
    path = tmp_path / "a.zip"

    call_command("export_tenant", world.tenant.slug, path, stdout=io.StringIO())

    manifest, records, _names = archive_contents(path)
    with zipfile.ZipFile(path) as zf:
        data = zf.read("data.json")
        for name, entry in manifest["files"].items():
            content = zf.read(f"files/{name}")
            assert entry == {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    assert manifest["format"] == archive.FORMAT
    assert manifest["portal_version"] == settings.PORTAL_VERSION
    assert manifest["programme"]["slug"] == world.tenant.slug
    assert manifest["generated_at"]
    assert manifest["data"] == {
        "name": "data.json",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert manifest["row_counts"]["portal.tenant"] == 1
    assert manifest["row_counts"]["portal.membership"] == 5
    assert manifest["row_counts"]["portal.user"] == 5
    assert manifest["row_counts"]["portal.generatedfile"] == 1
    assert sum(manifest["row_counts"].values()) == len(records)
    assert "portal" in manifest["migrations"]
    assert len(manifest["files"]) == 1


def add_assessment_free_file(world) -> GeneratedFile:
    job = GeneratedFile.objects.create(
        tenant=world.tenant,
        kind="principal_snapshot",
        content_type=ContentType.objects.get_for_model(world.principal),
        object_id=world.principal.pk,
        status=GeneratedFileStatus.DONE,
        audience="portal.view",
        filename="a.pdf",
    )
    job.file.save("a.pdf", ContentFile(PDF))
    return job


@pytest.mark.django_db
def test_exporting_is_audited(media, tmp_path, world):
    call_command("export_tenant", world.tenant.slug, tmp_path / "a.zip", stdout=io.StringIO())

    with scopes_disabled():
        event = AuditEvent.objects.get(action="tenant.export")
    assert event.tenant == world.tenant
    assert event.after["row_counts"]["portal.tenant"] == 1


@pytest.mark.django_db
def test_a_reference_into_another_programme_is_refused_not_exported(
    media, tmp_path, world, other_world
):
    with scopes_disabled():
        job = add_assessment_free_file(world)
        # A generic reference to the other programme's principal (a corrupt row).
        GeneratedFile.objects.filter(pk=job.pk).update(object_id=other_world.principal.pk)
    path = tmp_path / "a.zip"

    with pytest.raises(CommandError, match="not part of this programme"):
        call_command("export_tenant", world.tenant.slug, path, stdout=io.StringIO())
    assert not path.exists()
    assert not (tmp_path / "a.zip.partial").exists()


@pytest.mark.django_db
def test_a_missing_file_is_refused(media, tmp_path, world):
    with scopes_disabled():
        job = add_assessment_free_file(world)
    Path(job.file.path).unlink()

    with pytest.raises(CommandError, match="missing"):
        call_command("export_tenant", world.tenant.slug, tmp_path / "a.zip", stdout=io.StringIO())


@pytest.mark.django_db
def test_an_unknown_programme_or_an_existing_file_is_refused(tmp_path, world):
    with pytest.raises(CommandError, match="No programme"):
        call_command("export_tenant", "finns-inte", tmp_path / "a.zip", stdout=io.StringIO())
    (tmp_path / "b.zip").write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists"):
        call_command("export_tenant", world.tenant.slug, tmp_path / "b.zip", stdout=io.StringIO())
    assert (tmp_path / "b.zip").read_bytes() == b"keep me"


# What the import refuses ---------------------------------------------------------------


@pytest.fixture
def exported(media, tmp_path, world) -> Path:
    with scopes_disabled():
        add_assessment_free_file(world)
    path = tmp_path / "a.zip"
    call_command("export_tenant", world.tenant.slug, path, stdout=io.StringIO())
    return path


def rewrite(path: Path, change) -> Path:
    """A copy of the archive with `change(name, bytes) -> bytes | None` applied."""
    target = path.with_name("tampered.zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for name in source.namelist():
            content = change(name, source.read(name))
            if content is not None:
                out.writestr(name, content)
    return target


def row_total() -> int:
    with scopes_disabled():
        return sum(
            model._base_manager.count()
            for model in apps.get_models()
            if model._meta.app_label not in NOT_PROGRAMME_DATA
        )


@pytest.mark.django_db
def test_an_existing_programme_is_not_overwritten(exported):
    total = row_total()

    with pytest.raises(CommandError, match="already exists"):
        call_command("import_tenant", exported, stdout=io.StringIO())
    assert row_total() == total


@pytest.mark.django_db(transaction=True)
def test_existing_primary_keys_are_refused(exported, world, media):
    empty_the_database(media)
    Tenant.objects.create(pk=world.tenant.pk, slug="annat", name="Annat", region="X")

    with pytest.raises(CommandError, match="exist here already"):
        call_command("import_tenant", exported, stdout=io.StringIO())
    assert Tenant.objects.count() == 1
    assert media_files(media) == {}


def _change_data(name: str, content: bytes) -> bytes:
    if name == "data.json":
        return content.replace(b"sormland-kommun-a", b"sormland-kommun-x")
    return content


def _change_file(name: str, content: bytes) -> bytes:
    return content[:-1] + b"!" if name.startswith("files/") else content


def _drop_file(name: str, content: bytes) -> bytes | None:
    return None if name.startswith("files/") else content


def _add_file(name: str, content: bytes) -> bytes:
    return content


def _bad_manifest(name: str, content: bytes) -> bytes:
    if name != "manifest.json":
        return content
    manifest = json.loads(content)
    manifest["row_counts"]["portal.principal"] += 1
    return json.dumps(manifest).encode()


def _unsafe_path(name: str, content: bytes) -> bytes:
    if name != "manifest.json":
        return content
    manifest = json.loads(content)
    manifest["files"]["../../etc/evil"] = next(iter(manifest["files"].values()))
    return json.dumps(manifest).encode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_change_data, "data.json does not match"),
        (_change_file, "does not match the manifest"),
        (_drop_file, "do not match the manifest"),
        (_bad_manifest, "row counts"),
        (_unsafe_path, "do not match|unsafe"),
    ],
)
def test_a_tampered_archive_is_refused_before_anything_is_written(exported, media, change, message):
    tampered = rewrite(exported, change)
    empty_the_database(media)

    with pytest.raises(CommandError, match=message):
        call_command("import_tenant", tampered, stdout=io.StringIO())
    assert row_total() == 0
    assert media_files(media) == {}


@pytest.mark.django_db
def test_something_that_is_not_an_archive_is_refused(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"not a zip")

    with pytest.raises(CommandError, match="Not a programme archive"):
        call_command("import_tenant", path, stdout=io.StringIO())


def forge(path: Path, change) -> Path:
    """A copy of the archive whose data.json `change(records)` edited, with the
    manifest's checksum and size updated to match, as a forger would."""
    target = path.with_name("forged.zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        records = json.loads(source.read("data.json"))["records"]
        change(records)
        data = json.dumps({"records": records}).encode()
        manifest = json.loads(source.read("manifest.json"))
        manifest["data"].update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
        for name in source.namelist():
            if name == "data.json":
                out.writestr(name, data)
            elif name == "manifest.json":
                out.writestr(name, json.dumps(manifest))
            else:
                out.writestr(name, source.read(name))
    return target


@pytest.mark.django_db(transaction=True)
def test_a_forged_archive_cannot_write_into_another_programme(exported, media):
    victim_pk = 987654

    def move_a_principal(records: list[dict[str, Any]]) -> None:
        principal = next(r for r in records if r["model"] == "portal.principal")
        principal["fields"]["tenant"] = victim_pk

    forged = forge(exported, move_a_principal)
    empty_the_database(media)
    Tenant.objects.create(pk=victim_pk, slug="offer", name="Offer", region="X")

    with pytest.raises(CommandError, match="outside the archive"):
        call_command("import_tenant", forged, stdout=io.StringIO())
    with scopes_disabled():
        assert not Principal.objects.filter(tenant_id=victim_pk).exists()
    assert Tenant.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00Z", "9999-12-31T12:00:00Z", "1989-12-31T22:00:00Z"]
)
def test_a_date_outside_1990_to_2100_in_an_archive_is_refused(exported, media, when):
    """A crafted archive cannot store a date that pages would fail to show."""

    def backdate_a_membership(records: list[dict[str, Any]]) -> None:
        membership = next(r for r in records if r["model"] == "portal.membership")
        membership["fields"]["created_at"] = when

    forged = forge(exported, backdate_a_membership)
    empty_the_database(media)

    with pytest.raises(CommandError, match="not a date between 1990 and 2100"):
        call_command("import_tenant", forged, stdout=io.StringIO())
    assert Tenant.objects.count() == 0
    assert media_files(media) == {}
