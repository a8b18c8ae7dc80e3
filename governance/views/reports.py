"""Monthly status reports: results, gut feeling, activities per principal,
the risk reviews covered, next steps, and where the report was presented.

Drafts are for process leaders only (others get 404, as if the draft did not
exist); steering members, researchers and administrators read finished
reports; principal reporters get 403. A finished report is read-only: its
forms send you back to the report, and a write to it is refused.
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from governance.access import get_agenda_item_for, get_report_for
from governance.forms.reports import (
    MonthField,
    ReportActivitiesForm,
    ReportForm,
    ReportReviewsForm,
)
from governance.models import ReportStatus, StatusReport
from governance.selectors import reports as selectors
from governance.services import reports as services
from portal.forms import ConfirmForm
from portal.htmx import (
    form_data,
    render_changed,
    render_page,
    require_GET_or_POST,
    show_refusal,
    to_page,
)
from portal.models import Person
from portal.permissions import can
from portal.selectors import person_for
from portal.services import DomainError
from portal.tenancy import TenantRequest, require


def _may_see_drafts(request: TenantRequest) -> bool:
    return can(request.membership, "governance.view_drafts")


def _finished_notice(request: TenantRequest, report: StatusReport) -> HttpResponse:
    """The answer to a GET of a finished report's form: back to the report."""
    message = _("The report is finished and can no longer be changed.")
    url = reverse("governance:report_detail", args=[request.tenant.slug, report.pk])
    return to_page(request, url, message, level=messages.INFO)


def _to_report(request: TenantRequest, report: StatusReport, message: str) -> HttpResponse:
    url = reverse("governance:report_detail", args=[request.tenant.slug, report.pk])
    return to_page(request, url, message)


@require_GET
def report_list(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, "governance.view_finished")
    reports = selectors.report_list(tenant=request.tenant, include_drafts=_may_see_drafts(request))
    return render_page(
        request, "governance/report_list.html", {"reports": reports}, partial="listing"
    )


@require_GET
def report_detail(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    report = get_report_for(request, pk)
    context = {
        "report": report,
        "matrix": selectors.report_matrix(tenant=request.tenant, report=report),
    }
    return render_page(
        request,
        "governance/report_detail.html",
        context,
        partial="report",
        parts=["activities", "reviews"],
    )


@require_GET_or_POST
def report_create(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """A new draft. `?period=YYYY-MM` and `?presented_at=<agenda item id>`
    preselect the month and the agenda item (the meeting page links here)."""
    require(request, "governance.edit")
    initial = _month_from_query(request)
    if (item_id := request.GET.get("presented_at", "")).isdigit():
        item = get_agenda_item_for(request, int(item_id), archived=True, revision_drafts=False)
        initial["presented_at"] = item.pk
        initial.setdefault("period", timezone.localdate(item.meeting.starts_at).replace(day=1))
    if request.method == "GET" and (person := _own_person(request)) is not None:
        initial["authors"] = [person.pk]
    form = ReportForm(form_data(request), tenant=request.tenant, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Started the status report for %(month)s. It is a draft.") % {
                "month": report
            }
            return _to_report(request, report, message)
    return render_page(request, "governance/report_create.html", {"form": form}, partial="form")


def _month_from_query(request: TenantRequest) -> dict[str, object]:
    """`?period=YYYY-MM` as form initial data (a link for a given month)."""
    initial: dict[str, object] = {}
    if period := request.GET.get("period"):
        with contextlib.suppress(ValidationError):
            initial["period"] = MonthField().clean(period)
    return initial


def _own_person(request: TenantRequest) -> Person | None:
    """The signed-in process leader's own entry in the directory, if any."""
    person = person_for(request.membership)
    return person if person is not None and not person.is_archived else None


@require_GET_or_POST
def report_edit(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    report = get_report_for(request, pk, write=True)
    if request.method == "GET" and report.status != ReportStatus.DRAFT:
        return _finished_notice(request, report)
    form = ReportForm(
        form_data(request),
        tenant=request.tenant,
        report=report,
        initial=_month_from_query(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(actor=request.user, report=report, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return _to_report(request, report, _("Saved the status report."))
    context = {"form": form, "report": report}
    return render_page(request, "governance/report_edit.html", context, partial="form")


@require_GET_or_POST
def report_activities(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """One text per principal, saved together. For htmx the form replaces the
    report page's activities section, and saving puts the section back."""
    report = get_report_for(request, pk, write=True)
    if request.method == "GET" and report.status != ReportStatus.DRAFT:
        return _finished_notice(request, report)
    principals = selectors.activity_principals(report=report)
    form = ReportActivitiesForm(form_data(request), report=report, principals=principals)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_set_activities(
                actor=request.user,
                report=report,
                activities=form.activities(),
                expected_version=form.cleaned_data["expected_version"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return _section_saved(request, report, "activities", _("Saved the activities."))
    context = {"form": form, "report": report}
    return render_page(request, "governance/report_activities.html", context, partial="form")


@require_GET_or_POST
def report_reviews(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Choose the risk reviews the report covers."""
    report = get_report_for(request, pk, write=True)
    if request.method == "GET" and report.status != ReportStatus.DRAFT:
        return _finished_notice(request, report)
    form = ReportReviewsForm(
        form_data(request), report=report, choices=selectors.review_choices(report=report)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_link_reviews(
                actor=request.user,
                report=report,
                reviews=form.cleaned_data["reviews"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            return _section_saved(request, report, "reviews", _("Saved the risks reviewed."))
    context = {"form": form, "report": report}
    return render_page(request, "governance/report_reviews.html", context, partial="form")


def _section_saved(
    request: TenantRequest, report: StatusReport, section: str, message: str
) -> HttpResponse:
    if request.htmx:
        return render_changed(
            request,
            f"governance/report_detail.html#{section}",
            {"report": get_report_for(request, report.pk), "saved": message},
            event="reportChanged",
            obj=report,
            action=section,
        )
    return _to_report(request, report, message)


@require_GET_or_POST
def report_finish(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST finishes the report, which makes it
    readable by the steering group and read-only for everyone."""
    report = get_report_for(request, pk, write=True)
    if request.method == "GET" and report.status != ReportStatus.DRAFT:
        return _finished_notice(request, report)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_finish(actor=request.user, report=report)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _to_report(
                request, report, _("Finished the status report. It can no longer be changed.")
            )
    context = {"form": form, "report": report}
    return render_page(request, "governance/report_finish.html", context, partial="confirm")


urlpatterns = [
    path("reports/", report_list, name="report_list"),
    path("reports/new/", report_create, name="report_create"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", report_edit, name="report_edit"),
    path("reports/<int:pk>/activities/", report_activities, name="report_activities"),
    path("reports/<int:pk>/reviews/", report_reviews, name="report_reviews"),
    path("reports/<int:pk>/finish/", report_finish, name="report_finish"),
]
