"""The role matrix of DESIGN.md, pinned rule by rule."""

import pytest

from portal.models import Membership, Principal, Role
from portal.permissions import RULES, can

L, S, P, R, A = (
    Role.PROCESS_LEADER,
    Role.STEERING_MEMBER,
    Role.PRINCIPAL_REPORTER,
    Role.RESEARCHER,
    Role.TENANT_ADMIN,
)

# rule -> the roles that pass it (without an object)
MATRIX = {
    "portal.view": {L, S, P, R, A},
    "portal.view_dashboard": {L, S, P, R, A},
    "portal.view_directory": {L, S, P, R, A},
    "portal.manage_members": {A},
    "portal.manage_directory": {A},
    "portal.manage_people": {A, L},
    "portal.view_audit_log": {A, L},
    "portal.view_principal_snapshot": {L, S, R, A},
    "portal.view_principal_dashboard": {L, S, R, A},
    "governance.edit": {L},
    "governance.view_drafts": {L},
    "governance.view_finished": {L, S, R, A},
    "governance.view_approved_minutes": {L, S, P, R, A},
    "governance.approve_minutes": {L, S},
    "governance.view_report_back": {L, S, R, A},
    "governance.answer_action": {L},
    # Without an object (a secret one): the process leaders; with one, also
    # the members of its meeting's body (tests/governance/test_secrecy.py).
    "governance.read_secret": {L},
    "implementation.view": {L, S, P, R, A},
    "implementation.edit": {L},
    "implementation.review": {L},
    "implementation.view_unapproved": {L},
    # Without an assessment nobody edits or reviews one (see the tests below).
    "implementation.edit_assessment": set(),
    "implementation.review_assessment": set(),
    "research.export": {R},
    "research.view_reports": {L, S, P, R, A},
    "research.manage_reports": {L, R},
    "archives.manage": {A},
}


def membership(role: Role, principal_id: int | None = None, active: bool = True) -> Membership:
    return Membership(role=role, principal_id=principal_id, is_active=active)


def test_every_rule_is_pinned():
    assert set(RULES) - {"implementation.report"} == set(MATRIX)


@pytest.mark.parametrize("rule", sorted(MATRIX))
@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(rule, role):
    assert can(membership(role), rule) is (role in MATRIX[rule])


@pytest.mark.parametrize("rule", sorted(RULES))
def test_inactive_membership_passes_nothing(rule):
    for role in Role:
        assert not can(membership(role, principal_id=1, active=False), rule, Principal(pk=1))


@pytest.mark.parametrize("rule", sorted(RULES))
def test_no_membership_passes_nothing(rule):
    assert not can(None, rule)


def test_reporter_reports_for_own_principal_only():
    reporter = membership(P, principal_id=7)
    assert can(reporter, "implementation.report", Principal(pk=7))
    assert not can(reporter, "implementation.report", Principal(pk=8))
    assert not can(reporter, "implementation.report")


def test_process_leader_reports_for_any_principal():
    assert can(membership(L), "implementation.report", Principal(pk=8))


@pytest.mark.parametrize("role", [S, R, A])
def test_other_roles_cannot_report(role):
    assert not can(membership(role, principal_id=None), "implementation.report", Principal(pk=7))


def test_reporter_sees_unapproved_assessments_of_own_principal_only():
    reporter = membership(P, principal_id=7)
    assert can(reporter, "implementation.view_unapproved", Principal(pk=7))
    assert not can(reporter, "implementation.view_unapproved", Principal(pk=8))
    assert can(membership(L), "implementation.view_unapproved", Principal(pk=8))


@pytest.mark.parametrize("role", [S, R, A])
def test_other_roles_never_see_unapproved_assessments(role):
    assert not can(membership(role), "implementation.view_unapproved", Principal(pk=7))


def test_unknown_rule_is_an_error_not_a_silent_no():
    with pytest.raises(KeyError):
        can(membership(L), "portal.does_not_exist")


def test_reporter_sees_only_own_principals_dashboard():
    reporter = membership(P, principal_id=1)
    assert can(reporter, "portal.view_principal_dashboard", Principal(pk=1))
    assert not can(reporter, "portal.view_principal_dashboard", Principal(pk=2))


def test_reporter_answers_assignments_for_own_principal_only():
    reporter = membership(P, principal_id=7)
    assert can(reporter, "governance.answer_action", Principal(pk=7))
    assert can(reporter, "governance.view_report_back", Principal(pk=7))
    assert not can(reporter, "governance.answer_action", Principal(pk=8))
    assert not can(reporter, "governance.view_report_back", Principal(pk=8))
    assert can(membership(L), "governance.answer_action", Principal(pk=8))


@pytest.mark.parametrize("role", [S, R, A])
def test_only_reporters_and_leaders_answer_assignments(role):
    assert not can(membership(role), "governance.answer_action", Principal(pk=7))
    assert can(membership(role), "governance.view_report_back", Principal(pk=7))


def _assessment(principal_id: int, status: str):
    from implementation.models import SelfAssessment

    return SelfAssessment(principal_id=principal_id, status=status)


@pytest.mark.parametrize(
    ("role", "principal_id", "status", "may_edit"),
    [
        (L, 8, "utkast", True),
        (L, 8, "atersand", True),
        (L, 8, "inskickad", False),
        (L, 8, "godkand", False),
        (P, 7, "utkast", True),
        (P, 7, "inskickad", False),
        (P, 8, "utkast", False),
        (S, 7, "utkast", False),
    ],
)
def test_an_assessment_is_edited_by_its_reporters_while_a_draft_or_returned(
    role, principal_id, status, may_edit
):
    member = membership(role, principal_id=7 if role == P else None)
    assert can(member, "implementation.edit_assessment", _assessment(principal_id, status)) is (
        may_edit
    )


@pytest.mark.parametrize(
    ("role", "status", "may_review"),
    [(L, "inskickad", True), (L, "utkast", False), (L, "godkand", False), (S, "inskickad", False)],
)
def test_an_assessment_is_reviewed_by_process_leaders_once_submitted(role, status, may_review):
    assessment = _assessment(7, status)
    assert can(membership(role), "implementation.review_assessment", assessment) is may_review
