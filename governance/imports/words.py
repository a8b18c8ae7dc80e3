"""Swedish letters that OCR broke, restored (issue 14, item 3): "Oxel6sund"
→ "Oxelösund", "féljas" → "följas", "Narvarande" → "Närvarande".

A word that is not Swedish as it stands is tried with each letter that OCR
confuses (a/ä/å, o/ö, 6/ö, é/ö/ä, d/ä, &/ä, 1/l) swapped back; a version
found in the vocabulary — the programme's own names first (people,
principals, bodies), then Debian's Swedish word list (`wswedish`, with
inflections), then a compound of two such words ("delmål", "följeforskning",
"länsstyrgrupps|möte": the list has few compounds) — replaces it, the fewest
changes winning. A word with two equally good readings is left as it is,
unless one of them is one of the few short words every text is full of
("fran" is "från", not "frän"). A word that is already a compound of known
words is left alone, unless the programme has a name one letter away.
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
AMPERSAND_AS_AR = re.compile(r"(?<=[a-zåäö] )&(?= [a-zåäö])")
TOKEN = re.compile(r"[A-Za-zÅÄÖåäöéÉèÈ&61]+")
# Readings tried for one word at most: a longer word with many a's and o's is left.
MOST_VARIANTS = 1024
# The shortest part of a compound: "del", "mål".
SHORTEST_PART = 3
# Words so common that, of two readings, they are the one meant.
COMMON = frozenset(
    {
        "från",
        "på",
        "är",
        "så",
        "när",
        "där",
        "då",
        "också",
        "även",
        "två",
        "nästa",
        "får",
        "går",
        "gå",
        "för",
        "över",
        "mål",
        "år",
        "sätt",
        "både",
        "måste",
    }
)


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
                if lowered.endswith(("en", "et")) and len(lowered) > 7:
                    # "Länsstyrgruppen" is "länsstyrgrupp" in "Länsstyrgrupp:" too.
                    found.add(lowered[:-2])
        return cls(words=swedish_words() if words is None else words, names=found)

    def knows(self, word: str) -> bool:
        lowered = word.casefold()
        return lowered in self.names or lowered in self.words

    def compound(self, word: str) -> bool:
        """Two known words, perhaps joined by an s: "del|mål", "läns|styrgrupps|möte"
        as "länsstyrgrupp" (a name), "s" and "möte"."""
        lowered = word.casefold()
        for cut in range(SHORTEST_PART, len(lowered) - SHORTEST_PART + 1):
            head, tail = lowered[:cut], lowered[cut:]
            if not self.knows(tail):
                continue
            if self.knows(head) or (
                head.endswith("s") and len(head) > SHORTEST_PART and self.knows(head[:-1])
            ):
                return True
        return False

    def common_compound(self, variant: str, word: str) -> bool:
        """The variant is a known head and a common word where `word` differs
        only in that common word: "del|mål" of "delmal"."""
        lowered = word.casefold()
        for cut in range(SHORTEST_PART, len(variant) - SHORTEST_PART + 1):
            head, tail = variant[:cut], variant[cut:]
            if head == lowered[:cut] and tail in COMMON and self.knows(head):
                return True
        return False


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
    # Ranks, lower is better: a name beats a word beats a compound, of the
    # same number of changes; one change fewer beats all three.
    best: dict[int, set[str]] = {}
    for changed, variant in _variants(word):
        lowered = variant.casefold()
        if lowered in vocabulary.names:
            best.setdefault(changed * 3 - 2, set()).add(variant)
        elif lowered in vocabulary.words:
            best.setdefault(changed * 3 - 1, set()).add(variant)
        elif vocabulary.compound(lowered):
            best.setdefault(changed * 3, set()).add(variant)
    if not best or (vocabulary.compound(word) and min(best) > 1):
        # A compound as it stands ("lans|styrgrupp") gives way only to the
        # programme's own name one letter away ("Länsstyrgrupp"), or to a
        # compound one letter away whose changed part is one of the common
        # words ("del|mal" is "del|mål": minutes speak of goals, not moths).
        compounds = {
            v for v in best.get(3, set()) if vocabulary.common_compound(v.casefold(), word)
        }
        if len(compounds) != 1:
            return word
        best = {3: compounds}
    top = {v.casefold(): v for v in best[min(best)]}
    if len(top) != 1:
        common = [v for lowered, v in top.items() if lowered in COMMON]
        if len(common) != 1:
            return word  # two readings: leave it for the reviewer
        top = {common[0].casefold(): common[0]}
    restored = next(iter(top.values()))
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

    text = TOKEN.sub(fix, text)

    def ampersand(match: re.Match[str]) -> str:
        changes.append(("&", "är"))
        return "är"

    # "tiden inte & mogen": OCR reads a lone "är" as "&", which between two
    # lower-case words is not Swedish ("R & D" and "Svensson & Co" keep theirs).
    return AMPERSAND_AS_AR.sub(ampersand, text), changes


def recognised_share(text: str, vocabulary: Vocabulary) -> float | None:
    """How much of a text reads as Swedish or the programme's names: the share
    of its words of three letters or more that the vocabulary knows. The
    review screen shows it as the confidence of what was read (a scan's
    garbled line scores low); None for a text without such words."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= 3]
    if not words:
        return None
    return round(sum(vocabulary.knows(w) for w in words) / len(words), 2)
