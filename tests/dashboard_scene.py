"""A programme with `size` of everything the dashboards read, built quickly with
the ORM (the services are tested elsewhere): principals with operations in two
sectors, approved and superseded self-assessments, indicators with values,
held meetings with attendance and approved minutes, action items and risks.

The query-count tests build it at two sizes and compare."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    Risk,
)
from implementation.models import (
    AssessmentStatus,
    Indicator,
    IndicatorValue,
    SelfAssessment,
    Staircase,
    Step,
)
from implementation.services.staircase import staircase_ensure_default
from portal.models import Operation, Person, Principal, Sector, Tenant
from tests.factories import OperationFactory, PersonFactory, PrincipalFactory


@dataclass
class Scene:
    tenant: Tenant
    staircase: Staircase
    body: Body
    principals: list[Principal] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def approved_assessment(
    scene: Scene,
    principal: Principal,
    step: int,
    *,
    operation: Operation | None = None,
    period_end: datetime.date,
    superseded: bool = False,
) -> SelfAssessment:
    """An approved assessment on `step` for the half-year ending `period_end`."""
    with scopes_disabled():
        step_row = Step.objects.filter(staircase=scene.staircase, number=step).first()
        return SelfAssessment.objects.create(
            tenant=scene.tenant,
            staircase=scene.staircase,
            principal=principal,
            operation=operation,
            period_start=period_end - datetime.timedelta(days=180),
            period_end=period_end,
            status=AssessmentStatus.APPROVED,
            computed_step=step_row,
            step_number=step,
            approved_at=moment(period_end + datetime.timedelta(days=10)),
            superseded_at=moment(period_end + datetime.timedelta(days=200)) if superseded else None,
        )


def build(tenant: Tenant, *, size: int, body: Body | None = None) -> Scene:
    """`size` principals (two operations each), `size` meetings, and so on."""
    today = timezone.localdate()
    with scope(tenant=tenant):
        staircase = staircase_ensure_default(tenant)
    with scopes_disabled():
        body = body or Body.objects.create(
            tenant=tenant, name="Styrgruppen", code="SGX", kind="styrgrupp"
        )
        scene = Scene(tenant=tenant, staircase=staircase, body=body)
        indicator = Indicator.objects.create(
            tenant=tenant, name="Andel med plan", kind="andel", level="huvudman", target=80
        )
        programme_indicator = Indicator.objects.create(
            tenant=tenant, name="Antal nätverksträffar", kind="antal", level="program", target=10
        )
        for n in range(size):
            principal = PrincipalFactory(tenant=tenant, name=f"Kommun {tenant.slug} {n:02d}")
            scene.principals.append(principal)
            school = OperationFactory(
                tenant=tenant, principal=principal, sector=Sector.COMPULSORY_SCHOOL
            )
            social = OperationFactory(
                tenant=tenant, principal=principal, sector=Sector.SOCIAL_SERVICES
            )
            scene.operations += [school, social]
            last_year = today - datetime.timedelta(days=400)
            approved_assessment(scene, principal, 1, period_end=last_year, superseded=True)
            approved_assessment(
                scene, principal, 1 + n % 5, period_end=today - datetime.timedelta(days=30)
            )
            approved_assessment(scene, principal, 2, operation=school, period_end=last_year)
            for month in range(3):
                IndicatorValue.objects.create(
                    tenant=tenant,
                    indicator=indicator,
                    principal=principal,
                    period=(today - datetime.timedelta(days=31 * month)).replace(day=1),
                    value=Decimal(70 + n + month),
                    source="enkat",
                )
            member = PersonFactory(tenant=tenant, principal=principal)
            meeting = Meeting.objects.create(
                tenant=tenant,
                body=body,
                starts_at=moment(today - datetime.timedelta(days=10 + n)),
                ends_at=moment(today - datetime.timedelta(days=10 + n))
                + datetime.timedelta(hours=2),
                status=MeetingStatus.HELD,
                minutes_status=MinutesStatus.APPROVED if n % 2 else MinutesStatus.FINISHED,
            )
            scene.meetings.append(meeting)
            Meeting.objects.create(
                tenant=tenant,
                body=body,
                starts_at=moment(today + datetime.timedelta(days=10 + n)),
                ends_at=moment(today + datetime.timedelta(days=10 + n))
                + datetime.timedelta(hours=2),
            )
            Attendance.objects.create(
                tenant=tenant, meeting=meeting, person=member, status="narvarande"
            )
            item = AgendaItem.objects.create(
                tenant=tenant, meeting=meeting, position=1, title="Lägesbild"
            )
            ActionItem.objects.create(
                tenant=tenant,
                body=body,
                description=f"Uppdrag {n}",
                owner_principal=principal,
                due_date=today - datetime.timedelta(days=n + 1),
                agenda_item=item,
            )
            Risk.objects.create(
                tenant=tenant,
                title=f"Risk {n}",
                category="forankring",
                likelihood=1 + n % 4,
                consequence=1 + (n + 1) % 4,
                raised_at=item,
            )
        IndicatorValue.objects.create(
            tenant=tenant,
            indicator=programme_indicator,
            principal=None,
            period=today.replace(day=1),
            value=Decimal(size),
            source="manuell",
        )
        meeting.adjusters.add(Person.objects.filter(tenant=tenant).first())
    return scene
