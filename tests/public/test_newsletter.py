"""The newsletter (issue 15, item 4): process leaders compose an issue from
what is new on the public site, edit and send it by Celery; visitors
subscribe with double opt-in and unsubscribe with one click; sent issues
stay readable on the public site."""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import EventStatus, MinutesStatus, ProgrammeEvent
from implementation.models import AssessmentStatus, GoodExample, SelfAssessment, Staircase, Step
from portal.models import Tenant
from public.models import (
    Newsletter,
    NewsletterDelivery,
    NewsletterStatus,
    PublicSite,
    Subscriber,
)
from public.services import newsletter as services
from public.tasks import deliver_newsletter
from tests.governance.factories import DecisionFactory, MeetingFactory
from tests.helpers import audit_events, reload, snapshot, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PORTAL_BASE_URL = ""
    cache.clear()


def _site(tenant: Tenant, **fields: Any) -> PublicSite:
    with scopes_disabled():
        site, _created = PublicSite.objects.update_or_create(
            tenant=tenant, defaults={"enabled": True, **fields}
        )
    return site


@pytest.fixture
def site(world) -> PublicSite:
    return _site(world.tenant, show_decisions=True)


@pytest.fixture
def other_site(other_world) -> PublicSite:
    return _site(other_world.tenant)


def public(name: str, tenant: Tenant, *args: Any) -> str:
    return reverse(f"public:{name}", args=[tenant.slug, *args])


def members(name: str, tenant: Tenant, *args: Any) -> str:
    return reverse(f"newsletter:{name}", args=[tenant.slug, *args])


def _subscriber(tenant: Tenant, email: str, *, confirmed=True, unsubscribed=False) -> Subscriber:
    now = timezone.now()
    with scopes_disabled():
        return Subscriber.objects.create(
            tenant=tenant,
            email=email,
            token_hash=hashlib.sha256(email.encode()).hexdigest(),
            confirmed_at=now if confirmed else None,
            unsubscribed_at=now if unsubscribed else None,
        )


def _draft(
    tenant: Tenant, *, title="Nyhetsbrev mars", body="## Nytt\n\n- Ett exempel"
) -> Newsletter:
    with scopes_disabled():
        return Newsletter.objects.create(
            tenant=tenant, title=title, body=body, since=timezone.now() - datetime.timedelta(30)
        )


def _sent(tenant: Tenant, *, title="Nyhetsbrev februari", days_ago=10) -> Newsletter:
    with scopes_disabled():
        return Newsletter.objects.create(
            tenant=tenant,
            title=title,
            body="Hej **alla**",
            since=timezone.now() - datetime.timedelta(days=60),
            status=NewsletterStatus.SENT,
            sent_at=timezone.now() - datetime.timedelta(days=days_ago),
        )


def _links(message: Any, kind: str) -> list[str]:
    return re.findall(rf"https?://\S+/nyhetsbrev/{kind}/\S+/", message.body)


# Composing ----------------------------------------------------------------------------


def _example(world, title: str, *, published: datetime.datetime | None) -> GoodExample:
    with scopes_disabled():
        return GoodExample.objects.create(
            tenant=world.tenant,
            principal=world.principal,
            title=title,
            description="Skolan och elevhälsan samverkar kring tidiga insatser.",
            published_at=published,
        )


def _assessment(world, *, step: int, previous: int | None, approved: datetime.datetime):
    with scopes_disabled():
        staircase = Staircase.objects.filter(tenant=world.tenant).first()
        if staircase is None:
            staircase = Staircase.objects.create(tenant=world.tenant, version=1)
            for number in (1, 2, 3):
                Step.objects.create(
                    tenant=world.tenant,
                    staircase=staircase,
                    number=number,
                    name=f"Trappsteg {number}",
                )
        return SelfAssessment.objects.create(
            tenant=world.tenant,
            staircase=staircase,
            principal=world.principal,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            status=AssessmentStatus.APPROVED,
            approved_at=approved,
            step_number=step,
            previous_step_number=previous,
        )


