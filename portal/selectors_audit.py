"""Reading the programme's audit log (issue 16, item 3): who may, which
events, and how each is shown.

The log is the programme's own: every query here filters on the tenant, so an
event of another programme, or one written without a programme (a login's
two-factor device), never shows, whatever the filters say. A page of events
costs the same few queries for 5 events or 5,000: the actor comes with
`select_related`, the choices of the filters are one query each, and
everything else an event shows (labels, links, changed fields) is computed
without the database.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import AuditEvent, Membership, Tenant, User
from portal.permissions import can

# The actor filter's value for events that no person caused (a scheduled job,
# a migration, an import run from the command line).
SYSTEM = "system"

# Text longer than this is cut short on the page; the full value is one click away.
SHORT_VALUE = 120

# Fields whose values the log must never show, even if a write logged them.
# The services leave them out of their snapshots; this is the second lock.
SECRET_FIELDS = frozenset({"password", "secret", "key", "key_hash", "token"})

# The page of a record, by its model (`object_type`): routes that take the
# programme and the record's id and that the log's readers may open. Routes
# are named, not imported, so the kernel stays free of the apps.
RECORD_ROUTES = {
    "governance.meeting": "governance:meeting_detail",
    "governance.actionitem": "governance:action_detail",
    "governance.risk": "governance:risk_detail",
    "governance.statusreport": "governance:report_detail",
    "governance.body": "governance:body_detail",
    "governance.programmeevent": "governance:event_detail",
    "governance.meetingdocument": "governance:document_detail",
    "portal.principal": "portal:principal_detail",
    "portal.person": "portal:person_edit",
    "implementation.goodexample": "implementation:example_detail",
    "implementation.selfassessment": "implementation:assessment_detail",
    "implementation.indicator": "implementation:indicator_detail",
    "implementation.subproject": "implementation:sub_project_detail",
}

# Readable names of whole actions, where the verb alone says too little.
ACTION_LABELS = {
    "meeting.minutes.finish": pgettext_lazy("audit action", "Minutes finished"),
    "meeting.minutes.approve": pgettext_lazy("audit action", "Minutes approved"),
    "meeting.minutes.approve_in_original": pgettext_lazy(
        "audit action", "Minutes approved on paper"
    ),
    "meeting.minutes.sign": pgettext_lazy("audit action", "Minutes signed"),
    "meeting.minutes.return": pgettext_lazy("audit action", "Minutes returned"),
    "meeting.minutes.revise": pgettext_lazy("audit action", "Minutes revised"),
    "meeting.minutes.comment": pgettext_lazy("audit action", "Minutes commented"),
    "meeting_notice.send": pgettext_lazy("audit action", "Notice sent"),
    "tenant.audit.export": pgettext_lazy("audit action", "Audit log exported"),
}

# Readable names of the last word of an action, the verb.
VERB_LABELS = {
    "create": pgettext_lazy("audit action", "Created"),
    "add": pgettext_lazy("audit action", "Added"),
    "update": pgettext_lazy("audit action", "Changed"),
    "archive": pgettext_lazy("audit action", "Archived"),
    "restore": pgettext_lazy("audit action", "Restored"),
    "remove": pgettext_lazy("audit action", "Removed"),
    "delete": pgettext_lazy("audit action", "Removed"),
    "cancel": pgettext_lazy("audit action", "Cancelled"),
    "approve": pgettext_lazy("audit action", "Approved"),
    "submit": pgettext_lazy("audit action", "Submitted"),
    "return": pgettext_lazy("audit action", "Returned"),
    "publish": pgettext_lazy("audit action", "Published"),
    "repeal": pgettext_lazy("audit action", "Repealed"),
    "send": pgettext_lazy("audit action", "Sent"),
    "revoke": pgettext_lazy("audit action", "Revoked"),
    "end": pgettext_lazy("audit action", "Ended"),
}


def may_read(membership: Membership | None) -> bool:
    """Programme administrators and process leaders read the log; nobody writes it."""
    return can(membership, "portal.view_audit_log")


def audit_events(
    *,
    tenant: Tenant,
    actor: str = "",
    record_type: str = "",
    record_id: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The programme's events, newest first, with their actors. `actor` is a
    user's id or SYSTEM; `action` matches the start of the name
    (`meeting.minutes.`); the dates are whole days, in local time."""
    events = AuditEvent.objects.filter(tenant=tenant).select_related("actor")
    if actor == SYSTEM:
        events = events.filter(actor__isnull=True)
    elif actor:
        events = events.filter(actor_id=int(actor))
    if record_type:
        events = events.filter(object_type=record_type)
    if record_id:
        events = events.filter(object_id=record_id)
    if action:
        events = events.filter(action__startswith=action)
    if date_from is not None:
        events = events.filter(created_at__date__gte=date_from)
    if date_to is not None:
        events = events.filter(created_at__date__lte=date_to)
    return events.order_by("-created_at", "-id")


