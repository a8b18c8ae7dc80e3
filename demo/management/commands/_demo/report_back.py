"""Answers to assignments (återkoppling) for the demo: some principals have
answered the steering groups' "alla organisationer" assignments on their
dashboards, others not yet — so the demo reporter (Eskilstuna kommun) has
one assignment answered and one still to answer, and the follow-up item of
the next meeting lists both the answers and who has not answered.

Through the service (as each principal's reporter where it has one),
like the rest of seed_demo. Idempotent: a programme with answers gets none; an
assignment that is missing or closed is passed by.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_scopes import scope

from governance.models import OPEN_ACTION_STATUSES, ActionAnswer, ActionItem
from governance.services.report_back import action_answer_save
from portal.models import Membership, Principal, Role, Tenant


@dataclass(frozen=True)
class AnswerSpec:
    assignment: str  # the start of the assignment's description
    principal: str
    text: str
    done: bool = False


SORMLAND = (
    # "Varje huvudman utser en Barnets bästa-ansvarig …": Eskilstuna has answered.
    AnswerSpec(
        "Varje huvudman utser en Barnets bästa-ansvarig",
        "Eskilstuna kommun",
        "Eskilstuna har utsett en Barnets bästa-ansvarig i varje förvaltning: "
        "barn- och utbildningsförvaltningen, socialförvaltningen och kultur- och "
        "fritidsförvaltningen. Namnen är inlagda i portalen.",
        done=True,
    ),
    AnswerSpec(
        "Varje huvudman utser en Barnets bästa-ansvarig",
        "Katrineholms kommun",
        "Utsedd inom socialförvaltningen; skolan utser sin i januari.",
    ),
    # "Ta med frågan om barnmedverkan …": some have answered, Eskilstuna not yet.
    AnswerSpec(
        "Ta med frågan om barnmedverkan",
        "Katrineholms kommun",
        "Arbetsgruppen har diskuterat barnmedverkan och vill börja med elevråden i "
        "högstadiet. Ett förslag tas upp i ledningsgruppen i februari.",
    ),
    AnswerSpec(
        "Ta med frågan om barnmedverkan",
        "Flens kommun",
        "Frågan är lyft i arbetsgruppen. Vi använder Barnombudsmannens metodstöd och "
        "prövar det på två fritidsgårdar under våren.",
    ),
    AnswerSpec(
        "Ta med frågan om barnmedverkan",
        "Region Sörmland",
        "BUP och elevhälsans medicinska insats har tagit med frågan; en gemensam "
        "enkät till unga patienter tas fram.",
        done=True,
    ),
)

KRONOBERG = (
    AnswerSpec(
        "Lämna organisationens första självskattning",
        "Växjö kommun",
        "Självskattningen för grundskolan är inlämnad; socialtjänsten lämnar sin i januari.",
    ),
    AnswerSpec(
        "Lämna organisationens första självskattning",
        "Ljungby kommun",
        "Klar för alla verksamheter.",
        done=True,
    ),
)

PROGRAMMES = {"sormland": SORMLAND, "kronoberg": KRONOBERG}


def seed_report_back() -> None:
    for slug, specs in PROGRAMMES.items():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            continue
        with scope(tenant=tenant):
            if ActionAnswer.objects.filter(tenant=tenant).exists():
                continue
            for spec in specs:
                _answer(tenant, spec)


def _answer(tenant: Tenant, spec: AnswerSpec) -> None:
    principal = Principal.objects.filter(tenant=tenant, name=spec.principal).first()
    action = (
        ActionItem.objects.filter(
            tenant=tenant,
            description__startswith=spec.assignment,
            owner_all=True,
            archived_at__isnull=True,
            status__in=OPEN_ACTION_STATUSES,
        )
        .order_by("-given_at")
        .first()
    )
    if principal is None or action is None:
        return
    reporter = (
        Membership.objects.filter(
            tenant=tenant, role=Role.PRINCIPAL_REPORTER, principal=principal, is_active=True
        )
        .select_related("user")
        .first()
    )
    action_answer_save(
        actor=reporter.user if reporter else None,
        action=action,
        principal=principal,
        text=spec.text,
        done=spec.done,
    )
