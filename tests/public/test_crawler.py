"""An anonymous crawler over the whole public site of the demo programme
(issue 15, item 6): every page reachable from /p/<slug>/ is fetched without
a login, and what it shows is compared against the database: every
published example and consented contact appears; no unpublished example, no
person without consent (nor one whose consent was withdrawn), no draft
minutes' text, no risk, no status report and no assessment in progress
appears on any page. And the demo's promise: from principal to principal, a
contact and an example for each."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from demo.management.commands._demo.public import SLUG, WITHDRAWN, seed_public
from governance.models import AgendaItem, MinutesStatus, MinutesVersion, Risk, StatusReport
from implementation.models import OPEN_STATUSES, GoodExample, SelfAssessment
from portal.models import Person, Principal, Tenant
from public.models import ContactConsent
from tests.portal.test_seed_demo import seeded  # noqa: F401  (the shared demo, per class)

HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture(scope="class")
def public_demo(seeded, django_db_blocker) -> Iterator[dict[str, str]]:  # noqa: F811
    """The demo with its public site seeded, crawled once: path → page."""
    with django_db_blocker.unblock():
        with scopes_disabled():
            seed_public()
        yield crawl(f"/p/{SLUG}/")


def crawl(start: str) -> dict[str, str]:
    client = Client()
    pages: dict[str, str] = {}
    todo = [start]
    while todo:
        path = todo.pop()
        if path in pages:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        pages[path] = body
        if not response["Content-Type"].startswith("text/html"):
            continue
        for link in HREF.findall(body):
            link = link.replace("&amp;", "&")
            if link.startswith(start) and link not in pages:
                todo.append(link)
    return pages


def shown_anywhere(pages: dict[str, str], text: str) -> list[str]:
    return [path for path, body in pages.items() if text in body]


@pytest.mark.slow
@pytest.mark.usefixtures("db")
class TestPublicDemo:
    def test_the_crawl_reaches_every_kind_of_page(self, public_demo):
        paths = set(public_demo)
        for part in ("huvudman/", "exempel/", "evenemang/", "beslut/", "protokoll/", ".ics"):
            assert any(part in path for path in paths), part
        assert len(paths) > 25

    def test_every_published_example_appears_and_no_unpublished_one(self, public_demo):
        with scopes_disabled():
            examples = list(GoodExample.objects.filter(tenant__slug=SLUG))
        published = [e for e in examples if e.published_at and not e.archived_at]
        hidden = [e for e in examples if not e.published_at or e.archived_at]
        assert published and hidden
        for example in published:
            assert reverse("public:example", args=[SLUG, example.pk]) in public_demo
        for example in hidden:
            assert not shown_anywhere(public_demo, example.title), example.title
            assert not shown_anywhere(public_demo, example.description[:60]), example.title

    def test_only_people_with_an_active_consent_appear(self, public_demo):
        with scopes_disabled():
            consented = set(
                ContactConsent.objects.filter(
                    tenant__slug=SLUG, withdrawn_at__isnull=True
                ).values_list("person_id", flat=True)
            )
            people = list(Person.objects.filter(tenant__slug=SLUG))
            # Approved minutes are a public record: a name in their own text
            # is published with them (not from the directory).
            minutes_text = " ".join(
                str(v.content.get("agenda", "")) + str(v.content.get("decisions", ""))
                for v in MinutesVersion.objects.filter(tenant__slug=SLUG)
            )
            withdrawn = Person.objects.get(tenant__slug=SLUG, name=WITHDRAWN)
            was_given = ContactConsent.objects.filter(person=withdrawn).exists()
        assert was_given and withdrawn.pk not in consented
        for person in people:
            where = shown_anywhere(public_demo, person.name)
            if person.pk in consented and not person.archived_at:
                assert where, f"{person.name} consented but is shown nowhere"
                continue
            in_minutes_only = all("/protokoll/" in path for path in where)
            assert not where or (in_minutes_only and person.name in minutes_text), (
                person.name,
                where,
            )
            if person.email:
                assert not shown_anywhere(public_demo, person.email), person.email
        assert not shown_anywhere(public_demo, withdrawn.name)

    def test_no_draft_minutes_risk_status_report_or_open_assessment(self, public_demo):
        with scopes_disabled():
            # The demo's meetings share some agenda texts: a draft's own text
            # is one that no approved minutes have.
            approved = " ".join(
                str(v.content.get("agenda", ""))
                for v in MinutesVersion.objects.filter(tenant__slug=SLUG)
            )
            draft_texts = [
                text
                for text in AgendaItem.objects.filter(tenant__slug=SLUG)
                .exclude(meeting__minutes_status=MinutesStatus.APPROVED)
                .exclude(meeting__versions__isnull=False)
                .values_list("minutes", flat=True)
                if len(text) > 30 and text.strip().splitlines()[0][:60] not in approved
            ]
            risks = list(Risk.objects.filter(tenant__slug=SLUG).values_list("title", flat=True))
            reports = [
                text
                for report in StatusReport.objects.filter(tenant__slug=SLUG)
                for text in (report.results, report.gut_feeling_text, report.next_steps)
                if len(text) > 30
            ]
            open_evidence = [
                text
                for text in SelfAssessment.objects.filter(
                    tenant__slug=SLUG, status__in=OPEN_STATUSES
                ).values_list("evidence", flat=True)
                if len(text) > 30
            ]
        assert draft_texts and risks and reports
        for text in [*draft_texts, *reports, *open_evidence]:
            first_line = text.strip().splitlines()[0][:60]
            assert not shown_anywhere(public_demo, first_line), first_line
        for title in risks:
            assert not shown_anywhere(public_demo, title), title

    def test_each_principal_has_a_contact_and_an_example_and_links_on(self, public_demo):
        with scopes_disabled():
            principals = list(Principal.objects.filter(tenant__slug=SLUG, archived_at__isnull=True))
        for principal in principals:
            path = reverse("public:principal", args=[SLUG, principal.pk])
            body = public_demo[path]
            assert 'class="public-contact"' in body, principal.name
            assert f"/p/{SLUG}/exempel/" in body.split('id="examples-title"')[1], principal.name
            others = [p for p in principals if p.pk != principal.pk]
            for other in others:
                assert reverse("public:principal", args=[SLUG, other.pk]) in body

    def test_the_other_demo_programme_keeps_its_site_off(self, public_demo):
        with scopes_disabled():
            others = list(Tenant.objects.exclude(slug=SLUG).values_list("slug", flat=True))
        assert others
        for slug in others:
            assert Client().get(f"/p/{slug}/").status_code == 404

    def test_seeding_again_changes_nothing(self, public_demo):
        from tests.helpers import row_counts

        before = row_counts()
        with scopes_disabled():
            seed_public()
        assert row_counts() == before
