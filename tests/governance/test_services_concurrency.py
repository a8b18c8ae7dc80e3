"""Writes that race: several transactions at once, each on its own database
connection (threads), against real PostgreSQL row locks."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django_scopes import scope, scopes_disabled

from governance.models import AgendaItem, Decision, Risk
from governance.services import ConflictError, decisions, meetings, risks
from tests.governance.service_helpers import plan

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def race(tenant, work: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    """Run `work(i)` in THREADS threads released together; each uses and then
    closes its own database connection."""
    barrier = threading.Barrier(THREADS)
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            with scope(tenant=tenant):
                barrier.wait(timeout=10)
                result = work(i)
            with lock:
                results.append(result)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors


def test_decisions_numbered_at_once_never_share_a_number(world, gov):
    """Different meetings of the same body in the same year, so only the
    numbering lock (not a lock on one meeting) keeps them apart."""
    with scope(tenant=world.tenant):
        held = [plan(world, gov, day=(2025, 3, 1 + i)) for i in range(THREADS)]

    results, errors = race(
        world.tenant,
        lambda i: (
            decisions.decision_create(
                actor=world.users["leader"], meeting=held[i], text=f"Beslut {i}"
            ).number
        ),
    )

    assert errors == []
    assert sorted(results) == list(range(1, THREADS + 1))
    with scopes_disabled():
        numbers = list(Decision.objects.filter(body=gov.body).values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, THREADS + 1))


def test_agenda_items_added_at_once_get_distinct_numbers(world, gov):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov)

    results, errors = race(
        world.tenant,
        lambda i: (
            meetings.agenda_item_add(
                actor=world.users["leader"], meeting=meeting, title=f"Punkt {i}"
            ).position
        ),
    )

    assert errors == []
    assert sorted(results) == list(range(1, THREADS + 1))


def test_saves_from_the_same_version_at_once_let_exactly_one_through(world, gov):
    with scope(tenant=world.tenant):
        meeting = plan(world, gov)
        item = meetings.agenda_item_add(actor=world.users["leader"], meeting=meeting, title="A")

    def save(i: int) -> str:
        fresh = AgendaItem.objects.get(pk=item.pk)
        meetings.agenda_item_update(
            actor=world.users["leader"], item=fresh, expected_version=1, minutes=f"Text {i}"
        )
        return f"Text {i}"

    results, errors = race(world.tenant, save)

    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, ConflictError) for e in errors)
    assert {e.current for e in errors} == set(results)  # everyone was shown the winner's text
    with scopes_disabled():
        item.refresh_from_db()
    assert (item.minutes, item.version) == (results[0], 2)


def test_edits_of_a_risk_from_the_same_version_at_once_let_exactly_one_through(world, gov):
    """Any edit form's lock (`portal.services.claim_version`), not only the
    minutes': of saves from the same version at once, one gets through and
    every other is refused with what it saved."""
    with scope(tenant=world.tenant):
        risk = risks.risk_create(
            actor=world.users["leader"],
            tenant=world.tenant,
            title="Personalomsättning",
            category="resurser",
            likelihood=3,
            consequence=2,
        )

    def save(i: int) -> str:
        fresh = Risk.objects.get(pk=risk.pk)
        risks.risk_update(
            actor=world.users["leader"], risk=fresh, expected_version=1, mitigation=f"Plan {i}"
        )
        return f"Plan {i}"

    results, errors = race(world.tenant, save)

    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, ConflictError) for e in errors)
    assert {e.saved.mitigation for e in errors} == set(results)
    with scopes_disabled():
        risk.refresh_from_db()
    assert (risk.mitigation, risk.version) == (results[0], 2)
