"""Which rows are drafts, for code in the kernel that reads rows of every app
(a person's data export): each app registers, in its `ready()`, how to tell
a draft of its models — minutes not yet approved, a draft status report, an
unpublished good example, an assessment in progress, a newsletter not sent.
Drafts are for their editors only, so such code names a draft row without
its content."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

_CHECKS: dict[type[models.Model], Callable[[Any], bool]] = {}


def register(model: type[models.Model], is_draft: Callable[[Any], bool]) -> None:
    _CHECKS[model] = is_draft


def is_draft(obj: models.Model) -> bool:
    check = _CHECKS.get(type(obj))
    return bool(check is not None and check(obj))
