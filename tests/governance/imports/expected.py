"""The proposals of the seeds (`../shared/seeds/`), written by hand from
reading them, not from the parser's output: the golden tests
(test_read_minutes.py) and the accuracy figures of `make bench` (bench/imports.py)
both measure against these. Each kind is a set of comparable elements:

- attendance: (name, status);
- items: (number, title);
- decisions: (item number, the decision's first 40 characters);
- assignments: (item number, owners, due date).

An element can occur more than once (two assignments of one item to the same
owners), so they are counted as multisets.
"""

from __future__ import annotations

from governance.imports.proposal import ABSENT, GUEST, PRESENT, SUBSTITUTE, Proposal

KRONOBERG_PRESENT = [
    "Camilla Holmqvist",
    "Magnus Fritihof",
    "Therese Linnér",
    "Magnus Wallinder",
    "Carsten Wulf",
    "Patrik Grimmesjö",
    "Annie-Lie Jarhult",
    "Hans Sjöberg",
    "Per-Henrik Nilsson",
    "Åsa Karlsson",
    "Annika Magnerot",
]
KRONOBERG_SUBSTITUTES = {
    "Carina Mosel": ["Per Sandberg", "Anders Elingfors"],
    "Sofie Schentz Magnusson": ["Linda Vingren"],
    "Anna-Karin Pålsson": ["Johan Rutgersmark"],
}
KRONOBERG_ABSENT = [
    "Johan Rutgersmark",
    "Per Sandberg",
    "Lena Nazzal",
    "Roger Johansson",
    "Anders Elingfors",
    "Carina Pettersson",
]
KRONOBERG_OTHERS = [
    "Angelika Thelin",
    "Mats Andersberg",
    "Torbjörn Forkby",
    "Erika Lagergren",
    "Gunnel Gustafsson",
]
KRONOBERG_ITEMS = [
    (1, "Ordförande hälsar välkommen och alla presenteras"),
    (2, "Godkännande av dagordning samt föregående mötesanteckningar"),
    (3, "Forskning och implementering"),
    (4, "Återrapport om arbetet med arbetsgrupper"),
    (5, "Information från processledarna"),
    (6, "Beslut tidsplan"),
    (7, "Beslut barnmedverkan/barnfullmäktige"),
    (8, "Beslut om medlem i tvärgrupp barn- och unga"),
    (9, "Kommunikation"),
    (10, "Avslutning"),
]
KRONOBERG_DECISIONS = {
    (3, "Styrgruppen beslutar att följeforskarna "),
    (6, "Att tidsplanen är processledarnas intern"),
    (7, "Att varje organisation tar med frågan he"),
}
KRONOBERG_ASSIGNMENTS = [
    (3, ("presidiet",), None),
    (10, ("alla organisationer",), "2019-05-03"),
    (10, ("alla organisationer",), "2019-05-03"),
]

SORMLAND_PRESENT = [
    "Karin Dahlqvist Claesson",
    "Nettan Candolf",
    "Malin Sjöqvist",
    "Elisabeth Kantor",
    "Lina Larsson",
    "Mari Kampf Westerberg",
    "Jennie Nimborg",
    "Katarina Haddon",
    "Johan Lindeberg",
]
SORMLAND_ITEMS = [
    "Statusrapport",
    "Mål och resultat",
    "Risker",
    "Följeforskning",
    "Skolchefsnätverk och länsstyrgrupp gemensamt möte 9/5",
    "Övrigt",
]

EXPECTED: dict[str, dict[str, set]] = {
    "004": {
        "attendance": {(n, PRESENT) for n in KRONOBERG_PRESENT}
        | {(n, SUBSTITUTE) for n in KRONOBERG_SUBSTITUTES}
        | {(n, ABSENT) for n in KRONOBERG_ABSENT}
        | {(n, GUEST) for n in KRONOBERG_OTHERS},
        "items": set(KRONOBERG_ITEMS),
        "decisions": KRONOBERG_DECISIONS,
        # The two assignments of item 10 differ in their text only.
        "assignments": {
            (n, owners, due, i) for i, (n, owners, due) in enumerate(KRONOBERG_ASSIGNMENTS)
        },
    },
    "000": {
        "attendance": {(n, PRESENT) for n in SORMLAND_PRESENT},
        "items": {(i, title) for i, title in enumerate(SORMLAND_ITEMS, start=1)},
        "decisions": set(),
        "assignments": set(),
    },
}


def elements(proposal: Proposal) -> dict[str, set]:
    """The proposal's elements, comparable with EXPECTED."""
    assignments = [(i.number, tuple(a.owners), a.due) for i in proposal.items for a in i.actions]
    return {
        "attendance": {(a.name, a.status) for a in proposal.attendance},
        "items": {(i.number, i.title) for i in proposal.items},
        "decisions": {(i.number, d[:40]) for i in proposal.items for d in i.decisions},
        "assignments": {(*a, k) for k, a in enumerate(assignments)},
    }


def precision_recall(expected: set, found: set) -> tuple[float, float]:
    """(precision, recall); 1.0 where there is nothing to find or nothing found."""
    right = len(expected & found)
    precision = right / len(found) if found else 1.0
    recall = right / len(expected) if expected else 1.0
    return precision, recall
