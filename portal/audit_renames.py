"""The audit action names before the one vocabulary (`portal.audit`), and the
names they became.

Frozen history, not configuration: the migration `0007_audit_vocabulary`
renames the stored rows with it, and `portal.archive` renames the rows of an
archive written before that migration on import. A new action name needs no
entry here.

Before the convention most services wrote a bare verb and let `object_type`
say what it was done to. A plain create, update, archive, restore or delete
becomes `<noun>.<verb>` with the object type's noun; every other name is
listed with its object type in `SPECIAL`.
"""

from __future__ import annotations

# Each audited model's noun (`portal.audit.noun`), by `object_type`.
NOUNS = {
    "otp_totp.totpdevice": "totp_device",
    "portal.user": "user",
    "portal.tenant": "tenant",
    "portal.principal": "principal",
    "portal.operation": "operation",
    "portal.person": "person",
    "portal.membership": "membership",
    "portal.auditevent": "audit_event",
    "portal.generatedfile": "generated_file",
    "governance.body": "body",
    "governance.bodymember": "body_member",
    "governance.meeting": "meeting",
    "governance.minutesversion": "minutes_version",
    "governance.minutessignature": "minutes_signature",
    "governance.minutescomment": "minutes_comment",
    "governance.minutessigningnotice": "minutes_signing_notice",
    "governance.agendaitem": "agenda_item",
    "governance.attendance": "attendance",
    "governance.decision": "decision",
    "governance.actionitem": "action_item",
    "governance.actionstatuschange": "action_status_change",
    "governance.actionanswer": "action_answer",
    "governance.actionreminder": "action_reminder",
    "governance.risk": "risk",
    "governance.riskreview": "risk_review",
    "governance.statusreport": "status_report",
    "governance.reportactivity": "report_activity",
    "governance.meetingdocument": "meeting_document",
    "governance.meetingdocumentfile": "meeting_document_file",
    "governance.programmeevent": "programme_event",
    "governance.meetingnotice": "meeting_notice",
    "governance.meetingnoticerecipient": "meeting_notice_recipient",
    "governance.meetingreply": "meeting_reply",
    "governance.calendarfeed": "calendar_feed",
    "implementation.staircase": "staircase",
    "implementation.step": "step",
    "implementation.criterion": "criterion",
    "implementation.selfassessment": "self_assessment",
    "implementation.criterionrating": "criterion_rating",
    "implementation.assessmentattachment": "assessment_attachment",
    "implementation.assessmentstatuschange": "assessment_status_change",
    "implementation.focusarea": "focus_area",
    "implementation.wellbeingarea": "wellbeing_area",
    "implementation.goal": "goal",
    "implementation.indicator": "indicator",
    "implementation.indicatorvalue": "indicator_value",
    "implementation.appointmentfunction": "appointment_function",
    "implementation.appointment": "appointment",
    "implementation.subproject": "sub_project",
    "implementation.activity": "activity",
    "implementation.goodexample": "good_example",
    "implementation.reminder": "reminder",
    "research.pseudonymkey": "pseudonym_key",
    "research.dataexport": "data_export",
    "research.apitoken": "api_token",
    "research.researchreport": "research_report",
}

GENERIC_VERBS = ("create", "update", "archive", "restore", "delete")

