"""The report-back loop (återkoppling): principals see the assignments given
to them or to "alla organisationer" on their dashboard and answer them there,
one answer per principal; the follow-up item of the next meeting lists the
answers and who has not answered; and principals that have not answered are
reminded, once, a few days before the body's next meeting."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from governance import tasks
from governance.models import (
    ActionAnswer,
    ActionItem,
    ActionReminder,
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Meeting,
    MinutesStatus,
)
from governance.selectors.report_back import (
    active_principals,
    expected_principals,
    principal_assignments,
    programme_staff,
    report_back_minutes_statuses,
)
from governance.services import actions, meetings, minutes
from governance.services.report_back import (
    action_answer_save,
    send_report_back_reminders,
    unanswered_before_meetings,
)
from portal.models import AuditEvent, Role
from portal.services import ConflictError, DomainError
from tests.factories import MembershipFactory, PersonFactory, PrincipalFactory, UserFactory
from tests.governance.factories import BodyFactory, BodyMemberFactory
from tests.governance.service_helpers import audits, plan
from tests.helpers import HTMX as HX

NEXT_DAY = datetime.date(2025, 5, 20)


@dataclass
class Scene:
    given_at: Meeting  # held; its minutes finished (the steering group may read them)
    following: Meeting  # the body's next meeting, planned; carries the assignments
    follow_up: AgendaItem
    to_all: ActionItem  # "alla organisationer ska återkoppla till nästa möte"
    to_a: ActionItem  # world.principal's, by the next meeting
    to_b: ActionItem  # world.other_principal's, due before the next meeting
    from_draft: ActionItem  # to all, in minutes that are still a draft


def _give(world, gov, item, description, **owners) -> ActionItem:
    return actions.action_create(
        actor=world.users["leader"],
        body=gov.body,
        description=description,
        agenda_item=item,
        **owners,
    )


def _scene(world, gov) -> Scene:
    leader = world.users["leader"]
    held = plan(world, gov, day=(2025, 3, 25))
    item = meetings.agenda_item_add(actor=leader, meeting=held, title="Barnrättsarbetet")
    to_all = _give(
        world,
        gov,
        item,
        "Alla organisationer återkopplar hur de arbetar med barnkonventionen.",
        owner_all=True,
        due_next_meeting=True,
    )
    to_a = _give(
        world,
        gov,
        item,
        "Kommun A redovisar sin kartläggning.",
        owner_principal=world.principal,
        due_next_meeting=True,
    )
    to_b = _give(
        world,
        gov,
        item,
        "Kommun B tar fram en tidsplan.",
        owner_principal=world.other_principal,
        due_date=datetime.date(2025, 5, 1),
    )
    minutes.minutes_finish(actor=leader, meeting=held)
    draft_meeting = plan(world, gov, day=(2025, 4, 10))
    draft_item = meetings.agenda_item_add(actor=leader, meeting=draft_meeting, title="Övrigt")
    from_draft = _give(
        world,
        gov,
        draft_item,
        "Utkast: alla svarar på enkäten.",
        owner_all=True,
        due_next_meeting=True,
    )
    following = plan(world, gov, day=NEXT_DAY.timetuple()[:3])
    follow_up = AgendaItem.objects.get(meeting=following, kind=AgendaItemKind.FOLLOW_UP)
    return Scene(held, following, follow_up, to_all, to_a, to_b, from_draft)


@pytest.fixture
def scene(world, gov) -> Scene:
    with scope(tenant=world.tenant):
        return _scene(world, gov)


def answer(world, scene_action, principal=None, text="Vi har kartlagt alla skolor.", **kwargs):
    return action_answer_save(
        actor=world.users["reporter"],
        action=scene_action,
        principal=principal or world.principal,
        text=text,
        **kwargs,
    )


# Who is asked to answer ------------------------------------------------------------


def test_all_organisations_asks_every_active_principal(world, gov, scene, in_scope):
    left = PrincipalFactory(tenant=world.tenant, name="Avslutad kommun")
    left.archived_at = timezone.now()
    left.save()
    joined = PrincipalFactory(tenant=world.tenant, name="Ny kommun")

    asked = expected_principals(scene.to_all, active_principals(world.tenant.pk))

    assert {p.pk for p in asked} == {world.principal.pk, world.other_principal.pk, joined.pk}


def test_an_assignment_to_people_of_several_principals_asks_each(world, gov, in_scope):
    a = PersonFactory(tenant=world.tenant, principal=world.principal)
    b = PersonFactory(tenant=world.tenant, principal=world.other_principal)
    unaffiliated = PersonFactory(tenant=world.tenant)
    several = actions.action_create(
        actor=world.users["leader"], body=gov.body, description="X", owner_people=[a, b]
    )
    body_only = actions.action_create(
        actor=world.users["leader"],
        body=gov.body,
        description="Y",
        owner_body=BodyFactory(tenant=world.tenant),
        owner_people=[unaffiliated],
    )
    active = active_principals(world.tenant.pk)

    assert {p.pk for p in expected_principals(several, active)} == {
        world.principal.pk,
        world.other_principal.pk,
    }
    assert expected_principals(body_only, active) == []
    assert several.pk in shown(world, world.principal)
    assert several.pk in shown(world, world.other_principal)
    assert body_only.pk not in shown(world, world.principal)


def test_an_assignment_to_the_programmes_staff_asks_no_principal(world, gov, in_scope):
    """A process leader employed by the Region acts for the programme: the
    Region is not asked to answer the process leaders' assignments."""
    region_leader = PersonFactory(tenant=world.tenant, principal=world.principal)
    BodyMemberFactory(body=gov.body, person=region_leader, role="processledare")
    theirs = actions.action_create(
        actor=world.users["leader"],
        body=gov.body,
        description="Processledarna sammanställer goda exempel.",
        owner_people=[region_leader],
    )

    assert (
        expected_principals(
            theirs, active_principals(world.tenant.pk), programme_staff(world.tenant.pk)
        )
        == []
    )
    assert theirs.pk not in shown(world, world.principal, role="leader")
    with pytest.raises(DomainError):
        answer(world, theirs)