def test_compose_gathers_what_is_new_since_the_last_issue(
    world, site, client_for, django_capture_on_commit_callbacks
):
    now = timezone.now()
    _sent(world.tenant, days_ago=10)
    _example(world, "Gammalt exempel", published=now - datetime.timedelta(days=20))
    _example(world, "Nytt exempel", published=now - datetime.timedelta(days=2))
    _example(world, "Opublicerat utkast", published=None)
    with scopes_disabled():
        archived = _example(world, "Arkiverat exempel", published=now - datetime.timedelta(days=1))
        archived.archived_at = now
        archived.save()
    approved_meeting = MeetingFactory(
        tenant=world.tenant,
        body__tenant=world.tenant,
        body__code="SG",
        minutes_status=MinutesStatus.APPROVED,
        approved_at=now - datetime.timedelta(days=1),
    )
    DecisionFactory(meeting=approved_meeting, text="Beslut i justerat protokoll")
    draft_meeting = MeetingFactory(tenant=world.tenant, body=approved_meeting.body)
    DecisionFactory(meeting=draft_meeting, text="Beslut i protokollsutkast")
    with scopes_disabled():
        for title, public, status in [
            ("Webbinarium om BBIC", True, EventStatus.PLANNED),
            ("Internt planeringsmöte", False, EventStatus.PLANNED),
            ("Inställd workshop", True, EventStatus.CANCELLED),
        ]:
            ProgrammeEvent.objects.create(
                tenant=world.tenant,
                title=title,
                public=public,
                status=status,
                cancelled_reason="Sjukdom" if status == EventStatus.CANCELLED else "",
                starts_at=now + datetime.timedelta(days=7),
                ends_at=now + datetime.timedelta(days=7, hours=2),
            )
    _assessment(world, step=2, previous=1, approved=now - datetime.timedelta(days=1))
    client = client_for(world.users["leader"])

    response = client.post(members("newsletter_compose", world.tenant))

    with scopes_disabled():
        draft = Newsletter.objects.get(status=NewsletterStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == members("newsletter_edit", world.tenant, draft.pk)
    assert "Nytt exempel" in draft.body
    assert "Beslut i justerat protokoll" in draft.body
    assert "Webbinarium om BBIC" in draft.body
    assert "Trappsteg 2" in draft.body
    for absent in [
        "Gammalt exempel",
        "Opublicerat utkast",
        "Arkiverat exempel",
        "Beslut i protokollsutkast",
        "Internt planeringsmöte",
        "Inställd workshop",
    ]:
        assert absent not in draft.body
    assert audit_events(action="newsletter.create", object_id=str(draft.pk))


def test_compose_leaves_out_decisions_when_the_site_does_not_show_them(world, client_for):
    site = _site(world.tenant, show_decisions=False)
    meeting = MeetingFactory(
        tenant=world.tenant,
        body__tenant=world.tenant,
        minutes_status=MinutesStatus.APPROVED,
        approved_at=timezone.now(),
    )
    DecisionFactory(meeting=meeting, text="Ett beslut som inte visas")
    with scope(tenant=world.tenant):
        draft = services.newsletter_compose(actor=world.users["leader"], site=site)
    assert "Ett beslut som inte visas" not in draft.body


def test_a_step_that_did_not_rise_is_not_news(world, site):
    now = timezone.now()
    _assessment(world, step=1, previous=2, approved=now)
    with scope(tenant=world.tenant):
        news = services.news_since(site, now - datetime.timedelta(days=1), now)
    assert news.steps == []


# Editing and previewing ------------------------------------------------------------------


def test_the_process_leader_edits_and_previews_a_draft(world, site, client_for):
    draft = _draft(world.tenant)
    client = client_for(world.users["leader"])
    url = members("newsletter_edit", world.tenant, draft.pk)
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "title": "Vårens nyhetsbrev",
            "body": "## Hej\n\n<script>alert(1)</script> [länk](javascript:alert(1))",
            "version": draft.version,
        },
    )

    assert response.status_code == 302
    draft = reload(draft)
    assert draft.title == "Vårens nyhetsbrev"
    preview = text(client.get(members("newsletter_detail", world.tenant, draft.pk)))
    assert "<h2>Hej</h2>" in preview
    assert "<script>alert" not in preview
    assert 'href="javascript' not in preview
    assert audit_events(action="newsletter.update")


