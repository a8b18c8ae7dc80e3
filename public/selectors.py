"""What the public site may show, and nothing else (issue 15). Every public
page reads through here, and each function filters to what is published,
approved and consented:

- good examples with `published_at` set, of active principals, not archived;
- staircase steps of approved, current self-assessments only;
- plan activities that are ongoing;
- people with an active (not withdrawn) `ContactConsent`, with the details
  it covers only (also as a good example's contact person);
- events marked `public`, not archived or cancelled, upcoming;
- decisions and minutes only where the site shows them (`show_decisions`),
  of meetings whose minutes are approved (justerade), not archived; the
  minutes as their approved version was frozen, without the attendance,
  the assignments' owners and the presented status reports.

Never: drafts, unpublished examples, risks, status reports, assessments in
progress, people without consent.

Each page costs the same number of queries however many rows it shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    EventStatus,
    Meeting,
    MinutesStatus,
    MinutesVersion,
    ProgrammeEvent,
)
from governance.selectors import secrecy
from governance.selectors.decisions import decision_register
from implementation.models import (
    Activity,
    AssessmentStatus,
    GoodExample,
    SelfAssessment,
    Staircase,
    Step,
    WellbeingArea,
    WorkStatus,
)
from portal.models import Operation, Person, Principal, Sector
from public.models import ContactConsent, PublicSite


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def navigation(site: PublicSite) -> list[NavItem]:
    """The public site's menu after "Programmet"."""
    slug = site.tenant.slug
    items = [
        NavItem(_("Principals"), reverse("public:principals", args=[slug])),
        NavItem(_("Good examples"), reverse("public:examples", args=[slug])),
        NavItem(_("Events"), reverse("public:events", args=[slug])),
    ]
    if site.show_decisions:
        items.append(NavItem(_("Decisions"), reverse("public:decisions", args=[slug])))
    items.append(NavItem(_("Newsletter"), reverse("public:newsletter_signup", args=[slug])))
    return items


def public_principals(site: PublicSite) -> QuerySet[Principal]:
    return Principal.objects.filter(tenant=site.tenant, archived_at__isnull=True).order_by("name")


def _areas(site: PublicSite) -> list[WellbeingArea]:
    return list(
        WellbeingArea.objects.filter(tenant=site.tenant, archived_at__isnull=True).order_by(
            "position", "name"
        )
    )


def programme_page(site: PublicSite) -> dict[str, Any]:
    """The programme's page: its introduction, principals and wellbeing wheel."""
    tenant = site.tenant
    return {
        "introduction": site.introduction or tenant.description,
        "principals": list(public_principals(site)),
        "areas": _areas(site),
    }


# Contacts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """A person as their consent lets the public site show them: the name,
    and only the details the consent covers ("" for the others)."""

    pk: int
    name: str
    title: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""
    principal_id: int | None = None


def _contact(person: Person, consent: ContactConsent) -> Contact:
    return Contact(
        pk=person.pk,
        name=person.name,
        title=person.title if consent.show_title else "",
        organisation=person.affiliation if consent.show_title else "",
        email=person.email if consent.show_email else "",
        phone=person.phone if consent.show_phone else "",
        principal_id=person.principal_id,
    )


def contacts(site: PublicSite, *, principal: Principal | None = None) -> dict[int, Contact]:
    """The people with an active consent (not archived), by person id. One query."""
    consents = ContactConsent.objects.filter(
        tenant=site.tenant, withdrawn_at__isnull=True, person__archived_at__isnull=True
    ).select_related("person__principal")
    if principal is not None:
        consents = consents.filter(person__principal=principal)
    return {
        c.person_id: _contact(c.person, c) for c in consents.order_by("person__name", "person_id")
    }


# Principals -------------------------------------------------------------------------


def principals_page(site: PublicSite) -> dict[str, Any]:
    """Every active principal with its number of published examples. One query."""
    published = Q(
        good_examples__published_at__isnull=False, good_examples__archived_at__isnull=True
    )
    principals = public_principals(site).annotate(examples=Count("good_examples", filter=published))
    return {"principals": list(principals)}


@dataclass
class SectorSteps:
    sector: str
    label: str
    rows: list[SelfAssessment] = field(default_factory=list)


@dataclass
class PrincipalPage:
    principal: Principal
    principals: list[Principal]
    previous: Principal | None
    next: Principal | None
    current: SelfAssessment | None
    sectors: list[SectorSteps]
    examples: list[GoodExample]
    activities: list[Activity]
    contacts: list[Contact]


def _current_steps(site: PublicSite, principal: Principal) -> QuerySet[SelfAssessment]:
    """The principal's current approved assessments, as a whole and of its
    operations (not per sub-project), with their steps' text."""
    return (
        SelfAssessment.objects.filter(
            tenant=site.tenant,
            principal=principal,
            status=AssessmentStatus.APPROVED,
            superseded_at__isnull=True,
            sub_project__isnull=True,
        )
        .filter(Q(operation__isnull=True) | Q(operation__archived_at__isnull=True))
        .select_related("operation", "computed_step", "override_step")
        .order_by("operation__sector", "operation__name", "id")
    )


