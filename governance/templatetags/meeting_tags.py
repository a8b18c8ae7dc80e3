"""Small display helpers for the meetings pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.translation import gettext as _

from governance.models import (
    ActionItem,
    ActionStatus,
    AgendaItemKind,
    AttendanceStatus,
    GutFeeling,
    RiskStatus,
    StatusReport,
)
from governance.selectors.reports import report_content
from governance.selectors.risks import RiskMatrix, matrix_from_json

register = template.Library()


@register.filter
def action_owners(action: ActionItem) -> str:
    """Who owns an assignment: people, a principal, a body, or all organisations."""
    names = [person.name for person in action.owner_people.all()]
    if action.owner_principal:
        names.append(action.owner_principal.name)
    if action.owner_body:
        names.append(action.owner_body.name)
    if action.owner_all:
        names.append(_("All organisations"))
    return ", ".join(names)


@register.filter
def approver_name(obj: Any) -> str:
    """Who approved a meeting's minutes, or a minutes version: the person in the
    directory if known, else the login's name."""
    person = getattr(obj, "approved_by_person", None)
    if person is not None:
        return str(person.name)
    user = getattr(obj, "approved_by", None)
    if user is not None:
        return str(user.get_full_name() or user.username)
    return ""


_CHOICES = {
    "attendance": AttendanceStatus,
    "action_status": ActionStatus,
    "agenda_kind": AgendaItemKind,
    "gut_feeling": GutFeeling,
    "risk_status": RiskStatus,
}


@register.filter
def label_of(value: str, kind: str) -> str:
    """The label of a stored choice value, e.g. in a frozen minutes version:
    `{{ row.status|label_of:"attendance" }}`."""
    choices = _CHOICES[kind]
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@register.filter
def from_iso(value: str | None) -> datetime.datetime | None:
    """A datetime stored as ISO text (in a frozen minutes version)."""
    try:
        return datetime.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


@register.filter
def decisions_of(content: dict[str, Any], item: dict[str, Any]) -> list[dict[str, Any]]:
    """The decisions frozen with a version that were taken under `item`."""
    if "id" not in item:
        return []
    return [d for d in content.get("decisions", []) if d.get("agenda_item_id") == item["id"]]


@register.filter
def unplaced_decisions(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Frozen decisions not shown under an agenda item (none, or an older
    version that did not record the items' ids)."""
    ids = {item.get("id") for item in content.get("agenda", []) if "id" in item}
    return [d for d in content.get("decisions", []) if d.get("agenda_item_id") not in ids]


@register.filter
def attendance_groups(content: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """A frozen version's attendance as (status, rows) in the page's order:
    present, absent, substitutes, others; empty groups left out."""
    rows = content.get("attendance", [])
    return [
        (status, group)
        for status in AttendanceStatus.values
        if (group := [r for r in rows if r.get("status") == status])
    ]


@register.filter
def presented_report(report: StatusReport | dict[str, Any]) -> dict[str, Any]:
    """A status report presented under an agenda item, as the minutes show it
    in full (`governance.selectors.reports.report_content`); a frozen
    version's is that data already."""
    return report if isinstance(report, dict) else report_content(report)


@register.filter
def frozen_matrix(data: dict[str, Any] | None) -> RiskMatrix | None:
    """A risk matrix stored with a finished report, unlinked (it is shown in
    minutes, on the page and in the PDF alike)."""
    return matrix_from_json(None, data) if data else None


@register.filter
def comments_on(comments: Any, item: Any) -> list[Any]:
    """The signatories' comments on one agenda item (of a list of comments)."""
    if not comments:
        return []
    pk = getattr(item, "pk", None)
    return [c for c in comments if c.agenda_item_id is not None and c.agenda_item_id == pk]
