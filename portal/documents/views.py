"""Documents in the browser: ask for a PDF, follow the job, download the file.

"Skapa PDF" (POST) answers at once with the job's status; for htmx that is a
partial that polls every two seconds while the job is queued or running and
then shows the download link (or the error and a retry button). Without
JavaScript the answer is the job's own page, with a link to check again.

Downloads stream the file from MEDIA_ROOT through `document_download`, after
the same checks as every other view here: another programme's job or object is
404, too little role 403, and a draft's PDF stays for process leaders (the
rule recorded on the file when it was rendered). There is no public URL.

"Kontrollera ett dokument" (`document_check`) takes an uploaded PDF and says
whether it is an unaltered copy of a document the portal sealed for this
programme (portal/documents/check.py). It stores nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.documents import check as checks
from portal.documents.access import (
    get_document_kind,
    get_document_source_for,
    get_generated_file_for,
)
from portal.documents.registry import DocumentKind, Obj
from portal.documents.requests import DocumentPanel, request_document, retry_document
from portal.forms import DocumentCheckForm
from portal.htmx import form_data, require_GET_or_POST
from portal.models import GeneratedFile, GeneratedFileStatus
from portal.services import DomainError
from portal.tenancy import TenantRequest, require


def _panel(
    request: TenantRequest, kind: DocumentKind, obj: Obj, job: GeneratedFile
) -> DocumentPanel:
    return DocumentPanel(
        kind=kind, obj=obj, job=job, may_request=kind.may_request(request.membership, obj)
    )


def _status_url(request: TenantRequest, job: GeneratedFile) -> str:
    return reverse("portal:document_status", args=[request.tenant.slug, job.pk])


def _answer(request: TenantRequest, panel: DocumentPanel, *, refusal: str = "") -> HttpResponse:
    """The status of the job: the partial for htmx, else the job's page."""
    # The answer to a button press takes the focus (the button is gone);
    # polled updates never do, they are announced by the live region.
    context: dict[str, Any] = {"panel": panel, "refusal": refusal, "focus": True}
    if request.htmx:
        return render(request, f"{panel.kind.status_template}#status", context)
    if refusal:
        messages.error(request, refusal)
    assert panel.job is not None
    return redirect(_status_url(request, panel.job))


# Views --------------------------------------------------------------------------


@require_POST
def document_request(
    request: TenantRequest, tenant_slug: str, kind: str, object_id: int
) -> HttpResponse:
    """ "Skapa PDF": queue the document (or join the job already queued)."""
    document = get_document_kind(kind)
    obj = get_document_source_for(request, document, object_id, write=True)
    job = request_document(
        actor=request.user,
        membership=request.membership,
        tenant=request.tenant,
        kind=document,
        obj=obj,
    )
    # Queued on commit: with no broker it has run already, and a broker that
    # could not be reached has failed it. Show what is true now.
    job.refresh_from_db()
    return _answer(request, _panel(request, document, obj, job))


@require_GET
def document_status(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The job's status: the polled partial for htmx, else a page of its own.
    `?seen=<status>` (the poll) answers 204 while the status is unchanged."""
    job, kind, obj = get_generated_file_for(request, pk)
    if request.htmx and job.is_active and request.GET.get("seen") == job.status:
        # Nothing new: no swap (htmx leaves the page as it is on 204), so the
        # live region does not repeat itself every two seconds.
        return HttpResponse(status=204)
    panel = _panel(request, kind, obj, job)
    if request.htmx:
        return render(request, f"{kind.status_template}#status", {"panel": panel})
    return render(request, kind.status_template, {"panel": panel})


@require_POST
def document_retry(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Try a failed job again; it renders the document as it is now."""
    job, kind, obj = get_generated_file_for(request, pk, write=True)
    refusal = ""
    try:
        job = retry_document(actor=request.user, membership=request.membership, job=job)
    except DomainError as error:
        refusal = str(error)
    job.refresh_from_db()
    return _answer(request, _panel(request, kind, obj, job), refusal=refusal)


@require_GET
def document_download(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponseBase:
    """The file, as an attachment, with its SHA-256 as the ETag."""
    job, kind, _obj = get_generated_file_for(request, pk)
    if job.status != GeneratedFileStatus.DONE or not job.file:
        raise Http404
    etag = f'"{job.checksum}"'
    response: HttpResponseBase
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        try:
            handle = job.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("The file is no longer available.")) from None
        response = FileResponse(
            handle, as_attachment=True, filename=job.filename, content_type=kind.media_type
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET_or_POST
def document_check(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """ "Kontrollera ett dokument": upload a PDF, learn whether it is an
    unaltered copy of a document sealed for this programme, and of which.
    For every member; the file is read and forgotten."""
    require(request, "portal.view")
    files = request.FILES if request.method == "POST" else None
    form = DocumentCheckForm(form_data(request), files, auto_id="check-%s")
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = checks.check_document(
                tenant=request.tenant, membership=request.membership, data=form.cleaned_data["file"]
            )
        except checks.Unreadable as error:
            form.add_error("file", str(error))
    return render(request, "portal/document_check.html", {"form": form, "result": result})
