"""Template helpers for meeting documents: an agenda item's documents on the
meeting page, and in the minutes as data (`minutes_content`) the images
shown under an item, the attachments (bilagor) and where an image comes from
(a permission-checked URL on a page, a `data:` URL in a PDF)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from governance.selectors.meeting_documents import MeetingDocuments

register = template.Library()


@register.filter
def for_item(documents: Any, item: Any) -> list[Any]:
    """`{% with docs=documents|for_item:item %}`: the documents of one agenda
    item (of a revision's draft: of the approved item). Empty without any."""
    if not isinstance(documents, MeetingDocuments):
        return []
    return documents.for_item(item)


@register.filter
def inline_images_of(content: Mapping[str, Any], entry: Mapping[str, Any]) -> list[Any]:
    """The images the minutes show under an agenda item (an entry of `content["agenda"]`)."""
    return [
        d
        for d in content.get("documents", ())
        if d.get("inline") and d.get("agenda_item_id") == entry.get("id")
    ]


@register.filter
def item_position(content: Mapping[str, Any], item_id: int | None) -> int | None:
    """The number of the agenda item an attachment belongs to."""
    if item_id is None:
        return None
    return next((e["position"] for e in content.get("agenda", ()) if e.get("id") == item_id), None)


@register.filter
def image_src(images: Any, document: Mapping[str, Any]) -> str:
    """Where an image of the minutes comes from: `images` maps a document's id
    to a URL (a page) or a `data:` URL (a PDF). Empty when there is none."""
    if not isinstance(images, Mapping):
        return ""
    return str(images.get(str(document.get("id")), ""))
