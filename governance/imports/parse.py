"""Reading minutes as text (issue 14, item 3): `read_minutes(text)` → a
`Proposal`. It works on what Word, PDF and OCR give back, Markdown or plain:
headings are Markdown `#` lines, bold lines, or short lines of their own.

It never raises on any text: what it cannot read it leaves out, with a
warning. Nothing is matched against a programme here (see `directory.py`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from personnummer import personnummer

from governance.imports import dates
from governance.imports.proposal import (
    ABSENT,
    GUEST,
    MINUTES,
    NOTES,
    PRESENT,
    SUBSTITUTE,
    Action,
    Attendee,
    Item,
    NextMeeting,
    Proposal,
    Risk,
    StatusReport,
)
from governance.imports.words import Vocabulary, restore_text, swedish_words

# Section labels of the attendance, as written and as OCR loses the dots.
ATTENDANCE_LABELS = {
    PRESENT: r"n[äa]rvarande|deltagare|n[äa]rvarande ledam[öo]ter|beslutande|ledam[öo]ter",
    ABSENT: r"fr[åa]nvarande(?: ledam[öo]ter)?|f[öo]rhinder|anm[äa]lt f[öo]rhinder"
    r"|(?:ej|inte) n[äa]rvarande",
    GUEST: r"[öo]vriga(?: deltagare| n[äa]rvarande)?|adjungerade|g[äa]st(?:er)?|inbjudna",
    SUBSTITUTE: r"tj[äa]nstg[öo]rande ers[äa]ttare",
}
# "Närvarande: …", or the label alone on its line ("Deltagare", "## Närvarande")
# with the people below it.
LABEL = re.compile(
    r"^(?P<label>"
    + "|".join(f"(?:{p})" for p in ATTENDANCE_LABELS.values())
    + r")\s*(?::\s*(?P<rest>.*)|$)",
    re.I,
)
# The header row of a table of people ("Namn – Organisation – Roll").
TABLE_HEADER = re.compile(r"^\|?\s*namn\s*(?:[|–—\t-]|\s-\s)", re.I)
# The columns of a row of that table: a dash between spaces, a bar or a tab.
COLUMNS = re.compile(r"\s+[–—-]\s+|\s*\|\s*|\t+")
# A Word table's column saying who came ("Närvarande": "Ja"/"Nej", "x").
PRESENCE_COLUMN = re.compile(r"^(?:n[äa]rvar\w*|deltog|deltar)$", re.I)
HERE = re.compile(r"^(?:ja|x|✓|✔|n[äa]rvarande|deltog)$", re.I)
# A to-do table: "| Vad | Vem | När |".
WHO_COLUMN = re.compile(r"^(?:vem|ansvarig\w*|ansv\.?)$", re.I)
WHEN_COLUMN = re.compile(r"^(?:n[äa]r|klart|senast|datum|deadline)$", re.I)
HEADING_NUMBER = re.compile(r"^(?:§\s*)?(\d{1,3})\s*[.):]?\s+(.*)$")
# "Styrgruppen beslutar: …", "Beslut: …", or the label alone on its line
# ("Styrgruppen beslutar" over a list of "att" clauses).
DECISION_LABEL = re.compile(
    r"^(?:(?:styrgruppen|gruppen|n[äa]tverket|m[öo]tet|[\w-]+(?:gruppen|n[äa]tverket|r[åa]det))"
    r"(?:\s+beslutar|s\s+beslut)|beslut)\s*(?::\s*(.*)|$)",
    re.I,
)
DECISION_SENTENCE = re.compile(
    r"\b(?:beslutar|beslutade|beslutas|beslutades|beslöt)\b\s*(?:att\b|:)|^det beslutas att\b"
    r"|\bbeslut (?:tas|togs|fattas|fattades) (?:om )?att\b",
    re.I,
)
# "att godkänna budgeten, samt" / "att uppdra åt …": each clause a decision.
ATT_CLAUSE_END = re.compile(r"(?:[,;.]|\bsamt|\boch)$")
# "Ansvarig: Fatima Hassan och Johan Åberg, klart 2025-10-15".
ACTION_LABEL = re.compile(r"^(?:ansvariga?|ansv\.?|ansvar)\s*:\s*(?P<rest>.+)$", re.I)
# "uppdra åt processledaren att …", "ge presidiet i uppdrag att …".
COMMISSION = re.compile(
    r"\b(?:uppdra|uppdrar|uppdras|uppdrog)\s+åt\s+(?P<owner>(?:\S+\s+){0,5}?\S+)\s+att\b"
    r"|\b(?:ge|ger|gav)\s+(?P<given>(?:\S+\s+){0,5}?\S+)\s+i\s+uppdrag\s+att\b",
    re.I,
)
# "Lina och Osman tar fram ett förslag", "… att Elin skickar ut": people
# named, then a verb that commits them (present tense, as minutes agree).
COMMITS = (
    r"tar fram|tar kontakt|återkommer|ansvarar för|sammanställer|skickar ut|skickar|bjuder in"
    r"|kallar till|ser över|undersöker|utreder|kollar|tittar på|bokar|kontaktar|stämmer av"
    r"|förbereder|följer upp"
)
_NAME = r"[A-ZÅÄÖ][\w-]*(?:\s+[A-ZÅÄÖ][\w-]*){0,2}"
COMMITMENT = re.compile(
    rf"(?:^|\batt\s+)(?P<owners>{_NAME}(?:(?:\s*,\s*|\s+och\s+){_NAME})*)\s+(?:{COMMITS})\b"
)
# "My Zinderland, strateg …, presenterar …": someone not in the attendance
# who presents an item was there, as a guest.
PRESENTER = re.compile(
    r"^(?P<name>[A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+){1,2})\b,?(?P<between>(?:\s+\S+){0,8}?)\s+"
    r"(?:presenterar|presenterade|berättar|berättade|informerar|informerade|redogör|redogjorde"
    r"|föredrar|föredrog)\b"
)
PRONOUNS = {"vi", "de", "man", "det", "den", "jag", "hon", "han", "ni", "dessa", "detta"}
DUE = re.compile(r"\b(?:senast|klart|klar|till|före|innan|deadline)\b\s*:?\s*(?P<when>.*)", re.I)
NEXT_MEETING_DUE = re.compile(
    r"\btill\s+nästa\s+(?:[\w-]*?m[öo]te|sammantr[äa]de|tr[äa]ff)\b", re.I
)
# "X får i uppdrag att …": found by its words alone, X read back from them
# (a pattern that looked for X first took quadratic time on a long paragraph).
ACTION = re.compile(r"\bfår i (?:uppdrag|uppgift) att\b", re.I)
NEXT_TIME = re.compile(
    r"\btill nästa (?:m[öo]te|sammantr[äa]de) (?:ska|behöver|bör)\s+(?P<owner>\S+)\s+(?P<what>.*)$",
    re.I,
)
# Words an owner is made of besides names: "alla organisationer", "presidiet".
OWNER_WORDS = {
    "alla",
    "varje",
    "samtliga",
    "respektive",
    "berörda",
    "de",
    "organisationer",
    "organisation",
    "kommuner",
    "kommunerna",
    "kommun",
    "huvudmän",
    "huvudmännen",
    "huvudman",
    "presidiet",
    "processledarna",
    "processledare",
    "processledaren",
    "styrgruppen",
    "ledamöterna",
    "ledamöter",
    "medlemmarna",
    "forskarna",
    "följeforskarna",
    "och",
}
NEXT_MEETING = re.compile(r"\bn[äa]sta\s+(?:[\w-]*?m[öo]te|sammantr[äa]de)\b(?P<rest>.*)", re.I)
RECORDED_BY = re.compile(
    r"(?:anteckningar\s+(?:förda|forda)\s+av|vid\s+(?:protokollet|pennan)|sekreterare\s*:|"
    r"antecknat\s+av|protokollf[öo]rare\s*:)\s*:?\s*(?P<name>.+)$",
    re.I,
)
# Where the signatures start: nothing after is a heading.
SIGNATURE = re.compile(
    r"^(?:vid protokollet|justeras|justerat|justerare|protokollf[öo]rare|underskrifter)\s*:?\s*$",
    re.I,
)
# Words a heading does not end on: pronouns, prepositions, conjunctions.
UNFINISHED = frozenset(
    [
        "och",
        "att",
        "i",
        "på",
        "som",
        "för",
        "med",
        "av",
        "till",
        "vi",
        "de",
        "det",
        "den",
        "en",
        "ett",
        "om",
        "hur",
        "är",
        "har",
        "kan",
        "ska",
        "men",
        "eller",
        "från",
        "vid",
        "när",
        "där",
    ]
)
GARBLED = re.compile(r"[bcdfghjklmnpqrstvwxz]{6}", re.I)
GUT_FEELING = re.compile(r"magk[äa]nsla", re.I)
PERSONNUMMER = re.compile(r"(?<![\d-])(?:\d{2})?\d{6}[-+]?\d{4}(?![\d-])")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ROLE_WORDS = (
    "ordförande",
    "vice ordförande",
    "ordf.",
    "vice ordf.",
    "sekreterare",
    "processledare",
    "justerare",
    "sammankallande",
)
ORGANISATION_WORDS = re.compile(
    r"\b(kommun|region|polis|universitet|förvaltning|myndighet|skola|länsstyrelsen)", re.I
)
POSITIVE = re.compile(r"\b(god|bra|positiv|stark|hoppfull|grön)", re.I)
NEGATIVE = re.compile(r"\b(dålig|orolig|negativ|svag|röd|oro)", re.I)


@dataclass
class Line:
    text: str  # without Markdown marks
    heading: bool
    number: int  # 1-based, in the source


def mask_identity_numbers(text: str) -> tuple[str, int]:
    """Text that is a valid personnummer is masked: the portal holds no data
    about children (nor anyone's identity number). (masked text, how many)."""
    count = 0

    def mask(match: re.Match[str]) -> str:
        nonlocal count
        if personnummer.valid(match[0]):
            count += 1
            return "ÅÅMMDD-XXXX"
        return match[0]

    return PERSONNUMMER.sub(mask, text), count


def _plain(raw: str) -> tuple[str, bool]:
    """A line without its Markdown marks, and whether it is a heading."""
    text = raw.strip()
    heading = text.startswith("#")
    text = text.lstrip("#").strip()
    # A line bold from end to end ("**25 mars 2025**", "**8. Kommunikation**").
    heading = heading or bool(re.fullmatch(r"\*\*([^*]+)\*\*:?", text))
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<!\w)\*(\S[^*]*\S|\S)\*(?!\w)", r"\1", text)
    return text.strip(), heading


