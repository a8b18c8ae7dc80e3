"""Bodies and their members over time: codes, uniqueness, chairs as periods,
programme boundaries and the audit trail of every write."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import Body, BodyMember, BodyRole
from governance.services import DomainError, bodies
from portal.models import AuditEvent
from tests.factories import PersonFactory, PrincipalFactory
from tests.governance.factories import BodyFactory, BodyMemberFactory
from tests.governance.service_helpers import audits

pytestmark = pytest.mark.usefixtures("in_scope")

D = datetime.date


def seat(body: Body, person) -> BodyMember:
    return BodyMember.objects.get(body=body, person=person)


# Bodies -------------------------------------------------------------------------


def test_body_create_uppercases_and_strips_the_code_and_audits_it(world):
    body = bodies.body_create(
        actor=world.users["leader"],
        tenant=world.tenant,
        name="Skolchefsnätverket",
        kind="skolchefsnatverk",
        code="  scn ",
    )

    body.refresh_from_db()
    assert body.code == "SCN"
    [event] = audits(body)
    assert event.action == "body.create"
    assert event.actor == world.users["leader"]
    assert event.after["code"] == "SCN"
    assert event.before is None


def test_body_code_is_unique_per_programme_whatever_the_case(world, gov):
    with pytest.raises(ValidationError) as refused:
        bodies.body_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            name="Another group",
            kind="arbetsgrupp",
            code="sg",
        )

    assert "code" in refused.value.message_dict
    assert Body.objects.filter(name="Another group").count() == 0
    assert AuditEvent.objects.filter(object_type="governance.body").count() == 0


def test_body_name_is_unique_per_programme(world, gov):
    with pytest.raises(ValidationError) as refused:
        bodies.body_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            name="styrgruppen",
            kind="styrgrupp",
            code="SG2",
        )

    assert "name" in refused.value.message_dict
    assert not Body.objects.filter(code="SG2").exists()


def test_another_programme_may_use_the_same_code_and_name(world, gov, other_world, no_scopes):
    body = bodies.body_create(
        actor=other_world.users["leader"],
        tenant=other_world.tenant,
        name="Styrgruppen",
        kind="styrgrupp",
        code="sg",
    )

    assert body.code == "SG"
    assert body.tenant == other_world.tenant


def test_body_update_uppercases_the_code_and_refuses_a_taken_one(world, gov):
    other = BodyFactory(tenant=world.tenant, name="Arbetsgruppen", code="AG")

    bodies.body_update(actor=world.users["leader"], body=other, code=" ag2 ")
    other.refresh_from_db()
    assert other.code == "AG2"
    [event] = audits(other, "body.update")
    assert (event.before["code"], event.after["code"]) == ("AG", "AG2")

    with pytest.raises(ValidationError) as refused:
        bodies.body_update(actor=world.users["leader"], body=other, code="sg")
    assert "code" in refused.value.message_dict
    other.refresh_from_db()
    assert other.code == "AG2"


def test_body_update_to_its_own_code_is_allowed(world, gov):
    bodies.body_update(actor=world.users["leader"], body=gov.body, code="sg", name="Styrgruppen")

    gov.body.refresh_from_db()
    assert gov.body.code == "SG"
    assert audits(gov.body) == []  # nothing changed, nothing logged


def test_body_archive_keeps_the_row(world, gov):
    bodies.body_set_archived(actor=world.users["leader"], body=gov.body, archived=True)

    gov.body.refresh_from_db()
    assert gov.body.is_archived
    assert [e.action for e in audits(gov.body)] == ["body.archive"]


# Members over time ------------------------------------------------------------


def test_a_new_chair_ends_the_sitting_chairs_period_the_day_before(world, gov):
    new_chair = PersonFactory(tenant=world.tenant, name="Ny Ordförande")
    old_seat = seat(gov.body, gov.chair)

    new_seat = bodies.body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=new_chair,
        role=BodyRole.CHAIR,
        start_date=D(2025, 3, 1),
    )

    old_seat.refresh_from_db()
    assert old_seat.end_date == D(2025, 2, 28)
    assert new_seat.start_date == D(2025, 3, 1)
    assert new_seat.end_date is None
    chairs = BodyMember.objects.filter(body=gov.body, role=BodyRole.CHAIR).order_by("start_date")
    assert [(c.person, c.start_date, c.end_date) for c in chairs] == [
        (gov.chair, D(2024, 1, 1), D(2025, 2, 28)),
        (new_chair, D(2025, 3, 1), None),
    ]
    # One audit event per changed row, each with before and after.
    [ended] = audits(old_seat)
    assert ended.action == "body_member.period.end"
    assert ended.before["end_date"] is None
    assert ended.after["end_date"] == "2025-02-28"
    [created] = audits(new_seat)
    assert created.action == "body_member.create"
    assert created.after["person_id"] == new_chair.pk


def test_a_new_vice_chair_ends_only_the_vice_chair(world, gov):
    first_vice = PersonFactory(tenant=world.tenant)
    BodyMemberFactory(body=gov.body, person=first_vice, role=BodyRole.VICE_CHAIR)
    second_vice = PersonFactory(tenant=world.tenant)

    bodies.body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=second_vice,
        role=BodyRole.VICE_CHAIR,
        start_date=D(2025, 1, 1),
    )

    assert seat(gov.body, first_vice).end_date == D(2024, 12, 31)
    assert seat(gov.body, second_vice).end_date is None
    assert seat(gov.body, gov.chair).end_date is None  # the chair sits on


def test_ordinary_members_are_not_ended_by_new_members(world, gov):
    newcomer = PersonFactory(tenant=world.tenant, principal=world.other_principal)

    bodies.body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=newcomer,
        role=BodyRole.MEMBER,
        start_date=D(2025, 1, 1),
        represents_principal=world.other_principal,
    )
    bodies.body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=PersonFactory(tenant=world.tenant),
        role=BodyRole.PROCESS_LEADER,
        start_date=D(2025, 1, 1),
    )

    open_seats = BodyMember.objects.filter(body=gov.body, end_date__isnull=True)
    assert open_seats.count() == 5
    assert seat(gov.body, newcomer).represents_principal == world.other_principal
    assert AuditEvent.objects.filter(action="body_member.period.end").count() == 0


def test_a_chair_who_had_already_left_is_not_touched(world, gov):
    old_seat = seat(gov.body, gov.chair)
    bodies.body_member_end(actor=world.users["leader"], member=old_seat, end_date=D(2024, 6, 30))

    bodies.body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=PersonFactory(tenant=world.tenant),
        role=BodyRole.CHAIR,
        start_date=D(2025, 1, 1),
    )

    old_seat.refresh_from_db()
    assert old_seat.end_date == D(2024, 6, 30)
    assert [e.action for e in audits(old_seat)] == ["body_member.update"]


def test_a_second_chair_from_the_same_day_is_refused(world, gov):
    """Two chairs at once would make two people entitled to approve the minutes."""
    with pytest.raises(DomainError):
        bodies.body_member_add(
            actor=world.users["leader"],
            body=gov.body,
            person=PersonFactory(tenant=world.tenant),
            role=BodyRole.CHAIR,
            start_date=D(2024, 1, 1),
        )

    assert BodyMember.objects.filter(body=gov.body, role=BodyRole.CHAIR).count() == 1
    assert seat(gov.body, gov.chair).end_date is None


def test_a_refused_new_chair_leaves_the_sitting_chair_in_place(world, gov):
    with pytest.raises(ValidationError):
        bodies.body_member_add(
            actor=world.users["leader"],
            body=gov.body,
            person=PersonFactory(tenant=world.tenant),
            role=BodyRole.CHAIR,
            start_date=D(2025, 3, 1),
            end_date=D(2025, 1, 1),  # ends before it starts
        )

    assert seat(gov.body, gov.chair).end_date is None
    assert AuditEvent.objects.filter(object_type="governance.bodymember").count() == 0


def test_a_person_of_another_programme_cannot_be_seated(world, gov, other_world):
    stranger = PersonFactory(tenant=other_world.tenant)

    with pytest.raises(DomainError):
        bodies.body_member_add(
            actor=world.users["leader"],
            body=gov.body,
            person=stranger,
            role=BodyRole.MEMBER,
            start_date=D(2025, 1, 1),
        )

    assert BodyMember.objects.filter(body=gov.body).count() == 3
    assert AuditEvent.objects.filter(object_type="governance.bodymember").count() == 0


def test_a_new_chair_of_another_programme_does_not_end_the_sitting_chair(world, gov, other_world):
    with pytest.raises(DomainError):
        bodies.body_member_add(
            actor=world.users["leader"],
            body=gov.body,
            person=PersonFactory(tenant=other_world.tenant),
            role=BodyRole.CHAIR,
            start_date=D(2025, 1, 1),
        )

    assert seat(gov.body, gov.chair).end_date is None


def test_representing_another_programmes_principal_or_body_is_refused(world, gov, other_world):
    person = PersonFactory(tenant=world.tenant)
    foreign_principal = PrincipalFactory(tenant=other_world.tenant)
    foreign_body = BodyFactory(tenant=other_world.tenant)

    for represents in (
        {"represents_principal": foreign_principal},
        {"represents_body": foreign_body},
    ):
        with pytest.raises(DomainError):
            bodies.body_member_add(
                actor=world.users["leader"],
                body=gov.body,
                person=person,
                role=BodyRole.MEMBER,
                start_date=D(2025, 1, 1),
                **represents,
            )

    assert not BodyMember.objects.filter(person=person).exists()


def test_a_member_may_represent_another_body(world, gov):
    network = BodyFactory(tenant=world.tenant, name="Skolchefsnätverket", code="SCN")
    person = PersonFactory(tenant=world.tenant)

    member = bodies.body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=person,
        role=BodyRole.MEMBER,
        start_date=D(2025, 1, 1),
        represents_body=network,
    )

    assert seat(gov.body, person).represents_body == network
    assert audits(member)[0].after["represents_body_id"] == network.pk


def test_body_member_end_ends_the_period_and_keeps_it(world, gov):
    member_seat = seat(gov.body, gov.member)

    bodies.body_member_end(actor=world.users["leader"], member=member_seat, end_date=D(2025, 6, 30))

    member_seat.refresh_from_db()
    assert member_seat.end_date == D(2025, 6, 30)
    assert not member_seat.is_current(D(2025, 7, 1))
    assert member_seat.is_current(D(2025, 6, 30))
    [event] = audits(member_seat)
    assert (event.before["end_date"], event.after["end_date"]) == (None, "2025-06-30")


def test_body_member_end_refuses_an_already_ended_period(world, gov):
    member_seat = seat(gov.body, gov.member)
    bodies.body_member_end(actor=world.users["leader"], member=member_seat, end_date=D(2025, 6, 30))

    for later in (D(2025, 6, 30), D(2025, 12, 31)):
        with pytest.raises(DomainError):
            bodies.body_member_end(actor=world.users["leader"], member=member_seat, end_date=later)

    member_seat.refresh_from_db()
    assert member_seat.end_date == D(2025, 6, 30)
    assert len(audits(member_seat)) == 1


def test_body_member_end_before_the_start_is_a_field_error(world, gov):
    member_seat = seat(gov.body, gov.member)

    with pytest.raises(ValidationError) as refused:
        bodies.body_member_end(
            actor=world.users["leader"], member=member_seat, end_date=D(2023, 12, 31)
        )

    assert "end_date" in refused.value.message_dict
    member_seat.refresh_from_db()
    assert member_seat.end_date is None
    assert audits(member_seat) == []


def test_an_interim_chair_before_an_elected_future_chair_is_allowed_when_it_ends_in_time(
    world, gov
):
    elected = PersonFactory(tenant=world.tenant)
    bodies.body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=elected,
        role=BodyRole.CHAIR,
        start_date=D(2026, 1, 1),
    )
    interim = PersonFactory(tenant=world.tenant)

    with pytest.raises(DomainError):  # open-ended: would chair alongside the elected one
        bodies.body_member_add(
            actor=world.users["leader"],
            body=gov.body,
            person=interim,
            role=BodyRole.CHAIR,
            start_date=D(2025, 9, 1),
        )
    bodies.body_member_add(
        actor=world.users["leader"],
        body=gov.body,
        person=interim,
        role=BodyRole.CHAIR,
        start_date=D(2025, 9, 1),
        end_date=D(2025, 12, 31),
    )

    chairs = BodyMember.objects.filter(body=gov.body, role=BodyRole.CHAIR).order_by("start_date")
    assert [(c.person, c.start_date, c.end_date) for c in chairs] == [
        (gov.chair, D(2024, 1, 1), D(2025, 8, 31)),
        (interim, D(2025, 9, 1), D(2025, 12, 31)),
        (elected, D(2026, 1, 1), None),
    ]
