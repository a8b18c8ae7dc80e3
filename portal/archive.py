"""One programme as one archive, and back: `manage.py export_tenant` and
`manage.py import_tenant` (for archiving under the Archives Act, and for moving
the programme to another provider).

The archive is a zip file:

- `data.json`: every row that belongs to the programme, in every app, as
  `{"model", "pk", "fields"}` records: the programme itself; every row of every
  model with a foreign key to `Tenant`; the child rows reached through their
  parents (models without a tenant key whose foreign keys point at rows already
  selected, including many-to-many link rows); and the logins those rows refer
  to. Models are discovered, not listed, so a new app's models are included as
  long as they hang off the programme.
- `files/<name>`: the bytes of every file a selected row's FileField names.
- `manifest.json`: when and by which portal version it was made, the applied
  migrations, row counts per model, and the size and SHA-256 of `data.json`
  and of every file.

Choices:

- Logins are exported without password hashes, staff or superuser flags, groups
  and permissions: a user may also belong to other programmes, and a hash is a
  credential of the login, not a record of the programme. Imported logins have
  unusable passwords; their owners set one with "Forgot your password?".
- The pseudonymisation key (research.PseudonymKey, and any model with
  `archive_secret = True`) is left out too: with it, the pseudonyms of every
  research export could be traced back to people, and an archive may become a
  public record. Without it the new portal makes a new key, so pseudonyms change.
- `--with-secrets` (for a move to another provider) includes both: logins keep
  their passwords and research exports keep their pseudonyms.
- Two-factor devices are never exported (users set them up again), nor audit
  events of no programme (a login created, two-factor turned on).
- Content types are written by natural key (`["governance", "meeting"]`), as the
  target database numbers them its own way.
- The export refuses instead of writing an archive that would be incomplete or
  leak: a reference to another programme's row, to a row the archive does not
  hold, or a file missing from storage is an error.
- The import verifies the manifest and every checksum before it writes
  anything, refuses a programme slug or any primary key that already exists,
  keeps every primary key and file name, and runs in one transaction.
- An archive written before the audit vocabulary (`portal.audit`) gets its
  audit events' action names renamed on import, as the migration renamed the
  stored ones (`portal.audit_renames`).

The archive still holds calendar feed addresses and API token hashes (and,
with `--with-secrets`, password hashes and the pseudonymisation key): store it
as carefully as a database backup.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_scopes import scopes_disabled

from portal import audit, audit_renames, dates
from portal.models import AuditEvent, Tenant, User

FORMAT = "samverkansportalen-programme-archive"
FORMAT_VERSION = 1
DATA_NAME = "data.json"
MANIFEST_NAME = "manifest.json"
FILES_PREFIX = "files/"
# Account-level fields a programme's archive does not carry (see the module docstring).
USER_EXCLUDED_FIELDS = ("password", "is_staff", "is_superuser")
# Rows left out unless the export is asked for secrets (see the module docstring).
SECRET_MODELS = {"research.pseudonymkey"}
CHUNK = 1024 * 1024
# The migration that renamed the audit action names (see _rename_audit_actions).
AUDIT_VOCABULARY = "0007_audit_vocabulary"


class ArchiveError(Exception):
    """The export or import is refused; the message says why."""


# Discovery -------------------------------------------------------------------------


def _models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    ]


def _tenant_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [f for f in _foreign_keys(model) if f.related_model is Tenant]


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


@dataclass
class Selection:
    """The programme's rows: primary keys per model, plus the logins they refer to."""

    tenant: Tenant
    pks: dict[type[models.Model], set[Any]] = field(default_factory=dict)
    user_pks: set[Any] = field(default_factory=set)

    def owned(self, model: type[models.Model]) -> bool:
        return model in self.pks


def is_secret(model: type[models.Model]) -> bool:
    return model._meta.label_lower in SECRET_MODELS or getattr(model, "archive_secret", False)


