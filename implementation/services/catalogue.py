"""The programme's short lists — focus areas, wellbeing areas and appointed
functions — with their defaults, and the writes process leaders make to them.

The defaults are created the first time a programme needs them (the
implementation pages and seed_demo call `ensure_defaults`); a programme that
has any rows of a list keeps its own.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from implementation.defaults import DEFAULT_FOCUS_AREAS, DEFAULT_FUNCTIONS, DEFAULT_WELLBEING_AREAS
from implementation.models import AppointmentFunction, FocusArea, NamedEntry, WellbeingArea
from portal import audit
from portal.models import Tenant, User
from portal.services import set_archived, update_audited

CATALOGUES: dict[type[NamedEntry], tuple[tuple[str, str], ...]] = {
    FocusArea: DEFAULT_FOCUS_AREAS,
    WellbeingArea: DEFAULT_WELLBEING_AREAS,
    AppointmentFunction: DEFAULT_FUNCTIONS,
}


def ensure_defaults(tenant: Tenant) -> None:
    """Create each list's defaults in a programme that has none of its rows yet."""
    for model, defaults in CATALOGUES.items():
        if not model.objects.filter(tenant=tenant).exists():
            _create_defaults(tenant, model, defaults)


@transaction.atomic
def _create_defaults(
    tenant: Tenant, model: type[NamedEntry], defaults: tuple[tuple[str, str], ...]
) -> None:
    # Two first visits at once: the second waits here and finds the first's rows.
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
    if model.objects.filter(tenant=tenant).exists():
        return
    for position, (name, description) in enumerate(defaults, start=1):
        entry = model.objects.create(
            tenant=tenant, name=name, description=description, position=position
        )
        audit.log(
            actor=None,
            tenant=tenant,
            action=f"{audit.noun(entry)}.create",
            obj=entry,
            after=audit.snapshot(entry),
        )


def _check_unique(model: type[NamedEntry], tenant_id: int, name: str, pk: int | None) -> None:
    duplicate = model.objects.filter(tenant_id=tenant_id, name__iexact=name).exclude(pk=pk)
    if duplicate.exists():
        raise ValidationError(
            {"name": _("The list already has an entry with this name (it may be archived).")}
        )


@transaction.atomic
def entry_create[E: NamedEntry](
    *, actor: User | None, tenant: Tenant, model: type[E], name: str, description: str = ""
) -> E:
    """Add an entry at the end of the list."""
    name = name.strip()
    _check_unique(model, tenant.pk, name, None)
    position = (model.objects.filter(tenant=tenant).aggregate(p=Max("position"))["p"] or 0) + 1
    entry = model(tenant=tenant, name=name, description=description.strip(), position=position)
    entry.full_clean()
    entry.save()
    audit.log(
        actor=actor,
        tenant=tenant,
        action=f"{audit.noun(entry)}.create",
        obj=entry,
        after=audit.snapshot(entry),
    )
    return entry


@transaction.atomic
def entry_update[E: NamedEntry](
    *,
    actor: User | None,
    entry: E,
    name: str,
    description: str = "",
    expected_version: int | None = None,
) -> E:
    name = name.strip()
    _check_unique(type(entry), entry.tenant_id, name, entry.pk)
    return update_audited(
        entry,
        actor=actor,
        tenant=entry.tenant,
        fields={"name": name, "description": description.strip()},
        expected_version=expected_version,
    )


@transaction.atomic
def entry_set_archived[E: NamedEntry](*, actor: User, entry: E, archived: bool) -> E:
    """Archived entries leave the choices but stay on what they were used for."""
    return set_archived(entry, actor=actor, tenant=entry.tenant, archived=archived)
