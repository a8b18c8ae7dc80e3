"""Governance's documents, registered with the portal's document registry
(`portal.documents.registry`) in `GovernanceConfig.ready()`:

* "minutes" — a meeting's minutes, with the diary numbers (diarienummer) of
  the meeting and its decisions, and what is under secrecy as
  "Sekretessbelagd handling" (`governance.selectors.secrecy`). Whoever may
  read the meeting's minutes may have the PDF; a draft carries an “UTKAST”
  watermark, finished minutes not yet approved “Färdigställd – ej justerad”,
  and their PDFs stay for the readers of drafts (process leaders) or of
  finished minutes. Approved minutes
  are rendered from the frozen, approved version, and sealed (portal/documents/seals.py):
  the seal records the version, which "Kontrollera ett dokument" names.
* "status_report" — a monthly status report, with the risk matrix as of the
  report and the programme's open action items. Drafts are for process
  leaders; to everyone else a draft does not exist (404), as on its page.

And two sections of the principal snapshot: the principal's open action items
and its attendance at meetings.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.imports import READING_KIND
from governance.models import (
    OPEN_ACTION_STATUSES,
    ImportedFile,
    Meeting,
    MeetingDocumentFile,
    MinutesStatus,
    MinutesVersion,
    RecordType,
    ReportStatus,
    StatusReport,
)
from governance.selectors import actions as action_selectors
from governance.selectors import meetings as meeting_selectors
from governance.selectors import reports as report_selectors
from governance.selectors import secrecy
from governance.selectors.principal_record import (
    FINISHED_OR_APPROVED,
    principal_attendance,
)
from governance.selectors.risks import RiskMatrix
from governance.services.minutes import minutes_content
from portal.documents import registry as documents
from portal.models import Membership, Principal, Tenant
from portal.permissions import can
from portal.uploads import image_data_uri

# Minutes ------------------------------------------------------------------------


def load_meeting(tenant: Tenant, pk: int) -> Meeting | None:
    return meeting_selectors.meeting_queryset(tenant=tenant).filter(pk=pk).first()


def may_read_minutes(membership: Membership | None, meeting: Meeting) -> bool:
    """As the meeting page (`governance.access.get_meeting_for`): principal
    reporters only once the minutes have been approved."""
    return meeting_selectors.may_see_meeting(membership, meeting)


def _minutes_audience(meeting: Meeting) -> str:
    if meeting.minutes_status == MinutesStatus.APPROVED:
        return "governance.view_approved_minutes"
    if meeting.minutes_status == MinutesStatus.FINISHED:
        return "governance.view_finished"
    return "governance.view_drafts"


def _approved_version(meeting: Meeting) -> MinutesVersion | None:
    if meeting.minutes_status != MinutesStatus.APPROVED:
        return None
    return (
        MinutesVersion.objects.filter(meeting=meeting)
        .select_related("approved_by", "approved_by_person")
        .order_by("-number")
        .first()
    )


def minutes_context(meeting: Meeting) -> dict[str, Any]:
    """Approved minutes are the frozen version; anything else is the current
    text, marked as a draft — finished minutes as “Färdigställd – ej justerad”
    rather than “UTKAST”."""
    version = _approved_version(meeting)
    finished = version is None and meeting.minutes_status == MinutesStatus.FINISHED
    content = version.content if version is not None else minutes_content(meeting)
    # A PDF leaves the portal: what is under secrecy is "Sekretessbelagd
    # handling" in it, whoever asked for it; the diary numbers are today's.
    content, _read = secrecy.content_for(content, meeting, None)
    return {
        "meeting": meeting,
        "content": content,
        "images": minutes_images(meeting, content),
        "version": version,
        "draft": version is None,
        "draft_label": _("Finished – not approved") if finished else "",
        "adjusters": list(meeting.adjusters.all()),
        "signatories": [] if version is not None else _signatories(meeting),
    }


def _signatories(meeting: Meeting) -> list[Any]:
    from governance.selectors.signing import signatory_people

    return [person for person, _role, _present in signatory_people(meeting)]


def _minutes_seal(meeting: Meeting, context: Mapping[str, Any]) -> documents.Seal | None:
    """The approved version's PDF is sealed; a draft's or finished minutes' is not."""
    version = context.get("version")
    if version is None:
        return None
    reason = _("%(record)s, approved version %(number)s") % {
        "record": meeting.get_record_type_display(),
        "number": version.number,
    }
    return documents.Seal(reason=str(reason), reference=str(version.number))


