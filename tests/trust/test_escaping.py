"""User text is escaped on every page and in every PDF (issue 8, item 4).

All free text of both demo programmes — every name, title, note, minutes
paragraph — is replaced by text carrying markup and a script, some of it
through the services as a user would type it. Then every page of every role
is opened: the markup must come out as text (escaped), never as markup. And a
PDF of minutes and of a principal snapshot shows it as literal text.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from governance.models import Meeting, MinutesStatus, Risk, StatusReport
from governance.services import risks as risk_services
from portal import services
from portal.documents import jobs as document_jobs
from portal.documents import registry as documents
from portal.documents.pdf import html_to_pdf
from portal.models import Principal
from tests.document_helpers import pdf_text
from tests.trust.probe import (
    ROLES,
    choose,
    client_for,
    probes,
    unknown_string_kwargs,
    unmapped_kwargs,
    url_for,
)
from tests.trust.programmes import Programmes

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SCRIPT = "<script>probe()</script>"
TAG = '<b data-probe="1">'
PAYLOAD = f"{SCRIPT}{TAG}fet</b>&amp;"
APPS = ("portal", "governance", "implementation", "research")
# Text that is not free text: codes, keys, addresses and file names the portal
# builds URLs and lookups from.
NOT_FREE_TEXT = (
    "slug", "token", "email", "url", "link", "file", "filename", "kind", "key", "audience",
    "checksum", "content_type", "code", "municipality_code", "username", "password", "phone",
    "color", "colour", "format", "dataset", "action", "object_repr", "hash", "prefix",
    "language", "timezone", "period", "scope", "status", "role", "rule",
)  # fmt: skip


def free_text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and not f.unique
        and not any(part in f.name for part in NOT_FREE_TEXT)
    ]


def poison_every_free_text() -> int:
    """Put the payload into every free-text column of both programmes."""
    changed = 0
    with scopes_disabled():
        for model in apps.get_models():
            if model._meta.app_label not in APPS or model._meta.label == "portal.AuditEvent":
                continue
            names = free_text_fields(model)
            if not names:
                continue
            # Keep each value distinct (some are unique together with others).
            changed += model._default_manager.update(
                **{
                    name: models.functions.Left(
                        models.functions.Concat(
                            models.Value(PAYLOAD), models.functions.Cast("pk", models.TextField())
                        ),
                        model._meta.get_field(name).max_length or 10_000,
                    )
                    for name in names
                }
            )
    return changed


def test_markup_typed_in_through_the_services_is_shown_as_text(programmes: Programmes):
    programme = programmes.by_slug["sormland"]
    with scope(tenant=programme.tenant):
        principal = Principal.objects.filter(tenant=programme.tenant).order_by("pk").first()
        risk = Risk.objects.filter(tenant=programme.tenant).order_by("pk").first()
        assert principal is not None and risk is not None
        services.principal_update(
            actor=programme.users["admin"], principal=principal, name=f"{PAYLOAD} kommun"
        )
        risk_services.risk_update(
            actor=programme.users["leader"], risk=risk, title=f"{PAYLOAD} risk"
        )
    pages = [
        reverse("portal:principal_detail", args=["sormland", principal.pk]),
        reverse("portal:principals", args=["sormland"]),
        reverse("governance:risk_detail", args=["sormland", risk.pk]),
        reverse("governance:risk_list", args=["sormland"]),
    ]
    client = client_for(programme, "leader")
    for url in pages:
        body = client.get(url).content.decode()
        assert "&lt;script&gt;probe()&lt;/script&gt;" in body, url
        assert SCRIPT not in body and TAG not in body, url


def test_markup_in_user_text_is_escaped_on_every_page(programmes: Programmes):
    assert poison_every_free_text() > 100
    programme = programmes.by_slug["sormland"]
    problems: list[str] = []
    opened = 0
    for probe in probes(ids_only=False):
        if unmapped_kwargs(probe) or unknown_string_kwargs(probe) or "token" in probe.route.kwargs:
            continue
        for role in ROLES:
            with scope(tenant=programme.tenant):
                chosen = choose(probe, programme, role)
                url = url_for(probe, programme, chosen)
            client = client_for(programme, role)
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"{role} GET {url} → {response.status_code}")
                continue
            if response.status_code != 200 or response.streaming:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            opened += 1
            body = response.content.decode()
            for raw in (SCRIPT, TAG):
                if raw in body:
                    problems.append(f"{role} GET {url}: unescaped {raw}")
    assert opened > 100
    assert problems == []


@pytest.mark.parametrize("kind_key", ["minutes", "status_report", "principal_snapshot"])
def test_markup_in_user_text_is_literal_text_in_every_pdf(programmes: Programmes, kind_key):
    poison_every_free_text()
    programme = programmes.by_slug["sormland"]
    kind = documents.get_kind(kind_key)
    with scope(tenant=programme.tenant):
        if kind_key == "minutes":
            obj = (
                Meeting.objects.filter(
                    tenant=programme.tenant, minutes_status=MinutesStatus.APPROVED
                )
                .order_by("-starts_at")
                .first()
            )
        elif kind_key == "status_report":
            obj = StatusReport.objects.filter(tenant=programme.tenant).order_by("-pk").first()
        else:
            obj = Principal.objects.filter(tenant=programme.tenant).first()
        assert obj is not None
        html, _ = document_jobs.render_html(kind=kind, obj=obj, tenant=programme.tenant)
    assert SCRIPT not in html and TAG not in html
    text = pdf_text(html_to_pdf(html))
    assert SCRIPT in text
    assert '<b data-probe="1">fet</b>' in text
