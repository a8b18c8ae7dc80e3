"""Minutes text is a safe Markdown subset (issue 12, item 6): headings,
nested lists, links that can be clicked, bold and italic — rendered by one
function (markdown-it-py, then sanitised by nh3) on the page, in an approved
version and in the PDF. Nothing a writer types becomes markup of its own, and
minutes typed as plain text before read as they did."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django_scopes import scope

from governance.services import meetings
from governance.templatetags.minutes_text import ALLOWED_TAGS, render_minutes_text
from tests.document_helpers import eager_documents, file_bytes, pdf_text
from tests.governance.meetings.helpers import approve, plan, url, write_minutes
from tests.governance.test_documents import render
from tests.helpers import text

MINUTES = """# Mål och resultat

Dialog kring *lokal* implementering:

- Kärnan är **viktigast**
  - barnets röst
  - föräldrarnas delaktighet
- Se [processplanen](https://www.regionsormland.se/processplan) och https://skr.se/barn.
"""


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every element of `html` with its attributes, as a browser parses them."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.fixture
def media(settings, tmp_path):
    return eager_documents(settings, tmp_path)


def test_headings_nested_lists_links_bold_and_italic():
    html = render_minutes_text(MINUTES)
    assert html == (
        "<h4>Mål och resultat</h4>\n"
        "<p>Dialog kring <em>lokal</em> implementering:</p>\n"
        "<ul>\n"
        "<li>Kärnan är <strong>viktigast</strong>\n"
        "<ul>\n<li>barnets röst</li>\n<li>föräldrarnas delaktighet</li>\n</ul>\n"
        "</li>\n"
        '<li>Se <a href="https://www.regionsormland.se/processplan" rel="noopener noreferrer">'
        "processplanen</a> och "
        '<a href="https://skr.se/barn" rel="noopener noreferrer">https://skr.se/barn</a>.</li>\n'
        "</ul>"
    )


def test_headings_start_below_the_heading_they_stand_under():
    assert render_minutes_text("# Rubrik\n## Under\n### Djupare", 5) == (
        "<h5>Rubrik</h5>\n<h6>Under</h6>\n<h6>Djupare</h6>"
    )
    rendered = Template("{% load minutes_text %}{{ text|minutes_text:5 }}").render(
        Context({"text": "# Beslut"})
    )
    assert rendered == "<h5>Beslut</h5>"


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://ok.se" onclick="alert(1)">länk</a>',
        '<p style="color:red" onmouseover="alert(1)">text</p>',
        "[klicka](javascript:alert(1))",
        "[klicka](JaVaScRiPt:alert(1))",
        "[klicka](javascript&#58;alert(1))",
        "[klicka](vbscript:msgbox(1))",
        "[klicka](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "javascript:alert(1)",
        '[x](https://ok.se "titel\\" onmouseover=\\"alert(1)")',
        "![bild](https://ok.se/x.png)",
        "```\n<script>alert(1)</script>\n```",
    ],
)
def test_hostile_text_never_becomes_markup(hostile):
    tags = elements(render_minutes_text(hostile))
    assert {tag for tag, _ in tags} <= ALLOWED_TAGS
    for tag, attributes in tags:
        assert set(attributes) <= {"href", "title", "rel", "start"}, tag
        href = attributes.get("href")
        assert href is None or href.startswith(("https://", "http://", "mailto:")), href


def test_every_link_opens_without_passing_on_the_page():
    html = render_minutes_text("[a](https://a.se) <https://b.se> www.c.se [m](mailto:a@b.se)")
    assert html.count('rel="noopener noreferrer"') == 4
    assert 'href="https://www.c.se"' in html


def test_plain_text_minutes_read_as_before():
    """Paragraphs, line breaks, “- ” lists and **bold**, as the old filter did;
    an indented or underlined line does not become code or a heading."""
    assert render_minutes_text(
        "Reflektioner:\n- Kärnan är **viktigast**\n- Arbetsgrupper\n\nNästa stycke\nrad två"
    ) == (
        "<p>Reflektioner:</p>\n"
        "<ul>\n<li>Kärnan är <strong>viktigast</strong></li>\n<li>Arbetsgrupper</li>\n</ul>\n"
        "<p>Nästa stycke<br>\nrad två</p>"
    )
    assert render_minutes_text("Punkt\n    indragen rad") == "<p>Punkt<br>\nindragen rad</p>"
    assert render_minutes_text("Rubrik\n======") == "<p>Rubrik<br>\n======</p>"
    assert render_minutes_text("\r\n") == ""
    assert render_minutes_text(None) == ""


def test_the_page_and_the_approved_version_render_the_same_markdown(world, gov, client_for):
    meeting = plan(world, gov, agenda=[("Mål och resultat", "dialog")])
    with scope(tenant=world.tenant):
        item = meeting.agenda_items.get()
    write_minutes(world, item, MINUTES + "\n<script>alert(1)</script>")
    expected = render_minutes_text(MINUTES + "\n<script>alert(1)</script>")
    leader = client_for(world.users["leader"])

    page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert expected in page
    approve(world, meeting)
    version = text(leader.get(url("meeting_version", world.tenant, meeting.pk, 1)))
    assert expected in version
    assert "<script>alert" not in page + version


def test_the_pdf_shows_the_markdown_as_formatted_text(
    world, gov, media, django_capture_on_commit_callbacks
):
    meeting = plan(world, gov, agenda=[("Mål och resultat", "dialog")])
    with scope(tenant=world.tenant):
        item = meeting.agenda_items.get()
        meetings.agenda_item_update(
            actor=world.users["leader"], item=item, expected_version=item.version, minutes=MINUTES
        )
    job = render(world, "leader", "minutes", meeting, django_capture_on_commit_callbacks)
    body = pdf_text(file_bytes(job))

    assert "Dialog kring lokal implementering" in body  # *lokal*: italic, no asterisks
    assert "• Kärnan är viktigast ◦ barnets röst ◦ föräldrarnas delaktighet" in body
    assert "Se processplanen och https://skr.se/barn." in body
    assert "**" not in body and "# Mål" not in body and "](" not in body


def test_a_text_is_drawn_once_and_a_saved_change_afresh(monkeypatch):
    """The page reads the same minutes many times between saves: a text is
    parsed once per worker (issue 17), and a changed text is a new one."""
    from governance.templatetags import minutes_text as module

    parsed = []
    real_parse = module._MARKDOWN.parse
    monkeypatch.setattr(
        module._MARKDOWN, "parse", lambda text, env: parsed.append(text) or real_parse(text, env)
    )
    text = f"{MINUTES}\nProtokollförare: {id(parsed)}"

    first = render_minutes_text(text)
    again = render_minutes_text(text.replace("\n", "\r\n"))  # the same text as a form posts it
    assert again == first
    assert len(parsed) == 1
    assert "<h4>Mål och resultat</h4>" in first

    changed = render_minutes_text(text + "\n\nTillägg efter justeringen.")
    assert "Tillägg efter justeringen." in changed
    assert render_minutes_text(text, 5).startswith("<h5>")  # another level, drawn anew
    assert len(parsed) == 3
