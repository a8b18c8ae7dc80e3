"""Journey (c): a municipality's reporter climbs the implementation staircase
in the browser. The reporter starts a self-assessment, rates every criterion
(each row saves itself) and submits it; a process leader returns it with a
comment; the reporter reads the comment, corrects and resubmits; the process
leader approves it, and the new step shows in the staircase matrix of the
programme dashboard and on the principal's own dashboard. Two users, two
browser contexts; each page and swap passes axe (WCAG 2.1 A and AA)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from implementation.models import AssessmentStatus, SelfAssessment, Step
from implementation.services import catalogue
from implementation.services.staircase import staircase_ensure_default
from tests.e2e.journeys import Mouse
from tests.e2e.test_journey_approval import wait_for_panels

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-password-123"
RETURN_COMMENT = "Beskriv vilket beslut som fattats om Barnets bästa-ansvariga."
EVIDENCE = "Kommunstyrelsen har beslutat att införa arbetssättet."
CORRECTED = EVIDENCE + " Beslut KS 2025/112: alla skolor utser en Barnets bästa-ansvarig."


@pytest.fixture
def staircase(world):
    with scope(tenant=world.tenant):
        staircase_ensure_default(world.tenant)
        catalogue.ensure_defaults(world.tenant)
    with scopes_disabled():
        return list(
            Step.objects.filter(tenant=world.tenant, staircase__is_current=True)
            .order_by("number")
            .prefetch_related("criteria")
        )


def _path(name: str, world, *args) -> str:
    return reverse(name, args=[world.tenant.slug, *args])


def log_in(ui: Mouse, live_server, username: str) -> None:
    page = ui.page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()


def _nav(page: Page, href: str) -> None:
    page.locator(f'nav.main-nav a[href="{href}"]').click()
    page.wait_for_url(f"**{href}")


def _open_from_review_queue(ui: Mouse, live_server, world, assessment_pk: int) -> None:
    """The process leader finds the submitted self-assessment in the review queue."""
    page = ui.page
    page.goto(live_server.url + _path("portal:home", world))
    _nav(page, _path("implementation:assessment_list", world))
    ui.check_page()
    page.locator(
        f'main a[href="{_path("implementation:assessment_review_queue", world)}"]'
    ).first.click()
    page.wait_for_url(f"**{_path('implementation:assessment_review_queue', world)}")
    ui.check_page()
    detail = _path("implementation:assessment_detail", world, assessment_pk)
    page.locator(f'main a[href="{detail}"]').first.click()
    page.wait_for_url(f"**{detail}")
    ui.check_page()


def test_a_self_assessment_is_returned_corrected_approved_and_shown(
    new_page, live_server, axe, world, staircase
):
    reporter = Mouse(new_page("reporter"), axe)
    leader = Mouse(new_page("leader"), axe)
    console: list[str] = []
    for ui in (reporter, leader):
        ui.page.on("console", lambda msg: console.append(msg.text))

    # The reporter starts a self-assessment for the municipality as a whole.
    log_in(reporter, live_server, world.users["reporter"].username)
    page = reporter.page
    page.goto(live_server.url + _path("portal:home", world))
    _nav(page, _path("implementation:assessment_list", world))
    reporter.check_page()
    page.locator(
        f'main a[href^="{_path("implementation:assessment_create", world)}"]'
    ).first.click()
    page.wait_for_url(re.compile(re.escape(_path("implementation:assessment_create", world))))
    reporter.check_page()
    form = page.locator("#assessment-create-form")
    expect(form.locator("select[name=principal]")).to_have_value(str(world.principal.pk))
    today = timezone.localdate()
    form.locator("input[name=period_start]").fill(
        (today - datetime.timedelta(days=180)).isoformat()
    )
    form.locator("input[name=period_end]").fill(today.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/assessments/\d+/edit/$"))
    reporter.check_page()
    with scopes_disabled():
        assessment = SelfAssessment.objects.get(principal=world.principal)

    # Steps 1 and 2 are established, the rest in progress; each row saves itself.
    for step in staircase:
        rating = "etablerad" if step.number <= 2 else "pagar"
        for criterion in step.criteria.all():
            page.locator(f"input[name=criterion_{criterion.pk}][value={rating}]").check()
            page.locator(f"#criterion-{criterion.pk}-status").get_by_text("Sparat.").wait_for()
            if step.number == 1:
                reporter.check_page()  # after the row's swap
    reporter.check_page()
    page.locator("textarea[name=evidence]").fill(EVIDENCE)
    page.locator("button[name=then][value=submit]").click()
    submit = _path("implementation:assessment_submit", world, assessment.pk)
    page.wait_for_url(f"**{submit}")
    reporter.check_page()
    page.locator("#assessment-submit-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    reporter.check_page()
    with scopes_disabled():
        assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    # The process leader returns it with a comment.
    log_in(leader, live_server, world.users["leader"].username)
    _open_from_review_queue(leader, live_server, world, assessment.pk)
    lpage = leader.page
    lpage.locator(
        f'main a[href="{_path("implementation:assessment_return", world, assessment.pk)}"]'
    ).first.click()
    lpage.wait_for_url(f"**{_path('implementation:assessment_return', world, assessment.pk)}")
    leader.check_page()
    lpage.locator("#assessment-return-form textarea[name=comment]").fill(RETURN_COMMENT)
    lpage.locator("#assessment-return-form button[type=submit]").click()
    # Back to the queue, where nothing waits any more.
    lpage.wait_for_url(f"**{_path('implementation:assessment_review_queue', world)}")
    expect(
        lpage.locator(
            f'main a[href="{_path("implementation:assessment_detail", world, assessment.pk)}"]'
        )
    ).to_have_count(0)
    leader.check_page()
    with scopes_disabled():
        assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED

    # The reporter reads the comment, corrects the evidence and submits again.
    page.reload()
    expect(page.locator("#assessment .message--warning")).to_contain_text(RETURN_COMMENT)
    reporter.check_page()
    edit = _path("implementation:assessment_edit", world, assessment.pk)
    page.locator(f'#assessment a[href="{edit}"]').click()
    page.wait_for_url(f"**{edit}")
    expect(page.locator(".message--warning")).to_contain_text(RETURN_COMMENT)
    reporter.check_page()
    page.locator("textarea[name=evidence]").fill(CORRECTED)
    page.locator("button[name=then][value=submit]").click()
    page.wait_for_url(f"**{submit}")
    page.locator("#assessment-submit-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    reporter.check_page()

    # The process leader approves it.
    _open_from_review_queue(leader, live_server, world, assessment.pk)
    expect(lpage.locator("#assessment")).to_contain_text("Beslut KS 2025/112")
    approve = _path("implementation:assessment_approve", world, assessment.pk)
    lpage.locator(f'main a[href="{approve}"]').first.click()
    lpage.wait_for_url(f"**{approve}")
    leader.check_page()
    lpage.locator("#assessment-approve-form button[type=submit]").click()
    lpage.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    leader.check_page()
    with scopes_disabled():
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.APPROVED
        assert assessment.evidence == CORRECTED
        assert [c.to_status for c in assessment.status_changes.order_by("at", "pk")] == [
            AssessmentStatus.DRAFT,
            AssessmentStatus.SUBMITTED,
            AssessmentStatus.RETURNED,
            AssessmentStatus.SUBMITTED,
            AssessmentStatus.APPROVED,
        ]

    # Step 2 in the staircase matrix of the programme dashboard …
    lpage.locator("nav.main-nav").get_by_role("link", name="Översikt").click()
    lpage.wait_for_url(live_server.url + _path("portal:home", world))
    wait_for_panels(lpage)
    leader.check_page()
    row = lpage.locator("#panel-implementation-staircase tr", has_text=world.principal.name)
    expect(row.locator("td").first).to_contain_text(re.compile(r"\b2\b"))
    expect(row.locator("td").first).to_have_class(re.compile(r"step-cell--2"))

    # … and on the municipality's own dashboard, where the reporter looks.
    page.locator("nav.main-nav").get_by_role("link", name="Översikt").click()
    page.wait_for_url(live_server.url + _path("portal:home", world))
    own = _path("portal:principal_dashboard", world, world.principal.pk)
    page.locator(f'main a[href="{own}"]').first.click()
    page.wait_for_url(f"**{own}")
    wait_for_panels(page)
    reporter.check_page()
    expect(page.locator("#panel-implementation-history")).to_contain_text(
        timezone.localdate().isoformat()
    )
    assert not [m for m in console if "Content Security Policy" in m], console
