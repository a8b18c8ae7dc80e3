"""Reads for the risk register, a risk's review history and the risk matrix.

The matrix is plain data (`RiskMatrix`) so the same server-rendered partial,
`governance/_risk_matrix.html`, serves the register, a status report and its
PDF. It costs a constant number of queries whatever the number of risks.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, Meeting, Risk, RiskReview, RiskStatus
from portal import dates
from portal.models import AuditEvent, Person, Tenant

SCALE_VALUES = (1, 2, 3, 4)

LIKELIHOOD_LABELS: dict[int, Promise] = {
    1: _("Unlikely"),
    2: _("Possible"),
    3: _("Likely"),
    4: _("Very likely"),
}
CONSEQUENCE_LABELS: dict[int, Promise] = {
    1: _("Minor"),
    2: _("Moderate"),
    3: _("Serious"),
    4: _("Severe"),
}

# Score = likelihood × consequence (1–16): 1–3 low, 4–6 medium, 8–16 high.
MEDIUM_FROM = 4
HIGH_FROM = 8
LEVEL_LABELS: dict[str, Promise] = {
    "low": _("Low"),
    "medium": _("Medium"),
    "high": _("High"),
}

OPEN_STATUSES = (RiskStatus.IDENTIFIED, RiskStatus.MANAGED, RiskStatus.OCCURRED)


def risk_level(score: int) -> str:
    if score >= HIGH_FROM:
        return "high"
    if score >= MEDIUM_FROM:
        return "medium"
    return "low"


def scale_choices(labels: dict[int, Promise]) -> list[tuple[int, str]]:
    """Choices for a 1–4 scale field: “3 – Likely”."""
    return [(value, f"{value} – {labels[value]}") for value in SCALE_VALUES]


# The register ---------------------------------------------------------------


def with_score[M: (Risk, RiskReview)](qs: QuerySet[M]) -> QuerySet[M]:
    """Annotate `score_value` (likelihood × consequence) and its `level` on
    risks or reviews."""
    return qs.annotate(
        score_value=F("likelihood") * F("consequence"),
        level=Case(
            When(score_value__gte=HIGH_FROM, then=Value("high")),
            When(score_value__gte=MEDIUM_FROM, then=Value("medium")),
            default=Value("low"),
            output_field=CharField(),
        ),
    )


def _last_review(field: str) -> Subquery:
    newest = RiskReview.objects.filter(risk=OuterRef("pk")).order_by("-reviewed_on", "-id")
    return Subquery(newest.values(field)[:1])


def risk_list(
    *,
    tenant: Tenant,
    status: str = "",
    category: str = "",
    owner: Person | None = None,
    include_archived: bool = False,
) -> QuerySet[Risk]:
    """The risk register: highest score first.

    `status` "" means the open risks (everything but closed), "all" every
    status, otherwise that one status. Rows carry `score_value`, `level` and
    `last_reviewed_on`, and the meeting where the risk was raised is loaded.
    """
    qs = with_score(
        Risk.objects.filter(tenant=tenant).select_related("owner", "raised_at__meeting__body")
    ).annotate(last_reviewed_on=_last_review("reviewed_on"))
    if status == "":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by(F("score_value").desc(), "title", "id")


def risk_row(*, tenant: Tenant, pk: int) -> Risk:
    """A risk as the register shows it (score, level, last review), archived
    or not: the row a change answers with."""
    return risk_list(tenant=tenant, status="all", include_archived=True).get(pk=pk)


def approved_item(item: AgendaItem) -> AgendaItem | None:
    """Where a risk raised under `item` belongs: the item itself, or for a
    revision's draft the approved item it changes (a new item has none until
    the revision is approved)."""
    if not item.revision_draft:
        return item
    return AgendaItem.objects.filter(pk=item.draft_of_id).first()


def risk_detail(*, tenant: Tenant) -> QuerySet[Risk]:
    """Risks with what the detail page shows: owner, where raised, the review
    history (newest first, with who reviewed) and the current score."""
    reviews = RiskReview.objects.select_related("reviewed_by").order_by("-reviewed_on", "-id")
    return with_score(
        Risk.objects.filter(tenant=tenant)
        .select_related("owner", "raised_at__meeting__body")
        .prefetch_related(Prefetch("reviews", queryset=reviews))
    )


def risks_raised_at_meeting(*, tenant: Tenant, meeting: Meeting) -> QuerySet[Risk]:
    """The non-archived risks raised at a meeting's agenda items, in agenda
    order, for the meeting page (one query)."""
    return with_score(
        Risk.objects.filter(
            tenant=tenant, raised_at__meeting=meeting, archived_at__isnull=True
        ).select_related("owner", "raised_at")
    ).order_by("raised_at__position", "title", "id")


def risk_owner_choices(tenant: Tenant, current: Person | int | None = None) -> QuerySet[Person]:
    """People who can own a risk: the programme's non-archived people (and the current owner)."""
    current_id = current.pk if isinstance(current, Person) else current
    condition = Q(archived_at__isnull=True)
    if current_id is not None:
        condition |= Q(pk=current_id)
    return Person.objects.filter(tenant=tenant).filter(condition).order_by("name")


