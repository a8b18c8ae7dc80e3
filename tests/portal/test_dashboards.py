"""The programme dashboard (the start page) and the principal dashboards: who
sees what, filters, htmx fragments, lazy panels, and constant query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from portal.dashboards import cache as panel_cache
from portal.dashboards import registry
from portal.models import AuditEvent
from tests.dashboard_scene import build
from tests.factories import OperationFactory
from tests.helpers import HTMX as HX


def home(world) -> str:
    return reverse("portal:home", args=[world.tenant.slug])


def panel_url(world, key: str) -> str:
    return reverse("portal:dashboard_panel", args=[world.tenant.slug, key])


def principal_url(world, principal) -> str:
    return reverse("portal:principal_dashboard", args=[world.tenant.slug, principal.pk])


def principal_panel_url(world, principal, key: str) -> str:
    return reverse("portal:principal_dashboard_panel", args=[world.tenant.slug, principal.pk, key])


@pytest.fixture
def scene(world):
    return build(world.tenant, size=3)


def test_every_app_contributes_its_panels():
    programme = [p.key for p in registry.panels(registry.PROGRAMME)]
    assert programme[:4] == [
        "implementation.staircase",
        "implementation.completeness",
        "implementation.progress",
        "implementation.indicators",
    ]
    assert {"governance.risks", "governance.actions", "governance.meetings"} <= set(programme)
    assert {"governance.representation", "portal.figures"} <= set(programme)
    principal = [p.key for p in registry.panels(registry.PRINCIPAL)]
    # What the principal is asked to answer comes first (issue 12, item 9),
    # then its history on the staircase.
    assert principal[:2] == ["governance.principal_report_back", "implementation.history"]
    assert {
        "implementation.operations",
        "implementation.principal_indicators",
        "implementation.appointments",
        "implementation.examples",
        "governance.principal_actions",
        "governance.principal_attendance",
    } <= set(principal)


class TestProgrammeDashboard:
    def test_leader_sees_every_panel_and_lazy_ones_as_placeholders(self, world, scene, client_for):
        response = client_for(world.users["leader"]).get(home(world))
        assert response.status_code == 200
        page = response.content.decode()
        for panel in registry.panels(registry.PROGRAMME):
            assert f'id="{panel.dom_id}"' in page
            if panel.lazy:
                # fetched by htmx after the page, with a link for those without JavaScript
                assert f'hx-get="{panel_url(world, panel.key)}"' in page
                assert f"panels=all#{panel.dom_id}" in page
        # The page itself is the frame: every programme panel loads after it.
        assert "staircase-matrix" not in page
        assert scene.principals[0].name not in page

    def test_without_javascript_every_panel_renders_in_the_page(self, world, scene, client_for):
        page = client_for(world.users["leader"]).get(home(world) + "?panels=all").content.decode()
        assert 'hx-trigger="load"' not in page
        assert "chart-progress" in page  # the progress chart, a lazy panel
        assert "Antal nätverksträffar" in page  # indicators, a lazy panel
        assert "<noscript>" in page

    def test_each_lazy_panel_answers_htmx_with_its_partial(self, world, scene, client_for):
        client = client_for(world.users["leader"])
        for panel in registry.panels(registry.PROGRAMME):
            response = client.get(panel_url(world, panel.key), **HX)
            assert response.status_code == 200, panel.key
            body = response.content.decode()
            assert body.lstrip().startswith(f'<section id="{panel.dom_id}"'), panel.key
            assert "<html" not in body
            assert "hx-get" not in body.split(">", 1)[0]  # loaded: no placeholder again

    def test_a_panel_url_without_htmx_is_a_page_of_its_own(self, world, scene, client_for):
        response = client_for(world.users["steering"]).get(
            panel_url(world, "implementation.progress")
        )
        assert response.status_code == 200
        assert "<html" in response.content.decode()
        assert "chart-progress" in response.content.decode()

    def test_filters_swap_the_panels_in_place(self, world, scene, client_for):
        response = client_for(world.users["leader"]).get(
            home(world) + "?sector=grundskola&period=12",
            HTTP_HX_TARGET="dashboard-panels",
            **HX,
        )
        body = response.content.decode()
        assert '<div id="dashboard-panels"' in body
        assert "<html" not in body
        assert 'hx-swap-oob="innerHTML"' in body  # the status message for screen readers
        # the lazy panels fetch with the same filters
        assert (
            f"{panel_url(world, 'implementation.progress')}?period=12&amp;sector=grundskola" in body
        )

    def test_the_filter_form_pushes_the_url(self, world, scene, client_for):
        page = client_for(world.users["leader"]).get(home(world)).content.decode()
        form = re.search(r'<form id="dashboard-filters"[^>]*>', page).group(0)
        assert 'method="get"' in form and 'hx-push-url="true"' in form
        assert 'hx-target="#dashboard-panels"' in form
        assert "selected>De senaste 2 åren" in page or "selected>The last 2 years" in page

    def test_sector_filter_narrows_the_matrix(self, world, scene, client_for):
        client = client_for(world.users["leader"])
        page = client.get(home(world)).content.decode()
        assert "Socialtjänst" in page and "Grundskola" in page
        matrix = client.get(
            panel_url(world, "implementation.staircase") + "?sector=socialtjanst", **HX
        ).content.decode()
        head = matrix.split("</thead>")[0]
        assert "Socialtjänst" in head and "Grundskola" not in head

    def test_body_filter_narrows_the_action_items(self, world, scene, client_for):
        from tests.governance.factories import ActionItemFactory, BodyFactory

        other_body = BodyFactory(tenant=world.tenant, name="Arbetsgruppen", code="AG")
        ActionItemFactory(tenant=world.tenant, body=other_body, description="Annat uppdrag")
        client = client_for(world.users["leader"])
        everything = client.get(panel_url(world, "governance.actions"), **HX).content.decode()
        narrowed = client.get(
            panel_url(world, "governance.actions") + f"?body={other_body.pk}", **HX
        ).content.decode()
        count = re.compile(
            r'card__figure">(\d+)</span> <a[^>]*>(?:öppna uppdrag|open action items)'
        )
        assert int(count.search(everything).group(1)) == 4
        assert int(count.search(narrowed).group(1)) == 1
        assert "Arbetsgruppen" in narrowed  # says what it is filtered by

    def test_bad_filter_values_fall_back_to_the_defaults_with_an_error(
        self, world, other_world, scene, client_for
    ):
        from tests.governance.factories import BodyFactory

        foreign_body = BodyFactory(tenant=other_world.tenant)
        with scopes_disabled():
            before = AuditEvent.objects.count()
        response = client_for(world.users["leader"]).get(
            home(world) + f"?period=7&sector=<script>&body={foreign_body.pk}"
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count('class="errorlist') >= 3
        assert page.count('aria-invalid="true"') == 3
        assert '<option value="24" selected>' in page  # what the panels show instead
        assert "<script>&" not in page
        filters = response.context["filters"]
        assert filters.months == registry.DEFAULT_PERIOD_MONTHS
        assert filters.sector == ""
        assert filters.get("body") is None
        with scopes_disabled():
            assert AuditEvent.objects.count() == before

    def test_the_matrix_links_each_cell_to_the_principals_history(self, world, scene, client_for):
        page = client_for(world.users["steering"]).get(home(world) + "?panels=all").content.decode()
        principal = scene.principals[0]
        assert (
            f'{principal_url(world, principal)}?sector=grundskola#panel-implementation-history"'
            in page
        )

    def test_for_a_reporter_other_principals_link_to_their_approved_assessments(
        self, world, scene, client_for
    ):
        page = client_for(world.users["reporter"]).get(home(world) + "?panels=all").content.decode()
        other = scene.principals[0]
        assessments = reverse(
            "implementation:assessment_principal", args=[world.tenant.slug, other.pk]
        )
        assert f'href="{assessments}"' in page
        assert principal_url(world, other) not in page
        own = principal_url(world, world.principal)
        assert f'href="{own}#panel-implementation-history"' in page

    def test_reporter_sees_the_aggregate_but_not_the_governance_registers(
        self, world, scene, client_for
    ):
        page = client_for(world.users["reporter"]).get(home(world)).content.decode()
        assert 'id="panel-implementation-staircase"' in page
        assert 'id="panel-governance-risks"' not in page
        assert 'id="panel-governance-actions"' not in page
        assert 'id="panel-governance-meetings"' not in page
        # a way to the own principal's dashboard
        assert principal_url(world, world.principal) in page

    def test_reporter_cannot_fetch_a_register_panel(self, world, scene, client_for):
        client = client_for(world.users["reporter"])
        for key in ("governance.risks", "governance.actions", "governance.meetings"):
            assert client.get(panel_url(world, key), **HX).status_code == 403

    def test_an_unknown_panel_is_404(self, world, client_for):
        client = client_for(world.users["leader"])
        assert client.get(panel_url(world, "finns.inte")).status_code == 404
        # a principal panel is not a programme panel
        assert client.get(panel_url(world, "implementation.history")).status_code == 404

    def test_posting_is_not_allowed(self, world, client_for):
        assert client_for(world.users["leader"]).post(home(world)).status_code == 405


class TestPrincipalDashboard:
    def test_shows_every_panel_of_the_principal(self, world, scene, client_for):
        principal = scene.principals[1]
        response = client_for(world.users["steering"]).get(
            principal_url(world, principal) + "?panels=all"
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert f"<h1>{principal.name}</h1>" in page
        for panel in registry.panels(registry.PRINCIPAL):
            assert f'id="{panel.dom_id}"' in page
        assert "chart-timeline" in page and "<svg" in page
        assert "Uppdrag 1" in page  # its action item
        assert "Andel med plan" in page  # its indicator

    def test_other_principals_data_stays_out(self, world, scene, client_for):
        page = (
            client_for(world.users["leader"])
            .get(principal_url(world, scene.principals[1]) + "?panels=all")
            .content.decode()
        )
        assert "Uppdrag 2" not in page and "Uppdrag 0" not in page

    def test_reporter_sees_own_principal_only(self, world, scene, client_for):
        client = client_for(world.users["reporter"])
        assert client.get(principal_url(world, world.principal)).status_code == 200
        other = world.other_principal
        assert client.get(principal_url(world, other)).status_code == 403
        assert (
            client.get(principal_panel_url(world, other, "implementation.history")).status_code
            == 403
        )

    def test_reporter_does_not_get_the_action_items_panel(self, world, client_for):
        client = client_for(world.users["reporter"])
        page = client.get(principal_url(world, world.principal)).content.decode()
        assert 'id="panel-governance-principal-actions"' not in page
        url = principal_panel_url(world, world.principal, "governance.principal_actions")
        assert client.get(url, **HX).status_code == 403

    def test_panels_answer_htmx_with_their_partial(self, world, scene, client_for):
        client = client_for(world.users["leader"])
        principal = scene.principals[0]
        for panel in registry.panels(registry.PRINCIPAL):
            response = client.get(principal_panel_url(world, principal, panel.key), **HX)
            assert response.status_code == 200, panel.key
            assert response.content.decode().lstrip().startswith(f'<section id="{panel.dom_id}"')

    def test_an_archived_principal_keeps_its_dashboard(self, world, scene, client_for):
        principal = scene.principals[0]
        with scopes_disabled():
            from django.utils import timezone

            type(principal).objects.filter(pk=principal.pk).update(archived_at=timezone.now())
        response = client_for(world.users["leader"]).get(principal_url(world, principal))
        assert response.status_code == 200


# Constant query counts ----------------------------------------------------------------


def count_queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def two_sizes(world, other_world, settings):
    """The same scene at two sizes, in two programmes with a leader each; the
    panel cache off, so every panel reads its data."""
    settings.DASHBOARD_CACHE_SECONDS = 0
    small = build(world.tenant, size=2)
    large = build(other_world.tenant, size=7)
    OperationFactory.create_batch(3, tenant=other_world.tenant, principal=large.principals[0])
    return (world, small), (other_world, large)


def test_programme_dashboard_costs_the_same_at_two_sizes(two_sizes, client_for):
    counts = []
    for world, _scene in two_sizes:
        client = client_for(world.users["leader"])
        client.get(home(world))  # warm: the session, the staircase's first read
        counts.append(
            (
                count_queries(client, home(world)),
                count_queries(client, home(world) + "?panels=all"),
                count_queries(client, home(world) + "?sector=grundskola&period=60"),
            )
        )
    assert counts[0] == counts[1]


@pytest.mark.parametrize("key", [p.key for p in registry.panels(registry.PROGRAMME)])
def test_each_programme_panel_costs_the_same_at_two_sizes(two_sizes, client_for, key):
    counts = []
    for world, _scene in two_sizes:
        client = client_for(world.users["leader"])
        url = reverse("portal:dashboard_panel", args=[world.tenant.slug, key])
        client.get(url, **HX)
        counts.append(count_queries(client, url, **HX))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("key", [p.key for p in registry.panels(registry.PRINCIPAL)])
def test_each_principal_panel_costs_the_same_at_two_sizes(two_sizes, client_for, key):
    counts = []
    for world, scene in two_sizes:
        client = client_for(world.users["leader"])
        url = reverse(
            "portal:principal_dashboard_panel",
            args=[world.tenant.slug, scene.principals[0].pk, key],
        )
        client.get(url, **HX)
        counts.append(count_queries(client, url, **HX))
    assert counts[0] == counts[1]


def test_principal_dashboard_costs_the_same_at_two_sizes(two_sizes, client_for):
    counts = []
    for world, scene in two_sizes:
        client = client_for(world.users["leader"])
        url = reverse(
            "portal:principal_dashboard", args=[world.tenant.slug, scene.principals[0].pk]
        )
        client.get(url)
        counts.append((count_queries(client, url), count_queries(client, url + "?panels=all")))
    assert counts[0] == counts[1]


# The panel cache ----------------------------------------------------------------------


class TestPanelCache:
    @pytest.fixture(autouse=True)
    def _settled_at_once(self, settings):
        """Panels are not cached in the first seconds after a write; here the
        scene was written a moment ago."""
        settings.DASHBOARD_CACHE_SETTLE_SECONDS = 0

    def test_nothing_is_cached_while_a_write_may_be_uncommitted(
        self, world, scene, client_for, settings
    ):
        settings.DASHBOARD_CACHE_SETTLE_SECONDS = 30
        # A write to a table the panel reads (its principals).
        panel_cache.invalidate(world.tenant.pk, "portal_principal")
        client = client_for(world.users["leader"])
        url = panel_url(world, "implementation.staircase")
        client.get(url, **HX)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **HX)
        assert any("implementation_selfassessment" in q["sql"] for q in queries.captured_queries)

    def test_a_cached_panel_reads_no_data(self, world, scene, client_for):
        client = client_for(world.users["leader"])
        url = panel_url(world, "implementation.staircase")
        first = client.get(url, **HX).content
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url, **HX).content
        assert again == first
        assert not any(
            "implementation_selfassessment" in q["sql"] for q in queries.captured_queries
        )

    def test_a_write_shows_at_once(self, world, scene, client_for):
        from tests.governance.factories import RiskFactory

        client = client_for(world.users["leader"])
        url = panel_url(world, "governance.risks")
        assert "Brist på lokaler" not in client.get(url, **HX).content.decode()
        RiskFactory(tenant=world.tenant, title="Brist på lokaler")
        assert "Brist på lokaler" in client.get(url, **HX).content.decode()

    def test_a_change_through_a_many_to_many_shows_at_once(self, world, scene, client_for):
        from portal.models import Person

        client = client_for(world.users["steering"])
        url = panel_url(world, "governance.meetings")
        meeting = scene.meetings[0]
        with scopes_disabled():
            type(meeting).objects.filter(pk=meeting.pk).update(minutes_status="fardigstalld")
            person = Person.objects.create(tenant=world.tenant, name="Ordförande")
            world.memberships["steering"].__class__.objects.filter(
                pk=world.memberships["steering"].pk
            ).update(person=person)
        before = client.get(url, **HX).content.decode()
        with scopes_disabled():
            meeting.adjusters.add(person)  # m2m_changed: the programme's data changed
        after = client.get(url, **HX).content.decode()
        assert after.count("badge--mine") == before.count("badge--mine") + 1

    def test_each_role_gets_its_own_panel(self, world, scene, client_for):
        url = home(world) + "?panels=all"
        leader = client_for(world.users["leader"]).get(url).content.decode()
        reporter = client_for(world.users["reporter"]).get(url).content.decode()
        other = scene.principals[0]
        assert principal_url(world, other) in leader
        assert principal_url(world, other) not in reporter

    def test_each_user_gets_their_own_per_user_panel(self, world, scene, client_for):
        from tests.factories import MembershipFactory, UserFactory

        meeting = scene.meetings[-1]  # the one with a justerare in the scene
        with scopes_disabled():
            type(meeting).objects.filter(pk=meeting.pk).update(minutes_status="fardigstalld")
            adjuster = meeting.adjusters.first()
            world.memberships["steering"].__class__.objects.filter(
                pk=world.memberships["steering"].pk
            ).update(person=adjuster)
        other_steering = UserFactory(username="sormland-steering-2")
        MembershipFactory(tenant=world.tenant, user=other_steering, role="steering_member")
        url = panel_url(world, "governance.meetings")
        mine = client_for(world.users["steering"]).get(url, **HX).content.decode()
        theirs = client_for(other_steering).get(url, **HX).content.decode()
        assert "badge--mine" in mine and "badge--mine" not in theirs

    def test_the_language_is_part_of_the_key(self, world, scene, client_for):
        client = client_for(world.users["leader"])
        url = panel_url(world, "implementation.completeness")
        swedish = client.get(url, **HX).content.decode()
        client.post(reverse("set_language"), {"language": "en", "next": home(world)})
        english = client.get(url, **HX).content.decode()
        assert "Show as a table" in english and "Show as a table" not in swedish

    def test_a_cache_that_cannot_be_reached_is_passed_by(self, world, scene, client_for):
        from unittest import mock

        from tests.governance.factories import RiskFactory

        down = mock.Mock()
        down.get.side_effect = down.get_many.side_effect = ConnectionError
        down.set.side_effect = down.add.side_effect = ConnectionError
        with mock.patch("portal.dashboards.cache.cache", down):
            response = client_for(world.users["leader"]).get(
                panel_url(world, "implementation.staircase"), **HX
            )
            RiskFactory(tenant=world.tenant, title="Skrivs ändå")  # a write still goes through
        assert response.status_code == 200
        assert scene.principals[0].name in response.content.decode()
        assert down.get.called and down.set.called


class TestPanelCacheByApp:
    @pytest.fixture(autouse=True)
    def _settled_at_once(self, settings):
        settings.DASHBOARD_CACHE_SETTLE_SECONDS = 0

    def cached(self, client, url) -> bool:
        """Whether the panel came from the cache (it read no self-assessments)."""
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **HX)
        return not any(
            "implementation_selfassessment" in q["sql"] for q in queries.captured_queries
        )

    def test_a_governance_write_leaves_the_implementation_panels_cached(
        self, world, scene, client_for
    ):
        from tests.governance.factories import RiskFactory

        client = client_for(world.users["leader"])
        url = panel_url(world, "implementation.staircase")
        client.get(url, **HX)
        RiskFactory(tenant=world.tenant, title="En risk till")
        assert self.cached(client, url)

    def test_an_implementation_write_redraws_them(self, world, scene, client_for):
        from tests.dashboard_scene import approved_assessment

        client = client_for(world.users["leader"])
        url = panel_url(world, "implementation.staircase")
        client.get(url, **HX)
        day = scene.meetings[0].starts_at.date()
        approved_assessment(scene, scene.principals[0], 6, period_end=day, superseded=True)
        assert not self.cached(client, url)

    def test_a_directory_write_redraws_every_panel(self, world, scene, client_for):
        client = client_for(world.users["leader"])
        url = panel_url(world, "implementation.staircase")
        client.get(url, **HX)
        OperationFactory(tenant=world.tenant, principal=scene.principals[0])
        assert not self.cached(client, url)

    def test_the_audit_log_and_document_jobs_do_not_redraw(self, world, scene, client_for):
        from portal import audit

        client = client_for(world.users["leader"])
        url = panel_url(world, "implementation.staircase")
        client.get(url, **HX)
        with scopes_disabled():
            audit.log(
                actor=None, tenant=world.tenant, action="principal.note", obj=scene.principals[0]
            )
        assert self.cached(client, url)
