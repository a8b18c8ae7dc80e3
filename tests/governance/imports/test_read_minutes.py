"""Reading old minutes (issue 14, item 3): golden tests on the seeds.

The expected proposals (here and in expected.py) were written by reading the seeds
(`../shared/seeds/`, beside the checkout, as in CI), not from the parser's
output. Each seed is read as it is (text with Markdown), and as a Word file
built here with python-docx, with real headings, and as a text PDF rendered
here with WeasyPrint.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
import weasyprint
from django.conf import settings
from docx import Document
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pypdf import PdfWriter

from governance.imports.parse import mask_identity_numbers, read_minutes
from governance.imports.proposal import ABSENT, GUEST, PRESENT, SUBSTITUTE, Proposal
from governance.imports.sources import UnreadableFile, read_text
from governance.imports.words import Vocabulary, swedish_words
from tests.governance.imports.expected import (
    EXPECTED,
    KRONOBERG_ABSENT,
    KRONOBERG_ASSIGNMENTS,
    KRONOBERG_DECISIONS,
    KRONOBERG_ITEMS,
    KRONOBERG_OTHERS,
    KRONOBERG_PRESENT,
    KRONOBERG_SUBSTITUTES,
    PLANNING_DAY_GUESTS,
    PLANNING_DAY_PRESENT,
    SORMLAND_DIRECTORY,
    SORMLAND_ITEMS,
    SORMLAND_PRESENT,
    elements,
    precision_recall,
)

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def seed(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert found, f"the seed {prefix} is not in {SEEDS} (shared/ lies beside the checkout)"
    return found[0].read_text(encoding="utf-8")


def as_docx(markdown: str) -> bytes:
    """The seed as a Word author would have written it: # lines as headings,
    - lines as list paragraphs, | lines as a Word table where they stand,
    the rest as plain paragraphs."""
    document = Document()
    table: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        text = line.strip().replace("**", "")
        if text.startswith("|"):
            if not re.fullmatch(r"[|\s:-]+", text):  # not the header's rule
                table.append([cell.strip() for cell in text.strip("|").split("|")])
            continue
        if table:
            grid = document.add_table(rows=len(table), cols=max(len(r) for r in table))
            for row, cells in zip(grid.rows, table, strict=True):
                for cell, value in zip(row.cells, cells, strict=False):
                    cell.text = value
            table = []
        if text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            document.add_heading(text.lstrip("#").strip(), level=min(level, 9))
        elif text.startswith("- "):
            document.add_paragraph(text[2:], style="List Bullet")
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(markdown: str) -> bytes:
    """The seed as a text PDF: rendered from its Markdown with WeasyPrint. A
    plain text (an OCR seed: no heading, bold line or table) keeps its lines,
    one paragraph each: it has no Markdown to render."""
    if any(line.startswith(("#", "**", "|")) for line in markdown.splitlines()):
        body = MarkdownIt("commonmark").enable("table").render(markdown)
    else:
        body = "".join(
            f"<p>{html.escape(line.strip())}</p>" for line in markdown.splitlines() if line.strip()
        )
    # Tables ruled, as a word processor's default table style draws them.
    style = "<style>table{border-collapse:collapse}td,th{border:1px solid #000;padding:2pt}</style>"
    page = f"<html lang='sv'><head>{style}</head><body>{body}</body></html>"
    return weasyprint.HTML(string=page).write_pdf()


def people(proposal: Proposal) -> dict[str, str]:
    return {a.name: a.status for a in proposal.attendance}


# Seed 004: Kronoberg, 15 February 2019 -------------------------------------------


def check_kronoberg(proposal: Proposal) -> None:
    assert proposal.date == "2019-02-15"
    assert (proposal.start, proposal.end) == ("09:00", "11:00")
    assert proposal.place == "Nygatan 20, Växjö"
    assert proposal.body == "Styrgruppen"
    assert proposal.record_type == "notes"  # "Anteckningar förda av"
    assert proposal.recorded_by == "Sofie Schentz Magnusson"
    assert proposal.next_meeting is not None
    assert proposal.next_meeting.as_json() == {
        "date": "2019-05-03",
        "start": "08:00",
        "end": "09:00",
    }

    expected = (
        dict.fromkeys(KRONOBERG_PRESENT, PRESENT)
        | dict.fromkeys(KRONOBERG_SUBSTITUTES, SUBSTITUTE)
        | dict.fromkeys(KRONOBERG_ABSENT, ABSENT)
        | dict.fromkeys(KRONOBERG_OTHERS, GUEST)
    )
    assert people(proposal) == expected
    # Patrik Grimmesjö is listed twice: one person, and a warning says so.
    assert [a.name for a in proposal.attendance].count("Patrik Grimmesjö") == 1
    assert any("Patrik Grimmesjö" in w for w in proposal.warnings)
    by_name = {a.name: a for a in proposal.attendance}
    for name, replaced in KRONOBERG_SUBSTITUTES.items():
        assert by_name[name].replaces == replaced
    assert by_name["Camilla Holmqvist"].role == "ordförande"
    assert by_name["Camilla Holmqvist"].organisation == "Växjö"
    assert by_name["Åsa Karlsson"].title == "kommunikatör"
    assert by_name["Åsa Karlsson"].organisation == "Region Kronoberg"
    assert by_name["Carina Mosel"].organisation == "Växjö kommun"
    assert by_name["Erika Lagergren"].role == "processledare"
    assert by_name["Mats Andersberg"].organisation == "Linneuniversitetet"

    assert [(i.number, i.title) for i in proposal.items] == KRONOBERG_ITEMS
    items = {i.number: i for i in proposal.items}
    decided = {n: [d[:40] for d in i.decisions] for n, i in items.items() if i.decisions}
    assert {(n, d) for n, ds in decided.items() for d in ds} == KRONOBERG_DECISIONS
    assert "Tidsplanen bör kallas processplan" in items[6].decisions[0]
    assert "Ljungby kommun där Hans är kommunpolis" in items[4].text

    # Who is to do what: the presidium (in a decision), and every
    # organisation by the next meeting, twice.
    tasks = [(n, tuple(a.owners), a.due) for n, i in items.items() for a in i.actions]
    assert tasks == KRONOBERG_ASSIGNMENTS
    assert "finansiering av processledarna" in items[10].actions[1].text


def test_seed_004_as_text():
    check_kronoberg(read_minutes(seed("004"), file="004.txt"))


def test_seed_004_as_word():
    text = read_text("004.docx", as_docx(seed("004")))
    check_kronoberg(read_minutes(text, file="004.docx"))


def test_seed_004_as_pdf():
    check_kronoberg(read_minutes(read_text("004.pdf", as_pdf(seed("004"))), file="004.pdf"))


# Seed 000: Sörmland, 25 March 2025 ------------------------------------------------


def check_sormland(proposal: Proposal) -> None:
    assert proposal.date == "2025-03-25"
    assert (proposal.start, proposal.end) == (None, None)
    assert proposal.place is None
    assert proposal.body == "Styrgruppen"
    assert proposal.record_type == "notes"
    assert proposal.title == "Minnesanteckningar Styrgruppsmöte"
    assert people(proposal) == dict.fromkeys(SORMLAND_PRESENT, PRESENT)
    assert [i.title for i in proposal.items] == SORMLAND_ITEMS
    assert all(not i.decisions for i in proposal.items)
    report = proposal.status_report
    assert report is not None
    assert report.results and report.results.startswith("Dialog kring lokal implementering")
    assert [r.title for r in report.risks] == [
        "Saknar bifall på modellen från barn- och utbildningsförvaltningen i Eskilstuna.",
        "Rollbeskrivning Barnets bästa-ansvarig.",
    ]
    assert report.risks[0].mitigation == "Nytt mail ska skickas till utbildningschef i Eskilstuna."
    # "majmötet ställs därför in": no next meeting is named.
    assert proposal.next_meeting is None


def test_seed_000_as_text():
    check_sormland(read_minutes(seed("000"), file="000.txt"))


def test_seed_000_as_word():
    check_sormland(read_minutes(read_text("000.docx", as_docx(seed("000"))), file="000.docx"))


def test_seed_000_as_pdf():
    check_sormland(read_minutes(read_text("000.pdf", as_pdf(seed("000"))), file="000.pdf"))


# Seed 002: OCR text of a planning day ----------------------------------------------


@pytest.fixture
def sormland() -> Vocabulary:
    """The programme's names and the Swedish word list, as an import reads with."""
    assert swedish_words(), "Debian's wswedish is missing (.ci/ensure-chromium installs it)"
    return Vocabulary.for_names(SORMLAND_DIRECTORY)