def agenda_item_choices(
    tenant: Tenant, current: AgendaItem | int | None = None
) -> QuerySet[AgendaItem]:
    """Agenda items of every one of the programme's meetings — a risk or a
    report of years ago can be entered too — plus the current choice, newest
    meeting first and in agenda order, with what their labels show loaded.
    Forms group them by meeting (`governance.forms.risks.AgendaItemByMeetingField`)."""
    current_id = current.pk if isinstance(current, AgendaItem) else current
    condition = Q(meeting__archived_at__isnull=True, archived_at__isnull=True)
    if current_id is not None:
        condition |= Q(pk=current_id)
    return (
        AgendaItem.objects.filter(tenant=tenant)
        .filter(condition)
        .select_related("meeting__body")
        .order_by("-meeting__starts_at", "meeting_id", "position", "id")
    )


# The matrix -----------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRisk:
    pk: int
    title: str
    url: str


@dataclass(frozen=True)
class MatrixCell:
    likelihood: int
    consequence: int
    risks: tuple[MatrixRisk, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def level(self) -> str:
        return risk_level(self.score)

    @property
    def level_label(self) -> Promise:
        return LEVEL_LABELS[self.level]

    @property
    def count(self) -> int:
        return len(self.risks)


@dataclass(frozen=True)
class MatrixRow:
    consequence: int
    label: Promise
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class RiskMatrix:
    """A 4 × 4 likelihood × consequence grid of open risks.

    `rows` run from consequence 4 down to 1, each row's `cells` from
    likelihood 1 to 4. `as_of` is None for the current picture.
    """

    rows: tuple[MatrixRow, ...]
    likelihoods: tuple[tuple[int, Promise], ...]
    total: int
    as_of: datetime.date | None = None


@dataclass(frozen=True)
class _Placed:
    pk: int
    title: str
    likelihood: int
    consequence: int
    status: str


def _build_matrix(
    tenant: Tenant | None, placed: Iterable[_Placed], as_of: datetime.date | None
) -> RiskMatrix:
    """The grid; without a `tenant` the risks are not linked (a document)."""
    by_cell: dict[tuple[int, int], list[MatrixRisk]] = {}
    total = 0
    for risk in sorted(placed, key=lambda r: (r.title.lower(), r.pk)):
        if risk.status not in OPEN_STATUSES:
            continue
        url = reverse("governance:risk_detail", args=[tenant.slug, risk.pk]) if tenant else ""
        by_cell.setdefault((risk.likelihood, risk.consequence), []).append(
            MatrixRisk(pk=risk.pk, title=risk.title, url=url)
        )
        total += 1
    rows = tuple(
        MatrixRow(
            consequence=consequence,
            label=CONSEQUENCE_LABELS[consequence],
            cells=tuple(
                MatrixCell(
                    likelihood=likelihood,
                    consequence=consequence,
                    risks=tuple(by_cell.get((likelihood, consequence), ())),
                )
                for likelihood in SCALE_VALUES
            ),
        )
        for consequence in reversed(SCALE_VALUES)
    )
    likelihoods = tuple((value, LIKELIHOOD_LABELS[value]) for value in SCALE_VALUES)
    return RiskMatrix(rows=rows, likelihoods=likelihoods, total=total, as_of=as_of)


def risk_matrix(*, tenant: Tenant, body_id: int | None = None) -> RiskMatrix:
    """The current matrix of the programme's open, non-archived risks — of
    those raised at a meeting of the body `body_id`, if given (one query)."""
    risks = Risk.objects.filter(tenant=tenant, archived_at__isnull=True, status__in=OPEN_STATUSES)
    if body_id is not None:
        risks = risks.filter(
            Q(raised_at__meeting__body_id=body_id) | Q(raised_at__meeting__joint_bodies=body_id)
        ).distinct()
    # Tuples, not model instances: the matrix places every open risk.
    rows = risks.order_by().values_list("pk", "title", "likelihood", "consequence", "status")
    placed = [_Placed(*row) for row in rows]
    return _build_matrix(tenant, placed, None)


def risk_matrix_as_of(*, tenant: Tenant, moment: datetime.datetime) -> RiskMatrix:
    """The matrix as it stood at `moment` (one query, two at most).

    A risk counts if it had been raised (`raised_on`: the day of the meeting
    it was raised at, when entered afterwards) or reviewed by that day, and
    not archived by then. It is placed by its newest review dated on or
    before that day; a risk not yet reviewed
    then is placed by the assessment it was raised with. Once a risk has been
    reviewed its own fields hold the newest review's assessment, so that
    original assessment is read from the audit log's record of its creation;
    a risk without one is left out rather than shown with a later assessment.
    """
    day = timezone.localdate(moment)
    as_of_review = RiskReview.objects.filter(risk=OuterRef("pk"), reviewed_on__lte=day).order_by(
        "-reviewed_on", "-id"
    )
    risks = list(
        Risk.objects.filter(tenant=tenant)
        .filter(Q(archived_at__isnull=True) | Q(archived_at__gt=moment))
        .annotate(
            then_likelihood=Subquery(as_of_review.values("likelihood")[:1]),
            then_consequence=Subquery(as_of_review.values("consequence")[:1]),
            then_status=Subquery(as_of_review.values("status")[:1]),
            ever_reviewed=Exists(RiskReview.objects.filter(risk=OuterRef("pk"))),
        )
        .filter(Q(raised_on__lte=day) | Q(then_likelihood__isnull=False))
        .only("pk", "title", "likelihood", "consequence", "status")
        .order_by()
    )
    placed: list[_Placed] = []
    unknown: list[Risk] = []
    for risk in risks:
        then: Any = risk
        if then.then_likelihood is not None:
            placed.append(
                _Placed(
                    risk.pk,
                    risk.title,
                    then.then_likelihood,
                    then.then_consequence,
                    then.then_status,
                )
            )
        elif not then.ever_reviewed:
            placed.append(
                _Placed(risk.pk, risk.title, risk.likelihood, risk.consequence, risk.status)
            )
        else:
            unknown.append(risk)
    if unknown:
        placed.extend(_as_raised(tenant, unknown))
    return _build_matrix(tenant, placed, day)


def _as_raised(tenant: Tenant, risks: list[Risk]) -> list[_Placed]:
    """The assessment each risk was raised with, from its audited creation."""
    titles = {str(r.pk): r.title for r in risks}
    events = AuditEvent.objects.filter(
        tenant=tenant,
        object_type=Risk._meta.label_lower,
        action="risk.create",
        object_id__in=list(titles),
    ).only("object_id", "after")
    placed = []
    for event in events:
        after = event.after or {}
        try:
            likelihood = int(after["likelihood"])
            consequence = int(after["consequence"])
            status = str(after["status"])
        except (KeyError, TypeError, ValueError):
            continue
        if likelihood in SCALE_VALUES and consequence in SCALE_VALUES:
            pk = int(event.object_id)
            placed.append(_Placed(pk, titles[event.object_id], likelihood, consequence, status))
    return placed


def month_end(period: datetime.date, *, now: datetime.datetime | None = None) -> datetime.datetime:
    """The end of a report's month (the last moment of its last day, local
    time), or now if that is still ahead."""
    first = period.replace(day=1)
    # (shifted: a month stored outside the range still has an end)
    following = dates.shifted(first.replace(day=28), datetime.timedelta(days=4)).replace(day=1)
    zone = timezone.get_current_timezone()
    end = timezone.make_aware(datetime.datetime.combine(following, datetime.time.min), zone)
    end -= datetime.timedelta(microseconds=1)
    return min(end, now or timezone.now())


def risk_matrix_of_month(*, tenant: Tenant, period: datetime.date) -> RiskMatrix:
    """The matrix as the risks' reviews stood at the end of `period`'s month
    (a status report's; up to now for the current month)."""
    return risk_matrix_as_of(tenant=tenant, moment=month_end(period))


# A frozen matrix ------------------------------------------------------------


def matrix_to_json(matrix: RiskMatrix) -> dict[str, Any]:
    """The matrix as data to store (a finished status report keeps its own):
    the day it is as of, and each placed risk's id, title and cell."""
    return {
        "as_of": matrix.as_of.isoformat() if matrix.as_of else None,
        "risks": [
            {"pk": risk.pk, "title": risk.title, "l": cell.likelihood, "c": cell.consequence}
            for row in matrix.rows
            for cell in row.cells
            for risk in cell.risks
        ],
    }


def matrix_from_json(tenant: Tenant | None, data: dict[str, Any]) -> RiskMatrix:
    """A matrix stored by `matrix_to_json`, as it was: the titles it was
    frozen with, in the cells they stood in (no query). Without a `tenant`,
    its risks are not linked."""
    placed = []
    for entry in data.get("risks", []):
        try:
            likelihood, consequence = int(entry["l"]), int(entry["c"])
            placed.append(
                _Placed(
                    int(entry["pk"]),
                    str(entry["title"]),
                    likelihood,
                    consequence,
                    RiskStatus.IDENTIFIED,  # only open risks are frozen
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    placed = [p for p in placed if p.likelihood in SCALE_VALUES and p.consequence in SCALE_VALUES]
    as_of = data.get("as_of")
    day = datetime.date.fromisoformat(as_of) if isinstance(as_of, str) else None
    return _build_matrix(tenant, placed, day)
