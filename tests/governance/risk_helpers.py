"""The risk helpers the risk-register and status-report tests share."""

from __future__ import annotations

import datetime
import re

from django_scopes import scope

from governance.models import Risk, RiskStatus
from governance.services import risks as risk_services


def make_risk(world, **fields) -> Risk:
    """A risk raised through the service (so its creation is audited)."""
    values = {
        "title": "Saknat bifall från förvaltningen",
        "category": "forankring",
        "likelihood": 2,
        "consequence": 2,
        **fields,
    }
    with scope(tenant=world.tenant):
        return risk_services.risk_create(actor=world.users["leader"], tenant=world.tenant, **values)


def review(world, risk: Risk, on: datetime.date, likelihood: int, consequence: int, **kw):
    with scope(tenant=world.tenant):
        return risk_services.risk_review_add(
            actor=world.users["leader"],
            risk=risk,
            reviewed_on=on,
            likelihood=likelihood,
            consequence=consequence,
            status=kw.pop("status", RiskStatus.MANAGED),
            note=kw.pop("note", ""),
        )


def cell(body: str, likelihood: int, consequence: int) -> str:
    """The HTML of one matrix cell."""
    match = re.search(
        rf'<td class="risk-cell[^"]*" data-likelihood="{likelihood}" '
        rf'data-consequence="{consequence}">(.*?)</td>',
        body,
        re.S,
    )
    assert match, f"no matrix cell L{likelihood} C{consequence}"
    return match.group(1)
