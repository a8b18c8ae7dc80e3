"""Rename the audit events written before the one vocabulary of action names
(`portal.audit`): `("governance.meeting", "minutes_approve")` becomes
`meeting.minutes.approve`, a plain `create` of a risk `risk.create`."""

from typing import Any

from django.db import migrations

from portal import audit_renames


def _rename(apps: Any, name: Any) -> None:
    events = apps.get_model("portal", "AuditEvent")._base_manager
    kinds = events.values_list("object_type", "action").distinct().order_by()
    for object_type, action in list(kinds):
        new = name(object_type, action)
        if new != action:
            events.filter(object_type=object_type, action=action).update(action=new)


def forwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, audit_renames.renamed)


def backwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, audit_renames.original)


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_generatedfile_seal")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
