"""Search across a programme's minutes, decisions, action items and risks.

Swedish full-text search on PostgreSQL (word forms match), a substring
fallback elsewhere; every member finds only what they may read; nothing of
another programme; snippets highlight matches but never render stored text
as markup; one query per result type."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import Decision, Meeting, MinutesStatus, MinutesVersion
from governance.selectors import search as search_selectors
from tests.governance.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    DecisionFactory,
    MeetingFactory,
    RiskFactory,
)
from tests.helpers import HTMX, ROLES, form_errors, is_fragment, text

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Swedish full-text search needs PostgreSQL"
)
READERS = ["leader", "steering", "researcher", "admin"]  # governance.view_finished
NOT_LEADERS = ["steering", "researcher", "admin"]


def search_url(tenant, query: str | None = None) -> str:
    url = reverse("governance:search", args=[tenant.slug])
    return url if query is None else f"{url}?{urlencode({'q': query})}"


def hits(response, group: str) -> list[str]:
    """The hit titles of one result group on the page, in order."""
    body = text(response)
    section = re.search(
        rf'<section class="search-group" id="results-{group}".*?</section>', body, re.S
    )
    if section is None:
        return []
    titles = re.findall(r'<h3 class="search-hit__title">(.*?)</h3>', section.group(0), re.S)
    return [re.sub(r"<[^>]+>", "", title).strip() for title in titles]


@dataclass
class Scene:
    approved: Meeting
    finished: Meeting
    draft: Meeting
    approved_decision: Decision
    finished_decision: Decision
    draft_decision: Decision


def _meeting(body, status: str, title: str, starts: datetime.datetime) -> Meeting:
    return MeetingFactory(
        body=body,
        title=title,
        minutes_status=status,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )


def _scene(world, gov) -> Scene:
    """Three meetings in the three minutes states, each with an item and a decision,
    and one action item and one risk."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=30)
    approved = _meeting(gov.body, MinutesStatus.APPROVED, "Styrgruppsmöte mars", start)
    finished = _meeting(
        gov.body, MinutesStatus.FINISHED, "Styrgruppsmöte april", start + datetime.timedelta(7)
    )
    draft = _meeting(
        gov.body, MinutesStatus.DRAFT, "Styrgruppsmöte maj", start + datetime.timedelta(14)
    )
    item = AgendaItemFactory(
        meeting=approved, title="Processplan", minutes="Processledarna presenterade underlaget."
    )
    AgendaItemFactory(
        meeting=finished, title="Lägesrapport", minutes="Magkänslan är positiv inför hösten."
    )
    AgendaItemFactory(
        meeting=draft, title="Budget", minutes="Budgetförhandlingarna pågår fortfarande."
    )
    scene = Scene(
        approved=approved,
        finished=finished,
        draft=draft,
        approved_decision=DecisionFactory(
            meeting=approved,
            agenda_item=item,
            number=1,
            text="Styrgruppen beslutar att fastställa processplanen för 2025.",
        ),
        finished_decision=DecisionFactory(
            meeting=finished, number=2, text="Styrgruppen beslutar att anta kommunikationsplanen."
        ),
        draft_decision=DecisionFactory(
            meeting=draft, number=3, text="Styrgruppen beslutar att avsätta medel till budgetramen."
        ),
    )
    ActionItemFactory(
        body=gov.body, description="Kommunerna återrapporterar skolnärvaron till nästa möte."
    )
    RiskFactory(
        tenant=world.tenant,
        title="Bristande förankring hos socialtjänsten",
        description="Socialtjänsten har inte avsatt tid.",
        mitigation="Dialog med socialcheferna i varje kommun.",
    )
    return scene


@pytest.fixture
def scene(world, gov) -> Scene:
    return _scene(world, gov)


