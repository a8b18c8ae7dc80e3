"""Two-factor login with an authenticator app: setting it up, logging in with a
code, turning it off, and programmes that require it of their administrators."""

from __future__ import annotations

import time
from binascii import unhexlify

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_scopes import scopes_disabled

from portal import two_factor
from portal.models import AuditEvent
from tests.factories import UserFactory

PASSWORD = "secret-password-123"


@pytest.fixture(autouse=True)
def _slow_retries(settings):
    # One wrong code locks the device for a minute, so "throttled" does not depend
    # on how fast the test runs.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60


def code_for(key: str, *, offset: int = 0) -> str:
    totp = TOTP(unhexlify(key))
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def wrong_code(key: str) -> str:
    right = {code_for(key, offset=step) for step in (-60, -30, 0, 30, 60)}
    return next(code for code in (f"{n:06d}" for n in range(1000)) if code not in right)


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="App", key=default_key(), confirmed=True)


def password_step(client: Client, user, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, **extra)


def audit_events(action: str):
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action))


# Logging in -----------------------------------------------------------------------


def test_without_two_factor_the_password_logs_in(world):
    client = Client()
    response = password_step(client, world.users["leader"])

    assert response["Location"] == reverse("portal:picker")
    assert client.session["_auth_user_id"] == str(world.users["leader"].pk)


def test_with_two_factor_the_password_alone_does_not_log_in(world):
    device_for(world.users["leader"])
    client = Client()

    response = password_step(client, world.users["leader"])

    assert response["Location"] == reverse("login_code")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("portal:picker"))["Location"].startswith(reverse("login"))


def test_the_code_finishes_the_login_and_marks_the_session_verified(world):
    user = world.users["leader"]
    device = device_for(user)
    client = Client()
    password_step(client, user)

    response = client.post(reverse("login_code"), {"code": code_for(device.key)})

    assert response["Location"] == reverse("portal:picker")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["otp_device_id"] == device.persistent_id
    assert two_factor.PENDING_LOGIN_KEY not in client.session


def test_the_code_step_keeps_where_the_user_was_going(world):
    user = world.users["leader"]
    device = device_for(user)
    client = Client()
    client.post(
        reverse("login") + "?next=/sormland/",
        {"username": user.username, "password": PASSWORD, "next": "/sormland/"},
    )

    response = client.post(reverse("login_code"), {"code": code_for(device.key)})

    assert response["Location"] == "/sormland/"


def test_a_wrong_code_does_not_log_in_and_the_next_try_must_wait(world):
    user = world.users["leader"]
    device = device_for(user)
    client = Client()
    password_step(client, user)

    wrong = client.post(reverse("login_code"), {"code": wrong_code(device.key)})
    right_too_soon = client.post(reverse("login_code"), {"code": code_for(device.key)})

    assert wrong.status_code == 200
    assert 'class="errorlist"' in wrong.content.decode()
    assert right_too_soon.status_code == 200
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_used_code_cannot_log_in_again(world):
    user = world.users["leader"]
    device = device_for(user)
    code = code_for(device.key)
    first = Client()
    password_step(first, user)
    first.post(reverse("login_code"), {"code": code})
    second = Client()
    password_step(second, user)

    response = second.post(reverse("login_code"), {"code": code})

    assert response.status_code == 200
    assert "_auth_user_id" not in second.session


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
def test_a_code_that_is_not_six_digits_is_refused_without_counting(world, code):
    user = world.users["leader"]
    device = device_for(user)
    client = Client()
    password_step(client, user)

    response = client.post(reverse("login_code"), {"code": code})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_code_step_without_the_password_step_goes_back_to_login(world):
    response = Client().get(reverse("login_code"))

    assert response["Location"] == reverse("login")


def test_the_code_step_expires(world):
    user = world.users["leader"]
    device = device_for(user)
    client = Client()
    password_step(client, user)
    session = client.session
    session[two_factor.PENDING_LOGIN_KEY]["at"] -= two_factor.PENDING_LOGIN_SECONDS + 1
    session.save()

    response = client.post(reverse("login_code"), {"code": code_for(device.key)})

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_never_reaches_the_code_step(world):
    device_for(world.users["leader"])
    client = Client()

    response = client.post(
        reverse("login"), {"username": world.users["leader"].username, "password": "fel"}
    )

    assert response.status_code == 200
    assert two_factor.PENDING_LOGIN_KEY not in client.session


# Setting it up and turning it off --------------------------------------------------


