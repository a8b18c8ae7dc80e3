"""Small helpers shared by the governance service tests (tests/governance/test_services_*.py)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db import models

from governance.models import Meeting, MinutesVersion
from governance.services import meetings, minutes
from portal.models import AuditEvent, Membership, Person, Role
from tests.factories import MembershipFactory, PersonFactory, UserFactory

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def at(year: int, month: int, day: int, hour: int = 13, minute: int = 0) -> datetime.datetime:
    """An aware datetime, local (Swedish) time, as a form would give it."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def audits(obj: models.Model, action: str | None = None) -> list[AuditEvent]:
    """The audit events about `obj`, oldest first (call inside the tenant scope)."""
    events = AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("created_at", "id")
    if action is not None:
        events = events.filter(action=action)
    return list(events)


def plan(world, gov, *, day: tuple[int, int, int] = (2025, 3, 25), **kwargs) -> Meeting:
    """A two-hour meeting of the steering group, planned by the process leader."""
    starts = at(*day)
    return meetings.meeting_create(
        actor=world.users["leader"],
        body=kwargs.pop("body", gov.body),
        starts_at=starts,
        ends_at=kwargs.pop("ends_at", starts + datetime.timedelta(hours=2)),
        **kwargs,
    )


def approve(world, meeting: Meeting) -> MinutesVersion:
    """Finish the minutes as the process leader and approve them as the chair
    (no justerare appointed, so the chair on the day approves)."""
    meeting = minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)
    version = minutes.minutes_approve(
        actor=world.users["steering"], membership=world.memberships["steering"], meeting=meeting
    )
    assert version is not None, "the chair is the only signatory"
    return version


def person_with_login(
    world, name: str, role: Role = Role.STEERING_MEMBER, **person_kwargs
) -> tuple[Person, Membership]:
    """A new login with `role` in world's programme, and a person linked to it."""
    user = UserFactory(username=f"{world.tenant.slug}-{name.lower().replace(' ', '-')}")
    person = PersonFactory(tenant=world.tenant, name=name, **person_kwargs)
    membership = MembershipFactory(
        tenant=world.tenant,
        user=user,
        role=role,
        principal=world.principal if role == Role.PRINCIPAL_REPORTER else None,
        person=person,
    )
    return person, membership
