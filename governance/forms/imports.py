"""Forms of importing old minutes: the upload (a file or a .zip, and whose
minutes they are), and the review of one file's proposal, with a field for
every proposed element, so each can be edited, kept or dropped, each person
linked to the directory or created, and the body linked or created. They
validate input only; the file checks and the writing are the service's
(`governance.services.imports`)."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from governance.forms.meetings import DateInput
from governance.imports.proposal import ABSENT, GUEST, MINUTES, NOTES, PRESENT, SUBSTITUTE
from governance.models import Body
from governance.services.imports import IMPORT_SUFFIXES
from portal.dates import DateField
from portal.forms import VersionedForm
from portal.models import Person
from portal.uploads import max_upload_bytes

STATUS_CHOICES = [
    (PRESENT, _("Present")),
    (SUBSTITUTE, _("Substitute")),
    (ABSENT, _("Absent")),
    (GUEST, _("Other / guest")),
]
SCALE = [(n, str(n)) for n in range(1, 5)]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Minutes file"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{suffix}" for suffix in IMPORT_SUFFIXES)}
        ),
        help_text=_(
            "Word (.docx), OpenDocument (.odt), PDF (also scanned), an image of a page "
            "(.png, .jpg), text (.txt, .md), or a .zip of many such files; at most %(size)s."
        )
        % {"size": filesizeformat(max_upload_bytes())},
    )
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("As the minutes say"),
        help_text=_("Whose minutes these are, when the files do not say."),
    )

    def __init__(self, *args: Any, tenant: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(  # type: ignore[attr-defined]
            tenant=tenant, archived_at__isnull=True
        ).order_by("name")


def _keep(label: Any) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


def _text(label: Any, *, required: bool = False, max_length: int = 300) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length)


class ImportReviewForm(VersionedForm, forms.Form):
    """The review of one proposal. Field names follow the proposal: `att-3-name`
    is the fourth attendee's name, `item-1-dec-0-text` the first decision of
    the second item. `reviewed()` gives the proposal as reviewed."""

    date = DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(
        label=_("Starts"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("Ends"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = _text(_("Place"), max_length=200)
    title = _text(_("Title"), max_length=200)
    record_type = forms.ChoiceField(
        label=_("Record"), choices=[(NOTES, _("Notes")), (MINUTES, _("Formal minutes"))]
    )
    body_id = forms.ChoiceField(label=_("Body"), required=False)
    body = _text(_("Name of the new body"), max_length=200)
    recorded_by = _text(_("Notes taken by"), max_length=200)

    def __init__(
        self, data: Any = None, *, proposal: dict[str, Any], tenant: Any, **kwargs: Any
    ) -> None:
        self.proposal = proposal
        super().__init__(data, **kwargs)
        bodies = list(
            Body.objects.filter(tenant=tenant, archived_at__isnull=True)
            .order_by("name")
            .values_list("pk", "name")
        )
        self.fields["body_id"].choices = [  # type: ignore[attr-defined]
            ("", _("A new body (name it below)")),
            *[(str(pk), name) for pk, name in bodies],
        ]
        people = list(
            Person.objects.filter(tenant=tenant, archived_at__isnull=True)
            .order_by("name")
            .values_list("pk", "name")
        )
        self.person_choices = [
            ("new", _("New person")),
            *[(str(pk), name) for pk, name in people],
        ]
        initial = self.initial
        for key in ("date", "start", "end", "place", "title", "recorded_by", "body"):
            initial.setdefault(key, proposal.get(key) or "")
        initial.setdefault("record_type", proposal.get("record_type") or NOTES)
        initial.setdefault("body_id", str(proposal.get("body_id") or ""))
        self.attendee_rows = [self._attendee(i, a) for i, a in enumerate(proposal["attendance"])]
        self.item_rows = [self._item(i, item) for i, item in enumerate(proposal["items"])]
        risks = (proposal.get("status_report") or {}).get("risks") or []
        self.risk_rows = [self._risk(i, risk) for i, risk in enumerate(risks)]

    def _add(self, name: str, field: forms.Field, value: Any) -> str:
        self.fields[name] = field
        self.initial[name] = value
        return name

    def _attendee(self, i: int, attendee: dict[str, Any]) -> dict[str, Any]:
        p = f"att-{i}"
        name = attendee["name"]
        return {
            "source": attendee.get("source") or "",
            "confidence": attendee.get("confidence"),
            "keep": self._add(f"{p}-keep", _keep(_("Keep %s") % name), attendee.get("keep", True)),
            "name": self._add(f"{p}-name", _text(_("Name"), max_length=200), name),
            "status": self._add(
                f"{p}-status",
                forms.ChoiceField(label=_("Attendance"), choices=STATUS_CHOICES),
                attendee.get("status") or PRESENT,
            ),
            "replaces": self._add(
                f"{p}-replaces",
                _text(_("Replaces"), max_length=400),
                ", ".join(attendee.get("replaces") or []),
            ),
            "role": self._add(
                f"{p}-role", _text(_("Role"), max_length=100), attendee.get("role") or ""
            ),
            "person": self._add(
                f"{p}-person",
                forms.ChoiceField(label=_("Person in the directory"), choices=self.person_choices),
                str(attendee.get("person") or "new"),
            ),
        }

    def _item(self, i: int, item: dict[str, Any]) -> dict[str, Any]:
        p = f"item-{i}"
        row: dict[str, Any] = {
            "number": item.get("number"),
            "confidence": item.get("confidence"),
            "source": item.get("source", item.get("text") or ""),
            "keep": self._add(
                f"{p}-keep", _keep(_("Keep item %s") % item.get("number")), item.get("keep", True)
            ),
            "title": self._add(f"{p}-title", _text(_("Title")), item.get("title") or ""),
            "text": self._add(
                f"{p}-text",
                forms.CharField(
                    label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
                ),
                item.get("text") or "",
            ),
            "decisions": [],
            "actions": [],
        }
        for k, decision in enumerate(item["decisions"]):
            q = f"{p}-dec-{k}"
            row["decisions"].append(
                {
                    "confidence": decision.get("confidence"),
                    "keep": self._add(
                        f"{q}-keep", _keep(_("Keep the decision")), decision.get("keep", True)
                    ),
                    "text": self._add(
                        f"{q}-text",
                        forms.CharField(
                            label=_("Decision"),
                            required=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                        ),
                        decision.get("text") or "",
                    ),
                }
            )
        for k, action in enumerate(item["actions"]):
            q = f"{p}-act-{k}"
            row["actions"].append(
                {
                    "confidence": action.get("confidence"),
                    "keep": self._add(
                        f"{q}-keep", _keep(_("Keep the assignment")), action.get("keep", True)
                    ),
                    "text": self._add(
                        f"{q}-text",
                        forms.CharField(
                            label=_("Assignment"),
                            required=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                        ),
                        action.get("text") or "",
                    ),
                    "owners": self._add(
                        f"{q}-owners",
                        _text(_("Owners"), max_length=400),
                        ", ".join(action.get("owners") or []),
                    ),
                    "due": self._add(
                        f"{q}-due",
                        DateField(label=_("Due"), required=False, widget=DateInput()),
                        action.get("due") or "",
                    ),
                }
            )
        return row

    def _risk(self, i: int, risk: dict[str, Any]) -> dict[str, Any]:
        p = f"risk-{i}"
        return {
            "keep": self._add(f"{p}-keep", _keep(_("Keep the risk")), risk.get("keep", True)),
            "title": self._add(f"{p}-title", _text(_("Risk")), risk.get("title") or ""),
            "mitigation": self._add(
                f"{p}-mitigation",
                forms.CharField(
                    label=_("Mitigation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                ),
                risk.get("mitigation") or "",
            ),
            "likelihood": self._add(
                f"{p}-likelihood",
                forms.TypedChoiceField(label=_("Likelihood (1–4)"), choices=SCALE, coerce=int),
                risk.get("likelihood") or 2,
            ),
            "consequence": self._add(
                f"{p}-consequence",
                forms.TypedChoiceField(label=_("Consequence (1–4)"), choices=SCALE, coerce=int),
                risk.get("consequence") or 2,
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("body_id") and not (data.get("body") or "").strip():
            self.add_error("body", _("Choose the body, or name the new one."))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The meeting cannot end before it starts."))
        for i, _row in enumerate(self.attendee_rows):
            if data.get(f"att-{i}-keep") and not (data.get(f"att-{i}-name") or "").strip():
                self.add_error(f"att-{i}-name", _("Give the name, or drop the person."))
        for i, _row in enumerate(self.item_rows):
            if data.get(f"item-{i}-keep") and not (data.get(f"item-{i}-title") or "").strip():
                self.add_error(f"item-{i}-title", _("Give the item a title, or drop it."))
        return data

    def reviewed(self) -> dict[str, Any]:
        """The proposal as reviewed: the documented shape with the review's
        choices, the source lines kept as they were read."""
        data = self.cleaned_data
        proposal = copy.deepcopy(self.proposal)
        for key in ("place", "title", "recorded_by", "body", "record_type"):
            proposal[key] = (data.get(key) or "").strip() or None
        proposal["date"] = data["date"].isoformat()
        proposal["start"] = data["start"].strftime("%H:%M") if data.get("start") else None
        proposal["end"] = data["end"].strftime("%H:%M") if data.get("end") else None
        proposal["body_id"] = int(data["body_id"]) if data.get("body_id") else None
        for i, attendee in enumerate(proposal["attendance"]):
            p = f"att-{i}"
            attendee["keep"] = bool(data.get(f"{p}-keep"))
            attendee["name"] = (data.get(f"{p}-name") or "").strip()
            attendee["status"] = data.get(f"{p}-status") or PRESENT
            attendee["replaces"] = _names(data.get(f"{p}-replaces"))
            attendee["role"] = (data.get(f"{p}-role") or "").strip() or None
            attendee["person"] = data.get(f"{p}-person") or "new"
            attendee["person_id"] = (
                int(attendee["person"]) if attendee["person"].isdigit() else None
            )
        for i, item in enumerate(proposal["items"]):
            p = f"item-{i}"
            item.setdefault("source", item.get("text") or "")
            item["keep"] = bool(data.get(f"{p}-keep"))
            item["title"] = (data.get(f"{p}-title") or "").strip()
            item["text"] = data.get(f"{p}-text") or ""
            for k, decision in enumerate(item["decisions"]):
                decision["keep"] = bool(data.get(f"{p}-dec-{k}-keep"))
                decision["text"] = (data.get(f"{p}-dec-{k}-text") or "").strip()
            for k, action in enumerate(item["actions"]):
                q = f"{p}-act-{k}"
                action["keep"] = bool(data.get(f"{q}-keep"))
                action["text"] = (data.get(f"{q}-text") or "").strip()
                action["owners"] = _names(data.get(f"{q}-owners"))
                action["due"] = data[f"{q}-due"].isoformat() if data.get(f"{q}-due") else None
        risks = (proposal.get("status_report") or {}).get("risks") or []
        for i, risk in enumerate(risks):
            p = f"risk-{i}"
            risk["keep"] = bool(data.get(f"{p}-keep"))
            risk["title"] = (data.get(f"{p}-title") or "").strip()
            risk["mitigation"] = (data.get(f"{p}-mitigation") or "").strip() or None
            risk["likelihood"] = data.get(f"{p}-likelihood") or 2
            risk["consequence"] = data.get(f"{p}-consequence") or 2
        return proposal


def _names(value: str | None) -> list[str]:
    return [name.strip() for name in (value or "").replace(" och ", ",").split(",") if name.strip()]


def _bound(form: forms.Form, row: Any) -> Any:
    """A row of field names as the form's bound fields, for the template."""
    if isinstance(row, dict):
        return {key: _bound(form, value) for key, value in row.items()}
    if isinstance(row, list):
        return [_bound(form, value) for value in row]
    if isinstance(row, str) and row in form.fields:
        return form[row]
    return row


def review_rows(form: ImportReviewForm) -> dict[str, Any]:
    """The review form's rows with bound fields: attendees, items, risks."""
    return {
        "attendees": _bound(form, form.attendee_rows),
        "items": _bound(form, form.item_rows),
        "risks": _bound(form, form.risk_rows),
    }