# Answering ---------------------------------------------------------------------------


def test_each_principal_gives_one_answer_to_an_all_organisations_assignment(world, scene, in_scope):
    first = answer(world, scene.to_all)
    other = action_answer_save(
        actor=world.users["leader"],
        action=scene.to_all,
        principal=world.other_principal,
        text="Svar från kommun B, lämnat per e-post.",
    )
    changed = answer(world, scene.to_all, text="Nu även förskolorna.", expected_version=1)

    assert changed.pk == first.pk
    assert changed.version == 2
    assert ActionAnswer.objects.filter(action_item=scene.to_all).count() == 2
    assert other.principal == world.other_principal
    assert [e.action for e in audits(first)] == ["action_answer.create", "action_answer.update"]
    assert audits(first)[1].before["text"] == "Vi har kartlagt alla skolor."


def test_a_principal_not_asked_cannot_answer(world, scene, in_scope):
    with pytest.raises(DomainError):
        answer(world, scene.to_b)

    assert not ActionAnswer.objects.exists()


@pytest.mark.parametrize("text", ["", "   \n"])
def test_an_empty_answer_is_refused(world, scene, in_scope, text):
    with pytest.raises(DomainError):
        answer(world, scene.to_all, text=text)

    assert not ActionAnswer.objects.exists()


def test_a_colleagues_answer_saved_meanwhile_is_not_overwritten(world, scene, in_scope):
    answer(world, scene.to_all, text="Först.")

    with pytest.raises(ConflictError):
        answer(world, scene.to_all, text="Mitt svar.", expected_version=0)
    answer(world, scene.to_all, text="Andra.", expected_version=1)
    with pytest.raises(ConflictError):
        answer(world, scene.to_all, text="Gammalt formulär.", expected_version=1)

    assert ActionAnswer.objects.get(action_item=scene.to_all).text == "Andra."


