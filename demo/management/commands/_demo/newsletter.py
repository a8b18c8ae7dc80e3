"""The newsletter for the demo: in every programme whose public site is on,
one issue sent (composed from what the demo has published, readable in the
archive of the public site), a draft of the next one, and a few confirmed
subscribers at example addresses.

Through the services (actor=None), like the rest of seed_demo; nobody is
mailed (the issue is sent before anyone subscribes). Idempotent: a
programme that has a newsletter is left as it is.
"""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from public.models import Newsletter, PublicSite, Subscriber
from public.services import newsletter as services

SUBSCRIBERS = ("rektor.demo@example.se", "bvc.demo@example.se", "socialtjanst.demo@example.se")


def seed_newsletter() -> None:
    with scopes_disabled():
        sites = list(PublicSite.objects.filter(enabled=True).select_related("tenant"))
    for site in sites:
        tenant = site.tenant
        with scope(tenant=tenant):
            if Newsletter.objects.filter(tenant=tenant).exists():
                continue
            now = timezone.now()
            first = services.newsletter_compose(
                actor=None, site=site, now=now - datetime.timedelta(days=1)
            )
            services.newsletter_send(
                actor=None, newsletter=first, now=now - datetime.timedelta(days=1)
            )
            services.newsletter_deliver(newsletter=first)  # no subscriber yet: nobody is mailed
            for email in SUBSCRIBERS:
                Subscriber.objects.get_or_create(
                    tenant=tenant,
                    email=email,
                    defaults={
                        # A hash of no token anyone has: the demo's links are never mailed.
                        "token_hash": hashlib.sha256(
                            f"demo:{tenant.slug}:{email}".encode()
                        ).hexdigest(),
                        "confirmed_at": now - datetime.timedelta(days=30),
                    },
                )
            services.newsletter_compose(actor=None, site=site, now=now)
