"""Secrecy (sekretess, issue 16 item 6): a meeting document or an agenda item
marked secret, with the provision of the secrecy act (OSL).

- Only the members of the meeting's body and the process leaders read it in
  full (`governance.read_secret`): its page, its files, its text on the
  meeting page. Anyone else sees "Sekretessbelagd handling" with the
  provision, and its files are 403.
- Each full read is logged (`meeting_document.secret.read`,
  `agenda_item.secret.read`), with who and how.
- The notice, the minutes PDF, the meeting pack, the public site and the
  research exports show the placeholder, whoever asked; the pack leaves the
  secret file out.
- Marking and unmarking are audited; secret without a provision is refused
  with a clear error and nothing changes; the optimistic lock still holds.
"""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from governance.models import AgendaItem, MeetingDocument
from governance.services import meeting_documents as documents
from governance.services import meetings, minutes, notices
from portal.documents import requests as document_requests
from portal.documents.registry import get_kind
from portal.models import AuditEvent, GeneratedFileStatus, Role
from public.models import PublicSite
from tests.document_helpers import eager_documents, file_bytes
from tests.governance.meeting_document_helpers import pdf_upload
from tests.governance.service_helpers import approve, person_with_login, plan
from tests.helpers import form_errors, snapshot, text, url_in
from tests.research.helpers import build, table

pytestmark = pytest.mark.django_db

url = url_in("governance")

PLACEHOLDER = "Sekretessbelagd handling"
SECRET_TITLE = "Orosanmälan om en elev i Vallby"
SECRET_MINUTES = "Handläggarens bedömning av familjens situation."
SECRET_DOCUMENT = "Utredning om eleven"
SECRET_PAGE_TEXT = "Utredningens hemliga sida"
OPEN_PAGE_TEXT = "Processplanens forsta sida"
ITEM_OSL = "OSL 26 kap. 1 §"
DOCUMENT_OSL = "OSL 23 kap. 1 §"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    return eager_documents(settings, tmp_path)


def reads(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def make_scene(world, gov, *, day=(2025, 3, 25)):
    """A meeting with an open and a secret agenda item, an open document and
    a secret one (to the whole meeting), the documents shared."""
    leader = world.users["leader"]
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, day=day, title="Styrgruppsmöte")
        open_item = meetings.agenda_item_add(actor=leader, meeting=meeting, title="Ekonomi")
        secret_item = meetings.agenda_item_add(actor=leader, meeting=meeting, title=SECRET_TITLE)
        secret_item = meetings.agenda_item_update(
            actor=leader,
            item=secret_item,
            expected_version=secret_item.version,
            minutes=SECRET_MINUTES,
            secret=True,
            secrecy_reference=ITEM_OSL,
        )
        open_document = documents.document_add(
            actor=leader,
            meeting=meeting,
            upload=pdf_upload("Processplan 2026.pdf", OPEN_PAGE_TEXT),
            title="Processplan 2026",
        )
        secret_document = documents.document_add(
            actor=leader,
            meeting=meeting,
            upload=pdf_upload("utredning.pdf", SECRET_PAGE_TEXT),
            title=SECRET_DOCUMENT,
            secret=True,
            secrecy_reference=DOCUMENT_OSL,
        )
        documents.documents_share(actor=leader, meeting=meeting)
    return meeting, open_item, secret_item, open_document, secret_document


@pytest.fixture
def scene(world, gov):
    return make_scene(world, gov)


@pytest.fixture
def outsider_member(world):
    """A steering-group member of the programme who sits on no body."""
    with scope(tenant=world.tenant):
        _person, membership = person_with_login(world, "Annan Ledamot", Role.STEERING_MEMBER)
    return membership.user


# Marking -------------------------------------------------------------------------------


def test_a_secret_document_without_its_provision_is_refused_and_nothing_is_written(
    world, gov, scene
):
    meeting = scene[0]
    before = snapshot(MeetingDocument)

    with scope(tenant=world.tenant), pytest.raises(ValidationError) as error:
        documents.document_add(
            actor=world.users["leader"],
            meeting=meeting,
            upload=pdf_upload("x.pdf", "x"),
            secret=True,
            secrecy_reference="  ",
        )

    assert "secrecy_reference" in error.value.message_dict
    assert snapshot(MeetingDocument) == before


