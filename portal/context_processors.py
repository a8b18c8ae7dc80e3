from typing import Any

from django.http import HttpRequest

from portal.selectors import person_for

# The main navigation's sections, by the first word of a URL name: pages that
# belong to a section (a meeting's agenda items, a principal's operations)
# mark that section as current.
NAV_SECTIONS = {
    "home": "home",
    "meeting": "meetings",
    "agenda": "meetings",
    "attendance": "meetings",
    "minutes": "meetings",
    "followup": "meetings",
    "decision": "decisions",
    "action": "actions",
    "risk": "risks",
    "report": "reports",
    "body": "bodies",
    "search": "search",
    "calendar": "calendar",
    "event": "events",
    "principal": "principals",
    "operation": "principals",
    "person": "people",
    "people": "people",
    "principals": "principals",
    "member": "members",
    "members": "members",
    "staircase": "implementation",
    "step": "implementation",
    "criterion": "implementation",
    "assessment": "implementation",
    "attachment": "implementation",
    "goal": "implementation",
    "focus": "implementation",
    "wellbeing": "implementation",
    "indicator": "implementation",
    "appointment": "implementation",
    "function": "implementation",
    "example": "implementation",
    "plan": "implementation",
    "sub": "implementation",
    "activity": "implementation",
    "document": "",
    "newsletter": "newsletter",
    "statement": "statements",
    "audit": "audit",
    "settings": "public",
    "consents": "public",
    "consent": "public",
}


def portal(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match and match.url_name else ""
    membership = getattr(request, "membership", None)
    return {
        "tenant": getattr(request, "tenant", None),
        "membership": membership,
        # Who the user is in this programme: the header names them so.
        "viewer_person": person_for(membership),
        "nav_section": NAV_SECTIONS.get(name.split("_")[0], ""),
    }
