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

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal import selectors
from portal.documents.registry import DocumentKind, Obj, get_kind
from portal.models import GeneratedFile, Membership, Operation, Person, Principal
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


# Documents --------------------------------------------------------------------


def get_document_kind(key: str) -> DocumentKind:
    """A registered kind of document; 404 for an unknown key."""
    try:
        return get_kind(key)
    except LookupError:
        raise Http404 from None


def get_document_source_for(
    request: TenantRequest, kind: DocumentKind, object_id: int, *, write: bool = False
) -> Obj:
    """The object a document is made of: 404 for another programme's id (or a
    draft its reader must not know of), 403 for too little role to read it,
    and with `write` 403 unless the member may ask for the document."""
    obj = kind.load(request.tenant, object_id)
    if obj is None:
        raise Http404
    if kind.hidden(request.membership, obj):
        raise Http404
    if not kind.may_read(request.membership, obj):
        raise PermissionDenied
    if write and not kind.may_request(request.membership, obj):
        raise PermissionDenied
    return obj


def get_generated_file_for(
    request: TenantRequest, pk: int, *, write: bool = False
) -> tuple[GeneratedFile, DocumentKind, Obj]:
    """A document job the member may follow and download, with its kind and
    object: the object readable (`get_document_source_for`), and the content
    it renders (or rendered) for them (a draft's PDF: process leaders). With
    `write` (a retry), 403 unless the member may ask for the document."""
    job: GeneratedFile = get_for_tenant(request, GeneratedFile, pk=pk)
    kind = get_document_kind(job.kind)
    obj = get_document_source_for(request, kind, job.object_id)
    if not kind.may_download(request.membership, obj, job.audience):
        raise PermissionDenied
    if write and not kind.may_request(request.membership, obj):
        raise PermissionDenied
    return job, kind, obj
