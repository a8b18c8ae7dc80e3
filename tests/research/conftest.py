"""Research scene: a little of everything the datasets read, in the first
programme, with a person whose name appears in free text; and the same
person-less minimum in the other programme."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import (
    ActionStatus,
    ActionStatusChange,
    Attendance,
    AttendanceStatus,
    MeetingStatus,
    MinutesStatus,
    ReportStatus,
    RiskReview,
)
from implementation.models import (
    Appointment,
    AppointmentFunction,
    Indicator,
    IndicatorValue,
)
from portal.models import Person
from tests.document_helpers import eager_documents
from tests.factories import PersonFactory
from tests.governance.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    BodyMemberFactory,
    DecisionFactory,
    MeetingFactory,
    RiskFactory,
    StatusReportFactory,
)
from tests.implementation.helpers import approved, start

NAME = "Annika Bergström"
MINUTES = f"{NAME} presenterade läget i Eskilstuna."


@dataclass
class Scene:
    person: Person
    guest: Person
    meeting_id: int
    draft_meeting_id: int


def make_scene(world) -> Scene:
    tenant = world.tenant
    person = PersonFactory(tenant=tenant, name=NAME, principal=world.principal)
    guest = PersonFactory(tenant=tenant, name="Gustav Gäst", principal=None, organisation="FoU")
    body = BodyFactory(tenant=tenant, name="Styrgruppen", code="SG")
    BodyMemberFactory(body=body, person=person, role="ordforande")
    start_at = timezone.make_aware(datetime.datetime(2025, 3, 25, 9, 0))
    meeting = MeetingFactory(
        body=body,
        starts_at=start_at,
        ends_at=start_at + datetime.timedelta(hours=2),
        status=MeetingStatus.HELD,
        minutes_status=MinutesStatus.APPROVED,
        title="Styrgruppsmöte mars",
    )
    draft = MeetingFactory(
        body=body,
        starts_at=start_at + datetime.timedelta(days=30),
        ends_at=start_at + datetime.timedelta(days=30, hours=2),
        status=MeetingStatus.HELD,
        minutes_status=MinutesStatus.DRAFT,
    )
    item = AgendaItemFactory(meeting=meeting, title="Läget", minutes=MINUTES)
    AgendaItemFactory(meeting=draft, title="Utkast", minutes="Hemligt utkast")
    decision = DecisionFactory(meeting=meeting, agenda_item=item, text=f"{NAME} får i uppdrag.")
    risk = RiskFactory(tenant=tenant, owner=person, description=f"Kontakt: {NAME}")
    action = ActionItemFactory(body=body, decision=decision, description=f"{NAME} återkommer.")
    StatusReportFactory(
        tenant=tenant,
        period=datetime.date(2025, 3, 1),
        status=ReportStatus.FINISHED,
        gut_feeling="positiv",
        results=f"{NAME} har lett arbetet.",
    )
    StatusReportFactory(tenant=tenant, period=datetime.date(2025, 4, 1), results="Utkast")
    with scopes_disabled():
        for who, status in ((person, AttendanceStatus.PRESENT), (guest, AttendanceStatus.GUEST)):
            Attendance.objects.create(
                tenant=tenant, meeting=meeting, person=who, status=status, role_note=NAME
            )
        ActionStatusChange.objects.create(
            tenant=tenant, action_item=action, to_status=ActionStatus.NOT_STARTED
        )
        RiskReview.objects.create(
            tenant=tenant,
            risk=risk,
            reviewed_on=datetime.date(2025, 3, 25),
            likelihood=2,
            consequence=3,
            status="hanteras",
            note=f"Bedömd av {NAME}",
        )
        indicator = Indicator.objects.create(
            tenant=tenant, name="Antal utbildade", kind="antal", level="huvudman"
        )
        for month in (1, 2, 3):
            IndicatorValue.objects.create(
                tenant=tenant,
                indicator=indicator,
                principal=world.principal,
                period=datetime.date(2025, month, 1),
                value=Decimal(month * 10),
                source="manuell",
                comment=f"Rapporterat av {NAME}",
            )
        function = AppointmentFunction.objects.create(tenant=tenant, name="Barnets bästa-ansvarig")
        Appointment.objects.create(
            tenant=tenant,
            function=function,
            principal=world.principal,
            person=person,
            start_date=datetime.date(2024, 8, 1),
            note=f"{NAME} utsedd",
        )
    with scope(tenant=tenant):
        from implementation.services.staircase import staircase_ensure_default

        staircase_ensure_default(tenant)
    approved(world, 2)
    start(world, period=(datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)))  # a draft
    return Scene(person=person, guest=guest, meeting_id=meeting.pk, draft_meeting_id=draft.pk)


@pytest.fixture
def scene(world) -> Scene:
    return make_scene(world)


@pytest.fixture
def jobs(settings, tmp_path):
    """Export jobs run inline, their files in a temporary MEDIA_ROOT."""
    return eager_documents(settings, tmp_path)


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """`with run_jobs():` runs the export jobs queued inside, as after a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _own_rate_limit_counts(settings):
    """Rate-limit counts in a cache of the test's own, so earlier runs (or other
    tests) never count against this one."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    caches["default"].clear()
    yield
    caches["default"].clear()