@pytest.fixture
def other_scene(other_world, other_gov) -> Scene:
    """The same content in another programme, every text also naming Kronoberg."""
    scene = _scene(other_world, other_gov)
    AgendaItemFactory(meeting=scene.approved, title="Kronoberg", minutes="Kronoberg")
    ActionItemFactory(body=other_gov.body, description="Kronoberg återrapporterar skolnärvaron.")
    RiskFactory(tenant=other_world.tenant, title="Kronoberg", mitigation="Kronoberg")
    return scene


def search_as(client_for, world, role: str, query: str | None, **extra):
    return client_for(world.users[role]).get(search_url(world.tenant, query), **extra)


# The page ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_may_search(world, client_for, role):
    response = search_as(client_for, world, role, None)
    assert response.status_code == 200
    assert 'role="search"' in text(response)


def test_without_a_query_the_form_and_a_hint_are_shown(world, scene, client_for):
    body = text(search_as(client_for, world, "leader", None))
    assert 'name="q"' in body
    assert "search-hint" in body
    assert "search-group" not in body


@pytest.mark.parametrize("query", ["", "+", "   "])
def test_an_empty_query_shows_the_hint_and_no_results(world, scene, client_for, query):
    response = search_as(client_for, world, "leader", query)
    assert response.status_code == 200
    assert "search-hint" in text(response)
    assert "search-summary" not in text(response)


def test_a_one_letter_query_asks_for_more(world, scene, client_for):
    response = search_as(client_for, world, "leader", "b")
    body = text(response)
    assert response.status_code == 200
    assert "search-hint" in body
    assert "2" in re.search(r'class="muted search-hint">(.*?)</p>', body, re.S).group(1)
    assert "search-group" not in body


def test_an_overlong_query_is_a_field_error(world, scene, client_for):
    response = search_as(client_for, world, "leader", "beslut" * 40)
    assert response.status_code == 200
    assert "q" in form_errors(response)
    assert response.context["results"] is None


def test_htmx_gets_the_search_fragment(world, scene, client_for):
    response = search_as(client_for, world, "leader", "Lägesrapport", **HTMX)
    assert response.status_code == 200
    assert is_fragment(response)
    assert text(response).lstrip().startswith('<div id="search"')
    assert hits(response, "minutes") == [scene.finished.display_title]


def test_results_are_grouped_with_counts(world, scene, client_for):
    response = search_as(client_for, world, "leader", "styrgruppen")
    groups = {group.key: group.total for group in response.context["results"].groups}
    assert groups == {"minutes": 0, "decisions": 3, "actions": 0, "risks": 0}
    assert "Decisions (3)" in text(response) or "Beslut (3)" in text(response)
    assert len(hits(response, "decisions")) == 3


# Swedish full text --------------------------------------------------------------


@postgres_only
def test_beslut_finds_beslutar(world, scene, client_for):
    """The Swedish stemmer reduces "beslutar" to "beslut"."""
    response = search_as(client_for, world, "leader", "beslut")
    assert sorted(hits(response, "decisions")) == ["SG 2025 §1", "SG 2025 §2", "SG 2025 §3"]


@postgres_only
def test_processplanen_finds_processplan_and_back(world, scene, client_for):
    """The definite form "processplanen" and the bare "processplan" share a stem."""
    by_definite = search_as(client_for, world, "leader", "processplanen")
    assert hits(by_definite, "minutes") == [scene.approved.display_title]  # item "Processplan"
    by_bare = search_as(client_for, world, "leader", "processplan")
    assert hits(by_bare, "decisions") == ["SG 2025 §1"]  # "… fastställa processplanen …"


@postgres_only
def test_plural_definite_forms_match_the_stem(world, scene, client_for):
    """ "kommun" finds "Kommunerna" (action) and "kommun" (risk mitigation)."""
    response = search_as(client_for, world, "leader", "kommun")
    assert len(hits(response, "actions")) == 1
    assert hits(response, "risks") == ["Bristande förankring hos socialtjänsten"]


@postgres_only
def test_websearch_syntax_excludes_words(world, scene, client_for):
    response = search_as(client_for, world, "leader", "beslutar -kommunikationsplanen")
    assert sorted(hits(response, "decisions")) == ["SG 2025 §1", "SG 2025 §3"]


