"""Every page of the portal passes axe-core at WCAG 2.1 A and AA, with the demo
programmes' realistic data (seed_demo) and the few things the demo lacks made
by the services (a submitted self-assessment with an attachment, a PDF job, a
calendar feed, a research report).

The test walks the URLconf (tests/urlwalk.py). Each GET route is filled with
real objects of the Sörmland programme and visited, in one browser, as a role
that may see it (one login per role). The objects come from the one
route→object map that the isolation probe uses too (tests/trust/routemap.py):
a page is visited as the first role whose rule lets it in, with the objects
the map picks for that role. `pages()` below only names the visits the map
cannot make: pages outside a programme, particular states the demo data is
brought into (a draft self-assessment, minutes waiting for the chair), more
than one role, or a query string. A route that answers GET and is neither
filled nor on the explicit list of non-HTML routes fails the test by name, so
a new page is covered the day it is added. Routes that only take POST (405 on
GET) are found by asking, not listed."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Browser, Page

from governance import models as gov
from governance.selectors import report_back
from governance.services import calendar as calendar_services
from governance.services import notices
from implementation import models as imp
from implementation.services import assessments as assessment_services
from implementation.services import staircase as staircase_services
from portal.documents import requests as document_requests
from portal.documents.registry import get_kind
from portal.models import GeneratedFile, Membership, Operation, Person, Principal, Tenant, User
from public.models import Newsletter, NewsletterStatus, Subscriber
from public.services import newsletter as newsletter_services
from research import services as research_services
from tests.e2e.conftest import ARTIFACTS, assert_accessible
from tests.trust.probe import first_allowed, probes, unknown_string_kwargs, unmapped_kwargs
from tests.trust.programmes import Programme
from tests.urlwalk import Route, routes, sample_kwargs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The demo logins (password "demo") and who else visits.
LEADER, STEERING, REPORTER, RESEARCHER, ADMIN = (
    "processledare",
    "styrgrupp",
    "kommun",
    "forskare",
    "admin",
)
ANONYMOUS = "anonymous"
# The demo login of each role (the keys of tests/conftest.py's ROLES).
DEMO_LOGINS = {
    "leader": LEADER,
    "steering": STEERING,
    "reporter": REPORTER,
    "researcher": RESEARCHER,
    "admin": ADMIN,
}
TWO_FACTOR = "tvafaktor"  # has a TOTP device: stops at the code step of the login

# Routes that answer GET with something other than an HTML page. Nothing else
# may be left out.
NON_HTML = {
    "healthz": "JSON health check",
    "set_language": "redirects back (the language form posts to it)",
    "governance:meeting_ics": "iCalendar file",
    "governance:calendar_feed": "iCalendar feed",
    "governance:event_ics": "iCalendar file",
    "portal:document_download": "the PDF or zip file",
    "implementation:attachment_download": "the uploaded file",
    "governance:document_download": "the uploaded file",
    "governance:import_file_original": "the uploaded file of old minutes",
    "public:event_ics": "iCalendar file",
    "public:feed": "Atom feed",
    "public:api": "JSON for a server-side include",
    "governance:document_version": "the uploaded file",
    "research:export_stream": "CSV stream",
    "portal:audit_export": "CSV file of the audit log",
    "research_api:api-root": "JSON API",
    "research_api:openapi-json": "OpenAPI schema (JSON)",
    "research_api:list_datasets": "JSON API",
    "research_api:get_dataset": "JSON API",
    "research_api:dataset_rows": "JSON API",
    "portal:statement_person_export": "JSON file of one person's data",
    "archives:run_protocol": "CSV file of a disposal record (gallringsprotokoll)",
    "sso:oidc_login": "redirects to the identity provider",
    "sso:oidc_callback": "the provider's redirect back: logs in and redirects",
    "sso:saml_login": "redirects to the identity provider",
    "sso:saml_acs": "the IdP posts its answer here (POST only; an unknown provider is 404)",
    "sso:saml_metadata": "SAML metadata (XML)",
    "sso:saml_sls": "the IdP's logout answer: redirects",
}


@dataclass
class Visit:
    role: str
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Demo:
    """The Sörmland demo programme's objects the pages are filled with."""

    tenant: Tenant
    principal: Principal
    operation: Operation
    person: Person
    membership: Membership
    reset_uid: str
    reset_token: str
    meeting: gov.Meeting  # planned, minutes in draft
    approved: gov.Meeting  # minutes approved, with a version
    finished: gov.Meeting  # minutes finished, waiting for the chair (STEERING) to sign
    item: gov.AgendaItem  # of `meeting`, without decisions
    follow_up: gov.AgendaItem  # follows up assignments carried from earlier meetings
    attendance: gov.Attendance
    decision: gov.Decision  # in force
    body_member: gov.BodyMember  # current
    risk: gov.Risk
    report: gov.StatusReport  # draft
    presented: gov.StatusReport  # finished, presented at a meeting: shown in full there
    planning_day: gov.Meeting  # a date without times
    document: gov.MeetingDocument  # shared, of minutes not approved
    image: gov.MeetingDocument  # shown in the minutes under its item
    called: gov.Meeting  # planned, its notice sent: members answer it
    reply_token: str  # a member's signed answer link to `called`
    event: gov.ProgrammeEvent  # an upcoming programme event
    asked: gov.ActionItem  # open, asks the demo principal to answer it
    old_staircase: imp.Staircase
    step: imp.Step
    criterion: imp.Criterion
    draft: imp.SelfAssessment
    submitted: imp.SelfAssessment
    approved_assessment: imp.SelfAssessment
    attachment: imp.AssessmentAttachment
    appointment: imp.Appointment  # current
    job: GeneratedFile
    public_example: imp.GoodExample  # published, on Sörmland's public site
    public_event: gov.ProgrammeEvent  # upcoming, on the public site
    sent_newsletter: Newsletter  # in the public site's newsletter archive
    confirm_token: str  # a new subscriber's confirmation link
    unsubscribe_token: str  # a confirmed subscriber's unsubscribe link