def test_the_set_up_page_shows_a_qr_code_and_the_key(world, client_for):
    client = client_for(world.users["steering"])

    response = client.get(reverse("two_factor"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in page
    key = client.session[two_factor.NEW_SECRET_KEY]
    assert two_factor.secret_for_display(key) in page
    assert "<script" not in page.split("<main", 1)[1]


def test_the_set_up_page_shows_the_same_key_until_it_is_confirmed(world, client_for):
    client = client_for(world.users["steering"])
    client.get(reverse("two_factor"))
    key = client.session[two_factor.NEW_SECRET_KEY]

    client.get(reverse("two_factor"))

    assert client.session[two_factor.NEW_SECRET_KEY] == key


def test_confirming_with_a_code_turns_it_on_and_is_audited_without_the_secret(world, client_for):
    user = world.users["steering"]
    client = client_for(user)
    client.get(reverse("two_factor"))
    key = client.session[two_factor.NEW_SECRET_KEY]

    response = client.post(reverse("two_factor_enable"), {"code": code_for(key)})

    assert response["Location"] == reverse("two_factor")
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    assert client.session["otp_device_id"] == device.persistent_id
    (event,) = audit_events("totp_device.enable")
    assert event.actor == user
    assert event.object_id == str(device.pk)
    assert "key" not in event.after
    assert key not in str(event.after)


def test_a_wrong_code_does_not_turn_it_on(world, client_for):
    user = world.users["steering"]
    client = client_for(user)
    client.get(reverse("two_factor"))
    key = client.session[two_factor.NEW_SECRET_KEY]

    response = client.post(reverse("two_factor_enable"), {"code": wrong_code(key)})

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert audit_events("totp_device.enable") == []


def test_turning_it_on_without_the_set_up_page_writes_nothing(world, client_for):
    user = world.users["steering"]

    response = client_for(user).post(reverse("two_factor_enable"), {"code": "123456"})

    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_turning_it_off_takes_a_code_and_is_audited(world):
    user = world.users["steering"]
    device = device_for(user)
    client = Client()
    password_step(client, user)
    client.post(reverse("login_code"), {"code": code_for(device.key)})

    refused = client.post(reverse("two_factor_disable"), {"code": wrong_code(device.key)})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    device.throttle_reset()
    response = client.post(reverse("two_factor_disable"), {"code": code_for(device.key, offset=30)})

    assert response["Location"] == reverse("two_factor")
    assert not TOTPDevice.objects.filter(user=user).exists()
    (event,) = audit_events("totp_device.disable")
    assert event.actor == user
    assert event.before["user_id"] == user.pk
    assert "key" not in event.before


def test_the_two_factor_pages_need_a_login(db):
    for name in ("two_factor", "two_factor_enable", "two_factor_verify", "two_factor_disable"):
        response = Client().post(reverse(name), {"code": "123456"})
        assert response["Location"].startswith(reverse("login") + "?next="), name


@pytest.mark.parametrize("name", ["two_factor_enable", "two_factor_verify", "two_factor_disable"])
def test_the_two_factor_writes_are_posts(world, client_for, name):
    assert client_for(world.users["leader"]).get(reverse(name)).status_code == 405


def test_a_user_cannot_turn_off_someone_elses_two_factor(world, client_for):
    victim = device_for(world.users["admin"])

    client_for(world.users["leader"]).post(
        reverse("two_factor_disable"), {"code": code_for(victim.key)}
    )

    assert TOTPDevice.objects.filter(pk=victim.pk).exists()


# Programmes that require it of their administrators -----------------------------


@pytest.fixture
def strict(world):
    world.tenant.require_admin_two_factor = True
    world.tenant.save(update_fields=["require_admin_two_factor"])
    return world


def home(world) -> str:
    return reverse("portal:home", kwargs={"tenant_slug": world.tenant.slug})


def test_an_administrator_without_two_factor_is_sent_to_set_it_up(strict, client_for):
    client = client_for(strict.users["admin"])

    response = client.get(home(strict))

    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor") + "?next=%2Fsormland%2F"
    page = client.get(response["Location"]).content.decode()
    assert strict.tenant.name in page
    assert 'name="next" value="/sormland/"' in page


def test_an_htmx_request_of_an_administrator_reloads_the_whole_page_to_set_up(strict, client_for):
    client = client_for(strict.users["admin"])

    response = client.get(
        reverse("portal:people", kwargs={"tenant_slug": strict.tenant.slug}),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/sormland/"},
    )

    assert response["HX-Redirect"] == reverse("two_factor") + "?next=%2Fsormland%2F"


def test_every_page_of_the_programme_is_held_back(strict, client_for):
    client = client_for(strict.users["admin"])
    for name in ("portal:members", "portal:people", "governance:meeting_list"):
        url = reverse(name, kwargs={"tenant_slug": strict.tenant.slug})
        assert client.get(url)["Location"].startswith(reverse("two_factor")), name


def test_setting_it_up_lets_the_administrator_in(strict, client_for):
    client = client_for(strict.users["admin"])
    client.get(reverse("two_factor"))
    key = client.session[two_factor.NEW_SECRET_KEY]

    response = client.post(
        reverse("two_factor_enable"), {"code": code_for(key), "next": home(strict)}
    )

    assert response["Location"] == home(strict)
    assert client.get(home(strict)).status_code == 200


def test_an_administrator_who_logged_in_with_a_code_gets_in(strict):
    user = strict.users["admin"]
    device = device_for(user)
    client = Client()
    password_step(client, user)
    client.post(reverse("login_code"), {"code": code_for(device.key)})

    assert client.get(home(strict)).status_code == 200


def test_an_administrator_with_a_device_but_no_code_this_session_must_enter_one(strict, client_for):
    user = strict.users["admin"]
    device = device_for(user)
    client = client_for(user)
    page = client.get(reverse("two_factor") + "?next=/sormland/").content.decode()
    assert reverse("two_factor_verify") in page

    refused = client.post(
        reverse("two_factor_verify"), {"code": wrong_code(device.key), "next": home(strict)}
    )
    assert refused.status_code == 200
    assert client.get(home(strict)).status_code == 302

    device.throttle_reset()
    response = client.post(
        reverse("two_factor_verify"), {"code": code_for(device.key), "next": home(strict)}
    )
    assert response["Location"] == home(strict)
    assert client.get(home(strict)).status_code == 200


def test_the_way_back_may_not_lead_off_site(strict, client_for):
    user = strict.users["admin"]
    device = device_for(user)
    client = client_for(user)

    response = client.post(
        reverse("two_factor_verify"),
        {"code": code_for(device.key), "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("portal:picker")


@pytest.mark.parametrize("role", ["leader", "steering", "reporter", "researcher"])
def test_other_roles_are_not_asked(strict, client_for, role):
    assert client_for(strict.users[role]).get(home(strict)).status_code == 200


def test_the_requirement_is_per_programme(strict, other_world, client_for):
    other_home = reverse("portal:home", kwargs={"tenant_slug": other_world.tenant.slug})

    assert client_for(other_world.users["admin"]).get(other_home).status_code == 200


def test_an_administrator_of_one_strict_programme_is_free_in_another(strict, other_world):
    user = strict.users["admin"]
    other_world.memberships["admin"].user = user
    other_world.memberships["admin"].save(update_fields=["user"])
    client = Client()
    client.force_login(user)
    other_home = reverse("portal:home", kwargs={"tenant_slug": other_world.tenant.slug})

    assert client.get(other_home).status_code == 200
    assert client.get(home(strict)).status_code == 302


def test_another_programmes_slug_is_still_404_not_a_two_factor_prompt(strict, other_world):
    client = Client()
    client.force_login(other_world.users["admin"])

    assert client.get(home(strict)).status_code == 404


def test_turning_it_off_in_a_strict_programme_sends_the_administrator_back(strict):
    user = strict.users["admin"]
    device = device_for(user)
    client = Client()
    password_step(client, user)
    client.post(reverse("login_code"), {"code": code_for(device.key)})
    page = client.get(reverse("two_factor")).content.decode()
    assert strict.tenant.name in page

    client.post(reverse("two_factor_disable"), {"code": code_for(device.key, offset=30)})

    assert client.get(home(strict))["Location"].startswith(reverse("two_factor"))


def test_superusers_set_the_requirement_in_the_django_admin(world):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = reverse("admin:portal_tenant_change", args=[world.tenant.pk])
    form = client.get(url).content.decode()
    assert 'name="require_admin_two_factor"' in form


def test_the_django_admin_login_cannot_skip_the_code(world):
    staff = UserFactory(username="root", is_staff=True, is_superuser=True)
    device = device_for(staff)
    client = Client()

    response = client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": staff.username, "password": PASSWORD, "next": "/django-admin/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fdjango-admin%2F"
    assert "_auth_user_id" not in client.session
    password_step(client, staff)
    response = client.post(reverse("login_code"), {"code": code_for(device.key)})
    assert client.session["otp_device_id"] == device.persistent_id


def test_the_django_admin_sends_anonymous_visitors_to_the_portal_login(db):
    response = Client().get("/django-admin/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("login") + "?next=%2Fdjango-admin%2F"


def test_the_members_page_says_when_administrators_need_two_factor(world, client_for):
    url = reverse("portal:members", kwargs={"tenant_slug": world.tenant.slug})
    admin = world.users["admin"]
    assert 'id="two-factor-required"' not in client_for(admin).get(url).content.decode()

    world.tenant.require_admin_two_factor = True
    world.tenant.save(update_fields=["require_admin_two_factor"])
    device = device_for(admin)
    client = Client()
    password_step(client, admin)
    client.post(reverse("login_code"), {"code": code_for(device.key)})

    assert 'id="two-factor-required"' in client.get(url).content.decode()
