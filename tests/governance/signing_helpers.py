"""Signing minutes through the confirmation page, as a signatory's browser does."""

from __future__ import annotations

import re

from django.urls import reverse

from governance.models import Meeting


def sign_url(meeting: Meeting) -> str:
    return reverse("governance:minutes_approve", args=[meeting.tenant.slug, meeting.pk])


def shown_hash(response) -> str:
    """The fingerprint of the text the confirmation page shows (its hidden field)."""
    body = response.content.decode()
    match = re.search(r'name="content_hash" value="([0-9a-f]{64})"', body)
    assert match, "the confirmation page carries the text it signs"
    return match.group(1)


def sign(client, meeting: Meeting, **data: str):
    """Open the confirmation page and sign what it shows (with `data`: the
    password or code, when asked)."""
    page = client.get(sign_url(meeting))
    assert page.status_code == 200, page.status_code
    return client.post(sign_url(meeting), {"content_hash": shown_hash(page), **data})
