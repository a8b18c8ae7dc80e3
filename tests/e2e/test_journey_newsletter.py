"""Journey (issue 15, item 6): a visitor with no login subscribes to the
newsletter on the public site, confirms through the link in the e-mail, and
unsubscribes through the link of an issue sent to them. Every page passes
axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from public.models import Newsletter, PublicSite, Subscriber
from public.services import newsletter as services
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "anna.andersson@example.se"


@pytest.fixture
def site(world, settings) -> PublicSite:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PORTAL_BASE_URL = ""
    with scopes_disabled():
        return PublicSite.objects.create(tenant=world.tenant, enabled=True)


def _link(kind: str, body: str) -> str:
    (link,) = re.findall(rf"https?://\S+/nyhetsbrev/{kind}/\S+/", body)
    return link


def test_subscribes_confirms_through_the_e_mail_link_and_unsubscribes(
    page: Page, live_server, axe, world, site
):
    slug = world.tenant.slug
    page.goto(live_server.url + reverse("public:newsletter_signup", args=[slug]))
    assert_accessible(axe, page)
    page.locator("#newsletter-email").fill(EMAIL)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/nyhetsbrev/tack/$"))
    assert_accessible(axe, page)

    # The confirmation mail, sent by the (eager) task after the commit.
    (message,) = [m for m in mail.outbox if m.to == [EMAIL]]
    page.goto(_link("bekrafta", message.body))
    assert_accessible(axe, page)
    with scopes_disabled():
        assert not Subscriber.objects.get(email=EMAIL).is_active
    page.get_by_test_id("newsletter-confirm").click()
    page.wait_for_load_state()
    assert_accessible(axe, page)
    with scopes_disabled():
        subscriber = Subscriber.objects.get(email=EMAIL)
    assert subscriber.is_active

    # The process leaders send an issue; its link unsubscribes.
    with scope(tenant=world.tenant):
        issue = Newsletter.objects.create(
            tenant=world.tenant,
            title="Nyhetsbrev om goda exempel",
            body="## Nytt i programmet\n\n- Ett gott exempel från Oxelösund",
            since=timezone.now(),
        )
        services.newsletter_send(actor=world.users["leader"], newsletter=issue)
        services.newsletter_deliver(newsletter=issue, base_url=live_server.url)
    (sent,) = [m for m in mail.outbox if m.subject == issue.title]
    assert sent.to == [EMAIL]

    page.goto(live_server.url + reverse("public:newsletter_issue", args=[slug, issue.pk]))
    expect(page.locator("main h1")).to_have_text(issue.title)
    assert_accessible(axe, page)
    page.goto(_link("avsluta", sent.body))
    assert_accessible(axe, page)
    page.get_by_test_id("newsletter-unsubscribe").click()
    page.wait_for_load_state()
    assert_accessible(axe, page)
    with scopes_disabled():
        assert Subscriber.objects.get(email=EMAIL).unsubscribed_at is not None
