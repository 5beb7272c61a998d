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


class LocList(list):
    """A list that knows where each item stands in its file."""

    plaats: Positie
    items: list[Positie]


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