def principal_page(site: PublicSite, pk: int) -> PrincipalPage:
    """One principal: its current steps, published examples, ongoing plan
    activities and consenting contacts, and the other principals a click away.
    404 for an archived principal or another programme's. Six queries."""
    principals = list(public_principals(site))
    position = next((i for i, p in enumerate(principals) if p.pk == pk), None)
    if position is None:
        raise Http404
    principal = principals[position]
    current: SelfAssessment | None = None
    by_sector: dict[str, SectorSteps] = {}
    labels = dict(Sector.choices)
    for assessment in _current_steps(site, principal):
        operation = assessment.operation
        if operation is None:
            current = assessment
            continue
        group = by_sector.setdefault(
            operation.sector, SectorSteps(operation.sector, str(labels.get(operation.sector, "")))
        )
        group.rows.append(assessment)
    known = contacts(site)
    examples = list(published_examples(site).filter(principal=principal))
    _with_contacts(examples, known)
    activities = list(
        Activity.objects.filter(
            tenant=site.tenant,
            principals=principal,
            status=WorkStatus.ONGOING,
            archived_at__isnull=True,
        )
        .select_related("sub_project")
        .distinct()
        .order_by("due_date", "title")
    )
    return PrincipalPage(
        principal=principal,
        principals=principals,
        previous=principals[position - 1] if position > 0 else None,
        next=principals[position + 1] if position + 1 < len(principals) else None,
        current=current,
        sectors=sorted(by_sector.values(), key=lambda s: s.label),
        examples=examples,
        activities=activities,
        contacts=[c for c in known.values() if c.principal_id == principal.pk],
    )


# Good examples ----------------------------------------------------------------------


def published_examples(site: PublicSite) -> QuerySet[GoodExample]:
    """Published examples of active principals, with what their pages show."""
    return (
        GoodExample.objects.filter(
            tenant=site.tenant,
            archived_at__isnull=True,
            published_at__isnull=False,
            principal__archived_at__isnull=True,
        )
        .select_related("principal")
        .prefetch_related(
            Prefetch("operations", Operation.objects.order_by("name")),
            Prefetch("wellbeing_areas", WellbeingArea.objects.order_by("position", "name")),
            Prefetch("steps", Step.objects.order_by("number")),
        )
        .order_by("-published_at", "title", "pk")
    )


def _with_contacts(examples: list[GoodExample], known: dict[int, Contact]) -> None:
    """Each example's contact person as `public_contact`: only with consent."""
    for example in examples:
        example.public_contact = known.get(example.contact_person_id or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ExampleFilters:
    q: str = ""
    principal: int | None = None
    sector: str = ""
    step: int | None = None
    area: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.q or self.principal or self.sector or self.step or self.area)


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


def example_filters(params: Any) -> ExampleFilters:
    """The list's filters from the query string; what is not valid is ignored."""
    sector = params.get("sector", "")
    return ExampleFilters(
        q=params.get("q", "").strip()[:200],
        principal=_int(params.get("principal", "")),
        sector=sector if sector in dict(Sector.choices) else "",
        step=_int(params.get("step", "")),
        area=_int(params.get("area", "")),
    )