def check_planning_day(proposal: Proposal) -> None:
    """What the OCR text gives today as written by hand; the rest is in
    test_seed_002_reads_as_written_by_hand below."""
    assert proposal.date == "2025-06-10"  # "Styrgruppen 250610"
    assert proposal.record_type == "notes"
    assert proposal.title == "Minnesanteckningar planeringsdag"
    assert people(proposal) == dict.fromkeys(PLANNING_DAY_PRESENT, PRESENT) | dict.fromkeys(
        PLANNING_DAY_GUESTS, GUEST
    )
    titles = [i.title for i in proposal.items]
    assert titles[0] == "Statusrapport"
    # A heading OCR glued to the sentence before it, and one glued to the
    # paragraph after it, both read, their letters restored.
    assert "Implementering- återkoppling från skolchefsnätverket och länsstyrgruppsmöte" in titles
    assert "Skolchefsnätverk och Länsstyrgrupp: NPF-delprojekt" in titles
    assert titles[-2:] == ["Goda exempel från Vingåker", "Följeforskning"]
    research = proposal.items[-1]
    assert [d[:40] for d in research.decisions] == ["Dialogen landar i att tiden inte är moge"]
    assert [(a.owners, a.due) for a in research.actions] == [(["Lina", "Osman"], None)]


