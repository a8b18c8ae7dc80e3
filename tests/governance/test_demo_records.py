"""The demo's diary numbers and secret document (seed_demo, _demo/records.py):
the steering group's meetings and decisions get diary numbers, approved
minutes too; its next meeting a secret, shared document with its OSL
provision; running it again changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from demo.management.commands._demo.records import seed_records
from governance.models import Decision, Meeting, MeetingDocument
from governance.services import decisions, meetings
from portal.models import AuditEvent
from tests.governance.service_helpers import approve, plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def steering_group(world, gov):
    leader = world.users["leader"]
    soon = timezone.localdate() + datetime.timedelta(days=14)
    with scope(tenant=world.tenant):
        held = plan(world, gov, day=(2025, 3, 25))
        decisions.decision_create(actor=leader, meeting=held, text="Styrgruppen beslutar att …")
        approve(world, held)
        upcoming = plan(world, gov, day=(soon.year, soon.month, soon.day))
        meetings.agenda_item_add(actor=leader, meeting=upcoming, title="Samråd")
    return held, upcoming


def test_meetings_and_decisions_get_diary_numbers_and_one_secret_document(world, steering_group):
    held, upcoming = steering_group

    seed_records()

    with scope(tenant=world.tenant):
        numbers = dict(Meeting.objects.values_list("pk", "diary_number"))
        assert numbers[held.pk] == "RS 2025/101"
        assert numbers[upcoming.pk].startswith(f"RS {upcoming.starts_at.year}/")
        assert Decision.objects.get().diary_number == "RS 2025/501"
        secret = MeetingDocument.objects.get(secret=True)
        assert secret.meeting == upcoming and secret.is_shared
        assert secret.secrecy_reference == "OSL 26 kap. 1 §"
        assert secret.diary_number


def test_running_it_again_changes_nothing(world, steering_group):
    seed_records()
    with scopes_disabled():
        before = (
            list(Meeting.objects.values_list("pk", "diary_number")),
            MeetingDocument.objects.count(),
            AuditEvent.objects.count(),
        )

    seed_records()

    with scopes_disabled():
        after = (
            list(Meeting.objects.values_list("pk", "diary_number")),
            MeetingDocument.objects.count(),
            AuditEvent.objects.count(),
        )
    assert after == before