def test_a_stale_edit_is_refused_and_changes_nothing(world, site, client_for):
    draft = _draft(world.tenant)
    client = client_for(world.users["leader"])
    url = members("newsletter_edit", world.tenant, draft.pk)
    client.post(url, {"title": "Först", "body": "Text", "version": draft.version})

    response = client.post(url, {"title": "Sist", "body": "Annan", "version": draft.version})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert reload(draft).title == "Först"


def test_an_empty_title_is_an_error_and_changes_nothing(world, site, client_for):
    draft = _draft(world.tenant)
    before = snapshot(Newsletter)
    response = client_for(world.users["leader"]).post(
        members("newsletter_edit", world.tenant, draft.pk),
        {"title": "", "body": "Text", "version": draft.version},
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert snapshot(Newsletter) == before


# Sending --------------------------------------------------------------------------------


def test_send_mails_each_active_subscriber_once(
    world, other_world, site, client_for, django_capture_on_commit_callbacks
):
    draft = _draft(world.tenant)
    _subscriber(world.tenant, "anna@example.se")
    _subscriber(world.tenant, "bo@example.se")
    _subscriber(world.tenant, "vantar@example.se", confirmed=False)
    _subscriber(world.tenant, "slutat@example.se", unsubscribed=True)
    _subscriber(other_world.tenant, "annat@example.se")
    client = client_for(world.users["leader"])
    url = members("newsletter_send", world.tenant, draft.pk)
    assert "2" in text(client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.se", "bo@example.se"]
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject == "Nyhetsbrev mars"
    (html, _mime) = message.alternatives[0]
    assert "<h2>Nytt</h2>" in str(html)
    (link,) = _links(message, "avsluta")
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    draft = reload(draft)
    assert draft.status == NewsletterStatus.SENT
    assert draft.sent_at is not None
    assert audit_events(action="newsletter.send", object_id=str(draft.pk))
    with scopes_disabled():
        assert (
            NewsletterDelivery.objects.filter(newsletter=draft, sent_at__isnull=False).count() == 2
        )

    # The task run again (a retry, a duplicate) mails nobody twice.
    assert deliver_newsletter.apply(args=(draft.pk,)).get() == 0
    assert len(mail.outbox) == 2
    # A sent issue is sent once.
    response = client.post(url)
    assert response.status_code == 200
    assert len(mail.outbox) == 2


def test_a_failed_mail_is_recorded_and_retried_without_copies(
    world, site, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    draft = _draft(world.tenant)
    _subscriber(world.tenant, "anna@example.se")
    _subscriber(world.tenant, "bo@example.se")
    original = services.EmailMultiAlternatives.send
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if self.to == ["bo@example.se"] and calls["n"] < 3:
            raise OSError("Förbindelsen bröts")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(services.EmailMultiAlternatives, "send", flaky)
    with scope(tenant=world.tenant):
        services.newsletter_send(actor=world.users["leader"], newsletter=draft)
        with pytest.raises(OSError):
            services.newsletter_deliver(newsletter=draft)
    assert [m.to for m in mail.outbox] == [["anna@example.se"]]
    assert reload(draft).status == NewsletterStatus.SENDING
    page = text(
        client_for(world.users["leader"]).get(members("newsletter_detail", world.tenant, draft.pk))
    )
    assert "Förbindelsen bröts" in page

    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.users["leader"]).post(members("newsletter_retry", world.tenant, draft.pk))

    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.se", "bo@example.se"]
    assert reload(draft).status == NewsletterStatus.SENT


# Who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["steering", "reporter", "researcher", "admin"])
def test_too_little_role_gets_403(world, site, client_for, role):
    draft = _draft(world.tenant)
    client = client_for(world.users[role])
    before = snapshot(Newsletter)
    assert client.get(members("newsletter_list", world.tenant)).status_code == 403
    assert client.post(members("newsletter_compose", world.tenant)).status_code == 403
    assert client.get(members("newsletter_detail", world.tenant, draft.pk)).status_code == 403
    assert client.post(members("newsletter_edit", world.tenant, draft.pk), {}).status_code == 403
    assert client.post(members("newsletter_send", world.tenant, draft.pk)).status_code == 403
    assert snapshot(Newsletter) == before


def test_another_programmes_issue_is_404(world, other_world, site, client_for):
    theirs = _draft(other_world.tenant)
    client = client_for(world.users["leader"])
    for name in ("newsletter_detail", "newsletter_edit", "newsletter_send"):
        assert client.get(members(name, world.tenant, theirs.pk)).status_code == 404
    assert client.post(members("newsletter_retry", world.tenant, theirs.pk)).status_code == 404


def test_the_list_shows_the_issues(world, site, client_for):
    _draft(world.tenant, title="Utkastet")
    _sent(world.tenant, title="Det skickade")
    page = text(client_for(world.users["leader"]).get(members("newsletter_list", world.tenant)))
    assert "Utkastet" in page
    assert "Det skickade" in page


# Subscribing ----------------------------------------------------------------------------


def test_signup_confirm_and_unsubscribe(world, site, django_capture_on_commit_callbacks):
    client = Client()
    page = client.get(public("newsletter_signup", world.tenant))
    assert page.status_code == 200
    assert "X-Public-Cache" not in page  # its CSRF token is the visitor's own

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            public("newsletter_signup", world.tenant), {"email": "Anna@Example.SE"}
        )

    assert response.status_code == 302
    assert response["Location"] == public("newsletter_signup_done", world.tenant)
    assert client.get(response["Location"]).status_code == 200
    (message,) = mail.outbox
    assert message.to == ["Anna@example.se"]
    (link,) = _links(message, "bekrafta")
    token = link.rstrip("/").rsplit("/", 1)[1]
    with scopes_disabled():
        subscriber = Subscriber.objects.get(tenant=world.tenant)
    # Only the token's hash is kept.
    assert subscriber.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with scopes_disabled():
        assert token not in str(list(Subscriber.objects.values()))
    assert not subscriber.is_active  # not before the confirmation

    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    assert not reload(subscriber).is_active  # opening the link confirms nothing
    assert client.post(path).status_code == 200
    assert reload(subscriber).is_active
    assert client.post(path).status_code == 404  # the link is used up

    # An issue reaches them, with its unsubscribe link.
    draft = _draft(world.tenant)
    with scope(tenant=world.tenant):
        services.newsletter_send(actor=None, newsletter=draft)
        services.newsletter_deliver(newsletter=draft, base_url="http://testserver")
    (unsubscribe,) = _links(mail.outbox[-1], "avsluta")
    path = unsubscribe.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    assert reload(subscriber).is_active
    # RFC 8058: the mail program's one-click POST, without a session or CSRF token.
    one_click = Client(enforce_csrf_checks=True)
    assert one_click.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert reload(subscriber).unsubscribed_at is not None


def test_the_answer_is_the_same_whether_or_not_the_address_subscribes(
    world, site, django_capture_on_commit_callbacks
):
    _subscriber(world.tenant, "finns@example.se")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            public("newsletter_signup", world.tenant), {"email": "finns@example.se"}
        )
        unknown = client.post(public("newsletter_signup", world.tenant), {"email": "ny@example.se"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [["ny@example.se"]]


def test_a_second_signup_within_minutes_mails_nothing(
    world, site, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(public("newsletter_signup", world.tenant), {"email": "ny@example.se"})
    assert len(mail.outbox) == 1
    with scopes_disabled():
        assert Subscriber.objects.filter(tenant=world.tenant).count() == 1


def test_an_unsubscribed_address_can_sign_up_again(world, site, django_capture_on_commit_callbacks):
    old = _subscriber(world.tenant, "tillbaka@example.se", unsubscribed=True)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(public("newsletter_signup", world.tenant), {"email": "tillbaka@example.se"})
    (link,) = _links(mail.outbox[0], "bekrafta")
    assert not reload(old).is_active
    client.post(link.split("testserver", 1)[1])
    assert reload(old).is_active


def test_a_bad_address_is_an_error_and_changes_nothing(world, site):
    before = snapshot(Subscriber)
    response = Client().post(public("newsletter_signup", world.tenant), {"email": "inte en adress"})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert snapshot(Subscriber) == before
    assert mail.outbox == []


def test_a_forged_or_foreign_link_is_404(world, other_world, site, other_site):
    theirs = _subscriber(other_world.tenant, "deras@example.se", confirmed=False)
    with scope(tenant=other_world.tenant):
        foreign = services.unsubscribe_token(theirs)
    client = Client()
    assert client.post(public("newsletter_confirm", world.tenant, "gissat")).status_code == 404
    assert client.post(public("newsletter_unsubscribe", world.tenant, "gissat")).status_code == 404
    assert client.post(public("newsletter_unsubscribe", world.tenant, foreign)).status_code == 404
    assert reload(theirs).unsubscribed_at is None


# The archive ------------------------------------------------------------------------------


def test_sent_issues_are_readable_and_drafts_never(world, other_world, site, other_site):
    sent = _sent(world.tenant, title="Februaris nyhetsbrev")
    draft = _draft(world.tenant, title="Hemligt utkast")
    theirs = _sent(other_world.tenant, title="Kronobergs nyhetsbrev")
    client = Client()

    archive = client.get(public("newsletter_archive", world.tenant)).content.decode()
    assert "Februaris nyhetsbrev" in archive
    assert "Hemligt utkast" not in archive
    assert "Kronobergs nyhetsbrev" not in archive
    issue = client.get(public("newsletter_issue", world.tenant, sent.pk))
    assert issue.status_code == 200
    assert "<strong>alla</strong>" in issue.content.decode()
    assert client.get(public("newsletter_issue", world.tenant, draft.pk)).status_code == 404
    assert client.get(public("newsletter_issue", world.tenant, theirs.pk)).status_code == 404


def test_with_the_site_off_every_public_newsletter_url_is_404(world, site):
    sent = _sent(world.tenant)
    subscriber = _subscriber(world.tenant, "anna@example.se")
    with scope(tenant=world.tenant):
        token = services.unsubscribe_token(subscriber)
    _site(world.tenant, enabled=False)
    client = Client()
    for path in [
        public("newsletter_signup", world.tenant),
        public("newsletter_signup_done", world.tenant),
        public("newsletter_confirm", world.tenant, "x" * 43),
        public("newsletter_unsubscribe", world.tenant, token),
        public("newsletter_archive", world.tenant),
        public("newsletter_issue", world.tenant, sent.pk),
    ]:
        assert client.get(path).status_code == 404, path
    assert (
        client.post(public("newsletter_signup", world.tenant), {"email": "a@b.se"}).status_code
        == 404
    )
    assert reload(subscriber).unsubscribed_at is None


# The demo ------------------------------------------------------------------------------


def test_the_demo_seeds_a_sent_issue_a_draft_and_subscribers(world, site):
    from demo.management.commands._demo.newsletter import seed_newsletter

    seed_newsletter()
    seed_newsletter()  # idempotent

    with scopes_disabled():
        statuses = sorted(
            Newsletter.objects.filter(tenant=world.tenant).values_list("status", flat=True)
        )
        assert statuses == [NewsletterStatus.SENT, NewsletterStatus.DRAFT]
        assert Subscriber.objects.filter(tenant=world.tenant).count() == 3
    assert mail.outbox == []