def test_done_marks_an_assignment_done_only_when_the_principal_alone_is_asked(
    world, scene, in_scope
):
    answer(world, scene.to_a, done=True)
    answer(world, scene.to_all, done=True)

    scene.to_a.refresh_from_db()
    scene.to_all.refresh_from_db()
    assert scene.to_a.status == ActionStatus.DONE
    assert scene.to_all.status == ActionStatus.NOT_STARTED
    assert ActionAnswer.objects.get(action_item=scene.to_all).done


def test_a_reported_back_or_archived_assignment_is_not_answered(world, scene, in_scope):
    actions.action_set_status(
        actor=world.users["leader"], action=scene.to_a, status=ActionStatus.REPORTED
    )
    actions.action_set_archived(actor=world.users["leader"], action=scene.to_all, archived=True)

    for closed in (scene.to_a, scene.to_all):
        with pytest.raises(DomainError):
            answer(world, closed)

    assert not ActionAnswer.objects.exists()


# What a principal's readers see -----------------------------------------------------------


def shown(world, principal, role="reporter"):
    return {
        a.action.pk: a
        for a in principal_assignments(
            tenant=world.tenant,
            principal=principal,
            minutes_statuses=report_back_minutes_statuses(world.memberships[role]),
        )
    }


def test_reporters_see_their_own_and_all_organisations_assignments_only(world, scene, in_scope):
    assert set(shown(world, world.principal)) == {scene.to_all.pk, scene.to_a.pk}
    assert set(shown(world, world.other_principal)) == {scene.to_all.pk, scene.to_b.pk}


def test_assignments_of_draft_minutes_are_for_process_leaders_only(world, scene, in_scope):
    assert scene.from_draft.pk not in shown(world, world.principal)
    assert scene.from_draft.pk not in shown(world, world.principal, role="steering")
    assert scene.from_draft.pk in shown(world, world.principal, role="leader")


def test_the_list_has_the_answer_and_unanswered_ones_come_first(world, scene, in_scope):
    answer(world, scene.to_all)

    rows = list(shown(world, world.principal).values())

    assert [r.action.pk for r in rows] == [scene.to_a.pk, scene.to_all.pk]
    assert rows[1].answer is not None and rows[1].answer.text == "Vi har kartlagt alla skolor."
    assert rows[0].answer is None


def test_a_done_answered_assignment_stays_until_reported_back(world, scene, in_scope):
    answer(world, scene.to_a, done=True)
    assert scene.to_a.pk in shown(world, world.principal)

    actions.action_set_status(
        actor=world.users["leader"], action=scene.to_a, status=ActionStatus.REPORTED
    )
    assert scene.to_a.pk not in shown(world, world.principal)


# The follow-up at the next meeting ------------------------------------------------------


def test_the_follow_up_item_lists_answers_and_who_has_not_answered(world, scene, client_for):
    with scope(tenant=world.tenant):
        given = answer(world, scene.to_all, text="Alla skolor har gått utbildningen.")
        content = minutes.minutes_content(scene.following)
    follow_up = next(e for e in content["agenda"] if e["id"] == scene.follow_up.pk)
    entry = next(f for f in follow_up["follow_up"] if f["description"] == scene.to_all.description)
    assert [a["principal"] for a in entry["answers"]] == [world.principal.name]
    assert entry["answers"][0]["text"] == "Alla skolor har gått utbildningen."
    assert entry["not_answered"] == [world.other_principal.name]
    to_b = next(f for f in follow_up["follow_up"] if f["description"] == scene.to_b.description)
    assert to_b["not_answered"] == [world.other_principal.name]

    url = reverse("governance:meeting_detail", args=[world.tenant.slug, scene.following.pk])
    page = client_for(world.users["leader"]).get(url).content.decode()
    assert f'id="answer-{given.pk}"' in page
    assert "Alla skolor har gått utbildningen." in page
    assert f'data-principal="{world.other_principal.pk}"' in page


def test_the_minutes_pdf_lists_the_answers(world, scene):
    from django.template.loader import render_to_string

    with scope(tenant=world.tenant):
        answer(world, scene.to_all, text="Svar till protokollet.")
        content = minutes.minutes_content(scene.following)
    with translation.override("en"):
        html = render_to_string("governance/_minutes_content.html", {"content": content})
    assert "Svar till protokollet." in html
    assert "Not answered:" in html and world.other_principal.name in html


