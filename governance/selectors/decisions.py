"""Reads for the decision register."""

from __future__ import annotations

import re
from collections.abc import Collection

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from governance.models import Body, Decision, DecisionStatus, MinutesStatus, MinutesVersion
from portal.models import Membership, Tenant
from portal.permissions import can


def readable_minutes_statuses(membership: Membership | None) -> tuple[str, ...] | None:
    """The minutes statuses whose content the member may read; None means all.

    Process leaders read drafts; steering members, researchers and tenant
    admins read finished and approved minutes; everyone else (principal
    reporters) approved minutes only. Decisions and action items recorded at a
    meeting are part of its minutes and follow the same rule."""
    if can(membership, "governance.view_drafts"):
        return None
    if can(membership, "governance.view_finished"):
        return (MinutesStatus.FINISHED, MinutesStatus.APPROVED)
    return (MinutesStatus.APPROVED,)


def readable_minutes(meeting: str, minutes_statuses: Collection[str]) -> Q:
    """The meeting at the path `meeting` is not archived and its minutes may be
    read: they are in one of `minutes_statuses`, or they were approved before
    (revising approved minutes does not withdraw what was approved)."""
    approved_before = Exists(MinutesVersion.objects.filter(meeting=OuterRef(meeting)))
    return Q(**{f"{meeting}__archived_at__isnull": True}) & (
        Q(**{f"{meeting}__minutes_status__in": minutes_statuses}) | Q(approved_before)
    )


# "SG 2025 §12", "sg 2025 § 12"
REFERENCE = re.compile(r"^\s*(?P<code>\S+)\s+(?P<year>\d{4})\s*§\s*(?P<number>\d+)\s*$")


def decision_register(
    *,
    tenant: Tenant,
    minutes_statuses: Collection[str] | None,
    body: Body | None = None,
    year: int | None = None,
    status: str = "",
    text: str = "",
) -> QuerySet[Decision]:
    """The programme's decisions that the reader may see, newest first.

    `minutes_statuses` (see `readable_minutes_statuses`) hides decisions of
    meetings whose minutes the reader may not read, and of archived meetings
    unless it is None. `replacement_visible` says whether the decision that
    replaced a repealed one may be shown to the same reader. `text` matches the
    decision text, or a reference such as “SG 2025 §12”.
    """
    qs = Decision.objects.filter(tenant=tenant).select_related(
        "body", "meeting__body", "replaced_by__body"
    )
    if minutes_statuses is None:
        replacement_visible = Q(replaced_by__isnull=False)
    else:
        qs = qs.filter(readable_minutes("meeting", minutes_statuses))
        replacement_visible = readable_minutes("replaced_by__meeting", minutes_statuses)
    qs = qs.annotate(
        replacement_visible=Case(
            When(replacement_visible, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    if body is not None:
        qs = qs.filter(body=body)
    if year is not None:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if text := text.strip():
        matches = Q(text__icontains=text)
        if reference := REFERENCE.match(text):
            matches |= Q(
                body__code__iexact=reference["code"],
                year=int(reference["year"]),
                number=int(reference["number"]),
            )
        qs = qs.filter(matches)
    return qs.order_by("-decided_on", "body__code", "-number", "-pk")


def decision_row(*, tenant: Tenant, pk: int) -> Decision:
    """A decision as a process leader's register row shows it: the row a
    change answers with."""
    return decision_register(tenant=tenant, minutes_statuses=None).get(pk=pk)


def decision_years(*, tenant: Tenant, minutes_statuses: Collection[str] | None) -> list[int]:
    """The years that have decisions the reader may see, newest first."""
    qs = Decision.objects.filter(tenant=tenant)
    if minutes_statuses is not None:
        qs = qs.filter(readable_minutes("meeting", minutes_statuses))
    return list(qs.order_by("-year").values_list("year", flat=True).distinct())


def replacement_choices(decision: Decision) -> QuerySet[Decision]:
    """Decisions that can replace `decision`: later ones of the programme that
    are still in force (the service's rule: later by date, then by entry)."""
    later = Q(decided_on__gt=decision.decided_on) | Q(
        decided_on=decision.decided_on, pk__gt=decision.pk
    )
    return (
        Decision.objects.filter(tenant=decision.tenant, status=DecisionStatus.IN_FORCE)
        .filter(later)
        .select_related("body")
        .order_by("decided_on", "body__code", "number", "pk")
    )
