"""The registrar's page (registrering): the diary numbers (diarienummer) of a
meeting, its decisions and its documents, and the secrecy (sekretess, with
the provision of the secrecy act, OSL) of its documents and agenda items,
set after the fact — also once the minutes are approved (justerade) and
locked.

These are the registry's facts about the records, not the minutes' content:
`registry_save` writes only these fields, never the minutes' text or their
approved versions (`MinutesVersion`), which are redacted when shown from
the flags as they are now (`governance.selectors.secrecy`). While a
revision of approved minutes is open, its draft rows are given the same
values, so approving the revision does not write the old ones back.

One transaction, the rows locked (`select_for_update`). The page is one
form, guarded by the meeting's own lock (`Meeting.version`, which the
meeting's edit form, also showing its diary number, checks too): a save
that changes anything moves it on, so a page opened before is refused; so
is a record changed meanwhile by its own form (its `version`), and a secret
one without its provision. Nothing is written then. Each record changed
gets one audit event (`<noun>.registry.update`, before and after). The
saves change the programme's data version (the model signals of
`portal.dashboards.cache`), so the public site and the dashboards show the
change at once; PDFs are rendered with the flags of the moment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from governance.models import AgendaItem, Decision, Meeting, MeetingDocument, Secrecy
from portal import audit
from portal.models import User
from portal.services import ConflictError, DomainError, claim_version

MEETING = "meeting"
DECISION = "decision"
DOCUMENT = "document"
ITEM = "item"

# The registry's fields of each kind of record: nothing else is written here.
FIELDS: dict[str, tuple[str, ...]] = {
    MEETING: ("diary_number",),
    DECISION: ("diary_number",),
    DOCUMENT: ("diary_number", "secret", "secrecy_reference"),
    ITEM: ("secret", "secrecy_reference"),
}


@dataclass(frozen=True)
class Entry:
    """A decision, document or agenda item as the user wants its registry
    fields (`wanted`), based on the `version` of it the page showed."""

    pk: int
    wanted: dict[str, Any]
    expected_version: int


class RegistryRefused(DomainError):
    """A record's change was refused (`error`: a `ConflictError` or a
    `ValidationError`); nothing was written. `kind` and `pk` say which record,
    so the page shows the refusal at its row."""

    def __init__(self, kind: str, pk: int, error: DomainError | ValidationError) -> None:
        super().__init__(str(error.messages[0]) if isinstance(error, ValidationError) else error)
        self.kind = kind
        self.pk = pk
        self.error = error


def _stale() -> str:
    return _(
        "Someone else changed this record's registry details while you were editing. "
        "Nothing from your form has been saved. What they saved is shown at each field "
        "where it differs from your form, and your own input is kept: check it and save again."
    )


def _normalized(kind: str, wanted: dict[str, Any]) -> dict[str, Any]:
    values = {name: wanted[name] for name in FIELDS[kind] if name in wanted}
    if "diary_number" in values:
        values["diary_number"] = (values["diary_number"] or "").strip()
    if "secret" in values:
        values["secret"] = bool(values["secret"])
        reference = (values.get("secrecy_reference") or "").strip()
        values["secrecy_reference"] = reference if values["secret"] else ""
    return values


def _validate(obj: models.Model, kind: str) -> None:
    """The registry's fields only: the rest of an approved record is not
    this page's to judge."""
    names = set(FIELDS[kind])
    obj.clean_fields(exclude=[f.name for f in obj._meta.concrete_fields if f.name not in names])
    if isinstance(obj, Secrecy):
        obj.clean_secrecy()


def _write(
    obj: models.Model,
    *,
    kind: str,
    values: dict[str, Any],
    actor: User,
    expected_version: int | None,
) -> bool:
    """Set and save the changed registry fields of a locked row; audit them.
    Returns whether anything changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return False
    before = {name: getattr(obj, name) for name in FIELDS[kind]}
    for name in changed:
        setattr(obj, name, values[name])
    try:
        _validate(obj, kind)
    except ValidationError as error:
        raise RegistryRefused(kind, obj.pk, error) from error
    if kind != MEETING:  # the meeting's is claimed once, for the whole page
        # Checked under the lock, so it holds; the row's forms opened before are stale.
        claim_version(obj, expected_version)
    obj.save(update_fields=changed)
    if isinstance(obj, AgendaItem | Decision):
        # A revision's draft of the row would write the old values back.
        type(obj)._base_manager.filter(draft_of=obj.pk, revision_draft=True).update(
            **{name: values[name] for name in changed}
        )
    audit.log(
        actor=actor,
        tenant=obj.tenant,  # type: ignore[attr-defined]
        action=(
            "meeting.registry.update"
            if kind == MEETING
            else "decision.registry.update"
            if kind == DECISION
            else "meeting_document.registry.update"
            if kind == DOCUMENT
            else "agenda_item.registry.update"
        ),
        obj=obj,
        before=before,
        after={name: getattr(obj, name) for name in FIELDS[kind]},
    )
    return True


def _rows(kind: str, meeting: Meeting) -> models.QuerySet[Any]:
    """The meeting's records of `kind` this page keeps: the approved rows
    (a revision's drafts follow them), not those taken off the meeting."""
    if kind == DECISION:
        return Decision.objects.filter(meeting=meeting)
    if kind == DOCUMENT:
        return MeetingDocument.objects.filter(meeting=meeting, archived_at__isnull=True)
    return AgendaItem.objects.filter(meeting=meeting, archived_at__isnull=True)


@transaction.atomic
def registry_save(
    *,
    actor: User,
    meeting: Meeting,
    expected_version: int,
    diary_number: str | None = None,
    decisions: Sequence[Entry] = (),
    documents: Sequence[Entry] = (),
    items: Sequence[Entry] = (),
) -> int:
    """Write the meeting's diary number (when given) and the registry fields
    of the given decisions, documents and agenda items (see the module's
    doc). `expected_version` is the meeting's version the page was shown at:
    the page is one form, so a registry change made meanwhile refuses it;
    a save that changes anything moves the meeting's version on. Returns how
    many records changed. Raises `RegistryRefused` (nothing written) for a
    page or record changed meanwhile, a record no longer the meeting's, or
    invalid values."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if diary_number is None and not (decisions or documents or items):
        return 0
    if locked.version != expected_version:
        raise RegistryRefused(
            MEETING, locked.pk, ConflictError(_stale(), version=locked.version, saved=locked)
        )
    count = 0
    if diary_number is not None:
        count += _write(
            locked,
            kind=MEETING,
            values=_normalized(MEETING, {"diary_number": diary_number}),
            actor=actor,
            expected_version=None,
        )
    for kind, entries in ((DECISION, decisions), (DOCUMENT, documents), (ITEM, items)):
        if not entries:
            continue
        rows = {
            row.pk: row
            for row in _rows(kind, locked)
            .select_for_update()
            .filter(pk__in=[entry.pk for entry in entries])
        }
        for entry in entries:
            row = rows.get(entry.pk)
            if row is None:
                raise RegistryRefused(
                    kind,
                    entry.pk,
                    DomainError(_("It is no longer part of the meeting. Reload the page.")),
                )
            if row.version != entry.expected_version:
                raise RegistryRefused(
                    kind,
                    entry.pk,
                    ConflictError(_stale(), version=row.version, saved=row),
                )
            count += _write(
                row,
                kind=kind,
                values=_normalized(kind, entry.wanted),
                actor=actor,
                expected_version=entry.expected_version,
            )
    if count:
        # Every page opened before is stale, whichever of its rows changed.
        claim_version(locked, expected_version)
    return count
