"""Factories for governance rows. Prefer the services in tests of behaviour;
these are for setting the scene quickly."""

import datetime

import factory
from django.utils import timezone

from governance.models import (
    ActionItem,
    AgendaItem,
    Body,
    BodyMember,
    Decision,
    Meeting,
    Risk,
    StatusReport,
)
from tests.factories import PersonFactory, ScopesDisabledFactory, TenantFactory


class BodyFactory(ScopesDisabledFactory):
    class Meta:
        model = Body

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Styrgrupp {n}")
    kind = "styrgrupp"
    code = factory.Sequence(lambda n: f"SG{n}")


class BodyMemberFactory(ScopesDisabledFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(BodyFactory)
    tenant = factory.SelfAttribute("body.tenant")
    person = factory.SubFactory(PersonFactory, tenant=factory.SelfAttribute("..tenant"))
    role = "ledamot"
    start_date = datetime.date(2024, 1, 1)


class MeetingFactory(ScopesDisabledFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    tenant = factory.SelfAttribute("body.tenant")
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=2))
    place = "Nygatan 20, Växjö"


class AgendaItemFactory(ScopesDisabledFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    tenant = factory.SelfAttribute("meeting.tenant")
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Punkt {n}")


class DecisionFactory(ScopesDisabledFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    tenant = factory.SelfAttribute("meeting.tenant")
    body = factory.SelfAttribute("meeting.body")
    year = 2025
    number = factory.Sequence(lambda n: n + 1)
    text = "Styrgruppen beslutar att godkänna processplanen."
    decided_on = datetime.date(2025, 3, 25)


class ActionItemFactory(ScopesDisabledFactory):
    class Meta:
        model = ActionItem

    body = factory.SubFactory(BodyFactory)
    tenant = factory.SelfAttribute("body.tenant")
    description = "Återrapportera till nästa möte."
    owner_all = True


class RiskFactory(ScopesDisabledFactory):
    class Meta:
        model = Risk

    tenant = factory.SubFactory(TenantFactory)
    title = "Saknat bifall från förvaltningen"
    category = "forankring"
    likelihood = 3
    consequence = 3


class StatusReportFactory(ScopesDisabledFactory):
    class Meta:
        model = StatusReport

    tenant = factory.SubFactory(TenantFactory)
    period = datetime.date(2025, 3, 1)
