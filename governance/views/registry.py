"""The registrar's page (registrering) of a meeting: the diary numbers
(diarienummer) of the meeting, its decisions and documents, and the secrecy
of its documents and agenda items, set after the fact — whatever the
minutes' status, approved (justerade) minutes too, without touching their
content (`governance.services.registry`).

Who: process leaders (`governance.edit`); another programme's meeting is 404.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.access import get_meeting_for
from governance.forms.registry import RegistryForms
from governance.models import Meeting
from governance.selectors.registry import registry_rows
from governance.services import ConflictError
from governance.services import registry as services
from governance.services.registry import DECISION, DOCUMENT, ITEM, MEETING
from governance.views.meeting_common import detail_url
from portal.htmx import form_data, render_page, require_GET_or_POST, shown_value, to_page
from portal.tenancy import TenantRequest

TEMPLATE = "governance/meeting_registry.html"


def _saved_meanwhile(form: forms.Form, saved: Any) -> None:
    """Show, at each field where it differs from the user's input, what was
    saved meanwhile."""
    for name, field in form.fields.items():
        bound = form[name]
        if bound.is_hidden:
            continue
        value = getattr(saved, name)
        if field.has_changed(value, bound.data):
            form.add_error(
                name,
                ValidationError(
                    _("Saved meanwhile by someone else: %(value)s"),
                    code="conflict",
                    params={"value": shown_value(field, value)},
                ),
            )


def _rebase(forms_: RegistryForms, meeting: Meeting) -> None:
    """After a refused stale save: the page keeps the user's input, now based
    on what is saved (so saving again is a choice), and shows what was saved
    meanwhile in each record that changed since the page was shown."""
    fresh_meeting = Meeting.objects.get(pk=meeting.pk)
    rows = registry_rows(fresh_meeting)
    fresh: dict[tuple[str, int], Any] = {
        (MEETING, fresh_meeting.pk): fresh_meeting,
        **{(DECISION, row.pk): row for row in rows.decisions},
        **{(DOCUMENT, row.pk): row for row in rows.documents},
        **{(ITEM, row.pk): row for row in rows.items},
    }
    for form in forms_.all():
        saved = fresh.get((form.kind, form.obj.pk))
        shown = form.cleaned_data.get("expected_version")
        if saved is None or saved.version == shown:
            continue
        data = cast(QueryDict, form.data).copy()  # the POST it was bound to
        data[form.add_prefix("version")] = str(saved.version)
        form.data = data
        _saved_meanwhile(form, saved)


def _show_refusal(
    forms_: RegistryForms, meeting: Meeting, refusal: services.RegistryRefused
) -> None:
    form = forms_.find(refusal.kind, refusal.pk)
    error = refusal.error
    if isinstance(error, ConflictError):
        _rebase(forms_, meeting)
        (form or forms_.meeting).add_error(None, str(error))
    elif form is None:
        forms_.meeting.add_error(None, str(refusal))
    elif isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, str(refusal))


@require_GET_or_POST
def meeting_registry(request: TenantRequest, tenant_slug: str, pk: int) -> HttpResponse:
    """One form: the meeting's diary number, each decision's, and each
    document's and agenda item's diary number and secrecy."""
    meeting = get_meeting_for(request, pk, write=True)
    rows = registry_rows(meeting)
    forms_ = RegistryForms.build(
        form_data(request),
        meeting=meeting,
        decisions=rows.decisions,
        documents=rows.documents,
        items=rows.items,
    )
    refused = False
    if request.method == "POST":
        if forms_.is_valid():
            try:
                count = services.registry_save(
                    actor=request.user, meeting=meeting, **forms_.changes()
                )
            except services.RegistryRefused as refusal:
                _show_refusal(forms_, meeting, refusal)
                refused = True
            else:
                if count:
                    message = ngettext(
                        "Saved the registry details of %(count)d record.",
                        "Saved the registry details of %(count)d records.",
                        count,
                    ) % {"count": count}
                else:
                    message = _("Nothing was changed.")
                return to_page(request, detail_url(meeting), message)
        else:
            refused = True
    context: dict[str, Any] = {
        "meeting": meeting,
        "forms": forms_,
        "refused": refused,
    }
    return render_page(request, TEMPLATE, context, partial="form")


urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/registrering/", meeting_registry, name="meeting_registry"),
]
