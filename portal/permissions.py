"""The role matrix (DESIGN.md, "Roles and what they may do"), in one place.

Rules take the user's `Membership` in the current programme as the subject and
an optional object. Views check them through `portal.tenancy.require`,
templates through `{% can "rule" obj %}` and services through `check`, so the
same predicate decides everywhere.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied

from portal.models import Membership, Role


def _role(*roles: Role) -> rules.Predicate:
    names = {r.value for r in roles}

    @rules.predicate(name="role in " + ",".join(sorted(names)))
    def has_role(membership: Membership | None) -> bool:
        return membership is not None and membership.is_active and membership.role in names

    return has_role


is_process_leader = _role(Role.PROCESS_LEADER)
is_steering_member = _role(Role.STEERING_MEMBER)
is_reporter = _role(Role.PRINCIPAL_REPORTER)
is_researcher = _role(Role.RESEARCHER)
is_tenant_admin = _role(Role.TENANT_ADMIN)
is_member = _role(*Role)


@rules.predicate
def is_own_principal(membership: Membership | None, obj: Any) -> bool:
    """The object is, or belongs to, the reporter's own principal."""
    if membership is None or membership.principal_id is None or obj is None:
        return False
    principal_id = getattr(obj, "principal_id", None)
    if principal_id is None and obj.__class__.__name__ == "Principal":
        principal_id = obj.pk
    return principal_id == membership.principal_id


@rules.predicate
def is_editable(membership: Membership | None, obj: Any) -> bool:
    """The object can still be changed (a self-assessment: a draft, or returned)."""
    return obj is not None and bool(getattr(obj, "is_editable", False))


@rules.predicate
def awaits_review(membership: Membership | None, obj: Any) -> bool:
    """The object waits for a reviewer (a submitted self-assessment)."""
    return obj is not None and bool(getattr(obj, "awaits_review", False))


# Who reports for a principal (its self-assessments, its indicator values).
_reports_for = is_process_leader | (is_reporter & is_own_principal)

RULES: dict[str, rules.Predicate] = {
    # Portal
    "portal.view": is_member,
    "portal.view_dashboard": is_member,
    # A principal's dashboard: everyone but principal reporters, who see their
    # own principal's (and the programme's aggregate on the start page).
    "portal.view_principal_dashboard": is_process_leader
    | is_steering_member
    | is_researcher
    | is_tenant_admin
    | (is_reporter & is_own_principal),
    "portal.view_directory": is_member,
    "portal.manage_members": is_tenant_admin,
    # The programme's audit log: administrators and process leaders read it; nobody writes it.
    "portal.view_audit_log": is_tenant_admin | is_process_leader,
    "portal.manage_directory": is_tenant_admin,
    # Process leaders register guests and new attendees while logging meetings.
    "portal.manage_people": is_tenant_admin | is_process_leader,
    # The principal snapshot PDF gathers governance registers (open action
    # items) that principal reporters may not read.
    "portal.view_principal_snapshot": is_process_leader
    | is_steering_member
    | is_researcher
    | is_tenant_admin,
    # Governance: meetings, minutes, decisions, actions, risks, status reports
    "governance.edit": is_process_leader,
    # Drafts (minutes, status reports) are for process leaders only.
    "governance.view_drafts": is_process_leader,
    "governance.view_finished": is_process_leader
    | is_steering_member
    | is_researcher
    | is_tenant_admin,
    "governance.view_approved_minutes": is_member,
    "governance.approve_minutes": is_process_leader | is_steering_member,
    # The report-back loop (återkoppling): the assignments a principal is to
    # answer, with its answers, on its dashboard (checked against the
    # principal). Its own reporters answer them; process leaders may answer
    # on a principal's behalf (an answer given by e-mail or at the meeting).
    "governance.view_report_back": is_process_leader
    | is_steering_member
    | is_researcher
    | is_tenant_admin
    | (is_reporter & is_own_principal),
    "governance.answer_action": is_process_leader | (is_reporter & is_own_principal),
    # Implementation: staircase, self-assessments, goals, indicators
    "implementation.view": is_member,
    "implementation.edit": is_process_leader,
    "implementation.review": is_process_leader,
    "implementation.report": _reports_for,
    # The buttons of one self-assessment, and what its views and services
    # allow: its reporters change it while it is a draft or returned; process
    # leaders review it (approve, return) once it is submitted.
    "implementation.edit_assessment": _reports_for & is_editable,
    "implementation.review_assessment": is_process_leader & awaits_review,
    # A principal's unfinished work — draft, submitted and returned
    # self-assessments, unpublished good examples: process leaders and the
    # principal's own reporters. Approved and published ones are for everyone.
    "implementation.view_unapproved": is_process_leader | (is_reporter & is_own_principal),
    # Research
    "research.export": is_researcher,
    # The register of the accompanying research's sub-reports: for everyone
    # in the programme; the researchers and process leaders keep it.
    "research.view_reports": is_member,
    "research.manage_reports": is_researcher | is_process_leader,
    # Archive packages, retention rules and disposal (archives/): administrators
    "archives.manage": is_tenant_admin,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)


def register(name: str, predicate: rules.Predicate) -> None:
    """A rule an app adds in its `ready()` for a predicate on its own models
    (the kernel imports no app): `governance.read_secret`, which asks whether
    the member sits on a meeting's body."""
    RULES[name] = predicate
    if not rules.rule_exists(name):
        rules.add_rule(name, predicate)


def can(membership: Membership | None, rule: str, obj: Any = None) -> bool:
    if rule not in RULES:
        raise KeyError(f"Unknown permission rule {rule!r}")
    return bool(rules.test_rule(rule, membership, obj))


def check(membership: Membership | None, rule: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless the membership passes `rule`."""
    if not can(membership, rule, obj):
        raise PermissionDenied