def test_the_assignment_page_shows_every_answer_to_the_process_leader(world, scene, client_for):
    with scope(tenant=world.tenant):
        given = answer(world, scene.to_all)
    url = reverse("governance:action_detail", args=[world.tenant.slug, scene.to_all.pk])

    page = client_for(world.users["leader"]).get(url).content.decode()

    assert f'id="answer-{given.pk}"' in page
    assert 'id="action-not-answered"' in page


# Reminders -------------------------------------------------------------------------------


@pytest.fixture
def reporter_b(world):
    user = UserFactory(username="reporter-b")
    MembershipFactory(
        tenant=world.tenant,
        user=user,
        role=Role.PRINCIPAL_REPORTER,
        principal=world.other_principal,
    )
    return user


def remind(world, today):
    with scope(tenant=world.tenant):
        return send_report_back_reminders(tenant=world.tenant, today=today)


def test_principals_that_have_not_answered_are_reminded_once_before_the_meeting(
    world, scene, reporter_b
):
    day = NEXT_DAY - datetime.timedelta(days=5)

    first = remind(world, day)
    again = remind(world, day + datetime.timedelta(days=1))

    assert (first.principals, first.emails, again.principals) == (2, 2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["reporter"].email, reporter_b.email]
    )
    to_a = next(m for m in mail.outbox if m.to == [world.users["reporter"].email])
    assert scene.to_a.description in to_a.body and scene.to_all.description in to_a.body
    assert scene.to_b.description not in to_a.body
    assert scene.from_draft.description not in to_a.body  # draft minutes: never e-mailed
    with scopes_disabled():
        assert ActionReminder.objects.filter(meeting=scene.following).count() == 4
        assert AuditEvent.objects.filter(action="principal.report_back.remind").count() == 2


def test_a_principal_that_answered_is_not_reminded(world, scene):
    with scope(tenant=world.tenant):
        answer(world, scene.to_all)
        answer(world, scene.to_a)

    result = remind(world, NEXT_DAY - datetime.timedelta(days=2))

    assert result.emails == 0 and mail.outbox == []


@pytest.mark.parametrize("days_before", [8, 0, -1])
def test_no_reminder_too_early_on_the_day_or_after(world, scene, days_before):
    result = remind(world, NEXT_DAY - datetime.timedelta(days=days_before))

    assert result.emails == 0 and mail.outbox == []


@override_settings(REPORT_BACK_REMINDER_DAYS=3)
def test_the_reminder_days_are_a_setting(world, scene):
    assert remind(world, NEXT_DAY - datetime.timedelta(days=4)).emails == 0
    assert remind(world, NEXT_DAY - datetime.timedelta(days=3)).emails == 1


def test_a_principal_without_reporters_is_reminded_once_it_has_one(world, scene):
    day = NEXT_DAY - datetime.timedelta(days=5)
    remind(world, day)
    with scopes_disabled():
        assert not ActionReminder.objects.filter(principal=world.other_principal).exists()
    user = UserFactory(username="late-reporter")
    MembershipFactory(
        tenant=world.tenant,
        user=user,
        role=Role.PRINCIPAL_REPORTER,
        principal=world.other_principal,
    )

    assert remind(world, day + datetime.timedelta(days=1)).emails == 1


def test_the_reminder_selection_never_includes_another_programme(world, scene, other_world):
    with scope(tenant=other_world.tenant):
        due = unanswered_before_meetings(
            tenant=other_world.tenant, today=NEXT_DAY - datetime.timedelta(days=5)
        )
    assert due == []


