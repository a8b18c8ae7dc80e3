"""Journey (a): a process leader logs a steering-group meeting from start to
end in the browser — plans it with its agenda, records who came (a substitute
for an absent member and a guest), writes the minutes item by item, records a
decision, an assignment and a risk, finishes the minutes, has the PDF made by
the Celery worker and downloads it. Every page and every htmx swap on the way
passes axe (WCAG 2.1 A and AA).

The same journey is made twice: with the mouse, and with the keyboard alone
(Tab, Shift+Tab, Enter, Space, arrow keys and typing), where every stop shows
its focus and the focus lands where the page changed after each swap."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MinutesStatus,
    Risk,
)
from portal.models import GeneratedFile, GeneratedFileStatus
from tests.document_helpers import pdf_text
from tests.e2e.journeys import Keyboard, Mouse
from tests.factories import PersonFactory
from tests.governance.conftest import Gov, _gov

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"

AGENDA = ["Statusrapport", "Processplanen", "Risker och åtgärder"]
MINUTES = [
    "Processledarna går igenom **statusrapporten** för februari.",
    "Styrgruppen diskuterar tidsplanen för processplanen.",
    "Personalomsättningen i elevhälsan lyfts som en risk.",
]
DECISION = "Styrgruppen beslutar att tidsplanen kallas processplan."
ASSIGNMENT = "Återkoppla hur ni vill arbeta med barnmedverkan."
RISK = "Hög personalomsättning i elevhälsan"


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


@pytest.fixture
def gov(world) -> Gov:
    return _gov(world)


@pytest.fixture
def substitute(world):
    """Stands in for the absent member of the steering group."""
    return PersonFactory(
        tenant=world.tenant, name="Ersättare Eriksson", principal=world.principal, title="Rektor"
    )


def _path(name: str, world, *args) -> str:
    return reverse(name, args=[world.tenant.slug, *args])


def _url(live_server, name: str, world, *args) -> str:
    return live_server.url + _path(name, world, *args)


def _reference() -> str:
    year = (timezone.localdate() - datetime.timedelta(days=2)).year
    return f"SG {year} §1"


def log_in(ui: Mouse, live_server, username: str) -> None:
    ui.page.goto(f"{live_server.url}/accounts/login/")
    ui.check_page()
    ui.fill(ui.page.get_by_label("Användarnamn"), username)
    ui.fill(ui.page.get_by_label("Lösenord"), PASSWORD)
    with ui.page.expect_navigation():
        ui.press(ui.page.get_by_role("button", name="Logga in"))


def _focus_id(ui: Mouse) -> str:
    return str(ui.page.evaluate("document.activeElement.id"))


def _focus_lands_on(ui: Mouse, element_id: str) -> None:
    """After an htmx swap, the focus is where the page changed (keyboard and
    screen-reader users are not left at the top of the page)."""
    if ui.keyboard_only:
        # Functions, not expressions: the CSP forbids evaluating strings.
        ui.page.wait_for_function("id => document.activeElement.id === id", arg=element_id)
        ui.assert_focus_visible()  # type: ignore[attr-defined]


def _focus_inside(ui: Mouse, selector: str) -> None:
    if ui.keyboard_only:
        ui.page.wait_for_function(
            "selector => document.activeElement !== document.body"
            " && !!document.activeElement.closest(selector)",
            arg=selector,
        )


def _focus_on_row_of(ui: Mouse, name: str) -> None:
    """After adding an attendee, the focus is on their new row."""
    if ui.keyboard_only:
        ui.page.wait_for_function(
            "name => document.activeElement.closest('#attendance tr')"
            " && document.activeElement.textContent.includes(name)",
            arg=name,
        )


def log_the_meeting(ui: Mouse, live_server, world, gov: Gov, substitute) -> Meeting:
    page = ui.page
    log_in(ui, live_server, world.users["leader"].username)
    ui.check_page()

    # Plan the meeting, with its agenda and who approves the minutes.
    ui.follow(page.locator("nav.main-nav").get_by_role("link", name="Möten"))
    page.wait_for_url(_url(live_server, "governance:meeting_list", world))
    ui.check_page()
    ui.follow(page.locator(f'main a[href="{_path("governance:meeting_create", world)}"]'))
    page.wait_for_url(_url(live_server, "governance:meeting_create", world))
    ui.check_page()
    form = page.locator("#meeting-create-form")
    ui.choose(form.locator("select[name=body]"), str(gov.body.pk))
    ui.fill(form.get_by_label("Titel"), "Styrgruppsmöte i mars")
    # Held two days ago: recent meetings are offered where a risk was raised.
    day = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    ui.enter_date(form.locator("input[name=starts_at]"), f"{day}T13:00")
    ui.enter_date(form.locator("input[name=ends_at]"), f"{day}T15:00")
    ui.fill(form.locator("input[name=place]"), "Nygatan 20, Växjö")
    ui.choose(form.locator("select[name=record_type]"), "protokoll")
    ui.pick(form.locator(f"input[name=adjusters][value='{gov.chair.pk}']"), gov.chair.name)
    ui.fill(form.locator("textarea[name=agenda]"), "\n".join(AGENDA))
    ui.press(form.get_by_role("button", name="Planera mötet"))
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    ui.check_page()
    with scopes_disabled():
        meeting = Meeting.objects.get(title="Styrgruppsmöte i mars")
        items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
        absent = Attendance.objects.get(meeting=meeting, person=gov.member)
    assert [item.title for item in items] == AGENDA
    detail = _url(live_server, "governance:meeting_detail", world, meeting.pk)
    assert page.url == detail

    # The member from the municipality sent a substitute.
    row = page.locator(f"#attendance-{absent.pk}")
    ui.follow(row.locator(f'a[href="{_path("governance:attendance_set", world, absent.pk)}"]'))
    form = page.locator(f"form:has(#attendance-{absent.pk}-status)")
    form.wait_for()
    _focus_lands_on(ui, f"attendance-{absent.pk}-status")
    ui.check_page()
    ui.choose(form.locator("select[name=status]"), AttendanceStatus.ABSENT)
    ui.press(form.locator("button[type=submit]"))
    page.locator("#attendance caption", has_text="Frånvarande").wait_for()
    _focus_inside(ui, f"#attendance-{absent.pk}")
    ui.check_page()

    ui.follow(page.locator("#attendance-create a"))
    form = page.locator("#attendance-create form")
    form.wait_for()
    _focus_lands_on(ui, f"attendance-new-{meeting.pk}-person")
    ui.check_page()
    ui.pick(form.locator(f"input[name=person][value='{substitute.pk}']"), substitute.name)
    ui.choose(form.locator("select[name=status]"), AttendanceStatus.SUBSTITUTE)
    ui.pick(form.locator(f"input[name=replaces][value='{gov.member.pk}']"), gov.member.name)
    ui.press(form.locator("button[type=submit]"))
    page.locator("#attendance tbody th", has_text="Ersättare Eriksson").wait_for()
    _focus_on_row_of(ui, "Ersättare Eriksson")
    ui.check_page()

    # A guest from outside the programme, registered on the spot.
    ui.follow(page.locator("#attendance-create a"))
    form = page.locator("#attendance-create form")
    form.wait_for()
    ui.check_page()
    ui.fill(form.locator("input[name=name]"), "Angelika Thelin")
    ui.fill(form.locator("input[name=title]"), "Följeforskare")
    ui.fill(form.locator("input[name=organisation]"), "Linnéuniversitetet")
    ui.press(form.locator("button[type=submit]"))
    page.locator("#attendance tbody th", has_text="Angelika Thelin").wait_for()
    _focus_on_row_of(ui, "Angelika Thelin")
    ui.check_page()

    # The minutes, item by item.
    for item, text in zip(items, MINUTES, strict=True):
        block = page.locator(f"#agenda-item-{item.pk}")
        ui.follow(
            block.locator(f'a[href="{_path("governance:agenda_item_edit", world, item.pk)}"]')
        )
        textarea = page.locator(f"#agenda-item-{item.pk} textarea[name=minutes]")
        textarea.wait_for()
        _focus_lands_on(ui, f"agenda-{item.pk}-title")
        ui.check_page()
        ui.fill(textarea, text)
        ui.press(page.locator(f"#agenda-item-{item.pk} button[type=submit]"))
        page.locator(f"#agenda-item-{item.pk} .minutes-text").wait_for()
        _focus_lands_on(ui, f"agenda-item-{item.pk}-title")
        ui.check_page()

    # A decision under the second item, an assignment under the first.
    second = items[1]
    ui.follow(page.locator(f"#decision-create-{second.pk} a"))
    textarea = page.locator(f"#decision-create-{second.pk} textarea[name=text]")
    textarea.wait_for()
    _focus_inside(ui, f"#decision-create-{second.pk}")
    ui.check_page()
    ui.fill(textarea, DECISION)
    ui.press(page.locator(f"#decision-create-{second.pk} button[type=submit]"))
    page.locator(f"#agenda-item-{second.pk} .decision__reference", has_text=_reference()).wait_for()
    _focus_lands_on(ui, f"agenda-item-{second.pk}-title")
    ui.check_page()

    first = items[0]
    ui.follow(page.locator(f"#action-create-{first.pk} a"))
    form = page.locator(f"#action-create-{first.pk} form")
    form.wait_for()
    _focus_inside(ui, f"#action-create-{first.pk}")
    ui.check_page()
    ui.fill(form.locator("textarea[name=description]"), ASSIGNMENT)
    ui.tick(form.locator("input[name=owner_all]"))
    ui.tick(form.locator("input[name=due_next_meeting]"))
    ui.press(form.locator("button[type=submit]"))
    page.locator(f"#agenda-item-{first.pk} .assignments th", has_text="Återkoppla hur").wait_for()
    _focus_lands_on(ui, f"agenda-item-{first.pk}-title")
    ui.check_page()

    # A risk raised under the third item, in the risk register.
    ui.follow(page.locator("nav.main-nav").get_by_role("link", name="Risker"))
    page.wait_for_url(_url(live_server, "governance:risk_list", world))
    ui.check_page()
    ui.follow(page.locator(f'main a[href="{_path("governance:risk_create", world)}"]'))
    page.wait_for_url(_url(live_server, "governance:risk_create", world))
    ui.check_page()
    form = page.locator("#risk-create-form")
    ui.fill(form.locator("input[name=title]"), RISK)
    ui.choose(form.locator("select[name=category]"), "resurser")
    ui.fill(form.locator("textarea[name=description]"), "Tre av fem skolkuratorer har slutat.")
    ui.choose(form.locator("select[name=likelihood]"), "3")
    ui.choose(form.locator("select[name=consequence]"), "3")
    ui.pick(form.locator(f"input[name=owner][value='{gov.leader.pk}']"), gov.leader.name)
    ui.fill(form.locator("textarea[name=mitigation]"), "Gemensam introduktion av nyanställda.")
    ui.choose(form.locator("select[name=raised_at]"), str(items[2].pk))
    ui.press(form.locator("button[type=submit]"))
    page.wait_for_url(re.compile(r"/risks/\d+/$"))
    ui.check_page()
    ui.follow(page.locator("main").get_by_role("link", name="Styrgruppsmöte i mars"))
    page.wait_for_url(detail)
    page.locator(f"#agenda-item-{items[2].pk} .item-links").get_by_role(
        "link", name=RISK, exact=True
    ).wait_for()
    ui.check_page()

    # The minutes are finished: sent to the justerare.
    ui.press(page.get_by_role("button", name="Markera minnesanteckningarna som färdigställda"))
    page.get_by_text("Färdigställd", exact=True).first.wait_for()
    ui.check_page()

    # The PDF, rendered by the worker while the page polls.
    panel = page.locator(f"#document-minutes-{meeting.pk}")
    ui.press(panel.get_by_role("button", name="Skapa PDF"))
    link = panel.get_by_role("link", name="Ladda ner PDF")
    link.wait_for(timeout=60_000)
    ui.check_page()
    with page.expect_download() as download:
        ui.follow(link)
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in [
        "Styrgruppsmöte i mars",
        *AGENDA,
        "Ersättare Eriksson",
        "Angelika Thelin",
        "Processledarna går igenom statusrapporten för februari.",
        *MINUTES[1:],
        DECISION,
        ASSIGNMENT,
    ]:
        assert expected in text, f"{expected!r} is missing from the PDF: {text}"
    return meeting


def _what_was_recorded(meeting: Meeting, gov: Gov, substitute) -> None:
    with scopes_disabled():
        meeting.refresh_from_db()
        assert meeting.minutes_status == MinutesStatus.FINISHED
        assert meeting.finished_at is not None
        assert list(meeting.adjusters.all()) == [gov.chair]
        stand_in = Attendance.objects.get(meeting=meeting, person=substitute)
        assert stand_in.status == AttendanceStatus.SUBSTITUTE
        assert list(stand_in.replaces.all()) == [gov.member]
        assert Attendance.objects.get(meeting=meeting, person=gov.member).status == "franvarande"
        guest = Attendance.objects.get(meeting=meeting, person__name="Angelika Thelin")
        assert guest.status == AttendanceStatus.GUEST
        assert guest.person.organisation == "Linnéuniversitetet"
        assert [
            i.minutes for i in AgendaItem.objects.filter(meeting=meeting).order_by("position")
        ] == MINUTES
        decision = Decision.objects.get(meeting=meeting)
        assert (decision.reference, decision.text) == (_reference(), DECISION)
        action = ActionItem.objects.get(description=ASSIGNMENT, agenda_item__meeting=meeting)
        assert action.owner_all and action.due_next_meeting
        assert Risk.objects.filter(title=RISK, raised_at__meeting=meeting).exists()
        job = GeneratedFile.objects.get()
        assert job.status == GeneratedFileStatus.DONE


def test_leader_logs_a_meeting_end_to_end(
    page, live_server, axe, world, gov, substitute, celery_worker, console
):
    meeting = log_the_meeting(Mouse(page, axe), live_server, world, gov, substitute)
    _what_was_recorded(meeting, gov, substitute)
    assert not [m for m in console if "Content Security Policy" in m], console


def test_leader_logs_a_meeting_with_the_keyboard_alone(
    page, live_server, axe, world, gov, substitute, celery_worker, console
):
    meeting = log_the_meeting(Keyboard(page, axe), live_server, world, gov, substitute)
    _what_was_recorded(meeting, gov, substitute)
    assert not [m for m in console if "Content Security Policy" in m], console