@postgres_only
def test_a_stop_word_alone_finds_nothing(world, scene, client_for):
    response = search_as(client_for, world, "leader", "att")
    assert response.status_code == 200
    assert response.context["results"].total == 0


@postgres_only
def test_matches_are_highlighted_in_the_snippet(world, scene, client_for):
    body = text(search_as(client_for, world, "leader", "beslut"))
    assert "Styrgruppen <mark>beslutar</mark> att fastställa" in body


@postgres_only
def test_title_matches_rank_above_text_matches(world, gov, client_for):
    start = timezone.now() - datetime.timedelta(days=3)
    in_text = _meeting(gov.body, MinutesStatus.APPROVED, "Möte ett", start)
    AgendaItemFactory(meeting=in_text, title="Övrigt", minutes="Vi talade om workshopen.")
    in_title = _meeting(gov.body, MinutesStatus.APPROVED, "Workshop om samverkan", start)
    response = search_as(client_for, world, "leader", "workshop")
    assert hits(response, "minutes") == [in_title.display_title, in_text.display_title]


def test_the_substring_fallback_finds_and_highlights(world, scene, client_for, monkeypatch):
    """What the embedded SQLite run does, forced here on any database."""
    monkeypatch.setattr(search_selectors, "full_text_available", lambda: False)
    response = search_as(client_for, world, "leader", "processplanen")
    assert hits(response, "decisions") == ["SG 2025 §1"]
    assert hits(response, "minutes") == []  # a substring match knows no word forms
    assert "att fastställa <mark>processplanen</mark> för" in text(response)


# Who finds what -----------------------------------------------------------------


def test_leader_finds_draft_minutes_and_their_decisions(world, scene, client_for):
    response = search_as(client_for, world, "leader", "Budgetförhandlingarna")
    assert hits(response, "minutes") == [scene.draft.display_title]
    response = search_as(client_for, world, "leader", "budgetramen")
    assert hits(response, "decisions") == ["SG 2025 §3"]


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_find_text_of_draft_minutes(world, scene, client_for, role):
    response = search_as(client_for, world, role, "Budgetförhandlingarna")
    assert response.status_code == 200
    assert hits(response, "minutes") == []
    assert "pågår fortfarande" not in text(response)


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_find_decisions_in_draft_minutes(world, scene, client_for, role):
    assert hits(search_as(client_for, world, role, "budgetramen"), "decisions") == []


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_readers_find_the_agenda_of_a_draft_meeting_but_not_its_text(
    world, scene, client_for, role
):
    response = search_as(client_for, world, role, "Budget")
    assert hits(response, "minutes") == [scene.draft.display_title]
    assert "pågår fortfarande" not in text(response)


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_readers_find_finished_minutes_decisions_actions_and_risks(world, scene, client_for, role):
    client = client_for(world.users[role])
    assert hits(client.get(search_url(world.tenant, "Magkänslan")), "minutes") == [
        scene.finished.display_title
    ]
    assert hits(client.get(search_url(world.tenant, "kommunikationsplanen")), "decisions") == [
        "SG 2025 §2"
    ]
    assert len(hits(client.get(search_url(world.tenant, "skolnärvaron")), "actions")) == 1
    assert len(hits(client.get(search_url(world.tenant, "socialtjänsten")), "risks")) == 1


def test_reporter_finds_approved_minutes_and_their_decisions(world, scene, client_for):
    response = search_as(client_for, world, "reporter", "Processledarna")
    assert hits(response, "minutes") == [scene.approved.display_title]
    response = search_as(client_for, world, "reporter", "processplanen")
    assert hits(response, "decisions") == ["SG 2025 §1"]


def test_reporter_never_finds_minutes_that_are_not_approved(world, scene, client_for):
    for query in ("Magkänslan", "Lägesrapport", "Budget", "kommunikationsplanen", "budgetramen"):
        response = search_as(client_for, world, "reporter", query)
        assert response.context["results"].total == 0, query