def select(tenant: Tenant, *, with_secrets: bool = False) -> Selection:
    """Find every row that belongs to `tenant` (see the module docstring)."""
    selection = Selection(tenant=tenant, pks={Tenant: {tenant.pk}})
    candidates = [
        m
        for m in _models()
        if m is not Tenant and m is not User and (with_secrets or not is_secret(m))
    ]
    with scopes_disabled():
        for model in candidates:
            keys = _tenant_keys(model)
            if keys:
                condition = models.Q()
                for key in keys:
                    condition |= models.Q(**{key.attname: tenant.pk})
                selection.pks[model] = set(
                    model._base_manager.filter(condition).values_list("pk", flat=True)
                )
        # Child rows, to a fixed point: a model without a tenant key whose foreign
        # keys point at selected rows (link tables, small detail rows).
        children = [m for m in candidates if not _tenant_keys(m)]
        changed = True
        while changed:
            changed = False
            for model in children:
                parents = [f for f in _foreign_keys(model) if selection.owned(f.related_model)]
                if not parents:
                    continue
                condition = models.Q()
                for key in parents:
                    condition |= models.Q(
                        **{f"{key.attname}__in": selection.pks[key.related_model]}
                    )
                found = set(model._base_manager.filter(condition).values_list("pk", flat=True))
                if not found <= selection.pks.get(model, set()):
                    selection.pks[model] = selection.pks.get(model, set()) | found
                    changed = True
        _check_references(selection)
    return selection


def _rows(model: type[models.Model], pks: Iterable[Any]) -> Iterator[models.Model]:
    ordered = sorted(pks)
    for start in range(0, len(ordered), 2000):
        yield from model._base_manager.filter(pk__in=ordered[start : start + 2000]).order_by("pk")


def _check_references(selection: Selection) -> None:
    """Every reference of a selected row must stay inside the archive (or be a
    login or a content type): anything else would leak another programme's row
    into it, or leave the import with a dangling key."""
    tenant_pk = selection.tenant.pk
    for model, pks in selection.pks.items():
        keys = _foreign_keys(model)
        generic = [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]
        if not keys and not generic:
            continue
        for row in _rows(model, pks):
            for key in keys:
                value = getattr(row, key.attname)
                if value is None:
                    continue
                target = key.related_model
                label = f"{model._meta.label} {row.pk}.{key.name}"
                if target is User:
                    selection.user_pks.add(value)
                elif target is ContentType:
                    continue
                elif target is Tenant and value != tenant_pk:
                    raise ArchiveError(f"{label} refers to another programme ({value}).")
                elif not selection.owned(target) or value not in selection.pks[target]:
                    raise ArchiveError(
                        f"{label} refers to {target._meta.label} {value}, "
                        "which is not part of this programme."
                    )
            for relation in generic:
                _check_generic(selection, model, row, relation)


def _check_generic(
    selection: Selection, model: type[models.Model], row: models.Model, relation: GenericForeignKey
) -> None:
    type_field = model._meta.get_field(relation.ct_field)
    assert isinstance(type_field, models.ForeignKey)
    type_id = getattr(row, type_field.attname)
    object_id = getattr(row, relation.fk_field)
    if type_id is None or object_id is None:
        return
    target = ContentType.objects.get_for_id(type_id).model_class()
    if target is None or target is User:
        return
    if target is not Tenant and not selection.owned(target):
        return  # a global object (none today); nothing of another programme
    owned = selection.pks.get(target, set())
    if object_id not in owned:
        raise ArchiveError(
            f"{model._meta.label} {row.pk}.{relation.name} refers to "
            f"{target._meta.label} {object_id}, which is not part of this programme."
        )


