"""Lost updates (issue 18, item 3), generated over every edit form.

Two people open the same object's edit form. The first saves a change of one
field; then the second saves a change of another field from the form opened
before. The second save must be refused — the first person's change shown,
the second person's input kept, nothing of the first save lost — and saving
again from the refused form, which is now based on the newer version, works.

Edit forms are found, not listed: every route of a programme that takes an
object id is opened by a process leader and by a programme administrator,
and a form on the page that posts back to the route is an edit form, unless
the route's verb says the form adds a row under the object or confirms a
state change (`NOT_EDITS`, each with its reason). So a new edit form is
covered the day its route is added, and one this test cannot drive — it
carries no version, no field of it can be changed and saved, or the object it
picked cannot be edited — fails with a message saying what to do. Each form is
driven twice: as a page (no JavaScript) and as the htmx fragment that the
list rows and sections swap in.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django_scopes import scope

from governance.models import AgendaItem, Attendance, Decision, Meeting, MinutesStatus
from governance.services import decisions as decision_services
from tests.helpers import HTMX
from tests.trust.browser_forms import TEXT_TYPES, BrowserForm, Control, form_posting_to, read
from tests.trust.probe import (
    Probe,
    choose,
    client_for,
    probes,
    rolled_back,
    unmapped_kwargs,
    url_for,
)
from tests.trust.programmes import Programme, Programmes
from tests.trust.routemap import Pick

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Who edits: the process leaders (the registers, the implementation work) and
# the programme administrators (the directory, the members).
EDITORS = ("leader", "admin")

# Forms on an object's route that do not edit the object's own fields, by the
# route's verb (the end of its name).
NOT_EDITS = {
    "add": "adds a new row under the object",
    "archive": "a confirmation; archiving changes none of the edit form's fields",
    "remove": "a confirmation: takes the row out",
    "cancel": "a state change with a reason; it moves the meeting's version on",
    "plan_next": "plans a new meeting",
    "finish": "a state change (finished minutes, a finished report)",
    "approve": "a state change by the approver",
    "revise": "starts a revision of approved minutes, with a reason",
    "return": "returns a self-assessment with a comment",
    "submit": "submits a self-assessment",
    "end": "ends a period on a date; it moves the version on",
    "repeal": "repeals a decision",
    "publish": "a state change",
    "deactivate": "a confirmation",
    "reactivate": "a state change",
    "revoke": "a confirmation",
    "retry": "asks for a document again",
    "skip": "a confirmation: leaves an imported file out; it moves the file's version on",
    "undo": "a confirmation: archives what an import wrote, refused once anything changed",
    "withdraw": "a confirmation: withdraws a consent; a second withdraw is refused",
    "send": "a confirmation: sends a newsletter; a sent one can no longer be sent or changed",
    "request": "asks for a document",
}
ROUTE_NOT_EDITS = {
    "implementation:indicator_detail": (
        "reports a month's value of the indicator (a value for the month, replaced "
        "and audited); the indicator itself is edited on indicator_edit"
    ),
    "governance:notice_send": (
        "sends the notice (a new record of it); no field of the meeting is edited, and "
        "a meeting changed meanwhile is what the changed notice is for"
    ),
    "governance:agenda_report_present": (
        "links a report not yet presented to the item; no field of the item is edited, "
        "and a report presented meanwhile is refused, not moved (report_present)"
    ),
    "governance:meeting_reply": (
        "a member's answer to the notice, replacing their earlier one (audited); no "
        "field of the meeting is edited"
    ),
}

# The object an edit route opens must be editable: minutes not approved (the
# isolation probe's picks may be locked minutes, which refuse every change).
NOT_APPROVED = ~Q(minutes_status=MinutesStatus.APPROVED)
ROW_NOT_APPROVED = ~Q(meeting__minutes_status=MinutesStatus.APPROVED)
EDITABLE_PICKS: dict[str, dict[str, Pick]] = {
    "governance:meeting_edit": {"pk": Pick(Meeting, NOT_APPROVED)},
    "governance:agenda_item_edit": {"pk": Pick(AgendaItem, ROW_NOT_APPROVED)},
    "governance:attendance_set": {"pk": Pick(Attendance, ROW_NOT_APPROVED)},
    "governance:decision_edit": {"pk": Pick(Decision, ROW_NOT_APPROVED)},
}


@pytest.fixture(scope="module")
def editable(programmes: Programmes, django_db_blocker: Any) -> Programme:
    """Sörmland, with a decision in minutes that are not approved yet if the
    demo has none (a decision of approved minutes cannot be edited)."""
    programme = programmes.by_slug["sormland"]
    with django_db_blocker.unblock(), scope(tenant=programme.tenant):
        if not Decision.objects.filter(ROW_NOT_APPROVED, tenant=programme.tenant).exists():
            item = (
                AgendaItem.objects.filter(ROW_NOT_APPROVED, tenant=programme.tenant)
                .order_by("pk")
                .first()
            )
            assert item is not None, "no agenda item of minutes that are not approved"
            decision_services.decision_create(
                actor=programme.users["leader"],
                meeting=item.meeting,
                agenda_item=item,
                text="Styrgruppen beslutar att anta handlingsplanen.",
            )
    return programme


def _verb(route_name: str) -> str:
    name = route_name.split(":", 1)[1]
    return next((verb for verb in NOT_EDITS if name.endswith(f"_{verb}")), "")


EDIT_CANDIDATES = [
    p
    for p in probes(ids_only=True)
    if not _verb(p.route.name) and p.route.name not in ROUTE_NOT_EDITS
]


# Changing one field of a form, as a person would ---------------------------------


@dataclass(frozen=True)
class Change:
    name: str
    values: list[str]  # what the form sends for the field after the change
    shown: str  # the new text, where the change is a text (else "")

    def applied(self, data: dict[str, list[str]]) -> dict[str, list[str]]:
        return {**data, self.name: self.values}


def _edited_text(control: Control, tag: str) -> str:
    suffix = f"-{tag}"
    text = control.value.rstrip()
    if control.maxlength is not None and len(text) + len(suffix) > control.maxlength:
        text = text[: control.maxlength - len(suffix)]
    return text + suffix


def changes(form: BrowserForm, tag: str) -> list[Change]:
    """One change per field the person could make, texts first. `tag` ("A",
    "B") makes two people's changes of the same field differ."""
    found: list[Change] = []
    seen: set[str] = set()
    texts = [c for c in form.controls if c.kind in TEXT_TYPES]
    for control in sorted(texts, key=lambda c: c.kind != "textarea"):
        if control.name not in seen:
            seen.add(control.name)
            text = _edited_text(control, tag)
            found.append(Change(control.name, [text], text))
    for control in form.controls:
        if control.name in seen or control.name == "version":
            continue
        group = form.named(control.name)
        current = form.value(control.name)
        if control.kind in ("select", "radio"):
            values = (
                [o.value for o in control.options]
                if control.kind == "select"
                else [c.value for c in group]
            )
            others = [v for v in values if v and v not in current]
            if others:
                seen.add(control.name)
                found.append(Change(control.name, [others[0 if tag == "A" else -1]], ""))
        elif control.kind in ("checkbox", "select-multiple"):
            values = (
                [c.value or "on" for c in group]
                if control.kind == "checkbox"
                else [o.value for o in control.options]
            )
            flip = values[0 if tag == "A" else -1]
            toggled = [v for v in current if v != flip] + ([] if flip in current else [flip])
            seen.add(control.name)
            found.append(Change(control.name, toggled, ""))
    return found