def test_reporter_never_finds_action_items_or_risks(world, scene, client_for):
    response = search_as(client_for, world, "reporter", "skolnärvaron socialtjänsten")
    keys = [group.key for group in response.context["results"].groups]
    assert keys == ["minutes", "decisions"]
    for query in ("skolnärvaron", "socialtjänsten", "socialcheferna"):
        body = text(search_as(client_for, world, "reporter", query))
        assert "results-actions" not in body
        assert "results-risks" not in body


def test_reporter_finds_minutes_under_revision_by_title_but_not_the_new_text(
    world, gov, client_for
):
    """Approved once, now reopened: the approved version stays readable on the
    meeting page, but the live text being revised is a draft."""
    meeting = _meeting(gov.body, MinutesStatus.DRAFT, "Revideras nu", timezone.now())
    AgendaItemFactory(meeting=meeting, title="Övrigt", minutes="Ny formulering om skolskjuts.")
    with scopes_disabled():
        MinutesVersion.objects.create(
            tenant=world.tenant,
            meeting=meeting,
            number=1,
            content={},
            approved_at=timezone.now(),
        )
    assert hits(search_as(client_for, world, "reporter", "Revideras"), "minutes") == [
        meeting.display_title
    ]
    assert search_as(client_for, world, "reporter", "skolskjuts").context["results"].total == 0
    assert search_as(client_for, world, "steering", "skolskjuts").context["results"].total == 0
    assert hits(search_as(client_for, world, "leader", "skolskjuts"), "minutes") == [
        meeting.display_title
    ]


@pytest.mark.parametrize("role", NOT_LEADERS)
def test_action_items_recorded_in_draft_minutes_are_found_by_leaders_only(
    world, scene, gov, client_for, role
):
    item = AgendaItemFactory(meeting=scene.draft, title="Uppdrag")
    ActionItemFactory(body=gov.body, agenda_item=item, description="Kartlägg fritidsgårdarna.")
    ActionItemFactory(body=gov.body, description="Bjud in fritidsgårdarna till nätverket.")
    assert len(hits(search_as(client_for, world, "leader", "fritidsgårdarna"), "actions")) == 2
    found = hits(search_as(client_for, world, role, "fritidsgårdarna"), "actions")
    assert found == ["Bjud in fritidsgårdarna till nätverket."]


def test_closed_risks_are_found(world, client_for):
    RiskFactory(tenant=world.tenant, title="Avslutad risk om lokaler", status="stangd")
    assert len(hits(search_as(client_for, world, "steering", "lokaler"), "risks")) == 1


def test_archived_rows_are_not_found(world, gov, client_for):
    gone = timezone.now()
    ActionItemFactory(body=gov.body, description="Skolbesök i Vingåker", archived_at=gone)
    ActionItemFactory(body=gov.body, description="Skolbesök i Flen")
    RiskFactory(tenant=world.tenant, title="Personalbrist i Vingåker", archived_at=gone)
    RiskFactory(tenant=world.tenant, title="Personalbrist i Flen")
    MeetingFactory(body=gov.body, title="Nätverksträff i Vingåker", archived_at=gone)
    MeetingFactory(body=gov.body, title="Nätverksträff i Flen")
    response = search_as(client_for, world, "leader", "Vingåker")
    assert response.context["results"].total == 0
    response = search_as(client_for, world, "leader", "Flen")
    assert {g.key: g.total for g in response.context["results"].groups} == {
        "minutes": 1,
        "decisions": 0,
        "actions": 1,
        "risks": 1,
    }


@pytest.mark.parametrize("role", ["leader", "steering", "reporter"])
def test_another_programmes_content_never_appears(world, scene, other_scene, client_for, role):
    response = search_as(client_for, world, role, "Kronoberg")
    assert response.context["results"].total == 0
    # The same words find only this programme's rows.
    response = search_as(client_for, world, role, "processplanen")
    decision_pks = {hit.obj.pk for g in response.context["results"].groups for hit in g.hits}
    assert other_scene.approved_decision.pk not in decision_pks
    assert hits(response, "decisions") == ["SG 2025 §1"]
    response = search_as(client_for, world, "leader", "skolnärvaron")
    assert len(hits(response, "actions")) == 1


