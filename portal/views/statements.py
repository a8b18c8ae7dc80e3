"""The programme administrators' pages of the programme's statements (issue 16,
items 4 and 5), under /<tenant_slug>/admin/redogorelser/: the accessibility
statement and the feedback sent through it, the privacy details, and the
export of everything the portal holds about one person.

The statements themselves are for anyone, without a login, at
/om/tillganglighet/<slug>/ and /om/integritet/<slug>/ (`public_accessibility`,
`public_privacy`): there whether or not the programme's public site is on,
since its members need them too. The public site's footer links to them."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited
from django_scopes import scope

from portal import statements
from portal.forms_statements import (
    AccessibilityStatementForm,
    FeedbackForm,
    PersonPickForm,
    PrivacyStatementForm,
    shortcoming_formset,
)
from portal.htmx import form_data, require_GET_or_POST, show_refusal
from portal.models import DIGG_REPORT_URL, Person, Tenant
from portal.services import DomainError
from portal.tenancy import TenantRequest, get_for_tenant, require

logger = logging.getLogger(__name__)

RULE = "portal.manage_members"
# How many feedback messages one address may send one programme
# (django-ratelimit's "<count>/<s|m|h|d>"; setting ACCESSIBILITY_FEEDBACK_RATE).
FEEDBACK_RATE = "5/h"


@require_GET_or_POST
def accessibility_edit(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, RULE)
    statement = statements.accessibility_statement_for(request.tenant)
    data = form_data(request)
    form = AccessibilityStatementForm(data, tenant=request.tenant, instance=statement)
    formset = shortcoming_formset(data, statement)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            statements.accessibility_statement_save(
                actor=request.user,
                tenant=request.tenant,
                shortcomings=formset.shortcomings(),
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved the accessibility statement."))
            return redirect("portal:statement_accessibility", request.tenant.slug)
    context = {
        "form": form,
        "formset": formset,
        "statement": statement,
        "feedback": statements.feedback_list(request.tenant),
        "digg_url": DIGG_REPORT_URL,
    }
    status = 400 if form.is_bound and (form.errors or formset.total_error_count()) else 200
    return render(request, "portal/statement_accessibility_edit.html", context, status=status)


@require_GET_or_POST
def privacy_edit(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    require(request, RULE)
    statement = statements.privacy_statement_for(request.tenant)
    form = PrivacyStatementForm(form_data(request), tenant=request.tenant, instance=statement)
    if request.method == "POST" and form.is_valid():
        try:
            statements.privacy_statement_save(
                actor=request.user, tenant=request.tenant, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved the privacy details."))
            return redirect("portal:statement_privacy", request.tenant.slug)
    context = {"form": form, "statement": statement}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "portal/statement_privacy_edit.html", context, status=status)


@require_GET
def person_pick(request: TenantRequest, tenant_slug: str) -> HttpResponse:
    """Choose whose data to export; the choice leads to the JSON file."""
    require(request, RULE)
    form = PersonPickForm(request.GET if "person" in request.GET else None, tenant=request.tenant)
    if form.is_bound and form.is_valid():
        person = form.cleaned_data["person"]
        return redirect("portal:statement_person_export", request.tenant.slug, person.pk)
    status = 400 if form.is_bound else 200
    return render(request, "portal/statement_person_export.html", {"form": form}, status=status)


@never_cache
@require_GET
def person_export(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """Everything the portal holds about one person of the programme, as a
    JSON file (GDPR articles 15 and 20). Each export is audited."""
    require(request, RULE)
    person: Person = get_for_tenant(request, Person.objects.select_related("tenant"), pk=pk)
    data = statements.person_export(actor=request.user, person=person)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{request.tenant.slug}-person-{person.pk}.json"'
    )
    return response


# For anyone, without a login ---------------------------------------------------------


def programme_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No login; the active programme named by `programme_slug` (404
    otherwise) with its scope open. The request gets no `tenant`: the page
    wears the portal's layout without the programme's menu."""

    @login_not_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, programme_slug: str) -> HttpResponse:
        tenant = Tenant.objects.filter(slug=programme_slug, is_active=True).first()
        if tenant is None:
            raise Http404
        with scope(tenant=tenant):
            return view(request, tenant)

    return wrapper


def _feedback_limited(request: HttpRequest, tenant: Tenant) -> bool:
    """One more message from this address to this programme: over the limit?
    With the cache unreachable nothing is counted and the message goes ahead."""
    rate = getattr(settings, "ACCESSIBILITY_FEEDBACK_RATE", FEEDBACK_RATE)
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return bool(
            is_ratelimited(
                request,
                group="accessibility-feedback",
                # The programme's creation time too: a programme recreated with
                # the same id (a restored database) starts its own count.
                key=lambda _group, _request: (
                    f"{tenant.pk}:{tenant.created_at.isoformat() if tenant.created_at else ''}:"
                    f"{address}"
                ),
                rate=rate,
                increment=True,
            )
        )
    except Exception:
        logger.warning("Feedback rate not counted: the cache is unreachable", exc_info=True)
        return False


@never_cache  # the form's CSRF token is the visitor's own
@require_GET_or_POST
@programme_page
def public_accessibility(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The programme's accessibility statement, with DIGG's mandatory content
    (the portal's own until its administrators write theirs), and a feedback
    form that keeps the message and mails it to the administrators."""
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if _feedback_limited(request, tenant):
            form.is_valid()
            form.add_error(
                None,
                _("Too many messages have been sent from your address. Please try again later."),
            )
            status = 429
        elif form.is_valid():
            try:
                statements.feedback_submit(
                    tenant=tenant,
                    base_url=settings.PORTAL_BASE_URL or request.build_absolute_uri("/"),
                    **form.cleaned_data,
                )
            except (DomainError, ValidationError) as error:
                show_refusal(form, error)
                status = 400
            else:
                url = reverse("portal:programme_accessibility", args=[tenant.slug])
                return redirect(f"{url}?skickat=1#synpunkter")
        else:
            status = 400
    context: dict[str, Any] = {
        "programme": tenant,
        "statement": statements.accessibility_statement_for(tenant),
        "form": form,
        "sent": request.GET.get("skickat") == "1",
        "digg_url": DIGG_REPORT_URL,
    }
    return render(request, "portal/statement_accessibility.html", context, status=status)


@require_GET
@programme_page
def public_privacy(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The programme's privacy notice, naming its controller and data
    protection officer."""
    context = {"programme": tenant, "privacy": statements.privacy_statement_for(tenant)}
    return render(request, "portal/statement_privacy.html", context)