def _normal(values: list[str]) -> list[str]:
    return sorted(v.replace("\r\n", "\n").strip() for v in values)


# Requests ------------------------------------------------------------------------


def _open(client: Client, url: str, *, htmx: bool) -> BrowserForm | None:
    response = client.get(url, **(HTMX if htmx else {}))
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    return _edit_form(response.content.decode(), url)


def _post(client: Client, url: str, data: dict[str, list[str]], *, htmx: bool) -> Any:
    return client.post(url, data, **(HTMX if htmx else {}))


def _saved(response: Any, *, htmx: bool) -> bool:
    if htmx:
        answered = ("HX-Trigger", "HX-Redirect", "HX-Location")
        return response.status_code in (200, 204) and any(h in response for h in answered)
    return response.status_code == 302


def _edit_form(page: str, url: str) -> BrowserForm | None:
    """The page's form posting back to `url`; or — when the object the form
    was opened on has been superseded by its copy (a new version of the
    staircase) — the page's one form that carries a version."""
    found = form_posting_to(page, url)
    if found is not None:
        return found
    versioned = [f for f in read(page, url) if f.method == "post" and f.value("version")]
    return versioned[0] if len(versioned) == 1 else None


def _editor(probe: Probe, programme: Programme) -> tuple[str, str, BrowserForm] | None:
    """(role, url, form) for the first editor whose page of the route has a
    form posting back to it; None if none has."""
    probe = Probe(
        probe.route, {**probe.specs, **EDITABLE_PICKS.get(probe.route.name, {})}, probe.fixed
    )
    for role in EDITORS:
        with scope(tenant=programme.tenant):
            try:
                chosen = choose(probe, programme, role)
            except AssertionError:
                continue
            url = url_for(probe, programme, chosen)
        with rolled_back():
            response = client_for(programme, role).get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        if (form := form_posting_to(response.content.decode(), url)) is not None:
            return role, url, form
    return None


