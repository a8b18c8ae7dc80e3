"""The programme's newsletter (issue 15, item 4): composing an issue from
the public content that is new since the last one, editing and sending it,
and its subscribers' double opt-in and one-click unsubscribe.

Subscriber addresses are used for the newsletter and nothing else. This
module is the only code that reads `Subscriber.email`: to mail the
confirmation link and the issues. No other page, export, feed, dashboard or
audit event shows or reads them (signing up and unsubscribing are therefore
not in the audit log, which would copy the address into it).

The secrets of the links:

- the confirmation link carries a random token; only its SHA-256 is kept
  (`Subscriber.token_hash`), and the token is made in the Celery worker that
  mails it (`confirmation_send`), so it never passes the request, the broker
  or the database in clear;
- the unsubscribe link of every issue carries the subscriber's id signed
  with the installation's key (`unsubscribe_token`): it needs no stored
  secret, so every issue ever sent keeps a working link.

Sending: `newsletter_send` turns a draft into "skickas" and records one
`NewsletterDelivery` per confirmed, not unsubscribed subscriber; the task
`public.tasks.deliver_newsletter` then calls `newsletter_deliver`, which
claims each delivery before mailing it, so a retry (or a task delivered
twice) never mails anyone twice. When no delivery is left the issue is
"skickat". A failed e-mail is recorded on its delivery, where the process
leaders see it and can send again.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any

import nh3
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from governance.models import Decision, EventStatus, MinutesStatus, ProgrammeEvent
from governance.templatetags import minutes_text
from implementation.models import AssessmentStatus, GoodExample, SelfAssessment, Step
from portal import audit
from portal.models import Tenant, User
from portal.services import DomainError, changed_besides_version, claim_version
from public.models import (
    Newsletter,
    NewsletterDelivery,
    NewsletterStatus,
    PublicSite,
    Subscriber,
)

logger = logging.getLogger(__name__)

# The first issue gathers what is new in this many days.
FIRST_ISSUE_DAYS = 90
# A signup mails the confirmation link at most once in this time per address.
SIGNUP_QUIET_SECONDS = 10 * 60
UNSUBSCRIBE_SALT = "public.newsletter.unsubscribe"


# The body: Markdown, rendered as the minutes are ---------------------------------------

_TAGS = minutes_text.ALLOWED_TAGS | {"h2", "h3"}


def render_body(text: str) -> SafeString:
    """An issue's Markdown as sanitised HTML: `##` is an h2 and `#` one too
    (the issue's title is the h1). The minutes' parser (markdown-it-py
    without raw HTML) and the same nh3 allow-list, with h2 and h3 added."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return mark_safe("")
    parser = minutes_text._MARKDOWN
    env: dict[str, Any] = {}
    tokens = parser.parse(text, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{max(int(token.tag[1]), 2)}"
    html = parser.renderer.render(tokens, parser.options, env)
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=minutes_text.ALLOWED_ATTRIBUTES,
        url_schemes=minutes_text.URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    # Safe: nh3 has kept only the tags, attributes and link schemes above.
    return mark_safe(cleaned.strip())


# What is new since the last issue ------------------------------------------------------


@dataclass(frozen=True)
class StepReached:
    principal: str
    operation: str
    number: int
    name: str


@dataclass(frozen=True)
class News:
    """The public content new since `since`: what an issue is composed of.
    The same rules as the public pages: published examples of active
    principals, decisions of approved (justerade) minutes where the site
    shows decisions, planned public events to come, and steps reached by
    approved, current self-assessments."""

    since: datetime.datetime
    examples: list[GoodExample]
    decisions: list[Decision]
    events: list[ProgrammeEvent]
    steps: list[StepReached]

    @property
    def empty(self) -> bool:
        return not (self.examples or self.decisions or self.events or self.steps)


def last_sent_at(tenant: Tenant) -> datetime.datetime | None:
    """When the latest issue was sent (being sent counts), or None."""
    return (
        Newsletter.objects.filter(tenant=tenant, sent_at__isnull=False)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def news_since(site: PublicSite, since: datetime.datetime, now: datetime.datetime) -> News:
    tenant = site.tenant
    examples = list(
        GoodExample.objects.filter(
            tenant=tenant,
            published_at__isnull=False,
            published_at__gte=since,
            archived_at__isnull=True,
            principal__archived_at__isnull=True,
        )
        .select_related("principal")
        .order_by("published_at", "title")
    )
    decisions: list[Decision] = []
    if site.show_decisions:
        decisions = list(
            Decision.objects.filter(
                tenant=tenant,
                meeting__minutes_status=MinutesStatus.APPROVED,
                meeting__approved_at__gte=since,
                meeting__archived_at__isnull=True,
            )
            .select_related("body", "meeting")
            .order_by("decided_on", "body__code", "number")
        )
    events = list(
        ProgrammeEvent.objects.filter(
            tenant=tenant,
            public=True,
            archived_at__isnull=True,
            status=EventStatus.PLANNED,
            ends_at__gte=now,
        ).order_by("starts_at", "id")
    )
    assessments = list(
        SelfAssessment.objects.filter(
            tenant=tenant,
            status=AssessmentStatus.APPROVED,
            approved_at__gte=since,
            superseded_at__isnull=True,
            principal__archived_at__isnull=True,
            previous_step_number__lt=F("step_number"),
        )
        .select_related("principal", "operation")
        .order_by("principal__name", "operation__name", "approved_at")
    )
    names = {
        (step.staircase_id, step.number): step.name
        for step in Step.objects.filter(
            tenant=tenant, staircase_id__in={a.staircase_id for a in assessments}
        )
    }
    steps = [
        StepReached(
            principal=a.principal.name,
            operation=a.operation.name if a.operation_id and a.operation else "",
            number=a.step_number,
            name=names.get((a.staircase_id, a.step_number), ""),
        )
        for a in assessments
    ]
    return News(since=since, examples=examples, decisions=decisions, events=events, steps=steps)


def _public_url(name: str, slug: str, base_url: str) -> str:
    """An absolute link to a page of the public site; empty for a page the
    site does not have."""
    try:
        return base_url + reverse(f"public:{name}", args=[slug])
    except NoReverseMatch:
        return ""


def compose_body(site: PublicSite, news: News, *, base_url: str) -> str:
    """The draft's Markdown: one section per kind of news, for the process
    leaders to edit before sending."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "news": news,
            "site": site,
            "tenant": site.tenant,
            "programme_url": _public_url("programme", site.tenant.slug, base_url),
            "examples_url": _public_url("examples", site.tenant.slug, base_url),
            "events_url": _public_url("events", site.tenant.slug, base_url),
            "decisions_url": _public_url("decisions", site.tenant.slug, base_url),
            "examples": [
                (e, Truncator(" ".join(e.description.split())).chars(240)) for e in news.examples
            ],
        }
        text = render_to_string("public/email/newsletter_compose.md", context)
    lines = [line.rstrip() for line in text.splitlines()]
    # Blank lines between blocks, never more than one.
    body: list[str] = []
    for line in lines:
        if line or (body and body[-1]):
            body.append(line)
    return "\n".join(body).strip() + "\n"


# Writes of the process leaders ----------------------------------------------------------


@transaction.atomic
def newsletter_compose(
    *,
    actor: User | None,
    site: PublicSite,
    base_url: str = "",
    now: datetime.datetime | None = None,
) -> Newsletter:
    """A new draft issue, prefilled with what is new since the last issue
    sent (for the first: the last `FIRST_ISSUE_DAYS` days)."""
    now = now or timezone.now()
    tenant = site.tenant
    since = last_sent_at(tenant) or now - datetime.timedelta(days=FIRST_ISSUE_DAYS)
    news = news_since(site, since, now)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("News from %(programme)s, %(date)s") % {
            "programme": tenant.name,
            "date": f"{timezone.localdate(now):%Y-%m-%d}",
        }
    newsletter = Newsletter(
        tenant=tenant,
        title=title[:200],
        body=compose_body(site, news, base_url=base_url),
        since=since,
        created_by=actor if actor is not None and actor.pk else None,
    )
    newsletter.full_clean(exclude=_NOT_CHECKED)
    newsletter.save()
    audit.log(
        actor=actor,
        tenant=tenant,
        action="newsletter.create",
        obj=newsletter,
        after=audit.snapshot(newsletter),
    )
    return newsletter


# Who wrote or sent it: empty for the demo's issues and once a login is deleted.
_NOT_CHECKED = ["created_by", "sent_by"]


def _locked(newsletter: Newsletter) -> Newsletter:
    return Newsletter.objects.select_for_update().get(pk=newsletter.pk, tenant=newsletter.tenant)


@transaction.atomic
def newsletter_update(
    *,
    actor: User | None,
    newsletter: Newsletter,
    title: str,
    body: str,
    expected_version: int | None = None,
) -> Newsletter:
    """Change a draft's title and text. A sent issue is as it was sent."""
    fresh = _locked(newsletter)
    if fresh.status != NewsletterStatus.DRAFT:
        raise DomainError(_("The newsletter has been sent: it can no longer be changed."))
    before = audit.snapshot(fresh)
    claim_version(fresh, expected_version)
    fresh.title = title.strip()
    fresh.body = body.replace("\r\n", "\n")
    fresh.full_clean(exclude=_NOT_CHECKED)
    fresh.save(update_fields=["title", "body"])
    after = audit.snapshot(fresh) or {}
    if changed_besides_version(before or {}, after):
        audit.log(
            actor=actor,
            tenant=fresh.tenant,
            action="newsletter.update",
            obj=fresh,
            before=before,
            after=after,
        )
    for name in ("version", "title", "body"):
        setattr(newsletter, name, getattr(fresh, name))
    return newsletter


def active_subscribers(tenant: Tenant) -> models.QuerySet[Subscriber]:
    return Subscriber.objects.filter(
        tenant=tenant, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )


@transaction.atomic
def newsletter_send(
    *, actor: User | None, newsletter: Newsletter, now: datetime.datetime | None = None
) -> Newsletter:
    """Send a draft: "skickas", one delivery for each confirmed, not
    unsubscribed subscriber, and from now on readable on the public site.
    The caller queues the mailing after the commit
    (`public.tasks.queue_delivery`)."""
    fresh = _locked(newsletter)
    if fresh.status != NewsletterStatus.DRAFT:
        raise DomainError(_("The newsletter has already been sent."))
    if not fresh.title.strip() or not fresh.body.strip():
        raise DomainError(_("Give the newsletter a title and a text before sending it."))
    before = audit.snapshot(fresh)
    claim_version(fresh, None)  # an edit form opened before is stale
    fresh.status = NewsletterStatus.SENDING
    fresh.sent_at = now or timezone.now()
    fresh.sent_by = actor if actor is not None and actor.pk else None
    fresh.save(update_fields=["status", "sent_at", "sent_by"])
    subscribers = list(active_subscribers(fresh.tenant).values_list("pk", flat=True))
    NewsletterDelivery.objects.bulk_create(
        [
            NewsletterDelivery(tenant=fresh.tenant, newsletter=fresh, subscriber_id=pk)
            for pk in subscribers
        ]
    )
    audit.log(
        actor=actor,
        tenant=fresh.tenant,
        action="newsletter.send",
        obj=fresh,
        before=before,
        after={**(audit.snapshot(fresh) or {}), "recipients": len(subscribers)},
    )
    for name in ("version", "status", "sent_at", "sent_by_id"):
        setattr(newsletter, name, getattr(fresh, name))
    return newsletter


@transaction.atomic
def newsletter_retry(*, actor: User | None, newsletter: Newsletter) -> int:
    """Send again to the subscribers an issue did not reach (a failed
    e-mail). Returns how many are waiting; the caller queues the mailing."""
    fresh = _locked(newsletter)
    if fresh.status != NewsletterStatus.SENDING:
        raise DomainError(_("Every subscriber has been sent the newsletter."))
    waiting = NewsletterDelivery.objects.filter(newsletter=fresh, sent_at__isnull=True).count()
    audit.log(
        actor=actor,
        tenant=fresh.tenant,
        action="newsletter.send_retry",
        obj=fresh,
        after={"waiting": waiting},
    )
    return waiting


@dataclass(frozen=True)
class DeliveryCounts:
    mailed: int
    failed: int
    waiting: int


def delivery_counts(newsletter: Newsletter) -> DeliveryCounts:
    counts = NewsletterDelivery.objects.filter(newsletter=newsletter).aggregate(
        mailed=models.Count("pk", filter=models.Q(sent_at__isnull=False)),
        failed=models.Count("pk", filter=models.Q(sent_at__isnull=True) & ~models.Q(error="")),
        waiting=models.Count("pk", filter=models.Q(sent_at__isnull=True, error="")),
    )
    return DeliveryCounts(**counts)


# Mailing an issue ------------------------------------------------------------------------


def unsubscribe_token(subscriber: Subscriber) -> str:
    """The unsubscribe link's token: programme and subscriber, signed."""
    return signing.dumps({"t": subscriber.tenant_id, "s": subscriber.pk}, salt=UNSUBSCRIBE_SALT)


def subscriber_by_unsubscribe_token(*, token: str, tenant: Tenant) -> Subscriber | None:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("t") != tenant.pk:
        return None
    pk = payload.get("s")
    if not isinstance(pk, int):
        return None
    return Subscriber.objects.filter(tenant=tenant, pk=pk).first()


def _base(base_url: str) -> str:
    return (settings.PORTAL_BASE_URL or base_url).rstrip("/")


def newsletter_email(
    newsletter: Newsletter, subscriber: Subscriber, *, base_url: str
) -> EmailMultiAlternatives:
    """One subscriber's e-mail of an issue: plain text (the Markdown) and
    HTML, with the one-click unsubscribe link in the text and the headers
    (RFC 2369 and RFC 8058)."""
    slug = newsletter.tenant.slug
    unsubscribe_url = base_url + reverse(
        "public:newsletter_unsubscribe", args=[slug, unsubscribe_token(subscriber)]
    )
    context = {
        "newsletter": newsletter,
        "tenant": newsletter.tenant,
        "body_html": render_body(newsletter.body),
        "unsubscribe_url": unsubscribe_url,
        "issue_url": base_url + reverse("public:newsletter_issue", args=[slug, newsletter.pk]),
    }
    message = EmailMultiAlternatives(
        subject=" ".join(newsletter.title.split()),
        body=render_to_string("public/email/newsletter.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("public/email/newsletter.html", context), "text/html"
    )
    return message


def newsletter_deliver(*, newsletter: Newsletter, base_url: str = "") -> int:
    """Mail the issue to each subscriber not mailed yet. Each delivery is
    claimed (a conditional update) before its e-mail goes, so a retry or a
    second run never mails anyone twice; a failed e-mail gives its claim
    back and records the error, and is raised for the task to retry. A
    subscriber who unsubscribed meanwhile is skipped. When none is left
    the issue is "skickat". In the programme's scope; returns how many were
    mailed now."""
    base_url = _base(base_url)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        pending = (
            NewsletterDelivery.objects.filter(newsletter=newsletter, sent_at__isnull=True)
            .select_related("subscriber")
            .order_by("pk")
        )
        for delivery in pending:
            subscriber = delivery.subscriber
            if not subscriber.is_active:
                delivery.delete()
                continue
            claimed = NewsletterDelivery.objects.filter(
                pk=delivery.pk, sent_at__isnull=True
            ).update(sent_at=timezone.now(), error="")
            if not claimed:
                continue  # another run has it
            message = newsletter_email(newsletter, subscriber, base_url=base_url)
            try:
                message.send()
            except Exception as error:
                NewsletterDelivery.objects.filter(pk=delivery.pk).update(
                    sent_at=None, error=f"{type(error).__name__}: {error}"[:300]
                )
                raise
            sent += 1
    if not NewsletterDelivery.objects.filter(newsletter=newsletter, sent_at__isnull=True).exists():
        Newsletter.objects.filter(pk=newsletter.pk, status=NewsletterStatus.SENDING).update(
            status=NewsletterStatus.SENT, version=F("version") + 1
        )
    return sent


# Subscribers ------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _unused_hash() -> str:
    """A hash whose token nobody has: a row waiting for its confirmation mail."""
    return token_hash(secrets.token_urlsafe(32))


@transaction.atomic
def subscriber_signup(*, site: PublicSite, email: str) -> Subscriber | None:
    """Someone asks for the newsletter. Returns the subscriber to mail the
    confirmation link to (`confirmation_send`, by the task), or None when
    there is nothing to mail: the address is subscribed already, or was
    mailed a link in the last `SIGNUP_QUIET_SECONDS`. The page says the same
    in every case, so it tells nobody whether an address is subscribed.

    A new address, an unconfirmed one and an unsubscribed one alike wait for
    their confirmation: nothing is mailed to them before it."""
    tenant = site.tenant
    email = email.strip()
    local, _at, domain = email.rpartition("@")
    email = f"{local}@{domain.lower()}"
    subscriber = (
        Subscriber.objects.select_for_update().filter(tenant=tenant, email__iexact=email).first()
    )
    if subscriber is not None and subscriber.is_active:
        return None
    quiet_key = "public:newsletter:signup:" + token_hash(f"{tenant.pk}:{email.lower()}")
    try:
        first = cache.add(quiet_key, 1, timeout=SIGNUP_QUIET_SECONDS)
    except Exception:
        logger.warning("The cache cannot be reached: the signup is mailed without a pause")
        first = True
    if not first:
        return None
    if subscriber is None:
        subscriber = Subscriber(tenant=tenant, email=email, token_hash=_unused_hash())
        subscriber.full_clean()
        subscriber.save()
    else:
        subscriber.confirmed_at = None
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscriber


def confirmation_send(*, subscriber: Subscriber, base_url: str = "") -> bool:
    """Mail a waiting subscriber the link that confirms the address: a new
    random token, of which only the hash is kept. False when there is
    nothing to confirm (confirmed meanwhile, or unsubscribed)."""
    if subscriber.confirmed_at is not None or subscriber.unsubscribed_at is not None:
        return False
    token = secrets.token_urlsafe(32)
    Subscriber.objects.filter(pk=subscriber.pk).update(token_hash=token_hash(token))
    base_url = _base(base_url)
    tenant = subscriber.tenant
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "tenant": tenant,
            "confirm_url": base_url
            + reverse("public:newsletter_confirm", args=[tenant.slug, token]),
            "archive_url": base_url + reverse("public:newsletter_archive", args=[tenant.slug]),
        }
        subject = render_to_string("public/email/confirm_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("public/email/confirm.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
        )
        message.attach_alternative(
            render_to_string("public/email/confirm.html", context), "text/html"
        )
        message.send()
    return True


def subscriber_by_token(*, token: str, tenant: Tenant) -> Subscriber | None:
    """The subscriber a confirmation link is for, in this programme."""
    if not token or len(token) > 100:
        return None
    return Subscriber.objects.filter(tenant=tenant, token_hash=token_hash(token)).first()


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    """Confirm the address: from now on it is sent the issues. The link is
    used up (its hash replaced), so a second click changes nothing."""
    if subscriber.unsubscribed_at is not None:
        raise DomainError(_("This link is no longer valid. Sign up again to get the newsletter."))
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.token_hash = _unused_hash()
        subscriber.save(update_fields=["confirmed_at", "token_hash"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop the newsletter to this address at once (an issue being sent
    skips it). Unsubscribing twice changes nothing."""
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.token_hash = _unused_hash()
        subscriber.save(update_fields=["unsubscribed_at", "token_hash"])
    return subscriber