SPECIAL = {
    ("otp_totp.totpdevice", "two_factor.enable"): "totp_device.enable",
    ("otp_totp.totpdevice", "two_factor.disable"): "totp_device.disable",
    ("portal.tenant", "programme.export"): "tenant.export",
    ("portal.tenant", "programme.import"): "tenant.import",
    ("portal.tenant", "seed_bench"): "tenant.bench.seed",
    ("portal.tenant", "reminders"): "tenant.reminders.send",
    ("portal.membership", "member_add"): "membership.add",
    ("portal.principal", "report_back_reminder"): "principal.report_back.remind",
    ("portal.generatedfile", "document_request"): "generated_file.request",
    ("portal.generatedfile", "document_retry"): "generated_file.retry",
    ("governance.actionitem", "status"): "action_item.status.change",
    ("governance.actionitem", "status_history"): "action_item.status_history.add",
    ("governance.bodymember", "end_period"): "body_member.period.end",
    ("governance.calendarfeed", "revoke"): "calendar_feed.revoke",
    ("governance.decision", "repeal"): "decision.repeal",
    ("governance.meeting", "reorder"): "meeting.agenda.reorder",
    ("governance.meeting", "attendance_mark_others"): "meeting.attendance.mark_others",
    ("governance.meeting", "attendance_from_reply"): "meeting.attendance.update_from_reply",
    ("governance.meeting", "minutes_finish"): "meeting.minutes.finish",
    ("governance.meeting", "minutes_approve"): "meeting.minutes.approve",
    ("governance.meeting", "minutes_revise"): "meeting.minutes.revise",
    ("governance.meeting", "minutes_revision_merge"): "meeting.minutes.revision.merge",
    ("governance.meeting", "minutes_signatures_void"): "meeting.minutes.signatures.void",
    ("governance.meeting", "minutes_sign"): "meeting.minutes.sign",
    ("governance.meeting", "minutes_return"): "meeting.minutes.return",
    ("governance.meeting", "minutes_comment"): "meeting.minutes.comment",
    ("governance.minutescomment", "minutes_comment_resolve"): "minutes_comment.resolve",
    ("governance.meetingdocument", "document_add"): "meeting_document.add",
    ("governance.meetingdocument", "document_replace"): "meeting_document.file.replace",
    ("governance.meetingdocument", "share"): "meeting_document.share",
    ("governance.meetingnotice", "notice_send"): "meeting_notice.send",
    ("governance.risk", "reassess"): "risk.reassess",
    ("governance.statusreport", "activities"): "status_report.activities.set",
    ("governance.statusreport", "link_reviews"): "status_report.reviews.link",
    ("governance.statusreport", "present"): "status_report.present",
    ("implementation.selfassessment", "rate"): "self_assessment.rate",
    ("implementation.selfassessment", "submit"): "self_assessment.submit",
    ("implementation.selfassessment", "approve"): "self_assessment.approve",
    ("implementation.selfassessment", "return"): "self_assessment.return",
    ("implementation.assessmentattachment", "attachment_add"): "assessment_attachment.add",
    ("implementation.assessmentattachment", "attachment_remove"): "assessment_attachment.remove",
    ("implementation.staircase", "staircase_default"): "staircase.default.create",
    ("implementation.staircase", "step_remove"): "staircase.step.remove",
    ("implementation.step", "step_add"): "step.add",
    ("implementation.step", "step_update"): "step.update",
    ("implementation.step", "criterion_remove"): "step.criterion.remove",
    ("implementation.criterion", "criterion_add"): "criterion.add",
    ("implementation.criterion", "criterion_update"): "criterion.update",
    ("research.pseudonymkey", "research_pseudonym_key_create"): "pseudonym_key.create",
    ("research.dataexport", "research_export"): "data_export.request",
    ("research.dataexport", "research_export_stream"): "data_export.stream",
    ("research.apitoken", "research_token_create"): "api_token.create",
    ("research.apitoken", "research_token_revoke"): "api_token.revoke",
    ("research.apitoken", "research_api_read"): "api_token.api.read",
}

# A few special names equal a plain verb's new name (`step_update` and
# `update` both become `step.update`); the old code wrote only the special one
# for those objects, so going back prefers it.
_BACK = {(object_type, new): old for (object_type, old), new in SPECIAL.items()}


def renamed(object_type: str, action: str) -> str:
    """The name an event written before the convention has now; a name this
    table does not know (already new, or never written) stays as it is."""
    if (object_type, action) in SPECIAL:
        return SPECIAL[object_type, action]
    if action in GENERIC_VERBS and object_type in NOUNS:
        return f"{NOUNS[object_type]}.{action}"
    return action


def original(object_type: str, action: str) -> str:
    """The name `renamed` came from, for going back."""
    if (object_type, action) in _BACK:
        return _BACK[object_type, action]
    noun, _, verb = action.partition(".")
    if verb in GENERIC_VERBS and NOUNS.get(object_type) == noun:
        return verb
    return action


def pairs() -> list[tuple[str, str, str]]:
    """Every (object type, old name, new name) the table knows."""
    generic = [(t, verb, f"{noun}.{verb}") for t, noun in NOUNS.items() for verb in GENERIC_VERBS]
    return generic + [(t, old, new) for (t, old), new in SPECIAL.items()]
