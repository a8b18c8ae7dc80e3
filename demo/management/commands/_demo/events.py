"""Programme events for the demo: workshops, webinars and information
meetings that belong to the programme rather than a body — one held, the
coming ones, and one called off. Dates are days from today, like the rest of
the demo.

Through the services (actor=None), like the rest of seed_demo. Idempotent: an
event is looked up by title and date before it is created.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django_scopes import scope

from governance.models import EventKind, ProgrammeEvent
from governance.services import events
from portal.models import Tenant


@dataclass(frozen=True)
class EventSpec:
    title: str
    kind: str
    day: int  # days from today
    start: tuple[int, int] | None = None  # None: a date without times
    end: tuple[int, int] | None = None
    place: str = ""
    online_link: str = ""
    description: str = ""
    cancelled: str = ""  # the reason


EVENTS: dict[str, tuple[EventSpec, ...]] = {
    "sormland": (
        EventSpec(
            "Workshop om samverkansmodellen i Oxelösund",
            EventKind.WORKSHOP,
            day=-40,
            start=(13, 0),
            end=(16, 0),
            place="Folkets hus, Oxelösund",
            description=(
                "För skola, socialtjänst och elevhälsa i Oxelösunds kommun.\n\n"
                "- Samverkansmodellen steg för steg\n"
                "- Fallövning: ett barn, tre verksamheter\n"
                "- Nästa steg i kommunen"
            ),
        ),
        EventSpec(
            "Webbinarium: Barnets bästa i praktiken",
            EventKind.WEBINAR,
            day=16,
            start=(9, 0),
            end=(10, 30),
            online_link="https://mote.example.se/webbinarium-barnets-basta",
            description=(
                "Öppet för alla i programmet. **Målgrupp:** rektorer, "
                "enhetschefer och Barnets bästa-ansvariga.\n\n"
                "Anmälan senast en vecka före via "
                "[programmets webbplats](https://www.example.se/barnens-basta)."
            ),
        ),
        EventSpec(
            "Informationsmöte för nya Barnets bästa-ansvariga",
            EventKind.INFORMATION,
            day=30,
            place="Regionhuset, Nyköping",
            online_link="https://mote.example.se/info-bba",
            description="En introduktion till uppdraget, trappan och självskattningen.",
        ),
        EventSpec(
            "Workshop: Barnets bästa-hjulet i elevhälsan",
            EventKind.WORKSHOP,
            day=44,
            start=(9, 0),
            end=(12, 0),
            place="Stadshuset, Katrineholm",
            description=(
                "För elevhälsoteam och socialtjänstens barn- och ungdomsenheter. "
                "Vi prövar hjulet på fall från verksamheterna.\n\n"
                "Ta med ett eget exempel (utan personuppgifter)."
            ),
        ),
        EventSpec(
            "Workshop om goda exempel i Flen",
            EventKind.WORKSHOP,
            day=9,
            start=(13, 0),
            end=(15, 30),
            place="Flens kommunhus",
            cancelled="För få anmälda. Workshopen flyttas till hösten.",
        ),
    ),
    "kronoberg": (
        EventSpec(
            "Workshop: Allas barn i Ljungby",
            EventKind.WORKSHOP,
            day=21,
            start=(8, 30),
            end=(12, 0),
            place="Ljungby kommunhus",
            description=(
                "Arbetsgruppen ”Allas barn” bjuder in till workshop med bred "
                "representation från skola, socialtjänst och vårdcentral."
            ),
        ),
        EventSpec(
            "Webbinarium om följeforskningen",
            EventKind.WEBINAR,
            day=35,
            start=(14, 0),
            end=(15, 0),
            online_link="https://mote.example.se/foljeforskning-kronoberg",
            description=(
                "Följeforskarna vid Linnéuniversitetet berättar om utgångspunkterna "
                "och den första delrapporten."
            ),
        ),
    ),
}


def seed_programme_events() -> None:
    for slug, specs in EVENTS.items():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            continue
        with scope(tenant=tenant):
            for spec in specs:
                _event(tenant, spec)


def _event(tenant: Tenant, spec: EventSpec) -> None:
    day = timezone.localdate() + datetime.timedelta(days=spec.day)
    if ProgrammeEvent.objects.filter(tenant=tenant, title=spec.title, starts_at__date=day).exists():
        return
    if spec.start is None or spec.end is None:
        starts = ends = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    else:
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(*spec.start)))
        ends = timezone.make_aware(datetime.datetime.combine(day, datetime.time(*spec.end)))
    event = events.event_create(
        actor=None,
        tenant=tenant,
        kind=spec.kind,
        title=spec.title,
        starts_at=starts,
        ends_at=ends,
        all_day=spec.start is None,
        place=spec.place,
        online_link=spec.online_link,
        description=spec.description,
    )
    if spec.cancelled:
        events.event_cancel(actor=None, event=event, reason=spec.cancelled)
