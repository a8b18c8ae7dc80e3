"""Writes for governance. Every service is atomic, validates, writes one audit
event and raises `DomainError` (or Django's `ValidationError` for field errors)
with a message that is safe to show the user.

Submodules by aggregate: bodies, meetings (with agenda and attendance),
minutes (the finish → approve → revise lifecycle), decisions, actions, risks,
reports, calendar.
"""

from portal.services import ConflictError, DomainError


class LockedError(DomainError):
    """The minutes are approved (justerade) and cannot be edited in place."""


__all__ = ["ConflictError", "DomainError", "LockedError"]
