"""The report-back loop (återkoppling): a principal's assignments with its
answers, and the answer form.

The principal's dashboard shows the assignments in a panel
(`governance.dashboard`); this page is the same list on its own, and the
answer form is fetched into the list by htmx ("Answer", "Change the answer")
or opened as a page without JavaScript. A principal reporter sees and answers
its own principal's assignments only (403 for another principal's), never
those of draft minutes (`report_back_minutes_statuses`); an assignment that
does not ask the principal to answer is 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from governance.access import get_assignment_for, get_principal_for
from governance.forms.report_back import ActionAnswerForm
from governance.selectors.report_back import (
    Assignment,
    principal_assignments,
    report_back_minutes_statuses,
)
from governance.services.report_back import action_answer_save
from portal.htmx import form_data, render_changed, require_GET_or_POST, show_refusal
from portal.models import Principal
from portal.permissions import can
from portal.services import DomainError
from portal.tenancy import TenantRequest

PAGE = "governance/report_back.html"


def _assignments(request: TenantRequest, principal: Principal) -> list[Assignment]:
    return principal_assignments(
        tenant=request.tenant,
        principal=principal,
        minutes_statuses=report_back_minutes_statuses(request.membership),
    )


@require_GET
def principal_assignments_view(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    principal = get_principal_for(request, pk)
    context = {
        "principal": principal,
        "assignments": _assignments(request, principal),
        "may_answer": can(request.membership, "governance.answer_action", principal),
        "nav_section": "principals",
    }
    return render(request, PAGE, context)


@require_GET_or_POST
def action_answer(
    request: TenantRequest, tenant_slug: str, pk: int, action_pk: int
) -> HttpResponse:
    """GET: the answer form (for htmx, in place of the assignment's answer);
    `?show=1` gives the assignment back (the form's "Cancel"). POST: save the
    answer; htmx gets the assignment back with an announcement."""
    principal = get_principal_for(request, pk, write=True)
    assignment = get_assignment_for(request, principal, action_pk)
    item_context: dict[str, Any] = {
        "assignment": assignment,
        "principal": principal,
        "may_answer": True,
    }
    if request.method == "GET" and request.htmx and request.GET.get("show") == "1":
        return render(request, f"{PAGE}#assignment", item_context)
    form = ActionAnswerForm(
        form_data(request), answer=assignment.answer, prefix_id=f"answer-{assignment.action.pk}"
    )
    if request.method == "POST" and form.is_valid():
        try:
            action_answer_save(
                actor=request.user,
                action=assignment.action,
                principal=principal,
                text=form.cleaned_data["text"],
                done=form.cleaned_data["done"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            message = _("Saved the answer of %(principal)s.") % {"principal": principal.name}
            if request.htmx:
                fresh = get_assignment_for(request, principal, action_pk)
                return render_changed(
                    request,
                    f"{PAGE}#assignment",
                    {**item_context, "assignment": fresh, "announcement": message},
                    event="answerSaved",
                    obj=fresh.answer,
                    action="answer",
                )
            messages.success(request, message)
            return redirect("portal:principal_dashboard", request.tenant.slug, principal.pk)
    context = {**item_context, "form": form, "nav_section": "principals"}
    if request.htmx:
        return render(request, f"{PAGE}#assignment", context)
    return render(request, "governance/answer_form.html", context)


urlpatterns = [
    path(
        "principals/<int:pk>/assignments/",
        principal_assignments_view,
        name="principal_assignments",
    ),
    path(
        "principals/<int:pk>/assignments/<int:action_pk>/answer/",
        action_answer,
        name="action_answer",
    ),
]