def _lines(text: str, vocabulary: Vocabulary | None = None) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        plain, heading = _plain(raw)
        lines.append(Line(plain, heading, number))
    if not any(line.heading for line in lines):
        _plain_headings(lines, vocabulary or Vocabulary(words=swedish_words()))
    return lines


def _plain_headings(lines: list[Line], vocabulary: Vocabulary) -> None:
    """Plain text (a PDF, OCR): "3. Forskning och implementering" or "§ 12
    Mötets öppnande" at the start of a line is a heading (a lower-case line
    after it goes on with it), and so is a short line on its own, starting
    with a capital and ending without a full stop or a comma. OCR loses blank
    lines: such a line right after a finished sentence, or right before a
    one-line paragraph, is a heading too. Nothing in the signatures at the end
    ("Vid protokollet", "Justeras:") is."""
    for line in lines:
        # OCR reads list markers as », «, o or e: they are bullets.
        line.text = re.sub(r"^(?:[»«•·▪◦*]+|[oe])\s+(?=\S)", "- ", line.text)
    signed = next((i for i, line in enumerate(lines) if SIGNATURE.match(line.text)), len(lines))
    lines = lines[:signed]
    for i, line in enumerate(lines):
        before = lines[i - 1].text if i else ""
        rest = lines[i + 1] if i + 1 < len(lines) else None
        beyond = lines[i + 2].text if i + 2 < len(lines) else ""
        if (
            not before
            and rest is not None
            and not beyond
            and line.text[:1].isupper()
            and rest.text[:1].islower()
            and len(line.text.split()) + len(rest.text.split()) <= 10
            and not re.search(r"[.,:;!?]$", rest.text)
            and "," not in line.text + rest.text
        ):
            # A heading over two lines ("Skolchefsnätverk och länsstyrgrupp /
            # gemensamt möte 9/5").
            line.text, rest.text = f"{line.text} {rest.text}", ""
        if re.match(r"^(?:\d{1,2}\.|§\s*\d{1,3}\.?)\s+[A-ZÅÄÖ]", line.text) and (
            len(line.text.split()) <= 12
        ):
            line.heading = True
            rest = lines[i + 1] if i + 1 < len(lines) else None
            if rest and rest.text[:1].islower() and len(rest.text.split()) <= 6:
                line.text = f"{line.text} {rest.text}"
                rest.text = ""
    # A list under a label of its own line ("Resultat:", "Att göra:") runs to
    # the next heading of more words or a wider gap (two blank lines); one
    # word on its own inside it is the list's own sub-heading, not the next
    # agenda item.
    in_labelled_list = seen_heading = False
    for i, line in enumerate(lines):
        before = lines[i - 1].text if i else ""
        after = lines[i + 1].text if i + 1 < len(lines) else ""
        following = next((later.text for later in lines[i + 1 :] if later.text), "")
        words = line.text.split()
        if not line.text and i and not before:
            in_labelled_list = False
        if (
            seen_heading
            and re.fullmatch(r"[A-ZÅÄÖ][^\W\d_]*(?: [^\W\d_]+)?:", line.text)
            and not LABEL.match(line.text)
        ):
            in_labelled_list = True
            continue
        alone = not before and not after
        # "… det positiva." / "Implementering- återkoppling …" / "" (OCR).
        after_a_sentence = before.endswith((".", "?", "!")) and not after
        # "" / "Skolchefsnätverk och länsstyrgrupp: NPF" / "Två förslag … ."
        over_one_line = (
            not before
            and after[:1].isupper()
            and after.endswith((".", "!", "?"))
            and len(after.split()) >= 6
        )
        if (
            1 <= len(words) <= 8
            and line.text[:1].isupper()
            and not line.text.endswith((".", ",", ":", ";", "?", "!"))
            and not following[:1].islower()
            and (alone or after_a_sentence or over_one_line)
            and not LABEL.match(line.text)
            and not RECORDED_BY.search(line.text)
            and "," not in line.text
            and not (in_labelled_list and len(words) == 1)
            # A heading does not stop on a little word ("… hur långt vi"):
            # that is a sentence a PDF's wrapping cut.
            and words[-1].casefold() not in UNFINISHED
            # Nor is OCR's garble one ("Barrbcetmrdcns": no Swedish word
            # has six consonants in a row).
            and not GARBLED.search(line.text)
            and not (len(words) == 1 and _garbled_word(words[0], vocabulary))
        ):
            line.heading = seen_heading = True
            in_labelled_list = False


