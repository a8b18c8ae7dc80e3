"""Meeting documents (handlingar): adding one to a meeting or an agenda item,
replacing its file (a new version; the earlier ones stay), changing its title,
item and whether an image is shown in the minutes, archiving it, and sharing
the meeting's documents with the programme's members.

Uploads get the portal's checks (`portal.uploads.validate_upload`: type by
extension and first bytes, size), the same as self-assessment evidence. The
documents belong to the minutes' record, so approved minutes lock them like
the rest (`ensure_editable`); sharing changes no minutes and is always
possible. Who may do what is checked by the views (`governance.edit`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import AgendaItem, Meeting, MeetingDocument, MeetingDocumentFile
from governance.services.meetings import ensure_editable
from portal import audit
from portal.models import User
from portal.services import DomainError, set_archived, update_audited
from portal.uploads import IMAGE_TYPES, validate_upload

# Bounds: a meeting's documents are merged into one PDF, and each keeps every version.
MAX_DOCUMENTS = 60
MAX_FILES = 30


def _locked_meeting(meeting: Meeting) -> Meeting:
    """The meeting row, locked for the change; refused when the minutes are approved."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    ensure_editable(locked)
    return locked


def _item_of(meeting: Meeting, item: AgendaItem | None) -> AgendaItem | None:
    """The item a document is filed under: one of the meeting's, and for a
    revision's draft of an item, the approved item (the draft is a copy)."""
    if item is None:
        return None
    if item.meeting_id != meeting.pk or item.tenant_id != meeting.tenant_id:
        raise ValidationError({"agenda_item": _("Choose one of the meeting's agenda items.")})
    if item.archived_at is not None:
        raise ValidationError({"agenda_item": _("That item is no longer on the agenda.")})
    if item.revision_draft and item.draft_of_id:
        return AgendaItem.all_rows.get(pk=item.draft_of_id)
    return item


def _check_inline(*, show_in_minutes: bool, item: AgendaItem | None, content_type: str) -> None:
    if not show_in_minutes:
        return
    if content_type not in IMAGE_TYPES:
        raise ValidationError(
            {"show_in_minutes": _("Only an image (PNG or JPEG) can be shown in the minutes.")}
        )
    if item is None:
        raise ValidationError(
            {"show_in_minutes": _("Choose the agenda item the image is shown under.")}
        )


def _snapshot(document: MeetingDocument, file: MeetingDocumentFile | None) -> dict[str, Any]:
    data = audit.snapshot(document) or {}
    if file is not None:
        data["file"] = audit.snapshot(file)
    return data