def _first(queryset: Any, what: str) -> Any:
    obj = queryset.first()
    assert obj is not None, f"the demo data has no {what}"
    return obj


def build_demo(monkeypatch: pytest.MonkeyPatch) -> Demo:
    """On the seeded demo (`fresh_demo`): what the walk needs, and what the demo lacks."""
    with scopes_disabled():
        tenant = Tenant.objects.get(slug="sormland")
        users = {u.username: u for u in User.objects.all()}
        reporter = Membership.objects.get(tenant=tenant, user=users[REPORTER])
        leader_membership = Membership.objects.get(tenant=tenant, user=users[LEADER])
        principal = reporter.principal
    assert principal is not None
    with scope(tenant=tenant):
        meetings = gov.Meeting.objects.filter(tenant=tenant, archived_at__isnull=True)
        meeting = _first(
            meetings.filter(status="planerat", minutes_status="utkast").order_by("starts_at"),
            "planned meeting",
        )
        item = _first(
            gov.AgendaItem.objects.filter(meeting=meeting, decisions__isnull=True),
            "agenda item without decisions",
        )
        approved = _first(
            meetings.filter(minutes_status="justerad", versions__isnull=False).distinct(),
            "approved minutes",
        )
        finished = _first(meetings.filter(minutes_status="fardigstalld"), "finished minutes")
        decision = _first(
            gov.Decision.objects.filter(tenant=tenant).exclude(status="upphavd"), "decision"
        )
        body_member = _first(
            gov.BodyMember.objects.filter(body__tenant=tenant, end_date__isnull=True),
            "current body member",
        )
        # What the demo lacks: an earlier version of the staircase (a step
        # renamed after assessments were made); a draft and a submitted self-assessment, with an
        # attachment; a PDF being made; a calendar feed; a research report.
        today = timezone.localdate()
        step = imp.Step.objects.get(tenant=tenant, staircase__is_current=True, number=2)
        staircase_services.step_update(
            actor=users[LEADER], step=step, name=f"{step.name} i ledningen", goal=step.goal
        )
        operations = Operation.objects.filter(principal=principal).order_by("pk")
        assessments = imp.SelfAssessment.objects.filter(tenant=tenant, principal=principal)
        open_subjects = set(
            assessments.exclude(status="godkand").values_list("operation_id", flat=True)
        )
        free = [op for op in operations if op.pk not in open_subjects]
        assert len(free) >= 2, "the demo principal needs two operations without open assessments"
        draft = assessment_services.assessment_create(
            actor=users[REPORTER],
            tenant=tenant,
            principal=principal,
            operation=free[0],
            period_start=today - datetime.timedelta(days=90),
            period_end=today,
        )
        assessment_services.attachment_add(
            actor=users[REPORTER],
            assessment=draft,
            upload=SimpleUploadedFile(
                "underlag.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
            ),
        )
        submitted = assessment_services.assessment_create(
            actor=users[REPORTER],
            tenant=tenant,
            principal=principal,
            operation=free[1],
            period_start=today - datetime.timedelta(days=90),
            period_end=today,
        )
        criteria = imp.Criterion.objects.filter(step__staircase_id=submitted.staircase_id)
        submitted = assessment_services.assessment_update(
            actor=users[REPORTER],
            assessment=submitted,
            period_start=submitted.period_start,
            period_end=submitted.period_end,
            ratings={c.pk: imp.Rating.IN_PROGRESS for c in criteria},
            evidence="Arbetet har påbörjats i alla skolor.",
        )
        submitted = assessment_services.assessment_submit(
            actor=users[REPORTER], assessment=submitted
        )
        monkeypatch.setattr(document_requests, "enqueue", lambda **kwargs: None)
        job = document_requests.request_document(
            actor=users[LEADER],
            membership=leader_membership,
            tenant=tenant,
            kind=get_kind("minutes"),
            obj=approved,
        )
        calendar_services.feed_create(actor=users[LEADER], tenant=tenant)
        research_services.report_create(
            actor=users[RESEARCHER],
            membership=Membership.objects.get(tenant=tenant, user=users[RESEARCHER]),
            tenant=tenant,
            title="Delrapport 1: samverkan kring barnens bästa",
            published_on=today - datetime.timedelta(days=30),
            summary="Följeforskningens första delrapport.",
        )
        staircases = imp.Staircase.objects.filter(tenant=tenant)
        current = staircases.get(is_current=True)
        called = _first(
            meetings.filter(status="planerat", notices__isnull=False).distinct(),
            "planned meeting with its notice sent",
        )
        called_member = _first(
            Person.objects.filter(pk__in=[p.pk for p in notices.invitees(called)]),
            "member called to the meeting",
        )
        return Demo(
            tenant=tenant,
            principal=principal,
            operation=free[0],
            person=_first(
                Person.objects.filter(
                    tenant=tenant, membership__isnull=True, archived_at__isnull=True
                ),
                "person",
            ),
            membership=Membership.objects.get(tenant=tenant, user=users[STEERING]),
            reset_uid=urlsafe_base64_encode(force_bytes(users[STEERING].pk)),
            reset_token=default_token_generator.make_token(users[STEERING]),
            meeting=meeting,
            approved=approved,
            finished=finished,
            item=item,
            follow_up=_first(
                gov.AgendaItem.objects.filter(
                    meeting__in=meetings, follow_up_actions__isnull=False, archived_at__isnull=True
                ).distinct(),
                "agenda item following up assignments",
            ),
            attendance=_first(gov.Attendance.objects.filter(meeting=meeting), "attendance"),
            decision=decision,
            body_member=body_member,
            risk=_first(gov.Risk.objects.filter(tenant=tenant), "risk"),
            report=_first(
                gov.StatusReport.objects.filter(tenant=tenant, status="utkast"),
                "draft status report",
            ),
            presented=_first(
                gov.StatusReport.objects.filter(
                    tenant=tenant, status="fardigstalld", presented_at__isnull=False
                ).select_related("presented_at"),
                "finished status report presented at a meeting",
            ),
            planning_day=_first(
                gov.Meeting.objects.filter(tenant=tenant, all_day=True), "meeting without times"
            ),
            document=_first(
                gov.MeetingDocument.objects.filter(
                    tenant=tenant, shared_at__isnull=False, archived_at__isnull=True
                )
                .exclude(meeting__minutes_status="justerad")
                .order_by("pk"),
                "shared meeting document",
            ),
            image=_first(
                gov.MeetingDocument.objects.filter(tenant=tenant, show_in_minutes=True),
                "image shown in the minutes",
            ),
            called=called,
            reply_token=notices.reply_token(called, called_member),
            event=_first(
                gov.ProgrammeEvent.objects.filter(
                    tenant=tenant, status="planerat", starts_at__gt=timezone.now()
                ),
                "upcoming programme event",
            ),
            asked=_first(
                report_back.principal_assignment_rows(
                    tenant=tenant, principal=principal, minutes_statuses=None
                ),
                "assignment the principal answers",
            ),
            old_staircase=_first(staircases.filter(is_current=False), "earlier staircase"),
            step=_first(current.steps.order_by("-number"), "step"),
            criterion=_first(imp.Criterion.objects.filter(step__staircase=current), "criterion"),
            draft=draft,
            submitted=submitted,
            approved_assessment=_first(
                imp.SelfAssessment.objects.filter(tenant=tenant, status="godkand"),
                "approved self-assessment",
            ),
            attachment=draft.attachments.get(),
            appointment=_first(
                imp.Appointment.objects.filter(tenant=tenant, end_date__isnull=True),
                "current appointment",
            ),
            job=job,
            public_example=_first(
                imp.GoodExample.objects.filter(
                    tenant=tenant, published_at__isnull=False, archived_at__isnull=True
                ),
                "published good example",
            ),
            public_event=_first(
                gov.ProgrammeEvent.objects.filter(
                    tenant=tenant, public=True, status="planerat", starts_at__gt=timezone.now()
                ),
                "public upcoming event",
            ),
            sent_newsletter=_first(
                Newsletter.objects.filter(tenant=tenant, status=NewsletterStatus.SENT),
                "sent newsletter",
            ),
            confirm_token=_new_subscriber(tenant),
            unsubscribe_token=newsletter_services.unsubscribe_token(
                _first(
                    Subscriber.objects.filter(tenant=tenant, confirmed_at__isnull=False),
                    "confirmed subscriber",
                )
            ),
        )


