"""The registrar's page (registrering, `governance.services.registry`): one
form of small forms — the meeting's diary number, and each decision's,
document's and agenda item's registry fields under its own prefix.

The page carries the meeting's version (its own lock, which every registry
save moves on), and each decision, document and agenda item the version it
was shown at (`VersionedForm`). Only the rows the user changed are handed
to the service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from governance.forms import records
from governance.models import AgendaItem, Decision, Meeting, MeetingDocument
from governance.services.registry import DECISION, DOCUMENT, ITEM, MEETING, Entry
from portal.forms import VersionedForm


class MeetingRegistryForm(VersionedForm, forms.Form):
    """The meeting's diary number, and the page's `version`: the meeting's
    own lock, which every registry save moves on."""

    kind = MEETING
    diary_number = records.diary_number_field()

    def __init__(self, data: Any = None, *, meeting: Meeting) -> None:
        initial = {"diary_number": meeting.diary_number, "version": meeting.version}
        super().__init__(data, initial=initial)
        self.obj = meeting
        self.fields["diary_number"].label = _("Diary number of the meeting")


class _RowForm(VersionedForm, forms.Form):
    kind = ""
    names: tuple[str, ...] = ()

    def __init__(self, data: Any = None, *, obj: Any) -> None:
        self.obj = obj
        initial = {name: getattr(obj, name) for name in self.names}
        initial["version"] = obj.version
        super().__init__(data, initial=initial, prefix=f"{self.kind}-{obj.pk}")
        for name in ("diary_number", "secret"):  # said once, at the top of the page
            if name in self.fields:
                self.fields[name].help_text = ""

    def user_changed(self) -> bool:
        return any(name in self.changed_data for name in self.names)

    def entry(self) -> Entry:
        return Entry(
            pk=self.obj.pk,
            wanted={name: self.cleaned_data[name] for name in self.names},
            expected_version=self.cleaned_data["expected_version"],
        )


class DecisionRegistryForm(_RowForm):
    kind = DECISION
    names = ("diary_number",)
    diary_number = records.diary_number_field()


class DocumentRegistryForm(_RowForm):
    kind = DOCUMENT
    names = ("diary_number", "secret", "secrecy_reference")
    diary_number = records.diary_number_field()
    secret = records.secret_field()
    secrecy_reference = records.secrecy_reference_field()

    def clean(self) -> dict[str, Any]:
        return records.clean_secrecy(self, super().clean() or {})


class AgendaItemRegistryForm(_RowForm):
    kind = ITEM
    names = ("secret", "secrecy_reference")
    secret = records.secret_field()
    secrecy_reference = records.secrecy_reference_field()

    def clean(self) -> dict[str, Any]:
        return records.clean_secrecy(self, super().clean() or {})


@dataclass
class RegistryForms:
    """The page's forms, bound together to one POST."""

    meeting: MeetingRegistryForm
    decisions: list[DecisionRegistryForm]
    documents: list[DocumentRegistryForm]
    items: list[AgendaItemRegistryForm]

    @classmethod
    def build(
        cls,
        data: QueryDict | None,
        *,
        meeting: Meeting,
        decisions: list[Decision],
        documents: list[MeetingDocument],
        items: list[AgendaItem],
    ) -> RegistryForms:
        return cls(
            meeting=MeetingRegistryForm(data, meeting=meeting),
            decisions=[DecisionRegistryForm(data, obj=d) for d in decisions],
            documents=[DocumentRegistryForm(data, obj=d) for d in documents],
            items=[AgendaItemRegistryForm(data, obj=i) for i in items],
        )

    def rows(self) -> Iterator[_RowForm]:
        yield from self.decisions
        yield from self.documents
        yield from self.items

    def all(self) -> Iterator[MeetingRegistryForm | _RowForm]:
        yield self.meeting
        yield from self.rows()

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self.all()]  # each form's errors, not the first's
        return all(valid)

    def find(self, kind: str, pk: int) -> MeetingRegistryForm | _RowForm | None:
        if kind == MEETING:
            return self.meeting
        return next((f for f in self.rows() if f.kind == kind and f.obj.pk == pk), None)

    def changes(self) -> dict[str, Any]:
        """The service's arguments: only what the user changed."""
        meeting = self.meeting
        return {
            "expected_version": meeting.cleaned_data["expected_version"],
            "diary_number": (
                meeting.cleaned_data["diary_number"]
                if "diary_number" in meeting.changed_data
                else None
            ),
            "decisions": [f.entry() for f in self.decisions if f.user_changed()],
            "documents": [f.entry() for f in self.documents if f.user_changed()],
            "items": [f.entry() for f in self.items if f.user_changed()],
        }
