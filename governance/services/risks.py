"""Risks and their reviews. A review is added, never edited: the history stays."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import AgendaItem, Risk, RiskReview
from portal import audit
from portal.models import Person, Tenant, User
from portal.services import (
    DomainError,
    create_audited,
    ensure_same_tenant,
    set_archived,
    update_audited,
)


@transaction.atomic
def risk_create(
    *,
    actor: User | None,
    tenant: Tenant,
    title: str,
    category: str,
    likelihood: int,
    consequence: int,
    description: str = "",
    mitigation: str = "",
    owner: Person | None = None,
    raised_at: AgendaItem | None = None,
    status: str = "identifierad",
) -> Risk:
    """Add a risk with its first assessment. A risk raised at an agenda item
    is dated the meeting's day (`raised_day`), so one entered from the
    minutes of an earlier meeting counts from then — in the matrix of a
    status report of that month, say."""
    ensure_same_tenant(tenant.pk, [owner, raised_at])
    return create_audited(
        Risk(
            tenant=tenant,
            title=title,
            category=category,
            likelihood=likelihood,
            consequence=consequence,
            description=description,
            mitigation=mitigation,
            owner=owner,
            raised_at=raised_at,
            raised_on=raised_day(raised_at),
            status=status,
        ),
        actor=actor,
        tenant=tenant,
    )


def raised_day(item: AgendaItem | None) -> datetime.date:
    """The day a risk raised at `item` was raised: the meeting's day — today
    for a meeting still ahead — or today when raised at no meeting."""
    today = timezone.localdate()
    if item is None:
        return today
    return min(timezone.localdate(item.meeting.starts_at), today)


@transaction.atomic
def risk_update(
    *, actor: User, risk: Risk, expected_version: int | None = None, **fields: object
) -> Risk:
    """Edit the risk's description, owner or mitigation. Assessments go through
    reviews. Linked to another meeting's agenda item, the risk takes that
    meeting's day as the day it was raised."""
    for name in ("likelihood", "consequence", "status"):
        if name in fields and fields[name] != getattr(risk, name):
            raise DomainError(_("Change the assessment by adding a review, so history is kept."))
    raised_at = fields.get("raised_at")
    ensure_same_tenant(risk.tenant_id, [fields.get("owner"), raised_at])
    if isinstance(raised_at, AgendaItem) and raised_at.pk != risk.raised_at_id:
        fields["raised_on"] = raised_day(raised_at)
    return update_audited(
        risk,
        actor=actor,
        tenant=risk.tenant,
        fields=dict(fields),
        expected_version=expected_version,
    )


@transaction.atomic
def risk_review_add(
    *,
    actor: User | None,
    risk: Risk,
    reviewed_on: datetime.date,
    likelihood: int,
    consequence: int,
    status: str,
    note: str = "",
) -> RiskReview:
    """Add a dated review and make its assessment the risk's current one —
    unless a newer-dated review exists (a late entry of an older review).

    The risk row is locked first, so two reviews saved at once cannot leave the
    risk with the older one's assessment."""
    Risk.objects.select_for_update().filter(pk=risk.pk).first()
    review = RiskReview(
        tenant=risk.tenant,
        risk=risk,
        reviewed_on=reviewed_on,
        likelihood=likelihood,
        consequence=consequence,
        status=status,
        note=note,
        reviewed_by=actor if actor and actor.pk else None,
    )
    review.full_clean()
    review.save()
    audit.log(
        actor=actor,
        tenant=risk.tenant,
        action="risk_review.create",
        obj=review,
        after=audit.snapshot(review),
    )
    latest = risk.reviews.order_by("-reviewed_on", "-id").first()
    if latest is not None and latest.pk == review.pk:
        before = audit.snapshot(risk)
        risk.likelihood, risk.consequence, risk.status = likelihood, consequence, status
        risk.save(update_fields=["likelihood", "consequence", "status"])
        audit.log(
            actor=actor,
            tenant=risk.tenant,
            action="risk.reassess",
            obj=risk,
            before=before,
            after=audit.snapshot(risk),
        )
    return review


@transaction.atomic
def risk_set_archived(*, actor: User, risk: Risk, archived: bool) -> Risk:
    return set_archived(risk, actor=actor, tenant=risk.tenant, archived=archived)
