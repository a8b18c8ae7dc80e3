"""Implementation's drafts for `portal.drafts`: an unpublished good example
and a self-assessment not yet approved."""

from __future__ import annotations

from implementation.models import OPEN_STATUSES, GoodExample, SelfAssessment
from portal import drafts


def register() -> None:
    drafts.register(GoodExample, lambda example: not example.is_published)
    drafts.register(SelfAssessment, lambda assessment: assessment.status in OPEN_STATUSES)
