"""Every full read of something under secrecy (sekretess) is logged: who read
which secret agenda item or meeting document, when, and how (its page, its
file, the meeting page). Marking and unmarking are logged by the services
that change the item or document (`agenda_item.update`,
`meeting_document.update`: the before/after shows `secret`).

Who may read is `governance.read_secret`; the views call these after that
check passed and the content was shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from governance.models import AgendaItem, MeetingDocument
from governance.selectors.secrecy import MeetingSecrets
from portal import audit
from portal.models import Tenant, User


def document_read(
    *,
    actor: User | None,
    tenant: Tenant,
    document: MeetingDocument,
    how: str,
    file_number: int | None = None,
) -> None:
    """Log one full read of a secret document (`how`: "page", "download",
    "meeting_page", …). Nothing for a document that is not secret."""
    if not document.is_secret:
        return
    after: dict[str, object] = {
        "how": how,
        "secrecy_reference": document.secrecy_provision,
    }
    if file_number is not None:
        after["file"] = file_number
    audit.log(
        actor=actor,
        tenant=tenant,
        action="meeting_document.secret.read",
        obj=document,
        after=after,
    )


def agenda_item_read(*, actor: User | None, tenant: Tenant, item: AgendaItem, how: str) -> None:
    """Log one full read of a secret agenda item (its title and minutes text)."""
    if not item.secret:
        return
    audit.log(
        actor=actor,
        tenant=tenant,
        action="agenda_item.secret.read",
        obj=item,
        after={"how": how, "secrecy_reference": item.secrecy_reference},
    )


def log_reads(
    *,
    actor: User | None,
    tenant: Tenant,
    items: Iterable[AgendaItem] = (),
    documents: Iterable[MeetingDocument] = (),
    how: str,
) -> int:
    """Log the full reads of the secret ones among `items` and `documents`
    (a page that showed them). Returns how many were logged."""
    count = 0
    for item in items:
        if item.secret:
            agenda_item_read(actor=actor, tenant=tenant, item=item, how=how)
            count += 1
    for document in documents:
        if document.is_secret:
            document_read(actor=actor, tenant=tenant, document=document, how=how)
            count += 1
    return count


def content_read(*, actor: User | None, tenant: Tenant, secrets: MeetingSecrets, how: str) -> int:
    """Log the full reads of the secrets a page of the minutes' content showed
    (`selectors.secrecy.content_for` returns them). Returns how many."""
    if not secrets:
        return 0
    items = AgendaItem.all_rows.filter(pk__in=list(secrets.items))
    documents = MeetingDocument.objects.filter(pk__in=list(secrets.documents)).select_related(
        "agenda_item"
    )
    return log_reads(actor=actor, tenant=tenant, items=items, documents=documents, how=how)
