"""Search across a programme's minutes, decisions, action items and risks,
and by diary number (diarienummer) of meetings, decisions and documents.

On PostgreSQL this is full-text search with the Swedish configuration, so
"beslut" finds "beslutar" and "processplanen" finds "processplan", ranked,
with highlighted snippets from `ts_headline`. Elsewhere (the embedded SQLite
run) it falls back to a case-insensitive substring match on the same text.

What a member finds is what they may read, by the same selectors the pages
use (`meeting_queryset`, `decision_register`, `action_items`, `risk_list` and
`readable_minutes_statuses`): principal reporters only meetings whose minutes
were approved and the decisions in them, never action items or risks; only
process leaders find the text of draft minutes, or decisions and action items
recorded in them. Each result type costs one query, capped at `MAX_HITS` rows,
with the full count alongside (a window function, not a second query).
"""

from __future__ import annotations

import functools
import operator
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    Model,
    OuterRef,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, MeetingDocument
from governance.selectors.actions import action_items
from governance.selectors.decisions import decision_register, readable_minutes_statuses
from governance.selectors.meetings import approved_for_readers, meeting_queryset
from governance.selectors.risks import risk_list
from portal.models import Membership, Tenant
from portal.permissions import can

SEARCH_CONFIG = "swedish"
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
MAX_HITS = 50
# The plain-text fallback shows this many characters either side of a match.
SNIPPET_CONTEXT = 80


@dataclass(frozen=True)
class Hit:
    obj: Any
    snippet: SafeString


@dataclass(frozen=True)
class Group:
    key: str  # "minutes", "decisions", "actions" or "risks"
    label: str
    hits: list[Hit]
    total: int

    @property
    def is_capped(self) -> bool:
        return self.total > len(self.hits)


@dataclass(frozen=True)
class Results:
    query: str
    groups: list[Group] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def normalise(query: str) -> str:
    """The query as searched: whitespace collapsed, at most `MAX_QUERY_LENGTH` long."""
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def search(*, tenant: Tenant, membership: Membership, query: str) -> Results:
    """Everything `membership` may read in `tenant` that matches `query`.

    A group appears only for the types the member may read at all. A query
    shorter than `MIN_QUERY_LENGTH` finds nothing."""
    query = normalise(query)
    if len(query) < MIN_QUERY_LENGTH:
        return Results(query=query)
    matcher = _Matcher(query)
    if not can(membership, "governance.view_approved_minutes"):
        return Results(query=query)
    groups = [
        Group("minutes", str(_("Minutes")), *_meetings(matcher, tenant, membership)),
        Group("decisions", str(_("Decisions")), *_decisions(matcher, tenant, membership)),
    ]
    if can(membership, "governance.view_finished"):
        groups += [
            Group("actions", str(_("Action items")), *_actions(matcher, tenant, membership)),
            Group("risks", str(_("Risks")), *_risks(matcher, tenant)),
        ]
    return Results(query=query, groups=groups)


# The types ----------------------------------------------------------------------


def _agenda_text(column: str) -> Subquery:
    """One meeting's live agenda items' `column`, joined in agenda order."""
    # Agenda order makes snippets read naturally; older SQLite cannot order an aggregate.
    in_order = (
        ("position", "id") if connection.features.supports_aggregate_order_by_clause else None
    )
    # A secret item's title and text (sekretess) are not searched: a hit's
    # snippet would show them to readers who may not read them.
    items = (
        AgendaItem.objects.filter(meeting=OuterRef("pk"), archived_at__isnull=True, secret=False)
        .order_by()
        .values("meeting")
        .annotate(text=StringAgg(column, Value("\n"), order_by=in_order))
        .values("text")
    )
    return Subquery(items, output_field=TextField())


