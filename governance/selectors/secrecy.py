"""What is under secrecy (sekretess) in a meeting, and how it shows to those
who may not read it: "Sekretessbelagd handling" with the provision of the
secrecy act (OSL), never the title, text or file.

One place decides: `governance.read_secret` (governance/permissions.py) says
who reads a secret agenda item or document in full; everything that leaves
the portal or reaches others — notices, PDFs, the public site, research
exports — shows the placeholder whoever asked (`redact_content`,
`placeholder`). A document filed under a secret agenda item is secret too.

The minutes' frozen versions (`MinutesVersion.content`) are redacted when
they are shown, from the flags as they are now, so marking an item of
approved minutes secret hides it in every version.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, Decision, Meeting, MeetingDocument
from portal.models import Membership
from portal.permissions import can

PLACEHOLDER = _("Confidential document (Sekretessbelagd handling)")


def placeholder(reference: str) -> str:
    """ "Sekretessbelagd handling (OSL 21 kap. 1 §)"."""
    label = gettext("Confidential document (Sekretessbelagd handling)")
    return f"{label} ({reference})" if reference else label


@dataclass(frozen=True)
class MeetingSecrets:
    """The secret agenda items (approved rows and a revision's drafts) and
    documents of a meeting, each with its provision (by id)."""

    items: dict[int, str] = field(default_factory=dict)
    documents: dict[int, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.items or self.documents)

    def item(self, entry: dict[str, Any]) -> str | None:
        """The provision of a secret agenda entry of the minutes' content, or None."""
        return self.items.get(entry.get("id"))  # type: ignore[arg-type]

    def document(self, entry: dict[str, Any]) -> str | None:
        """The provision of a secret document entry of the minutes' content
        (secret itself, or under a secret item), or None."""
        if entry.get("id") in self.documents:
            return self.documents[entry["id"]]
        item_id = entry.get("agenda_item_id")
        if item_id is not None and item_id in self.items:
            return self.items[item_id]
        return None


def meeting_secrets(meeting: Meeting) -> MeetingSecrets:
    """Two queries, however many items and documents the meeting has."""
    items = dict(
        AgendaItem.all_rows.filter(meeting=meeting, secret=True).values_list(
            "pk", "secrecy_reference"
        )
    )
    documents = {
        document.pk: document.secrecy_provision
        for document in MeetingDocument.objects.filter(meeting=meeting).select_related(
            "agenda_item"
        )
        if document.is_secret
    }
    return MeetingSecrets(items=items, documents=documents)


def may_read_secrets(membership: Membership | None, meeting: Meeting) -> bool:
    """Whether the member reads the meeting's secret items and documents in
    full (`governance.read_secret`: its body's members, the process leaders)."""
    return can(membership, "governance.read_secret", meeting)


def redact_content(content: dict[str, Any], secrets: MeetingSecrets) -> dict[str, Any]:
    """The minutes' content (`minutes_content`, or a frozen version's) with
    each secret agenda item and document as "Sekretessbelagd handling": an
    item keeps its number, kind, decisions and assignments (records of their
    own, in the registers), and loses its title, text, presenters and the
    reports presented under it; a document loses its title and file name,
    and is no image in the minutes."""
    if not secrets:
        return content
    redacted = copy.deepcopy(content)
    for entry in redacted.get("agenda", ()):
        reference = secrets.item(entry)
        if reference is None:
            continue
        entry.update(
            title=placeholder(reference),
            minutes="",
            presenters=[],
            reports=[],
            follow_up=[],
            secret=True,
            secrecy_reference=reference,
        )
    for entry in redacted.get("documents", ()):
        reference = secrets.document(entry)
        if reference is None:
            continue
        entry.update(
            title=placeholder(reference),
            filename="",
            content_type="",
            size=0,
            inline=False,
            secret=True,
            secrecy_reference=reference,
        )
    return redacted


def with_diary_numbers(content: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """The content with the diary numbers (diarienummer) of the meeting, its
    decisions and documents as they are now: a registry gives them, often
    after the minutes were approved, so a frozen version shows them too.
    Two queries."""
    content = copy.deepcopy(content)
    content.setdefault("meeting", {})["diary_number"] = meeting.diary_number
    decisions = _decision_numbers(meeting)
    for entry in content.get("decisions", ()):
        entry["diary_number"] = decisions.get(entry.get("reference"), "")
    documents = dict(
        MeetingDocument.objects.filter(meeting=meeting)
        .exclude(diary_number="")
        .values_list("pk", "diary_number")
    )
    for entry in content.get("documents", ()):
        entry["diary_number"] = documents.get(entry.get("id"), "")
    return content


def _decision_numbers(meeting: Meeting) -> dict[str, str]:
    rows = Decision.objects.filter(meeting=meeting).exclude(diary_number="").select_related("body")
    return {decision.reference: decision.diary_number for decision in rows}


def content_for(
    content: dict[str, Any], meeting: Meeting, membership: Membership | None
) -> tuple[dict[str, Any], MeetingSecrets]:
    """The minutes' content as `membership` may read it, with the diary
    numbers: in full for the readers of the meeting's secrets, else redacted.
    `membership` None: for everyone (a PDF, the public site). Also returns
    the secrets read in full, so the caller can log them
    (`services.secrecy.content_read`)."""
    secrets = meeting_secrets(meeting)
    content = with_diary_numbers(content, meeting)
    if membership is not None and may_read_secrets(membership, meeting):
        return content, secrets
    return redact_content(content, secrets), MeetingSecrets()
