"""Lost updates in the governance services (issue 18, item 3): a save from a
form opened at an older version is refused and the first save stays. The
generated probe over every edit form is tests/trust/test_lost_updates.py;
these pin what it does not show, service by service."""

from __future__ import annotations

import datetime

import pytest

from governance.models import Attendance, AttendanceStatus, StatusReport
from governance.services import ConflictError, actions, bodies, decisions, meetings, reports, risks
from tests.governance.service_helpers import plan

pytestmark = pytest.mark.usefixtures("in_scope")

D = datetime.date


def a_report(world, gov) -> StatusReport:
    return reports.report_create(
        actor=world.users["leader"], tenant=world.tenant, period=D(2025, 3, 1), authors=[gov.leader]
    )


def test_the_sections_of_a_status_report_share_one_version(world, gov):
    """Facts, activities and reviews are saved from separate forms of the same
    draft: a save of any of them makes the others' open forms stale."""
    report = a_report(world, gov)
    opened = report.version
    reports.report_set_activities(
        actor=world.users["leader"],
        report=report,
        activities={world.principal: "Workshop"},
        expected_version=opened,
    )
    with pytest.raises(ConflictError):
        reports.report_update(
            actor=world.users["leader"], report=report, expected_version=opened, results="Sent"
        )
    with pytest.raises(ConflictError):
        reports.report_link_reviews(
            actor=world.users["leader"], report=report, reviews=[], expected_version=opened
        )
    report.refresh_from_db()
    assert (report.results, report.version) == ("", opened + 1)


def test_an_attendance_row_saved_from_two_forms_keeps_the_first_save(world, gov):
    meeting = plan(world, gov)
    row = Attendance.objects.get(meeting=meeting, person=gov.member)
    opened = row.version
    meetings.attendance_set(
        actor=world.users["leader"],
        meeting=meeting,
        person=gov.member,
        status=AttendanceStatus.ABSENT,
        expected_version=opened,
    )
    with pytest.raises(ConflictError) as refusal:
        meetings.attendance_set(
            actor=world.users["leader"],
            meeting=meeting,
            person=gov.member,
            status=AttendanceStatus.PRESENT,
            role_note="Sekreterare",
            expected_version=opened,
        )
    row.refresh_from_db()
    assert (row.status, row.role_note) == (AttendanceStatus.ABSENT, "")
    assert refusal.value.saved.status == AttendanceStatus.ABSENT


def test_a_decision_s_text_from_an_older_form_is_refused(world, gov):
    meeting = plan(world, gov)
    decision = decisions.decision_create(
        actor=world.users["leader"], meeting=meeting, text="Styrgruppen beslutar att anta planen."
    )
    decisions.decision_update_text(
        actor=world.users["leader"], decision=decision, text="Första rättelsen.", expected_version=1
    )
    with pytest.raises(ConflictError):
        decisions.decision_update_text(
            actor=world.users["leader"], decision=decision, text="Andra.", expected_version=1
        )
    decision.refresh_from_db()
    assert decision.text == "Första rättelsen."


def test_an_assignment_saved_from_two_forms_keeps_the_first_owners(world, gov):
    action = actions.action_create(
        actor=world.users["leader"], body=gov.body, description="Återkoppla", owner_all=True
    )
    actions.action_update(
        actor=world.users["leader"],
        action=action,
        description="Återkoppla",
        owner_people=[gov.chair],
        expected_version=1,
    )
    with pytest.raises(ConflictError):
        actions.action_update(
            actor=world.users["leader"],
            action=action,
            description="Återkoppla till nästa möte",
            owner_all=True,
            expected_version=1,
        )
    action.refresh_from_db()
    assert (action.description, action.owner_all) == ("Återkoppla", False)
    assert list(action.owner_people.all()) == [gov.chair]


def test_a_body_saved_from_two_forms_keeps_the_first_name(world, gov):
    bodies.body_update(actor=world.users["leader"], body=gov.body, name="SG", expected_version=1)
    with pytest.raises(ConflictError):
        bodies.body_update(
            actor=world.users["leader"], body=gov.body, description="Länet", expected_version=1
        )
    gov.body.refresh_from_db()
    assert (gov.body.name, gov.body.description) == ("SG", "")


def test_a_review_leaves_the_risk_s_edit_form_current(world):
    """A review changes the assessment, which the edit form does not offer:
    an edit form opened before the review still saves."""
    risk = risks.risk_create(
        actor=world.users["leader"],
        tenant=world.tenant,
        title="Personalomsättning",
        category="resurser",
        likelihood=3,
        consequence=2,
    )
    risks.risk_review_add(
        actor=world.users["leader"],
        risk=risk,
        reviewed_on=D(2025, 3, 20),
        likelihood=4,
        consequence=4,
        status="hanteras",
    )
    risks.risk_update(
        actor=world.users["leader"], risk=risk, mitigation="Rekrytera", expected_version=1
    )
    risk.refresh_from_db()
    assert (risk.mitigation, risk.likelihood, risk.version) == ("Rekrytera", 4, 2)