def test_marking_a_document_secret_in_its_form_is_audited(world, scene, client_for):
    open_document = scene[3]
    leader = client_for(world.users["leader"])

    response = leader.post(
        url("document_edit", world.tenant, open_document.pk),
        {
            "title": "Processplan 2026",
            "agenda_item": "",
            "secret": "on",
            "secrecy_reference": "OSL 21 kap. 1 §",
            "version": open_document.version,
        },
    )

    assert response.status_code == 302
    with scope(tenant=world.tenant):
        open_document.refresh_from_db()
        assert open_document.secret and open_document.secrecy_reference == "OSL 21 kap. 1 §"
        event = AuditEvent.objects.filter(
            action="meeting_document.update", object_id=str(open_document.pk)
        ).get()
    assert event.before["secret"] is False
    assert event.after["secret"] is True
    assert event.after["secrecy_reference"] == "OSL 21 kap. 1 §"
    assert event.actor == world.users["leader"]


def test_unmarking_clears_the_provision_and_is_audited(world, scene, client_for):
    secret_document = scene[4]
    leader = client_for(world.users["leader"])

    leader.post(
        url("document_edit", world.tenant, secret_document.pk),
        {"title": SECRET_DOCUMENT, "agenda_item": "", "version": secret_document.version},
    )

    with scope(tenant=world.tenant):
        secret_document.refresh_from_db()
        event = AuditEvent.objects.filter(
            action="meeting_document.update", object_id=str(secret_document.pk)
        ).get()
    assert not secret_document.secret and secret_document.secrecy_reference == ""
    assert event.before["secret"] is True and event.after["secret"] is False


def test_a_secret_document_without_a_provision_gets_a_clear_error_and_nothing_changes(
    world, scene, client_for
):
    open_document = scene[3]
    leader = client_for(world.users["leader"])
    before = snapshot(MeetingDocument)

    response = leader.post(
        url("document_edit", world.tenant, open_document.pk),
        {
            "title": "Processplan 2026",
            "agenda_item": "",
            "secret": "on",
            "secrecy_reference": "",
            "version": open_document.version,
        },
    )

    assert response.status_code == 200
    assert form_errors(response)["secrecy_reference"]
    assert snapshot(MeetingDocument) == before


def test_a_stale_form_marking_a_document_secret_is_refused(world, scene, client_for):
    open_document = scene[3]
    leader = client_for(world.users["leader"])
    stale = open_document.version
    with scope(tenant=world.tenant):
        documents.document_update(
            actor=world.users["leader"],
            document=open_document,
            title="Processplan 2026 (rev.)",
            agenda_item=None,
            show_in_minutes=False,
            expected_version=stale,
        )
    before = snapshot(MeetingDocument)

    response = leader.post(
        url("document_edit", world.tenant, open_document.pk),
        {
            "title": "Processplan 2026",
            "agenda_item": "",
            "secret": "on",
            "secrecy_reference": "OSL 21 kap. 1 §",
            "version": stale,
        },
    )

    assert response.status_code == 200
    assert form_errors(response)
    assert snapshot(MeetingDocument) == before
    with scope(tenant=world.tenant):
        open_document.refresh_from_db()
    assert not open_document.secret


def test_the_process_leader_marks_an_agenda_item_secret_and_it_is_audited(world, scene, client_for):
    open_item = scene[1]
    leader = client_for(world.users["leader"])

    response = leader.post(
        url("agenda_item_edit", world.tenant, open_item.pk),
        {
            "title": "Ekonomi",
            "kind": "information",
            "minutes": "",
            "secret": "on",
            "secrecy_reference": "OSL 19 kap. 1 §",
            "version": open_item.version,
        },
    )

    assert response.status_code == 302
    with scope(tenant=world.tenant):
        item = AgendaItem.objects.get(pk=open_item.pk)
        event = AuditEvent.objects.filter(
            action="agenda_item.update", object_id=str(item.pk)
        ).latest("id")
    assert item.secret and item.secrecy_reference == "OSL 19 kap. 1 §"
    assert event.before["secret"] is False and event.after["secret"] is True


