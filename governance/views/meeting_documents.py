"""Meeting documents (handlingar): add a document to a meeting or an agenda
item, see a document and its versions, download them, replace its file,
change it, archive it, and share the meeting's documents ("Dela
handlingarna").

Who: process leaders add, change and share documents, and see them all.
Everyone who may open the meeting (principal reporters: once its minutes are
approved) sees and downloads its shared documents; to them an unshared
document does not exist (404). A secret document (sekretess) is read — its
page, its files — only by the members of the meeting's body and the process
leaders (`governance.read_secret`), and each such read is logged; anyone
else sees "Sekretessbelagd handling" on its page and gets 403 for its files.
Files are served by these views only, never from a public media URL.
Approved minutes lock their documents as they lock the rest of the minutes.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from governance.access import get_document_for, get_meeting_for, may_edit_minutes
from governance.forms.meeting_documents import (
    DocumentAddForm,
    DocumentEditForm,
    DocumentReplaceForm,
)
from governance.models import MeetingDocument, MeetingDocumentFile
from governance.services import meeting_documents as services
from governance.services import secrecy
from governance.views import confirms
from governance.views.meeting_common import detail_url, refuse_if_locked, refused
from portal.confirm import render_confirm
from portal.forms import ConfirmForm
from portal.htmx import form_data, render_page, require_GET_or_POST, show_refusal, to_page
from portal.permissions import can
from portal.services import DomainError
from portal.tenancy import TenantRequest


def document_url(document: MeetingDocument) -> str:
    return reverse("governance:document_detail", args=[document.tenant.slug, document.pk])


def _anchor(document: MeetingDocument) -> str:
    return f"document-{document.pk}"


# Reading ------------------------------------------------------------------------


@require_GET
def document_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """The document, its current file and every earlier version."""
    document = get_document_for(request, pk)
    meeting = document.meeting
    readable = can(request.membership, "governance.read_secret", document)
    if readable:
        secrecy.document_read(
            actor=request.user, tenant=request.tenant, document=document, how="page"
        )
    context = {
        "document": document,
        "meeting": meeting,
        # A secret document: "Sekretessbelagd handling" to those who may not read it.
        "readable": readable,
        "files": sorted(document.files.all(), key=lambda f: -f.number) if readable else [],
        "editable": may_edit_minutes(request, meeting),
    }
    return render_page(request, "governance/document_detail.html", context, partial="document")


def _serve(file: MeetingDocumentFile) -> FileResponse:
    try:
        handle = file.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Images are shown on the meeting page (inline); anything else is downloaded.
    response = FileResponse(
        handle,
        as_attachment=not file.is_image,
        filename=file.original_name,
        content_type=file.content_type,
    )
    patch_cache_control(response, private=True)
    return response


@require_GET
def document_download(request: TenantRequest, tenant_slug: str, pk: int) -> FileResponse:
    """The document's current file."""
    document = get_document_for(request, pk, secret=True)
    current = document.current_file
    if current is None:
        raise Http404
    response = _serve(current)
    secrecy.document_read(
        actor=request.user,
        tenant=request.tenant,
        document=document,
        how="download",
        file_number=current.number,
    )
    return response


@require_GET
def document_version(
    request: TenantRequest, tenant_slug: str, pk: int, number: int
) -> FileResponse:
    """One version of the document's file, the current or an earlier one."""
    document = get_document_for(request, pk, secret=True)
    file = next((f for f in document.files.all() if f.number == number), None)
    if file is None:
        raise Http404
    response = _serve(file)
    secrecy.document_read(
        actor=request.user,
        tenant=request.tenant,
        document=document,
        how="download",
        file_number=file.number,
    )
    return response


# Writing ------------------------------------------------------------------------


