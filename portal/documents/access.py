"""Lookups for the document pages (STYLE.md point 5): the kind asked for, the
object a document is made of, and a document job, each 404 for another
programme's id and 403 for too little role. portal/access.py holds the
directory's nouns; these live beside the views that use them, so the kernel's
access module does not depend on the documents package."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.documents.registry import DocumentKind, Obj, get_kind
from portal.models import GeneratedFile
from portal.tenancy import TenantRequest, get_for_tenant


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
