"""Forms of meeting documents: add one (a file, a title, the agenda item it
belongs to, a diary number, secrecy), replace its file, and change its
title, item, diary number, secrecy and whether an image is shown in the
minutes. They validate input only; the checks of the
file itself (type, first bytes, size) are the service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from governance.forms import records
from governance.models import AgendaItem, Meeting, MeetingDocument
from governance.selectors.meeting_documents import agenda_choices, item_key
from portal.forms import VersionedForm
from portal.uploads import accept_attribute, max_upload_bytes


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{obj.position}. {obj.title}"


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument text, PNG or JPEG; at most %(size)s."
        )
        % {"size": filesizeformat(max_upload_bytes())},
    )


def _item_field() -> AgendaItemChoiceField:
    return AgendaItemChoiceField(
        label=_("Belongs to"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("The whole meeting"),
        help_text=_("The agenda item the document is for, or the whole meeting."),
    )


def _show_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Show in the minutes"),
        required=False,
        help_text=_(
            "For an image (PNG or JPEG) under an agenda item: shown in the minutes, "
            "on the page and in the PDF."
        ),
    )


def _draft_for(items: list[AgendaItem], item_id: int | None) -> AgendaItem | None:
    """Of the items the form offers, the one a document of `item_id` is filed
    under (while minutes are revised, the draft of that approved item)."""
    return next((item for item in items if item_key(item) == item_id), None)


class DocumentAddForm(forms.Form):
    file = _file_field()
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("As the members will see it, e.g. “Processplan 2026”. Empty: the file name."),
    )
    agenda_item = _item_field()
    show_in_minutes = _show_field()
    diary_number = records.diary_number_field()
    secret = records.secret_field()
    secrecy_reference = records.secrecy_reference_field()

    def __init__(
        self, data: Any = None, files: Any = None, *, meeting: Meeting, item_id: str | None = None
    ) -> None:
        super().__init__(data, files, auto_id="document-new-%s")
        field = self.fields["agenda_item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agenda_choices(meeting=meeting)
        if item_id and item_id.isdigit():
            # ?item=<id> from an agenda item's "Add document": one of this meeting's only.
            items = list(field.queryset)
            chosen = next((i for i in items if i.pk == int(item_id)), None)
            if chosen is not None:
                self.initial["agenda_item"] = chosen.pk

    def clean(self) -> dict[str, Any]:
        return records.clean_secrecy(self, super().clean() or {})


class DocumentReplaceForm(forms.Form):
    file = _file_field()

    def __init__(self, data: Any = None, files: Any = None) -> None:
        super().__init__(data, files, auto_id="document-replace-%s")


class DocumentEditForm(VersionedForm, forms.Form):
    """Title, agenda item and, for an image, whether it is shown in the minutes."""

    title = forms.CharField(label=_("Title"), max_length=200)
    agenda_item = _item_field()
    show_in_minutes = _show_field()
    diary_number = records.diary_number_field()
    secret = records.secret_field()
    secrecy_reference = records.secrecy_reference_field()

    def __init__(self, data: Any = None, *, document: MeetingDocument) -> None:
        items = list(agenda_choices(meeting=document.meeting))
        initial = {
            "title": document.title,
            "agenda_item": _draft_for(items, document.agenda_item_id),
            "show_in_minutes": document.show_in_minutes,
            "diary_number": document.diary_number,
            "secret": document.secret,
            "secrecy_reference": document.secrecy_reference,
            "version": document.version,
        }
        super().__init__(data, initial=initial, auto_id=f"document-{document.pk}-%s")
        field = self.fields["agenda_item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agenda_choices(meeting=document.meeting)
        current = document.current_file
        if current is None or not current.is_image:
            del self.fields["show_in_minutes"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned.setdefault("show_in_minutes", False)
        return records.clean_secrecy(self, cleaned)
