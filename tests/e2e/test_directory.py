"""Directory administration in a real browser: the htmx inline forms swap rows,
move focus where things changed, pass axe after each swap, and raise no CSP
errors. The same pages without JavaScript are covered in tests/portal/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from portal.models import Principal
from tests.e2e.conftest import assert_accessible, login
from tests.factories import OperationFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


def _no_csp_errors(console: list[str]) -> None:
    assert not [m for m in console if "Content Security Policy" in m], console


def _active(page) -> dict[str, str | None]:
    return page.evaluate(
        "(() => { const el = document.activeElement;"
        " return {name: el.getAttribute('name'), href: el.getAttribute('href'),"
        " action: el.form && el.form.getAttribute('action')}; })()"
    )


def _url(name: str, world, *args) -> str:
    return reverse(f"portal:{name}", args=[world.tenant.slug, *args])


def test_directory_pages_are_accessible(page, live_server, axe, world):
    operation = OperationFactory(principal=world.principal)
    person = PersonFactory(tenant=world.tenant, principal=world.principal)
    login(page, live_server, world.users["admin"].username, PASSWORD)
    slug = world.tenant.slug
    for name, args in [
        ("portal:principal_detail", [world.principal.pk]),
        ("portal:principal_create", []),
        ("portal:principal_edit", [world.principal.pk]),
        ("portal:principal_archive", [world.principal.pk]),
        ("portal:operation_edit", [operation.pk]),
        ("portal:operation_archive", [operation.pk]),
        ("portal:person_create", []),
        ("portal:person_edit", [person.pk]),
        ("portal:member_add", []),
        ("portal:member_edit", [world.memberships["leader"].pk]),
        ("portal:member_deactivate", [world.memberships["leader"].pk]),
    ]:
        page.goto(live_server.url + reverse(name, args=[slug, *args]))
        assert_accessible(axe, page)


def test_inline_edit_of_a_principal(page, live_server, axe, world, console):
    pk = world.principal.pk
    login(page, live_server, world.users["admin"].username, PASSWORD)
    page.goto(live_server.url + _url("principals", world))
    row = page.locator(f"#principal-{pk}")

    row.locator(f'a[href="{_url("principal_edit", world, pk)}"]').click()
    name_field = row.locator("input[name=name]")
    name_field.wait_for()
    assert page.url.endswith(_url("principals", world))  # swapped in place
    assert _active(page)["name"] == "kind"
    assert_accessible(axe, page)

    # A refused save keeps the row as a form and focuses the invalid field.
    row.locator("input[name=municipality_code]").fill("")
    row.locator("button[type=submit]").click()
    row.locator("[aria-invalid=true]").wait_for()
    assert _active(page)["name"] == "municipality_code"
    assert_accessible(axe, page)

    row.locator("input[name=municipality_code]").fill("0480")
    name_field.fill("Nyköpings kommun")
    row.locator("button[type=submit]").click()
    row.get_by_role("link", name="Nyköpings kommun", exact=True).wait_for()
    assert _active(page)["href"] == _url("principal_edit", world, pk)
    with scopes_disabled():
        assert Principal.objects.get(pk=pk).name == "Nyköpings kommun"
    _no_csp_errors(console)


def test_inline_create_appends_a_row_and_cancel_restores(page, live_server, axe, world, console):
    pk = world.principal.pk
    login(page, live_server, world.users["admin"].username, PASSWORD)
    page.goto(live_server.url + _url("principals", world))

    page.locator(f'#principal-create a[href="{_url("principal_create", world)}"]').click()
    form = page.locator("#principal-create form")
    form.wait_for()
    assert _active(page)["name"] == "kind"
    assert_accessible(axe, page)
    form.locator("select[name=kind]").select_option("region")
    form.locator("input[name=name]").fill("Region Sörmland")
    form.locator("button[type=submit]").click()

    rows = page.locator("#principal-rows")
    rows.get_by_role("link", name="Region Sörmland", exact=True).wait_for()
    assert page.locator("#principal-create [role=status]").is_visible()
    assert page.locator("#principal-create form").count() == 0
    assert_accessible(axe, page)

    # Cancel on an inline edit puts the row back as it was.
    row = page.locator(f"#principal-{pk}")
    edit = row.locator(f'a[href="{_url("principal_edit", world, pk)}"]')
    edit.click()
    row.locator("form").wait_for()
    row.locator(f'form a[href="{_url("principal_detail", world, pk)}"]').click()
    edit.wait_for()
    assert row.locator("form").count() == 0
    assert _active(page)["href"] == _url("principal_edit", world, pk)
    _no_csp_errors(console)


def test_archive_and_restore_in_place(page, live_server, axe, world, console):
    pk = world.principal.pk
    login(page, live_server, world.users["admin"].username, PASSWORD)
    page.goto(live_server.url + _url("principals", world))
    row = page.locator(f"#principal-{pk}")

    row.locator(f'a[href="{_url("principal_archive", world, pk)}"]').click()
    confirm = row.locator("button[type=submit]")
    confirm.wait_for()
    assert _active(page)["action"] == _url("principal_archive", world, pk)
    assert_accessible(axe, page)
    confirm.click()

    restore = row.locator(f'form[action="{_url("principal_restore", world, pk)}"] button')
    restore.wait_for()
    assert _active(page)["action"] == _url("principal_restore", world, pk)
    with scopes_disabled():
        assert Principal.objects.get(pk=pk).archived_at is not None
    restore.click()
    row.locator(f'a[href="{_url("principal_edit", world, pk)}"]').wait_for()
    with scopes_disabled():
        assert Principal.objects.get(pk=pk).archived_at is None
    _no_csp_errors(console)


def test_operation_added_on_the_principal_page(page, live_server, world, console):
    login(page, live_server, world.users["admin"].username, PASSWORD)
    page.goto(live_server.url + _url("principal_detail", world, world.principal.pk))
    page.locator("#operation-create a").click()
    form = page.locator("#operation-create form")
    form.wait_for()
    form.locator("select[name=sector]").select_option("elevhalsa")
    form.locator("input[name=name]").fill("Elevhälsan")
    form.locator("button[type=submit]").click()
    page.locator("#operation-rows").get_by_role("rowheader", name="Elevhälsan").wait_for()
    _no_csp_errors(console)


def test_reporter_without_principal_is_refused_in_the_browser(page, live_server, world, console):
    login(page, live_server, world.users["admin"].username, PASSWORD)
    page.goto(live_server.url + _url("members", world))
    page.locator(f'#member-create a[href="{_url("member_add", world)}"]').click()
    form = page.locator("#member-create form")
    form.wait_for()
    form.locator("input[name=email]").fill("ny@flen.se")
    form.locator("select[name=role]").select_option("principal_reporter")
    form.locator("button[type=submit]").click()
    page.locator("#member-create select[name=principal][aria-invalid=true]").wait_for()
    assert _active(page)["name"] == "principal"
    _no_csp_errors(console)
