"""Every form of every page refuses a personal identity number (issue 16,
item 5), found as the hostile-input probe finds them (test_bad_input.py):
each route of the demo programme is opened with the first role whose page
shows a form posting back to it; the form is posted as shown, with a
personal identity number in each of its free-text fields (text inputs and
text areas). Whatever the form: nothing is written, and a form shown again
says why, in the guard's words (`portal.personal_numbers`). A representative
set of the portal's records is named, so that a probe which silently found
none of them could not pass."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from portal import personal_numbers
from portal.models import AuditEvent
from tests.trust.hostile import Form
from tests.trust.probe import Probe, client_for, unknown_string_kwargs, unmapped_kwargs
from tests.trust.programmes import Programmes
from tests.trust.test_bad_input import FORMS, _form_of, _send

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

NUMBER = "121212-1212"
FREE_TEXT = {"text", "search", "textarea"}
AUDIT = AuditEvent._meta.label

# Forms that must be among those refused with the guard's message: meeting
# minutes, decisions, assignments, risks, status reports, self-assessments,
# the public site, the directory of people, the statements.
REPRESENTATIVE = {
    "governance:meeting_create",
    "governance:agenda_item_edit",
    "governance:action_edit",
    "governance:decision_edit",
    "governance:risk_create",
    "governance:report_edit",
    "implementation:assessment_edit",
    "public_admin:settings",
    "portal:person_create",
    "portal:statement_privacy",
}


def messages() -> set[str]:
    shown = set()
    for language in ("sv", "en"):
        with translation.override(language):
            shown.add(str(personal_numbers.TEXT_MESSAGE))
    return shown


def as_shown(form: Form) -> tuple[dict[str, Any], list[str]]:
    """The form's data as its page shows it, with the number in every free-text
    field; and the names of those fields."""
    data: dict[str, Any] = {}
    texts = []
    for name, field in form.fields.items():
        if field.type in FREE_TEXT and name != "csrfmiddlewaretoken":
            data[name] = f"Eleven {NUMBER}"
            texts.append(name)
        elif field.tag == "select":
            options = [o for o in field.options if o]
            if options:
                data[name] = options[0]
        elif field.type in ("checkbox", "file"):
            continue
        else:
            data[name] = field.value
    return data, texts


def test_every_form_refuses_a_number_in_its_free_text_and_writes_nothing(
    programmes: Programmes,
):
    programme = programmes.by_slug["sormland"]
    refused_with_reason: set[str] = set()
    problems: list[str] = []
    for probe in FORMS:
        if unmapped_kwargs(probe) or unknown_string_kwargs(probe) or "token" in probe.route.kwargs:
            continue
        found = _form_of(probe, programme)
        if found is None or found[2] is None or found[2].method != "post":
            continue
        role, url, form = found
        data, texts = as_shown(form)
        if not texts:
            continue
        response, before, after, _shown = _send(client_for(programme, role), "post", url, data)
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        if changed:
            problems.append(f"{_id(probe)}: {role} POST {url} with {texts} wrote {changed}")
            continue
        body = response.content.decode()
        if any(message in body for message in messages()):
            refused_with_reason.add(probe.route.name)
    assert problems == []
    missing = REPRESENTATIVE - refused_with_reason
    assert not missing, f"not refused with the reason: {sorted(missing)} of {refused_with_reason}"
    assert len(refused_with_reason) >= 30, sorted(refused_with_reason)


def _id(probe: Probe) -> str:
    return probe.id
