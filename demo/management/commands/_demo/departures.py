"""People who left a demo programme (issue 16, item 5): in Sörmland, a
former principal of a school in Katrineholm who left the steering group's
working group in June 2025. Her contact details are past the programme's
period (its privacy details say 180 days), so the seed clears them the way
the daily task does, and the audit log shows the `person.contacts.clear`
entry; her name stays.

Through the services, like the rest of seed_demo. Idempotent: she is created
once, and a second clearing finds nothing left to clear.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scope

from portal import departures, services
from portal.models import Person, Principal, Tenant, User

SLUG = "sormland"
NAME = "Birgitta Lundqvist"
TITLE = "Rektor, Järvenskolan (till juni 2025)"
PRINCIPAL = "Katrineholms kommun"
LEFT_ON = datetime.datetime(2025, 6, 30, 16, 0, tzinfo=datetime.UTC)
# Who archived her in the directory: the demo's process leader.
ARCHIVED_BY = "processledare"


def seed_departures() -> None:
    """Sörmland's departed person, archived in 2025, and the clearing run."""
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        return
    leader = User.objects.filter(username=ARCHIVED_BY).first()
    with scope(tenant=tenant):
        if not Person.objects.filter(tenant=tenant, name=NAME).exists():
            person = services.person_create(
                actor=leader,
                tenant=tenant,
                name=NAME,
                title=TITLE,
                principal=Principal.objects.filter(tenant=tenant, name=PRINCIPAL).first(),
                email="birgitta.lundqvist@katrineholm.example.se",
                phone="0150-570 00",
            )
            services.set_archived(person, actor=leader, tenant=tenant, archived=True)
            # She left in June 2025: the archiving is dated then, as if done that day.
            Person.objects.filter(pk=person.pk).update(archived_at=LEFT_ON)
        if timezone.now() > LEFT_ON:
            departures.clear_departed_contacts(tenant=tenant)
