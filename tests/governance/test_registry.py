"""The registrar's page (registrering, issue 16 item 6): a process leader gives
a meeting, its decisions and its documents their diary numbers (diarienummer)
and marks documents and agenda items secret (sekretess, with the OSL
provision) after the fact — approved (justerade) minutes included — without
touching the minutes' content, their versions or the meeting's minutes lock.

- Each record changed gets one audit event (`<noun>.registry.update`).
- A stale form, a secret mark without its provision and a too-long diary
  number are refused with a clear error, and nothing is written.
- What is marked secret shows as "Sekretessbelagd handling" at once, to
  readers outside the body and on the public site.
- Process leaders only (403 for every other role); another programme's
  meeting is 404.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from governance.models import AgendaItem, Decision, Meeting, MeetingDocument, MinutesVersion
from governance.services import decisions, meetings, registry
from governance.services import meeting_documents as documents
from portal.models import AuditEvent
from public.models import PublicSite
from tests.document_helpers import eager_documents
from tests.governance.meeting_document_helpers import pdf_upload
from tests.governance.service_helpers import approve, plan
from tests.helpers import snapshot, text, url_in

pytestmark = pytest.mark.django_db

url = url_in("governance")

PLACEHOLDER = "Sekretessbelagd handling"
ITEM_TITLE = "Orosanmälan om en elev i Vallby"
ITEM_MINUTES = "Handläggarens bedömning av familjens situation."
DOCUMENT_TITLE = "Utredning om eleven"
ITEM_OSL = "OSL 26 kap. 1 §"
DOCUMENT_OSL = "OSL 23 kap. 1 §"
REGISTERED = (Meeting, Decision, MeetingDocument, AgendaItem, MinutesVersion)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    return eager_documents(settings, tmp_path)


@pytest.fixture
def approved(world, gov):
    """An approved meeting: an open item and one to be marked secret, a
    decision under it, and a shared document; nothing registered yet."""
    leader = world.users["leader"]
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title="Styrgruppsmöte")
        meetings.agenda_item_add(actor=leader, meeting=meeting, title="Ekonomi")
        item = meetings.agenda_item_add(actor=leader, meeting=meeting, title=ITEM_TITLE)
        item = meetings.agenda_item_update(
            actor=leader, item=item, expected_version=item.version, minutes=ITEM_MINUTES
        )
        decision = decisions.decision_create(
            actor=leader,
            meeting=meeting,
            text="Styrgruppen beslutar att anta planen.",
            agenda_item=item,
        )
        document = documents.document_add(
            actor=leader,
            meeting=meeting,
            upload=pdf_upload("utredning.pdf", "Utredningens sida"),
            title=DOCUMENT_TITLE,
        )
        documents.documents_share(actor=leader, meeting=meeting)
        approve(world, meeting)
        meeting.refresh_from_db()
    return meeting, item, decision, document


def page(client: Client, world, meeting: Meeting):
    return client.get(url("meeting_registry", world.tenant, meeting.pk))


def shown_data(response) -> dict[str, Any]:
    """What the page's form would post unchanged: every field's shown value."""
    data: dict[str, Any] = {}
    for form in response.context["forms"].all():
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value not in (None, False):
                data[form.add_prefix(name)] = value
    return data


def events(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def register_all(world, meeting, item, decision, document) -> dict[str, Any]:
    leader = Client()
    leader.force_login(world.users["leader"])
    data = shown_data(page(leader, world, meeting))
    data.update(
        {
            "diary_number": "RS 2026/1234",
            f"decision-{decision.pk}-diary_number": "RS 2026/1235",
            f"document-{document.pk}-diary_number": "RS 2026/1236",
            f"document-{document.pk}-secret": "on",
            f"document-{document.pk}-secrecy_reference": DOCUMENT_OSL,
            f"item-{item.pk}-secret": "on",
            f"item-{item.pk}-secrecy_reference": ITEM_OSL,
        }
    )
    return {"client": leader, "data": data}


# Registering approved minutes ------------------------------------------------------------


def test_a_process_leader_registers_approved_minutes_without_changing_their_content(
    world, approved
):
    meeting, item, decision, document = approved
    with scope(tenant=world.tenant):
        version = MinutesVersion.objects.get(meeting=meeting)
    content, meeting_version = version.content, meeting.version
    setup = register_all(world, *approved)

    response = setup["client"].post(
        url("meeting_registry", world.tenant, meeting.pk), setup["data"]
    )

    assert response.status_code == 302
    assert response["Location"] == url("meeting_detail", world.tenant, meeting.pk)
    with scope(tenant=world.tenant):
        for row in (meeting, item, decision, document, version):
            row.refresh_from_db()
        assert MinutesVersion.objects.filter(meeting=meeting).count() == 1
    assert meeting.diary_number == "RS 2026/1234"
    assert decision.diary_number == "RS 2026/1235"
    assert (document.diary_number, document.secret, document.secrecy_reference) == (
        "RS 2026/1236",
        True,
        DOCUMENT_OSL,
    )
    assert (item.secret, item.secrecy_reference) == (True, ITEM_OSL)
    assert meeting.minutes_status == "justerad"
    assert version.content == content  # the approved text is as it was approved
    # The page's lock moves on (a page opened before is stale); nothing else of the meeting.
    assert meeting.version == meeting_version + 1
    assert item.minutes == ITEM_MINUTES and item.title == ITEM_TITLE


def test_each_registered_record_gets_its_audit_event_with_before_and_after(world, approved):
    meeting, item, _decision, _document = approved
    setup = register_all(world, *approved)

    setup["client"].post(url("meeting_registry", world.tenant, meeting.pk), setup["data"])

    (meeting_event,) = events("meeting.registry.update")
    assert meeting_event.object_id == str(meeting.pk)
    assert meeting_event.actor == world.users["leader"]
    assert meeting_event.before == {"diary_number": ""}
    assert meeting_event.after == {"diary_number": "RS 2026/1234"}
    (decision_event,) = events("decision.registry.update")
    assert decision_event.after == {"diary_number": "RS 2026/1235"}
    (document_event,) = events("meeting_document.registry.update")
    assert document_event.before == {"diary_number": "", "secret": False, "secrecy_reference": ""}
    assert document_event.after == {
        "diary_number": "RS 2026/1236",
        "secret": True,
        "secrecy_reference": DOCUMENT_OSL,
    }
    (item_event,) = events("agenda_item.registry.update")
    assert item_event.object_id == str(item.pk)
    assert item_event.after == {"secret": True, "secrecy_reference": ITEM_OSL}


def test_others_see_the_placeholder_at_once_on_the_meeting_page_and_the_public_site(
    world, approved, client_for
):
    meeting = approved[0]
    with scopes_disabled():
        PublicSite.objects.create(tenant=world.tenant, enabled=True, show_decisions=True)
    public_url = reverse("public:minutes", args=[world.tenant.slug, meeting.pk])
    researcher = client_for(world.users["researcher"])
    assert ITEM_TITLE in text(Client().get(public_url))  # seen (and cached) before
    assert ITEM_TITLE in text(researcher.get(url("meeting_detail", world.tenant, meeting.pk)))
    setup = register_all(world, *approved)

    setup["client"].post(url("meeting_registry", world.tenant, meeting.pk), setup["data"])

    public = text(Client().get(public_url))
    assert PLACEHOLDER in public and ITEM_OSL in public
    assert ITEM_TITLE not in public and ITEM_MINUTES not in public
    assert "RS 2026/1234" in public
    detail = text(researcher.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert PLACEHOLDER in detail and ITEM_OSL in detail and DOCUMENT_OSL in detail
    assert ITEM_TITLE not in detail and ITEM_MINUTES not in detail and DOCUMENT_TITLE not in detail


def test_unmarking_clears_the_provision(world, approved, client_for):
    meeting, item, _decision, _document = approved
    setup = register_all(world, *approved)
    setup["client"].post(url("meeting_registry", world.tenant, meeting.pk), setup["data"])
    leader = client_for(world.users["leader"])
    data = shown_data(page(leader, world, meeting))
    del data[f"item-{item.pk}-secret"]

    response = leader.post(url("meeting_registry", world.tenant, meeting.pk), data)

    assert response.status_code == 302
    with scope(tenant=world.tenant):
        item.refresh_from_db()
    assert (item.secret, item.secrecy_reference) == (False, "")
    assert [e.after for e in events("agenda_item.registry.update")][-1] == {
        "secret": False,
        "secrecy_reference": "",
    }


def test_saving_the_page_unchanged_writes_nothing(world, approved, client_for):
    meeting = approved[0]
    leader = client_for(world.users["leader"])
    data = shown_data(page(leader, world, meeting))
    before = snapshot(*REGISTERED)

    response = leader.post(url("meeting_registry", world.tenant, meeting.pk), data)

    assert response.status_code == 302
    assert snapshot(*REGISTERED) == before


def test_the_meeting_page_links_to_the_registry_for_process_leaders_only(
    world, approved, client_for
):
    meeting = approved[0]
    link = url("meeting_registry", world.tenant, meeting.pk)

    assert link in text(
        client_for(world.users["leader"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )
    assert link not in text(
        client_for(world.users["steering"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )


def test_a_draft_meetings_registry_works_too(world, gov, client_for):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title="Planerat möte")
    leader = client_for(world.users["leader"])
    data = shown_data(page(leader, world, meeting))
    data["diary_number"] = "KS-2026.017"

    response = leader.post(url("meeting_registry", world.tenant, meeting.pk), data)

    assert response.status_code == 302
    with scope(tenant=world.tenant):
        meeting.refresh_from_db()
    assert meeting.diary_number == "KS-2026.017"


# Refusals ---------------------------------------------------------------------------------


def test_a_stale_form_is_refused_and_nothing_changes(world, approved, client_for):
    meeting, _item, _decision, document = approved
    setup = register_all(world, *approved)
    # Someone else registers the document meanwhile, on the same page.
    with scope(tenant=world.tenant):
        registry.registry_save(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=meeting.version,
            documents=[
                registry.Entry(
                    pk=document.pk,
                    wanted={"diary_number": "RS 2026/9999", "secret": False},
                    expected_version=document.version,
                )
            ],
        )
    before = snapshot(*REGISTERED)

    response = setup["client"].post(
        url("meeting_registry", world.tenant, meeting.pk), setup["data"]
    )

    assert response.status_code == 200
    forms = response.context["forms"]
    assert forms.meeting.non_field_errors()
    # What they saved is shown at the document; the page is now based on it.
    document_form = forms.find(registry.DOCUMENT, document.pk)
    assert "RS 2026/9999" in str(document_form.errors["diary_number"])
    assert document_form["version"].value() == str(document.version + 1)
    assert snapshot(*REGISTERED) == before  # not even the meeting's and the item's


def test_a_document_changed_by_its_own_form_meanwhile_is_refused(world, gov, client_for):
    leader = client_for(world.users["leader"])
    with scope(tenant=world.tenant):
        meeting = plan(world, gov, title="Planerat möte")
        document = documents.document_add(
            actor=world.users["leader"],
            meeting=meeting,
            upload=pdf_upload("plan.pdf", "Planens sida"),
            title="Processplan",
        )
    data = shown_data(page(leader, world, meeting))
    with scope(tenant=world.tenant):
        documents.document_update(
            actor=world.users["leader"],
            document=document,
            title="Processplan (rev.)",
            agenda_item=None,
            show_in_minutes=False,
            diary_number="RS 2026/55",
            expected_version=document.version,
        )
    data[f"document-{document.pk}-diary_number"] = "RS 2026/56"
    before = snapshot(*REGISTERED)

    response = leader.post(url("meeting_registry", world.tenant, meeting.pk), data)

    assert response.status_code == 200
    form = response.context["forms"].find(registry.DOCUMENT, document.pk)
    assert form.non_field_errors()
    assert "RS 2026/55" in str(form.errors["diary_number"])
    assert snapshot(*REGISTERED) == before


def test_a_meetings_number_changed_meanwhile_is_not_overwritten(world, approved, client_for):
    meeting = approved[0]
    setup = register_all(world, *approved)
    with scope(tenant=world.tenant):
        registry.registry_save(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=meeting.version,
            diary_number="RS 2026/1",
        )
    before = snapshot(*REGISTERED)

    response = setup["client"].post(
        url("meeting_registry", world.tenant, meeting.pk), setup["data"]
    )

    assert response.status_code == 200
    assert response.context["forms"].meeting.errors["diary_number"]
    assert snapshot(*REGISTERED) == before


def test_a_secret_mark_without_its_provision_is_refused_and_nothing_changes(
    world, approved, client_for
):
    meeting, item, _decision, _document = approved
    setup = register_all(world, *approved)
    setup["data"][f"item-{item.pk}-secrecy_reference"] = "  "
    before = snapshot(*REGISTERED)

    response = setup["client"].post(
        url("meeting_registry", world.tenant, meeting.pk), setup["data"]
    )

    assert response.status_code == 200
    form = response.context["forms"].find(registry.ITEM, item.pk)
    assert "secrecy_reference" in form.errors
    assert "OSL" in text(response)
    assert snapshot(*REGISTERED) == before  # the valid rows (meeting, document) neither


def test_the_service_refuses_a_secret_mark_without_its_provision(world, approved):
    meeting, _item, _decision, document = approved
    before = snapshot(*REGISTERED)

    with scope(tenant=world.tenant), pytest.raises(registry.RegistryRefused) as refused:
        registry.registry_save(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=meeting.version,
            diary_number="RS 2026/1",
            documents=[
                registry.Entry(
                    pk=document.pk,
                    wanted={"diary_number": "", "secret": True, "secrecy_reference": " "},
                    expected_version=document.version,
                )
            ],
        )

    assert (refused.value.kind, refused.value.pk) == (registry.DOCUMENT, document.pk)
    assert "secrecy_reference" in refused.value.error.message_dict
    assert snapshot(*REGISTERED) == before


def test_a_too_long_diary_number_is_refused_and_nothing_changes(world, approved, client_for):
    meeting, _item, decision, _document = approved
    setup = register_all(world, *approved)
    setup["data"][f"decision-{decision.pk}-diary_number"] = "RS 2026/" + "1" * 40
    before = snapshot(*REGISTERED)

    response = setup["client"].post(
        url("meeting_registry", world.tenant, meeting.pk), setup["data"]
    )

    assert response.status_code == 200
    form = response.context["forms"].find(registry.DECISION, decision.pk)
    assert "diary_number" in form.errors
    assert snapshot(*REGISTERED) == before


def test_a_diary_number_with_strange_characters_is_refused(world, approved, client_for):
    meeting = approved[0]
    setup = register_all(world, *approved)
    setup["data"]["diary_number"] = "<script>"
    before = snapshot(*REGISTERED)

    response = setup["client"].post(
        url("meeting_registry", world.tenant, meeting.pk), setup["data"]
    )

    assert response.status_code == 200
    assert "diary_number" in response.context["forms"].meeting.errors
    assert snapshot(*REGISTERED) == before


def test_a_revisions_draft_rows_take_the_registered_values(world, approved):
    """Approving a revision writes its drafts back: they must not bring the
    old registry values with them."""
    meeting, item, decision, _document = approved
    from governance.services import minutes

    with scope(tenant=world.tenant):
        minutes.minutes_revise(actor=world.users["leader"], meeting=meeting, reason="Stavfel")
        meeting.refresh_from_db()
        registry.registry_save(
            actor=world.users["leader"],
            meeting=meeting,
            expected_version=meeting.version,
            decisions=[
                registry.Entry(
                    pk=decision.pk,
                    wanted={"diary_number": "RS 2026/7"},
                    expected_version=decision.version,
                )
            ],
            items=[
                registry.Entry(
                    pk=item.pk,
                    wanted={"secret": True, "secrecy_reference": ITEM_OSL},
                    expected_version=item.version,
                )
            ],
        )
        draft_item = AgendaItem.all_rows.get(draft_of=item)
        draft_decision = Decision.all_rows.get(draft_of=decision)

    assert (draft_item.secret, draft_item.secrecy_reference) == (True, ITEM_OSL)
    assert draft_decision.diary_number == "RS 2026/7"


# Who -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["steering", "admin", "reporter", "researcher"])
def test_only_process_leaders_open_or_post_the_registry(world, approved, client_for, role):
    meeting = approved[0]
    client = client_for(world.users[role])
    before = snapshot(*REGISTERED)

    assert client.get(url("meeting_registry", world.tenant, meeting.pk)).status_code == 403
    posted = client.post(
        url("meeting_registry", world.tenant, meeting.pk), {"diary_number": "RS 1"}
    )

    assert posted.status_code == 403
    assert snapshot(*REGISTERED) == before


def test_another_programmes_meeting_is_404(world, approved, other_world, client_for):
    meeting = approved[0]
    client = client_for(other_world.users["leader"])

    assert client.get(url("meeting_registry", other_world.tenant, meeting.pk)).status_code == 404
    posted = client.post(
        url("meeting_registry", other_world.tenant, meeting.pk), {"diary_number": "RS 1"}
    )
    assert posted.status_code == 404
