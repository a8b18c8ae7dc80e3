"""The dashboard panel cache on meeting days (issue 17): the programme's data
version changes when a row is written and once more when its transaction
commits, so panels are cached again at once after a write — no waiting
period — and a panel drawn from what was committed before a write is never
served after it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.dashboards import cache as panel_cache
from tests.governance.factories import AgendaItemFactory, RiskFactory
from tests.helpers import HTMX as HX
from tests.portal.test_dashboards import panel_url

GOVERNANCE = ["governance", "portal"]


def version(world) -> str:
    return panel_cache.data_version(world.tenant, GOVERNANCE)[0]


def test_a_write_changes_the_version_now_and_once_more_at_its_commit(
    world, django_capture_on_commit_callbacks
):
    before = version(world)
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        RiskFactory(tenant=world.tenant, title="Brist på lokaler")
        RiskFactory(tenant=world.tenant, title="Sjukskrivna rektorer")
        during = version(world)
        assert during != before  # the writer's own next page shows its write
    assert version(world) != during  # what a reader cached meanwhile is dead
    # One change at the commit for the programme's governance data and one
    # for its risk table, however many rows.
    assert len(hooks) == 2


def test_a_panel_drawn_before_the_commit_is_not_served_after_it(
    world, client_for, django_capture_on_commit_callbacks
):
    # (No governance rows written before in this test's transaction: their
    # commit hook, already pending, would not be among those captured here.)
    client = client_for(world.users["leader"])
    url = panel_url(world, "governance.risks")
    with django_capture_on_commit_callbacks(execute=True):
        RiskFactory(tenant=world.tenant, title="Brist på lokaler")
        drawn = client.get(url, **HX).content.decode()
        # Cached under the version of the moment (here the write is already
        # visible on the same connection; to another reader it would not be).
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **HX).content.decode() == drawn
        assert not any("governance_risk" in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **HX)
    assert any("governance_risk" in q["sql"] for q in queries.captured_queries)


def test_a_panel_is_cached_again_at_once_after_a_write(world, client_for, settings):
    assert not hasattr(settings, "DASHBOARD_CACHE_SETTLE_SECONDS")  # the default: no wait
    client = client_for(world.users["leader"])
    url = panel_url(world, "governance.risks")
    RiskFactory(tenant=world.tenant, title="Brist på lokaler")
    assert "Brist på lokaler" in client.get(url, **HX).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Brist på lokaler" in client.get(url, **HX).content.decode()
    assert not any("governance_risk" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("seconds", [3600])
def test_caching_can_still_be_held_back_after_each_write(world, client_for, settings, seconds):
    settings.DASHBOARD_CACHE_SETTLE_SECONDS = seconds
    client = client_for(world.users["leader"])
    url = panel_url(world, "governance.risks")
    RiskFactory(tenant=world.tenant, title="Brist på lokaler")
    client.get(url, **HX)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **HX)
    assert any("governance_risk" in q["sql"] for q in queries.captured_queries)


def test_a_write_to_what_a_panel_does_not_read_leaves_it_cached(world, client_for):
    """On a meeting day the minutes are written every few seconds: the risk
    panel, which reads no minutes, stays cached; a risk written shows at once."""
    client = client_for(world.users["leader"])
    url = panel_url(world, "governance.risks")
    RiskFactory(tenant=world.tenant, title="Brist på lokaler")
    client.get(url, **HX)
    item = AgendaItemFactory(tenant=world.tenant, title="Lägesrapport", minutes="Noterat.")
    item.minutes = "Noterat och godkänt."
    item.save()
    with CaptureQueriesContext(connection) as queries:
        assert "Brist på lokaler" in client.get(url, **HX).content.decode()
    assert not any("governance_risk" in q["sql"] for q in queries.captured_queries)

    RiskFactory(tenant=world.tenant, title="Sjukskrivna rektorer")
    assert "Sjukskrivna rektorer" in client.get(url, **HX).content.decode()


def test_a_cached_panel_keeps_the_version_of_each_table_it_read(world, client_for):
    from unittest import mock

    from django.core.cache import cache

    client = client_for(world.users["leader"])
    RiskFactory(tenant=world.tenant, title="Brist på lokaler")
    with mock.patch.object(cache, "set", wraps=cache.set) as stored:
        client.get(panel_url(world, "governance.risks"), **HX)
    [versions] = [
        call.args[1]["versions"]
        for call in stored.call_args_list
        if call.args[0].startswith("dashboards:panel:")
    ]
    assert versions["governance_risk"]  # written: a version of its own
    assert "governance_agendaitem" not in versions  # not read by the panel
