"""One lookup per noun of the portal: the directory (principals, operations,
people, members) and generated documents (STYLE.md point 5; Zulip's
`access_stream_by_id`, healthchecks' `_get_rw_check_for_user`).

Each `get_<noun>_for(request, pk, *, write=False)` answers 403
(PermissionDenied) first when the member's role may not read (or, with
`write=True`, change) such objects at all; then 404 for another programme's
id or one that does not exist (the scoped lookup); then 403 when the rule
depends on the object. The rules themselves live in `portal.permissions`.
The apps use these lookups for the portal's nouns (a principal named in a
query string, say).
"""

from __future__ import annotations

from portal import selectors
from portal.models import Membership, Operation, Person, Principal
from portal.tenancy import TenantRequest, get_for_tenant, require

READ = "portal.view_directory"
WRITE = "portal.manage_directory"


def get_principal_for(
    request: TenantRequest, pk: int, *, write: bool = False, rule: str | None = None
) -> Principal:
    """A principal, archived or not, as the directory lists it (with its
    number of operations). `rule`: 403 unless the member passes that rule for
    this principal (e.g. `implementation.report`, a principal's dashboard)."""
    require(request, WRITE if write else READ)
    qs = selectors.principal_list(tenant=request.tenant, include_archived=True)
    principal: Principal = get_for_tenant(request, qs, pk=pk)
    if rule is not None:
        require(request, rule, principal)
    return principal


def get_operation_for(request: TenantRequest, pk: int, *, write: bool = False) -> Operation:
    """An operation with its principal, archived or not."""
    require(request, WRITE if write else READ)
    operation: Operation = get_for_tenant(
        request, Operation.objects.select_related("principal"), pk=pk
    )
    return operation


def get_person_for(request: TenantRequest, pk: int, *, write: bool = False) -> Person:
    """A person of the directory with their principal, archived or not.
    Process leaders may change people too (`portal.manage_people`)."""
    require(request, "portal.manage_people" if write else READ)
    person: Person = get_for_tenant(request, Person.objects.select_related("principal"), pk=pk)
    return person


def get_membership_for(request: TenantRequest, pk: int, *, write: bool = False) -> Membership:
    """A membership of this programme, active or not, with its user, principal
    and person. Only tenant administrators see memberships at all, so reading
    and writing ask the same rule."""
    require(request, "portal.manage_members")
    membership: Membership = get_for_tenant(
        request, selectors.member_list(tenant=request.tenant), pk=pk
    )
    return membership
