"""Helpers shared by the implementation views."""

from __future__ import annotations

from implementation.models import Staircase
from implementation.services.staircase import staircase_ensure_default
from portal.tenancy import TenantRequest


def ensure_staircase(request: TenantRequest) -> Staircase:
    """The programme's current staircase; the default is created the first time
    any implementation page is opened (one query once it exists)."""
    return staircase_ensure_default(request.tenant)
