"""Forms of the meetings pages. They validate input only; the views hand the
cleaned data to `governance.services`. Every choice is limited to the
programme's own, non-archived rows (plus what is already chosen)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.forms import records
from governance.models import (
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Body,
    Decision,
    Meeting,
    MeetingKind,
    RecordType,
)
from portal import dates
from portal.dates import DateInput
from portal.forms import PeopleChoiceField, PersonChoiceField, VersionedForm, principal_choices
from portal.models import Person, Principal, Tenant
from portal.services import DomainError
from portal.widgets import Picker

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATETIME_LOCAL)


def people_choices(tenant: Tenant, current: Iterable[int] = ()) -> QuerySet[Person]:
    """The programme's people that can be chosen: the non-archived ones, plus
    those already chosen."""
    condition = Q(archived_at__isnull=True)
    current = [pk for pk in current if pk]
    if current:
        condition |= Q(pk__in=current)
    return (
        Person.objects.filter(tenant=tenant)
        .filter(condition)
        .select_related("principal")
        .order_by("name")
    )


def body_choices(tenant: Tenant, current: Iterable[int] = ()) -> QuerySet[Body]:
    condition = Q(archived_at__isnull=True)
    current = [pk for pk in current if pk]
    if current:
        condition |= Q(pk__in=current)
    return Body.objects.filter(tenant=tenant).filter(condition).order_by("name")


class GovernanceForm(forms.Form):
    """A form of the programme `tenant`. `key` makes its ids unique on a page
    that shows several inline forms at once."""

    autofocus_field = ""

    def __init__(self, data: Any = None, *, tenant: Tenant, key: str, **kwargs: Any) -> None:
        self.tenant = tenant
        kwargs.setdefault("auto_id", f"{key}-%s")
        super().__init__(data, **kwargs)
        if self.autofocus_field in self.fields:
            # portal.js focuses this after an htmx swap (unless a field is invalid).
            self.fields[self.autofocus_field].widget.attrs["data-autofocus"] = ""

    def _people(self, name: str, current: Iterable[int] = (), exclude: Q | None = None) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        queryset = people_choices(self.tenant, current)
        field.queryset = queryset if exclude is None else queryset.exclude(exclude)

    def _bodies(self, name: str, current: Iterable[int] = (), exclude: Q | None = None) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        queryset = body_choices(self.tenant, current)
        field.queryset = queryset if exclude is None else queryset.exclude(exclude)

    def _principals(self, name: str, current: Principal | int | None = None) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = principal_choices(self.tenant, current)


def _ids(objects: Iterable[Any]) -> list[int]:
    return [o.pk for o in objects]


# Meetings -----------------------------------------------------------------------


class MeetingFactsForm(GovernanceForm):
    """The facts of a meeting, shared by planning and editing."""

    autofocus_field = "kind"

    joint_bodies: forms.ModelMultipleChoiceField[Body] = forms.ModelMultipleChoiceField(
        label=_("Together with (joint meeting)"),
        queryset=Body.objects.none(),
        required=False,
        widget=Picker(multiple=True),
        help_text=_("Other bodies taking part. Their members are added to the attendance."),
    )
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Optional, e.g. “Planeringsdag”. Without one the body and kind are used."),
    )
    starts_at = dates.DateTimeField(label=_("Starts"), widget=DateTimeLocalInput(), required=False)
    ends_at = dates.DateTimeField(label=_("Ends"), widget=DateTimeLocalInput(), required=False)
    all_day = forms.BooleanField(
        label=_("A date without times"),
        required=False,
        help_text=_("E.g. a planning day: give only the date below, and no times are shown."),
    )
    day = dates.DateField(label=_("Date"), widget=DateInput(), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Link for online participation"), max_length=200, required=False
    )
    record_type = forms.ChoiceField(label=_("Record"), choices=RecordType.choices)
    note_taker = PersonChoiceField(
        label=_("Note-taker"), queryset=Person.objects.none(), required=False
    )
    adjusters = PeopleChoiceField(
        label=_("Appointed to approve the minutes (justerare)"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Leave empty and the chair of the body approves."),
    )

    def clean(self) -> dict[str, Any]:
        """Times, or with `all_day` just the date (`day`, else the start's):
        the service makes such a meeting run through the day."""
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        day = cleaned.pop("day", None)
        if cleaned.get("all_day"):
            day = day or (timezone.localdate(starts) if starts else None)
            if day is None:
                if "day" not in self.errors:
                    self.add_error("day", _("Give the date of the meeting."))
                return cleaned
            midnight = datetime.datetime.combine(day, datetime.time.min)
            cleaned["starts_at"] = cleaned["ends_at"] = timezone.make_aware(midnight)
            return cleaned
        for name, value in (("starts_at", starts), ("ends_at", ends)):
            if value is None and name not in self.errors:
                self.add_error(name, _("Give the time, or tick “A date without times”."))
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The meeting cannot end before it starts."))
        return cleaned


_NUMBERING = re.compile(r"^(?:§\s*)?\d+[.):]?\s+")


class MeetingCreateForm(MeetingFactsForm):
    autofocus_field = "body"

    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Body"), queryset=Body.objects.none()
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Optional: one agenda item per line. Numbers at the start of a line are "
            "left out; items are numbered automatically."
        ),
    )
    field_order = ["body", "joint_bodies", "kind", "title", "starts_at", "ends_at"]

    def __init__(self, data: Any = None, *, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(data, tenant=tenant, key="meeting-new", **kwargs)
        self._bodies("body")
        self._bodies("joint_bodies")
        self._people("note_taker")
        self._people("adjusters")

    def clean_agenda(self) -> list[str]:
        """One title per line, without any numbering the writer pasted in."""
        titles = []
        for line in self.cleaned_data.get("agenda", "").splitlines():
            title = _NUMBERING.sub("", line.strip()).strip()
            if len(title) > 300:
                raise forms.ValidationError(
                    _("An agenda item's title can be at most 300 characters.")
                )
            if title:
                titles.append(title)
        return titles


class MeetingEditForm(MeetingFactsForm):
    diary_number = records.diary_number_field()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, data: Any = None, *, tenant: Tenant, meeting: Meeting, **kwargs: Any
    ) -> None:
        adjusters = list(meeting.adjusters.all())
        joint = list(meeting.joint_bodies.all())
        kwargs.setdefault(
            "initial",
            {
                "joint_bodies": joint,
                "kind": meeting.kind,
                "title": meeting.title,
                "starts_at": meeting.starts_at,
                "ends_at": meeting.ends_at,
                "all_day": meeting.all_day,
                "day": timezone.localdate(meeting.starts_at) if meeting.all_day else None,
                "place": meeting.place,
                "online_link": meeting.online_link,
                "record_type": meeting.record_type,
                "note_taker": meeting.note_taker_id,
                "adjusters": adjusters,
                "diary_number": meeting.diary_number,
                "version": meeting.version,
            },
        )
        super().__init__(data, tenant=tenant, key=f"meeting-{meeting.pk}", **kwargs)
        self._bodies("joint_bodies", _ids(joint), exclude=Q(pk=meeting.body_id))
        self._people("note_taker", [meeting.note_taker_id or 0])
        self._people("adjusters", _ids(adjusters))
        self.meeting = meeting

    def clean_adjusters(self) -> list[Person]:
        """A justerare recorded absent from the meeting is refused here, by
        name (the service refuses it too)."""
        from governance.services.signing import ensure_adjusters_present

        adjusters = list(self.cleaned_data.get("adjusters") or [])
        try:
            ensure_adjusters_present(self.meeting, adjusters)
        except DomainError as error:
            raise forms.ValidationError(str(error), code="absent") from error
        return adjusters


class MeetingCancelForm(GovernanceForm):
    autofocus_field = "reason"

    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the meeting, e.g. “Planeringsdag 10/6 instead”."),
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the meeting is cancelled."))
        return reason


class PlanNextForm(GovernanceForm):
    autofocus_field = "starts_at"

    starts_at = dates.DateTimeField(label=_("Starts"), widget=DateTimeLocalInput())
    ends_at = dates.DateTimeField(label=_("Ends"), widget=DateTimeLocalInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The meeting cannot end before it starts."))
        return cleaned


# Agenda -------------------------------------------------------------------------


class AgendaItemForm(GovernanceForm):
    autofocus_field = "title"

    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItemKind.choices)
    presenters = PeopleChoiceField(
        label=_("Presented by"), queryset=Person.objects.none(), required=False
    )

    def __init__(
        self,
        data: Any = None,
        *,
        tenant: Tenant,
        key: str,
        presenters: Iterable[int] = (),
        **kw: Any,
    ) -> None:
        super().__init__(data, tenant=tenant, key=key, **kw)
        self._people("presenters", presenters)


class AgendaItemAddForm(AgendaItemForm):
    def __init__(self, data: Any = None, *, tenant: Tenant, meeting: Meeting, **kw: Any) -> None:
        super().__init__(data, tenant=tenant, key=f"agenda-new-{meeting.pk}", **kw)


class AgendaItemEditForm(AgendaItemForm):
    """An item and its minutes text, with the version it was loaded at."""

    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Markdown: a blank line starts a new paragraph, “# ” a heading, “- ” a list "
            "(indent two spaces for a sub-list), **bold**, *italic*, and [text](https://…) "
            "or a web address a link."
        ),
    )
    secret = records.secret_field()
    secrecy_reference = records.secrecy_reference_field()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, tenant: Tenant, item: AgendaItem, **kw: Any) -> None:
        presenters = list(item.presenters.all())
        kw.setdefault(
            "initial",
            {
                "title": item.title,
                "kind": item.kind,
                "presenters": presenters,
                "minutes": item.minutes,
                "secret": item.secret,
                "secrecy_reference": item.secrecy_reference,
                "version": item.version,
            },
        )
        super().__init__(
            data, tenant=tenant, key=f"agenda-{item.pk}", presenters=_ids(presenters), **kw
        )

    def clean(self) -> dict[str, Any]:
        return records.clean_secrecy(self, super().clean() or {})


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


# Attendance ---------------------------------------------------------------------


class AttendanceFields(GovernanceForm):
    """How someone attends: status, whom a substitute replaces, what they represent."""

    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    replaces = PeopleChoiceField(
        label=_("Replaces (for a substitute)"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("A substitute may replace several people."),
    )
    represents_principal: forms.ModelChoiceField[Principal] = forms.ModelChoiceField(
        label=_("Represents"),
        queryset=Principal.objects.none(),
        required=False,
        help_text=_(
            "Leave empty to keep what is recorded (by default the person's own principal)."
        ),
    )
    represents_body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Represents a body"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_(
            "A network or group the person speaks for, shown as “rep. Skolchefsnätverket”."
        ),
    )
    role_note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("E.g. “chair”, “communicator”."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status == AttendanceStatus.SUBSTITUTE and not cleaned.get("replaces"):
            self.add_error("replaces", _("Say whom the substitute replaces."))
        elif status and status != AttendanceStatus.SUBSTITUTE:
            # Only substitutes replace someone: a leftover choice is dropped.
            cleaned["replaces"] = []
        return cleaned


class AttendanceSetForm(VersionedForm, AttendanceFields):
    autofocus_field = "status"

    def __init__(self, data: Any = None, *, tenant: Tenant, row: Attendance, **kw: Any) -> None:
        replaces = list(row.replaces.all())
        kw.setdefault(
            "initial",
            {
                "status": row.status,
                "replaces": replaces,
                "represents_principal": row.represents_principal_id,
                "represents_body": row.represents_body_id,
                "role_note": row.role_note,
                "version": row.version,
            },
        )
        super().__init__(data, tenant=tenant, key=f"attendance-{row.pk}", **kw)
        self._people("replaces", _ids(replaces), exclude=Q(pk=row.person_id))
        self._principals("represents_principal", row.represents_principal_id)
        self._bodies("represents_body", [row.represents_body_id or 0])


PRESENT_OR_ABSENT = [
    (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT.label),
    (AttendanceStatus.ABSENT, AttendanceStatus.ABSENT.label),
]


class AttendanceMarkForm(VersionedForm, forms.Form):
    """One click on a roster row: present or absent, the rest of the row kept."""

    status = forms.ChoiceField(choices=PRESENT_OR_ABSENT)

    def __init__(self, data: Any = None, *, row: Attendance, **kw: Any) -> None:
        kw.setdefault("initial", {"version": row.version})
        super().__init__(data, **kw)


class AttendanceOthersForm(forms.Form):
    """“Markera övriga som frånvarande / närvarande”."""

    status = forms.ChoiceField(choices=PRESENT_OR_ABSENT)


class AttendanceAddForm(AttendanceFields):
    """Add someone from the directory, or register a new guest, in one form."""

    autofocus_field = "person"

    person = PersonChoiceField(
        label=_("Person in the directory"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Or leave empty and register someone new below."),
    )
    name = forms.CharField(label=_("New person's name"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("For guests from outside the programme's principals."),
    )
    field_order = ["person", "name", "title", "organisation", "status", "replaces"]

    def __init__(self, data: Any = None, *, tenant: Tenant, meeting: Meeting, **kw: Any) -> None:
        kw.setdefault("initial", {"status": AttendanceStatus.GUEST})
        super().__init__(data, tenant=tenant, key=f"attendance-new-{meeting.pk}", **kw)
        # Those already on the list are changed in their own row.
        self._people("person", exclude=Q(attendance__meeting=meeting))
        self._people("replaces")
        self._principals("represents_principal")
        self._bodies("represents_body")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        person, name = cleaned.get("person"), cleaned.get("name", "").strip()
        if person is not None and name:
            self.add_error(
                "name", _("Choose a person in the directory or give a new name, not both.")
            )
        elif person is None and not name and "person" not in self.errors:
            self.add_error("person", _("Choose a person, or give the name of someone new."))
        if person is not None and person in (cleaned.get("replaces") or []):
            self.add_error("replaces", _("A person cannot replace themselves."))
        return cleaned


# Decisions and action items -----------------------------------------------------


class DecisionForm(GovernanceForm):
    autofocus_field = "text"

    text = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("E.g. “Styrgruppen beslutar att …”. The number is given automatically."),
    )
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Deciding body"), queryset=Body.objects.none(), required=False
    )

    def __init__(
        self, data: Any = None, *, tenant: Tenant, key: str, meeting: Meeting | None, **kw: Any
    ) -> None:
        super().__init__(data, tenant=tenant, key=key, **kw)
        joint = list(meeting.joint_bodies.all()) if meeting is not None else []
        if not joint:
            # Only a joint meeting has a choice of deciding body.
            del self.fields["body"]
        else:
            assert meeting is not None
            field = self.fields["body"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Body.objects.filter(
                tenant=tenant, pk__in=[meeting.body_id, *_ids(joint)]
            ).order_by("name")
            field.required = True
            field.initial = meeting.body_id

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the decision."))
        return text


class DecisionEditForm(VersionedForm, DecisionForm):
    diary_number = records.diary_number_field()

    def __init__(self, data: Any = None, *, tenant: Tenant, decision: Decision, **kw: Any) -> None:
        kw.setdefault(
            "initial",
            {
                "text": decision.text,
                "diary_number": decision.diary_number,
                "version": decision.version,
            },
        )
        super().__init__(data, tenant=tenant, key=f"decision-{decision.pk}", meeting=None, **kw)


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.reference}: {obj.text[:80]}"


class ActionForm(GovernanceForm):
    """An assignment from an agenda item, or from one of its decisions."""

    autofocus_field = "description"

    description = forms.CharField(
        label=_("Assignment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. “Återrapportera hur ni vill arbeta med barnmedverkan”."),
    )
    decision: forms.ModelChoiceField[Decision] = DecisionChoiceField(
        label=_("From the decision"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("— not from a decision —"),
    )
    owner_people = PeopleChoiceField(
        label=_("Owners: people"), queryset=Person.objects.none(), required=False
    )
    owner_principal: forms.ModelChoiceField[Principal] = forms.ModelChoiceField(
        label=_("Owner: principal"), queryset=Principal.objects.none(), required=False
    )
    owner_body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Owner: body"), queryset=Body.objects.none(), required=False
    )
    owner_all = forms.BooleanField(label=_("All organisations"), required=False)
    due_date = dates.DateField(label=_("Due"), required=False, widget=DateInput())
    due_next_meeting = forms.BooleanField(label=_("By the next meeting"), required=False)

    def __init__(self, data: Any = None, *, tenant: Tenant, item: AgendaItem, **kw: Any) -> None:
        super().__init__(data, tenant=tenant, key=f"action-new-{item.pk}", **kw)
        field = self.fields["decision"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Decision.objects.filter(tenant=tenant, agenda_item=item).select_related(
            "body"
        )
        self._people("owner_people")
        self._principals("owner_principal")
        self._bodies("owner_body")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owners = ("owner_people", "owner_principal", "owner_body", "owner_all")
        if not any(cleaned.get(name) for name in owners) and not any(
            name in self.errors for name in owners
        ):
            self.add_error(
                "owner_people",
                _("Say who owns the assignment: people, a principal, a body or all organisations."),
            )
        if cleaned.get("due_date") and cleaned.get("due_next_meeting"):
            self.add_error("due_date", _("Give a due date or “by the next meeting”, not both."))
        return cleaned

    def clean_description(self) -> str:
        description: str = self.cleaned_data["description"].strip()
        if not description:
            raise forms.ValidationError(_("Describe the assignment."))
        return description


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


# Minutes ------------------------------------------------------------------------


class MinutesReviseForm(GovernanceForm):
    autofocus_field = "reason"

    reason = forms.CharField(
        label=_("Reason for changing the approved minutes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the new version. The approved version stays readable."),
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for changing approved minutes."))
        return reason


class BodyFilterForm(forms.Form):
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("All bodies"),
    )

    def __init__(self, data: Any = None, *, tenant: Tenant, **kw: Any) -> None:
        kw.setdefault("auto_id", "meeting-filter-%s")
        super().__init__(data, **kw)
        field = self.fields["body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = body_choices(tenant)
