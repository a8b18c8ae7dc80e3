"""The public site of one demo programme (issue 15): Sörmland's, switched on
with its decisions published, a published good example for every principal,
a consenting contact for every principal (one consent withdrawn, for the
record), and two upcoming events marked public. The other demo programme
keeps its site off, with one consent recorded ahead.

A visitor with no login clicks from principal to principal and finds a
contact and an example for each. Katrineholm's unpublished example stays
unpublished, and every principal keeps people without consent: the public
site must not show them.

Through the services, like the rest of seed_demo; the demo's process leader
records the consents. Idempotent:
what exists is left as it is.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scope

from governance.models import ProgrammeEvent
from implementation.models import GoodExample, Staircase, Step, WellbeingArea
from implementation.services import examples as example_services
from portal.models import Person, Principal, Tenant, User
from portal.services import update_audited
from public.models import ContactConsent, PublicSite
from public.services import site as site_services

SLUG = "sormland"

INTRODUCTION = (
    "Tillsammans för barnens bästa är en samverkan mellan Region Sörmland, länets nio "
    "kommuner och FoU i Sörmland. Skola, socialtjänst och hälso- och sjukvård arbetar "
    "tillsammans så att barn och unga får rätt stöd i tid.\n\n"
    "Här ser du hur långt varje huvudman har kommit i implementeringstrappan, goda "
    "exempel från verksamheterna och vem du kan kontakta."
)

# Principal → (title, description, steps, wellbeing areas): an example for
# every principal the implementation demo has none published for.
EXAMPLES: dict[str, tuple[str, str, tuple[int, ...], tuple[str, ...]]] = {
    "Region Sörmland": (
        "Barnhälsovården frågar om hela familjens situation",
        "Barnhälsovårdens sjuksköterskor använder välbefinnandehjulet vid 18-månaders"
        "besöket. När oro väcks erbjuds ett gemensamt möte med kommunens familjecentral "
        "inom två veckor.",
        (3,),
        ("Omvårdad", "Trygg"),
    ),
    "Flens kommun": (
        "Gemensam frånvarotrappa för skola och socialtjänst",
        "Skolan och socialtjänsten i Flen har en gemensam rutin för elever med ökande "
        "frånvaro. Redan vid tio procents frånvaro bjuds vårdnadshavare in till ett möte "
        "där båda verksamheterna deltar.",
        (3,),
        ("Utvecklas", "Trygg"),
    ),
    "Gnesta kommun": (
        "Familjestödjare på förskolan",
        "En familjestödjare från individ- och familjeomsorgen finns på förskolorna en dag "
        "i veckan. Personal och föräldrar kan ställa frågor utan att en anmälan behövs.",
        (2,),
        ("Omvårdad", "Delaktig"),
    ),
    "Katrineholms kommun": (
        "Skolans trygghetsteam och fritidsgården samarbetar",
        "Trygghetsteamet på högstadiet och fritidsgården har gemensamma träffar varje "
        "månad. Elever som behöver stöd får en känd vuxen både under och efter skoltid.",
        (3,),
        ("Trygg", "Aktiv"),
    ),
    "Oxelösunds kommun": (
        "Samverkansmodellen i praktiken: ett barn, tre verksamheter",
        "Efter workshopen om samverkansmodellen har skola, socialtjänst och elevhälsa i "
        "Oxelösund en gemensam mall för samordnade möten kring ett barn.",
        (2,),
        ("Delaktig", "Respekterad"),
    ),
    "Strängnäs kommun": (
        "Barnets bästa-ansvariga utbildar nya kollegor",
        "Strängnäs Barnets bästa-ansvariga håller en introduktion för alla nyanställda i "
        "skola och socialtjänst, med välbefinnandehjulet som gemensamt språk.",
        (3,),
        ("Utvecklas", "Respekterad"),
    ),
    "Trosa kommun": (
        "Öppen mottagning för unga på fritidsgården",
        "Kurator från skolan och en socialsekreterare har öppen mottagning på "
        "fritidsgården varannan onsdag. Unga kan komma utan att boka tid.",
        (2,),
        ("Må bra", "Aktiv"),
    ),
    "FoU i Sörmland": (
        "Följeforskning som stöd i självskattningen",
        "FoU i Sörmland håller seminarier där huvudmännen jämför sina självskattningar i "
        "implementeringstrappan och lär av varandra.",
        (4,),
        ("Delaktig",),
    ),
}

# Webinars and information meetings of the events demo that are open to all.
PUBLIC_EVENTS = (
    "Webbinarium: Barnets bästa i praktiken",
    "Informationsmöte för nya Barnets bästa-ansvariga",
)

# A consent given and later withdrawn: kept for the record, shown nowhere.
WITHDRAWN = "Tobias Nordin"
RECORDED_BY = "processledare"  # the demo's process leader login


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _consent(person: Person, *, actor: User, show_phone: bool = False) -> None:
    if ContactConsent.objects.filter(person=person).exists():
        return
    site_services.consent_record(
        actor=actor,
        person=person,
        show_title=True,
        show_email=True,
        show_phone=show_phone,
        given_on=_days_ago(30),
        how="Per e-post till processledarna.",
    )


def _example_for(tenant: Tenant, principal: Principal, contact: Person) -> None:
    published = GoodExample.objects.filter(
        principal=principal, published_at__isnull=False, archived_at__isnull=True
    )
    if published.exists() or principal.name not in EXAMPLES:
        return
    title, description, step_numbers, area_names = EXAMPLES[principal.name]
    if GoodExample.objects.filter(principal=principal, title=title).exists():
        return
    staircase = Staircase.objects.filter(tenant=tenant, is_current=True).first()
    steps = Step.objects.filter(staircase=staircase, number__in=step_numbers)
    areas = WellbeingArea.objects.filter(tenant=tenant, name__in=area_names)
    example_services.example_create(
        actor=None,
        tenant=tenant,
        title=title,
        principal=principal,
        description=description,
        contact_person=contact,
        steps=list(steps),
        wellbeing_areas=list(areas),
        published=True,
    )


def seed_public() -> None:
    """Switch on Sörmland's public site and fill it (see the module's docstring)."""
    tenant = Tenant.objects.filter(slug=SLUG).first()
    # The process leaders record the consents (who recorded one is required).
    leader = User.objects.filter(username=RECORDED_BY).first()
    if tenant is None or leader is None:
        return
    with scope(tenant=tenant):
        if not PublicSite.objects.filter(tenant=tenant).exists():
            site_services.site_save(
                actor=None,
                tenant=tenant,
                enabled=True,
                show_decisions=True,
                introduction=INTRODUCTION,
                contact_email="barnensbasta@example.se",
            )
        for principal in Principal.objects.filter(tenant=tenant, archived_at__isnull=True):
            staff = list(
                Person.objects.filter(principal=principal, archived_at__isnull=True).order_by(
                    "name", "pk"
                )
            )
            if not staff:
                continue
            contact = staff[0]
            _consent(contact, actor=leader, show_phone=True)
            _example_for(tenant, principal, contact)
            # The published examples' contact people consented too.
            for example in GoodExample.objects.filter(
                principal=principal, published_at__isnull=False, contact_person__isnull=False
            ).select_related("contact_person"):
                if example.contact_person is not None:
                    _consent(example.contact_person, actor=leader)
        withdrawn = Person.objects.filter(tenant=tenant, name=WITHDRAWN).first()
        if withdrawn is not None and not ContactConsent.objects.filter(person=withdrawn).exists():
            _consent(withdrawn, actor=leader)
            consent = ContactConsent.objects.get(person=withdrawn, withdrawn_at__isnull=True)
            site_services.consent_withdraw(actor=leader, consent=consent)
        for event in ProgrammeEvent.objects.filter(
            tenant=tenant, title__in=PUBLIC_EVENTS, public=False
        ):
            update_audited(event, actor=None, tenant=tenant, fields={"public": True})
    # The other programmes keep their sites off, but may collect consents
    # beforehand: one each, so their members' consent pages have a row.
    for other in Tenant.objects.exclude(slug=SLUG).order_by("slug"):
        with scope(tenant=other):
            first = (
                Person.objects.filter(
                    tenant=other, principal__isnull=False, archived_at__isnull=True
                )
                .order_by("name", "pk")
                .first()
            )
            if first is not None:
                _consent(first, actor=leader)
