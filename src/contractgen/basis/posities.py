"""Positions in loaded files: data that remembers where each key and item stood.

The YAML loader (contractgen.laden) builds these; every later stage asks `position_of`
to point a message at a line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Positie:
    """1-based line and column in a loaded file."""

    regel: int
    kolom: int


class LocDict(dict):
    """A mapping that knows where each key stands in its file."""

    plaats: Positie
    sleutels: dict[Any, Positie]
    ruw: dict[Any, str]  # key -> source text of a value that is a boolean or null ("NO" stays text)


class LocList(list):
    """A list that knows where each item stands in its file."""

    plaats: Positie
    items: list[Positie]
    ruw: dict[int, str]  # index -> source text of an item that is a boolean or null


def position_of(data: Any, pad: tuple) -> Positie | None:
    """Best known position of a path into loaded data (deepest node that exists)."""
    best = getattr(data, "plaats", None)
    node = data
    for stap in pad:
        if isinstance(node, LocDict) and isinstance(stap, str) and stap in node:
            best = node.sleutels.get(stap, best)
            node = node[stap]
        elif isinstance(node, LocList) and isinstance(stap, int) and 0 <= stap < len(node):
            best = node.items[stap]
            node = node[stap]
        # other steps (union tags) are not in the data: skip them
    return best


# --- scalars as typed ------------------------------------------------------------------
# The loader resolves plain scalars by the YAML 1.2 core schema and keeps the source text
# of every number, so that a text field gets what the user wrote ("10.10", "0773456712")
# and every message can quote it. Booleans and null keep theirs in LocDict.ruw / LocList.ruw.


class Geheel(int):
    """An integer read from YAML; `ruw` is the text as typed ("010", "0x1F")."""

    ruw: str

    def __new__(cls, waarde: int, ruw: str):
        obj = super().__new__(cls, waarde)
        obj.ruw = ruw
        return obj

    def __reduce__(self):
        return (Geheel, (int(self), self.ruw))


class Kommagetal(float):
    """A float read from YAML; `ruw` is the text as typed ("10.10", "1.250")."""

    ruw: str

    def __new__(cls, waarde: float, ruw: str):
        obj = super().__new__(cls, waarde)
        obj.ruw = ruw
        return obj

    def __reduce__(self):
        return (Kommagetal, (float(self), self.ruw))


def zoals_getypt(waarde: Any) -> Any:
    """The source text of a number read from YAML; any other value unchanged."""
    return getattr(waarde, "ruw", waarde) if isinstance(waarde, (Geheel, Kommagetal)) else waarde


def ruw_op(data: Any, pad: tuple) -> str | None:
    """The text as typed of the scalar at `pad` (numbers, booleans, null), or None when unknown."""
    node = data
    for stap in pad[:-1]:
        try:
            node = node[stap]
        except (KeyError, IndexError, TypeError):
            return None
    if not pad:
        return None
    laatste = pad[-1]
    try:
        waarde = node[laatste]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(waarde, (Geheel, Kommagetal)):
        return waarde.ruw
    ruw = getattr(node, "ruw", None)
    if isinstance(node, LocDict) and ruw is not None:
        return ruw.get(laatste)
    if isinstance(node, LocList) and ruw is not None and isinstance(laatste, int):
        return ruw.get(laatste)
    return None