def _describe_minutes_seal(meeting: Meeting, reference: str) -> documents.SealedState | None:
    """The version a sealed PDF of the minutes holds (its reference is the number)."""
    if not reference.isdigit():
        return None
    version = MinutesVersion.objects.filter(meeting=meeting, number=int(reference)).first()
    if version is None:
        return None
    label = _("Version %(number)s, approved %(date)s") % {
        "number": version.number,
        "date": date_format(timezone.localtime(version.approved_at), "j F Y"),
    }
    url = reverse(
        "governance:meeting_version", args=[meeting.tenant.slug, meeting.pk, version.number]
    )
    return documents.SealedState(label=str(label), url=url)


def minutes_images(meeting: Meeting, content: dict[str, Any]) -> dict[str, str]:
    """The images the minutes show under their items, as `data:` URLs by
    document id: the PDF's URL fetcher reaches no uploaded file. Each is the
    version the minutes name (an approved version keeps its images)."""
    # WeasyPrint is slow to import: workers only
    from portal.documents.pdf import MAX_DATA_URL_BYTES

    wanted = {(d["id"], d["file"]) for d in content.get("documents", ()) if d.get("inline")}
    if not wanted:
        return {}
    files = MeetingDocumentFile.objects.filter(
        tenant_id=meeting.tenant_id,
        document__meeting=meeting,
        document_id__in=[i for i, _ in wanted],
    )
    images: dict[str, str] = {}
    for file in files:
        if (file.document_id, file.number) not in wanted:
            continue
        try:
            with file.file.open("rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            continue
        uri = image_data_uri(data, file.content_type, max_bytes=MAX_DATA_URL_BYTES)
        if uri is not None:
            images[str(file.document_id)] = uri
    return images


def _minutes_filename(meeting: Meeting) -> str:
    record = "protokoll" if meeting.record_type == RecordType.PROTOCOL else "minnesanteckningar"
    day = timezone.localdate(meeting.starts_at).isoformat()
    draft = "" if meeting.minutes_status == MinutesStatus.APPROVED else "-utkast"
    return f"{record}-{slugify(meeting.body.code)}-{day}{draft}.pdf"


def _meeting_url(meeting: Meeting) -> str:
    return reverse("governance:meeting_detail", args=[meeting.tenant.slug, meeting.pk])


MINUTES = documents.PdfDocument(
    key="minutes",
    label=_("Minutes"),
    model=Meeting,
    rule="governance.view_approved_minutes",
    check=may_read_minutes,
    audience=_minutes_audience,
    load=load_meeting,
    template="governance/pdf/minutes.html",
    context=minutes_context,
    filename=_minutes_filename,
    title=lambda meeting: meeting.display_title,
    url=_meeting_url,
    seal=_minutes_seal,
    describe_seal=_describe_minutes_seal,
)


# Status reports -----------------------------------------------------------------


def _load_report(tenant: Tenant, pk: int) -> StatusReport | None:
    return report_selectors.report_detail(tenant=tenant, include_drafts=True).filter(pk=pk).first()


def _report_hidden(membership: Membership | None, report: StatusReport) -> bool:
    """A draft does not exist for those who may not see drafts (as its page)."""
    return report.status == ReportStatus.DRAFT and not can(membership, "governance.view_drafts")


def _report_audience(report: StatusReport) -> str:
    if report.status == ReportStatus.FINISHED:
        return "governance.view_finished"
    return "governance.view_drafts"


def without_links(matrix: RiskMatrix) -> RiskMatrix:
    """The matrix with no links to the risks' pages: a PDF leaves the portal,
    and a relative link in it leads nowhere."""
    rows = tuple(
        dataclasses.replace(
            row,
            cells=tuple(
                dataclasses.replace(
                    cell, risks=tuple(dataclasses.replace(r, url="") for r in cell.risks)
                )
                for cell in row.cells
            ),
        )
        for row in matrix.rows
    )
    return dataclasses.replace(matrix, rows=rows)


def _readable_statuses(audience: str) -> tuple[str, ...] | None:
    """The minutes statuses a document for `audience` may draw action items from."""
    if audience == "governance.view_drafts":
        return None
    return (MinutesStatus.FINISHED, MinutesStatus.APPROVED)


def status_report_context(report: StatusReport) -> dict[str, Any]:
    tenant = report.tenant
    open_actions = action_selectors.action_items(
        tenant=tenant, minutes_statuses=_readable_statuses(_report_audience(report))
    ).filter(status__in=OPEN_ACTION_STATUSES)
    return {
        "report": report,
        "matrix": without_links(report_selectors.report_matrix(tenant=tenant, report=report)),
        "open_actions": list(open_actions),
        "draft": report.status == ReportStatus.DRAFT,
    }


def _report_filename(report: StatusReport) -> str:
    draft = "-utkast" if report.status == ReportStatus.DRAFT else ""
    return f"statusrapport-{report.period:%Y-%m}{draft}.pdf"


def _report_url(report: StatusReport) -> str:
    return reverse("governance:report_detail", args=[report.tenant.slug, report.pk])


STATUS_REPORT = documents.PdfDocument(
    key="status_report",
    label=_("Status report"),
    model=StatusReport,
    rule="governance.view_finished",
    hidden=_report_hidden,
    audience=_report_audience,
    load=_load_report,
    template="governance/pdf/status_report.html",
    context=status_report_context,
    filename=_report_filename,
    title=lambda report: f"{report.period:%Y-%m}",
    url=_report_url,
)


# Sections of the principal snapshot ---------------------------------------------

# Drafts are not part of the snapshot: it is read by every role that reads
# finished minutes.


def principal_actions(principal: Principal) -> dict[str, Any]:
    """The principal's open action items: owned by it or by one of its people."""
    items = action_selectors.action_items(
        tenant=principal.tenant, minutes_statuses=FINISHED_OR_APPROVED, principal=principal
    ).filter(status__in=OPEN_ACTION_STATUSES)
    return {"actions": list(items)}


def register_documents() -> None:
    from governance.meeting_pack import MEETING_PACK

    documents.register(MINUTES)
    documents.register(MEETING_PACK)
    documents.register(STATUS_REPORT)
    documents.register(MINUTES_READING)
    documents.register_section(
        "principal_snapshot",
        documents.Section(
            key="governance.actions",
            title=_("Open assignments"),
            template="governance/pdf/_principal_actions.html",
            context=principal_actions,
            order=40,
        ),
    )
    documents.register_section(
        "principal_snapshot",
        documents.Section(
            key="governance.attendance",
            title=_("Attendance at meetings"),
            template="governance/pdf/_principal_attendance.html",
            context=principal_attendance,
            order=50,
        ),
    )


# Reading old minutes (issue 14) ----------------------------------------------------


def _load_imported_file(tenant: Tenant, pk: int) -> ImportedFile | None:
    return ImportedFile.objects.filter(tenant=tenant, pk=pk).select_related("upload").first()


def _read_imported_file(imported: ImportedFile) -> tuple[bytes, str]:
    from governance.imports.sources import UnreadableFile
    from governance.services.imports import read_imported_file
    from portal.documents.jobs import Refused

    try:
        proposal = read_imported_file(imported)
    except UnreadableFile as error:
        raise Refused(
            gettext("The file could not be read: %(reason)s") % {"reason": error}
        ) from error
    data = json.dumps(proposal, ensure_ascii=False, indent=1).encode()
    return data, f"forslag-{imported.pk}.json"


MINUTES_READING = documents.ExportDocument(
    key=READING_KIND,
    label=_("Reading of old minutes"),
    model=ImportedFile,
    rule="governance.edit",
    load=_load_imported_file,
    title=lambda imported: imported.original_name,
    url=lambda imported: reverse(
        "governance:import_file", args=[imported.tenant.slug, imported.pk]
    ),
    build=_read_imported_file,
    media_type="application/json",
    status_template="governance/import_file_status.html",
    long_running=True,
)