def test_an_agenda_item_marked_secret_without_a_provision_is_refused(world, scene, client_for):
    open_item = scene[1]
    leader = client_for(world.users["leader"])
    before = snapshot(AgendaItem)

    response = leader.post(
        url("agenda_item_edit", world.tenant, open_item.pk),
        {
            "title": "Ekonomi",
            "kind": "information",
            "minutes": "",
            "secret": "on",
            "secrecy_reference": "",
            "version": open_item.version,
        },
    )

    assert response.status_code == 200
    assert form_errors(response)["secrecy_reference"]
    assert snapshot(AgendaItem) == before


# Who reads it --------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["leader", "steering"])
def test_the_body_members_and_process_leaders_read_a_secret_document_and_each_read_is_logged(
    world, scene, client_for, reader
):
    secret_document = scene[4]
    client = client_for(world.users[reader])

    page = client.get(url("document_detail", world.tenant, secret_document.pk))
    download = client.get(url("document_download", world.tenant, secret_document.pk))
    version = client.get(url("document_version", world.tenant, secret_document.pk, 1))

    assert page.status_code == 200
    assert SECRET_DOCUMENT in text(page)
    assert DOCUMENT_OSL in text(page)
    assert download.status_code == 200 and version.status_code == 200
    logged = reads("meeting_document.secret.read")
    assert [(e.after["how"], e.actor) for e in logged] == [
        ("page", world.users[reader]),
        ("download", world.users[reader]),
        ("download", world.users[reader]),
    ]
    assert all(e.object_id == str(secret_document.pk) for e in logged)
    assert all(e.created_at is not None for e in logged)


@pytest.mark.parametrize("reader", ["researcher", "admin", "outsider_member"])
def test_anyone_else_sees_the_placeholder_and_gets_403_for_the_file(
    world, scene, client_for, outsider_member, reader
):
    secret_document = scene[4]
    user = outsider_member if reader == "outsider_member" else world.users[reader]
    client = client_for(user)
    before = snapshot(MeetingDocument)

    page = client.get(url("document_detail", world.tenant, secret_document.pk))
    download = client.get(url("document_download", world.tenant, secret_document.pk))
    version = client.get(url("document_version", world.tenant, secret_document.pk, 1))

    assert page.status_code == 200
    assert PLACEHOLDER in text(page) and DOCUMENT_OSL in text(page)
    assert SECRET_DOCUMENT not in text(page) and "utredning.pdf" not in text(page)
    assert download.status_code == 403 and version.status_code == 403
    assert reads("meeting_document.secret.read") == []
    assert snapshot(MeetingDocument) == before


def test_an_open_document_is_read_as_before_and_not_logged(world, scene, client_for):
    open_document = scene[3]
    client = client_for(world.users["researcher"])

    assert client.get(url("document_download", world.tenant, open_document.pk)).status_code == 200
    assert reads("meeting_document.secret.read") == []


def test_a_secret_document_of_another_programme_is_404(world, scene, other_world, client_for):
    secret_document = scene[4]
    stranger = client_for(other_world.users["leader"])

    for name in ("document_detail", "document_download"):
        response = stranger.get(url(name, other_world.tenant, secret_document.pk))
        assert response.status_code == 404


def test_a_member_who_left_the_body_no_longer_reads_it(world, gov, scene, client_for):
    secret_document = scene[4]
    with scopes_disabled():
        gov.body.members.filter(person=gov.chair).update(end_date="2025-01-01")
    client = client_for(world.users["steering"])

    assert client.get(url("document_download", world.tenant, secret_document.pk)).status_code == 403


