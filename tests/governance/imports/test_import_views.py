"""Importing old minutes in the browser (issue 14, items 2 and 4): the upload
page, each file read by a background job (the document jobs: status,
retry), the review of a proposal beside its source lines, confirming it in
one audited transaction, and undoing it.

Every view: a process leader may; another programme's import is a 404;
every other role gets 403 and nothing is written; a bad upload or a bad
review gets a clear error and writes nothing to the programme."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from governance.models import (
    ActionItem,
    Attendance,
    Decision,
    ImportedFile,
    ImportState,
    Meeting,
    MeetingDocument,
    MinutesImport,
    MinutesStatus,
)
from portal.models import AuditEvent, GeneratedFile, Person
from tests.document_helpers import eager_documents
from tests.factories import PersonFactory
from tests.governance.imports.expected import KRONOBERG_ITEMS
from tests.governance.imports.test_read_minutes import as_docx, seed
from tests.helpers import row_counts, text, url_in

pytestmark = pytest.mark.django_db

url = url_in("governance")
NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    return eager_documents(settings, tmp_path)


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


def upload(client, tenant, name: str, content: bytes, **data):
    return client.post(
        url("import_list", tenant), {"file": SimpleUploadedFile(name, content), **data}
    )


def only_file(tenant) -> ImportedFile:
    with scopes_disabled():
        return ImportedFile.objects.get(tenant=tenant)


def review_data(client, tenant, imported) -> dict[str, str]:
    """The review form as the page fills it in."""
    response = client.get(url("import_file", tenant, imported.pk))
    form = response.context["form"]
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool) or field.__class__.__name__ == "BooleanField":
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data


def test_a_leader_uploads_reviews_and_confirms_seed_004(
    world, gov, leader, django_capture_on_commit_callbacks
):
    with scope(tenant=world.tenant):
        chair = PersonFactory(tenant=world.tenant, name="Camilla Holmqvist")

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(leader, world.tenant, "2019-02-15.docx", as_docx(seed("004")))

    assert response.status_code == 302
    imported = only_file(world.tenant)
    with scopes_disabled():
        job = GeneratedFile.objects.get(kind="minutes_reading", object_id=imported.pk)
    assert job.status == "klar"  # tasks run inline in the tests
    page = leader.get(response["Location"])
    assert "2019-02-15.docx" in text(page)
    assert url("import_file", world.tenant, imported.pk) in text(page)

    review = leader.get(url("import_file", world.tenant, imported.pk))
    assert review.status_code == 200
    body = text(review)
    # Each proposed person beside the line it was read from, with its match.
    assert "Camilla Holmqvist" in body and "träff 1,00" in body
    # Each item, decision and assignment with how much of it reads as Swedish.
    assert body.count("igenkända ord") >= len(KRONOBERG_ITEMS)
    before = row_counts()

    data = review_data(leader, world.tenant, imported)
    data["body_id"] = str(gov.body.pk)
    data["confirm"] = "1"
    response = leader.post(url("import_file", world.tenant, imported.pk), data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    assert response["Location"].startswith(url("meeting_list", world.tenant))
    with scopes_disabled():
        meeting = Meeting.objects.get(tenant=world.tenant, imported=True)
        assert str(meeting.starts_at.date()) == "2019-02-15"
        assert meeting.minutes_status == MinutesStatus.APPROVED
        assert meeting.approved_in_original
        assert [v.number for v in meeting.versions.all()] == [1]
        rows = {a.person.name: a for a in Attendance.objects.filter(meeting=meeting)}
        assert rows["Camilla Holmqvist"].person == chair  # linked, not created again
        carina = rows["Carina Mosel"]
        assert carina.status == "ersatter"
        assert {p.name for p in carina.replaces.all()} == {"Per Sandberg", "Anders Elingfors"}
        assert rows["Per Sandberg"].status == "franvarande"
        assert Decision.objects.filter(meeting=meeting).count() == 3
        assert ActionItem.objects.filter(agenda_item__meeting=meeting).count() == 3
        source = MeetingDocument.objects.get(meeting=meeting)
        assert source.files.get().original_name == "2019-02-15.docx"
        imported.refresh_from_db()
        assert imported.state == ImportState.CONFIRMED and imported.meeting == meeting
        actions = set(
            AuditEvent.objects.filter(tenant=world.tenant).values_list("action", flat=True)
        )
    # Written through the services: every row audited as if typed in.
    assert {
        "minutes_import.upload",
        "meeting.create",
        "decision.create",
        "action_item.create",
        "meeting_document.add",
        "meeting.minutes.approve_in_original",
        "imported_file.confirm",
    } <= actions
    after = row_counts()
    assert after["governance.Meeting"] == before["governance.Meeting"] + 1

    page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "2019-02-15.docx" in page


def read(world, leader, django_capture_on_commit_callbacks, content=None) -> ImportedFile:
    """Seed 000 (or `content`) uploaded and read: the file in review."""
    with django_capture_on_commit_callbacks(execute=True):
        upload(leader, world.tenant, "2025-03-25.md", content or seed("000").encode())
    return only_file(world.tenant)


def confirmed(world, gov, leader, django_capture_on_commit_callbacks, content=None) -> ImportedFile:
    imported = read(world, leader, django_capture_on_commit_callbacks, content)
    data = review_data(leader, world.tenant, imported)
    data.update(body_id=str(gov.body.pk), confirm="1")
    response = leader.post(url("import_file", world.tenant, imported.pk), data)
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.state == ImportState.CONFIRMED
    return imported


def test_the_review_keeps_edits_and_drops_what_is_unticked(
    world, gov, leader, django_capture_on_commit_callbacks
):
    imported = read(world, leader, django_capture_on_commit_callbacks)
    data = review_data(leader, world.tenant, imported)
    data["body_id"] = str(gov.body.pk)
    first_name = data["att-0-name"]
    del data["att-0-keep"]  # dropped
    data["item-0-title"] = "Välkommen och presentation"
    response = leader.post(url("import_file", world.tenant, imported.pk), data)
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.proposal["attendance"][0]["keep"] is False
    assert imported.proposal["items"][0]["title"] == "Välkommen och presentation"
    assert imported.state == ImportState.REVIEW  # saved, not confirmed

    data = review_data(leader, world.tenant, imported)
    data["confirm"] = "1"
    assert leader.post(url("import_file", world.tenant, imported.pk), data).status_code == 302
    with scopes_disabled():
        meeting = Meeting.objects.get(tenant=world.tenant, imported=True)
        names = set(
            Attendance.objects.filter(meeting=meeting).values_list("person__name", flat=True)
        )
        titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert first_name not in names
    assert titles[0] == "Välkommen och presentation"


def test_a_stale_review_is_refused_and_changes_nothing(
    world, gov, leader, django_capture_on_commit_callbacks
):
    imported = read(world, leader, django_capture_on_commit_callbacks)
    data = review_data(leader, world.tenant, imported)
    data["body_id"] = str(gov.body.pk)
    assert leader.post(url("import_file", world.tenant, imported.pk), data).status_code == 302
    data["item-0-title"] = "Från ett gammalt formulär"
    response = leader.post(url("import_file", world.tenant, imported.pk), data)  # version 1 again
    assert response.status_code == 200
    assert response.context["form"].errors
    imported.refresh_from_db()
    assert imported.proposal["items"][0]["title"] != "Från ett gammalt formulär"


def test_a_review_without_a_date_or_body_is_refused_and_writes_nothing(
    world, gov, leader, django_capture_on_commit_callbacks
):
    imported = read(world, leader, django_capture_on_commit_callbacks)
    data = review_data(leader, world.tenant, imported)
    data.update(date="", body_id="", body="", confirm="1")
    before = row_counts()
    response = leader.post(url("import_file", world.tenant, imported.pk), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "date" in errors and "body" in errors
    assert row_counts() == before


def test_an_import_is_undone_while_nobody_changed_it_and_not_after(
    world, gov, leader, django_capture_on_commit_callbacks
):
    imported = confirmed(world, gov, leader, django_capture_on_commit_callbacks)
    page = text(leader.get(url("import_file", world.tenant, imported.pk)))
    assert url("import_file_undo", world.tenant, imported.pk) in page
    response = leader.post(url("import_file_undo", world.tenant, imported.pk), {"confirm": "1"})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.state == ImportState.UNDONE
    with scopes_disabled():
        meeting = Meeting.objects.get(pk=imported.meeting_id)
        assert meeting.archived_at is not None
        assert all(
            a.archived_at is not None
            for a in ActionItem.objects.filter(agenda_item__meeting=meeting)
        )
        created = Person.objects.filter(pk__in=imported.written.get("person", []))
        assert created and all(p.archived_at is not None for p in created)
    # Gone from the meetings and the decision register.
    assert meeting.display_title not in text(leader.get(url("meeting_list", world.tenant)))


def test_an_edited_import_cannot_be_undone(world, gov, leader, django_capture_on_commit_callbacks):
    imported = confirmed(world, gov, leader, django_capture_on_commit_callbacks)
    with scope(tenant=world.tenant):
        from governance.services.minutes import minutes_revise

        # Someone corrects the imported minutes: a revision, with its reason.
        meeting = Meeting.objects.get(pk=imported.meeting_id)
        minutes_revise(actor=world.users["leader"], meeting=meeting, reason="Stavfel i punkt 2")
    page = text(leader.get(url("import_file", world.tenant, imported.pk)))
    assert url("import_file_undo", world.tenant, imported.pk) not in page
    before = row_counts()
    response = leader.post(url("import_file_undo", world.tenant, imported.pk), {"confirm": "1"})
    assert response.status_code == 200
    assert "ändrats" in text(response) or "changed" in text(response)
    assert row_counts() == before


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("virus.exe", b"MZ\x90\x00", ".docx"),
        ("fake.pdf", b"not a pdf at all", "(.pdf)"),
        ("empty.txt", b"", "tom"),
    ],
)
def test_a_bad_upload_gets_a_clear_error_and_writes_nothing(world, leader, name, content, says):
    before = row_counts()
    response = upload(leader, world.tenant, name, content)
    assert response.status_code == 200
    assert says in " ".join(response.context["form"].errors["file"])
    assert row_counts() == before


def test_a_zip_bomb_is_refused_by_name_and_writes_nothing(world, leader):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", b"0" * (20 * 1024 * 1024))
    before = row_counts()
    response = upload(leader, world.tenant, "arkiv.zip", archive.getvalue())
    assert response.status_code == 200
    assert "zip bomb" in " ".join(response.context["form"].errors["file"])
    assert row_counts() == before


def test_a_zip_is_one_job_per_file_and_an_unreadable_file_fails_its_own_job(
    world, leader, django_capture_on_commit_callbacks
):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("2025-03-25.md", seed("000"))
        z.writestr("trasig.docx", b"PK\x03\x04 not really a word file")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(leader, world.tenant, "arkiv.zip", archive.getvalue())
    assert response.status_code == 302
    with scopes_disabled():
        files = {f.original_name: f for f in ImportedFile.objects.filter(tenant=world.tenant)}
        jobs = {j.object_id: j for j in GeneratedFile.objects.filter(kind="minutes_reading")}
    assert set(files) == {"2025-03-25.md", "trasig.docx"}
    assert jobs[files["2025-03-25.md"].pk].status == "klar"
    broken = jobs[files["trasig.docx"].pk]
    assert broken.status == "misslyckad" and "trasig.docx" in broken.error_message
    page = text(leader.get(response["Location"]))
    assert "trasig.docx" in page
    assert broken.error_message in page.replace("&#x27;", "'")


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_may_import(world, client_for, role):
    client = client_for(world.users[role])
    before = row_counts()
    assert client.get(url("import_list", world.tenant)).status_code == 403
    response = upload(client, world.tenant, "2025-03-25.md", seed("000").encode())
    assert response.status_code == 403
    assert row_counts() == before


def test_another_programmes_import_is_not_found(
    world, gov, other_world, client_for, leader, django_capture_on_commit_callbacks
):
    imported = confirmed(world, gov, leader, django_capture_on_commit_callbacks)
    stranger = client_for(other_world.users["leader"])
    for name in ("import_file", "import_file_undo", "import_file_skip", "import_file_original"):
        assert stranger.get(url(name, other_world.tenant, imported.pk)).status_code == 404
    assert (
        stranger.get(url("import_detail", other_world.tenant, imported.upload_id)).status_code
        == 404
    )


def test_the_original_is_downloadable_from_the_import_and_the_meeting(
    world, gov, leader, django_capture_on_commit_callbacks
):
    imported = confirmed(world, gov, leader, django_capture_on_commit_callbacks)
    response = leader.get(url("import_file_original", world.tenant, imported.pk))
    assert b"".join(response.streaming_content) == seed("000").encode()
    with scopes_disabled():
        document = MeetingDocument.objects.get(meeting_id=imported.meeting_id)
    steering = leader  # the source document is shared with the approved minutes
    assert document.is_shared
    response = steering.get(url("document_download", world.tenant, document.pk))
    assert b"".join(response.streaming_content) == seed("000").encode()


def test_a_file_can_be_left_out(world, leader, django_capture_on_commit_callbacks):
    imported = read(world, leader, django_capture_on_commit_callbacks)
    response = leader.post(url("import_file_skip", world.tenant, imported.pk), {"confirm": "1"})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.state == ImportState.SKIPPED
    with scopes_disabled():
        assert not Meeting.objects.filter(tenant=world.tenant).exists()
        assert MinutesImport.objects.filter(tenant=world.tenant).count() == 1


def test_an_original_with_personnummer_is_not_shared_with_the_meeting(
    world, gov, leader, django_capture_on_commit_callbacks
):
    text = seed("000").replace(
        "#### Mål och resultat",
        "#### Mål och resultat\n\nEtt barn med personnummer 811228-9874 nämndes.",
        1,
    )
    assert "811228-9874" in text
    imported = confirmed(world, gov, leader, django_capture_on_commit_callbacks, text.encode())
    with scopes_disabled():
        meeting = Meeting.objects.get(pk=imported.meeting_id)
        assert not MeetingDocument.objects.filter(meeting=meeting).exists()
        minutes = " ".join(meeting.agenda_items.values_list("minutes", flat=True))
    assert "811228-9874" not in minutes
    assert imported.proposal["identity_numbers"] == 1
    # The original stays with the import, for the process leaders.
    response = leader.get(url("import_file_original", world.tenant, imported.pk))
    assert response.status_code == 200
