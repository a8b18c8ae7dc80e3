"""The check of "Kontrollera ett dokument": is an uploaded PDF an unaltered copy of a
document the portal sealed, and of which one?

The seals are read from the file's bytes (portal/documents/seals.py); each seal's
identity is looked up among the programme's sealed files (`GeneratedFile`,
`seal_signature`). A match names the document, as its kind describes what
the file held (minutes: the meeting and the approved version); the copy is
unaltered when it is byte for byte the file the portal sealed and pyHanko's
validator finds the seal intact, made with the certificate recorded, and
covering the whole file. Anything else that carries a seal of the same
match is a changed copy.

Only this programme's files are looked in. A copy of another programme's
document gets the same answer as a changed one beyond recognition — "the
portal's seal, but not an unaltered copy of a document of this programme" —
so the page reveals nothing of another programme. Nothing is written: a
check is a read.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.documents.registry import PdfDocument, SealedState, get_kind
from portal.models import GeneratedFile, GeneratedFileStatus, Membership, Tenant


class Unreadable(ValueError):
    """Not a PDF the check can read (not a PDF, encrypted, damaged beyond
    reading); the message says which, for the user."""


class Outcome(enum.StrEnum):
    UNALTERED = "unaltered"  # an unaltered copy of a document of this programme
    CHANGED = "changed"  # a document of this programme, changed after it was sealed
    FOREIGN = "foreign"  # the portal's seal, not on an unaltered copy of ours
    NOT_OURS = "not_ours"  # signed, but not with the portal's seal
    UNSEALED = "unsealed"  # no seal at all


@dataclass(frozen=True)
class Sealed:
    """The document a sealed copy was made from, as the member may see it."""

    kind_label: str
    title: str
    url: str
    state: SealedState | None
    sealed_at: datetime.datetime | None


HEADLINES = {
    Outcome.UNALTERED: _("An unaltered copy"),
    Outcome.CHANGED: _("The file has been changed"),
    Outcome.FOREIGN: _("Not a document of this programme"),
    Outcome.NOT_OURS: _("Not sealed by the portal"),
    Outcome.UNSEALED: _("No seal"),
}


@dataclass(frozen=True)
class CheckResult:
    outcome: Outcome
    checksum: str  # SHA-256 of the uploaded file
    document: Sealed | None = None  # UNALTERED and CHANGED, when the member may see it

    @property
    def headline(self) -> str:
        return str(HEADLINES[self.outcome])


def _sealed_files(tenant: Tenant) -> QuerySet[GeneratedFile]:
    return GeneratedFile.objects.filter(tenant=tenant, status=GeneratedFileStatus.DONE).exclude(
        seal_signature=""
    )


def check_document(*, tenant: Tenant, membership: Membership | None, data: bytes) -> CheckResult:
    """What `data` is (see the module's docstring). `Unreadable` for a
    file that is not a PDF the check can read (its message is for the user)."""
    from portal.documents import seals  # pyHanko is slow to import: the check page only

    checksum = hashlib.sha256(data).hexdigest()
    try:
        found = seals.read_seals(data)
    except seals.Unreadable as error:
        raise Unreadable(str(error)) from None
    if not found:
        return CheckResult(Outcome.UNSEALED, checksum)
    record = (
        _sealed_files(tenant)
        .filter(seal_signature__in={seal.signature for seal in found})
        .order_by("-finished_at", "-id")
        .first()
    )
    if record is not None:
        unaltered = (
            record.checksum == checksum
            and record.finished_at is not None
            and seals.verify(
                data,
                signature=record.seal_signature,
                certificate=record.seal_certificate,
                moment=record.finished_at,
            )
        )
        return CheckResult(
            Outcome.UNALTERED if unaltered else Outcome.CHANGED,
            checksum,
            _describe(record, tenant=tenant, membership=membership),
        )
    ours = set(_sealed_files(tenant).values_list("seal_certificate", flat=True).distinct())
    current = seals.installation_key(create=False)
    if current is not None:
        ours.add(current.fingerprint)
    if any(seal.certificate in ours for seal in found):
        return CheckResult(Outcome.FOREIGN, checksum)
    return CheckResult(Outcome.NOT_OURS, checksum)


def _describe(
    record: GeneratedFile, *, tenant: Tenant, membership: Membership | None
) -> Sealed | None:
    """The sealed file's document, if it is still in the portal and the member
    may read what the file holds (as the download of it would require)."""
    try:
        kind = get_kind(record.kind)
    except LookupError:
        return None
    obj = kind.load(tenant, record.object_id)
    if obj is None or not kind.may_download(membership, obj, record.audience):
        return None
    state = (
        kind.describe_seal(obj, record.seal_reference)
        if isinstance(kind, PdfDocument) and kind.describe_seal
        else None
    )
    return Sealed(
        kind_label=str(kind.label),
        title=kind.title(obj),
        url=kind.url(obj) if kind.url is not None else "",
        state=state,
        sealed_at=record.finished_at,
    )
