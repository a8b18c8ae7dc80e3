"""The research datasets, defined once and used by every way out: the zipped
CSV, the XLSX, the Frictionless data package, the streamed CSV and the JSON API.

Each dataset is a tidy table (one row per observation) with a stable id (the
portal's own id of the row), columns described in Swedish and English, and a
codebook for every enumeration. People appear only as pseudonyms (see
`research.pseudonyms`); columns of free text that can hold names (minutes,
comments, descriptions) are marked `free_text` and left out unless the
researcher explicitly asks for them. Every text cell, in every way out, is
neutralised against formula injection (`portal.spreadsheets`): text that a
spreadsheet program would run (`=…`, `+…`, `-…`, `@…`) starts with a `'`.

What researchers may read elsewhere in the portal bounds what they get here:
finished status reports and the text of finished or approved minutes only
(drafts are for process leaders), approved self-assessments only (unapproved
ones are for the principal and the process leaders), and nothing archived
except principals, operations, bodies and indicators, which say so in a column
(a principal that left the programme is part of its history).

The package: `schema` describes a dataset (columns, codebooks, periods);
`directory`, `implementation` and `governance` define the datasets of the
programme's directory and of each app; `engine` reads their rows (typed, or as
CSV text the database writes). This module is the catalogue every way out
reads: `DATASETS`, how they refer to each other, and the names above.
"""

from __future__ import annotations

from collections.abc import Sequence

from research.datasets.directory import OPERATIONS, PRINCIPALS
from research.datasets.engine import copy_statement, csv_batches, rows
from research.datasets.governance import (
    ACTION_ITEMS,
    ACTION_STATUS_CHANGES,
    AGENDA_ITEMS,
    ATTENDANCE,
    BODIES,
    BODY_MEMBERS,
    DECISIONS,
    MEETINGS,
    RISK_REVIEWS,
    RISKS,
    STATUS_REPORTS,
)
from research.datasets.implementation import (
    APPOINTMENTS,
    CRITERION_RATINGS,
    INDICATOR_VALUES,
    INDICATORS,
    SELF_ASSESSMENTS,
    STAIRCASE_CRITERIA,
)
from research.datasets.schema import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    STRING,
    Column,
    Dataset,
)

__all__ = [
    "BOOLEAN",
    "DATASETS",
    "DATE",
    "DATETIME",
    "INTEGER",
    "NUMBER",
    "REFERENCES",
    "STRING",
    "Column",
    "Dataset",
    "copy_statement",
    "csv_batches",
    "get",
    "ordered",
    "rows",
]

DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (
        PRINCIPALS,
        OPERATIONS,
        STAIRCASE_CRITERIA,
        SELF_ASSESSMENTS,
        CRITERION_RATINGS,
        INDICATORS,
        INDICATOR_VALUES,
        APPOINTMENTS,
        BODIES,
        BODY_MEMBERS,
        MEETINGS,
        AGENDA_ITEMS,
        ATTENDANCE,
        DECISIONS,
        ACTION_ITEMS,
        ACTION_STATUS_CHANGES,
        RISKS,
        RISK_REVIEWS,
        STATUS_REPORTS,
    )
}


# How the tables refer to each other: (field, dataset, its id field). Declared
# in a data package (as foreign keys, which frictionless checks) when both
# tables are in it and no period limits them, so every referenced row is
# there. Left out: references into rows a table may leave out, e.g. a
# decision's meeting (an archived meeting is not in `meetings`).
REFERENCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "operations": (("principal_id", "principals", "principal_id"),),
    "self_assessments": (
        ("principal_id", "principals", "principal_id"),
        ("operation_id", "operations", "operation_id"),
        ("supersedes_id", "self_assessments", "assessment_id"),
    ),
    "criterion_ratings": (
        ("assessment_id", "self_assessments", "assessment_id"),
        ("criterion_id", "staircase_criteria", "criterion_id"),
    ),
    "indicator_values": (
        ("indicator_id", "indicators", "indicator_id"),
        ("principal_id", "principals", "principal_id"),
    ),
    "appointments": (
        ("principal_id", "principals", "principal_id"),
        ("operation_id", "operations", "operation_id"),
    ),
    "body_members": (
        ("body_id", "bodies", "body_id"),
        ("represents_principal_id", "principals", "principal_id"),
        ("represents_body_id", "bodies", "body_id"),
    ),
    "meetings": (("body_id", "bodies", "body_id"),),
    "agenda_items": (("meeting_id", "meetings", "meeting_id"),),
    "attendance": (
        ("meeting_id", "meetings", "meeting_id"),
        ("principal_id", "principals", "principal_id"),
    ),
    "decisions": (
        ("body_id", "bodies", "body_id"),
        ("replaced_by_id", "decisions", "decision_id"),
    ),
    "action_items": (
        ("body_id", "bodies", "body_id"),
        ("decision_id", "decisions", "decision_id"),
        ("owner_principal_id", "principals", "principal_id"),
        ("owner_body_id", "bodies", "body_id"),
    ),
    "action_status_changes": (("action_id", "action_items", "action_id"),),
    "risk_reviews": (("risk_id", "risks", "risk_id"),),
}


def get(key: str) -> Dataset:
    """The dataset; `LookupError` for an unknown key (404 in views and the API)."""
    try:
        return DATASETS[key]
    except KeyError:
        raise LookupError(f"Unknown dataset {key!r}") from None


def ordered(keys: Sequence[str]) -> list[Dataset]:
    """The chosen datasets, in the order they are defined (stable files and sheets)."""
    chosen = set(keys)
    return [d for d in DATASETS.values() if d.key in chosen]
