"""Clearing the contact details of people who left a programme (issue 16,
item 5): storage limitation (GDPR article 5.1 e) for the directory of people.

**Who has left.** A person of the programme's directory (`Person`) has left
when the programme's administrators or process leaders have archived them
(`Archivable.archived_at`: "no longer takes part") and they have no active
login in the programme (`Membership.is_active`): someone whose login still
works there has not left, whatever the directory says. The period counts
from the day they were archived; a person restored in the meantime has not
left. (Memberships carry no date of deactivation, so archiving is the one
dated fact of leaving.)

**When.** After the programme's own period (`PrivacyStatement.
clear_contacts_after_days`, edited with the privacy details) or, where it
sets none, the installation's (setting `CLEAR_DEPARTED_CONTACTS_AFTER_DAYS`,
365 days by default).

**What is cleared.** The person's work e-mail and phone (`CONTACT_FIELDS`),
and those values in the earlier events of the person's own audit history,
where they would otherwise stay. Their name, title and organisation stay:
names in justerade minutes, decisions and assignments are public records
(allmänna handlingar), and those rows point at the person. The login (a
`User`) is not the programme's: it may be another programme's member too,
and is left alone. Each person cleared gets one audit event,
`person.contacts.clear`, naming the fields cleared and the period applied,
without their values.

Run daily by Celery beat (`portal.tasks.clear_departed_contacts`) and by
`manage.py clear_departed_contacts [--dry-run]`. Idempotent: a person whose
contacts are cleared is not due again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from portal import audit
from portal.models import AuditEvent, Person, PrivacyStatement, Tenant, User

CONTACT_FIELDS = ("email", "phone")
# What stands where a cleared value was, in the audit history.
REDACTED = "***"


def period_days(tenant: Tenant) -> int:
    """The programme's period, or the installation's where it sets none."""
    own = PrivacyStatement.objects.filter(tenant=tenant).first() or PrivacyStatement()
    return own.contacts_cleared_after_days


def _with_contacts() -> Q:
    condition = Q()
    for name in CONTACT_FIELDS:
        condition |= ~Q(**{name: ""})
    return condition


def departed_due(tenant: Tenant, *, now: datetime.datetime | None = None) -> QuerySet[Person]:
    """The programme's people who left at least its period ago and still
    have contact details, oldest departure first."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=period_days(tenant))
    return (
        Person.objects.filter(tenant=tenant, archived_at__isnull=False, archived_at__lte=cutoff)
        .filter(_with_contacts())
        .exclude(membership__is_active=True)
        .order_by("archived_at", "pk")
    )


@transaction.atomic
def person_contacts_clear(
    *, actor: User | None, person: Person, period_days: int | None = None
) -> Person:
    """Clear one person's contact details, and their values in the person's
    own audit history; one audit event. Nothing when there is nothing to clear."""
    locked = Person.objects.select_for_update().get(pk=person.pk, tenant_id=person.tenant_id)
    cleared = [name for name in CONTACT_FIELDS if getattr(locked, name)]
    if not cleared:
        return locked
    for name in cleared:
        setattr(locked, name, "")
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*cleared, "version"])
    _redact_history(locked)
    audit.log(
        actor=actor,
        tenant=locked.tenant,
        action="person.contacts.clear",
        obj=locked,
        before=dict.fromkeys(cleared, REDACTED),
        after={
            **dict.fromkeys(cleared, ""),
            "archived_at": locked.archived_at.isoformat() if locked.archived_at else None,
            "period_days": period_days,
        },
    )
    return locked


def _redact_history(person: Person) -> None:
    """The cleared values out of the person's earlier events: an event's
    before/after keeps the key (the history still says the field changed),
    not the value."""
    events = AuditEvent.objects.filter(
        tenant_id=person.tenant_id,
        object_type=person._meta.label_lower,
        object_id=str(person.pk),
    ).only("before", "after")
    for event in events:
        changed = False
        for state in (event.before, event.after):
            if not isinstance(state, dict):
                continue
            for name in CONTACT_FIELDS:
                if state.get(name) not in (None, "", REDACTED):
                    state[name] = REDACTED
                    changed = True
        if changed:
            event.save(update_fields=["before", "after"])


@dataclass
class Cleared:
    """What one run did (or, in a dry run, would do) in one programme."""

    tenant: Tenant
    period_days: int
    people: list[Person] = field(default_factory=list)


def clear_departed_contacts(
    *,
    tenant: Tenant,
    actor: User | None = None,
    dry_run: bool = False,
    now: datetime.datetime | None = None,
) -> Cleared:
    """Clear the contact details of everyone in the programme whose period
    has passed (each person in their own transaction). A dry run only lists
    them. Call inside the programme's scope."""
    days = period_days(tenant)
    due = list(departed_due(tenant, now=now))
    if dry_run:
        return Cleared(tenant, days, due)
    return Cleared(
        tenant,
        days,
        [person_contacts_clear(actor=actor, person=person, period_days=days) for person in due],
    )


def clear_departed_contacts_everywhere(
    *, dry_run: bool = False, slugs: list[str] | None = None
) -> list[Cleared]:
    """`clear_departed_contacts` in every active programme (or those named)."""
    with scopes_disabled():
        tenants = Tenant.objects.filter(is_active=True).order_by("slug")
        if slugs:
            tenants = tenants.filter(slug__in=slugs)
        tenants_list = list(tenants)
    results = []
    for tenant in tenants_list:
        with scope(tenant=tenant):
            results.append(clear_departed_contacts(tenant=tenant, dry_run=dry_run))
    return results
