"""Importing old minutes (issue 14): upload, review, confirm, undo.

A process leader uploads a file of old minutes, or a .zip of many
(`import_upload`). Each file is kept as it came (`ImportedFile.original`) and
read by a background job in the document machinery (`governance.documents`,
kind "minutes_reading": status, progress, retry, sweeper), which proposes the
meeting it records (`governance.imports`). Nothing reaches the programme
until the process leader has reviewed the proposal (`import_review_save`:
each element edited, kept or dropped; each person linked to the directory or
created; the body linked or created) and confirmed it (`import_confirm`).
Confirming writes everything in one transaction through the ordinary
services, so every row is audited as if typed in: the meeting, marked
"importerad", its attendance, agenda items, decisions, assignments and
risks, the original file as its source document, and its minutes approved
in the original ("justerade i original": locked, version 1). An original
in which personnummer were found (and masked in the proposal) is not
shared with the meeting: it stays with the import, for process leaders.
While nobody
has changed any of it, the process leader can undo it (`import_undo`): what
it wrote is archived, never deleted.

The review is kept on the file as the documented proposal shape
(`Proposal.as_json`) with the review's choices added: `keep` on every
element, `person` ("new" or a person's id) on every attendee, `body_id` (or
None: create `body`), and `likelihood`/`consequence` on every risk.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process, utils

from governance.imports import READING_KIND
from governance.imports.directory import vocabulary_for
from governance.imports.proposal import ABSENT, GUEST, MINUTES, PRESENT, SUBSTITUTE
from governance.imports.reading import read_file
from governance.imports.sources import UnreadableFile, unpack
from governance.imports.words import recognised_share
from governance.models import (
    ActionItem,
    AgendaItemKind,
    Attendance,
    Body,
    BodyKind,
    Decision,
    ImportedFile,
    ImportState,
    Meeting,
    MeetingDocument,
    MinutesImport,
    RecordType,
    Risk,
    RiskCategory,
)
from governance.services.actions import action_create
from governance.services.bodies import body_create
from governance.services.decisions import decision_create
from governance.services.meeting_documents import document_add_source
from governance.services.meetings import agenda_item_add, attendance_set, meeting_create
from governance.services.minutes import minutes_record_approved_in_original
from governance.services.risks import risk_create
from portal import audit
from portal.models import AuditEvent, Membership, Person, Tenant, User
from portal.services import DomainError, claim_version, person_create, set_archived
from portal.uploads import UPLOAD_TYPES, max_upload_bytes

# What the import reads, and how each binary kind of file must begin.
IMPORT_SUFFIXES = ("txt", "md", "docx", "odt", "pdf", "png", "jpg", "jpeg", "zip")
_SIGNATURES = {
    **{ext: sigs for ext, (_type, sigs) in UPLOAD_TYPES.items()},
    "zip": (b"PK\x03\x04",),
}
CONTENT_TYPES = {
    **{ext: content_type for ext, (content_type, _sigs) in UPLOAD_TYPES.items()},
    "txt": "text/plain",
    "md": "text/markdown",
    "zip": "application/zip",
}
# A person's name in the proposal matched to another's (an owner, a
# substitute's "ersätter X") at this rapidfuzz score or more.
SAME_PERSON_AT = 85.0
EVERYONE = re.compile(r"^(alla|samtliga|var(je|t)|respektive)\b", re.IGNORECASE)
STATUSES = {
    PRESENT: "narvarande",
    ABSENT: "franvarande",
    SUBSTITUTE: "ersatter",
    GUEST: "ovrig",
}


# Uploading -----------------------------------------------------------------------


def check_import_upload(upload: UploadedFile) -> tuple[str, bytes]:
    """(safe file name, content) of a file the import accepts, or a
    ValidationError on "file": by its extension and first bytes, and size."""
    name = Path((upload.name or "").replace("\\", "/")).name.strip()[-200:]
    extension = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if extension not in IMPORT_SUFFIXES:
        raise ValidationError(
            {
                "file": _(
                    "Upload minutes as Word (.docx), OpenDocument (.odt), PDF, a scanned "
                    "image (.png, .jpg), text (.txt, .md), or a .zip of such files."
                )
            }
        )
    size = upload.size or 0
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: at most %(mb)s MB.")
                % {"mb": round(limit / (1024 * 1024), 1)}
            }
        )
    content = upload.read()
    signatures = _SIGNATURES.get(extension)
    if signatures and not content.startswith(signatures):
        raise ValidationError(
            {
                "file": _("The file's content is not what its name says (.%(ext)s).")
                % {"ext": extension}
            }
        )
    if signatures is None and b"\x00" in content[:8192]:
        raise ValidationError({"file": _("The file is not text.")})
    return name, content


def content_type_of(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    return CONTENT_TYPES.get(extension, "application/octet-stream")


@transaction.atomic
def import_upload(
    *,
    actor: User | None,
    membership: Membership | None,
    tenant: Tenant,
    upload: UploadedFile,
    body: Body | None = None,
) -> MinutesImport:
    """Keep the uploaded file (each file of a .zip) and queue reading each.
    A .zip that is refused as a whole (a zip bomb, a zip in the zip) is a
    ValidationError; a file inside it that cannot be read fails its own job,
    with the reason."""
    name, content = check_import_upload(upload)
    try:
        files = unpack(name, content)
    except UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from error
    if not files:
        raise ValidationError({"file": _("The archive holds no files to import.")})
    minutes_import = MinutesImport(tenant=tenant, name=name, body=body, uploaded_by=actor)
    minutes_import.save()
    kept = [
        _keep_file(minutes_import, position, inner_name, inner)
        for position, (inner_name, inner) in enumerate(files, start=1)
    ]
    audit.log(
        actor=actor,
        tenant=tenant,
        action="minutes_import.upload",
        obj=minutes_import,
        after={**(audit.snapshot(minutes_import) or {}), "files": [f.original_name for f in kept]},
    )
    if membership is not None and actor is not None:
        from portal.documents.registry import get_kind
        from portal.documents.requests import request_document

        kind = get_kind(READING_KIND)
        for imported in kept:
            request_document(
                actor=actor, membership=membership, tenant=tenant, kind=kind, obj=imported
            )
    return minutes_import


def _keep_file(
    minutes_import: MinutesImport, position: int, name: str, content: bytes
) -> ImportedFile:
    shown = name.split("/", 1)[-1] if "/" in name else name
    imported = ImportedFile(
        tenant_id=minutes_import.tenant_id,
        upload=minutes_import,
        position=position,
        original_name=shown[-255:],
        size=len(content),
    )
    imported.original.save(Path(shown).name or "minutes", ContentFile(content), save=False)
    imported.save()
    return imported


# Reading (the background job's work) ----------------------------------------------


def read_imported_file(imported: ImportedFile) -> dict[str, Any]:
    """What reading the file proposes, with the review's defaults: the
    documented shape plus `keep`, `person`, `body_id`. `UnreadableFile` when
    it cannot be read."""
    with imported.original.open("rb") as handle:
        content = handle.read()
    default_body = imported.upload.body
    vocabulary = vocabulary_for(imported.tenant)
    proposal = read_file(
        imported.tenant,
        imported.original_name,
        content,
        body=default_body.name if default_body else None,
        vocabulary=vocabulary,
    )
    shown = proposal.as_json()
    # The original holds what was masked: it stays with the import, for the
    # process leaders, and is not shared as the meeting's source document.
    shown["identity_numbers"] = proposal.identity_numbers
    for attendee, read in zip(shown["attendance"], proposal.attendance, strict=True):
        attendee["source"] = read.source
    for item in shown["items"]:
        item["source"] = item["text"]
        # The confidence of what was read: how much of it reads as Swedish.
        item["confidence"] = recognised_share(f"{item['title']} {item['text']}", vocabulary)
        for element in [*item["decisions"], *item["actions"]]:
            element["confidence"] = recognised_share(element["text"], vocabulary)
    return with_review_defaults(shown, imported.tenant, default_body)


def with_review_defaults(
    proposal: dict[str, Any], tenant: Tenant, default_body: Body | None = None
) -> dict[str, Any]:
    """The review's starting point: every element kept, each person linked
    to the directory match or new, the body matched by name."""
    for attendee in proposal["attendance"]:
        attendee["keep"] = True
        attendee["person"] = str(attendee["person_id"]) if attendee.get("person_id") else "new"
    for item in proposal["items"]:
        item["keep"] = True
        for element in [*item["decisions"], *item["actions"]]:
            element["keep"] = True
    report = proposal.get("status_report") or {}
    for risk in report.get("risks", []):
        risk.update(keep=True, likelihood=2, consequence=2)
    proposal["body_id"] = default_body.pk if default_body else _match_body(proposal, tenant)
    return proposal


def _match_body(proposal: dict[str, Any], tenant: Tenant) -> int | None:
    named = proposal.get("body")
    if not named:
        return None
    bodies = dict(
        Body.objects.filter(tenant=tenant, archived_at__isnull=True).values_list("pk", "name")
    )
    found = process.extractOne(named, bodies, scorer=fuzz.WRatio, processor=utils.default_process)
    return int(found[2]) if found and found[1] >= SAME_PERSON_AT else None


def proposal_of(imported: ImportedFile) -> dict[str, Any] | None:
    """The proposal under review: as the process leader last saved it, else
    as the job read it; None while it is being read (or could not be)."""
    if imported.proposal is not None:
        return imported.proposal
    from portal.models import GeneratedFile, GeneratedFileStatus

    job = (
        GeneratedFile.objects.filter(
            tenant_id=imported.tenant_id,
            kind=READING_KIND,
            object_id=imported.pk,
            status=GeneratedFileStatus.DONE,
        )
        .order_by("-finished_at", "-id")
        .first()
    )
    if job is None or not job.file:
        return None
    try:
        with job.file.open("rb") as handle:
            return json.loads(handle.read())
    except (OSError, ValueError):
        return None


# Reviewing --------------------------------------------------------------------------


def _ensure_in_review(imported: ImportedFile) -> None:
    if imported.state != ImportState.REVIEW:
        raise DomainError(
            _("This file is %(state)s; its proposal can no longer be changed.")
            % {"state": imported.get_state_display().lower()}
        )


@transaction.atomic
def import_review_save(
    *,
    actor: User | None,
    imported: ImportedFile,
    proposal: dict[str, Any],
    expected_version: int | None,
) -> ImportedFile:
    """Keep the process leader's review of the proposal (refused if someone
    else saved the review since the form was opened)."""
    imported = ImportedFile.objects.select_for_update().get(pk=imported.pk)
    _ensure_in_review(imported)
    claim_version(imported, expected_version)
    before = imported.proposal
    imported.proposal = proposal
    imported.save(update_fields=["proposal"])
    audit.log(
        actor=actor,
        tenant=imported.tenant,
        action="imported_file.review",
        obj=imported,
        before={"proposal": before},
        after={"proposal": proposal},
    )
    return imported


@transaction.atomic
def import_skip(*, actor: User | None, imported: ImportedFile) -> ImportedFile:
    """Leave a file of the upload out (not minutes, or already in the portal)."""
    imported = ImportedFile.objects.select_for_update().get(pk=imported.pk)
    _ensure_in_review(imported)
    before = _set_state(imported, state=ImportState.SKIPPED)
    audit.log(
        actor=actor,
        tenant=imported.tenant,
        action="imported_file.skip",
        obj=imported,
        before=before,
        after=audit.snapshot(imported, exclude=("proposal",)),
    )
    return imported


def _set_state(imported: ImportedFile, *, state: str) -> dict[str, Any] | None:
    """Move the file to `state` (with what the caller set on it); returns its
    snapshot before, for the caller's audit event."""
    before = audit.snapshot(ImportedFile.objects.get(pk=imported.pk), exclude=("proposal",))
    imported.state = state
    imported.version += 1
    imported.save(
        update_fields=[
            "state",
            "version",
            "confirmed_at",
            "confirmed_by",
            "meeting",
            "written",
            "undone_at",
        ]
    )
    return before


