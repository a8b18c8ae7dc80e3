"""The programme's audit log in the browser (issue 16, item 3): the events,
newest first, filtered in the query string, one record's history
("Historik"), and the filtered list as CSV.

Programme administrators and process leaders read it; nobody changes it.
Filters work without JavaScript (a GET form); htmx only swaps the results.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_scopes import scope

from portal import selectors_audit as selectors
from portal import services_audit as services
from portal.forms_audit import AuditFilterForm
from portal.models import AuditEvent, Membership, Tenant
from portal.spreadsheets import neutralise
from portal.tenancy import TenantRequest

PAGE_SIZE = 50


def require_reader(request: TenantRequest) -> None:
    if not selectors.may_read(request.membership):
        raise PermissionDenied


def _filter_form(request: TenantRequest) -> tuple[AuditFilterForm, dict[int, str]]:
    people = selectors.people(request.tenant)
    form = AuditFilterForm(
        request.GET, people=people, record_types=selectors.record_types(request.tenant)
    )
    return form, people


@require_GET
def audit_log(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require_reader(request)
    form, people = _filter_form(request)
    return _render_log(request, form, people)


def _render_log(
    request: TenantRequest, form: AuditFilterForm, people: dict[int, str], *, status: int = 200
) -> HttpResponse:
    filters = form.filters()
    events = selectors.audit_events(tenant=request.tenant, **filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    record_type, record_id = filters["record_type"], filters["record_id"]
    context = {
        "form": form,
        "page": page,
        "rows": selectors.event_rows(
            list(page.object_list),
            tenant=request.tenant,
            names=people,
            membership=request.membership,
        ),
        "actions": selectors.action_names(request.tenant),
        "filtered": any(value not in (None, "") for value in filters.values()),
        "record": (
            {
                "type": selectors.record_type_label(record_type),
                "id": record_id,
                "url": selectors.record_url(request.tenant, record_type, record_id),
            }
            if record_type and record_id
            else None
        ),
        "nav_section": "audit",
    }
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    template = "portal/audit_log.html#results" if fragment else "portal/audit_log.html"
    response = render(request, template, {**context, "fragment": fragment}, status=status)
    # The same URL answers the page and (for htmx) its results.
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@require_GET
def audit_export(request: TenantRequest, tenant_slug: str) -> HttpResponseBase:
    """The filtered list as CSV, streamed while it is read. A wrong filter is
    shown on the page instead (400): an export never quietly widens to more
    than was asked for."""
    require_reader(request)
    form, people = _filter_form(request)
    if not form.is_valid():
        return _render_log(request, form, people, status=400)
    filters = form.filters()
    exported = services.audit_log_export(actor=request.user, tenant=request.tenant, filters=filters)
    # The export's own event is written first (so a broken stream is still
    # recorded) and left out of the file it describes.
    events = selectors.audit_events(tenant=request.tenant, **filters).exclude(pk=exported.pk)
    header = [
        _("Time"),
        _("Person"),
        _("Action"),
        _("Kind of record"),
        _("Record id"),
        _("Changes"),
    ]
    response = StreamingHttpResponse(
        _csv_lines(request.tenant, events, header, people, request.membership),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"granskningslogg-{request.tenant.slug}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


class _Line:
    """A file-like object for csv.writer that hands each line back."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(
    tenant: Tenant,
    events: QuerySet[AuditEvent],
    header: list[str],
    people: dict[int, str],
    membership: Membership | None,
) -> Iterator[bytes]:
    """The rows, read in chunks. Runs after the view has returned, outside the
    request's tenant scope, so it opens the scope itself. Every text cell goes
    through `neutralise`: a name or value a spreadsheet would run as a formula
    gets a leading quote."""
    writer = csv.writer(_Line())
    # A byte order mark, so that Excel reads the file as UTF-8 (å, ä, ö).
    yield ("\ufeff" + writer.writerow(header)).encode()
    with scope(tenant=tenant):
        for event in events.iterator(chunk_size=500):
            row: list[Any] = [
                timezone.localtime(event.created_at).isoformat(),
                selectors.actor_name(event, people),
                event.action,
                event.object_type,
                event.object_id,
                selectors.changes_json(event, values=selectors.may_see_values(membership, event)),
            ]
            yield writer.writerow([neutralise(cell) for cell in row]).encode()
