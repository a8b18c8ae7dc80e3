"""Archive scene: the first programme's steering group with one meeting of
March 2025 whose minutes are approved, a decision and a completed action item
of it, a closed risk, a status report of January 2022, a meeting document
with its file, and a piece of evidence of a self-assessment; and a second
programme administrator (`second_admin`) to approve disposals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django_scopes import scope

from governance.models import (
    ActionItem,
    ActionStatus,
    Decision,
    Meeting,
    MeetingDocument,
    Risk,
    RiskStatus,
    StatusReport,
)
from governance.services import meeting_documents
from implementation.models import AssessmentAttachment
from implementation.services import assessments
from implementation.services.staircase import staircase_ensure_default
from portal.models import Membership, Role, User
from tests.factories import MembershipFactory, UserFactory
from tests.governance.conftest import _gov
from tests.governance.factories import (
    ActionItemFactory,
    DecisionFactory,
    RiskFactory,
    StatusReportFactory,
)
from tests.governance.meeting_document_helpers import pdf_upload
from tests.governance.service_helpers import approve, at, plan
from tests.helpers import in_scope  # noqa: F401  (a fixture)
from tests.implementation.helpers import start


@dataclass
class Scene:
    meeting: Meeting
    decision: Decision
    action: ActionItem
    risk: Risk
    report: StatusReport
    document: MeetingDocument
    evidence: AssessmentAttachment


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings.MEDIA_ROOT


def build_scene(world) -> Scene:
    gov = _gov(world)
    tenant = world.tenant
    with scope(tenant=tenant):
        meeting = plan(world, gov, day=(2025, 3, 25), title="Styrgruppsmöte mars")
        document = meeting_documents.document_add(
            actor=world.users["leader"],
            meeting=meeting,
            upload=pdf_upload("Processplan 2025.pdf", "Processplanen"),
            title="Processplan 2025",
        )
        decision = DecisionFactory(
            meeting=meeting,
            body=gov.body,
            decided_on=datetime.date(2025, 3, 25),
            text="Styrgruppen beslutar att anta processplanen.",
        )
        approve(world, meeting)
        meeting.refresh_from_db()
        action = ActionItemFactory(
            body=gov.body,
            description="Ta fram en kommunikationsplan.",
            status=ActionStatus.DONE,
            given_at=at(2025, 3, 25),
            status_changed_at=at(2025, 5, 2),
            decision=decision,
        )
        risk = RiskFactory(
            tenant=tenant,
            title="Personalomsättning i skolorna",
            status=RiskStatus.CLOSED,
            raised_on=datetime.date(2025, 3, 25),
        )
        report = StatusReportFactory(tenant=tenant, period=datetime.date(2022, 1, 1))
        staircase_ensure_default(tenant)
    assessment = start(world)
    with scope(tenant=tenant):
        evidence = assessments.attachment_add(
            actor=world.users["leader"],
            assessment=assessment,
            upload=pdf_upload("Handlingsplan skolan.pdf", "Handlingsplan"),
        )
    return Scene(meeting, decision, action, risk, report, document, evidence)


@pytest.fixture
def scene(world, media) -> Scene:
    return build_scene(world)


@pytest.fixture
def second_admin(world) -> tuple[User, Membership]:
    user = UserFactory(
        username=f"{world.tenant.slug}-admin2", first_name="Andra", last_name="Admin"
    )
    membership = MembershipFactory(tenant=world.tenant, user=user, role=Role.TENANT_ADMIN)
    return user, membership
