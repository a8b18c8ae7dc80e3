"""The document registry: the files the portal can make, who may have them,
and how each one is made.

Portal imports none of the other apps, so each app registers its document
kinds in its `AppConfig.ready()`. A kind is one of two shapes on one small
base (`DocumentKind`: what it is of, and who may have it):

* `PdfDocument`, a PDF rendered from a template (minutes, status reports, the
  principal snapshot), or assembled by its own `build` (the meeting pack):

      from portal.documents import registry

      registry.register(registry.PdfDocument(
          key="minutes",
          label=_("Minutes"),
          model=Meeting,
          rule="governance.view_approved_minutes",   # a rule of portal/permissions.py
          check=may_read_minutes,                    # (membership, meeting) -> bool
          audience=minutes_audience,                 # meeting -> the rule its content needs
          load=load_meeting,                         # (tenant, pk) -> Meeting | None, in scope
          template="governance/pdf/minutes.html",
          context=minutes_context,                   # meeting -> template context
          filename=minutes_filename,                 # meeting -> "minnesanteckningar-….pdf"
          title=lambda meeting: meeting.display_title,
          url=meeting_url,                           # meeting -> the page it belongs to
      ))

* `ExportDocument`, any other file, made by `build(obj)` -> (bytes, file
  name): a research export's zip, with its `media_type` and the
  `status_template` that words its job's panel; or what reading a file of
  old minutes proposes (governance/imports), `long_running` (OCR takes
  minutes), whose `build` raises `jobs.Refused` for a file it cannot read.

(`hidden`, (membership, obj) -> bool, makes an object 404 rather than 403, as a
draft status report is to everyone but process leaders.)

A PDF kind whose files are sealed (portal/documents/seals.py: the approved
minutes) gives `seal`, (obj, context) -> Seal | None: from the context the PDF
was rendered with, whether to seal it, with the reason written into the seal
and a `reference` kept with the file (the minutes' version number); and
`describe_seal`, (obj, reference) -> SealedState | None, which the
"Kontrollera ett dokument" page uses to say what a sealed copy holds. The template extends
"portal/pdf/base.html" and is rendered in Swedish with the context's keys plus
`tenant`, `document_kind`, `document_title` and `generated_at`; a true `draft`
puts the “UTKAST” watermark on every page. Pages offer the document with
`{% include "portal/_generated_file.html" with document_kind="minutes"
document_object=meeting %}`.

A kind may also be given sections by other apps: the principal snapshot
(registered by portal itself, below) is assembled from the sections apps
contribute with `register_section("principal_snapshot", Section(...))` —
governance contributes the principal's open action items (order 40) and
attendance (50); the implementation app is to add the staircase history,
indicators against targets and appointments (orders 10–30). A section's
template gets its `context(principal)` as `data`, and the principal as `object`.

Who may do what with a kind's document:

* read it at all: the kind's `rule` and its object `check` (403 otherwise;
  `hidden` says when the object must look as if it did not exist: 404);
* request (render) it: that, and the rule its current content needs
  (`audience`: draft minutes need "governance.view_drafts");
* download a rendered file: read it, and pass the `audience` recorded on the
  file when it was rendered — so a draft's PDF stays for process leaders after
  the minutes are approved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.models import Membership, Principal, Tenant
from portal.permissions import RULES, can

Obj = Any  # the source object of a document: a Meeting, a StatusReport, a Principal, …


def _always(membership: Membership | None, obj: Obj) -> bool:
    return True


def _never(membership: Membership | None, obj: Obj) -> bool:
    return False


@dataclass(frozen=True)
class Seal:
    """How to seal a rendered PDF: `reason`, in the document's language, is
    written into the seal (PDF readers show it); `reference` is kept with the
    file, for the kind's `describe_seal`."""

    reason: str
    reference: str


@dataclass(frozen=True)
class SealedState:
    """What a sealed file holds, in words (e.g. "Version 2, approved 14 March
    2026"), and the page that shows it."""

    label: str
    url: str = ""


@dataclass(frozen=True, kw_only=True)
class DocumentKind:
    """What every kind has: what it is of, how its object is found, and who
    may have it. A kind is a `PdfDocument` or an `ExportDocument`."""

    key: str
    label: str | Promise
    model: type[models.Model]
    rule: str
    load: Callable[[Tenant, int], Obj | None]
    title: Callable[[Obj], str] = str
    url: Callable[[Obj], str] | None = None
    check: Callable[[Membership | None, Obj], bool] = _always
    hidden: Callable[[Membership | None, Obj], bool] = _never
    audience: Callable[[Obj], str] | None = None
    # What the file is, and the template (with a `status` partial) that words
    # its job's panel.
    media_type = "application/pdf"
    status_template = "portal/document_status.html"
    # A job that may take minutes (reading scanned pages by OCR) runs as the
    # long task, with its longer time limits (portal/documents/jobs.py).
    long_running: bool = False

    def audience_for(self, obj: Obj) -> str:
        """The rule a reader needs for the object's content as it is now."""
        return self.audience(obj) if self.audience is not None else self.rule

    def may_read(self, membership: Membership | None, obj: Obj) -> bool:
        return (
            can(membership, self.rule, obj)
            and not self.hidden(membership, obj)
            and self.check(membership, obj)
        )

    def may_request(self, membership: Membership | None, obj: Obj) -> bool:
        return self.may_read(membership, obj) and can(membership, self.audience_for(obj), obj)

    def may_download(self, membership: Membership | None, obj: Obj, audience: str) -> bool:
        """Whether the member may have a file rendered for `audience`."""
        return self.may_read(membership, obj) and can(membership, audience, obj)