# Safety -------------------------------------------------------------------------


def test_stored_markup_is_escaped_in_snippets(world, gov, client_for):
    meeting = _meeting(gov.body, MinutesStatus.APPROVED, "Säkerhetsmöte", timezone.now())
    AgendaItemFactory(
        meeting=meeting,
        title="Övrigt",
        minutes='Särskild <script>alert("x")</script> fråga & <b>fetstil</b> <mark>falsk</mark>',
    )
    for role in ("leader", "reporter"):
        response = search_as(client_for, world, role, "Särskild")
        body = text(response)
        assert hits(response, "minutes") == [meeting.display_title]
        assert "<script>alert" not in body
        assert "<b>fetstil" not in body
        assert "<mark>falsk" not in body
        assert "fråga &amp;" in body
        snippet = re.search(r'<p class="search-snippet">(.*?)</p>', body, re.S).group(1)
        assert re.sub(r"</?mark>", "", snippet) == re.sub(r"<[^>]+>", "", snippet)


def test_marker_conversion_escapes_everything_between_markers():
    html = search_selectors.marked_to_html(
        "a <script>[S]b & c[E] [E]<i>[S]d", start="[S]", stop="[E]"
    )
    assert html == "a &lt;script&gt;<mark>b &amp; c</mark> &lt;i&gt;<mark>d</mark>"


def test_the_query_is_escaped_on_the_page(world, scene, client_for):
    body = text(search_as(client_for, world, "leader", "<script>x</script>"))
    assert "<script>x</script>" not in body
    assert "&lt;script&gt;x&lt;/script&gt;" in body


# Size ---------------------------------------------------------------------------


def test_each_type_is_capped_and_says_how_many_there_are(world, gov, client_for):
    for n in range(search_selectors.MAX_HITS + 5):
        ActionItemFactory(body=gov.body, description=f"Uppföljning av skolnärvaron nummer {n}")
    response = search_as(client_for, world, "leader", "skolnärvaron")
    group = next(g for g in response.context["results"].groups if g.key == "actions")
    assert (len(group.hits), group.total) == (50, 55)
    assert len(hits(response, "actions")) == 50
    assert "50" in text(response) and "55" in text(response)


def _search_queries(client, world) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(search_url(world.tenant, "styrgruppen beslutar"))
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_one_query_per_type_whatever_the_number_of_rows(world, gov, client_for):
    client = client_for(world.users["leader"])
    _scene(world, gov)
    few = _search_queries(client, world)
    for n in range(12):
        meeting = MeetingFactory(body=gov.body, title=f"Styrgruppen {n}")
        AgendaItemFactory(meeting=meeting, minutes="Styrgruppen beslutar")
        DecisionFactory(meeting=meeting, number=100 + n)
        ActionItemFactory(body=gov.body, description="Styrgruppen beslutar")
        RiskFactory(tenant=world.tenant, title="Styrgruppen beslutar")
    many = _search_queries(client, world)
    assert len(many) == len(few)
    assert len([sql for sql in many if "search_total" in sql]) == 4


def test_reporters_search_costs_two_queries(world, scene, client_for):
    client = client_for(world.users["reporter"])
    searches = [sql for sql in _search_queries(client, world) if "search_total" in sql]
    assert len(searches) == 2


def test_results_are_read_in_the_tenant_scope(world, scene):
    """The selector itself reads through the scoped managers."""
    with scope(tenant=world.tenant):
        results = search_selectors.search(
            tenant=world.tenant, membership=world.memberships["leader"], query="Lägesrapport"
        )
    assert [hit.obj.pk for hit in results.groups[0].hits] == [scene.finished.pk]