def _new_subscriber(tenant: Tenant) -> str:
    """A signup waiting for its confirmation, with the token of its link."""
    token = "axe-walk-bekraftelse"
    Subscriber.objects.create(
        tenant=tenant,
        email="ny.prenumerant@example.se",
        token_hash=newsletter_services.token_hash(token),
    )
    return token


def pages(d: Demo) -> dict[str, list[Visit]]:
    """Route name → the visits that fill it by hand. The tenant slug is added.

    Only what the route→object map (tests/trust/routemap.py) cannot do: pages
    outside a programme, objects in a particular state, more than one login,
    a query string. Every other programme page is filled from the map."""

    def public(**kwargs: Any) -> list[Visit]:
        return [Visit(ANONYMOUS, {"site_slug": d.tenant.slug, **kwargs})]

    def leader(**kwargs: Any) -> list[Visit]:
        return [Visit(LEADER, kwargs)]

    def admin(**kwargs: Any) -> list[Visit]:
        return [Visit(ADMIN, kwargs)]

    def researcher(**kwargs: Any) -> list[Visit]:
        return [Visit(RESEARCHER, kwargs)]

    everyone = [Visit(role) for role in (LEADER, STEERING, REPORTER, RESEARCHER, ADMIN)]
    return {
        # Accounts
        "login": [Visit(ANONYMOUS)],
        "login_code": [Visit(TWO_FACTOR)],
        "two_factor": leader(),
        "password_change": leader(),
        "password_change_done": leader(),
        "password_reset": [Visit(ANONYMOUS)],
        "password_reset_done": [Visit(ANONYMOUS)],
        "password_reset_confirm": [
            Visit(ANONYMOUS, {"uidb64": d.reset_uid, "token": d.reset_token})
        ],
        "password_reset_complete": [Visit(ANONYMOUS)],
        # Single sign-on: the choice of provider (a programme that requires it
        # sends password sessions there); the refusal page is checked in
        # tests/e2e/test_sso.py, where a real IdP refuses.
        "sso:choose": [Visit(ANONYMOUS), Visit(LEADER)],
        # Portal
        "portal:picker": leader(),  # the process leader leads two programmes
        "portal:accessibility": [Visit(ANONYMOUS), Visit(LEADER)],
        "portal:privacy": [Visit(ANONYMOUS)],
        # Each programme's statements: without a login, and for a member; the
        # other demo programme keeps its public site off.
        "portal:programme_accessibility": [
            Visit(ANONYMOUS, {"programme_slug": d.tenant.slug}),
            Visit(LEADER, {"programme_slug": "kronoberg"}),
        ],
        "portal:programme_privacy": [
            Visit(ANONYMOUS, {"programme_slug": d.tenant.slug}),
            Visit(ANONYMOUS, {"programme_slug": "kronoberg"}),
        ],
        "portal:statement_accessibility": admin(),
        "portal:statement_privacy": admin(),
        "portal:statement_person_pick": admin(),
        # The public site, without a login (Sörmland's is on in the demo).
        "public:programme": public(),
        "public:principals": public(),
        "public:principal": public(pk=d.principal.pk),
        "public:examples": public(),
        "public:example": public(pk=d.public_example.pk),
        "public:events": public(),
        "public:decisions": public(),
        "public:minutes": public(pk=d.approved.pk),
        "public:newsletter_signup": public(),
        "public:newsletter_signup_done": public(),
        "public:newsletter_confirm": public(token=d.confirm_token),
        "public:newsletter_unsubscribe": public(token=d.unsubscribe_token),
        "public:newsletter_archive": public(),
        "public:newsletter_issue": public(pk=d.sent_newsletter.pk),
        "portal:home": everyone,
        "portal:principal_dashboard": [
            Visit(LEADER, {"pk": d.principal.pk}),
            Visit(REPORTER, {"pk": d.principal.pk}),
        ],
        "portal:operation_edit": admin(pk=d.operation.pk),
        "portal:operation_archive": admin(pk=d.operation.pk),
        "portal:person_edit": leader(pk=d.person.pk),
        "portal:person_archive": leader(pk=d.person.pk),
        "portal:member_edit": admin(pk=d.membership.pk),
        "portal:member_person": admin(pk=d.membership.pk),
        "portal:member_deactivate": admin(pk=d.membership.pk),
        "portal:document_status": leader(pk=d.job.pk),
        "portal:document_check": [Visit(LEADER), Visit(REPORTER)],
        # The audit log: the whole, filtered, and one record's history ("Historik").
        "portal:audit_log": [
            Visit(ADMIN),
            Visit(LEADER, {"?": "action=meeting.minutes.&date_from=2020-01-01"}),
            Visit(LEADER, {"?": f"type=governance.meeting&id={d.approved.pk}"}),
        ],
        # Governance
        "governance:meeting_list": [Visit(LEADER), Visit(STEERING), Visit(REPORTER)],
        "governance:meeting_detail": [
            Visit(LEADER, {"pk": d.meeting.pk}),
            Visit(LEADER, {"pk": d.approved.pk}),
            Visit(STEERING, {"pk": d.approved.pk}),
            Visit(REPORTER, {"pk": d.approved.pk}),
            # With documents: to the meeting and its items; an image in the minutes.
            Visit(LEADER, {"pk": d.document.meeting_id}),
            Visit(STEERING, {"pk": d.document.meeting_id}),
            Visit(LEADER, {"pk": d.image.meeting_id}),
            # A status report in full under its item; a date without times.
            Visit(LEADER, {"pk": d.presented.presented_at.meeting_id}),
            Visit(STEERING, {"pk": d.presented.presented_at.meeting_id}),
            Visit(LEADER, {"pk": d.planning_day.pk}),
        ],
        "governance:meeting_edit": leader(pk=d.meeting.pk),
        "governance:meeting_cancel": leader(pk=d.meeting.pk),
        "governance:meeting_plan_next": leader(pk=d.approved.pk),
        "governance:agenda_item_add": leader(pk=d.meeting.pk),
        "governance:attendance_add": leader(pk=d.meeting.pk),
        "governance:minutes_revise": leader(pk=d.approved.pk),
        # Diary numbers and secrecy of approved minutes (issue 16, item 6).
        "governance:meeting_registry": leader(pk=d.approved.pk),
        # Justering: the chair's confirmation page, and returning with comments.
        "governance:agenda_report_present": leader(pk=d.item.pk),
        "governance:notice_send": leader(pk=d.called.pk),
        "governance:meeting_reply": [Visit(LEADER, {"pk": d.called.pk, "?": "svar=forhinder"})],
        "governance:reply_link": [
            Visit(ANONYMOUS, {"token": d.reply_token, "?": "svar=forhinder"}),
        ],
        "governance:principal_assignments": [Visit(REPORTER, {"pk": d.principal.pk})],
        "governance:action_answer": [
            Visit(REPORTER, {"pk": d.principal.pk, "action_pk": d.asked.pk})
        ],
        "governance:event_list": [Visit(LEADER), Visit(STEERING)],
        "governance:event_detail": [
            Visit(LEADER, {"pk": d.event.pk}),
            Visit(STEERING, {"pk": d.event.pk}),
        ],
        "governance:event_edit": leader(pk=d.event.pk),
        "governance:event_cancel": leader(pk=d.event.pk),
        "governance:event_archive": leader(pk=d.event.pk),
        "governance:minutes_approve": [Visit(STEERING, {"pk": d.finished.pk})],
        "governance:minutes_return": [Visit(STEERING, {"pk": d.finished.pk})],
        "governance:meeting_versions": leader(pk=d.approved.pk),
        "governance:meeting_version": leader(pk=d.approved.pk, number=1),
        "governance:agenda_item_edit": leader(pk=d.item.pk),
        "governance:followup_list": leader(pk=d.follow_up.pk),
        "governance:agenda_item_archive": leader(pk=d.item.pk),
        "governance:decision_add": leader(pk=d.item.pk),
        "governance:action_add": leader(pk=d.item.pk),
        "governance:attendance_set": leader(pk=d.attendance.pk),
        "governance:attendance_remove": leader(pk=d.attendance.pk),
        "governance:decision_edit": leader(pk=d.decision.pk),
        "governance:body_member_end": leader(pk=d.body_member.pk),
        "governance:decision_list": [Visit(LEADER), Visit(STEERING)],
        "governance:decision_repeal": leader(pk=d.decision.pk),
        "governance:action_list": [Visit(LEADER), Visit(STEERING)],
        "governance:risk_list": [Visit(LEADER), Visit(STEERING)],
        "governance:risk_create": [Visit(LEADER), Visit(LEADER, {"?": f"raised_at={d.item.pk}"})],
        "governance:risk_review_add": [
            Visit(LEADER, {"pk": d.risk.pk}),
            Visit(LEADER, {"pk": d.risk.pk, "?": f"meeting={d.meeting.pk}"}),
        ],
        "governance:report_detail": leader(pk=d.report.pk),
        "governance:report_edit": leader(pk=d.report.pk),
        "governance:report_activities": leader(pk=d.report.pk),
        "governance:report_reviews": leader(pk=d.report.pk),
        "governance:report_finish": leader(pk=d.report.pk),
        "governance:search": [Visit(LEADER, {"?": "q=barnets bästa"})],
        "governance:document_add": leader(pk=d.meeting.pk),
        "governance:document_detail": [
            Visit(LEADER, {"pk": d.document.pk}),
            Visit(STEERING, {"pk": d.document.pk}),
        ],
        "governance:document_version_add": leader(pk=d.document.pk),
        "governance:document_edit": leader(pk=d.image.pk),
        "governance:document_archive": leader(pk=d.document.pk),
        # Implementation
        "implementation:staircase_detail": [Visit(LEADER), Visit(REPORTER)],
        "implementation:staircase_version": leader(version=d.old_staircase.version),
        "implementation:step_edit": leader(pk=d.step.pk),
        "implementation:step_remove": leader(pk=d.step.pk),
        "implementation:criterion_add": leader(pk=d.step.pk),
        "implementation:criterion_edit": leader(pk=d.criterion.pk),
        "implementation:criterion_remove": leader(pk=d.criterion.pk),
        "implementation:assessment_list": [Visit(LEADER), Visit(REPORTER)],
        "implementation:assessment_create": [Visit(LEADER), Visit(REPORTER)],
        "implementation:assessment_detail": [
            Visit(LEADER, {"pk": d.approved_assessment.pk}),
            Visit(REPORTER, {"pk": d.draft.pk}),
        ],
        "implementation:assessment_edit": [Visit(REPORTER, {"pk": d.draft.pk})],
        "implementation:assessment_submit": [Visit(REPORTER, {"pk": d.draft.pk})],
        "implementation:assessment_approve": leader(pk=d.submitted.pk),
        "implementation:assessment_return": leader(pk=d.submitted.pk),
        "implementation:attachment_add": [Visit(REPORTER, {"pk": d.draft.pk})],
        "implementation:attachment_remove": [
            Visit(REPORTER, {"pk": d.draft.pk, "attachment_pk": d.attachment.pk})
        ],
        "implementation:indicator_report": [Visit(LEADER), Visit(REPORTER)],
        "implementation:appointment_edit": leader(pk=d.appointment.pk),
        "implementation:appointment_end": leader(pk=d.appointment.pk),
        "implementation:appointment_archive": leader(pk=d.appointment.pk),
        # Research
        "research:report_list": [Visit(RESEARCHER), Visit(LEADER)],
        "research:report_add": researcher(),
    }