def _document_numbers() -> Subquery:
    """The diary numbers of one meeting's shared documents (the number is the
    registry's, shown with a secret document's placeholder too)."""
    documents = (
        MeetingDocument.objects.filter(
            meeting=OuterRef("pk"), archived_at__isnull=True, shared_at__isnull=False
        )
        .exclude(diary_number="")
        .order_by()
        .values("meeting")
        .annotate(text=StringAgg("diary_number", Value(" ")))
        .values("text")
    )
    return Subquery(documents, output_field=TextField())


def _meetings(matcher: _Matcher, tenant: Tenant, membership: Membership) -> tuple[list[Hit], int]:
    """Meetings by title, diary number (theirs and their documents'), agenda
    titles and minutes text (never of a secret agenda item).

    As on the meeting page: the agenda is visible to whoever may open the
    meeting, the live minutes text only in the statuses the reader may read.
    (While approved minutes are revised, readers see the approved version on
    the meeting page; that frozen copy is not searched.)"""
    meetings = meeting_queryset(tenant=tenant).prefetch_related(None)
    if not can(membership, "governance.view_finished"):
        meetings = approved_for_readers(meetings)
    minutes: Expression = Coalesce(_agenda_text("minutes"), Value(""), output_field=TextField())
    statuses = readable_minutes_statuses(membership)
    if statuses is not None:
        minutes = Case(
            When(minutes_status__in=statuses, then=minutes),
            default=Value(""),
            output_field=TextField(),
        )
    titles = Coalesce(_agenda_text("title"), Value(""), output_field=TextField())
    numbers = Coalesce(_document_numbers(), Value(""), output_field=TextField())
    return matcher.find(
        meetings,
        fields=[
            (F("title"), "A"),
            (F("diary_number"), "A"),
            (numbers, "A"),
            (titles, "B"),
            (minutes, "C"),
        ],
        order_by=("-starts_at", "-id"),
    )


def _decisions(matcher: _Matcher, tenant: Tenant, membership: Membership) -> tuple[list[Hit], int]:
    """Decisions in minutes the reader may read, as in the decision register."""
    decisions = decision_register(
        tenant=tenant, minutes_statuses=readable_minutes_statuses(membership)
    )
    return matcher.find(
        decisions,
        fields=[(F("text"), "A"), (F("diary_number"), "A")],
        order_by=("-decided_on", "-number", "-id"),
    )


def _actions(matcher: _Matcher, tenant: Tenant, membership: Membership) -> tuple[list[Hit], int]:
    """Live action items, as in the action-item list (those recorded in minutes
    the reader may not read yet are left out). Owners are not loaded: one query."""
    actions = action_items(
        tenant=tenant, minutes_statuses=readable_minutes_statuses(membership)
    ).prefetch_related(None)
    return matcher.find(
        actions,
        fields=[(F("description"), "A")],
        order_by=("-created_at", "-id"),
    )


def _risks(matcher: _Matcher, tenant: Tenant) -> tuple[list[Hit], int]:
    """Live risks in every status, closed ones included."""
    return matcher.find(
        risk_list(tenant=tenant, status="all"),
        fields=[(F("title"), "A"), (F("description"), "B"), (F("mitigation"), "B")],
        order_by=("-created_at", "-id"),
    )


# Matching and snippets ----------------------------------------------------------


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


