"""Identity providers as the installation declares them: rows checked on
save, the environment's SSO_PROVIDERS written to rows, an unreachable
provider answered with a clear page."""

from __future__ import annotations

import json
import socket

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sso import providers
from sso.models import IdentityProvider

pytestmark = pytest.mark.django_db


def test_an_oidc_provider_needs_its_issuer_client_and_openid_scope():
    provider = IdentityProvider(kind="oidc", name="Entra", slug="entra", oidc_scopes="email")
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert set(error.value.message_dict) >= {
        "oidc_discovery_url",
        "oidc_client_id",
        "oidc_scopes",
    }


def test_a_saml_provider_needs_its_metadata():
    provider = IdentityProvider(kind="saml", name="Sambi", slug="sambi")
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert "saml_metadata_url" in error.value.message_dict
    provider.saml_metadata_xml = "<EntityDescriptor/>"
    provider.full_clean()


def test_providers_declared_in_the_environment_become_rows(settings, tmp_path):
    metadata = tmp_path / "sambi.xml"
    metadata.write_text("<md:EntityDescriptor/>", encoding="utf-8")
    settings.SSO_PROVIDERS = [
        {
            "slug": "region",
            "kind": "oidc",
            "name": "Region Sörmland (Entra ID)",
            "issuer": "https://login.microsoftonline.com/abc/v2.0",
            "client_id": "portal",
            "client_secret": "hemligt",
        },
        {"slug": "sambi", "kind": "saml", "name": "Sambi", "metadata_file": str(metadata)},
    ]
    IdentityProvider.objects.create(
        kind="saml", name="Gammal", slug="gammal", saml_metadata_xml="<x/>", from_environment=True
    )
    call_command("sync_sso_providers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    region = IdentityProvider.objects.get(slug="region")
    assert (region.kind, region.oidc_client_id, region.from_environment) == ("oidc", "portal", True)
    assert IdentityProvider.objects.get(slug="sambi").saml_metadata_xml == "<md:EntityDescriptor/>"
    # Gone from the environment: disabled, not deleted (its audit events point at it).
    assert not IdentityProvider.objects.get(slug="gammal").enabled
    assert [p.slug for p in providers.enabled_providers()] == ["region", "sambi"]


def test_an_entry_without_a_kind_is_refused(settings):
    settings.SSO_PROVIDERS = [{"slug": "x", "name": "X"}]
    with pytest.raises(Exception, match="slug, name and kind"):
        providers.sync_from_environment(force=True)


def test_sso_providers_setting_reads_json(monkeypatch):
    import environ

    value = [{"slug": "a", "kind": "saml", "name": "A", "metadata_url": "https://idp/md"}]
    monkeypatch.setenv("SSO_PROVIDERS", json.dumps(value))
    assert environ.Env().json("SSO_PROVIDERS", default=[]) == value


def test_an_unreachable_provider_gets_a_clear_page():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens there once closed
    IdentityProvider.objects.create(
        kind="oidc", name="Region Nede", slug="nede",
        oidc_discovery_url=f"http://127.0.0.1:{port}/o", oidc_client_id="portal",
    )  # fmt: skip
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get(reverse("sso:oidc_login", args=["nede"]))
    assert response.status_code == 503
    assert "Region Nede could not be reached" in response.content.decode()


def test_unknown_provider_is_404():
    client = Client()
    assert client.get(reverse("sso:oidc_login", args=["finns-inte"])).status_code == 404
    assert client.get(reverse("sso:saml_login", args=["finns-inte"])).status_code == 404
    assert client.get(reverse("sso:saml_metadata", args=["finns-inte"])).status_code == 404


def test_a_saml_provider_is_not_an_oidc_one():
    IdentityProvider.objects.create(
        kind="saml", name="Sambi", slug="sambi", saml_metadata_xml="<x/>"
    )
    assert Client().get(reverse("sso:oidc_login", args=["sambi"])).status_code == 404
