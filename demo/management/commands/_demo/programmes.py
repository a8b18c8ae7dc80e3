"""The demo programmes as data: one TOML file a programme in `demo/data/`
(`sormland.toml`, `kronoberg.toml`), read into the spec dataclasses of
specs.py and governance.py. What differs between the programmes is data; this
loader is the code they share.

A file's top-level keys are the `ProgrammeSpec` (slug, name, principals,
people …) and the `GovernanceSpec` (bodies, seats, meetings, reports) of one
programme; every table is a dataclass's fields by name, and a field left out
keeps the dataclass's default. Two shorthands keep the files short:

- a principal's `operations` names sets of `specs.OPERATION_SETS`
  (`"municipal"`) or lists its own `[sector, name]` pairs;
- an agenda entry `use = "<name>"` is the item `[items.<name>]`, which
  several meetings share.
"""

from __future__ import annotations

import tomllib
import types
import typing
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from governance.models import BodyRole

from .governance import GovernanceSpec, ItemSpec
from .specs import OPERATION_SETS, PrincipalSpec, ProgrammeSpec

DATA_DIR = Path(__file__).resolve().parents[3] / "data"
SLUGS = ("sormland", "kronoberg")


@dataclass(frozen=True)
class Programme:
    programme: ProgrammeSpec
    governance: GovernanceSpec


@cache
def load(slug: str) -> Programme:
    """The programme of `demo/data/<slug>.toml`."""
    data = tomllib.loads((DATA_DIR / f"{slug}.toml").read_text(encoding="utf-8"))
    reader = _Reader(data.pop("items", {}))
    own = {f.name for f in fields(ProgrammeSpec)}
    programme = reader.make(ProgrammeSpec, {k: v for k, v in data.items() if k in own})
    governance = reader.make(
        GovernanceSpec, {"slug": data["slug"], **{k: v for k, v in data.items() if k not in own}}
    )
    return Programme(programme, governance)


def chair(governance: GovernanceSpec, body: str) -> str:
    """Who chairs `body` now: the person of its latest chair seat."""
    seats = [s for s in governance.seats if s.body == body and s.role == BodyRole.CHAIR]
    return max(seats, key=lambda seat: seat.start).person


class _Reader:
    def __init__(self, items: dict[str, dict[str, Any]]) -> None:
        self.items = {name: self.make(ItemSpec, item) for name, item in items.items()}

    def make[T](self, cls: type[T], data: dict[str, Any]) -> T:
        if cls is ItemSpec and "use" in data:
            return typing.cast(T, self.items[data["use"]])
        if cls is PrincipalSpec:
            data = {**data, "operations": _operations(data.get("operations", []))}
        hints = typing.get_type_hints(cls)
        if unknown := sorted(set(data) - {f.name for f in fields(typing.cast(Any, cls))}):
            raise TypeError(f"{cls.__name__} has no field {', '.join(unknown)}")
        return cls(**{name: self.value(hints[name], value) for name, value in data.items()})

    def value(self, kind: Any, value: Any) -> Any:
        if is_dataclass(kind):
            return self.make(typing.cast(type, kind), value)
        if typing.get_origin(kind) is tuple:
            args = typing.get_args(kind)
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(self.value(args[0], v) for v in value)
            return tuple(self.value(a, v) for a, v in zip(args, value, strict=True))
        if isinstance(kind, types.UnionType):
            return value  # int | None: TOML has no None, a missing key is the default
        return value


def _operations(entries: list[str | list[str]]) -> tuple[tuple[str, str], ...]:
    operations: list[tuple[str, str]] = []
    for entry in entries:
        if isinstance(entry, str):
            operations.extend(OPERATION_SETS[entry])
        else:
            sector, name = entry
            operations.append((sector, name))
    return tuple(operations)
