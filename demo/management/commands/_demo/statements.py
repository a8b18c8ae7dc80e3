"""The demo programmes' statements (issue 16, items 4 and 5): each one's
accessibility statement, with its Region as the responsible organisation and
a known shortcoming or two, and its controller and data protection officer.

Through the services (`portal.statements`), like the rest of seed_demo.
Idempotent: a programme that has its statements keeps them as they are.
"""

from __future__ import annotations

import datetime

from django_scopes import scope

from portal import statements
from portal.models import (
    AccessibilityStatement,
    AssessmentMethod,
    ComplianceStatus,
    PrivacyStatement,
    ShortcomingReason,
    Tenant,
)

ACCESSIBILITY: dict[str, dict[str, object]] = {
    "sormland": {
        "organisation": "Region Sörmland",
        "contact_email": "tillganglighet@regionsormland.example.se",
        "contact_phone": "0155-24 50 00",
        "compliance": ComplianceStatus.PARTIAL,
        "assessment_method": AssessmentMethod.SELF,
        "assessed_on": datetime.date(2027, 2, 10),
        "assessment_description": (
            "Sidorna testas automatiskt med axe-core mot WCAG 2.1 nivå AA vid varje ändring. "
            "I februari 2027 gick processledarna dessutom igenom mötesloggningen med "
            "skärmläsaren NVDA och med enbart tangentbord."
        ),
        "shortcomings": [
            {
                "description": (
                    "Inskannade protokoll från styrgruppens möten 2019–2023 är bilder utan "
                    "text och kan inte läsas med skärmläsare."
                ),
                "reason": ShortcomingReason.BURDEN,
                "explanation": (
                    "Att skriva om drygt 300 arkiverade protokoll vore oskäligt betungande. "
                    "Vi skickar ett protokoll som text till den som ber om det."
                ),
                "planned_fix": "",
            },
            {
                "description": (
                    "Riskmatrisen scrollar i sidled på smala skärmar i stället för att radbrytas."
                ),
                "reason": ShortcomingReason.NON_COMPLIANCE,
                "explanation": "",
                "planned_fix": "Under hösten 2027.",
            },
        ],
    },
    "kronoberg": {
        "organisation": "Region Kronoberg",
        "contact_email": "tillganglighet@kronoberg.example.se",
        "contact_phone": "",
        "compliance": ComplianceStatus.PARTIAL,
        "assessment_method": AssessmentMethod.EXTERNAL,
        "assessed_on": datetime.date(2026, 11, 20),
        "assessment_description": (
            "En extern granskning mot WCAG 2.1 nivå AA gjordes i november 2026 av "
            "regionens upphandlade tillgänglighetskonsult."
        ),
        "shortcomings": [
            {
                "description": (
                    "Filmade föreläsningar från konferensen Barnens bästa 2024 saknar undertexter."
                ),
                "reason": ShortcomingReason.OUT_OF_SCOPE,
                "explanation": (
                    "Inspelade medier publicerade före den 23 september 2020 omfattas inte "
                    "av lagen; filmerna publicerades i regionens tidigare mediearkiv."
                ),
                "planned_fix": "",
            },
        ],
    },
}

PRIVACY: dict[str, dict[str, str | int]] = {
    "sormland": {
        "controller_name": "Region Sörmland",
        "controller_org_number": "232200-0016",
        "controller_email": "registrator@regionsormland.example.se",
        "controller_phone": "0155-24 50 00",
        "controller_address": "Region Sörmland, 611 88 Nyköping",
        "dpo_name": "Regionens dataskyddsombud",
        "dpo_email": "dataskyddsombud@regionsormland.example.se",
        "dpo_phone": "",
        # Contact details of people who left are cleared after half a year
        # (_demo/departures.py); Kronoberg keeps the portal's default.
        "clear_contacts_after_days": 180,
    },
    "kronoberg": {
        "controller_name": "Region Kronoberg",
        "controller_org_number": "232100-0065",
        "controller_email": "region@kronoberg.example.se",
        "controller_phone": "0470-58 30 00",
        "controller_address": "Region Kronoberg, Box 1200, 351 12 Växjö",
        "dpo_name": "Regionens dataskyddsombud",
        "dpo_email": "dataskyddsombud@kronoberg.example.se",
        "dpo_phone": "",
    },
}


def seed_statements() -> None:
    """Write each demo programme's statements, unless it has them already."""
    for slug in ACCESSIBILITY.keys() | PRIVACY.keys():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            continue
        with scope(tenant=tenant):
            accessibility = ACCESSIBILITY.get(slug)
            if (
                accessibility is not None
                and not AccessibilityStatement.objects.filter(tenant=tenant).exists()
            ):
                statements.accessibility_statement_save(
                    actor=None,
                    tenant=tenant,
                    **accessibility,  # type: ignore[arg-type]
                )
            privacy = PRIVACY.get(slug)
            if privacy is not None and not PrivacyStatement.objects.filter(tenant=tenant).exists():
                statements.privacy_statement_save(
                    actor=None,
                    tenant=tenant,
                    **privacy,  # type: ignore[arg-type]
                )
