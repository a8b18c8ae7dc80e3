"""Importing old minutes (issue 14): upload files, follow their reading, review
each proposal, confirm it, and undo an import.

Who: process leaders; everyone else is refused (403), and another
programme's import does not exist (404). Reading runs in the background
(the document jobs: the upload's page polls each file's job with htmx);
nothing reaches the programme before the process leader confirms.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from governance.access import get_imported_file_for, get_minutes_import_for
from governance.forms.imports import ImportReviewForm, ImportUploadForm, review_rows
from governance.models import ImportedFile, ImportState
from governance.selectors import imports as selectors
from governance.services import imports as services
from governance.views import confirms
from portal.confirm import Confirm, render_confirm
from portal.forms import ConfirmForm
from portal.htmx import form_data, render_page, require_GET_or_POST, show_refusal, to_page
from portal.services import DomainError
from portal.tenancy import TenantRequest, require


def import_url(request: TenantRequest, pk: int) -> str:
    return reverse("governance:import_detail", args=[request.tenant.slug, pk])


def file_url(request: TenantRequest, pk: int) -> str:
    return reverse("governance:import_file", args=[request.tenant.slug, pk])


@require_GET_or_POST
def import_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """The programme's imports of old minutes, and the upload of more."""
    require(request, "governance.edit")
    form = ImportUploadForm(
        form_data(request),
        request.FILES if request.method == "POST" else None,
        tenant=request.tenant,
    )
    if request.method == "POST" and form.is_valid():
        try:
            minutes_import = services.import_upload(
                actor=request.user,
                membership=request.membership,
                tenant=request.tenant,
                upload=form.cleaned_data["file"],
                body=form.cleaned_data["body"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error, field="file")
        else:
            count = minutes_import.files.count()
            return to_page(
                request,
                import_url(request, minutes_import.pk),
                ngettext(
                    "Uploaded %(count)d file. It is being read; nothing is written to the "
                    "programme until you have reviewed and confirmed it.",
                    "Uploaded %(count)d files. They are being read; nothing is written to the "
                    "programme until you have reviewed and confirmed each.",
                    count,
                )
                % {"count": count},
            )
    context = {
        "form": form,
        "imports": list(selectors.imports(tenant=request.tenant)[: selectors.RECENT_IMPORTS]),
    }
    return render_page(request, "governance/import_list.html", context, partial="form")


@require_GET
def import_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """One upload: its files, each with how its reading goes (polled with
    htmx while it runs), and a link to review each read file."""
    minutes_import = get_minutes_import_for(request, pk)
    rows = selectors.upload_files(minutes_import)
    context = {"minutes_import": minutes_import, "rows": rows}
    return render(request, "governance/import_detail.html", context)


@require_GET_or_POST
def import_file(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Review one file's proposal beside its source lines; POST saves the
    review (`confirm` in the POST: and goes on to confirm it)."""
    imported = get_imported_file_for(request, pk)
    proposal = services.proposal_of(imported)
    if proposal is None or imported.state != ImportState.REVIEW:
        context = {
            "imported": imported,
            "panel": selectors.FileRow(file=imported, job=selectors.latest_job(imported)).panel,
            "undoable": imported.state == ImportState.CONFIRMED
            and not services.edited_since_import(imported),
        }
        return render(request, "governance/import_file.html", context)
    form = ImportReviewForm(
        form_data(request),
        proposal=proposal,
        tenant=request.tenant,
        initial={"version": imported.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            imported = services.import_review_save(
                actor=request.user,
                imported=imported,
                proposal=form.reviewed(),
                expected_version=form.cleaned_data["expected_version"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            if "confirm" in request.POST:
                return _confirm(request, imported)
            return to_page(request, file_url(request, imported.pk), _("Saved the review."))
    context = {
        "imported": imported,
        "form": form,
        "rows": review_rows(form),
        "proposal": proposal,
        "warnings": proposal.get("warnings") or [],
        "next_meeting": proposal.get("next_meeting"),
        "report": proposal.get("status_report"),
    }
    return render_page(request, "governance/import_file.html", context, partial="review")


def _confirm(request: TenantRequest, imported: ImportedFile) -> HttpResponse:
    try:
        meeting = services.import_confirm(actor=request.user, imported=imported)
    except DomainError as error:
        messages.error(request, str(error))
        return to_page(request, file_url(request, imported.pk))
    return to_page(
        request,
        reverse("governance:meeting_detail", args=[request.tenant.slug, meeting.pk]),
        _(
            "Imported the meeting with its attendance, agenda, decisions and assignments. "
            "Its minutes are marked as approved in the original."
        ),
    )


def _confirmed_change(
    request: TenantRequest,
    pk: int,
    *,
    change: Callable[..., ImportedFile],
    confirm: Callable[[TenantRequest, ImportedFile], Confirm],
    done: str,
) -> HttpResponse:
    """GET asks (`confirms`); POST makes the change, then back to the upload."""
    imported = get_imported_file_for(request, pk)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            change(actor=request.user, imported=imported)
        except DomainError as error:
            show_refusal(form, error)
        else:
            message = done % {"name": imported.original_name}
            return to_page(request, import_url(request, imported.upload_id), message)
    return render_confirm(request, confirm(request, imported), form)


@require_GET_or_POST
def import_file_skip(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Leave a file of the upload out (GET asks first)."""
    return _confirmed_change(
        request,
        pk,
        change=services.import_skip,
        confirm=confirms.import_file_skip,
        done=_("Left %(name)s out of the import."),
    )


@require_GET_or_POST
def import_file_undo(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Undo a confirmed import while nobody has changed what it wrote (GET asks first)."""
    return _confirmed_change(
        request,
        pk,
        change=services.import_undo,
        confirm=confirms.import_file_undo,
        done=_("Undid the import of %(name)s: the meeting and what came with it are archived."),
    )


@require_GET
def import_file_original(request: TenantRequest, tenant_slug: str, pk: int) -> FileResponse:
    """The file as it was uploaded."""
    imported = get_imported_file_for(request, pk)
    try:
        handle = imported.original.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=imported.original_name.rsplit("/", 1)[-1],
        content_type=services.content_type_of(imported.original_name),
    )
    patch_cache_control(response, private=True)
    return response


urlpatterns: list[URLPattern] = [
    path("imports/", import_list, name="import_list"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/files/<int:pk>/", import_file, name="import_file"),
    path("imports/files/<int:pk>/skip/", import_file_skip, name="import_file_skip"),
    path("imports/files/<int:pk>/undo/", import_file_undo, name="import_file_undo"),
    path("imports/files/<int:pk>/original/", import_file_original, name="import_file_original"),
]
