"""Letters OCR broke, restored against the programme's names and Debian's
Swedish word list (issue 14, item 3)."""

from __future__ import annotations

import pytest

from governance.imports.parse import read_minutes
from governance.imports.words import Vocabulary, restore, restore_text, swedish_words
from tests.governance.imports.test_read_minutes import seed


@pytest.fixture
def vocabulary() -> Vocabulary:
    assert swedish_words(), "Debian's wswedish is missing (.ci/ensure-chromium installs it)"
    return Vocabulary.for_names(["Oxelösunds kommun", "Vingåkers kommun", "Nettan Candolf"])


@pytest.mark.parametrize(
    ("read", "written"),
    [
        ("Oxel6sund", "Oxelösund"),  # the programme's principal, "s kommun" left out
        ("féljas", "följas"),
        ("Narvarande", "Närvarande"),
        ("nésta", "nästa"),
        ("stdngt", "stängt"),
        ("&r", "är"),
        ("1angt", "långt"),
        ("Uppféljning", "Uppföljning"),
        ("Vingaker", "Vingåker"),
    ],
)
def test_a_broken_word_is_restored(vocabulary, read, written):
    assert restore(read, vocabulary) == written


@pytest.mark.parametrize("word", ["Styrgruppen", "Nettan", "kommun", "2025", "250610", "x"])
def test_a_word_that_is_fine_is_left_alone(vocabulary, word):
    assert restore(word, vocabulary) == word


def test_a_name_of_the_programme_beats_a_word(vocabulary):
    names = Vocabulary.for_names(["Ström"], words=frozenset({"strom"}))
    assert restore("Strom", names) == "Strom"  # Swedish as it stands: left alone
    assert restore("Str6m", names) == "Ström"


def test_two_equally_good_readings_are_left_for_the_reviewer():
    ambiguous = Vocabulary(words=frozenset({"här", "hår"}))
    assert restore("har", ambiguous) == "har"


def test_the_ocr_seed_reads_as_written(vocabulary):
    text, changes = restore_text(seed("002"), vocabulary)
    assert "En workshop i Oxelösund ska följas upp" in text.replace("Enworkshop", "En workshop")
    assert ("Narvarande", "Närvarande") in changes
    proposal = read_minutes(seed("002"), vocabulary=vocabulary)
    assert proposal.items[0].title == "Statusrapport"
    assert "Oxelösund ska följas upp" in proposal.items[0].text
    assert [a.name for a in proposal.attendance][:2] == ["Nettan", "Malin"]
    assert any("Oxel6sund → Oxelösund" in w for w in proposal.warnings)


def test_without_the_word_list_only_the_programmes_names_are_restored(settings, tmp_path):
    settings.SWEDISH_WORDLIST = str(tmp_path / "missing")
    swedish_words.cache_clear()
    try:
        vocabulary = Vocabulary.for_names(["Oxelösunds kommun"])
        assert restore("Oxel6sund", vocabulary) == "Oxelösund"
        assert restore("féljas", vocabulary) == "féljas"
    finally:
        swedish_words.cache_clear()


def test_the_confidence_of_a_reading_is_how_much_of_it_reads_as_swedish():
    from governance.imports.words import recognised_share

    vocabulary = Vocabulary.for_names(["Oxelösunds kommun"])
    clean = recognised_share("Styrgruppen beslutar att följa upp arbetet i Oxelösund.", vocabulary)
    garbled = recognised_share(
        "Styrgr0ppen bes1utar att fdlja upp arbetct i 0xelosund.", vocabulary
    )
    assert clean is not None and garbled is not None
    assert clean >= 0.8 and garbled <= 0.5
    assert recognised_share("12 3 4", vocabulary) is None
