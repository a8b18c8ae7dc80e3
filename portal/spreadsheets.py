"""Text that a spreadsheet program must not run: every CSV and XLSX file the
portal writes passes each text cell through `neutralise` (in Python) or
`neutralised` (the same rule in SQL, for the files PostgreSQL writes itself).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return
is read by Excel, LibreOffice and Google Sheets as a formula (`=cmd|' /C
calc'!A0`, `@SUM(…)`, `=HYPERLINK(…)`): a comment a principal reporter typed
would then run on a researcher's computer. Following OWASP's guidance on CSV
injection, such text gets a single quote in front (`'=cmd…`), which makes the
cell plain text. The same holds when the dangerous character comes after
leading whitespace (` =1+1`, `\\n@SUM(…)`), as some programs trim it first.

Only text is changed. Numbers (int, float, Decimal), dates and booleans are
written as they are, so a negative indicator value stays the number -5. Text
that merely looks like a number (`-5` typed into a unit or a name) is text,
and gets the quote like any other text: OWASP recommends so, since `-5+cmd…`
is "numeric-looking" up to its first operator. Callers apply this to the text
columns of a table only, never to its number columns, whatever their form.

Researchers who need the text exactly as typed strip one leading `'` from a
cell that starts with `'` followed by one of the characters above.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.models.functions import Concat
from django.db.models.lookups import Regex

DANGEROUS = "=+-@\t\r"
# Whitespace a program may trim before it looks for a formula. Spelled out
# (not `str.isspace`) so that PostgreSQL's regular expression matches exactly
# the same cells as Python's.
LEADING_WHITESPACE = " \t\n\v\f\r\u00a0"
QUOTE = "'"

# One pattern for Python and PostgreSQL alike: the hyphen last in its
# bracket is a plain hyphen in both.
PATTERN = f"^[{LEADING_WHITESPACE}]*[{DANGEROUS.replace('-', '')}-]"
_PATTERN = re.compile(PATTERN)


def is_dangerous(text: str) -> bool:
    """Would a spreadsheet program read this text as a formula?"""
    return _PATTERN.match(text) is not None


def neutralise(value: Any) -> Any:
    """The value as a text cell that no spreadsheet program runs: dangerous
    text gets a leading `'`; everything else (other text, numbers, None) is
    returned unchanged."""
    if isinstance(value, str) and _PATTERN.match(value) is not None:
        return QUOTE + value
    return value


def neutralised(expression: Any) -> models.Case:
    """`neutralise` in SQL: the text of `expression` (a field path or an
    expression), with a leading `'` where it would be a formula."""
    if isinstance(expression, str):
        expression = models.F(expression)
    return models.Case(
        models.When(
            Regex(expression, models.Value(PATTERN)),
            then=Concat(models.Value(QUOTE), expression, output_field=models.TextField()),
        ),
        default=expression,
        output_field=models.TextField(),
    )