def mapped_routes() -> set[str]:
    """Programme pages whose objects tests/trust/routemap.py names: filled from
    the map unless `pages()` fills them by hand."""
    return {
        p.route.name
        for p in probes(ids_only=False)
        if not unmapped_kwargs(p)
        and not unknown_string_kwargs(p)
        and not set(p.route.kwargs) & {"token", "uidb64"}
    }


def mapped_visits(tenant: Tenant, names: set[str]) -> dict[str, list[Visit]]:
    """The visits of the pages `names` as the route→object map fills them: as
    the first role that may see each page, with the objects the map picks for it."""
    with scopes_disabled():
        memberships = {
            role: Membership.objects.select_related("user").get(tenant=tenant, user__username=login)
            for role, login in DEMO_LOGINS.items()
        }
    programme = Programme(
        tenant=tenant,
        users={role: m.user for role, m in memberships.items()},
        memberships=memberships,
    )
    visits: dict[str, list[Visit]] = {}
    for probe in probes(ids_only=False):
        if probe.route.name not in names:
            continue
        found = first_allowed(probe, programme)
        assert found is not None, f"{probe.id}: no demo role may see it; fill it in pages()"
        role, chosen = found
        kwargs = {k: v.pk if isinstance(v, Model) else v for k, v in chosen.items()}
        visits.setdefault(probe.route.name, []).append(
            Visit(DEMO_LOGINS[role], {**probe.fixed, **kwargs})
        )
    return visits


