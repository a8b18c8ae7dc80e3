"""The programme's audit log in the browser (issue 16, item 3): who reads it,
that it is the programme's own, its filters, what an event shows, the CSV
export, and the "Historik" link of a record's page.

Every view: it works for programme administrators and process leaders;
another programme gets 404; too little role gets 403; a bad filter gets a
field error and the page still answers; nothing here writes but the export's
own audit event.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from governance.models import MinutesStatus
from portal.models import AuditEvent
from tests.factories import PersonFactory, UserFactory
from tests.governance.factories import MeetingFactory
from tests.helpers import HTMX, audit_events, form_errors, in_swedish, is_fragment, text, url

READERS = ["leader", "admin"]
NOT_READERS = ["steering", "reporter", "researcher"]


def log_url(tenant, query: str = "") -> str:
    return url("portal:audit_log", tenant, query=query)


def export_url(tenant, query: str = "") -> str:
    return url("portal:audit_export", tenant, query=query)


def event(tenant, obj, action, *, actor=None, before=None, after=None, at=None) -> AuditEvent:
    """An event as a service writes it; `at` backdates it."""
    with scopes_disabled():
        created = AuditEvent.objects.create(
            tenant=tenant,
            actor=actor,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            before=before,
            after=after,
        )
        if at is not None:
            AuditEvent.objects.filter(pk=created.pk).update(created_at=at)
            created.created_at = at
    return created


def shown(response) -> set[int]:
    """The ids of the events on the page."""
    return {int(pk) for pk in re.findall(r'id="audit-event-(\d+)"', text(response))}


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


# Who reads it ----------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_admins_and_process_leaders_read_their_programmes_log(world, client_for, role):
    mine = event(
        world.tenant, world.principal, "principal.update", actor=world.users["admin"],
        before={"name": "Gamla namnet"}, after={"name": "Nya namnet"},
    )  # fmt: skip

    response = client_for(world.users[role]).get(log_url(world.tenant))

    assert response.status_code == 200
    assert shown(response) == {mine.pk}
    body = text(response)
    assert "principal.update" in body
    assert "Gamla namnet" in body and "Nya namnet" in body


def test_another_programmes_events_and_events_without_a_programme_never_show(
    world, other_world, leader
):
    mine = event(world.tenant, world.principal, "principal.update")
    theirs = event(other_world.tenant, other_world.principal, "principal.update")
    nobodys = event(None, world.users["leader"], "user.create")

    response = leader.get(log_url(world.tenant))

    assert shown(response) == {mine.pk}
    assert theirs.pk not in shown(response) and nobodys.pk not in shown(response)


def test_the_history_of_another_programmes_record_is_empty(world, other_world, leader):
    theirs = event(other_world.tenant, other_world.principal, "principal.update")
    query = f"?type=portal.principal&id={other_world.principal.pk}"

    response = leader.get(log_url(world.tenant, query))
    export = leader.get(export_url(world.tenant, query))

    assert response.status_code == 200
    assert shown(response) == set()
    assert theirs.pk not in shown(response)
    assert [row[2] for row in csv_rows(export)[1:]] == []


@pytest.mark.parametrize("role", NOT_READERS)
def test_too_little_role_gets_403(world, client_for, role):
    event(world.tenant, world.principal, "principal.update")
    client = client_for(world.users[role])

    assert client.get(log_url(world.tenant)).status_code == 403
    assert client.get(export_url(world.tenant)).status_code == 403


def test_another_programme_gets_404(world, other_world, client_for):
    client = client_for(other_world.users["admin"])

    assert client.get(log_url(world.tenant)).status_code == 404
    assert client.get(export_url(world.tenant)).status_code == 404


def test_nobody_writes_the_log_through_a_page(world, client_for):
    client = client_for(world.users["admin"])

    assert client.post(log_url(world.tenant)).status_code == 405
    assert client.post(export_url(world.tenant)).status_code == 405


# Filters -------------------------------------------------------------------------


def test_filter_by_person_and_by_the_system(world, leader):
    by_admin = event(world.tenant, world.principal, "principal.update", actor=world.users["admin"])
    by_leader = event(
        world.tenant, world.principal, "principal.update", actor=world.users["leader"]
    )
    by_system = event(world.tenant, world.principal, "principal.update", actor=None)

    assert shown(leader.get(log_url(world.tenant, f"?actor={world.users['admin'].pk}"))) == {
        by_admin.pk
    }
    assert shown(leader.get(log_url(world.tenant, "?actor=system"))) == {by_system.pk}
    assert by_leader.pk in shown(leader.get(log_url(world.tenant)))


def test_the_person_filter_offers_the_programmes_members_only(world, other_world, leader):
    response = leader.get(log_url(world.tenant, f"?actor={other_world.users['admin'].pk}"))

    assert response.status_code == 200
    assert "actor" in form_errors(response)
    assert other_world.users["admin"].username not in text(response)


def test_filter_by_kind_of_record_with_readable_labels(world, leader):
    on_principal = event(world.tenant, world.principal, "principal.update")
    person = PersonFactory(tenant=world.tenant)
    on_person = event(world.tenant, person, "person.update")

    response = leader.get(log_url(world.tenant, "?type=portal.person"))

    assert shown(response) == {on_person.pk}
    assert on_principal.pk not in shown(response)
    # The kinds are named as the models are, in Swedish.
    assert '<option value="portal.principal">Huvudman</option>' in text(response)


def test_filter_by_the_start_of_the_action_name(world, leader):
    meeting = MeetingFactory(body__tenant=world.tenant)
    approved = event(world.tenant, meeting, "meeting.minutes.approve")
    finished = event(world.tenant, meeting, "meeting.minutes.finish")
    updated = event(world.tenant, meeting, "meeting.update")

    response = leader.get(log_url(world.tenant, "?action=meeting.minutes."))

    assert shown(response) == {approved.pk, finished.pk}
    assert updated.pk not in shown(response)
    # A readable label, and always the namespaced name.
    with translation.override("sv"):
        label = translation.pgettext("audit action", "Minutes approved")
    assert f'<span class="audit-event__label">{label}</span>' in text(response)
    assert '<code class="audit-event__action">meeting.minutes.approve</code>' in text(response)


def test_filter_by_dates_whole_days_inclusive(world, leader):
    def on(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    early = event(
        world.tenant, world.principal, "principal.update", at=on(datetime.date(2025, 1, 10))
    )
    middle = event(
        world.tenant, world.principal, "principal.update", at=on(datetime.date(2025, 2, 1))
    )
    late = event(
        world.tenant, world.principal, "principal.update", at=on(datetime.date(2025, 3, 5))
    )

    both = leader.get(log_url(world.tenant, "?date_from=2025-02-01&date_to=2025-02-01"))
    since = leader.get(log_url(world.tenant, "?date_from=2025-02-01"))

    assert shown(both) == {middle.pk}
    assert shown(since) == {middle.pk, late.pk}
    assert early.pk not in shown(since)


@pytest.mark.parametrize("bad", ["date_from=2025-13-45", "date_from=0001-01-01", "date_to=nej"])
def test_a_bad_date_is_a_field_error_and_the_page_shows_everything(world, leader, bad):
    one = event(world.tenant, world.principal, "principal.update")

    response = leader.get(log_url(world.tenant, f"?{bad}"))

    assert response.status_code == 200
    field = bad.split("=")[0]
    assert field in form_errors(response)
    assert shown(response) == {one.pk}


def test_an_end_before_the_start_is_an_error(world, leader):
    response = leader.get(log_url(world.tenant, "?date_from=2025-03-01&date_to=2025-02-01"))

    assert response.status_code == 200
    assert form_errors(response)["date_to"] == [
        in_swedish("The end date is before the start date.")
    ]


def test_a_bad_action_prefix_is_a_field_error(world, leader):
    response = leader.get(log_url(world.tenant, "?action=<script>"))

    assert response.status_code == 200
    assert "action" in form_errors(response)
    assert "<script>" not in text(response)


def test_one_records_history(world, leader):
    other_principal = world.other_principal
    mine = event(world.tenant, world.principal, "principal.update")
    other = event(world.tenant, other_principal, "principal.update")

    response = leader.get(log_url(world.tenant, f"?type=portal.principal&id={world.principal.pk}"))

    assert shown(response) == {mine.pk}
    assert other.pk not in shown(response)
    # It names the record and links to its page.
    assert f'href="/{world.tenant.slug}/admin/principals/{world.principal.pk}/"' in text(response)


def test_htmx_gets_the_results_only(world, leader):
    event(world.tenant, world.principal, "principal.update")

    response = leader.get(log_url(world.tenant, "?type=portal.principal"), **HTMX)

    assert is_fragment(response)
    assert 'id="audit-results"' in text(response)


# What an event shows ---------------------------------------------------------------


def test_before_and_after_are_shown_escaped(world, leader):
    event(
        world.tenant, world.principal, "principal.update",
        before={"name": "<b>Gamla</b>", "kind": "kommun"},
        after={"name": "<script>alert(1)</script>", "kind": "kommun"},
    )  # fmt: skip

    body = text(leader.get(log_url(world.tenant)))

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    assert "&lt;b&gt;Gamla&lt;/b&gt;" in body
    # Only what changed; the field by its name.
    assert '<th scope="row">Namn</th>' in body
    assert "kommun" not in body.split('id="audit-results"')[1]


def test_a_long_value_is_cut_short_with_the_full_value_behind_details(world, leader):
    long_text = "Långt beslut " * 40
    event(
        world.tenant,
        world.principal,
        "principal.update",
        before={"name": ""},
        after={"name": long_text},
    )

    body = text(leader.get(log_url(world.tenant)))

    assert "<details" in body
    assert long_text.strip() in body


def test_secret_fields_are_never_shown(world, leader):
    event(world.tenant, world.principal, "principal.update", after={"key_hash": "hemlig-nyckel"})

    response = leader.get(log_url(world.tenant))
    export = leader.get(export_url(world.tenant))

    assert "hemlig-nyckel" not in text(response)
    assert "hemlig-nyckel" not in "".join(",".join(row) for row in csv_rows(export))


def test_a_page_costs_the_same_queries_for_more_events(world, leader):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert leader.get(log_url(world.tenant)).status_code == 200
        return len(captured)

    actors = [world.users["admin"], world.users["leader"], None]
    for i in range(3):
        event(world.tenant, world.principal, "principal.update", actor=actors[i % 3],
              before={"name": f"a{i}"}, after={"name": f"b{i}"})  # fmt: skip
    few = queries()
    for i in range(30):
        person = PersonFactory(tenant=world.tenant)
        event(world.tenant, person, "person.update", actor=UserFactory() if i % 2 else None,
              before={"name": f"a{i}"}, after={"name": f"b{i}"})  # fmt: skip
    many = queries()

    assert many == few


def test_the_log_is_paginated(world, leader):
    for _ in range(55):
        event(world.tenant, world.principal, "principal.update")

    first = leader.get(log_url(world.tenant))
    second = leader.get(log_url(world.tenant, "?page=2"))

    assert len(shown(first)) == 50
    assert len(shown(second)) == 5
    assert "Sida 1 av 2" in text(first)


# CSV export ----------------------------------------------------------------------


def test_the_export_has_the_filtered_rows_and_is_audited(world, leader):
    person = PersonFactory(tenant=world.tenant)
    event(world.tenant, world.principal, "principal.update", actor=world.users["admin"],
          before={"name": "A"}, after={"name": "B"})  # fmt: skip
    on_person = event(world.tenant, person, "person.update")

    response = leader.get(export_url(world.tenant, "?type=portal.person"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    header = ["Time", "Person", "Action", "Kind of record", "Record id", "Changes"]
    assert rows[0] == [in_swedish(name) for name in header]
    assert [(row[2], row[3], row[4]) for row in rows[1:]] == [
        ("person.update", "portal.person", str(on_person.object_id))
    ]
    exported = audit_events(action="tenant.audit.export")
    assert len(exported) == 1
    assert exported[0].tenant_id == world.tenant.pk
    assert exported[0].actor_id == world.users["leader"].pk
    assert exported[0].after == {"record_type": "portal.person"}


def test_the_export_neutralises_text_a_spreadsheet_would_run(world, client_for, leader):
    admin = world.users["admin"]
    admin.first_name, admin.last_name = '=HYPERLINK("http://x")', ""
    admin.save()
    event(world.tenant, world.principal, "principal.update", actor=admin,
          before={"name": "A"}, after={"name": "=1+1"})  # fmt: skip

    rows = csv_rows(leader.get(export_url(world.tenant)))

    data = rows[1]
    assert data[1] == '\'=HYPERLINK("http://x")'
    assert data[5] == '{"name": ["A", "=1+1"]}'
    assert datetime.datetime.fromisoformat(data[0]).tzinfo is not None


def test_an_export_with_a_bad_filter_is_refused_and_not_audited(world, leader):
    response = leader.get(export_url(world.tenant, "?date_from=nej"))

    assert response.status_code == 400
    assert "date_from" in form_errors(response)
    assert audit_events(action="tenant.audit.export") == []


# The "Historik" link of a record's page ------------------------------------------


def test_a_record_page_links_to_its_history_for_leaders_and_admins(world, client_for):
    page = url("portal:principal_detail", world.principal)
    history = f"/{world.tenant.slug}/admin/logg/?type=portal.principal&amp;id={world.principal.pk}"

    for role in READERS:
        assert history in text(client_for(world.users[role]).get(page)), role
    for role in NOT_READERS:
        assert history not in text(client_for(world.users[role]).get(page)), role


def test_the_meeting_page_links_to_the_meetings_history(world, client_for):
    meeting = MeetingFactory(body__tenant=world.tenant, minutes_status=MinutesStatus.APPROVED)
    page = url("governance:meeting_detail", meeting)
    history = f"/{world.tenant.slug}/admin/logg/?type=governance.meeting&amp;id={meeting.pk}"

    assert history in text(client_for(world.users["leader"]).get(page))
    assert history not in text(client_for(world.users["steering"]).get(page))


def test_the_navigation_links_to_the_log_for_readers_only(world, client_for):
    home = url("portal:home", world.tenant)
    link = f'href="/{world.tenant.slug}/admin/logg/"'

    assert link in text(client_for(world.users["admin"]).get(home))
    assert link not in text(client_for(world.users["reporter"]).get(home))
