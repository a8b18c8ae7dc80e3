"""Lookups of the archive's objects (STYLE.md point 5): 403 for a member who
is not a programme administrator, 404 for another programme's id."""

from __future__ import annotations

from archives.models import DisposalRun, RecordKind, RetentionHold
from portal.tenancy import TenantRequest, get_for_tenant, require

RULE = "archives.manage"


def get_run_for(request: TenantRequest, pk: int, *, write: bool = False) -> DisposalRun:
    require(request, RULE)
    run: DisposalRun = get_for_tenant(request, DisposalRun, pk=pk)
    return run


def get_hold_for(request: TenantRequest, pk: int, *, write: bool = False) -> RetentionHold:
    require(request, RULE)
    hold: RetentionHold = get_for_tenant(request, RetentionHold, pk=pk)
    return hold


def get_kind_for(request: TenantRequest, kind: str) -> RecordKind:
    """A kind of record named in a URL; 404 for an unknown one."""
    from django.http import Http404

    require(request, RULE)
    try:
        return RecordKind(kind)
    except ValueError:
        raise Http404 from None
