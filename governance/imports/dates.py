"""Dates and times as Swedish minutes write them: "25 mars 2025", "Fredagen
den 15 februari 2019", "250610", "3/5 2019", "9/5", "2019-05-03", and
"kl. 09:00 – 11.00" or "kl. 8.00 - 9.00"."""

from __future__ import annotations

import datetime
import re

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
WRITTEN = re.compile(rf"\b(\d{{1,2}})\s*(?:e\s+|:e\s+)?({_MONTH})\.?(?:\s+(\d{{4}}))?\b", re.I)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:[\s-]+(\d{4}))?(?![\d/])")
COMPACT = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(?!\d)")
TIMES = re.compile(
    r"\b(?:kl\.?|klockan)\s*(\d{1,2})(?:[.:](\d{2}))?"
    r"(?:\s*(?:[-–—]|till)\s*(\d{1,2})(?:[.:](\d{2}))?)?",
    re.I,
)


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str, *, year: int | None = None, compact: bool = False) -> datetime.date | None:
    """The first date written in `text`. A date without a year takes `year`
    (the meeting's); "250610" (YYMMDD) is read only with `compact`, where a
    bare number is known to be a date (a heading, a title)."""
    found: list[tuple[int, datetime.date]] = []
    for match in WRITTEN.finditer(text):
        day, month, y = int(match[1]), MONTHS[match[2].lower()], match[3]
        if (value := _date(int(y) if y else (year or 0), month, day)) and (y or year):
            found.append((match.start(), value))
    for match in ISO.finditer(text):
        if value := _date(int(match[1]), int(match[2]), int(match[3])):
            found.append((match.start(), value))
    for match in SLASHED.finditer(text):
        y = match[3]
        if (y or year) and (
            value := _date(int(y) if y else year or 0, int(match[2]), int(match[1]))
        ):
            found.append((match.start(), value))
    if compact:
        for match in COMPACT.finditer(text):
            if value := _date(2000 + int(match[1]), int(match[2]), int(match[3])):
                found.append((match.start(), value))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def find_times(text: str) -> tuple[str | None, str | None]:
    """("HH:MM", "HH:MM") of the first "kl. …" in `text`, either None."""
    match = TIMES.search(text)
    if not match:
        return None, None

    def clock(hour: str | None, minute: str | None) -> str | None:
        if hour is None or int(hour) > 23 or (minute and int(minute) > 59):
            return None
        return f"{int(hour):02d}:{int(minute or 0):02d}"

    return clock(match[1], match[2]), clock(match[3], match[4])
