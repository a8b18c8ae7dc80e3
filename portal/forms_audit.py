"""The audit log's filters, read from the query string (shareable URLs, the
back button works). A wrong value is reported on its field and that filter
is left out; the others still apply."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal import selectors_audit as selectors

ACTION_PREFIX = re.compile(r"^[a-z_.]*$")


class AuditFilterForm(forms.Form):
    actor = forms.ChoiceField(label=_("Person"), required=False)
    type = forms.ChoiceField(label=_("Kind of record"), required=False)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("The start of an action name, e.g. “meeting.minutes.”."),
        widget=forms.TextInput(attrs={"list": "audit-filter-actions", "spellcheck": "false"}),
    )
    date_from = dates.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = dates.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # One record's history ("Historik"): set by the link, kept by the form.
    id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any = None,
        *,
        people: dict[int, str],
        record_types: list[str],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "audit-filter-%s")
        super().__init__(data, **kwargs)
        actor = self.fields["actor"]
        assert isinstance(actor, forms.ChoiceField)
        actor.choices = [
            ("", _("Everyone")),
            (selectors.SYSTEM, _("System (no person)")),
            *((str(pk), name) for pk, name in people.items()),
        ]
        # A record's history may be asked for before the programme has events
        # of its kind: any model of the portal is a valid kind.
        asked = (data or {}).get("type", "")
        kinds = set(record_types)
        if isinstance(asked, str) and asked and selectors.is_record_type(asked):
            kinds.add(asked)
        labelled = sorted((selectors.record_type_label(k), k) for k in kinds)
        record_type = self.fields["type"]
        assert isinstance(record_type, forms.ChoiceField)
        record_type.choices = [("", _("All kinds")), *((k, label) for label, k in labelled)]

    def clean_action(self) -> str:
        action: str = self.cleaned_data.get("action") or ""
        action = action.strip()
        if not ACTION_PREFIX.fullmatch(action):
            raise ValidationError(
                _("Use lower-case letters, “_” and dots only, e.g. “meeting.minutes.”."),
                code="invalid",
            )
        return action

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters, as keyword arguments of `selectors.audit_events`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "actor": data.get("actor") or "",
            "record_type": data.get("type") or "",
            # An id means nothing without its kind of record.
            "record_id": (data.get("id") or "") if data.get("type") else "",
            "action": data.get("action") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