def _store(
    document: MeetingDocument,
    *,
    actor: User | None,
    upload: UploadedFile | ContentFile[bytes],
    name: str,
    content_type: str,
    number: int,
) -> MeetingDocumentFile:
    file = MeetingDocumentFile(
        tenant_id=document.tenant_id,
        document=document,
        number=number,
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    file.file.save(name, upload, save=False)
    file.save()
    return file


def default_title(name: str) -> str:
    """A document's title from its file name: "Processplan 2026.pdf" → "Processplan 2026"."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem.replace("_", " ").strip()[:200] or name[:200]


@transaction.atomic
def document_add(
    *,
    actor: User | None,
    meeting: Meeting,
    upload: UploadedFile,
    title: str = "",
    agenda_item: AgendaItem | None = None,
    show_in_minutes: bool = False,
    diary_number: str = "",
    secret: bool = False,
    secrecy_reference: str = "",
) -> MeetingDocument:
    """Add a document to the meeting, or to one of its agenda items. It is
    not shared yet: only process leaders see it until it is. A secret one
    (sekretess) needs the provision of the secrecy act (`secrecy_reference`)."""
    meeting = _locked_meeting(meeting)
    name, content_type = validate_upload(upload)
    item = _item_of(meeting, agenda_item)
    _check_inline(show_in_minutes=show_in_minutes, item=item, content_type=content_type)
    count = MeetingDocument.objects.filter(meeting=meeting, archived_at__isnull=True).count()
    if count >= MAX_DOCUMENTS:
        message = _("A meeting can have at most %(count)d documents.")
        raise ValidationError({"file": message % {"count": MAX_DOCUMENTS}})
    document = MeetingDocument(
        tenant_id=meeting.tenant_id,
        meeting=meeting,
        agenda_item=item,
        title=title.strip() or default_title(name),
        show_in_minutes=show_in_minutes,
        diary_number=diary_number.strip(),
        secret=secret,
        secrecy_reference=secrecy_reference.strip() if secret else "",
        created_by=actor if actor is not None and actor.pk else None,
    )
    document.full_clean()
    document.save()
    file = _store(
        document, actor=actor, upload=upload, name=name, content_type=content_type, number=1
    )
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="meeting_document.add",
        obj=document,
        after=_snapshot(document, file),
    )
    return document


def document_add_source(
    *,
    actor: User | None,
    meeting: Meeting,
    content: bytes,
    name: str,
    content_type: str,
    title: str,
) -> MeetingDocument:
    """Keep the file a meeting was entered from (imported old minutes) as its
    source document. The file was checked when it was uploaded for import,
    whose accepted types (plain text too) are not a meeting document's."""
    document = MeetingDocument(
        tenant_id=meeting.tenant_id,
        meeting=meeting,
        title=title[:200],
        created_by=actor if actor is not None and actor.pk else None,
    )
    document.full_clean()
    document.save()
    upload = ContentFile(content, name=name)
    file = _store(
        document, actor=actor, upload=upload, name=name, content_type=content_type, number=1
    )
    audit.log(
        actor=actor,
        tenant=meeting.tenant,
        action="meeting_document.add",
        obj=document,
        after=_snapshot(document, file),
    )
    return document


def _locked_document(document: MeetingDocument) -> MeetingDocument:
    locked = (
        MeetingDocument.objects.select_for_update(of=("self",))
        .select_related("meeting", "agenda_item")
        .get(pk=document.pk)
    )
    if locked.is_archived:
        raise DomainError(_("The document has been archived."))
    _locked_meeting(locked.meeting)
    return locked


@transaction.atomic
def document_replace(
    *, actor: User | None, document: MeetingDocument, upload: UploadedFile
) -> MeetingDocumentFile:
    """A new version of the document's file. The earlier versions stay, and
    stay downloadable. A document that is no longer an image is no longer
    shown in the minutes."""
    document = _locked_document(document)
    name, content_type = validate_upload(upload)
    top = document.files.aggregate(top=Max("number"))["top"] or 0
    if top >= MAX_FILES:
        raise ValidationError(
            {"file": _("A document can have at most %(count)d versions.") % {"count": MAX_FILES}}
        )
    before = _snapshot(document, document.current_file)
    file = _store(
        document,
        actor=actor,
        upload=upload,
        name=name,
        content_type=content_type,
        number=top + 1,
    )
    if document.show_in_minutes and content_type not in IMAGE_TYPES:
        document.show_in_minutes = False
        document.save(update_fields=["show_in_minutes"])
    audit.log(
        actor=actor,
        tenant=document.meeting.tenant,
        action="meeting_document.file.replace",
        obj=document,
        before=before,
        after=_snapshot(document, file),
    )
    return file


@transaction.atomic
def document_update(
    *,
    actor: User | None,
    document: MeetingDocument,
    title: str,
    agenda_item: AgendaItem | None,
    show_in_minutes: bool,
    expected_version: int | None = None,
    diary_number: str | None = None,
    secret: bool | None = None,
    secrecy_reference: str | None = None,
) -> MeetingDocument:
    """Change a document's title, its agenda item and whether an image is
    shown in the minutes, its diary number and whether it is secret
    (sekretess, with the provision of the secrecy act), under the document's
    optimistic lock. Marking and unmarking are audited with the rest
    (`meeting_document.update`)."""
    locked = _locked_document(document)
    item = _item_of(locked.meeting, agenda_item)
    current = locked.current_file
    _check_inline(
        show_in_minutes=show_in_minutes,
        item=item,
        content_type=current.content_type if current is not None else "",
    )
    fields: dict[str, Any] = {
        "title": title.strip(),
        "agenda_item": item,
        "show_in_minutes": show_in_minutes,
    }
    if diary_number is not None:
        fields["diary_number"] = diary_number.strip()
    if secret is not None:
        fields["secret"] = secret
        fields["secrecy_reference"] = (secrecy_reference or "").strip() if secret else ""
    return update_audited(
        locked,
        actor=actor,
        tenant=locked.meeting.tenant,
        fields=fields,
        expected_version=expected_version,
    )


@transaction.atomic
def document_archive(*, actor: User | None, document: MeetingDocument) -> MeetingDocument:
    """Take a document off the meeting. It is archived, not deleted: its
    files are kept for the record."""
    locked = _locked_document(document)
    return set_archived(locked, actor=actor, tenant=locked.meeting.tenant, archived=True)


@transaction.atomic
def documents_share(*, actor: User | None, meeting: Meeting) -> int:
    """Share the meeting's documents that are not shared yet with the
    programme's members ("Dela handlingarna"). The notice (kallelse) calls
    this when it is sent, and finishing the minutes does. Returns how many
    were shared; each is audited."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    unshared = list(
        MeetingDocument.objects.select_for_update().filter(
            meeting=meeting, archived_at__isnull=True, shared_at__isnull=True
        )
    )
    now = timezone.now()
    for document in unshared:
        before = audit.snapshot(document)
        document.shared_at = now
        document.shared_by = actor if actor is not None and actor.pk else None
        document.save(update_fields=["shared_at", "shared_by"])
        audit.log(
            actor=actor,
            tenant=meeting.tenant,
            action="meeting_document.share",
            obj=document,
            before=before,
            after=audit.snapshot(document),
        )
    return len(unshared)
