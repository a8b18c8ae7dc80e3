"""The contact details of people who left a programme are cleared after the
programme's period (issue 16, item 5): `portal.departures`, its daily task,
its command, and the period on the privacy details page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from portal import departures, services
from portal.models import AuditEvent, Membership, Person, PrivacyStatement
from portal.tasks import clear_departed_contacts as clear_task
from tests.factories import PersonFactory
from tests.helpers import audit_count, audit_events, reload, rows

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def departed(tenant, *, days_ago: int | None, **fields) -> Person:
    """A person of `tenant` with contact details, archived `days_ago` (None: not archived)."""
    person = PersonFactory(
        tenant=tenant,
        name=fields.pop("name", "Karin Fiktiv"),
        email=fields.pop("email", "karin.fiktiv@eskilstuna.example.se"),
        phone=fields.pop("phone", "016-710 10 00"),
        **fields,
    )
    if days_ago is not None:
        with scopes_disabled():
            Person.objects.filter(pk=person.pk).update(
                archived_at=NOW - datetime.timedelta(days=days_ago)
            )
    return reload(person)


def privacy(tenant, *, days: int | None) -> PrivacyStatement:
    with scope(tenant=tenant):
        return departures.PrivacyStatement.objects.create(
            tenant=tenant,
            controller_name="Region Sörmland",
            controller_email="registrator@example.se",
            dpo_email="dpo@example.se",
            clear_contacts_after_days=days,
        )


def run(tenant, **kwargs) -> departures.Cleared:
    with scope(tenant=tenant):
        return departures.clear_departed_contacts(tenant=tenant, now=NOW, **kwargs)


class TestWhoIsDue:
    def test_a_person_archived_longer_ago_than_the_default_period_is_cleared(self, world):
        due = departed(world.tenant, days_ago=settings.CLEAR_DEPARTED_CONTACTS_AFTER_DAYS + 1)
        result = run(world.tenant)
        assert [p.pk for p in result.people] == [due.pk]
        after = reload(due)
        assert (after.email, after.phone) == ("", "")

    def test_a_person_archived_within_the_period_keeps_their_contacts(self, world):
        recent = departed(world.tenant, days_ago=settings.CLEAR_DEPARTED_CONTACTS_AFTER_DAYS - 1)
        assert run(world.tenant).people == []
        assert reload(recent).email == "karin.fiktiv@eskilstuna.example.se"

    def test_a_person_not_archived_has_not_left(self, world):
        present = departed(world.tenant, days_ago=None)
        assert run(world.tenant).people == []
        assert reload(present).phone == "016-710 10 00"

    def test_a_person_whose_login_is_still_active_has_not_left(self, world):
        person = departed(world.tenant, days_ago=2000, user=world.users["steering"])
        assert run(world.tenant).people == []
        assert reload(person).email
        # Once the login is deactivated too, they have left.
        with scopes_disabled():
            Membership.objects.filter(pk=world.memberships["steering"].pk).update(is_active=False)
        assert [p.pk for p in run(world.tenant).people] == [person.pk]

    def test_the_programmes_own_period_applies(self, world):
        privacy(world.tenant, days=30)
        due = departed(world.tenant, days_ago=31)
        not_yet = departed(world.tenant, days_ago=29, name="Olle Fiktiv")
        result = run(world.tenant)
        assert result.period_days == 30
        assert [p.pk for p in result.people] == [due.pk]
        assert reload(not_yet).email

    @override_settings(CLEAR_DEPARTED_CONTACTS_AFTER_DAYS=60)
    def test_without_a_period_of_its_own_the_installations_applies(self, world):
        privacy(world.tenant, days=None)
        due = departed(world.tenant, days_ago=61)
        assert [p.pk for p in run(world.tenant).people] == [due.pk]

    def test_another_programme_is_untouched(self, world, other_world):
        ours = departed(world.tenant, days_ago=1000)
        theirs = departed(other_world.tenant, days_ago=1000)
        before = rows(Person)
        run(world.tenant)
        assert reload(ours).email == ""
        assert reload(theirs).email == "karin.fiktiv@eskilstuna.example.se"
        assert [r for r in rows(Person) if r["tenant_id"] == other_world.tenant.pk] == [
            r for r in before if r["tenant_id"] == other_world.tenant.pk
        ]
        assert not audit_events(tenant=other_world.tenant, action="person.contacts.clear")


class TestWhatIsCleared:
    def test_only_the_contact_details_go_the_name_title_and_organisation_stay(self, world):
        person = departed(
            world.tenant, days_ago=1000, title="Rektor", organisation="Fiktiva friskolan"
        )
        run(world.tenant)
        after = reload(person)
        assert (after.name, after.title, after.organisation) == (
            "Karin Fiktiv",
            "Rektor",
            "Fiktiva friskolan",
        )
        assert after.is_archived
        assert after.version == person.version + 1  # an open edit form is now stale

    def test_each_person_cleared_gets_one_audit_event_without_the_values(self, world):
        person = departed(world.tenant, days_ago=1000)
        run(world.tenant)
        (event,) = audit_events(action="person.contacts.clear")
        assert event.tenant == world.tenant
        assert event.object_type == "portal.person"
        assert event.object_id == str(person.pk)
        assert event.actor is None
        assert event.before == {"email": "***", "phone": "***"}
        assert event.after["email"] == "" and event.after["phone"] == ""
        assert event.after["period_days"] == settings.CLEAR_DEPARTED_CONTACTS_AFTER_DAYS
        assert "karin.fiktiv" not in str(event.before) + str(event.after)

    def test_the_values_leave_the_persons_earlier_audit_history_too(self, world):
        with scope(tenant=world.tenant):
            person = services.person_create(
                actor=world.users["admin"],
                tenant=world.tenant,
                name="Karin Fiktiv",
                email="karin.fiktiv@eskilstuna.example.se",
                phone="016-710 10 00",
            )
            Person.objects.filter(pk=person.pk).update(archived_at=NOW - datetime.timedelta(999))
        run(world.tenant)
        (created,) = audit_events(action="person.create", object_id=str(person.pk))
        assert created.after["email"] == "***"
        assert created.after["phone"] == "***"
        assert created.after["name"] == "Karin Fiktiv"

    def test_a_second_run_finds_nobody_and_logs_nothing(self, world):
        departed(world.tenant, days_ago=1000)
        run(world.tenant)
        count = audit_count()
        assert run(world.tenant).people == []
        assert audit_count() == count

    def test_a_dry_run_lists_who_is_due_and_writes_nothing(self, world):
        due = departed(world.tenant, days_ago=1000)
        before, count = rows(Person), audit_count()
        result = run(world.tenant, dry_run=True)
        assert [p.pk for p in result.people] == [due.pk]
        assert rows(Person) == before
        assert audit_count() == count


class TestRunners:
    def test_the_command_clears_every_programme(self, world, other_world):
        ours = departed(world.tenant, days_ago=1000)
        theirs = departed(other_world.tenant, days_ago=1000)
        out = io.StringIO()
        call_command("clear_departed_contacts", stdout=out)
        assert reload(ours).email == "" and reload(theirs).email == ""
        assert "Cleared 2 in all." in out.getvalue()

    def test_the_commands_dry_run_writes_nothing(self, world):
        departed(world.tenant, days_ago=1000)
        before, count = rows(Person), audit_count()
        out = io.StringIO()
        call_command("clear_departed_contacts", "--dry-run", stdout=out)
        assert rows(Person) == before and audit_count() == count
        assert "sormland: would clear 1" in out.getvalue()
        assert "Would clear 1 in all." in out.getvalue()

    def test_the_command_can_be_limited_to_one_programme(self, world, other_world):
        departed(world.tenant, days_ago=1000)
        theirs = departed(other_world.tenant, days_ago=1000)
        call_command("clear_departed_contacts", "--programme", "sormland", stdout=io.StringIO())
        assert reload(theirs).email

    def test_the_daily_task_clears_and_counts(self, world, other_world):
        departed(world.tenant, days_ago=1000)
        departed(other_world.tenant, days_ago=1000)
        assert clear_task() == 2
        with scopes_disabled():
            assert AuditEvent.objects.filter(action="person.contacts.clear").count() == 2

    def test_beat_runs_the_task_daily(self):
        from portal.celery import app

        entry = settings.CELERY_BEAT_SCHEDULE["clear-departed-contacts"]
        assert entry["task"] == "portal.tasks.clear_departed_contacts"
        assert entry["task"] in app.tasks
        assert entry["schedule"].hour == {3}


def privacy_post(**overrides) -> dict[str, str]:
    return {
        "controller_name": "Region Sörmland",
        "controller_email": "region@regionsormland.example.se",
        "dpo_email": "dataskyddsombud@regionsormland.example.se",
        **overrides,
    }


def notice_text(tenant) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("portal:programme_privacy", args=[tenant.slug])).content.decode()


class TestThePeriodOnThePrivacyPage:
    def url(self, tenant) -> str:
        return reverse("portal:statement_privacy", args=[tenant.slug])

    def test_an_admin_sets_the_period_and_the_notice_tells_it(self, world, client_for):
        response = client_for(world.users["admin"]).post(
            self.url(world.tenant), privacy_post(clear_contacts_after_days="90")
        )
        assert response.status_code == 302
        with scopes_disabled():
            assert PrivacyStatement.objects.get(tenant=world.tenant).clear_contacts_after_days == 90
        (event,) = audit_events(action="privacy_statement.create")
        assert event.after["clear_contacts_after_days"] == 90
        assert "90 days after they left" in notice_text(world.tenant)

    def test_without_a_period_the_notice_tells_the_default(self, world):
        days = settings.CLEAR_DEPARTED_CONTACTS_AFTER_DAYS
        assert f"{days} days after they left" in notice_text(world.tenant)

    @pytest.mark.parametrize("value", ["10", "4000", "-1", "ett år"])
    def test_a_period_out_of_bounds_is_refused_and_nothing_saved(self, world, client_for, value):
        response = client_for(world.users["admin"]).post(
            self.url(world.tenant), privacy_post(clear_contacts_after_days=value)
        )
        assert response.status_code == 400
        assert "clear_contacts_after_days" in response.context["form"].errors
        with scopes_disabled():
            assert not PrivacyStatement.objects.exists()

    def test_another_programmes_admin_gets_not_found(self, world, other_world, client_for):
        response = client_for(other_world.users["admin"]).post(
            self.url(world.tenant), privacy_post(clear_contacts_after_days="90")
        )
        assert response.status_code == 404
        with scopes_disabled():
            assert not PrivacyStatement.objects.exists()

    def test_too_little_role_cannot_set_it(self, world, client_for):
        response = client_for(world.users["leader"]).post(
            self.url(world.tenant), privacy_post(clear_contacts_after_days="90")
        )
        assert response.status_code == 403
        with scopes_disabled():
            assert not PrivacyStatement.objects.exists()


class TestTheDemo:
    def test_the_demo_has_a_departed_person_whose_contacts_the_seed_cleared(self, world):
        from demo.management.commands._demo.departures import NAME, seed_departures

        seed_departures()
        seed_departures()  # idempotent
        with scopes_disabled():
            (person,) = Person.objects.filter(tenant=world.tenant, name=NAME)
        assert person.is_archived
        assert (person.email, person.phone) == ("", "")
        (event,) = audit_events(action="person.contacts.clear", object_id=str(person.pk))
        assert event.tenant == world.tenant
        (created,) = audit_events(action="person.create", object_id=str(person.pk))
        assert created.after["email"] == "***"
