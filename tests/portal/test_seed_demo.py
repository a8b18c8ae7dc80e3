"""`manage.py seed_demo`: two demo programmes with real principals, fictional
people and five demo logins; running it again changes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.models import (
    AuditEvent,
    Membership,
    Operation,
    Person,
    Principal,
    PrincipalKind,
    Role,
    Sector,
    Tenant,
    User,
)
from tests.factories import TenantFactory

# People named in the real steering-group minutes in shared/seeds/. The demo
# uses the real organisations but must never use these people.
REAL_NAMES = (
    "Camilla Holmqvist",
    "Magnus Fritihof",
    "Karin Dahlqvist Claesson",
    "Erika Lagergren",
    "Gunnel Gustafsson",
    "Sofie Schentz Magnusson",
    "Hans Sjöberg",
    "Therese Linnér",
    "Mats Andersberg",
    "Torbjörn Forkby",
    "Angelika Thelin",
    "Nettan Candolf",
    "Malin Sjöqvist",
    "Lina Larsson",
    "Mari Kampf Westerberg",
    "Elisabeth Kantor",
    "Jennie Nimborg",
    "Katarina Haddon",
    "Johan Lindeberg",
    "My Zinderland",
    "Magnus Wallinder",
    "Carsten Wulf",
    "Patrik Grimmesjö",
    "Annie-Lie Jarhult",
    "Carina Mosel",
    "Per Sandberg",
    "Anders Elingfors",
    "Per-Henrik Nilsson",
    "Åsa Karlsson",
    "Annika Magnerot",
    "Linda Vingren",
    "Anna-Karin Pålsson",
    "Johan Rutgersmark",
    "Lena Nazzal",
    "Roger Johansson",
    "Carina Pettersson",
)

SORMLAND_MUNICIPALITIES = {
    "Eskilstuna kommun": "0484",
    "Flens kommun": "0482",
    "Gnesta kommun": "0461",
    "Katrineholms kommun": "0483",
    "Nyköpings kommun": "0480",
    "Oxelösunds kommun": "0481",
    "Strängnäs kommun": "0486",
    "Trosa kommun": "0488",
    "Vingåkers kommun": "0428",
}
KRONOBERG_MUNICIPALITIES = {
    "Alvesta kommun": "0764",
    "Lessebo kommun": "0761",
    "Ljungby kommun": "0781",
    "Markaryds kommun": "0767",
    "Tingsryds kommun": "0763",
    "Uppvidinge kommun": "0760",
    "Växjö kommun": "0780",
    "Älmhults kommun": "0765",
}
OTHER_PRINCIPALS = {
    "sormland": {
        "Region Sörmland": PrincipalKind.REGION,
        "FoU i Sörmland": PrincipalKind.RESEARCH,
    },
    "kronoberg": {
        "Region Kronoberg": PrincipalKind.REGION,
        "Polismyndigheten": PrincipalKind.STATE_AGENCY,
        "Linnéuniversitetet": PrincipalKind.RESEARCH,
    },
}
MUNICIPALITIES = {"sormland": SORMLAND_MUNICIPALITIES, "kronoberg": KRONOBERG_MUNICIPALITIES}

# username → {programme slug: (role, reporter's principal)}
DEMO_LOGINS: dict[str, dict[str, tuple[str, str | None]]] = {
    "processledare": {
        "sormland": (Role.PROCESS_LEADER, None),
        "kronoberg": (Role.PROCESS_LEADER, None),
    },
    "styrgrupp": {"sormland": (Role.STEERING_MEMBER, None)},
    "kommun": {"sormland": (Role.PRINCIPAL_REPORTER, "Eskilstuna kommun")},
    "forskare": {"sormland": (Role.RESEARCHER, None), "kronoberg": (Role.RESEARCHER, None)},
    "admin": {"sormland": (Role.TENANT_ADMIN, None)},
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_demo() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", "--not-production", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def seeded(db) -> str:
    out, _ = seed_demo()
    return out


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model._base_manager.count()
        for model in apps.get_app_config("portal").get_models()
    }


def test_creates_both_programmes(seeded):
    sormland = Tenant.objects.get(slug="sormland")
    kronoberg = Tenant.objects.get(slug="kronoberg")

    assert sormland.name == "Tillsammans för barnens bästa i Sörmland"
    assert sormland.region == "Region Sörmland"
    assert sormland.reporting_interval_months == 6
    assert "barn" in sormland.description
    assert kronoberg.name == "Barnens bästa gäller! i Kronoberg"
    assert kronoberg.region == "Region Kronoberg"
    assert kronoberg.reporting_interval_months == 6


@pytest.mark.parametrize("slug", ["sormland", "kronoberg"])
def test_creates_the_real_principals_with_their_municipality_codes(seeded, slug, no_scopes):
    principals = Principal.objects.filter(tenant__slug=slug)

    municipalities = {
        p.name: p.municipality_code for p in principals if p.kind == PrincipalKind.MUNICIPALITY
    }
    others = {p.name: p.kind for p in principals if p.kind != PrincipalKind.MUNICIPALITY}
    assert municipalities == MUNICIPALITIES[slug]
    assert others == OTHER_PRINCIPALS[slug]


def test_spot_checks_municipality_codes(seeded, no_scopes):
    codes = dict(Principal.objects.values_list("name", "municipality_code"))

    assert codes["Eskilstuna kommun"] == "0484"
    assert codes["Vingåkers kommun"] == "0428"
    assert codes["Växjö kommun"] == "0780"
    assert codes["Älmhults kommun"] == "0765"
    assert codes["Polismyndigheten"] == ""


def test_every_municipality_has_its_school_social_and_leisure_operations(seeded, no_scopes):
    core = {
        Sector.PRESCHOOL,
        Sector.COMPULSORY_SCHOOL,
        Sector.STUDENT_HEALTH,
        Sector.SOCIAL_SERVICES,
        Sector.LEISURE,
    }
    for principal in Principal.objects.filter(kind=PrincipalKind.MUNICIPALITY):
        sectors = set(principal.operations.values_list("sector", flat=True))
        assert core <= sectors, principal.name


def test_regions_run_health_care_and_the_police_a_local_police_area(seeded, no_scopes):
    health_care = {
        Sector.CAMHS,
        Sector.PRIMARY_CARE,
        Sector.CHILD_HEALTH,
        Sector.MATERNITY,
        Sector.HABILITATION,
    }
    for region in Principal.objects.filter(kind=PrincipalKind.REGION):
        assert set(region.operations.values_list("sector", flat=True)) == health_care

    police_area = Operation.objects.get(name="Lokalpolisområde Växjö")
    assert police_area.principal.name == "Polismyndigheten"
    assert police_area.sector == Sector.POLICE
    assert police_area.tenant.slug == "kronoberg"


@pytest.mark.parametrize("slug", ["sormland", "kronoberg"])
def test_people_represent_every_principal_and_the_programme_roles(seeded, slug, no_scopes):
    people = list(Person.objects.filter(tenant__slug=slug).select_related("principal"))
    titles = [person.title for person in people]

    assert 25 <= len(people) <= 35
    assert {p.principal.name for p in people if p.principal} == set(
        Principal.objects.filter(tenant__slug=slug).values_list("name", flat=True)
    )
    assert titles.count("Processledare") == 2
    assert titles.count("Kommunikatör") == 1
    assert sum(title.startswith("Följeforskare") for title in titles) == 2
    emails = [person.email for person in people]
    assert all(email.endswith(".example.se") for email in emails)
    assert len(set(emails)) == len(emails)


def test_people_are_fictional(seeded, no_scopes):
    used = set(Person.objects.values_list("name", flat=True))
    used |= {user.get_full_name() for user in User.objects.all()}

    assert used.isdisjoint(REAL_NAMES)


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_demo_login_has_password_demo_and_its_memberships(seeded, username, no_scopes):
    user = User.objects.get(username=username)
    memberships = {
        m.tenant.slug: (m.role, m.principal.name if m.principal else None)
        for m in Membership.objects.filter(user=user, is_active=True).select_related(
            "tenant", "principal"
        )
    }

    assert user.check_password("demo")
    assert not user.is_superuser
    assert not user.is_staff
    assert user.first_name
    assert user.last_name
    assert user.email.endswith(".example.se")
    assert memberships == DEMO_LOGINS[username]
    linked = set(Person.objects.filter(user=user).values_list("tenant__slug", flat=True))
    assert linked == set(DEMO_LOGINS[username])


def test_reporter_person_belongs_to_eskilstuna(seeded, no_scopes):
    person = Person.objects.get(user__username="kommun")

    assert person.principal is not None
    assert person.principal.name == "Eskilstuna kommun"
    assert person.name == User.objects.get(username="kommun").get_full_name()


def test_running_twice_changes_nothing(seeded, no_scopes):
    before = row_counts()
    hashes = dict(User.objects.values_list("username", "password"))

    seed_demo()

    assert row_counts() == before
    assert dict(User.objects.values_list("username", "password")) == hashes


def test_first_run_is_audited_and_second_run_writes_no_audit_events(seeded, no_scopes):
    created = AuditEvent.objects.filter(action="create")
    assert created.filter(object_type="portal.principal").count() == Principal.objects.count()
    assert created.filter(object_type="portal.operation").count() == Operation.objects.count()
    assert created.filter(object_type="portal.person").count() == Person.objects.count()
    assert AuditEvent.objects.filter(action="member_add").count() == Membership.objects.count()
    events = AuditEvent.objects.count()

    seed_demo()

    assert AuditEvent.objects.count() == events


def test_fills_in_a_programme_that_already_exists_without_changing_it(db, no_scopes):
    TenantFactory(slug="sormland", name="Vårt eget namn", region="Region Sörmland")

    seed_demo()

    tenant = Tenant.objects.get(slug="sormland")
    assert tenant.name == "Vårt eget namn"
    assert Principal.objects.filter(tenant=tenant).count() == 11


def test_leaves_an_unrelated_account_with_a_demo_username_alone(db, no_scopes):
    other = User.objects.create_superuser("admin", "it@example.se", "not-the-demo-password")

    _, err = seed_demo()

    other.refresh_from_db()
    assert "admin" in err
    assert other.check_password("not-the-demo-password")
    assert not Membership.objects.filter(user=other).exists()
    assert not Person.objects.filter(user=other).exists()
    assert User.objects.get(username="kommun").check_password("demo")


def login(username: str) -> Any:
    """Log in through the login page and follow the redirects."""
    return Client().post(reverse("login"), {"username": username, "password": "demo"}, follow=True)


def test_kommun_logs_in_and_lands_on_sormland(seeded):
    response = login("kommun")

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("portal:home", args=["sormland"])
    assert "Tillsammans för barnens bästa i Sörmland" in response.content.decode()


def test_processledare_logs_in_and_picks_between_both_programmes(seeded):
    response = login("processledare")

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("portal:picker")
    page = response.content.decode()
    assert reverse("portal:home", args=["sormland"]) in page
    assert reverse("portal:home", args=["kronoberg"]) in page


@pytest.mark.parametrize("username", ["styrgrupp", "forskare", "admin"])
def test_other_demo_logins_can_log_in(seeded, username):
    response = login(username)

    assert response.status_code == 200
    assert response.wsgi_request.user.username == username


def test_stdout_lists_the_demo_logins(seeded):
    assert '"demo"' in seeded
    for username in DEMO_LOGINS:
        assert username in seeded
    assert "Eskilstuna kommun" in seeded


def test_refuses_to_run_in_production_settings(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="processledare").exists()