# Serialising ------------------------------------------------------------------------


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but with microseconds: it cuts times to milliseconds."""

    def default(self, o: Any) -> Any:
        if hasattr(o, "isoformat") and hasattr(o, "microsecond"):
            return o.isoformat()
        return super().default(o)


def _dependency_order(model_list: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """Parents before children (self-references and cycles are left to the
    database's deferred constraint checks)."""
    pending = sorted(model_list, key=lambda m: m._meta.label)
    done: list[type[models.Model]] = []
    while pending:
        for model in pending:
            needs = {f.related_model for f in _foreign_keys(model)} - {model}
            if not any(other in needs for other in pending if other is not model):
                break
        else:
            model = pending[0]
        pending.remove(model)
        done.append(model)
    return done


def _records(selection: Selection, *, with_secrets: bool) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    with scopes_disabled():
        user_model: list[type[models.Model]] = [User] if selection.user_pks else []
        for model in _dependency_order([*user_model, *selection.pks]):
            pks = selection.user_pks if model is User else selection.pks[model]
            names = [f.name for f in model._meta.local_fields if not f.primary_key]
            type_keys = [f.name for f in _foreign_keys(model) if f.related_model is ContentType]
            for record in serializers.serialize("python", _rows(model, pks), fields=names):
                for name in type_keys:
                    if record["fields"][name] is not None:
                        ct = ContentType.objects.get_for_id(record["fields"][name])
                        record["fields"][name] = list(ct.natural_key())
                if model is User:
                    for name in USER_EXCLUDED_FIELDS:
                        if name == "password" and with_secrets:
                            continue
                        record["fields"].pop(name, None)
                records.append(record)
    return records


def _file_names(selection: Selection) -> list[tuple[models.FileField, str]]:
    found: list[tuple[models.FileField, str]] = []
    with scopes_disabled():
        for model, pks in selection.pks.items():
            for file_field in _file_fields(model):
                names = (
                    model._base_manager.filter(pk__in=pks)
                    .exclude(**{file_field.attname: ""})
                    .values_list(file_field.attname, flat=True)
                )
                found.extend((file_field, name) for name in names if name)
    return sorted(set(found), key=lambda item: item[1])


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = defaultdict(list)
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied[app_label].append(name)
    return dict(applied)


def _high_water(model_list: Iterable[type[models.Model]]) -> dict[str, int]:
    """The highest id of each table in the whole source database, so that an
    import can start new ids above every programme's rows, not just its own
    (another programme from the same source may be imported next)."""
    found: dict[str, int] = {}
    with scopes_disabled():
        for model in model_list:
            if isinstance(model._meta.pk, models.AutoField):
                highest = model._base_manager.aggregate(highest=models.Max("pk"))["highest"]
                if highest:
                    found[model._meta.label_lower] = highest
    return dict(sorted(found.items()))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Export ---------------------------------------------------------------------------------


def export_tenant(
    tenant: Tenant, target: Path | IO[bytes], *, with_secrets: bool = False
) -> dict[str, Any]:
    """Write `tenant`'s archive to `target` (a path or a binary file); return the manifest."""
    selection = select(tenant, with_secrets=with_secrets)
    records = _records(selection, with_secrets=with_secrets)
    data = json.dumps({"records": records}, cls=_Encoder, ensure_ascii=False, indent=1).encode()
    counts: dict[str, int] = defaultdict(int)
    for record in records:
        counts[record["model"]] += 1
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "portal_version": settings.PORTAL_VERSION,
        "programme": {"pk": tenant.pk, "slug": tenant.slug, "name": tenant.name},
        "secrets": with_secrets,
        "migrations": _applied_migrations(),
        "row_counts": dict(sorted(counts.items())),
        "id_high_water": _high_water([User, *selection.pks]),
        "data": {"name": DATA_NAME, "size": len(data), "sha256": _sha256(data)},
        "files": {},
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_NAME, data)
        for file_field, name in _file_names(selection):
            storage = file_field.storage
            if not storage.exists(name):
                raise ArchiveError(f"The file {name} is missing from storage.")
            digest = hashlib.sha256()
            size = 0
            with storage.open(name, "rb") as source, archive.open(FILES_PREFIX + name, "w") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            manifest["files"][name] = {"size": size, "sha256": digest.hexdigest()}
        archive.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    audit.log(
        actor=None,
        tenant=tenant,
        action="tenant.export",
        obj=tenant,
        after={
            "row_counts": manifest["row_counts"],
            "files": len(manifest["files"]),
            "data_sha256": manifest["data"]["sha256"],
            "secrets": with_secrets,
        },
    )
    return manifest


# Import ---------------------------------------------------------------------------------


def _safe_name(name: str) -> str:
    normal = posixpath.normpath(name)
    if (
        not isinstance(name, str)
        or not name
        or name != normal
        or normal.startswith(("/", "../"))
        or normal == ".."
        or "\\" in name
        or "\x00" in name
    ):
        raise ArchiveError(f"The archive names an unsafe file path: {name!r}.")
    return name


