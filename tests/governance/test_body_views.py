"""Bodies in the browser: the list with head counts and next meetings, one
body with its members over time (grouped by role, what they represent, the
chair history, earlier periods) and its meetings; creating, editing and
archiving bodies; seating members and ending their periods.

Every view: it works for the right role; another programme gets 404; too
little role gets 403 and writes nothing; bad input gets a field error and
writes nothing; htmx gets a fragment.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from governance.models import Body, BodyMember, MeetingStatus, MinutesStatus
from portal.models import AuditEvent
from tests.factories import PersonFactory
from tests.governance.factories import BodyFactory, BodyMemberFactory, MeetingFactory
from tests.helpers import (
    HTMX,
    audit_count,
    audit_events,
    form_errors,
    hx_trigger,
    in_swedish,
    is_fragment,
    reload,
    rows,
    starts_with_row,
    text,
    url_in,
)

ROLES = ["leader", "steering", "reporter", "researcher", "admin"]
NOT_LEADERS = ["steering", "reporter", "researcher", "admin"]


url = url_in("governance")


@pytest.fixture
def leader(world, client_for):
    return client_for(world.users["leader"])


def seats(body) -> list[BodyMember]:
    with scopes_disabled():
        return list(
            BodyMember.objects.filter(body=body)
            .select_related("person")
            .order_by("start_date", "pk")
        )


def row(body: str, dom_id: str) -> str:
    match = re.search(rf'<tr id="{dom_id}".*?</tr>', body, re.S)
    assert match is not None, dom_id
    return match.group(0)


# List -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_the_bodies(world, gov, client_for, role):
    response = client_for(world.users[role]).get(url("body_list", world.tenant))
    assert response.status_code == 200
    body_row = row(text(response), f"body-{gov.body.pk}")
    assert gov.body.name in body_row
    assert "<td>SG</td>" in body_row
    assert "<td>3</td>" in body_row  # chair, process leader, member


def test_the_list_counts_only_current_members(world, gov, leader):
    BodyMemberFactory(
        body=gov.body,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    BodyMemberFactory(body=gov.body, start_date=timezone.localdate() + datetime.timedelta(days=30))
    body_row = row(text(leader.get(url("body_list", world.tenant))), f"body-{gov.body.pk}")
    assert "<td>3</td>" in body_row


def test_the_list_shows_the_next_planned_meeting(world, gov, leader):
    now = timezone.now()
    MeetingFactory(body=gov.body, starts_at=now - datetime.timedelta(days=10))
    later = MeetingFactory(body=gov.body, starts_at=now + datetime.timedelta(days=40))
    soon = MeetingFactory(body=gov.body, starts_at=now + datetime.timedelta(days=7))
    MeetingFactory(
        body=gov.body,
        starts_at=now + datetime.timedelta(days=2),
        status=MeetingStatus.CANCELLED,
        cancelled_reason="Planeringsdag i stället",
    )
    body_row = row(text(leader.get(url("body_list", world.tenant))), f"body-{gov.body.pk}")
    assert f'href="{url("meeting_detail", world.tenant, soon.pk)}"' in body_row
    assert url("meeting_detail", world.tenant, later.pk) not in body_row


def test_a_joint_meeting_is_the_next_meeting_of_every_body_in_it(world, gov, leader):
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    joint = MeetingFactory(body=network, starts_at=timezone.now() + datetime.timedelta(days=3))
    with scopes_disabled():
        joint.joint_bodies.add(gov.body)
    body_row = row(text(leader.get(url("body_list", world.tenant))), f"body-{gov.body.pk}")
    assert url("meeting_detail", world.tenant, joint.pk) in body_row


def test_reporters_are_not_shown_planned_meetings(world, gov, client_for):
    planned = MeetingFactory(body=gov.body, starts_at=timezone.now() + datetime.timedelta(days=7))
    body = text(client_for(world.users["reporter"]).get(url("body_list", world.tenant)))
    assert url("meeting_detail", world.tenant, planned.pk) not in body


def test_the_list_hides_archived_bodies_until_asked(world, gov, leader):
    old = BodyFactory(tenant=world.tenant, name="Gamla arbetsgruppen", archived_at=timezone.now())
    assert old.name not in text(leader.get(url("body_list", world.tenant)))
    with_archived = text(leader.get(url("body_list", world.tenant, query="?archived=1")))
    assert old.name in with_archived
    assert url("body_restore", world.tenant, old.pk) in with_archived


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_the_list_is_read_only_below_process_leader(world, gov, client_for, role):
    body = text(client_for(world.users[role]).get(url("body_list", world.tenant)))
    assert url("body_create", world.tenant) not in body
    assert url("body_edit", world.tenant, gov.body.pk) not in body


def test_the_list_never_shows_another_programme(world, gov, other_gov, leader):
    assert f'id="body-{other_gov.body.pk}"' not in text(leader.get(url("body_list", world.tenant)))


def test_the_list_for_htmx_is_the_listing_fragment(world, gov, leader):
    response = leader.get(url("body_list", world.tenant), **HTMX)
    assert is_fragment(response)
    assert 'id="body-listing"' in text(response)


def _bodies_with_members_and_meetings(world, count: int) -> None:
    now = timezone.now()
    for i in range(count):
        body = BodyFactory(tenant=world.tenant)
        BodyMemberFactory(body=body)
        BodyMemberFactory(body=body, end_date=datetime.date(2024, 6, 1))
        MeetingFactory(body=body, starts_at=now + datetime.timedelta(days=i + 1))


# Session, user, tenant, membership, then the page's one query.
BODY_LIST_QUERIES = 5


@pytest.mark.parametrize("extra", [1, 15])
def test_body_list_costs_the_same_for_few_and_many(
    world, gov, leader, django_assert_num_queries, extra
):
    _bodies_with_members_and_meetings(world, extra)
    with django_assert_num_queries(BODY_LIST_QUERIES):
        response = leader.get(url("body_list", world.tenant))
    assert text(response).count('<tr id="body-') == 1 + extra


# Detail ---------------------------------------------------------------------


@pytest.fixture
def network(world):
    return BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_the_members_grouped_by_role(world, gov, client_for, role):
    response = client_for(world.users[role]).get(url("body_detail", world.tenant, gov.body.pk))
    assert response.status_code == 200
    body = text(response)
    groups = re.findall(r'<th scope="rowgroup"[^>]*>([^<]+)</th>', body)
    assert len(groups) == 3  # chair, member, process leader — in the order of the roles
    main = body.index("<main")  # the header names the logged-in person
    chair_at = body.index(gov.chair.name, main)
    member_at = body.index(gov.member.name, main)
    leader_at = body.index(gov.leader.name, main)
    assert chair_at < member_at < leader_at
    assert world.principal.name in row(body, f"member-{seats(gov.body)[2].pk}")


def test_what_a_member_represents_includes_another_body(world, gov, network, leader):
    person = PersonFactory(tenant=world.tenant, name="Rektor Rep")
    seat = BodyMemberFactory(
        body=gov.body,
        person=person,
        represents_principal=world.principal,
        represents_body=network,
        start_date=datetime.date(2025, 1, 1),
    )
    body = text(leader.get(url("body_detail", world.tenant, gov.body.pk)))
    member_row = row(body, f"member-{seat.pk}")
    assert world.principal.name in member_row
    assert "Skolchefsnätverket" in member_row
    assert in_swedish("rep. %(name)s") % {"name": "Skolchefsnätverket"} in member_row


def test_earlier_periods_show_from_and_to(world, gov, leader):
    old = BodyMemberFactory(
        body=gov.body,
        role="ersattare",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2023, 6, 30),
    )
    body = text(leader.get(url("body_detail", world.tenant, gov.body.pk)))
    assert f'id="member-{old.pk}"' not in body  # not among the current members
    period = row(body, f"period-{old.pk}")
    assert 'datetime="2022-01-01"' in period
    assert 'datetime="2023-06-30"' in period


def test_a_new_chair_is_a_new_period_in_the_chair_history(world, gov, leader):
    successor = PersonFactory(tenant=world.tenant, name="Ny Ordförande")
    response = leader.post(
        url("body_member_add", world.tenant, gov.body.pk),
        {"person": successor.pk, "role": "ordforande", "start_date": "2025-09-01"},
    )
    assert response.status_code == 302

    old_chair, new_chair = [s for s in seats(gov.body) if s.role == "ordforande"]
    assert old_chair.person == gov.chair
    assert old_chair.end_date == datetime.date(2025, 8, 31)
    assert new_chair.person == successor
    assert new_chair.end_date is None

    body = text(leader.get(url("body_detail", world.tenant, gov.body.pk)))
    first = row(body, f"chair-period-{old_chair.pk}")
    second = row(body, f"chair-period-{new_chair.pk}")
    assert gov.chair.name in first
    assert 'datetime="2024-01-01"' in first
    assert 'datetime="2025-08-31"' in first
    assert successor.name in second
    assert body.index(f"chair-period-{old_chair.pk}") < body.index(f"chair-period-{new_chair.pk}")
    assert f'id="member-{new_chair.pk}"' in body  # the current chair
    assert f'id="period-{old_chair.pk}"' in body  # the previous one, among earlier periods


def test_the_body_page_links_its_meetings(world, gov, network, leader):
    own = MeetingFactory(body=gov.body)
    joint = MeetingFactory(body=network)
    elsewhere = MeetingFactory(body=network)
    with scopes_disabled():
        joint.joint_bodies.add(gov.body)
    body = text(leader.get(url("body_detail", world.tenant, gov.body.pk)))
    assert f'href="{url("meeting_detail", world.tenant, own.pk)}"' in body
    assert f'href="{url("meeting_detail", world.tenant, joint.pk)}"' in body
    assert url("meeting_detail", world.tenant, elsewhere.pk) not in body


def test_reporters_see_only_meetings_with_approved_minutes(world, gov, client_for):
    approved = MeetingFactory(body=gov.body, minutes_status=MinutesStatus.APPROVED)
    finished = MeetingFactory(body=gov.body, minutes_status=MinutesStatus.FINISHED)
    draft = MeetingFactory(body=gov.body)
    page = url("body_detail", world.tenant, gov.body.pk)
    reporter = text(client_for(world.users["reporter"]).get(page))
    steering = text(client_for(world.users["steering"]).get(page))
    assert url("meeting_detail", world.tenant, approved.pk) in reporter
    assert url("meeting_detail", world.tenant, finished.pk) not in reporter
    assert url("meeting_detail", world.tenant, draft.pk) not in reporter
    assert url("meeting_detail", world.tenant, draft.pk) in steering


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_the_body_page_is_read_only_below_process_leader(world, gov, client_for, role):
    body = text(client_for(world.users[role]).get(url("body_detail", world.tenant, gov.body.pk)))
    assert url("body_member_add", world.tenant, gov.body.pk) not in body
    assert "/end/" not in body
    assert url("body_edit", world.tenant, gov.body.pk) not in body


def test_leader_gets_member_controls_with_accessible_names(world, gov, leader):
    body = text(leader.get(url("body_detail", world.tenant, gov.body.pk)))
    chair_seat = seats(gov.body)[0]
    assert f'href="{url("body_member_add", world.tenant, gov.body.pk)}"' in body
    assert f'href="{url("body_member_end", world.tenant, chair_seat.pk)}"' in body
    end_link = row(body, f"member-{chair_seat.pk}")
    assert re.search(rf'<span class="visually-hidden">[^<]*{gov.chair.name}[^<]*</span>', end_link)


def test_the_body_page_for_htmx_is_the_members_fragment(world, gov, leader):
    response = leader.get(url("body_detail", world.tenant, gov.body.pk), **HTMX)
    assert is_fragment(response)
    assert text(response).lstrip().startswith('<section id="body-members"')


# Session, user, tenant, membership; the body, its seats, its meetings.
BODY_DETAIL_QUERIES = 7


@pytest.mark.parametrize("extra", [1, 15])
def test_body_detail_costs_the_same_for_few_and_many(
    world, gov, network, leader, django_assert_num_queries, extra
):
    for _ in range(extra):
        person = PersonFactory(tenant=world.tenant, principal=world.principal)
        BodyMemberFactory(
            body=gov.body,
            person=person,
            represents_principal=world.principal,
            represents_body=network,
        )
        BodyMemberFactory(body=gov.body, end_date=datetime.date(2024, 6, 1))
        MeetingFactory(body=gov.body)
    with django_assert_num_queries(BODY_DETAIL_QUERIES):
        leader.get(url("body_detail", world.tenant, gov.body.pk))


# Create ---------------------------------------------------------------------

VALID_BODY = {"name": "Tvärgrupp barn och unga", "kind": "tvargrupp", "code": "tg"}


def test_leader_creates_a_body_without_javascript(world, leader):
    assert "<html" in text(leader.get(url("body_create", world.tenant)))
    response = leader.post(url("body_create", world.tenant), VALID_BODY)
    with scopes_disabled():
        body = Body.objects.get(tenant=world.tenant, name="Tvärgrupp barn och unga")
    assert response.status_code == 302
    assert response["Location"] == url("body_detail", world.tenant, body.pk)
    assert body.code == "TG"
    [event] = audit_events(action="body.create", object_type="governance.body")
    assert event.actor == world.users["leader"]
    assert event.object_id == str(body.pk)


def test_leader_creates_a_body_inline_with_htmx(world, leader):
    form = leader.get(url("body_create", world.tenant), **HTMX)
    assert is_fragment(form)
    assert 'hx-target="#body-create"' in text(form)
    response = leader.post(url("body_create", world.tenant), VALID_BODY, **HTMX)
    with scopes_disabled():
        body = Body.objects.get(tenant=world.tenant, code="TG")
    assert is_fragment(response)
    assert 'hx-swap-oob="beforeend:#body-rows"' in text(response)
    assert f'<tr id="body-{body.pk}"' in text(response)
    assert hx_trigger(response) == {"bodyChanged": {"id": body.pk, "action": "create"}}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**VALID_BODY, "name": ""}, "name"),
        ({**VALID_BODY, "name": "styrgruppen"}, "name"),  # taken, whatever the case
        ({**VALID_BODY, "code": "sg"}, "code"),  # taken
        ({**VALID_BODY, "code": "T G"}, "code"),
        ({**VALID_BODY, "kind": "klubb"}, "kind"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_body_is_refused_on_its_field_and_nothing_is_written(
    world, gov, leader, data, field, headers
):
    before = rows(Body)
    response = leader.post(url("body_create", world.tenant), data, **headers)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert 'aria-invalid="true"' in text(response)
    assert is_fragment(response) == bool(headers)
    assert rows(Body) == before
    assert audit_count() == 0


def test_the_same_abbreviation_is_fine_in_another_programme(world, other_gov, leader):
    response = leader.post(
        url("body_create", world.tenant), {**VALID_BODY, "code": "SG", "name": "X"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_create_bodies(world, client_for, role):
    client = client_for(world.users[role])
    before = rows(Body)
    assert client.get(url("body_create", world.tenant)).status_code == 403
    assert client.post(url("body_create", world.tenant), VALID_BODY).status_code == 403
    assert rows(Body) == before
    assert audit_count() == 0


def test_body_create_in_another_programme_is_404(world, other_world, client_for):
    before = rows(Body)
    client = client_for(other_world.users["leader"])
    assert client.post(url("body_create", world.tenant), VALID_BODY).status_code == 404
    assert rows(Body) == before


# Edit -----------------------------------------------------------------------


def test_leader_edits_a_body_without_javascript(world, gov, leader):
    page = leader.get(url("body_edit", world.tenant, gov.body.pk))
    assert 'value="Styrgruppen"' in text(page)
    response = leader.post(
        url("body_edit", world.tenant, gov.body.pk),
        {
            "name": "Styrgruppen BBG",
            "kind": "styrgrupp",
            "code": "sg",
            "description": "Länet",
            "version": gov.body.version,
        },
    )
    assert response.status_code == 302
    body = reload(gov.body)
    assert body.name == "Styrgruppen BBG"
    assert body.description == "Länet"
    [event] = audit_events(action="body.update", object_type="governance.body")
    assert event.before["name"] == "Styrgruppen"
    assert event.after["name"] == "Styrgruppen BBG"


def test_leader_edits_a_body_inline_with_htmx(world, gov, leader):
    form = leader.get(url("body_edit", world.tenant, gov.body.pk), **HTMX)
    assert starts_with_row(form, f"body-{gov.body.pk}")
    response = leader.post(
        url("body_edit", world.tenant, gov.body.pk),
        {"name": "Styrgruppen BBG", "kind": "styrgrupp", "code": "SG", "version": 1},
        **HTMX,
    )
    assert starts_with_row(response, f"body-{gov.body.pk}")
    assert "Styrgruppen BBG" in text(response)
    assert "<td>3</td>" in text(response)  # the row still counts its members
    assert hx_trigger(response) == {"bodyChanged": {"id": gov.body.pk, "action": "update"}}


def test_renaming_to_a_taken_abbreviation_changes_nothing(world, gov, network, leader):
    before = rows(Body)
    response = leader.post(
        url("body_edit", world.tenant, gov.body.pk),
        {"name": "Styrgruppen", "kind": "styrgrupp", "code": "scn"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "code" in form_errors(response)
    assert starts_with_row(response, f"body-{gov.body.pk}")
    assert rows(Body) == before
    assert audit_count() == 0


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_edit_bodies(world, gov, client_for, role):
    client = client_for(world.users[role])
    before = rows(Body)
    page = url("body_edit", world.tenant, gov.body.pk)
    assert client.get(page).status_code == 403
    assert client.post(page, {"name": "Kapad", "kind": "annan", "code": "K"}).status_code == 403
    assert rows(Body) == before
    assert audit_count() == 0


def test_editing_another_programmes_body_is_404(world, other_gov, leader):
    before = rows(Body)
    page = url("body_edit", world.tenant, other_gov.body.pk)
    assert leader.get(page).status_code == 404
    assert leader.post(page, {"name": "Kapad", "kind": "annan", "code": "K"}).status_code == 404
    assert rows(Body) == before


# Archive and restore --------------------------------------------------------


def test_leader_archives_and_restores_a_body(world, gov, leader):
    confirm = leader.get(url("body_archive", world.tenant, gov.body.pk))
    assert confirm.status_code == 200
    response = leader.post(url("body_archive", world.tenant, gov.body.pk))
    assert response.status_code == 302
    assert reload(gov.body).is_archived
    assert f'id="body-{gov.body.pk}"' not in text(leader.get(url("body_list", world.tenant)))

    response = leader.post(url("body_restore", world.tenant, gov.body.pk), **HTMX)
    assert starts_with_row(response, f"body-{gov.body.pk}")
    assert not reload(gov.body).is_archived
    assert [e.action for e in audit_events(object_type="governance.body")] == [
        "body.archive",
        "body.restore",
    ]
    with scopes_disabled():
        assert Body.objects.filter(pk=gov.body.pk).exists()  # nothing deleted


def test_leader_archives_a_body_inline_with_htmx(world, gov, leader):
    confirm = leader.get(url("body_archive", world.tenant, gov.body.pk), **HTMX)
    assert starts_with_row(confirm, f"body-{gov.body.pk}")
    response = leader.post(url("body_archive", world.tenant, gov.body.pk), **HTMX)
    assert starts_with_row(response, f"body-{gov.body.pk}")
    assert "is-archived" in text(response)
    assert hx_trigger(response) == {"bodyChanged": {"id": gov.body.pk, "action": "archive"}}


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_archive_bodies(world, gov, client_for, role):
    client = client_for(world.users[role])
    assert client.get(url("body_archive", world.tenant, gov.body.pk)).status_code == 403
    assert client.post(url("body_archive", world.tenant, gov.body.pk)).status_code == 403
    assert client.post(url("body_restore", world.tenant, gov.body.pk)).status_code == 403
    assert not reload(gov.body).is_archived
    assert audit_count() == 0


def test_archiving_another_programmes_body_is_404(world, other_gov, leader):
    assert leader.post(url("body_archive", world.tenant, other_gov.body.pk)).status_code == 404
    assert leader.post(url("body_restore", world.tenant, other_gov.body.pk)).status_code == 404
    assert not reload(other_gov.body).is_archived


# Seating members ------------------------------------------------------------


def test_leader_seats_a_member_representing_a_principal_and_a_body(world, gov, network, leader):
    person = PersonFactory(tenant=world.tenant, name="Anna Rektor", principal=world.principal)
    response = leader.post(
        url("body_member_add", world.tenant, gov.body.pk),
        {
            "person": person.pk,
            "role": "ledamot",
            "represents_principal": world.principal.pk,
            "represents_body": network.pk,
            "start_date": "2025-01-15",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("body_detail", world.tenant, gov.body.pk)
    seat = seats(gov.body)[-1]
    assert seat.person == person
    assert seat.represents_principal_id == world.principal.pk
    assert seat.represents_body_id == network.pk
    assert seat.start_date == datetime.date(2025, 1, 15)
    [event] = audit_events(action="body_member.create", object_type="governance.bodymember")
    assert event.actor == world.users["leader"]


def test_leader_seats_a_chair_inline_and_gets_the_members_section_back(world, gov, leader):
    form = leader.get(url("body_member_add", world.tenant, gov.body.pk), **HTMX)
    assert is_fragment(form)
    assert 'hx-target="#member-create"' in text(form)

    successor = PersonFactory(tenant=world.tenant, name="Ny Ordförande")
    response = leader.post(
        url("body_member_add", world.tenant, gov.body.pk),
        {"person": successor.pk, "role": "ordforande", "start_date": "2025-09-01"},
        **HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#body-members"
    assert response["HX-Reswap"] == "outerHTML"
    body = text(response)
    assert body.lstrip().startswith('<section id="body-members"')
    assert 'role="status"' in body
    old_chair = seats(gov.body)[0]
    assert f'id="period-{old_chair.pk}"' in body  # moved to the earlier periods
    assert hx_trigger(response)["bodyMembersChanged"]["action"] == "add"


def test_the_person_choices_are_the_programmes_people(world, gov, other_gov, leader):
    page = text(leader.get(url("body_member_add", world.tenant, gov.body.pk)))
    assert f'name="person" value="{gov.member.pk}"' in page
    assert f'name="person" value="{other_gov.member.pk}"' not in page
    assert f'<option value="{gov.body.pk}">' not in page.split('name="represents_body"')[1][:300]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "2025-05-01", "end_date": "2025-04-01"}, "end_date"),
        ({"start_date": ""}, "start_date"),
        ({"role": "kung"}, "role"),
        ({"person": None}, "person"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_seat_is_refused_on_its_field_and_nothing_is_written(
    world, gov, leader, change, field, headers
):
    data = {"person": gov.member.pk, "role": "ersattare", "start_date": "2025-05-01", **change}
    data = {k: v for k, v in data.items() if v is not None}
    before = rows(BodyMember)
    response = leader.post(url("body_member_add", world.tenant, gov.body.pk), data, **headers)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert is_fragment(response) == bool(headers)
    assert rows(BodyMember) == before
    assert audit_count() == 0


def test_a_person_of_another_programme_cannot_be_seated(world, gov, other_gov, leader):
    before = rows(BodyMember)
    response = leader.post(
        url("body_member_add", world.tenant, gov.body.pk),
        {"person": other_gov.member.pk, "role": "ledamot", "start_date": "2025-05-01"},
    )
    assert response.status_code == 200
    assert "person" in form_errors(response)
    assert rows(BodyMember) == before


def test_a_second_chair_from_the_same_day_is_refused(world, gov, leader):
    before = rows(BodyMember)
    response = leader.post(
        url("body_member_add", world.tenant, gov.body.pk),
        {"person": gov.member.pk, "role": "ordforande", "start_date": "2024-01-01"},
    )
    assert response.status_code == 200
    assert form_errors(response)  # the service's refusal, shown on the form
    assert rows(BodyMember) == before
    assert audit_count() == 0


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_seat_members(world, gov, client_for, role):
    client = client_for(world.users[role])
    before = rows(BodyMember)
    page = url("body_member_add", world.tenant, gov.body.pk)
    assert client.get(page).status_code == 403
    data = {"person": gov.member.pk, "role": "ersattare", "start_date": "2025-05-01"}
    assert client.post(page, data).status_code == 403
    assert rows(BodyMember) == before
    assert audit_count() == 0


def test_seating_in_another_programmes_body_is_404(world, other_gov, leader):
    before = rows(BodyMember)
    page = url("body_member_add", world.tenant, other_gov.body.pk)
    data = {"person": other_gov.member.pk, "role": "ersattare", "start_date": "2025-05-01"}
    assert leader.get(page).status_code == 404
    assert leader.post(page, data).status_code == 404
    assert rows(BodyMember) == before


# Ending periods -------------------------------------------------------------


def member_seat(gov) -> BodyMember:
    return next(s for s in seats(gov.body) if s.person == gov.member)


def test_leader_ends_a_period_without_javascript(world, gov, leader):
    seat = member_seat(gov)
    page = leader.get(url("body_member_end", world.tenant, seat.pk))
    assert page.status_code == 200
    assert "<html" in text(page)
    response = leader.post(
        url("body_member_end", world.tenant, seat.pk), {"end_date": "2025-06-30"}
    )
    assert response.status_code == 302
    assert reload(seat).end_date == datetime.date(2025, 6, 30)
    [event] = audit_events(action="body_member.update", object_type="governance.bodymember")
    assert event.before["end_date"] is None
    assert event.after["end_date"] == "2025-06-30"
    with scopes_disabled():
        assert BodyMember.objects.filter(pk=seat.pk).exists()  # the period stays


def test_leader_ends_a_period_inline_with_htmx(world, gov, leader):
    seat = member_seat(gov)
    form = leader.get(url("body_member_end", world.tenant, seat.pk), **HTMX)
    assert starts_with_row(form, f"member-{seat.pk}")
    response = leader.post(
        url("body_member_end", world.tenant, seat.pk), {"end_date": "2025-06-30"}, **HTMX
    )
    assert response["HX-Retarget"] == "#body-members"
    body = text(response)
    assert f'id="period-{seat.pk}"' in body
    assert f'id="member-{seat.pk}"' not in body
    assert hx_trigger(response)["bodyMembersChanged"] == {"id": seat.pk, "action": "end"}


@pytest.mark.parametrize(
    "end_date", ["2023-12-31", "", "inte ett datum"], ids=["before-start", "empty", "garbage"]
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_bad_end_date_is_refused_and_nothing_is_written(world, gov, leader, end_date, headers):
    seat = member_seat(gov)
    before = rows(BodyMember)
    response = leader.post(
        url("body_member_end", world.tenant, seat.pk), {"end_date": end_date}, **headers
    )
    assert response.status_code == 200
    assert "end_date" in form_errors(response)
    if headers:
        assert starts_with_row(response, f"member-{seat.pk}")
    assert rows(BodyMember) == before
    assert audit_count() == 0


def test_a_period_cannot_be_ended_later_than_it_already_ended(world, gov, leader):
    seat = BodyMemberFactory(
        body=gov.body, start_date=datetime.date(2022, 1, 1), end_date=datetime.date(2023, 1, 1)
    )
    before = rows(BodyMember)
    response = leader.post(
        url("body_member_end", world.tenant, seat.pk), {"end_date": "2024-01-01"}
    )
    assert response.status_code == 200
    assert "end_date" in form_errors(response)
    assert rows(BodyMember) == before


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_end_periods(world, gov, client_for, role):
    seat = member_seat(gov)
    client = client_for(world.users[role])
    assert client.get(url("body_member_end", world.tenant, seat.pk)).status_code == 403
    response = client.post(
        url("body_member_end", world.tenant, seat.pk), {"end_date": "2025-06-30"}
    )
    assert response.status_code == 403
    assert reload(seat).end_date is None
    with scopes_disabled():
        assert not AuditEvent.objects.exists()


def test_ending_another_programmes_period_is_404(world, other_gov, leader):
    seat = member_seat(other_gov)
    page = url("body_member_end", world.tenant, seat.pk)
    assert leader.get(page).status_code == 404
    assert leader.post(page, {"end_date": "2025-06-30"}).status_code == 404
    assert reload(seat).end_date is None
