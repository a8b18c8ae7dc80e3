"""Swedish letters that OCR broke, restored (issue 14, item 3): "Oxel6sund"
→ "Oxelösund", "féljas" → "följas", "Narvarande" → "Närvarande".

A word that is not Swedish as it stands is tried with each letter that OCR
confuses (a/ä/å, o/ö, 6/ö, é/ö/ä, d/ä, &/ä, 1/l) swapped back; a version
found in the vocabulary — the programme's own names first (people,
principals, bodies), then Debian's Swedish word list (`wswedish`, with
inflections) — replaces it, the fewest changes winning. A word with two
equally good readings is left as it is.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

# What OCR reads instead of each Swedish letter, turned round: a letter as
# read → what it may have been.
CONFUSED = {
    "a": "äå",
    "o": "ö",
    "6": "ö",
    "é": "öäe",
    "è": "e",
    "d": "ä",
    "&": "ä",
    "1": "l",
}
TOKEN = re.compile(r"[A-Za-zÅÄÖåäöéÉèÈ&61]+")
# Readings tried for one word at most: a longer word with many a's and o's is left.
MOST_VARIANTS = 1024


def wordlist_path() -> Path:
    return Path(getattr(settings, "SWEDISH_WORDLIST", "/usr/share/dict/swedish"))


@functools.cache
def swedish_words(path: Path | None = None) -> frozenset[str]:
    """Debian's word list (ISO-8859-1, one word a line), empty where it is missing."""
    path = path or wordlist_path()
    try:
        text = path.read_text(encoding="latin-1")
    except OSError:
        return frozenset()
    return frozenset(word.casefold() for word in text.split())


@dataclass
class Vocabulary:
    words: frozenset[str]
    names: set[str] = field(default_factory=set)  # the programme's, preferred

    @classmethod
    def for_names(cls, names: list[str], words: frozenset[str] | None = None) -> Vocabulary:
        """The word list and every word of the programme's names ("Oxelösunds
        kommun" gives "Oxelösund" too: minutes write the place)."""
        found: set[str] = set()
        for name in names:
            for word in re.findall(r"[^\W\d_]+", name):
                lowered = word.casefold()
                found.add(lowered)
                if lowered.endswith("s") and len(lowered) > 3:
                    found.add(lowered[:-1])
        return cls(words=swedish_words() if words is None else words, names=found)

    def knows(self, word: str) -> bool:
        lowered = word.casefold()
        return lowered in self.names or lowered in self.words


def _variants(word: str) -> list[tuple[int, str]]:
    """(letters changed, variant) of the word with confused letters swapped back."""
    options = [[char, *CONFUSED.get(char.lower(), "")] for char in word]
    count = 1
    for choice in options:
        count *= len(choice)
    if count > MOST_VARIANTS:
        return []
    found = []
    for combination in itertools.product(*options):
        changed = sum(a != b for a, b in zip(combination, word, strict=True))
        if changed:
            found.append((changed, "".join(combination)))
    return found


def restore(word: str, vocabulary: Vocabulary) -> str:
    """The word as it was written, if OCR broke it and one reading is best."""
    if len(word) < 2 or vocabulary.knows(word) or not any(c.isalpha() for c in word):
        return word
    if word.isdigit():
        return word
    best: dict[int, set[str]] = {}
    for changed, variant in _variants(word):
        lowered = variant.casefold()
        if lowered in vocabulary.names:
            best.setdefault(changed * 2 - 1, set()).add(variant)  # a name beats a word
        elif lowered in vocabulary.words:
            best.setdefault(changed * 2, set()).add(variant)
    if not best:
        return word
    top = best[min(best)]
    if len({v.casefold() for v in top}) != 1:
        return word  # two readings: leave it for the reviewer
    restored = next(iter(top))
    return restored[:1].upper() + restored[1:] if word[:1].isupper() else restored


def restore_text(text: str, vocabulary: Vocabulary) -> tuple[str, list[tuple[str, str]]]:
    """The text with broken words restored, and (as read, restored) of each change."""
    changes: list[tuple[str, str]] = []
    seen: dict[str, str] = {}  # each distinct word is tried once

    def fix(match: re.Match[str]) -> str:
        word = match[0]
        if word not in seen:
            seen[word] = restore(word, vocabulary)
        restored = seen[word]
        if restored != word:
            changes.append((word, restored))
        return restored

    return TOKEN.sub(fix, text), changes