@dataclass(frozen=True, kw_only=True)
class PdfDocument(DocumentKind):
    """A PDF rendered from `template` with `context(obj)`, in Swedish, and
    sealed when `seal` says so (see the module's docstring). `build`, if
    given, assembles the PDF itself (the meeting pack: its agenda page from
    the template, then the documents) and returns its bytes and file name."""

    template: str
    context: Callable[[Obj], Mapping[str, Any]]
    filename: Callable[[Obj], str]
    seal: Callable[[Obj, Mapping[str, Any]], Seal | None] | None = None
    describe_seal: Callable[[Obj, str], SealedState | None] | None = None
    build: Callable[[Obj], tuple[bytes, str]] | None = None


@dataclass(frozen=True, kw_only=True)
class ExportDocument(DocumentKind):
    """A file that is not a rendered PDF (a research export's zip): `build(obj)`
    returns its bytes and file name."""

    build: Callable[[Obj], tuple[bytes, str]]
    media_type: str = "application/zip"
    status_template: str = "portal/document_status.html"
    long_running: bool = False


@dataclass(frozen=True)
class Section:
    """A part of a composite document, contributed by an app.

    `context(obj)` returns the section's data; the section's `template` gets it
    as `data` (and the source object as `object`), inside the document's
    Swedish rendering. Sections are shown by `order`, lowest first.
    """

    key: str
    title: str | Promise
    template: str
    context: Callable[[Obj], Mapping[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: str | Promise
    template: str
    data: Mapping[str, Any] = field(default_factory=dict)


_KINDS: dict[str, DocumentKind] = {}
_SECTIONS: dict[str, list[Section]] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Add a document kind. Called from an app's `ready()`."""
    if not isinstance(kind, PdfDocument | ExportDocument):
        raise ImproperlyConfigured(f"Document kind {kind.key!r} is neither a PDF nor an export.")
    if kind.key in _KINDS and _KINDS[kind.key] != kind:
        raise ImproperlyConfigured(f"Document kind {kind.key!r} is registered twice.")
    if kind.rule not in RULES:
        raise ImproperlyConfigured(f"Document kind {kind.key!r}: unknown rule {kind.rule!r}.")
    _KINDS[kind.key] = kind
    return kind


def register_section(kind_key: str, section: Section) -> None:
    """Contribute a section to a composite document (e.g. the principal snapshot)."""
    sections = _SECTIONS.setdefault(kind_key, [])
    if any(s.key == section.key for s in sections):
        sections[:] = [s for s in sections if s.key != section.key]
    sections.append(section)
    sections.sort(key=lambda s: (s.order, s.key))


def get_kind(key: str) -> DocumentKind:
    """The registered kind; `LookupError` for an unknown key (a 404 in views)."""
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown document kind {key!r}") from None


def kinds() -> list[DocumentKind]:
    return list(_KINDS.values())


def sections_for(kind_key: str) -> list[Section]:
    return list(_SECTIONS.get(kind_key, []))


def render_sections(kind_key: str, obj: Obj) -> list[RenderedSection]:
    """Every contributed section of `kind_key` with its data for `obj`."""
    return [
        RenderedSection(key=s.key, title=s.title, template=s.template, data=s.context(obj))
        for s in sections_for(kind_key)
    ]


# The principal snapshot: portal's own document, filled by the apps' sections --


def _load_principal(tenant: Tenant, pk: int) -> Principal | None:
    return Principal.objects.filter(tenant=tenant, pk=pk).first()


def _snapshot_context(principal: Principal) -> dict[str, Any]:
    return {
        "principal": principal,
        "operations": list(principal.operations.filter(archived_at__isnull=True).order_by("name")),
        "sections": render_sections("principal_snapshot", principal),
    }


def _snapshot_filename(principal: Principal) -> str:
    return f"lagesbild-{slugify(principal.name) or principal.pk}.pdf"


PRINCIPAL_SNAPSHOT = PdfDocument(
    key="principal_snapshot",
    label=_("Principal snapshot"),
    model=Principal,
    # The snapshot gathers governance registers (open action items) that
    # principal reporters may not read, so it is for the roles that read them.
    rule="portal.view_principal_snapshot",
    load=_load_principal,
    template="portal/pdf/principal_snapshot.html",
    context=_snapshot_context,
    filename=_snapshot_filename,
    title=lambda principal: principal.name,
    url=lambda principal: reverse(
        "portal:principal_detail", args=[principal.tenant.slug, principal.pk]
    ),
)


def register_portal_documents() -> None:
    register(PRINCIPAL_SNAPSHOT)
