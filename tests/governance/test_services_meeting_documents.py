"""Meeting documents (handlingar), the services: adding a document to a
meeting or an agenda item with the portal's upload checks, replacing its file
(versions kept), changing and archiving it, sharing the documents, approved
minutes locking them, revisions, and the minutes listing them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from governance.models import AgendaItem, MeetingDocument, MeetingDocumentFile
from governance.selectors.meeting_documents import meeting_documents
from governance.services import ConflictError, LockedError, meetings, minutes
from governance.services import meeting_documents as services
from portal.models import AuditEvent
from tests.governance.meeting_document_helpers import (
    SMALL_PDF,
    png_upload,
    small_pdf,
    upload,
)
from tests.governance.service_helpers import approve, audits, plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def leader(world):
    return world.users["leader"]


@pytest.fixture
def meeting(world, gov, in_scope):
    return plan(world, gov)


@pytest.fixture
def item(meeting, leader):
    return meetings.agenda_item_add(actor=leader, meeting=meeting, title="Processplan")


def _rows() -> tuple[int, int, int]:
    return (
        MeetingDocument.objects.count(),
        MeetingDocumentFile.objects.count(),
        AuditEvent.objects.count(),
    )


# Adding ---------------------------------------------------------------------------


def test_a_document_is_added_unshared_with_its_first_version_and_audited(meeting, leader):
    document = services.document_add(
        actor=leader, meeting=meeting, upload=small_pdf("Processplan_2026.pdf")
    )

    assert document.title == "Processplan 2026"  # from the file name
    assert document.agenda_item is None
    assert not document.is_shared
    (file,) = document.files.all()
    assert (file.number, file.original_name, file.content_type) == (
        1,
        "Processplan_2026.pdf",
        "application/pdf",
    )
    # Stored under a random name in the meeting's folder, never the user's.
    assert file.file.name.startswith(f"governance/{meeting.tenant_id}/meetings/{meeting.pk}/")
    assert "Processplan" not in file.file.name
    assert file.file.read() == SMALL_PDF
    (event,) = audits(document)
    assert event.action == "meeting_document.add"
    assert event.actor == leader
    assert event.after["file"]["original_name"] == "Processplan_2026.pdf"


def test_a_document_can_belong_to_an_agenda_item(meeting, item, leader):
    document = services.document_add(
        actor=leader, meeting=meeting, upload=small_pdf(), title="Underlag", agenda_item=item
    )

    assert document.agenda_item == item
    assert meeting_documents(meeting=meeting, include_unshared=True).for_item(item) == [document]


def test_an_item_of_another_meeting_is_refused_and_nothing_written(world, gov, meeting, leader):
    other = plan(world, gov, day=(2025, 4, 22))
    foreign = meetings.agenda_item_add(actor=leader, meeting=other, title="Annat möte")
    before = _rows()

    with pytest.raises(ValidationError) as refused:
        services.document_add(
            actor=leader, meeting=meeting, upload=small_pdf(), agenda_item=foreign
        )

    assert "agenda_item" in refused.value.message_dict
    assert _rows() == before


WRONG_TYPE = "Attach a PDF, Word, Excel, PowerPoint, OpenDocument text, PNG or JPEG file."
NOT_ITS_TYPE = "The file's content does not match its type (.%(ext)s)."


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("program.exe", b"MZ\x90\x00", _(WRONG_TYPE)),
        ("handling.pdf", b"MZ\x90\x00 not a pdf", _(NOT_ITS_TYPE) % {"ext": "pdf"}),
        ("bild.png", SMALL_PDF, _(NOT_ITS_TYPE) % {"ext": "png"}),
        ("tom.pdf", b"", _("The file is empty.")),
    ],
    ids=["wrong type", "fake pdf signature", "pdf named png", "empty"],
)
def test_a_bad_upload_is_refused_on_the_file_and_nothing_written(
    meeting, leader, name, data, message
):
    before = _rows()

    with pytest.raises(ValidationError) as refused:
        services.document_add(actor=leader, meeting=meeting, upload=upload(name, data))

    assert refused.value.message_dict["file"] == [str(message)]
    assert _rows() == before


def test_a_file_over_the_limit_is_refused(meeting, leader, settings):
    settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES = 1024
    before = _rows()

    with pytest.raises(ValidationError) as refused:
        services.document_add(
            actor=leader, meeting=meeting, upload=upload("stor.pdf", SMALL_PDF + b"0" * 2000)
        )

    too_large = _("The file is too large: at most %(mb)s MB.") % {"mb": 0.0}
    assert refused.value.message_dict["file"] == [too_large]
    assert _rows() == before


def test_only_an_image_under_an_item_is_shown_in_the_minutes(meeting, item, leader):
    with pytest.raises(ValidationError) as not_image:
        services.document_add(
            actor=leader,
            meeting=meeting,
            upload=small_pdf(),
            agenda_item=item,
            show_in_minutes=True,
        )
    with pytest.raises(ValidationError) as no_item:
        services.document_add(
            actor=leader, meeting=meeting, upload=png_upload(), show_in_minutes=True
        )
    image = services.document_add(
        actor=leader, meeting=meeting, upload=png_upload(), agenda_item=item, show_in_minutes=True
    )

    assert "show_in_minutes" in not_image.value.message_dict
    assert "show_in_minutes" in no_item.value.message_dict
    assert image.is_inline_image


# Versions ---------------------------------------------------------------------------


def test_replacing_adds_a_version_and_keeps_the_earlier_one(meeting, leader):
    document = services.document_add(actor=leader, meeting=meeting, upload=small_pdf("v1.pdf"))

    services.document_replace(
        actor=leader, document=document, upload=upload("v2.pdf", SMALL_PDF + b"% 2\n")
    )

    files = list(document.files.order_by("number"))
    assert [(f.number, f.original_name) for f in files] == [(1, "v1.pdf"), (2, "v2.pdf")]
    assert files[0].file.read() == SMALL_PDF
    assert document.current_file == files[1]
    (event,) = audits(document, "meeting_document.file.replace")
    assert (event.before["file"]["number"], event.after["file"]["number"]) == (1, 2)


def test_a_bad_replacement_is_refused_and_the_current_version_stays(meeting, leader):
    document = services.document_add(actor=leader, meeting=meeting, upload=small_pdf())
    before = _rows()

    with pytest.raises(ValidationError):
        services.document_replace(
            actor=leader, document=document, upload=upload("x.docx", b"not a zip")
        )

    assert _rows() == before
    assert document.current_file.number == 1


def test_an_image_replaced_by_a_pdf_is_no_longer_shown_in_the_minutes(meeting, item, leader):
    document = services.document_add(
        actor=leader, meeting=meeting, upload=png_upload(), agenda_item=item, show_in_minutes=True
    )

    services.document_replace(actor=leader, document=document, upload=small_pdf())

    document.refresh_from_db()
    assert not document.show_in_minutes


# Changing and archiving -----------------------------------------------------------


def test_a_document_is_changed_under_its_version(meeting, item, leader):
    document = services.document_add(actor=leader, meeting=meeting, upload=small_pdf())
    opened_at = document.version

    services.document_update(
        actor=leader,
        document=document,
        title="Processplan 2026, reviderad",
        agenda_item=item,
        show_in_minutes=False,
        expected_version=opened_at,
    )
    with pytest.raises(ConflictError):
        services.document_update(
            actor=leader,
            document=document,
            title="Ett gammalt formulär",
            agenda_item=None,
            show_in_minutes=False,
            expected_version=opened_at,
        )

    document.refresh_from_db()
    assert (document.title, document.agenda_item) == ("Processplan 2026, reviderad", item)
    assert len(audits(document, "meeting_document.update")) == 1


def test_archiving_keeps_the_document_and_its_files(meeting, leader):
    document = services.document_add(actor=leader, meeting=meeting, upload=small_pdf())

    services.document_archive(actor=leader, document=document)

    document.refresh_from_db()
    assert document.is_archived
    assert document.files.count() == 1
    assert meeting_documents(meeting=meeting, include_unshared=True).count == 0
    assert audits(document, "meeting_document.archive")


def test_approved_minutes_lock_their_documents(world, meeting, item, leader):
    document = services.document_add(actor=leader, meeting=meeting, upload=small_pdf())
    approve(world, meeting)
    before = _rows()

    with pytest.raises(LockedError):
        services.document_add(actor=leader, meeting=meeting, upload=small_pdf())
    with pytest.raises(LockedError):
        services.document_replace(actor=leader, document=document, upload=small_pdf())
    with pytest.raises(LockedError):
        services.document_update(
            actor=leader, document=document, title="Ny", agenda_item=None, show_in_minutes=False
        )
    with pytest.raises(LockedError):
        services.document_archive(actor=leader, document=document)

    assert _rows() == before


# Sharing ----------------------------------------------------------------------------


def test_sharing_shares_every_unshared_document_once(meeting, leader):
    first = services.document_add(actor=leader, meeting=meeting, upload=small_pdf("a.pdf"))
    assert services.documents_share(actor=leader, meeting=meeting) == 1
    first.refresh_from_db()
    shared_at = first.shared_at
    second = services.document_add(actor=leader, meeting=meeting, upload=small_pdf("b.pdf"))

    assert services.documents_share(actor=leader, meeting=meeting) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.shared_at == shared_at
    assert second.is_shared and second.shared_by == leader
    assert len(audits(first, "meeting_document.share")) == 1
    assert len(audits(second, "meeting_document.share")) == 1
    members = meeting_documents(meeting=meeting, include_unshared=False)
    assert {d.pk for d in members.all} == {first.pk, second.pk}


def test_the_members_see_shared_documents_only(meeting, leader):
    services.document_add(actor=leader, meeting=meeting, upload=small_pdf())

    assert meeting_documents(meeting=meeting, include_unshared=False).count == 0
    assert meeting_documents(meeting=meeting, include_unshared=True).unshared == 1


def test_finishing_the_minutes_shares_the_documents(meeting, leader):
    document = services.document_add(actor=leader, meeting=meeting, upload=small_pdf())

    minutes.minutes_finish(actor=leader, meeting=meeting)

    document.refresh_from_db()
    assert document.is_shared


# The minutes ------------------------------------------------------------------------


def test_the_minutes_list_their_documents_and_images(meeting, item, leader):
    pdf = services.document_add(actor=leader, meeting=meeting, upload=small_pdf(), title="Plan")
    image = services.document_add(
        actor=leader,
        meeting=meeting,
        upload=png_upload(),
        title="Hjulet",
        agenda_item=item,
        show_in_minutes=True,
    )

    content = minutes.minutes_content(meeting)

    assert [(d["id"], d["agenda_item_id"], d["inline"]) for d in content["documents"]] == [
        (pdf.pk, None, False),
        (image.pk, item.pk, True),
    ]


def test_finished_minutes_list_shared_documents_only(meeting, leader):
    services.document_add(actor=leader, meeting=meeting, upload=small_pdf(), title="Delad")
    meeting = minutes.minutes_finish(actor=leader, meeting=meeting)
    services.document_add(actor=leader, meeting=meeting, upload=small_pdf(), title="Sen")

    titles = [d["title"] for d in minutes.minutes_content(meeting)["documents"]]

    assert titles == ["Delad"]


def test_an_approved_version_keeps_the_documents_it_listed(world, meeting, item, leader):
    services.document_add(actor=leader, meeting=meeting, upload=small_pdf(), title="Plan")

    version = approve(world, meeting)

    assert [d["title"] for d in version.content["documents"]] == ["Plan"]


def test_a_revision_shows_and_files_documents_under_the_approved_item(world, meeting, item, leader):
    document = services.document_add(
        actor=leader, meeting=meeting, upload=small_pdf(), agenda_item=item
    )
    approve(world, meeting)
    meeting = minutes.minutes_revise(actor=leader, meeting=meeting, reason="Rättelse")
    draft = AgendaItem.all_rows.get(draft_of=item)

    added = services.document_add(
        actor=leader, meeting=meeting, upload=small_pdf("ny.pdf"), agenda_item=draft
    )

    assert added.agenda_item == item
    docs = meeting_documents(meeting=meeting, include_unshared=True)
    assert docs.for_item(draft) == [document, added]
    content = minutes.minutes_content(meeting)
    assert {d["agenda_item_id"] for d in content["documents"]} == {draft.pk}


def test_a_document_of_an_item_added_in_a_revision_stays_when_it_is_approved(
    world, meeting, leader
):
    approve(world, meeting)
    meeting = minutes.minutes_revise(actor=leader, meeting=meeting, reason="Tillägg")
    new_item = meetings.agenda_item_add(actor=leader, meeting=meeting, title="Tillagd punkt")
    document = services.document_add(
        actor=leader, meeting=meeting, upload=small_pdf(), agenda_item=new_item
    )

    version = approve(world, meeting)

    document.refresh_from_db()
    assert document.agenda_item_id == new_item.pk
    assert AgendaItem.objects.filter(pk=new_item.pk).exists()  # no longer a draft
    assert [d["agenda_item_id"] for d in version.content["documents"]] == [new_item.pk]


def test_documents_stay_in_their_programme(world, other_world, meeting, leader):
    services.document_add(actor=leader, meeting=meeting, upload=small_pdf())

    with scope(tenant=other_world.tenant):
        assert not MeetingDocument.objects.exists()
