"""What each URL's object ids are: the model a route's integer kwarg looks up.

The isolation probe fills every integer kwarg of every tenant route with a real
object of the requesting user's own programme, and then with another
programme's object of the same model. It cannot guess which model a `pk`
means, so every integer kwarg must be named here; a new route whose ids are
not listed fails `test_every_object_id_of_every_route_is_mapped` until it is.
Routes without ids (lists, dashboards, create pages) need nothing here.

A `Pick` chooses the object: the model, optionally narrowed to the state a
page needs (a draft report to edit), and optionally a child of an object
chosen for an earlier kwarg (`of`). An `Ordinal` is a number that is not an id
(a version number): it is taken from the chosen objects and never swapped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet

from archives.models import DisposalRun, RecordKind, RetentionHold
from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    CalendarFeed,
    Decision,
    ImportedFile,
    ImportState,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    MinutesComment,
    MinutesImport,
    MinutesStatus,
    ProgrammeEvent,
    ReportStatus,
    Risk,
    StatusReport,
)
from implementation.models import (
    Activity,
    Appointment,
    AppointmentFunction,
    AssessmentAttachment,
    AssessmentStatus,
    Criterion,
    FocusArea,
    Goal,
    GoodExample,
    Indicator,
    SelfAssessment,
    Step,
    SubProject,
    WellbeingArea,
)
from portal.models import (
    GeneratedFile,
    GeneratedFileStatus,
    Membership,
    Operation,
    Person,
    Principal,
    User,
)
from public.models import ContactConsent, Newsletter, NewsletterStatus
from research.models import ApiToken, ResearchReport


@dataclass(frozen=True)
class Pick:
    model: type[Model]
    where: Q = field(default_factory=Q)
    # (earlier kwarg, lookup from this model to that object), e.g. ("pk", "assessment")
    of: tuple[str, str] | None = None
    # Objects that belong to one login (calendar feeds, API tokens): the
    # requesting user's own, or someone else's when the user has none.
    own: str | None = None

    def queryset(self, *, tenant: Any, user: User, chosen: Mapping[str, Model]) -> QuerySet:
        qs = self.model._default_manager.filter(tenant=tenant).filter(self.where)
        if self.of is not None:
            kwarg, lookup = self.of
            qs = qs.filter(**{lookup: chosen[kwarg]})
        if self.own is not None:
            qs = qs.filter(**{self.own: user})
        return qs.order_by("pk")


@dataclass(frozen=True)
class Ordinal:
    """A number within a chosen object (not an id): computed, never swapped."""

    value: Callable[[Mapping[str, Model]], int]


Spec = Pick | Ordinal

APPROVED = Q(minutes_status=MinutesStatus.APPROVED)
PLANNED = Q(status=MeetingStatus.PLANNED)
DRAFT_REPORT = Q(status=ReportStatus.DRAFT)
EDITABLE_ASSESSMENT = Q(status__in=[AssessmentStatus.DRAFT, AssessmentStatus.RETURNED])
SUBMITTED_ASSESSMENT = Q(status=AssessmentStatus.SUBMITTED)
LIVE = Q(archived_at__isnull=True)
FINISHED_FILE = Q(status=GeneratedFileStatus.DONE)
# A meeting document its meeting's readers see; one that approved minutes do not lock.
SHARED_DOCUMENT = Q(shared_at__isnull=False, archived_at__isnull=True)
EDITABLE_DOCUMENT = Q(archived_at__isnull=True) & ~Q(meeting__minutes_status=MinutesStatus.APPROVED)
IN_REVIEW = Q(state=ImportState.REVIEW)
DRAFT_NEWSLETTER = Q(status=NewsletterStatus.DRAFT)
IMPORTED = Q(state=ImportState.CONFIRMED)


def _latest_minutes_version(chosen: Mapping[str, Model]) -> int:
    meeting = chosen["pk"]
    number = meeting.versions.order_by("-number").values_list("number", flat=True).first()  # type: ignore[attr-defined]
    assert number is not None, f"meeting {meeting.pk} has no approved version"
    return int(number)


def _latest_document_file(chosen: Mapping[str, Model]) -> int:
    document = chosen["pk"]
    number = document.files.order_by("-number").values_list("number", flat=True).first()  # type: ignore[attr-defined]
    assert number is not None, f"meeting document {document.pk} has no file"
    return int(number)


def _staircase_version(chosen: Mapping[str, Model]) -> int:
    return 1


# Per app: route name → {kwarg: what it is}.
PORTAL: dict[str, dict[str, Spec]] = {
    "portal:principal_detail": {"pk": Pick(Principal)},
    "portal:principal_edit": {"pk": Pick(Principal)},
    "portal:principal_archive": {"pk": Pick(Principal)},
    "portal:principal_restore": {"pk": Pick(Principal)},
    "portal:operation_edit": {"pk": Pick(Operation)},
    "portal:operation_archive": {"pk": Pick(Operation)},
    "portal:operation_restore": {"pk": Pick(Operation)},
    "portal:person_edit": {"pk": Pick(Person)},
    "portal:person_archive": {"pk": Pick(Person)},
    "portal:person_restore": {"pk": Pick(Person)},
    "portal:member_edit": {"pk": Pick(Membership)},
    "portal:member_person": {"pk": Pick(Membership)},
    "portal:member_deactivate": {"pk": Pick(Membership)},
    "portal:member_reactivate": {"pk": Pick(Membership)},
    # document_request's object_id depends on its kind: see `document_request_specs`.
    "portal:principal_dashboard": {"pk": Pick(Principal)},
    "portal:principal_dashboard_panel": {"pk": Pick(Principal)},
    "portal:document_status": {"pk": Pick(GeneratedFile, FINISHED_FILE)},
    # The requester's own job where there is one: a research export's job is
    # for its researcher only (404 to others).
    "portal:document_retry": {"pk": Pick(GeneratedFile, own="requested_by")},
    "portal:document_download": {"pk": Pick(GeneratedFile, FINISHED_FILE)},
    # The programme's statements: one person's data export (issue 16, item 5)
    "portal:statement_person_export": {"pk": Pick(Person)},
}

GOVERNANCE: dict[str, dict[str, Spec]] = {
    "governance:meeting_detail": {"pk": Pick(Meeting, APPROVED)},
    "governance:meeting_edit": {"pk": Pick(Meeting)},
    "governance:meeting_cancel": {"pk": Pick(Meeting)},
    "governance:meeting_plan_next": {"pk": Pick(Meeting)},
    # The registrar's page (issue 16, item 6): any meeting, approved ones too.
    "governance:meeting_registry": {"pk": Pick(Meeting)},
    "governance:agenda_item_add": {"pk": Pick(Meeting)},
    "governance:attendance_add": {"pk": Pick(Meeting)},
    "governance:attendance_mark_others": {"pk": Pick(Meeting)},
    "governance:minutes_finish": {"pk": Pick(Meeting)},
    "governance:minutes_approve": {
        "pk": Pick(Meeting, Q(adjusters__membership__user__username__startswith="probe-"))
    },
    "governance:minutes_return": {
        "pk": Pick(Meeting, Q(adjusters__membership__user__username__startswith="probe-"))
    },
    "governance:minutes_comment_resolve": {"pk": Pick(MinutesComment)},
    "governance:minutes_paper_signature": {
        "pk": Pick(Meeting, Q(minutes_status=MinutesStatus.FINISHED))
    },
    "governance:minutes_revise": {"pk": Pick(Meeting, APPROVED)},
    "governance:meeting_versions": {"pk": Pick(Meeting, APPROVED)},
    "governance:meeting_version": {
        "pk": Pick(Meeting, APPROVED),
        "number": Ordinal(_latest_minutes_version),
    },
    "governance:meeting_ics": {"pk": Pick(Meeting)},
    "governance:event_detail": {"pk": Pick(ProgrammeEvent, LIVE)},
    "governance:event_edit": {"pk": Pick(ProgrammeEvent, LIVE)},
    "governance:event_cancel": {"pk": Pick(ProgrammeEvent, LIVE)},
    "governance:event_reinstate": {"pk": Pick(ProgrammeEvent)},
    "governance:event_archive": {"pk": Pick(ProgrammeEvent, LIVE)},
    "governance:event_restore": {"pk": Pick(ProgrammeEvent)},
    "governance:event_ics": {"pk": Pick(ProgrammeEvent, LIVE)},
    # The notice is sent of a planned meeting; members answer a planned one.
    "governance:notice_send": {"pk": Pick(Meeting, PLANNED)},
    "governance:meeting_reply": {"pk": Pick(Meeting, PLANNED)},
    "governance:agenda_item_edit": {"pk": Pick(AgendaItem)},
    "governance:agenda_item_move": {"pk": Pick(AgendaItem)},
    "governance:agenda_item_archive": {"pk": Pick(AgendaItem)},
    "governance:decision_add": {"pk": Pick(AgendaItem)},
    "governance:action_add": {"pk": Pick(AgendaItem)},
    "governance:agenda_report_present": {"pk": Pick(AgendaItem)},
    # Read by whoever reads the minutes as they stand: approved ones for reporters.
    "governance:followup_list": {
        "pk": Pick(
            AgendaItem, Q(follow_up_actions__isnull=False, meeting__minutes_status="justerad")
        )
    },
    "governance:followup_status": {
        "pk": Pick(AgendaItem, Q(follow_up_actions__isnull=False)),
        "action_pk": Pick(ActionItem, of=("pk", "followed_up_at")),
    },
    "governance:attendance_set": {"pk": Pick(Attendance)},
    "governance:attendance_mark": {"pk": Pick(Attendance)},
    "governance:attendance_remove": {"pk": Pick(Attendance)},
    "governance:decision_edit": {"pk": Pick(Decision)},
    "governance:decision_repeal": {"pk": Pick(Decision)},
    "governance:body_detail": {"pk": Pick(Body)},
    "governance:body_edit": {"pk": Pick(Body)},
    "governance:body_archive": {"pk": Pick(Body)},
    "governance:body_restore": {"pk": Pick(Body)},
    "governance:body_member_add": {"pk": Pick(Body)},
    "governance:body_member_end": {"pk": Pick(BodyMember)},
    "governance:action_detail": {"pk": Pick(ActionItem)},
    "governance:action_edit": {"pk": Pick(ActionItem)},
    "governance:action_status": {"pk": Pick(ActionItem)},
    "governance:action_archive": {"pk": Pick(ActionItem)},
    "governance:action_restore": {"pk": Pick(ActionItem)},
    # A principal's assignments to answer: one given to all organisations asks every principal.
    "governance:principal_assignments": {"pk": Pick(Principal)},
    "governance:action_answer": {
        "pk": Pick(Principal),
        "action_pk": Pick(
            ActionItem, LIVE & Q(owner_all=True, status__in=["ej_paborjad", "pagar"])
        ),
    },
    "governance:risk_detail": {"pk": Pick(Risk)},
    "governance:risk_edit": {"pk": Pick(Risk)},
    "governance:risk_archive": {"pk": Pick(Risk)},
    "governance:risk_restore": {"pk": Pick(Risk)},
    "governance:risk_review_add": {"pk": Pick(Risk)},
    "governance:report_detail": {"pk": Pick(StatusReport)},
    "governance:report_edit": {"pk": Pick(StatusReport, DRAFT_REPORT)},
    "governance:report_activities": {"pk": Pick(StatusReport, DRAFT_REPORT)},
    "governance:report_reviews": {"pk": Pick(StatusReport, DRAFT_REPORT)},
    "governance:report_finish": {"pk": Pick(StatusReport, DRAFT_REPORT)},
    "governance:calendar_feed_revoke": {"pk": Pick(CalendarFeed, own="created_by")},
    "governance:document_add": {"pk": Pick(Meeting)},
    "governance:documents_share": {"pk": Pick(Meeting)},
    "governance:document_detail": {"pk": Pick(MeetingDocument, SHARED_DOCUMENT)},
    "governance:document_download": {"pk": Pick(MeetingDocument, SHARED_DOCUMENT)},
    "governance:document_version": {
        "pk": Pick(MeetingDocument, SHARED_DOCUMENT),
        "number": Ordinal(_latest_document_file),
    },
    "governance:document_version_add": {"pk": Pick(MeetingDocument, EDITABLE_DOCUMENT)},
    "governance:document_edit": {"pk": Pick(MeetingDocument, EDITABLE_DOCUMENT)},
    "governance:document_archive": {"pk": Pick(MeetingDocument, EDITABLE_DOCUMENT)},
    "governance:import_detail": {"pk": Pick(MinutesImport)},
    "governance:import_file": {"pk": Pick(ImportedFile, IN_REVIEW)},
    "governance:import_file_skip": {"pk": Pick(ImportedFile, IN_REVIEW)},
    "governance:import_file_undo": {"pk": Pick(ImportedFile, IMPORTED)},
    "governance:import_file_original": {"pk": Pick(ImportedFile)},
}

IMPLEMENTATION: dict[str, dict[str, Spec]] = {
    "implementation:staircase_version": {"version": Ordinal(_staircase_version)},
    "implementation:step_edit": {"pk": Pick(Step)},
    "implementation:step_remove": {"pk": Pick(Step)},
    "implementation:criterion_add": {"pk": Pick(Step)},
    "implementation:criterion_edit": {"pk": Pick(Criterion)},
    "implementation:criterion_remove": {"pk": Pick(Criterion)},
    "implementation:assessment_principal": {"pk": Pick(Principal)},
    "implementation:assessment_detail": {"pk": Pick(SelfAssessment)},
    "implementation:assessment_edit": {"pk": Pick(SelfAssessment, EDITABLE_ASSESSMENT)},
    "implementation:assessment_rate": {
        "pk": Pick(SelfAssessment, EDITABLE_ASSESSMENT),
        "criterion_pk": Pick(Criterion, of=("pk", "step__staircase__assessments")),
    },
    "implementation:assessment_submit": {"pk": Pick(SelfAssessment, EDITABLE_ASSESSMENT)},
    "implementation:assessment_approve": {"pk": Pick(SelfAssessment, SUBMITTED_ASSESSMENT)},
    "implementation:assessment_return": {"pk": Pick(SelfAssessment, SUBMITTED_ASSESSMENT)},
    "implementation:attachment_add": {"pk": Pick(SelfAssessment, EDITABLE_ASSESSMENT)},
    "implementation:attachment_download": {
        "pk": Pick(SelfAssessment, Q(attachments__isnull=False)),
        "attachment_pk": Pick(AssessmentAttachment, of=("pk", "assessment")),
    },
    "implementation:attachment_remove": {
        "pk": Pick(SelfAssessment, Q(attachments__isnull=False)),
        "attachment_pk": Pick(AssessmentAttachment, of=("pk", "assessment")),
    },
    "implementation:focus_area_edit": {"pk": Pick(FocusArea)},
    "implementation:focus_area_archive": {"pk": Pick(FocusArea)},
    "implementation:focus_area_restore": {"pk": Pick(FocusArea)},
    "implementation:wellbeing_area_edit": {"pk": Pick(WellbeingArea)},
    "implementation:wellbeing_area_archive": {"pk": Pick(WellbeingArea)},
    "implementation:wellbeing_area_restore": {"pk": Pick(WellbeingArea)},
    "implementation:goal_edit": {"pk": Pick(Goal)},
    "implementation:goal_archive": {"pk": Pick(Goal)},
    "implementation:goal_restore": {"pk": Pick(Goal)},
    "implementation:indicator_detail": {"pk": Pick(Indicator)},
    "implementation:indicator_edit": {"pk": Pick(Indicator)},
    "implementation:indicator_archive": {"pk": Pick(Indicator)},
    "implementation:indicator_restore": {"pk": Pick(Indicator)},
    "implementation:appointment_edit": {"pk": Pick(Appointment)},
    "implementation:appointment_end": {"pk": Pick(Appointment)},
    "implementation:appointment_archive": {"pk": Pick(Appointment)},
    "implementation:function_edit": {"pk": Pick(AppointmentFunction)},
    "implementation:function_archive": {"pk": Pick(AppointmentFunction)},
    "implementation:function_restore": {"pk": Pick(AppointmentFunction)},
    "implementation:example_principal": {"pk": Pick(Principal)},
    "implementation:example_detail": {"pk": Pick(GoodExample)},
    "implementation:example_edit": {"pk": Pick(GoodExample)},
    "implementation:example_publish": {"pk": Pick(GoodExample)},
    "implementation:example_archive": {"pk": Pick(GoodExample)},
    "implementation:sub_project_detail": {"pk": Pick(SubProject)},
    "implementation:sub_project_edit": {"pk": Pick(SubProject)},
    "implementation:sub_project_archive": {"pk": Pick(SubProject)},
    "implementation:activity_edit": {"pk": Pick(Activity)},
    "implementation:activity_archive": {"pk": Pick(Activity)},
}

RESEARCH: dict[str, dict[str, Spec]] = {
    "research:token_revoke": {"pk": Pick(ApiToken, own="user")},
    "research:report_archive": {"pk": Pick(ResearchReport)},
}

# The public site's members' pages (/<tenant_slug>/offentlig/).
PUBLIC_ADMIN: dict[str, dict[str, Spec]] = {
    "public_admin:consent_add": {"pk": Pick(Person, LIVE)},
    "public_admin:consent_withdraw": {"pk": Pick(ContactConsent, Q(withdrawn_at__isnull=True))},
    "public_admin:example_preview": {"pk": Pick(GoodExample, LIVE)},
}

# The newsletter's members' pages (/<tenant_slug>/nyhetsbrev/).
NEWSLETTER: dict[str, dict[str, Spec]] = {
    "newsletter:newsletter_detail": {"pk": Pick(Newsletter)},
    "newsletter:newsletter_edit": {"pk": Pick(Newsletter, DRAFT_NEWSLETTER)},
    "newsletter:newsletter_send": {"pk": Pick(Newsletter, DRAFT_NEWSLETTER)},
    "newsletter:newsletter_retry": {"pk": Pick(Newsletter)},
}

# Archive and disposal (archives/): a hold, and the demo's disposal awaiting approval.
ARCHIVES: dict[str, dict[str, Spec]] = {
    "archives:hold_release": {"pk": Pick(RetentionHold, Q(released_at__isnull=True))},
    "archives:run_detail": {"pk": Pick(DisposalRun)},
    "archives:run_approve": {"pk": Pick(DisposalRun, Q(status="proposed"))},
    "archives:run_cancel": {"pk": Pick(DisposalRun, Q(status="proposed"))},
    "archives:run_protocol": {"pk": Pick(DisposalRun)},
}

# Other apps add their tables here.
OBJECT_KWARGS: dict[str, dict[str, Spec]] = {
    **PORTAL,
    **GOVERNANCE,
    **IMPLEMENTATION,
    **RESEARCH,
    **PUBLIC_ADMIN,
    **NEWSLETTER,
    **ARCHIVES,
}

# Kwargs that are not object ids and need no mapping (filled by `fixed_kwargs`).
# (calendar_feed's token is a secret: it has its own tests.)
NOT_IDS = {"tenant_slug", "token", "uidb64"}


def _document_kinds() -> list[str]:
    from portal.documents import registry as documents

    return [kind.key for kind in documents.kinds()]


def _datasets() -> list[str]:
    from research import datasets

    return list(datasets.DATASETS)


def _panels(scope: str) -> Callable[[], list[str]]:
    def keys() -> list[str]:
        from portal.dashboards import registry

        return [panel.key for panel in registry.panels(scope)]

    return keys


# String kwargs that name a registered thing: the route is probed once per value.
STRING_KWARGS: dict[tuple[str, str], Callable[[], list[str]]] = {
    ("portal:document_request", "kind"): _document_kinds,
    ("portal:dashboard_panel", "key"): _panels("programme"),
    ("portal:principal_dashboard_panel", "key"): _panels("principal"),
    ("research_api:get_dataset", "key"): _datasets,
    ("research_api:dataset_rows", "key"): _datasets,
    ("archives:rule_edit", "kind"): lambda: list(RecordKind.values),
}


def document_request_specs() -> dict[str, dict[str, Spec]]:
    """`document_request`'s object id is of its kind's model."""
    from portal.documents import registry as documents

    # A research export is for the researcher who asked for it (404 to others).
    own = {"research_export": "requested_by"}
    return {
        kind.key: {"object_id": Pick(kind.model, own=own.get(kind.key))}
        for kind in documents.kinds()
    }


__all__ = [
    "LIVE",
    "NOT_IDS",
    "OBJECT_KWARGS",
    "STRING_KWARGS",
    "Ordinal",
    "Pick",
    "Spec",
    "document_request_specs",
]


# What role a route needs: the rule of portal/permissions.py it must enforce.
# By convention from the route's app and verb, with the exceptions named below;
# `test_every_tenant_route_has_a_rule` fails for a route nobody classified.
WRITE_VERBS = (
    "create", "add", "edit", "archive", "restore", "remove", "cancel", "plan_next",
    "finish", "revise", "move", "set", "status", "repeal", "end", "publish",
    "deactivate", "reactivate",
)  # fmt: skip
READ_VERBS = (
    "list", "detail", "versions", "version", "principal", "queue", "ics", "feeds",
    "search", "home", "dashboard", "panel", "people", "principals", "members",
)  # fmt: skip

APP_RULES = {
    # app: (read rule, write rule)
    "governance": ("governance.view_approved_minutes", "governance.edit"),
    "implementation": ("implementation.view", "implementation.edit"),
    "portal": ("portal.view", None),
    "research": ("research.export", "research.export"),
}

RULE_OVERRIDES: dict[str, str | None] = {
    # Importing old minutes: process leaders only, reading pages too.
    "governance:import_list": "governance.edit",
    "governance:import_detail": "governance.edit",
    "governance:import_file": "governance.edit",
    "governance:import_file_skip": "governance.edit",
    "governance:import_file_undo": "governance.edit",
    "governance:import_file_original": "governance.edit",
    # Diary numbers and secrecy after the fact: process leaders only.
    "governance:meeting_registry": "governance.edit",
    # Directory administration
    "portal:principal_create": "portal.manage_directory",
    "portal:principal_edit": "portal.manage_directory",
    "portal:principal_archive": "portal.manage_directory",
    "portal:principal_restore": "portal.manage_directory",
    "portal:operation_create": "portal.manage_directory",
    "portal:operation_edit": "portal.manage_directory",
    "portal:operation_archive": "portal.manage_directory",
    "portal:operation_restore": "portal.manage_directory",
    "portal:person_create": "portal.manage_people",
    "portal:person_edit": "portal.manage_people",
    "portal:person_archive": "portal.manage_people",
    "portal:person_restore": "portal.manage_people",
    "portal:members": "portal.manage_members",
    "portal:member_add": "portal.manage_members",
    "portal:member_edit": "portal.manage_members",
    "portal:member_person": "portal.manage_members",
    "portal:member_deactivate": "portal.manage_members",
    "portal:member_reactivate": "portal.manage_members",
    # The programme's statements and a person's data export: administrators
    "portal:statement_accessibility": "portal.manage_members",
    "portal:statement_privacy": "portal.manage_members",
    "portal:statement_person_pick": "portal.manage_members",
    "portal:statement_person_export": "portal.manage_members",
    # Documents: the kind's own rule (see `required_rule`)
    "portal:document_request": "document",
    "portal:document_status": "document",
    "portal:document_retry": "document",
    "portal:document_download": "document",
    # "Kontrollera ett dokument": any member checks an uploaded PDF
    "portal:document_check": "portal.view",
    # Governance registers that only finished minutes feed
    "governance:action_list": "governance.view_finished",
    "governance:action_detail": "governance.view_finished",
    "governance:risk_list": "governance.view_finished",
    "governance:risk_detail": "governance.view_finished",
    "governance:report_list": "governance.view_finished",
    "governance:report_detail": "governance.view_finished",
    "governance:minutes_approve": "governance.approve_minutes",
    # The report-back loop: a principal's own reporters (and process leaders) answer
    "governance:principal_assignments": "governance.view_report_back",
    "governance:action_answer": "governance.answer_action",
    "governance:minutes_return": "governance.approve_minutes",
    "governance:minutes_comment_resolve": "governance.edit",
    "governance:minutes_paper_signature": "governance.edit",
    # Meeting documents: downloaded by the meeting's readers, shared by process leaders
    "governance:document_download": "governance.view_approved_minutes",
    "governance:documents_share": "governance.edit",
    "governance:report_activities": "governance.edit",
    "governance:agenda_report_present": "governance.edit",
    "governance:report_reviews": "governance.edit",
    # The roster: one click per person, or "the others" at once
    "governance:attendance_mark": "governance.edit",
    "governance:attendance_mark_others": "governance.edit",
    # Programme events: a cancelled event is planned again by process leaders
    "governance:event_reinstate": "governance.edit",
    # A member's own calendar feeds
    "governance:calendar_feed_revoke": "governance.view_approved_minutes",
    # The calendar client has no login: the secret token is the key.
    "governance:calendar_feed": None,
    # The notice: sent by process leaders; answered by a member called to the
    # meeting, for their own person (403 for anyone else, whatever the role),
    # or through the signed link of the e-mail, without a login.
    "governance:notice_send": "governance.edit",
    "governance:meeting_reply": None,
    "governance:reply_link": None,
    # Self-assessments: reporters write their own principal's
    "implementation:assessment_create": "implementation.view",
    "implementation:assessment_edit": "implementation.report",
    "implementation:assessment_rate": "implementation.report",
    "implementation:assessment_submit": "implementation.report",
    "implementation:attachment_add": "implementation.report",
    "implementation:attachment_remove": "implementation.report",
    "implementation:assessment_approve": "implementation.review",
    "implementation:assessment_return": "implementation.review",
    "implementation:assessment_review_queue": "implementation.review",
    "implementation:attachment_download": "implementation.view",
    "implementation:indicator_report": "implementation.view",
    "implementation:staircase_detail": "implementation.view",
    # Research
    "research:export": "research.export",
    "research:export_stream": "research.export",
    "research:token_revoke": "research.export",
    "research:report_list": "research.view_reports",
    "research:report_add": "research.manage_reports",
    "research:report_archive": "research.manage_reports",
    # The research API answers API tokens, not logins (tests/trust/test_bad_input.py
    # and tests/research cover it): a logged-in member without a token gets 401.
    "research_api:list_datasets": None,
    "research_api:get_dataset": None,
    "research_api:dataset_rows": None,
    # The public site's members' pages: its settings are the programme
    # administrators'; consents are kept by process leaders and administrators;
    # the preview of a good example is for those who publish examples.
    "public_admin:settings": "portal.manage_members",
    # The newsletter: process leaders compose, edit and send it.
    "newsletter:newsletter_list": "governance.edit",
    "newsletter:newsletter_compose": "governance.edit",
    "newsletter:newsletter_detail": "governance.edit",
    "newsletter:newsletter_edit": "governance.edit",
    "newsletter:newsletter_send": "governance.edit",
    "newsletter:newsletter_retry": "governance.edit",
    "public_admin:consents": "portal.manage_people",
    "public_admin:consent_add": "portal.manage_people",
    "public_admin:consent_withdraw": "portal.manage_people",
    "public_admin:example_preview": "implementation.edit",
    # The audit log (portal/views/audit.py): programme administrators and
    # process leaders, read only. No rule of its own (`selectors_audit.may_read`
    # asks "portal.manage_members" or "governance.edit"); "portal.manage_people"
    # is the rule that admits exactly those two roles.
    "portal:audit_log": "portal.manage_people",
    "portal:audit_export": "portal.manage_people",
    # The programme's single sign-on requirement (sso/): administrators.
    "sso_admin:policy": "portal.manage_members",
    # Archive packages, retention rules and disposal: programme administrators.
    "archives:overview": "archives.manage",
    "archives:package_create": "archives.manage",
    "archives:rule_edit": "archives.manage",
    "archives:hold_add": "archives.manage",
    "archives:hold_release": "archives.manage",
    "archives:disposal_preview": "archives.manage",
    "archives:disposal_create": "archives.manage",
    "archives:run_detail": "archives.manage",
    "archives:run_approve": "archives.manage",
    "archives:run_cancel": "archives.manage",
    "archives:run_protocol": "archives.manage",
}


def required_rule(route_name: str) -> str | None:
    """The rule a route needs ("document": its document kind's). KeyError when
    neither the convention nor an override classifies it."""
    if route_name in RULE_OVERRIDES:
        return RULE_OVERRIDES[route_name]
    app, _, name = route_name.partition(":")
    read, write = APP_RULES[app]
    if name.endswith(WRITE_VERBS) and write is not None:
        return write
    if name.endswith(READ_VERBS):
        return read
    raise KeyError(f"{route_name}: no rule; add it to RULE_OVERRIDES in tests/trust/routemap.py")