def examples_page(site: PublicSite, filters: ExampleFilters) -> dict[str, Any]:
    """The published examples matching `filters`, and the filters' choices."""
    examples = published_examples(site)
    if filters.q:
        examples = examples.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(principal__name__icontains=filters.q)
        )
    if filters.principal:
        examples = examples.filter(principal_id=filters.principal)
    if filters.sector:
        examples = examples.filter(operations__sector=filters.sector)
    if filters.step:
        examples = examples.filter(steps__number=filters.step)
    if filters.area:
        examples = examples.filter(wellbeing_areas=filters.area)
    rows = list(examples.distinct())
    _with_contacts(rows, contacts(site))
    staircase = Staircase.objects.filter(tenant=site.tenant, is_current=True).first()
    steps = list(Step.objects.filter(staircase=staircase).order_by("number")) if staircase else []
    return {
        "examples": rows,
        "filters": filters,
        "principals": list(public_principals(site)),
        "sectors": Sector.choices,
        "steps": steps,
        "areas": _areas(site),
    }


def example_page(site: PublicSite, pk: int) -> GoodExample:
    """One published example of this programme (404 for any other)."""
    example = published_examples(site).filter(pk=pk).first()
    if example is None:
        raise Http404
    _with_contacts([example], contacts(site))
    return example


def example_preview(site: PublicSite, example: GoodExample) -> GoodExample:
    """An example, published or not, as its public page would show it: the
    members' preview before publishing. The consents are the same."""
    _with_contacts([example], contacts(site))
    return example


# Events -----------------------------------------------------------------------------


def public_events(
    site: PublicSite, *, now: datetime.datetime | None = None
) -> QuerySet[ProgrammeEvent]:
    """Upcoming public events, soonest first: not archived, not cancelled,
    not over (one without times lasts through its day). One query."""
    now = now or timezone.now()
    return (
        ProgrammeEvent.objects.filter(
            tenant=site.tenant,
            public=True,
            archived_at__isnull=True,
            status=EventStatus.PLANNED,
            ends_at__gte=now - datetime.timedelta(days=1),
        )
        .exclude(all_day=False, ends_at__lt=now)
        .order_by("starts_at", "id")
    )


def public_event(site: PublicSite, pk: int) -> ProgrammeEvent:
    event = public_events(site).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


# Decisions and minutes --------------------------------------------------------------


def _require_decisions(site: PublicSite) -> None:
    if not site.show_decisions:
        raise Http404


def decisions_page(site: PublicSite) -> dict[str, Any]:
    """The register of decisions of meetings with approved minutes, and those
    meetings. 404 unless the site shows decisions. Two queries."""
    _require_decisions(site)
    decisions = decision_register(tenant=site.tenant, minutes_statuses=(MinutesStatus.APPROVED,))
    return {"decisions": list(decisions), "meetings": list(approved_meetings(site))}


def approved_meetings(site: PublicSite) -> QuerySet[Meeting]:
    """Meetings, not archived, whose minutes have an approved version."""
    return (
        Meeting.objects.filter(tenant=site.tenant, archived_at__isnull=True)
        .filter(Exists(MinutesVersion.objects.filter(meeting=OuterRef("pk"))))
        .select_related("body")
        .order_by("-starts_at", "-pk")
    )


@dataclass(frozen=True)
class PublicMinutes:
    meeting: Meeting
    version: MinutesVersion
    # The frozen version as the public sees it: what is under secrecy is
    # "Sekretessbelagd handling", with today's diary numbers.
    content: dict[str, Any]


def minutes_page(site: PublicSite, pk: int) -> PublicMinutes:
    """A meeting's latest approved minutes as frozen; 404 unless the site
    shows decisions and the meeting has approved minutes."""
    _require_decisions(site)
    meeting = approved_meetings(site).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    version = MinutesVersion.objects.filter(meeting=meeting).order_by("-number").first()
    if version is None:  # archived meanwhile
        raise Http404
    content, _read = secrecy.content_for(version.content, meeting, None)
    return PublicMinutes(meeting=meeting, version=version, content=content)
