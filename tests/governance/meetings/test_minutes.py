"""The minutes' lifecycle (governance/views/meetings.py: finish, revise,
versions) and the minutes text filter."""

from __future__ import annotations

import pytest
from django_scopes import scope, scopes_disabled

from governance.models import AttendanceStatus, MinutesStatus, MinutesVersion
from governance.services import actions, decisions, meetings
from governance.templatetags.minutes_text import render_minutes_text
from tests.factories import PersonFactory
from tests.governance.meetings.helpers import (
    NOT_LEADERS,
    _edit_data,
    _row,
    approve,
    snapshot,
    url,
    write_minutes,
)
from tests.helpers import HTMX, form_errors, in_swedish, is_fragment, reload, text

# The minutes lifecycle ----------------------------------------------------------


def test_leader_finishes_the_minutes(world, meeting, leader, client_for):
    response = leader.post(url("minutes_finish", world.tenant, meeting.pk))
    assert response.status_code == 302
    fresh = reload(meeting)
    assert fresh.minutes_status == MinutesStatus.FINISHED
    assert fresh.finished_at is not None
    body = text(
        client_for(world.users["steering"]).get(url("meeting_detail", world.tenant, meeting.pk))
    )
    assert in_swedish("Finished") in body


def test_finishing_emails_the_signatories_a_link_to_sign(
    world, gov, meeting, leader, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the e-mails are a Celery task
    justerare = PersonFactory(tenant=world.tenant, name="Justerare", email="justerare@example.se")
    with scope(tenant=world.tenant):
        meetings.attendance_set(
            actor=world.users["leader"], meeting=meeting, person=justerare, status="narvarande"
        )
        fresh = reload(meeting)
        meetings.meeting_update(
            actor=world.users["leader"],
            meeting=fresh,
            expected_version=fresh.version,
            adjusters=[justerare],
        )
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(url("minutes_finish", world.tenant, meeting.pk))
    # One e-mail each: the justerare and the chair.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(["justerare@example.se", gov.chair.email])
    for mail in mailoutbox:
        assert "http://testserver" + url("minutes_approve", world.tenant, meeting.pk) in mail.body


def test_finishing_with_htmx_redirects_the_browser(world, meeting, leader):
    response = leader.post(url("minutes_finish", world.tenant, meeting.pk), **HTMX)
    assert response["HX-Redirect"] == url("meeting_detail", world.tenant, meeting.pk)


def test_finishing_a_cancelled_meeting_is_refused_with_a_message(world, meeting, leader):
    with scope(tenant=world.tenant):
        meetings.meeting_cancel(actor=world.users["leader"], meeting=meeting, reason="Inställt")
    before = snapshot()
    response = leader.post(url("minutes_finish", world.tenant, meeting.pk), **HTMX)
    assert response["HX-Retarget"] == "#meeting-messages"
    assert 'role="alert"' in text(response)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["minutes_finish", "minutes_revise"])
