"""The governance dashboard panels' scene."""

from __future__ import annotations

import pytest

from portal.dashboards.cache import invalidate as dashboards_invalidate

# The panel cache -----------------------------------------------------------------


@pytest.fixture
def caching(settings, world):
    """Panels cached at once after a write (no settling time), as in a
    quiet programme some seconds after the last change — also for the
    versions the scene's own writes set before this fixture ran."""
    settings.DASHBOARD_CACHE_SECONDS = 300
    settings.DASHBOARD_CACHE_SETTLE_SECONDS = 0
    for app_label in ("portal", "governance", "implementation"):
        dashboards_invalidate(world.tenant.pk, app_label)