def test_seed_002_as_text(sormland):
    check_planning_day(read_minutes(seed("002"), file="002.txt", vocabulary=sormland))


def test_seed_002_as_word(sormland):
    text = read_text("002.docx", as_docx(seed("002")))
    check_planning_day(read_minutes(text, file="002.docx", vocabulary=sormland))


def test_seed_002_as_pdf(sormland):
    text = read_text("002.pdf", as_pdf(seed("002")))
    check_planning_day(read_minutes(text, file="002.pdf", vocabulary=sormland))


def test_seed_002_gives_its_people_decision_and_assignment(sormland):
    """Seed 002 against its hand-written proposal, every kind exactly: the
    list's one-word line under "Resultat:" is not an agenda item, so its one
    decision and one assignment land under the right item."""
    proposal = read_minutes(seed("002"), vocabulary=sormland)
    found = elements(proposal)
    for kind in ("attendance", "items", "decisions", "assignments"):
        assert precision_recall(EXPECTED["002"][kind], found[kind]) == (1.0, 1.0), kind


def test_a_one_word_line_in_a_labelled_list_is_not_an_agenda_item():
    text = (
        "Minnesanteckningar\n\nNärvarande: Anna, Per\n\nBudget\n\nKassan går igenom läget.\n"
        "Utfall:\n\nTa fram en plan för hösten.\n\nKommunikation\n\n"
        "Skriv en nyhet till webben.\n\n\nUppföljning\n\nVi ses igen i maj.\n"
    )
    # The list runs to the wider gap: the one word after it is an item again.
    titles = [item.title for item in read_minutes(text).items]
    assert titles == ["Budget", "Uppföljning"]


def test_a_cut_sentence_or_ocr_garble_is_not_a_heading():
    text = (
        "Minnesanteckningar\n\nNärvarande: Anna, Per\n\nBudget\n\n"
        "Kassan går igenom läget.\n\nGemensamt arbetssätt: hur långt har vi\n\n"
        "kommit i arbetet.\nKrmbtsdrkl\n\nFörslagen läses.\nKsoltbcemrdans\n\n"
        "Uppföljning\n\nVi ses igen i maj.\n"
    )
    titles = [item.title for item in read_minutes(text).items]
    assert titles == ["Budget", "Uppföljning"]


# Any text, the JSON shape, identity numbers, files -----------------------------------


@hypothesis_settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=2000))
def test_any_text_gives_a_proposal(text):
    proposal = read_minutes(text)
    shape = proposal.as_json()
    assert set(shape) >= {"date", "attendance", "items", "warnings"}


@hypothesis_settings(max_examples=100, deadline=None, database=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "## 1. Inledning",
                "**Närvarande:** Anna Andersson, Växjö (ordförande)",
                "Frånvarande: Bo Berg",
                "Styrgruppen beslutar: att godkänna",
                "(ersätter",
                "Till nästa möte ska",
                "Nästa möte 3/5 kl. 8",
                "**",
                "#",
                "",
                "Kl. 25:99 – 9",
                "den 31 februari 2019",
                "Anteckningar förda av",
            ]
        ),
        max_size=30,
    )
)
def test_fragments_of_minutes_give_a_proposal(lines):
    read_minutes("\n".join(lines)).as_json()