def post_only(route: Route, client: Client, slug: str) -> bool:
    """A route that answers GET with 405 Method Not Allowed has no page."""
    url = reverse(route.name, kwargs=sample_kwargs(route, tenant_slug=slug, pk=1))
    return client.get(url).status_code == 405


@pytest.fixture
def sessions(browser: Browser, live_server, request) -> Iterator[Callable[[str], Page]]:
    """One logged-in page per role, reused for all its visits. The page of a
    failed visit is kept as a screenshot in test-results/."""
    opened: dict[str, Page] = {}

    def page_for(role: str) -> Page:
        if role not in opened:
            context = opened[role] = browser.new_context(locale="sv-SE").new_page()
            if role != ANONYMOUS:
                context.goto(f"{live_server.url}/accounts/login/")
                context.get_by_label("Användarnamn").fill(role)
                context.get_by_label("Lösenord").fill("demo")
                with context.expect_navigation():
                    context.get_by_role("button", name="Logga in").click()
        return opened[role]

    yield page_for
    failed = getattr(request.node, "rep_call", None)
    for role, page in opened.items():
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{role}.png"), full_page=True)
        page.context.close()


class _Placeholder:
    """Stands in for the demo's objects where only the filled route names count."""

    pk = 1
    version = 1

    def __getattr__(self, name: str) -> _Placeholder:
        return _Placeholder()


