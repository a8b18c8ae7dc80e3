"""The identity providers: reads, the OIDC discovery document and SAML
metadata (cached), and the providers declared in the environment.

`SSO_PROVIDERS` (settings, from the environment) is a JSON list; each entry
becomes (or updates) the provider row with its `slug`, marked
`from_environment`; a row declared earlier and gone from the list is disabled.
Keys: slug, kind ("oidc"|"saml"), name, enabled, match_attribute; OIDC:
issuer (or discovery_url), client_id, client_secret, scopes; SAML:
metadata_url or metadata_file (a path) or metadata_xml, sp_entity_id.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from sso.models import IdentityProvider, ProviderKind

logger = logging.getLogger(__name__)

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
CACHE_SECONDS = 60 * 60
TIMEOUT = 10

_synced = False
_sync_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The provider's discovery document or metadata could not be read."""


def enabled_providers() -> list[IdentityProvider]:
    sync_from_environment()
    return list(IdentityProvider.objects.filter(enabled=True).order_by("name"))


def enabled_provider(slug: str) -> IdentityProvider | None:
    sync_from_environment()
    return IdentityProvider.objects.filter(slug=slug, enabled=True).first()


def _cached_get(url: str, *, kind: str) -> str:
    key = f"sso:{kind}:{url}"
    try:
        cached = cache.get(key)
    except Exception:
        cached = None
    if isinstance(cached, str):
        return cached
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
    except requests.RequestException as error:
        raise ProviderUnavailable(str(error)) from error
    text = response.text
    try:
        cache.set(key, text, CACHE_SECONDS)
    except Exception:
        logger.warning("SSO %s not cached: the cache is unreachable", kind, exc_info=True)
    return text


def discovery_url(provider: IdentityProvider) -> str:
    url = provider.oidc_discovery_url.rstrip("/")
    return url if url.endswith(DISCOVERY_SUFFIX) else url + DISCOVERY_SUFFIX


def oidc_configuration(provider: IdentityProvider) -> dict[str, Any]:
    """The provider's discovery document (cached for an hour)."""
    try:
        document = json.loads(_cached_get(discovery_url(provider), kind="oidc"))
    except ValueError as error:
        raise ProviderUnavailable(str(error)) from error
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(document, dict) or any(not document.get(k) for k in needed):
        raise ProviderUnavailable("The discovery document lacks an endpoint.")
    return document


def saml_metadata(provider: IdentityProvider) -> str:
    """The IdP's metadata XML: pasted in the row, or fetched (cached for an hour)."""
    if provider.saml_metadata_xml.strip():
        return provider.saml_metadata_xml
    return _cached_get(provider.saml_metadata_url, kind="saml")


# Declared in the environment -------------------------------------------------


def _row_fields(entry: dict[str, Any]) -> dict[str, Any]:
    kind = entry.get("kind")
    if kind not in ProviderKind.values or not entry.get("slug") or not entry.get("name"):
        raise ImproperlyConfigured("Each SSO_PROVIDERS entry needs slug, name and kind.")
    metadata_xml = entry.get("metadata_xml", "")
    if entry.get("metadata_file"):
        metadata_xml = Path(entry["metadata_file"]).read_text(encoding="utf-8")
    return {
        "kind": kind,
        "name": entry["name"],
        "enabled": bool(entry.get("enabled", True)),
        "match_attribute": entry.get("match_attribute", "email"),
        "oidc_discovery_url": entry.get("issuer") or entry.get("discovery_url", ""),
        "oidc_client_id": entry.get("client_id", ""),
        "oidc_client_secret": entry.get("client_secret", ""),
        "oidc_scopes": entry.get("scopes", "openid email profile"),
        "saml_metadata_url": entry.get("metadata_url", ""),
        "saml_metadata_xml": metadata_xml,
        "saml_sp_entity_id": entry.get("sp_entity_id", ""),
        "from_environment": True,
    }


def sync_from_environment(*, force: bool = False) -> None:
    """Write the providers of `SSO_PROVIDERS` to their rows, once per process
    (or again with `force`, as `manage.py sync_sso_providers` does)."""
    global _synced
    declared = getattr(settings, "SSO_PROVIDERS", None) or []
    if (_synced and not force) or (not declared and not force):
        return
    with _sync_lock:
        if _synced and not force:
            return
        with transaction.atomic():
            slugs = []
            for entry in declared:
                fields = _row_fields(entry)
                provider = IdentityProvider.objects.filter(slug=entry["slug"]).first()
                provider = provider or IdentityProvider(slug=entry["slug"])
                for name, value in fields.items():
                    setattr(provider, name, value)
                provider.full_clean()
                provider.save()
                slugs.append(provider.slug)
            IdentityProvider.objects.filter(from_environment=True).exclude(slug__in=slugs).update(
                enabled=False
            )
        _synced = True