# The filters' choices -------------------------------------------------------------


def people(tenant: Tenant) -> dict[int, str]:
    """User id → the name the programme knows them by, for every member,
    former ones too (their events stay): one query."""
    memberships = (
        Membership.objects.filter(tenant=tenant)
        .select_related("user", "person")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return {m.user_id: (m.person.name if m.person else user_name(m.user)) for m in memberships}


def user_name(user: User) -> str:
    return user.get_full_name() or user.username


def record_types(tenant: Tenant) -> list[str]:
    """The kinds of record the programme's log has events of: one query."""
    return list(
        AuditEvent.objects.filter(tenant=tenant)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def action_names(tenant: Tenant) -> list[str]:
    """The action names in the programme's log (suggestions for the filter)."""
    return list(
        AuditEvent.objects.filter(tenant=tenant)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )


def is_record_type(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


def record_type_label(label: str) -> str:
    """`governance.meeting` → "Möte": the model's name, or the label itself
    for a model that no longer exists."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(capfirst(model._meta.verbose_name))


# One event as the page shows it ----------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A value before or after a change, as text: `short` on the page, `full`
    behind a "show all" when it is long."""

    full: str
    short: str
    empty: bool = False
    hidden: bool = False

    @property
    def is_long(self) -> bool:
        return self.short != self.full


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: Value
    after: Value


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    actor: str
    action_label: str
    record_type: str
    record_url: str | None
    changes: list[Change]


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _value(value: Any, *, hidden: bool = False) -> Value:
    if hidden:
        return Value(full="", short="", hidden=True)
    text = value_text(value)
    return Value(full=text, short=Truncator(text).chars(SHORT_VALUE), empty=text == "")


def action_label(action: str) -> str:
    """A readable name of the action, or "" where none is known."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    verb = action.rsplit(".", 1)[-1]
    return str(VERB_LABELS[verb]) if verb in VERB_LABELS else ""


def record_url(tenant: Tenant, record_type: str, record_id: str) -> str | None:
    """The record's page, where one is known (else None): no query."""
    route = RECORD_ROUTES.get(record_type)
    if route is None or not record_id.isdigit():
        return None
    try:
        return reverse(route, args=[tenant.slug, int(record_id)])
    except NoReverseMatch:
        return None


def field_labels(record_type: str) -> dict[str, str]:
    """Column name (as the snapshot has it: `body_id`) → the field's name."""
    try:
        model = apps.get_model(record_type)
    except (LookupError, ValueError):
        return {}
    return {
        field.attname: str(capfirst(field.verbose_name)) for field in model._meta.concrete_fields
    }


# The apps whose records can be drafts (minutes, status reports, unpublished
# examples, assessments in progress, newsletters): what their events held is
# shown only to readers of drafts, as on the records' own pages. Anyone who
# may read the log sees who changed which fields when.
DRAFT_APPS = frozenset({"governance", "implementation", "public"})
DRAFT_RULE = "governance.view_drafts"


def may_see_values(membership: Membership | None, event: AuditEvent) -> bool:
    """Whether the reader may see what the event's fields held."""
    if event.object_type.split(".", 1)[0] not in DRAFT_APPS:
        return True
    return can(membership, DRAFT_RULE)


def changes(event: AuditEvent, *, values: bool = True) -> list[Change]:
    labels = field_labels(event.object_type)
    return [
        Change(
            field=name,
            label=labels.get(name, name),
            before=_value(before, hidden=not values or name in SECRET_FIELDS),
            after=_value(after, hidden=not values or name in SECRET_FIELDS),
        )
        for name, (before, after) in event.changes().items()
    ]


def event_rows(
    events: list[AuditEvent],
    *,
    tenant: Tenant,
    names: dict[int, str],
    membership: Membership | None = None,
) -> list[EventRow]:
    """The events of one page as the page shows them (no queries: the actors
    came with the events, the names with `people`)."""
    return [
        EventRow(
            event=event,
            actor=actor_name(event, names),
            action_label=action_label(event.action),
            record_type=record_type_label(event.object_type),
            record_url=record_url(tenant, event.object_type, event.object_id),
            changes=changes(event, values=may_see_values(membership, event)),
        )
        for event in events
    ]


def actor_name(event: AuditEvent, names: dict[int, str]) -> str:
    if event.actor_id is None or event.actor is None:
        return str(_("System"))
    return names.get(event.actor_id) or user_name(event.actor)


def changes_json(event: AuditEvent, *, values: bool = True) -> str:
    """The changed fields as JSON, `{"field": [before, after]}`, secrets (and,
    without `values`, every value) hidden (the CSV export's last column)."""
    data = {
        name: ["***", "***"] if not values or name in SECRET_FIELDS else [before, after]
        for name, (before, after) in event.changes().items()
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
