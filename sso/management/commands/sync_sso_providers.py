from typing import Any

from django.core.management.base import BaseCommand

from sso import providers
from sso.models import IdentityProvider


class Command(BaseCommand):
    help = "Write the identity providers declared in SSO_PROVIDERS to the database."

    def handle(self, *args: Any, **options: Any) -> None:
        providers.sync_from_environment(force=True)
        for provider in IdentityProvider.objects.order_by("slug"):
            state = "on" if provider.enabled else "off"
            self.stdout.write(f"{provider.slug} ({provider.kind}, {state}): {provider.name}")
