"""What reading a set of minutes proposes (issue 14): the meeting's facts,
attendance, agenda items with their decisions and assignments, the status
report's parts and the next meeting. Nothing here is written anywhere: a
process leader reviews a proposal before anything reaches the programme.

`Proposal.as_json()` is the documented shape that `import_minutes --json`
prints (README, "Importing old minutes"); unknown values are None (`null`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PRESENT, ABSENT, SUBSTITUTE, GUEST = "present", "absent", "substitute", "guest"
NOTES, MINUTES = "notes", "minutes"


@dataclass
class Attendee:
    name: str
    status: str
    title: str | None = None
    organisation: str | None = None
    role: str | None = None
    represents: str | None = None
    replaces: list[str] = field(default_factory=list)
    person_id: int | None = None
    confidence: float | None = None
    source: str = ""  # the lines it was read from, for the review screen

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "title": self.title,
            "organisation": self.organisation,
            "role": self.role,
            "represents": self.represents,
            "replaces": list(self.replaces),
            "person_id": self.person_id,
            "confidence": self.confidence,
        }


@dataclass
class Action:
    text: str
    owners: list[str] = field(default_factory=list)
    due: str | None = None  # YYYY-MM-DD

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "owners": list(self.owners), "due": self.due}


@dataclass
class Item:
    number: int
    title: str
    text: str = ""
    decisions: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "decisions": [{"text": text} for text in self.decisions],
            "actions": [action.as_json() for action in self.actions],
        }


@dataclass
class Risk:
    title: str
    mitigation: str | None = None


@dataclass
class StatusReport:
    results: str | None = None
    gut_feeling: str | None = None  # positive | neutral | negative
    risks: list[Risk] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "results": self.results,
            "gut_feeling": self.gut_feeling,
            "risks": [{"title": r.title, "mitigation": r.mitigation} for r in self.risks],
        }


@dataclass
class NextMeeting:
    date: str | None = None
    start: str | None = None
    end: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date, "start": self.start, "end": self.end}


@dataclass
class Proposal:
    file: str = ""
    date: str | None = None
    start: str | None = None
    end: str | None = None
    place: str | None = None
    body: str | None = None
    record_type: str | None = None
    title: str | None = None
    attendance: list[Attendee] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    status_report: StatusReport | None = None
    next_meeting: NextMeeting | None = None
    recorded_by: str | None = None
    warnings: list[str] = field(default_factory=list)
    # How many personnummer were masked (not in the JSON: the warnings say it).
    identity_numbers: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "date": self.date,
            "start": self.start,
            "end": self.end,
            "place": self.place,
            "body": self.body,
            "record_type": self.record_type,
            "title": self.title,
            "attendance": [a.as_json() for a in self.attendance],
            "items": [i.as_json() for i in self.items],
            "status_report": self.status_report.as_json() if self.status_report else None,
            "next_meeting": self.next_meeting.as_json() if self.next_meeting else None,
            "recorded_by": self.recorded_by,
            "warnings": list(self.warnings),
        }