def read_archive(
    source: Path | IO[bytes],
) -> tuple[dict[str, Any], list[dict[str, Any]], zipfile.ZipFile]:
    """Open and verify an archive: the manifest's format, the data's and every
    file's size and checksum. Nothing is written."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"Not a programme archive: {error}.") from error
    names = set(archive.namelist())
    if MANIFEST_NAME not in names or DATA_NAME not in names:
        raise ArchiveError("Not a programme archive: manifest.json or data.json is missing.")
    try:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    except ValueError as error:
        raise ArchiveError(f"The manifest is not valid JSON: {error}.") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError("Not a programme archive of a format this portal reads.")
    info = archive.getinfo(DATA_NAME)
    if info.file_size != manifest["data"]["size"]:
        raise ArchiveError("data.json does not match the manifest (size).")
    data = archive.read(DATA_NAME)
    if _sha256(data) != manifest["data"]["sha256"]:
        raise ArchiveError("data.json does not match the manifest (SHA-256).")
    records = json.loads(data)["records"]
    counts: dict[str, int] = defaultdict(int)
    for record in records:
        counts[record["model"]] += 1
    if dict(counts) != manifest["row_counts"]:
        raise ArchiveError("data.json does not match the manifest (row counts).")
    try:
        claimed = _files_of(records)
    except LookupError as error:
        raise ArchiveError(f"The archive holds rows of an unknown model: {error}.") from error
    _check_records(manifest, records)
    if set(claimed) != set(manifest["files"]):
        raise ArchiveError("The rows' files do not match the manifest's files.")
    listed = {FILES_PREFIX + _safe_name(name) for name in manifest["files"]}
    present = {name for name in names if name.startswith(FILES_PREFIX)}
    if listed != present:
        raise ArchiveError("The archive's files do not match the manifest.")
    for name, expected in manifest["files"].items():
        if archive.getinfo(FILES_PREFIX + name).file_size != expected["size"]:
            raise ArchiveError(f"The file {name} does not match the manifest (size).")
        digest = hashlib.sha256()
        with archive.open(FILES_PREFIX + name) as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != expected["sha256"]:
            raise ArchiveError(f"The file {name} does not match the manifest (SHA-256).")
    return manifest, records, archive


def _check_records(manifest: dict[str, Any], records: list[dict[str, Any]]) -> None:
    """The records form one closed programme: one programme row, and every
    reference points at a row of the archive (or a content type). The checksums
    catch damage, not forgery; this keeps a crafted archive from writing into,
    or pointing at, another programme of the target database."""
    programme_pk = manifest["programme"]["pk"]
    tenants = [r["pk"] for r in records if r["model"] == Tenant._meta.label_lower]
    if tenants != [programme_pk]:
        raise ArchiveError("The archive must hold exactly its own programme.")
    present = {(r["model"], r["pk"]) for r in records}
    for record in records:
        model = apps.get_model(record["model"])
        for key in _foreign_keys(model):
            value = record["fields"].get(key.name)
            if value is None or key.related_model is ContentType:
                continue
            if (key.related_model._meta.label_lower, value) not in present:
                raise ArchiveError(
                    f"{record['model']} {record['pk']}.{key.name} refers to a row "
                    "outside the archive."
                )


def _check_target(manifest: dict[str, Any], records: list[dict[str, Any]]) -> set[Any]:
    """Refuse an import that would overwrite or merge; return the logins that
    already exist with the same key and username (shared with an imported
    programme), which are kept as they are."""
    programme = manifest["programme"]
    if Tenant.objects.filter(slug=programme["slug"]).exists():
        raise ArchiveError(f"A programme with the address {programme['slug']!r} already exists.")
    applied = _applied_migrations()
    missing = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if name not in applied.get(app, [])
    ]
    if missing:
        raise ArchiveError(
            "The archive is from a newer portal; migrate this database first "
            f"(missing: {', '.join(missing[:5])})."
        )
    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_model[record["model"]].append(record)
    shared_users: set[Any] = set()
    for label, rows in by_model.items():
        model = apps.get_model(label)
        pks = [row["pk"] for row in rows]
        existing = set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
        if model is User:
            usernames = dict(
                model._base_manager.filter(pk__in=existing).values_list("pk", "username")
            )
            for row in rows:
                name = row["fields"]["username"]
                if row["pk"] in existing and usernames[row["pk"]] != name:
                    raise ArchiveError(f"User {row['pk']} exists here with another username.")
                if row["pk"] not in existing and User.objects.filter(username=name).exists():
                    raise ArchiveError(f"The username {name!r} exists here as another user.")
            shared_users = existing
        elif existing:
            raise ArchiveError(
                f"{len(existing)} {label} rows of the archive exist here already "
                f"(e.g. {sorted(existing)[0]}); import into an empty database."
            )
    return shared_users


def import_tenant(source: Path | IO[bytes]) -> Tenant:
    """Load an archive written by `export_tenant` (see the module docstring)."""
    manifest, records, archive = read_archive(source)
    with archive, scopes_disabled(), transaction.atomic():
        shared_users = _check_target(manifest, records)
        _rename_audit_actions(manifest, records)
        loaded: set[type[models.Model]] = set()
        for record in records:
            model = apps.get_model(record["model"])
            if model is User:
                if record["pk"] in shared_users:
                    continue
                record["fields"].setdefault("password", make_password(None))
            loaded.add(model)
        rows = [
            r
            for r in records
            if not (r["model"] == User._meta.label_lower and r["pk"] in shared_users)
        ]
        try:
            for obj in serializers.deserialize("python", rows, ignorenonexistent=False):
                _check_dates(obj.object)
                obj.save()
        except (DeserializationError, ValidationError, DatabaseError) as error:
            raise ArchiveError(f"A row of the archive cannot be loaded: {error}") from error
        _reset_sequences(loaded, manifest.get("id_high_water", {}))
        written: list[tuple[Any, str]] = []
        try:
            for name, file_field in sorted(_files_of(records).items()):
                storage = file_field.storage
                if storage.exists(name):
                    with storage.open(name, "rb") as existing:
                        same = _sha256(existing.read()) == manifest["files"][name]["sha256"]
                    if not same:
                        raise ArchiveError(f"A different file {name} exists here already.")
                    continue
                with archive.open(FILES_PREFIX + name) as stream:
                    saved = storage.save(name, ContentFile(stream.read()))
                written.append((storage, saved))
                if saved != name:
                    raise ArchiveError(f"The file {name} could not keep its name.")
        except BaseException:
            for storage, name in written:
                storage.delete(name)
            raise
        tenant = Tenant.objects.get(pk=manifest["programme"]["pk"])
        audit.log(
            actor=None,
            tenant=tenant,
            action="tenant.import",
            obj=tenant,
            after={
                "generated_at": manifest["generated_at"],
                "portal_version": manifest["portal_version"],
                "data_sha256": manifest["data"]["sha256"],
                "row_counts": manifest["row_counts"],
                "files": len(manifest["files"]),
            },
        )
    return tenant


def _rename_audit_actions(manifest: dict[str, Any], records: list[dict[str, Any]]) -> None:
    """Give the audit events of an archive written before the one vocabulary
    of action names their new names."""
    if AUDIT_VOCABULARY in manifest["migrations"].get("portal", []):
        return
    for record in records:
        if record["model"] == AuditEvent._meta.label_lower:
            fields = record["fields"]
            fields["action"] = audit_renames.renamed(fields["object_type"], fields["action"])


def _check_dates(obj: models.Model) -> None:
    """Every date of an imported row lies between 1990 and 2100, as the portal's
    forms demand (`portal.dates`): a crafted archive cannot store one that
    pages would fail to show."""
    wrong = dates.out_of_range_values(obj)
    if wrong:
        name, value = next(iter(wrong.items()))
        raise ArchiveError(
            f"{obj._meta.label_lower} {obj.pk}.{name} is {value}, not a date between "
            f"{dates.FIRST_YEAR} and {dates.LAST_YEAR}."
        )


def _files_of(records: list[dict[str, Any]]) -> dict[str, models.FileField]:
    """Each file name the records' FileFields hold, with its field (hence its storage)."""
    found: dict[str, models.FileField] = {}
    for record in records:
        for file_field in _file_fields(apps.get_model(record["model"])):
            name = record["fields"].get(file_field.name)
            if name:
                found[name] = file_field
    return found


def _reset_sequences(loaded: set[type[models.Model]], high_water: dict[str, int]) -> None:
    """Rows came with their primary keys: move the id sequences past them, and
    past the source database's highest ids (PostgreSQL; SQLite takes max + 1)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor != "postgresql":
            return
        quote = connection.ops.quote_name
        for label, highest in high_water.items():
            model = apps.get_model(label)
            table, column = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608 (quoted names)
                f"GREATEST(%s, (SELECT COALESCE(MAX({quote(column)}), 1) FROM {quote(table)})))",
                [quote(table), column, int(highest)],
            )