@require_GET_or_POST
def document_add(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Add a document to the meeting, or (`?item=`) to one of its agenda items."""
    meeting = get_meeting_for(request, pk, write=True)
    form = DocumentAddForm(
        form_data(request),
        request.FILES if request.method == "POST" else None,
        meeting=meeting,
        item_id=request.GET.get("item"),
    )
    if request.method == "GET":
        refuse_if_locked(form, meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_add(
                actor=request.user,
                meeting=meeting,
                upload=data["file"],
                title=data["title"],
                agenda_item=data["agenda_item"],
                show_in_minutes=data["show_in_minutes"],
                diary_number=data["diary_number"],
                secret=data["secret"],
                secrecy_reference=data["secrecy_reference"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="file")
        else:
            messages.success(
                request,
                _("Added the document %(title)s. It is shown to the members when it is shared.")
                % {"title": document.title},
            )
            return to_page(request, detail_url(meeting, _anchor(document)))
    context = {"form": form, "meeting": meeting}
    return render_page(request, "governance/document_add.html", context, partial="form")


@require_GET_or_POST
def document_replace(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Upload a new version of the document's file; the earlier ones stay."""
    document = get_document_for(request, pk, write=True)
    form = DocumentReplaceForm(
        form_data(request), request.FILES if request.method == "POST" else None
    )
    if request.method == "GET":
        refuse_if_locked(form, document.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            file = services.document_replace(
                actor=request.user, document=document, upload=form.cleaned_data["file"]
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="file")
        else:
            messages.success(
                request,
                _("Uploaded version %(number)s of %(title)s.")
                % {"number": file.number, "title": document.title},
            )
            return to_page(request, document_url(document))
    context = {"form": form, "document": document, "meeting": document.meeting}
    return render_page(request, "governance/document_replace.html", context, partial="form")


@require_GET_or_POST
def document_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    document = get_document_for(request, pk, write=True)
    form = DocumentEditForm(form_data(request), document=document)
    if request.method == "GET":
        refuse_if_locked(form, document.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(actor=request.user, document=document, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved the document %(title)s.") % {"title": document})
            return to_page(request, document_url(document))
    context = {"form": form, "document": document, "meeting": document.meeting}
    return render_page(request, "governance/document_edit.html", context, partial="form")


@require_GET_or_POST
def document_archive(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST takes the document off the meeting (it is kept)."""
    document = get_document_for(request, pk, write=True)
    form = ConfirmForm(form_data(request))
    if request.method == "GET":
        refuse_if_locked(form, document.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_archive(actor=request.user, document=document)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, _("Took %(title)s off the meeting.") % {"title": document.title}
            )
            return to_page(request, detail_url(document.meeting, "documents"))
    return render_confirm(request, confirms.document_archive(request, document), form)


@require_POST
def documents_share(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """ "Dela handlingarna": the meeting's documents become visible to the
    programme's members. (The notice will do the same when it is sent.)"""
    meeting = get_meeting_for(request, pk, write=True)
    try:
        count = services.documents_share(actor=request.user, meeting=meeting)
    except DomainError as error:
        return refused(request, meeting, error)
    if count:
        message = ngettext(
            "Shared %(count)d document with the programme's members.",
            "Shared %(count)d documents with the programme's members.",
            count,
        ) % {"count": count}
    else:
        message = _("Every document of the meeting is already shared.")
    messages.success(request, message)
    return to_page(request, detail_url(meeting, "documents"))


urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/documents/add/", document_add, name="document_add"),
    path("meetings/<int:pk>/documents/share/", documents_share, name="documents_share"),
    path("meetings/documents/<int:pk>/", document_detail, name="document_detail"),
    path("meetings/documents/<int:pk>/download/", document_download, name="document_download"),
    path(
        "meetings/documents/<int:pk>/versions/<int:number>/",
        document_version,
        name="document_version",
    ),
    path(
        "meetings/documents/<int:pk>/versions/add/",
        document_replace,
        name="document_version_add",
    ),
    path("meetings/documents/<int:pk>/edit/", document_edit, name="document_edit"),
    path("meetings/documents/<int:pk>/archive/", document_archive, name="document_archive"),
]
