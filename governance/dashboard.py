"""The governance app's dashboard panels: open risks in the matrix, open and
overdue action items, upcoming meetings and minutes awaiting approval,
programme events and representation (attendance per principal) for the
programme; a principal's assignments to answer, open action items and
attendance record for its dashboard.

What each panel shows, to whom, in which order; what it reads is its selector
in `governance/selectors/dashboard.py`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from governance.selectors.dashboard import (
    body_choices,
    meetings_and_minutes,
    open_actions,
    open_risks,
    principal_attendance_record,
    principal_open_actions,
    principal_report_back,
    programme_events,
    representation,
)
from portal.dashboards import registry

TEMPLATE = "governance/_dashboard.html"


def register() -> None:
    registry.register_choice_filter(
        registry.ChoiceFilter(key="body", label=_("Body"), choices=body_choices, order=10)
    )
    for panel in (
        registry.Panel(
            key="governance.risks",
            title=_("Open risks"),
            scope=registry.PROGRAMME,
            lazy=True,
            template=f"{TEMPLATE}#risks",
            context=open_risks,
            order=50,
            filters=("body",),
            rule="governance.view_finished",
        ),
        registry.Panel(
            key="governance.actions",
            title=_("Open and overdue action items"),
            scope=registry.PROGRAMME,
            lazy=True,
            template=f"{TEMPLATE}#actions",
            context=open_actions,
            order=60,
            filters=("body",),
            rule="governance.view_finished",
        ),
        registry.Panel(
            key="governance.meetings",
            title=_("Meetings and minutes"),
            scope=registry.PROGRAMME,
            lazy=True,
            template=f"{TEMPLATE}#meetings",
            context=meetings_and_minutes,
            per_user=True,
            order=70,
            filters=("body",),
            rule="governance.view_finished",
        ),
        registry.Panel(
            key="governance.events",
            title=_("Programme events"),
            scope=registry.PROGRAMME,
            lazy=True,
            template=f"{TEMPLATE}#events",
            context=programme_events,
            order=75,
            rule="governance.view_approved_minutes",
        ),
        registry.Panel(
            key="governance.representation",
            title=_("Representation"),
            scope=registry.PROGRAMME,
            template=f"{TEMPLATE}#representation",
            context=representation,
            order=80,
            filters=("period", "body"),
            lazy=True,
            rule="governance.view_approved_minutes",
        ),
        registry.Panel(
            key="governance.principal_report_back",
            title=_("Assignments to answer"),
            scope=registry.PRINCIPAL,
            template=f"{TEMPLATE}#principal_report_back",
            context=principal_report_back,
            # First: what the principal's reporters are asked to do.
            order=5,
            rule="governance.view_report_back",
            description=_(
                "Assignments given to the principal, its people or all organisations, "
                "answered here before the body's next meeting."
            ),
        ),
        registry.Panel(
            key="governance.principal_actions",
            title=_("Open assignments"),
            scope=registry.PRINCIPAL,
            template=f"{TEMPLATE}#principal_actions",
            context=principal_open_actions,
            order=50,
            filters=("body",),
            rule="governance.view_finished",
        ),
        registry.Panel(
            key="governance.principal_attendance",
            title=_("Attendance at meetings"),
            scope=registry.PRINCIPAL,
            template=f"{TEMPLATE}#principal_attendance",
            context=principal_attendance_record,
            order=70,
            filters=("period", "body"),
            lazy=True,
            rule="governance.view_approved_minutes",
        ),
    ):
        registry.register(panel)
