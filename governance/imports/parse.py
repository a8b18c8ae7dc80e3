"""Reading minutes as text (issue 14, item 3): `read_minutes(text)` → a
`Proposal`. It works on what Word, PDF and OCR give back, Markdown or plain:
headings are Markdown `#` lines, bold lines, or short lines of their own.

It never raises on any text: what it cannot read it leaves out, with a
warning. Nothing is matched against a programme here (see `directory.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
from governance.imports.words import Vocabulary, restore_text

# Section labels of the attendance, as written and as OCR loses the dots.
ATTENDANCE_LABELS = {
    PRESENT: r"n[äa]rvarande|deltagare|n[äa]rvarande ledam[öo]ter",
    ABSENT: r"fr[åa]nvarande|f[öo]rhinder|anm[äa]lt f[öo]rhinder",
    GUEST: r"[öo]vriga(?: deltagare| n[äa]rvarande)?|adjungerade|g[äa]ster|inbjudna",
}
LABEL = re.compile(
    r"^(?P<label>"
    + "|".join(f"(?:{p})" for p in ATTENDANCE_LABELS.values())
    + r")\s*:\s*(?P<rest>.*)$",
    re.I,
)
HEADING_NUMBER = re.compile(r"^(?:§\s*)?(\d{1,3})\s*[.):]?\s+(.*)$")
DECISION_LABEL = re.compile(
    r"^(?:(?:styrgruppen|gruppen|n[äa]tverket|m[öo]tet|[\w-]+(?:gruppen|n[äa]tverket|r[åa]det))\s+"
    r"beslutar|beslut)\s*:\s*(.*)$",
    re.I,
)
DECISION_SENTENCE = re.compile(
    r"\b(?:beslutar|beslutade|beslutas|beslöt)\b\s*(?:att\b|:)|^det beslutas att\b", re.I
)
# "X får i uppdrag att …": found by its words alone, X read back from them
# (a pattern that looked for X first took quadratic time on a long paragraph).
ACTION = re.compile(r"\bfår i (?:uppdrag|uppgift) att\b", re.I)
NEXT_TIME = re.compile(
    r"\btill nästa möte (?:ska|behöver|bör)\s+(?P<owner>\S+)\s+(?P<what>.*)$", re.I
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
GUT_FEELING = re.compile(r"magk[äa]nsla", re.I)
PERSONNUMMER = re.compile(r"(?<![\d-])(?:\d{2})?\d{6}[-+]?\d{4}(?![\d-])")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ROLE_WORDS = ("ordförande", "vice ordförande", "sekreterare", "processledare", "justerare")
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


def _lines(text: str) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        plain, heading = _plain(raw)
        lines.append(Line(plain, heading, number))
    if not any(line.heading for line in lines):
        _plain_headings(lines)
    return lines


def _plain_headings(lines: list[Line]) -> None:
    """Plain text (a PDF, OCR): "3. Forskning och implementering" at the start
    of a line is a heading (a lower-case line after it goes on with it), and so
    is a short line on its own, starting with a capital and ending without a
    full stop or a comma."""
    for line in lines:
        # OCR reads list markers as », «, o or e: they are bullets.
        line.text = re.sub(r"^(?:[»«•·▪◦*]+|[oe])\s+(?=\S)", "- ", line.text)
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
        if re.match(r"^\d{1,2}\.\s+[A-ZÅÄÖ]", line.text) and len(line.text.split()) <= 12:
            line.heading = True
            rest = lines[i + 1] if i + 1 < len(lines) else None
            if rest and rest.text[:1].islower() and len(rest.text.split()) <= 6:
                line.text = f"{line.text} {rest.text}"
                rest.text = ""
    for i, line in enumerate(lines):
        before = lines[i - 1].text if i else ""
        after = lines[i + 1].text if i + 1 < len(lines) else ""
        following = next((later.text for later in lines[i + 1 :] if later.text), "")
        words = line.text.split()
        if (
            1 <= len(words) <= 8
            and line.text[:1].isupper()
            and not line.text.endswith((".", ",", ":", ";", "?", "!"))
            and not following[:1].islower()
            and not before
            and not after
            and not LABEL.match(line.text)
            and not RECORDED_BY.search(line.text)
            and "," not in line.text
        ):
            line.heading = True


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
    to the next line; a single line of commas is one person per comma."""
    joined: list[str] = []
    for raw in section:
        text = raw.strip()
        if text[:2] in ("- ", "• ", "* "):
            text = text[2:].strip()
        if not text:
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
    if len(joined) == 1 and joined[0].count(",") >= 2:
        return _split_commas(joined[0])
    return joined


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
        match = LABEL.match(lines[i].text)
        if not match:
            i += 1
            continue
        status = _status_of(match["label"])
        used.add(i)
        section = [match["rest"]] if match["rest"].strip() else []
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
                proposal.warnings.append(f"{attendee.name} is listed twice: read as one person.")
                continue
            seen[key] = attendee
            proposal.attendance.append(attendee)
        i = j
    return used


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
            paragraph = [label[1].strip()] if label[1].strip() else []
            j = i + 1
            if not paragraph:  # the label alone: the next paragraph is the decision
                while j < len(body) and not body[j].text:
                    j += 1
            # The rest of the paragraph (a PDF breaks it into lines).
            while j < len(body) and body[j].text and not body[j].heading:
                paragraph.append(body[j].text)
                j += 1
            text = " ".join(paragraph)
            if text:
                decisions.append(_capitalised(text))
            i = j
            continue
        kept.append(line)
        i += 1
    for sentence in _sentences(_paragraphs(kept)):
        if DECISION_SENTENCE.search(sentence) and sentence not in decisions:
            decisions.append(sentence)
    return decisions, kept


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _actions(text: str, next_date: str | None) -> list[Action]:
    actions: list[Action] = []
    for sentence in _sentences(text):
        for match in ACTION.finditer(sentence):
            before = re.split(r"[.;:]", sentence[: match.start()])[-1]
            owner = re.split(r"\b(?:och att|att)\s+", before)[-1].strip(" ,")
            owner = re.sub(r"^och\s+", "", owner, flags=re.I)
            due = next_date if re.search(r"till nästa möte", sentence, re.I) else None
            actions.append(Action(text=sentence, owners=[owner] if owner else [], due=due))
        next_time = NEXT_TIME.search(sentence)
        if next_time and not ACTION.search(sentence):
            owner = _owner(f"{next_time['owner']} {next_time['what']}")
            actions.append(Action(text=sentence, owners=[owner] if owner else [], due=next_date))
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
    if masked:
        proposal.warnings.append(
            f"{masked} personal identity number(s) masked: the portal keeps none."
        )
    if vocabulary is not None:
        text, changes = restore_text(text, vocabulary)
        if changes:
            shown = ", ".join(f"{old} → {new}" for old, new in dict(changes).items())
            proposal.warnings.append(f"{len(changes)} words restored from OCR: {shown}")
    lines = _lines(text)
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
            previous.actions += _actions(" ".join(decisions), next_date)
            continue
        numbered = HEADING_NUMBER.match(title)
        number = int(numbered[1]) if numbered else len(proposal.items) + 1
        title = numbered[2].strip() if numbered else title
        decisions, kept = _decisions(body)
        item_text = _recorded_by_out(_paragraphs(kept), proposal)
        item = Item(number=number, title=title, text=item_text, decisions=decisions)
        item.actions = _actions(item_text, next_date) + _actions(" ".join(decisions), next_date)
        proposal.items.append(item)
    if proposal.recorded_by is None:
        for line in lines:
            if match := RECORDED_BY.search(line.text):
                proposal.recorded_by = match["name"].strip(" .")
    proposal.status_report = _status_report(proposal.items)
    if proposal.date is None:
        proposal.warnings.append("No meeting date found.")
    if not proposal.attendance:
        proposal.warnings.append("No attendance found.")
    return proposal


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
    for line in lines:
        match = NEXT_MEETING.search(line.text)
        if not match:
            continue
        rest = match["rest"]
        day = dates.find_date(rest, year=year)
        if day is None:
            continue
        start, end = dates.find_times(rest)
        return NextMeeting(date=day.isoformat(), start=start, end=end)
    return None