def _garbled_word(word: str, vocabulary: Vocabulary) -> bool:
    """A long word on its own line that is no Swedish word, compound or name
    of the programme ("Barrbcecetmrdens"): OCR's reading of a picture or a
    margin. Without the word list nothing is garbled; acronyms never are."""
    if not vocabulary.words or word.isupper() or len(word) < 6:
        return False
    return not (vocabulary.knows(word) or vocabulary.compound(word))


def _paragraphs(lines: list[Line]) -> str:
    """The lines as text: one paragraph per run of lines, bullets kept."""
    out: list[str] = []
    for line in lines:
        if not line.text:
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line.text)
    return "\n".join(out).strip()


def _sentences(text: str) -> list[str]:
    flat = re.sub(r"\s*\n\s*", " ", text)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”])", flat) if s.strip()]


# Attendance ---------------------------------------------------------------------


def _entries(section: list[str]) -> list[str]:
    """One entry per person: lines joined where a name or a parenthesis goes on
    to the next line; a single line of commas is one person per comma, and
    "X och Y" is two."""
    joined: list[str] = []
    for raw in section:
        text = raw.strip()
        if text[:2] in ("- ", "• ", "* "):
            text = text[2:].strip()
        text = text.strip("|").strip()
        if not text or TABLE_HEADER.match(text) or re.fullmatch(r"[-|:\s]+", text):
            continue
        continues = joined and (
            joined[-1].count("(") > joined[-1].count(")")
            or text[:1].islower()
            or joined[-1].endswith((",", " och", "&"))
        )
        if continues:
            joined[-1] = f"{joined[-1]} {text}"
        else:
            joined.append(text)
    if len(joined) == 1 and (people := _comma_people(joined[0])):
        joined = people
    return [person for entry in joined for person in _and_people(entry)]


