"""One lookup per noun of the research app (STYLE.md point 5; Zulip's
`access_stream_by_id`, healthchecks' `_get_rw_check_for_user`).

Each `get_<noun>_for(request, pk, *, write=False)` answers 403
(PermissionDenied) first when the member's role may not read (or, with
`write=True`, change) such objects at all, then 404 for another programme's
id, one that does not exist, or one that is not the member's to see. The
rules themselves live in `portal.permissions`.
"""

from __future__ import annotations

from portal.tenancy import TenantRequest, get_for_tenant, require
from research.models import ApiToken, ResearchReport


def get_api_token_for(request: TenantRequest, pk: int, *, write: bool = False) -> ApiToken:
    """One of the researcher's own API tokens (another researcher's is 404).
    Only researchers have tokens, to read or to revoke (`research.export`)."""
    require(request, "research.export")
    token: ApiToken = get_for_tenant(request, ApiToken.objects.filter(user=request.user), pk=pk)
    return token


def get_research_report_for(
    request: TenantRequest, pk: int, *, write: bool = False
) -> ResearchReport:
    """A report of the register, archived or not: everyone in the programme
    reads them (`research.view_reports`); researchers and process leaders keep
    the register (`research.manage_reports`)."""
    require(request, "research.manage_reports" if write else "research.view_reports")
    report: ResearchReport = get_for_tenant(request, ResearchReport, pk=pk)
    return report