def test_the_meeting_page_shows_the_placeholder_to_readers_outside_the_body(
    world, scene, client_for
):
    meeting = scene[0]
    with scope(tenant=world.tenant):
        approve(world, meeting)

    page = text(
        client_for(world.users["researcher"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )

    assert PLACEHOLDER in page and ITEM_OSL in page and DOCUMENT_OSL in page
    assert SECRET_TITLE not in page and SECRET_MINUTES not in page
    assert SECRET_DOCUMENT not in page and "utredning.pdf" not in page
    assert "Ekonomi" in page and "Processplan 2026" in page
    assert reads("agenda_item.secret.read") == []


def test_a_body_member_reads_it_on_the_meeting_page_and_the_read_is_logged(
    world, scene, client_for
):
    meeting, _open_item, secret_item, _open_document, secret_document = scene
    with scope(tenant=world.tenant):
        approve(world, meeting)

    page = text(
        client_for(world.users["steering"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )

    assert SECRET_TITLE in page and SECRET_MINUTES in page and SECRET_DOCUMENT in page
    (item_read,) = reads("agenda_item.secret.read")
    assert item_read.object_id == str(secret_item.pk)
    assert item_read.actor == world.users["steering"]
    assert item_read.after["how"] == "meeting_page"
    assert [e.object_id for e in reads("meeting_document.secret.read")] == [str(secret_document.pk)]


def test_an_approved_version_shows_the_placeholder_outside_the_body(world, scene, client_for):
    meeting = scene[0]
    with scope(tenant=world.tenant):
        version = approve(world, meeting)

    outside = client_for(world.users["researcher"]).get(
        url("meeting_version", world.tenant, meeting.pk, version.number)
    )
    inside = client_for(world.users["steering"]).get(
        url("meeting_version", world.tenant, meeting.pk, version.number)
    )

    assert PLACEHOLDER in text(outside) and SECRET_MINUTES not in text(outside)
    assert SECRET_TITLE not in text(outside) and SECRET_DOCUMENT not in text(outside)
    assert SECRET_MINUTES in text(inside)
    assert [e.actor for e in reads("agenda_item.secret.read")] == [world.users["steering"]]


def test_the_search_does_not_find_a_secret_items_text(world, scene, client_for):
    meeting = scene[0]
    with scope(tenant=world.tenant):
        approve(world, meeting)

    for key in ("researcher", "leader"):
        response = client_for(world.users[key]).get(
            url("search", world.tenant, query="?q=familjens+situation")
        )
        assert SECRET_MINUTES not in text(response)
        assert response.context["results"].total == 0
    # The open item's text is still found.
    found = client_for(world.users["researcher"]).get(
        url("search", world.tenant, query="?q=Ekonomi")
    )
    assert found.context["results"].total == 1


# What leaves the portal ---------------------------------------------------------------


def test_the_notice_names_secret_items_and_documents_only_as_the_placeholder(
    world, gov, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PORTAL_BASE_URL = "https://portal.example.se"
    meeting, _oi, _si, open_document, secret_document = make_scene(world, gov, day=(2030, 5, 14))

    with scope(tenant=world.tenant), django_capture_on_commit_callbacks(execute=True):
        notices.notice_send(actor=world.users["leader"], meeting=meeting)

    assert mail.outbox
    body = mail.outbox[0].body
    assert PLACEHOLDER in body and ITEM_OSL in body and DOCUMENT_OSL in body
    assert SECRET_TITLE not in body and SECRET_DOCUMENT not in body
    assert "Ekonomi" in body and "Processplan 2026" in body
    assert f"/documents/{open_document.pk}/download/" in body
    assert f"/documents/{secret_document.pk}/" not in body


def test_the_reply_page_of_the_notice_shows_the_placeholder(world, gov):
    meeting = make_scene(world, gov, day=(2030, 5, 14))[0]
    with scope(tenant=world.tenant):
        token = notices.reply_token(meeting, gov.member)

    page = Client().get(reverse("governance:reply_link", args=[world.tenant.slug, token]))

    assert page.status_code == 200
    assert PLACEHOLDER in text(page) and SECRET_TITLE not in text(page)


def render_pdf(world, user_key, kind_key, obj, capture) -> bytes:
    with scope(tenant=world.tenant):
        kind = get_kind(kind_key)
        with capture(execute=True):
            job = document_requests.request_document(
                actor=world.users[user_key],
                membership=world.memberships[user_key],
                tenant=world.tenant,
                kind=kind,
                obj=kind.load(world.tenant, obj.pk),
            )
        job.refresh_from_db()
    assert job.status == GeneratedFileStatus.DONE, job.error_message
    return file_bytes(job)


def pdf_words(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("reader", ["leader", "steering"])
def test_the_minutes_pdf_shows_the_placeholder_even_to_readers_of_the_secret(
    world, scene, django_capture_on_commit_callbacks, reader
):
    meeting = scene[0]
    with scope(tenant=world.tenant):
        approve(world, meeting)

    words = pdf_words(
        render_pdf(world, reader, "minutes", meeting, django_capture_on_commit_callbacks)
    )

    assert PLACEHOLDER in words and ITEM_OSL in words and DOCUMENT_OSL in words
    assert SECRET_TITLE not in words and SECRET_MINUTES not in words
    assert SECRET_DOCUMENT not in words and "utredning.pdf" not in words
    assert "Ekonomi" in words and "Processplan 2026" in words


def test_the_meeting_pack_leaves_the_secret_file_out(
    world, scene, django_capture_on_commit_callbacks
):
    meeting = scene[0]

    words = pdf_words(
        render_pdf(world, "steering", "meeting_pack", meeting, django_capture_on_commit_callbacks)
    )

    assert OPEN_PAGE_TEXT in words
    assert SECRET_PAGE_TEXT not in words
    assert PLACEHOLDER in words and DOCUMENT_OSL in words and ITEM_OSL in words
    assert SECRET_DOCUMENT not in words and SECRET_TITLE not in words


def test_the_public_site_shows_the_placeholder(world, scene):
    meeting = scene[0]
    with scope(tenant=world.tenant):
        approve(world, meeting)
    with scopes_disabled():
        PublicSite.objects.create(tenant=world.tenant, enabled=True, show_decisions=True)

    response = Client().get(reverse("public:minutes", args=[world.tenant.slug, meeting.pk]))

    assert response.status_code == 200
    assert PLACEHOLDER in text(response) and ITEM_OSL in text(response)
    assert SECRET_TITLE not in text(response) and SECRET_MINUTES not in text(response)
    assert "Ekonomi" in text(response)


def test_the_research_export_holds_the_placeholder_and_never_the_text(world, scene):
    meeting, open_item, secret_item, _od, _sd = scene
    with scope(tenant=world.tenant):
        approve(world, meeting)

    _export, archive = build(world, datasets=["agenda_items"], free_text=True)

    rows = {int(r["agenda_item_id"]): r for r in table(archive, "agenda_items.csv")}
    assert rows[secret_item.pk]["title"] == PLACEHOLDER
    assert rows[secret_item.pk]["minutes"] == ""
    assert rows[secret_item.pk]["secrecy_reference"] == ITEM_OSL
    assert rows[open_item.pk]["title"] == "Ekonomi"
    everything = "\n".join(archive.read(n).decode() for n in archive.namelist())
    assert SECRET_TITLE not in everything and SECRET_MINUTES not in everything


def test_a_signatory_on_the_body_reads_the_secret_when_signing_and_it_is_logged(
    world, scene, client_for
):
    meeting = scene[0]
    with scope(tenant=world.tenant):
        minutes.minutes_finish(actor=world.users["leader"], meeting=meeting)

    page = client_for(world.users["steering"]).get(url("minutes_approve", world.tenant, meeting.pk))

    assert page.status_code == 200
    assert SECRET_MINUTES in text(page)  # the chair sits on the body
    assert reads("agenda_item.secret.read")


def test_the_calendar_file_names_a_secret_item_only_as_the_placeholder(world, scene, client_for):
    meeting = scene[0]

    for key in ("researcher", "steering"):
        response = client_for(world.users[key]).get(url("meeting_ics", world.tenant, meeting.pk))
        body = response.content.decode().replace("\r\n ", "")  # unfolded
        assert response.status_code == 200
        assert PLACEHOLDER in body and "Ekonomi" in body
        assert "Orosanmälan" not in body


def test_a_risk_raised_under_a_secret_item_names_it_only_as_the_placeholder(
    world, scene, client_for
):
    from tests.governance.factories import RiskFactory

    secret_item = scene[2]
    risk = RiskFactory(tenant=world.tenant, raised_at=secret_item)
    client = client_for(world.users["researcher"])

    for page in (
        client.get(url("risk_list", world.tenant)),
        client.get(url("risk_detail", world.tenant, risk.pk)),
    ):
        assert page.status_code == 200
        assert PLACEHOLDER in text(page) and SECRET_TITLE not in text(page)
