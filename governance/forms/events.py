"""Forms of the programme events' pages. A date, and times only when the
event has them: an event without a start time is a date without times."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.forms.meetings import DateInput, GovernanceForm
from governance.models import EventKind, ProgrammeEvent
from portal import dates
from portal.forms import VersionedForm
from portal.models import Tenant


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class EventForm(VersionedForm, GovernanceForm):
    """Plan or change an event. Cleaned, it gives the service `starts_at`,
    `ends_at` and `all_day` in place of the date and times typed."""

    autofocus_field = "kind"

    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("E.g. “Workshop om samverkansmodellen”."),
    )
    day = dates.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=TimeInput(),
        required=False,
        help_text=_("Leave the times empty for an event without times."),
    )
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput(), required=False)
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("Address or room.")
    )
    online_link = forms.URLField(
        label=_("Link for online participation"),
        max_length=200,
        required=False,
        help_text=_("E.g. the Teams or Zoom link of a webinar."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Who it is for, the programme and how to register. Markdown: # heading, “- ” a "
            "list, **bold**, *italic* and [text](https://…) a link."
        ),
    )

    public = forms.BooleanField(
        label=_("Show on the programme's public site"),
        required=False,
        help_text=_(
            "Webinars and workshops open to all: listed with their link on the public site, "
            "when the programme's public site is on."
        ),
    )

    def __init__(
        self, data: Any = None, *, tenant: Tenant, event: ProgrammeEvent | None = None, **kw: Any
    ) -> None:
        if event is not None:
            kw.setdefault("initial", event_initial(event))
        key = f"event-{event.pk}" if event is not None else "event-new"
        super().__init__(data, tenant=tenant, key=key, **kw)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.pop("day", None)
        start, end = cleaned.pop("start_time", None), cleaned.pop("end_time", None)
        if day is None:
            return cleaned
        if start is None:
            if end is not None:
                self.add_error("start_time", _("Give the start time too, or no times at all."))
                return cleaned
            midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            cleaned.update(starts_at=midnight, ends_at=midnight, all_day=True)
            return cleaned
        if end is None:
            self.add_error("end_time", _("Give the end time too."))
            return cleaned
        if end < start:
            self.add_error("end_time", _("The event cannot end before it starts."))
            return cleaned
        cleaned.update(
            starts_at=timezone.make_aware(datetime.datetime.combine(day, start)),
            ends_at=timezone.make_aware(datetime.datetime.combine(day, end)),
            all_day=False,
        )
        return cleaned

    def saved_values(self, saved: models.Model) -> dict[str, Any]:
        assert isinstance(saved, ProgrammeEvent)
        return event_initial(saved)


def event_initial(event: ProgrammeEvent) -> dict[str, Any]:
    """The form's values for `event` as saved (its date and times locally)."""
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at)
    return {
        "kind": event.kind,
        "title": event.title,
        "day": starts.date(),
        "start_time": None if event.all_day else starts.time(),
        "end_time": None if event.all_day else ends.time(),
        "place": event.place,
        "online_link": event.online_link,
        "description": event.description,
        "public": event.public,
        "version": event.version,
    }


class EventCancelForm(VersionedForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancellation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the event in lists and calendars."),
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the event is cancelled."))
        return reason
