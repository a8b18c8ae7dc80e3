"""Research: the accompanying researchers' exports, their personal API tokens,
the programme's pseudonymisation key, and the register of research
sub-reports (följeforskningens delrapporter).

Research reads governance and implementation; neither of them imports research.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Archivable, TenantOwned


class PseudonymKey(TenantOwned):
    """The programme's secret for pseudonyms (HMAC-SHA256 over a person's id).

    Created on first use and never exported, shown or logged: without it a
    pseudonym cannot be traced back to a person, and with it the same person
    gets the same pseudonym in every export of the programme."""

    secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="pseudonymkey_one_per_programme"),
        ]

    def __str__(self) -> str:
        return f"Pseudonym key of programme {self.tenant_id}"


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (one file per table, zipped)")
    XLSX = "xlsx", _("Excel (one sheet per table)")
    DATA_PACKAGE = "datapackage", _("Frictionless data package")
    CSV_STREAM = "csv_stream", _("CSV of one table, downloaded directly")


class DataExport(TenantOwned):
    """One export a researcher asked for: what (datasets, period, options), by
    whom and when, and the manifest of what was delivered (row counts and
    checksums). The file of a zipped export is a `GeneratedFile` rendered by a
    worker; a streamed CSV gets its manifest when the stream has ended."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    format = models.CharField(_("format"), max_length=20, choices=ExportFormat.choices)
    datasets = models.JSONField(_("datasets"))
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    include_free_text = models.BooleanField(_("free-text fields included"), default=False)
    manifest = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="dataexport_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(TenantOwned):
    """A researcher's personal token for the read-only API of one programme.

    Only the SHA-256 of the token is stored; the token itself is shown once,
    when it is created. `prefix` (its first characters) tells tokens apart on
    the page. Revoking is for good: a revoked token is never accepted again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="research_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ResearchReport(TenantOwned, Archivable):
    """A sub-report (delrapport) of the accompanying research: a register
    entry with a title, a date, a summary and where to read it."""

    title = models.CharField(_("title"), max_length=300)
    published_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("link to the report"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")

    def __str__(self) -> str:
        return self.title
