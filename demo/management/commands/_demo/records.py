"""Diary numbers and secrecy for the demo (issue 16): each programme's
steering-group meetings and decisions get diary numbers (diarienummer) from
the region's registry, and Sörmland's next meeting a secret document
(sekretess, OSL 26 kap. 1 §: an individual's circumstances in social
services), which only the steering group and the process leaders read.

Through the services (actor=None), like the rest of seed_demo; the numbers of
meetings whose minutes are approved are set as registry metadata with
`update_audited` (the minutes' own services refuse approved minutes).
Idempotent: a record that has a number keeps it; the secret document is
added once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope

from demo.management.commands._demo.meeting_documents import simple_pdf
from governance.models import Decision, Meeting, MeetingDocument, MeetingStatus
from governance.services import meeting_documents
from portal.models import Tenant
from portal.services import update_audited


@dataclass(frozen=True)
class Registry:
    slug: str
    prefix: str  # the registry's series, e.g. "RS" (Region Sörmland)


REGISTRIES = (Registry("sormland", "RS"), Registry("kronoberg", "RK"))

CONFIDENTIAL_TITLE = "Underlag om ett enskilt ärende"
OSL_PROVISION = "OSL 26 kap. 1 §"


def seed_records() -> None:
    for registry in REGISTRIES:
        tenant = Tenant.objects.filter(slug=registry.slug).first()
        if tenant is None:
            continue
        with scope(tenant=tenant):
            _number(tenant, registry.prefix)
            if registry.slug == "sormland":
                _secret_document(tenant)


def _number(tenant: Tenant, prefix: str) -> None:
    meetings = Meeting.objects.filter(
        tenant=tenant, body__code="SG", archived_at__isnull=True
    ).order_by("starts_at", "pk")
    for index, meeting in enumerate(meetings, start=1):
        if not meeting.diary_number:
            year = timezone.localdate(meeting.starts_at).year
            update_audited(
                meeting,
                actor=None,
                tenant=tenant,
                fields={"diary_number": f"{prefix} {year}/{100 + index}"},
            )
    decisions = Decision.objects.filter(tenant=tenant, meeting__in=meetings).order_by(
        "year", "number", "pk"
    )
    for decision in decisions.select_related("body"):
        if not decision.diary_number:
            update_audited(
                decision,
                actor=None,
                tenant=tenant,
                fields={"diary_number": f"{prefix} {decision.year}/{500 + decision.number}"},
            )


def _secret_document(tenant: Tenant) -> None:
    """On the steering group's next meeting whose documents are all shared
    (so sharing this one shares nothing the demo keeps with the process
    leaders): the secret document, shared."""
    if MeetingDocument.objects.filter(tenant=tenant, secret=True).exists():
        return
    upcoming = Meeting.objects.filter(
        tenant=tenant,
        body__code="SG",
        archived_at__isnull=True,
        status=MeetingStatus.PLANNED,
        starts_at__gte=timezone.now(),
    ).order_by("starts_at")
    meeting = next(
        (
            m
            for m in upcoming
            if not m.documents.filter(archived_at__isnull=True, shared_at__isnull=True).exists()
        ),
        None,
    )
    if meeting is None:
        return
    pages = (
        (
            CONFIDENTIAL_TITLE,
            "Sammanställning inför styrgruppens samråd om ett enskilt barns situation.",
            "Uppgifterna omfattas av sekretess enligt 26 kap. 1 § OSL.",
        ),
    )
    meeting_documents.document_add(
        actor=None,
        meeting=meeting,
        upload=SimpleUploadedFile(
            "underlag-enskilt-arende.pdf", simple_pdf(pages), "application/pdf"
        ),
        title=CONFIDENTIAL_TITLE,
        diary_number=f"RS {timezone.localdate(meeting.starts_at).year}/777",
        secret=True,
        secrecy_reference=OSL_PROVISION,
    )
    meeting_documents.documents_share(actor=None, meeting=meeting)