class _Matcher:
    """One query, matched the database's best way, with safe highlighted snippets.

    Snippets mark matches with random markers that no stored text can
    contain; the text is escaped and only then are the markers turned into
    `<mark>`, so nothing a user wrote is ever rendered as markup."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.full_text = full_text_available()
        nonce = secrets.token_hex(8)
        self.start = f"{{{{s{nonce}}}}}"
        self.stop = f"{{{{e{nonce}}}}}"

    def find[M: Model](
        self,
        queryset: QuerySet[M],
        *,
        fields: list[tuple[Expression | F, str]],
        order_by: tuple[str, ...],
    ) -> tuple[list[Hit], int]:
        """The first `MAX_HITS` matches (best first) and how many there are in all."""
        document = _joined([expression for expression, _weight in fields])
        if self.full_text:
            rows = self._full_text(queryset, fields, document, order_by)
        else:
            rows = self._substring(queryset, document, order_by)
        hits = [Hit(obj, self._snippet(obj)) for obj in rows]
        total = getattr(rows[0], "search_total", 0) if rows else 0
        return hits, total

    def _full_text[M: Model](
        self,
        queryset: QuerySet[M],
        fields: list[tuple[Expression | F, str]],
        document: Expression,
        order_by: tuple[str, ...],
    ) -> list[M]:
        search_query = SearchQuery(self.query, config=SEARCH_CONFIG, search_type="websearch")
        vector = functools.reduce(
            operator.add,
            [
                SearchVector(expression, config=SEARCH_CONFIG, weight=weight)
                for expression, weight in fields
            ],
        )
        return list(
            queryset.alias(search_vector=vector)
            .filter(search_vector=search_query)
            .annotate(
                search_rank=SearchRank(F("search_vector"), search_query),
                search_headline=SearchHeadline(
                    document,
                    search_query,
                    config=SEARCH_CONFIG,
                    start_sel=self.start,
                    stop_sel=self.stop,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
                search_total=Window(Count("pk")),
            )
            .order_by("-search_rank", *order_by)[:MAX_HITS]
        )

    def _substring[M: Model](
        self, queryset: QuerySet[M], document: Expression, order_by: tuple[str, ...]
    ) -> list[M]:
        return list(
            queryset.annotate(search_document=document)
            .filter(search_document__icontains=self.query)
            .annotate(search_total=Window(Count("pk")))
            .order_by(*order_by)[:MAX_HITS]
        )

    def _snippet(self, obj: Any) -> SafeString:
        if self.full_text:
            marked = obj.search_headline
        else:
            marked = _mark_around_first_match(obj.search_document, self.query, self)
        return marked_to_html(" ".join(marked.split()), start=self.start, stop=self.stop)


def _joined(expressions: list[Expression | F]) -> Expression:
    """The searchable text as one string, for snippets (and the fallback match)."""
    parts: list[Any] = []
    for expression in expressions:
        if parts:
            parts.append(Value("\n"))
        parts.append(Coalesce(expression, Value(""), output_field=TextField()))
    if len(parts) == 1:
        return Coalesce(expressions[0], Value(""), output_field=TextField())
    return Concat(*parts, output_field=TextField())


def _mark_around_first_match(document: str, query: str, matcher: _Matcher) -> str:
    """A window of `document` around the first match, every match marked."""
    text = " ".join(document.split())
    position = text.lower().find(query.lower())
    if position < 0:
        end = 2 * SNIPPET_CONTEXT
        return text[:end] + (" …" if len(text) > end else "")
    start = max(0, position - SNIPPET_CONTEXT)
    end = min(len(text), position + len(query) + SNIPPET_CONTEXT)
    window = re.sub(
        re.escape(query),
        lambda match: f"{matcher.start}{match.group(0)}{matcher.stop}",
        text[start:end],
        flags=re.IGNORECASE,
    )
    return ("… " if start else "") + window + (" …" if end < len(text) else "")


def marked_to_html(text: str, *, start: str, stop: str) -> SafeString:
    """Escape `text`, then turn its start/stop markers into balanced `<mark>` tags."""
    pieces: list[str] = []
    is_open = False
    for part in re.split(f"({re.escape(start)}|{re.escape(stop)})", text):
        if part == start:
            if not is_open:
                pieces.append("<mark>")
                is_open = True
        elif part == stop:
            if is_open:
                pieces.append("</mark>")
                is_open = False
        else:
            pieces.append(escape(part))
    if is_open:
        pieces.append("</mark>")
    # Every piece of stored text went through escape() above.
    return mark_safe("".join(pieces))


__all__ = [
    "MAX_HITS",
    "MIN_QUERY_LENGTH",
    "Group",
    "Hit",
    "Results",
    "full_text_available",
    "normalise",
    "search",
]