@pytest.mark.parametrize("role", NOT_LEADERS)
def test_only_process_leaders_finish_and_revise(world, meeting, client_for, role, name):
    approve(world, meeting) if name == "minutes_revise" else None
    before = snapshot()
    response = client_for(world.users[role]).post(
        url(name, world.tenant, meeting.pk), {"reason": "Fel"}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_editing_approved_minutes_is_refused_and_nothing_changes(world, gov, meeting, item, leader):
    write_minutes(world, item, "Justerad text")
    approve(world, meeting)
    row = _row(meeting, gov.member)
    fresh = reload(item)
    before = snapshot()

    page = leader.get(url("agenda_item_edit", world.tenant, item.pk))
    assert "__all__" in form_errors(page)
    attempts = [
        leader.post(
            url("agenda_item_edit", world.tenant, item.pk),
            {
                "title": "Ändrad",
                "kind": "information",
                "minutes": "Ändrad text",
                "version": fresh.version,
            },
        ),
        leader.post(url("decision_add", world.tenant, item.pk), {"text": "Sent beslut"}),
        leader.post(
            url("action_add", world.tenant, item.pk), {"description": "Sent", "owner_all": "on"}
        ),
        leader.post(
            url("attendance_set", world.tenant, row.pk),
            {"status": "franvarande", "version": row.version},
        ),
        leader.post(
            url("agenda_item_add", world.tenant, meeting.pk),
            {"title": "Sen punkt", "kind": "ovrigt"},
        ),
        leader.post(url("meeting_edit", world.tenant, meeting.pk), _edit_data(reload(meeting))),
    ]
    locked = in_swedish(
        "The minutes are approved and locked. Start a revision, with a reason, to change them."
    )
    for response in attempts:
        assert response.status_code == 200
        assert form_errors(response)
        assert locked in text(response)
    moved = leader.post(url("agenda_item_move", world.tenant, item.pk), {"direction": "down"})
    assert moved.status_code == 302
    assert snapshot() == before
    assert reload(item).minutes == "Justerad text"


def test_revising_approved_minutes_keeps_the_approved_version_readable(
    world, meeting, item, leader, client_for
):
    write_minutes(world, item, "Den justerade lydelsen")
    approve(world, meeting)

    before = snapshot()
    refused = leader.post(url("minutes_revise", world.tenant, meeting.pk), {"reason": " "})
    assert "reason" in form_errors(refused)
    assert snapshot() == before
    form = leader.get(url("minutes_revise", world.tenant, meeting.pk), **HTMX)
    assert 'hx-target="#minutes-revise"' in text(form)

    response = leader.post(
        url("minutes_revise", world.tenant, meeting.pk), {"reason": "Fel närvaro i § 2"}
    )
    assert response.status_code == 302
    write_minutes(world, item, "Den ändrade lydelsen, under arbete")

    leader_page = text(leader.get(url("meeting_detail", world.tenant, meeting.pk)))
    assert "Den ändrade lydelsen" in leader_page
    assert "Fel närvaro i § 2" in leader_page
    for role in ["steering", "researcher", "admin", "reporter"]:
        page = client_for(world.users[role]).get(url("meeting_detail", world.tenant, meeting.pk))
        assert page.status_code == 200, role
        assert "Den justerade lydelsen" in text(page), role
        assert "Den ändrade lydelsen" not in text(page), role

    version = client_for(world.users["reporter"]).get(
        url("meeting_version", world.tenant, meeting.pk, 1)
    )
    assert version.status_code == 200
    assert "Den justerade lydelsen" in text(version)
    versions = client_for(world.users["reporter"]).get(
        url("meeting_versions", world.tenant, meeting.pk)
    )
    assert url("meeting_version", world.tenant, meeting.pk, 1) in text(versions)

    # Approved again: version 2, with the reason; version 1 is still there.
    approve(world, meeting)
    with scopes_disabled():
        versions_ = list(MinutesVersion.objects.filter(meeting=meeting).order_by("number"))
    assert [v.number for v in versions_] == [1, 2]
    assert versions_[1].reason == "Fel närvaro i § 2"
    assert "Den justerade lydelsen" in text(
        leader.get(url("meeting_version", world.tenant, meeting.pk, 1))
    )
    assert "Den ändrade lydelsen" in text(
        leader.get(url("meeting_version", world.tenant, meeting.pk, 2))
    )


def test_a_version_shows_decisions_and_assignments_under_their_items(
    world, gov, meeting, item, leader
):
    with scope(tenant=world.tenant):
        decisions.decision_create(
            actor=None, meeting=meeting, agenda_item=item, text="Frusen lydelse"
        )
        actions.action_create(
            actor=None,
            body=gov.body,
            description="Fruset uppdrag",
            owner_all=True,
            agenda_item=item,
        )
        # The process leader absent (the chair signs, so is present).
        meetings.attendance_set(
            actor=None, meeting=meeting, person=gov.leader, status=AttendanceStatus.ABSENT
        )
    approve(world, meeting)
    response = leader.get(url("meeting_version", world.tenant, meeting.pk, 1), **HTMX)
    body = text(response)
    assert is_fragment(response)
    assert (
        body.index("Statusrapport")
        < body.index("SG 2025 §1")
        < body.index("Fruset uppdrag")
        < body.index("Risker")
    )
    assert gov.member.name in body  # the attendance, present before absent
    assert body.index(f"{in_swedish('Present')} (2)") < body.index(f"{in_swedish('Absent')} (1)")


def test_versions_are_readable_only_where_the_meeting_is(
    world, meeting, foreign, other_world, client_for, leader
):
    approve(world, meeting)
    approve(other_world, foreign)
    assert leader.get(url("meeting_version", world.tenant, meeting.pk, 2)).status_code == 404
    assert leader.get(url("meeting_version", world.tenant, foreign.pk, 1)).status_code == 404
    assert leader.get(url("meeting_versions", world.tenant, foreign.pk)).status_code == 404
    stranger = client_for(other_world.users["reporter"])
    assert stranger.get(url("meeting_version", world.tenant, meeting.pk, 1)).status_code == 404


def test_versions_of_draft_minutes_are_403_for_reporters(world, meeting, client_for):
    reporter = client_for(world.users["reporter"])
    assert reporter.get(url("meeting_versions", world.tenant, meeting.pk)).status_code == 403
    response = client_for(world.users["steering"]).get(
        url("meeting_versions", world.tenant, meeting.pk), **HTMX
    )
    assert response.status_code == 200
    assert is_fragment(response)


# The minutes text filter --------------------------------------------------------


def test_minutes_text_escapes_everything_first():
    html = render_minutes_text('<script>alert("x")</script> & <b>fet</b>')
    assert html == '<p>&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;</p>'


def test_minutes_text_makes_lists_bold_and_paragraphs():
    html = render_minutes_text(
        "Reflektioner som inkommer:\n- Kärnan är **viktigast**\n- Arbetsgrupper\n"
        "\nNästa stycke\nrad två"
    )
    assert html == (
        "<p>Reflektioner som inkommer:</p>\n"
        "<ul>\n<li>Kärnan är <strong>viktigast</strong></li>\n<li>Arbetsgrupper</li>\n</ul>\n"
        "<p>Nästa stycke<br>\nrad två</p>"
    )


def test_minutes_text_leaves_unmatched_markers_and_handles_empty_text():
    assert (
        render_minutes_text("**inte stängd och -inte lista")
        == "<p>**inte stängd och -inte lista</p>"
    )
    assert render_minutes_text("") == ""
    assert render_minutes_text(None) == ""
    assert render_minutes_text("**<i>**") == "<p><strong>&lt;i&gt;</strong></p>"
