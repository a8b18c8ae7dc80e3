"""Issue 15, item 6: a process leader publishes a good example in the
portal, and a visitor with no login finds it on the programme's public site
(the principal's page, the example's own page) and in its Atom feed. Before
publishing it is in neither. The public pages pass axe."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from implementation.services import examples as example_services
from public.models import PublicSite
from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"
TITLE = "Läxhjälp på biblioteket i samarbete med fritidsgården"
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_titles(page, live_server, slug: str) -> list[str]:
    response = page.request.get(live_server.url + reverse("public:feed", args=[slug]))
    assert response.ok and "atom" in response.headers["content-type"]
    root = ET.fromstring(response.body())  # noqa: S314 (our own feed)
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.iter(f"{ATOM}entry")]


def test_a_published_example_is_on_the_public_site_and_in_the_feed(
    page, new_page, live_server, axe, world, settings
):
    settings.DASHBOARD_CACHE_SETTLE_SECONDS = 0
    slug = world.tenant.slug
    with scopes_disabled():
        PublicSite.objects.create(tenant=world.tenant, enabled=True)
    with scope(tenant=world.tenant):
        example = example_services.example_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title=TITLE,
            principal=world.principal,
            description="Elever i årskurs 7–9 får läxhjälp två kvällar i veckan.",
        )
    visitor = new_page("visitor")
    principal_url = live_server.url + reverse("public:principal", args=[slug, world.principal.pk])
    visitor.goto(principal_url)
    assert TITLE not in visitor.locator("main").inner_text()
    assert TITLE not in feed_titles(visitor, live_server, slug)
    not_yet = visitor.goto(live_server.url + reverse("public:example", args=[slug, example.pk]))
    assert not_yet is not None and not_yet.status == 404

    login(page, live_server, world.users["leader"].username, PASSWORD)
    page.goto(live_server.url + reverse("implementation:example_detail", args=[slug, example.pk]))
    page.locator("#example-publishing").get_by_role(
        "button", name=re.compile("^(Publish|Publicera)")
    ).click()
    page.locator("#example-publishing").get_by_text(re.compile("Published|Publicerat")).wait_for()

    visitor.goto(principal_url)
    assert_accessible(axe, visitor)
    visitor.get_by_role("link", name=TITLE).click()
    visitor.wait_for_url(re.compile(rf"/p/{slug}/exempel/{example.pk}/$"))
    assert_accessible(axe, visitor)
    assert "läxhjälp två kvällar" in visitor.locator("main").inner_text()
    assert TITLE in feed_titles(visitor, live_server, slug)