def unfilled_routes(client: Client, tenant_slug: str) -> list[str]:
    """GET routes that neither `pages` nor the route→object map fills and
    NON_HTML does not exclude."""
    filled = set(pages(cast(Demo, _Placeholder()))) | mapped_routes()
    return [
        route.name
        for route in routes()
        if route.name not in filled
        and route.name not in NON_HTML
        and not post_only(route, client, tenant_slug)
    ]


def all_visits(demo: Demo, client: Client) -> dict[str, list[Visit]]:
    """`pages()`, and every other GET page of the programme as the map fills it."""
    by_hand = pages(demo)
    all_routes = {route.name: route for route in routes()}
    from_map = {
        name
        for name in mapped_routes() - set(by_hand) - set(NON_HTML)
        if not post_only(all_routes[name], client, demo.tenant.slug)
    }
    return {**by_hand, **mapped_visits(demo.tenant, from_map)}


def test_every_get_route_is_walked_or_explicitly_not_html(world, client_for):
    """A new page fails here until the walk below visits it."""
    filled = pages(cast(Demo, _Placeholder()))
    names = {route.name for route in routes()}
    assert not sorted(set(filled) - names), "filled routes that no longer exist"
    assert not sorted(set(NON_HTML) - names), "NON_HTML routes that no longer exist"
    unfilled = unfilled_routes(client_for(world.users["leader"]), world.tenant.slug)
    assert not unfilled, (
        "GET routes the accessibility walk cannot fill; add them to pages() "
        f"(or, if they are not HTML, to NON_HTML): {unfilled}"
    )


