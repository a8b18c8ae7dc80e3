"""Diary numbers (diarienummer, issue 16 item 6): meetings, decisions and
meeting documents carry an optional one, entered in their forms, shown on
their pages and in the PDFs, and found by the search. A change is audited
like any other field; a bad one (too long, odd characters) gets a clear
error and changes nothing; the optimistic lock still holds."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope
from pypdf import PdfReader

from governance.models import Decision, Meeting, MeetingDocument
from governance.services import decisions, meetings
from governance.services import meeting_documents as documents
from portal.models import AuditEvent
from tests.document_helpers import eager_documents
from tests.governance.meeting_document_helpers import pdf_upload
from tests.governance.meetings.helpers import _edit_data
from tests.governance.service_helpers import approve, plan
from tests.governance.test_secrecy import render_pdf
from tests.helpers import form_errors, snapshot, text, url_in

pytestmark = pytest.mark.django_db

url = url_in("governance")

MEETING_DNR = "RS 2026/1234"
DECISION_DNR = "KS-2026.017"
DOCUMENT_DNR = "SN 2026/88"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    return eager_documents(settings, tmp_path)


@pytest.fixture
def scene(world, gov):
    leader = world.users["leader"]
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title="Styrgruppsmöte")
        item = meetings.agenda_item_add(actor=leader, meeting=meeting, title="Processplan")
        decision = decisions.decision_create(
            actor=leader,
            meeting=meeting,
            agenda_item=item,
            text="Styrgruppen beslutar att anta planen.",
        )
        document = documents.document_add(
            actor=leader, meeting=meeting, upload=pdf_upload("plan.pdf", "Planen"), title="Plan"
        )
        documents.documents_share(actor=leader, meeting=meeting)
    return meeting, item, decision, document


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


# Meetings ------------------------------------------------------------------------------


def test_the_process_leader_gives_a_meeting_its_diary_number(world, scene, leader):
    meeting = scene[0]

    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk),
        _edit_data(meeting, diary_number=MEETING_DNR),
    )

    assert response.status_code == 302, form_errors(response)
    with scope(tenant=world.tenant):
        meeting.refresh_from_db()
        event = AuditEvent.objects.filter(action="meeting.update", object_id=str(meeting.pk)).get()
    assert meeting.diary_number == MEETING_DNR
    assert event.before["diary_number"] == "" and event.after["diary_number"] == MEETING_DNR
    page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert MEETING_DNR in page


@pytest.mark.parametrize(
    "value",
    ["RS 2026/" + "1" * 40, "RS 2026/12<script>", "/2026"],
    ids=["too long", "odd characters", "starts with a sign"],
)
def test_a_bad_diary_number_gets_a_clear_error_and_nothing_changes(world, scene, leader, value):
    meeting = scene[0]
    before = snapshot(Meeting)

    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk), _edit_data(meeting, diary_number=value)
    )

    assert response.status_code == 200
    assert form_errors(response)["diary_number"]
    assert snapshot(Meeting) == before


def test_the_service_refuses_a_too_long_diary_number_and_keeps_the_version(world, scene):
    meeting = scene[0]
    with scope(tenant=world.tenant):
        version = Meeting.objects.get(pk=meeting.pk).version
        with pytest.raises(ValidationError) as error:
            meetings.meeting_update(
                actor=world.users["leader"],
                meeting=meeting,
                expected_version=version,
                diary_number="X" * 41,
            )
        fresh = Meeting.objects.get(pk=meeting.pk)
    assert "diary_number" in error.value.message_dict
    assert fresh.diary_number == "" and fresh.version == version


def test_a_stale_meeting_form_does_not_overwrite_a_diary_number(world, scene, leader):
    meeting = scene[0]
    stale = meeting.version
    with scope(tenant=world.tenant):
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=stale,
            diary_number=MEETING_DNR,
        )

    response = leader.post(
        url("meeting_edit", world.tenant, meeting.pk),
        _edit_data(meeting, diary_number="RS 2026/9999", version=stale),
    )

    assert response.status_code == 200
    with scope(tenant=world.tenant):
        assert Meeting.objects.get(pk=meeting.pk).diary_number == MEETING_DNR


def test_only_process_leaders_change_a_diary_number(world, scene, client_for):
    meeting = scene[0]
    before = snapshot(Meeting)

    response = client_for(world.users["steering"]).post(
        url("meeting_edit", world.tenant, meeting.pk),
        _edit_data(meeting, diary_number=MEETING_DNR),
    )

    assert response.status_code == 403
    assert snapshot(Meeting) == before


# Decisions and documents ---------------------------------------------------------------


def test_a_decision_gets_its_diary_number_in_its_form(world, scene, leader):
    meeting, _item, decision, _document = scene

    response = leader.post(
        url("decision_edit", world.tenant, decision.pk),
        {"text": decision.text, "diary_number": DECISION_DNR, "version": decision.version},
    )

    assert response.status_code == 302, form_errors(response)
    with scope(tenant=world.tenant):
        decision.refresh_from_db()
        event = AuditEvent.objects.filter(
            action="decision.update", object_id=str(decision.pk)
        ).get()
    assert decision.diary_number == DECISION_DNR
    assert event.after["diary_number"] == DECISION_DNR
    assert DECISION_DNR in text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert DECISION_DNR in text(leader.get(url("decision_list", world.tenant)))


def test_a_too_long_decision_diary_number_changes_nothing(world, scene, leader):
    decision = scene[2]
    before = snapshot(Decision)

    response = leader.post(
        url("decision_edit", world.tenant, decision.pk),
        {"text": "Ändrad text", "diary_number": "D" * 41, "version": decision.version},
    )

    assert response.status_code == 200
    assert form_errors(response)["diary_number"]
    assert snapshot(Decision) == before


def test_a_document_gets_its_diary_number_in_its_form(world, scene, leader, client_for):
    document = scene[3]

    response = leader.post(
        url("document_edit", world.tenant, document.pk),
        {
            "title": "Plan",
            "agenda_item": "",
            "diary_number": DOCUMENT_DNR,
            "version": document.version,
        },
    )

    assert response.status_code == 302, form_errors(response)
    with scope(tenant=world.tenant):
        assert MeetingDocument.objects.get(pk=document.pk).diary_number == DOCUMENT_DNR
    page = client_for(world.users["researcher"]).get(
        url("document_detail", world.tenant, document.pk)
    )
    assert DOCUMENT_DNR in text(page)


def test_a_document_added_with_a_diary_number_keeps_it(world, scene, leader):
    meeting = scene[0]

    leader.post(
        url("document_add", world.tenant, meeting.pk),
        {"file": pdf_upload("b.pdf", "B"), "title": "Bilaga", "diary_number": DOCUMENT_DNR},
    )

    with scope(tenant=world.tenant):
        assert MeetingDocument.objects.get(title="Bilaga").diary_number == DOCUMENT_DNR


# PDFs and search -----------------------------------------------------------------------


def _set_numbers(world, scene) -> None:
    meeting, _item, decision, document = scene
    leader = world.users["leader"]
    with scope(tenant=world.tenant):
        meetings.meeting_update(
            actor=leader,
            meeting=meeting,
            expected_version=Meeting.objects.get(pk=meeting.pk).version,
            diary_number=MEETING_DNR,
        )
        decisions.decision_update_text(
            actor=leader, decision=decision, text=decision.text, diary_number=DECISION_DNR
        )
        documents.document_update(
            actor=leader,
            document=document,
            title=document.title,
            agenda_item=None,
            show_in_minutes=False,
            diary_number=DOCUMENT_DNR,
        )


def test_the_minutes_pdf_shows_the_diary_numbers(world, scene, django_capture_on_commit_callbacks):
    meeting = scene[0]
    _set_numbers(world, scene)
    with scope(tenant=world.tenant):
        approve(world, meeting)

    data = render_pdf(world, "steering", "minutes", meeting, django_capture_on_commit_callbacks)

    words = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages
    )
    assert MEETING_DNR in words and DECISION_DNR in words and DOCUMENT_DNR in words


def test_the_meeting_pack_shows_the_diary_numbers(world, scene, django_capture_on_commit_callbacks):
    meeting = scene[0]
    _set_numbers(world, scene)

    data = render_pdf(
        world, "steering", "meeting_pack", meeting, django_capture_on_commit_callbacks
    )

    words = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages
    )
    assert MEETING_DNR in words and DOCUMENT_DNR in words


@pytest.mark.parametrize(
    ("query", "group"),
    [(MEETING_DNR, "minutes"), (DECISION_DNR, "decisions"), (DOCUMENT_DNR, "minutes")],
    ids=["meeting", "decision", "document"],
)
def test_the_search_finds_a_diary_number(world, scene, client_for, query, group):
    meeting = scene[0]
    _set_numbers(world, scene)
    with scope(tenant=world.tenant):
        approve(world, meeting)

    response = client_for(world.users["researcher"]).get(url("search", world.tenant), {"q": query})

    groups = {g.key: g for g in response.context["results"].groups}
    assert groups[group].total == 1
