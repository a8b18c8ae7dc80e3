"""`{% sso_login_buttons next %}`: one button per enabled identity provider,
for the login page (templates/registration/login.html)."""

from __future__ import annotations

import logging
from typing import Any

from django import template
from django.db import DatabaseError

from sso import providers

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("sso/_login_buttons.html")
def sso_login_buttons(next_url: str = "") -> dict[str, Any]:
    try:
        enabled = providers.enabled_providers()
    except DatabaseError:
        # The password login still shows (a database not yet migrated, for one).
        logger.exception("The identity providers could not be read")
        enabled = []
    return {"providers": enabled, "next": next_url}