def _comma_people(text: str) -> list[str] | None:
    """A line of people separated by commas, or None where the commas
    separate one person's facts ("Anna Berg, Växjö kommun, ordförande"). A
    part in lower case or naming an organisation goes with the person before
    it ("Karin Åkesson, processledare, Lars-Göran Petersson, sekreterare")."""
    parts = _split_commas(text)
    if len(parts) < 2:
        return None
    if len(parts) == 2:  # one comma: two people only where both read as full names
        both = all(_reads_as_name(p, words=2) for p in parts)
        return parts if both else None
    people: list[str] = []
    for part in parts:
        if people and (part[:1].islower() or ORGANISATION_WORDS.search(part)):
            people[-1] = f"{people[-1]}, {part}"
        else:
            people.append(part)
    return people if len(people) > 1 else None


def _and_people(entry: str) -> list[str]:
    """ "Birgitta Sandahl och Göran Ahlqvist" → both; "Carina Mosel (ersätter
    Per och Anders)" stays one."""
    parts = re.split(r"\s+(?:och|&)\s+", entry)
    if len(parts) == 2 and all(_reads_as_name(p, words=1) for p in parts):
        return parts
    return [entry]


def _reads_as_name(text: str, *, words: int) -> bool:
    """A person's name, perhaps with a parenthesis: one to four capitalised
    words, at least `words` of them, none an organisation's."""
    bare = re.sub(r"\([^)]*\)?", " ", text).split()
    return (
        words <= len(bare) <= 4
        and all(w[:1].isupper() and not any(c.isdigit() for c in w) for w in bare)
        and not ORGANISATION_WORDS.search(" ".join(bare))
    )


