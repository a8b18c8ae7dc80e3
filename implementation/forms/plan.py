"""Forms for sub-projects and activities of the implementation plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from implementation.forms.assessments import DateInput
from implementation.forms.common import (
    ids,
    people,
    person_label,
    principals,
    set_choices,
    wellbeing_areas,
)
from implementation.models import Activity, Goal, SubProject, WellbeingArea, WorkStatus
from implementation.selectors.goals import indicator_goal_choices
from portal import dates
from portal.forms import PersonChoiceField, VersionedForm
from portal.models import Person, Principal, Tenant
from portal.widgets import Picker


class PlanItemForm(VersionedForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner: forms.ModelChoiceField[Person] = PersonChoiceField(
        label=_("Owner"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("No one yet"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=WorkStatus.choices)
    due_date = dates.DateField(label=_("Due date"), required=False, widget=DateInput)
    decision_reference = forms.CharField(
        label=_("Decisions"),
        max_length=300,
        required=False,
        help_text=_("The decisions behind it, e.g. “SG 2025 §12, LSG 2025 §4”."),
    )
    decision_url = forms.URLField(
        label=_("Link to the decision"), required=False, assume_scheme="https"
    )
    working_groups = forms.CharField(
        label=_("Working groups"),
        max_length=300,
        required=False,
        help_text=_("Who does the work, e.g. “Arbetsgrupp digital plattform”."),
    )
    principals: forms.ModelMultipleChoiceField[Principal] = forms.ModelMultipleChoiceField(
        label=_("Principals involved"),
        queryset=Principal.objects.none(),
        required=False,
        widget=Picker(multiple=True),
    )
    wellbeing_areas: forms.ModelMultipleChoiceField[WellbeingArea] = forms.ModelMultipleChoiceField(
        label=_("Wellbeing areas"),
        queryset=WellbeingArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    FIELDS: tuple[str, ...] = (
        "title",
        "description",
        "owner",
        "status",
        "due_date",
        "decision_reference",
        "decision_url",
        "working_groups",
    )

    def __init__(
        self, data: Any = None, *, tenant: Tenant, item: SubProject | Activity | None, **kwargs: Any
    ) -> None:
        if item is not None:
            kwargs["initial"] = {
                **{name: getattr(item, name) for name in self.FIELDS if name != "owner"},
                "owner": item.owner_id,
                "principals": ids(item.principals.all()),
                "wellbeing_areas": ids(item.wellbeing_areas.all()),
                "version": item.version,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(data, **kwargs)
        set_choices(self, "owner", people(tenant, item.owner_id if item else None), person_label)
        chosen = ids(item.principals.all()) if item else []
        set_choices(self, "principals", principals(tenant, chosen))
        areas = ids(item.wellbeing_areas.all()) if item else []
        set_choices(self, "wellbeing_areas", wellbeing_areas(tenant, areas))
        self.fields["title"].widget.attrs["data-autofocus"] = ""


class SubProjectForm(PlanItemForm):
    start_date = dates.DateField(label=_("Start"), required=False, widget=DateInput)
    FIELDS = (*PlanItemForm.FIELDS, "start_date")

    def __init__(
        self,
        data: Any = None,
        *,
        tenant: Tenant,
        sub_project: SubProject | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"sub-project-{sub_project.pk if sub_project else 'new'}-%s")
        super().__init__(data, tenant=tenant, item=sub_project, **kwargs)


class ActivityForm(PlanItemForm):
    sub_project: forms.ModelChoiceField[SubProject] = forms.ModelChoiceField(
        label=_("Sub-project"),
        queryset=SubProject.objects.none(),
        required=False,
        empty_label=_("None: an activity of the plan"),
    )
    goal: forms.ModelChoiceField[Goal] = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), required=False, empty_label=_("No goal")
    )
    FIELDS = (*PlanItemForm.FIELDS, "sub_project", "goal")

    def __init__(
        self, data: Any = None, *, tenant: Tenant, activity: Activity | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"activity-{activity.pk if activity else 'new'}-%s")
        if activity is not None:
            kwargs["initial"] = {
                "sub_project": activity.sub_project_id,
                "goal": activity.goal_id,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(data, tenant=tenant, item=activity, **kwargs)
        current = activity.sub_project_id if activity else None
        projects = SubProject.objects.filter(tenant=tenant).filter(
            Q(archived_at__isnull=True) | Q(pk__in=[current] if current else [])
        )
        set_choices(self, "sub_project", projects.order_by("title"))
        set_choices(
            self,
            "goal",
            indicator_goal_choices(tenant=tenant, current=activity.goal if activity else None),
            lambda goal: f"{goal.focus_area.name}: {goal.title}",
        )
