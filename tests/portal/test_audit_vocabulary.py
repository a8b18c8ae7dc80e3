"""One vocabulary of audit action names (`portal.audit`): `<noun>.<sub-noun>.<verb>`,
the noun being the audited object's. Every name the code writes follows it,
`log()` refuses one that does not, and the rows (and archives) written with
the old bare verbs get the new names."""

from __future__ import annotations

import ast
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scopes_disabled

from portal import archive, audit, audit_renames, services
from portal.models import AuditEvent
from tests.portal.test_tenant_archive import empty_the_database

BEFORE = [("portal", "0006_generatedfile_seal")]
AFTER = [("portal", archive.AUDIT_VOCABULARY)]
SOURCE_DIRS = ("portal", "governance", "implementation", "research", "archives", "sso", "demo")
# Functions that hand their `action` argument on to `audit.log`: their
# callers' names are checked instead.
WRAPPERS = {"_transition", "_new_export"}


# The names in the code -------------------------------------------------------------------


def _source_files() -> Iterator[Path]:
    root = Path(settings.BASE_DIR)
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _is_audit_log(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "log"
        and isinstance(func.value, ast.Name)
        and func.value.id == "audit"
    )


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _names(node: ast.expr, where: str) -> Iterator[str]:
    """The action names an `action=` argument can have; an f-string must be
    `f"{audit.noun(obj)}.<verb>"`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _names(node.body, where)
        yield from _names(node.orelse, where)
    elif isinstance(node, ast.JoinedStr):
        head, *tail = node.values
        assert isinstance(head, ast.FormattedValue), where
        assert isinstance(head.value, ast.Call), where
        assert ast.unparse(head.value.func) == "audit.noun", where
        assert len(tail) == 1 and isinstance(tail[0], ast.Constant), where
        yield "noun" + str(tail[0].value)
    else:
        raise AssertionError(f"{where}: an action name the check cannot read: {ast.unparse(node)}")


def action_names() -> dict[str, list[str]]:
    """Every action name written by the code, with where it is written."""
    found: dict[str, list[str]] = {}
    for path in _source_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        wrappers_here = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name in WRAPPERS
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            wrapped = _called_name(node) in WRAPPERS
            if not (_is_audit_log(node) or wrapped):
                continue
            where = f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}"
            [action] = [k.value for k in node.keywords if k.arg == "action"]
            if _is_audit_log(node) and isinstance(action, ast.Name):
                # Handed on from a wrapper's own `action` parameter.
                assert wrappers_here, f"{where}: audit.log(action={action.id}) outside a wrapper"
                continue
            for name in _names(action, where):
                found.setdefault(name, []).append(where)
    return found


def test_the_code_writes_audit_events_in_many_places():
    names = action_names()
    assert len(names) > 50
    assert "meeting.minutes.approve" in names
    assert "noun.create" in names  # the plain writes of portal.services


def test_every_action_name_in_the_code_follows_the_convention():
    wrong = {
        name: where
        for name, where in action_names().items()
        if not audit.ACTION_PATTERN.fullmatch(name)
    }
    assert wrong == {}


def test_every_literal_action_name_starts_with_a_noun_of_a_model():
    nouns = {audit.noun(model) for model in apps.get_models()} | {"noun"}
    strangers = {
        name: where for name, where in action_names().items() if name.split(".", 1)[0] not in nouns
    }
    assert strangers == {}


# log() -------------------------------------------------------------------------------


def test_the_noun_is_the_model_in_snake_case():
    assert audit.noun(apps.get_model("governance", "AgendaItem")) == "agenda_item"
    assert audit.noun(apps.get_model("otp_totp", "TOTPDevice")) == "totp_device"
    assert audit.noun(apps.get_model("portal", "Tenant")) == "tenant"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["create", "approve", "minutes_sign", "Tenant.create", "tenant.", ".create", "tenant..x"],
)
def test_log_refuses_a_name_outside_the_convention(world, name):
    with pytest.raises(ValueError, match=r"not <noun>\.<verb>"):
        audit.log(actor=None, tenant=world.tenant, action=name, obj=world.tenant)
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action=name).exists()


@pytest.mark.django_db
def test_log_refuses_the_noun_of_another_object(world):
    with pytest.raises(ValueError, match="does not start with its noun 'tenant'"):
        audit.log(actor=None, tenant=world.tenant, action="meeting.create", obj=world.tenant)


@pytest.mark.django_db
def test_log_writes_a_name_in_the_convention(world):
    event = audit.log(actor=None, tenant=world.tenant, action="tenant.bench.seed", obj=world.tenant)
    assert (event.action, event.object_type) == ("tenant.bench.seed", "portal.tenant")


# The table of old names ----------------------------------------------------------------


def test_the_frozen_nouns_are_the_models_nouns():
    for label, noun in audit_renames.NOUNS.items():
        assert audit.noun(apps.get_model(label)) == noun, label


def test_every_new_name_follows_the_convention_and_goes_back_to_its_old_name():
    collisions = {(t, new) for (t, _old), new in audit_renames.SPECIAL.items()}
    for object_type, old, new in audit_renames.pairs():
        assert audit.ACTION_PATTERN.fullmatch(new), new
        assert new.split(".", 1)[0] == audit_renames.NOUNS[object_type], new
        assert audit_renames.renamed(object_type, old) == new
        if (object_type, old) in audit_renames.SPECIAL or (object_type, new) not in collisions:
            assert audit_renames.original(object_type, new) == old, (object_type, old)


def test_a_name_the_table_does_not_know_stays():
    assert audit_renames.renamed("portal.tenant", "noted") == "noted"
    assert audit_renames.renamed("governance.meeting", "meeting.create") == "meeting.create"
    assert audit_renames.original("governance.meeting", "meeting.minutes.x") == "meeting.minutes.x"


# The migration -------------------------------------------------------------------------

OLD_ROWS = [
    ("portal.tenant", "programme.export", "tenant.export"),
    ("portal.membership", "member_add", "membership.add"),
    ("portal.principal", "create", "principal.create"),
    ("governance.meeting", "minutes_approve", "meeting.minutes.approve"),
    ("governance.meeting", "update", "meeting.update"),
    ("governance.agendaitem", "archive", "agenda_item.archive"),
    ("governance.risk", "restore", "risk.restore"),
    ("governance.attendance", "delete", "attendance.delete"),
    ("implementation.step", "step_update", "step.update"),
    ("implementation.assessmentattachment", "attachment_add", "assessment_attachment.add"),
    ("research.dataexport", "research_export_stream", "data_export.stream"),
    ("otp_totp.totpdevice", "two_factor.enable", "totp_device.enable"),
    ("portal.tenant", "noted", "noted"),  # unknown: left alone
]


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to `targets` and return the project's models as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps() -> Iterator[Any]:
    yield migrate(BEFORE)
    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_the_old_rows_and_back(old_apps):
    Tenant_ = old_apps.get_model("portal", "Tenant")
    tenant = Tenant_.objects.create(name="Här", slug="har", region="Region Sörmland")
    events = old_apps.get_model("portal", "AuditEvent")._base_manager
    pks = {
        (object_type, old): events.create(
            tenant_id=tenant.pk, action=old, object_type=object_type, object_id="1"
        ).pk
        for object_type, old, _new in OLD_ROWS
    }

    new_apps = migrate(AFTER)

    events = new_apps.get_model("portal", "AuditEvent")._base_manager
    renamed = dict(events.filter(pk__in=pks.values()).values_list("pk", "action"))
    assert {key: renamed[pk] for key, pk in pks.items()} == {
        (object_type, old): new for object_type, old, new in OLD_ROWS
    }

    old = migrate(BEFORE)

    events = old.get_model("portal", "AuditEvent")._base_manager
    back = dict(events.filter(pk__in=pks.values()).values_list("pk", "action"))
    assert {key: back[pk] for key, pk in pks.items()} == {key: key[1] for key in pks}


# An archive written before the migration -----------------------------------------------


def _as_written_before(path: Path) -> Path:
    """The archive as a portal without the migration would have written it:
    the old names, and the migration not in the manifest."""
    target = path.with_name("before.zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        records = json.loads(source.read("data.json"))["records"]
        for record in records:
            if record["model"] == "portal.auditevent":
                fields = record["fields"]
                fields["action"] = audit_renames.original(fields["object_type"], fields["action"])
        data = json.dumps({"records": records}).encode()
        manifest = json.loads(source.read("manifest.json"))
        manifest["data"].update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
        manifest["migrations"]["portal"].remove(archive.AUDIT_VOCABULARY)
        for name in source.namelist():
            if name == "data.json":
                out.writestr(name, data)
            elif name == "manifest.json":
                out.writestr(name, json.dumps(manifest))
            else:
                out.writestr(name, source.read(name))
    return target


@pytest.mark.django_db(transaction=True)
def test_an_archive_written_before_the_migration_is_imported_with_the_new_names(
    world, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    leader = world.users["leader"]
    with scopes_disabled():
        principal = services.principal_create(
            actor=leader, tenant=world.tenant, kind="fou", name="FoU Sörmland"
        )
        services.principal_update(actor=leader, principal=principal, name="FoU i Sörmland")
        services.principal_set_archived(actor=leader, principal=principal, archived=True)
        before = sorted(AuditEvent.objects.filter(tenant=world.tenant).values_list("pk", "action"))
    assert [action for _pk, action in before] == [
        "principal.create",
        "principal.update",
        "principal.archive",
    ]
    path = tmp_path / "a.zip"
    call_command("export_tenant", world.tenant.slug, path, stdout=io.StringIO())
    old = _as_written_before(path)
    with zipfile.ZipFile(old) as zf:
        records = json.loads(zf.read("data.json"))["records"]
    written = [r["fields"]["action"] for r in records if r["model"] == "portal.auditevent"]
    assert sorted(written) == ["archive", "create", "update"]
    empty_the_database(settings.MEDIA_ROOT)

    archive.import_tenant(old)

    with scopes_disabled():
        after = AuditEvent.objects.filter(tenant=world.tenant).exclude(
            action__in=["tenant.import", "tenant.export"]
        )
        assert sorted(after.values_list("pk", "action")) == before
