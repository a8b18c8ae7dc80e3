"""The implementation plan: sub-projects and their activities. Process leaders
write them (the views check)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from implementation.models import Activity, Goal, SubProject, WellbeingArea
from implementation.services.common import create_with, update_with
from portal.models import Person, Principal, Tenant, User
from portal.services import ensure_same_tenant, set_archived

M2M = ("principals", "wellbeing_areas")


@transaction.atomic
def sub_project_create(
    *,
    actor: User | None,
    tenant: Tenant,
    title: str,
    principals: Iterable[Principal] = (),
    wellbeing_areas: Iterable[WellbeingArea] = (),
    owner: Person | None = None,
    **fields: Any,
) -> SubProject:
    ensure_same_tenant(tenant.pk, [owner])
    sub_project = SubProject(tenant=tenant, title=title.strip(), owner=owner, **fields)
    create_with(
        sub_project,
        actor=actor,
        tenant=tenant,
        m2m={"principals": principals, "wellbeing_areas": wellbeing_areas},
    )
    return sub_project


@transaction.atomic
def sub_project_update(
    *,
    actor: User | None,
    sub_project: SubProject,
    expected_version: int | None = None,
    **fields: Any,
) -> SubProject:
    ensure_same_tenant(sub_project.tenant_id, [fields.get("owner")])
    update_with(
        sub_project,
        actor=actor,
        tenant=sub_project.tenant,
        fields=fields,
        m2m_names=M2M,
        expected_version=expected_version,
    )
    return sub_project


@transaction.atomic
def sub_project_set_archived(*, actor: User, sub_project: SubProject, archived: bool) -> SubProject:
    return set_archived(sub_project, actor=actor, tenant=sub_project.tenant, archived=archived)


@transaction.atomic
def activity_create(
    *,
    actor: User | None,
    tenant: Tenant,
    title: str,
    sub_project: SubProject | None = None,
    goal: Goal | None = None,
    owner: Person | None = None,
    principals: Iterable[Principal] = (),
    wellbeing_areas: Iterable[WellbeingArea] = (),
    **fields: Any,
) -> Activity:
    ensure_same_tenant(tenant.pk, [sub_project, goal, owner])
    activity = Activity(
        tenant=tenant,
        title=title.strip(),
        sub_project=sub_project,
        goal=goal,
        owner=owner,
        **fields,
    )
    create_with(
        activity,
        actor=actor,
        tenant=tenant,
        m2m={"principals": principals, "wellbeing_areas": wellbeing_areas},
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User | None,
    activity: Activity,
    expected_version: int | None = None,
    **fields: Any,
) -> Activity:
    ensure_same_tenant(
        activity.tenant_id, [fields.get(name) for name in ("sub_project", "goal", "owner")]
    )
    update_with(
        activity,
        actor=actor,
        tenant=activity.tenant,
        fields=fields,
        m2m_names=M2M,
        expected_version=expected_version,
    )
    return activity


@transaction.atomic
def activity_set_archived(*, actor: User, activity: Activity, archived: bool) -> Activity:
    return set_archived(activity, actor=actor, tenant=activity.tenant, archived=archived)
