"""Writes of the research app: asking for exports, API tokens, research
reports. Each is atomic and audited; refusals are `DomainError`s whose message
can be shown to the researcher."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.documents.requests import request_document
from portal.models import GeneratedFile, Membership, Tenant, User
from portal.permissions import check
from portal.services import DomainError, create_audited, set_archived, update_audited
from research import datasets as ds
from research.documents import RESEARCH_EXPORT
from research.models import ApiToken, DataExport, ExportFormat, ResearchReport

ZIPPED_FORMATS = (ExportFormat.CSV, ExportFormat.XLSX, ExportFormat.DATA_PACKAGE)
TOKEN_PREFIX = "svp_"  # noqa: S105 (what every token starts with, not a secret)
MAX_ACTIVE_TOKENS = 5


def _options(export: DataExport) -> dict[str, Any]:
    """What the audit log records of an export: which datasets, which options."""
    return {
        "export_id": export.pk,
        "format": export.format,
        "datasets": list(export.datasets),
        "period_start": export.period_start.isoformat() if export.period_start else None,
        "period_end": export.period_end.isoformat() if export.period_end else None,
        "include_free_text": export.include_free_text,
    }


def _new_export(
    *,
    actor: User,
    membership: Membership,
    tenant: Tenant,
    format: str,
    dataset_keys: Sequence[str],
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    include_free_text: bool,
    action: str,
) -> DataExport:
    check(membership, "research.export")
    unknown = sorted(set(dataset_keys) - set(ds.DATASETS))
    if not dataset_keys or unknown:
        raise DomainError(_("Choose at least one of the datasets."))
    if period_start and period_end and period_end < period_start:
        raise DomainError(_("The period cannot end before it starts."))
    export = DataExport(
        tenant=tenant,
        requested_by=actor,
        format=format,
        datasets=[d.key for d in ds.ordered(dataset_keys)],
        period_start=period_start,
        period_end=period_end,
        include_free_text=include_free_text,
    )
    export.full_clean()
    export.save()
    audit.log(actor=actor, tenant=tenant, action=action, obj=export, after=_options(export))
    return export


@transaction.atomic
def export_request(
    *,
    actor: User,
    membership: Membership,
    tenant: Tenant,
    format: str,
    dataset_keys: Sequence[str],
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    include_free_text: bool = False,
) -> tuple[DataExport, GeneratedFile]:
    """Record and audit an export, and queue the worker that builds its zip."""
    if format not in ZIPPED_FORMATS:
        raise DomainError(_("Choose one of the formats."))
    export = _new_export(
        actor=actor,
        membership=membership,
        tenant=tenant,
        format=format,
        dataset_keys=dataset_keys,
        period_start=period_start,
        period_end=period_end,
        include_free_text=include_free_text,
        action="data_export.request",
    )
    job = request_document(
        actor=actor, membership=membership, tenant=tenant, kind=RESEARCH_EXPORT, obj=export
    )
    return export, job


@transaction.atomic
def stream_start(
    *,
    actor: User,
    membership: Membership,
    tenant: Tenant,
    dataset_key: str,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    include_free_text: bool = False,
) -> DataExport:
    """Record and audit a streamed CSV of one dataset, before its first row is sent."""
    return _new_export(
        actor=actor,
        membership=membership,
        tenant=tenant,
        format=ExportFormat.CSV_STREAM,
        dataset_keys=[dataset_key],
        period_start=period_start,
        period_end=period_end,
        include_free_text=include_free_text,
        action="data_export.stream",
    )


# API tokens ------------------------------------------------------------------------


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _token_snapshot(token: ApiToken) -> dict[str, Any] | None:
    return audit.snapshot(token, exclude=("key_hash",))


@transaction.atomic
def token_create(
    *, actor: User, membership: Membership, tenant: Tenant, name: str
) -> tuple[ApiToken, str]:
    """A new personal API token for this programme. Returns the token itself,
    to be shown once: only its hash is stored."""
    check(membership, "research.export")
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name, e.g. what it is used for."))
    active = ApiToken.objects.filter(tenant=tenant, user=actor, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(
            _("You have %(count)s active tokens. Revoke one you no longer use first.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        tenant=tenant, user=actor, name=name, prefix=raw[:12], key_hash=token_hash(raw)
    )
    token.full_clean()
    token.save()
    audit.log(
        actor=actor,
        tenant=tenant,
        action="api_token.create",
        obj=token,
        after=_token_snapshot(token),
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke for good; revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return token
    before = _token_snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.log(
        actor=actor,
        tenant=token.tenant,
        action="api_token.revoke",
        obj=token,
        before=before,
        after=_token_snapshot(token),
    )
    return token


def api_read(*, token: ApiToken, dataset: str, options: dict[str, Any]) -> None:
    """Record a read through the API (who, which dataset, which page and period)
    and when the token was last used."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    audit.log(
        actor=token.user,
        tenant=token.tenant,
        action="api_token.api.read",
        obj=token,
        after={"dataset": dataset, **options},
    )


# Research reports ------------------------------------------------------------------


def report_create(
    *,
    actor: User,
    membership: Membership,
    tenant: Tenant,
    title: str,
    published_on: datetime.date,
    summary: str = "",
    url: str = "",
) -> ResearchReport:
    check(membership, "research.manage_reports")
    report = ResearchReport(
        tenant=tenant,
        title=title,
        published_on=published_on,
        summary=summary,
        url=url,
        created_by=actor,
    )
    with transaction.atomic():
        return create_audited(report, actor=actor, tenant=tenant)


def report_update(
    *, actor: User, membership: Membership, report: ResearchReport, **fields: Any
) -> ResearchReport:
    check(membership, "research.manage_reports")
    with transaction.atomic():
        return update_audited(report, actor=actor, tenant=report.tenant, fields=fields)


def report_set_archived(
    *, actor: User, membership: Membership, report: ResearchReport, archived: bool
) -> ResearchReport:
    check(membership, "research.manage_reports")
    with transaction.atomic():
        return set_archived(report, actor=actor, tenant=report.tenant, archived=archived)