def test_the_beat_task_queues_each_active_programme(world, other_world, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(tasks.send_programme_report_back_reminders, "delay", queued.append)

    assert tasks.send_report_back_reminders_all() == 2

    assert sorted(queued) == sorted([world.tenant.pk, other_world.tenant.pk])


def test_the_programme_task_sends_each_reminder_once(world, scene, monkeypatch):
    monkeypatch.setattr(
        tasks.timezone, "localdate", lambda *a: NEXT_DAY - datetime.timedelta(days=6)
    )
    task = tasks.send_programme_report_back_reminders

    assert task.apply(args=[world.tenant.pk]).get() == "1+1"
    assert task.apply(args=[world.tenant.pk]).get() == "0+0"
    assert task.apply(args=[999999]).get() == "skipped"
    assert len(mail.outbox) == 1


# Views -------------------------------------------------------------------------------------


def answer_url(world, principal, action) -> str:
    return reverse("governance:action_answer", args=[world.tenant.slug, principal.pk, action.pk])


def dashboard_url(world, principal) -> str:
    return reverse("portal:principal_dashboard", args=[world.tenant.slug, principal.pk])


def test_the_reporter_sees_the_assignments_on_the_principal_dashboard(world, scene, client_for):
    page = client_for(world.users["reporter"]).get(dashboard_url(world, world.principal))

    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="assignment-{scene.to_all.pk}"' in html
    assert f'id="assignment-{scene.to_a.pk}"' in html
    assert f'id="assignment-{scene.to_b.pk}"' not in html
    assert f'id="assignment-{scene.from_draft.pk}"' not in html
    assert answer_url(world, world.principal, scene.to_all) in html


def test_the_reporter_answers_in_place_with_htmx(world, scene, client_for):
    client = client_for(world.users["reporter"])
    url = answer_url(world, world.principal, scene.to_all)

    form = client.get(url, **HX)
    saved = client.post(url, {"text": "Vi har en plan.", "done": "on", "version": "0"}, **HX)

    assert form.status_code == 200 and 'name="text"' in form.content.decode()
    assert saved.status_code == 200
    assert 'data-answered="1"' in saved.content.decode()
    assert "answerSaved" in saved["HX-Trigger"]
    with scope(tenant=world.tenant):
        given = ActionAnswer.objects.get(action_item=scene.to_all, principal=world.principal)
    assert (given.text, given.done, given.answered_by) == (
        "Vi har en plan.",
        True,
        world.users["reporter"],
    )


def test_cancel_gives_the_assignment_back_without_the_form(world, scene, client_for):
    url = answer_url(world, world.principal, scene.to_all)

    back = client_for(world.users["reporter"]).get(url + "?show=1", **HX)

    html = back.content.decode()
    assert back.status_code == 200
    assert f'id="assignment-{scene.to_all.pk}"' in html and "<form" not in html


def test_without_javascript_the_answer_is_a_page_and_a_redirect(world, scene, client_for):
    client = client_for(world.users["reporter"])
    url = answer_url(world, world.principal, scene.to_a)

    page = client.get(url)
    saved = client.post(url, {"text": "Kartläggningen är klar.", "version": "0"})

    assert page.status_code == 200 and "<form" in page.content.decode()
    assert saved.status_code == 302
    assert saved["Location"] == dashboard_url(world, world.principal)


def test_the_reporter_changes_the_answer_and_a_stale_form_is_refused(world, scene, client_for):
    with scope(tenant=world.tenant):
        answer(world, scene.to_all, text="Första svaret.")
    client = client_for(world.users["reporter"])
    url = answer_url(world, world.principal, scene.to_all)

    form = client.get(url).content.decode()
    changed = client.post(url, {"text": "Andra svaret.", "version": "1"})
    stale = client.post(url, {"text": "Gammalt.", "version": "1"})

    assert 'value="1"' in form and "Första svaret." in form
    assert changed.status_code == 302
    assert stale.status_code == 200
    with scope(tenant=world.tenant):
        assert ActionAnswer.objects.get(action_item=scene.to_all).text == "Andra svaret."


def test_a_colleagues_answer_given_meanwhile_is_shown_and_then_can_be_replaced(
    world, scene, client_for
):
    client = client_for(world.users["reporter"])
    url = answer_url(world, world.principal, scene.to_all)
    opened = client.get(url).content.decode()
    with scope(tenant=world.tenant):
        answer(world, scene.to_all, text="Kollegans svar.")

    refused = client.post(url, {"text": "Mitt svar.", "version": "0"})
    again = client.post(url, {"text": "Mitt svar.", "version": "1"})

    assert 'name="version" value="0"' in opened
    assert refused.status_code == 200
    assert 'name="version" value="1"' in refused.content.decode()
    assert again.status_code == 302
    with scope(tenant=world.tenant):
        assert ActionAnswer.objects.get(action_item=scene.to_all).text == "Mitt svar."


def test_a_reporter_cannot_answer_for_another_principal(world, scene, client_for):
    client = client_for(world.users["reporter"])

    refused = client.post(
        answer_url(world, world.other_principal, scene.to_all), {"text": "För B."}
    )
    listing = client.get(
        reverse(
            "governance:principal_assignments", args=[world.tenant.slug, world.other_principal.pk]
        )
    )

    assert (refused.status_code, listing.status_code) == (403, 403)
    with scope(tenant=world.tenant):
        assert not ActionAnswer.objects.exists()


def test_an_assignment_that_does_not_ask_the_principal_is_404(world, scene, client_for):
    client = client_for(world.users["reporter"])

    not_asked = client.post(answer_url(world, world.principal, scene.to_b), {"text": "X"})
    drafted = client.post(answer_url(world, world.principal, scene.from_draft), {"text": "X"})

    assert (not_asked.status_code, drafted.status_code) == (404, 404)
    with scope(tenant=world.tenant):
        assert not ActionAnswer.objects.exists()


@pytest.mark.parametrize("role", ["steering", "researcher", "admin"])
def test_readers_see_the_list_but_do_not_answer(world, scene, client_for, role):
    client = client_for(world.users[role])
    listing = reverse(
        "governance:principal_assignments", args=[world.tenant.slug, world.principal.pk]
    )

    assert client.get(listing).status_code == 200
    assert (
        client.post(answer_url(world, world.principal, scene.to_all), {"text": "X"}).status_code
        == 403
    )


def test_the_process_leader_answers_on_a_principals_behalf(world, scene, client_for):
    client = client_for(world.users["leader"])

    saved = client.post(
        answer_url(world, world.other_principal, scene.to_b),
        {"text": "Svar per telefon.", "version": "0"},
    )

    assert saved.status_code == 302
    with scope(tenant=world.tenant):
        given = ActionAnswer.objects.get(action_item=scene.to_b)
    assert given.answered_by == world.users["leader"]


@pytest.mark.parametrize(
    "data",
    [
        {"text": "", "version": "0"},
        {"text": "   ", "version": "0"},
        {"text": "x" * 10_001, "version": "0"},
        {"text": "Ett svar.", "version": "-1"},
        {"text": "Ett svar.", "version": "ett"},
        {"text": "Ett svar."},
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, scene, client_for, data):
    with translation.override("en"):
        page = client_for(world.users["reporter"]).post(
            answer_url(world, world.principal, scene.to_all), data, **HX
        )

    assert page.status_code == 200
    assert 'class="errorlist' in page.content.decode()
    with scope(tenant=world.tenant):
        assert not ActionAnswer.objects.exists()


def test_the_dashboard_costs_the_same_queries_for_more_assignments(
    world, gov, scene, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["reporter"])
    client.get(dashboard_url(world, world.principal))  # warm the session and caches
    with scope(tenant=world.tenant):
        answer(world, scene.to_all)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(dashboard_url(world, world.principal))
    with scope(tenant=world.tenant):
        for n in range(6):
            given = _give(world, gov, scene.follow_up, f"Fler {n}", owner_all=True)
            answer(world, given)
    with CaptureQueriesContext(connection) as many:
        client.get(dashboard_url(world, world.principal))

    assert len(many) == len(few)


def test_draft_minutes_assignment_is_hidden_when_minutes_are_drafts_again(world, scene):
    """Finished minutes feed the list; a meeting whose minutes are a draft does not."""
    with scope(tenant=world.tenant):
        Meeting.objects.filter(pk=scene.given_at.pk).update(minutes_status=MinutesStatus.DRAFT)
        assert set(shown(world, world.principal)) == set()
