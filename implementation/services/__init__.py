"""Writes for implementation. Every service is atomic, validates, writes one
audit event and raises `DomainError` (or Django's `ValidationError` for field
errors) with a message that is safe to show the user.

Submodules by aggregate: staircase (versions, steps, criteria, the default),
assessments (self-assessments, their ratings, attachments and workflow).
"""

from portal.services import ConflictError, DomainError


class LockedError(DomainError):
    """The assessment is submitted or approved and cannot be edited."""


__all__ = ["ConflictError", "DomainError", "LockedError"]
