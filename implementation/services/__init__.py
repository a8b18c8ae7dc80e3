"""Writes for implementation. Every service is atomic, validates, writes one
audit event and raises `DomainError` (or Django's `ValidationError` for field
errors) with a message that is safe to show the user.

Submodules by aggregate: staircase (versions, steps, criteria, the default),
assessments (self-assessments, their ratings, attachments and workflow).
"""

from portal.services import DomainError


class ConflictError(DomainError):
    """Someone else saved first. `current` is what they saved, to show the user."""

    def __init__(self, message: str, *, current: str = "", version: int = 0) -> None:
        super().__init__(message)
        self.current = current
        self.version = version


class LockedError(DomainError):
    """The assessment is submitted or approved and cannot be edited."""


__all__ = ["ConflictError", "DomainError", "LockedError"]
