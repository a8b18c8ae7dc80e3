"""Celery tasks of the portal kernel. (The document machinery's tasks are in
`portal.documents.tasks`; some of them are still named "portal.tasks.…".)"""

from __future__ import annotations

from celery import shared_task

from portal import departures


@shared_task(name="portal.tasks.clear_departed_contacts", ignore_result=True)
def clear_departed_contacts() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): clear the contact details of the people
    who left a programme at least its period ago. Idempotent. How many."""
    return sum(len(run.people) for run in departures.clear_departed_contacts_everywhere())
