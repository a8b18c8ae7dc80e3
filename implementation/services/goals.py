"""Goals, sub-goals and indicators (process leaders), and indicator values
(process leaders for any principal or the programme; principal reporters for
their own principal — the views check who)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from implementation.models import (
    FocusArea,
    Goal,
    Indicator,
    IndicatorValue,
    WellbeingArea,
)
from portal import audit
from portal.models import Principal, Tenant, User
from portal.services import (
    DomainError,
    changed_besides_version,
    claim_version,
    create_audited,
    ensure_same_tenant,
    set_archived,
    update_audited,
)

# Goals ------------------------------------------------------------------------------


@transaction.atomic
def goal_create(
    *,
    actor: User | None,
    tenant: Tenant,
    focus_area: FocusArea,
    title: str,
    parent: Goal | None = None,
    description: str = "",
    target_date: datetime.date | None = None,
) -> Goal:
    """A goal of a focus area, or with `parent` a sub-goal (delmål) of a goal."""
    ensure_same_tenant(tenant.pk, [focus_area, parent])
    goal = Goal(
        tenant=tenant,
        focus_area=focus_area,
        parent=parent,
        title=title.strip(),
        description=description.strip(),
        target_date=target_date,
    )
    return create_audited(goal, actor=actor, tenant=tenant)


@transaction.atomic
def goal_update(
    *, actor: User | None, goal: Goal, expected_version: int | None = None, **fields: Any
) -> Goal:
    ensure_same_tenant(goal.tenant_id, [fields.get("focus_area"), fields.get("parent")])
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
    if goal.sub_goals.filter(archived_at__isnull=True).exists():
        if fields.get("parent") is not None:
            raise ValidationError({"parent": _("A goal with sub-goals cannot become a sub-goal.")})
        if "focus_area" in fields and fields["focus_area"] != goal.focus_area:
            raise ValidationError(
                {"focus_area": _("Move the sub-goals first: they belong to this focus area.")}
            )
    return update_audited(
        goal, actor=actor, tenant=goal.tenant, fields=fields, expected_version=expected_version
    )


@transaction.atomic
def goal_set_archived(*, actor: User, goal: Goal, archived: bool) -> Goal:
    if archived and goal.sub_goals.filter(archived_at__isnull=True).exists():
        raise DomainError(_("Archive the goal's sub-goals first."))
    return set_archived(goal, actor=actor, tenant=goal.tenant, archived=archived)


# Indicators ---------------------------------------------------------------------------


def _indicator_snapshot(indicator: Indicator) -> dict[str, Any]:
    return {
        **(audit.snapshot(indicator) or {}),
        "wellbeing_areas": sorted(indicator.wellbeing_areas.values_list("pk", flat=True)),
    }


@transaction.atomic
def indicator_create(
    *,
    actor: User | None,
    tenant: Tenant,
    name: str,
    kind: str,
    level: str,
    unit: str = "",
    description: str = "",
    target: Decimal | None = None,
    direction: str = "hogre",
    goal: Goal | None = None,
    wellbeing_areas: Iterable[WellbeingArea] = (),
) -> Indicator:
    areas = list(wellbeing_areas)
    ensure_same_tenant(tenant.pk, [goal, *areas])
    name = name.strip()
    if Indicator.objects.filter(tenant=tenant, name__iexact=name).exists():
        raise ValidationError({"name": _("The programme already has an indicator with this name.")})
    indicator = Indicator(
        tenant=tenant,
        name=name,
        kind=kind,
        level=level,
        unit=unit.strip(),
        description=description.strip(),
        target=target,
        direction=direction,
        goal=goal,
    )
    indicator.full_clean()
    indicator.save()
    indicator.wellbeing_areas.set(areas)
    audit.log(
        actor=actor,
        tenant=tenant,
        action="indicator.create",
        obj=indicator,
        after=_indicator_snapshot(indicator),
    )
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor: User | None,
    indicator: Indicator,
    expected_version: int | None = None,
    **fields: Any,
) -> Indicator:
    """Change an indicator. Its kind and level cannot change once it has values:
    they say what the values mean. A save based on an older version than
    `expected_version` is refused (`claim_version`)."""
    areas = fields.pop("wellbeing_areas", None)
    area_list = None if areas is None else list(areas)
    ensure_same_tenant(indicator.tenant_id, [fields.get("goal"), *(area_list or ())])
    if "name" in fields:
        fields["name"] = str(fields["name"]).strip()
        duplicate = Indicator.objects.filter(
            tenant_id=indicator.tenant_id, name__iexact=fields["name"]
        ).exclude(pk=indicator.pk)
        if duplicate.exists():
            raise ValidationError(
                {"name": _("The programme already has an indicator with this name.")}
            )
    has_values = indicator.values.exists()
    for name in ("kind", "level"):
        if has_values and name in fields and fields[name] != getattr(indicator, name):
            raise ValidationError(
                {name: _("The indicator has values: this cannot change any more.")}
            )
    before = _indicator_snapshot(indicator)
    loaded_version = indicator.version
    claim_version(indicator, expected_version)
    changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
    original = {name: getattr(indicator, name) for name in changed}
    for name in changed:
        setattr(indicator, name, fields[name])
    try:
        indicator.full_clean()
    except ValidationError:
        for name, value in original.items():
            setattr(indicator, name, value)
        indicator.version = loaded_version  # the claim is rolled back with the transaction
        raise
    if changed:
        indicator.save(update_fields=changed)
    if area_list is not None:
        indicator.wellbeing_areas.set(area_list)
    after = _indicator_snapshot(indicator)
    if changed_besides_version(before, after):
        audit.log(
            actor=actor,
            tenant=indicator.tenant,
            action="indicator.update",
            obj=indicator,
            before=before,
            after=after,
        )
    return indicator


@transaction.atomic
def indicator_set_archived(*, actor: User, indicator: Indicator, archived: bool) -> Indicator:
    return set_archived(indicator, actor=actor, tenant=indicator.tenant, archived=archived)


# Values ---------------------------------------------------------------------------------


@transaction.atomic
def indicator_value_set(
    *,
    actor: User | None,
    indicator: Indicator,
    principal: Principal | None,
    period: datetime.date,
    value: Decimal,
    source: str,
    comment: str = "",
) -> IndicatorValue:
    """Report a value for a month (of a principal, or the programme). A value
    already reported for the same month is replaced, and the audit log keeps
    what it was."""
    ensure_same_tenant(indicator.tenant_id, [principal])
    if indicator.is_archived:
        raise DomainError(_("The indicator is archived."))
    if principal is not None and principal.is_archived:
        raise DomainError(_("The principal is archived."))
    period = period.replace(day=1)
    existing = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .filter(indicator=indicator, principal=principal, period=period)
        .first()
    )
    fields = {"value": value, "source": source, "comment": comment.strip(), "reported_by": actor}
    if existing is not None:
        return update_audited(existing, actor=actor, tenant=indicator.tenant, fields=fields)
    row = IndicatorValue(
        tenant_id=indicator.tenant_id,
        indicator=indicator,
        principal=principal,
        period=period,
        **fields,
    )
    return create_audited(row, actor=actor, tenant=indicator.tenant)
