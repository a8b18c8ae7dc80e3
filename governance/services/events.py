"""Programme events: workshops, webinars and information meetings that belong
to the programme rather than to a body. They have no roster, agenda or
minutes; process leaders plan, change, cancel and archive them (never delete),
every write audited and every edit checked against the version its form was
opened at."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import EventStatus, ProgrammeEvent
from portal.models import Tenant, User
from portal.services import DomainError, create_audited, set_archived, update_audited


@transaction.atomic
def event_create(
    *,
    actor: User | None,
    tenant: Tenant,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    all_day: bool = False,
    place: str = "",
    online_link: str = "",
    description: str = "",
    public: bool = False,
) -> ProgrammeEvent:
    """Plan an event. One without times (`all_day`) runs through its day, as
    the form gives it: from local midnight. A `public` one is shown on the
    programme's public site (when the site is on)."""
    return create_audited(
        ProgrammeEvent(
            tenant=tenant,
            kind=kind,
            title=title.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            all_day=all_day,
            place=place.strip(),
            online_link=online_link,
            description=description,
            public=public,
        ),
        actor=actor,
        tenant=tenant,
    )


EDITABLE = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "all_day",
    "place",
    "online_link",
    "public",
    "description",
)


@transaction.atomic
def event_update(
    *,
    actor: User | None,
    event: ProgrammeEvent,
    expected_version: int | None = None,
    **fields: object,
) -> ProgrammeEvent:
    """Change what the event is, when and where. Refused for an archived
    event (restore it first) and when someone else saved since the form was
    opened (`expected_version`)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if event.is_archived:
        raise DomainError(_("The event is archived. Restore it to change it."))
    if isinstance(fields.get("title"), str):
        fields["title"] = str(fields["title"]).strip()
    return update_audited(
        event,
        actor=actor,
        tenant=event.tenant,
        fields=dict(fields),
        expected_version=expected_version,
    )


@transaction.atomic
def event_cancel(
    *,
    actor: User | None,
    event: ProgrammeEvent,
    reason: str,
    expected_version: int | None = None,
) -> ProgrammeEvent:
    """Call the event off. It stays in lists and calendars, marked cancelled
    with the reason, so those who planned to come see why."""
    if event.is_archived:
        raise DomainError(_("The event is archived. Restore it to change it."))
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("The event is already cancelled."))
    if not reason.strip():
        raise DomainError(_("Say why the event is cancelled."))
    return update_audited(
        event,
        actor=actor,
        tenant=event.tenant,
        fields={"status": EventStatus.CANCELLED, "cancelled_reason": reason.strip()},
        expected_version=expected_version,
    )


@transaction.atomic
def event_reinstate(*, actor: User | None, event: ProgrammeEvent) -> ProgrammeEvent:
    """Undo a cancellation: the event is planned again (the reason is cleared)."""
    if event.status != EventStatus.CANCELLED:
        raise DomainError(_("The event is not cancelled."))
    return update_audited(
        event,
        actor=actor,
        tenant=event.tenant,
        fields={"status": EventStatus.PLANNED, "cancelled_reason": ""},
    )


@transaction.atomic
def event_set_archived(
    *, actor: User | None, event: ProgrammeEvent, archived: bool
) -> ProgrammeEvent:
    """Archive (hide from lists, calendars and the dashboard, kept for the
    record) or restore."""
    return set_archived(event, actor=actor, tenant=event.tenant, archived=archived)