# Pages with wide tables, checked again on a phone-sized screen (and as at
# 400 % zoom): what no longer fits must still be reachable by the keyboard.
NARROW = (
    "portal:home",
    "portal:principal_dashboard",
    "governance:meeting_detail",
    "governance:decision_list",
    "governance:action_list",
    "governance:risk_list",
    "governance:report_detail",
    "implementation:assessment_detail",
    "implementation:indicator_report",
    "research:export",
)
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 720}


def walk(
    visits: dict[str, list[Visit]], *, demo: Demo, live_server, axe, sessions, viewport=DESKTOP
) -> tuple[int, list[str]]:
    """Visit each page and run axe: (pages checked, failures)."""
    all_routes = {route.name: route for route in routes()}
    failures: list[str] = []
    visited = 0
    for name, route_visits in visits.items():
        route = all_routes[name]
        for visit in route_visits:
            kwargs = dict(visit.kwargs)
            query = kwargs.pop("?", "")
            if route.is_tenant:
                kwargs["tenant_slug"] = demo.tenant.slug
            url = live_server.url + reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
            page = sessions(visit.role)
            page.set_viewport_size(viewport)
            if visit.role == TWO_FACTOR:
                page.goto(f"{live_server.url}/accounts/login/")
                page.get_by_label("Användarnamn").fill(TWO_FACTOR)
                page.get_by_label("Lösenord").fill("demo")
                with page.expect_navigation():
                    page.get_by_role("button", name="Logga in").click()
            else:
                response = page.goto(url)
                assert response is not None
                if response.status != 200 or "text/html" not in response.headers.get(
                    "content-type", ""
                ):
                    failures.append(f"{name} as {visit.role}: {response.status} at {url}")
                    continue
            if name != "password_reset_confirm":  # it moves the token out of the URL
                assert page.url.split("?")[0] == url.split("?")[0], (name, visit.role, page.url)
            # Lazy dashboard panels load after the page: check them loaded.
            page.wait_for_function(
                "() => !document.querySelector('[aria-busy=true]')", timeout=20_000
            )
            # Collapsed parts (a chart's table, a principal switcher) are checked open.
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            try:
                assert_accessible(axe, page)
            except AssertionError as error:
                failures.append(f"{name} as {visit.role} at {viewport['width']} px: {error}")
            visited += 1
    return visited, failures


def test_every_page_passes_axe(
    live_server, axe, sessions, settings, tmp_path, monkeypatch, fresh_demo
):
    settings.MEDIA_ROOT = tmp_path / "media"
    fresh_demo(settings.MEDIA_ROOT)  # seed_demo's programmes, in a database of this test's own
    demo = build_demo(monkeypatch)
    with scopes_disabled():
        two_factor_user = User.objects.create_user(username=TWO_FACTOR, password="demo")
        TOTPDevice.objects.create(user=two_factor_user, name="Telefon", confirmed=True)
    leader = Client()
    leader.force_login(User.objects.get(username=LEADER))
    filled = all_visits(demo, leader)
    visited, failures = walk(filled, demo=demo, live_server=live_server, axe=axe, sessions=sessions)
    narrow = {name: filled[name] for name in NARROW}
    _, narrow_failures = walk(
        narrow, demo=demo, live_server=live_server, axe=axe, sessions=sessions, viewport=PHONE
    )
    failures += narrow_failures
    assert not failures, f"{len(failures)} of the pages fail:\n" + "\n\n".join(failures)
    assert visited > 150