def _split_commas(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _names(text: str) -> list[str]:
    """ "Per Sandberg och Anders Elingfors", "X, Y och Z" → each name."""
    return [n.strip(" .") for n in re.split(r",|\s+och\s+|\s*&\s*", text) if n.strip(" .")]


def _attendee(entry: str, status: str) -> Attendee:
    attendee = Attendee(name="", status=status, source=entry)
    columns = [c.strip() for c in COLUMNS.split(entry) if c.strip()]
    if len(columns) >= 2 and _reads_as_name(columns[0], words=1):
        # A row of a table: "Emma Bergkvist – Ljungby kommun – sammankallande".
        attendee.name = re.sub(r"\s+", " ", columns[0])
        attendee.organisation = columns[1]
        if len(columns) > 2:
            last = ", ".join(columns[2:])
            if last.casefold().startswith(ROLE_WORDS):
                attendee.role = last
            else:
                attendee.title = last
        return attendee
    text = entry
    for group in re.findall(r"\(([^)]*)\)?", entry):
        inner = group.strip()
        lowered = inner.casefold()
        if lowered.startswith("ersätter"):
            # "ersätter Linda Vingren framöver": the names, not the adverb.
            attendee.replaces = [
                " ".join(w for w in name.split() if w[:1].isupper()) or name
                for name in _names(inner[len("ersätter") :])
            ]
            attendee.status = SUBSTITUTE if status == PRESENT else status
        elif lowered.startswith("rep."):
            attendee.represents = inner[4:].strip() or None
        elif any(lowered.startswith(word) for word in ROLE_WORDS):
            attendee.role = inner
        else:
            attendee.title = inner
        text = text.replace(f"({group})", " ").replace(f"({group}", " ")
    # "Maria Öhman, ersätter Tobias Nordin" and "Per Ek ersättare för Eva
    # Holm": the substitution outside a parenthesis.
    substitute = re.search(r"[,–-]?\s*\b(?:ersätter|ersättare för)\s+(.+)$", text, re.I)
    if substitute and not attendee.replaces:
        attendee.replaces = [
            " ".join(w for w in name.split() if w[:1].isupper()) or name
            for name in _names(substitute[1])
        ]
        attendee.status = SUBSTITUTE if status == PRESENT else status
        text = text[: substitute.start()]
    rep = re.search(r"\brep\.\s*(.+)$", text, re.I)
    if rep:
        attendee.represents = rep[1].strip(" ,")
        text = text[: rep.start()]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return attendee
    attendee.name = re.sub(r"\s+", " ", parts[0])
    rest = [re.sub(r"\s+", " ", p) for p in parts[1:]]
    # "Åsa Karlsson (kommunikatör) Region Kronoberg": the organisation after
    # the parenthesis, on the name's side of the comma.
    words = attendee.name.split()
    if len(words) > 2 and ORGANISATION_WORDS.search(" ".join(words[2:])):
        attendee.name, rest = " ".join(words[:2]), [" ".join(words[2:]), *rest]
    for part in rest:
        if part.casefold() in ROLE_WORDS:
            attendee.role = part.casefold()
        elif attendee.organisation is None:
            attendee.organisation = part
        else:
            attendee.title = attendee.title or part
    return attendee


def _attendance(lines: list[Line], proposal: Proposal) -> set[int]:
    """The attendance sections' people; returns the source lines they used."""
    used: set[int] = set()
    seen: dict[str, Attendee] = {}
    i = 0
    while i < len(lines):
        if TABLE_HEADER.match(lines[i].text):
            # A table of people of its own, "| Namn | Organisation | Närvarande |".
            i = _attendance_table(lines, i, used, seen, proposal)
            continue
        match = LABEL.match(lines[i].text)
        if not match:
            i += 1
            continue
        status = _status_of(match["label"])
        used.add(i)
        rest = match["rest"] or ""
        section = [rest] if rest.strip() else []
        j = i + 1
        if not section:  # the label is a heading: the next paragraph lists them
            while j < len(lines) and not lines[j].text:
                used.add(j)
                j += 1
        while j < len(lines) and not lines[j].heading and not LABEL.match(lines[j].text):
            if not lines[j].text:
                # OCR leaves blank lines inside a list: it goes on while the
                # next line still reads as a person.
                k = j
                while k < len(lines) and not lines[k].text:
                    k += 1
                if k == len(lines) or not section or not _reads_as_person(lines[k]):
                    break
                used.update(range(j, k))
                j = k
            section.append(lines[j].text)
            used.add(j)
            j += 1
        for entry in _entries(section):
            attendee = _attendee(entry, status)
            if not attendee.name:
                continue
            key = attendee.name.casefold()
            if key in seen:
                proposal.warnings.append(
                    _("%(name)s is listed twice: read as one person.") % {"name": attendee.name}
                )
                continue
            seen[key] = attendee
            proposal.attendance.append(attendee)
        i = j
    return used


def _cells(text: str) -> list[str]:
    return [c.strip() for c in COLUMNS.split(text.strip().strip("|"))]


def _attendance_table(
    lines: list[Line], start: int, used: set[int], seen: dict[str, Attendee], proposal: Proposal
) -> int:
    """The rows of a table of people: present unless its presence column
    says otherwise ("Nej", empty). Returns the line after the table."""
    header = _cells(lines[start].text)
    presence = next((k for k, c in enumerate(header) if PRESENCE_COLUMN.match(c)), None)
    used.add(start)
    j = start + 1
    while j < len(lines) and lines[j].text and not lines[j].heading:
        used.add(j)
        cells = _cells(lines[j].text)
        j += 1
        if re.fullmatch(r"[-|:\s]+", lines[j - 1].text) or not _reads_as_name(cells[0], words=1):
            continue
        status = PRESENT
        if presence is not None:
            said = cells[presence] if presence < len(cells) else ""
            status = PRESENT if HERE.match(said) else ABSENT
        others = [c for k, c in enumerate(cells[1:], 1) if c and k != presence]
        attendee = Attendee(
            name=re.sub(r"\s+", " ", cells[0]), status=status, source=lines[j - 1].text
        )
        attendee.organisation = others[0] if others else None
        attendee.title = others[1] if len(others) > 1 else None
        if attendee.name.casefold() not in seen:
            seen[attendee.name.casefold()] = attendee
            proposal.attendance.append(attendee)
    return j


def _todo_table(body: list[Line]) -> list[tuple[str, Action]] | None:
    """A to-do table ("| Vad | Vem | När |") as (what, action) of each row, or
    None where the lines are not one. The due date is read as `_due` reads it."""
    texts = [line.text for line in body if line.text]
    rows = list(itertools.takewhile(lambda text: text.startswith("|"), texts))
    if not rows:
        return None
    header = _cells(rows[0])
    who = next((k for k, c in enumerate(header) if WHO_COLUMN.match(c)), None)
    if who is None:
        return None
    when = next((k for k, c in enumerate(header) if WHEN_COLUMN.match(c)), None)
    what = next((k for k in range(len(header)) if k not in (who, when)), None)
    found = []
    for row in rows[1:]:
        cells = _cells(row)
        if re.fullmatch(r"[-|:\s]+", row) or who >= len(cells):
            continue
        task = cells[what] if what is not None and what < len(cells) else ""
        due = cells[when] if when is not None and when < len(cells) else ""
        found.append((task, Action(text=task, owners=_owners(cells[who]), due=due or None)))
    return found


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[^\W\d_]{4,}", text.casefold())}


def _reads_as_person(line: Line) -> bool:
    """A line of a list of people: short, no full stop, a comma or a
    parenthesis ("Magnus Fritihof, Region Kronoberg") or a capital start and
    a lower-case line continuing a parenthesis ("och Anders Elingfors)")."""
    text = line.text
    if line.heading or LABEL.match(text) or text.endswith((".", ":")) or len(text.split()) > 10:
        return False
    return "," in text or "(" in text or text.endswith(")")


def _status_of(label: str) -> str:
    for status, pattern in ATTENDANCE_LABELS.items():
        if re.fullmatch(pattern, label.strip(), re.I):
            return status
    return PRESENT


# Items, decisions and assignments ---------------------------------------------


def _decisions(body: list[Line]) -> tuple[list[str], list[Line]]:
    """The item's decisions, and its lines without the decision labels."""
    decisions: list[str] = []
    kept: list[Line] = []
    i = 0
    while i < len(body):
        line = body[i]
        label = DECISION_LABEL.match(line.text)
        if label:
            said = (label[1] or "").strip()
            paragraph = [said] if said else []
            j = i + 1
            if not paragraph:  # the label alone: the next paragraph is the decision
                while j < len(body) and not body[j].text:
                    j += 1
            # The rest of the paragraph (a PDF breaks it into lines), up to
            # another label ("Ansvarig: …").
            while (
                j < len(body)
                and body[j].text
                and not body[j].heading
                and not ACTION_LABEL.match(body[j].text)
                and not DECISION_LABEL.match(body[j].text)
            ):
                paragraph.append(body[j].text)
                j += 1
            decisions += [_capitalised(text) for text in _att_clauses(paragraph)]
            i = j
            continue
        kept.append(line)
        i += 1
    for sentence in _sentences(_paragraphs(kept)):
        if DECISION_SENTENCE.search(sentence) and sentence not in decisions:
            decisions.append(sentence)
    return decisions, kept


def _att_clauses(paragraph: list[str]) -> list[str]:
    """A formal decision's "att" clauses, one each: a line starting with
    "att" after a line ending a clause ("…, samt") starts another."""
    clauses: list[list[str]] = []
    for line in paragraph:
        starts = (
            line[:4].casefold() == "att " and clauses and ATT_CLAUSE_END.search(clauses[-1][-1])
        )
        if starts or not clauses:
            clauses.append([line])
        else:
            clauses[-1].append(line)
    return [" ".join(clause) for clause in clauses if " ".join(clause).strip()]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _actions(
    text: str, next_date: str | None, year: int | None = None, *, commitments: bool = False
) -> list[Action]:
    """Who is to do what: "X får i uppdrag att", "uppdra åt X att", "Till
    nästa möte ska X", and with `commitments` (an item's text, not its
    decisions) "X tar fram …"."""
    actions: list[Action] = []
    for sentence in _sentences(text):
        found = False
        for match in ACTION.finditer(sentence):
            before = re.split(r"[.;:]", sentence[: match.start()])[-1]
            owner = re.split(r"\b(?:och att|att)\s+", before)[-1].strip(" ,")
            owner = re.sub(r"^och\s+", "", owner, flags=re.I)
            actions.append(_action(sentence, owner, sentence[match.end() :], next_date, year))
            found = True
        for match in COMMISSION.finditer(sentence):
            owner = match["owner"] or match["given"]
            actions.append(_action(sentence, owner, sentence[match.end() :], next_date, year))
            found = True
        next_time = NEXT_TIME.search(sentence)
        if next_time and not found:
            owner = _owner(f"{next_time['owner']} {next_time['what']}")
            actions.append(Action(text=sentence, owners=_owners(owner), due=next_date))
            found = True
        committed = COMMITMENT.search(sentence) if commitments and not found else None
        if committed and committed["owners"].casefold() not in PRONOUNS:
            rest = sentence[committed.end() :]
            actions.append(_action(sentence, committed["owners"], rest, next_date, year))
    return actions


def _action(
    sentence: str, owner: str, after: str, next_date: str | None, year: int | None
) -> Action:
    return Action(text=sentence, owners=_owners(owner), due=_due(after, next_date, year))


def _owners(text: str) -> list[str]:
    """ "Ahmed Karimi och Birgitta Sandahl" → both; "alla organisationer" is one."""
    text = text.strip(" ,.")
    if not text:
        return []
    parts = [p.strip() for p in re.split(r"\s*,\s*|\s+och\s+", text) if p.strip()]
    if len(parts) > 1 and all(p[:1].isupper() for p in parts):
        return parts
    return [text]


def _due(text: str, next_date: str | None, year: int | None) -> str | None:
    """The date it is due by: "till nästa möte", "senast den 31 augusti 2025",
    "klart 2025-10-15"."""
    if NEXT_MEETING_DUE.search(text):
        return next_date
    for match in DUE.finditer(text):
        if day := dates.find_date(match["when"][:40], year=year):
            return day.isoformat()
    return None


def _action_lines(body: list[Line], next_date: str | None, year: int | None) -> list[Action]:
    """ "Ansvarig: X, klart 2025-10-15" lines: X, and the date it is due."""
    actions = []
    for k, line in enumerate(body):
        if match := ACTION_LABEL.match(line.text):
            # The lines a PDF broke it into: "… samordnare till" / "nästa möte."
            more = itertools.takewhile(lambda later: later.text[:1].islower(), body[k + 1 :])
            rest = " ".join([match["rest"], *(later.text for later in more)])
            who = _owner(rest.split(",")[0] if "," in rest else rest)
            due = _due(rest, next_date, year) or _due(f"till {rest}", next_date, year)
            actions.append(Action(text=line.text, owners=_owners(who), due=due))
    return actions


def _owner(text: str) -> str:
    """Who is to do it: the words up to the verb ("alla organisationer återkoppla …")."""
    words = []
    for word in text.split():
        if word.casefold() in OWNER_WORDS or word[:1].isupper():
            words.append(word.strip(",."))
            continue
        break
    while words and words[-1].casefold() == "och":
        words.pop()
    return " ".join(words)


def _status_report(items: list[Item]) -> StatusReport | None:
    report = StatusReport()
    found = False
    for item in items:
        title = item.title.casefold()
        if title.startswith("risk"):
            found = True
            for paragraph in re.split(r"\n(?:\s*\n)+|\n(?=- )", item.text):
                sentences = _sentences(paragraph.lstrip("- ").strip())
                if sentences:
                    mitigation = " ".join(sentences[1:]) or None
                    report.risks.append(Risk(title=sentences[0], mitigation=mitigation))
        elif "resultat" in title and report.results is None:
            found = True
            report.results = item.text or None
        said = GUT_FEELING.search(item.text)
        if said or GUT_FEELING.search(item.title):
            found = True
            tail = item.text[said.start() :] if said else item.text
            if NEGATIVE.search(tail):
                report.gut_feeling = "negative"
            elif POSITIVE.search(tail):
                report.gut_feeling = "positive"
            else:
                report.gut_feeling = "neutral"
    return report if found else None


# The whole --------------------------------------------------------------------


def read_minutes(text: str, *, file: str = "", vocabulary: Vocabulary | None = None) -> Proposal:
    """The proposal read from the minutes' text. With a `vocabulary` (the
    programme's names and the Swedish word list), letters OCR broke are
    restored first."""
    proposal = Proposal(file=file)
    text, masked = mask_identity_numbers(text.replace("\r\n", "\n").replace("\x00", ""))
    proposal.identity_numbers = masked
    if masked:
        proposal.warnings.append(
            ngettext(
                "%(count)d personal identity number masked: the portal keeps none.",
                "%(count)d personal identity numbers masked: the portal keeps none.",
                masked,
            )
            % {"count": masked}
        )
    if vocabulary is not None:
        text, changes = restore_text(text, vocabulary)
        if changes:
            shown = ", ".join(f"{old} → {new}" for old, new in dict(changes).items())
            proposal.warnings.append(
                ngettext(
                    "%(count)d word restored from OCR: %(words)s",
                    "%(count)d words restored from OCR: %(words)s",
                    len(changes),
                )
                % {"count": len(changes), "words": shown}
            )
    lines = _lines(text, vocabulary)
    used = _attendance(lines, proposal)
    first_section = min(used) if used else None
    headings = [i for i, line in enumerate(lines) if line.heading and i not in used]
    items_from = next((i for i in headings if first_section is None or i > first_section), None)
    if items_from is None and headings:
        items_from = headings[0]
    header_end = first_section if first_section is not None else (items_from or len(lines))
    header = [line for line in lines[:header_end] if line.text]
    _header_facts(header, lines, proposal)

    year = int(proposal.date[:4]) if proposal.date else None
    proposal.next_meeting = _next_meeting(lines, year)
    next_date = proposal.next_meeting.date if proposal.next_meeting else None

    item_starts = [i for i in headings if items_from is not None and i >= items_from]
    for n, start in enumerate(item_starts):
        end = item_starts[n + 1] if n + 1 < len(item_starts) else len(lines)
        body = [line for k, line in enumerate(lines[start + 1 : end], start + 1) if k not in used]
        title = lines[start].text.rstrip(":").strip()
        if DECISION_LABEL.match(lines[start].text) and proposal.items:
            # "### Styrgruppen beslutar:" under an item belongs to it.
            previous = proposal.items[-1]
            decisions, _kept = _decisions([lines[start], *body])
            previous.decisions += decisions
            previous.actions += _actions(" ".join(decisions), next_date, year)
            continue
        todo = _todo_table(body)
        if todo is not None and proposal.items:
            # A to-do list of its own ("Att göra"): each row goes to the item
            # it speaks of, the one sharing most words with it.
            for task, action in todo:
                action.due = _due(f"till {action.due}", next_date, year) if action.due else None
                words = _stems(task)
                target = max(
                    reversed(proposal.items),
                    key=lambda i: len(words & _stems(f"{i.title} {i.text}")),
                )
                target.actions.append(action)
            continue
        numbered = HEADING_NUMBER.match(title)
        number = int(numbered[1]) if numbered else len(proposal.items) + 1
        title = numbered[2].strip() if numbered else title
        decisions, kept = _decisions(body)
        item_text = _recorded_by_out(_paragraphs(kept), proposal)
        item = Item(number=number, title=title, text=item_text, decisions=decisions)
        prose = _paragraphs([line for line in kept if not ACTION_LABEL.match(line.text)])
        item.actions = (
            _actions(prose, next_date, year, commitments=True)
            + _actions(" ".join(decisions), next_date, year)
            + _action_lines(kept, next_date, year)
        )
        proposal.items.append(item)
    if proposal.recorded_by is None:
        for line in lines:
            if match := RECORDED_BY.search(line.text):
                proposal.recorded_by = match["name"].strip(" .")
    _presenters(proposal)
    proposal.status_report = _status_report(proposal.items)
    if proposal.date is None:
        proposal.warnings.append(_("No meeting date found."))
    if not proposal.attendance:
        proposal.warnings.append(_("No attendance found."))
    return proposal


def _presenters(proposal: Proposal) -> None:
    """Guests who presented an item without being in the attendance."""
    known = {a.name.casefold() for a in proposal.attendance}
    for item in proposal.items:
        for sentence in _sentences(item.text):
            match = PRESENTER.match(sentence)
            if not match or ORGANISATION_WORDS.search(match["name"]):
                continue
            name = match["name"]
            if any(k == name.casefold() or k.startswith(f"{name.casefold()} ") for k in known):
                continue
            known.add(name.casefold())
            proposal.attendance.append(Attendee(name=name, status=GUEST, source=sentence))


def _recorded_by_out(text: str, proposal: Proposal) -> str:
    kept = []
    for line in text.split("\n"):
        if match := RECORDED_BY.search(line):
            proposal.recorded_by = match["name"].strip(" .")
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def _header_facts(header: list[Line], lines: list[Line], proposal: Proposal) -> None:
    texts = [line.text for line in header]
    joined = "\n".join(texts)
    lowered = joined.casefold()
    everything = "\n".join(line.text for line in lines).casefold()
    if "protokoll" in lowered:
        proposal.record_type = MINUTES
    elif "anteckningar" in lowered or re.search(r"anteckningar\s+f[öo]rda\s+av", everything):
        proposal.record_type = NOTES
    for text in texts:
        label = re.match(r"^(tid|datum|plats|lokal)\s*:\s*(.*)$", text, re.I)
        if label and label[1].casefold() in ("plats", "lokal"):
            proposal.place = label[2].strip() or None
    titled = [
        t for t in texts if re.search(r"m[öo]te|anteckningar|protokoll|planeringsdag", t, re.I)
    ]
    proposal.title = titled[0] if titled else (texts[0] if texts else None)
    day = dates.find_date(joined, compact=True)
    if day is None:  # a date line before the attendance may be missing: look further
        day = dates.find_date("\n".join(line.text for line in lines[:40]))
    proposal.date = day.isoformat() if day else None
    start, end = dates.find_times(joined)
    proposal.start, proposal.end = start, end
    body = re.search(
        r"\b(styrgrupp|ledningsgrupp|arbetsgrupp|referensgrupp|[\wåäö]+n[äa]tverk|[\wåäö]+råd)",
        joined,
        re.I,
    )
    if body:
        noun = body[1]
        proposal.body = _capitalised(noun if noun.casefold().endswith("en") else f"{noun}en")
        if noun.casefold().endswith("grupp"):
            proposal.body = _capitalised(f"{noun}en")


def _next_meeting(lines: list[Line], year: int | None) -> NextMeeting | None:
    for i, line in enumerate(lines):
        match = NEXT_MEETING.search(line.text)
        if not match:
            continue
        rest = match["rest"]
        if not rest.strip(" :"):
            # "## Nästa möte" over "2025-10-22 kl. 09.00–11.30 …".
            rest = next((later.text for later in lines[i + 1 : i + 4] if later.text), "")
        day = dates.find_date(rest, year=year)
        if day is None:
            continue
        start, end = dates.find_times(rest)
        return NextMeeting(date=day.isoformat(), start=start, end=end)
    return None
