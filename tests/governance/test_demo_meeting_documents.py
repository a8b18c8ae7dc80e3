"""The demo's meeting documents (seed_demo, _demo/meeting_documents.py): the
steering group's next meeting gets the process plan (a real PDF) and material
under an item, its last meeting with finished minutes an image shown in the
minutes; running it again adds nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from django_scopes import scope
from PIL import Image
from pypdf import PdfReader

from demo.management.commands._demo.meeting_documents import seed_meeting_documents
from governance.models import MeetingDocument
from governance.services import meetings, minutes
from tests.document_helpers import pdf_text
from tests.governance.service_helpers import plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def steering_group(world, gov):
    """Sörmland's steering group: a held meeting with finished minutes and the next one."""
    leader = world.users["leader"]
    soon = timezone.localdate() + datetime.timedelta(days=14)
    with scope(tenant=world.tenant):
        held = plan(world, gov, day=(2025, 3, 25))
        meetings.agenda_item_add(actor=leader, meeting=held, title="Mål och resultat")
        held = minutes.minutes_finish(actor=leader, meeting=held)
        upcoming = plan(world, gov, day=(soon.year, soon.month, soon.day))
        meetings.agenda_item_add(
            actor=leader, meeting=upcoming, title="Följeforskning: upplägg för delrapport 4"
        )
    return held, upcoming


def test_the_next_meeting_gets_the_process_plan_and_material_under_an_item(world, steering_group):
    _held, upcoming = steering_group

    seed_meeting_documents()

    with scope(tenant=world.tenant):
        plan_, material = MeetingDocument.objects.filter(meeting=upcoming).order_by("pk")
        assert (plan_.title, plan_.agenda_item, plan_.is_shared) == ("Processplan 2026", None, True)
        assert material.agenda_item.title.startswith("Följeforskning")
        assert not material.is_shared  # the process leaders' "Dela handlingarna" is still to do
        data = plan_.current_file.file.read()
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    assert "Kvartal 1: Barnets bästa-ansvariga utsedda" in pdf_text(data)


def test_the_last_held_meeting_shows_an_image_in_its_minutes(world, steering_group):
    held, _upcoming = steering_group

    seed_meeting_documents()

    with scope(tenant=world.tenant):
        (image,) = MeetingDocument.objects.filter(meeting=held)
        assert image.is_inline_image and image.is_shared
        assert image.agenda_item.title == "Mål och resultat"
        with Image.open(image.current_file.file) as png:
            assert png.format == "PNG"


def test_seeding_again_adds_nothing(world, steering_group):
    seed_meeting_documents()
    with scope(tenant=world.tenant):
        before = list(MeetingDocument.objects.values_list("pk", flat=True))

    seed_meeting_documents()

    with scope(tenant=world.tenant):
        assert list(MeetingDocument.objects.values_list("pk", flat=True)) == before
        assert len(before) == 3