def _sticks(client: Client, url: str, form: BrowserForm, change: Change, *, htmx: bool) -> bool:
    """Whether the change alone saves and the form then shows it (a form may
    drop a field that does not apply, e.g. a principal for a role without one)."""
    with rolled_back():
        if not _saved(_post(client, url, change.applied(form.data()), htmx=htmx), htmx=htmx):
            return False
        again = _open(client, url, htmx=False)
        return again is not None and _normal(again.value(change.name)) == _normal(change.values)


def _workable(
    client: Client, url: str, form: BrowserForm, *, htmx: bool
) -> list[tuple[Change, Change]]:
    """The fields whose change by either person saves on its own: each tried,
    and rolled back."""
    by_a = {c.name: c for c in changes(form, "A")}
    by_b = {c.name: c for c in changes(form, "B")}
    workable = []
    for name, change_a in by_a.items():
        change_b = by_b.get(name)
        if change_b is None:
            continue
        if all(_sticks(client, url, form, change, htmx=htmx) for change in (change_a, change_b)):
            workable.append((change_a, change_b))
        if len(workable) == 2:
            break
    return workable


# The property --------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("probe", EDIT_CANDIDATES, ids=lambda p: p.id)
def test_a_stale_save_never_overwrites_what_someone_else_saved(
    probe: Probe, htmx: bool, editable: Programme
):
    if unmapped_kwargs(probe):
        pytest.fail(f"{probe.id}: unmapped kwargs; see test_isolation_probe")
    programme = editable
    found = _editor(probe, programme)
    if found is None:
        assert not probe.route.name.endswith("_edit"), (
            f"{probe.id}: no editor opens its form; pick an editable object in EDITABLE_PICKS"
        )
        return  # no form on this route's page: nothing is edited here
    role, url, opened = found
    assert opened.value("version"), (
        f"{probe.id}: its form carries no version, so a stale save would overwrite "
        "someone else's change. Mix portal.forms.VersionedForm into the form and pass "
        "expected_version on to the service; or, if the form edits no fields of the "
        "object, name its verb in NOT_EDITS with the reason."
    )
    first, second = client_for(programme, role), client_for(programme, role)
    with rolled_back():
        form_a = _open(first, url, htmx=htmx)
        form_b = _open(second, url, htmx=htmx)
        assert form_a is not None and form_b is not None, f"{probe.id}: no form for htmx"
        assert form_a.value("version") == opened.value("version"), f"{probe.id}: htmx form"
        workable = _workable(first, url, form_a, htmx=htmx)
        assert workable, (
            f"{probe.id}: no field of its form could be changed and saved by this test; "
            "teach `changes` how to change one of its fields"
        )
        x, y = workable[0][0], workable[-1][1]

        response = _post(first, url, x.applied(form_a.data()), htmx=htmx)
        assert _saved(response, htmx=htmx), f"{probe.id}: the first save failed"

        stale = form_b.value("version")
        response = _post(second, url, y.applied(form_b.data()), htmx=htmx)
        assert not _saved(response, htmx=htmx), f"{probe.id}: the stale save went through"
        page = response.content.decode()
        refused = _edit_form(page, url)
        assert response.status_code == 200 and refused is not None, probe.id
        assert 'role="alert"' in page, f"{probe.id}: the refusal does not say why"
        assert int(refused.value("version")[0]) > int(stale[0]), (
            f"{probe.id}: the refused form is not based on the version saved meanwhile"
        )
        assert _normal(refused.value(y.name)) == _normal(y.values), (
            f"{probe.id}: the second person's input of {y.name!r} was not kept"
        )
        if x.shown:
            assert x.shown in html.unescape(page), (
                f"{probe.id}: the first person's change of {x.name!r} is not shown"
            )

        now = _open(first, url, htmx=False)
        assert now is not None
        assert _normal(now.value(x.name)) == _normal(x.values), (
            f"{probe.id}: the first person's change of {x.name!r} was overwritten"
        )
        if y.name != x.name:
            assert _normal(now.value(y.name)) == _normal(form_b.value(y.name)), probe.id

        # The second person takes in the first one's change and saves again.
        again = refused.data() if y.name == x.name else x.applied(refused.data())
        response = _post(second, refused.action, again, htmx=htmx)
        assert _saved(response, htmx=htmx), f"{probe.id}: saving again was refused"
        final = _open(first, url, htmx=False)
        assert final is not None
        assert _normal(final.value(y.name)) == _normal(y.values), probe.id
        if y.name != x.name:
            assert _normal(final.value(x.name)) == _normal(x.values), probe.id


def test_the_edit_forms_of_the_big_areas_are_found():
    """The generated test does reach the edit routes (a sanity check on the
    route walk, not a list to keep up to date)."""
    names = {p.route.name for p in EDIT_CANDIDATES}
    for expected in (
        "portal:person_edit",
        "governance:risk_edit",
        "governance:report_activities",
        "implementation:goal_edit",
        "implementation:criterion_edit",
    ):
        assert expected in names
