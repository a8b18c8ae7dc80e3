"""The implementation app's sections of the principal snapshot PDF."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from implementation.models import AppointmentFunction
from implementation.services import appointments as appointment_services
from implementation.services import goals
from portal.documents import registry as documents
from portal.models import GeneratedFileStatus
from tests.document_helpers import eager_documents, file_bytes, pdf_text
from tests.factories import PersonFactory
from tests.implementation.helpers import approved
from tests.portal.test_documents import queue

__all__ = ["eager_documents"]


def test_snapshot_sections_are_registered_before_governance():
    keys = [s.key for s in documents.sections_for("principal_snapshot")]
    assert keys[:3] == [
        "implementation.staircase",
        "implementation.indicators",
        "implementation.appointments",
    ]
    assert keys.index("implementation.appointments") < keys.index("governance.actions")


def test_snapshot_shows_staircase_history_indicators_and_appointments(
    world, staircase, settings, tmp_path, django_capture_on_commit_callbacks
):
    eager_documents(settings, tmp_path)
    leader = world.users["leader"]
    approved(world, 2, approved_on=datetime.date(2025, 3, 1))
    approved(world, 1, approved_on=datetime.date(2025, 9, 1))  # moved back
    person = PersonFactory(tenant=world.tenant, name="Åsa Utsedd", principal=world.principal)
    with scope(tenant=world.tenant):
        indicator = goals.indicator_create(
            actor=leader,
            tenant=world.tenant,
            name="Andel skolor med elevhälsoplan",
            kind="andel",
            level="huvudman",
            unit="%",
            target=Decimal("80"),
        )
        goals.indicator_value_set(
            actor=leader,
            indicator=indicator,
            principal=world.principal,
            period=datetime.date(2025, 10, 1),
            value=Decimal("62"),
            source="enkat",
        )
        function = AppointmentFunction.objects.filter(tenant=world.tenant).first() or (
            AppointmentFunction.objects.create(tenant=world.tenant, name="Nyckelperson")
        )
        appointment_services.appointment_create(
            actor=leader,
            tenant=world.tenant,
            function=function,
            principal=world.principal,
            person=person,
            start_date=timezone.localdate() - datetime.timedelta(days=30),
        )
    job = queue(
        world,
        world.principal,
        kind=documents.get_kind("principal_snapshot"),
        capture=django_capture_on_commit_callbacks,
    )
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    text = pdf_text(file_bytes(job))
    assert "2025-03-01" in text and "2025-09-01" in text
    assert "tillbaka" in text.lower()  # the backwards move is shown as such
    assert "Andel skolor med elevhälsoplan" in text and "62" in text and "80" in text
    assert "Åsa Utsedd" in text and function.name in text