def test_the_json_has_the_documented_shape():
    shape = read_minutes(seed("004")).as_json()
    assert list(shape) == [
        "file",
        "date",
        "start",
        "end",
        "place",
        "body",
        "record_type",
        "title",
        "attendance",
        "items",
        "status_report",
        "next_meeting",
        "recorded_by",
        "warnings",
    ]
    assert list(shape["attendance"][0]) == [
        "name",
        "status",
        "title",
        "organisation",
        "role",
        "represents",
        "replaces",
        "person_id",
        "confidence",
    ]
    assert list(shape["items"][0]) == ["number", "title", "text", "decisions", "actions"]
    assert list(shape["next_meeting"]) == ["date", "start", "end"]


def test_a_personal_identity_number_is_masked_and_flagged():
    text = "## 1. Ärende\n\nBarnet 811228-9874 och 20811228-9874 nämndes. Telefon 0470-123456."
    masked, count = mask_identity_numbers(text)
    assert "811228-9874" not in masked and count == 2
    assert "0470-123456" in masked  # not a valid personnummer
    proposal = read_minutes(text)
    assert "811228" not in proposal.items[0].text
    assert any("2 personnummer maskerade" in w for w in proposal.warnings)  # in Swedish


def _pdf_of(*, encrypted: bool) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if encrypted:
        writer.encrypt("hemligt")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_encrypted_pdf_or_an_empty_scan_is_refused_with_what_to_do():
    with pytest.raises(UnreadableFile, match="encrypted; save it without a password"):
        read_text("a.pdf", _pdf_of(encrypted=True))
    # No text layer: a scan, read by OCR, and a blank page has nothing on it.
    with pytest.raises(UnreadableFile, match="no text was found in the scanned PDF"):
        read_text("scan.pdf", _pdf_of(encrypted=False))


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("a.exe", b"MZ", "not a file the import reads"),
        ("a.docx", b"not a zip", "not a Word document"),
        ("a.pdf", b"%PDF-1.4 broken", "not a PDF"),
        ("a.txt", b"\xff\xfe\x00" * 10, ""),
    ],
)
def test_an_unreadable_file_is_refused_by_name(name, content, says):
    if name == "a.txt":
        assert isinstance(read_text(name, content), str)  # Windows-1252 reads anything
        return
    with pytest.raises(UnreadableFile, match=says):
        read_text(name, content)


def test_a_paragraph_of_a_hundred_thousand_words_is_read():
    """The file size check allows megabytes of text: nothing in reading it
    may grow faster than its length (a pattern once did, quadratically)."""
    text = "## 1. Ärende\n\nPresidiet får i uppdrag att " + "utreda " * 100_000 + "saken."
    proposal = read_minutes(text)
    assert proposal.items[0].actions[0].owners == ["Presidiet"]


@pytest.mark.parametrize(
    "line",
    [
        "- Maria Öhman, ersätter Tobias Nordin",
        "- Maria Öhman (ersätter Tobias Nordin)",
        "- Maria Öhman ersättare för Tobias Nordin",
    ],
)
def test_a_substitute_is_read_with_or_without_a_parenthesis(line):
    proposal = read_minutes(f"## Närvarande\n- Anna Berg\n{line}\n")
    substitute = next(a for a in proposal.attendance if a.name == "Maria Öhman")
    assert substitute.status == SUBSTITUTE
    assert substitute.replaces == ["Tobias Nordin"]


@pytest.mark.parametrize(("name", "build"), [("t.docx", as_docx), ("t.pdf", as_pdf)])
def test_a_table_is_read_where_it_stands_as_markdown_rows(name, build):
    markdown = (
        "## 1. Närvaro\n\n| Namn | Organisation |\n|---|---|\n| Anna Berg | Växjö kommun |\n"
        "| Bo Ek | Region Kronoberg |\n\n## 2. Beslut\n\nBeslut: Planen fastställs.\n"
    )
    text = read_text(name, build(markdown))
    lines = [line for line in text.splitlines() if line.strip()]
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| Namn | Organisation |"
    assert "| Anna Berg | Växjö kommun |" in table and "| Bo Ek | Region Kronoberg |" in table
    first, last = lines.index(table[0]), lines.index(table[-1])
    assert lines[first - 1].endswith("Närvaro") and "Beslut" in lines[last + 1]
    assert lines[first : last + 1] == table  # one row a line, nothing between
