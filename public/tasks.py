"""Celery tasks of the public site: mailing a newsletter issue to its
subscribers and a new subscriber's confirmation link.

A task takes ids only and reloads its object inside its programme's scope,
then calls a service (`public.services.newsletter`). Mailing an issue is
idempotent: each delivery is claimed before its e-mail goes, so a retry
mails nobody twice; a failure is recorded on the delivery, where the process
leaders see it and can send again. The views queue the tasks after the
commit (`queue_delivery`, `queue_confirmation`): the services do not import
this module, so the two stay without an import loop.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django_scopes import scope, scopes_disabled

from governance.tasks import MAIL_TASK_OPTIONS, TRANSIENT_ERRORS
from public.models import Newsletter, Subscriber
from public.services.newsletter import confirmation_send, newsletter_deliver

logger = logging.getLogger(__name__)


@shared_task(**MAIL_TASK_OPTIONS)
def deliver_newsletter(self: object, newsletter_id: int, base_url: str = "") -> int:
    """Mail one issue to the subscribers not mailed yet. Returns how many now."""
    with scopes_disabled():
        newsletter = Newsletter.objects.select_related("tenant").filter(pk=newsletter_id).first()
    if newsletter is None or not newsletter.tenant.is_active:
        return 0
    with scope(tenant=newsletter.tenant):
        sent = newsletter_deliver(newsletter=newsletter, base_url=base_url)
    logger.info("Newsletter %s: %d mailed", newsletter.pk, sent)
    return sent


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=60,
    max_retries=3,
    ignore_result=True,
)
def send_confirmation(self: object, subscriber_id: int, base_url: str = "") -> bool:
    """Mail a new subscriber the link that confirms their address."""
    with scopes_disabled():
        subscriber = Subscriber.objects.select_related("tenant").filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.tenant.is_active:
        return False
    with scope(tenant=subscriber.tenant):
        return confirmation_send(subscriber=subscriber, base_url=base_url)


def queue_delivery(newsletter_id: int, base_url: str) -> None:
    transaction.on_commit(lambda: deliver_newsletter.delay(newsletter_id, base_url), robust=True)


def queue_confirmation(subscriber_id: int, base_url: str) -> None:
    transaction.on_commit(lambda: send_confirmation.delay(subscriber_id, base_url), robust=True)
