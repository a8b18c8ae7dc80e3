"""Meeting documents (handlingar) in the browser: adding one to the meeting
or an agenda item, the meeting page listing them (under the meeting and
under each item, an image shown in the minutes), sharing them, a document's
page with its versions, replacing, changing and archiving it, and the
permission-checked downloads.

Every view: the right role works; another programme gets 404; too little
role gets 403 and nothing is written; a bad upload (wrong type, a fake
signature, too big) gets a clear error on the form and nothing is written;
a reader who may not have a document gets 403 or 404, never the file.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled

from governance.models import MeetingDocument, MeetingDocumentFile
from governance.services import meeting_documents as services
from governance.services import meetings
from portal.models import AuditEvent
from tests.governance.meeting_document_helpers import (
    SMALL_PDF,
    png_bytes,
    png_upload,
    small_pdf,
    upload,
)
from tests.governance.service_helpers import approve, plan
from tests.helpers import form_errors, text, url_in

pytestmark = pytest.mark.django_db

NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]
READERS = ["steering", "researcher", "admin"]  # may open any meeting of the programme


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


url = url_in("governance")


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


@pytest.fixture
def meeting(world, gov):
    with scope(tenant=world.tenant):
        return plan(world, gov, title="Styrgruppsmöte")


@pytest.fixture
def item(world, meeting):
    with scope(tenant=world.tenant):
        return meetings.agenda_item_add(
            actor=world.users["leader"], meeting=meeting, title="Processplan"
        )


def add(world, meeting, up=None, **kwargs) -> MeetingDocument:
    with scope(tenant=world.tenant):
        return services.document_add(
            actor=world.users["leader"], meeting=meeting, upload=up or small_pdf(), **kwargs
        )


def share(world, meeting) -> None:
    with scope(tenant=world.tenant):
        services.documents_share(actor=world.users["leader"], meeting=meeting)


@pytest.fixture
def foreign(other_world, other_gov) -> MeetingDocument:
    with scope(tenant=other_world.tenant):
        meeting = plan(other_world, other_gov, title="Annat program")
        document = services.document_add(
            actor=other_world.users["leader"], meeting=meeting, upload=small_pdf("Annat.pdf")
        )
        services.documents_share(actor=other_world.users["leader"], meeting=meeting)
    return document


def state() -> tuple[int, int, int]:
    with scopes_disabled():
        return (
            MeetingDocument.objects.count(),
            MeetingDocumentFile.objects.count(),
            AuditEvent.objects.count(),
        )


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


# Adding ----------------------------------------------------------------------------


def test_the_process_leader_adds_a_document_to_the_meeting(world, meeting, leader):
    response = leader.post(
        url("document_add", world.tenant, meeting.pk),
        {"file": small_pdf("Processplan 2026.pdf"), "title": "", "agenda_item": ""},
    )

    with scope(tenant=world.tenant):
        document = MeetingDocument.objects.get()
        assert document.title == "Processplan 2026"
        assert document.current_file.original_name == "Processplan 2026.pdf"
    assert response.status_code == 302
    assert response["Location"].endswith(f"#document-{document.pk}")


def test_adding_from_an_item_files_the_document_under_it(world, meeting, item, leader):
    page = leader.get(url("document_add", world.tenant, meeting.pk, query=f"?item={item.pk}"))
    assert page.context["form"].initial["agenda_item"] == item.pk

    leader.post(
        url("document_add", world.tenant, meeting.pk),
        {"file": small_pdf(), "title": "Underlag", "agenda_item": item.pk},
    )

    with scope(tenant=world.tenant):
        assert MeetingDocument.objects.get().agenda_item == item


BAD_UPLOADS = {
    "wrong type": (
        "program.exe",
        b"MZ\x90\x00",
        _("Attach a PDF, Word, Excel, PowerPoint, OpenDocument text, PNG or JPEG file."),
    ),
    "fake signature": (
        "handling.pdf",
        b"MZ\x90\x00 not a PDF",
        _("The file's content does not match its type (.%(ext)s).") % {"ext": "pdf"},
    ),
    "too big": (
        "stor.pdf",
        SMALL_PDF + b"0" * 4000,
        _("The file is too large: at most %(mb)s MB.") % {"mb": 0.0},
    ),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_bad_upload_gets_a_clear_error_and_nothing_is_written(
    world, meeting, leader, settings, case
):
    settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES = 2048
    name, data, message = BAD_UPLOADS[case]
    before = state()

    response = leader.post(
        url("document_add", world.tenant, meeting.pk), {"file": upload(name, data), "title": "X"}
    )

    assert response.status_code == 200
    assert form_errors(response)["file"] == [str(message)]
    assert 'class="errorlist' in text(response)
    assert state() == before


def test_a_missing_file_is_a_field_error(world, meeting, leader):
    before = state()

    response = leader.post(url("document_add", world.tenant, meeting.pk), {"title": "Utan fil"})

    assert "file" in form_errors(response)
    assert state() == before


def test_an_item_of_another_programme_cannot_be_chosen(
    world, meeting, leader, other_world, other_gov
):
    with scope(tenant=other_world.tenant):
        other = plan(other_world, other_gov)
        foreign_item = meetings.agenda_item_add(
            actor=other_world.users["leader"], meeting=other, title="Främmande punkt"
        )
    before = state()

    page = leader.get(
        url("document_add", world.tenant, meeting.pk, query=f"?item={foreign_item.pk}")
    )
    response = leader.post(
        url("document_add", world.tenant, meeting.pk),
        {"file": small_pdf(), "agenda_item": foreign_item.pk},
    )

    assert "Främmande punkt" not in text(page)
    assert "agenda_item" in form_errors(response)
    assert state() == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_add_documents(world, meeting, client_for, role):
    client = client_for(world.users[role])
    before = state()

    assert client.get(url("document_add", world.tenant, meeting.pk)).status_code == 403
    response = client.post(url("document_add", world.tenant, meeting.pk), {"file": small_pdf()})

    assert response.status_code == 403
    assert state() == before


def test_adding_to_another_programmes_meeting_is_404(world, leader, foreign, other_world):
    before = state()

    response = leader.post(
        url("document_add", world.tenant, foreign.meeting_id), {"file": small_pdf()}
    )
    stranger = leader.get(url("document_add", other_world.tenant, foreign.meeting_id))

    assert response.status_code == 404
    assert stranger.status_code == 404  # not a member of that programme
    assert state() == before


def test_approved_minutes_refuse_a_new_document(world, meeting, leader):
    with scope(tenant=world.tenant):
        approve(world, meeting)
    before = state()

    page = leader.get(url("document_add", world.tenant, meeting.pk))
    response = leader.post(url("document_add", world.tenant, meeting.pk), {"file": small_pdf()})

    assert page.context["form"].non_field_errors()
    assert response.context["form"].errors
    assert state() == before


# The meeting page ------------------------------------------------------------------


def test_the_meeting_page_lists_documents_under_the_meeting_and_its_items(
    world, meeting, item, leader
):
    whole = add(world, meeting, small_pdf("Kallelse.pdf"), title="Processplan 2026")
    under = add(world, meeting, small_pdf("Budget.pdf"), title="Budgetunderlag", agenda_item=item)

    page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))

    documents_section = page[page.index('id="documents"') : page.index('id="attendance"')]
    item_section = page[page.index(f'id="agenda-item-{item.pk}"') :]
    assert "Processplan 2026" in documents_section
    assert "Budgetunderlag" not in documents_section
    assert "Budgetunderlag" in item_section
    assert url("document_download", world.tenant, whole.pk) in documents_section
    assert url("document_download", world.tenant, under.pk) in item_section
    assert url("documents_share", world.tenant, meeting.pk) in documents_section


def test_an_image_marked_for_the_minutes_is_shown_under_its_item(world, meeting, item, leader):
    image = add(
        world, meeting, png_upload(), title="Välbefinnandehjulet", agenda_item=item,
        show_in_minutes=True,
    )  # fmt: skip

    page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))

    src = url("document_download", world.tenant, image.pk)
    assert f'<img src="{src}" alt="Välbefinnandehjulet">' in page


def _page_queries(world, meeting, leader, count: int) -> int:
    with scope(tenant=world.tenant):
        items = [
            meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title=f"P{n}")
            for n in range(count)
        ]
    for n, item in enumerate(items):
        add(world, meeting, small_pdf(f"m{n}.pdf"))
        add(world, meeting, png_upload(), agenda_item=item, show_in_minutes=True)
    with CaptureQueriesContext(connection) as queries:
        response = leader.get(url("meeting_detail", world.tenant, meeting.pk))
    assert text(response).count('class="document-figure"') == count
    return len(queries)


def test_the_meeting_page_costs_the_same_for_few_and_many_documents(world, gov, leader):
    with scope(tenant=world.tenant):
        small = plan(world, gov, day=(2025, 3, 25))
        large = plan(world, gov, day=(2025, 4, 22))

    assert _page_queries(world, small, leader, 1) == _page_queries(world, large, leader, 6)


@pytest.mark.parametrize("role", READERS)
def test_members_see_a_document_only_once_it_is_shared(world, meeting, item, client_for, role):
    add(world, meeting, title="Hemligt utkast", agenda_item=item)
    client = client_for(world.users[role])
    detail = url("meeting_detail", world.tenant, meeting.pk)

    before_sharing = text(client.get(detail))
    share(world, meeting)
    after_sharing = text(client.get(detail))

    assert "Hemligt utkast" not in before_sharing
    assert "Hemligt utkast" in after_sharing
    assert url("documents_share", world.tenant, meeting.pk) not in after_sharing


# Sharing --------------------------------------------------------------------------


def test_the_process_leader_shares_the_documents(world, meeting, leader):
    document = add(world, meeting)

    response = leader.post(url("documents_share", world.tenant, meeting.pk))

    assert response.status_code == 302
    assert response["Location"].endswith("#documents")
    with scope(tenant=world.tenant):
        document.refresh_from_db()
    assert document.is_shared


def test_sharing_is_a_post(world, meeting, leader):
    assert leader.get(url("documents_share", world.tenant, meeting.pk)).status_code == 405


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_share(world, meeting, client_for, role):
    add(world, meeting)
    before = state()

    response = client_for(world.users[role]).post(url("documents_share", world.tenant, meeting.pk))

    assert response.status_code == 403
    assert state() == before


# Downloads ---------------------------------------------------------------------------


def test_a_shared_document_is_downloaded_by_the_members(world, meeting, client_for):
    document = add(world, meeting, small_pdf("Processplan.pdf"))
    share(world, meeting)

    response = client_for(world.users["steering"]).get(
        url("document_download", world.tenant, document.pk)
    )

    assert response.status_code == 200
    assert body_of(response) == SMALL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Processplan.pdf" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_an_unshared_document_does_not_exist_for_readers(world, meeting, client_for, role):
    document = add(world, meeting)
    client = client_for(world.users[role])

    for name in ("document_download", "document_detail"):
        assert client.get(url(name, world.tenant, document.pk)).status_code == 404
    version = url("document_version", world.tenant, document.pk, 1)
    assert client.get(version).status_code == 404


def test_a_reporter_reads_documents_of_approved_minutes_only(world, meeting, client_for):
    document = add(world, meeting)
    share(world, meeting)
    reporter = client_for(world.users["reporter"])
    download = url("document_download", world.tenant, document.pk)

    before_approval = reporter.get(download)
    with scope(tenant=world.tenant):
        approve(world, meeting)
    after_approval = reporter.get(download)

    assert before_approval.status_code == 403
    assert after_approval.status_code == 200


def test_another_programmes_document_is_404_on_every_route(world, leader, foreign, other_world):
    before = state()
    for name in ("document_detail", "document_download", "document_edit", "document_archive"):
        assert leader.get(url(name, world.tenant, foreign.pk)).status_code == 404, name
    assert leader.get(url("document_version", world.tenant, foreign.pk, 1)).status_code == 404
    replace = url("document_version_add", world.tenant, foreign.pk)
    assert leader.post(replace, {"file": small_pdf()}).status_code == 404
    assert leader.post(url("document_archive", world.tenant, foreign.pk)).status_code == 404
    assert state() == before


def test_a_logged_out_visitor_gets_no_file(world, meeting, client):
    document = add(world, meeting)
    share(world, meeting)

    response = client.get(url("document_download", world.tenant, document.pk))

    assert response.status_code == 302  # to the login
    assert not getattr(response, "streaming", False)


def test_an_image_is_served_inline_for_the_page(world, meeting, item, leader):
    image = add(world, meeting, png_upload(), agenda_item=item, show_in_minutes=True)

    response = leader.get(url("document_download", world.tenant, image.pk))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert body_of(response) == png_bytes()


# A document's page and its versions ----------------------------------------------


def test_replacing_keeps_the_earlier_version_downloadable(world, meeting, client_for, leader):
    document = add(world, meeting, small_pdf("v1.pdf"))
    share(world, meeting)

    response = leader.post(
        url("document_version_add", world.tenant, document.pk),
        {"file": upload("v2.pdf", SMALL_PDF + b"% andra\n")},
    )

    assert response.status_code == 302
    steering = client_for(world.users["steering"])
    page = text(steering.get(url("document_detail", world.tenant, document.pk)))
    assert "v1.pdf" in page and "v2.pdf" in page
    current = steering.get(url("document_download", world.tenant, document.pk))
    earlier = steering.get(url("document_version", world.tenant, document.pk, 1))
    assert body_of(current) == SMALL_PDF + b"% andra\n"
    assert body_of(earlier) == SMALL_PDF
    assert steering.get(url("document_version", world.tenant, document.pk, 3)).status_code == 404


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_bad_replacement_gets_a_clear_error_and_nothing_is_written(
    world, meeting, leader, settings, case
):
    settings.IMPLEMENTATION_ATTACHMENT_MAX_BYTES = 2048
    document = add(world, meeting)
    name, data, message = BAD_UPLOADS[case]
    before = state()

    response = leader.post(
        url("document_version_add", world.tenant, document.pk), {"file": upload(name, data)}
    )

    assert response.status_code == 200
    assert form_errors(response)["file"] == [str(message)]
    assert state() == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_replace_edit_and_archive(world, meeting, client_for, role):
    document = add(world, meeting)
    share(world, meeting)
    client = client_for(world.users[role])
    before = state()

    for name, data in (
        ("document_version_add", {"file": small_pdf()}),
        ("document_edit", {"title": "Nytt namn", "version": document.version}),
        ("document_archive", {}),
    ):
        assert client.get(url(name, world.tenant, document.pk)).status_code == 403, name
        assert client.post(url(name, world.tenant, document.pk), data).status_code == 403, name
    assert state() == before


def test_the_process_leader_edits_a_document(world, meeting, item, leader):
    document = add(world, meeting)

    response = leader.post(
        url("document_edit", world.tenant, document.pk),
        {"title": "Processplan, reviderad", "agenda_item": item.pk, "version": document.version},
    )

    assert response.status_code == 302
    with scope(tenant=world.tenant):
        document.refresh_from_db()
    assert (document.title, document.agenda_item_id) == ("Processplan, reviderad", item.pk)


def test_an_edit_from_an_older_form_is_refused_and_kept(world, meeting, leader):
    document = add(world, meeting, title="Original")
    opened_at = document.version
    leader.post(
        url("document_edit", world.tenant, document.pk),
        {"title": "Först sparad", "version": opened_at},
    )
    before = state()

    response = leader.post(
        url("document_edit", world.tenant, document.pk),
        {"title": "Sent sparad", "version": opened_at},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Sent sparad" in text(response)
    assert state() == before
    with scope(tenant=world.tenant):
        document.refresh_from_db()
    assert document.title == "Först sparad"


def test_an_empty_title_is_a_field_error(world, meeting, leader):
    document = add(world, meeting)
    before = state()

    response = leader.post(
        url("document_edit", world.tenant, document.pk), {"title": "", "version": document.version}
    )

    assert "title" in form_errors(response)
    assert state() == before


def test_only_an_image_offers_to_be_shown_in_the_minutes(world, meeting, item, leader):
    pdf = add(world, meeting)
    image = add(world, meeting, png_upload(), agenda_item=item)

    pdf_form = leader.get(url("document_edit", world.tenant, pdf.pk)).context["form"]
    image_form = leader.get(url("document_edit", world.tenant, image.pk)).context["form"]

    assert "show_in_minutes" not in pdf_form.fields
    assert "show_in_minutes" in image_form.fields


def test_archiving_takes_the_document_off_the_meeting(world, meeting, leader):
    document = add(world, meeting, title="Inaktuell handling")

    confirm = leader.get(url("document_archive", world.tenant, document.pk))
    response = leader.post(url("document_archive", world.tenant, document.pk))

    assert confirm.status_code == 200
    assert response.status_code == 302
    page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "Inaktuell handling" not in page[page.index('id="documents"') :]
    assert leader.get(url("document_detail", world.tenant, document.pk)).status_code == 404
    with scope(tenant=world.tenant):
        assert MeetingDocumentFile.objects.filter(document=document).exists()  # kept


def test_approved_minutes_lock_their_documents_pages(world, meeting, leader):
    document = add(world, meeting)
    with scope(tenant=world.tenant):
        approve(world, meeting)
    before = state()

    detail = text(leader.get(url("document_detail", world.tenant, document.pk)))
    edit = leader.post(
        url("document_edit", world.tenant, document.pk),
        {"title": "Ändrad", "version": document.version},
    )
    archive = leader.post(url("document_archive", world.tenant, document.pk))

    assert url("document_version_add", world.tenant, document.pk) not in detail
    assert edit.context["form"].errors
    assert archive.context["form"].errors
    assert state() == before
