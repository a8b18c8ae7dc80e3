"""Reads for the portal app. Each returns data with its relations already loaded."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django_scopes import scopes_disabled

from portal.models import Membership, Operation, Person, Principal, Tenant, User


def memberships_for_user(user: User) -> list[Membership]:
    """The user's active memberships in active programmes, across programmes.

    This is the one place that reads memberships across tenants: it only ever
    returns the user's own.
    """
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user, is_active=True, tenant__is_active=True)
            .select_related("tenant", "principal")
            .order_by("tenant__name")
        )


def person_for(membership: Membership | None) -> Person | None:
    """The person of the programme's directory that a login is in the
    programme: its membership's person. The one way from a login to a person —
    every rule that names people (the chair, the justerare, an owner) asks
    this, so an invited login counts as soon as it is linked. None for no
    membership or a membership not linked to anyone."""
    if membership is None or membership.person_id is None:
        return None
    return membership.person


def membership_for(person: Person) -> Membership | None:
    """The way back: the active membership linked to `person`, if they have a
    login in the programme."""
    return (
        Membership.objects.filter(tenant_id=person.tenant_id, person=person, is_active=True)
        .select_related("user")
        .first()
    )


@dataclass(frozen=True)
class TenantOverview:
    principals: int
    operations: int
    people: int
    members: int


def _overview_sql() -> str:
    """Four counts of one programme's rows (its id four times as parameters).
    The names put into the statement are our own tables'."""
    principal, operation, person, membership = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (Principal, Operation, Person, Membership)
    )
    return (
        f"SELECT (SELECT COUNT(*) FROM {principal}"  # noqa: S608 (our table names)
        " WHERE tenant_id = %s AND archived_at IS NULL),"
        f" (SELECT COUNT(*) FROM {operation} o JOIN {principal} p ON p.id = o.principal_id"
        " WHERE p.tenant_id = %s AND p.archived_at IS NULL AND o.archived_at IS NULL),"
        f" (SELECT COUNT(*) FROM {person} WHERE tenant_id = %s AND archived_at IS NULL),"
        f" (SELECT COUNT(*) FROM {membership} WHERE tenant_id = %s AND is_active)"
    )


def tenant_overview(*, tenant: Tenant) -> TenantOverview:
    """The programme in figures: active principals, their active operations,
    people in the directory and members with a login. One statement of four
    counts, written out: the ORM spends several times longer composing four
    subqueries than the database spends answering them, on a panel drawn with
    every programme dashboard."""
    with connection.cursor() as cursor:
        cursor.execute(_overview_sql(), [tenant.pk] * 4)
        principals, operations, people, members = cursor.fetchone()
    return TenantOverview(
        principals=principals, operations=operations, people=people, members=members
    )


def principal_list(*, tenant: Tenant, include_archived: bool = False) -> QuerySet[Principal]:
    qs = Principal.objects.filter(tenant=tenant).annotate(
        operation_count=Count("operations", filter=Q(operations__archived_at__isnull=True))
    )
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("name")


def operation_list(
    *, tenant: Tenant, include_archived: bool = False, principal: Principal | None = None
) -> QuerySet[Operation]:
    qs = Operation.objects.filter(tenant=tenant).select_related("principal")
    if principal is not None:
        qs = qs.filter(principal=principal)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("principal__name", "name")


def person_list(
    *, tenant: Tenant, include_archived: bool = False, principal: Principal | None = None
) -> QuerySet[Person]:
    qs = Person.objects.filter(tenant=tenant).select_related("principal")
    if principal is not None:
        qs = qs.filter(principal=principal)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("name")


def member_list(*, tenant: Tenant) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(tenant=tenant)
        .select_related("user", "principal", "person")
        .order_by("-is_active", "user__last_name", "user__first_name", "user__username")
    )


def people_to_link(*, tenant: Tenant, membership: Membership) -> QuerySet[Person]:
    """The people a membership may be linked to: the programme's people who
    are not archived and have no login here yet, and its own person."""
    return (
        Person.objects.filter(tenant=tenant)
        .filter(Q(archived_at__isnull=True, membership__isnull=True) | Q(membership=membership))
        .select_related("principal")
        .order_by("name", "pk")
    )


def active_principals(*, tenant: Tenant) -> QuerySet[Principal]:
    """The programme's principals that are not archived, by name (for filters
    and pickers)."""
    return Principal.objects.filter(tenant=tenant, archived_at__isnull=True).order_by("name")


def active_user(pk: int) -> User | None:
    """An active login by id, or None (a login half-way through its second factor)."""
    return User.objects.filter(pk=pk, is_active=True).first()


def principal_names(*, tenant: Tenant) -> list[tuple[int, str]]:
    """Each principal that is not archived as (id, name), by name: a dashboard's switcher."""
    return list(active_principals(tenant=tenant).values_list("pk", "name"))