# Confirming -------------------------------------------------------------------------


def _date(value: Any, label: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("%(label)s is not a date (YYYY-MM-DD).") % {"label": label}) from None


def _time(value: Any) -> datetime.time | None:
    if not value:
        return None
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("A time is not HH:MM.")) from None


def _moment(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


class _People:
    """The people of one confirmation: the attendees as linked or created,
    and the directory, to find an owner or a replaced member by name."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.by_name: dict[str, Person] = {}
        self._directory: dict[int, str] | None = None

    def add(self, name: str, person: Person) -> None:
        self.by_name[name] = person

    def find(self, name: str) -> Person | None:
        name = name.strip()
        if not name:
            return None
        if name in self.by_name:
            return self.by_name[name]
        found = process.extractOne(
            name, list(self.by_name), scorer=fuzz.WRatio, processor=utils.default_process
        )
        if found and found[1] >= SAME_PERSON_AT:
            return self.by_name[found[0]]
        if self._directory is None:
            self._directory = dict(
                Person.objects.filter(tenant=self.tenant, archived_at__isnull=True).values_list(
                    "pk", "name"
                )
            )
        match = process.extractOne(
            name, self._directory, scorer=fuzz.WRatio, processor=utils.default_process
        )
        if match and match[1] >= SAME_PERSON_AT:
            return Person.objects.filter(tenant=self.tenant, pk=match[2]).first()
        return None


@transaction.atomic
def import_confirm(
    *, actor: User | None, imported: ImportedFile, expected_version: int | None = None
) -> Meeting:
    """Write the reviewed proposal to the programme, all of it or nothing."""
    imported = ImportedFile.objects.select_for_update().select_related("upload").get(pk=imported.pk)
    _ensure_in_review(imported)
    claim_version(imported, expected_version)
    proposal = proposal_of(imported)
    if proposal is None:
        raise DomainError(_("The file has not been read yet."))
    tenant = imported.tenant
    written: dict[str, list[int]] = {}

    def wrote(kind: str, pk: int) -> None:
        written.setdefault(kind, []).append(pk)

    day = _date(proposal.get("date"), _("The meeting's date"))
    if day is None:
        raise DomainError(_("Give the meeting's date before importing it."))
    start, end = _time(proposal.get("start")), _time(proposal.get("end"))
    body = _body(actor, tenant, proposal, wrote)

    people = _People(tenant)
    kept = [a for a in proposal["attendance"] if a.get("keep", True) and a["name"].strip()]
    for attendee in kept:
        people.add(attendee["name"], _person(actor, tenant, attendee, wrote))
    note_taker = people.find(proposal.get("recorded_by") or "")

    starts_at = _moment(day, start or datetime.time(0, 0))
    ends_at = _moment(day, end) if start and end and end > start else starts_at
    meeting = meeting_create(
        actor=actor,
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=start is None,
        title=(proposal.get("title") or "")[:200],
        place=(proposal.get("place") or "")[:200],
        record_type=RecordType.PROTOCOL
        if proposal.get("record_type") == MINUTES
        else RecordType.NOTES,
        note_taker=note_taker,
        from_record=True,
    )
    Meeting.objects.filter(pk=meeting.pk).update(imported=True)
    meeting.imported = True
    wrote("meeting", meeting.pk)

    for attendee in kept:
        person = people.by_name[attendee["name"]]
        replaces = [
            people.find(name) or _replaced_member(actor, tenant, name, people, wrote)
            for name in attendee.get("replaces") or []
            if name.strip()
        ]
        seat = attendance_set(
            actor=actor,
            meeting=meeting,
            person=person,
            status=STATUSES.get(attendee.get("status") or PRESENT, "narvarande"),
            replaces=[p for p in replaces if p.pk != person.pk],
            role_note=(attendee.get("role") or "")[:100] or None,
        )
        wrote("attendance", seat.pk)

    last_item = None
    for item in proposal["items"]:
        if not item.get("keep", True) or not (item.get("title") or "").strip():
            continue
        decisions = [d for d in item["decisions"] if d.get("keep", True) and d["text"].strip()]
        actions = [a for a in item["actions"] if a.get("keep", True) and a["text"].strip()]
        row = agenda_item_add(
            actor=actor,
            meeting=meeting,
            title=item["title"].strip()[:300],
            kind=AgendaItemKind.DECISION if decisions else AgendaItemKind.INFORMATION,
            minutes=item.get("text") or "",
        )
        wrote("agenda_item", row.pk)
        last_item = row
        for decision in decisions:
            made = decision_create(
                actor=actor, meeting=meeting, text=decision["text"], agenda_item=row
            )
            wrote("decision", made.pk)
        for action in actions:
            given = _action(actor, body, row, action, people)
            wrote("action_item", given.pk)

    report = proposal.get("status_report") or {}
    for risk in report.get("risks") or []:
        if not risk.get("keep", True) or not (risk.get("title") or "").strip():
            continue
        made_risk = risk_create(
            actor=actor,
            tenant=tenant,
            title=risk["title"].strip()[:300],
            category=RiskCategory.OTHER,
            likelihood=int(risk.get("likelihood") or 2),
            consequence=int(risk.get("consequence") or 2),
            mitigation=risk.get("mitigation") or "",
            raised_at=last_item,
        )
        wrote("risk", made_risk.pk)

    if not proposal.get("identity_numbers"):
        with imported.original.open("rb") as handle:
            content = handle.read()
        source = document_add_source(
            actor=actor,
            meeting=meeting,
            content=content,
            name=Path(imported.original_name).name,
            content_type=content_type_of(imported.original_name),
            title=_("Original minutes: %(name)s") % {"name": Path(imported.original_name).name},
        )
        wrote("meeting_document", source.pk)
    minutes_record_approved_in_original(
        actor=actor,
        meeting=meeting,
        reason=_("Approved in the original; imported from %(name)s.")
        % {"name": imported.original_name},
    )
    imported.meeting = meeting
    imported.written = written
    imported.confirmed_at = timezone.now()
    imported.confirmed_by = actor if actor is not None and actor.pk else None
    imported.proposal = proposal
    imported.save(update_fields=["proposal"])
    before = _set_state(imported, state=ImportState.CONFIRMED)
    audit.log(
        actor=actor,
        tenant=tenant,
        action="imported_file.confirm",
        obj=imported,
        before=before,
        after=audit.snapshot(imported, exclude=("proposal",)),
    )
    return meeting


def _body(actor: User | None, tenant: Tenant, proposal: dict[str, Any], wrote: Any) -> Body:
    body_id = proposal.get("body_id")
    if body_id:
        body = Body.objects.filter(tenant=tenant, pk=body_id, archived_at__isnull=True).first()
        if body is None:
            raise DomainError(_("The body chosen for the meeting is not in the programme."))
        return body
    name = (proposal.get("body") or "").strip()
    if not name:
        raise DomainError(_("Choose the body whose meeting this was, or name a new one."))
    existing = Body.objects.filter(
        tenant=tenant, name__iexact=name, archived_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    body = body_create(
        actor=actor, tenant=tenant, name=name[:200], kind=BodyKind.OTHER, code=_code(tenant, name)
    )
    wrote("body", body.pk)
    return body


def _code(tenant: Tenant, name: str) -> str:
    """An abbreviation for a new body's decision numbers: its initials, made unique."""
    initials = "".join(word[0] for word in re.findall(r"\w+", name) if word[0].isalpha()).upper()
    base = (initials or "IMP")[:8]
    taken = set(Body.objects.filter(tenant=tenant).values_list("code", flat=True))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{n}"
    return code


def _person(actor: User | None, tenant: Tenant, attendee: dict[str, Any], wrote: Any) -> Person:
    choice = str(attendee.get("person") or "new")
    if choice != "new":
        person = Person.objects.filter(
            tenant=tenant, pk=int(choice) if choice.isdigit() else 0
        ).first()
        if person is None:
            raise DomainError(
                _("%(name)s is linked to a person who is not in the programme.")
                % {"name": attendee["name"]}
            )
        return person
    person = person_create(
        actor=actor,
        tenant=tenant,
        name=attendee["name"].strip()[:200],
        title=(attendee.get("title") or "")[:200],
        organisation=(attendee.get("organisation") or attendee.get("represents") or "")[:200],
    )
    wrote("person", person.pk)
    return person


def _replaced_member(
    actor: User | None, tenant: Tenant, name: str, people: _People, wrote: Any
) -> Person:
    """A member a substitute replaced ("ersätter X") whom neither the minutes'
    attendance nor the directory knows: created, so the substitution is kept."""
    person = person_create(actor=actor, tenant=tenant, name=name.strip()[:200])
    wrote("person", person.pk)
    people.add(name, person)
    return person


def _action(
    actor: User | None,
    body: Body,
    item: Any,
    action: dict[str, Any],
    people: _People,
) -> ActionItem:
    owners = [o for o in action.get("owners") or [] if o.strip()]
    owner_people = [p for p in (people.find(o) for o in owners) if p is not None]
    everyone = any(EVERYONE.match(o.strip()) for o in owners)
    unresolved = [o for o in owners if people.find(o) is None and not EVERYONE.match(o.strip())]
    description = action["text"].strip()
    if unresolved:
        # Nothing of the record is lost: an owner the directory does not know
        # (a group, a role) is named in the assignment, which the body owns.
        description += " " + _("(Owner in the minutes: %(owners)s)") % {
            "owners": ", ".join(unresolved)
        }
    due = _date(action.get("due"), _("An assignment's due date"))
    # "Till nästa möte" is kept as the date the minutes give the next meeting:
    # the portal's "by the next meeting" would mean a meeting not in it.
    return action_create(
        actor=actor,
        body=body,
        description=description,
        owner_people=owner_people,
        owner_all=everyone and not owner_people,
        owner_body=body if not owner_people and not everyone else None,
        due_date=due,
        agenda_item=item,
    )


# Undoing ----------------------------------------------------------------------------

_UNDO_MODELS: dict[str, Any] = {
    "meeting": Meeting,
    "agenda_item": None,  # archived with the meeting
    "attendance": Attendance,
    "decision": Decision,
    "action_item": ActionItem,
    "risk": Risk,
    "meeting_document": MeetingDocument,
    "person": Person,
    "body": Body,
}


def edited_since_import(imported: ImportedFile) -> bool:
    """Whether anyone changed what the import wrote after it was confirmed."""
    if imported.confirmed_at is None:
        return False
    written = imported.written or {}
    types = {
        name: model._meta.label_lower
        for name, model in _UNDO_MODELS.items()
        if model is not None and name in written
    }
    if "agenda_item" in written:
        types["agenda_item"] = "governance.agendaitem"
    events = AuditEvent.objects.filter(
        tenant_id=imported.tenant_id, created_at__gt=imported.confirmed_at
    )
    for name, label in types.items():
        ids = [str(pk) for pk in written[name]]
        if events.filter(object_type=label, object_id__in=ids).exists():
            return True
    # Anything added to the meeting since (a document, a comment, a revision).
    meeting = imported.meeting
    return bool(
        meeting is not None
        and events.filter(object_type="governance.meeting", object_id=str(meeting.pk)).exists()
    )


@transaction.atomic
def import_undo(*, actor: User | None, imported: ImportedFile) -> ImportedFile:
    """Take the import back: what it wrote is archived (the meeting, its
    assignments and risks, the source document, and the people and body it
    created), never deleted. Refused once anyone has changed any of it."""
    imported = ImportedFile.objects.select_for_update().get(pk=imported.pk)
    if imported.state != ImportState.CONFIRMED:
        raise DomainError(_("Only an imported file can be undone."))
    if edited_since_import(imported):
        raise DomainError(
            _(
                "The imported meeting has been changed since it was imported, so the import "
                "can no longer be undone. Archive the meeting instead."
            )
        )
    tenant = imported.tenant
    written = imported.written or {}
    for name in ("action_item", "risk", "meeting_document", "meeting", "person", "body"):
        model = _UNDO_MODELS[name]
        for row in model.objects.filter(tenant=tenant, pk__in=written.get(name, [])):
            set_archived(row, actor=actor, tenant=tenant, archived=True)
    imported.undone_at = timezone.now()
    before = _set_state(imported, state=ImportState.UNDONE)
    audit.log(
        actor=actor,
        tenant=tenant,
        action="imported_file.undo",
        obj=imported,
        before=before,
        after=audit.snapshot(imported, exclude=("proposal",)),
    )
    return imported


# The command line -------------------------------------------------------------------


def import_commit(
    *, actor: User | None, tenant: Tenant, name: str, content: bytes, body: Body | None
) -> ImportedFile:
    """`import_minutes --commit`: one file read, kept and confirmed with
    every proposed element accepted, as the review screen would. Raises
    `UnreadableFile` or `DomainError`; writes nothing then."""
    with transaction.atomic():
        minutes_import = MinutesImport.objects.create(
            tenant=tenant, name=Path(name).name[-255:], body=body
        )
        imported = _keep_file(minutes_import, 1, name, content)
        imported.proposal = read_imported_file(imported)
        imported.save(update_fields=["proposal"])
        audit.log(
            actor=actor,
            tenant=tenant,
            action="minutes_import.upload",
            obj=minutes_import,
            after=audit.snapshot(minutes_import),
        )
        import_confirm(actor=actor, imported=imported)
    imported.refresh_from_db()
    return imported
